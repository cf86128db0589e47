/* store_impl.h: what store.c and store_read.c share; not for other modules. */
#ifndef LEAMON_STORE_IMPL_H
#define LEAMON_STORE_IMPL_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

enum {
    ST_BEGIN, ST_COMMIT, ST_ROLLBACK, ST_SAVEPOINT, ST_RELEASE, ST_ROLLBACK_TO,
    ST_FIND_SUB, ST_ADD_SUB, ST_PUT_OBS, ST_MARK_DIRTY, ST_COVERAGE,
    ST_OBS_RANGE, ST_SNAP_LATEST, ST_SNAP_PUT, ST_FIRST_REPORTS, ST_COVERAGE_READ,
    ST_DIRTY_TAKE, ST_DIRTY_TAKE_METRIC, ST_DIRTY_CLEAR, ST_SYNC_FULL, ST_SYNC_NORMAL,
    ST_OBS_REPORTER,
    ST_COUNT
};


struct store {
    sqlite3 *db;
    sqlite3_stmt *st[ST_COUNT];
    int last_rc;
    char msg[256];
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
/* Prepare a one-off query, binding ?1 to reporter when there is one. */
int store_prepare_for(store *s, const char *sql, const char *reporter, sqlite3_stmt **st);

#endif
