/* query_args.h: checking the arguments of a query, with the error reply's status and text. */
#ifndef LEAMON_QUERY_ARGS_H
#define LEAMON_QUERY_ARGS_H

#include "config.h"
#include "error.h"
#include "identity.h"
#include "period.h"

/* 0, or -1 with a 400 naming field. */
int query_period(const char *text, const char *field, period *p, lm_error *e);
/* The area named (an index), or the first top area when code is ""; -1 with a 404. */
int query_area(const partners *parts, const char *code, lm_error *e);
/* The indicator, or NULL with a 404. */
const indicator *query_indicator(const catalog *cat, const char *code, lm_error *e);
/* Whose figures a request is about (retract, figures, completeness): an organisation's
 * own, for it may name none but itself (else a 403 "a partner VERB its own figures, not
 * those of X"); for staff and anonymous senders the one named, a 404 when unknown, NULL
 * when none is named. 0 or -1. */
int query_whose(const identity *who, const partners *parts, const char *named,
                const char *verb, const organisation **out, lm_error *e);
/* The rule, or NULL with a 404. */
const alert_rule *query_rule(const catalog *cat, const char *name, lm_error *e);

#endif
