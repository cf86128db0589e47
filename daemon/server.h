/* server.h: leamond's sockets and loop: the ROUTER socket and the ZAP handler, signals and
 * reload, and the poll loop that reads a batch of requests (batch.c), lets the op table
 * answer them (op_table.c) after the group commit, and hands what reads derived data to
 * the derive thread (derive_thread.c), whose replies it sends. */
#ifndef LEAMON_SERVER_H
#define LEAMON_SERVER_H

#include <stdbool.h>
#include <time.h>

#include "batch.h"
#include "config.h"
#include "conn_cap.h"
#include "derive_thread.h"
#include "log.h"
#include "metrics.h"
#include "notify.h"
#include "op.h"
#include "store.h"
#include "version.h"

/* The envelope of one request of the batch: where its reply goes. */
typedef struct peer peer;

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
    notifier nt;         /* alert events: PUB socket and hook; the derive thread's once it runs */
    metrics m;           /* counted by both threads */
    quotas q;            /* per-organisation limits; the loop's alone */
    void *monitor;       /* the request socket's connection events */
    conn_cap *cap;       /* connections per key; NULL without max_connections_per_key or CURVE */
    long long next_sweep; /* monotonic ms of the next look for connections without a request */
    derive_thread *dt;   /* snapshots, rules, and the requests that read them */
    batch b;             /* the requests of one round */
    peer *peers;         /* their envelopes, index by index */
    backup_copy backup;  /* the backup copy being handed out */
    unsigned long long busy_refused; /* submissions refused with 503 while overloaded */
    long long watchdog_ms;   /* systemd's WatchdogSec / 2, 0 when not under a watchdog */
    long long next_watchdog; /* monotonic ms of the next keep-alive */
} server;

/* Everything up to READY: config, catalogue, partners, database, sockets. Signals must
 * already be blocked (server_block_signals) so ZeroMQ's threads inherit the mask. */
int server_block_signals(void);
int server_start(server *srv, const settings *set, lm_error *err);
/* Serve until SIGTERM or SIGINT; then answer what was received and return 0. */
int server_run(server *srv);
void server_free(server *srv);

/* Insecure mode (no server key) may only listen on loopback: 0, or -1 with the reason. */
int server_check_endpoint(const settings *set, lm_error *err);

/* True if endpoint only reaches this machine (allowed in insecure mode). */
bool server_endpoint_is_local(const char *endpoint);

#endif
