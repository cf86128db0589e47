/* derive.h: what leamond derives from the figures after they are acknowledged: the
 * snapshots (recomputed from the dirty marks committed with the figures) and the alert
 * rules' verdicts on them, with their events sent out through the notifier.
 *
 * It runs on the derive thread (derive_thread.h), on a connection of its own: the thread
 * tells it what was committed (derive_committed) and runs it when it is due (derive_due,
 * derive_tick); a query first calls derive_before_read. It also checkpoints the WAL,
 * which SQLite no longer does inside the commits of figures. */
#ifndef LEAMON_DERIVE_H
#define LEAMON_DERIVE_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "log.h"
#include "metrics.h"
#include "notify.h"
#include "snapshot.h"
#include "store.h"

typedef struct derive derive;

typedef struct {
    store *db;
    const registry *reg;       /* the daemon's registry; swapped whole on a reload */
    const settings *set;
    const log_ctx *log;
    notifier *nt;              /* where the alert events go */
    /* Called between the rounds of a long recompute (the service watchdog). */
    void (*keepalive)(void *ctx);
    void *keepalive_ctx;
    /* Lets waiting requests in between the subjects of a refresh (NULL: none). */
    const snapshot_yield *yield;
    metrics *m;                /* refresh times; the metrics file, when set (NULL: none) */
} derive_env;

/* Snapshots are refreshed once no request has come for DERIVE_QUIET_MS, so that the
 * commits of a rush of submissions share one refresh; but never later than
 * DERIVE_MAX_DELAY_MS after a commit. The refresh runs in rounds of DERIVE_ROUND_MARKS
 * marks, each its own transaction, with the requests that came meanwhile served in
 * between. */
#define DERIVE_QUIET_MS 50
#define DERIVE_MAX_DELAY_MS 1000
#define DERIVE_ROUND_MARKS 256

/* The alert rules judge what changed, and every rule on the timer, DERIVE_JUDGE_STEP
 * subjects (a rule in one area) per transaction, with the requests that came meanwhile
 * served in between; a query that shows their verdicts first has them finish. */
#define DERIVE_JUDGE_STEP 4

/* The WAL is copied into the database once commits have stopped for
 * DERIVE_CHECKPOINT_QUIET_MS (and the file emptied), and, under a steady load, whenever it
 * holds DERIVE_CHECKPOINT_FRAMES pages (about 16 MB) beside the commits. */
#define DERIVE_CHECKPOINT_QUIET_MS 1000
#define DERIVE_CHECKPOINT_FRAMES 4000

int derive_new(derive **out, const derive_env *env);
void derive_free(derive **d);

/* At the start, and after the registry was swapped (a reload): what pointed into the old
 * registry goes; every snapshot is recomputed when the catalogue or partners changed since
 * they were computed; then every rule is judged. */
void derive_restart(derive *d);

/* Figures were committed at now_ms (monotonic): the marks wait for a refresh, until commits
 * stop coming for DERIVE_QUIET_MS. wrote has a flag per organisation of the registry
 * (n_orgs) that stored figures: their late rules are due. */
void derive_committed(derive *d, const bool *wrote, size_t n_orgs, long long now_ms);

/* Before a query of ind's periods of kind within months first..last (month numbers) is
 * answered: refresh the snapshots it reads, so it sees every figure acknowledged before
 * it. self is the derive. */
void derive_before_read(void *self, const indicator *ind, period_kind kind, int first,
                        int last);
/* An op changed figures (their snapshots wait for a refresh) or only the states of months
 * (closed, reopened: every rule judges again). self is the derive. */
void derive_changed(void *self, bool figures);

/* Before an answer that shows the rules' verdicts: refresh everything and judge it. */
void derive_before_judged(derive *d);

/* Monotonic ms when derive_tick must next run. */
long long derive_due(const derive *d);
/* Do one piece of what is due at now_ms: a refresh round, a piece of the rules' judgement
 * (of what changed, or of every rule on the alert_check_interval timer: late rules and
 * target paths move with the clock), a checkpoint, or the metrics file. The kinds take
 * turns; the caller serves waiting requests between two ticks. */
void derive_tick(derive *d, long long now_ms);

/* Stopping: bring the snapshots up to date, and empty the WAL. */
void derive_finish(derive *d);

/* Monotonic milliseconds. */
long long derive_now_ms(void);

#endif
