/* notify.h: telling the world about alert changes: every change on the PUB socket, and
 * the alerts that fire or resolve to the receivers their routes name (route.h), in groups
 * (alert_group.h). Nothing here blocks the derive thread: a publish never waits (PUB drops
 * for slow subscribers); receivers run as child processes, each in its own process group,
 * reaped on SIGCHLD, at most NOTIFY_MAX_RUNNING at a time, the whole group killed after the
 * timeout, with a bounded queue behind them that drops (and counts) when full. */
#ifndef LEAMON_NOTIFY_H
#define LEAMON_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "alert_group.h"
#include "alert_msg.h"
#include "alerts.h"
#include "config.h"
#include "log.h"
#include "route.h"

#define NOTIFY_MAX_RUNNING 4
#define NOTIFY_QUEUE 64
#define NOTIFY_ENV_VARS (ALERT_MSG_ENV_VARS + 7)

typedef struct {
    bool mail;                             /* sendmail -t -i, else /bin/sh -c command */
    const char *command;                   /* the receiver's, in the notifier's routing */
    int stdin_fd;                          /* the notice (a memfd), owned */
    char env[NOTIFY_ENV_VARS][512];
    size_t n_env;
    char what[200];                        /* for the log */
} notice_job;

typedef struct {
    pid_t pid;                             /* also its process group */
    long long deadline_ms;                 /* monotonic */
    bool killed;
    char what[200];
} notice_run;

/* Is an alert held back from receivers now (silenced, inhibited)? The derive thread
 * answers from the database, after bringing *a up to date from it. */
typedef bool (*notify_held_fn)(void *ctx, stored_alert *a);

typedef struct {
    void *pub;                 /* NULL when publishing is off */
    char endpoint[256];
    routing rt;                /* owned */
    alert_groups groups;
    notify_held_fn held;
    void *held_ctx;
    const registry *reg;       /* the one last passed in; for the notices of a flush */
    long long timeout_ms;
    long long handshake_ms;    /* ZMQ_HANDSHAKE_IVL of the PUB socket */
    notice_run running[NOTIFY_MAX_RUNNING];
    size_t n_running;
    notice_job *queue;         /* ring of NOTIFY_QUEUE, owned */
    size_t head, queued;
    size_t sent, failed, dropped;
    const log_ctx *log;
} notifier;

/* The PUB endpoint for settings: `publish`, or when that is empty the listen endpoint with
 * its TCP port plus one; "" when publishing is off ("off", or not derivable). */
void notify_endpoint(const settings *set, char *out, size_t n);

/* Bind the PUB socket (CURVE with the server's key when secret_z85 is not NULL; only staff
 * keys pass the ZAP handler for it), and take over rt (routing_load). 0, or -1 with err
 * (rt is freed either way). */
int notify_open(notifier *nt, void *zmq_ctx, const settings *set, routing *rt,
                const char *secret_z85, const log_ctx *lg, lm_error *err);
/* Bind the PUB socket anew (after a reload): every subscriber reconnects and passes the
 * ZAP handler again, so a key removed from the partners file loses its subscription. */
int notify_rebind(notifier *nt, void *zmq_ctx, const char *secret_z85, lm_error *err);
void notify_set_held(notifier *nt, notify_held_fn held, void *ctx);
/* Alerts firing when leamond starts were told before: kept for the reminders only. */
void notify_seed(notifier *nt, const registry *reg, const stored_alert *firing, size_t n);
/* Publish each event not silenced, and route the alerts that fire or resolve. */
void notify_events(notifier *nt, const registry *reg, const alert_events *ev);
/* Reap finished receivers (SIGCHLD), kill overdue ones, send the groups due, start queued
 * receivers. */
void notify_tick(notifier *nt);
/* Milliseconds until notify_tick must run again; -1 when nothing waits. */
long long notify_wait_ms(const notifier *nt);
/* Send what groups hold that was not sent yet, give the receivers until their deadline (at
 * most the timeout), then kill their process groups; close. */
void notify_close(notifier *nt);

#endif
