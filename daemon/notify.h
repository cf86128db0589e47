/* notify.h: telling the world about alert changes: the PUB socket, and the operator's hook
 * command run with the alert in its environment. Nothing here blocks the request loop: a
 * publish never waits (PUB drops for slow subscribers), hooks run as child processes
 * reaped on SIGCHLD, at most NOTIFY_MAX_HOOKS at a time, each killed after the timeout,
 * with a bounded queue behind them. */
#ifndef LEAMON_NOTIFY_H
#define LEAMON_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "alert_msg.h"
#include "alerts.h"
#include "config.h"
#include "log.h"

#define NOTIFY_MAX_HOOKS 4
#define NOTIFY_QUEUE 64

typedef struct {
    char env[ALERT_MSG_ENV_VARS + 1][512]; /* LEAMON_ALERT_*, then PATH */
    size_t n_env;
    char what[160];                        /* for the log */
} hook_job;

typedef struct {
    pid_t pid;
    long long deadline_ms;                 /* monotonic */
    bool killed;
    char what[160];
} hook_run;

typedef struct {
    void *pub;                 /* NULL when publishing is off */
    char endpoint[256];
    char hook[CONFIG_PATH_MAX];
    long long timeout_ms;
    hook_run running[NOTIFY_MAX_HOOKS];
    size_t n_running;
    hook_job *queue;           /* ring of NOTIFY_QUEUE, owned */
    size_t head, queued;
    size_t dropped;            /* jobs refused because the queue was full */
    const log_ctx *log;
} notifier;

/* The PUB endpoint for settings: `publish`, or when that is empty the listen endpoint with
 * its TCP port plus one; "" when publishing is off ("off", or not derivable). */
void notify_endpoint(const settings *set, char *out, size_t n);

/* Bind the PUB socket (CURVE with the server's key when secret_z85 is not NULL; only staff
 * keys pass the ZAP handler for it). 0, or -1 with err. */
int notify_open(notifier *nt, void *zmq_ctx, const settings *set, const char *secret_z85,
                const log_ctx *lg, lm_error *err);
/* Bind the PUB socket anew (after a reload): every subscriber reconnects and passes the
 * ZAP handler again, so a key removed from the partners file loses its subscription. */
int notify_rebind(notifier *nt, void *zmq_ctx, const char *secret_z85, lm_error *err);
/* Publish each event not silenced, and queue the hook for it. */
void notify_events(notifier *nt, const registry *reg, const alert_events *ev);
/* Reap finished hooks (SIGCHLD), kill overdue ones, start queued ones. */
void notify_tick(notifier *nt);
/* Milliseconds until notify_tick must run again for a timeout; -1 when nothing runs. */
long long notify_wait_ms(const notifier *nt);
/* Give running hooks until their deadline (at most the timeout), then kill them; close. */
void notify_close(notifier *nt);

#endif
