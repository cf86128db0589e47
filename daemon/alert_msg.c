/* alert_msg.c: packing an alert, its PUB topic and its hook environment. */
#include "alert_msg.h"

#include <stdio.h>
#include <string.h>

#include "alert_eval.h"

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

int alert_msg_pack(msgpack_packer *pk, const registry *reg, const stored_alert *a,
                   int64_t silenced_until, size_t extra)
{
    alert_facts f = facts(reg, a);
    bool acked = a->acked_by[0] != '\0';
    return msgpack_pack_map(pk, ALERT_MSG_FIELDS + extra) == 0 &&
                   proto_pack_kv_int(pk, "id", a->id) == 0 &&
                   proto_pack_kv_str(pk, "rule", a->rule) == 0 &&
                   proto_pack_kv_str(pk, "kind", f.kind) == 0 &&
                   proto_pack_kv_str(pk, "severity", a->severity) == 0 &&
                   proto_pack_kv_opt_str(pk, "indicator", f.indicator) == 0 &&
                   proto_pack_kv_opt_str(pk, "metric", f.metric) == 0 &&
                   proto_pack_kv_str(pk, "area", a->area) == 0 &&
                   proto_pack_kv_str(pk, "area_name", f.area_name) == 0 &&
                   proto_pack_kv_opt_str(pk, "organisation", a->subject) == 0 &&
                   proto_pack_kv_str(pk, "period", a->period) == 0 &&
                   proto_pack_kv_str(pk, "last_period", a->last_period) == 0 &&
                   proto_pack_kv_str(pk, "state", a->state) == 0 &&
                   proto_pack_kv_opt(pk, "value", a->has_value, a->value) == 0 &&
                   proto_pack_kv_double(pk, "threshold", a->threshold) == 0 &&
                   proto_pack_kv_opt(pk, "reference", a->has_ref, a->ref) == 0 &&
                   proto_pack_kv_int(pk, "expected", a->expected) == 0 &&
                   proto_pack_kv_int(pk, "reported", a->reported) == 0 &&
                   proto_pack_kv_str(pk, "message", a->message) == 0 &&
                   proto_pack_kv_opt_int(pk, "first_fired", a->has_fired, a->first_fired) == 0 &&
                   proto_pack_kv_int(pk, "changed_at", a->changed_at) == 0 &&
                   proto_pack_kv_opt_str(pk, "acked_by", a->acked_by) == 0 &&
                   proto_pack_kv_opt_int(pk, "acked_at", acked, a->acked_at) == 0 &&
                   proto_pack_kv_opt_str(pk, "ack_note", acked ? a->ack_note : "") == 0 &&
                   proto_pack_kv_opt_int(pk, "silenced_until", silenced_until > 0,
                                         silenced_until) == 0
               ? 0
               : -1;
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
