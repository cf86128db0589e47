/* report_svg.h: the writing half of `leamon report`: a growing text buffer,
 * HTML escaping, Dutch numbers and periods, and the two inline SVG charts (a
 * line chart of a series against its target path, a horizontal bar chart of
 * the wijken). Pure: nothing here talks to the daemon or reads a reply, so
 * the charts can be fed by hand.
 *
 * Everything written is plain inline SVG inside HTML: no xmlns, no ids, no
 * url(...) references, no external fonts or images.
 */
#ifndef LEAMON_REPORT_SVG_H
#define LEAMON_REPORT_SVG_H

#include <stdbool.h>
#include <stddef.h>

/* ---- a growing buffer ------------------------------------------------- */

/* Appending never stops on its own: a failed allocation sets failed and
 * every later append is dropped, so the writer checks once at the end. */
typedef struct {
    char *buf;
    size_t len, cap;
    bool failed;
} rbuf;

void rb_init(rbuf *b);
void rb_free(rbuf *b);
void rb_add(rbuf *b, const char *s);
void rb_addn(rbuf *b, const char *s, size_t n);
void rb_addf(rbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* s as HTML text or attribute value: & < > " ' become entities. */
void rb_esc(rbuf *b, const char *s);

/* ---- Dutch text --------------------------------------------------------- */

/* Room for any text the nl_* functions write. */
#define NL_TEXT_MAX 80

/* v with a decimal comma and a '.' between thousands: 1.250 / 79,2 / -0,5.
 * decimals < 0: whole numbers without decimals, others with at most two. */
void nl_number(char *buf, size_t n, double v, int decimals);

/* A value in its unit, Dutch: percent "79,2%", hours "15,5 uur", count "42"
 * (a fraction keeps one decimal), others "1.234,5 euro". pct_decimals is the
 * number of decimals of a percentage or a ratio in a count unit (1, or 0 for
 * the published version). Not finite: an en dash. */
void nl_value(char *buf, size_t n, double v, const char *unit, int pct_decimals);

/* "januari".."december" and "jan".."dec" for month 1..12 ("?" otherwise). */
const char *nl_month(int month);
const char *nl_month_short(int month);

/* A period in words: "oktober 2026", "4e kwartaal 2026", "2026",
 * "schooljaar 2025/26"; the text itself when it is not a period. */
void nl_period(char *buf, size_t n, const char *period_text);


/* ---- charts ------------------------------------------------------------ */

/* Which number of the daemon's an element shows: written as data-indicator,
 * data-area, data-period, data-field and data-value (or data-suppressed /
 * data-missing), so a program can check the report against the daemon. */
typedef struct {
    const char *indicator, *area, *period, *field;
} data_ref;

/* The data-* attributes of ref (with a leading space): data-value="raw"
 * when raw is given, else data-suppressed="suppressed" when that is given,
 * else data-missing="missing" (escaped; "" when not given). */
void rb_data_attrs(rbuf *b, const data_ref *ref, const char *raw, const char *suppressed,
                   const char *missing);

typedef struct {
    const char *period; /* "2026-10": the point's month */
    int year, month;    /* for the axis label */
    bool has_value;     /* a value is drawn */
    bool suppressed;    /* no value drawn because it is not published */
    bool incomplete;    /* fewer organisations reported than expected */
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
    const chart_point *pts;
    size_t n;
    chart_band bands[CHART_MAX_BANDS];
    size_t nbands;
} line_chart;

/* A line chart: months along the bottom, the values as a line (a gap where
 * there is none, an open circle where it is incomplete), the target path
 * dashed, alert bands shaded with their level dotted, and a legend. */
void svg_line_chart(rbuf *b, const line_chart *c);

typedef struct {
    const char *area, *name; /* the bar's area */
    bool has_value, suppressed, incomplete;
    double value;        /* as shown (published: rounded) */
    const char *raw;     /* data-value */
    const char *text;    /* the label: "79,2%", "<10", "geen cijfers" */
    const char *missing; /* data-missing: why there is no value */
} bar_item;

typedef struct {
    double value;
    const char *label; /* "pad 83,1%" */
    bool dotted;       /* an alert level (dotted) rather than the path (dashed) */
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
