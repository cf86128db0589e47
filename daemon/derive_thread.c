/* derive_thread.c: the derive thread and the messages between it and the request loop
 * (derive_thread.h). */
#include "derive_thread.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>
#include <zmq.h>

#include "answer.h"
#include "derive.h"
#include "keyfile.h"

/* Messages order the two threads' work; ThreadSanitizer cannot see that through libzmq's
 * queues (not built with it), so a ThreadSanitizer build says so itself. */
#ifdef __SANITIZE_THREAD__
void __tsan_acquire(void *addr);
void __tsan_release(void *addr);
static char handoff;
#define HANDED_OVER() __tsan_release(&handoff)
#define TAKEN_OVER() __tsan_acquire(&handoff)
#else
#define HANDED_OVER() ((void)0)
#define TAKEN_OVER() ((void)0)
#endif

typedef enum {
    /* loop -> thread */
    MSG_COMMITTED, MSG_CHANGED, MSG_JOB, MSG_PAUSE, MSG_RESUME, MSG_STOP,
    /* thread -> loop */
    MSG_DONE, MSG_PAUSED, MSG_STOPPED
} msg_kind;

/* One message, sent by value over the inproc PAIR; pointers pass ownership. */
typedef struct {
    msg_kind kind;
    bool figures;            /* MSG_CHANGED */
    derive_job *job;         /* MSG_JOB, MSG_DONE */
    bool *wrote;             /* MSG_COMMITTED: owned by the receiver */
    size_t n;
    long long at_ms;         /* MSG_COMMITTED: monotonic */
} msg;

struct derive_thread {
    derive_thread_env env;
    pthread_t tid;
    void *loop_end, *thread_end; /* the PAIR: the loop's side, the thread's side */
    store *db;                   /* the thread's connection */
    derive *dv;
    int sigchld_fd;              /* hooks that finished */
    size_t in_flight;            /* the loop's count of requests handed over */
    atomic_llong busy_since;     /* monotonic ms of the last sign of progress; 0: idle */
    bool stopping;               /* the thread's */
    snapshot_yield yield;        /* requests answered in the middle of a refresh */
    bool serving;                /* inside serve: a pause or stop waits (held) */
    bool has_held;
    msg held;
};

static int send_msg(void *sock, const msg *m)
{
    HANDED_OVER();
    /* No high-water mark on either side (derive_thread_start): a send never blocks. */
    return zmq_send(sock, m, sizeof *m, 0) == (int)sizeof *m ? 0 : -1;
}

/* 1 with a message, 0 when none is waiting (without wait), -1 on an error. */
static int recv_msg(void *sock, msg *m, bool wait)
{
    for (;;) {
        int n = zmq_recv(sock, m, sizeof *m, wait ? 0 : ZMQ_DONTWAIT);
        if (n == (int)sizeof *m) {
            TAKEN_OVER();
            return 1;
        }
        if (n < 0 && zmq_errno() == EAGAIN && !wait)
            return 0;
        if (n < 0 && zmq_errno() == EINTR)
            continue;
        return -1;
    }
}

static void busy(derive_thread *t)
{
    atomic_store(&t->busy_since, derive_now_ms());
}

/* derive's keep-alive between the rounds of a long recompute: progress. */
static void keep_alive(void *ctx)
{
    busy(ctx);
}

void derive_job_free(derive_job *job)
{
    if (!job)
        return;
    proto_request_free(&job->p.req);
    proto_errors_free(&job->p.errs);
    proto_errors_free(&job->p.warns);
    mpw_free(&job->w);
    free(job);
}

/* ---- the thread --------------------------------------------------------- */

static void answer_job(derive_thread *t, derive_job *job)
{
    if (job->p.status == PROTO_OK && job->p.op && (job->p.op->flags & OP_JUDGED))
        derive_before_judged(t->dv);
    answer_env env = {
        .db = t->db, .reg = t->env.reg, .set = t->env.set, .log = t->env.log,
        .started = t->env.started, .secure = t->env.secure, .m = t->env.m, .rt = &t->env.nt->rt,
        .before_read = derive_before_read, .changed = derive_changed, .hook_self = t->dv,
    };
    answer(&env, &job->p, &job->w, job->now);
    msg done = {.kind = MSG_DONE, .job = job};
    if (send_msg(t->thread_end, &done) < 0)
        log_msg(t->env.log, LOG_ERR, "derive thread: cannot pass a reply back: %s",
                zmq_strerror(zmq_errno()));
}

/* After a reload: the PUB socket bound anew (subscribers pass the key check again), and
 * everything derived from the new registry. */
static void resume(derive_thread *t)
{
    char secret[KEY_Z85_LEN + 1] = "";
    lm_error err;
    if ((t->env.secure &&
         keyfile_read_secret(t->env.set->server_secret_key_file, secret, &err) < 0) ||
        notify_rebind(t->env.nt, t->env.zmq, t->env.secure ? secret : NULL, &err) < 0)
        log_msg(t->env.log, LOG_ERR, "alert socket after the reload: %s", err.msg);
    memset(secret, 0, sizeof secret);
    derive_restart(t->dv);
}

/* Paused: acknowledge, then hold still until the loop has swapped the registry. */
static void pause_here(derive_thread *t)
{
    msg m = {.kind = MSG_PAUSED};
    if (send_msg(t->thread_end, &m) < 0)
        return;
    atomic_store(&t->busy_since, 0);
    while (recv_msg(t->thread_end, &m, true) == 1) {
        if (m.kind == MSG_RESUME) {
            busy(t);
            resume(t);
            return;
        }
        if (m.kind == MSG_STOP) { /* the loop gave up on the reload */
            t->stopping = true;
            return;
        }
    }
}

static void handle(derive_thread *t, msg *m)
{
    /* A refresh let requests in: a pause (the registry it works on may go) or the stop
     * waits until it is done. */
    if (t->serving && (m->kind == MSG_PAUSE || m->kind == MSG_STOP)) {
        t->held = *m;
        t->has_held = true;
        return;
    }
    switch (m->kind) {
    case MSG_COMMITTED:
        derive_committed(t->dv, m->wrote, m->n, m->at_ms);
        free(m->wrote);
        break;
    case MSG_CHANGED:
        derive_changed(t->dv, m->figures);
        break;
    case MSG_JOB:
        answer_job(t, m->job);
        break;
    case MSG_PAUSE:
        pause_here(t);
        break;
    case MSG_STOP:
        t->stopping = true;
        break;
    default:
        break;
    }
}

/* snapshot_yield: is a message waiting (a request to answer, most of all)? */
static bool waiting(void *ctx)
{
    derive_thread *t = ctx;
    zmq_pollitem_t item = {t->thread_end, 0, ZMQ_POLLIN, 0};
    /* One level: a refresh that a request started inside serve does not let more in. */
    return !t->serving && !t->has_held && zmq_poll(&item, 1, 0) > 0;
}

/* snapshot_yield: what waits, but a pause or the stop. */
static void serve(void *ctx)
{
    derive_thread *t = ctx;
    msg m;
    t->serving = true;
    while (!t->has_held && recv_msg(t->thread_end, &m, false) == 1)
        handle(t, &m);
    t->serving = false;
    busy(t);
}

static void read_sigchld(derive_thread *t)
{
    struct signalfd_siginfo si;
    while (read(t->sigchld_fd, &si, sizeof si) == (ssize_t)sizeof si)
        ;
    notify_tick(t->env.nt);
}

static void *thread_main(void *arg)
{
    derive_thread *t = arg;
    busy(t);
    derive_restart(t->dv);
    while (!t->stopping) {
        long long now = derive_now_ms();
        if (now >= derive_due(t->dv))
            derive_tick(t->dv, now);
        /* Sleep until a message, a hook that ends or times out, or derive's next timer: an
         * idle daemon uses no CPU. */
        now = derive_now_ms();
        long long wait = derive_due(t->dv) - now, hook = notify_wait_ms(t->env.nt);
        if (hook >= 0 && hook < wait)
            wait = hook;
        if (wait < 0 || t->has_held)
            wait = 0;
        zmq_pollitem_t items[2] = {
            {t->thread_end, 0, ZMQ_POLLIN, 0},
            {NULL, t->sigchld_fd, ZMQ_POLLIN, 0},
        };
        atomic_store(&t->busy_since, 0);
        int ready = zmq_poll(items, 2, wait);
        busy(t);
        if (ready < 0) {
            if (zmq_errno() == EINTR)
                continue;
            log_msg(t->env.log, LOG_ERR, "derive thread: poll: %s", zmq_strerror(zmq_errno()));
            break;
        }
        if (ready == 0 || (items[1].revents & ZMQ_POLLIN))
            read_sigchld(t);
        msg m;
        if (t->has_held) { /* a pause or the stop that came while a refresh let requests in */
            t->has_held = false;
            m = t->held;
            handle(t, &m);
        }
        while (!t->stopping && recv_msg(t->thread_end, &m, false) == 1)
            handle(t, &m);
    }
    /* Stopping: the STOP came after every request handed over, so all are answered. */
    derive_finish(t->dv);
    notify_close(t->env.nt);
    msg m = {.kind = MSG_STOPPED};
    send_msg(t->thread_end, &m);
    return NULL;
}

/* ---- the loop's side ---------------------------------------------------- */

static int pair_socket(void *zmq, int type, void **out, lm_error *err)
{
    int zero = 0;
    *out = zmq_socket(zmq, type);
    if (!*out || zmq_setsockopt(*out, ZMQ_SNDHWM, &zero, sizeof zero) != 0 ||
        zmq_setsockopt(*out, ZMQ_RCVHWM, &zero, sizeof zero) != 0 ||
        zmq_setsockopt(*out, ZMQ_LINGER, &zero, sizeof zero) != 0)
        return lm_fail(err, 0, "derive thread socket: %s", zmq_strerror(zmq_errno()));
    return 0;
}

static void thread_free(derive_thread *t)
{
    if (t->loop_end)
        zmq_close(t->loop_end);
    if (t->thread_end)
        zmq_close(t->thread_end);
    if (t->sigchld_fd >= 0)
        close(t->sigchld_fd);
    derive_free(&t->dv);
    store_close(&t->db);
    free(t);
}

int derive_thread_start(derive_thread **out, const derive_thread_env *env, lm_error *err)
{
    derive_thread *t = calloc(1, sizeof *t);
    *out = NULL;
    if (!t)
        return lm_fail(err, 0, "out of memory");
    t->env = *env;
    t->sigchld_fd = -1;
    atomic_init(&t->busy_since, 0);
    char ep[64];
    snprintf(ep, sizeof ep, "inproc://leamond-derive-%p", (void *)t);
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD); /* blocked in every thread (server_block_signals) */
    if (store_open_shared(&t->db, env->set->database, env->primary, err) < 0)
        goto fail;
    store_manual_checkpoints(env->primary);
    store_manual_checkpoints(t->db);
    t->yield = (snapshot_yield){waiting, serve, t, NULL, NULL}; /* derive adds its own */
    derive_env denv = {t->db, env->reg, env->set, env->log, env->nt, keep_alive, t, &t->yield,
                       env->m};
    if (derive_new(&t->dv, &denv) < 0) {
        lm_fail(err, 0, "out of memory");
        goto fail;
    }
    if ((t->sigchld_fd = signalfd(-1, &chld, SFD_NONBLOCK | SFD_CLOEXEC)) < 0) {
        lm_fail(err, 0, "signalfd: %s", strerror(errno));
        goto fail;
    }
    if (pair_socket(env->zmq, ZMQ_PAIR, &t->loop_end, err) < 0 ||
        pair_socket(env->zmq, ZMQ_PAIR, &t->thread_end, err) < 0)
        goto fail;
    if (zmq_bind(t->loop_end, ep) != 0 || zmq_connect(t->thread_end, ep) != 0) {
        lm_fail(err, 0, "derive thread socket %s: %s", ep, zmq_strerror(zmq_errno()));
        goto fail;
    }
    int rc = pthread_create(&t->tid, NULL, thread_main, t);
    if (rc != 0) {
        lm_fail(err, 0, "cannot start the derive thread: %s", strerror(rc));
        goto fail;
    }
    *out = t;
    return 0;
fail:
    thread_free(t);
    return -1;
}

void derive_thread_committed(derive_thread *t, const bool *wrote, size_t n)
{
    msg m = {.kind = MSG_COMMITTED, .at_ms = derive_now_ms()};
    if (wrote && n && (m.wrote = malloc(n * sizeof *wrote))) {
        memcpy(m.wrote, wrote, n * sizeof *wrote);
        m.n = n;
    }
    /* Without the flags the late rules wait for their timer; the snapshots do not. */
    if (send_msg(t->loop_end, &m) < 0) {
        free(m.wrote);
        log_msg(t->env.log, LOG_ERR, "derive thread: %s", zmq_strerror(zmq_errno()));
    }
}

void derive_thread_changed(void *self, bool figures)
{
    derive_thread *t = self;
    msg m = {.kind = MSG_CHANGED, .figures = figures};
    if (send_msg(t->loop_end, &m) < 0)
        log_msg(t->env.log, LOG_ERR, "derive thread: %s", zmq_strerror(zmq_errno()));
}

int derive_thread_hand(derive_thread *t, derive_job *job)
{
    if (t->in_flight >= DERIVE_THREAD_MAX_JOBS)
        return -1;
    msg m = {.kind = MSG_JOB, .job = job};
    if (send_msg(t->loop_end, &m) < 0)
        return -1;
    t->in_flight++;
    return 0;
}

void *derive_thread_socket(derive_thread *t)
{
    return t->loop_end;
}

derive_job *derive_thread_done(derive_thread *t, bool wait)
{
    msg m;
    while (recv_msg(t->loop_end, &m, wait) == 1)
        if (m.kind == MSG_DONE) {
            t->in_flight--;
            return m.job;
        }
    return NULL;
}

/* Deliver finished requests until the thread sends kind. */
static void wait_for(derive_thread *t, msg_kind kind, void (*deliver)(void *, derive_job *),
                     void *ctx)
{
    msg m;
    while (recv_msg(t->loop_end, &m, true) == 1) {
        if (m.kind == kind)
            return;
        if (m.kind == MSG_DONE) {
            t->in_flight--;
            deliver(ctx, m.job);
        }
    }
    log_msg(t->env.log, LOG_ERR, "derive thread: %s", zmq_strerror(zmq_errno()));
}

void derive_thread_pause(derive_thread *t, void (*deliver)(void *ctx, derive_job *job),
                         void *ctx)
{
    msg m = {.kind = MSG_PAUSE};
    if (send_msg(t->loop_end, &m) == 0)
        wait_for(t, MSG_PAUSED, deliver, ctx);
}

void derive_thread_resume(derive_thread *t)
{
    msg m = {.kind = MSG_RESUME};
    if (send_msg(t->loop_end, &m) < 0)
        log_msg(t->env.log, LOG_ERR, "derive thread: %s", zmq_strerror(zmq_errno()));
}

bool derive_thread_alive(const derive_thread *t, long long ms)
{
    long long since = atomic_load(&t->busy_since);
    return since == 0 || derive_now_ms() - since < ms;
}

void derive_thread_stop(derive_thread **tp, void (*deliver)(void *ctx, derive_job *job),
                        void *ctx)
{
    derive_thread *t = *tp;
    if (!t)
        return;
    msg m = {.kind = MSG_STOP};
    if (send_msg(t->loop_end, &m) == 0)
        wait_for(t, MSG_STOPPED, deliver, ctx);
    pthread_join(t->tid, NULL);
    thread_free(t);
    *tp = NULL;
}
