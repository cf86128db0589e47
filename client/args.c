/* args.c: checking a command's arguments (see args.h). */
#include "args.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "format.h"
#include "proto.h"
#include "reqid.h"

void arg_quote(char *buf, size_t n, const char *value, size_t max)
{
    size_t len = strlen(value);
    fmt_clean(buf, n, value, len > max ? max : len);
}

int arg_code(leamon_ctx *ctx, const char *what, const char *value, size_t max)
{
    if (reqid_check(value) == 0 && strlen(value) <= max)
        return 0;
    char q[48];
    arg_quote(q, sizeof q, value, 40);
    leamon_error(ctx, "%s '%s': must be 1 to %zu printable characters without spaces", what, q,
                 max);
    return LEAMON_EXIT_USAGE;
}

int arg_count(leamon_ctx *ctx, size_t want, const char *what)
{
    if (ctx->npos == want)
        return 0;
    if (want == 0)
        leamon_error(ctx, "%s takes no arguments, only options (see leamon %s --help)",
                     ctx->cmd->name, ctx->cmd->name);
    else if (ctx->npos == 0)
        leamon_error(ctx, "%s needs %s (see leamon %s --help)", ctx->cmd->name, what,
                     ctx->cmd->name);
    else
        leamon_error(ctx, "%s takes one %s, not %zu arguments", ctx->cmd->name, what, ctx->npos);
    return LEAMON_EXIT_USAGE;
}

int arg_period(leamon_ctx *ctx, const char *opt, const char *value, period *p)
{
    if (!value) {
        leamon_error(ctx, "%s needs --%s PERIOD (2026-10, 2026-Q4, 2026 or 2025/26)",
                     ctx->cmd->name, opt);
        return LEAMON_EXIT_USAGE;
    }
    if (strlen(value) <= PROTO_MAX_PERIOD && period_parse(value, p) == 0)
        return 0;
    char q[32];
    arg_quote(q, sizeof q, value, 20);
    leamon_error(ctx, "--%s '%s': not a period (2026-10, 2026-Q4, 2026 or 2025/26)", opt, q);
    return LEAMON_EXIT_USAGE;
}

int arg_note(leamon_ctx *ctx, const char *note)
{
    size_t len = strlen(note);
    char clean[PROTO_MAX_NOTE + 1];
    if (len >= 1 && len <= PROTO_MAX_NOTE) {
        fmt_clean(clean, sizeof clean, note, len);
        if (!strcmp(clean, note))
            return 0;
    }
    leamon_error(ctx, "--note: give 1 to %d bytes of text (UTF-8, no tabs, newlines or other "
                      "control characters), not %zu bytes%s",
                 PROTO_MAX_NOTE, len, len && len <= PROTO_MAX_NOTE ? " with control characters"
                                                                   : "");
    return LEAMON_EXIT_USAGE;
}

int arg_needed(leamon_ctx *ctx, const char *value, const char *option, const char *why)
{
    if (value)
        return 0;
    leamon_error(ctx, "%s needs %s: %s (see leamon %s --help)", ctx->cmd->name, option, why,
                 ctx->cmd->name);
    return LEAMON_EXIT_USAGE;
}

/* WHEN: unix seconds, a local date or date and time (fmt_parse_time),
 * "now", or a span from now of hours, days or weeks (24h, 7d, 2w), back
 * (direction -1) or ahead (+1). 0 or -1. */
static int parse_when(const char *s, int64_t now, int direction, int64_t *out)
{
    static const struct {
        char unit;
        int64_t seconds;
    } spans[] = {{'h', 3600}, {'d', 86400}, {'w', 7 * 86400}};
    size_t len = strlen(s);
    if (!strcmp(s, "now")) {
        *out = now;
        return 0;
    }
    if (len >= 2 && len <= 7 && strspn(s, "0123456789") == len - 1) {
        for (size_t i = 0; i < sizeof spans / sizeof spans[0]; i++)
            if (s[len - 1] == spans[i].unit) {
                *out = now + direction * strtoll(s, NULL, 10) * spans[i].seconds;
                return 0;
            }
        return -1;
    }
    return fmt_parse_time(s, out);
}

int arg_when(leamon_ctx *ctx, const char *opt, const char *value, bool ahead, int64_t *out)
{
    int64_t now = (int64_t)time(NULL);
    char q[48];
    arg_quote(q, sizeof q, value, 40);
    if (parse_when(value, now, ahead ? 1 : -1, out) != 0 || *out < 0) {
        leamon_error(ctx, "--%s '%s': give a date 2026-11-01, a local time 2026-11-01T08:00, "
                          "a span %s now (24h, 7d, 2w), now, or unix seconds",
                     opt, q, ahead ? "from" : "back from");
        return LEAMON_EXIT_USAGE;
    }
    if (!ahead && *out > now) {
        leamon_error(ctx, "--%s %s is in the future: no alert can have changed since then", opt,
                     q);
        return LEAMON_EXIT_USAGE;
    }
    return 0;
}

int arg_number(leamon_ctx *ctx, const char *what, const char *value, int64_t min,
               const char *hint, int64_t *out)
{
    size_t len = strlen(value);
    if (len && len <= 18 && strspn(value, "0123456789") == len &&
        (*out = strtoll(value, NULL, 10)) >= min)
        return 0;
    char q[48];
    arg_quote(q, sizeof q, value, 40);
    leamon_error(ctx, "%s '%s': give %s", what, q, hint);
    return LEAMON_EXIT_USAGE;
}

int arg_count_noted(leamon_ctx *ctx, size_t want, const char *what)
{
    int rc = arg_count(ctx, want, what);
    if (rc != 0 && ctx->npos > want && ctx_opt(ctx, "note"))
        leamon_error(ctx, "put a note of several words in quotes: --note \"...\"");
    return rc;
}
