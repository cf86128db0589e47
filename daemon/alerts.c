/* alerts.c: from stored snapshots and reports to alert episodes, and from episodes to the
 * alert table. Each evaluation replays the rule over the last periods (ALERTS_LOOKBACK):
 * corrections of old figures and backfills are then judged like figures that came on time,
 * and evaluating twice changes nothing. */
#include "alerts.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "grow.h"
#include "checks.h"
#include "figure_state.h"
#include "silences.h"

void alert_events_free(alert_events *ev)
{
    free(ev->items);
    memset(ev, 0, sizeof *ev);
}

static int push_event(alert_events *ev, const stored_alert *a, const char *previous,
                      int64_t silenced_until)
{
    if (GROW(ev->items, ev->cap, ev->n + 1) != 0)
        return -1;
    alert_event *e = &ev->items[ev->n++];
    e->a = *a;
    snprintf(e->previous, sizeof e->previous, "%s", previous);
    e->silenced_until = silenced_until;
    return 0;
}

/* ---- messages ------------------------------------------------------------ */

static void format_value(char *buf, size_t n, const char *unit, double v)
{
    if (strcmp(unit, "percent") == 0)
        snprintf(buf, n, "%.1f%%", v);
    else if (strcmp(unit, "count") == 0)
        snprintf(buf, n, "%.0f", v);
    else
        snprintf(buf, n, "%.1f %s", v, unit);
}

/* The sentence for an indicator rule's episode. */
static void describe(const alert_rule *r, const char *area_name, const alert_episode *e,
                     const alert_point *pts, char *out, size_t n)
{
    const alert_point *last = &pts[e->last];
    const char *unit = r->ind->unit;
    char onset[PERIOD_TEXT_MAX], lastp[PERIOD_TEXT_MAX], v[32], t[32], ref[32];
    period_format(&pts[e->onset].p, onset, sizeof onset);
    period_format(&last->p, lastp, sizeof lastp);
    format_value(v, sizeof v, unit, last->value);
    format_value(t, sizeof t, unit, r->kind == RULE_BELOW || r->kind == RULE_ABOVE ? r->threshold
                                                                                   : r->clear);
    format_value(ref, sizeof ref, unit, last->ref);
    const char *name = r->label[0] ? r->label : r->ind->code;
    int used = 0;
    if (r->kind == RULE_IMPLAUSIBLE && e->state != ALERT_RESOLVED) {
        used = snprintf(out, n, "%s in %s is %s in %s, which cannot be true (a check of the "
                        "catalogue): a figure booked in the wrong area or a typing error", name,
                        area_name, v, lastp);
    } else if (e->state == ALERT_RESOLVED) {
        used = snprintf(out, n, "%s in %s: %s in %s, recovered (the episode began in %s)", name,
                        area_name, v, lastp, onset);
    } else if ((r->kind == RULE_BELOW || r->kind == RULE_ABOVE) && last->has_value &&
               (r->kind == RULE_BELOW ? last->value >= r->threshold : last->value <= r->threshold)) {
        /* Back over the threshold, not yet at the level that resolves it. */
        char c[32];
        format_value(c, sizeof c, unit, r->clear);
        used = snprintf(out, n, "%s in %s is %s in %s: %s %s but not yet at the clear level %s "
                        "(since %s)", name, area_name, v, lastp,
                        r->kind == RULE_BELOW ? "above" : "below", t, c, onset);
    } else if (r->kind == RULE_BELOW || r->kind == RULE_ABOVE) {
        used = snprintf(out, n, "%s in %s is %s in %s, %s %s since %s (%d period%s)", name,
                        area_name, v, lastp, r->kind == RULE_BELOW ? "below" : "above", t,
                        onset, e->met, e->met == 1 ? "" : "s");
    } else if (r->kind == RULE_SLIP) {
        used = snprintf(out, n, "%s in %s %s from %s to %s in %s (%s)", name, area_name,
                        r->ind->better == BETTER_LOWER ? "rose" : "fell", ref, v, lastp,
                        r->against == AGAINST_YEAR ? "against a year earlier"
                                                   : "against the period before");
    } else {
        used = snprintf(out, n, "%s in %s is %s in %s, off the target path (%s) since %s", name,
                        area_name, v, lastp, ref, onset);
    }
    if (used > 0 && (size_t)used < n && last->reported < last->expected)
        snprintf(out + used, n - (size_t)used, "; incomplete: %d of %d reporters missing",
                 last->expected - last->reported, last->expected);
}

static void describe_late(const alert_rule *r, const organisation *o, const alert_episode *e,
                          const alert_point *pts, char *out, size_t n)
{
    char onset[PERIOD_TEXT_MAX], lastp[PERIOD_TEXT_MAX];
    period_format(&pts[e->onset].p, onset, sizeof onset);
    period_format(&pts[e->last].p, lastp, sizeof lastp);
    if (e->state == ALERT_RESOLVED)
        snprintf(out, n, "%s (%s) has reported %s for %s", o->name, o->id, r->m->code, lastp);
    else
        snprintf(out, n, "%s (%s) has not reported %s for %d month%s since %s, %d days after "
                 "each month", o->name, o->id, r->m->code, e->met, e->met == 1 ? "" : "s",
                 onset, r->days);
}

/* ---- episodes to rows ---------------------------------------------------- */

typedef struct {
    store *db;
    const registry *reg;
    const alert_rule *r;
    const partners *parts;
    int at;                        /* area index */
    const organisation *org;       /* late rules */
    const alert_point *pts;
    size_t n_pts;
} subject_ctx;

/* Add to msg who reported the figures behind the area's value for p: whom to ask. */
static void name_reporters(const subject_ctx *c, const period *p, char *msg, size_t n)
{
    snapshot_part *rows = NULL;
    size_t n_rows = 0, used = strlen(msg);
    if (snapshot_by_reporter(c->db, c->reg, c->r->ind, p, c->at, &rows, &n_rows) == 0)
        for (size_t i = 0; i < n_rows && used < n; i++)
            used += (size_t)snprintf(msg + used, n - used, "%s%s", i ? ", " : "; reported by ",
                                     c->parts->orgs[rows[i].org].id);
    free(rows);
}

static void episode_row(const subject_ctx *c, const alert_episode *e, stored_alert *a)
{
    const alert_point *last = &c->pts[e->last];
    memset(a, 0, sizeof *a);
    snprintf(a->rule, sizeof a->rule, "%s", c->r->name);
    snprintf(a->area, sizeof a->area, "%s", c->parts->areas[c->at].code);
    snprintf(a->subject, sizeof a->subject, "%s", c->org ? c->org->id : "");
    period_format(&c->pts[e->onset].p, a->period, sizeof a->period);
    period_format(&last->p, a->last_period, sizeof a->last_period);
    snprintf(a->state, sizeof a->state, "%s", alert_state_name(e->state));
    snprintf(a->severity, sizeof a->severity, "%s", alert_severity_name(c->r->severity));
    a->threshold = c->r->kind == RULE_LATE ? c->r->days : c->r->threshold;
    if (c->r->kind != RULE_LATE) {
        a->has_value = last->has_value;
        a->value = last->value;
        a->has_ref = last->has_ref && (c->r->kind == RULE_SLIP || c->r->kind == RULE_OFF_TRACK);
        a->ref = last->ref;
        a->expected = last->expected;
        a->reported = last->reported;
        describe(c->r, c->parts->areas[c->at].name, e, c->pts, a->message, sizeof a->message);
        if (c->r->kind == RULE_IMPLAUSIBLE && e->state != ALERT_RESOLVED)
            name_reporters(c, &last->p, a->message, sizeof a->message);
    } else {
        a->expected = 1;
        a->reported = last->value == 1;
        describe_late(c->r, c->org, e, c->pts, a->message, sizeof a->message);
    }
}

/* Store one state change of a and queue its event. */
static int change(store *db, const subject_ctx *c, stored_alert *a, const char *from,
                  bool insert, time_t now, alert_events *ev)
{
    a->changed_at = (int64_t)now;
    if (!a->has_fired && strcmp(a->state, "firing") == 0) {
        a->has_fired = true;
        a->first_fired = (int64_t)now;
    }
    silence_hold held;
    if ((insert ? store_alert_insert(db, a) : store_alert_update(db, a)) < 0 ||
        store_alert_change(db, a, from, (int64_t)now) < 0 ||
        silences_holding(db, c->reg, a, now, &held) < 0 ||
        push_event(ev, a, from, held.ends) < 0)
        return -1;
    ev->items[ev->n - 1].silence_id = held.id;
    return 0;
}

/* An open alert the replay no longer finds: say where the figures stand now, not what they
 * were when it opened. */
static void no_longer_met(const subject_ctx *c, stored_alert *s, bool was_pending)
{
    const char *why = was_pending ? "no longer met before it lasted long enough"
                                  : "no longer met after the figures changed";
    const alert_point *now = NULL;
    for (size_t i = c->n_pts; i-- > 0 && !now;)
        if (c->pts[i].has_value)
            now = &c->pts[i];
    if (c->r->kind == RULE_LATE || !now) {
        size_t len = strlen(s->message);
        snprintf(s->message + len, sizeof s->message - len, " -- %s", why);
        return;
    }
    char v[32], p[PERIOD_TEXT_MAX];
    format_value(v, sizeof v, c->r->ind->unit, now->value);
    period_format(&now->p, p, sizeof p);
    period_format(&now->p, s->last_period, sizeof s->last_period);
    s->has_value = true;
    s->value = now->value;
    s->expected = now->expected;
    s->reported = now->reported;
    snprintf(s->message, sizeof s->message, "%s in %s: %s in %s, %s (the episode began in %s)",
             c->r->label[0] ? c->r->label : c->r->ind->code, c->parts->areas[c->at].name, v, p,
             why, s->period);
}

/* Make the stored episodes of one subject agree with the computed ones. */
static int reconcile(store *db, const subject_ctx *c, time_t now, alert_events *ev)
{
    alert_episode eps[ALERTS_LOOKBACK];
    size_t n_eps = alert_episodes(c->r, c->r->ind ? c->r->ind->better : BETTER_HIGHER, c->pts,
                                  c->n_pts, eps, ALERTS_LOOKBACK);
    if (n_eps > ALERTS_LOOKBACK)
        n_eps = ALERTS_LOOKBACK; /* cannot happen: an episode needs a period of its own */
    stored_alert *old = NULL;
    size_t n_old = 0;
    int rc = -1;
    const char *subject = c->org ? c->org->id : "";
    if (store_alerts_of(db, c->r->name, c->parts->areas[c->at].code, subject, &old, &n_old) < 0)
        goto out;
    bool *matched = calloc(n_old ? n_old : 1, sizeof *matched);
    if (!matched)
        goto out;
    for (size_t i = 0; i < n_eps; i++) {
        stored_alert fresh;
        episode_row(c, &eps[i], &fresh);
        size_t j = 0;
        while (j < n_old && strcmp(old[j].period, fresh.period) != 0)
            j++;
        /* One open alert per rule and subject: an open episode whose start moved (late
         * months filled in, a corrected figure) is the alert already open, not a new one. */
        if (j == n_old && eps[i].state != ALERT_RESOLVED)
            for (j = 0; j < n_old; j++)
                if (!matched[j] && strcmp(old[j].state, "resolved") != 0)
                    break;
        if (j < n_old && strcmp(old[j].period, fresh.period) != 0) {
            /* The open alert now starts elsewhere: it takes the new start as its name,
             * unless another (resolved) alert already has that name. */
            bool taken = false;
            for (size_t k = 0; k < n_old && !taken; k++)
                taken = strcmp(old[k].period, fresh.period) == 0;
            if (taken)
                snprintf(fresh.period, sizeof fresh.period, "%s", old[j].period);
        }
        if (j == n_old) {
            if (change(db, c, &fresh, "", true, now, ev) < 0)
                goto out_matched;
            continue;
        }
        matched[j] = true;
        stored_alert *s = &old[j];
        bool moved = strcmp(s->state, fresh.state) != 0;
        bool figures = strcmp(s->last_period, fresh.last_period) != 0 ||
                       s->has_value != fresh.has_value || s->value != fresh.value ||
                       s->expected != fresh.expected || s->reported != fresh.reported ||
                       strcmp(s->message, fresh.message) != 0;
        if (!moved && !figures)
            continue;
        char from[16];
        snprintf(from, sizeof from, "%s", s->state);
        fresh.id = s->id;
        fresh.has_fired = s->has_fired;
        fresh.first_fired = s->first_fired;
        fresh.changed_at = s->changed_at;
        if (moved) {
            if (change(db, c, &fresh, from, false, now, ev) < 0)
                goto out_matched;
        } else if (store_alert_update(db, &fresh) < 0) { /* new figures, same state: quiet */
            goto out_matched;
        }
    }
    /* Open alerts the replay no longer finds: the figures changed, or a pending run ended
     * before it fired. */
    for (size_t j = 0; j < n_old; j++) {
        stored_alert *s = &old[j];
        if (matched[j] || strcmp(s->state, "resolved") == 0)
            continue;
        char from[16];
        snprintf(from, sizeof from, "%s", s->state);
        snprintf(s->state, sizeof s->state, "resolved");
        if (c->r->kind == RULE_LATE)
            s->reported = s->expected; /* it has reported since */
        no_longer_met(c, s, strcmp(from, "pending") == 0);
        if (change(db, c, s, from, false, now, ev) < 0)
            goto out_matched;
    }
    rc = 0;
out_matched:
    free(matched);
out:
    free(old);
    return rc;
}

/* ---- series -------------------------------------------------------------- */

/* The last n periods of kind k up to the one holding now's month, oldest first. */
static int window(time_t now, period_kind k, size_t n, period *out)
{
    period month, p;
    if (period_of_time(now, &month) != 0 || period_containing(&month, k, &p) != 0)
        return -1;
    for (size_t i = n; i-- > 0;) {
        out[i] = p;
        if (i && period_previous(&p, &p) != 0)
            return -1;
    }
    return 0;
}

static int stored_value(store *db, const indicator *ind, const period *p, const char *acode,
                        stored_snapshot *s)
{
    char text[PERIOD_TEXT_MAX];
    if (period_format(p, text, sizeof text) != 0)
        return -1;
    int found = store_snapshot_get(db, ind->code, text, acode, INT64_MAX, s);
    if (found == 0)
        memset(s, 0, sizeof *s);
    return found < 0 ? -1 : 0;
}

/* May the rule judge this figure: final, plausible, enough reporters in? */
static int judgeable(store *db, const registry *reg, const alert_rule *r, const period *p,
                     const stored_snapshot *s, time_t now, long long grace_days, bool *ok)
{
    figure_state st = figure_state_of(p, now, grace_days, s->expected, s->reported, false);
    if (st == STATE_PROVISIONAL) {
        /* An admin may have closed it before every reporter was in. */
        period first = period_month_from_number(period_first_month(p));
        period last = period_month_from_number(period_last_month(p));
        char ft[PERIOD_TEXT_MAX], lt[PERIOD_TEXT_MAX];
        int64_t n = 0;
        if (period_format(&first, ft, sizeof ft) != 0 || period_format(&last, lt, sizeof lt) != 0 ||
            store_closed_months(db, ft, lt, (int64_t)now, &n) < 0)
            return -1;
        if (n == period_month_count(p))
            st = STATE_CLOSED;
    }
    /* A value that cannot be true is no evidence, except to the rule that looks for it. */
    *ok = figure_judgeable(st, s->expected, s->reported, r->min_reported) &&
          (r->kind == RULE_IMPLAUSIBLE || checks_plausible(&reg->cat, r->ind, s->has_value,
                                                           s->value));
    return 0;
}

int alerts_evaluate_area(store *db, const registry *reg, const alert_rule *r, int at,
                         time_t now, long long grace_days, alert_events *ev)
{
    const partners *parts = &reg->parts;
    const char *code = parts->areas[at].code;
    /* Slip compares with a period before the window's first: read those too. */
    size_t extra = r->kind != RULE_SLIP ? 0
                   : r->against == AGAINST_PREVIOUS ? 1
                   : r->every == PERIOD_MONTH      ? 12
                   : r->every == PERIOD_QUARTER    ? 4
                                                   : 1;
    size_t total = ALERTS_LOOKBACK + extra;
    period ps[ALERTS_LOOKBACK + 12];
    alert_point all[ALERTS_LOOKBACK + 12];
    if (window(now, r->every, total, ps) < 0)
        return 0; /* the clock is outside the periods we know: nothing to judge */
    const target *t = r->kind == RULE_OFF_TRACK ? snapshot_target(reg, r->ind, at) : NULL;
    double figure = 0;
    bool has_figure = t && snapshot_baseline_figure(db, reg, t, at, &figure);
    for (size_t i = 0; i < total; i++) {
        stored_snapshot s;
        if (stored_value(db, r->ind, &ps[i], code, &s) < 0)
            return -1;
        /* Too few behind it (2 toddlers make 50% or 100%): not a figure to act on. Nor
         * one whose period is still open or provisional, or that cannot be true: it neither
         * counts toward `for` nor resolves an alert. */
        double base = s.has_den ? s.denominator : s.value;
        bool enough = r->min_base <= 0 || (s.has_value && base >= r->min_base), evidence = false;
        if (judgeable(db, reg, r, &ps[i], &s, now, grace_days, &evidence) < 0)
            return -1;
        all[i] = (alert_point){ps[i], s.has_value && enough && evidence, s.value, false, 0,
                               (int)s.expected, (int)s.reported,
                               !checks_plausible(&reg->cat, r->ind, s.has_value, s.value)};
        if (t)
            all[i].has_ref = snapshot_path(t, &ps[i], has_figure, figure, &all[i].ref);
        if (i >= extra && extra) {
            const alert_point *before = &all[i - extra];
            all[i].has_ref = before->has_value;
            all[i].ref = before->value;
        }
    }
    subject_ctx c = {db, reg, r, parts, at, NULL, all + extra, ALERTS_LOOKBACK};
    return reconcile(db, &c, now, ev);
}

/* The month of the window (texts, oldest first) that a period is, as a bit; 0: none. */
_Static_assert(ALERTS_LATE_LOOKBACK <= 32, "a bit per month of the window");
static unsigned window_bit(const char *month, char texts[][PERIOD_TEXT_MAX], size_t n_texts)
{
    for (size_t k = 0; k < n_texts; k++)
        if (strcmp(month, texts[k]) == 0)
            return 1u << k;
    return 0;
}

/* Which months of the window each organisation reported the metric in: an entry per
 * organisation of reg, a bit per month. Every organisation's at once (due NULL: one read of
 * all reports, one pass over them); else only those whose flag in due is set, each from its
 * own reports (an organisation that just submitted: cheaper than everyone's, as the
 * database grows). NULL with a database error or out of memory. */
static unsigned *reported_months(store *db, const partners *parts, const alert_rule *r,
                                 const bool *due, char texts[][PERIOD_TEXT_MAX], size_t n_texts)
{
    unsigned *months = calloc(parts->n_orgs ? parts->n_orgs : 1, sizeof *months);
    store_obs *rows = NULL;
    size_t n = 0, cap = 0;
    const char *first = texts[0], *last = texts[n_texts - 1];
    bool ok = months && (due || store_first_reports(db, r->m->code, first, last, &rows, &n,
                                                    &cap) == 0);
    for (size_t i = 0; ok && !due && i < n; i++) {
        const organisation *o = partners_org(parts, rows[i].reporter);
        if (o)
            months[o - parts->orgs] |= window_bit(rows[i].period, texts, n_texts);
    }
    for (size_t k = 0; ok && due && k < parts->n_orgs; k++) {
        if (!due[k])
            continue;
        n = 0;
        ok = store_first_reports_of(db, parts->orgs[k].id, r->m->code, first, last, &rows, &n,
                                    &cap) == 0;
        for (size_t i = 0; ok && i < n; i++)
            months[k] |= window_bit(rows[i].period, texts, n_texts);
    }
    free(rows);
    if (!ok) {
        free(months);
        return NULL;
    }
    return months;
}

int alerts_owed_from(store *db, const catalog *cat, period *out)
{
    *out = cat->has_owed_from ? cat->owed_from : cat->first;
    char text[PERIOD_TEXT_MAX];
    period started;
    int found = cat->has_owed_from ? 0 : store_meta_get(db, "first_start", text, sizeof text);
    if (found < 0)
        return -1;
    if (found && period_parse(text, &started) == 0 && period_compare(&started, out) > 0)
        *out = started;
    return 0;
}

int alerts_evaluate_late(store *db, const registry *reg, const alert_rule *r,
                         const bool *due, time_t now, alert_events *ev)
{
    const partners *parts = &reg->parts;
    period ps[ALERTS_LATE_LOOKBACK];
    char texts[ALERTS_LATE_LOOKBACK][PERIOD_TEXT_MAX];
    if (window(now, PERIOD_MONTH, ALERTS_LATE_LOOKBACK, ps) < 0)
        return 0;
    for (size_t i = 0; i < ALERTS_LATE_LOOKBACK; i++)
        if (period_format(&ps[i], texts[i], sizeof texts[i]) != 0)
            return -1;
    int rc = -1;
    period owed_from;
    if (alerts_owed_from(db, &reg->cat, &owed_from) < 0)
        return -1;
    unsigned *reported_in = reported_months(db, parts, r, due, texts, ALERTS_LATE_LOOKBACK);
    if (!reported_in)
        return -1;
    for (size_t k = 0; k < parts->n_orgs; k++) {
        const organisation *o = &parts->orgs[k];
        if ((due && !due[k]) || !rules_watches_org(r, parts, o))
            continue;
        alert_point pts[ALERTS_LATE_LOOKBACK];
        for (size_t i = 0; i < ALERTS_LATE_LOOKBACK; i++) {
            bool reported = (reported_in[k] >> i) & 1u;
            /* Months before leamon went live are not owed, nor months the metric is not
             * due in (a summer-school figure in March). */
            bool owed = period_compare(&ps[i], &owed_from) >= 0 &&
                        metric_due(r->m, period_first_month(&ps[i]));
            time_t deadline = period_end(&ps[i]) + (time_t)r->days * 86400;
            pts[i] = (alert_point){ps[i], owed && (reported || now >= deadline),
                                   reported ? 1 : 0, false, 0, 1, reported, false};
        }
        subject_ctx c = {db, reg, r, parts, o->home, o, pts, ALERTS_LATE_LOOKBACK};
        if (reconcile(db, &c, now, ev) < 0)
            goto out;
    }
    rc = 0;
out:
    free(reported_in);
    return rc;
}

time_t alerts_next_deadline(const registry *reg, time_t now, long long grace_days)
{
    period month;
    time_t next = 0;
    if (period_of_time(now, &month) != 0)
        return 0;
    int cur = period_first_month(&month);
    for (size_t k = 0; k < reg->cat.n_rules; k++) {
        const alert_rule *r = &reg->cat.rules[k];
        long long days = r->kind == RULE_LATE ? r->days : grace_days;
        /* days is at most a year: the month whose deadline is next lies in the last 13. */
        for (int m = cur - 13; m <= cur; m++) {
            period p = period_month_from_number(m);
            time_t d = period_end(&p) + (time_t)(days * 86400);
            if (d > now && (!next || d < next))
                next = d;
        }
    }
    return next;
}

int alerts_evaluate_from(store *db, const registry *reg, alerts_cursor *c, size_t max,
                         time_t now, long long grace_days, alert_events *ev)
{
    size_t done = 0;
    for (; c->rule < reg->cat.n_rules; c->rule++, c->area = 0) {
        const alert_rule *r = &reg->cat.rules[c->rule];
        if (r->kind == RULE_LATE) {
            if (done == max)
                return 0;
            if (alerts_evaluate_late(db, reg, r, NULL, now, ev) < 0)
                return -1;
            done++;
            continue;
        }
        for (; c->area < reg->parts.n_areas; c->area++) {
            if (!rules_watches_area(r, &reg->parts, (int)c->area))
                continue;
            if (done == max)
                return 0;
            if (alerts_evaluate_area(db, reg, r, (int)c->area, now, grace_days, ev) < 0)
                return -1;
            done++;
        }
    }
    return 1;
}

int alerts_evaluate_changes(store *db, const registry *reg, const snapshot_changes *ch,
                            time_t now, long long grace_days, alert_events *ev)
{
    for (size_t i = 0; i < ch->n; i++)
        for (size_t k = 0; k < reg->cat.n_rules; k++) {
            const alert_rule *r = &reg->cat.rules[k];
            if (r->ind == ch->items[i].ind && rules_watches_area(r, &reg->parts, ch->items[i].at) &&
                alerts_evaluate_area(db, reg, r, ch->items[i].at, now, grace_days, ev) < 0)
                return -1;
        }
    return 0;
}
