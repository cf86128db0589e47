/* query_args.c: checking the arguments of a query, with the error reply's status and text. */
#include "query_args.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int query_refuse(query_error *qe, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(qe->why, sizeof qe->why, fmt, ap);
    va_end(ap);
    qe->status = status;
    return -1;
}

int query_period(const char *text, const char *field, period *p, query_error *qe)
{
    if (period_parse(text, p) != 0) {
        char q[PROTO_MAX_PERIOD + 1];
        proto_quote(q, sizeof q, text, strlen(text));
        return query_refuse(qe, PROTO_BAD_REQUEST,
                      "%s '%s' is not a period (2026-10, 2026-Q4, 2026 or 2025/26)", field, q);
    }
    return 0;
}

/* The area named, or the first top area when none is. */
int query_area(const partners *parts, const char *code, query_error *qe)
{
    if (!code[0]) {
        for (size_t i = 0; i < parts->n_areas; i++)
            if (parts->areas[i].parent < 0)
                return (int)i;
        return query_refuse(qe, PROTO_NOT_FOUND, "the partners file lists no areas");
    }
    int a = partners_area(parts, code);
    if (a < 0) {
        char q[PROTO_MAX_AREA + 1];
        proto_quote(q, sizeof q, code, strlen(code));
        return query_refuse(qe, PROTO_NOT_FOUND, "unknown area '%s' (leamon catalog lists them)", q);
    }
    return a;
}

const indicator *query_indicator(const catalog *cat, const char *code, query_error *qe)
{
    const indicator *ind = catalog_indicator(cat, code);
    if (!ind) {
        char q[PROTO_MAX_CODE + 1];
        proto_quote(q, sizeof q, code, strlen(code));
        query_refuse(qe, PROTO_NOT_FOUND, "unknown indicator '%s' (leamon catalog lists them)", q);
    }
    return ind;
}
