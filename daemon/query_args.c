/* query_args.c: checking the arguments of a query, with the error reply's status and text. */
#include "query_args.h"
#include "rules.h"

#include <string.h>

int query_period(const char *text, const char *field, period *p, lm_error *e)
{
    if (period_parse(text, p) != 0) {
        char q[PROTO_MAX_PERIOD + 1];
        proto_quote(q, sizeof q, text, strlen(text));
        return lm_fail(e, PROTO_BAD_REQUEST,
                       "%s '%s' is not a period (2026-10, 2026-Q4, 2026 or 2025/26)", field, q);
    }
    return 0;
}

/* The area named, or the first top area when none is. */
int query_area(const partners *parts, const char *code, lm_error *e)
{
    if (!code[0]) {
        for (size_t i = 0; i < parts->n_areas; i++)
            if (parts->areas[i].parent < 0)
                return (int)i;
        return lm_fail(e, PROTO_NOT_FOUND, "the partners file lists no areas");
    }
    int a = partners_area(parts, code);
    if (a < 0) {
        char q[PROTO_MAX_AREA + 1];
        proto_quote(q, sizeof q, code, strlen(code));
        return lm_fail(e, PROTO_NOT_FOUND, "unknown area '%s' (leamon catalog lists them)", q);
    }
    return a;
}

const indicator *query_indicator(const catalog *cat, const char *code, lm_error *e)
{
    const indicator *ind = catalog_indicator(cat, code);
    if (!ind) {
        char q[PROTO_MAX_CODE + 1];
        proto_quote(q, sizeof q, code, strlen(code));
        lm_fail(e, PROTO_NOT_FOUND, "unknown indicator '%s' (leamon catalog lists them)", q);
    }
    return ind;
}

int query_whose(const identity *who, const partners *parts, const char *named,
                const char *verb, const organisation **out, lm_error *e)
{
    char q[PROTO_MAX_CODE + 1];
    proto_quote(q, sizeof q, named, strlen(named));
    *out = NULL;
    if (who->type == IDENT_ORG) {
        if (named[0] && strcmp(named, who->org->id) != 0)
            return lm_fail(e, PROTO_FORBIDDEN, "a partner %s its own figures, not those of %s",
                           verb, q);
        *out = who->org;
        return 0;
    }
    if (named[0] && !(*out = partners_org(parts, named)))
        return lm_fail(e, PROTO_NOT_FOUND,
                       "unknown organisation '%s' (the partners file lists them)", q);
    return 0;
}

const alert_rule *query_rule(const catalog *cat, const char *name, lm_error *e)
{
    const alert_rule *r = catalog_rule(cat, name);
    if (!r) {
        char q[PROTO_MAX_CODE + 1];
        proto_quote(q, sizeof q, name, strlen(name));
        lm_fail(e, PROTO_NOT_FOUND, "unknown rule '%s' (the rules are in the catalogue, "
                                    "catalog.conf)", q);
    }
    return r;
}
