/* metrics.h: counters and timings for Prometheus, kept by both threads (atomics, no locks)
 * and written by the derive thread to a file in the text format that node_exporter's
 * textfile collector reads (setting metrics_file). A file and not an HTTP endpoint: no port
 * to open, secure or sandbox, and node_exporter already runs where Prometheus scrapes. */
#ifndef LEAMON_METRICS_H
#define LEAMON_METRICS_H

#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

#include "config.h"
#include "proto.h"
#include "store.h"

/* Histogram buckets, upper bounds in seconds (+Inf beyond the last). */
#define METRICS_BUCKETS 10

typedef struct {
    atomic_uint_fast64_t count, sum_us, le[METRICS_BUCKETS]; /* le: in this bucket only */
} metrics_hist;

/* The reply statuses counted (PROTOCOL.md §4), in this order; other: the last. */
#define METRICS_STATUSES 12

/* Record error codes counted one by one (PROTOCOL.md §6); others, and the errors of a
 * submission beyond those listed, under "other". */
#define METRICS_ERROR_CODES 21
/* Why a request was refused for now: the 503s and the 429s. */
typedef enum {
    REFUSED_DATABASE,    /* the database cannot take writes (any 503 not marked otherwise) */
    REFUSED_BUSY,        /* read beyond what one commit takes */
    REFUSED_QUERIES,     /* too many queries wait for the derive thread */
    REFUSED_MINUTE,      /* the organisation's submissions a minute */
    REFUSED_DAY,         /* the organisation's figures a day */
    REFUSED_CORRECTIONS, /* the organisation's corrections a day */
    REFUSED_CAUSES
} refused_cause;

/* Why a connection was refused at its handshake, or closed by leamond. */
typedef enum {
    CONN_UNKNOWN_KEY,    /* refused: a key no partner or staff member has */
    CONN_KEY_CAP,        /* refused: its key holds max_connections_per_key already */
    CONN_NO_REQUEST,     /* closed: no request within first_request_timeout */
    CONN_CAUSES
} conn_cause;

typedef struct {
    atomic_uint_fast64_t requests[PROTO_OP_COUNT + 1][METRICS_STATUSES]; /* + unknown op */
    atomic_uint_fast64_t errors_by_code[METRICS_ERROR_CODES];
    atomic_uint_fast64_t refused[REFUSED_CAUSES];
    atomic_uint_fast64_t records_stored, record_errors, bytes_in, envelopes_dropped;
    metrics_hist latency[PROTO_OP_COUNT + 1];
    metrics_hist commit, batch_requests, refresh;
    atomic_int_fast64_t queued;            /* requests read and not yet answered */
    atomic_int_fast64_t connections;       /* open on the request socket */
    atomic_uint_fast64_t connections_ended[CONN_CAUSES]; /* refused or closed, by cause */
    time_t started;
} metrics;

void metrics_init(metrics *m, time_t started);

/* One answered request: its op (PROTO_OP_COUNT: unreadable), status and seconds since it
 * was read. */
void metrics_request(metrics *m, int op, int status, double seconds);
/* A record error of code (its count; the errors beyond those listed come as NULL). */
void metrics_record_errors(metrics *m, const char *code, uint64_t n);

/* A time in seconds (batch_requests: a count / 1000, its buckets being 1000 times the
 * seconds' ones). */
void metrics_observe(metrics_hist *h, double value);

/* Monotonic microseconds, for the timings. */
int64_t metrics_now_us(void);

/* Write the whole file: path.tmp, then renamed over path (a reader never sees half of it).
 * Gauges are read from db, the database's size from set. 0, or -1 with err. */
int metrics_write(const metrics *m, store *db, const registry *reg, const settings *set,
                  const char *path, lm_error *err);

#endif
