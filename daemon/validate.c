/* validate.c: every rule a submitted record must meet, each failure named by record and field. */
#include "validate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "period.h"
#include "checks.h"

static void kinds_text(unsigned kinds, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int k = 0; k < KIND_COUNT && used < n; k++) {
        if (!(kinds & (1u << k)))
            continue;
        int w = snprintf(buf + used, n - used, "%s%s", used ? ", " : "", kind_name((org_kind)k));
        if (w < 0)
            return;
        used += (size_t)w;
    }
}

static void check_metric(proto_record *r, long i, const organisation *org, const catalog *cat,
                         proto_errors *errs, const metric **out)
{
    char q[PROTO_MAX_CODE + 1];
    *out = NULL;
    if (r->bad & PROTO_F_METRIC)
        return;
    const metric *m = catalog_metric(cat, r->metric);
    proto_quote(q, sizeof q, r->metric, strlen(r->metric));
    if (!m) {
        proto_errors_add(errs, i, "metric", "unknown_metric",
                         "unknown metric '%s' (leamon catalog lists the metrics)", q);
        return;
    }
    if (!(m->kinds & (1u << org->kind))) {
        char kinds[120];
        kinds_text(m->kinds, kinds, sizeof kinds);
        proto_errors_add(errs, i, "metric", "metric_not_allowed",
                         "metric '%s' is reported by %s, not by a %s", q, kinds,
                         kind_name(org->kind));
        return;
    }
    *out = m;
}

static void check_area(proto_record *r, long i, const organisation *org, const partners *p,
                       proto_errors *errs)
{
    if (r->bad & PROTO_F_AREA)
        return;
    if (!r->area[0])
        memcpy(r->area, p->areas[org->home].code, sizeof r->area);
    char q[PROTO_MAX_AREA + 1];
    proto_quote(q, sizeof q, r->area, strlen(r->area));
    int a = partners_area(p, r->area);
    if (a < 0) {
        proto_errors_add(errs, i, "area", "unknown_area",
                         "unknown area '%s' (leamon catalog lists the areas)", q);
        return;
    }
    if (!partners_may_report(p, org, a)) {
        char allowed[120] = "";
        size_t used = 0;
        for (size_t k = 0; k < org->n_reports_for && used < sizeof allowed; k++) {
            int w = snprintf(allowed + used, sizeof allowed - used, "%s%s", k ? ", " : "",
                             p->areas[org->reports_for[k]].code);
            if (w < 0)
                break;
            used += (size_t)w;
        }
        proto_errors_add(errs, i, "area", "area_not_allowed",
                         "%s may not report for area %s; it reports for %s and the areas below",
                         org->id, q, allowed);
    }
}

static void check_period(proto_record *r, long i, const catalog *cat, time_t now,
                         proto_errors *errs)
{
    if (r->bad & PROTO_F_PERIOD)
        return;
    char q[PROTO_MAX_PERIOD + 1];
    proto_quote(q, sizeof q, r->period, strlen(r->period));
    period p, current;
    if (period_parse(r->period, &p) != 0) {
        proto_errors_add(errs, i, "period", "bad_period",
                         "'%s' is not a period; figures are reported per month, like 2026-10", q);
        return;
    }
    if (p.kind != PERIOD_MONTH) {
        proto_errors_add(errs, i, "period", "not_a_month",
                         "'%s' is a %s; figures are reported per month, like 2026-10", q,
                         period_kind_name(p.kind));
        return;
    }
    char first[PERIOD_TEXT_MAX];
    if (period_of_time(now, &current) == 0 && period_compare(&p, &current) > 0) {
        proto_errors_add(errs, i, "period", "future_period",
                         "%s is in the future: a month can be reported once it has begun", q);
    } else if (period_compare(&p, &cat->first) < 0 &&
               period_format(&cat->first, first, sizeof first) == 0) {
        proto_errors_add(errs, i, "period", "period_too_early",
                         "%s is before %s, the first month this municipality monitors", q, first);
    } else {
        period_format(&p, r->period, sizeof r->period); /* canonical form */
    }
}

static void check_value(const proto_record *r, long i, const metric *m, proto_errors *errs)
{
    if (r->bad & PROTO_F_VALUE)
        return;
    if (!isfinite(r->value)) {
        proto_errors_add(errs, i, "value", "not_finite", "value must be a finite number");
        return;
    }
    if (!m)
        return;
    if (m->integer && r->value != floor(r->value)) {
        proto_errors_add(errs, i, "value", "not_integer",
                         "%g is not a whole number; %s is a count", r->value, m->code);
        return;
    }
    if (r->value < m->min || r->value > m->max)
        proto_errors_add(errs, i, "value", "out_of_range", "%g is outside %g..%g for %s",
                         r->value, m->min, m->max, m->code);
}

/* A record and its position, sorted by (metric, area, period, position) to find repeats. */
typedef struct {
    const proto_record *r;
    size_t index;
} keyed;

static int same_key(const proto_record *x, const proto_record *y)
{
    int c = strcmp(x->metric, y->metric);
    if (!c)
        c = strcmp(x->area, y->area);
    if (!c)
        c = strcmp(x->period, y->period);
    return c;
}

static int by_key(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    int c = same_key(x->r, y->r);
    return c ? c : (x->index > y->index) - (x->index < y->index);
}

static void check_repeats(const proto_request *req, proto_errors *errs)
{
    keyed *k = malloc(req->n_records * sizeof *k);
    if (!k) {
        proto_errors_add(errs, -1, "records", "internal", "out of memory checking repeats");
        return;
    }
    for (size_t i = 0; i < req->n_records; i++)
        k[i] = (keyed){&req->records[i], i};
    qsort(k, req->n_records, sizeof *k, by_key);
    size_t run = 0; /* first record of the current run of equal keys */
    for (size_t i = 1; i < req->n_records; i++) {
        if (k[i].r->bad || k[run].r->bad || same_key(k[run].r, k[i].r) != 0) {
            run = i;
            continue;
        }
        proto_errors_add(errs, (long)k[i].index, "record", "duplicate_record",
                         "same metric, area and period as record %zu", k[run].index);
    }
    free(k);
}

size_t validate_submission(proto_request *req, const organisation *org, const registry *reg,
                           time_t now, proto_errors *errs)
{
    size_t before = errs->total;
    for (size_t i = 0; i < req->n_records; i++) {
        proto_record *r = &req->records[i];
        const metric *m;
        check_metric(r, (long)i, org, &reg->cat, errs, &m);
        check_area(r, (long)i, org, &reg->parts, errs);
        check_period(r, (long)i, &reg->cat, now, errs);
        check_value(r, (long)i, m, errs);
    }
    check_repeats(req, errs);
    checks_submission(&reg->cat, req, errs);
    return errs->total - before;
}

static uint64_t fnv(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 1099511628211ull;
    }
    return h;
}

uint64_t validate_digest(const proto_request *req)
{
    uint64_t h = 14695981039346656037ull;
    for (size_t i = 0; i < req->n_records; i++) {
        const proto_record *r = &req->records[i];
        h = fnv(h, r->metric, strlen(r->metric) + 1);
        h = fnv(h, r->area, strlen(r->area) + 1);
        h = fnv(h, r->period, strlen(r->period) + 1);
        double v = r->value == 0 ? 0 : r->value; /* -0 and 0 are the same figure */
        h = fnv(h, &v, sizeof v);
    }
    /* SQLite integers are signed: keep the top bit clear so the value round-trips. */
    return h & 0x7fffffffffffffffull;
}
