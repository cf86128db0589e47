/* catalog.h: the metrics partners report (config/catalog.conf). */
#ifndef LEAMON_CATALOG_H
#define LEAMON_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "period.h"
#include "proto.h"

/* Partner kinds (DOMAIN.md); a metric's reporting kinds are a bit set of these. */
typedef enum {
    KIND_KINDEROPVANG,
    KIND_GGD,
    KIND_SCHOOL_PO,
    KIND_SCHOOL_SO,
    KIND_SCHOOL_VO,
    KIND_MBO,
    KIND_RBL,
    KIND_GEMEENTE,
    KIND_COUNT
} org_kind;

const char *kind_name(org_kind kind);
int kind_parse(const char *name, org_kind *out);

typedef enum { ROLLUP_LAST, ROLLUP_SUM, ROLLUP_AVG } rollup;
const char *rollup_name(rollup r);

typedef struct {
    char code[PROTO_MAX_CODE + 1];
    char label[160];
    char unit[16];
    rollup time;
    unsigned kinds;   /* 1u << org_kind for each kind that reports it */
    double min, max;  /* valid range of one value, inclusive */
    bool integer;     /* whole numbers only */
} metric;

typedef struct {
    period first;     /* earliest period accepted */
    metric *metrics;  /* sorted by code, owned */
    size_t n_metrics;
} catalog;

/* Load path into *cat. On failure returns -1 with "FILE:LINE: SETTING: message" in err. */
int catalog_load(catalog *cat, const char *path, char *err, size_t errlen);
void catalog_free(catalog *cat);

/* The metric with this code, or NULL. */
const metric *catalog_metric(const catalog *cat, const char *code);

#endif
