/* coverage.c: the coverage table in memory (coverage.h). */
#include "coverage.h"

#include <stdlib.h>
#include <string.h>

#include "grow.h"

typedef struct {
    coverage_pair *pairs; /* owned */
    size_t n, cap;
    bool loaded;
} metric_pairs;

struct coverage {
    const registry *reg;
    metric_pairs *by_metric; /* one per metric of the catalogue */
    unsigned long gen;       /* store_coverage_gen when the copies were read */
    char *all_json;          /* every area code, for the read */
    store_obs *rows;
    size_t n_rows, cap_rows;
};

int coverage_new(coverage **out, const registry *reg)
{
    coverage *c = calloc(1, sizeof *c);
    const partners *parts = &reg->parts;
    size_t size = 3;
    for (size_t i = 0; i < parts->n_areas; i++)
        size += strlen(parts->areas[i].code) + 3;
    if (!c || !(c->by_metric = calloc(reg->cat.n_metrics ? reg->cat.n_metrics : 1,
                                      sizeof *c->by_metric)) ||
        !(c->all_json = malloc(size))) {
        coverage_free(&c);
        return -1;
    }
    c->reg = reg;
    size_t used = 0;
    c->all_json[used++] = '[';
    for (size_t i = 0; i < parts->n_areas; i++) {
        const char *code = parts->areas[i].code;
        size_t len = strlen(code);
        if (i)
            c->all_json[used++] = ',';
        c->all_json[used++] = '"';
        memcpy(c->all_json + used, code, len); /* area codes need no escaping */
        used += len;
        c->all_json[used++] = '"';
    }
    c->all_json[used++] = ']';
    c->all_json[used] = '\0';
    *out = c;
    return 0;
}

void coverage_free(coverage **cp)
{
    coverage *c = *cp;
    if (!c)
        return;
    for (size_t i = 0; c->by_metric && i < c->reg->cat.n_metrics; i++)
        free(c->by_metric[i].pairs);
    free(c->by_metric);
    free(c->all_json);
    free(c->rows);
    free(c);
    *cp = NULL;
}

static int load(coverage *c, store *db, const metric *m, metric_pairs *mp)
{
    const partners *parts = &c->reg->parts;
    c->n_rows = 0;
    if (store_coverage(db, m->code, c->all_json, &c->rows, &c->n_rows, &c->cap_rows) < 0)
        return -1;
    mp->n = 0;
    if (GROW(mp->pairs, mp->cap, c->n_rows ? c->n_rows : 1) != 0)
        return -1;
    for (size_t i = 0; i < c->n_rows; i++) {
        const organisation *o = partners_org(parts, c->rows[i].reporter);
        int a = partners_area(parts, c->rows[i].area);
        if (o && a >= 0) /* no longer in the partners file: nobody to expect */
            mp->pairs[mp->n++] = (coverage_pair){(int)(o - parts->orgs), a};
    }
    mp->loaded = true;
    return 0;
}

int coverage_of(coverage *c, store *db, const metric *m, const coverage_pair **pairs, size_t *n)
{
    /* The generation first, in the caller's transaction: rows read after it are at least
     * that new, and rows read in an older snapshot go with an older number. */
    unsigned long gen;
    if (store_coverage_gen(db, &gen) < 0)
        return -1;
    if (gen != c->gen) {
        for (size_t i = 0; i < c->reg->cat.n_metrics; i++)
            c->by_metric[i].loaded = false;
        c->gen = gen;
    }
    metric_pairs *mp = &c->by_metric[m - c->reg->cat.metrics];
    if (!mp->loaded && load(c, db, m, mp) < 0)
        return -1;
    *pairs = mp->pairs;
    *n = mp->n;
    return 0;
}
