/* batch.c: checking a round's requests and storing its submissions in one transaction
 * (batch.h). */
#include "batch.h"

#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "outliers.h"
#include "validate.h"

int batch_init(batch *b, size_t cap)
{
    memset(b, 0, sizeof *b);
    b->items = calloc(cap ? cap : 1, sizeof *b->items);
    if (!b->items)
        return -1;
    b->cap = cap;
    return 0;
}

void batch_free(batch *b)
{
    batch_clear(b);
    free(b->items);
    free(b->wrote);
    memset(b, 0, sizeof *b);
}

pending *batch_slot(batch *b)
{
    if (b->n == b->cap)
        return NULL;
    pending *p = &b->items[b->n];
    memset(p, 0, sizeof *p);
    return p;
}

void batch_keep(batch *b)
{
    const pending *p = &b->items[b->n++];
    b->records += p->req.n_records;
    /* An error list can hold far more than its request's bytes: one record with a thousand
     * unknown fields is a thousand errors of about 250 bytes each. */
    b->bytes += p->size + p->req.n_records * sizeof *p->req.records +
                p->errs.cap * sizeof *p->errs.items;
}

void batch_keep_overflow(batch *b)
{
    pending *p = &b->items[b->n++];
    p->overflow = true;
    if (p->req.op == PROTO_OP_SUBMIT) {
        free(p->req.records);
        p->req.records = NULL;
        p->req.n_records = 0;
    }
}

static void refuse(pending *p, int status, const char *why)
{
    p->status = status;
    snprintf(p->why, sizeof p->why, "%s", why);
}

/* A submission's record errors, as its reply's error text. */
static void describe_errors(pending *p)
{
    size_t bad = p->errs.total; /* with the type errors found while decoding */
    size_t records = 0;         /* distinct bad records among those listed */
    for (size_t i = 0; i < p->errs.count; i++)
        records += i == 0 || p->errs.items[i].index != p->errs.items[i - 1].index;
    p->status = PROTO_INVALID;
    if (p->errs.count < bad)
        snprintf(p->why, sizeof p->why,
                 "%zu errors in a submission of %zu records (the first %zu listed); "
                 "nothing was stored", bad, p->req.n_records, p->errs.count);
    else
        snprintf(p->why, sizeof p->why, "%zu error%s in %zu of %zu record%s; nothing was stored",
                 bad, bad == 1 ? "" : "s", records, p->req.n_records,
                 p->req.n_records == 1 ? "" : "s");
}

/* Figures for a closed month are refused: its figures are agreed. -1 if the database
 * cannot tell. */
static int check_closed(pending *p, const batch_env *env, time_t now)
{
    const char *last = NULL;
    int64_t closed = 0;
    for (size_t i = 0; i < p->req.n_records; i++) {
        const proto_record *r = &p->req.records[i];
        if (!last || strcmp(r->period, last) != 0) {
            if (store_closed_months(env->db, r->period, r->period, (int64_t)now, &closed) < 0)
                return -1;
            last = r->period;
        }
        if (closed)
            proto_errors_add(&p->errs, (long)i, "period", "period_closed",
                             "%s is closed: its figures are agreed; an admin reopens it before "
                             "a figure can change (leamon reopen %s)", r->period, r->period);
    }
    return 0;
}

typedef enum { LIMIT_SUBMISSIONS, LIMIT_RECORDS, LIMIT_CORRECTIONS } limit_kind;

/* Past its organisation's limit: 429, with when it may come back. */
static bool over_quota(pending *p, const batch_env *env, time_t now, limit_kind kind)
{
    if (!env->q)
        return false;
    size_t org = (size_t)(p->who.org - env->reg->parts.orgs);
    int64_t n = (int64_t)p->req.n_records;
    int64_t wait = kind == LIMIT_SUBMISSIONS ? quota_submission(env->q, org, now)
                   : kind == LIMIT_RECORDS   ? quota_records(env->q, org, n, now)
                                             : quota_corrections(env->q, org, now);
    if (!wait)
        return false;
    static const char *const what[] = {"submissions a minute", "records a day",
                                       "corrections a day"};
    int64_t limit = kind == LIMIT_SUBMISSIONS ? env->q->per_minute
                    : kind == LIMIT_RECORDS   ? env->q->per_day
                                              : env->q->corrections_per_day;
    p->write = false;
    p->status = PROTO_TOO_MANY;
    p->cause = kind == LIMIT_SUBMISSIONS ? REFUSED_MINUTE
               : kind == LIMIT_RECORDS   ? REFUSED_DAY
                                         : REFUSED_CORRECTIONS;
    p->res.retry_after_ms = wait;
    snprintf(p->why, sizeof p->why, "%s has sent more than its limit of %s (%lld); nothing was "
             "stored, retry in %lld s", p->who.org->id, what[kind], (long long)limit,
             (long long)(wait + 999) / 1000);
    log_event(env->log, LOG_WARNING, &(log_about){p->who.org->id, p->req.id, 0},
              "submit %s from %s: %s", p->req.id, p->who.org->id, p->why);
    return true;
}

static void check_one(pending *p, const batch_env *env, time_t now)
{
    lm_error e;
    if (p->status != PROTO_OK)
        return;
    p->op = op_find(p->req.op);
    if (auth_identify(env->reg, env->secure, p->user_id, p->req.reporter, &p->who, &e) < 0 ||
        op_allowed(p->op, &p->who, &e) < 0) {
        refuse(p, e.status, e.msg);
        return;
    }
    if (!(p->op->flags & OP_BATCHED))
        return;
    if (p->overflow) {
        p->status = PROTO_UNAVAILABLE;
        p->cause = REFUSED_BUSY;
        p->res.retry_after_ms = BATCH_BUSY_RETRY_MS;
        snprintf(p->why, sizeof p->why, "the daemon is busy: more submissions are waiting than "
                 "one commit takes (batch_max %lld requests, %d records); nothing was stored, "
                 "retry in %d ms", env->set->batch_max, BATCH_RECORDS, BATCH_BUSY_RETRY_MS);
        return;
    }
    log_msg(env->log, LOG_DEBUG, "received submit %s from %s: %zu records", p->req.id,
            p->who.org->id, p->req.n_records);
    if (over_quota(p, env, now, LIMIT_SUBMISSIONS))
        return;
    validate_submission(&p->req, p->who.org, env->reg, now, &p->errs);
    if (check_closed(p, env, now) < 0) {
        log_msg(env->log, LOG_ERR, "closed months: %s", store_errmsg(env->db));
        refuse(p, PROTO_INTERNAL, "cannot read the database; nothing was stored");
        return;
    }
    proto_errors_sort(&p->errs);
    if (p->errs.total) {
        describe_errors(p);
        return;
    }
    p->write = true;
    if (!p->req.dry_run &&
        (over_quota(p, env, now, LIMIT_CORRECTIONS) || over_quota(p, env, now, LIMIT_RECORDS)))
        return;
    if (outliers_check(env->db, &env->reg->cat, p->who.org->id, &p->req, &p->warns) < 0)
        log_msg(env->log, LOG_WARNING, "outlier check of %s: %s (stored without it)", p->req.id,
                store_errmsg(env->db));
    proto_errors_sort(&p->warns);
}

void batch_check(batch *b, const batch_env *env, time_t now)
{
    for (size_t i = 0; i < b->n; i++)
        check_one(&b->items[i], env, now);
}

bool batch_wants(const batch *b, unsigned flag)
{
    for (size_t i = 0; i < b->n; i++)
        if (b->items[i].status == PROTO_OK && b->items[i].op && (b->items[i].op->flags & flag))
            return true;
    return false;
}

/* Refusing a submission whose write failed, or whose transaction is gone. */
static void failed_write(pending *p, bool transient, const char *what)
{
    p->write = false;
    p->res.accepted = 0;
    p->res.duplicate = false;
    p->status = transient ? PROTO_UNAVAILABLE : PROTO_INTERNAL;
    if (transient)
        snprintf(p->why, sizeof p->why, "the database cannot take writes now (disk full or "
                 "read-only?); retry later");
    else
        snprintf(p->why, sizeof p->why, "internal error %s the submission; nothing was stored",
                 what);
}

/* Store one submission inside the open transaction, under its own savepoint unless alone.
 * alone: no savepoint (a savepoint journals every page the submission changes, a third of
 * a large one's cost); a failure then rolls the whole transaction back. */
static void store_one(pending *p, const batch_env *env, time_t now, bool alone)
{
    store *db = env->db;
    const char *who = p->who.org->id;
    uint64_t digest = validate_digest(&p->req);
    stored_submission prior;
    int found = store_find_submission(db, who, p->req.id, &prior);
    p->in_txn = true;
    if (found == 1) {
        p->write = false;
        if (prior.digest != digest) {
            p->status = PROTO_CONFLICT;
            snprintf(p->why, sizeof p->why,
                     "request id %s was already used for different figures; use a new id",
                     p->req.id);
            return;
        }
        p->res.duplicate = true;
        p->res.accepted = prior.records;
        return;
    }
    if (found == 0 && p->req.dry_run) {
        p->write = false;
        p->res.accepted = (int64_t)p->req.n_records;
        return;
    }
    int64_t sub = 0, superseded = store_superseded(db);
    bool ok = found == 0 && (alone || store_savepoint(db) == 0) &&
              store_add_submission(db, who, p->req.id, now, (int64_t)p->req.n_records, digest,
                                   &sub) == 0;
    for (size_t i = 0; ok && i < p->req.n_records; i++) {
        const proto_record *r = &p->req.records[i];
        ok = store_put_observation(db, who, r->metric, r->period, r->area, r->value, sub, now) == 0;
    }
    if (ok && (alone || store_release(db) == 0)) {
        p->res.accepted = (int64_t)p->req.n_records;
        if (env->q)
            quota_corrected(env->q, (size_t)(p->who.org - env->reg->parts.orgs),
                            store_superseded(db) - superseded, now);
        return;
    }
    log_msg(env->log, LOG_ERR, "storing submission %s of %s: %s", p->req.id, who,
            store_errmsg(db));
    bool transient = store_error_transient(db);
    /* Without a savepoint, or if it cannot be undone, the part written must not reach
     * COMMIT: drop the whole transaction, and the batch fails as one. */
    if (store_in_transaction(db) && (alone || store_rollback_savepoint(db) != 0))
        store_rollback(db);
    failed_write(p, transient, "storing");
}

/* The writes of the batch in one transaction; rolled back unless committed. */
static bool commit_together(batch *b, const batch_env *env, time_t now, bool savepoints)
{
    bool ok = store_begin(env->db) == 0;
    for (size_t i = 0; ok && i < b->n; i++) {
        if (b->items[i].write)
            store_one(&b->items[i], env, now, !savepoints);
        ok = store_in_transaction(env->db);
    }
    ok = ok && store_commit(env->db) == 0;
    if (!ok)
        store_rollback(env->db);
    return ok;
}

/* What store_one decides about a request, to undo before a second try. */
typedef struct {
    int status;
    char why[LM_ERROR_MAX];
    bool write, in_txn;
    submit_result res;
} outcome;

static outcome *remember(const batch *b)
{
    outcome *o = malloc(b->n * sizeof *o);
    for (size_t i = 0; o && i < b->n; i++) {
        const pending *p = &b->items[i];
        o[i] = (outcome){p->status, "", p->write, p->in_txn, p->res};
        memcpy(o[i].why, p->why, sizeof o[i].why);
    }
    return o;
}

static void restore(batch *b, const outcome *o)
{
    for (size_t i = 0; i < b->n; i++) {
        pending *p = &b->items[i];
        p->status = o[i].status;
        memcpy(p->why, o[i].why, sizeof p->why);
        p->write = o[i].write;
        p->in_txn = o[i].in_txn;
        p->res = o[i].res;
    }
}

/* A savepoint per submission journals every page it changes, so first without them; only
 * if that fails (a submission that cannot be stored, or the commit) once more with them,
 * so that one bad submission does not fail the others. */
/* b->wrote cleared, with a flag for each organisation of the registry. */
static void clear_wrote(batch *b, size_t n_orgs)
{
    if (n_orgs > b->n_wrote) {
        bool *w = realloc(b->wrote, n_orgs * sizeof *w);
        if (!w) {
            n_orgs = b->n_wrote; /* the late rules then wait for their timer */
        } else {
            b->wrote = w;
        }
    }
    b->n_wrote = n_orgs;
    if (b->wrote)
        memset(b->wrote, 0, b->n_wrote * sizeof *b->wrote);
}

bool batch_commit(batch *b, const batch_env *env, time_t now)
{
    size_t writes = 0;
    for (size_t i = 0; i < b->n; i++)
        writes += b->items[i].write;
    if (!writes)
        return false;
    outcome *before = writes > 1 ? remember(b) : NULL;
    bool ok = commit_together(b, env, now, writes > 1 && !before);
    if (!ok && before) {
        restore(b, before);
        ok = commit_together(b, env, now, true);
    }
    free(before);
    if (ok) {
        size_t subs = 0, records = 0;
        clear_wrote(b, env->reg->parts.n_orgs);
        for (size_t i = 0; i < b->n; i++) {
            const pending *p = &b->items[i];
            if (!p->write)
                continue;
            subs++;
            records += p->req.n_records;
            size_t org = (size_t)(p->who.org - env->reg->parts.orgs);
            if (org < b->n_wrote)
                b->wrote[org] = true;
        }
        if (subs)
            log_msg(env->log, LOG_INFO, "stored %zu submission%s, %zu record%s, in one "
                    "transaction", subs, subs == 1 ? "" : "s", records, records == 1 ? "" : "s");
        return subs > 0;
    }
    /* The transaction is gone: none of the batch's writes happened. */
    log_msg(env->log, LOG_ERR, "commit failed, %zu requests refused: %s", b->n,
            store_errmsg(env->db));
    bool transient = store_error_transient(env->db);
    for (size_t i = 0; i < b->n; i++) {
        pending *p = &b->items[i];
        /* Dry runs, retries and 409s too: they were decided in the transaction that is gone.
         * A submission that could not be stored keeps its own reason. */
        bool failed_alone = p->status == PROTO_INTERNAL || p->status == PROTO_UNAVAILABLE;
        if (p->req.op == PROTO_OP_SUBMIT && (p->status == PROTO_OK || (p->in_txn && !failed_alone)))
            failed_write(p, transient, "committing");
    }
    return false;
}

void batch_take(batch *b, size_t i, pending *out)
{
    pending *p = &b->items[i];
    *out = *p;
    p->handed = true;
    memset(&p->req.records, 0, sizeof p->req.records);
    p->req.n_records = 0;
    memset(&p->errs, 0, sizeof p->errs);
    memset(&p->warns, 0, sizeof p->warns);
}

void batch_clear(batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        proto_request_free(&b->items[i].req);
        proto_errors_free(&b->items[i].errs);
        proto_errors_free(&b->items[i].warns);
    }
    b->n = 0;
    b->records = 0;
    b->bytes = 0;
}
