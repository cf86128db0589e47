/* store_closure.c: months an admin closed (the figures are agreed) and reopened, kept as a
 * log so that "was it closed then" can be answered for any time. */
#include "store.h"
#include "store_impl.h"

int store_closed_months(store *s, const char *first, const char *last, int64_t at,
                        int64_t *closed)
{
    sqlite3_stmt *st = s->st[ST_CLOSED_COUNT];
    if (store_bind_text(s, st, 1, first) < 0 || store_bind_text(s, st, 2, last) < 0 ||
        store_bind_int(s, st, 3, at) < 0)
        return store_fail(st);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *closed = sqlite3_column_int64(st, 0);
    else
        store_remember(s, rc);
    store_reset(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

int store_close_month(store *s, const char *month, bool closed, const char *by, int64_t at,
                      const char *note)
{
    sqlite3_stmt *st = s->st[ST_CLOSURE_ADD];
    if (store_bind_text(s, st, 1, month) < 0 || store_bind_int(s, st, 2, closed) < 0 ||
        store_bind_text(s, st, 3, by) < 0 || store_bind_int(s, st, 4, at) < 0 ||
        store_bind_text(s, st, 5, note) < 0)
        return store_fail(st);
    return store_run(s, ST_CLOSURE_ADD);
}
