/* derive.c: snapshots and alert rules after the figures are acknowledged (derive.h). */
#include "derive.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alert_hold.h"
#include "alerts.h"
#include "snapshot.h"

struct derive {
    derive_env env;
    bool snap_pending;        /* figures committed, snapshots not yet refreshed */
    long long snap_since;     /* monotonic ms of the oldest such commit */
    long long snap_retry;     /* after a failed refresh, not before this monotonic ms */
    snapshot_changes touched; /* what refreshes changed since the rules last judged it */
    long long touched_since;  /* monotonic ms of the first such refresh; 0: none */
    bool judging_touched;     /* judging touched, a piece a tick */
    bool judging_all;         /* judging every rule, a piece a tick, from all_at on */
    alerts_cursor all_at;
    int turn;                 /* the kind of work a tick looks at first (derive_tick) */
    bool *late_due;           /* per organisation: submitted since its late rules were judged */
    size_t n_late_due;
    long long next_check;     /* monotonic ms of the next judgement of every rule */
    time_t next_deadline;     /* when a late rule's deadline passes next; 0: none */
    long long last_commit;    /* monotonic ms of the last commit of figures */
    unsigned long commits;    /* how many derive_committed calls so far */
    snapshot_yield yield;     /* env's, with the coverage of the registry */
    bool seeded;              /* the notifier knows what fired before the start */
    long long checkpoint_retry; /* after a checkpoint that could not finish */
    long long next_metrics;   /* monotonic ms of the next write of the metrics file */
    mark_memo memo;           /* the marks queries computed since the last round */
};

long long derive_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* notify_held_fn: a silence or a firing cause keeps an alert from its receivers. A database
 * error holds nothing back: better a notice too many than a lost one. */
static bool held(void *ctx, stored_alert *a)
{
    derive *d = ctx;
    alert_hold_info why;
    stored_alert now;
    /* A group keeps the alert as it changed state: its figures may have moved since. */
    if (store_alert_get(d->env.db, a->id, &now) == 1 && strcmp(now.state, a->state) == 0)
        *a = now;
    int rc = alert_hold(d->env.db, d->env.reg, &d->env.nt->rt, a, time(NULL), &why);
    if (rc < 0)
        log_msg(d->env.log, LOG_ERR, "alert %lld: silences and inhibit rules: %s",
                (long long)a->id, store_errmsg(d->env.db));
    else if (why.inhibited_by)
        log_msg(d->env.log, LOG_DEBUG, "alert %lld (%s, %s) held back: inhibited by alert %lld",
                (long long)a->id, a->rule, a->area, (long long)why.inhibited_by);
    else if (rc > 0)
        log_msg(d->env.log, LOG_DEBUG, "alert %lld (%s, %s) held back: silenced", (long long)a->id,
                a->rule, a->area);
    return rc > 0;
}

/* The alerts that fired before this start were told then: the notifier keeps them for its
 * reminders without telling them again. */
static void seed(derive *d)
{
    static const char *const firing[] = {"firing", NULL};
    stored_alert *rows = NULL;
    size_t n = 0;
    bool more;
    if (store_alert_list(d->env.db, firing, 0, "", "", SIZE_MAX, &rows, &n, &more) < 0)
        log_msg(d->env.log, LOG_ERR, "alerts firing at the start: %s", store_errmsg(d->env.db));
    else
        notify_seed(d->env.nt, d->env.reg, rows, n);
    free(rows);
    d->seeded = true;
}

int derive_new(derive **out, const derive_env *env)
{
    derive *d = calloc(1, sizeof *d);
    if (!d)
        return -1;
    d->env = *env;
    if (env->yield)
        d->yield = *env->yield;
    d->yield.memo = &d->memo;
    notify_set_held(env->nt, held, d);
    *out = d;
    return 0;
}

void derive_free(derive **dp)
{
    derive *d = *dp;
    if (!d)
        return;
    snapshot_changes_free(&d->touched);
    coverage_free(&d->yield.cov);
    mark_memo_free(&d->memo);
    free(d->late_due);
    free(d);
    *dp = NULL;
}

/* Judge alert rules in one transaction, then tell the world: what a refresh changed, the
 * late rules of organisations that submitted since, or (all) the next all_max subjects of
 * every rule from all_at on. A failure loses nothing: every judgement replays the periods,
 * so the next one finds the same. 1: done, 0: more of every rule is left, -1: failed. */
static int judge(derive *d, const snapshot_changes *touched, bool all, size_t all_max)
{
    store *db = d->env.db;
    const registry *reg = d->env.reg;
    time_t now = time(NULL);
    bool any_late = false;
    for (size_t i = 0; i < d->n_late_due && !any_late; i++)
        any_late = d->late_due[i];
    if (!all && !any_late && (!touched || !touched->n))
        return 1;
    alert_events ev = {0};
    long long start = derive_now_ms();
    alerts_cursor was = d->all_at;
    int rc = 1;
    /* Without waiting for the disk, as the snapshots: a power cut may undo the last
     * judgement, and the next one finds the same again from the snapshots. */
    bool ok = store_begin_derived(db) == 0;
    if (all) {
        ok = ok && (rc = alerts_evaluate_from(db, reg, &d->all_at, all_max, now,
                                              d->env.set->grace_days, &ev)) >= 0;
    } else {
        if (touched)
            ok = ok && alerts_evaluate_changes(db, reg, touched, now, d->env.set->grace_days,
                                               &ev) == 0;
        /* One pass per late rule over the organisations that submitted since. */
        for (size_t k = 0; ok && any_late && k < reg->cat.n_rules; k++)
            if (reg->cat.rules[k].kind == RULE_LATE)
                ok = alerts_evaluate_late(db, reg, &reg->cat.rules[k], d->late_due, now,
                                          &ev) == 0;
    }
    ok = ok && store_commit_derived(db) == 0;
    if (ok) {
        log_msg(d->env.log, LOG_DEBUG, "alert rules: %s judged, %zu change%s (%lld ms)",
                all ? (rc ? "the last of every rule" : "a part of every rule")
                    : "what changed",
                ev.n, ev.n == 1 ? "" : "s", derive_now_ms() - start);
        if (!all && d->late_due)
            memset(d->late_due, 0, d->n_late_due * sizeof *d->late_due);
        notify_events(d->env.nt, reg, &ev);
    } else {
        log_msg(d->env.log, LOG_ERR, "alerts: %s", store_errmsg(db));
        store_rollback(db);
        d->all_at = was;
    }
    alert_events_free(&ev);
    return ok ? rc : -1;
}

/* A judgement of every rule is done (or given up): the timers of the next. */
static void all_judged(derive *d)
{
    d->judging_all = false;
    long long now_ms = derive_now_ms();
    time_t now = time(NULL);
    d->next_check = now_ms + d->env.set->alert_check_interval * 1000;
    d->next_deadline = alerts_next_deadline(d->env.reg, now, d->env.set->grace_days);
    /* A second past the deadline, so that the judgement finds it passed. */
    if (d->next_deadline && (d->next_deadline - now + 1) * 1000 < d->next_check - now_ms)
        d->next_check = now_ms + (long long)(d->next_deadline - now + 1) * 1000;
}

/* The next max subjects of every rule; all_judged when the last is done. */
static void judge_all_step(derive *d, size_t max)
{
    if (judge(d, NULL, true, max) != 0)
        all_judged(d); /* done, or failed: the timer tries again */
}

/* Every rule (at the start, after a reload, every alert_check_interval, and when a late
 * rule's deadline passes), a piece at a time between requests (derive_tick). */
static void judge_all(derive *d)
{
    d->all_at = (alerts_cursor){0, 0};
    d->judging_all = true;
    judge_all_step(d, DERIVE_JUDGE_STEP);
}

/* The rules over the next max pairs that refreshes changed since they last judged (and
 * the late rules of those who submitted since). */
static void judge_changes(derive *d, size_t max)
{
    snapshot_changes some = d->touched;
    if (some.n > max)
        some.n = max;
    judge(d, &some, false, 0);
    /* Judged, or failed: every judgement of every rule replays them anyway. */
    snapshot_changes_drop(&d->touched, d->env.reg, some.n);
    d->judging_touched = d->touched.n > 0;
    if (!d->judging_touched)
        d->touched_since = 0;
}

/* A refresh failed: the marks stay, and the next try waits (a full disk, say). */
static void refresh_failed(derive *d)
{
    log_msg(d->env.log, LOG_ERR, "snapshots: %s", store_errmsg(d->env.db));
    d->snap_retry = derive_now_ms() + DERIVE_MAX_DELAY_MS;
}

static void note_changed(derive *d, size_t changed, bool loud, const char *what,
                         long long since_ms)
{
    if (!d->touched_since && changed)
        d->touched_since = derive_now_ms();
    if (changed || what)
        log_msg(d->env.log, loud ? LOG_INFO : LOG_DEBUG, "snapshots: %zu new version%s%s%s (%lld ms)",
                changed, changed == 1 ? "" : "s", what ? ", " : "", what ? what : "",
                derive_now_ms() - since_ms);
}

/* Everything at once: every snapshot when the catalogue or partners changed since they
 * were computed, else what the dirty marks point at. Then the rules. */
static void refresh_all(derive *d, bool check_digest)
{
    store *db = d->env.db;
    char digest[17], stored[32] = "";
    if (check_digest) {
        int found = store_meta_get(db, "registry_digest", stored, sizeof stored);
        if (registry_digest(d->env.set, digest) < 0 || found < 0) {
            log_msg(d->env.log, LOG_ERR, "snapshots: cannot compare the configuration: %s",
                    store_errmsg(db));
        } else if (strcmp(stored, digest) != 0) {
            log_msg(d->env.log, LOG_INFO, "catalogue or partners changed: recomputing every "
                    "snapshot");
            /* The reporter sets name organisations by their place in the partners file. */
            if (store_begin_derived(db) < 0 || store_dirty_all(db) < 0 ||
                store_reporters_clear(db) < 0 ||
                store_meta_set(db, "registry_digest", digest) < 0 ||
                store_commit_derived(db) < 0) {
                log_msg(d->env.log, LOG_ERR, "snapshots: %s", store_errmsg(db));
                store_rollback(db);
            }
        }
    }
    size_t changed = 0;
    long long start = derive_now_ms();
    unsigned long commits = d->commits;
    if (snapshot_refresh_ticking(db, d->env.reg, time(NULL), &changed, &d->touched,
                                 d->env.keepalive, d->env.keepalive_ctx, &d->yield) < 0)
        refresh_failed(d);
    else if (d->commits == commits) /* none came in while it let requests in */
        d->snap_pending = false;
    note_changed(d, changed, check_digest, "everything marked", start);
    judge_changes(d, SIZE_MAX);
}

/* One round between polls; the rules judge when the marks are done, or a second after
 * the first change they have not seen (a refresh that never ends under load). */
static void refresh_round(derive *d)
{
    size_t changed = 0;
    long long start = derive_now_ms();
    unsigned long commits = d->commits;
    int64_t t0 = metrics_now_us();
    int n = snapshot_refresh_round(d->env.db, d->env.reg, time(NULL), DERIVE_ROUND_MARKS,
                                   &changed, &d->touched, &d->yield);
    if (d->env.m && n > 0)
        metrics_observe(&d->env.m->refresh, (double)(metrics_now_us() - t0) / 1e6);
    if (n < 0)
        refresh_failed(d);
    else if (n < DERIVE_ROUND_MARKS && d->commits == commits)
        d->snap_pending = false;
    char what[48];
    snprintf(what, sizeof what, "a round of %d marks", n);
    note_changed(d, changed, false, n > 0 ? what : NULL, start);
    if (!d->snap_pending ||
        (d->touched_since && derive_now_ms() - d->touched_since >= DERIVE_MAX_DELAY_MS))
        d->judging_touched = true; /* a piece each tick from now on */
}

/* When the next refresh round is due; only meaningful with snap_pending. */
static long long refresh_due(const derive *d)
{
    long long due = d->last_commit + DERIVE_QUIET_MS;
    if (d->snap_since + DERIVE_MAX_DELAY_MS < due)
        due = d->snap_since + DERIVE_MAX_DELAY_MS;
    return due > d->snap_retry ? due : d->snap_retry;
}

void derive_restart(derive *d)
{
    /* What the rules have not judged points into the old registry; judge_all judges
     * everything anyway. */
    snapshot_changes_free(&d->touched);
    d->touched_since = 0;
    d->judging_touched = false;
    d->judging_all = false;
    mark_memo_clear(&d->memo); /* its indices are the old registry's */
    /* The coverage in memory names organisations and areas of the registry. */
    coverage_free(&d->yield.cov);
    if (coverage_new(&d->yield.cov, d->env.reg) < 0)
        log_msg(d->env.log, LOG_ERR, "out of memory: the coverage is read for every refresh");
    size_t n = d->env.reg->parts.n_orgs;
    free(d->late_due);
    d->n_late_due = 0;
    d->late_due = calloc(n ? n : 1, sizeof *d->late_due);
    if (d->late_due)
        d->n_late_due = n;
    else
        log_msg(d->env.log, LOG_ERR, "out of memory: late rules wait for the timer");
    refresh_all(d, true);
    if (!d->seeded)
        seed(d);
    judge_all(d);
}

void derive_committed(derive *d, const bool *wrote, size_t n_orgs, long long now_ms)
{
    for (size_t i = 0; wrote && i < n_orgs && i < d->n_late_due; i++)
        d->late_due[i] |= wrote[i];
    if (!d->snap_pending) {
        d->snap_pending = true;
        d->snap_since = now_ms;
    }
    d->last_commit = now_ms;
    d->commits++;
}

void derive_before_read(void *self, const indicator *ind, period_kind kind, int first,
                        int last)
{
    derive *d = self;
    size_t changed = 0;
    if (!d->snap_pending)
        return;
    long long start = derive_now_ms();
    if (snapshot_refresh_for(d->env.db, d->env.reg, ind, kind, first, last, time(NULL), &changed,
                             &d->touched, d->yield.cov, &d->memo) < 0)
        log_msg(d->env.log, LOG_ERR, "snapshots before a query (answered from those stored): %s",
                store_errmsg(d->env.db));
    note_changed(d, changed, false, "before a query", start);
}

void derive_changed(void *self, bool figures)
{
    derive *d = self;
    if (figures)
        derive_committed(d, NULL, 0, derive_now_ms());
    /* Every rule from the next tick on (from the first again, when they are being
     * judged): a retraction may leave an organisation late, a closed month may now be
     * judged. */
    d->next_check = 0;
    d->all_at = (alerts_cursor){0, 0};
}

/* What the rules have begun to judge, to the end now. */
static void judge_pending(derive *d)
{
    if (d->judging_touched)
        judge_changes(d, SIZE_MAX);
    if (d->judging_all)
        judge_all_step(d, SIZE_MAX);
}

void derive_before_judged(derive *d)
{
    if (d->snap_pending)
        refresh_all(d, false);
    /* A late rule's deadline that passed since the rules last judged: judge them now. */
    if (d->next_deadline && time(NULL) >= d->next_deadline)
        judge_all(d);
    judge_pending(d);
}

/* When the WAL is next copied into the database; LLONG_MAX when it holds nothing. */
static long long checkpoint_due(const derive *d)
{
    long frames = store_wal_frames(d->env.db);
    if (frames <= 0)
        return LLONG_MAX;
    long long due = frames >= DERIVE_CHECKPOINT_FRAMES
                        ? 0
                        : d->last_commit + DERIVE_CHECKPOINT_QUIET_MS;
    return due > d->checkpoint_retry ? due : d->checkpoint_retry;
}

/* Under load alongside the commits; once they stop, all of it, and the file emptied. */
static void checkpoint(derive *d, long long now_ms)
{
    bool quiet = now_ms - d->last_commit >= DERIVE_CHECKPOINT_QUIET_MS && !d->snap_pending;
    long frames = store_wal_frames(d->env.db);
    int rc = store_checkpoint(d->env.db, quiet);
    if (rc < 0)
        log_msg(d->env.log, LOG_ERR, "checkpoint: %s", store_errmsg(d->env.db));
    else
        log_msg(d->env.log, LOG_DEBUG, "checkpoint (%s) of %ld WAL pages: %s",
                quiet ? "all, WAL emptied" : "beside the commits", frames,
                rc == 0 ? "done" : "not finished, again in a second");
    d->checkpoint_retry = rc != 0 ? now_ms + DERIVE_MAX_DELAY_MS : 0;
}

static long long metrics_due(const derive *d)
{
    return d->env.m && d->env.set->metrics_file[0] ? d->next_metrics : LLONG_MAX;
}

static void write_metrics(derive *d, long long now_ms)
{
    lm_error err;
    d->next_metrics = now_ms + d->env.set->metrics_interval * 1000;
    if (metrics_write(d->env.m, d->env.db, d->env.reg, d->env.set, d->env.set->metrics_file,
                      &err) < 0)
        log_msg(d->env.log, LOG_ERR, "metrics: %s", err.msg);
}

long long derive_due(const derive *d)
{
    if (d->judging_touched || d->judging_all)
        return 0; /* the next piece; requests waiting are served first */
    long long due = d->next_check;
    if (d->snap_pending && refresh_due(d) < due)
        due = refresh_due(d);
    if (checkpoint_due(d) < due)
        due = checkpoint_due(d);
    if (metrics_due(d) < due)
        due = metrics_due(d);
    return due;
}

/* The kinds of work a tick does, one piece of one kind per tick, taking turns. */
enum { WORK_REFRESH, WORK_JUDGE_ALL, WORK_JUDGE_TOUCHED, WORK_CHECKPOINT, WORK_METRICS,
       WORK_KINDS };

static bool work_due(const derive *d, int kind, long long now_ms)
{
    switch (kind) {
    case WORK_REFRESH:
        return d->snap_pending && now_ms >= refresh_due(d);
    case WORK_JUDGE_ALL:
        return d->judging_all || now_ms >= d->next_check;
    case WORK_JUDGE_TOUCHED:
        return d->judging_touched;
    case WORK_CHECKPOINT:
        return now_ms >= checkpoint_due(d);
    default:
        return now_ms >= metrics_due(d);
    }
}

static void work(derive *d, int kind, long long now_ms)
{
    switch (kind) {
    case WORK_REFRESH:
        /* The acknowledgements did not wait for the roll-up: the dirty marks were
         * committed with the figures, so a crash before the refresh only delays the
         * snapshots. */
        refresh_round(d);
        break;
    case WORK_JUDGE_ALL:
        if (d->judging_all)
            judge_all_step(d, DERIVE_JUDGE_STEP);
        else
            judge_all(d);
        break;
    case WORK_JUDGE_TOUCHED:
        judge_changes(d, DERIVE_JUDGE_STEP);
        break;
    case WORK_CHECKPOINT:
        checkpoint(d, now_ms);
        break;
    default:
        write_metrics(d, now_ms);
    }
}

void derive_tick(derive *d, long long now_ms)
{
    /* One piece, then the thread serves what waits (a query waits for one piece at most);
     * the kinds take turns, so that a steady load of refresh rounds starves none. */
    for (int i = 0; i < WORK_KINDS; i++) {
        int kind = (d->turn + i) % WORK_KINDS;
        if (work_due(d, kind, now_ms)) {
            work(d, kind, now_ms);
            d->turn = (kind + 1) % WORK_KINDS;
            return;
        }
    }
}

void derive_finish(derive *d)
{
    if (d->snap_pending)
        refresh_all(d, false);
    judge_pending(d);
    if (store_checkpoint(d->env.db, true) < 0)
        log_msg(d->env.log, LOG_ERR, "checkpoint: %s", store_errmsg(d->env.db));
}
