/* store_alert.c: alerts and their history (migration 4), and silences (migration 7), with
 * the statements of store.c's table. */
#include "store_alert.h"

#include <stdlib.h>
#include <string.h>

#include "store_impl.h"
#include "grow.h"

static void read_alert(sqlite3_stmt *st, stored_alert *a)
{
    memset(a, 0, sizeof *a);
    a->id = sqlite3_column_int64(st, 0);
    store_copy_text(a->rule, sizeof a->rule, st, 1);
    store_copy_text(a->area, sizeof a->area, st, 2);
    store_copy_text(a->subject, sizeof a->subject, st, 3);
    store_copy_text(a->period, sizeof a->period, st, 4);
    store_copy_text(a->last_period, sizeof a->last_period, st, 5);
    store_copy_text(a->state, sizeof a->state, st, 6);
    store_copy_text(a->severity, sizeof a->severity, st, 7);
    a->has_value = sqlite3_column_type(st, 8) != SQLITE_NULL;
    a->value = sqlite3_column_double(st, 8);
    a->threshold = sqlite3_column_double(st, 9);
    a->has_ref = sqlite3_column_type(st, 10) != SQLITE_NULL;
    a->ref = sqlite3_column_double(st, 10);
    a->expected = sqlite3_column_int64(st, 11);
    a->reported = sqlite3_column_int64(st, 12);
    store_copy_text(a->message, sizeof a->message, st, 13);
    a->has_fired = sqlite3_column_type(st, 14) != SQLITE_NULL;
    a->first_fired = sqlite3_column_int64(st, 14);
    a->changed_at = sqlite3_column_int64(st, 15);
    store_copy_text(a->acked_by, sizeof a->acked_by, st, 16);
    a->acked_at = sqlite3_column_int64(st, 17);
    store_copy_text(a->ack_note, sizeof a->ack_note, st, 18);
}

/* Step st to the end, appending rows of size elem through read. Resets st. */
static int collect(store *s, sqlite3_stmt *st, void **rows, size_t elem, size_t *n,
                   size_t max, bool *more, void (*read)(sqlite3_stmt *, void *))
{
    size_t cap = 0;
    int rc;
    *n = 0;
    if (more)
        *more = false;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == max) {
            if (more)
                *more = true;
            rc = SQLITE_DONE;
            break;
        }
        if (grow_array(rows, &cap, *n + 1, 0, elem) != 0) {
            store_reset(st);
            snprintf(s->msg, sizeof s->msg, "out of memory");
            return -1;
        }
        read(st, (char *)*rows + *n * elem);
        (*n)++;
    }
    store_reset(st);
    return rc == SQLITE_DONE ? 0 : store_remember(s, rc);
}

static void read_alert_row(sqlite3_stmt *st, void *row)
{
    read_alert(st, row);
}

int store_alerts_of(store *s, const char *rule, const char *area, const char *subject,
                    stored_alert **rows, size_t *n)
{
    *rows = NULL;
    *n = 0;
    sqlite3_stmt *st = s->st[ST_ALERTS_OF];
    if (store_bind_text(s, st, 1, rule) < 0 || store_bind_text(s, st, 2, area) < 0 ||
        store_bind_text(s, st, 3, subject) < 0)
        return store_fail(st);
    return collect(s, st, (void **)rows, sizeof **rows, n, SIZE_MAX, NULL, read_alert_row);
}

/* Bind the columns that change (2..): state, last_period, value, reference, expected,
 * reported, message, first_fired, changed_at. */
static int bind_state(store *s, sqlite3_stmt *st, const stored_alert *a)
{
    int rc = sqlite3_bind_text(st, 2, a->state, -1, SQLITE_TRANSIENT);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(st, 3, a->last_period, -1, SQLITE_TRANSIENT);
    if (rc != SQLITE_OK)
        return store_remember(s, rc);
    if (store_bind_opt(s, st, 4, a->has_value, a->value) < 0 ||
        store_bind_opt(s, st, 5, a->has_ref, a->ref) < 0 ||
        store_bind_int(s, st, 6, a->expected) < 0 || store_bind_int(s, st, 7, a->reported) < 0 ||
        store_bind_text(s, st, 8, a->message) < 0 || store_bind_int(s, st, 10, a->changed_at) < 0)
        return -1;
    rc = a->has_fired ? sqlite3_bind_int64(st, 9, a->first_fired) : sqlite3_bind_null(st, 9);
    return rc == SQLITE_OK ? 0 : store_remember(s, rc);
}

static int step_done(store *s, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    store_reset(st);
    return rc == SQLITE_DONE ? 0 : store_remember(s, rc);
}

int store_alert_insert(store *s, stored_alert *a)
{
    sqlite3_stmt *st = s->st[ST_ALERT_INSERT];
    if (store_bind_text(s, st, 1, a->rule) < 0 || bind_state(s, st, a) < 0 ||
        store_bind_text(s, st, 11, a->area) < 0 || store_bind_text(s, st, 12, a->subject) < 0 || store_bind_text(s, st, 13, a->period) < 0 ||
        store_bind_text(s, st, 14, a->severity) < 0 ||
        store_bind_opt(s, st, 15, true, a->threshold) < 0)
        return store_fail(st);
    if (step_done(s, st) < 0)
        return -1;
    a->id = sqlite3_last_insert_rowid(s->db);
    return 0;
}

int store_alert_update(store *s, const stored_alert *a)
{
    sqlite3_stmt *st = s->st[ST_ALERT_UPDATE];
    if (store_bind_int(s, st, 1, a->id) < 0 || bind_state(s, st, a) < 0 ||
        store_bind_text(s, st, 11, a->period) < 0)
        return store_fail(st);
    return step_done(s, st);
}

int store_alert_change(store *s, const stored_alert *a, const char *from, int64_t at)
{
    sqlite3_stmt *st = s->st[ST_ALERT_CHANGE];
    if (store_bind_int(s, st, 1, a->id) < 0 || store_bind_int(s, st, 2, at) < 0 ||
        store_bind_text(s, st, 3, from) < 0 || store_bind_text(s, st, 4, a->state) < 0 ||
        store_bind_text(s, st, 5, a->last_period) < 0 ||
        store_bind_opt(s, st, 6, a->has_value, a->value) < 0)
        return store_fail(st);
    return step_done(s, st);
}

int store_alert_get(store *s, int64_t id, stored_alert *out)
{
    sqlite3_stmt *st = s->st[ST_ALERT_GET];
    if (store_bind_int(s, st, 1, id) < 0)
        return store_fail(st);
    int rc = sqlite3_step(st), found = 0;
    if (rc == SQLITE_ROW) {
        read_alert(st, out);
        found = 1;
    } else if (rc != SQLITE_DONE) {
        found = store_remember(s, rc);
    }
    store_reset(st);
    return found;
}

int store_alert_list(store *s, const char *const *states, int64_t since, const char *rule,
                     const char *area, size_t max, stored_alert **rows, size_t *n, bool *more)
{
    *rows = NULL;
    *n = 0;
    /* ?4..?6: up to three states; NULL binds match nothing, so "any" is a separate test. */
    sqlite3_stmt *st = s->st[ST_ALERT_LIST];
    bool ok = store_bind_int(s, st, 1, since) == 0 && store_bind_text(s, st, 2, rule) == 0 &&
              store_bind_text(s, st, 3, area) == 0 && store_bind_int(s, st, 7, !states) == 0;
    /* states ends at its NULL, at most three names. */
    bool ended = !states;
    for (int i = 0; ok && i < 3; i++) {
        ended = ended || !states[i];
        ok = store_bind_text(s, st, 4 + i, ended ? "" : states[i]) == 0;
    }
    if (!ok)
        return store_fail(st);
    return collect(s, st, (void **)rows, sizeof **rows, n, max, more, read_alert_row);
}

static void read_change(sqlite3_stmt *st, void *row)
{
    stored_alert_change *c = row;
    memset(c, 0, sizeof *c);
    c->at = sqlite3_column_int64(st, 0);
    store_copy_text(c->from, sizeof c->from, st, 1);
    store_copy_text(c->to, sizeof c->to, st, 2);
    store_copy_text(c->period, sizeof c->period, st, 3);
    c->has_value = sqlite3_column_type(st, 4) != SQLITE_NULL;
    c->value = sqlite3_column_double(st, 4);
}

int store_alert_history(store *s, int64_t id, stored_alert_change **rows, size_t *n)
{
    *rows = NULL;
    *n = 0;
    sqlite3_stmt *st = s->st[ST_ALERT_HISTORY];
    if (store_bind_int(s, st, 1, id) < 0)
        return store_fail(st);
    return collect(s, st, (void **)rows, sizeof **rows, n, SIZE_MAX, NULL, read_change);
}

int store_alert_ack(store *s, int64_t id, const char *by, int64_t at, const char *note)
{
    sqlite3_stmt *st = s->st[ST_ALERT_ACK];
    if (store_bind_text(s, st, 1, by) < 0 || store_bind_int(s, st, 2, at) < 0 ||
        store_bind_text(s, st, 3, note) < 0 || store_bind_int(s, st, 4, id) < 0)
        return store_fail(st);
    return step_done(s, st);
}

int store_silence_add(store *s, stored_silence *si)
{
    sqlite3_stmt *st = s->st[ST_SILENCE_ADD];
    if (store_bind_text(s, st, 1, si->rule) < 0 || store_bind_text(s, st, 2, si->indicator) < 0 ||
        store_bind_text(s, st, 3, si->area) < 0 ||
        store_bind_text(s, st, 4, si->organisation) < 0 ||
        store_bind_text(s, st, 5, si->severity) < 0 ||
        store_bind_text(s, st, 6, si->created_by) < 0 || store_bind_text(s, st, 7, si->note) < 0 ||
        store_bind_int(s, st, 8, si->starts) < 0 || store_bind_int(s, st, 9, si->ends) < 0 ||
        store_bind_int(s, st, 10, si->created) < 0)
        return store_fail(st);
    if (step_done(s, st) < 0)
        return -1;
    si->id = sqlite3_last_insert_rowid(s->db);
    si->expired_by[0] = '\0';
    return 0;
}

static void read_silence(sqlite3_stmt *st, void *row)
{
    stored_silence *si = row;
    memset(si, 0, sizeof *si);
    si->id = sqlite3_column_int64(st, 0);
    store_copy_text(si->rule, sizeof si->rule, st, 1);
    store_copy_text(si->indicator, sizeof si->indicator, st, 2);
    store_copy_text(si->area, sizeof si->area, st, 3);
    store_copy_text(si->organisation, sizeof si->organisation, st, 4);
    store_copy_text(si->severity, sizeof si->severity, st, 5);
    store_copy_text(si->created_by, sizeof si->created_by, st, 6);
    store_copy_text(si->note, sizeof si->note, st, 7);
    si->starts = sqlite3_column_int64(st, 8);
    si->ends = sqlite3_column_int64(st, 9);
    store_copy_text(si->expired_by, sizeof si->expired_by, st, 10);
    si->created = sqlite3_column_int64(st, 11);
}

int store_silence_get(store *s, int64_t id, stored_silence *out)
{
    sqlite3_stmt *st = s->st[ST_SILENCE_GET];
    if (store_bind_int(s, st, 1, id) < 0)
        return store_fail(st);
    int rc = sqlite3_step(st), found = 0;
    if (rc == SQLITE_ROW) {
        read_silence(st, out);
        found = 1;
    } else if (rc != SQLITE_DONE) {
        found = store_remember(s, rc);
    }
    store_reset(st);
    return found;
}

int store_silence_expire(store *s, int64_t id, int64_t now, const char *by)
{
    sqlite3_stmt *st = s->st[ST_SILENCE_EXPIRE];
    if (store_bind_int(s, st, 1, id) < 0 || store_bind_int(s, st, 2, now) < 0 ||
        store_bind_text(s, st, 3, by) < 0)
        return store_fail(st);
    if (step_done(s, st) < 0)
        return -1;
    return sqlite3_changes(s->db) > 0 ? 1 : 0;
}

int store_silences_open(store *s, int64_t now, stored_silence **rows, size_t *n)
{
    *rows = NULL;
    *n = 0;
    sqlite3_stmt *st = s->st[ST_SILENCES_OPEN];
    if (store_bind_int(s, st, 1, now) < 0)
        return store_fail(st);
    return collect(s, st, (void **)rows, sizeof **rows, n, SIZE_MAX, NULL, read_silence);
}

int store_silences_exact(store *s, const stored_silence *si, int64_t now,
                         stored_silence **rows, size_t *n)
{
    *rows = NULL;
    *n = 0;
    sqlite3_stmt *st = s->st[ST_SILENCES_EXACT];
    if (store_bind_int(s, st, 1, now) < 0 || store_bind_text(s, st, 2, si->rule) < 0 ||
        store_bind_text(s, st, 3, si->indicator) < 0 || store_bind_text(s, st, 4, si->area) < 0 ||
        store_bind_text(s, st, 5, si->organisation) < 0 ||
        store_bind_text(s, st, 6, si->severity) < 0)
        return store_fail(st);
    return collect(s, st, (void **)rows, sizeof **rows, n, SIZE_MAX, NULL, read_silence);
}

int store_silences_list(store *s, int64_t now, int64_t since, size_t max,
                        stored_silence **rows, size_t *n, bool *more)
{
    *rows = NULL;
    *n = 0;
    sqlite3_stmt *st = s->st[ST_SILENCES_LIST];
    if (store_bind_int(s, st, 1, now) < 0 || store_bind_int(s, st, 2, since) < 0)
        return store_fail(st);
    return collect(s, st, (void **)rows, sizeof **rows, n, max, more, read_silence);
}
