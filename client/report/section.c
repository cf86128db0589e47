/* section.c: one indicator's section of the report and its row in the
 * summary table (see section.h). */
#include "report/section.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "period.h"
#include "report/html.h"
#include "report/shown.h"
#include "report/svg.h"
#include "report/text.h"

_Static_assert(MODEL_MAX_BANDS <= CHART_MAX_BANDS, "every level found fits in a line chart");

/* One indicator while its section is written: the daemon's figures read,
 * and as the report shows them. */
typedef struct {
    const report_t *r;
    const proto_indicator *ind;
    size_t no;               /* its number in the report */
    char ptext[NL_TEXT_MAX]; /* the period in words */
    const ind_figures *fg;
    const proto_area_figure *top;  /* the report's area */
    const proto_target *tg;        /* its target, or NULL */
    const proto_verdict *verdict;  /* the daemon's verdict on its figure, with a target */
    shown_t val, path; /* the report's area's value and the path, as shown */
    shown_t *spts;     /* the series, as shown */
    shown_t *skids;    /* the child areas, as shown */
    size_t valued_months, final_months, kids_not_final;
    bool any_kid, any_suppressed;
    bool goal_over; /* the goal's period has passed: the verdict is that period's */
    bool norm;      /* the target is a standing norm, not a goal for one period */
    size_t complements; /* wijken held back so that none can be derived from the total */
    rbuf *body;
} ind_view;

/* How the report's area's target stands for the report's period, from the daemon's reply
 * alone: a goal whose period has passed is answered with that period's own figure
 * (goal_over: the verdict names the goal period, not the report's), a standing norm
 * (vve_uren: 16 hours since 2020) is held against the norm itself. */
static void ind_target_view(ind_view *v)
{
    const proto_verdict *vd = v->verdict;
    const proto_target *tg = v->tg;
    if (!tg || !vd)
        return;
    v->goal_over = vd->period[0] && strcmp(vd->period, v->r->period_text) &&
                   !strcmp(vd->period, tg->goal_period);
    period g;
    bool goal_before = period_parse(tg->goal_period, &g) == 0 &&
                       period_last_month(&g) < period_first_month(&v->r->p);
    v->norm = reason_is_norm(vd->reason) || (!v->goal_over && goal_before);
}

/* The words of a verdict (on_path, off_path, reached, not_reached) and whether it is
 * good; NULL for any other. */
static const char *verdict_words(const ind_view *v, const char *verdict, bool *ok)
{
    const char *better = v->ind->better;
    *ok = !strcmp(verdict, "on_path") || !strcmp(verdict, "reached");
    if (!strcmp(verdict, "on_path"))
        return "op het pad";
    if (!strcmp(verdict, "off_path"))
        return !strcmp(better, "higher")  ? "onder het pad"
               : !strcmp(better, "lower") ? "boven het pad"
                                          : "verder van de ideale waarde dan het pad";
    if (!strcmp(verdict, "reached"))
        return v->norm ? "voldoet aan de norm" : "doel gehaald";
    if (!strcmp(verdict, "not_reached"))
        return v->norm ? "voldoet niet aan de norm" : "doel niet gehaald";
    return NULL;
}

/* After a verdict on a period that is not final yet: the newest earlier month of the
 * series that the daemon did judge, as " · laatste definitieve maand (okt 2026): onder
 * het pad"; nothing when there is none, or its value is held back. */
static void write_last_judged(rbuf *b, const ind_view *v)
{
    const proto_series_reply *s = &v->fg->series;
    for (size_t i = s->n_points; i-- > 0;) {
        const proto_series_point *pt = &s->points[i];
        bool ok;
        const char *words = verdict_words(v, pt->verdict, &ok);
        if (!strcmp(pt->period, v->r->period_text) || !words)
            continue;
        if (v->spts[i].suppressed || !v->spts[i].has)
            return;
        char ps[NL_TEXT_MAX];
        nl_period_short(ps, sizeof ps, pt->period);
        rb_add(b, " <span class=\"small\">&#183; laatste beoordeelde maand (");
        rb_esc(b, ps);
        rb_addf(b, "): </span><span class=\"prev %s\">%s</span>", ok ? "ok" : "bad", words);
        return;
    }
}

/* The daemon's verdict on the report's area's figure, in Dutch: "op het pad", "onder het
 * pad" (or "boven": the wrong side, by which way is better), "doel gehaald", "voldoet
 * (niet) aan de norm", "doel niet gehaald in 2025 (2025: 930; doel 1.250)" after the goal
 * period, by that period's own figure; "niet beoordeeld: ..." with the daemon's reason
 * when it is not the state (which write_state shows); nothing when the value is held back
 * (public version). */
static void write_verdict(rbuf *b, const ind_view *v, bool last_judged)
{
    const proto_verdict *vd = v->verdict;
    const report_t *r = v->r;
    if (!vd || v->val.suppressed)
        return;
    bool ok;
    const char *words = verdict_words(v, vd->verdict, &ok);
    char p[NL_TEXT_MAX];
    nl_period(p, sizeof p, vd->period);
    if (!words) {
        char why[NL_TEXT_MAX * 2];
        nl_not_judged(why, sizeof why, vd->reason);
        if (why[0]) {
            rb_add(b, " <span class=\"verdict nj\">&#183; niet beoordeeld: ");
            rb_esc(b, why);
            if (v->goal_over) {
                rb_add(b, " (");
                rb_esc(b, p);
                rb_add(b, ")");
            }
            rb_add(b, "</span>");
        } else if (last_judged && !v->goal_over) {
            write_last_judged(b, v);
        }
        return;
    }
    rb_addf(b, " <span class=\"verdict %s\">%s", ok ? "ok" : "bad", words);
    if (v->goal_over) {
        rb_add(b, " in ");
        rb_esc(b, p);
        /* that period's own figure, published as any figure; a share without its counts
         * is not shown in the public version */
        proto_figure f;
        memset(&f, 0, sizeof f);
        f.has_value = vd->has_value;
        f.value = vd->value;
        shown_t fig, goal;
        show_value(&r->ed, v->ind, &f, &fig);
        show_target(&r->ed, v->ind, v->tg->goal, false, &goal);
        if (fig.has) {
            rb_add(b, " (");
            rb_esc(b, p);
            rb_add(b, ": ");
            rb_esc(b, fig.text);
            rb_add(b, "; doel ");
            rb_esc(b, goal.text);
            rb_add(b, ")");
        }
    }
    rb_add(b, "</span>");
}

/* " <span class="small">(voorlopig: 2 van 17 partners)</span>", "(lopende maand)": how
 * final the report's area's figure is (period kind kind), when it is not; with it, "kan
 * niet kloppen" when a check of the catalogue says the value cannot be true. */
static void write_state(rbuf *b, const proto_figure *f, int kind, bool parens)
{
    char t[NL_TEXT_MAX];
    nl_state(t, sizeof t, f->state, f->expected, f->reported, kind);
    bool implausible = f->has_value && !f->plausible;
    if (!t[0] && !implausible)
        return;
    rb_add(b, parens ? " <span class=\"small\">(" : " <span class=\"small\">");
    rb_esc(b, t);
    rb_add(b, t[0] && implausible ? "; " : "");
    rb_add(b, implausible ? "kan niet kloppen" : "");
    rb_add(b, parens ? ")</span>" : "</span>");
}

/* The summary table's row of an indicator. */
static void write_summary_row(rbuf *b, const ind_view *v)
{
    const report_t *r = v->r;
    const proto_indicator *ind = v->ind;
    const proto_area_figure *top = v->top;
    const proto_target *tg = v->tg;
    shown_t goal, rep, exp;
    data_ref ref = {ind->code, r->top->code, r->period_text, "value"};
    rb_addf(b, "<tr><td>%zu.</td><td><a href=\"#ind-", v->no);
    rb_esc(b, ind->code);
    rb_add(b, "\">");
    rb_esc(b, ind->label[0] ? ind->label : ind->code);
    rb_add(b, "</a></td>");
    shown_emit(b, "td", "n", &ref, &v->val, top->fig.reason);
    if (tg) {
        show_target(&r->ed, ind, tg->goal, false, &goal);
        ref.field = "goal";
        rb_add(b, "<td class=\"n\">");
        shown_emit(b, "span", "num", &ref, &goal, NULL);
        rb_add(b, v->norm ? " <span class=\"small\">sinds " : " <span class=\"small\">");
        rb_esc(b, tg->goal_period);
        rb_add(b, "</span></td>");
    } else {
        rb_add(b, "<td class=\"n\">geen doel</td>");
    }
    if (v->path.has) {
        ref.field = "path";
        shown_emit(b, "td", "n", &ref, &v->path, NULL);
    } else {
        rb_add(b, "<td class=\"n\">\xe2\x80\x93</td>");
    }
    rb_add(b, "<td>");
    write_state(b, &top->fig, r->p.kind, false);
    write_verdict(b, v, true);
    rb_add(b, "</td><td class=\"n\">");
    show_int(top->fig.reported, &rep);
    show_int(top->fig.expected, &exp);
    ref.field = "reported";
    shown_emit(b, "span", "num", &ref, &rep, NULL);
    rb_add(b, " van ");
    ref.field = "expected";
    shown_emit(b, "span", "num", &ref, &exp, NULL);
    rb_add(b, "</td></tr>\n");
}

/* Months of the series without a value, grouped by reason, as footnotes. */
static void write_reasons(rbuf *b, const report_t *r, const proto_series_point *pts, size_t n)
{
    bool *done = calloc(n ? n : 1, sizeof *done);
    if (!done) {
        b->failed = true;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (done[i] || pts[i].fig.has_value)
            continue;
        char why[400], ps[NL_TEXT_MAX];
        report_reason(r, why, sizeof why, pts[i].fig.reason);
        rb_add(b, "<p>Geen waarde in ");
        for (size_t k = i, first = 1; k < n; k++) {
            if (done[k] || pts[k].fig.has_value || strcmp(pts[k].fig.reason, pts[i].fig.reason))
                continue;
            done[k] = true;
            nl_period_short(ps, sizeof ps, pts[k].period);
            rb_add(b, first ? "" : ", ");
            rb_esc(b, ps);
            first = 0;
        }
        rb_add(b, ": ");
        rb_esc(b, why);
        rb_add(b, ".</p>");
    }
    free(done);
}

/* Whether a rule's level applies to the report's area itself (else: to the areas below). */
static bool band_on_top(const report_t *r, const band_src *bs)
{
    return !bs->where[0] || !strcmp(bs->where, r->top->level);
}

/* Show what was read; -1 when out of memory. */
static int ind_show(ind_view *v)
{
    const report_t *r = v->r;
    const ind_figures *fg = v->fg;
    nl_period(v->ptext, sizeof v->ptext, r->period_text);
    show_value(&r->ed, v->ind, &v->top->fig, &v->val);
    ind_target_view(v);
    shown_none(&v->path, FMT_MISSING);
    if (v->tg && v->tg->has_path && !v->goal_over)
        show_target(&r->ed, v->ind, v->tg->path, false, &v->path);
    v->any_suppressed = v->val.suppressed;
    v->spts = calloc(fg->series.n_points + 1, sizeof *v->spts);
    v->skids = calloc(fg->snap.n_areas + 1, sizeof *v->skids);
    if (!v->spts || !v->skids)
        return -1;
    for (size_t i = 0; i < fg->series.n_points; i++) {
        const proto_figure *f = &fg->series.points[i].fig;
        show_value(&r->ed, v->ind, f, &v->spts[i]);
        v->valued_months += f->has_value;
        v->final_months += f->has_value && !state_not_final(f->state);
        v->any_suppressed |= v->spts[i].suppressed;
    }
    for (size_t i = 0; i < fg->snap.n_areas; i++) {
        const proto_figure *f = &fg->snap.areas[i].fig;
        show_value(&r->ed, v->ind, f, &v->skids[i]);
        /* a wijk with a value, published or not */
        v->any_kid |= v->skids[i].has || v->skids[i].suppressed;
        v->kids_not_final += v->skids[i].has && state_not_final(f->state);
        v->any_suppressed |= v->skids[i].suppressed;
    }
    v->complements = show_complement(&r->ed, v->skids, fg->snap.n_areas, &v->val);
    return 0;
}

/* The heading and the line of key figures: value, numerator and
 * denominator, goal, baseline, path and the verdict. */
static void ind_key_figures(ind_view *v)
{
    const report_t *r = v->r;
    const proto_indicator *ind = v->ind;
    const proto_figure *top = &v->top->fig;
    const proto_target *tg = v->tg;
    rbuf *b = v->body;
    data_ref ref = {ind->code, r->top->code, r->period_text, "value"};
    char t[400];

    rb_add(b, "<section class=\"ind\" id=\"ind-");
    rb_esc(b, ind->code);
    rb_addf(b, "\"><h2><span class=\"no\">%zu.</span> ", v->no);
    rb_esc(b, ind->label[0] ? ind->label : ind->code);
    rb_add(b, "</h2>\n<p class=\"kern\">Stand ");
    rb_esc(b, v->ptext);
    rb_add(b, ": <b>");
    shown_emit(b, "span", "num", &ref, &v->val, top->reason);
    rb_add(b, "</b>");
    write_state(b, top, r->p.kind, true);
    if (!v->val.has && !v->val.suppressed && top->reason[0]) {
        report_reason(r, t, sizeof t, top->reason);
        rb_add(b, " <span class=\"small\">(");
        rb_esc(b, t);
        rb_add(b, ")</span>");
    }
    if (ind_is_ratio(ind) && (top->has_num || top->has_den)) {
        shown_t num, den;
        show_count(&r->ed, top->has_num, top->numerator, &num);
        show_count(&r->ed, top->has_den, top->denominator, &den);
        rb_add(b, " (teller ");
        ref.field = "numerator";
        shown_emit(b, "span", "num", &ref, &num, NULL);
        rb_add(b, ", noemer ");
        ref.field = "denominator";
        shown_emit(b, "span", "num", &ref, &den, NULL);
        rb_add(b, ")");
    } else if (!strcmp(ind->type, "mean") && top->has_den) {
        /* the number of locations: organisations, never rounded */
        shown_t locs;
        nl_number(t, sizeof t, top->denominator, -1);
        shown_number(&locs, top->denominator, t);
        rb_add(b, " (gemiddelde van ");
        ref.field = "denominator";
        shown_emit(b, "span", "num", &ref, &locs, NULL);
        rb_add(b, top->denominator == 1 ? " locatie)" : " locaties)");
    }
    if (!tg) {
        rb_add(b, " &#183; Geen doel vastgesteld</p>\n");
        return;
    }
    shown_t goal, base;
    show_target(&r->ed, ind, tg->goal, false, &goal);
    rb_add(b, v->norm ? " &#183; Norm: " : " &#183; Doel: ");
    ref.field = "goal";
    shown_emit(b, "span", "num", &ref, &goal, NULL);
    rb_add(b, v->norm ? " sinds " : " in ");
    rb_esc(b, tg->goal_period);
    if (tg->has_baseline) {
        /* a baseline without a value in the catalogue comes from the data */
        show_target(&r->ed, ind, tg->baseline, true, &base);
        rb_add(b, " (vanaf ");
        ref.field = "baseline";
        shown_emit(b, "span", "num", &ref, &base, NULL);
        rb_add(b, " in ");
        rb_esc(b, tg->baseline_period);
        rb_add(b, ")");
    }
    if (v->path.has && !v->norm) {
        rb_add(b, " &#183; Pad ");
        rb_esc(b, v->ptext);
        rb_add(b, ": ");
        ref.field = "path";
        shown_emit(b, "span", "num", &ref, &v->path, NULL);
    }
    write_verdict(b, v, true);
    rb_add(b, "</p>\n");
}

/* The series as a line chart, with the alert levels. */
static void ind_line_chart(ind_view *v)
{
    const report_t *r = v->r;
    const proto_indicator *ind = v->ind;
    const proto_series_reply *series = &v->fg->series;
    rbuf *b = v->body;
    chart_point *cp = calloc(series->n_points + 1, sizeof *cp);
    char(*mark)[NL_TEXT_MAX] = calloc(series->n_points + 1, sizeof *mark);
    if (!cp || !mark) {
        free(cp);
        free(mark);
        b->failed = true;
        return;
    }
    char title[600], from_t[NL_TEXT_MAX], to_t[NL_TEXT_MAX];
    line_chart lc;
    memset(&lc, 0, sizeof lc);
    lc.indicator = ind->code;
    lc.area = r->top->code;
    lc.unit = ind->unit;
    lc.pct_decimals = 1;
    lc.path_label = v->norm ? "norm" : "pad naar het doel";
    snprintf(title, sizeof title, "%s, %s, per maand", ind->label, r->top->name);
    lc.title = title;
    for (size_t i = 0; i < series->n_points; i++) {
        const proto_series_point *pt = &series->points[i];
        const shown_t *s = &v->spts[i];
        period pm;
        if (period_parse(pt->period, &pm) != 0 || pm.kind != PERIOD_MONTH)
            pm = period_month_from_number(r->first_month + (int)i);
        nl_state(mark[i], sizeof mark[i], pt->fig.state, pt->fig.expected, pt->fig.reported,
                 PERIOD_MONTH);
        cp[i] = (chart_point){.period = pt->period,
                              .year = pm.year,
                              .month = pm.index,
                              .has_value = s->has,
                              .suppressed = s->suppressed,
                              .not_final = state_not_final(pt->fig.state),
                              .implausible = pt->fig.has_value && !pt->fig.plausible,
                              .mark = mark[i],
                              .value = s->v,
                              .raw = s->raw,
                              .text = s->text,
                              .has_path = pt->has_path && !v->goal_over,
                              .path = pt->path};
    }
    lc.pts = cp;
    lc.n = series->n_points;
    for (size_t k = 0; k < v->fg->nbands; k++) {
        const band_src *bs = &v->fg->bands[k];
        if (!band_on_top(r, bs))
            continue; /* a rule of the wijken: on their chart, not the area's */
        band_kind kind = !strcmp(bs->kind, "below")      ? BAND_BELOW
                         : !strcmp(bs->kind, "above")    ? BAND_ABOVE
                         : !strcmp(ind->better, "lower") ? BAND_OVER_PATH
                                                         : BAND_UNDER_PATH;
        /* a tolerance of 0 has no width; "closer" has no side */
        if ((kind == BAND_UNDER_PATH || kind == BAND_OVER_PATH) &&
            (bs->threshold <= 0 || !strcmp(ind->better, "closer")))
            continue;
        lc.bands[lc.nbands++] = (chart_band){kind, bs->threshold, bs->label};
    }
    nl_month_year(from_t, sizeof from_t, r->first_month);
    nl_month_year(to_t, sizeof to_t, r->last_month);
    rb_add(b, "<figure class=\"c1\">");
    svg_line_chart(b, &lc);
    rb_addf(b, "<figcaption>Figuur %zua. Per maand, ", v->no);
    rb_esc(b, r->top->name);
    rb_add(b, ", ");
    rb_esc(b, from_t);
    rb_add(b, " t/m ");
    rb_esc(b, to_t);
    rb_add(b, ".");
    /* what the open circles stand for, in print where no tooltip shows */
    int first = 1;
    for (size_t i = 0; i < series->n_points; i++) {
        if (!cp[i].has_value || !cp[i].not_final || !mark[i][0])
            continue;
        char ps[NL_TEXT_MAX];
        nl_period_short(ps, sizeof ps, series->points[i].period);
        rb_add(b, first ? " Open rondje, nog niet definitief: " : "; ");
        rb_esc(b, ps);
        rb_add(b, " (");
        rb_esc(b, mark[i]);
        rb_add(b, ")");
        first = 0;
    }
    rb_add(b, first ? "" : ".");
    first = 1;
    for (size_t i = 0; i < series->n_points; i++) {
        if (!cp[i].has_value || !cp[i].implausible)
            continue;
        char ps[NL_TEXT_MAX];
        nl_period_short(ps, sizeof ps, series->points[i].period);
        rb_add(b, first ? " Rode ring, kan niet kloppen en telt niet mee in het oordeel: "
                        : ", ");
        rb_esc(b, ps);
        first = 0;
    }
    rb_add(b, first ? "</figcaption></figure>" : ".</figcaption></figure>");
    free(cp);
    free(mark);
}

/* The child areas (wijken) as a bar chart, the area itself below them; a
 * note instead when no child has a value. */
static void ind_bar_chart(ind_view *v)
{
    const report_t *r = v->r;
    const proto_indicator *ind = v->ind;
    const proto_snapshot_reply *snap = &v->fg->snap;
    rbuf *b = v->body;
    if (!v->any_kid) {
        rb_add(b, "<div class=\"nobars\">");
        if (!snap->n_areas) {
            rb_add(b, "Dit gebied is niet verder onderverdeeld.");
        } else {
            rb_add(b, "Geen waarden per wijk voor ");
            rb_esc(b, v->ptext);
            rb_add(b, ": deze cijfers worden voor het hele gebied geleverd, of er zijn per wijk "
                      "nog geen cijfers.");
        }
        rb_add(b, "</div>");
        return;
    }
    bar_item *bi = calloc(snap->n_areas + 1, sizeof *bi);
    char(*text)[NL_TEXT_MAX * 2 + 32] = calloc(snap->n_areas + 1, sizeof *text);
    if (!bi || !text) {
        free(bi);
        free(text);
        b->failed = true;
        return;
    }
    char title[600], mark[CHART_MAX_MARKS][NL_TEXT_MAX + 16];
    bar_chart bc;
    memset(&bc, 0, sizeof bc);
    bc.indicator = ind->code;
    bc.period = r->period_text;
    bc.unit = ind->unit;
    snprintf(title, sizeof title, "%s per wijk, %s", ind->label, v->ptext);
    bc.title = title;
    for (size_t i = 0; i <= snap->n_areas; i++) {
        bool is_top = i == snap->n_areas;
        const proto_area_figure *a = is_top ? v->top : &snap->areas[i];
        const shown_t *s = is_top ? &v->val : &v->skids[i];
        bool inc = state_not_final(a->fig.state) && s->has,
             bad = s->has && a->fig.has_value && !a->fig.plausible;
        snprintf(text[i], sizeof text[i], "%s%s%s", s->text, inc ? "*" : "",
                 bad ? " kan niet kloppen" : "");
        bi[i] = (bar_item){.area = a->area[0] ? a->area
                                   : is_top   ? r->top->code
                                              : "?",
                           .name = is_top ? r->top->name : a->name,
                           .has_value = s->has,
                           .suppressed = s->suppressed,
                           .not_final = inc,
                           .implausible = bad,
                           .value = s->v,
                           .raw = s->raw,
                           .text = text[i],
                           .missing = a->fig.reason};
    }
    bc.items = bi;
    bc.n = snap->n_areas;
    bc.total = &bi[snap->n_areas];
    if (v->path.has)
        bc.marks[bc.nmarks++] = (bar_mark){v->path.v, "", false, true};
    /* a level of a rule on the wijken across the wijken; one on the area across its bar */
    for (size_t k = 0; k < v->fg->nbands && bc.nmarks < CHART_MAX_MARKS; k++) {
        const band_src *bs = &v->fg->bands[k];
        if (strcmp(bs->kind, "below") && strcmp(bs->kind, "above"))
            continue;
        char lv[NL_TEXT_MAX];
        nl_value(lv, sizeof lv, bs->threshold, ind->unit, 1);
        snprintf(mark[bc.nmarks], sizeof mark[bc.nmarks], "signaalgrens %s", lv);
        bc.marks[bc.nmarks] =
            (bar_mark){bs->threshold, mark[bc.nmarks], true, band_on_top(r, bs)};
        bc.nmarks++;
    }
    rb_add(b, "<figure class=\"c2\">");
    svg_bar_chart(b, &bc);
    rb_addf(b, "<figcaption>Figuur %zub. Per wijk, ", v->no);
    rb_esc(b, v->ptext);
    rb_add(b, "; onderaan ");
    rb_esc(b, r->top->name);
    rb_add(b, " als geheel");
    if (v->path.has) {
        /* the area's path is marked under its own bar only: it is no level of a wijk */
        rb_add(b, v->norm ? ", met \xe2\x96\xb2 de norm (" : ", met \xe2\x96\xb2 het pad (");
        rb_esc(b, v->path.text);
        rb_add(b, ")");
    }
    rb_add(b, ".</figcaption></figure>");
    free(bi);
    free(text);
}

/* The notes under the charts: how complete the figures are, why a month
 * has no value, where the target comes from, the alert levels, and in the
 * public version what was rounded and held back. */
static void ind_footnotes(ind_view *v)
{
    const report_t *r = v->r;
    const proto_indicator *ind = v->ind;
    const proto_figure *top = &v->top->fig;
    const proto_target *tg = v->tg;
    rbuf *b = v->body;
    data_ref ref = {ind->code, r->top->code, r->period_text, "reported"};

    rb_add(b, "<div class=\"fn\"><p><b>Volledigheid.</b> ");
    if (top->expected > 0) {
        shown_t rep, exp;
        show_int(top->reported, &rep);
        show_int(top->expected, &exp);
        rb_add(b, "Over ");
        rb_esc(b, v->ptext);
        rb_add(b, " leverden ");
        shown_emit(b, "span", "num", &ref, &rep, NULL);
        rb_add(b, " van de ");
        ref.field = "expected";
        shown_emit(b, "span", "num", &ref, &exp, NULL);
        rb_add(b, " verwachte organisaties cijfers");
        rb_add(b, top->reported < top->expected
                      ? ": het cijfer is onvolledig en kan nog veranderen. "
                      : ". ");
    } else {
        rb_add(b, "Voor ");
        rb_esc(b, v->ptext);
        rb_add(b, " wordt van geen enkele organisatie een cijfer verwacht. ");
    }
    rb_addf(b,
            "Van de %zu maanden in de grafiek hebben er %zu een waarde, waarvan %zu "
            "definitief",
            v->fg->series.n_points, v->valued_months, v->final_months);
    rb_add(b, v->valued_months > v->final_months ? " (open rondjes: voorlopig). " : ". ");
    if (v->any_kid && v->kids_not_final)
        rb_addf(b, "Per wijk: %zu wijk%s voorlopig (*). ", v->kids_not_final,
                v->kids_not_final == 1 ? "" : "en");
    rb_add(b, "</p>");
    write_reasons(b, r, v->fg->series.points, v->fg->series.n_points);

    rb_add(b, "<p><b>Doel.</b> ");
    if (tg && tg->source[0]) {
        rb_add(b, "Bron: ");
        rb_esc(b, tg->source);
        rb_add(b, ". ");
    } else if (!tg) {
        rb_add(b, "Voor deze indicator is (in dit gebied) geen doel vastgesteld. ");
    }
    if (tg && tg->has_path)
        rb_add(b, "Het pad is de rechte lijn van de uitgangswaarde naar het doel. ");
    rb_esc(b, nl_better(ind->better));
    if (!strcmp(ind->better, "closer") && ind->has_ideal) {
        char iv[NL_TEXT_MAX];
        nl_value(iv, sizeof iv, ind->ideal, ind->unit, 1);
        rb_add(b, " (");
        rb_esc(b, iv);
        rb_add(b, ")");
    }
    rb_add(b, ".</p>");

    for (size_t k = 0; k < v->fg->nbands; k++) {
        const band_src *bs = &v->fg->bands[k];
        rb_add(b, "<p><b>Signalering");
        if (bs->severity[0]) {
            rb_add(b, " (");
            rb_esc(b, nl_severity(bs->severity));
            rb_add(b, ")");
        }
        rb_add(b, ".</b> ");
        rb_esc(b, bs->label);
        if (!strcmp(bs->kind, "off_track") && bs->threshold <= 0)
            rb_add(b, " (elke afwijking van het pad; niet getekend)");
        rb_add(b, ".</p>");
    }
    if (r->ed.pub && (v->any_suppressed || ind_is_count(ind) || ind_is_ratio(ind))) {
        rb_addf(b,
                "<p><b>Publicatie.</b> Aantallen zijn afgerond op vijftallen; &lt;%d: minder "
                "dan %d, niet gepubliceerd",
                r->ed.min_cell, r->ed.min_cell);
        if (v->complements)
            rb_add(b, "; x: niet gepubliceerd, omdat het anders uit het totaal en de andere "
                      "wijken af te leiden zou zijn");
        if (ind_is_ratio(ind))
            rb_addf(b,
                    "; \xe2\x80\x93: berust op een aantal kleiner dan %d en is daarom niet "
                    "gepubliceerd; percentages zijn berekend op de onafgeronde aantallen en "
                    "afgerond op \xc3\xa9\xc3\xa9n decimaal",
                    r->ed.min_cell);
        rb_add(b, ".</p>");
    }
    rb_add(b, "</div>");
}

/* Note what the public version held back, for the alerts' section. */
static int note_hidden(report_t *r, const ind_view *v)
{
    const proto_snapshot_reply *snap = &v->fg->snap;
    if (v->val.suppressed && report_hide(r, v->ind->code, r->top->code) != 0)
        return -1;
    for (size_t i = 0; i < snap->n_areas; i++)
        if (v->skids[i].suppressed && report_hide(r, v->ind->code, snap->areas[i].area) != 0)
            return -1;
    return 0;
}

int section_write(rbuf *summary, rbuf *body, report_t *r, const ind_figures *fg, size_t no)
{
    ind_view v;
    memset(&v, 0, sizeof v);
    v.r = r;
    v.ind = &fg->ind;
    v.no = no;
    v.body = body;
    v.fg = fg;
    v.top = &fg->snap.snapshot;
    v.tg = fg->snap.has_target ? &fg->snap.target : NULL;
    v.verdict = fg->snap.has_target ? &fg->snap.verdict : NULL;
    int rc = ind_show(&v);
    if (rc == 0)
        rc = note_hidden(r, &v);
    if (rc == 0) {
        write_summary_row(summary, &v);
        ind_key_figures(&v);
        rb_add(body, "<div class=\"charts\">");
        ind_line_chart(&v);
        ind_bar_chart(&v);
        rb_add(body, "</div>\n");
        ind_footnotes(&v);
        rb_add(body, "</section>\n");
    }
    free(v.spts);
    free(v.skids);
    return rc;
}
