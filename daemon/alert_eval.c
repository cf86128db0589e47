/* alert_eval.c: rule conditions and the pending/firing/resolved state machine. */
#include "alert_eval.h"

#include <string.h>

static const char *const kind_names[] = {"below", "above", "slip", "off_track", "late",
                                         "implausible"};
static const char *const severity_names[] = {"warning", "critical"};
static const char *const state_names[ALERT_STATE_COUNT] = {"pending", "firing", "resolved"};

const char *rule_kind_name(rule_kind k)
{
    return k >= RULE_BELOW && k <= RULE_IMPLAUSIBLE ? kind_names[k] : "?";
}

const char *alert_severity_name(alert_severity s)
{
    return s == SEVERITY_WARNING || s == SEVERITY_CRITICAL ? severity_names[s] : "?";
}

const char *alert_state_name(alert_state s)
{
    return s >= ALERT_PENDING && s < ALERT_STATE_COUNT ? state_names[s] : "?";
}

int alert_state_parse(const char *text, alert_state *out)
{
    for (int i = 0; i < ALERT_STATE_COUNT; i++)
        if (strcmp(text, state_names[i]) == 0) {
            *out = (alert_state)i;
            return 0;
        }
    return -1;
}

/* How much worse a is than b, in the indicator's direction (positive: worse). */
static double worse_by(indicator_better better, double a, double b)
{
    return better == BETTER_LOWER ? a - b : b - a;
}

alert_cond alert_condition(const alert_rule *r, indicator_better better, const alert_point *pt)
{
    if (!pt->has_value)
        return COND_UNKNOWN;
    double v = pt->value;
    switch (r->kind) {
    case RULE_BELOW:
        return v < r->threshold ? COND_MET : v >= r->clear ? COND_CLEAR : COND_BETWEEN;
    case RULE_ABOVE:
        return v > r->threshold ? COND_MET : v <= r->clear ? COND_CLEAR : COND_BETWEEN;
    case RULE_SLIP:
        if (!pt->has_ref)
            return COND_UNKNOWN;
        return worse_by(better, v, pt->ref) >= r->threshold ? COND_MET : COND_CLEAR;
    case RULE_OFF_TRACK:
        if (!pt->has_ref)
            return COND_UNKNOWN;
        return worse_by(better, v, pt->ref) > r->threshold ? COND_MET : COND_CLEAR;
    case RULE_LATE:
        return v == 0 ? COND_MET : COND_CLEAR;
    case RULE_IMPLAUSIBLE:
        return pt->implausible ? COND_MET : COND_CLEAR;
    }
    return COND_UNKNOWN;
}

size_t alert_episodes(const alert_rule *r, indicator_better better, const alert_point *pts,
                      size_t n, alert_episode *out, size_t max)
{
    size_t count = 0;
    bool open = false;
    alert_episode e;
    memset(&e, 0, sizeof e);
    int need = r->for_periods < 1 ? 1 : r->for_periods;
    for (size_t i = 0; i < n; i++) {
        alert_cond c = alert_condition(r, better, &pts[i]);
        if (c == COND_UNKNOWN)
            continue; /* neither evidence of trouble nor of recovery */
        if (open)
            e.last = i;
        if (c == COND_MET) {
            if (!open) {
                memset(&e, 0, sizeof e);
                e.state = ALERT_PENDING;
                e.onset = e.last = i;
                open = true;
            }
            e.met++;
            if (e.state == ALERT_PENDING && e.met >= need) {
                e.state = ALERT_FIRING;
                e.fired = i;
            }
            continue;
        }
        if (!open)
            continue;
        if (e.state == ALERT_PENDING) {
            /* Not met for long enough: a single odd month is no alert. */
            open = false;
            continue;
        }
        if (c == COND_CLEAR) { /* firing and recovered past the clear level */
            e.state = ALERT_RESOLVED;
            e.ended = i;
            if (count < max)
                out[count] = e;
            count++;
            open = false;
        }
    }
    if (open) {
        if (count < max)
            out[count] = e;
        count++;
    }
    return count;
}
