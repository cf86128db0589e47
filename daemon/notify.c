/* notify.c: PUB events and the alert hook. */
#include "notify.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#include "keyfile.h"

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void notify_endpoint(const settings *set, char *out, size_t n)
{
    out[0] = '\0';
    if (strcmp(set->publish, "off") == 0)
        return;
    if (set->publish[0]) {
        snprintf(out, n, "%s", set->publish);
        return;
    }
    const char *colon = strrchr(set->listen, ':');
    char *end;
    long port = colon ? strtol(colon + 1, &end, 10) : 0;
    if (strncmp(set->listen, "tcp://", 6) != 0 || !colon || *end || port < 1 || port >= 65535)
        return;
    snprintf(out, n, "%.*s:%ld", (int)(colon - set->listen), set->listen, port + 1);
}

static int open_pub(notifier *nt, void *zmq_ctx, const char *secret_z85, lm_error *err);

int notify_open(notifier *nt, void *zmq_ctx, const settings *set, const char *secret_z85,
                const log_ctx *lg, lm_error *err)
{
    memset(nt, 0, sizeof *nt);
    nt->log = lg;
    nt->timeout_ms = set->alert_hook_timeout * 1000;
    snprintf(nt->hook, sizeof nt->hook, "%s", set->alert_hook);
    if (!(nt->queue = calloc(NOTIFY_QUEUE, sizeof *nt->queue)))
        return lm_fail(err, 0, "out of memory");
    notify_endpoint(set, nt->endpoint, sizeof nt->endpoint);
    return open_pub(nt, zmq_ctx, secret_z85, err);
}

int notify_rebind(notifier *nt, void *zmq_ctx, const char *secret_z85, lm_error *err)
{
    if (!nt->pub)
        return 0;
    /* Unbind first, so that the new socket can take the address at once. */
    if (zmq_unbind(nt->pub, nt->endpoint) != 0)
        log_msg(nt->log, LOG_WARNING, "unbinding %s: %s", nt->endpoint, zmq_strerror(zmq_errno()));
    zmq_close(nt->pub);
    nt->pub = NULL;
    return open_pub(nt, zmq_ctx, secret_z85, err);
}

static int open_pub(notifier *nt, void *zmq_ctx, const char *secret_z85, lm_error *err)
{
    if (!nt->endpoint[0])
        return 0;
    nt->pub = zmq_socket(zmq_ctx, ZMQ_PUB);
    int linger = 0, hwm = 1000, one = 1;
    if (!nt->pub || zmq_setsockopt(nt->pub, ZMQ_LINGER, &linger, sizeof linger) != 0 ||
        zmq_setsockopt(nt->pub, ZMQ_SNDHWM, &hwm, sizeof hwm) != 0 ||
        (secret_z85 && (zmq_setsockopt(nt->pub, ZMQ_CURVE_SERVER, &one, sizeof one) != 0 ||
                        zmq_setsockopt(nt->pub, ZMQ_CURVE_SECRETKEY, secret_z85, KEY_Z85_LEN) != 0 ||
                        zmq_setsockopt(nt->pub, ZMQ_ZAP_DOMAIN, "leamon-alerts", 13) != 0)))
        return lm_fail(err, 0, "alert socket: %s", zmq_strerror(zmq_errno()));
    /* After a rebind the old listener is released by ZeroMQ's I/O thread, shortly: wait
     * for it up to a second. */
    int rc = zmq_bind(nt->pub, nt->endpoint);
    for (int tries = 0; rc != 0 && zmq_errno() == EADDRINUSE && tries < 50; tries++) {
        struct timespec pause = {0, 20 * 1000 * 1000};
        nanosleep(&pause, NULL);
        rc = zmq_bind(nt->pub, nt->endpoint);
    }
    if (rc != 0)
        return lm_fail(err, 0, "cannot publish alerts on %s: %s (setting publish; \"off\" "
                       "turns it off)", nt->endpoint, zmq_strerror(zmq_errno()));
    return 0;
}

static void publish(notifier *nt, const registry *reg, const alert_event *e)
{
    proto_alert_event ev;
    mpw w;
    char topic[200];
    mpw_init(&w);
    alert_msg_topic(reg, &e->a, topic, sizeof topic);
    alert_msg_fill(&ev.alert, reg, &e->a, e->silenced_until);
    snprintf(ev.previous, sizeof ev.previous, "%s", e->previous);
    proto_alert_event_write(&w, &ev);
    bool ok = mpw_ok(&w);
    /* DONTWAIT: PUB never blocks; a subscriber that cannot keep up loses messages. */
    if (!ok || zmq_send(nt->pub, topic, strlen(topic), ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0 ||
        zmq_send(nt->pub, mpw_data(&w), mpw_size(&w), ZMQ_DONTWAIT) < 0)
        log_msg(nt->log, LOG_WARNING, "could not publish alert %lld: %s", (long long)e->a.id,
                ok ? zmq_strerror(zmq_errno()) : "cannot encode it");
    mpw_free(&w);
}

static void start(notifier *nt, const hook_job *job)
{
    char *envp[ALERT_MSG_ENV_VARS + 2];
    for (size_t i = 0; i < job->n_env; i++)
        envp[i] = (char *)job->env[i];
    envp[job->n_env] = NULL;
    char *argv[] = {"/bin/sh", "-c", nt->hook, NULL};
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    sigset_t none;
    pid_t pid;
    /* The daemon blocks its signals for signalfd; the hook must get them as usual. */
    sigemptyset(&none);
    int rc = posix_spawn_file_actions_init(&fa);
    if (rc == 0) {
        if ((rc = posix_spawnattr_init(&attr)) == 0) {
            sigset_t dfl;
            sigemptyset(&dfl);
            sigaddset(&dfl, SIGXFSZ); /* ignored by the daemon, not by its hooks */
            if ((rc = posix_spawnattr_setsigmask(&attr, &none)) == 0 &&
                (rc = posix_spawnattr_setsigdefault(&attr, &dfl)) == 0 &&
                (rc = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK |
                                                          POSIX_SPAWN_SETSIGDEF)) == 0 &&
                (rc = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0)) == 0)
                rc = posix_spawn(&pid, "/bin/sh", &fa, &attr, argv, envp);
            posix_spawnattr_destroy(&attr);
        }
        posix_spawn_file_actions_destroy(&fa);
    }
    if (rc != 0) {
        log_msg(nt->log, LOG_ERR, "alert hook for %s: cannot start /bin/sh: %s", job->what,
                strerror(rc));
        return;
    }
    hook_run *run = &nt->running[nt->n_running++];
    run->pid = pid;
    run->deadline_ms = now_ms() + nt->timeout_ms;
    run->killed = false;
    snprintf(run->what, sizeof run->what, "%s", job->what);
    log_msg(nt->log, LOG_DEBUG, "alert hook for %s: started, pid %d", job->what, (int)pid);
}

static void start_queued(notifier *nt)
{
    while (nt->queued && nt->n_running < NOTIFY_MAX_HOOKS) {
        start(nt, &nt->queue[nt->head]);
        nt->head = (nt->head + 1) % NOTIFY_QUEUE;
        nt->queued--;
    }
}

static void queue_hook(notifier *nt, const registry *reg, const alert_event *e)
{
    if (nt->queued == NOTIFY_QUEUE) {
        if (nt->dropped++ % 100 == 0)
            log_msg(nt->log, LOG_ERR, "alert hook queue full (%d waiting): hook for alert %lld "
                    "not run; %zu dropped so far", NOTIFY_QUEUE, (long long)e->a.id, nt->dropped);
        return;
    }
    hook_job *job = &nt->queue[(nt->head + nt->queued) % NOTIFY_QUEUE];
    job->n_env = alert_msg_env(reg, &e->a, e->previous, job->env, ALERT_MSG_ENV_VARS);
    const char *path = getenv("PATH");
    snprintf(job->env[job->n_env++], sizeof job->env[0], "PATH=%s",
             path ? path : "/usr/local/bin:/usr/bin:/bin");
    snprintf(job->what, sizeof job->what, "alert %lld (%s %s, %s)", (long long)e->a.id,
             e->a.rule, e->a.area, e->a.state);
    nt->queued++;
}

void notify_events(notifier *nt, const registry *reg, const alert_events *ev)
{
    for (size_t i = 0; i < ev->n; i++) {
        const alert_event *e = &ev->items[i];
        if (e->silenced_until) {
            log_msg(nt->log, LOG_INFO, "alert %lld %s -> %s (silenced): %s", (long long)e->a.id,
                    e->previous[0] ? e->previous : "new", e->a.state, e->a.message);
            continue;
        }
        log_msg(nt->log, strcmp(e->a.severity, "critical") == 0 ? LOG_WARNING : LOG_INFO,
                "alert %lld %s -> %s: %s", (long long)e->a.id, e->previous[0] ? e->previous : "new",
                e->a.state, e->a.message);
        if (nt->pub)
            publish(nt, reg, e);
        if (nt->hook[0])
            queue_hook(nt, reg, e);
    }
    start_queued(nt);
}

static void reap(notifier *nt)
{
    for (;;) {
        int status;
        pid_t pid = waitpid(-1, &status, WNOHANG);
        if (pid <= 0)
            return;
        for (size_t i = 0; i < nt->n_running; i++) {
            hook_run *run = &nt->running[i];
            if (run->pid != pid)
                continue;
            if (run->killed)
                log_msg(nt->log, LOG_ERR, "alert hook for %s: killed after %lld s", run->what,
                        nt->timeout_ms / 1000);
            else if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
                log_msg(nt->log, LOG_DEBUG, "alert hook for %s: done", run->what);
            else if (WIFEXITED(status))
                log_msg(nt->log, LOG_ERR, "alert hook for %s: exit status %d", run->what,
                        WEXITSTATUS(status));
            else
                log_msg(nt->log, LOG_ERR, "alert hook for %s: killed by signal %d", run->what,
                        WTERMSIG(status));
            nt->running[i] = nt->running[--nt->n_running];
            break;
        }
    }
}

void notify_tick(notifier *nt)
{
    reap(nt);
    long long now = now_ms();
    for (size_t i = 0; i < nt->n_running; i++) {
        hook_run *run = &nt->running[i];
        if (!run->killed && now >= run->deadline_ms) {
            run->killed = true;
            if (kill(run->pid, SIGKILL) != 0 && errno != ESRCH)
                log_msg(nt->log, LOG_ERR, "alert hook for %s: cannot kill pid %d: %s", run->what,
                        (int)run->pid, strerror(errno));
        }
    }
    start_queued(nt);
}

long long notify_wait_ms(const notifier *nt)
{
    long long wait = -1, now = now_ms();
    for (size_t i = 0; i < nt->n_running; i++) {
        const hook_run *run = &nt->running[i];
        /* A killed hook is reaped on SIGCHLD: no need to wake for it. */
        long long left = run->killed ? -1 : run->deadline_ms - now;
        if (left >= 0 && (wait < 0 || left < wait))
            wait = left;
        else if (!run->killed && left < 0)
            wait = 0;
    }
    return wait;
}

void notify_close(notifier *nt)
{
    /* Hooks already running get their time; queued ones are not started. */
    if (nt->queued)
        log_msg(nt->log, LOG_WARNING, "stopping: %zu alert hook%s not run", nt->queued,
                nt->queued == 1 ? "" : "s");
    nt->queued = 0;
    while (nt->n_running) {
        notify_tick(nt);
        if (nt->n_running) {
            struct timespec pause = {0, 20 * 1000 * 1000};
            nanosleep(&pause, NULL);
        }
    }
    if (nt->pub)
        zmq_close(nt->pub);
    nt->pub = NULL;
    free(nt->queue);
    nt->queue = NULL;
}
