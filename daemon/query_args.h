/* query_args.h: checking the arguments of a query, with the error reply's status and text. */
#ifndef LEAMON_QUERY_ARGS_H
#define LEAMON_QUERY_ARGS_H

#include "config.h"
#include "period.h"

/* What went wrong with a query, for the error reply. */
typedef struct {
    int status;
    char why[256];
} query_error;

/* Set qe; returns -1. */
int query_refuse(query_error *qe, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* 0, or -1 with a 400 naming field. */
int query_period(const char *text, const char *field, period *p, query_error *qe);
/* The area named (an index), or the first top area when code is ""; -1 with a 404. */
int query_area(const partners *parts, const char *code, query_error *qe);
/* The indicator, or NULL with a 404. */
const indicator *query_indicator(const catalog *cat, const char *code, query_error *qe);

#endif
