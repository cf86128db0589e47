/* svg.h: the report's two inline SVG charts: a line chart of a series
 * against its target path, and a horizontal bar chart of the wijken. Pure:
 * nothing here talks to the daemon or reads a reply, so the charts can be
 * fed by hand.
 *
 * Everything written is plain inline SVG inside HTML: no xmlns, no ids, no
 * url(...) references, no external fonts or images.
 */
#ifndef LEAMON_REPORT_SVG_H
#define LEAMON_REPORT_SVG_H

#include <stdbool.h>
#include <stddef.h>

#include "report/html.h"

/* One month of a line chart. */
typedef struct {
    const char *period; /* "2026-10": the point's month */
    int year, month;    /* for the axis label */
    bool has_value;     /* a value is drawn */
    bool suppressed;    /* no value drawn because it is not published */
    bool not_final;     /* not final yet: its month has not ended, or is provisional */
    bool implausible;   /* a check of the catalogue says the value cannot be true */
    const char *mark;   /* why, for its tooltip ("voorlopig: 2 van 17 partners"), or NULL */
    double value;       /* as shown (published: rounded) */
    const char *raw;    /* its data-value text */
    const char *text;   /* as written for people: the circle's tooltip */
    bool has_path;
    double path; /* the target's path at this month */
} chart_point;

typedef enum {
    BAND_BELOW,      /* below level is the alert zone (rule kind below) */
    BAND_ABOVE,      /* above level (rule kind above) */
    BAND_UNDER_PATH, /* more than level under the path (off_track, higher is better) */
    BAND_OVER_PATH   /* more than level over the path (off_track, lower is better) */
} band_kind;

typedef struct {
    band_kind kind;
    double level;      /* the threshold, or the tolerance for the path bands */
    const char *label; /* "signaalgrens wijk: < 70%" */
} chart_band;

#define CHART_MAX_BANDS 4

typedef struct {
    const char *indicator, *area; /* for the points' data attributes */
    const char *unit;             /* the indicator's unit, for the axis */
    int pct_decimals;             /* as nl_value */
    const char *title;            /* for screen readers */
    const char *path_label;       /* the path's legend: "pad naar het doel", "norm" */
    const chart_point *pts;
    size_t n;
    chart_band bands[CHART_MAX_BANDS];
    size_t nbands;
} line_chart;

/* A line chart: months along the bottom, the values as a line (a gap where
 * there is none, an open circle where it is not final yet, a red ring where
 * it cannot be true), the target path
 * dashed, alert bands shaded with their level dotted, and a legend. */
void svg_line_chart(rbuf *b, const line_chart *c);

typedef struct {
    const char *area, *name; /* the bar's area */
    bool has_value, suppressed, not_final; /* not_final: drawn lighter */
    bool implausible;    /* cannot be true: drawn hatched-red, said in the label */
    double value;        /* as shown (published: rounded) */
    const char *raw;     /* data-value */
    const char *text;    /* the label: "79,2%", "<10", "geen cijfers" */
    const char *missing; /* data-missing: why there is no value */
} bar_item;

typedef struct {
    double value;
    const char *label; /* "pad 83,1%" */
    bool dotted;       /* an alert level (dotted) rather than the path (dashed) */
    bool total_only;   /* the area's own (its path): across its row only, unlabelled (its
                        * row's text names it) */
} bar_mark;

#define CHART_MAX_MARKS 3

typedef struct {
    const char *indicator, *period, *unit;
    const char *title;
    const bar_item *items; /* the wijken */
    size_t n;
    const bar_item *total; /* the area itself, under a rule; or NULL */
    bar_mark marks[CHART_MAX_MARKS];
    size_t nmarks;
} bar_chart;

/* A horizontal bar chart: one bar per item, labelled with its value, "geen
 * cijfers" where there is none, marks drawn across as vertical lines. */
void svg_bar_chart(rbuf *b, const bar_chart *c);

#endif
