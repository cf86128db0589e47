/* rollup.c: indicator arithmetic: months by the metric's rule, then sums across parts. */
#include "rollup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int by_part(const void *a, const void *b)
{
    const rollup_fig *x = a, *y = b;
    if (x->reporter != y->reporter)
        return x->reporter < y->reporter ? -1 : 1;
    if (x->area != y->area)
        return x->area < y->area ? -1 : 1;
    if (x->m != y->m)
        return strcmp(x->m->code, y->m->code);
    return (x->month > y->month) - (x->month < y->month);
}

static bool same_part(const rollup_fig *x, const rollup_fig *y)
{
    return x->reporter == y->reporter && x->area == y->area && x->m == y->m;
}

/* "a, b" of a part's metric codes, for reasons. */
static void part_codes(const indicator_part *part, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < part->n_metrics && used < size; i++) {
        int w = snprintf(buf + used, size - used, "%s%s", i ? ", " : "", part->metrics[i]->code);
        if (w < 0)
            return;
        used += (size_t)w;
    }
}

static bool sorted(const rollup_fig *figs, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (by_part(&figs[i - 1], &figs[i]) > 0)
            return false;
    return true;
}

void rollup_sort(rollup_fig *figs, size_t n)
{
    if (n && !sorted(figs, n))
        qsort(figs, n, sizeof *figs, by_part);
}

/* One stable counting pass from in to out by reporter or by area (ids below k). */
static void count_pass(const rollup_fig *in, rollup_fig *out, size_t n, size_t *counts,
                       size_t k, bool by_reporter)
{
    memset(counts, 0, (k + 1) * sizeof *counts);
    for (size_t i = 0; i < n; i++)
        counts[(size_t)(by_reporter ? in[i].reporter : in[i].area) + 1]++;
    for (size_t v = 1; v <= k; v++)
        counts[v] += counts[v - 1];
    for (size_t i = 0; i < n; i++)
        out[counts[(size_t)(by_reporter ? in[i].reporter : in[i].area)]++] = in[i];
}

void rollup_sort_read(rollup_fig *figs, size_t n, rollup_fig *tmp, size_t *counts,
                      size_t n_reporters, size_t n_areas)
{
    bool in_range = true;
    for (size_t i = 0; i < n && in_range; i++)
        in_range = figs[i].reporter >= 0 && (size_t)figs[i].reporter < n_reporters &&
                   figs[i].area >= 0 && (size_t)figs[i].area < n_areas;
    if (n > 1 && in_range) {
        count_pass(figs, tmp, n, counts, n_areas, false);
        count_pass(tmp, figs, n, counts, n_reporters, true);
    }
    rollup_sort(figs, n);
}

void rollup_compute(const indicator *ind, int first, int last, rollup_fig *figs, size_t n,
                    rollup_result *out)
{
    memset(out, 0, sizeof *out);
    rollup_sort(figs, n);
    size_t num_parts = 0, den_parts = 0, locations = 0;
    int last_reporter = -1, last_area = -1, last_carried = -1;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        double sum = 0, latest = 0, before = 0;
        size_t months = 0;
        bool has_before = false;
        int reach = last - figs[i].m->carry; /* the earliest month a carry may come from */
        for (; j < n && same_part(&figs[i], &figs[j]); j++) {
            if (figs[j].month < first || figs[j].month > last) {
                if (figs[j].month < first && figs[j].month >= reach) {
                    before = figs[j].value; /* sorted by month: the latest one before */
                    has_before = true;
                }
                continue;
            }
            sum += figs[j].value;
            latest = figs[j].value; /* sorted by month: the last one seen is the latest */
            months++;
        }
        const rollup_fig *f = &figs[i];
        i = j;
        bool carried = !months && has_before && f->m->time == ROLLUP_LAST &&
                       (indicator_part_counts(&ind->num, f->m, f->kind) ||
                        (ind->type == IND_RATIO && indicator_part_counts(&ind->den, f->m, f->kind)));
        if (carried) {
            latest = before;
            months = 1;
            if (f->reporter != last_carried)
                out->carried++;
            last_carried = f->reporter;
        }
        if (!months)
            continue;
        double rolled = f->m->time == ROLLUP_SUM ? sum
                        : f->m->time == ROLLUP_AVG ? sum / (double)months
                                                   : latest;
        if (indicator_part_counts(&ind->num, f->m, f->kind)) {
            out->numerator += rolled;
            num_parts++;
            /* A mean is over locations: count each (reporter, area) once. */
            if (!locations || f->reporter != last_reporter || f->area != last_area)
                locations++;
            last_reporter = f->reporter;
            last_area = f->area;
        }
        if (ind->type == IND_RATIO && indicator_part_counts(&ind->den, f->m, f->kind)) {
            out->denominator += rolled;
            den_parts++;
        }
    }
    out->parts = num_parts + den_parts;
    if (ind->type == IND_MEAN)
        rollup_finish(ind, num_parts > 0, out->numerator, locations > 0, (double)locations, out);
    else
        rollup_finish(ind, num_parts > 0, out->numerator, den_parts > 0, out->denominator, out);
}

void rollup_finish(const indicator *ind, bool has_num, double numerator, bool has_den,
                   double denominator, rollup_result *out)
{
    out->has_num = has_num;
    out->numerator = numerator;
    out->has_den = ind->type != IND_SUM && has_den;
    out->denominator = ind->type != IND_SUM ? denominator : 0;
    out->has_value = false;
    out->value = 0;
    out->reason[0] = '\0';
    char codes[120];
    switch (ind->type) {
    case IND_SUM:
        out->has_value = out->has_num;
        out->value = out->numerator;
        break;
    case IND_MEAN:
        out->has_value = out->has_den && out->denominator > 0;
        out->value = out->has_value ? out->numerator / out->denominator : 0;
        break;
    case IND_RATIO:
        if (!out->has_den) {
            part_codes(&ind->den, codes, sizeof codes);
            snprintf(out->reason, sizeof out->reason, "no figures for the denominator (%s)",
                     codes);
        } else if (out->denominator == 0) {
            part_codes(&ind->den, codes, sizeof codes);
            snprintf(out->reason, sizeof out->reason, "the denominator (%s) is 0", codes);
        } else if (!out->has_num) {
            part_codes(&ind->num, codes, sizeof codes);
            snprintf(out->reason, sizeof out->reason, "no figures for the numerator (%s)",
                     codes);
        } else {
            out->has_value = true;
            out->value = ind->factor * out->numerator / out->denominator;
        }
        return;
    }
    if (!out->has_value) {
        part_codes(&ind->num, codes, sizeof codes);
        snprintf(out->reason, sizeof out->reason, "no figures for %s", codes);
    }
}
