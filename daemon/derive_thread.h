/* derive_thread.h: the derive thread. The request loop stores figures and answers what
 * needs nothing derived; this thread, on a database connection of its own, keeps the
 * snapshots and alerts current (derive.h), answers the requests that read or change them
 * (ops flagged OP_DERIVED: snapshot, series, completeness, alerts, ack, silence,
 * silences, unsilence), sends the alert events out (notify.h: PUB socket and hook) and
 * checkpoints the WAL. So a commit of figures never waits for a refresh, and a query
 * never waits for a commit.
 *
 * The loop tells it what happened over one inproc socket, in order: figures committed,
 * figures or months changed by an op, a request to answer. A request handed over after a
 * commit is answered after that commit is seen, so it sees every figure acknowledged
 * before it. The finished requests come back over the same socket; the loop sends them. */
#ifndef LEAMON_DERIVE_THREAD_H
#define LEAMON_DERIVE_THREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "batch.h"
#include "config.h"
#include "error.h"
#include "log.h"
#include "mpw.h"
#include "metrics.h"
#include "notify.h"
#include "store.h"

/* Requests handed over and not yet answered, at most; beyond it the loop answers 503. */
#define DERIVE_THREAD_MAX_JOBS 1024

/* A request for the thread to answer. The loop fills p and route, the thread writes w. */
typedef struct {
    pending p;               /* owned: moved out of its batch */
    time_t now;              /* the time of its batch */
    mpw w;                   /* the reply */
    void *route;             /* the loop's: where the reply goes */
} derive_job;

typedef struct {
    const settings *set;
    const registry *reg;     /* the loop's; swapped only while the thread is paused */
    const log_ctx *log;
    store *primary;          /* the loop's connection: the thread's shares its write lock */
    void *zmq;
    notifier *nt;            /* handed over: from now on the thread's alone */
    metrics *m;              /* counted by both threads; the file written by this one */
    time_t started;
    bool secure;
} derive_thread_env;

typedef struct derive_thread derive_thread;

/* Open the thread's connection and start it; it first brings every snapshot up to date and
 * judges every rule (derive_restart). 0, or -1 with err. */
int derive_thread_start(derive_thread **out, const derive_thread_env *env, lm_error *err);

/* Figures were committed; wrote has a flag per organisation (n of them) that stored some. */
void derive_thread_committed(derive_thread *t, const bool *wrote, size_t n);
/* An op of the loop changed figures, or only the states of months (op_ctx.changed, with
 * the thread as hook_self). */
void derive_thread_changed(void *self, bool figures);

/* Hand a request over (the thread owns it until it comes back from derive_thread_done).
 * -1 when too many are waiting: the caller answers 503 itself and keeps the job. */
int derive_thread_hand(derive_thread *t, derive_job *job);
/* The socket to poll (ZMQ_POLLIN) for finished requests. */
void *derive_thread_socket(derive_thread *t);
/* A finished request, or NULL when none is waiting. Blocks with wait. */
derive_job *derive_thread_done(derive_thread *t, bool wait);

/* Reload: pause returns once the thread holds nothing of the registry (finished requests
 * that come back meanwhile go to deliver, with ctx); swap it; resume makes the thread bind
 * the PUB socket anew and start over from the new registry (derive_restart). */
void derive_thread_pause(derive_thread *t, void (*deliver)(void *ctx, derive_job *job),
                         void *ctx);
void derive_thread_resume(derive_thread *t);

/* False when the thread has been busy with one piece of work for longer than ms without a
 * sign of progress: the service watchdog should then see the daemon hang. */
bool derive_thread_alive(const derive_thread *t, long long ms);

/* Stop: the thread answers what was handed over (to deliver), brings the snapshots up to
 * date, empties the WAL, gives running hooks their time, and ends. */
void derive_thread_stop(derive_thread **t, void (*deliver)(void *ctx, derive_job *job),
                        void *ctx);

/* Free a job the caller owns (the request, the reply). */
void derive_job_free(derive_job *job);

#endif
