/* op_catalog.c: the catalog op (PROTOCOL.md §5.4): metrics, areas and indicators, and for
 * an organisation what it may report. */
#include "op.h"

#include <stdio.h>
#include <stdlib.h>

#include "figures.h"
#include "reply_info.h"

static void fill_metric(proto_metric_info *out, const metric *m)
{
    snprintf(out->code, sizeof out->code, "%s", m->code);
    snprintf(out->label, sizeof out->label, "%s", m->label);
    snprintf(out->unit, sizeof out->unit, "%s", m->unit);
    snprintf(out->time, sizeof out->time, "%s", rollup_name(m->time));
    for (int k = 0; k < KIND_COUNT && out->n_kinds < PROTO_MAX_KINDS; k++)
        if (m->kinds & (1u << k))
            snprintf(out->kinds[out->n_kinds++], sizeof out->kinds[0], "%s",
                     kind_name((org_kind)k));
    out->min = m->min;
    out->max = m->max;
    out->integer = m->integer;
    out->due = m->due;
}

static void fill_area(proto_area_info *out, const partners *p, const area *a)
{
    snprintf(out->code, sizeof out->code, "%s", a->code);
    snprintf(out->name, sizeof out->name, "%s", a->name);
    snprintf(out->level, sizeof out->level, "%s", a->level);
    snprintf(out->parent, sizeof out->parent, "%s", a->parent < 0 ? "" : p->areas[a->parent].code);
}

/* What this organisation may submit: its kind's metrics and its areas. */
static int fill_may_report(proto_catalog_reply *r, const registry *reg, const organisation *org)
{
    const catalog *cat = &reg->cat;
    const partners *p = &reg->parts;
    r->has_may_report = true;
    r->may_metrics = calloc(cat->n_metrics ? cat->n_metrics : 1, sizeof *r->may_metrics);
    r->may_areas = calloc(p->n_areas ? p->n_areas : 1, sizeof *r->may_areas);
    if (!r->may_metrics || !r->may_areas)
        return -1;
    for (size_t i = 0; i < cat->n_metrics; i++)
        if ((cat->metrics[i].kinds >> org->kind) & 1u)
            snprintf(r->may_metrics[r->n_may_metrics++], sizeof r->may_metrics[0], "%s",
                     cat->metrics[i].code);
    for (size_t i = 0; i < p->n_areas; i++)
        if (partners_may_report(p, org, (int)i))
            snprintf(r->may_areas[r->n_may_areas++], sizeof r->may_areas[0], "%s",
                     p->areas[i].code);
    return 0;
}

void op_catalog(op_ctx *c)
{
    const catalog *cat = &c->reg->cat;
    const partners *p = &c->reg->parts;
    proto_catalog_reply r = {0};
    r.metrics = calloc(cat->n_metrics ? cat->n_metrics : 1, sizeof *r.metrics);
    r.areas = calloc(p->n_areas ? p->n_areas : 1, sizeof *r.areas);
    r.indicators = calloc(cat->n_indicators ? cat->n_indicators : 1, sizeof *r.indicators);
    if (!r.metrics || !r.areas || !r.indicators || period_format(&cat->first, r.first_period,
                                                                 sizeof r.first_period) != 0 ||
        (c->who->type == IDENT_ORG && fill_may_report(&r, c->reg, c->who->org) != 0)) {
        op_refuse(c, PROTO_INTERNAL, "out of memory");
        proto_catalog_reply_free(&r);
        return;
    }
    for (size_t i = 0; i < cat->n_metrics; i++)
        fill_metric(&r.metrics[r.n_metrics++], &cat->metrics[i]);
    for (size_t i = 0; i < p->n_areas; i++)
        fill_area(&r.areas[r.n_areas++], p, &p->areas[i]);
    /* The catalogue lists indicators without their ideal: a snapshot's indicator has it. */
    for (size_t i = 0; i < cat->n_indicators; i++) {
        figures_indicator(&r.indicators[r.n_indicators], &cat->indicators[i]);
        r.indicators[r.n_indicators++].has_ideal = false;
    }
    proto_catalog_reply_write(c->w, c->req->id, &r);
    proto_catalog_reply_free(&r);
}
