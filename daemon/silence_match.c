/* silence_match.c: whether a silence holds an alert (silence_match.h). */
#include "silence_match.h"

#include <string.h>

#include "rules.h"

void silence_subject_of(const registry *reg, const stored_alert *a, silence_subject *out)
{
    const alert_rule *r = catalog_rule(&reg->cat, a->rule);
    out->rule = a->rule;
    out->indicator = r && r->ind ? r->ind->code : "";
    out->area = a->area;
    out->at = partners_area(&reg->parts, a->area);
    out->parts = &reg->parts;
    out->organisation = a->subject;
    out->severity = a->severity;
}

/* The silence's area is the alert's or one above it. */
static bool area_covers(const char *code, const silence_subject *s)
{
    if (strcmp(code, s->area) == 0)
        return true;
    for (int a = s->at >= 0 ? s->parts->areas[s->at].parent : -1; a >= 0;
         a = s->parts->areas[a].parent)
        if (strcmp(code, s->parts->areas[a].code) == 0)
            return true;
    return false;
}

/* An empty matcher matches anything; a set one only a subject that has the same value. */
static bool same(const char *matcher, const char *value)
{
    return !matcher[0] || strcmp(matcher, value) == 0;
}

bool silence_matches(const stored_silence *si, const silence_subject *s)
{
    /* A late rule has no indicator, an area alert no organisation: a matcher of either
     * does not match them ("" is never a matcher's value). */
    return same(si->rule, s->rule) && same(si->indicator, s->indicator) &&
           same(si->organisation, s->organisation) && same(si->severity, s->severity) &&
           (!si->area[0] || area_covers(si->area, s));
}

bool silence_in_force(const stored_silence *si, int64_t now)
{
    return si->starts <= now && now < si->ends;
}

const char *silence_state(const stored_silence *si, int64_t now)
{
    return si->ends <= now ? "expired" : si->starts > now ? "pending" : "active";
}

long silence_holding(const stored_silence *rows, size_t n, const silence_subject *s,
                     int64_t now)
{
    long best = -1;
    for (size_t i = 0; i < n; i++)
        if (silence_in_force(&rows[i], now) && silence_matches(&rows[i], s) &&
            (best < 0 || rows[i].ends > rows[best].ends))
            best = (long)i;
    return best;
}
