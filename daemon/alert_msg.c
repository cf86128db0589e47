/* alert_msg.c: packing an alert, its PUB topic and its hook environment. */
#include "alert_msg.h"

#include <stdio.h>
#include <string.h>

#include "alert_eval.h"
#include "rules.h"

/* What the rule (if it is still in the catalogue) says about the alert. */
typedef struct {
    const char *kind, *indicator, *metric, *area_name;
} alert_facts;

static alert_facts facts(const registry *reg, const stored_alert *a)
{
    alert_facts f = {"?", "", "", ""};
    const alert_rule *r = catalog_rule(&reg->cat, a->rule);
    if (r) {
        f.kind = rule_kind_name(r->kind);
        f.indicator = r->ind ? r->ind->code : "";
        f.metric = r->m ? r->m->code : "";
    }
    int at = partners_area(&reg->parts, a->area);
    f.area_name = at >= 0 ? reg->parts.areas[at].name : "";
    return f;
}

void alert_msg_fill(proto_alert *out, const registry *reg, const stored_alert *a,
                    int64_t silenced_until)
{
    alert_facts f = facts(reg, a);
    bool acked = a->acked_by[0] != '\0';
    memset(out, 0, sizeof *out);
    out->id = a->id;
    snprintf(out->rule, sizeof out->rule, "%s", a->rule);
    snprintf(out->kind, sizeof out->kind, "%s", f.kind);
    snprintf(out->severity, sizeof out->severity, "%s", a->severity);
    snprintf(out->indicator, sizeof out->indicator, "%s", f.indicator);
    snprintf(out->metric, sizeof out->metric, "%s", f.metric);
    snprintf(out->area, sizeof out->area, "%s", a->area);
    snprintf(out->area_name, sizeof out->area_name, "%s", f.area_name);
    snprintf(out->organisation, sizeof out->organisation, "%s", a->subject);
    snprintf(out->period, sizeof out->period, "%s", a->period);
    snprintf(out->last_period, sizeof out->last_period, "%s", a->last_period);
    snprintf(out->state, sizeof out->state, "%s", a->state);
    out->has_value = a->has_value;
    out->value = a->value;
    out->threshold = a->threshold;
    out->has_reference = a->has_ref;
    out->reference = a->ref;
    out->expected = a->expected;
    out->reported = a->reported;
    snprintf(out->message, sizeof out->message, "%s", a->message);
    out->has_first_fired = a->has_fired;
    out->first_fired = a->first_fired;
    out->changed_at = a->changed_at;
    snprintf(out->acked_by, sizeof out->acked_by, "%s", a->acked_by);
    out->has_acked_at = acked;
    out->acked_at = a->acked_at;
    snprintf(out->ack_note, sizeof out->ack_note, "%s", acked ? a->ack_note : "");
    out->has_silenced_until = silenced_until > 0;
    out->silenced_until = silenced_until;
}

void alert_msg_topic(const registry *reg, const stored_alert *a, char *buf, size_t n)
{
    alert_facts f = facts(reg, a);
    snprintf(buf, n, "alert.%s.%s.%s", a->severity,
             f.indicator[0] ? f.indicator : f.metric[0] ? f.metric : a->rule, a->area);
}

static void number(char *buf, size_t n, bool has, double v)
{
    if (has)
        snprintf(buf, n, "%.15g", v);
    else
        buf[0] = '\0';
}

size_t alert_msg_env(const registry *reg, const stored_alert *a, const char *previous,
                     char vars[][512], size_t n_vars)
{
    alert_facts f = facts(reg, a);
    char value[32], threshold[32], ref[32], id[24], expected[24], reported[24], at[24];
    number(value, sizeof value, a->has_value, a->value);
    number(threshold, sizeof threshold, true, a->threshold);
    number(ref, sizeof ref, a->has_ref, a->ref);
    snprintf(id, sizeof id, "%lld", (long long)a->id);
    snprintf(expected, sizeof expected, "%lld", (long long)a->expected);
    snprintf(reported, sizeof reported, "%lld", (long long)a->reported);
    snprintf(at, sizeof at, "%lld", (long long)a->changed_at);
    const char *pairs[][2] = {
        {"ID", id},           {"RULE", a->rule},           {"KIND", f.kind},
        {"STATE", a->state},  {"PREVIOUS", previous},      {"SEVERITY", a->severity},
        {"INDICATOR", f.indicator}, {"METRIC", f.metric},  {"AREA", a->area},
        {"AREA_NAME", f.area_name}, {"ORGANISATION", a->subject}, {"PERIOD", a->period},
        {"LAST_PERIOD", a->last_period}, {"VALUE", value}, {"THRESHOLD", threshold},
        {"REFERENCE", ref},   {"EXPECTED", expected},      {"REPORTED", reported},
        {"MESSAGE", a->message}, {"TIME", at},             {"ACKED_BY", a->acked_by},
    };
    size_t n = 0;
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0] && n < n_vars; i++)
        snprintf(vars[n++], 512, "LEAMON_ALERT_%s=%s", pairs[i][0], pairs[i][1]);
    return n;
}
