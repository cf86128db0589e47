/* model.h: what `leamon report` is made of: what was asked for, the
 * catalogue's areas and indicators, an indicator's figures and target, the
 * levels of the alert rules, the completeness grid, and how each is read
 * from the daemon's replies. Nothing here talks to the daemon (fetch.h
 * does) or writes the page; like the query printers it trusts nothing in a
 * reply: a missing or mistyped field reads as absent, strings are cleaned. */
#ifndef LEAMON_REPORT_MODEL_H
#define LEAMON_REPORT_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <msgpack.h>

#include "period.h"
#include "proto.h"
#include "rpc.h"

#define GRID_MONTHS 12    /* the completeness grid shows at most this many months */
#define MODEL_MAX_BANDS 4 /* alert rule levels kept for one indicator */

typedef struct {
    char code[PROTO_MAX_AREA + 1], name[200], level[16], parent[PROTO_MAX_AREA + 1];
} area_t;

typedef struct {
    char code[PROTO_MAX_CODE + 1], label[256], unit[32], type[16], better[16];
    bool has_ideal;
    double ideal;
} ind_t;

/* A snapshot map or a series point. */
typedef struct {
    char area[PROTO_MAX_AREA + 1], name[200], period[PERIOD_TEXT_MAX + 1], reason[300];
    bool has_value, has_num, has_den, has_counts, has_path;
    double value, num, den, path;
    int64_t expected, reported;
} fig_t;

typedef struct {
    bool set, has_goal, has_baseline, has_path;
    double goal, baseline, path;
    char goal_period[32], baseline_period[32], source[1024];
} target_t;

/* An alert rule's level, found for an indicator. */
typedef struct {
    char rule[PROTO_MAX_CODE + 1], kind[16], severity[16], where[48];
    double threshold;
    char label[256]; /* nl_band_label */
} band_src;

/* One organisation's row of the completeness grid. */
typedef struct {
    char id[PROTO_MAX_CODE + 1], name[200], kind[32];
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
    /* the catalogue, and the report's area in it */
    area_t *areas;
    size_t nareas;
    const area_t *top;
    ind_t *inds;
    size_t ninds;
    /* replies read as they are: the catalogue (its rules) and the alerts */
    rpc_reply catalog, alerts;
    bool have_catalog, have_alerts;
    /* the completeness grid */
    org_row *orgs;
    size_t norgs, orgs_cap;
    int grid_first, grid_last; /* the grid's months; grid_last < grid_first: none */
} report_t;

/* Free what r holds (r was zeroed before it was filled). */
void report_free(report_t *r);

/* Read r->catalog's areas and indicators, and find the report's area: the
 * one named area_code, or else the first without a parent. 0, or an exit
 * status with err saying why (an unknown area, a catalogue without areas
 * or one this leamon cannot ask about, out of memory). */
int report_read_catalog(report_t *r, const char *area_code, char *err, size_t errlen);

/* Lookups in the catalogue (NULL when not there), and whether an area is
 * the report's area or below it. */
const ind_t *report_find_ind(const report_t *r, const char *code);
const area_t *report_find_area(const report_t *r, const char *code);
bool report_in_area(const report_t *r, const char *code);

/* The grid's months: those of the series that have begun by r->now, at most
 * the last GRID_MONTHS of them. */
void report_grid_months(report_t *r);
/* Count a completeness reply of one month of the grid into the
 * organisations' rows. 0, or -1 when out of memory. */
int report_grid_add(report_t *r, int month, const msgpack_object *reply);
/* The rows in the report's order: by partner kind, then name and id. */
void report_grid_sort(report_t *r);
const org_row *report_find_org(const report_t *r, const char *id);

/* The levels of the alert rules on ind (at most max): from the catalogue's
 * rules when it lists them, else from the alerts raised so far. */
size_t report_find_bands(const report_t *r, const ind_t *ind, band_src *out, size_t max);

/* A snapshot map or series point, and a target map (zeroed when m is not a
 * map). */
void fig_read(const msgpack_object *m, fig_t *f);
void target_read(const msgpack_object *m, target_t *t);
/* Fewer organisations reported than expected. */
bool fig_incomplete(const fig_t *f);

/* A sum of counts: its value is a number of children or pupils. */
bool ind_is_count(const ind_t *ind);
bool ind_is_ratio(const ind_t *ind);
/* indicator_judge for ind: 1 value is as good as mark or better, 0 worse,
 * -1 ind does not say. */
int ind_judge(const ind_t *ind, double value, double mark);
/* The catalogue leaves out an indicator's ideal value; a snapshot reply
 * has it. */
void ind_take_ideal(ind_t *ind, const msgpack_object *snapshot_reply);

/* One indicator's figures: the report's area for the period with its
 * target, the series month by month, the child areas for the period, and
 * the levels of the alert rules on it. */
typedef struct {
    fig_t top;
    target_t tg;
    fig_t *pts; /* the series */
    size_t npts;
    fig_t *kids; /* the child areas */
    size_t nkids;
    band_src bands[MODEL_MAX_BANDS];
    size_t nbands;
} ind_figures;

/* Read a series reply and a snapshot-by-area reply of ind into f (zeroed
 * first). 0, or -1 when out of memory; ind_figures_free either way. */
int ind_figures_read(ind_figures *f, const report_t *r, const ind_t *ind,
                     const msgpack_object *series, const msgpack_object *snap);
void ind_figures_free(ind_figures *f);

#endif
