/* store_impl.h: what store.c and its parts (store_read.c, store_own.c, ...) share; not for
 * other modules. */
#ifndef LEAMON_STORE_IMPL_H
#define LEAMON_STORE_IMPL_H

#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

enum {
    ST_BEGIN, ST_BEGIN_READ, ST_COMMIT, ST_ROLLBACK, ST_SAVEPOINT, ST_RELEASE, ST_ROLLBACK_TO,
    ST_FIND_SUB, ST_ADD_SUB, ST_PUT_OBS, ST_MARK_DIRTY, ST_COVERAGE,
    ST_OBS_RANGE, ST_SNAP_LATEST, ST_SNAP_PUT, ST_FIRST_REPORTS, ST_FIRST_REPORTS_OF, ST_COVERAGE_BUMP, ST_COVERAGE_READ,
    ST_DIRTY_TAKE, ST_DIRTY_TAKE_METRIC, ST_DIRTY_CLEAR, ST_SYNC_FULL, ST_SYNC_NORMAL,
    ST_OBS_REPORTER, ST_COUNT_OBS, ST_COUNT_OBS_OF, ST_COUNT_SUBS, ST_COUNT_SUBS_OF,
    ST_LAST_SUB, ST_LAST_SUB_OF, ST_DIRTY_ALL, ST_META_GET, ST_META_SET,
    ST_ALERTS_OF, ST_ALERT_INSERT, ST_ALERT_UPDATE, ST_ALERT_CHANGE, ST_ALERT_GET,
    ST_ALERT_LIST, ST_ALERT_HISTORY, ST_ALERT_ACK, ST_SILENCE_ADD, ST_SILENCE_GET,
    ST_SILENCE_EXPIRE, ST_SILENCES_OPEN, ST_SILENCES_EXACT, ST_SILENCES_LIST, ST_CLOSED_COUNT, ST_CLOSURE_ADD,
    ST_OBS_GET, ST_OBS_DELETE, ST_RETRACTION_ADD, ST_RETRACTION_FIND, ST_COVERAGE_DROP,
    ST_REPORTERS_GET, ST_REPORTERS_PUT, ST_REPORTERS_CLEAR,
    ST_METRICS_ALERTS, ST_METRICS_LAST_SUB, ST_OWN_FIGURES, ST_OWN_CHANGES,
    ST_COUNT
};

/* The columns of an alert, in the order store_alert.c reads them. */
#define ALERT_COLUMNS                                                                    \
    "id, rule, area, subject, period, last_period, state, severity, value, threshold,"   \
    " reference, expected, reported, message, first_fired, changed_at, acked_by,"        \
    " acked_at, ack_note"

/* The columns of a silence, in the order store_alert.c reads them. */
#define SILENCE_COLUMNS                                                                  \
    "id, rule, indicator, area, organisation, severity, created_by, note, starts, ends,"  \
    " expired_by, created"


/* What the connections to one database share (store_open_shared): the lock that orders
 * their write transactions, so that one waits for the other at once instead of in
 * SQLite's busy handler's sleeps; and the WAL's length after the last commit. */
typedef struct {
    pthread_mutex_t write;
    atomic_long wal_frames;  /* frames in the WAL, as of the last commit or checkpoint */
    atomic_int users;        /* connections sharing it; the last one frees it */
} store_shared;

struct store {
    sqlite3 *db;
    sqlite3_stmt *st[ST_COUNT];
    int last_rc;
    char msg[256];
    store_shared *sh;
    bool writing;            /* this connection holds sh->write */
    bool coverage_changed;   /* the open transaction changed the coverage table */
    int64_t superseded;      /* figures replaced by another value (an audit row each), so far */
};


/* Keep rc and SQLite's message for store_errmsg; returns -1. */
int store_remember(store *s, int rc);
/* Step a prepared statement that returns no rows, then reset it: 0 or -1. */
int store_run(store *s, int which);
int store_exec(store *s, const char *sql);
int store_bind_text(store *s, sqlite3_stmt *st, int i, const char *v);
int store_bind_int(store *s, sqlite3_stmt *st, int i, int64_t v);
/* Copy a text column into dst (at most size-1 bytes; "" for NULL). */
void store_copy_text(char *dst, size_t size, sqlite3_stmt *st, int col);
/* Bind v, or NULL when !has. */
int store_bind_opt(store *s, sqlite3_stmt *st, int i, bool has, double v);
/* Reset a statement of the table and clear its bindings, for its next use. */
void store_reset(sqlite3_stmt *st);
/* A bind failed (store_remember has the reason): reset st and return -1. */
int store_fail(sqlite3_stmt *st);

#endif
