/* figures.c: indicators, targets and snapshots as the replies give them (figures.h). */
#include "figures.h"

#include <stdio.h>
#include <string.h>

#include "snapshot.h"

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

void figures_figure(proto_figure *out, const stored_snapshot *s)
{
    out->has_value = s->has_value;
    out->has_num = s->has_num;
    out->has_den = s->has_den;
    out->value = s->value;
    out->numerator = s->numerator;
    out->denominator = s->denominator;
    snprintf(out->reason, sizeof out->reason, "%s", s->reason);
    out->expected = s->expected;
    out->reported = s->reported;
}

void figures_area(proto_area_figure *out, const partners *parts, int at, const stored_snapshot *s)
{
    const area *a = &parts->areas[at];
    memset(out, 0, sizeof *out);
    snprintf(out->area, sizeof out->area, "%s", a->code);
    snprintf(out->name, sizeof out->name, "%s", a->name);
    figures_figure(&out->fig, s);
    /* Version 0 was computed for this reply: it has no time of its own. */
    out->has_computed_at = s->version != 0;
    out->computed_at = s->computed_at;
    out->version = s->version;
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
