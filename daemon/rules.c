/* rules.c: loading alert rules from the catalogue and matching them to areas. */
#include "rules.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

static const char *const levels[] = {"regio", "gemeente", "wijk", "cluster", "buurt", NULL};

static int parse_name(const char *text, const char *const *names, int *out)
{
    for (int i = 0; names[i]; i++)
        if (strcmp(text, names[i]) == 0) {
            *out = i;
            return 0;
        }
    return -1;
}

static int member_error(const config_setting_t *s, const char *name, lm_error *err,
                        const char *what)
{
    return conf_error(err, config_setting_get_member(s, name), "%s", what);
}

/* The kind-specific numbers, with their defaults and checks. */
static int load_numbers(const config_setting_t *s, alert_rule *r, lm_error *err)
{
    bool has_threshold = config_setting_get_member(s, "threshold") != NULL;
    if (conf_number(s, "threshold", false, &r->threshold, err) < 0)
        return -1;
    switch (r->kind) {
    case RULE_BELOW:
    case RULE_ABOVE:
        if (!has_threshold)
            return conf_error(err, s, "a %s rule needs a threshold",
                              rule_kind_name(r->kind));
        r->clear = r->threshold;
        if (conf_number(s, "clear", false, &r->clear, err) < 0)
            return -1;
        if (r->kind == RULE_BELOW ? r->clear < r->threshold : r->clear > r->threshold)
            return member_error(s, "clear", err,
                                r->kind == RULE_BELOW
                                    ? "clear must be at or above the threshold of a below rule"
                                    : "clear must be at or below the threshold of an above rule");
        break;
    case RULE_SLIP:
        if (!has_threshold || !(r->threshold > 0))
            return conf_error(err, has_threshold ? config_setting_get_member(s, "threshold") : s,
                              "a slip rule needs threshold: the points of a drop, above 0");
        break;
    case RULE_OFF_TRACK:
        if (r->threshold < 0)
            return member_error(s, "threshold", err,
                                "the tolerance of an off_track rule cannot be negative");
        break;
    case RULE_LATE:
        if (has_threshold)
            return member_error(s, "threshold", err,
                                "a late rule has days, not a threshold");
        break;
    case RULE_IMPLAUSIBLE:
        if (has_threshold)
            return member_error(s, "threshold", err,
                                "an implausible rule uses the catalogue's checks, no threshold");
        break;
    }
    if (!isfinite(r->threshold) || !isfinite(r->clear))
        return conf_error(err, s, "threshold and clear must be finite numbers");
    return 0;
}

static int load_rule(const catalog *cat, const config_setting_t *s, alert_rule *r, lm_error *err)
{
    static const char *const known[] = {"name",  "kind",    "indicator", "metric", "level",
                                        "area",  "every",   "threshold", "clear",  "for",
                                        "against", "days",  "severity",  "label",
                                        "min_base", "min_reported", NULL};
    static const char *const kinds[] = {"below", "above", "slip", "off_track", "late",
                                        "implausible", NULL};
    static const char *const severities[] = {"warning", "critical", NULL};
    static const char *const againsts[] = {"previous", "year", NULL};
    char kind[16] = "", code[PROTO_MAX_CODE + 1] = "", sev[16] = "warning",
         against[16] = "previous", every[16] = "month";
    long long n_for = 1, days = 10;
    memset(r, 0, sizeof *r);
    r->min_reported = 1.0;
    if (!config_setting_is_group(s))
        return conf_error(err, s, "a rule must be a group { name = ...; kind = ...; }");
    if (conf_known(s, known, err) < 0 ||
        conf_str(s, "name", true, r->name, sizeof r->name, err) < 0 ||
        conf_str(s, "kind", true, kind, sizeof kind, err) < 0 ||
        conf_str(s, "severity", false, sev, sizeof sev, err) < 0 ||
        conf_str(s, "level", false, r->level, sizeof r->level, err) < 0 ||
        conf_str(s, "area", false, r->area, sizeof r->area, err) < 0 ||
        conf_str(s, "every", false, every, sizeof every, err) < 0 ||
        conf_str(s, "against", false, against, sizeof against, err) < 0 ||
        conf_str(s, "label", false, r->label, sizeof r->label, err) < 0 ||
        conf_int(s, "for", false, 1, 24, &n_for, err) < 0 ||
        conf_int(s, "days", false, 0, 366, &days, err) < 0 ||
        conf_number(s, "min_base", false, &r->min_base, err) < 0 ||
        conf_number(s, "min_reported", false, &r->min_reported, err) < 0)
        return -1;
    if (!(r->min_base >= 0))
        return member_error(s, "min_base", err, "min_base cannot be negative");
    if (!(r->min_reported >= 0 && r->min_reported <= 1))
        return member_error(s, "min_reported", err,
                            "min_reported is a share of the expected reporters, 0 to 1");
    if (!conf_code_ok(r->name, PROTO_MAX_CODE))
        return member_error(s, "name", err,
                            "a rule name is letters, digits, '.', '_' and '-'");
    int k, v;
    period_kind pk;
    if (parse_name(kind, kinds, &k) < 0)
        return member_error(s, "kind", err,
                            "kind must be below, above, slip, off_track, late or implausible");
    r->kind = (rule_kind)k;
    if (parse_name(sev, severities, &v) < 0)
        return member_error(s, "severity", err, "severity must be warning or critical");
    r->severity = (alert_severity)v;
    if (parse_name(against, againsts, &v) < 0)
        return member_error(s, "against", err, "against must be previous or year");
    r->against = (slip_against)v;
    if (catalog_period_kind(every, &pk) < 0)
        return member_error(s, "every", err,
                            "every must be month, quarter, year or schoolyear");
    r->every = pk;
    r->for_periods = (int)n_for;
    r->days = (int)days;
    bool has_ind = config_setting_get_member(s, "indicator") != NULL;
    bool has_metric = config_setting_get_member(s, "metric") != NULL;
    if (r->kind == RULE_LATE) {
        if (has_ind || !has_metric)
            return conf_error(err, s, "a late rule names a metric, not an indicator");
        if (conf_str(s, "metric", true, code, sizeof code, err) < 0)
            return -1;
        if (!(r->m = catalog_metric(cat, code)))
            return member_error(s, "metric", err, "not a metric of this catalogue");
        if (r->every != PERIOD_MONTH)
            return member_error(s, "every", err, "a late rule checks months");
        if (r->level[0] && strcmp(r->level, "organisation") != 0)
            return member_error(s, "level", err,
                                "a late rule watches each organisation (level \"organisation\")");
        snprintf(r->level, sizeof r->level, "organisation");
    } else {
        if (!has_ind || has_metric)
            return conf_error(err, s, "a %s rule names an indicator, not a metric",
                              rule_kind_name(r->kind));
        if (conf_str(s, "indicator", true, code, sizeof code, err) < 0)
            return -1;
        if (!(r->ind = catalog_indicator(cat, code)))
            return member_error(s, "indicator", err, "not an indicator of this catalogue");
        if (config_setting_get_member(s, "days"))
            return member_error(s, "days", err, "only a late rule has days");
        if (!r->level[0])
            snprintf(r->level, sizeof r->level, "gemeente");
        if (parse_name(r->level, levels, &v) < 0)
            return member_error(s, "level", err,
                                "level must be regio, gemeente, wijk, cluster or buurt");
        if ((r->kind == RULE_SLIP || r->kind == RULE_OFF_TRACK) &&
            r->ind->better == BETTER_CLOSER)
            return member_error(s, "kind", err,
                                "slip and off_track need an indicator that is better higher or "
                                "lower, not closer to an ideal");
        if (r->kind == RULE_SLIP && r->against == AGAINST_YEAR && r->every == PERIOD_YEAR)
            r->against = AGAINST_PREVIOUS; /* the same thing */
    }
    return load_numbers(s, r, err);
}

int rules_load(catalog *cat, const config_setting_t *root, lm_error *err)
{
    const config_setting_t *list;
    int n = conf_list(root, "rules", &list, err);
    if (n <= 0)
        return n;
    if (!(cat->rules = calloc((size_t)n, sizeof *cat->rules)))
        return conf_error(err, list, "out of memory");
    for (int i = 0; i < n; i++) {
        const config_setting_t *s = config_setting_get_elem(list, (unsigned)i);
        if (load_rule(cat, s, &cat->rules[i], err) < 0)
            return -1;
        if (catalog_rule(cat, cat->rules[i].name))
            return conf_error(err, s, "rule '%s' is defined twice", cat->rules[i].name);
        cat->n_rules = (size_t)i + 1;
    }
    return 0;
}

int rules_check_areas(const catalog *cat, const partners *p, const char *catalog_path,
                      lm_error *err)
{
    for (size_t i = 0; i < cat->n_rules; i++) {
        const alert_rule *r = &cat->rules[i];
        if (r->area[0] && partners_area(p, r->area) < 0)
            return lm_fail(err, 0, "%s: rule '%s': area '%s' is not in the partners file",
                           catalog_path, r->name, r->area);
    }
    return 0;
}

bool rules_watches_area(const alert_rule *r, const partners *p, int a)
{
    if (r->kind == RULE_LATE || strcmp(p->areas[a].level, r->level) != 0)
        return false;
    int root = r->area[0] ? partners_area(p, r->area) : -1;
    return !r->area[0] || (root >= 0 && partners_within(p, a, root));
}

bool rules_watches_org(const alert_rule *r, const partners *p, const organisation *o)
{
    if (r->kind != RULE_LATE || !o->active || !((r->m->kinds >> o->kind) & 1u))
        return false;
    int root = r->area[0] ? partners_area(p, r->area) : -1;
    return !r->area[0] || (root >= 0 && partners_within(p, o->home, root));
}

const alert_rule *catalog_rule(const catalog *cat, const char *name)
{
    for (size_t i = 0; i < cat->n_rules; i++)
        if (strcmp(cat->rules[i].name, name) == 0)
            return &cat->rules[i];
    return NULL;
}
