/* args.h: checking a command's arguments before anything is sent. Each
 * check returns 0, or LEAMON_EXIT_USAGE after saying what is wrong (with
 * the offending value quoted, cleaned and cut short). */
#ifndef LEAMON_ARGS_H
#define LEAMON_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "leamon.h"
#include "period.h"

/* value as a message quotes it: at most max bytes of it, cleaned for the
 * terminal (fmt_clean), into buf. */
void arg_quote(char *buf, size_t n, const char *value, size_t max);

/* A code (indicator, area, rule, topic): 1..max printable characters
 * without spaces; what names it in the message ("indicator", "--area"). */
int arg_code(leamon_ctx *ctx, const char *what, const char *value, size_t max);

/* Exactly want positional arguments; what names one ("INDICATOR"). */
int arg_count(leamon_ctx *ctx, size_t want, const char *what);

/* --opt PERIOD, required: 2026-10, 2026-Q4, 2026 or 2025/26, parsed into *p. */
int arg_period(leamon_ctx *ctx, const char *opt, const char *value, period *p);

/* --note TEXT: 1 to PROTO_MAX_NOTE bytes of UTF-8 without control characters. */
int arg_note(leamon_ctx *ctx, const char *note);

/* A required option: 0 when given, else exit 2 after saying what it is for (why). */
int arg_needed(leamon_ctx *ctx, const char *value, const char *option, const char *why);

/* --since (ahead false: a span counts back, the future is refused) or --until, --starts
 * (ahead true) into unix seconds: a date, a local time, a span from now (24h, 7d, 2w),
 * now, or unix seconds. */
int arg_when(leamon_ctx *ctx, const char *opt, const char *value, bool ahead, int64_t *out);

/* A whole number of at most 18 digits, at least min (an alert id, --count); hint says
 * what to give. */
int arg_number(leamon_ctx *ctx, const char *what, const char *value, int64_t min,
               const char *hint, int64_t *out);

/* Exactly want positional arguments; a note of several words left unquoted shows as
 * extra arguments, so say so. */
int arg_count_noted(leamon_ctx *ctx, size_t want, const char *what);

#endif
