/* figures.c: indicators, targets and snapshots as the replies give them (figures.h). */
#include "figures.h"

#include <stdio.h>
#include <string.h>

#include "checks.h"
#include "figure_state.h"
#include "snapshot.h"
#include "verdict.h"

void figures_indicator(proto_indicator *out, const indicator *ind)
{
    memset(out, 0, sizeof *out);
    snprintf(out->code, sizeof out->code, "%s", ind->code);
    snprintf(out->label, sizeof out->label, "%s", ind->label);
    snprintf(out->unit, sizeof out->unit, "%s", ind->unit);
    snprintf(out->type, sizeof out->type, "%s", indicator_type_name(ind->type));
    snprintf(out->better, sizeof out->better, "%s", indicator_better_name(ind->better));
    out->has_ideal = ind->better == BETTER_CLOSER;
    out->ideal = ind->ideal;
}

/* Was every month of p closed at time at? */
static int closed_at(store *db, const period *p, time_t at, bool *closed)
{
    period first = period_month_from_number(period_first_month(p));
    period last = period_month_from_number(period_last_month(p));
    char ft[PERIOD_TEXT_MAX], lt[PERIOD_TEXT_MAX];
    int64_t n = 0;
    if (period_format(&first, ft, sizeof ft) != 0 || period_format(&last, lt, sizeof lt) != 0 ||
        store_closed_months(db, ft, lt, (int64_t)at, &n) < 0)
        return -1;
    *closed = n == period_month_count(p);
    return 0;
}

int figures_figure(const figures_ctx *fc, proto_figure *out, const indicator *ind,
                   const period *p, const stored_snapshot *s)
{
    bool closed = false;
    if (closed_at(fc->db, p, fc->at, &closed) < 0)
        return -1;
    out->has_value = s->has_value;
    out->has_num = s->has_num;
    out->has_den = s->has_den;
    out->value = s->value;
    out->numerator = s->numerator;
    out->denominator = s->denominator;
    snprintf(out->reason, sizeof out->reason, "%s", s->reason);
    out->expected = s->expected;
    out->reported = s->reported;
    figure_state st = figure_state_of(p, fc->at, fc->grace_days, s->expected, s->reported, closed);
    snprintf(out->state, sizeof out->state, "%s", figure_state_name(st));
    out->plausible = checks_plausible(&fc->reg->cat, ind, s->has_value, s->value);
    out->carried = s->carried;
    return 0;
}

int figures_area(const figures_ctx *fc, proto_area_figure *out, const indicator *ind,
                 const period *p, int at, const stored_snapshot *s)
{
    const area *a = &fc->reg->parts.areas[at];
    memset(out, 0, sizeof *out);
    snprintf(out->area, sizeof out->area, "%s", a->code);
    snprintf(out->name, sizeof out->name, "%s", a->name);
    /* Version 0 was computed for this reply: it has no time of its own. */
    out->has_computed_at = s->version != 0;
    out->computed_at = s->computed_at;
    out->version = s->version;
    return figures_figure(fc, &out->fig, ind, p, s);
}

bool figures_target(proto_target *out, store *db, const registry *reg, const indicator *ind,
                    int at, const period *p)
{
    memset(out, 0, sizeof *out);
    const target *t = snapshot_target(reg, ind, at);
    if (!t)
        return false;
    double figure = 0;
    bool has_figure = snapshot_baseline_figure(db, reg, t, at, &figure);
    snprintf(out->area, sizeof out->area, "%s", t->area[0] ? t->area : reg->parts.areas[at].code);
    period_format(&t->goal_period, out->goal_period, sizeof out->goal_period);
    if (t->has_baseline)
        period_format(&t->baseline_period, out->baseline_period, sizeof out->baseline_period);
    out->goal = t->goal_value;
    out->has_baseline = t->has_baseline_value || has_figure;
    out->baseline = t->has_baseline_value ? t->baseline_value : figure;
    snprintf(out->source, sizeof out->source, "%s", t->source);
    out->with_path = p != NULL;
    if (p)
        out->has_path = snapshot_path(t, p, has_figure, figure, &out->path);
    return true;
}

static figure_state state_named(const char *name)
{
    for (int k = STATE_OPEN; k <= STATE_CLOSED; k++)
        if (strcmp(figure_state_name((figure_state)k), name) == 0)
            return (figure_state)k;
    return STATE_OPEN;
}

int figures_verdict(const figures_ctx *fc, proto_verdict *out, const indicator *ind, int at,
                    const period *p, const proto_figure *fig, bool has_path, double path)
{
    memset(out, 0, sizeof *out);
    const target *t = snapshot_target(fc->reg, ind, at);
    if (!t)
        return 0;
    verdict_figure f = {*p, state_named(fig->state), fig->plausible, fig->has_value, fig->value,
                        has_path, path, fig->expected, fig->reported};
    /* Past the goal period, the goal period's own figure says whether it was reached. */
    if (verdict_after_goal(t, p)) {
        stored_snapshot s;
        proto_figure gf;
        bool as_of = fc->at < time(NULL);
        if (snapshot_current(fc->db, fc->reg, ind, &t->goal_period, at, as_of, fc->at, &s) < 0 ||
            figures_figure(fc, &gf, ind, &t->goal_period, &s) < 0)
            return -1;
        f = (verdict_figure){t->goal_period, state_named(gf.state), gf.plausible, gf.has_value,
                             gf.value, false, 0, gf.expected, gf.reported};
    }
    verdict v;
    verdict_judge(ind, t, &f, &v);
    snprintf(out->verdict, sizeof out->verdict, "%s", verdict_name(v.kind));
    snprintf(out->reason, sizeof out->reason, "%s", v.reason);
    period_format(&f.p, out->period, sizeof out->period);
    out->has_value = f.has_value;
    out->value = f.value;
    out->has_mark = v.has_mark;
    out->mark = v.mark;
    return 0;
}
