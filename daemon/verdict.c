/* verdict.c: a figure against its target (verdict.h). */
#include "verdict.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>

static const char *const names[] = {"not_judged", "on_path", "off_path", "reached",
                                    "not_reached"};

const char *verdict_name(verdict_kind v)
{
    return v >= VERDICT_NOT_JUDGED && v <= VERDICT_NOT_REACHED ? names[v] : "?";
}

bool verdict_as_good(const indicator *ind, double value, double mark)
{
    switch (ind->better) {
    case BETTER_HIGHER:
        return value >= mark;
    case BETTER_LOWER:
        return value <= mark;
    case BETTER_CLOSER:
        return fabs(value - ind->ideal) <= fabs(mark - ind->ideal);
    }
    return false;
}

bool verdict_after_goal(const target *t, const period *p)
{
    return !t->standing && period_first_month(p) > period_last_month(&t->goal_period);
}

static void say(verdict *out, verdict_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void say(verdict *out, verdict_kind kind, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->reason, sizeof out->reason, fmt, ap);
    va_end(ap);
    out->kind = kind;
}

void verdict_judge(const indicator *ind, const target *t, const verdict_figure *f, verdict *out)
{
    char pt[PERIOD_TEXT_MAX] = "", goal[PERIOD_TEXT_MAX] = "";
    period_format(&f->p, pt, sizeof pt);
    period_format(&t->goal_period, goal, sizeof goal);
    out->has_mark = false;
    out->mark = 0;
    if (f->state == STATE_OPEN)
        return say(out, VERDICT_NOT_JUDGED, "%s has not ended yet", pt);
    if (f->state == STATE_PROVISIONAL)
        return say(out, VERDICT_NOT_JUDGED, "provisional: %lld of %lld reporters in for %s, "
                   "before the deadline", (long long)f->reported, (long long)f->expected, pt);
    if (!f->has_value)
        return say(out, VERDICT_NOT_JUDGED, "no value for %s", pt);
    if (!f->plausible)
        return say(out, VERDICT_NOT_JUDGED, "the value for %s cannot be true: a check of the "
                   "catalogue failed", pt);
    if (!((t->judged >> f->p.kind) & 1u)) {
        if (t->judged == 1u << t->goal_period.kind)
            return say(out, VERDICT_NOT_JUDGED, "the target is set per %s; %s is a %s",
                       period_kind_name(t->goal_period.kind), pt, period_kind_name(f->p.kind));
        /* "per month, quarter or year" */
        char kinds[64] = "";
        size_t used = 0;
        int left = 0;
        for (int k = PERIOD_MONTH; k <= PERIOD_SCHOOLYEAR; k++)
            left += (t->judged >> k) & 1u;
        for (int k = PERIOD_MONTH; k <= PERIOD_SCHOOLYEAR && used < sizeof kinds; k++)
            if ((t->judged >> k) & 1u) {
                left--;
                used += (size_t)snprintf(kinds + used, sizeof kinds - used, "%s%s",
                                         used ? (left ? ", " : " or ") : "",
                                         period_kind_name((period_kind)k));
            }
        return say(out, VERDICT_NOT_JUDGED, "the target is judged per %s; %s is a %s", kinds,
                   pt, period_kind_name(f->p.kind));
    }
    /* From the end of the goal period on, the goal itself; before it, the path. A standing
     * norm holds from the goal period's start. */
    int from = t->standing ? period_first_month(&t->goal_period)
                           : period_last_month(&t->goal_period);
    if (period_last_month(&f->p) >= from) {
        out->has_mark = true;
        out->mark = t->goal_value;
        bool ok = verdict_as_good(ind, f->value, t->goal_value);
        if (t->standing)
            return say(out, ok ? VERDICT_REACHED : VERDICT_NOT_REACHED, "%s the norm that holds "
                       "since %s", ok ? "meets" : "does not meet", goal);
        return say(out, ok ? VERDICT_REACHED : VERDICT_NOT_REACHED, "%s the goal for %s",
                   ok ? "reached" : "not reached", goal);
    }
    if (!f->has_path)
        return say(out, VERDICT_NOT_JUDGED, "the target has no path at %s (before its "
                   "baseline, or a baseline without a figure)", pt);
    out->has_mark = true;
    out->mark = f->path;
    bool ok = verdict_as_good(ind, f->value, f->path);
    say(out, ok ? VERDICT_ON_PATH : VERDICT_OFF_PATH, "%s the path to the goal for %s",
        ok ? "on" : "off", goal);
}
