/* server.c: the request loop. Reads whatever requests are waiting, has the batch check
 * them and write all accepted submissions in one transaction (group commit), and answers
 * each request only after that transaction is on disk. */
#include "server.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>
#include <zmq.h>

#include "answer.h"
#include "auth.h"
#include "conn_monitor.h"
#include "derive.h"
#include "keyfile.h"

/* Frames above the protocol limit still get a 413 reply; far larger ones are dropped by
 * ZeroMQ itself (ZMQ_MAXMSGSIZE) before they cost memory. */
#define HARD_MESSAGE_LIMIT (2 * PROTO_MAX_MESSAGE)

/* Requests queued per connection before ZeroMQ stops reading from it (back pressure):
 * few, so that a client pipelining big submissions holds at most 8 of them (16 MiB) in
 * memory on its connection, while one that waits for each reply never notices. */
#define RECEIVE_HWM 8

struct peer {
    zmq_msg_t route;       /* ROUTER routing id of the sender */
    bool req_envelope;     /* REQ sockets put an empty delimiter before the payload */
    int fd;                /* the connection's descriptor (ZMQ_SRCFD), -1 if unknown */
    unsigned long long serial; /* its admission by the ZAP handler (conn_cap.h), 0 if none */
};

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

int server_check_endpoint(const settings *set, lm_error *err)
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
    return lm_fail(err, 0,
                   "%s: %s = \"%s\" is not a loopback endpoint; without "
                   "server_secret_key_file (insecure mode) leamond only listens on 127.0.0.1, "
                   "[::1], localhost or ipc://",
                   set->file, what, strcmp(what, "listen") == 0 ? set->listen : pub);
}

static int set_int(void *sock, int option, int value)
{
    return zmq_setsockopt(sock, option, &value, sizeof value);
}

static int open_router(server *srv, const char *secret, lm_error *err)
{
    srv->router = zmq_socket(srv->zmq, ZMQ_ROUTER);
    if (!srv->router)
        return lm_fail(err, 0, "request socket: %s", zmq_strerror(zmq_errno()));
    int64_t maxmsg = HARD_MESSAGE_LIMIT;
    if (zmq_setsockopt(srv->router, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg) != 0 ||
        set_int(srv->router, ZMQ_LINGER, 2000) != 0 || set_int(srv->router, ZMQ_IPV6, 1) != 0 ||
        set_int(srv->router, ZMQ_SNDHWM, 10000) != 0 ||
        /* A connection that never finishes its handshake holds a descriptor: not for long. */
        set_int(srv->router, ZMQ_HANDSHAKE_IVL, (int)srv->set.handshake_timeout * 1000) != 0 ||
        set_int(srv->router, ZMQ_RCVHWM, RECEIVE_HWM) != 0)
        return lm_fail(err, 0, "request socket options: %s", zmq_strerror(zmq_errno()));
    if (secret) {
        int rc = set_int(srv->router, ZMQ_CURVE_SERVER, 1) != 0 ||
                 zmq_setsockopt(srv->router, ZMQ_CURVE_SECRETKEY, secret, KEY_Z85_LEN) != 0 ||
                 zmq_setsockopt(srv->router, ZMQ_ZAP_DOMAIN, "leamon", 6) != 0;
        if (rc)
            return lm_fail(err, 0, "CURVE: %s", zmq_strerror(zmq_errno()));
    }
    if (zmq_bind(srv->router, srv->set.listen) != 0)
        return lm_fail(err, 0, "cannot listen on %s: %s", srv->set.listen,
                       zmq_strerror(zmq_errno()));
    return 0;
}

static int start_quotas(server *srv)
{
    return quotas_init(&srv->q, srv->reg.parts.n_orgs, srv->set.limit_submissions_per_minute,
                       srv->set.limit_records_per_day, srv->set.limit_corrections_per_day);
}

/* The month leamond first ran on this database: figures are owed from then on, unless the
 * catalogue says otherwise (owed_from). */
static int remember_first_start(server *srv, lm_error *err)
{
    char month[PERIOD_TEXT_MAX];
    period now;
    int found = store_meta_get(srv->db, "first_start", month, sizeof month);
    if (found == 0 && (period_of_time(time(NULL), &now) != 0 ||
                       period_format(&now, month, sizeof month) != 0 ||
                       store_meta_set(srv->db, "first_start", month) < 0))
        found = -1;
    if (found < 0)
        return lm_fail(err, 0, "%s: %s", srv->set.database, store_errmsg(srv->db));
    return 0;
}

int server_start(server *srv, const settings *set, lm_error *err)
{
    memset(srv, 0, sizeof *srv);
    srv->signal_fd = -1;
    srv->set = *set;
    log_level lvl = LOG_INFO;
    log_level_parse(set->log_level, &lvl);
    log_init(&srv->log, lvl);
    srv->secure = set->server_secret_key_file[0] != '\0';
    srv->started = time(NULL);
    metrics_init(&srv->m, srv->started);
    if (server_check_endpoint(set, err) < 0)
        return -1;
    if (registry_load(&srv->reg, set, err) < 0)
        return -1;
    if (store_open(&srv->db, set->database, err) < 0 || remember_first_start(srv, err) < 0)
        return -1;
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGHUP); /* SIGCHLD (hooks) is the derive thread's */
    srv->signal_fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
    if (srv->signal_fd < 0)
        return lm_fail(err, 0, "signalfd: %s", strerror(errno));
    if (!(srv->zmq = zmq_ctx_new()))
        return lm_fail(err, 0, "ZeroMQ context: %s", zmq_strerror(zmq_errno()));
    char secret[KEY_Z85_LEN + 1] = "";
    if (srv->secure && keyfile_read_secret(srv->set.server_secret_key_file, secret, err) < 0)
        return -1;
    routing rt;
    if (routing_load(&rt, set, &srv->reg, err) < 0)
        return -1;
    int rc = auth_start(srv->zmq, &srv->zap, err) < 0 ||
             open_router(srv, srv->secure ? secret : NULL, err) < 0 ||
             conn_monitor_open(&srv->monitor, srv->zmq, srv->router, err) < 0 ||
             notify_open(&srv->nt, srv->zmq, set, &rt, srv->secure ? secret : NULL, &srv->log,
                         err) < 0;
    routing_free(&rt); /* (taken over by notify_open, unless it failed first) */
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
        log_msg(&srv->log, LOG_INFO, "publishing alerts on %s%s; %zu alert rules",
                srv->nt.endpoint, srv->secure ? " (CURVE, staff keys only)" : "",
                srv->reg.cat.n_rules);
    log_msg(&srv->log, LOG_INFO, "alert notices: %zu receiver%s, %zu route%s, %zu inhibit "
            "rule%s", srv->nt.rt.n_receivers, srv->nt.rt.n_receivers == 1 ? "" : "s",
            srv->nt.rt.n_routes, srv->nt.rt.n_routes == 1 ? "" : "s", srv->nt.rt.n_inhibits,
            srv->nt.rt.n_inhibits == 1 ? "" : "s");
    if (srv->secure && set->max_connections_per_key > 0 &&
        !(srv->cap = conn_cap_new(set->max_connections_per_key,
                                  set->first_request_timeout * 1000)))
        return lm_fail(err, 0, "out of memory");
    if (batch_init(&srv->b, 2 * (size_t)srv->set.batch_max) < 0 || start_quotas(srv) < 0 ||
        !(srv->peers = calloc(2 * (size_t)srv->set.batch_max, sizeof *srv->peers)))
        return lm_fail(err, 0, "out of memory");
    derive_thread_env denv = {&srv->set, &srv->reg, &srv->log, srv->db, srv->zmq, &srv->nt,
                              &srv->m, srv->started, srv->secure};
    return derive_thread_start(&srv->dt, &denv, err);
}

static void deliver(void *ctx, derive_job *job);

void server_free(server *srv)
{
    op_backup_discard(&srv->backup, &srv->log);
    if (srv->dt)
        derive_thread_stop(&srv->dt, deliver, srv); /* it closes the notifier */
    else
        notify_close(&srv->nt);
    batch_free(&srv->b);
    quotas_free(&srv->q);
    free(srv->peers);
    srv->peers = NULL;
    conn_monitor_close(&srv->monitor, srv->router);
    conn_cap_free(srv->cap);
    srv->cap = NULL;
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

/* A keep-alive for systemd's watchdog when one is due, as long as the derive thread is
 * not stuck either. */
static void keep_alive(server *srv)
{
    long long now = derive_now_ms();
    if (srv->watchdog_ms && now >= srv->next_watchdog &&
        derive_thread_alive(srv->dt, 4 * srv->watchdog_ms)) {
        sd_notify(0, "WATCHDOG=1");
        srv->next_watchdog = now + srv->watchdog_ms;
    }
}

/* SIGHUP: load catalogue and partners anew; keep the running ones if that fails. */
static void reload(server *srv)
{
    registry fresh;
    lm_error err;
    sd_notify(0, "RELOADING=1");
    int rc = registry_load(&fresh, &srv->set, &err);
    sd_notify(0, "READY=1");
    if (rc < 0) {
        log_msg(&srv->log, LOG_ERR, "reload failed, keeping the running configuration: %s",
                err.msg);
        return;
    }
    /* The derive thread reads the registry: it holds still while it is swapped, then binds
     * the alert socket anew and recomputes what the change touches. */
    derive_thread_pause(srv->dt, deliver, srv);
    registry_free(&srv->reg);
    srv->reg = fresh;
    derive_thread_resume(srv->dt);
    /* The organisations may have changed: the counts start afresh. */
    quotas_free(&srv->q);
    if (start_quotas(srv) < 0)
        log_msg(&srv->log, LOG_ERR, "out of memory: no limits per organisation until a reload");
    log_msg(&srv->log, LOG_INFO, "reloaded: %zu metrics, %zu areas, %zu organisations, "
            "%zu staff, %zu keys", srv->reg.cat.n_metrics, srv->reg.parts.n_areas,
            srv->reg.parts.n_orgs, srv->reg.parts.n_staff, srv->reg.parts.n_keys);
}

/* Read one request's frames; with head_only (read beyond what one commit takes) without
 * decoding a submission's records (proto_request_head). Returns 1 (got one), 0 (none
 * waiting), -1 (broken envelope, already discarded). */
static int receive(server *srv, pending *p, peer *to, bool head_only)
{
    zmq_msg_init(&to->route);
    if (zmq_msg_recv(&to->route, srv->router, ZMQ_DONTWAIT) < 0) {
        zmq_msg_close(&to->route);
        return 0;
    }
    zmq_msg_t body;
    zmq_msg_init(&body);
    int frames = 0;
    bool more = zmq_msg_more(&to->route), empty_first = false;
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
        to->req_envelope = empty_first;
        /* Which connection sent it, for the cap per key (conn_cap.h). */
        const char *serial = zmq_msg_gets(&payload, AUTH_CONNECTION_PROPERTY);
        to->fd = zmq_msg_get(&payload, ZMQ_SRCFD);
        to->serial = serial ? strtoull(serial, NULL, 10) : 0;
        const char *uid = zmq_msg_gets(&payload, "User-Id");
        snprintf(p->user_id, sizeof p->user_id, "%s", uid ? uid : "");
        lm_error e;
        p->received_us = metrics_now_us();
        p->size = zmq_msg_size(&payload);
        atomic_fetch_add(&srv->m.bytes_in, p->size);
        atomic_fetch_add(&srv->m.queued, 1);
        p->status = head_only
                        ? proto_request_head(zmq_msg_data(&payload), p->size, &p->req, NULL, &e)
                        : proto_request_decode(zmq_msg_data(&payload), p->size, &p->req,
                                               &p->errs, &e);
        memcpy(p->why, e.msg, sizeof p->why);
    }
    zmq_msg_close(&body);
    zmq_msg_close(&payload);
    if (rc < 0)
        zmq_msg_close(&to->route);
    return rc;
}

/* Send a reply where its request came from. */
static void send_reply(server *srv, peer *to, const pending *p, const mpw *w)
{
    /* DONTWAIT: a client that went away must not stall everyone else. */
    int more = ZMQ_SNDMORE | ZMQ_DONTWAIT;
    bool sent = mpw_ok(w) && zmq_msg_send(&to->route, srv->router, more) >= 0 &&
                (!to->req_envelope || zmq_send(srv->router, "", 0, more) >= 0) &&
                zmq_send(srv->router, mpw_data(w), mpw_size(w), ZMQ_DONTWAIT) >= 0;
    if (!sent)
        log_msg(&srv->log, LOG_WARNING, "could not deliver the reply to %s: %s",
                p->req.id[0] ? p->req.id : "(no id)",
                mpw_ok(w) ? zmq_strerror(zmq_errno()) : "it cannot be encoded");
}

/* Answer p here, on the loop. */
static void reply(server *srv, const pending *p, peer *to, mpw *w, time_t now)
{
    answer_env env = {
        .db = srv->db, .reg = &srv->reg, .set = &srv->set, .log = &srv->log,
        .started = srv->started, .secure = srv->secure, .changed = derive_thread_changed,
        .hook_self = srv->dt, .backup = &srv->backup, .m = &srv->m,
    };
    answer(&env, p, w, now);
    send_reply(srv, to, p, w);
}

/* A request the derive thread answered: send it, free it. */
static void deliver(void *ctx, derive_job *job)
{
    server *srv = ctx;
    peer *to = job->route;
    send_reply(srv, to, &job->p, &job->w);
    zmq_msg_close(&to->route);
    free(to);
    derive_job_free(job);
}

/* Hand request i of the batch to the derive thread; false if it cannot take it now. */
static bool hand_over(server *srv, size_t i, time_t now)
{
    derive_job *job = calloc(1, sizeof *job);
    peer *to = calloc(1, sizeof *to);
    if (!job || !to) {
        free(job);
        free(to);
        return false;
    }
    batch_take(&srv->b, i, &job->p);
    job->now = now;
    mpw_init(&job->w);
    zmq_msg_init(&to->route);
    zmq_msg_move(&to->route, &srv->peers[i].route);
    to->req_envelope = srv->peers[i].req_envelope;
    job->route = to;
    if (derive_thread_hand(srv->dt, job) == 0)
        return true;
    /* Too many waiting: back into the batch, to be refused here. */
    srv->b.items[i] = job->p;
    zmq_msg_move(&srv->peers[i].route, &to->route);
    zmq_msg_close(&to->route);
    free(to);
    mpw_free(&job->w);
    free(job);
    return false;
}

/* Send the replies the derive thread has finished. */
static void deliver_done(server *srv)
{
    derive_job *job;
    while ((job = derive_thread_done(srv->dt, false)))
        deliver(srv, job);
}

/* Read what is waiting: a batch (batch_max requests, BATCH_RECORDS records, or
 * request_memory_budget bytes held, whichever comes first; the request that crosses the
 * budget is kept, so the largest request fits), and when more is waiting up to batch_max
 * more, read without decoding a submission's records: those submissions are turned away with
 * 503 instead of waiting behind several commits, and cost no memory meanwhile. Every message
 * read counts, dropped ones too, so a flood of malformed envelopes cannot keep the loop from
 * signals and handshakes. */
static void read_batch(server *srv)
{
    batch *b = &srv->b;
    size_t max = (size_t)srv->set.batch_max, dropped = 0, refused = 0;
    unsigned long long budget = (unsigned long long)srv->set.request_memory_budget;
    bool more = true;
    for (size_t reads = 0; reads < max && b->records < BATCH_RECORDS && b->bytes < budget;
         reads++) {
        pending *p = batch_slot(b);
        int r = p ? receive(srv, p, &srv->peers[b->n], false) : 0;
        if (r == 0) {
            more = false;
            break;
        }
        if (r < 0)
            dropped++;
        else
            batch_keep(b);
    }
    for (size_t extra = 0; more && extra < max && !srv->stopping; extra++) {
        pending *p = batch_slot(b);
        int r = p ? receive(srv, p, &srv->peers[b->n], true) : 0;
        if (r == 0)
            break;
        if (r < 0) {
            dropped++;
            continue;
        }
        refused += p->req.op == PROTO_OP_SUBMIT;
        batch_keep_overflow(b);
    }
    if (refused) {
        srv->busy_refused += refused;
        log_msg(&srv->log, LOG_WARNING, "busy: more waiting than one commit takes (batch_max %lld "
                "requests, %d records, request_memory_budget %lld bytes); %zu submission%s "
                "refused with 503 (%llu so far)", srv->set.batch_max, BATCH_RECORDS,
                srv->set.request_memory_budget, refused, refused == 1 ? "" : "s",
                srv->busy_refused);
    }
    if (dropped)
        log_msg(&srv->log, LOG_WARNING,
                "dropped %zu message%s with a wrong frame layout: a request is one frame "
                "(DEALER) or an empty delimiter and one frame (REQ)", dropped,
                dropped == 1 ? "" : "s");
}

/* The monitor's events, into the metrics and the cap per key. */
static void read_monitor(void *ctx)
{
    server *srv = ctx;
    if (conn_monitor_read(srv->monitor, &srv->m.connections, srv->cap, derive_now_ms()) < 0)
        log_msg(&srv->log, LOG_ERR, "out of memory: a connection is not counted against its key");
}

/* The requests of the batch say whose their connections are. The monitor first: a
 * descriptor closed and accepted anew since must not be taken for the old connection. */
static void claim_connections(server *srv)
{
    if (!srv->cap)
        return;
    read_monitor(srv);
    for (size_t i = 0; i < srv->b.n; i++) {
        const peer *p = &srv->peers[i];
        /* A libzmq that no longer tells a request's descriptor (ZMQ_SRCFD is deprecated)
         * would have every connection closed as one that never asked: no cap rather. */
        if (p->serial && p->fd < 0) {
            log_msg(&srv->log, LOG_ERR, "libzmq does not tell which connection a request came "
                    "on (ZMQ_SRCFD): max_connections_per_key is off until leamond restarts");
            conn_cap_free(srv->cap);
            srv->cap = NULL;
            return;
        }
        conn_cap_seen(srv->cap, p->fd, p->serial);
    }
}

static void close_connection(void *ctx, int fd, uint64_t tag)
{
    server *srv = ctx;
    /* The descriptor may have been closed and taken by another connection since the
     * monitor was read: only the same addresses make it the same connection. */
    if (tag == 0 || conn_monitor_tag(fd) != tag) {
        log_msg(&srv->log, LOG_DEBUG, "connection %d: gone before it was closed", fd);
        return;
    }
    /* libzmq sees the peer gone, drops the connection and reports it disconnected. */
    if (shutdown(fd, SHUT_RDWR) != 0)
        log_msg(&srv->log, LOG_DEBUG, "connection %d: shutdown: %s", fd, strerror(errno));
}

/* Close the connections that sent no request within first_request_timeout: until one does,
 * its key's place is held by an admission no disconnect can give back. */
static void sweep_connections(server *srv, long long now)
{
    if (!srv->cap || now < srv->next_sweep || !conn_cap_waiting(srv->cap))
        return;
    read_monitor(srv);
    size_t closed = conn_cap_expire(srv->cap, now, close_connection, srv);
    atomic_fetch_add(&srv->m.connections_ended[CONN_NO_REQUEST], closed);
    if (closed)
        log_msg(&srv->log, LOG_WARNING, "closed %zu connection%s that sent no request within "
                "first_request_timeout (%lld s)", closed, closed == 1 ? "" : "s",
                srv->set.first_request_timeout);
    long long every = srv->set.first_request_timeout * 1000 / 4;
    srv->next_sweep = now + (every > 1000 ? 1000 : every);
}

/* One round: take what is waiting, check it, commit it, answer it. */
static void serve_batch(server *srv)
{
    batch *b = &srv->b;
    read_batch(srv);
    if (b->n == 0)
        return;
    claim_connections(srv);
    time_t now = time(NULL);
    batch_env env = {srv->db, &srv->reg, &srv->set, &srv->log, srv->secure, &srv->q};
    batch_check(b, &env, now);
    /* The derive thread's requests go at once: they see every figure acknowledged before
     * them, and this batch's figures are not acknowledged yet. */
    for (size_t i = 0; i < b->n; i++) {
        pending *p = &b->items[i];
        if (p->status != PROTO_OK || !p->op || !(p->op->flags & OP_DERIVED))
            continue;
        if (!hand_over(srv, i, now)) {
            p->status = PROTO_UNAVAILABLE;
            p->cause = REFUSED_QUERIES;
            snprintf(p->why, sizeof p->why, "busy: %d queries are waiting; retry shortly",
                     DERIVE_THREAD_MAX_JOBS);
        }
    }
    int64_t t0 = metrics_now_us();
    bool committed = batch_commit(b, &env, now);
    metrics_observe(&srv->m.batch_requests, (double)b->n / 1000);
    if (committed) {
        metrics_observe(&srv->m.commit, (double)(metrics_now_us() - t0) / 1e6);
        derive_thread_committed(srv->dt, b->wrote, b->n_wrote);
    }
    /* The derive thread's answers that came in meanwhile go out before this batch's own. */
    deliver_done(srv);
    mpw w;
    mpw_init(&w);
    for (size_t i = 0; i < b->n; i++) {
        if (b->items[i].handed)
            continue;
        reply(srv, &b->items[i], &srv->peers[i], &w, now);
        zmq_msg_close(&srv->peers[i].route);
    }
    mpw_free(&w);
    batch_clear(b);
}


static void read_signals(server *srv, bool *hup)
{
    struct signalfd_siginfo si;
    while (read(srv->signal_fd, &si, sizeof si) == (ssize_t)sizeof si) {
        if (si.ssi_signo == SIGHUP)
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
    /* Under systemd (Type=notify) the unit is started once the database is open and the
     * socket is bound; elsewhere sd_notify does nothing. */
    sd_notifyf(0, "READY=1\nSTATUS=listening on %s", srv->set.listen);
    /* WatchdogSec=: a keep-alive at half the interval, from the loop itself, so a loop
     * that hangs gets restarted. */
    uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) > 0 && usec >= 2000) {
        srv->watchdog_ms = (long long)(usec / 2000);
        srv->next_watchdog = derive_now_ms();
    }
    zmq_pollitem_t items[5] = {
        {srv->router, 0, ZMQ_POLLIN, 0},
        {srv->zap, 0, ZMQ_POLLIN, 0},
        {NULL, srv->signal_fd, ZMQ_POLLIN, 0},
        {derive_thread_socket(srv->dt), 0, ZMQ_POLLIN, 0},
        {srv->monitor, 0, ZMQ_POLLIN, 0},
    };
    while (!srv->stopping) {
        keep_alive(srv);
        /* Sleep until a request, a signal, a reply of the derive thread, the watchdog, or
         * the next look for connections without a request: with nothing to do the loop
         * uses no CPU. */
        long long now = derive_now_ms();
        sweep_connections(srv, now);
        long long wait = srv->watchdog_ms ? srv->next_watchdog - now : -1;
        if (srv->watchdog_ms && wait < 0)
            wait = 0;
        if (srv->cap && conn_cap_waiting(srv->cap)) {
            long long sweep = srv->next_sweep > now ? srv->next_sweep - now : 0;
            if (wait < 0 || sweep < wait)
                wait = sweep;
        }
        int ready = zmq_poll(items, 5, wait);
        if (ready < 0) {
            if (zmq_errno() == EINTR)
                continue;
            log_msg(&srv->log, LOG_ERR, "poll: %s", zmq_strerror(zmq_errno()));
            break;
        }
        bool hup = false;
        if (items[2].revents & ZMQ_POLLIN)
            read_signals(srv, &hup);
        if (items[3].revents & ZMQ_POLLIN)
            deliver_done(srv);
        if (hup)
            reload(srv);
        if (items[4].revents & ZMQ_POLLIN)
            read_monitor(srv);
        if (items[1].revents & ZMQ_POLLIN) {
            auth_cap cap = {srv->cap, srv->set.max_connections_per_key, read_monitor, srv};
            auth_handle(srv->zap, &srv->reg, &srv->log, &cap, &srv->m);
        }
        if (items[0].revents & ZMQ_POLLIN)
            serve_batch(srv);
    }
    /* Stopping: answer what has already arrived, then leave. A bounded number of rounds,
     * so that clients that keep sending cannot hold the daemon up. */
    sd_notify(0, "STOPPING=1");
    bool waiting = true;
    for (int round = 0; round < 16 && waiting; round++) {
        int events = 0;
        size_t sz = sizeof events;
        serve_batch(srv);
        waiting = zmq_getsockopt(srv->router, ZMQ_EVENTS, &events, &sz) == 0 &&
                  (events & ZMQ_POLLIN);
    }
    /* The derive thread answers what it was handed, brings the snapshots up to date and
     * empties the WAL. */
    derive_thread_stop(&srv->dt, deliver, srv);
    log_msg(&srv->log, LOG_INFO, "stopped");
    return 0;
}
