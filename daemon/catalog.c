/* catalog.c: loading and looking up the metric catalogue. */
#include "catalog.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

static const char *const kind_names[KIND_COUNT] = {
    [KIND_KINDEROPVANG] = "kinderopvang", [KIND_GGD] = "ggd",
    [KIND_SCHOOL_PO] = "school_po",       [KIND_SCHOOL_SO] = "school_so",
    [KIND_SCHOOL_VO] = "school_vo",       [KIND_MBO] = "mbo",
    [KIND_RBL] = "rbl",                   [KIND_GEMEENTE] = "gemeente",
};

const char *kind_name(org_kind kind)
{
    return (kind >= 0 && kind < KIND_COUNT) ? kind_names[kind] : "?";
}

int kind_parse(const char *name, org_kind *out)
{
    for (int i = 0; i < KIND_COUNT; i++)
        if (strcmp(kind_names[i], name) == 0) {
            *out = (org_kind)i;
            return 0;
        }
    return -1;
}

static const char *const rollup_names[] = {"last", "sum", "avg"};

const char *rollup_name(rollup r)
{
    return (r >= ROLLUP_LAST && r <= ROLLUP_AVG) ? rollup_names[r] : "?";
}

static const char *const units[] = {"count", "hours", "percent", "euro", NULL};

static int load_metric(const config_setting_t *s, metric *m, char *err, size_t errlen)
{
    static const char *const known[] = {"code", "label", "unit", "time", "kinds",
                                        "min",  "max",   "integer", NULL};
    char buf[16];
    bool failed;
    memset(m, 0, sizeof *m);
    if (!config_setting_is_group(s))
        return conf_error(err, errlen, s, "a metric must be a group { code = ...; ... }");
    if (conf_known(s, known, err, errlen) < 0 ||
        conf_str(s, "code", true, m->code, sizeof m->code, err, errlen) < 0 ||
        conf_str(s, "label", true, m->label, sizeof m->label, err, errlen) < 0 ||
        conf_str(s, "unit", true, m->unit, sizeof m->unit, err, errlen) < 0 ||
        conf_str(s, "time", true, buf, sizeof buf, err, errlen) < 0)
        return -1;
    if (!conf_code_ok(m->code, PROTO_MAX_CODE))
        return conf_error(err, errlen, config_setting_get_member(s, "code"),
                          "'%s' is not a code (letters, digits, '.', '_', '-')", m->code);
    bool unit_ok = false;
    for (const char *const *u = units; *u && !unit_ok; u++)
        unit_ok = strcmp(*u, m->unit) == 0;
    if (!unit_ok)
        return conf_error(err, errlen, config_setting_get_member(s, "unit"),
                          "'%s' is not one of count, hours, percent, euro", m->unit);
    int t = -1;
    for (int i = 0; i < 3; i++)
        if (strcmp(buf, rollup_names[i]) == 0)
            t = i;
    if (t < 0)
        return conf_error(err, errlen, config_setting_get_member(s, "time"),
                          "'%s' is not one of last, sum, avg", buf);
    m->time = (rollup)t;
    const config_setting_t *kinds = conf_str_list(s, "kinds", true, &failed, err, errlen);
    if (failed)
        return -1;
    if (config_setting_length(kinds) == 0)
        return conf_error(err, errlen, kinds, "names no partner kind");
    for (int i = 0; i < config_setting_length(kinds); i++) {
        const config_setting_t *e = config_setting_get_elem(kinds, (unsigned)i);
        org_kind k;
        if (kind_parse(config_setting_get_string(e), &k) != 0)
            return conf_error(err, errlen, e,
                              "'%s' is not a partner kind (kinderopvang, ggd, school_po, "
                              "school_so, school_vo, mbo, rbl, gemeente)",
                              config_setting_get_string(e));
        m->kinds |= 1u << k;
    }
    if (conf_number(s, "min", true, &m->min, err, errlen) < 0 ||
        conf_number(s, "max", true, &m->max, err, errlen) < 0)
        return -1;
    if (!(m->min <= m->max) || !isfinite(m->min) || !isfinite(m->max))
        return conf_error(err, errlen, config_setting_get_member(s, "max"),
                          "max must be a finite number not below min");
    m->integer = strcmp(m->unit, "count") == 0;
    if (conf_bool(s, "integer", false, &m->integer, err, errlen) < 0)
        return -1;
    return 0;
}

static int by_code(const void *a, const void *b)
{
    return strcmp(((const metric *)a)->code, ((const metric *)b)->code);
}

int catalog_load(catalog *cat, const char *path, char *err, size_t errlen)
{
    static const char *const known[] = {"first_period", "metrics", NULL};
    config_t cfg;
    int rc = -1;
    memset(cat, 0, sizeof *cat);
    if (conf_read_file(&cfg, path, err, errlen) < 0)
        goto out;
    const config_setting_t *root = config_root_setting(&cfg);
    char first[PERIOD_TEXT_MAX];
    if (conf_known(root, known, err, errlen) < 0 ||
        conf_str(root, "first_period", true, first, sizeof first, err, errlen) < 0)
        goto out;
    if (period_parse(first, &cat->first) != 0 || cat->first.kind != PERIOD_MONTH) {
        conf_error(err, errlen, config_setting_get_member(root, "first_period"),
                   "'%s' is not a month like 2020-01", first);
        goto out;
    }
    const config_setting_t *list = config_setting_get_member(root, "metrics");
    if (!list || config_setting_type(list) != CONFIG_TYPE_LIST ||
        config_setting_length(list) == 0) {
        conf_error(err, errlen, list ? list : root,
                   list ? "metrics must be a non-empty list ( {...}, {...} )"
                        : "'metrics' is missing");
        goto out;
    }
    size_t n = (size_t)config_setting_length(list);
    cat->metrics = calloc(n, sizeof *cat->metrics);
    if (!cat->metrics) {
        snprintf(err, errlen, "%s: out of memory", path);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        const config_setting_t *s = config_setting_get_elem(list, (unsigned)i);
        if (load_metric(s, &cat->metrics[i], err, errlen) < 0)
            goto out;
        for (size_t j = 0; j < i; j++)
            if (strcmp(cat->metrics[j].code, cat->metrics[i].code) == 0) {
                conf_error(err, errlen, s, "metric '%s' is defined twice", cat->metrics[i].code);
                goto out;
            }
        cat->n_metrics = i + 1;
    }
    qsort(cat->metrics, cat->n_metrics, sizeof *cat->metrics, by_code);
    rc = 0;
out:
    config_destroy(&cfg);
    if (rc != 0)
        catalog_free(cat);
    return rc;
}

void catalog_free(catalog *cat)
{
    free(cat->metrics);
    memset(cat, 0, sizeof *cat);
}

const metric *catalog_metric(const catalog *cat, const char *code)
{
    metric key;
    size_t n = strlen(code);
    if (n >= sizeof key.code || !cat->n_metrics)
        return NULL;
    memcpy(key.code, code, n + 1);
    return bsearch(&key, cat->metrics, cat->n_metrics, sizeof *cat->metrics, by_code);
}
