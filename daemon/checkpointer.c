/* checkpointer.c: the WAL checkpoints on a thread of their own (checkpointer.h). */
#include "checkpointer.h"

#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

struct checkpointer {
    store *db;                 /* the thread's own connection */
    const log_ctx *log;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;       /* a commit it waits for, or the stop */
    pthread_condattr_t attr;
    atomic_long wake_frames;   /* a commit that leaves this many WAL pages wakes it */
    bool stopping;             /* under lock */
};

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* store_on_commit, on the committing thread: wake the thread only when it waits for a
 * commit (asleep with nothing to copy, or for the WAL to pass the mark); otherwise its
 * deadline comes anyway, and the commit costs it nothing. */
static void committed(void *ctx, long frames)
{
    checkpointer *c = ctx;
    if (frames < atomic_load(&c->wake_frames))
        return;
    pthread_mutex_lock(&c->lock);
    pthread_cond_signal(&c->wake);
    pthread_mutex_unlock(&c->lock);
}

/* Sleep until until_ms (monotonic; 0: no deadline), or until a commit leaves wake_frames
 * WAL pages. false when stopping. */
static bool sleep_until(checkpointer *c, long long until_ms, long wake_frames)
{
    pthread_mutex_lock(&c->lock);
    atomic_store(&c->wake_frames, wake_frames);
    /* A commit between the look at the WAL and the store above did not wake it: look
     * again (a commit after the store finds the mark and waits for this wait). */
    if (!c->stopping && store_wal_frames(c->db) < wake_frames) {
        if (until_ms == 0) {
            pthread_cond_wait(&c->wake, &c->lock);
        } else {
            struct timespec ts = {(time_t)(until_ms / 1000), (long)(until_ms % 1000) * 1000000};
            pthread_cond_timedwait(&c->wake, &c->lock, &ts);
        }
    }
    atomic_store(&c->wake_frames, LONG_MAX);
    bool go_on = !c->stopping;
    pthread_mutex_unlock(&c->lock);
    return go_on;
}

static void *run(void *arg)
{
    checkpointer *c = arg;
    long long not_before = 0; /* after a passive copy or a failure */
    for (;;) {
        long long now = now_ms(), frames = store_wal_frames(c->db);
        long long quiet_at = store_last_commit_ms(c->db) + CHECKPOINT_QUIET_MS;
        long long until = 0;
        long wake_frames = 1; /* nothing to copy: the next commit */
        if (frames > 0) {
            bool full = frames >= CHECKPOINT_FRAMES;
            long long due = full ? now : quiet_at;
            if (due < not_before)
                due = not_before;
            if (now >= due) {
                bool quiet = now >= quiet_at;
                int rc = store_checkpoint(c->db, quiet);
                if (rc < 0)
                    log_msg(c->log, LOG_ERR, "checkpoint: %s", store_errmsg(c->db));
                else
                    log_msg(c->log, LOG_DEBUG, "checkpoint (%s) of %lld WAL pages: %s",
                            quiet ? "all, WAL emptied" : "beside the commits", frames,
                            rc == 0 ? "done" : "not finished, again in a second");
                not_before = now_ms() + (rc != 0 ? CHECKPOINT_RETRY_MS : CHECKPOINT_GAP_MS);
                continue;
            }
            until = due;
            /* Waiting for the quiet: a WAL that passes the mark meanwhile is copied then. */
            wake_frames = full || due == not_before ? LONG_MAX : CHECKPOINT_FRAMES;
        }
        if (!sleep_until(c, until, wake_frames))
            break;
    }
    return NULL;
}

int checkpointer_start(checkpointer **out, const char *path, store *primary,
                       const log_ctx *log, lm_error *err)
{
    *out = NULL;
    checkpointer *c = calloc(1, sizeof *c);
    if (!c)
        return lm_fail(err, 0, "out of memory");
    c->log = log;
    atomic_init(&c->wake_frames, LONG_MAX);
    if (pthread_mutex_init(&c->lock, NULL) != 0) {
        free(c);
        return lm_fail(err, 0, "checkpoints: cannot make a mutex");
    }
    /* The deadlines are monotonic: a clock set back must not stall the copying. */
    if (pthread_condattr_init(&c->attr) != 0 ||
        pthread_condattr_setclock(&c->attr, CLOCK_MONOTONIC) != 0 ||
        pthread_cond_init(&c->wake, &c->attr) != 0) {
        pthread_mutex_destroy(&c->lock);
        free(c);
        return lm_fail(err, 0, "checkpoints: cannot make a condition variable");
    }
    if (store_open_side(&c->db, path, primary, err) < 0)
        goto fail;
    store_manual_checkpoints(primary);
    store_manual_checkpoints(c->db);
    store_on_commit(primary, committed, c);
    if (pthread_create(&c->thread, NULL, run, c) != 0) {
        store_on_commit(primary, NULL, NULL);
        lm_fail(err, 0, "checkpoints: cannot start the thread");
        goto fail;
    }
    *out = c;
    return 0;
fail:
    store_close(&c->db);
    pthread_cond_destroy(&c->wake);
    pthread_condattr_destroy(&c->attr);
    pthread_mutex_destroy(&c->lock);
    free(c);
    return -1;
}

void checkpointer_stop(checkpointer **cp, store *primary)
{
    checkpointer *c = *cp;
    if (!c)
        return;
    store_on_commit(primary, NULL, NULL);
    pthread_mutex_lock(&c->lock);
    c->stopping = true;
    pthread_cond_signal(&c->wake);
    pthread_mutex_unlock(&c->lock);
    pthread_join(c->thread, NULL);
    /* The last: all of it, and the file emptied (nobody else writes any more). */
    if (store_checkpoint(c->db, true) < 0)
        log_msg(c->log, LOG_ERR, "checkpoint: %s", store_errmsg(c->db));
    store_close(&c->db);
    pthread_cond_destroy(&c->wake);
    pthread_condattr_destroy(&c->attr);
    pthread_mutex_destroy(&c->lock);
    free(c);
    *cp = NULL;
}
