/* checks.c: the catalogue's plausibility checks (checks.h). */
#include "checks.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

static int load_check(const catalog *cat, const config_setting_t *s, check_def *c, lm_error *err)
{
    static const char *const known[] = {"name", "kind", "metric", "than", "indicator", "min",
                                        "max", "factor", "months", "min_difference", NULL};
    char kind[16] = "", code[PROTO_MAX_CODE + 1] = "", than[PROTO_MAX_CODE + 1] = "";
    long long months = 12;
    memset(c, 0, sizeof *c);
    c->factor = 3.0;
    c->min_difference = CHECK_MIN_DIFFERENCE;
    if (!config_setting_is_group(s))
        return conf_error(err, s, "a check must be a group { name = ...; kind = ...; }");
    if (conf_known(s, known, err) < 0 ||
        conf_str(s, "name", true, c->name, sizeof c->name, err) < 0 ||
        conf_str(s, "kind", true, kind, sizeof kind, err) < 0 ||
        conf_int(s, "months", false, 3, 60, &months, err) < 0 ||
        conf_number(s, "factor", false, &c->factor, err) < 0 ||
        conf_number(s, "min_difference", false, &c->min_difference, err) < 0)
        return -1;
    c->months = (int)months;
    if (!conf_code_ok(c->name, PROTO_MAX_CODE))
        return conf_error(err, config_setting_get_member(s, "name"),
                          "a check's name is letters, digits, '.', '_' and '-'");
    if (strcmp(kind, "at_most") == 0) {
        c->kind = CHECK_AT_MOST;
        if (conf_str(s, "metric", true, code, sizeof code, err) < 0 ||
            conf_str(s, "than", true, than, sizeof than, err) < 0)
            return -1;
        if (!(c->m = catalog_metric(cat, code)))
            return conf_error(err, config_setting_get_member(s, "metric"),
                              "'%s' is not a metric of this catalogue", code);
        if (!(c->than = catalog_metric(cat, than)))
            return conf_error(err, config_setting_get_member(s, "than"),
                              "'%s' is not a metric of this catalogue", than);
    } else if (strcmp(kind, "range") == 0) {
        c->kind = CHECK_RANGE;
        if (conf_str(s, "indicator", true, code, sizeof code, err) < 0)
            return -1;
        if (!(c->ind = catalog_indicator(cat, code)))
            return conf_error(err, config_setting_get_member(s, "indicator"),
                              "'%s' is not an indicator of this catalogue", code);
        int has_min = conf_number(s, "min", false, &c->min, err);
        int has_max = conf_number(s, "max", false, &c->max, err);
        if (has_min < 0 || has_max < 0)
            return -1;
        c->has_min = has_min == 1;
        c->has_max = has_max == 1;
        if (!c->has_min && !c->has_max)
            return conf_error(err, s, "a range check needs min, max or both");
        if (c->has_min && c->has_max && !(c->min <= c->max))
            return conf_error(err, config_setting_get_member(s, "max"),
                              "max must not be below min");
    } else if (strcmp(kind, "outlier") == 0) {
        c->kind = CHECK_OUTLIER;
        if (!(c->factor > 1) || !isfinite(c->factor))
            return conf_error(err, config_setting_get_member(s, "factor"),
                              "factor must be a number above 1");
        if (!(c->min_difference >= 0) || !isfinite(c->min_difference))
            return conf_error(err, config_setting_get_member(s, "min_difference"),
                              "min_difference must be a number, 0 or more");
    } else {
        return conf_error(err, config_setting_get_member(s, "kind"),
                          "kind must be at_most, range or outlier");
    }
    return 0;
}

int checks_load(catalog *cat, const config_setting_t *root, lm_error *err)
{
    const config_setting_t *list;
    int n = conf_list(root, "checks", &list, err);
    if (n <= 0)
        return n;
    if (!(cat->checks = calloc((size_t)n, sizeof *cat->checks)))
        return conf_error(err, list, "out of memory");
    for (int i = 0; i < n; i++) {
        const config_setting_t *s = config_setting_get_elem(list, (unsigned)i);
        check_def *c = &cat->checks[i];
        if (load_check(cat, s, c, err) < 0)
            return -1;
        for (int j = 0; j < i; j++)
            if (strcmp(cat->checks[j].name, c->name) == 0)
                return conf_error(err, s, "check '%s' is defined twice", c->name);
        if (c->kind == CHECK_OUTLIER && checks_outlier(cat))
            return conf_error(err, s, "one outlier check is enough");
        cat->n_checks = (size_t)i + 1;
    }
    return 0;
}

/* The record of metric m for the area and period of rec, or -1. */
static long find(const proto_request *req, const metric *m, const proto_record *rec)
{
    for (size_t i = 0; i < req->n_records; i++) {
        const proto_record *r = &req->records[i];
        if (strcmp(r->metric, m->code) == 0 && strcmp(r->area, rec->area) == 0 &&
            strcmp(r->period, rec->period) == 0)
            return (long)i;
    }
    return -1;
}

size_t checks_submission(const catalog *cat, const proto_request *req, proto_errors *errs)
{
    size_t added = 0;
    for (size_t k = 0; k < cat->n_checks; k++) {
        const check_def *c = &cat->checks[k];
        if (c->kind != CHECK_AT_MOST)
            continue;
        for (size_t i = 0; i < req->n_records; i++) {
            const proto_record *r = &req->records[i];
            if (strcmp(r->metric, c->m->code) != 0)
                continue;
            long j = find(req, c->than, r);
            if (j < 0 || r->value <= req->records[j].value)
                continue;
            proto_errors_add(errs, (long)i, "value", "implausible",
                             "%s %.15g is more than %s %.15g in record %ld (%s, %s): it cannot "
                             "be true (check %s)",
                             r->metric, r->value, c->than->code, req->records[j].value, j,
                             r->area, r->period, c->name);
            added++;
        }
    }
    return added;
}

bool checks_plausible(const catalog *cat, const indicator *ind, bool has_value, double value)
{
    if (!has_value)
        return true;
    for (size_t k = 0; k < cat->n_checks; k++) {
        const check_def *c = &cat->checks[k];
        if (c->kind == CHECK_RANGE && c->ind == ind &&
            ((c->has_min && value < c->min) || (c->has_max && value > c->max)))
            return false;
    }
    return true;
}

const check_def *checks_outlier(const catalog *cat)
{
    for (size_t k = 0; k < cat->n_checks; k++)
        if (cat->checks[k].kind == CHECK_OUTLIER)
            return &cat->checks[k];
    return NULL;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

bool checks_is_outlier(const check_def *c, double value, const double *history, size_t n,
                       double *median)
{
    if (n < 3)
        return false; /* too little history to tell */
    double sorted[60];
    if (n > sizeof sorted / sizeof sorted[0])
        n = sizeof sorted / sizeof sorted[0];
    memcpy(sorted, history, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, by_value);
    double med = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    *median = med;
    if (med <= 0)
        return false; /* against nothing, any figure would stand out */
    if (fabs(value - med) < c->min_difference)
        return false; /* 0 against a usual 1 is no typo worth a warning */
    return value > c->factor * med || value < med / c->factor;
}
