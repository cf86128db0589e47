/* store_read.c: the reads snapshots and completeness need, and the snapshot versions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "store_impl.h"
#include "grow.h"

/* Copies at most size-1 bytes; runs for every figure a snapshot reads, hence no printf. */
void store_copy_text(char *dst, size_t size, sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    size_t n = t ? (size_t)sqlite3_column_bytes(st, col) : 0;
    if (n >= size)
        n = size - 1;
    if (n)
        memcpy(dst, t, n);
    dst[n] = '\0';
}

static int grow(store *s, store_obs **rows, size_t *n, size_t *cap)
{
    if (GROW(*rows, *cap, *n + 1) == 0)
        return 0;
    snprintf(s->msg, sizeof s->msg, "out of memory");
    return -1;
}

/* Step st to the end, appending each row through read(). Resets st. */
static int collect(store *s, sqlite3_stmt *st, store_obs **rows, size_t *n, size_t *cap,
                   void (*read)(sqlite3_stmt *, store_obs *))
{
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (grow(s, rows, n, cap) < 0) {
            sqlite3_reset(st);
            return -1;
        }
        read(st, &(*rows)[(*n)++]);
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? 0 : store_remember(s, rc);
}

static void read_obs(sqlite3_stmt *st, store_obs *o)
{
    store_copy_text(o->reporter, sizeof o->reporter, st, 0);
    store_copy_text(o->area, sizeof o->area, st, 1);
    store_copy_text(o->period, sizeof o->period, st, 2);
    o->value = sqlite3_column_double(st, 3);
    o->reported_at = sqlite3_column_int64(st, 4);
}

int store_observations(store *s, const char *metric, const char *first, const char *last,
                       const char *areas_json, store_obs **rows, size_t *n, size_t *cap)
{
    sqlite3_stmt *st = s->st[ST_OBS_RANGE];
    if (store_bind_text(s, st, 1, metric) < 0 || store_bind_text(s, st, 2, first) < 0 ||
        store_bind_text(s, st, 3, last) < 0 || store_bind_text(s, st, 4, areas_json) < 0)
        return -1;
    return collect(s, st, rows, n, cap, read_obs);
}

int store_observations_of(store *s, const char *reporter, const char *metric, const char *area,
                          const char *first, const char *last, store_obs **rows, size_t *n,
                          size_t *cap)
{
    sqlite3_stmt *st = s->st[ST_OBS_REPORTER];
    if (store_bind_text(s, st, 1, reporter) < 0 || store_bind_text(s, st, 2, metric) < 0 ||
        store_bind_text(s, st, 3, area) < 0 || store_bind_text(s, st, 4, first) < 0 ||
        store_bind_text(s, st, 5, last) < 0)
        return -1;
    return collect(s, st, rows, n, cap, read_obs);
}

static void read_first(sqlite3_stmt *st, store_obs *o)
{
    memset(o, 0, sizeof *o);
    store_copy_text(o->reporter, sizeof o->reporter, st, 0);
    store_copy_text(o->period, sizeof o->period, st, 1);
    o->reported_at = sqlite3_column_int64(st, 2);
}

int store_first_reports(store *s, const char *metric, const char *first, const char *last,
                        store_obs **rows, size_t *n, size_t *cap)
{
    sqlite3_stmt *st = s->st[ST_FIRST_REPORTS];
    if (store_bind_text(s, st, 1, metric) < 0 || store_bind_text(s, st, 2, first) < 0 ||
        store_bind_text(s, st, 3, last) < 0)
        return -1;
    return collect(s, st, rows, n, cap, read_first);
}

int store_first_reports_of(store *s, const char *reporter, const char *metric,
                           const char *first, const char *last, store_obs **rows, size_t *n,
                           size_t *cap)
{
    sqlite3_stmt *st = s->st[ST_FIRST_REPORTS_OF];
    if (store_bind_text(s, st, 1, reporter) < 0 || store_bind_text(s, st, 2, metric) < 0 ||
        store_bind_text(s, st, 3, first) < 0 || store_bind_text(s, st, 4, last) < 0)
        return -1;
    return collect(s, st, rows, n, cap, read_first);
}

static void read_coverage(sqlite3_stmt *st, store_obs *o)
{
    memset(o, 0, sizeof *o);
    store_copy_text(o->reporter, sizeof o->reporter, st, 0);
    store_copy_text(o->area, sizeof o->area, st, 1);
}

int store_coverage(store *s, const char *metric, const char *areas_json, store_obs **rows,
                   size_t *n, size_t *cap)
{
    sqlite3_stmt *st = s->st[ST_COVERAGE_READ];
    if (store_bind_text(s, st, 1, metric) < 0 || store_bind_text(s, st, 2, areas_json) < 0)
        return -1;
    return collect(s, st, rows, n, cap, read_coverage);
}

int store_snapshot_get(store *s, const char *indicator, const char *period, const char *area,
                       int64_t as_of, stored_snapshot *out)
{
    sqlite3_stmt *st = s->st[ST_SNAP_LATEST];
    memset(out, 0, sizeof *out);
    if (store_bind_text(s, st, 1, indicator) < 0 || store_bind_text(s, st, 2, period) < 0 ||
        store_bind_text(s, st, 3, area) < 0 || store_bind_int(s, st, 4, as_of) < 0)
        return -1;
    int rc = sqlite3_step(st), found = 0;
    if (rc == SQLITE_ROW) {
        out->version = sqlite3_column_int64(st, 0);
        out->has_value = sqlite3_column_type(st, 1) != SQLITE_NULL;
        out->value = sqlite3_column_double(st, 1);
        out->has_num = sqlite3_column_type(st, 2) != SQLITE_NULL;
        out->numerator = sqlite3_column_double(st, 2);
        out->has_den = sqlite3_column_type(st, 3) != SQLITE_NULL;
        out->denominator = sqlite3_column_double(st, 3);
        store_copy_text(out->reason, sizeof out->reason, st, 4);
        out->expected = sqlite3_column_int64(st, 5);
        out->reported = sqlite3_column_int64(st, 6);
        out->computed_at = sqlite3_column_int64(st, 7);
        out->carried = sqlite3_column_int64(st, 8);
        found = 1;
    } else if (rc != SQLITE_DONE) {
        found = store_remember(s, rc);
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return found;
}

int store_bind_opt(store *s, sqlite3_stmt *st, int i, bool has, double v)
{
    int rc = has ? sqlite3_bind_double(st, i, v) : sqlite3_bind_null(st, i);
    return rc == SQLITE_OK ? 0 : store_remember(s, rc);
}

int store_snapshot_put(store *s, const char *indicator, const char *period, const char *area,
                       const stored_snapshot *snap)
{
    sqlite3_stmt *st = s->st[ST_SNAP_PUT];
    return store_bind_text(s, st, 1, indicator) == 0 && store_bind_text(s, st, 2, period) == 0 &&
                   store_bind_text(s, st, 3, area) == 0 &&
                   store_bind_int(s, st, 4, snap->version) == 0 &&
                   store_bind_opt(s, st, 5, snap->has_value, snap->value) == 0 &&
                   store_bind_opt(s, st, 6, snap->has_num, snap->numerator) == 0 &&
                   store_bind_opt(s, st, 7, snap->has_den, snap->denominator) == 0 &&
                   store_bind_text(s, st, 8, snap->reason) == 0 &&
                   store_bind_int(s, st, 9, snap->expected) == 0 &&
                   store_bind_int(s, st, 10, snap->reported) == 0 &&
                   store_bind_int(s, st, 11, snap->computed_at) == 0 &&
                   store_bind_int(s, st, 12, snap->carried) == 0 &&
                   store_run(s, ST_SNAP_PUT) == 0
               ? 0
               : -1;
}

/* Step st (bound but for the limit at index limit) into rows. */
static int take_marks(store *s, sqlite3_stmt *st, int limit, store_dirty_mark *rows, size_t max)
{
    int rc = sqlite3_bind_int64(st, limit, (int64_t)max);
    int n = 0;
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        store_copy_text(rows[n].metric, sizeof rows[n].metric, st, 0);
        store_copy_text(rows[n].period, sizeof rows[n].period, st, 1);
        store_copy_text(rows[n].area, sizeof rows[n].area, st, 2);
        rows[n].gen = sqlite3_column_int64(st, 3);
        n++;
        rc = SQLITE_OK;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE || rc == SQLITE_OK ? n : store_remember(s, rc);
}

int store_dirty_take(store *s, store_dirty_mark *rows, size_t max)
{
    return take_marks(s, s->st[ST_DIRTY_TAKE], 1, rows, max);
}

int store_dirty_take_metric(store *s, const char *metric, const char *first, const char *last,
                            size_t offset, store_dirty_mark *rows, size_t max)
{
    sqlite3_stmt *st = s->st[ST_DIRTY_TAKE_METRIC];
    if (store_bind_text(s, st, 1, metric) < 0 || store_bind_text(s, st, 2, first) < 0 ||
        store_bind_text(s, st, 3, last) < 0 || store_bind_int(s, st, 5, (int64_t)offset) < 0)
        return -1;
    return take_marks(s, st, 4, rows, max);
}

int store_dirty_clear(store *s, const store_dirty_mark *rows, size_t n)
{
    sqlite3_stmt *st = s->st[ST_DIRTY_CLEAR];
    int rc = SQLITE_DONE;
    for (size_t i = 0; i < n && rc == SQLITE_DONE; i++) {
        if ((rc = sqlite3_bind_text(st, 1, rows[i].metric, -1, SQLITE_STATIC)) != SQLITE_OK ||
            (rc = sqlite3_bind_text(st, 2, rows[i].period, -1, SQLITE_STATIC)) != SQLITE_OK ||
            (rc = sqlite3_bind_text(st, 3, rows[i].area, -1, SQLITE_STATIC)) != SQLITE_OK ||
            (rc = sqlite3_bind_int64(st, 4, rows[i].gen)) != SQLITE_OK)
            break;
        rc = sqlite3_step(st);
        sqlite3_reset(st);
    }
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? 0 : store_remember(s, rc);
}

int store_dirty_all(store *s)
{
    return store_run(s, ST_DIRTY_ALL);
}

int store_meta_get(store *s, const char *key, char *value, size_t size)
{
    sqlite3_stmt *st = s->st[ST_META_GET];
    if (store_bind_text(s, st, 1, key) < 0)
        return store_fail(st);
    int rc = sqlite3_step(st), found = 0;
    if (rc == SQLITE_ROW) {
        store_copy_text(value, size, st, 0);
        found = 1;
    } else if (rc != SQLITE_DONE) {
        found = store_remember(s, rc);
    }
    store_reset(st);
    return found;
}

int store_meta_set(store *s, const char *key, const char *value)
{
    sqlite3_stmt *st = s->st[ST_META_SET];
    if (store_bind_text(s, st, 1, key) < 0 || store_bind_text(s, st, 2, value) < 0)
        return store_fail(st);
    return store_run(s, ST_META_SET);
}

int store_reporters_get(store *s, const char *indicator, const char *period, const char *area,
                        unsigned char *bits, size_t n)
{
    sqlite3_stmt *st = s->st[ST_REPORTERS_GET];
    if (store_bind_text(s, st, 1, indicator) < 0 || store_bind_text(s, st, 2, period) < 0 ||
        store_bind_text(s, st, 3, area) < 0)
        return store_fail(st);
    int rc = sqlite3_step(st), found = 0;
    if (rc == SQLITE_ROW) {
        if ((size_t)sqlite3_column_bytes(st, 0) == n) {
            const void *blob = sqlite3_column_blob(st, 0);
            if (n)
                memcpy(bits, blob, n);
            found = 1;
        }
    } else if (rc != SQLITE_DONE) {
        found = store_remember(s, rc);
    }
    store_reset(st);
    return found;
}

int store_reporters_put(store *s, const char *indicator, const char *period, const char *area,
                        const unsigned char *bits, size_t n)
{
    sqlite3_stmt *st = s->st[ST_REPORTERS_PUT];
    if (store_bind_text(s, st, 1, indicator) < 0 || store_bind_text(s, st, 2, period) < 0 ||
        store_bind_text(s, st, 3, area) < 0)
        return store_fail(st);
    int rc = sqlite3_bind_blob(st, 4, n ? bits : (const void *)"", (int)n, SQLITE_STATIC);
    if (rc != SQLITE_OK) {
        store_remember(s, rc);
        return store_fail(st);
    }
    return store_run(s, ST_REPORTERS_PUT);
}

int store_reporters_clear(store *s)
{
    return store_run(s, ST_REPORTERS_CLEAR);
}
