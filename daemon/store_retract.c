/* store_retract.c: figures taken back by their reporter (or an admin on its behalf), with
 * an audit row, as if they had never been sent. */
#include "store.h"
#include "store_impl.h"

/* Bind reporter, metric, period, area as ?1..?4. */
static int bind_key(store *s, sqlite3_stmt *st, const store_figure *f)
{
    return store_bind_text(s, st, 1, f->reporter) == 0 && store_bind_text(s, st, 2, f->metric) == 0 &&
                   store_bind_text(s, st, 3, f->period) == 0 &&
                   store_bind_text(s, st, 4, f->area) == 0
               ? 0
               : -1;
}

int store_retract(store *s, store_figure *f, const char *by, const char *request_id, int64_t at)
{
    sqlite3_stmt *st = s->st[ST_OBS_GET];
    if (bind_key(s, st, f) < 0)
        return store_fail(st);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        store_reset(st);
        return rc == SQLITE_DONE ? 0 : store_remember(s, rc);
    }
    f->value = sqlite3_column_double(st, 0);
    int64_t submission = sqlite3_column_int64(st, 1);
    store_reset(st);
    sqlite3_stmt *add = s->st[ST_RETRACTION_ADD], *del = s->st[ST_OBS_DELETE],
                 *dirty = s->st[ST_MARK_DIRTY], *cov = s->st[ST_COVERAGE_DROP];
    if (bind_key(s, add, f) < 0 || store_bind_opt(s, add, 5, true, f->value) < 0 ||
        store_bind_int(s, add, 6, submission) < 0 || store_bind_text(s, add, 7, by) < 0 ||
        store_bind_text(s, add, 8, request_id) < 0 || store_bind_int(s, add, 9, at) < 0)
        return store_fail(add);
    if (store_run(s, ST_RETRACTION_ADD) < 0)
        return -1;
    if (bind_key(s, del, f) < 0)
        return store_fail(del);
    if (store_run(s, ST_OBS_DELETE) < 0)
        return -1;
    if (store_bind_text(s, dirty, 1, f->metric) < 0 || store_bind_text(s, dirty, 2, f->period) < 0 ||
        store_bind_text(s, dirty, 3, f->area) < 0)
        return store_fail(dirty);
    if (store_run(s, ST_MARK_DIRTY) < 0)
        return -1;
    if (store_bind_text(s, cov, 1, f->metric) < 0 || store_bind_text(s, cov, 2, f->area) < 0 ||
        store_bind_text(s, cov, 3, f->reporter) < 0)
        return store_fail(cov);
    if (store_run(s, ST_COVERAGE_DROP) < 0)
        return -1;
    s->coverage_changed |= sqlite3_changes(s->db) > 0;
    return 1;
}

int store_find_retraction(store *s, const char *by, const char *request_id, store_figure *out)
{
    sqlite3_stmt *st = s->st[ST_RETRACTION_FIND];
    if (store_bind_text(s, st, 1, by) < 0 || store_bind_text(s, st, 2, request_id) < 0)
        return store_fail(st);
    int rc = sqlite3_step(st), found = 0;
    if (rc == SQLITE_ROW) {
        store_copy_text(out->reporter, sizeof out->reporter, st, 0);
        store_copy_text(out->metric, sizeof out->metric, st, 1);
        store_copy_text(out->period, sizeof out->period, st, 2);
        store_copy_text(out->area, sizeof out->area, st, 3);
        out->value = sqlite3_column_double(st, 4);
        found = 1;
    } else if (rc != SQLITE_DONE) {
        found = store_remember(s, rc);
    }
    store_reset(st);
    return found;
}
