/* svg.c: the report's two inline SVG charts (see svg.h). */
#include "report/svg.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/html.h"
#include "report/text.h"

/* ---- chart helpers ----------------------------------------------------- */

/* <line class="cls" .../> */
static void svg_line(rbuf *b, const char *cls, double x1, double y1, double x2, double y2)
{
    rb_addf(b, "<line class=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", cls, x1, y1,
            x2, y2);
}

/* The start of <text class="cls" ...>: its content and </text> follow. */
static void svg_text(rbuf *b, const char *cls, double x, double y, const char *anchor)
{
    rb_addf(b, "<text class=\"%s\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">", cls, x, y, anchor);
}

/* Characters of UTF-8 text (continuation bytes not counted). */
static size_t chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Approximate width of text at font size fs, in SVG units. */
static double text_width(const char *s, double fs)
{
    return (double)chars(s) * fs * 0.56;
}

/* s cut to at most max characters, the last one an ellipsis when cut. */
static void shorten(char *dst, size_t n, const char *s, size_t max)
{
    size_t count = 0, cut = 0;
    for (size_t i = 0; s[i]; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            if (count + 1 == max)
                cut = i;
            count++;
        }
    if (count <= max || max < 2) {
        snprintf(dst, n, "%s", s);
        return;
    }
    while (cut > 0 && cut + 4 > n) { /* keep room for the ellipsis and the NUL */
        do
            cut--;
        while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80);
    }
    if (cut + 4 > n) {
        snprintf(dst, n, "%s", "");
        return;
    }
    memcpy(dst, s, cut);
    memcpy(dst + cut, "\xe2\x80\xa6", 4);
}

/* A step of 1, 2, 2.5 or 5 times a power of ten giving about want steps. */
static double nice_step(double range, int want)
{
    if (!(range > 0))
        return 1;
    double raw = range / want, mag = pow(10, floor(log10(raw))), f = raw / mag;
    double nf = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
    return nf * mag;
}

/* Decimals needed to write multiples of step. */
static int step_decimals(double step)
{
    for (int d = 0; d < 4; d++) {
        double s = step * pow(10, d);
        if (fabs(s - round(s)) < 1e-9)
            return d;
    }
    return 4;
}

/* An axis label: "80%", "15 uur" is just "15" (the unit is in the title). */
static void axis_label(char *buf, size_t n, double v, const char *unit, int decimals)
{
    char num[48];
    nl_number(num, sizeof num, v, decimals);
    snprintf(buf, n, "%s%s", num, unit && !strcmp(unit, "percent") ? "%" : "");
}

typedef struct {
    double lo, hi, step;
    int decimals;
} axis_t;

/* The smallest span an axis shows, so that noise of a point or two does not look like a
 * trend: 20 points of a percentage, 5 of a count, 2 of anything else. */
static double min_span(const char *unit)
{
    return !unit ? 2 : !strcmp(unit, "percent") ? 20 : !strcmp(unit, "count") ? 5 : 2;
}

/* An axis over [lo, hi] (of the data) with nice ends. It starts at 0 whenever the data are
 * not negative: a chart of 32.5 to 34.5 % makes a point look like a fall. Counts have whole
 * steps; a percentage ends at 100 when the data do. */
static void make_axis(axis_t *a, double lo, double hi, const char *unit)
{
    bool pct = unit && !strcmp(unit, "percent"), count = unit && !strcmp(unit, "count");
    if (lo >= 0)
        lo = 0;
    if (hi < lo + min_span(unit))
        hi = lo + min_span(unit);
    double top = hi;
    hi += (hi - lo) * 0.06;
    a->step = nice_step(hi - lo, 4);
    if (count && a->step < 1)
        a->step = 1;
    a->lo = floor(lo / a->step + 1e-9) * a->step;
    a->hi = ceil(hi / a->step - 1e-9) * a->step;
    if (pct && a->hi > 100 && top <= 100)
        a->hi = 100;
    a->decimals = step_decimals(a->step);
}

/* ---- line chart ---------------------------------------------------------- */

#define LC_W 360.0
#define LC_H 202.0
#define LC_L 44.0
#define LC_R 352.0
#define LC_T 12.0
#define LC_B 144.0

static double lc_x(const line_chart *c, size_t i)
{
    return LC_L + (LC_R - LC_L) * ((double)i + 0.5) / (double)c->n;
}

static double lc_y(const axis_t *a, double v)
{
    double t = (v - a->lo) / (a->hi - a->lo);
    if (t < 0)
        t = 0;
    if (t > 1)
        t = 1;
    return LC_B - (LC_B - LC_T) * t;
}

/* The lowest and highest number the chart must show. */
static bool lc_range(const line_chart *c, double *lo, double *hi)
{
    bool any = false;
#define TAKE(v)                                                                                    \
    do {                                                                                           \
        double v_ = (v);                                                                           \
        if (isfinite(v_)) {                                                                        \
            *lo = any && *lo < v_ ? *lo : v_;                                                      \
            *hi = any && *hi > v_ ? *hi : v_;                                                      \
            any = true;                                                                            \
        }                                                                                          \
    } while (0)
    for (size_t i = 0; i < c->n; i++) {
        if (c->pts[i].has_value)
            TAKE(c->pts[i].value);
        if (c->pts[i].has_path)
            TAKE(c->pts[i].path);
    }
    bool data = any;
    for (size_t k = 0; data && k < c->nbands; k++) {
        const chart_band *bd = &c->bands[k];
        if (bd->kind == BAND_BELOW || bd->kind == BAND_ABOVE) {
            TAKE(bd->level);
            continue;
        }
        for (size_t i = 0; i < c->n; i++)
            if (c->pts[i].has_path)
                TAKE(c->pts[i].path + (bd->kind == BAND_OVER_PATH ? bd->level : -bd->level));
    }
#undef TAKE
    return data;
}

static void lc_bands(rbuf *b, const line_chart *c, const axis_t *a)
{
    for (size_t k = 0; k < c->nbands; k++) {
        const chart_band *bd = &c->bands[k];
        if (bd->kind == BAND_BELOW || bd->kind == BAND_ABOVE) {
            double y = lc_y(a, bd->level);
            double top = bd->kind == BAND_BELOW ? y : LC_T, bot = bd->kind == BAND_BELOW ? LC_B : y;
            if (bot - top > 0.1)
                rb_addf(
                    b,
                    "<rect class=\"band\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>",
                    LC_L, top, LC_R - LC_L, bot - top);
            svg_line(b, "level", LC_L, y, LC_R, y);
            double ty = bd->kind == BAND_BELOW ? y + 9 : y - 3;
            if (ty > LC_B - 2)
                ty = y - 3;
            if (ty < LC_T + 8)
                ty = y + 9;
            svg_text(b, "lvl", LC_R - 3, ty, "end");
            rb_esc(b, bd->label ? bd->label : "");
            rb_add(b, "</text>");
            continue;
        }
        /* The zone where the rule fires: beyond the path by more than the tolerance, on
         * the wrong side (under it when higher is better), to the edge of the chart. The
         * tolerance between the path and that line is not shaded: there it does not fire.
         * One polygon per run of months with a path, half a month beyond both ends. */
        double sign = bd->kind == BAND_OVER_PATH ? 1 : -1, edge = sign > 0 ? LC_T : LC_B;
        double half = (LC_R - LC_L) / (double)c->n / 2;
        size_t i = 0;
        bool labelled = false;
        while (i < c->n) {
            if (!c->pts[i].has_path) {
                i++;
                continue;
            }
            size_t j = i;
            while (j < c->n && c->pts[j].has_path)
                j++;
            double x0 = lc_x(c, i) - half, x1 = lc_x(c, j - 1) + half;
            double y0 = lc_y(a, c->pts[i].path + sign * bd->level),
                   y1 = lc_y(a, c->pts[j - 1].path + sign * bd->level);
            rb_addf(b, "<polygon class=\"band\" points=\"%.1f,%.1f", x0, y0);
            for (size_t k2 = i; k2 < j; k2++)
                rb_addf(b, " %.1f,%.1f", lc_x(c, k2), lc_y(a, c->pts[k2].path + sign * bd->level));
            rb_addf(b, " %.1f,%.1f %.1f,%.1f %.1f,%.1f\"/>", x1, y1, x1, edge, x0, edge);
            rb_addf(b, "<polyline class=\"level\" points=\"%.1f,%.1f", x0, y0);
            for (size_t k2 = i; k2 < j; k2++)
                rb_addf(b, " %.1f,%.1f", lc_x(c, k2), lc_y(a, c->pts[k2].path + sign * bd->level));
            rb_addf(b, " %.1f,%.1f\"/>", x1, y1);
            if (!labelled) {
                /* inside the zone, at its far edge: clear of the path and the values */
                double ty = sign < 0 ? LC_B - 4 : LC_T + 9;
                svg_text(b, "lvl", LC_R - 3, ty, "end");
                rb_esc(b, bd->label ? bd->label : "");
                rb_add(b, "</text>");
                labelled = true;
            }
            i = j;
        }
    }
}

static void lc_axes(rbuf *b, const line_chart *c, const axis_t *a)
{
    char lab[64];
    for (int k = 0;; k++) {
        double v = a->lo + a->step * k;
        if (v > a->hi + a->step * 1e-6 || k > 50)
            break;
        double y = lc_y(a, v);
        svg_line(b, "grid", LC_L, y, LC_R, y);
        axis_label(lab, sizeof lab, v, c->unit, a->decimals);
        svg_text(b, "ax", LC_L - 4, y + 3, "end");
        rb_esc(b, lab);
        rb_add(b, "</text>");
    }
    svg_line(b, "axis", LC_L, LC_B, LC_R, LC_B);
    /* every month up to a year; beyond, calendar months a fixed step apart
     * (jan, mrt, mei, ... or jan, apr, jul, okt), the year under january */
    int every = c->n <= 12 ? 1 : c->n <= 24 ? 2 : c->n <= 36 ? 3 : c->n <= 72 ? 6 : 12;
    bool year_shown = false;
    for (size_t i = 0; i < c->n; i++) {
        const chart_point *p = &c->pts[i];
        double x = lc_x(c, i);
        svg_line(b, "axis", x, LC_B, x,
                 LC_B + (every == 1 || (p->month - 1) % every == 0 ? 3 : 1.5));
        if (every > 1 && (p->month - 1) % every != 0)
            continue;
        rb_addf(b, "<text class=\"ax\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>", x,
                LC_B + 13, nl_month_short(p->month));
        if (!year_shown || p->month == 1)
            rb_addf(b,
                    "<text class=\"ax yr\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%d</text>",
                    x, LC_B + 23, p->year);
        year_shown = true;
    }
}

/* A legend entry: a sample drawn by kind (0 the value line, 1 the dashed path,
 * 2 an open circle, 3 the band, 4 none), then the text. */
typedef struct {
    int kind;
    const char *text;
} legend_entry;

#define LG_X 6.0 /* where a legend row starts */

static double legend_width(const legend_entry *e)
{
    return (e->kind == 4 ? 0 : 20) + text_width(e->text, 8.5) + 10;
}

static void lc_legend(rbuf *b, double *x, double y, const legend_entry *e)
{
    switch (e->kind) {
    case 0:
        rb_addf(b,
                "<line class=\"val\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
                "<circle class=\"pt\" cx=\"%.1f\" cy=\"%.1f\" r=\"2.6\"/>",
                *x, y, *x + 16, y, *x + 8, y);
        break;
    case 1:
        svg_line(b, "path", *x, y, *x + 16, y);
        break;
    case 2:
        rb_addf(b, "<circle class=\"pt open\" cx=\"%.1f\" cy=\"%.1f\" r=\"2.6\"/>", *x + 8, y);
        break;
    case 5:
        rb_addf(b, "<circle class=\"pt bad\" cx=\"%.1f\" cy=\"%.1f\" r=\"2.6\"/>", *x + 8, y);
        break;
    case 3:
        rb_addf(b,
                "<rect class=\"band\" x=\"%.1f\" y=\"%.1f\" width=\"16\" height=\"7\"/>"
                "<line class=\"level\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
                *x, y - 3.5, *x, y - 3.5, *x + 16, y - 3.5);
        break;
    default:
        break;
    }
    rb_addf(b, "<text class=\"lg\" x=\"%.1f\" y=\"%.1f\">", *x + (e->kind == 4 ? 0 : 20), y + 3);
    rb_esc(b, e->text);
    rb_add(b, "</text>");
    *x += legend_width(e);
}

void svg_line_chart(rbuf *b, const line_chart *c)
{
    /* the legend first: one row, or two when it does not fit */
    bool any_path = false, any_open = false, any_suppressed = false, any_bad = false;
    for (size_t i = 0; i < c->n; i++) {
        any_path |= c->pts[i].has_path;
        any_open |= c->pts[i].has_value && c->pts[i].not_final;
        any_suppressed |= !c->pts[i].has_value && c->pts[i].suppressed;
        any_bad |= c->pts[i].has_value && c->pts[i].implausible;
    }
    legend_entry lg[6];
    size_t nlg = 0;
    lg[nlg++] = (legend_entry){0, "waarde"};
    if (any_path)
        lg[nlg++] = (legend_entry){1, c->path_label ? c->path_label : "pad naar het doel"};
    if (any_open)
        lg[nlg++] = (legend_entry){2, "voorlopig"};
    if (c->nbands)
        lg[nlg++] = (legend_entry){3, "signaalzone: daar gaat het signaal af"};
    if (any_bad)
        lg[nlg++] = (legend_entry){5, "kan niet kloppen"};
    if (any_suppressed)
        lg[nlg++] = (legend_entry){4, "<n: klein aantal, niet gepubliceerd"};
    double width = LG_X;
    for (size_t k = 0; k < nlg; k++)
        width += legend_width(&lg[k]);
    int rows = width > LC_W - 2 ? 2 : 1;
    double h = LC_H + (rows - 1) * 11.0;
    rb_addf(b, "<svg class=\"chart line\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"",
            LC_W, h);
    rb_esc(b, c->title ? c->title : "");
    rb_add(b, "\">");
    double lo = 0, hi = 0;
    bool data = c->n > 0 && lc_range(c, &lo, &hi);
    axis_t a;
    if (!data) {
        lo = 0;
        hi = c->unit && !strcmp(c->unit, "percent") ? 100 : 10;
    }
    make_axis(&a, lo, hi, c->unit);
    if (c->n == 0) {
        rb_addf(b,
                "<text class=\"empty\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">geen "
                "maanden</text></svg>",
                (LC_L + LC_R) / 2, (LC_T + LC_B) / 2);
        return;
    }
    lc_axes(b, c, &a);
    if (data)
        lc_bands(b, c, &a);

    /* the target path, dashed, in runs */
    for (size_t i = 0; i < c->n;) {
        if (!c->pts[i].has_path) {
            i++;
            continue;
        }
        size_t j = i;
        rb_add(b, "<polyline class=\"path\" points=\"");
        for (; j < c->n && c->pts[j].has_path; j++)
            rb_addf(b, "%s%.1f,%.1f", j > i ? " " : "", lc_x(c, j), lc_y(&a, c->pts[j].path));
        if (j == i + 1) /* one month: a short dash across its slot */
            rb_addf(b, " %.1f,%.1f", lc_x(c, i) + 6, lc_y(&a, c->pts[i].path));
        rb_add(b, "\"/>");
        i = j;
    }
    /* the values, a gap where there is none */
    for (size_t i = 0; i < c->n;) {
        if (!c->pts[i].has_value) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < c->n && c->pts[j].has_value)
            j++;
        if (j - i > 1) {
            rb_add(b, "<polyline class=\"val\" points=\"");
            for (size_t k = i; k < j; k++)
                rb_addf(b, "%s%.1f,%.1f", k > i ? " " : "", lc_x(c, k), lc_y(&a, c->pts[k].value));
            rb_add(b, "\"/>");
        }
        i = j;
    }
    for (size_t i = 0; i < c->n; i++) {
        const chart_point *p = &c->pts[i];
        data_ref ref = {c->indicator, c->area, p->period, "value"};
        char tip[200];
        bool mark = p->not_final && p->mark && p->mark[0];
        snprintf(tip, sizeof tip, "%s %d: %s%s%s%s%s", nl_month_short(p->month), p->year,
                 p->text ? p->text : "", mark ? " (" : "", mark ? p->mark : "", mark ? ")" : "",
                 p->implausible ? " (kan niet kloppen)" : "");
        if (p->has_value) {
            rb_addf(b, "<circle class=\"pt%s%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\"",
                    p->not_final ? " open" : "", p->implausible ? " bad" : "", lc_x(c, i),
                    lc_y(&a, p->value));
            rb_data_attrs(b, &ref, p->raw ? p->raw : "", NULL, NULL);
            rb_add(b, "><title>");
            rb_esc(b, tip);
            rb_add(b, "</title></circle>");
        } else if (p->suppressed) {
            rb_addf(b, "<text class=\"sup\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\"",
                    lc_x(c, i), LC_B - 4);
            rb_data_attrs(b, &ref, NULL, p->text ? p->text : "", NULL);
            rb_add(b, ">");
            rb_esc(b, p->text ? p->text : "");
            rb_add(b, "</text>");
        }
    }
    if (!data)
        rb_addf(b,
                "<text class=\"empty\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">geen "
                "cijfers in deze periode</text>",
                (LC_L + LC_R) / 2, (LC_T + LC_B) / 2);

    /* legend */
    double x = LG_X, y = h - 8 - (rows - 1) * 11.0;
    for (size_t k = 0; k < nlg; k++) {
        if (x > LG_X && x + legend_width(&lg[k]) > LC_W - 2) {
            x = LG_X;
            y += 11;
        }
        lc_legend(b, &x, y, &lg[k]);
    }
    rb_add(b, "</svg>");
}

/* ---- bar chart ------------------------------------------------------------ */

#define BC_W 360.0
#define BC_NAME 112.0 /* names end here */
#define BC_X0 116.0
#define BC_X1 300.0
#define BC_ROW 16.0
#define BC_TOP 26.0

static void bc_row(rbuf *b, const bar_chart *c, const bar_item *it, double y, double max,
                   bool total)
{
    char name[96];
    shorten(name, sizeof name, it->name && it->name[0] ? it->name : it->area, 22);
    rb_addf(b, "<text class=\"nm%s\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">",
            total ? " tot" : "", BC_NAME, y + BC_ROW / 2 + 3);
    rb_esc(b, name);
    rb_add(b, "</text>");
    data_ref ref = {c->indicator, it->area, c->period, "value"};
    double lx = BC_X0 + 3;
    if (it->has_value) {
        double v = it->value < 0 ? 0 : it->value;
        double w = max > 0 ? (BC_X1 - BC_X0) * v / max : 0;
        if (w > BC_X1 - BC_X0)
            w = BC_X1 - BC_X0;
        rb_addf(b, "<rect class=\"bar%s%s%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>",
                it->not_final ? " inc" : "", total ? " tot" : "", it->implausible ? " bad" : "",
                BC_X0, y + 3, w, BC_ROW - 6);
        lx = BC_X0 + w + 3;
    }
    rb_addf(b, "<text class=\"%s\" x=\"%.1f\" y=\"%.1f\"",
            it->has_value ? (total ? "bv tot" : "bv") : "none", lx, y + BC_ROW / 2 + 3);
    if (it->has_value)
        rb_data_attrs(b, &ref, it->raw ? it->raw : "", NULL, NULL);
    else
        rb_data_attrs(b, &ref, NULL, it->suppressed ? (it->text ? it->text : "") : NULL,
                      it->missing ? it->missing : "");
    rb_add(b, ">");
    rb_esc(b, it->text ? it->text : "");
    rb_add(b, "</text>");
}

void svg_bar_chart(rbuf *b, const bar_chart *c)
{
    size_t rows = c->n + (c->total ? 1 : 0);
    double gap = c->total ? 6 : 0;
    double bottom = BC_TOP + (double)rows * BC_ROW + gap;
    double h = bottom + 16;
    double max = 0;
    for (size_t i = 0; i < c->n; i++)
        if (c->items[i].has_value && c->items[i].value > max)
            max = c->items[i].value;
    if (c->total && c->total->has_value && c->total->value > max)
        max = c->total->value;
    for (size_t k = 0; k < c->nmarks; k++)
        if (c->marks[k].value > max)
            max = c->marks[k].value;
    axis_t a;
    make_axis(&a, 0, max > 0 ? max : 1, c->unit);
    if (c->unit && !strcmp(c->unit, "percent") && max <= 100)
        a.hi = 100, a.step = 25, a.decimals = 0;
    max = a.hi;

    rb_addf(b, "<svg class=\"chart bars\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"",
            BC_W, h);
    rb_esc(b, c->title ? c->title : "");
    rb_add(b, "\">");
    /* scale: gridlines and labels at the bottom */
    char lab[64];
    for (int k = 0;; k++) {
        double v = a.lo + a.step * k;
        if (v > a.hi + a.step * 1e-6 || k > 50)
            break;
        double x = BC_X0 + (BC_X1 - BC_X0) * v / max;
        svg_line(b, "grid", x, BC_TOP - 2, x, bottom);
        axis_label(lab, sizeof lab, v, c->unit, a.decimals);
        svg_text(b, "ax", x, bottom + 11, "middle");
        rb_esc(b, lab);
        rb_add(b, "</text>");
    }
    /* marks first, so that the bars and their labels lie over them: a level of the
     * wijken across the wijken's rows only, with its label at the top; the area's own
     * (its path) across its own row only */
    double total_y = BC_TOP + (double)c->n * BC_ROW + gap;
    double last_x[2] = {-1000, -1000};
    for (size_t k = 0; k < c->nmarks; k++) {
        const bar_mark *m = &c->marks[k];
        double x = BC_X0 + (BC_X1 - BC_X0) * (m->value < 0 ? 0 : m->value) / max;
        if (m->total_only)
            continue; /* after the area's bar, below */
        svg_line(b, m->dotted ? "level" : "path", x, BC_TOP - 4,
                 x, BC_TOP + (double)c->n * BC_ROW);
        double w = text_width(m->label ? m->label : "", 8.5);
        int line = fabs(x - last_x[0]) > w + 6 ? 0 : 1;
        last_x[line] = x;
        double tx = x;
        if (tx + w / 2 > BC_W - 2)
            tx = BC_W - 2 - w / 2;
        svg_text(b, "lg", tx, line ? 19.0 : 9.0, "middle");
        rb_esc(b, m->label ? m->label : "");
        rb_add(b, "</text>");
    }
    for (size_t i = 0; i < c->n; i++)
        bc_row(b, c, &c->items[i], BC_TOP + (double)i * BC_ROW, max, false);
    if (c->total) {
        svg_line(b, "axis", 4.0, total_y - gap / 2, BC_W - 4, total_y - gap / 2);
        bc_row(b, c, c->total, total_y, max, true);
        /* the area's own marks: a small triangle under its bar, clear of the label */
        for (size_t k = 0; k < c->nmarks; k++) {
            const bar_mark *m = &c->marks[k];
            if (!m->total_only)
                continue;
            double x = BC_X0 + (BC_X1 - BC_X0) * (m->value < 0 ? 0 : m->value) / max,
                   y = total_y + BC_ROW - 3;
            rb_addf(b, "<polygon class=\"pm%s\" points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\"/>",
                    m->dotted ? " lv" : "", x, y - 1, x - 3, y + 4, x + 3, y + 4);
        }
    }
    rb_add(b, "</svg>");
}
