/* store_own.c: one organisation's figures as the daemon holds them, those it retracted
 * included, and what changed each: corrections and retractions. */
#include <string.h>

#include "store.h"
#include "store_impl.h"

int store_own_figures(store *s, const char *reporter, const char *first, const char *last,
                      const char *metric, const char *area, size_t max, store_own_figure *rows,
                      size_t *n)
{
    sqlite3_stmt *st = s->st[ST_OWN_FIGURES];
    *n = 0;
    if (store_bind_text(s, st, 1, reporter) < 0 || store_bind_text(s, st, 2, first) < 0 ||
        store_bind_text(s, st, 3, last) < 0 || store_bind_text(s, st, 4, metric) < 0 ||
        store_bind_text(s, st, 5, area) < 0 || store_bind_int(s, st, 6, (int64_t)max) < 0)
        return store_fail(st);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < max) {
        store_own_figure *f = &rows[(*n)++];
        memset(f, 0, sizeof *f);
        store_copy_text(f->metric, sizeof f->metric, st, 0);
        store_copy_text(f->area, sizeof f->area, st, 1);
        store_copy_text(f->period, sizeof f->period, st, 2);
        /* No stored row: the figure was retracted and not sent again. */
        f->stored = sqlite3_column_type(st, 3) != SQLITE_NULL;
        f->value = sqlite3_column_double(st, 3);
        f->reported_at = sqlite3_column_int64(st, 4);
        f->updated_at = sqlite3_column_int64(st, 5);
        store_copy_text(f->submission, sizeof f->submission, st, 6);
    }
    store_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : store_remember(s, rc);
}

int store_own_changes(store *s, const char *reporter, const store_own_figure *f, size_t max,
                      store_own_change *rows, size_t *n)
{
    sqlite3_stmt *st = s->st[ST_OWN_CHANGES];
    *n = 0;
    if (store_bind_text(s, st, 1, reporter) < 0 || store_bind_text(s, st, 2, f->metric) < 0 ||
        store_bind_text(s, st, 3, f->area) < 0 || store_bind_text(s, st, 4, f->period) < 0 ||
        store_bind_int(s, st, 5, (int64_t)max) < 0)
        return store_fail(st);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < max) {
        store_own_change *c = &rows[(*n)++];
        memset(c, 0, sizeof *c);
        c->at = sqlite3_column_int64(st, 0);
        c->retracted = sqlite3_column_int(st, 1) != 0;
        c->old_value = sqlite3_column_double(st, 2);
        c->new_value = sqlite3_column_double(st, 3);
        store_copy_text(c->by, sizeof c->by, st, 4);
        store_copy_text(c->request, sizeof c->request, st, 5);
    }
    store_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return store_remember(s, rc);
    /* Newest first from the database; oldest first for the reader. */
    for (size_t i = 0; i < *n / 2; i++) {
        store_own_change t = rows[i];
        rows[i] = rows[*n - 1 - i];
        rows[*n - 1 - i] = t;
    }
    return 0;
}
