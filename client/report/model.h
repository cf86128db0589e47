/* model.h: what `leamon report` is made of: what was asked for, the
 * catalogue's areas and indicators, an indicator's figures and target, the
 * levels of the alert rules, the completeness grid, all as proto's typed
 * readers read the daemon's replies. Nothing here talks to the daemon
 * (fetch.h does) or writes the page. */
#ifndef LEAMON_REPORT_MODEL_H
#define LEAMON_REPORT_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "error.h"
#include "period.h"
#include "proto.h"
#include "reply_alert.h"
#include "reply_compl.h"
#include "reply_figures.h"
#include "reply_info.h"

#define GRID_MONTHS 12    /* the completeness grid shows at most this many months */
#define MODEL_MAX_BANDS 4 /* alert rule levels kept for one indicator */

/* An alert rule's level, found for an indicator. */
typedef struct {
    char rule[PROTO_MAX_CODE + 1], kind[PROTO_TEXT_WORD], severity[PROTO_TEXT_WORD], where[48];
    double threshold;
    char label[256]; /* nl_band_label */
} band_src;

/* One organisation's row of the completeness grid. */
typedef struct {
    char id[PROTO_MAX_CODE + 1], name[PROTO_TEXT_NAME], kind[PROTO_TEXT_WORD];
    /* per month: how many of its metrics were on time, open, late, missing */
    unsigned (*n)[4];
} org_row;

enum { ST_ON_TIME, ST_OPEN, ST_LATE, ST_MISSING };

/* Which version of the report: the internal one shows every number as it
 * is; the public one (pub) rounds counts to multiples of 5 and holds back
 * counts under min_cell, as CBS does. */
typedef struct {
    bool pub;
    int min_cell;
} edition_t;

typedef struct {
    /* what was asked for */
    edition_t ed;
    period p;
    char period_text[PERIOD_TEXT_MAX + 1];
    int first_month, last_month; /* the series' months, as month numbers */
    time_t now;
    bool running; /* the daemon says the period has not ended (its figures are open) */
    size_t provisional; /* indicators whose figure the daemon calls provisional */
    /* the catalogue's areas and indicators, and the report's area among them */
    proto_area_info *areas;
    size_t nareas;
    const proto_area_info *top;
    proto_indicator *inds;
    size_t ninds;
    proto_metric_info *metrics; /* for their labels and the months they are due */
    size_t nmetrics;
    /* the (indicator, area) figures of the report's period the public version holds back */
    struct hidden_fig {
        char ind[PROTO_MAX_CODE + 1], area[PROTO_MAX_AREA + 1];
    } *hidden;
    size_t nhidden, hidden_cap;
    /* every alert, in any state */
    proto_alerts_reply alerts;
    /* the completeness grid */
    org_row *orgs;
    size_t norgs, orgs_cap;
    int grid_first, grid_last; /* the grid's months; grid_last < grid_first: none */
} report_t;

/* Free what r holds (r was zeroed before it was filled). */
void report_free(report_t *r);

/* Take the catalogue's areas and indicators into r, and find the report's area: the one
 * named area_code, or else the first without a parent. 0, or an exit status with err
 * saying why (an unknown area, a catalogue without areas or one this leamon cannot ask
 * about, out of memory). */
int report_read_catalog(report_t *r, const proto_catalog_reply *cat, const char *area_code,
                        lm_error *err);

/* Lookups in the catalogue (NULL when not there), and whether an area is
 * the report's area or below it. */
const proto_indicator *report_find_ind(const report_t *r, const char *code);
const proto_metric_info *report_find_metric(const report_t *r, const char *code);
const proto_area_info *report_find_area(const report_t *r, const char *code);
bool report_in_area(const report_t *r, const char *code);

/* Note that the figure of ind in area is held back in the public version, so that nothing
 * else (an alert's side of its threshold) gives it away. 0, or -1 when out of memory. */
int report_hide(report_t *r, const char *ind, const char *area);
bool report_hidden(const report_t *r, const char *ind, const char *area);

/* The daemon's reason for a missing value in Dutch (nl_reason), with the catalogue's
 * label for every metric it names: no codes in the council's text. */
void report_reason(const report_t *r, char *buf, size_t n, const char *reason);

/* The grid's months: those of the series that have begun by r->now, at most
 * the last GRID_MONTHS of them. */
void report_grid_months(report_t *r);
/* Count the completeness of one month of the grid into the organisations' rows. 0, or -1
 * when out of memory. */
int report_grid_add(report_t *r, int month, const proto_completeness_reply *c);
/* The rows in the report's order: by partner kind, then name and id. */
void report_grid_sort(report_t *r);
const org_row *report_find_org(const report_t *r, const char *id);

/* The levels of the alert rules on ind (at most max), from the alerts raised so far. */
size_t report_find_bands(const report_t *r, const proto_indicator *ind, band_src *out,
                         size_t max);

/* A sum of counts: its value is a number of children or pupils. */
bool ind_is_count(const proto_indicator *ind);
bool ind_is_ratio(const proto_indicator *ind);

/* One indicator's figures as the daemon sent them: the series month by month, and the
 * snapshot by area of the report's period (the report's area with its target, and the
 * child areas); the indicator as the catalogue has it, with the snapshot's ideal; and the
 * levels of the alert rules on it. */
typedef struct {
    proto_indicator ind;
    proto_series_reply series;
    proto_snapshot_reply snap;
    band_src bands[MODEL_MAX_BANDS];
    size_t nbands;
} ind_figures;

/* Read a series reply and a snapshot-by-area reply of ind into f with proto's readers. 0,
 * or -1 with e set (a malformed reply; f is then empty). */
int ind_figures_read(ind_figures *f, const report_t *r, const proto_indicator *ind,
                     const msgpack_object *series, const msgpack_object *snap, lm_error *e);
void ind_figures_free(ind_figures *f);

#endif
