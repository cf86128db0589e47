/* store.h: durable storage of submissions and observations in SQLite.
 *
 * WAL mode with synchronous=FULL: once store_commit returns 0 the data is on
 * disk. The schema is created and upgraded by numbered migrations
 * (PRAGMA user_version). */
#ifndef LEAMON_STORE_H
#define LEAMON_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

typedef struct store store;

/* The schema version this build writes. */
#define STORE_SCHEMA_VERSION 8

int store_open(store **out, const char *path, lm_error *err);
/* A second connection to primary's database, for another thread: their write
 * transactions take turns on one lock, and they share the page cache one had (24 MiB for
 * the new one, 8 MiB for primary). */
int store_open_shared(store **out, const char *path, store *primary, lm_error *err);
void store_close(store **s);

/* Checkpoints are the caller's (store_checkpoint) instead of SQLite's, which runs one
 * inside the COMMIT that passes 1,000 pages: a request would wait for it. Set on every
 * connection of the database. */
void store_manual_checkpoints(store *s);
/* Frames in the WAL not yet copied into the database, as of the last commit or
 * checkpoint of any connection sharing s's database. */
long store_wal_frames(const store *s);
/* Copy the WAL into the database: passive (alongside writers, as far as readers allow),
 * or truncating (waits for the writers, then empties the WAL file). 0, 1 when it could
 * not finish now (busy), or -1. */
int store_checkpoint(store *s, bool truncate);

/* A read transaction: every read until store_read_end sees one state of the database,
 * and writers go on meanwhile (WAL). */
int store_read_begin(store *s);
void store_read_end(store *s);

/* The last SQLite error message, for logs and replies. */
const char *store_errmsg(const store *s);
/* True if the last failure means "no space" or "read-only": retrying later may work. */
bool store_error_transient(const store *s);

int store_begin(store *s);
int store_commit(store *s);
/* Rolls back; the next transaction is durable (synchronous FULL) again. */
int store_rollback(store *s);
/* A transaction of what can be computed again from the figures (snapshots and the dirty
 * marks they clear): its COMMIT does not wait for the disk (synchronous NORMAL). Power
 * lost before the next durable COMMIT may undo it, and leaves the marks to recompute it;
 * WAL keeps the order, so a durable COMMIT after it keeps it too. Ends with
 * store_commit_derived or store_rollback. */
int store_begin_derived(store *s);
int store_commit_derived(store *s);
/* One savepoint per submission inside a group transaction. */
int store_savepoint(store *s);
int store_release(store *s);
int store_rollback_savepoint(store *s);
/* False once SQLite has rolled the whole transaction back (e.g. on a full disk). */
bool store_in_transaction(const store *s);

typedef struct {
    int64_t rowid;
    int64_t received;   /* unix seconds */
    int64_t records;
    uint64_t digest;    /* content hash, to tell a retry from a reused id */
} stored_submission;

/* Look up (reporter, request_id). Returns 1 found, 0 not found, -1 error. */
int store_find_submission(store *s, const char *reporter, const char *request_id,
                          stored_submission *out);
int store_add_submission(store *s, const char *reporter, const char *request_id,
                         int64_t received, int64_t records, uint64_t digest, int64_t *rowid);

/* Store one value; an existing different value for the same (reporter, metric, period,
 * area) is superseded and the old one kept in observation_audit. Returns 0 or -1. */
/* Figures this connection has replaced by another value (each with an audit row). */
int64_t store_superseded(const store *s);
int store_put_observation(store *s, const char *reporter, const char *metric,
                          const char *period, const char *area, double value,
                          int64_t submission, int64_t now);

/* Counts of observations and submissions, of one reporter or (reporter NULL) all. */
int store_counts(store *s, const char *reporter, int64_t *observations, int64_t *submissions);
/* The newest submission of a reporter (or of anyone). Returns 1, 0 (none) or -1. */
int store_last_submission(store *s, const char *reporter, char *request_id, size_t id_size,
                          stored_submission *out);

/* ---- reads for snapshots and completeness (store_read.c) ---- */

/* One stored figure, as the roll-up needs it. */
typedef struct {
    char reporter[65];
    char area[33];
    char period[17];
    double value;
    int64_t reported_at;
} store_obs;

/* Figures of metric for months first..last (canonical text) in the areas of areas_json (a
 * JSON array of area codes). *rows is grown with realloc; *n counts them. 0 or -1. */
int store_observations(store *s, const char *metric, const char *first, const char *last,
                       const char *areas_json, store_obs **rows, size_t *n, size_t *cap);

/* Per reporter and month, the first time metric was reported (reported_at holds it). */
int store_first_reports(store *s, const char *metric, const char *first, const char *last,
                        store_obs **rows, size_t *n, size_t *cap);
/* The same for one reporter, whatever the area: a read of its own figures only. */
int store_first_reports_of(store *s, const char *reporter, const char *metric,
                           const char *first, const char *last, store_obs **rows, size_t *n,
                           size_t *cap);

/* The same for one reporter and one area. */
int store_observations_of(store *s, const char *reporter, const char *metric, const char *area,
                          const char *first, const char *last, store_obs **rows, size_t *n,
                          size_t *cap);

/* Who ever reported metric for which of the areas of areas_json: a row per reporter and
 * area (only the reporter and area fields are set). */
/* A number that moves on at every commit, on any connection to the database, that changed
 * who reported what for which area, stored in that commit's own transaction: read in the
 * same transaction as the rows, it is new exactly when they are. A copy of the coverage
 * kept in memory is stale once it has moved. 0 or -1. */
int store_coverage_gen(store *s, unsigned long *out);
int store_coverage(store *s, const char *metric, const char *areas_json, store_obs **rows,
                   size_t *n, size_t *cap);

typedef struct {
    int64_t version;     /* 0: none stored */
    bool has_value, has_num, has_den;
    double value, numerator, denominator;
    char reason[160];
    int64_t expected, reported;
    int64_t carried;     /* reporters whose last figure was carried into the period */
    int64_t computed_at;
} stored_snapshot;

/* The newest version computed at or before as_of (INT64_MAX: the newest). 1, 0 or -1. */
int store_snapshot_get(store *s, const char *indicator, const char *period, const char *area,
                       int64_t as_of, stored_snapshot *out);
/* Store snap as the next version. 0 or -1. */
int store_snapshot_put(store *s, const char *indicator, const char *period, const char *area,
                       const stored_snapshot *snap);

/* The organisations counted as reporters of a snapshot, a bit per organisation of the
 * registry (n bytes), kept beside the newest version so that the area above counts each
 * once. 1, 0 (none, or for another number of organisations), or -1. */
int store_reporters_get(store *s, const char *indicator, const char *period, const char *area,
                        unsigned char *bits, size_t n);
int store_reporters_put(store *s, const char *indicator, const char *period, const char *area,
                        const unsigned char *bits, size_t n);
/* Forget them all: the partners file changed, and with it what the bits mean. */
int store_reporters_clear(store *s);

/* The dirty marks: take up to max of them into rows (metric, period, area), 0..n or -1;
 * store_dirty_clear removes those taken, unless a figure marked them again meanwhile (its
 * gen went up): their snapshots are then computed again. */
typedef struct {
    char metric[65];
    char period[17];
    char area[33];
    int64_t gen;         /* how often it was marked since it was last cleared */
} store_dirty_mark;
int store_dirty_take(store *s, store_dirty_mark *rows, size_t max);
/* The same without taking them: the marks of metric in months first..last (canonical
 * text), in order, from the offset-th on. */
int store_dirty_take_metric(store *s, const char *metric, const char *first, const char *last,
                            size_t offset, store_dirty_mark *rows, size_t max);
int store_dirty_clear(store *s, const store_dirty_mark *rows, size_t n);
/* Mark every stored figure dirty: everything is recomputed (after a catalogue change). */
int store_dirty_all(store *s);

/* ---- closed periods (store_closure.c) ---- */

/* How many of the months first..last (canonical text) were closed at time at. 0 or -1. */
int store_closed_months(store *s, const char *first, const char *last, int64_t at,
                        int64_t *closed);
/* Close (or reopen) one month, by whom, when, why. 0 or -1. */
int store_close_month(store *s, const char *month, bool closed, const char *by, int64_t at,
                      const char *note);

/* ---- retracted figures (store_retract.c) ---- */

/* One figure, as a retraction names it. */
typedef struct {
    char reporter[65];
    char metric[65];
    char period[17];
    char area[33];
    double value;
} store_figure;

/* Take back f's figure (f->value is set to the value stored), inside a transaction: the
 * figure goes, an audit row says who (by), when and under which request id, its snapshots
 * are marked for recomputing, and the reporter stops counting as one who reports the
 * metric for the area when this was its last figure there. 1 done, 0 no such figure,
 * -1 error. */
int store_retract(store *s, store_figure *f, const char *by, const char *request_id,
                  int64_t at);
/* The retraction request_id of by already made: 1 (in out), 0 none, -1 error. */
int store_find_retraction(store *s, const char *by, const char *request_id, store_figure *out);

/* ---- an organisation's own figures (store_own.c) ---- */

/* One figure of an organisation: stored now, or retracted (stored false). */
typedef struct {
    char metric[65];
    char area[33];
    char period[17];
    bool stored;
    double value;
    int64_t reported_at, updated_at;
    char submission[65];     /* the request id of the submission of its value */
} store_own_figure;

/* A change of one: a correction (retracted false) or a retraction. */
typedef struct {
    int64_t at;
    bool retracted;
    double old_value, new_value;
    char by[65];
    char request[65];
} store_own_change;

/* reporter's figures of months first..last (canonical text), of one metric and one area
 * when not "", stored or retracted, in (metric, area, period) order: up to max into rows
 * (room for max), their count in *n. 0 or -1. */
int store_own_figures(store *s, const char *reporter, const char *first, const char *last,
                      const char *metric, const char *area, size_t max, store_own_figure *rows,
                      size_t *n);
/* The newest max changes of f (reporter's), oldest first, into rows; their count in *n.
 * 0 or -1. */
int store_own_changes(store *s, const char *reporter, const store_own_figure *f, size_t max,
                      store_own_change *rows, size_t *n);

/* A consistent copy of the whole database into path (created or replaced), with SQLite's
 * backup API, while the database stays in use. 0 or -1 (store_errmsg). */
int store_backup(store *s, const char *path);

/* Small key/value settings of the database itself. 1 found, 0 not, -1 error. */
/* For the metrics file: the open alerts counted by (state, severity, n), and each
 * reporter's last submission (reporter, "", unix seconds). 0 or -1. */
typedef void (*store_row_fn)(void *ctx, const char *a, const char *b, int64_t n);
int store_open_alert_counts(store *s, store_row_fn fn, void *ctx);
int store_last_submissions(store *s, store_row_fn fn, void *ctx);

int store_meta_get(store *s, const char *key, char *value, size_t size);
int store_meta_set(store *s, const char *key, const char *value);

#endif
