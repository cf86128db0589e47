/* store.c: SQLite storage with migrations, upsert-with-audit and idempotency lookups, and
 * the table of every SQL statement the store runs, prepared once at open. */
#include "store.h"
#include "store_impl.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How long a statement waits for a lock another process holds (the sqlite3 shell, a
 * backup tool) before it fails with SQLITE_BUSY. */
#define STORE_BUSY_TIMEOUT_MS 5000

static const char *const sql_text[ST_COUNT] = {
    /* A changed figure makes its (metric, month, area) dirty: snapshot.c recomputes what
     * depends on it and clears the mark, unless the mark's gen went up meanwhile. */
    [ST_MARK_DIRTY] = "INSERT INTO dirty(metric, period, area) VALUES (?1, ?2, ?3)"
                      " ON CONFLICT(metric, period, area) DO UPDATE SET gen = gen + 1",
    /* Which reporters have ever reported a metric for an area: whom to expect there. */
    [ST_COVERAGE] = "INSERT OR IGNORE INTO coverage(metric, area, reporter) VALUES (?1, ?2, ?3)",
    [ST_OBS_RANGE] = "SELECT reporter, area, period, value, reported_at FROM observation"
                     " WHERE metric = ?1 AND period BETWEEN ?2 AND ?3"
                     " AND area IN (SELECT value FROM json_each(?4))",
    [ST_SNAP_LATEST] = "SELECT version, value, numerator, denominator, reason, expected,"
                       " reported, computed_at, carried FROM snapshot WHERE indicator = ?1 AND"
                       " period = ?2 AND area = ?3 AND computed_at <= ?4"
                       " ORDER BY version DESC LIMIT 1",
    [ST_SNAP_PUT] = "INSERT INTO snapshot(indicator, period, area, version, value, numerator,"
                    " denominator, reason, expected, reported, computed_at, carried)"
                    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    /* Area by area (those coverage knows for the metric), each a range of the key. */
    [ST_FIRST_REPORTS] = "SELECT reporter, period, min(reported_at) FROM observation"
                         " WHERE metric = ?1 AND area IN (SELECT DISTINCT area FROM coverage"
                         " WHERE metric = ?1) AND period BETWEEN ?2 AND ?3"
                         " GROUP BY reporter, period",
    /* One reporter's, through its index (the planner would take the key by metric, and
     * read everyone's): an organisation that just submitted. */
    [ST_FIRST_REPORTS_OF] = "SELECT reporter, period, min(reported_at) FROM observation"
                            " INDEXED BY observation_by_reporter WHERE reporter = ?1 AND metric = ?2 AND period BETWEEN ?3 AND ?4"
                            " GROUP BY period",
    /* In the transaction that changed the coverage, so that a reader sees the new number
     * exactly when it sees the new rows (store_coverage_gen). */
    [ST_COVERAGE_BUMP] = "INSERT INTO meta(key, value) VALUES ('coverage_gen', '1')"
                         " ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
    [ST_COVERAGE_READ] = "SELECT reporter, area FROM coverage WHERE metric = ?1 AND area IN"
                         " (SELECT value FROM json_each(?2))",
    [ST_OBS_REPORTER] = "SELECT reporter, area, period, value, reported_at FROM observation"
                        " WHERE reporter = ?1 AND metric = ?2 AND area = ?3"
                        " AND period BETWEEN ?4 AND ?5",
    [ST_DIRTY_TAKE] = "SELECT metric, period, area, gen FROM dirty LIMIT ?1",
    [ST_DIRTY_TAKE_METRIC] = "SELECT metric, period, area, gen FROM dirty"
                             " WHERE metric = ?1 AND period BETWEEN ?2 AND ?3"
                             " ORDER BY period, area LIMIT ?4 OFFSET ?5",
    [ST_DIRTY_CLEAR] = "DELETE FROM dirty WHERE metric = ?1 AND period = ?2 AND area = ?3"
                       " AND gen = ?4",
    [ST_SYNC_FULL] = "PRAGMA synchronous = FULL",
    [ST_SYNC_NORMAL] = "PRAGMA synchronous = NORMAL",
    [ST_BEGIN] = "BEGIN IMMEDIATE",
    [ST_BEGIN_READ] = "BEGIN DEFERRED",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
    [ST_SAVEPOINT] = "SAVEPOINT submission",
    [ST_RELEASE] = "RELEASE submission",
    [ST_ROLLBACK_TO] = "ROLLBACK TO submission",
    [ST_FIND_SUB] = "SELECT id, received_at, records, digest FROM submission"
                    " WHERE reporter = ?1 AND request_id = ?2",
    [ST_ADD_SUB] = "INSERT INTO submission(reporter, request_id, received_at, records, digest)"
                   " VALUES (?1, ?2, ?3, ?4, ?5)",
    /* An unchanged value is left alone: it is not a new report. */
    [ST_PUT_OBS] = "INSERT INTO observation(reporter, metric, period, area, value, submission,"
                   " reported_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)"
                   " ON CONFLICT(reporter, metric, period, area) DO UPDATE SET"
                   " value = excluded.value, submission = excluded.submission,"
                   " updated_at = excluded.updated_at WHERE value IS NOT excluded.value",
    /* Counts and the newest submission, of one reporter (?1) or of all. */
    [ST_COUNT_OBS] = "SELECT count(*) FROM observation",
    [ST_COUNT_OBS_OF] = "SELECT count(*) FROM observation WHERE reporter = ?1",
    [ST_COUNT_SUBS] = "SELECT count(*) FROM submission",
    [ST_COUNT_SUBS_OF] = "SELECT count(*) FROM submission WHERE reporter = ?1",
    [ST_LAST_SUB] = "SELECT id, received_at, records, digest, request_id FROM submission"
                    " ORDER BY id DESC LIMIT 1",
    [ST_LAST_SUB_OF] = "SELECT id, received_at, records, digest, request_id FROM submission"
                       " WHERE reporter = ?1 ORDER BY id DESC LIMIT 1",
    [ST_DIRTY_ALL] = "INSERT OR IGNORE INTO dirty(metric, period, area)"
                     " SELECT DISTINCT metric, period, area FROM observation",
    [ST_META_GET] = "SELECT value FROM meta WHERE key = ?1",
    [ST_META_SET] = "INSERT INTO meta(key, value) VALUES (?1, ?2)"
                    " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    /* Alerts (store_alert.c). */
    [ST_ALERTS_OF] = "SELECT " ALERT_COLUMNS " FROM alert WHERE rule = ?1 AND area = ?2"
                     " AND subject = ?3 ORDER BY period",
    [ST_ALERT_INSERT] = "INSERT INTO alert(rule, state, last_period, value, reference,"
                        " expected, reported, message, first_fired, changed_at, area,"
                        " subject, period, severity, threshold)"
                        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
                        " ?14, ?15)",
    [ST_ALERT_UPDATE] = "UPDATE alert SET state = ?2, last_period = ?3, value = ?4,"
                        " reference = ?5, expected = ?6, reported = ?7, message = ?8,"
                        " first_fired = ?9, changed_at = ?10, period = ?11 WHERE id = ?1",
    [ST_ALERT_CHANGE] = "INSERT INTO alert_change(alert, at, from_state, to_state, period,"
                        " value) VALUES (?1, ?2, NULLIF(?3, ''), ?4, ?5, ?6)",
    [ST_ALERT_GET] = "SELECT " ALERT_COLUMNS " FROM alert WHERE id = ?1",
    /* ?4..?6: up to three states; NULL binds match nothing, so "any" is a separate test. */
    [ST_ALERT_LIST] = "SELECT " ALERT_COLUMNS " FROM alert WHERE changed_at >= ?1"
                      " AND (?2 = '' OR rule = ?2) AND (?3 = '' OR area = ?3)"
                      " AND (?7 OR state IN (?4, ?5, ?6))"
                      " ORDER BY changed_at DESC, id DESC",
    [ST_ALERT_HISTORY] = "SELECT at, from_state, to_state, period, value FROM alert_change"
                         " WHERE alert = ?1 ORDER BY id",
    [ST_ALERT_ACK] = "UPDATE alert SET acked_by = ?1, acked_at = ?2, ack_note = ?3"
                     " WHERE id = ?4",
    /* Silences (store_alert.c): never replaced nor deleted; an early end is an update. */
    [ST_SILENCE_ADD] = "INSERT INTO silence(rule, indicator, area, organisation, severity,"
                       " created_by, note, starts, ends, expired_by, created)"
                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, '', ?10)",
    [ST_SILENCE_GET] = "SELECT " SILENCE_COLUMNS " FROM silence WHERE id = ?1",
    [ST_SILENCE_EXPIRE] = "UPDATE silence SET ends = ?2, expired_by = ?3"
                          " WHERE id = ?1 AND ends > ?2",
    [ST_SILENCES_OPEN] = "SELECT " SILENCE_COLUMNS " FROM silence WHERE ends > ?1 ORDER BY id",
    [ST_SILENCES_EXACT] = "SELECT " SILENCE_COLUMNS " FROM silence WHERE ends > ?1"
                          " AND rule = ?2 AND indicator = ?3 AND area = ?4"
                          " AND organisation = ?5 AND severity = ?6 ORDER BY id",
    /* In force (0), to start (1), ended (2); the ended ones by their end. */
    [ST_SILENCES_LIST] = "SELECT " SILENCE_COLUMNS " FROM silence WHERE ends > ?2"
                         " ORDER BY CASE WHEN ends <= ?1 THEN 2 WHEN starts > ?1 THEN 1"
                         " ELSE 0 END, CASE WHEN ends <= ?1 THEN ends END DESC, id DESC",
    /* Closed months (store_closure.c): of months ?1..?2, those whose last change at or
     * before ?3 closed them. */
    [ST_CLOSED_COUNT] = "SELECT count(*) FROM closure c WHERE month BETWEEN ?1 AND ?2"
                        " AND at <= ?3 AND closed = 1 AND id = (SELECT max(id) FROM closure"
                        " WHERE month = c.month AND at <= ?3)",
    [ST_CLOSURE_ADD] = "INSERT INTO closure(month, closed, by, at, note)"
                       " VALUES (?1, ?2, ?3, ?4, ?5)",
    /* Retracted figures (store_retract.c): the figure, its removal, the audit row, and
     * the coverage that only this figure gave. */
    [ST_OBS_GET] = "SELECT value, submission FROM observation"
                   " WHERE reporter = ?1 AND metric = ?2 AND period = ?3 AND area = ?4",
    [ST_OBS_DELETE] = "DELETE FROM observation"
                      " WHERE reporter = ?1 AND metric = ?2 AND period = ?3 AND area = ?4",
    [ST_RETRACTION_ADD] = "INSERT INTO retraction(reporter, metric, period, area, old_value,"
                          " old_submission, by, request_id, at)"
                          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    [ST_RETRACTION_FIND] = "SELECT reporter, metric, period, area, old_value FROM retraction"
                           " WHERE by = ?1 AND request_id = ?2",
    /* Who a snapshot counted (snapshot.c), for the area above it. */
    [ST_REPORTERS_GET] = "SELECT reporters FROM snapshot_reporters"
                         " WHERE indicator = ?1 AND period = ?2 AND area = ?3",
    [ST_REPORTERS_PUT] = "INSERT INTO snapshot_reporters(indicator, period, area, reporters)"
                         " VALUES (?1, ?2, ?3, ?4) ON CONFLICT(indicator, period, area)"
                         " DO UPDATE SET reporters = excluded.reporters",
    [ST_REPORTERS_CLEAR] = "DELETE FROM snapshot_reporters",
    [ST_METRICS_ALERTS] = "SELECT state, severity, count(*) FROM alert WHERE state != 'resolved'"
                          " GROUP BY state, severity",
    [ST_METRICS_LAST_SUB] = "SELECT reporter, max(received_at) FROM submission GROUP BY reporter",
    [ST_COVERAGE_DROP] = "DELETE FROM coverage WHERE metric = ?1 AND area = ?2 AND reporter = ?3"
                         " AND NOT EXISTS (SELECT 1 FROM observation WHERE reporter = ?3"
                         " AND metric = ?1 AND area = ?2)",
    /* One organisation's figures (store_own.c): those stored now and those retracted, by
     * the reporter's index, in key order, at most ?6. ?4, ?5: one metric, one area, or ''. */
    [ST_OWN_FIGURES] = "SELECT k.metric, k.area, k.period, o.value, o.reported_at, o.updated_at,"
                       " s.request_id FROM (SELECT metric, area, period FROM observation"
                       " WHERE reporter = ?1 AND period BETWEEN ?2 AND ?3"
                       " AND (?4 = '' OR metric = ?4) AND (?5 = '' OR area = ?5)"
                       " UNION SELECT metric, area, period FROM retraction"
                       " WHERE reporter = ?1 AND period BETWEEN ?2 AND ?3"
                       " AND (?4 = '' OR metric = ?4) AND (?5 = '' OR area = ?5)) k"
                       " LEFT JOIN observation o ON o.metric = k.metric AND o.area = k.area"
                       " AND o.period = k.period AND o.reporter = ?1"
                       " LEFT JOIN submission s ON s.id = o.submission"
                       " ORDER BY k.metric, k.area, k.period LIMIT ?6",
    /* A figure's corrections (the sender is the submission's reporter) and retractions,
     * the newest ?5 first. */
    [ST_OWN_CHANGES] = "SELECT a.changed_at, 0, a.old_value, a.new_value, s.reporter,"
                       " s.request_id, a.id FROM observation_audit a"
                       " LEFT JOIN submission s ON s.id = a.new_submission"
                       " WHERE a.reporter = ?1 AND a.metric = ?2 AND a.area = ?3"
                       " AND a.period = ?4"
                       " UNION ALL SELECT r.at, 1, r.old_value, NULL, r.by, r.request_id, r.id"
                       " FROM retraction r WHERE r.reporter = ?1 AND r.metric = ?2"
                       " AND r.area = ?3 AND r.period = ?4"
                       " ORDER BY 1 DESC, 2 DESC, 7 DESC LIMIT ?5",
};

/* Migration N brings user_version from N-1 to N. Never edit a shipped one: add the next. */
static const char *const migrations[] = {
    /* 1: submissions, observations, audit of superseded values */
    "CREATE TABLE submission ("
    "  id INTEGER PRIMARY KEY,"
    "  reporter TEXT NOT NULL,"
    "  request_id TEXT NOT NULL,"
    "  received_at INTEGER NOT NULL,"
    "  records INTEGER NOT NULL,"
    "  digest INTEGER NOT NULL,"
    "  UNIQUE (reporter, request_id));"
    "CREATE TABLE observation ("
    "  reporter TEXT NOT NULL,"
    "  metric TEXT NOT NULL,"
    "  period TEXT NOT NULL,"
    "  area TEXT NOT NULL,"
    "  value REAL NOT NULL,"
    "  submission INTEGER NOT NULL REFERENCES submission(id),"
    "  reported_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  PRIMARY KEY (reporter, metric, period, area)) WITHOUT ROWID;"
    "CREATE INDEX observation_by_metric ON observation(metric, period, area);"
    "CREATE TABLE observation_audit ("
    "  id INTEGER PRIMARY KEY,"
    "  reporter TEXT NOT NULL,"
    "  metric TEXT NOT NULL,"
    "  period TEXT NOT NULL,"
    "  area TEXT NOT NULL,"
    "  old_value REAL NOT NULL,"
    "  new_value REAL NOT NULL,"
    "  old_submission INTEGER NOT NULL,"
    "  new_submission INTEGER NOT NULL,"
    "  changed_at INTEGER NOT NULL);"
    /* Every change of a stored value leaves its trace, whatever statement made it. */
    "CREATE TRIGGER observation_superseded AFTER UPDATE OF value ON observation"
    " WHEN old.value IS NOT new.value BEGIN"
    "  INSERT INTO observation_audit(reporter, metric, period, area, old_value, new_value,"
    "   old_submission, new_submission, changed_at)"
    "  VALUES (old.reporter, old.metric, old.period, old.area, old.value, new.value,"
    "   old.submission, new.submission, new.updated_at);"
    " END;",
    /* 2: indicator snapshots (every version kept), what to recompute, who covers which area */
    "CREATE TABLE snapshot ("
    "  indicator TEXT NOT NULL,"
    "  period TEXT NOT NULL,"
    "  area TEXT NOT NULL,"
    "  version INTEGER NOT NULL,"
    "  value REAL,"
    "  numerator REAL,"
    "  denominator REAL,"
    "  reason TEXT NOT NULL,"
    "  expected INTEGER NOT NULL,"
    "  reported INTEGER NOT NULL,"
    "  computed_at INTEGER NOT NULL,"
    "  PRIMARY KEY (indicator, period, area, version)) WITHOUT ROWID;"
    "CREATE TABLE dirty ("
    "  metric TEXT NOT NULL, period TEXT NOT NULL, area TEXT NOT NULL,"
    "  PRIMARY KEY (metric, period, area)) WITHOUT ROWID;"
    "CREATE TABLE coverage ("
    "  metric TEXT NOT NULL, area TEXT NOT NULL, reporter TEXT NOT NULL,"
    "  PRIMARY KEY (metric, area, reporter)) WITHOUT ROWID;"
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "INSERT INTO coverage SELECT DISTINCT metric, area, reporter FROM observation;"
    "INSERT INTO dirty SELECT DISTINCT metric, period, area FROM observation;",
    /* 3: snapshot reads (one metric, a set of areas, a period range) answered from the index
     * alone; at a million observations this takes an incremental refresh from ~450 ms to ~30 ms */
    "CREATE INDEX observation_by_metric_area ON observation(metric, area, period, value, reported_at);",
    /* 4: alerts (one row per episode: rule, area, subject, onset period), their state
     * changes, and silences */
    "CREATE TABLE alert ("
    "  id INTEGER PRIMARY KEY,"
    "  rule TEXT NOT NULL,"
    "  area TEXT NOT NULL,"
    "  subject TEXT NOT NULL,"   /* late: the organisation; else "" */
    "  period TEXT NOT NULL,"    /* where the condition was first met */
    "  last_period TEXT NOT NULL,"
    "  state TEXT NOT NULL,"
    "  severity TEXT NOT NULL,"
    "  value REAL,"
    "  threshold REAL NOT NULL,"
    "  reference REAL,"
    "  expected INTEGER NOT NULL,"
    "  reported INTEGER NOT NULL,"
    "  message TEXT NOT NULL,"
    "  first_fired INTEGER,"
    "  changed_at INTEGER NOT NULL,"
    "  acked_by TEXT, acked_at INTEGER, ack_note TEXT,"
    "  UNIQUE (rule, area, subject, period));"
    "CREATE INDEX alert_by_change ON alert(changed_at);"
    "CREATE TABLE alert_change ("
    "  id INTEGER PRIMARY KEY,"
    "  alert INTEGER NOT NULL REFERENCES alert(id),"
    "  at INTEGER NOT NULL,"
    "  from_state TEXT,"
    "  to_state TEXT NOT NULL,"
    "  period TEXT NOT NULL,"
    "  value REAL);"
    "CREATE INDEX alert_change_by_alert ON alert_change(alert, id);"
    "CREATE TABLE silence ("
    "  rule TEXT NOT NULL, area TEXT NOT NULL, until INTEGER NOT NULL,"
    "  by TEXT NOT NULL, note TEXT NOT NULL, created INTEGER NOT NULL,"
    "  PRIMARY KEY (rule, area)) WITHOUT ROWID;",
    /* 5: retracted figures (who, when, what was stored), closed and reopened months, and
     * the reporters whose last figure a snapshot carried into a month they missed */
    "CREATE TABLE retraction ("
    "  id INTEGER PRIMARY KEY,"
    "  reporter TEXT NOT NULL, metric TEXT NOT NULL, period TEXT NOT NULL, area TEXT NOT NULL,"
    "  old_value REAL NOT NULL,"
    "  old_submission INTEGER NOT NULL,"
    "  by TEXT NOT NULL,"
    "  request_id TEXT NOT NULL,"
    "  at INTEGER NOT NULL);"
    "CREATE INDEX retraction_by_request ON retraction(by, request_id);"
    "CREATE TABLE closure ("
    "  id INTEGER PRIMARY KEY,"
    "  month TEXT NOT NULL,"
    "  closed INTEGER NOT NULL,"  /* 1: closed, 0: reopened */
    "  by TEXT NOT NULL,"
    "  at INTEGER NOT NULL,"
    "  note TEXT NOT NULL);"
    "CREATE INDEX closure_by_month ON closure(month, id);"
    "ALTER TABLE snapshot ADD COLUMN carried INTEGER NOT NULL DEFAULT 0;",
    /* 6: observations keyed for reading (metric, area, period, reporter), with one index
     * by reporter instead of two: a figure stored touches two B-trees, not three; a dirty
     * mark counts how often it was set, so that snapshots can be computed outside the
     * write lock: a mark set again meanwhile is not cleared; who each snapshot counted, so
     * that an area is finished from its children however its partners spread over them
     * (every snapshot is computed again once, to fill it in) */
    "CREATE TABLE observation_by_area ("
    "  metric TEXT NOT NULL,"
    "  area TEXT NOT NULL,"
    "  period TEXT NOT NULL,"
    "  reporter TEXT NOT NULL,"
    "  value REAL NOT NULL,"
    "  submission INTEGER NOT NULL REFERENCES submission(id),"
    "  reported_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  PRIMARY KEY (metric, area, period, reporter)) WITHOUT ROWID;"
    "INSERT INTO observation_by_area SELECT metric, area, period, reporter, value, submission,"
    " reported_at, updated_at FROM observation ORDER BY metric, area, period, reporter;"
    "DROP TABLE observation;"
    "ALTER TABLE observation_by_area RENAME TO observation;"
    "CREATE INDEX observation_by_reporter ON observation(reporter, metric, area, period);"
    "CREATE TRIGGER observation_superseded AFTER UPDATE OF value ON observation"
    " WHEN old.value IS NOT new.value BEGIN"
    "  INSERT INTO observation_audit(reporter, metric, period, area, old_value, new_value,"
    "   old_submission, new_submission, changed_at)"
    "  VALUES (old.reporter, old.metric, old.period, old.area, old.value, new.value,"
    "   old.submission, new.submission, new.updated_at);"
    " END;"
    "ALTER TABLE dirty ADD COLUMN gen INTEGER NOT NULL DEFAULT 0;"
    "CREATE TABLE snapshot_reporters ("
    "  indicator TEXT NOT NULL, period TEXT NOT NULL, area TEXT NOT NULL,"
    "  reporters BLOB NOT NULL,"
    "  PRIMARY KEY (indicator, period, area)) WITHOUT ROWID;"
    "INSERT OR IGNORE INTO dirty(metric, period, area)"
    " SELECT DISTINCT metric, period, area FROM observation;",
    /* 7: silences with matchers ("" = any) and a history: a new silence is a new row, an
     * early end sets ends and expired_by; a rule and area's silence becomes one with those
     * two matchers, from its creation to its until */
    "CREATE TABLE silence_history ("
    "  id INTEGER PRIMARY KEY,"
    "  rule TEXT NOT NULL,"
    "  indicator TEXT NOT NULL,"
    "  area TEXT NOT NULL,"
    "  organisation TEXT NOT NULL,"
    "  severity TEXT NOT NULL,"
    "  created_by TEXT NOT NULL,"
    "  note TEXT NOT NULL,"
    "  starts INTEGER NOT NULL,"
    "  ends INTEGER NOT NULL,"
    "  expired_by TEXT NOT NULL,"
    "  created INTEGER NOT NULL);"
    "INSERT INTO silence_history(rule, indicator, area, organisation, severity, created_by,"
    " note, starts, ends, expired_by, created)"
    " SELECT rule, '', area, '', '', by, note, created, until, '', created FROM silence"
    " ORDER BY created, rule, area;"
    "DROP TABLE silence;"
    "ALTER TABLE silence_history RENAME TO silence;"
    "CREATE INDEX silence_by_end ON silence(ends);",
    /* 8: an organisation's corrections and retractions by its own key, for the figures op
     * (a partner lists what it sent, with what became of it) */
    "CREATE INDEX observation_audit_by_reporter ON observation_audit(reporter, metric, area,"
    " period);"
    "CREATE INDEX retraction_by_reporter ON retraction(reporter, metric, area, period);",
};

#define N_MIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))
_Static_assert(sizeof migrations / sizeof migrations[0] == STORE_SCHEMA_VERSION,
               "STORE_SCHEMA_VERSION must name the last migration");

int store_remember(store *s, int rc)
{
    s->last_rc = rc;
    snprintf(s->msg, sizeof s->msg, "%s", sqlite3_errmsg(s->db));
    return -1;
}

const char *store_errmsg(const store *s)
{
    return s->msg;
}

bool store_error_transient(const store *s)
{
    int primary = s->last_rc & 0xff;
    return primary == SQLITE_FULL || primary == SQLITE_READONLY || primary == SQLITE_IOERR ||
           primary == SQLITE_BUSY || primary == SQLITE_LOCKED || primary == SQLITE_CANTOPEN;
}

int store_exec(store *s, const char *sql)
{
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : store_remember(s, rc);
}

static int user_version(store *s, int *out)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return store_remember(s, rc);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : store_remember(s, rc);
}

static int migrate(store *s, lm_error *err)
{
    int v = 0;
    if (user_version(s, &v) < 0)
        return lm_fail(err, 0, "reading the schema version: %s", s->msg);
    if (v > N_MIGRATIONS)
        return lm_fail(err, 0,
                       "the database has schema version %d, newer than this leamond knows (%d):"
                       " run a newer leamond", v, N_MIGRATIONS);
    for (; v < N_MIGRATIONS; v++) {
        char bump[64];
        snprintf(bump, sizeof bump, "PRAGMA user_version = %d", v + 1);
        if (store_exec(s, "BEGIN IMMEDIATE") < 0 || store_exec(s, migrations[v]) < 0 || store_exec(s, bump) < 0 ||
            store_exec(s, "COMMIT") < 0) {
            lm_fail(err, 0, "migration %d: %s", v + 1, s->msg);
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
            return -1;
        }
    }
    return 0;
}

static store_shared *shared_new(void)
{
    store_shared *sh = calloc(1, sizeof *sh);
    if (!sh)
        return NULL;
    if (pthread_mutex_init(&sh->write, NULL) != 0) {
        free(sh);
        return NULL;
    }
    atomic_init(&sh->wal_frames, 0);
    atomic_init(&sh->users, 1);
    return sh;
}

static void shared_drop(store_shared *sh)
{
    if (sh && atomic_fetch_sub(&sh->users, 1) == 1) {
        pthread_mutex_destroy(&sh->write);
        free(sh);
    }
}

static int open_connection(store *s, const char *path, bool migrating, lm_error *err);

/* Before the first connection: no memory statistics, whose global lock the two threads'
 * connections would otherwise take turns on at every allocation. Too late (SQLite already
 * in use in this process) is harmless. */
static void configure_sqlite(void)
{
    if (sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK)
        sqlite3_initialize();
}
static pthread_once_t configured = PTHREAD_ONCE_INIT;

int store_open(store **out, const char *path, lm_error *err)
{
    pthread_once(&configured, configure_sqlite);
    store *s = calloc(1, sizeof *s);
    *out = NULL;
    if (!s || !(s->sh = shared_new())) {
        free(s);
        return lm_fail(err, 0, "out of memory");
    }
    if (open_connection(s, path, true, err) < 0) {
        store_close(&s);
        return -1;
    }
    *out = s;
    return 0;
}

int store_open_shared(store **out, const char *path, store *primary, lm_error *err)
{
    store *s = calloc(1, sizeof *s);
    *out = NULL;
    if (!s)
        return lm_fail(err, 0, "out of memory");
    s->sh = primary->sh;
    atomic_fetch_add(&s->sh->users, 1);
    /* The page cache is split: the writer's upserts touch few pages at a time, the reader's
     * refreshes read the snapshots and figures of whole areas. */
    if (open_connection(s, path, false, err) < 0) {
        store_close(&s);
        return -1;
    }
    if (store_exec(s, "PRAGMA cache_size = -24576") < 0 ||
        store_exec(primary, "PRAGMA cache_size = -8192") < 0) {
        lm_fail(err, 0, "%s: page cache: %s", path, s->last_rc ? s->msg : primary->msg);
        store_close(&s);
        return -1;
    }
    *out = s;
    return 0;
}

static int open_connection(store *s, const char *path, bool migrating, lm_error *err)
{
    /* One thread uses the connection: no mutex around every SQLite call. */
    int rc = sqlite3_open_v2(path, &s->db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK)
        return lm_fail(err, 0, "%s: %s", path, s->db ? sqlite3_errmsg(s->db) : "cannot open");
    sqlite3_extended_result_codes(s->db, 1);
    /* WAL + synchronous=FULL: a COMMIT that returned is on disk, even on power loss. */
    sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);
    if (store_exec(s, "PRAGMA journal_mode = WAL") < 0 ||
        store_exec(s, "PRAGMA synchronous = FULL") < 0 ||
        store_exec(s, "PRAGMA foreign_keys = ON") < 0 ||
        /* 32 MiB of page cache: the snapshot indexes of a large gemeente stay in memory */
        store_exec(s, "PRAGMA cache_size = -32768") < 0)
        return lm_fail(err, 0, "%s: %s", path, s->msg);
    sqlite3_stmt *jm;
    if (sqlite3_prepare_v2(s->db, "PRAGMA journal_mode", -1, &jm, NULL) == SQLITE_OK) {
        bool wal = sqlite3_step(jm) == SQLITE_ROW &&
                   strcmp((const char *)sqlite3_column_text(jm, 0), "wal") == 0;
        sqlite3_finalize(jm);
        if (!wal)
            return lm_fail(err, 0, "%s: cannot switch the database to WAL mode", path);
    }
    lm_error why;
    if (migrating && migrate(s, &why) < 0)
        return lm_fail(err, 0, "%s: %s", path, why.msg);
    for (int i = 0; i < ST_COUNT; i++) {
        rc = sqlite3_prepare_v3(s->db, sql_text[i], -1, SQLITE_PREPARE_PERSISTENT, &s->st[i], NULL);
        if (rc != SQLITE_OK)
            return lm_fail(err, 0, "%s: preparing statement %d (%.60s): %s", path, i,
                           sql_text[i], sqlite3_errmsg(s->db));
    }
    return 0;
}

void store_close(store **sp)
{
    store *s = *sp;
    if (!s)
        return;
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(s->st[i]);
    sqlite3_close(s->db);
    if (s->writing)
        pthread_mutex_unlock(&s->sh->write);
    shared_drop(s->sh);
    free(s);
    *sp = NULL;
}

static int on_wal_commit(void *arg, sqlite3 *db, const char *name, int frames)
{
    (void)db;
    (void)name;
    atomic_store(&((store_shared *)arg)->wal_frames, frames);
    return SQLITE_OK;
}

void store_manual_checkpoints(store *s)
{
    /* A WAL hook of our own replaces SQLite's automatic checkpoint. */
    sqlite3_wal_hook(s->db, on_wal_commit, s->sh);
}

long store_wal_frames(const store *s)
{
    return atomic_load(&s->sh->wal_frames);
}

int store_checkpoint(store *s, bool truncate)
{
    int log = 0, done = 0;
    /* The copying beside the writers, then (truncate) the emptying of the file, for which
     * the other connection's writer waits on the lock; and which gives up at once, not
     * after the busy timeout, while a reader still needs the WAL. */
    int rc = sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
    if (rc == SQLITE_OK && truncate && log == done) {
        pthread_mutex_lock(&s->sh->write);
        sqlite3_busy_timeout(s->db, 0);
        rc = sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, &log, &done);
        sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);
        pthread_mutex_unlock(&s->sh->write);
    }
    if (rc == SQLITE_BUSY)
        return 1;
    if (rc != SQLITE_OK)
        return store_remember(s, rc);
    atomic_store(&s->sh->wal_frames, log > done ? log - done : 0);
    return log > done ? 1 : 0;
}

/* The write lock, before a write transaction begins; a transaction that ended without
 * store_commit or store_rollback (SQLite rolled it back) has let go of it already. */
static void lock_writes(store *s)
{
    if (s->writing && sqlite3_get_autocommit(s->db)) {
        s->writing = false;
        pthread_mutex_unlock(&s->sh->write);
    }
    if (!s->writing) {
        pthread_mutex_lock(&s->sh->write);
        s->writing = true;
    }
}

static void unlock_writes(store *s)
{
    if (s->writing && sqlite3_get_autocommit(s->db)) {
        s->writing = false;
        pthread_mutex_unlock(&s->sh->write);
    }
}

void store_reset(sqlite3_stmt *st)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

int store_fail(sqlite3_stmt *st)
{
    store_reset(st);
    return -1;
}

/* Run a statement that returns no rows; reset it whatever happens. */
int store_run(store *s, int which)
{
    sqlite3_stmt *st = s->st[which];
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? 0 : store_remember(s, rc);
}

/* Durable whatever came before: a COMMIT of figures waits for the disk. */
int store_begin(store *s)
{
    /* (Inside a transaction the level cannot change, and BEGIN fails anyway.) */
    if (sqlite3_get_autocommit(s->db) && store_run(s, ST_SYNC_FULL) < 0)
        return -1;
    lock_writes(s);
    int rc = store_run(s, ST_BEGIN);
    unlock_writes(s);
    return rc;
}

/* Before a COMMIT: a transaction that changed the coverage moves its generation on. */
static int cover(store *s)
{
    return s->coverage_changed ? store_run(s, ST_COVERAGE_BUMP) : 0;
}

int store_begin_derived(store *s)
{
    if (store_run(s, ST_SYNC_NORMAL) < 0)
        return -1;
    lock_writes(s);
    if (store_run(s, ST_BEGIN) == 0)
        return 0;
    unlock_writes(s);
    store_run(s, ST_SYNC_FULL);
    return -1;
}

int store_commit_derived(store *s)
{
    /* A failed COMMIT leaves the transaction open (the caller rolls back, which restores
     * FULL) and its error the one to report. */
    if (cover(s) < 0 || store_run(s, ST_COMMIT) < 0)
        return -1;
    s->coverage_changed = false;
    unlock_writes(s);
    return store_run(s, ST_SYNC_FULL);
}

int store_commit(store *s)
{
    int rc = cover(s) < 0 ? -1 : store_run(s, ST_COMMIT);
    if (rc == 0)
        s->coverage_changed = false;
    unlock_writes(s);
    return rc;
}

int store_coverage_gen(store *s, unsigned long *out)
{
    char text[32];
    int found = store_meta_get(s, "coverage_gen", text, sizeof text);
    if (found < 0)
        return -1;
    *out = found ? strtoul(text, NULL, 10) : 0;
    return 0;
}

int store_savepoint(store *s) { return store_run(s, ST_SAVEPOINT); }
int store_release(store *s) { return store_run(s, ST_RELEASE); }

int store_rollback(store *s)
{
    /* After some errors SQLite has already rolled back: nothing left to undo is fine. */
    int rc = sqlite3_get_autocommit(s->db) ? 0 : store_run(s, ST_ROLLBACK);
    s->coverage_changed = false;
    unlock_writes(s);
    /* Whatever the transaction was (store_begin_derived), the next one is durable. */
    return store_run(s, ST_SYNC_FULL) == 0 && rc == 0 ? 0 : -1;
}

int store_read_begin(store *s)
{
    return store_run(s, ST_BEGIN_READ);
}

void store_read_end(store *s)
{
    /* A read transaction has nothing to lose: COMMIT just lets go of its snapshot. */
    if (!sqlite3_get_autocommit(s->db))
        store_run(s, ST_COMMIT);
}

int store_rollback_savepoint(store *s)
{
    if (sqlite3_get_autocommit(s->db))
        return 0;
    /* ROLLBACK TO keeps the savepoint open; release it to leave the transaction clean. */
    return store_run(s, ST_ROLLBACK_TO) == 0 && store_run(s, ST_RELEASE) == 0 ? 0 : -1;
}

bool store_in_transaction(const store *s)
{
    return !sqlite3_get_autocommit(s->db);
}

int store_bind_text(store *s, sqlite3_stmt *st, int i, const char *v)
{
    int rc = sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    return rc == SQLITE_OK ? 0 : store_remember(s, rc);
}

int store_bind_int(store *s, sqlite3_stmt *st, int i, int64_t v)
{
    int rc = sqlite3_bind_int64(st, i, v);
    return rc == SQLITE_OK ? 0 : store_remember(s, rc);
}

/* Columns id, received_at, records, digest, in that order. */
static void read_submission(sqlite3_stmt *st, stored_submission *out)
{
    out->rowid = sqlite3_column_int64(st, 0);
    out->received = sqlite3_column_int64(st, 1);
    out->records = sqlite3_column_int64(st, 2);
    out->digest = (uint64_t)sqlite3_column_int64(st, 3);
}

int store_find_submission(store *s, const char *reporter, const char *request_id,
                          stored_submission *out)
{
    sqlite3_stmt *st = s->st[ST_FIND_SUB];
    if (store_bind_text(s, st, 1, reporter) < 0 || store_bind_text(s, st, 2, request_id) < 0)
        return -1;
    int rc = sqlite3_step(st);
    int found = 0;
    if (rc == SQLITE_ROW) {
        read_submission(st, out);
        found = 1;
    } else if (rc != SQLITE_DONE) {
        found = store_remember(s, rc);
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return found;
}

int store_add_submission(store *s, const char *reporter, const char *request_id,
                         int64_t received, int64_t records, uint64_t digest, int64_t *rowid)
{
    sqlite3_stmt *st = s->st[ST_ADD_SUB];
    if (store_bind_text(s, st, 1, reporter) < 0 || store_bind_text(s, st, 2, request_id) < 0 ||
        store_bind_int(s, st, 3, received) < 0 || store_bind_int(s, st, 4, records) < 0 ||
        store_bind_int(s, st, 5, (int64_t)digest) < 0 || store_run(s, ST_ADD_SUB) < 0)
        return -1;
    *rowid = sqlite3_last_insert_rowid(s->db);
    return 0;
}

/* Run the upsert of a figure; a figure replaced by another value also writes its audit row
 * (a trigger), which the connection's change count shows. */
static int store_run_counting(store *s, int which)
{
    sqlite3_int64 before = sqlite3_total_changes64(s->db);
    if (store_run(s, which) < 0)
        return -1;
    if (sqlite3_total_changes64(s->db) - before >= 2)
        s->superseded++;
    return 0;
}

int64_t store_superseded(const store *s)
{
    return s->superseded;
}

int store_put_observation(store *s, const char *reporter, const char *metric,
                          const char *period, const char *area, double value,
                          int64_t submission, int64_t now)
{
    sqlite3_stmt *st = s->st[ST_PUT_OBS];
    int rc = sqlite3_bind_double(st, 5, value);
    if (rc != SQLITE_OK)
        return store_remember(s, rc);
    if (store_bind_text(s, st, 1, reporter) < 0 || store_bind_text(s, st, 2, metric) < 0 ||
        store_bind_text(s, st, 3, period) < 0 || store_bind_text(s, st, 4, area) < 0 ||
        store_bind_int(s, st, 6, submission) < 0 || store_bind_int(s, st, 7, now) < 0 ||
        store_run_counting(s, ST_PUT_OBS) < 0)
        return -1;
    if (sqlite3_changes(s->db) == 0)
        return 0; /* the same figure again: nothing depends on it anew */
    sqlite3_stmt *d = s->st[ST_MARK_DIRTY], *c = s->st[ST_COVERAGE];
    return store_bind_text(s, d, 1, metric) == 0 && store_bind_text(s, d, 2, period) == 0 &&
                   store_bind_text(s, d, 3, area) == 0 && store_run(s, ST_MARK_DIRTY) == 0 &&
                   store_bind_text(s, c, 1, metric) == 0 && store_bind_text(s, c, 2, area) == 0 &&
                   store_bind_text(s, c, 3, reporter) == 0 && store_run(s, ST_COVERAGE) == 0
               ? (s->coverage_changed |= sqlite3_changes(s->db) > 0, 0)
               : -1;
}

/* A count(*) statement, binding ?1 to reporter when there is one. */
static int count(store *s, int which, const char *reporter, int64_t *out)
{
    sqlite3_stmt *st = s->st[which];
    if (reporter && store_bind_text(s, st, 1, reporter) < 0)
        return store_fail(st);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    else
        store_remember(s, rc);
    store_reset(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

int store_counts(store *s, const char *reporter, int64_t *observations, int64_t *submissions)
{
    return count(s, reporter ? ST_COUNT_OBS_OF : ST_COUNT_OBS, reporter, observations) == 0 &&
                   count(s, reporter ? ST_COUNT_SUBS_OF : ST_COUNT_SUBS, reporter,
                         submissions) == 0
               ? 0
               : -1;
}

int store_last_submission(store *s, const char *reporter, char *request_id, size_t id_size,
                          stored_submission *out)
{
    sqlite3_stmt *st = s->st[reporter ? ST_LAST_SUB_OF : ST_LAST_SUB];
    if (reporter && store_bind_text(s, st, 1, reporter) < 0)
        return store_fail(st);
    int found = 0;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_submission(st, out);
        store_copy_text(request_id, id_size, st, 4);
        found = 1;
    } else if (rc != SQLITE_DONE) {
        found = store_remember(s, rc);
    }
    store_reset(st);
    return found;
}

int store_backup(store *s, const char *path)
{
    sqlite3 *dst = NULL;
    int rc = sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_backup *b = sqlite3_backup_init(dst, "main", s->db, "main");
        if (!b) {
            rc = sqlite3_errcode(dst);
            snprintf(s->msg, sizeof s->msg, "%s: %s", path, sqlite3_errmsg(dst));
        } else {
            /* One step: the copy is one read transaction, consistent by itself. */
            rc = sqlite3_backup_step(b, -1);
            int fin = sqlite3_backup_finish(b);
            rc = rc == SQLITE_DONE ? fin : rc;
            if (rc != SQLITE_OK)
                snprintf(s->msg, sizeof s->msg, "%s: %s", path, sqlite3_errstr(rc));
        }
    } else {
        snprintf(s->msg, sizeof s->msg, "%s: %s", path, dst ? sqlite3_errmsg(dst) : "cannot open");
    }
    if (dst && sqlite3_close(dst) != SQLITE_OK && rc == SQLITE_OK)
        rc = SQLITE_ERROR;
    s->last_rc = rc;
    return rc == SQLITE_OK ? 0 : -1;
}
