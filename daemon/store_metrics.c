/* store_metrics.c: what the metrics file reads from the database (store.h). */
#include "store_impl.h"

/* Each row of st as (text, text, integer) or (text, integer) through fn. 0 or -1. */
static int each_row(store *s, sqlite3_stmt *st, bool two_texts, store_row_fn fn, void *ctx)
{
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *a = (const char *)sqlite3_column_text(st, 0);
        const char *b = two_texts ? (const char *)sqlite3_column_text(st, 1) : "";
        fn(ctx, a ? a : "", b ? b : "", sqlite3_column_int64(st, two_texts ? 2 : 1));
    }
    store_reset(st);
    return rc == SQLITE_DONE ? 0 : store_remember(s, rc);
}

int store_open_alert_counts(store *s, store_row_fn fn, void *ctx)
{
    return each_row(s, s->st[ST_METRICS_ALERTS], true, fn, ctx);
}

int store_last_submissions(store *s, store_row_fn fn, void *ctx)
{
    return each_row(s, s->st[ST_METRICS_LAST_SUB], false, fn, ctx);
}
