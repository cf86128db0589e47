/* server.h: leamond's context and main loop: the ROUTER socket, the ZAP handler, signals,
 * and group commit of submissions. */
#ifndef LEAMON_SERVER_H
#define LEAMON_SERVER_H

#include <stdbool.h>
#include <time.h>

#include "config.h"
#include "notify.h"
#include "log.h"
#include "snapshot.h"
#include "store.h"

#define LEAMOND_VERSION "0.1.0"

typedef struct {
    settings set;
    registry reg;        /* swapped whole on SIGHUP */
    store *db;
    log_ctx log;
    void *zmq;
    void *router;
    void *zap;
    bool secure;         /* CURVE with a server key; else insecure development mode */
    time_t started;
    int signal_fd;
    bool stopping;
    bool snap_pending;   /* figures committed, snapshots not yet refreshed */
    long long snap_since; /* monotonic ms of the oldest such commit */
    long long last_batch; /* monotonic ms when requests were last served */
    long long snap_retry; /* after a failed refresh, not before this monotonic ms */
    snapshot_changes touched; /* what refreshes changed since the rules last judged it */
    long long touched_since;  /* monotonic ms of the first such refresh; 0: none */
    notifier nt;         /* alert events: PUB socket and hook */
    unsigned long long busy_refused; /* submissions refused with 503 while overloaded */
    int64_t backup_id;   /* the backup copy being handed out (ops_backup.c); 0: none */
    bool *late_due;      /* per organisation: submitted since its late rules were checked */
    size_t n_late_due;
    long long next_check; /* monotonic ms of the next evaluation of every rule */
    long long watchdog_ms; /* systemd's WatchdogSec / 2, 0 when not under a watchdog */
    long long next_watchdog; /* monotonic ms of the next keep-alive */
} server;

/* Everything up to READY: config, catalogue, partners, database, sockets. Signals must
 * already be blocked (server_block_signals) so ZeroMQ's threads inherit the mask. */
int server_block_signals(void);
int server_start(server *srv, const settings *set, char *err, size_t errlen);
/* Serve until SIGTERM or SIGINT; then answer what was received and return 0. */
int server_run(server *srv);
void server_free(server *srv);

/* Before a query of ind over months first..last is answered: refresh the snapshots that
 * depend on figures acknowledged before it (a query sees every such figure). */
void server_refresh_for(server *srv, const indicator *ind, int first, int last);

/* Insecure mode (no server key) may only listen on loopback: 0, or -1 with the reason. */
int server_check_endpoint(const settings *set, char *err, size_t errlen);

/* True if endpoint only reaches this machine (allowed in insecure mode). */
bool server_endpoint_is_local(const char *endpoint);

#endif
