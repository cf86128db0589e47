/* route.c: receivers, routes and inhibit rules from leamond.conf (route.h). */
#include "route.h"

#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "grow.h"
#include "rules.h"

int route_duration(const char *text, long long *out)
{
    char *end;
    long long v = strtoll(text, &end, 10);
    if (end == text || v < 0)
        return -1;
    long long unit = !*end                   ? 1
                     : strcmp(end, "s") == 0 ? 1
                     : strcmp(end, "m") == 0 ? 60
                     : strcmp(end, "h") == 0 ? 3600
                     : strcmp(end, "d") == 0 ? 86400
                     : strcmp(end, "w") == 0 ? 7 * 86400
                                             : 0;
    if (!unit || v > 366LL * 86400 / unit)
        return -1;
    *out = v * unit;
    return 0;
}

/* A duration member: a number of seconds or a text like "5m"; 1, 0 (absent) or -1. */
static int conf_duration(const config_setting_t *g, const char *name, long long *out,
                         lm_error *err)
{
    const config_setting_t *s = config_setting_get_member(g, name);
    if (!s)
        return 0;
    if (config_setting_type(s) == CONFIG_TYPE_INT || config_setting_type(s) == CONFIG_TYPE_INT64) {
        long long v = config_setting_get_int64(s);
        if (v < 0 || v > 366LL * 86400)
            return conf_error(err, s, "must be 0 to a year, in seconds");
        *out = v;
        return 1;
    }
    const char *text = config_setting_get_string(s);
    if (!text || route_duration(text, out) < 0)
        return conf_error(err, s, "must be a duration: seconds, or like \"30s\", \"5m\", "
                          "\"4h\", \"7d\", \"1w\" (at most a year)");
    return 1;
}

static int load_receiver(routing *rt, const config_setting_t *g, lm_error *err)
{
    static const char *const known[] = {"name", "exec", "mail", NULL};
    if (conf_known(g, known, err) < 0 ||
        GROW(rt->receivers, rt->cap_receivers, rt->n_receivers + 1) < 0)
        return -1;
    receiver *rc = &rt->receivers[rt->n_receivers];
    memset(rc, 0, sizeof *rc);
    if (conf_str(g, "name", true, rc->name, sizeof rc->name, err) < 0)
        return -1;
    if (!conf_code_ok(rc->name, PROTO_MAX_CODE))
        return conf_error(err, g, "name '%s': letters, digits, '.', '_' or '-'", rc->name);
    for (size_t i = 0; i < rt->n_receivers; i++)
        if (strcmp(rt->receivers[i].name, rc->name) == 0)
            return conf_error(err, g, "receiver '%s' is named twice", rc->name);
    int has_exec = conf_str(g, "exec", false, rc->command, sizeof rc->command, err);
    int has_mail = conf_str(g, "mail", false, rc->to, sizeof rc->to, err);
    if (has_exec < 0 || has_mail < 0)
        return -1;
    if (has_exec + has_mail != 1)
        return conf_error(err, g, "receiver '%s': give either exec = \"COMMAND\" or mail = "
                          "\"ADDRESS, ...\"", rc->name);
    rc->kind = has_exec ? RECEIVER_EXEC : RECEIVER_MAIL;
    /* Addresses go on sendmail's To: line: keep out anything that could start a header. */
    if (has_mail && (strpbrk(rc->to, "\r\n") || !strchr(rc->to, '@')))
        return conf_error(err, g, "receiver '%s': mail must be addresses like "
                          "\"lea@gemeente.nl\", separated by commas", rc->name);
    rt->n_receivers++;
    return 0;
}

static int find_receiver(const routing *rt, const char *name)
{
    for (size_t i = 0; i < rt->n_receivers; i++)
        if (strcmp(rt->receivers[i].name, name) == 0)
            return (int)i;
    return -1;
}

static int load_group_by(route *ro, const config_setting_t *g, lm_error *err)
{
    static const struct { const char *name; unsigned bit; } keys[] = {
        {"rule", GROUP_BY_RULE}, {"area", GROUP_BY_AREA}, {"indicator", GROUP_BY_INDICATOR},
        {"organisation", GROUP_BY_ORGANISATION}, {"severity", GROUP_BY_SEVERITY},
        {"alert", GROUP_BY_ALERT},
    };
    bool failed;
    const config_setting_t *list = conf_str_list(g, "group_by", false, &failed, err);
    if (failed)
        return -1;
    for (int i = 0; list && i < config_setting_length(list); i++) {
        const config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
        const char *name = config_setting_get_string(e);
        size_t k = 0;
        while (k < sizeof keys / sizeof keys[0] && strcmp(keys[k].name, name) != 0)
            k++;
        if (k == sizeof keys / sizeof keys[0])
            return conf_error(err, e, "'%s' is not one of rule, area, indicator, organisation, "
                              "severity, alert", name);
        ro->group_by |= keys[k].bit;
    }
    return 0;
}

/* The matchers must name what exists, so that a typo does not route nothing in silence. */
static int check_matchers(const route *ro, const config_setting_t *g, const registry *reg,
                          lm_error *err)
{
    if (ro->severity[0] && strcmp(ro->severity, "warning") && strcmp(ro->severity, "critical"))
        return conf_error(err, g, "severity '%s' is not warning or critical", ro->severity);
    if (ro->state[0] && strcmp(ro->state, "firing") && strcmp(ro->state, "resolved"))
        return conf_error(err, g, "state '%s' is not firing or resolved (pending alerts are "
                          "never notified)", ro->state);
    if (ro->rule[0] && !catalog_rule(&reg->cat, ro->rule))
        return conf_error(err, g, "rule '%s' is not in the catalogue", ro->rule);
    if (ro->indicator[0] && !catalog_indicator(&reg->cat, ro->indicator) &&
        !catalog_metric(&reg->cat, ro->indicator))
        return conf_error(err, g, "indicator '%s' is not in the catalogue", ro->indicator);
    if (ro->area[0] && partners_area(&reg->parts, ro->area) < 0)
        return conf_error(err, g, "area '%s' is not in the partners file", ro->area);
    if (ro->organisation[0] && !partners_org(&reg->parts, ro->organisation))
        return conf_error(err, g, "organisation '%s' is not in the partners file",
                          ro->organisation);
    return 0;
}

static int load_route(routing *rt, const config_setting_t *g, const registry *reg, lm_error *err)
{
    static const char *const known[] = {"receiver", "severity", "rule", "indicator", "area",
                                        "organisation", "state", "group_by", "group_wait",
                                        "group_interval", "repeat_interval", "continue", NULL};
    if (conf_known(g, known, err) < 0 || GROW(rt->routes, rt->cap_routes, rt->n_routes + 1) < 0)
        return -1;
    route *ro = &rt->routes[rt->n_routes];
    memset(ro, 0, sizeof *ro);
    ro->group_wait = 30;
    ro->group_interval = 300;
    ro->repeat_interval = 7 * 86400;
    char name[PROTO_MAX_CODE + 1];
    if (conf_str(g, "receiver", true, name, sizeof name, err) < 0)
        return -1;
    int r = find_receiver(rt, name);
    if (r < 0)
        return conf_error(err, g, "receiver '%s' is not one of receivers", name);
    ro->receiver = (size_t)r;
    if (conf_str(g, "severity", false, ro->severity, sizeof ro->severity, err) < 0 ||
        conf_str(g, "rule", false, ro->rule, sizeof ro->rule, err) < 0 ||
        conf_str(g, "indicator", false, ro->indicator, sizeof ro->indicator, err) < 0 ||
        conf_str(g, "area", false, ro->area, sizeof ro->area, err) < 0 ||
        conf_str(g, "organisation", false, ro->organisation, sizeof ro->organisation, err) < 0 ||
        conf_str(g, "state", false, ro->state, sizeof ro->state, err) < 0 ||
        load_group_by(ro, g, err) < 0 || conf_duration(g, "group_wait", &ro->group_wait, err) < 0 ||
        conf_duration(g, "group_interval", &ro->group_interval, err) < 0 ||
        conf_duration(g, "repeat_interval", &ro->repeat_interval, err) < 0 ||
        conf_bool(g, "continue", false, &ro->cont, err) < 0 || check_matchers(ro, g, reg, err) < 0)
        return -1;
    rt->n_routes++;
    return 0;
}

static int load_inhibit(routing *rt, const config_setting_t *g, const registry *reg,
                        lm_error *err)
{
    static const char *const known[] = {"source", "targets", NULL};
    if (conf_known(g, known, err) < 0 ||
        GROW(rt->inhibits, rt->cap_inhibits, rt->n_inhibits + 1) < 0)
        return -1;
    inhibit_rule *in = &rt->inhibits[rt->n_inhibits];
    memset(in, 0, sizeof *in);
    rt->n_inhibits++; /* from here on routing_free frees its targets */
    bool failed;
    if (conf_str(g, "source", true, in->source, sizeof in->source, err) < 0)
        return -1;
    if (!catalog_rule(&reg->cat, in->source))
        return conf_error(err, g, "source rule '%s' is not in the catalogue", in->source);
    const config_setting_t *list = conf_str_list(g, "targets", false, &failed, err);
    if (failed)
        return -1;
    size_t n = list ? (size_t)config_setting_length(list) : 0;
    if (n && !(in->targets = calloc(n, sizeof *in->targets)))
        return lm_fail(err, 0, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
        const char *name = config_setting_get_string(e);
        if (!catalog_rule(&reg->cat, name))
            return conf_error(err, e, "rule '%s' is not in the catalogue", name);
        snprintf(in->targets[i], sizeof in->targets[i], "%s", name);
        in->n_targets++;
    }
    return 0;
}

/* Without inhibit rules: an organisation that has not reported explains the alerts on the
 * figures it left out. */
static int default_inhibits(routing *rt, const registry *reg, lm_error *err)
{
    for (size_t i = 0; i < reg->cat.n_rules; i++) {
        const alert_rule *r = &reg->cat.rules[i];
        if (r->kind != RULE_LATE)
            continue;
        if (GROW(rt->inhibits, rt->cap_inhibits, rt->n_inhibits + 1) < 0)
            return lm_fail(err, 0, "out of memory");
        inhibit_rule *in = &rt->inhibits[rt->n_inhibits++];
        memset(in, 0, sizeof *in);
        snprintf(in->source, sizeof in->source, "%s", r->name);
    }
    return 0;
}

/* Each element of the list `name` of root through load. */
static int load_list(routing *rt, const config_setting_t *root, const char *name,
                     const registry *reg, lm_error *err,
                     int (*load)(routing *, const config_setting_t *, const registry *,
                                 lm_error *))
{
    const config_setting_t *list;
    int n = conf_list(root, name, &list, err);
    for (int i = 0; n > 0 && i < n; i++) {
        const config_setting_t *g = config_setting_get_elem(list, (unsigned)i);
        if (!config_setting_is_group(g))
            return conf_error(err, g, "must be a group in braces: { ... }");
        if (load(rt, g, reg, err) < 0)
            return -1;
    }
    return n < 0 ? -1 : 0;
}

static int load_receiver_reg(routing *rt, const config_setting_t *g, const registry *reg,
                             lm_error *err)
{
    (void)reg;
    return load_receiver(rt, g, err);
}

int routing_load(routing *rt, const settings *s, const registry *reg, lm_error *err)
{
    memset(rt, 0, sizeof *rt);
    snprintf(rt->sendmail, sizeof rt->sendmail, "%s", s->sendmail);
    snprintf(rt->mail_from, sizeof rt->mail_from, "%s", s->mail_from);
    rt->timeout = s->alert_hook_timeout;
    config_t cfg;
    int rc = -1;
    bool from_file = s->file[0] != '\0';
    if (from_file && conf_read_file(&cfg, s->file, err) < 0)
        goto out;
    const config_setting_t *root = from_file ? config_root_setting(&cfg) : NULL;
    if (s->alert_hook[0]) {
        if (GROW(rt->receivers, rt->cap_receivers, 1) < 0) {
            lm_fail(err, 0, "out of memory");
            goto out;
        }
        receiver *hook = &rt->receivers[rt->n_receivers++];
        memset(hook, 0, sizeof *hook);
        snprintf(hook->name, sizeof hook->name, "hook");
        hook->kind = RECEIVER_EXEC;
        snprintf(hook->command, sizeof hook->command, "%s", s->alert_hook);
    }
    if (root && (load_list(rt, root, "receivers", reg, err, load_receiver_reg) < 0 ||
                 load_list(rt, root, "routes", reg, err, load_route) < 0 ||
                 load_list(rt, root, "inhibit", reg, err, load_inhibit) < 0))
        goto out;
    bool has_routes = root && config_setting_get_member(root, "routes");
    if (!has_routes && s->alert_hook[0]) {
        /* The alert hook as it always was: each alert on its own, at once, no reminders. */
        if (GROW(rt->routes, rt->cap_routes, 1) < 0) {
            lm_fail(err, 0, "out of memory");
            goto out;
        }
        route *ro = &rt->routes[rt->n_routes++];
        memset(ro, 0, sizeof *ro);
        ro->receiver = 0;
        ro->group_by = GROUP_BY_ALERT;
    }
    if (!(root && config_setting_get_member(root, "inhibit")) && default_inhibits(rt, reg, err) < 0)
        goto out;
    rc = 0;
out:
    if (from_file)
        config_destroy(&cfg);
    if (rc < 0)
        routing_free(rt);
    return rc;
}

void routing_free(routing *rt)
{
    for (size_t i = 0; i < rt->n_inhibits; i++)
        free(rt->inhibits[i].targets);
    free(rt->inhibits);
    free(rt->receivers);
    free(rt->routes);
    memset(rt, 0, sizeof *rt);
}

/* The indicator an alert is about (its metric for a late rule), or "". */
static const char *alert_indicator(const registry *reg, const stored_alert *a)
{
    const alert_rule *r = catalog_rule(&reg->cat, a->rule);
    return !r ? "" : r->ind ? r->ind->code : r->m ? r->m->code : "";
}

bool route_matches(const route *ro, const registry *reg, const stored_alert *a)
{
    if ((ro->severity[0] && strcmp(ro->severity, a->severity)) ||
        (ro->rule[0] && strcmp(ro->rule, a->rule)) ||
        (ro->organisation[0] && strcmp(ro->organisation, a->subject)) ||
        (ro->state[0] && strcmp(ro->state, a->state)) ||
        (ro->indicator[0] && strcmp(ro->indicator, alert_indicator(reg, a))))
        return false;
    if (!ro->area[0])
        return true;
    int at = partners_area(&reg->parts, a->area), root = partners_area(&reg->parts, ro->area);
    return at >= 0 && root >= 0 && partners_within(&reg->parts, at, root);
}

void route_group_key(const route *ro, const registry *reg, const stored_alert *a, char *key,
                     size_t n)
{
    size_t used = 0;
    key[0] = '\0';
#define PART(bit, label, value)                                                              \
    if ((ro->group_by & (bit)) && used < n)                                                  \
        used += (size_t)snprintf(key + used, n - used, "%s%s=%s", used ? " " : "", label, value);
    PART(GROUP_BY_RULE, "rule", a->rule)
    PART(GROUP_BY_INDICATOR, "indicator", alert_indicator(reg, a))
    PART(GROUP_BY_AREA, "area", a->area)
    PART(GROUP_BY_ORGANISATION, "organisation", a->subject)
    PART(GROUP_BY_SEVERITY, "severity", a->severity)
#undef PART
    if ((ro->group_by & GROUP_BY_ALERT) && used < n)
        snprintf(key + used, n - used, "%salert=%lld", used ? " " : "", (long long)a->id);
}

static bool explains(const registry *reg, const alert_rule *sr, const stored_alert *src,
                     const stored_alert *a)
{
    const partners *p = &reg->parts;
    int at = partners_area(p, a->area), src_at = partners_area(p, src->area);
    if (at < 0 || src_at < 0)
        return false;
    if (sr->kind != RULE_LATE)
        return partners_within(p, at, src_at);
    const organisation *org = partners_org(p, src->subject);
    period since, last;
    /* Only the areas it reports for: one location of many does not explain the gemeente. */
    if (!org || a->subject[0] || a->reported >= a->expected || !partners_may_report(p, org, at) ||
        period_parse(src->period, &since) != 0 || period_parse(a->last_period, &last) != 0)
        return false;
    /* The target's figures lack the organisation's only from the first late month on. */
    return period_last_month(&last) >= period_first_month(&since);
}

bool routing_may_inhibit(const registry *reg, const inhibit_rule *in, const stored_alert *a)
{
    if (strcmp(in->source, a->rule) == 0)
        return false;
    bool is_target = in->n_targets == 0;
    for (size_t k = 0; k < in->n_targets && !is_target; k++)
        is_target = strcmp(in->targets[k], a->rule) == 0;
    const alert_rule *sr = catalog_rule(&reg->cat, in->source);
    if (!is_target || !sr)
        return false;
    return sr->kind != RULE_LATE || (!a->subject[0] && a->reported < a->expected);
}

bool routing_inhibits(const routing *rt, const registry *reg, const stored_alert *src,
                      const stored_alert *a)
{
    if (src->id == a->id || strcmp(src->state, "firing") != 0)
        return false;
    const alert_rule *sr = catalog_rule(&reg->cat, src->rule);
    if (!sr)
        return false;
    for (size_t i = 0; i < rt->n_inhibits; i++) {
        const inhibit_rule *in = &rt->inhibits[i];
        if (strcmp(in->source, src->rule) == 0 && routing_may_inhibit(reg, in, a) &&
            explains(reg, sr, src, a))
            return true;
    }
    return false;
}
