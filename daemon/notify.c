/* notify.c: PUB events and the alert hook. */
#define _GNU_SOURCE /* memfd_create */
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

#include <sys/mman.h>

#include "keyfile.h"
#include "notice.h"

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

int notify_open(notifier *nt, void *zmq_ctx, const settings *set, routing *rt,
                const char *secret_z85, const log_ctx *lg, lm_error *err)
{
    memset(nt, 0, sizeof *nt);
    nt->rt = *rt;
    memset(rt, 0, sizeof *rt);
    nt->log = lg;
    nt->timeout_ms = set->alert_hook_timeout * 1000;
    nt->handshake_ms = set->handshake_timeout * 1000;
    if (!(nt->queue = calloc(NOTIFY_QUEUE, sizeof *nt->queue)))
        return lm_fail(err, 0, "out of memory");
    notify_endpoint(set, nt->endpoint, sizeof nt->endpoint);
    return open_pub(nt, zmq_ctx, secret_z85, err);
}

void notify_set_held(notifier *nt, notify_held_fn held, void *ctx)
{
    nt->held = held;
    nt->held_ctx = ctx;
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
    int linger = 0, hwm = 1000, one = 1, handshake = (int)nt->handshake_ms;
    if (!nt->pub || zmq_setsockopt(nt->pub, ZMQ_LINGER, &linger, sizeof linger) != 0 ||
        zmq_setsockopt(nt->pub, ZMQ_HANDSHAKE_IVL, &handshake, sizeof handshake) != 0 ||
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

/* ---- receivers ----------------------------------------------------------- */

static void start(notifier *nt, notice_job *job)
{
    char *envp[NOTIFY_ENV_VARS + 1];
    for (size_t i = 0; i < job->n_env; i++)
        envp[i] = job->env[i];
    envp[job->n_env] = NULL;
    char *sh[] = {"/bin/sh", "-c", (char *)job->command, NULL};
    char *mail[] = {(char *)job->command, "-t", "-i", NULL};
    char **argv = job->mail ? mail : sh;
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    sigset_t none;
    pid_t pid;
    /* The daemon blocks its signals for signalfd; the receiver must get them as usual. */
    sigemptyset(&none);
    int rc = posix_spawn_file_actions_init(&fa);
    if (rc == 0) {
        if ((rc = posix_spawnattr_init(&attr)) == 0) {
            sigset_t dfl;
            sigemptyset(&dfl);
            sigaddset(&dfl, SIGXFSZ); /* ignored by the daemon, not by its receivers */
            /* Its own process group, so that a timeout kills what it started too. */
            if ((rc = posix_spawnattr_setsigmask(&attr, &none)) == 0 &&
                (rc = posix_spawnattr_setsigdefault(&attr, &dfl)) == 0 &&
                (rc = posix_spawnattr_setpgroup(&attr, 0)) == 0 &&
                (rc = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK |
                                                          POSIX_SPAWN_SETSIGDEF |
                                                          POSIX_SPAWN_SETPGROUP)) == 0 &&
                (rc = posix_spawn_file_actions_adddup2(&fa, job->stdin_fd, 0)) == 0)
                rc = posix_spawn(&pid, argv[0], &fa, &attr, argv, envp);
            posix_spawnattr_destroy(&attr);
        }
        posix_spawn_file_actions_destroy(&fa);
    }
    close(job->stdin_fd);
    job->stdin_fd = -1;
    if (rc != 0) {
        nt->failed++;
        log_msg(nt->log, LOG_ERR, "%s: cannot start %s: %s (%zu failed so far)", job->what,
                argv[0], strerror(rc), nt->failed);
        return;
    }
    notice_run *run = &nt->running[nt->n_running++];
    run->pid = pid;
    run->deadline_ms = now_ms() + nt->timeout_ms;
    run->killed = false;
    snprintf(run->what, sizeof run->what, "%s", job->what);
    log_msg(nt->log, LOG_DEBUG, "%s: started, pid %d", job->what, (int)pid);
}

static void start_queued(notifier *nt)
{
    while (nt->queued && nt->n_running < NOTIFY_MAX_RUNNING) {
        start(nt, &nt->queue[nt->head]);
        nt->head = (nt->head + 1) % NOTIFY_QUEUE;
        nt->queued--;
    }
}

/* A file in memory holding the notice: the receiver's standard input, without a pipe that
 * could make the daemon wait. -1 on failure. */
static int notice_file(notifier *nt, const receiver *rc, const alert_group *g,
                       const grouped_alert *const *list, size_t n, notice_reason why)
{
    int fd = memfd_create("leamon-notice", MFD_CLOEXEC);
    int copy = fd < 0 ? -1 : dup(fd);
    FILE *f = copy < 0 ? NULL : fdopen(copy, "w");
    if (!f) {
        if (copy >= 0)
            close(copy);
        if (fd >= 0)
            close(fd);
        return -1;
    }
    int rc_ = rc->kind == RECEIVER_MAIL
                  ? notice_mail(f, &nt->rt, rc, nt->reg, g, list, n, why, time(NULL))
                  : notice_json(f, rc, nt->reg, g, list, n, why);
    if (fclose(f) != 0 || rc_ < 0 || lseek(fd, 0, SEEK_SET) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static void add_env(notice_job *job, const char *name, const char *value)
{
    if (job->n_env < NOTIFY_ENV_VARS)
        snprintf(job->env[job->n_env++], sizeof job->env[0], "%s=%s", name, value);
}

/* group_sink.send: one notice of g to its route's receiver, queued. */
static void queue_notice(void *ctx, const alert_group *g, const grouped_alert *const *list,
                         size_t n, notice_reason why)
{
    notifier *nt = ctx;
    const receiver *rc = &nt->rt.receivers[nt->rt.routes[g->route].receiver];
    char what[200];
    snprintf(what, sizeof what, "receiver %s (%.100s%s%zu alert%s, %s)", rc->name, g->key,
             g->key[0] ? ", " : "", n, n == 1 ? "" : "s", notice_reason_name(why));
    if (nt->queued == NOTIFY_QUEUE) {
        if (nt->dropped++ % 100 == 0)
            log_msg(nt->log, LOG_ERR, "%s: not sent, the queue of %d notices is full; %zu "
                    "dropped so far", what, NOTIFY_QUEUE, nt->dropped);
        return;
    }
    int fd = notice_file(nt, rc, g, list, n, why);
    if (fd < 0) {
        nt->failed++;
        log_msg(nt->log, LOG_ERR, "%s: cannot write the notice: %s (%zu failed so far)", what,
                strerror(errno), nt->failed);
        return;
    }
    notice_job *job = &nt->queue[(nt->head + nt->queued) % NOTIFY_QUEUE];
    job->mail = rc->kind == RECEIVER_MAIL;
    job->command = job->mail ? nt->rt.sendmail : rc->command;
    job->stdin_fd = fd;
    job->n_env = 0;
    snprintf(job->what, sizeof job->what, "%s", what);
    log_msg(nt->log, LOG_INFO, "notice to %s", what);
    if (!job->mail && n == 1) /* one alert: its LEAMON_ALERT_* as the hook always had */
        job->n_env = alert_msg_env(nt->reg, &list[0]->a, list[0]->previous, job->env,
                                   ALERT_MSG_ENV_VARS);
    size_t firing = 0;
    for (size_t i = 0; i < n; i++)
        firing += strcmp(list[i]->a.state, "firing") == 0;
    char count[24];
    add_env(job, "LEAMON_RECEIVER", rc->name);
    add_env(job, "LEAMON_GROUP", g->key);
    add_env(job, "LEAMON_REASON", notice_reason_name(why));
    snprintf(count, sizeof count, "%zu", firing);
    add_env(job, "LEAMON_FIRING", count);
    snprintf(count, sizeof count, "%zu", n - firing);
    add_env(job, "LEAMON_RESOLVED", count);
    const char *path = getenv("PATH");
    add_env(job, "PATH", path ? path : "/usr/local/bin:/usr/bin:/bin");
    nt->queued++;
}

static bool held(void *ctx, stored_alert *a)
{
    notifier *nt = ctx;
    return nt->held && nt->held(nt->held_ctx, a);
}

static void flush(notifier *nt)
{
    group_sink sink = {held, queue_notice, nt};
    groups_flush(&nt->groups, now_ms(), &sink);
    start_queued(nt);
}

static group_timing timing_of(const route *ro)
{
    return (group_timing){ro->group_wait * 1000, ro->group_interval * 1000,
                          ro->repeat_interval * 1000};
}

/* The alert to the routes that take it. */
static void route_alert(notifier *nt, const registry *reg, const stored_alert *a,
                        const char *previous, bool seed)
{
    for (size_t i = 0; i < nt->rt.n_routes; i++) {
        const route *ro = &nt->rt.routes[i];
        if (!route_matches(ro, reg, a))
            continue;
        char key[256];
        group_timing t = timing_of(ro);
        route_group_key(ro, reg, a, key, sizeof key);
        int rc = seed ? groups_seed(&nt->groups, i, key, &t, a, now_ms())
                      : groups_add(&nt->groups, i, key, &t, a, previous, now_ms());
        if (rc < 0)
            log_msg(nt->log, LOG_ERR, "alert %lld: out of memory, not routed", (long long)a->id);
        if (!ro->cont)
            return;
    }
}

void notify_seed(notifier *nt, const registry *reg, const stored_alert *firing, size_t n)
{
    nt->reg = reg;
    for (size_t i = 0; i < n; i++)
        route_alert(nt, reg, &firing[i], "", true);
}

void notify_events(notifier *nt, const registry *reg, const alert_events *ev)
{
    nt->reg = reg;
    for (size_t i = 0; i < ev->n; i++) {
        const alert_event *e = &ev->items[i];
        log_about about = {e->a.subject, "", (long long)e->a.id};
        if (e->silenced_until) {
            log_event(nt->log, LOG_INFO, &about, "alert %lld %s -> %s (silenced): %s",
                      (long long)e->a.id, e->previous[0] ? e->previous : "new", e->a.state,
                      e->a.message);
            continue;
        }
        log_event(nt->log, strcmp(e->a.severity, "critical") == 0 ? LOG_WARNING : LOG_INFO,
                  &about, "alert %lld %s -> %s: %s", (long long)e->a.id,
                  e->previous[0] ? e->previous : "new", e->a.state, e->a.message);
        if (nt->pub)
            publish(nt, reg, e);
        route_alert(nt, reg, &e->a, e->previous, false);
    }
    flush(nt);
}

static void reap(notifier *nt)
{
    for (;;) {
        int status;
        pid_t pid = waitpid(-1, &status, WNOHANG);
        if (pid <= 0)
            return;
        for (size_t i = 0; i < nt->n_running; i++) {
            notice_run *run = &nt->running[i];
            if (run->pid != pid)
                continue;
            bool ok = !run->killed && WIFEXITED(status) && WEXITSTATUS(status) == 0;
            nt->failed += !ok;
            nt->sent += ok;
            if (run->killed)
                log_msg(nt->log, LOG_ERR, "%s: killed after %lld s (%zu failed so far)",
                        run->what, nt->timeout_ms / 1000, nt->failed);
            else if (ok)
                log_msg(nt->log, LOG_DEBUG, "%s: done", run->what);
            else if (WIFEXITED(status))
                log_msg(nt->log, LOG_ERR, "%s: exit status %d (%zu failed so far)", run->what,
                        WEXITSTATUS(status), nt->failed);
            else
                log_msg(nt->log, LOG_ERR, "%s: killed by signal %d (%zu failed so far)",
                        run->what, WTERMSIG(status), nt->failed);
            nt->running[i] = nt->running[--nt->n_running];
            break;
        }
    }
}

/* Kill the overdue receivers, each with everything it started. */
static void kill_overdue(notifier *nt, long long now)
{
    for (size_t i = 0; i < nt->n_running; i++) {
        notice_run *run = &nt->running[i];
        if (run->killed || now < run->deadline_ms)
            continue;
        run->killed = true;
        if (kill(-run->pid, SIGKILL) != 0 && errno != ESRCH)
            log_msg(nt->log, LOG_ERR, "%s: cannot kill process group %d: %s", run->what,
                    (int)run->pid, strerror(errno));
    }
}

void notify_tick(notifier *nt)
{
    reap(nt);
    kill_overdue(nt, now_ms());
    flush(nt);
}

long long notify_wait_ms(const notifier *nt)
{
    long long wait = -1, now = now_ms();
    for (size_t i = 0; i < nt->n_running; i++) {
        const notice_run *run = &nt->running[i];
        /* A killed receiver is reaped on SIGCHLD: no need to wake for it. */
        if (run->killed)
            continue;
        long long left = run->deadline_ms > now ? run->deadline_ms - now : 0;
        if (wait < 0 || left < wait)
            wait = left;
    }
    long long next = groups_next_ms(&nt->groups);
    if (next) {
        long long left = next > now ? next - now : 0;
        if (wait < 0 || left < wait)
            wait = left;
    }
    return wait;
}

void notify_close(notifier *nt)
{
    if (!nt->queue)
        return; /* closed already */
    /* What waits in a group is sent now rather than lost; reminders are not. */
    group_sink sink = {held, queue_notice, nt};
    groups_flush_news(&nt->groups, now_ms(), &sink);
    if (nt->queued)
        log_msg(nt->log, LOG_INFO, "stopping: %zu notice%s to send first", nt->queued,
                nt->queued == 1 ? "" : "s");
    while (nt->n_running || nt->queued) {
        reap(nt);
        kill_overdue(nt, now_ms());
        start_queued(nt);
        if (nt->n_running) {
            struct timespec pause = {0, 20 * 1000 * 1000};
            nanosleep(&pause, NULL);
        }
    }
    if (nt->sent || nt->failed || nt->dropped)
        log_msg(nt->log, LOG_INFO, "notices: %zu sent, %zu failed, %zu dropped", nt->sent,
                nt->failed, nt->dropped);
    if (nt->pub)
        zmq_close(nt->pub);
    nt->pub = NULL;
    free(nt->queue);
    nt->queue = NULL;
    groups_free(&nt->groups);
    routing_free(&nt->rt);
}
