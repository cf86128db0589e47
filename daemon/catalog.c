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
static int one_of(const char *s, const char *const *names);

/* The months a metric is owed: due = "monthly" (default), "quarterly" (March, June,
 * September, December), "yearly" or "schoolyear" (one month: due_month, default December
 * and July), or due_months = [7, 8]. */
static int load_due(const config_setting_t *s, metric *m, lm_error *err)
{
    char due[16] = "monthly";
    long long month = 0;
    const config_setting_t *list = config_setting_get_member(s, "due_months");
    if (list && config_setting_type(list) != CONFIG_TYPE_ARRAY &&
        config_setting_type(list) != CONFIG_TYPE_LIST)
        return conf_error(err, list, "due_months must be a list of months, like [7, 8]");
    if (conf_str(s, "due", false, due, sizeof due, err) < 0 ||
        conf_int(s, "due_month", false, 1, 12, &month, err) < 0)
        return -1;
    if (list) {
        if (config_setting_get_member(s, "due") || month)
            return conf_error(err, list, "give due_months, or due (and due_month)");
        for (int i = 0; i < config_setting_length(list); i++) {
            const config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
            if (config_setting_type(e) != CONFIG_TYPE_INT || config_setting_get_int(e) < 1 ||
                config_setting_get_int(e) > 12)
                return conf_error(err, e, "a month is a number from 1 to 12");
            m->due |= 1u << (config_setting_get_int(e) - 1);
        }
        return m->due ? 0 : conf_error(err, list, "names no month");
    }
    if (strcmp(due, "monthly") == 0 || strcmp(due, "quarterly") == 0) {
        if (month)
            return conf_error(err, config_setting_get_member(s, "due_month"),
                              "due_month is for a yearly or schoolyear metric");
        m->due = due[0] == 'm' ? 0xfffu : 0x924u; /* quarterly: bits 2, 5, 8, 11 */
    } else if (strcmp(due, "yearly") == 0 || strcmp(due, "schoolyear") == 0) {
        m->due = 1u << ((month ? month : due[0] == 'y' ? 12 : 7) - 1);
    } else {
        return conf_error(err, config_setting_get_member(s, "due"),
                          "due must be monthly, quarterly, yearly or schoolyear");
    }
    return 0;
}

static int load_metric(const config_setting_t *s, metric *m, lm_error *err)
{
    static const char *const known[] = {"code", "label", "unit", "time", "kinds", "min",
                                        "max", "integer", "due", "due_month", "due_months",
                                        "carry", NULL};
    char buf[16];
    bool failed;
    memset(m, 0, sizeof *m);
    if (!config_setting_is_group(s))
        return conf_error(err, s, "a metric must be a group { code = ...; ... }");
    if (conf_known(s, known, err) < 0 ||
        conf_str(s, "code", true, m->code, sizeof m->code, err) < 0 ||
        conf_str(s, "label", true, m->label, sizeof m->label, err) < 0 ||
        conf_str(s, "unit", true, m->unit, sizeof m->unit, err) < 0 ||
        conf_str(s, "time", true, buf, sizeof buf, err) < 0)
        return -1;
    if (!conf_code_ok(m->code, PROTO_MAX_CODE))
        return conf_error(err, config_setting_get_member(s, "code"),
                          "'%s' is not a code (letters, digits, '.', '_', '-')", m->code);
    bool unit_ok = false;
    for (const char *const *u = units; *u && !unit_ok; u++)
        unit_ok = strcmp(*u, m->unit) == 0;
    if (!unit_ok)
        return conf_error(err, config_setting_get_member(s, "unit"),
                          "'%s' is not one of count, hours, percent, euro", m->unit);
    int t = -1;
    for (int i = 0; i < 3; i++)
        if (strcmp(buf, rollup_names[i]) == 0)
            t = i;
    if (t < 0)
        return conf_error(err, config_setting_get_member(s, "time"),
                          "'%s' is not one of last, sum, avg", buf);
    m->time = (rollup)t;
    const config_setting_t *kinds = conf_str_list(s, "kinds", true, &failed, err);
    if (failed)
        return -1;
    if (config_setting_length(kinds) == 0)
        return conf_error(err, kinds, "names no partner kind");
    for (int i = 0; i < config_setting_length(kinds); i++) {
        const config_setting_t *e = config_setting_get_elem(kinds, (unsigned)i);
        org_kind k;
        if (kind_parse(config_setting_get_string(e), &k) != 0)
            return conf_error(err, e,
                              "'%s' is not a partner kind (kinderopvang, ggd, school_po, "
                              "school_so, school_vo, mbo, rbl, gemeente)",
                              config_setting_get_string(e));
        m->kinds |= 1u << k;
    }
    if (conf_number(s, "min", true, &m->min, err) < 0 ||
        conf_number(s, "max", true, &m->max, err) < 0)
        return -1;
    if (!(m->min <= m->max) || !isfinite(m->min) || !isfinite(m->max))
        return conf_error(err, config_setting_get_member(s, "max"),
                          "max must be a finite number not below min");
    m->integer = strcmp(m->unit, "count") == 0;
    long long carry = 0;
    if (conf_bool(s, "integer", false, &m->integer, err) < 0 ||
        conf_int(s, "carry", false, 0, 12, &carry, err) < 0)
        return -1;
    m->carry = (int)carry;
    if (m->carry && m->time != ROLLUP_LAST)
        return conf_error(err, config_setting_get_member(s, "carry"),
                          "only a stock (time = \"last\") is carried into the months after it");
    return load_due(s, m, err);
}

bool metric_due(const metric *m, int month)
{
    int index = ((month % 12) + 12) % 12; /* month numbers count from January */
    return (m->due >> index) & 1u;
}

const char *indicator_type_name(indicator_type t)
{
    return t == IND_RATIO ? "ratio" : t == IND_SUM ? "sum" : "mean";
}

const char *indicator_better_name(indicator_better b)
{
    return b == BETTER_HIGHER ? "higher" : b == BETTER_LOWER ? "lower" : "closer";
}

bool indicator_part_counts(const indicator_part *part, const metric *m, org_kind k)
{
    for (size_t i = 0; i < part->n_metrics; i++)
        if (part->metrics[i] == m)
            return part->kinds ? (part->kinds >> k) & 1u : (m->kinds >> k) & 1u;
    return false;
}

bool indicator_uses(const indicator *ind, const metric *m)
{
    for (size_t i = 0; i < ind->num.n_metrics; i++)
        if (ind->num.metrics[i] == m)
            return true;
    for (size_t i = 0; i < ind->den.n_metrics; i++)
        if (ind->den.metrics[i] == m)
            return true;
    return false;
}

/* Which of names (NULL-terminated) s is; -1 if none. */
static int one_of(const char *s, const char *const *names)
{
    for (int i = 0; names[i]; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

static int load_part(const catalog *cat, const config_setting_t *ind, const char *name,
                     bool required, indicator_part *part, lm_error *err)
{
    static const char *const known[] = {"metrics", "kinds", NULL};
    const config_setting_t *s = config_setting_get_member(ind, name);
    bool failed;
    memset(part, 0, sizeof *part);
    if (!s)
        return required ? conf_error(err, ind, "'%s' is missing", name) : 0;
    if (!config_setting_is_group(s))
        return conf_error(err, s, "must be a group { metrics = [...]; kinds = [...]; }");
    if (conf_known(s, known, err) < 0)
        return -1;
    const config_setting_t *ms = conf_str_list(s, "metrics", true, &failed, err);
    if (failed)
        return -1;
    int n = config_setting_length(ms);
    if (n == 0 || n > INDICATOR_MAX_METRICS)
        return conf_error(err, ms, "names 1 to %d metrics", INDICATOR_MAX_METRICS);
    for (int i = 0; i < n; i++) {
        const config_setting_t *e = config_setting_get_elem(ms, (unsigned)i);
        const metric *m = catalog_metric(cat, config_setting_get_string(e));
        if (!m)
            return conf_error(err, e, "'%s' is not a metric of this catalogue",
                              config_setting_get_string(e));
        part->metrics[part->n_metrics++] = m;
    }
    const config_setting_t *ks = conf_str_list(s, "kinds", false, &failed, err);
    if (failed)
        return -1;
    for (int i = 0; ks && i < config_setting_length(ks); i++) {
        const config_setting_t *e = config_setting_get_elem(ks, (unsigned)i);
        org_kind k;
        if (kind_parse(config_setting_get_string(e), &k) != 0)
            return conf_error(err, e, "'%s' is not a partner kind",
                              config_setting_get_string(e));
        part->kinds |= 1u << k;
    }
    return 0;
}

static int load_indicator(const catalog *cat, const config_setting_t *s, indicator *ind,
                          lm_error *err)
{
    static const char *const known[] = {"code", "label", "unit", "type", "better", "ideal",
                                        "factor", "numerator", "denominator", NULL};
    static const char *const types[] = {"ratio", "sum", "mean", NULL};
    static const char *const betters[] = {"higher", "lower", "closer", NULL};
    char type[16] = "ratio", better[16];
    memset(ind, 0, sizeof *ind);
    ind->factor = 1.0;
    if (!config_setting_is_group(s))
        return conf_error(err, s, "an indicator must be a group { code = ...; ... }");
    if (conf_known(s, known, err) < 0 ||
        conf_str(s, "code", true, ind->code, sizeof ind->code, err) < 0 ||
        conf_str(s, "label", true, ind->label, sizeof ind->label, err) < 0 ||
        conf_str(s, "unit", true, ind->unit, sizeof ind->unit, err) < 0 ||
        conf_str(s, "type", false, type, sizeof type, err) < 0 ||
        conf_str(s, "better", true, better, sizeof better, err) < 0 ||
        conf_number(s, "factor", false, &ind->factor, err) < 0)
        return -1;
    if (!conf_code_ok(ind->code, PROTO_MAX_CODE))
        return conf_error(err, config_setting_get_member(s, "code"),
                          "'%s' is not a code (letters, digits, '.', '_', '-')", ind->code);
    if (one_of(ind->unit, units) < 0)
        return conf_error(err, config_setting_get_member(s, "unit"),
                          "'%s' is not one of count, hours, percent, euro", ind->unit);
    int t = one_of(type, types), b = one_of(better, betters);
    if (t < 0)
        return conf_error(err, config_setting_get_member(s, "type"),
                          "'%s' is not one of ratio, sum, mean", type);
    if (b < 0)
        return conf_error(err, config_setting_get_member(s, "better"),
                          "'%s' is not one of higher, lower, closer", better);
    ind->type = (indicator_type)t;
    ind->better = (indicator_better)b;
    int has_ideal = conf_number(s, "ideal", false, &ind->ideal, err);
    if (has_ideal < 0)
        return -1;
    if (ind->better == BETTER_CLOSER && !has_ideal)
        return conf_error(err, s, "better = \"closer\" needs ideal = <value>");
    if (load_part(cat, s, "numerator", true, &ind->num, err) < 0 ||
        load_part(cat, s, "denominator", ind->type == IND_RATIO, &ind->den, err) < 0)
        return -1;
    if (ind->type != IND_RATIO && config_setting_get_member(s, "denominator"))
        return conf_error(err, config_setting_get_member(s, "denominator"),
                          "only a ratio has a denominator");
    if (!isfinite(ind->factor) || ind->factor <= 0)
        return conf_error(err, config_setting_get_member(s, "factor"),
                          "must be a positive number");
    return 0;
}

/* baseline or goal: { period = "2027"; value = 85.0; } (a baseline may leave out value). */
static int load_point(const config_setting_t *t, const char *name, bool need_value, period *p,
                      bool *has_value, double *value, lm_error *err)
{
    static const char *const known[] = {"period", "value", NULL};
    const config_setting_t *s = config_setting_get_member(t, name);
    char text[PERIOD_TEXT_MAX];
    if (!config_setting_is_group(s))
        return conf_error(err, s, "must be a group { period = \"2027\"; value = ...; }");
    if (conf_known(s, known, err) < 0 ||
        conf_str(s, "period", true, text, sizeof text, err) < 0)
        return -1;
    if (period_parse(text, p) != 0)
        return conf_error(err, config_setting_get_member(s, "period"),
                          "'%s' is not a period (2027, 2027-Q4, 2026-10, 2026/27)", text);
    int r = conf_number(s, "value", need_value, value, err);
    if (r < 0)
        return -1;
    *has_value = r == 1;
    return 0;
}

int catalog_period_kind(const char *name, period_kind *out)
{
    static const char *const names[] = {"month", "quarter", "year", "schoolyear"};
    for (int i = 0; i < (int)(sizeof names / sizeof names[0]); i++)
        if (strcmp(name, names[i]) == 0) {
            *out = (period_kind)i;
            return 0;
        }
    return -1;
}

/* judged_per: the kinds of period a snapshot may be judged against the target; by default
 * the goal's own kind (a school-year target does not judge a month). */
static int load_judged(const config_setting_t *s, target *t, lm_error *err)
{
    bool failed = false;
    const config_setting_t *list = conf_str_list(s, "judged_per", false, &failed, err);
    if (failed)
        return -1;
    if (!list) {
        t->judged = 1u << t->goal_period.kind;
        return 0;
    }
    for (int i = 0; i < config_setting_length(list); i++) {
        period_kind k;
        const char *name = config_setting_get_string_elem(list, i);
        if (catalog_period_kind(name, &k) < 0)
            return conf_error(err, list, "'%s' is not a kind of period: month, quarter, "
                              "year or schoolyear", name);
        t->judged |= 1u << k;
    }
    return 0;
}

static int load_target(const catalog *cat, const config_setting_t *s, target *t, lm_error *err)
{
    static const char *const known[] = {"indicator", "area", "baseline", "goal", "source",
                                        "judged_per", "standing", NULL};
    char code[PROTO_MAX_CODE + 1];
    bool has_goal;
    memset(t, 0, sizeof *t);
    if (!config_setting_is_group(s))
        return conf_error(err, s, "a target must be a group { indicator = ...; ... }");
    if (conf_known(s, known, err) < 0 ||
        conf_str(s, "indicator", true, code, sizeof code, err) < 0 ||
        conf_str(s, "area", false, t->area, sizeof t->area, err) < 0 ||
        conf_str(s, "source", true, t->source, sizeof t->source, err) < 0 ||
        conf_bool(s, "standing", false, &t->standing, err) < 0)
        return -1;
    if (!(t->ind = catalog_indicator(cat, code)))
        return conf_error(err, config_setting_get_member(s, "indicator"),
                          "'%s' is not an indicator defined above", code);
    if (!config_setting_get_member(s, "goal"))
        return conf_error(err, s, "'goal' is missing");
    if (load_point(s, "goal", true, &t->goal_period, &has_goal, &t->goal_value, err) < 0)
        return -1;
    if (config_setting_get_member(s, "baseline")) {
        t->has_baseline = true;
        if (load_point(s, "baseline", false, &t->baseline_period, &t->has_baseline_value,
                       &t->baseline_value, err) < 0)
            return -1;
        if (period_compare(&t->baseline_period, &t->goal_period) >= 0)
            return conf_error(err, config_setting_get_member(s, "baseline"),
                              "the baseline period must come before the goal period");
    }
    return load_judged(s, t, err);
}

/* An optional list at the root: its length (0 if absent), or -1 if it is not a list. */
static int load_indicators(catalog *cat, const config_setting_t *root, lm_error *err)
{
    const config_setting_t *list;
    int n = conf_list(root, "indicators", &list, err);
    if (n <= 0)
        return n;
    if (!(cat->indicators = calloc((size_t)n, sizeof *cat->indicators)))
        return conf_error(err, list, "out of memory");
    for (int i = 0; i < n; i++) {
        const config_setting_t *s = config_setting_get_elem(list, (unsigned)i);
        indicator *ind = &cat->indicators[i];
        if (load_indicator(cat, s, ind, err) < 0)
            return -1;
        if (catalog_indicator(cat, ind->code))
            return conf_error(err, s, "indicator '%s' is defined twice", ind->code);
        cat->n_indicators = (size_t)i + 1;
    }
    return 0;
}

static int load_targets(catalog *cat, const config_setting_t *root, lm_error *err)
{
    const config_setting_t *list;
    int n = conf_list(root, "targets", &list, err);
    if (n <= 0)
        return n;
    if (!(cat->targets = calloc((size_t)n, sizeof *cat->targets)))
        return conf_error(err, list, "out of memory");
    for (int i = 0; i < n; i++) {
        if (load_target(cat, config_setting_get_elem(list, (unsigned)i), &cat->targets[i], err) < 0)
            return -1;
        cat->n_targets = (size_t)i + 1;
    }
    return 0;
}

static int by_code(const void *a, const void *b)
{
    return strcmp(((const metric *)a)->code, ((const metric *)b)->code);
}

int catalog_read(catalog *cat, const config_setting_t *root, lm_error *err)
{
    static const char *const known[] = {"first_period", "owed_from", "metrics", "indicators",
                                        "targets", "rules", "checks", NULL};
    char first[PERIOD_TEXT_MAX], owed[PERIOD_TEXT_MAX];
    int has_owed;
    if (conf_known(root, known, err) < 0 ||
        conf_str(root, "first_period", true, first, sizeof first, err) < 0 ||
        (has_owed = conf_str(root, "owed_from", false, owed, sizeof owed, err)) < 0)
        return -1;
    if (period_parse(first, &cat->first) != 0 || cat->first.kind != PERIOD_MONTH)
        return conf_error(err, config_setting_get_member(root, "first_period"),
                          "'%s' is not a month like 2020-01", first);
    cat->has_owed_from = has_owed == 1;
    if (cat->has_owed_from &&
        (period_parse(owed, &cat->owed_from) != 0 || cat->owed_from.kind != PERIOD_MONTH))
        return conf_error(err, config_setting_get_member(root, "owed_from"),
                          "'%s' is not a month like 2024-08", owed);
    const config_setting_t *list = config_setting_get_member(root, "metrics");
    if (!list || config_setting_type(list) != CONFIG_TYPE_LIST ||
        config_setting_length(list) == 0)
        return conf_error(err, list ? list : root,
                          list ? "metrics must be a non-empty list ( {...}, {...} )"
                               : "'metrics' is missing");
    size_t n = (size_t)config_setting_length(list);
    cat->metrics = calloc(n, sizeof *cat->metrics);
    if (!cat->metrics)
        return lm_fail(err, 0, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const config_setting_t *s = config_setting_get_elem(list, (unsigned)i);
        if (load_metric(s, &cat->metrics[i], err) < 0)
            return -1;
        for (size_t j = 0; j < i; j++)
            if (strcmp(cat->metrics[j].code, cat->metrics[i].code) == 0)
                return conf_error(err, s, "metric '%s' is defined twice",
                                  cat->metrics[i].code);
        cat->n_metrics = i + 1;
    }
    qsort(cat->metrics, cat->n_metrics, sizeof *cat->metrics, by_code);
    /* Indicators point at metrics: load them once the metrics have their final places. */
    if (load_indicators(cat, root, err) < 0 || load_targets(cat, root, err) < 0)
        return -1;
    return 0;
}

void catalog_free(catalog *cat)
{
    free(cat->indicators);
    free(cat->targets);
    free(cat->rules);
    free(cat->checks);
    free(cat->metrics);
    memset(cat, 0, sizeof *cat);
}

const indicator *catalog_indicator(const catalog *cat, const char *code)
{
    for (size_t i = 0; i < cat->n_indicators; i++)
        if (strcmp(cat->indicators[i].code, code) == 0)
            return &cat->indicators[i];
    return NULL;
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
