/* Unit tests of `leamon report`'s page as a whole, fed by hand with the replies a
 * daemon would send (client/report/section.c, alerts.c, grid.c, page.c), and read
 * back: the daemon's verdicts and states shown as they are and never one of the
 * report's own, the signal bands on the side where the alert fires, honest axes,
 * council language without codes, and a public version from which no suppressed
 * figure can be read or derived. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leamon.h"
#include "period.h"
#include "reply_build.h"
#include "proto.h"
#include "report/alerts.h"
#include "report/grid.h"
#include "report/html.h"
#include "report/model.h"
#include "report/page.h"
#include "report/section.h"
#include "report/svg.h"
#include "report/text.h"

#define NKIDS 4
#define NPTS 4
#define NALERTS 3

static proto_figure figure(double value, double num, double den, const char *state)
{
    proto_figure f;
    memset(&f, 0, sizeof f);
    f.has_value = !isnan(value);
    f.value = value;
    f.has_num = !isnan(num);
    f.numerator = num;
    f.has_den = !isnan(den);
    f.denominator = den;
    SET(f.state, state);
    f.plausible = true;
    f.expected = 17;
    f.reported = !strcmp(state, "provisional") ? 2 : 17;
    return f;
}

/* A gemeente with four wijken, VVE-bereik over August to November 2026, the November
 * figure provisional; rules on the gemeente (off the path by 2) and on its wijken (under
 * 70 %). Everything a test may change lives here. */
typedef struct {
    proto_area_info areas[NKIDS + 1];
    proto_indicator ind;
    proto_series_point pts[NPTS];
    proto_area_figure kids[NKIDS];
    proto_alert alerts[NALERTS];
    proto_alert_change hist[NALERTS][2];
    proto_metric_info metrics[2];
    report_t r;
    ind_figures fg;
} fixture;

static proto_area_figure kid(const char *code, const char *name, double num, double den)
{
    proto_area_figure a;
    memset(&a, 0, sizeof a);
    SET(a.area, code);
    SET(a.name, name);
    a.fig = figure(100 * num / den, num, den, "final");
    return a;
}

static void make_alert(fixture *x, size_t i, const char *rule, const char *kind,
                       const char *area_code, const char *state, double value, double th)
{
    proto_alert *a = &x->alerts[i];
    memset(a, 0, sizeof *a);
    a->id = (int64_t)i + 1;
    SET(a->rule, rule);
    SET(a->kind, kind);
    SET(a->severity, "warning");
    SET(a->indicator, "vve_bereik");
    SET(a->area, area_code);
    const proto_area_info *ai = report_find_area(&x->r, area_code);
    SET(a->area_name, ai ? ai->name : area_code);
    SET(a->period, "2026-09");
    SET(a->last_period, "2026-10");
    SET(a->state, state);
    a->has_value = true;
    a->value = value;
    a->threshold = th;
    a->expected = 3;
    a->reported = 3;
    SET(a->acked_by, "j.jansen");
    a->has_acked_at = true;
    a->acked_at = 1793883720;
    SET(a->ack_note, "Gebeld met de locatie");
    memset(x->hist[i], 0, sizeof x->hist[i]);
    SET(x->hist[i][0].to, "firing");
    SET(x->hist[i][0].period, "2026-09");
    x->hist[i][0].at = 1791000000;
    a->n_history = 1;
    a->has_first_fired = true;
    a->first_fired = 1791000000;
    if (!strcmp(state, "resolved")) {
        SET(x->hist[i][1].from, "firing");
        SET(x->hist[i][1].to, "resolved");
        SET(x->hist[i][1].period, "2026-10");
        x->hist[i][1].at = 1793000000;
        a->n_history = 2;
    }
    a->history = x->hist[i];
}

static void setup(fixture *x, bool pub)
{
    memset(x, 0, sizeof *x);
    x->areas[0] = test_area("GM0164", "Hengelo", "gemeente", "");
    x->areas[1] = test_area("WK016401", "Hengelose Es", "wijk", "GM0164");
    x->areas[2] = test_area("WK016402", "Noord", "wijk", "GM0164");
    x->areas[3] = test_area("WK016403", "Hasseler Es", "wijk", "GM0164");
    x->areas[4] = test_area("WK016404", "Groot Driene", "wijk", "GM0164");
    report_t *r = &x->r;
    r->ed = (edition_t){pub, 10};
    assert_int_equal(period_parse("2026-11", &r->p), 0);
    SET(r->period_text, "2026-11");
    r->first_month = test_month_no("2026-08");
    r->last_month = test_month_no("2026-11");
    r->now = 1796403366; /* 4 December 2026 */
    r->areas = x->areas;
    r->nareas = NKIDS + 1;
    r->top = &x->areas[0];
    memset(&x->ind, 0, sizeof x->ind);
    SET(x->ind.code, "vve_bereik");
    SET(x->ind.label, "VVE-bereik");
    SET(x->ind.unit, "percent");
    SET(x->ind.type, "ratio");
    SET(x->ind.better, "higher");
    r->inds = &x->ind;
    r->ninds = 1;
    memset(x->metrics, 0, sizeof x->metrics);
    SET(x->metrics[0].code, "vve.doelgroep.geplaatst");
    SET(x->metrics[0].label, "Doelgroeppeuters geplaatst");
    x->metrics[0].due = 0xfff;
    SET(x->metrics[1].code, "school.zomerschool");
    SET(x->metrics[1].label, "Deelnemers zomerschool");
    x->metrics[1].due = 1u << 6 | 1u << 7;
    r->metrics = x->metrics;
    r->nmetrics = 2;

    /* the series: 77.9, 76.5, 74.4 final and off the path, November provisional */
    static const double num[NPTS] = {120, 117, 116, 120}, den[NPTS] = {154, 153, 156, 153};
    for (int i = 0; i < NPTS; i++) {
        proto_series_point *p = &x->pts[i];
        snprintf(p->period, sizeof p->period, "2026-%02d", 8 + i);
        p->fig = figure(100 * num[i] / den[i], num[i], den[i], i == 3 ? "provisional" : "final");
        p->has_path = true;
        p->path = 82.9 + 0.13 * i;
        SET(p->verdict, i == 3 ? "not_judged" : "off_path");
    }
    ind_figures *f = &x->fg;
    f->ind = x->ind;
    f->series.ind = x->ind;
    SET(f->series.area, "GM0164");
    f->series.points = x->pts;
    f->series.n_points = NPTS;
    f->series.has_target = true;

    /* the wijken in November: Groot Driene under 70 % on a base of 12; Noord a small cell */
    x->kids[0] = kid("WK016401", "Hengelose Es", 40, 50);
    x->kids[1] = kid("WK016402", "Noord", 6, 8);
    x->kids[2] = kid("WK016403", "Hasseler Es", 66, 79);
    x->kids[3] = kid("WK016404", "Groot Driene", 8, 16);
    x->pts[1].fig = figure(NAN, NAN, 153, "final");
    SET(x->pts[1].fig.reason, "no figures for the numerator (vve.doelgroep.geplaatst)");
    proto_snapshot_reply *s = &f->snap;
    s->ind = x->ind;
    SET(s->period, "2026-11");
    SET(s->snapshot.area, "GM0164");
    SET(s->snapshot.name, "Hengelo");
    s->snapshot.fig = x->pts[3].fig;
    s->has_target = true;
    SET(s->target.area, "GM0164");
    SET(s->target.goal_period, "2027");
    s->target.goal = 85;
    SET(s->target.baseline_period, "2022");
    s->target.has_baseline = true;
    s->target.baseline = 77;
    SET(s->target.source, "LEA 2024-2027");
    s->target.with_path = s->target.has_path = true;
    s->target.path = 83.3;
    SET(s->verdict.verdict, "not_judged");
    SET(s->verdict.reason, "provisional: 2 of 17 reporters in for 2026-11, before the deadline");
    SET(s->verdict.period, "2026-11");
    s->by = PROTO_BY_AREA;
    s->areas = x->kids;
    s->n_areas = NKIDS;

    make_alert(x, 0, "vve_bereik_pad", "off_track", "GM0164", "firing", 74.4, 2);
    make_alert(x, 1, "vve_bereik_wijk_laag", "below", "WK016404", "firing", 50, 70);
    make_alert(x, 2, "vve_bereik_wijk_laag", "below", "WK016402", "resolved", 75, 70);
    r->alerts.alerts = x->alerts;
    r->alerts.n_alerts = NALERTS;
    f->nbands = report_find_bands(r, &f->ind, f->bands, MODEL_MAX_BANDS);
}

/* The whole page of the fixture, as leamon report writes it; the caller frees it. */
static char *render(fixture *x)
{
    page_t pg;
    page_init(&pg);
    x->r.provisional = 1;
    assert_int_equal(section_write(&pg.summary, &pg.body, &x->r, &x->fg, 1), 0);
    page_head(&pg, &x->r);
    grid_write(&pg.body, &x->r);
    alerts_write(&pg.body, &x->r);
    page_finish(&pg, &x->r);
    assert_false(page_failed(&pg));
    size_t n = pg.head.len + pg.summary.len + pg.body.len;
    char *all = malloc(n + 1);
    assert_non_null(all);
    memcpy(all, pg.head.buf, pg.head.len);
    memcpy(all + pg.head.len, pg.summary.buf, pg.summary.len);
    memcpy(all + pg.head.len + pg.summary.len, pg.body.buf, pg.body.len);
    all[n] = '\0';
    page_free(&pg);
    free(x->r.hidden);
    x->r.hidden = NULL;
    x->r.nhidden = x->r.hidden_cap = 0;
    return all;
}

/* What a reader sees: the text outside tags, the style sheet left out, entities kept. */
static char *visible(const char *html)
{
    size_t n = strlen(html);
    char *t = malloc(n + 1), *o = t;
    assert_non_null(t);
    bool in_tag = false, in_style = false;
    for (const char *p = html; *p; p++) {
        if (*p == '<') {
            in_tag = true;
            if (!strncmp(p, "<style", 6))
                in_style = true;
            if (!strncmp(p, "</style", 7))
                in_style = false;
            *o++ = ' ';
            continue;
        }
        if (*p == '>') {
            in_tag = false;
            continue;
        }
        if (!in_tag && !in_style)
            *o++ = *p;
    }
    *o = '\0';
    return t;
}

/* How often needle is in hay. */
static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* ---- verdicts and states -------------------------------------------------- */

/* A provisional month gets no verdict of its own: the state is said, and the newest month
 * the daemon did judge is named as such. */
static void test_provisional_month_not_judged(void **state)
{
    (void)state;
    fixture x;
    setup(&x, false);
    char *html = render(&x);
    char *text = visible(html);
    assert_non_null(strstr(text, "voorlopig: 2 van 17 partners"));
    assert_non_null(strstr(text, "laatste beoordeelde maand (okt 2026): "));
    /* every "onder het pad" is October's, said as such */
    assert_int_equal(count(html, "\">onder het pad"), count(text, "laatste beoordeelde maand"));
    assert_null(strstr(html, "\">op het pad"));
    assert_non_null(strstr(text, "Voorlopige cijfers"));
    /* November is drawn open */
    assert_non_null(strstr(html, "<circle class=\"pt open\" "));
    assert_non_null(strstr(text, "Open rondje, nog niet definitief: nov 2026 (voorlopig: 2 van 17 partners)"));
    free(text);
    free(html);
}

/* A month against a school-year goal is not judged, and the report says why; no other
 * verdict of any month is made up. */
static void test_month_against_school_year_goal(void **state)
{
    (void)state;
    fixture x;
    setup(&x, false);
    proto_snapshot_reply *s = &x.fg.snap;
    s->snapshot.fig = figure(75, 120, 160, "final");
    SET(s->target.goal_period, "2026/27");
    s->target.has_path = s->target.has_baseline = false;
    for (int i = 0; i < NPTS; i++) {
        x.pts[i].has_path = false;
        SET(x.pts[i].verdict, "not_judged");
    }
    SET(s->verdict.reason, "the target is set per school year; 2026-11 is a month");
    char *html = render(&x);
    char *text = visible(html);
    assert_non_null(strstr(text, "niet beoordeeld: het doel geldt per schooljaar; dit is een "
                                 "maandcijfer"));
    assert_null(strstr(html, "class=\"verdict ok"));
    assert_null(strstr(html, "class=\"verdict bad"));
    free(text);
    free(html);
}

/* A goal whose year has passed: not reached in 2025, with 2025's figure, and no path. */
static void test_goal_year_passed(void **state)
{
    (void)state;
    fixture x;
    setup(&x, false);
    proto_snapshot_reply *s = &x.fg.snap;
    s->snapshot.fig = figure(76, 120, 158, "final");
    SET(s->target.goal_period, "2025");
    s->target.path = 85;
    SET(s->verdict.verdict, "not_reached");
    SET(s->verdict.reason, "not reached the goal for 2025");
    SET(s->verdict.period, "2025");
    s->verdict.has_value = s->verdict.has_mark = true;
    s->verdict.value = 80.26;
    s->verdict.mark = 85;
    for (int i = 0; i < NPTS; i++)
        x.pts[i].path = 85;
    char *html = render(&x);
    char *text = visible(html);
    assert_non_null(strstr(text, "doel niet gehaald in 2025 (2025: 80,3%; doel 85,0%)"));
    assert_null(strstr(text, "Pad november"));
    assert_null(strstr(html, "\">onder het pad"));
    assert_null(strstr(html, "class=\"path\""));
    /* reached */
    SET(s->verdict.verdict, "reached");
    SET(s->verdict.reason, "reached the goal for 2025");
    s->verdict.value = 86;
    free(text);
    free(html);
    html = render(&x);
    text = visible(html);
    assert_non_null(strstr(text, "doel gehaald in 2025 (2025: 86,0%; doel 85,0%)"));
    free(text);
    free(html);
}

/* An impossible value (108 %) is shown as such and never judged or drawn as on the path. */
static void test_impossible_value(void **state)
{
    (void)state;
    fixture x;
    setup(&x, false);
    proto_snapshot_reply *s = &x.fg.snap;
    s->snapshot.fig = figure(108, 162, 150, "final");
    s->snapshot.fig.plausible = false;
    x.pts[3].fig = s->snapshot.fig;
    SET(x.pts[3].verdict, "not_judged");
    SET(s->verdict.reason, "the value for 2026-11 cannot be true: a check of the catalogue failed");
    x.kids[0].fig = figure(108, 54, 50, "final");
    x.kids[0].fig.plausible = false;
    char *html = render(&x);
    char *text = visible(html);
    assert_null(strstr(html, "\">op het pad"));
    assert_null(strstr(html, "\">doel gehaald"));
    assert_non_null(strstr(text, "kan niet kloppen"));
    assert_non_null(strstr(html, "<circle class=\"pt bad\" "));
    assert_non_null(strstr(html, "<rect class=\"bar bad\" "));
    assert_non_null(strstr(text, "108,0% kan niet kloppen"));
    free(text);
    free(html);
}


/* ---- bands, axes and levels -------------------------------------------------- */

/* The numbers of an attribute's list ("x,y x,y ..."), into xy (at most max pairs). */
static size_t points(const char *attr, double (*xy)[2], size_t max)
{
    size_t n = 0;
    const char *p = attr;
    while (n < max && *p && *p != '"') {
        char *end;
        xy[n][0] = strtod(p, &end);
        assert_true(*end == ',');
        xy[n][1] = strtod(end + 1, &end);
        n++;
        p = end;
        while (*p == ' ')
            p++;
    }
    return n;
}

/* y of the polyline xy (n points) at x, by straight lines; beyond its ends, its ends. */
static double at_x(double (*xy)[2], size_t n, double x)
{
    if (x <= xy[0][0])
        return xy[0][1];
    for (size_t i = 1; i < n; i++)
        if (x <= xy[i][0])
            return xy[i - 1][1] +
                   (xy[i][1] - xy[i - 1][1]) * (x - xy[i - 1][0]) / (xy[i][0] - xy[i - 1][0]);
    return xy[n - 1][1];
}

/* The y of value v on the chart's axis, read from its labelled gridlines. */
static double axis_y(const char *svg, double v)
{
    double lo_v = NAN, lo_y = 0, hi_v = NAN, hi_y = 0;
    static const char tick[] = "<text class=\"ax\" x=\"40.0\" y=\"";
    for (const char *p = svg; (p = strstr(p, tick)); p++) {
        double y = strtod(p + sizeof tick - 1, NULL) - 3;
        const char *gt = strchr(p, '>');
        double val = strtod(gt + 1, NULL);
        if (isnan(lo_v)) {
            lo_v = val;
            lo_y = y;
        }
        hi_v = val;
        hi_y = y;
    }
    assert_false(isnan(lo_v));
    return lo_y + (hi_y - lo_y) * (v - lo_v) / (hi_v - lo_v);
}

/* The off-track band is the zone where that rule fires: at every x below the path by more
 * than the tolerance (higher is better), and above it when lower is better; the tolerance
 * itself is not shaded. */
static void test_band_on_the_alerting_side(void **state)
{
    (void)state;
    for (int lower = 0; lower <= 1; lower++) {
        chart_point pts[NPTS];
        static const double val[NPTS] = {77.9, 76.5, 74.4, 78.4};
        for (int i = 0; i < NPTS; i++)
            pts[i] = (chart_point){.period = "2026-08", .year = 2026, .month = 8 + i,
                                   .has_value = true, .value = val[i], .raw = "1", .text = "x",
                                   .has_path = true, .path = 82.9 + 0.13 * i};
        line_chart lc = {.indicator = "vve_bereik", .area = "GM0164", .unit = "percent",
                         .pct_decimals = 1, .title = "t", .pts = pts, .n = NPTS};
        lc.bands[lc.nbands++] = (chart_band){lower ? BAND_OVER_PATH : BAND_UNDER_PATH, 2, "z"};
        rbuf b;
        rb_init(&b);
        svg_line_chart(&b, &lc);
        assert_false(b.failed);
        double path[NPTS + 2][2], band[2 * NPTS + 8][2];
        const char *pl = strstr(b.buf, "<polyline class=\"path\" points=\"");
        const char *pg = strstr(b.buf, "<polygon class=\"band\" points=\"");
        assert_non_null(pl);
        assert_non_null(pg);
        size_t np = points(strstr(pl, "points=\"") + 8, path, NPTS + 2),
               nb = points(strstr(pg, "points=\"") + 8, band, 2 * NPTS + 8);
        assert_int_equal(np, NPTS);
        assert_true(nb >= 4);
        /* the tolerance in chart units: 2 points of the axis */
        double tol = fabs(axis_y(b.buf, 2) - axis_y(b.buf, 0));
        assert_true(tol > 0.5);
        for (size_t i = 0; i < nb; i++) {
            double py = at_x(path, np, band[i][0]);
            if (lower)
                assert_true(band[i][1] <= py - tol + 0.15); /* SVG's y grows downwards */
            else
                assert_true(band[i][1] >= py + tol - 0.15);
        }
        rb_free(&b);
    }
}

/* A percentage axis starts at 0; a count has whole steps and does not zoom into a point. */
static void test_honest_axes(void **state)
{
    (void)state;
    chart_point pts[3];
    static const double pct[3] = {32.5, 34.5, 33.1}, cnt[3] = {10, 11, 10};
    for (int unit = 0; unit <= 1; unit++) {
        for (int i = 0; i < 3; i++)
            pts[i] = (chart_point){.period = "2026-08", .year = 2026, .month = 8 + i,
                                   .has_value = true, .value = unit ? cnt[i] : pct[i],
                                   .raw = "1", .text = "x"};
        line_chart lc = {.indicator = "i", .area = "GM0164", .unit = unit ? "count" : "percent",
                         .pct_decimals = 1, .title = "t", .pts = pts, .n = 3};
        rbuf b;
        rb_init(&b);
        svg_line_chart(&b, &lc);
        assert_false(b.failed);
        const char *first = strstr(b.buf, "<text class=\"ax\" x=\"40.0\"");
        assert_non_null(first);
        assert_true(!strncmp(strchr(first, '>') + 1, unit ? "0<" : "0%<", unit ? 2 : 3));
        /* every tick a whole number, for counts; no decimal comma in any */
        for (const char *p = first; (p = strstr(p, "<text class=\"ax\" x=\"40.0\"")); p++) {
            const char *t = strchr(p, '>') + 1;
            assert_true(strcspn(t, ",<") == strcspn(t, "<"));
        }
        rb_free(&b);
    }
}

/* A rule on the wijken is drawn on the wijken's chart only, across the wijken's bars; the
 * gemeente's path not across any wijk's bar; the gemeente's rule on its own chart. */
static void test_levels_on_their_own_chart(void **state)
{
    (void)state;
    fixture x;
    setup(&x, false);
    char *html = render(&x);
    const char *line = strstr(html, "<svg class=\"chart line\"");
    const char *bars = strstr(html, "<svg class=\"chart bars\"");
    assert_non_null(line);
    assert_non_null(bars);
    const char *line_end = strstr(line, "</svg>"), *bars_end = strstr(bars, "</svg>");
    size_t nl = (size_t)(line_end - line), nb = (size_t)(bars_end - bars);
    char *l = strndup(line, nl), *bb = strndup(bars, nb);
    assert_non_null(l);
    assert_non_null(bb);
    assert_null(strstr(l, "signaalgrens"));           /* the wijk rule: not on the gemeente */
    assert_non_null(strstr(l, "<polygon class=\"band\"")); /* the gemeente's own rule */
    assert_non_null(strstr(bb, ">signaalgrens 70,0%<"));
    /* no dashed path line across the bars; the dotted level ends above the gemeente's row */
    assert_null(strstr(bb, "<line class=\"path\""));
    const char *lv = strstr(bb, "<line class=\"level\"");
    const char *tot = strstr(bb, "<rect class=\"bar inc tot\"");
    assert_non_null(lv);
    assert_non_null(tot);
    double y2 = strtod(strstr(lv, "y2=\"") + 4, NULL), ty = strtod(strstr(tot, "y=\"") + 3, NULL);
    assert_true(y2 < ty);
    free(l);
    free(bb);
    free(html);
}

/* ---- council language ---------------------------------------------------------- */

/* Whether the visible text has a match of the extended regular expression re; the match
 * is printed when it has. */
static bool has_match(const char *text, const char *re)
{
    regex_t rx;
    regmatch_t m;
    assert_int_equal(regcomp(&rx, re, REG_EXTENDED), 0);
    bool found = regexec(&rx, text, 1, &m, 0) == 0;
    if (found)
        print_message("found '%.*s' in the visible text\n", (int)(m.rm_eo - m.rm_so),
                      text + m.rm_so);
    regfree(&rx);
    return found;
}

/* No rule or metric codes, no command lines in what a council member reads; the resolved
 * alerts listed fired, each with how long. */
static void test_council_language(void **state)
{
    (void)state;
    for (int pub = 0; pub <= 1; pub++) {
        fixture x;
        setup(&x, pub);
        char *html = render(&x);
        char *text = visible(html);
        assert_false(has_match(text, "[a-z]+_[a-z_]+"));
        assert_false(has_match(text, "[a-z]+\\.[a-z]+\\.[a-z]")); /* dotted codes */
        for (size_t i = 0; i < x.r.nmetrics; i++)
            assert_null(strstr(text, x.r.metrics[i].code));
        assert_null(strstr(text, "vve_bereik"));
        assert_false(has_match(text, "--[a-z]|leamond"));
        assert_non_null(strstr(text, "geen cijfers voor de teller (Doelgroeppeuters geplaatst)"));
        /* "pad" is explained before the first chart */
        assert_true(strstr(text, "Het pad is") || strstr(text, "pad  is de rechte lijn"));
        if (!pub) { /* (in the public version Noord's alert goes with its figure) */
            assert_non_null(strstr(text, "Opgelost"));
            assert_non_null(strstr(text, "1 maand actief"));
        }
        free(text);
        free(html);
    }
    /* a resolved alert that never fired is not listed */
    fixture x;
    setup(&x, false);
    x.alerts[2].has_first_fired = false;
    SET(x.hist[2][0].to, "pending");
    SET(x.hist[2][1].from, "pending");
    char *html = render(&x);
    assert_null(strstr(html, "Opgelost"));
    free(html);
}

/* The delivery grid expects a figure only in the months the catalogue says it is due. */
static void test_grid_by_due_months(void **state)
{
    (void)state;
    fixture x;
    setup(&x, false);
    x.r.now = 1796403366;
    report_grid_months(&x.r);
    proto_compl_org o;
    memset(&o, 0, sizeof o);
    SET(o.id, "po-a");
    SET(o.name, "Basisschool A");
    SET(o.kind, "school_po");
    SET(o.status, "missing");
    proto_compl_metric m;
    memset(&m, 0, sizeof m);
    SET(m.metric, "school.zomerschool");
    m.orgs = &o;
    m.n_orgs = 1;
    proto_completeness_reply c = {.metrics = &m, .n_metrics = 1};
    for (int mo = x.r.grid_first; mo <= x.r.grid_last; mo++)
        assert_int_equal(report_grid_add(&x.r, mo, &c), 0);
    /* August owes it; September to November do not */
    const org_row *row = report_find_org(&x.r, "po-a");
    assert_non_null(row);
    assert_int_equal(row->n[0][ST_MISSING], 1);
    for (int k = 1; k <= x.r.grid_last - x.r.grid_first; k++)
        for (int st = 0; st < 4; st++)
            assert_int_equal(row->n[k][st], 0);
    for (size_t i = 0; i < x.r.norgs; i++)
        free(x.r.orgs[i].n);
    free(x.r.orgs);
}

/* ---- the public version ----------------------------------------------------------- */

/* The part of html from the first from up to the next to (a copy; "" when not there). */
static char *part(const char *html, const char *from, const char *to)
{
    const char *a = strstr(html, from);
    const char *b = a ? strstr(a, to) : NULL;
    char *c = a && b ? strndup(a, (size_t)(b - a)) : strdup("");
    assert_non_null(c);
    return c;
}

/* A wijk held back in the public version is nowhere in the file: not its value in any
 * attribute, tooltip or text, not the side of a threshold it is on (its alert), not who
 * acknowledged an alert or why. */
static void test_public_holds_back_everywhere(void **state)
{
    (void)state;
    fixture x;
    setup(&x, true);
    char *html = render(&x);
    /* Noord (6 / 8) and Groot Driene (8 / 16) are held back */
    static const char *const held[] = {"WK016402", "WK016404"};
    for (size_t i = 0; i < 2; i++) {
        char attr[96];
        snprintf(attr, sizeof attr, "data-area=\"%s\" data-period=\"2026-11\" "
                                    "data-field=\"value\" data-value=", held[i]);
        assert_null(strstr(html, attr));
    }
    assert_null(strstr(html, "75,0%"));
    assert_null(strstr(html, "50,0%"));
    assert_null(strstr(html, "data-value=\"75\""));
    assert_null(strstr(html, "data-value=\"50\""));
    char *alerts = part(html, "<section class=\"alerts\">", "</section>");
    assert_null(strstr(alerts, "Groot Driene"));
    assert_null(strstr(alerts, "Noord"));
    assert_null(strstr(alerts, "&lt; 70"));
    assert_null(strstr(alerts, "j.jansen"));
    assert_null(strstr(alerts, "Gebeld"));
    assert_non_null(strstr(alerts, "In behandeling genomen"));
    assert_non_null(strstr(alerts, "Hengelo")); /* the gemeente's own alert stays */
    free(alerts);
    free(html);
}

/* How many of the wijken's bars are held back (data-suppressed) in the bar chart. */
static size_t held_bars(const char *html)
{
    char *bars = part(html, "<svg class=\"chart bars\"", "</svg>");
    size_t n = 0;
    for (const char *p = bars; (p = strstr(p, "data-suppressed=")); p++)
        n++;
    free(bars);
    return n;
}

/* One small wijk of a published total would be the total minus the others: a second wijk
 * is held back with it. */
static void test_public_no_derivation_by_subtraction(void **state)
{
    (void)state;
    fixture x;
    setup(&x, true);
    SET(x.ind.code, "vve_wachtlijst");
    SET(x.ind.label, "Wachtlijst");
    SET(x.ind.unit, "count");
    SET(x.ind.type, "sum");
    SET(x.ind.better, "lower");
    x.fg.ind = x.fg.series.ind = x.fg.snap.ind = x.ind;
    static const double v[NKIDS] = {40, 3, 25, 30};
    for (int i = 0; i < NKIDS; i++)
        x.kids[i].fig = figure(v[i], NAN, NAN, "final");
    x.fg.snap.snapshot.fig = figure(98, NAN, NAN, "final");
    x.fg.snap.has_target = false;
    x.fg.nbands = 0;
    x.r.alerts.n_alerts = 0;
    char *html = render(&x);
    assert_int_equal(held_bars(html), 2);
    /* 25, the smallest published wijk, goes with the 3: the total 100 less 40 leaves two */
    assert_non_null(strstr(html, "data-area=\"WK016403\" data-period=\"2026-11\" "
                                 "data-field=\"value\" data-suppressed=\"x\""));
    assert_null(strstr(html, "data-value=\"25\""));
    assert_non_null(strstr(html, "af te leiden"));
    free(html);
    /* two small wijken hold each other back: nothing more */
    x.kids[2].fig = figure(4, NAN, NAN, "final");
    html = render(&x);
    assert_int_equal(held_bars(html), 2);
    assert_non_null(strstr(html, "data-value=\"30\""));
    free(html);
    /* the internal version holds nothing back */
    x.r.ed.pub = false;
    html = render(&x);
    assert_int_equal(held_bars(html), 0);
    free(html);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_provisional_month_not_judged),
        cmocka_unit_test(test_month_against_school_year_goal),
        cmocka_unit_test(test_goal_year_passed),
        cmocka_unit_test(test_impossible_value),
        cmocka_unit_test(test_band_on_the_alerting_side),
        cmocka_unit_test(test_honest_axes),
        cmocka_unit_test(test_levels_on_their_own_chart),
        cmocka_unit_test(test_council_language),
        cmocka_unit_test(test_grid_by_due_months),
        cmocka_unit_test(test_public_holds_back_everywhere),
        cmocka_unit_test(test_public_no_derivation_by_subtraction),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
