/* catalog.h: the metrics partners report (config/catalog.conf). */
#ifndef LEAMON_CATALOG_H
#define LEAMON_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "period.h"
#include "proto.h"

/* Partner kinds (docs/domain.md); a metric's reporting kinds are a bit set of these. */
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
    unsigned due;     /* the months of the year a figure is owed: bit 0 January .. bit 11
                       * December (all twelve: monthly) */
    int carry;        /* a stock (last): months a reporter's last figure stands for the
                       * months after it that it missed (0: none) */
} metric;

/* Is a figure of m owed for month (a month number, period_month_number)? */
bool metric_due(const metric *m, int month);

#define INDICATOR_MAX_METRICS 4

/* One side of an indicator: the sum of some metrics, from reporters of some kinds. */
typedef struct {
    const metric *metrics[INDICATOR_MAX_METRICS]; /* into catalog.metrics */
    size_t n_metrics;
    unsigned kinds;   /* reporter kinds counted (1u << org_kind); 0: every kind of the metric */
} indicator_part;

typedef enum { IND_RATIO, IND_SUM, IND_MEAN } indicator_type;
typedef enum { BETTER_HIGHER, BETTER_LOWER, BETTER_CLOSER } indicator_better;

/* ratio: factor * sum(numerator) / sum(denominator); sum: sum(numerator);
 * mean: sum(numerator) / number of (reporter, area) figures behind it. */
typedef struct {
    char code[PROTO_MAX_CODE + 1];
    char label[160];
    char unit[16];
    indicator_type type;
    indicator_better better;
    double ideal;     /* BETTER_CLOSER: the value to be close to */
    double factor;    /* ratio only */
    indicator_part num, den;
} indicator;

/* A goal: value at goal_period, on a straight line from the baseline (whose value may be
 * left to the data: has_baseline_value false). */
typedef struct {
    const indicator *ind;
    char area[PROTO_MAX_AREA + 1];   /* "" : see catalog.conf (every area, or the top areas) */
    period baseline_period;
    bool has_baseline;
    bool has_baseline_value;
    double baseline_value;
    period goal_period;
    double goal_value;
    char source[300];
    unsigned judged;  /* 1u << period_kind for each kind of period judged against it */
    bool standing;    /* a norm: the goal holds for every period from the goal period on */
} target;

typedef struct alert_rule alert_rule; /* alert_eval.h */
typedef struct check_def check_def;   /* checks.h */

typedef struct {
    period first;     /* earliest period accepted */
    /* The first month whose figures are owed (late rules); without it, the month leamond
     * first started on its database (alerts_owed_from). */
    bool has_owed_from;
    period owed_from;
    metric *metrics;  /* sorted by code, owned */
    size_t n_metrics;
    indicator *indicators; /* in file order, owned */
    size_t n_indicators;
    target *targets;       /* owned */
    size_t n_targets;
    alert_rule *rules;     /* in file order, owned (rules.c) */
    size_t n_rules;
    check_def *checks;     /* in file order, owned (checks.c) */
    size_t n_checks;
} catalog;

/* Load path into *cat: the metrics, indicators and targets, then the rules
 * (catalog_file.c). On failure returns -1 with "FILE:LINE: SETTING: message" in err. */
int catalog_load(catalog *cat, const char *path, lm_error *err);
/* The metrics, indicators and targets of a parsed catalogue file (root: its libconfig root
 * setting). 0, or -1 with err set (the caller frees cat). */
struct config_setting_t;
int catalog_read(catalog *cat, const struct config_setting_t *root, lm_error *err);
void catalog_free(catalog *cat);

/* The metric with this code, or NULL. */
const metric *catalog_metric(const catalog *cat, const char *code);
const indicator *catalog_indicator(const catalog *cat, const char *code);
const char *indicator_type_name(indicator_type t);
/* A period kind as the catalogue names it: month, quarter, year, schoolyear. 0 or -1. */
int catalog_period_kind(const char *name, period_kind *out);
const char *indicator_better_name(indicator_better b);
/* True if the indicator counts this metric in one of its parts. */
bool indicator_uses(const indicator *ind, const metric *m);
/* True if a figure of metric m from a reporter of kind k counts in part. */
bool indicator_part_counts(const indicator_part *part, const metric *m, org_kind k);

#endif
