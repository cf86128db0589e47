/* server.c: the request loop. Reads whatever requests are waiting, checks them, writes all
 * accepted submissions in one transaction (group commit), and answers each request only
 * after that transaction is on disk. */
#include "server.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>
#include <zmq.h>

#include "alerts.h"
#include "auth.h"
#include "keyfile.h"
#include "ops.h"
#include "ops_alert.h"
#include "ops_backup.h"
#include "ops_query.h"
#include "snapshot.h"
#include "validate.h"

/* Frames above the protocol limit still get a 413 reply; far larger ones are dropped by
 * ZeroMQ itself (ZMQ_MAXMSGSIZE) before they cost memory. */
#define HARD_MESSAGE_LIMIT (2 * PROTO_MAX_MESSAGE)

/* Requests queued per connection before ZeroMQ stops reading from it (back pressure). */
#define RECEIVE_HWM 256

/* Decoded records held by one batch: five full submissions, or fifty of 1,000 records
 * (about 7 MB), so a deadline hour of backfills shares commits instead of waiting. */
#define BATCH_RECORDS (5 * PROTO_MAX_RECORDS)

/* Snapshots are refreshed once no request has come for SNAPSHOT_QUIET_MS, so that the
 * commits of a rush of submissions share one refresh and are acknowledged at the pace of
 * the disk; but never later than SNAPSHOT_MAX_DELAY_MS after a commit. The refresh runs
 * in rounds of SNAPSHOT_ROUND_MARKS marks, each its own transaction, with the requests
 * that came meanwhile served in between. A query first refreshes what it reads
 * (server_refresh_for). */
#define SNAPSHOT_QUIET_MS 50
#define SNAPSHOT_MAX_DELAY_MS 1000
#define SNAPSHOT_ROUND_MARKS 256

static long long monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One request of the batch being served. */
typedef struct {
    zmq_msg_t route;       /* ROUTER routing id of the sender */
    bool req_envelope;     /* REQ sockets put an empty delimiter before the payload */
    char user_id[41];      /* CURVE key (Z85) the ZAP handler approved */
    proto_request req;
    proto_errors errs;
    identity who;
    int status;            /* 200 until something fails */
    char why[256];
    bool write;            /* a submission to store in this batch */
    bool overflow;         /* read beyond what one commit takes: a submission gets 503 */
    bool in_txn;           /* its outcome was decided inside the batch transaction */
    submit_result res;
} pending;

static void refresh_snapshots(server *srv, bool check_digest);
static void check_all_rules(server *srv);

int server_block_signals(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGCHLD);
    /* Past a file size limit (RLIMIT_FSIZE) a write then fails with EFBIG, which the
     * client sees as a 503, instead of SIGXFSZ killing the daemon. */
    if (signal(SIGXFSZ, SIG_IGN) == SIG_ERR)
        return -1;
    return pthread_sigmask(SIG_BLOCK, &set, NULL) == 0 ? 0 : -1;
}

bool server_endpoint_is_local(const char *ep)
{
    static const char *const local[] = {"tcp://127.", "tcp://localhost:", "tcp://[::1]:",
                                        "ipc://", "inproc://", NULL};
    for (const char *const *p = local; *p; p++)
        if (strncmp(ep, *p, strlen(*p)) == 0)
            return true;
    return false;
}

int server_check_endpoint(const settings *set, char *err, size_t errlen)
{
    char pub[256];
    notify_endpoint(set, pub, sizeof pub);
    if (set->server_secret_key_file[0])
        return 0;
    const char *what = !server_endpoint_is_local(set->listen) ? "listen"
                       : pub[0] && !server_endpoint_is_local(pub) ? "publish"
                                                                  : NULL;
    if (!what)
        return 0;
    snprintf(err, errlen,
             "%s: %s = \"%s\" is not a loopback endpoint; without "
             "server_secret_key_file (insecure mode) leamond only listens on 127.0.0.1, "
             "[::1], localhost or ipc://",
             set->file, what, strcmp(what, "listen") == 0 ? set->listen : pub);
    return -1;
}

static int set_int(void *sock, int option, int value)
{
    return zmq_setsockopt(sock, option, &value, sizeof value);
}

static int open_router(server *srv, const char *secret, char *err, size_t errlen)
{
    srv->router = zmq_socket(srv->zmq, ZMQ_ROUTER);
    if (!srv->router) {
        snprintf(err, errlen, "request socket: %s", zmq_strerror(zmq_errno()));
        return -1;
    }
    int64_t maxmsg = HARD_MESSAGE_LIMIT;
    if (zmq_setsockopt(srv->router, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg) != 0 ||
        set_int(srv->router, ZMQ_LINGER, 2000) != 0 || set_int(srv->router, ZMQ_IPV6, 1) != 0 ||
        set_int(srv->router, ZMQ_SNDHWM, 10000) != 0 ||
        set_int(srv->router, ZMQ_RCVHWM, RECEIVE_HWM) != 0) {
        snprintf(err, errlen, "request socket options: %s", zmq_strerror(zmq_errno()));
        return -1;
    }
    if (secret) {
        int rc = set_int(srv->router, ZMQ_CURVE_SERVER, 1) != 0 ||
                 zmq_setsockopt(srv->router, ZMQ_CURVE_SECRETKEY, secret, KEY_Z85_LEN) != 0 ||
                 zmq_setsockopt(srv->router, ZMQ_ZAP_DOMAIN, "leamon", 6) != 0;
        if (rc) {
            snprintf(err, errlen, "CURVE: %s", zmq_strerror(zmq_errno()));
            return -1;
        }
    }
    if (zmq_bind(srv->router, srv->set.listen) != 0) {
        snprintf(err, errlen, "cannot listen on %s: %s", srv->set.listen,
                 zmq_strerror(zmq_errno()));
        return -1;
    }
    return 0;
}

int server_start(server *srv, const settings *set, char *err, size_t errlen)
{
    memset(srv, 0, sizeof *srv);
    srv->signal_fd = -1;
    srv->set = *set;
    log_level lvl = LOG_INFO;
    log_level_parse(set->log_level, &lvl);
    log_init(&srv->log, lvl);
    srv->secure = set->server_secret_key_file[0] != '\0';
    srv->started = time(NULL);
    if (server_check_endpoint(set, err, errlen) < 0)
        return -1;
    if (registry_load(&srv->reg, set, err, errlen) < 0)
        return -1;
    if (store_open(&srv->db, set->database, err, errlen) < 0)
        return -1;
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGHUP);
    sigaddset(&mask, SIGCHLD); /* alert hooks that finished */
    srv->signal_fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
    if (srv->signal_fd < 0) {
        snprintf(err, errlen, "signalfd: %s", strerror(errno));
        return -1;
    }
    if (!(srv->zmq = zmq_ctx_new())) {
        snprintf(err, errlen, "ZeroMQ context: %s", zmq_strerror(zmq_errno()));
        return -1;
    }
    char secret[KEY_Z85_LEN + 1] = "";
    if (srv->secure &&
        keyfile_read_secret(srv->set.server_secret_key_file, secret, err, errlen) < 0)
        return -1;
    int rc = auth_start(srv->zmq, &srv->zap, err, errlen) < 0 ||
             open_router(srv, srv->secure ? secret : NULL, err, errlen) < 0 ||
             notify_open(&srv->nt, srv->zmq, set, srv->secure ? secret : NULL, &srv->log, err,
                         errlen) < 0;
    memset(secret, 0, sizeof secret);
    if (rc)
        return -1;
    if (srv->secure)
        log_msg(&srv->log, LOG_INFO, "listening on %s (CURVE, %zu keys known)", set->listen,
                srv->reg.parts.n_keys);
    else
        log_msg(&srv->log, LOG_WARNING,
                "INSECURE MODE: no server_secret_key_file; requests are not authenticated and "
                "name their own reporter; listening on %s (loopback only)",
                set->listen);
    log_msg(&srv->log, LOG_INFO, "database %s, %zu metrics, %zu indicators, %zu areas, "
            "%zu organisations, %zu staff", set->database, srv->reg.cat.n_metrics,
            srv->reg.cat.n_indicators, srv->reg.parts.n_areas, srv->reg.parts.n_orgs,
            srv->reg.parts.n_staff);
    if (srv->nt.pub)
        log_msg(&srv->log, LOG_INFO, "publishing alerts on %s%s; %zu alert rules%s%s",
                srv->nt.endpoint, srv->secure ? " (CURVE, staff keys only)" : "",
                srv->reg.cat.n_rules, srv->nt.hook[0] ? ", hook " : "", srv->nt.hook);
    refresh_snapshots(srv, true);
    check_all_rules(srv);
    return 0;
}

void server_free(server *srv)
{
    ops_backup_discard(srv);
    notify_close(&srv->nt);
    free(srv->late_due);
    srv->late_due = NULL;
    snapshot_changes_free(&srv->touched);
    if (srv->router)
        zmq_close(srv->router);
    if (srv->zap)
        zmq_close(srv->zap);
    if (srv->zmq)
        zmq_ctx_term(srv->zmq);
    if (srv->signal_fd >= 0)
        close(srv->signal_fd);
    store_close(&srv->db);
    registry_free(&srv->reg);
    srv->router = srv->zap = srv->zmq = NULL;
    srv->signal_fd = -1;
}

/* Evaluate alert rules in one transaction, then tell the world: what a refresh changed,
 * the late rules of organisations that submitted since, or (all) every rule. A failure
 * loses nothing: every evaluation replays the periods, so the next one finds the same. */
static void check_rules(server *srv, const snapshot_changes *touched, bool all)
{
    time_t now = time(NULL);
    bool any_late = false;
    for (size_t i = 0; i < srv->n_late_due && !any_late; i++)
        any_late = srv->late_due[i];
    if (!all && !any_late && (!touched || !touched->n))
        return;
    alert_events ev = {0};
    bool ok = store_begin(srv->db) == 0;
    if (all) {
        ok = ok && alerts_evaluate_all(srv->db, &srv->reg, now, &ev) == 0;
    } else {
        if (touched)
            ok = ok && alerts_evaluate_changes(srv->db, &srv->reg, touched, now, &ev) == 0;
        /* One pass per late rule over the organisations that submitted since. */
        for (size_t k = 0; ok && any_late && k < srv->reg.cat.n_rules; k++)
            if (srv->reg.cat.rules[k].kind == RULE_LATE)
                ok = alerts_evaluate_late(srv->db, &srv->reg, &srv->reg.cat.rules[k],
                                          srv->late_due, now, &ev) == 0;
    }
    ok = ok && store_commit(srv->db) == 0;
    if (ok) {
        if (srv->late_due)
            memset(srv->late_due, 0, srv->n_late_due * sizeof *srv->late_due);
        notify_events(&srv->nt, &srv->reg, &ev);
    } else {
        log_msg(&srv->log, LOG_ERR, "alerts: %s", store_errmsg(srv->db));
        store_rollback(srv->db);
    }
    alert_events_free(&ev);
}

/* Every rule (at start, after a reload, and every alert_check_interval: late rules and
 * target paths move with the clock). */
static void check_all_rules(server *srv)
{
    /* One flag per organisation of the running registry. */
    if (srv->n_late_due != srv->reg.parts.n_orgs) {
        free(srv->late_due);
        srv->n_late_due = 0;
        srv->late_due = calloc(srv->reg.parts.n_orgs ? srv->reg.parts.n_orgs : 1,
                               sizeof *srv->late_due);
        if (srv->late_due)
            srv->n_late_due = srv->reg.parts.n_orgs;
        else
            log_msg(&srv->log, LOG_ERR, "out of memory: late rules wait for the timer");
    }
    check_rules(srv, NULL, true);
    srv->next_check = monotonic_ms() + srv->set.alert_check_interval * 1000;
}

/* A keep-alive for systemd's watchdog when one is due (from the loop, and between the
 * rounds of a long snapshot recompute). */
static void feed_watchdog(void *ctx)
{
    server *srv = ctx;
    long long now = monotonic_ms();
    if (srv->watchdog_ms && now >= srv->next_watchdog) {
        sd_notify(0, "WATCHDOG=1");
        srv->next_watchdog = now + srv->watchdog_ms;
    }
}

/* The alert rules over what the refreshes changed since they last judged. */
static void judge_changes(server *srv)
{
    check_rules(srv, &srv->touched, false);
    snapshot_changes_free(&srv->touched);
    srv->touched_since = 0;
}

/* A refresh failed: the marks stay, and the next try waits (a full disk, say). */
static void refresh_failed(server *srv)
{
    log_msg(&srv->log, LOG_ERR, "snapshots: %s", store_errmsg(srv->db));
    srv->snap_retry = monotonic_ms() + SNAPSHOT_MAX_DELAY_MS;
}

static void note_changed(server *srv, size_t changed, bool loud)
{
    if (!srv->touched_since && changed)
        srv->touched_since = monotonic_ms();
    if (changed)
        log_msg(&srv->log, loud ? LOG_INFO : LOG_DEBUG, "snapshots: %zu new version%s",
                changed, changed == 1 ? "" : "s");
}

/* Bring the snapshots up to date at once: everything when the catalogue or partners
 * changed since they were computed, else what the dirty marks point at. Then the rules. */
static void refresh_snapshots(server *srv, bool check_digest)
{
    char digest[17], stored[32] = "";
    if (check_digest) {
        int found = store_meta_get(srv->db, "registry_digest", stored, sizeof stored);
        if (registry_digest(&srv->set, digest) < 0 || found < 0) {
            log_msg(&srv->log, LOG_ERR, "snapshots: cannot compare the configuration: %s",
                    store_errmsg(srv->db));
        } else if (strcmp(stored, digest) != 0) {
            log_msg(&srv->log, LOG_INFO, "catalogue or partners changed: recomputing every "
                    "snapshot");
            if (store_dirty_all(srv->db) < 0 || store_meta_set(srv->db, "registry_digest", digest) < 0)
                log_msg(&srv->log, LOG_ERR, "snapshots: %s", store_errmsg(srv->db));
        }
    }
    size_t changed = 0;
    if (snapshot_refresh_ticking(srv->db, &srv->reg, time(NULL), &changed, &srv->touched,
                                 feed_watchdog, srv) < 0) {
        refresh_failed(srv);
    } else {
        srv->snap_pending = false;
    }
    note_changed(srv, changed, check_digest);
    judge_changes(srv);
}

/* One round between polls; the rules judge when the marks are done, or a second after
 * the first change they have not seen (a refresh that never ends under load). */
static void refresh_round(server *srv)
{
    size_t changed = 0;
    int n = snapshot_refresh_round(srv->db, &srv->reg, time(NULL), SNAPSHOT_ROUND_MARKS,
                                   &changed, &srv->touched);
    if (n < 0)
        refresh_failed(srv);
    else if (n < SNAPSHOT_ROUND_MARKS)
        srv->snap_pending = false;
    note_changed(srv, changed, false);
    if (!srv->snap_pending ||
        (srv->touched_since && monotonic_ms() - srv->touched_since >= SNAPSHOT_MAX_DELAY_MS))
        judge_changes(srv);
}

/* When the next refresh round is due (monotonic ms); only meaningful with snap_pending. */
static long long refresh_due(const server *srv)
{
    long long due = srv->last_batch + SNAPSHOT_QUIET_MS;
    if (srv->snap_since + SNAPSHOT_MAX_DELAY_MS < due)
        due = srv->snap_since + SNAPSHOT_MAX_DELAY_MS;
    return due > srv->snap_retry ? due : srv->snap_retry;
}

void server_refresh_for(server *srv, const indicator *ind, int first, int last)
{
    size_t changed = 0;
    if (!srv->snap_pending)
        return;
    if (snapshot_refresh_for(srv->db, &srv->reg, ind, first, last, time(NULL), &changed,
                             &srv->touched) < 0)
        log_msg(&srv->log, LOG_ERR, "snapshots before a query (answered from those stored): %s",
                store_errmsg(srv->db));
    note_changed(srv, changed, false);
}

/* SIGHUP: load catalogue and partners anew; keep the running ones if that fails. */
static void reload(server *srv)
{
    registry fresh;
    char err[512];
    sd_notify(0, "RELOADING=1");
    int rc = registry_load(&fresh, &srv->set, err, sizeof err);
    sd_notify(0, "READY=1");
    if (rc < 0) {
        log_msg(&srv->log, LOG_ERR, "reload failed, keeping the running configuration: %s", err);
        return;
    }
    /* What the rules have not judged points into the old registry; check_all_rules below
     * judges everything anyway. */
    snapshot_changes_free(&srv->touched);
    srv->touched_since = 0;
    registry_free(&srv->reg);
    srv->reg = fresh;
    char secret[KEY_Z85_LEN + 1] = "", err2[512];
    if ((srv->secure &&
         keyfile_read_secret(srv->set.server_secret_key_file, secret, err2, sizeof err2) < 0) ||
        notify_rebind(&srv->nt, srv->zmq, srv->secure ? secret : NULL, err2, sizeof err2) < 0)
        log_msg(&srv->log, LOG_ERR, "alert socket after the reload: %s", err2);
    memset(secret, 0, sizeof secret);
    if (srv->late_due)
        memset(srv->late_due, 0, srv->n_late_due * sizeof *srv->late_due);
    refresh_snapshots(srv, true);
    check_all_rules(srv);
    log_msg(&srv->log, LOG_INFO, "reloaded: %zu metrics, %zu areas, %zu organisations, "
            "%zu staff, %zu keys", srv->reg.cat.n_metrics, srv->reg.parts.n_areas,
            srv->reg.parts.n_orgs, srv->reg.parts.n_staff, srv->reg.parts.n_keys);
}

/* Read one request's frames. Returns 1 (got one), 0 (none waiting), -1 (broken envelope,
 * already discarded). */
static int receive(server *srv, pending *p)
{
    memset(p, 0, sizeof *p);
    zmq_msg_init(&p->route);
    if (zmq_msg_recv(&p->route, srv->router, ZMQ_DONTWAIT) < 0) {
        zmq_msg_close(&p->route);
        return 0;
    }
    zmq_msg_t body;
    zmq_msg_init(&body);
    int frames = 0;
    bool more = zmq_msg_more(&p->route), empty_first = false;
    zmq_msg_t payload;
    zmq_msg_init(&payload);
    while (more) {
        zmq_msg_close(&body);
        zmq_msg_init(&body);
        if (zmq_msg_recv(&body, srv->router, 0) < 0)
            break;
        frames++;
        more = zmq_msg_more(&body);
        if (frames == 1 && zmq_msg_size(&body) == 0 && more) {
            empty_first = true;
            continue;
        }
        if (frames == (empty_first ? 2 : 1) && zmq_msg_copy(&payload, &body) != 0)
            break;
    }
    int expected = empty_first ? 2 : 1;
    int rc = 1;
    if (frames != expected) {
        rc = -1; /* counted and logged once per batch by serve_batch */
    } else {
        p->req_envelope = empty_first;
        const char *uid = zmq_msg_gets(&payload, "User-Id");
        snprintf(p->user_id, sizeof p->user_id, "%s", uid ? uid : "");
        p->status = proto_request_decode(zmq_msg_data(&payload), zmq_msg_size(&payload), &p->req,
                                         &p->errs, p->why, sizeof p->why);
    }
    zmq_msg_close(&body);
    zmq_msg_close(&payload);
    if (rc < 0)
        zmq_msg_close(&p->route);
    return rc;
}

/* A submission read beyond the batch: the daemon has more than one commit's worth
 * waiting. Refusing it at once, with a hint, keeps replies prompt and memory bounded;
 * the client retries the same bytes (proto/PROTOCOL.md §4). */
#define BUSY_RETRY_MS 1000

/* Decide everything that needs no write: identity, rights, record checks. */
static void check(server *srv, pending *p, time_t now)
{
    if (p->status != PROTO_OK)
        return;
    p->status = auth_identify(&srv->reg, srv->secure, p->user_id, p->req.reporter, &p->who,
                              p->why, sizeof p->why);
    if (p->status != PROTO_OK)
        return;
    if (p->overflow && p->req.op == PROTO_OP_SUBMIT) {
        p->status = PROTO_UNAVAILABLE;
        p->res.retry_after_ms = BUSY_RETRY_MS;
        snprintf(p->why, sizeof p->why, "the daemon is busy: more submissions are waiting than "
                 "one commit takes (batch_max %lld requests, %d records); nothing was stored, "
                 "retry in %d ms", srv->set.batch_max, BATCH_RECORDS, BUSY_RETRY_MS);
        return;
    }
    if (p->req.op != PROTO_OP_SUBMIT)
        return;
    if (p->who.type != IDENT_ORG) {
        p->status = p->who.type == IDENT_ANONYMOUS ? PROTO_UNAUTHENTICATED : PROTO_FORBIDDEN;
        snprintf(p->why, sizeof p->why, "%s",
                 p->who.type == IDENT_ANONYMOUS
                     ? "a submission must name its reporter in insecure mode (leamon --reporter ID)"
                     : "staff read figures; only partner organisations submit them");
        return;
    }
    if (!p->who.org->active) {
        p->status = PROTO_FORBIDDEN;
        snprintf(p->why, sizeof p->why, "organisation %s is inactive in the partners file",
                 p->who.org->id);
        return;
    }
    log_msg(&srv->log, LOG_DEBUG, "received submit %s from %s: %zu records", p->req.id,
            p->who.org->id, p->req.n_records);
    validate_submission(&p->req, p->who.org, &srv->reg, now, &p->errs);
    proto_errors_sort(&p->errs);
    size_t bad = p->errs.total; /* with the type errors found while decoding */
    if (bad) {
        p->status = PROTO_INVALID;
        size_t records = 0; /* distinct bad records among those listed */
        for (size_t i = 0; i < p->errs.count; i++)
            records += i == 0 || p->errs.items[i].index != p->errs.items[i - 1].index;
        if (p->errs.count < bad)
            snprintf(p->why, sizeof p->why,
                     "%zu errors in a submission of %zu records (the first %zu listed); "
                     "nothing was stored", bad, p->req.n_records, p->errs.count);
        else
            snprintf(p->why, sizeof p->why, "%zu error%s in %zu of %zu record%s; nothing was stored",
                     bad, bad == 1 ? "" : "s", records, p->req.n_records,
                     p->req.n_records == 1 ? "" : "s");
        return;
    }
    p->write = true;
}

/* Store one submission inside the open transaction, under its own savepoint unless alone. */
/* alone: no savepoint (a savepoint journals every page the submission changes, a third of
 * a large one's cost); a failure then rolls the whole transaction back. */
static void store_one(server *srv, pending *p, time_t now, bool alone)
{
    const char *who = p->who.org->id;
    uint64_t digest = validate_digest(&p->req);
    stored_submission prior;
    int found = store_find_submission(srv->db, who, p->req.id, &prior);
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
    int64_t sub = 0;
    bool ok = found == 0 && (alone || store_savepoint(srv->db) == 0) &&
              store_add_submission(srv->db, who, p->req.id, now, (int64_t)p->req.n_records,
                                   digest, &sub) == 0;
    for (size_t i = 0; ok && i < p->req.n_records; i++) {
        const proto_record *r = &p->req.records[i];
        ok = store_put_observation(srv->db, who, r->metric, r->period, r->area, r->value, sub,
                                   now) == 0;
    }
    if (ok && (alone || store_release(srv->db) == 0)) {
        p->res.accepted = (int64_t)p->req.n_records;
        return;
    }
    bool transient = store_error_transient(srv->db);
    log_msg(&srv->log, LOG_ERR, "storing submission %s of %s: %s", p->req.id, who,
            store_errmsg(srv->db));
    /* Without a savepoint, or if it cannot be undone, the part written must not reach
     * COMMIT: drop the whole transaction, and the batch fails as one. */
    if (store_in_transaction(srv->db) && (alone || store_rollback_savepoint(srv->db) != 0))
        store_rollback(srv->db);
    p->write = false;
    p->status = transient ? PROTO_UNAVAILABLE : PROTO_INTERNAL;
    snprintf(p->why, sizeof p->why, "%s",
             transient ? "the database cannot take writes now (disk full or read-only?); "
                         "retry later"
                       : "internal error storing the submission; nothing was stored");
}

/* The writes of the batch in one transaction; rolled back unless committed. Without
 * savepoints, one submission that fails fails the transaction. */
static bool commit_together(server *srv, pending *batch, size_t n, time_t now, bool savepoints)
{
    bool ok = store_begin(srv->db) == 0;
    for (size_t i = 0; ok && i < n; i++) {
        if (batch[i].write)
            store_one(srv, &batch[i], now, !savepoints);
        ok = store_in_transaction(srv->db);
    }
    ok = ok && store_commit(srv->db) == 0;
    if (!ok)
        store_rollback(srv->db);
    return ok;
}

/* What store_one decides about a request, to undo before a second try. */
typedef struct {
    int status;
    char why[256];
    bool write, in_txn;
    submit_result res;
} outcome;

/* Write every accepted submission of the batch in one transaction. A savepoint per
 * submission journals every page it changes, so first without them; only if that fails
 * (a submission that cannot be stored, or the commit) once more with them, so that one
 * bad submission does not fail the others. */
static bool commit_batch(server *srv, pending *batch, size_t n, time_t now)
{
    size_t writes = 0;
    for (size_t i = 0; i < n; i++)
        writes += batch[i].write;
    if (!writes)
        return false;
    outcome *before = writes > 1 ? malloc(n * sizeof *before) : NULL;
    for (size_t i = 0; before && i < n; i++) {
        before[i] = (outcome){batch[i].status, "", batch[i].write, batch[i].in_txn,
                              batch[i].res};
        memcpy(before[i].why, batch[i].why, sizeof before[i].why);
    }
    bool ok = commit_together(srv, batch, n, now, writes > 1 && !before);
    if (!ok && before) {
        for (size_t i = 0; i < n; i++) {
            batch[i].status = before[i].status;
            memcpy(batch[i].why, before[i].why, sizeof batch[i].why);
            batch[i].write = before[i].write;
            batch[i].in_txn = before[i].in_txn;
            batch[i].res = before[i].res;
        }
        ok = commit_together(srv, batch, n, now, true);
    }
    free(before);
    if (ok) {
        size_t subs = 0, records = 0;
        for (size_t i = 0; i < n; i++)
            if (batch[i].write) {
                subs++;
                records += batch[i].req.n_records;
                size_t org = (size_t)(batch[i].who.org - srv->reg.parts.orgs);
                if (org < srv->n_late_due)
                    srv->late_due[org] = true;
            }
        log_msg(&srv->log, LOG_DEBUG, "committed %zu submissions (%zu records) in one transaction",
                subs, records);
        return subs > 0;
    }
    /* The transaction is gone: none of the batch's writes happened. */
    bool transient = store_error_transient(srv->db);
    log_msg(&srv->log, LOG_ERR, "commit failed, %zu requests refused: %s", n,
            store_errmsg(srv->db));
    for (size_t i = 0; i < n; i++) {
        pending *p = &batch[i];
        /* Dry runs, retries and 409s too: they were decided in the transaction that is gone. */
        if (p->req.op != PROTO_OP_SUBMIT || (p->status != PROTO_OK && !p->in_txn))
            continue;
        p->write = false;
        p->res.accepted = 0;
        p->res.duplicate = false;
        p->status = transient ? PROTO_UNAVAILABLE : PROTO_INTERNAL;
        snprintf(p->why, sizeof p->why, "%s",
                 transient ? "the database cannot take writes now (disk full or read-only?); "
                             "retry later"
                           : "internal error committing the submission; nothing was stored");
    }
    return false;
}

static void log_outcome(server *srv, const pending *p)
{
    const char *who = identity_id(&p->who);
    const char *op = p->req.op == PROTO_OP_COUNT ? "request" : proto_op_name(p->req.op);
    const char *id = p->req.id[0] ? p->req.id : "(no id)";
    if (p->req.op != PROTO_OP_SUBMIT) {
        log_msg(&srv->log, p->status == PROTO_OK ? LOG_DEBUG : LOG_INFO, "%s %s from %s: %d%s%s",
                op, id, who[0] ? who : "-", p->status, p->status == PROTO_OK ? "" : " ",
                p->status == PROTO_OK ? "" : p->why);
        return;
    }
    if (p->status == PROTO_OK)
        log_msg(&srv->log, LOG_INFO, "submit %s from %s: %lld record%s %s", id, who,
                (long long)p->res.accepted, p->res.accepted == 1 ? "" : "s",
                p->req.dry_run ? "valid (dry run)" : p->res.duplicate ? "already stored (retry)"
                                                                      : "stored");
    else
        log_msg(&srv->log, LOG_INFO, "submit %s from %s refused: %d %s", id,
                who[0] ? who : "-", p->status, p->why);
}

static void reply(server *srv, pending *p, time_t now)
{
    msgpack_sbuffer buf;
    msgpack_packer pk;
    msgpack_sbuffer_init(&buf);
    msgpack_packer_init(&pk, &buf, msgpack_sbuffer_write);
    int rc;
    const char *id = p->req.id[0] ? p->req.id : "";
    if (p->req.op == PROTO_OP_SUBMIT && p->req.version && p->status != PROTO_BAD_REQUEST)
        rc = ops_reply_submit(&pk, &p->req, p->status, p->why, &p->res, &p->errs);
    else if (p->status != PROTO_OK)
        rc = ops_reply_error(&pk, id, p->status, p->why);
    else if (p->req.op == PROTO_OP_PING)
        rc = ops_reply_ping(&pk, &p->req, now);
    else if (p->req.op == PROTO_OP_STATUS)
        rc = ops_reply_status(&pk, srv, &p->req, &p->who, now);
    else if (p->req.op == PROTO_OP_CATALOG)
        rc = ops_reply_catalog(&pk, srv, &p->req, &p->who);
    else if (p->req.op == PROTO_OP_BACKUP)
        rc = ops_reply_backup(&pk, srv, &p->req, &p->who, now);
    else if (p->req.op == PROTO_OP_ALERTS || p->req.op == PROTO_OP_ACK ||
             p->req.op == PROTO_OP_SILENCE)
        rc = ops_reply_alert(&pk, srv, &p->req, &p->who, now);
    else
        rc = ops_reply_query(&pk, srv, &p->req, &p->who, now);
    if (rc != 0) {
        log_msg(&srv->log, LOG_ERR, "cannot encode the reply to %s", id);
        msgpack_sbuffer_clear(&buf);
        if (ops_reply_error(&pk, id, PROTO_INTERNAL, "cannot encode the reply") != 0) {
            msgpack_sbuffer_destroy(&buf);
            return; /* no reply: the client's retry will ask again */
        }
    }
    log_outcome(srv, p);
    /* DONTWAIT: a client that went away must not stall everyone else. */
    bool sent = zmq_msg_send(&p->route, srv->router, ZMQ_SNDMORE | ZMQ_DONTWAIT) >= 0 &&
                (!p->req_envelope || zmq_send(srv->router, "", 0, ZMQ_SNDMORE | ZMQ_DONTWAIT) >= 0) &&
                zmq_send(srv->router, buf.data, buf.size, ZMQ_DONTWAIT) >= 0;
    if (!sent)
        log_msg(&srv->log, LOG_WARNING, "could not deliver the reply to %s: %s", id,
                zmq_strerror(zmq_errno()));
    msgpack_sbuffer_destroy(&buf);
}

/* One round: take what is waiting, check it, commit it, answer it. */
static void serve_batch(server *srv, pending *batch)
{
    /* Every message read counts, dropped ones too, so a flood of malformed envelopes
     * cannot keep the loop from signals and handshakes; and a batch holds at most
     * BATCH_RECORDS decoded records, so many large requests cannot pile up in memory. */
    size_t n = 0, records = 0, dropped = 0, max = (size_t)srv->set.batch_max, reads = 0,
           refused = 0;
    bool more = true;
    for (; reads < max && records < BATCH_RECORDS; reads++) {
        int r = receive(srv, &batch[n]);
        if (r == 0) {
            more = false;
            break;
        }
        if (r < 0) {
            dropped++;
            continue;
        }
        records += batch[n].req.n_records;
        n++;
    }
    /* The batch is full and more is waiting: read up to one more batch's worth and turn
     * its submissions away (503) instead of letting them wait behind several commits. */
    for (size_t extra = 0; more && extra < max && !srv->stopping; extra++) {
        int r = receive(srv, &batch[n]);
        if (r == 0)
            break;
        if (r < 0) {
            dropped++;
            continue;
        }
        pending *p = &batch[n++];
        p->overflow = true;
        if (p->req.op == PROTO_OP_SUBMIT) {
            /* Its records are not needed for the refusal: memory stays at one batch. */
            free(p->req.records);
            p->req.records = NULL;
            p->req.n_records = 0;
            refused++;
        }
    }
    if (refused) {
        srv->busy_refused += refused;
        log_msg(&srv->log, LOG_WARNING, "busy: more waiting than one commit takes (batch_max %lld "
                "requests, %d records); %zu submission%s refused with 503 (%llu so far)",
                srv->set.batch_max, BATCH_RECORDS, refused, refused == 1 ? "" : "s",
                srv->busy_refused);
    }
    if (dropped)
        log_msg(&srv->log, LOG_WARNING,
                "dropped %zu message%s with a wrong frame layout: a request is one frame "
                "(DEALER) or an empty delimiter and one frame (REQ)", dropped,
                dropped == 1 ? "" : "s");
    if (n == 0)
        return;
    time_t now = time(NULL);
    bool alerts = false;
    for (size_t i = 0; i < n; i++) {
        check(srv, &batch[i], now);
        alerts |= batch[i].req.op == PROTO_OP_ALERTS;
    }
    bool wrote = commit_batch(srv, batch, n, now);
    srv->last_batch = monotonic_ms();
    if (wrote && !srv->snap_pending) {
        srv->snap_pending = true;
        srv->snap_since = srv->last_batch;
    }
    /* The alerts query sees the rules' verdict on every figure acknowledged before it;
     * snapshot and series refresh what they read (server_refresh_for). */
    if (alerts && srv->snap_pending)
        refresh_snapshots(srv, false);
    for (size_t i = 0; i < n; i++) {
        reply(srv, &batch[i], now);
        zmq_msg_close(&batch[i].route);
        proto_request_free(&batch[i].req);
        proto_errors_free(&batch[i].errs);
    }
}

static void read_signals(server *srv, bool *hup)
{
    struct signalfd_siginfo si;
    while (read(srv->signal_fd, &si, sizeof si) == (ssize_t)sizeof si) {
        if (si.ssi_signo == SIGCHLD)
            notify_tick(&srv->nt);
        else if (si.ssi_signo == SIGHUP)
            *hup = true;
        else if (!srv->stopping) {
            srv->stopping = true;
            log_msg(&srv->log, LOG_INFO, "signal %u: answering what has arrived, then stopping",
                    si.ssi_signo);
        }
    }
}

int server_run(server *srv)
{
    /* A batch, and as much again read while overloaded (submissions then get 503). */
    pending *batch = calloc(2 * (size_t)srv->set.batch_max, sizeof *batch);
    if (!batch) {
        log_msg(&srv->log, LOG_ERR, "out of memory");
        return 1;
    }
    /* Under systemd (Type=notify) the unit is started once the database is open and the
     * socket is bound; elsewhere sd_notify does nothing. */
    sd_notifyf(0, "READY=1\nSTATUS=listening on %s", srv->set.listen);
    /* WatchdogSec=: a keep-alive at half the interval, from the loop itself, so a loop
     * that hangs gets restarted. */
    uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) > 0 && usec >= 2000) {
        srv->watchdog_ms = (long long)(usec / 2000);
        srv->next_watchdog = monotonic_ms();
    }
    zmq_pollitem_t items[3] = {
        {srv->router, 0, ZMQ_POLLIN, 0},
        {srv->zap, 0, ZMQ_POLLIN, 0},
        {NULL, srv->signal_fd, ZMQ_POLLIN, 0},
    };
    while (!srv->stopping) {
        /* The acknowledgements do not wait for the roll-up: the dirty marks were committed
         * with the figures, so a crash before the refresh only delays the snapshots. */
        if (srv->snap_pending && monotonic_ms() >= refresh_due(srv))
            refresh_round(srv);
        feed_watchdog(srv);
        long long now = monotonic_ms();
        if (now >= srv->next_check)
            check_all_rules(srv);
        /* Sleep until the next thing that is due: a hook's timeout, the rule timer; with
         * no request waiting an idle daemon uses no CPU. */
        long long wait = srv->next_check - now, hook = notify_wait_ms(&srv->nt);
        if (hook >= 0 && hook < wait)
            wait = hook;
        if (srv->watchdog_ms && srv->next_watchdog - now < wait)
            wait = srv->next_watchdog - now;
        if (srv->snap_pending && refresh_due(srv) - now < wait)
            wait = refresh_due(srv) > now ? refresh_due(srv) - now : 0;
        int ready = zmq_poll(items, 3, wait);
        if (ready < 0) {
            if (zmq_errno() == EINTR)
                continue;
            log_msg(&srv->log, LOG_ERR, "poll: %s", zmq_strerror(zmq_errno()));
            break;
        }
        if (ready == 0) {
            notify_tick(&srv->nt);
            continue;
        }
        bool hup = false;
        if (items[2].revents & ZMQ_POLLIN)
            read_signals(srv, &hup);
        if (hup)
            reload(srv);
        if (items[1].revents & ZMQ_POLLIN)
            auth_handle(srv->zap, &srv->reg, &srv->log);
        if (items[0].revents & ZMQ_POLLIN)
            serve_batch(srv, batch);
    }
    /* Stopping: answer what has already arrived, then leave. A bounded number of rounds,
     * so that clients that keep sending cannot hold the daemon up. */
    sd_notify(0, "STOPPING=1");
    bool waiting = true;
    for (int round = 0; round < 16 && waiting; round++) {
        int events = 0;
        size_t sz = sizeof events;
        serve_batch(srv, batch);
        waiting = zmq_getsockopt(srv->router, ZMQ_EVENTS, &events, &sz) == 0 &&
                  (events & ZMQ_POLLIN);
    }
    if (srv->snap_pending)
        refresh_snapshots(srv, false);
    free(batch);
    log_msg(&srv->log, LOG_INFO, "stopped");
    return 0;
}
