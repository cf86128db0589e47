/* Unit tests for daemon/store.c on temp database files: migrations, submissions,
 * observations with their audit trail, savepoints, counts. What the store wrote is
 * checked through a second, plain SQLite connection. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store.h"
#include "store_alert.h"
#include "testutil.h"

#define TP 256

/* Each test gets its own database file, closed and removed after it. */
typedef struct {
    char path[TP];
    store *st;
    sqlite3 *raw; /* a second connection, for looking */
} fixture;

static int counter;

static int setup_db(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    lm_error err;
    if (!f)
        return -1;
    snprintf(f->path, sizeof f->path, "%s/db-%d.sqlite", tmpdir, counter++);
    if (store_open(&f->st, f->path, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        free(f);
        return -1;
    }
    if (sqlite3_open_v2(f->path, &f->raw, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        store_close(&f->st);
        free(f);
        return -1;
    }
    sqlite3_busy_timeout(f->raw, 5000);
    *state = f;
    return 0;
}

static int teardown_db(void **state)
{
    fixture *f = *state;
    sqlite3_close(f->raw);
    store_close(&f->st);
    free(f);
    return 0;
}

/* The single integer a query returns. */
static int64_t query_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        fail_msg("%s: no row", sql);
    }
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* The single text a query returns, into buf. */
static const char *query_text(sqlite3 *db, const char *sql, char *buf, size_t n)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        fail_msg("%s: no row", sql);
    }
    const unsigned char *t = sqlite3_column_text(st, 0);
    snprintf(buf, n, "%s", t ? (const char *)t : "(null)");
    sqlite3_finalize(st);
    return buf;
}

static void raw_exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        char copy[256];
        snprintf(copy, sizeof copy, "%s", msg ? msg : "?");
        sqlite3_free(msg);
        fail_msg("%s: %s", sql, copy);
    }
}

static int64_t add_sub(store *s, const char *reporter, const char *id, int64_t received)
{
    int64_t rowid = -1;
    if (store_add_submission(s, reporter, id, received, 1, 42, &rowid) != 0)
        fail_msg("add %s/%s: %s", reporter, id, store_errmsg(s));
    return rowid;
}

static void put(store *s, const char *reporter, const char *metric, const char *period,
                const char *area, double value, int64_t sub, int64_t now)
{
    if (store_put_observation(s, reporter, metric, period, area, value, sub, now) != 0)
        fail_msg("put %s %s %s %s %g: %s", reporter, metric, period, area, value,
                 store_errmsg(s));
}

/* ---- opening and migrations ---------------------------------------------- */

static const char SCHEMA_SQL[] =
    "SELECT group_concat(type || ' ' || name || ': ' || coalesce(sql, ''), char(10))"
    " FROM (SELECT * FROM sqlite_master ORDER BY type, name)";

static void test_open_creates_schema(void **state)
{
    fixture *f = *state;
    char before[4096], after[4096], buf[64];
    lm_error err;
    assert_int_equal(query_int(f->raw, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    assert_string_equal(query_text(f->raw, "PRAGMA journal_mode", buf, sizeof buf), "wal");
    static const char *const objects[] = {
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'submission'",
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'observation'",
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'observation_audit'",
        "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
        " AND name = 'observation_superseded'",
        "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
        " AND name = 'observation_by_reporter'",
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'snapshot_reporters'",
    };
    for (size_t i = 0; i < sizeof objects / sizeof objects[0]; i++)
        if (query_int(f->raw, objects[i]) != 1)
            fail_msg("missing: %s", objects[i]);
    assert_false(store_in_transaction(f->st));
    query_text(f->raw, SCHEMA_SQL, before, sizeof before);

    /* Some data, then reopen: no migration runs again, nothing is lost. */
    int64_t sub = add_sub(f->st, "ko", "r1", 1000);
    put(f->st, "ko", "vve.plaatsen", "2026-10", "WK1", 12, sub, 1000);
    store_close(&f->st);
    assert_null(f->st);
    for (int round = 0; round < 2; round++) {
        if (store_open(&f->st, f->path, &err) != 0)
            fail_msg("%s", err.msg);
        assert_int_equal(query_int(f->raw, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
        query_text(f->raw, SCHEMA_SQL, after, sizeof after);
        assert_string_equal(after, before);
        int64_t obs = -1, subs = -1;
        assert_int_equal(store_counts(f->st, NULL, &obs, &subs), 0);
        assert_int_equal(obs, 1);
        assert_int_equal(subs, 1);
        if (round == 0)
            store_close(&f->st);
    }
    store_close(&f->st);
    store_close(&f->st); /* closing twice is harmless */
}

/* A database of schema 5 (observations keyed by reporter, two indexes, dirty marks without
 * a count, no reporter sets) is brought to the current schema with every figure, its audit
 * trail and its trigger, and every figure marked for a recompute. */
static void test_open_migrates_schema_5(void **state)
{
    fixture *f = *state;
    lm_error err;
    store_close(&f->st);
    /* The current schema, taken back to what version 5 had. */
    raw_exec(f->raw,
             "DROP TABLE snapshot_reporters;"
             "DROP TABLE observation;"
             "CREATE TABLE observation (reporter TEXT NOT NULL, metric TEXT NOT NULL,"
             " period TEXT NOT NULL, area TEXT NOT NULL, value REAL NOT NULL,"
             " submission INTEGER NOT NULL REFERENCES submission(id),"
             " reported_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
             " PRIMARY KEY (reporter, metric, period, area)) WITHOUT ROWID;"
             "CREATE INDEX observation_by_metric ON observation(metric, period, area);"
             "CREATE INDEX observation_by_metric_area ON observation(metric, area, period,"
             " value, reported_at);"
             "CREATE TRIGGER observation_superseded AFTER UPDATE OF value ON observation"
             " WHEN old.value IS NOT new.value BEGIN"
             "  INSERT INTO observation_audit(reporter, metric, period, area, old_value,"
             "   new_value, old_submission, new_submission, changed_at)"
             "  VALUES (old.reporter, old.metric, old.period, old.area, old.value, new.value,"
             "   old.submission, new.submission, new.updated_at);"
             " END;"
             "ALTER TABLE dirty DROP COLUMN gen;"
             "DROP TABLE silence;"
             "CREATE TABLE silence (rule TEXT NOT NULL, area TEXT NOT NULL, until INTEGER NOT NULL,"
             " by TEXT NOT NULL, note TEXT NOT NULL, created INTEGER NOT NULL,"
             " PRIMARY KEY (rule, area)) WITHOUT ROWID;"
             "INSERT INTO submission(id, reporter, request_id, received_at, records, digest)"
             " VALUES (1, 'ko', 'r1', 100, 2, 7), (2, 'ko', 'r2', 200, 1, 8);"
             "INSERT INTO observation VALUES ('ko', 'vve.plaatsen', '2026-09', 'WK1', 10, 1, 100,"
             " 100), ('ko', 'vve.plaatsen', '2026-10', 'WK1', 12, 2, 100, 200);"
             "INSERT INTO observation_audit(reporter, metric, period, area, old_value, new_value,"
             " old_submission, new_submission, changed_at) VALUES ('ko', 'vve.plaatsen',"
             " '2026-10', 'WK1', 11, 12, 1, 2, 200);"
             "DROP INDEX observation_audit_by_reporter;"
             "DROP INDEX retraction_by_reporter;"
             "PRAGMA user_version = 5;");
    if (store_open(&f->st, f->path, &err) != 0)
        fail_msg("%s", err.msg);
    assert_int_equal(query_int(f->raw, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    assert_int_equal(query_int(f->raw, "SELECT count(*) FROM observation"), 2);
    assert_int_equal(query_int(f->raw, "SELECT sum(value) FROM observation"), 22);
    assert_int_equal(query_int(f->raw, "SELECT count(*) FROM observation_audit"), 1);
    assert_int_equal(query_int(f->raw, "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
                                       " AND tbl_name = 'observation'"), 1);
    assert_int_equal(query_int(f->raw, "SELECT count(*) FROM dirty WHERE gen = 0"), 2);
    /* The trigger came along: a new value leaves its trace. */
    int64_t sub = add_sub(f->st, "ko", "r3", 300);
    put(f->st, "ko", "vve.plaatsen", "2026-10", "WK1", 13, sub, 300);
    assert_int_equal(query_int(f->raw, "SELECT count(*) FROM observation_audit"), 2);
    assert_int_equal(query_int(f->raw, "SELECT count(*) FROM dirty WHERE gen = 1"), 1);
}

/* A database of schema 6 (one silence per rule and area, replaced by the next, deleted
 * when lifted) is brought to silences with matchers and a history: each row becomes a
 * silence of its rule and area, from its creation to its until, by its maker. */
static void test_open_migrates_schema_6(void **state)
{
    fixture *f = *state;
    lm_error err;
    char buf[256];
    store_close(&f->st);
    raw_exec(f->raw,
             "DROP INDEX observation_audit_by_reporter;"
             "DROP INDEX retraction_by_reporter;"
             "DROP INDEX silence_by_end;"
             "DROP TABLE silence;"
             "CREATE TABLE silence (rule TEXT NOT NULL, area TEXT NOT NULL, until INTEGER NOT NULL,"
             " by TEXT NOT NULL, note TEXT NOT NULL, created INTEGER NOT NULL,"
             " PRIMARY KEY (rule, area)) WITHOUT ROWID;"
             "INSERT INTO silence VALUES ('vve_bereik_wijk_laag', 'GM0164', 2000, 'admin',"
             " 'verbouwing', 1000), ('opvang_niet_gemeld', 'WK016402', 500, 'beleid', '', 400);"
             "PRAGMA user_version = 6;");
    if (store_open(&f->st, f->path, &err) != 0)
        fail_msg("%s", err.msg);
    assert_int_equal(query_int(f->raw, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    assert_int_equal(query_int(f->raw, "SELECT count(*) FROM silence"), 2);
    /* 8: corrections and retractions by the organisation they belong to. */
    assert_int_equal(query_int(f->raw, "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
                                       " AND name IN ('observation_audit_by_reporter',"
                                       " 'retraction_by_reporter')"), 2);
    assert_string_equal(query_text(f->raw,
                                   "SELECT group_concat(id || ':' || rule || '/' || indicator || '/'"
                                   " || area || '/' || organisation || '/' || severity || '/' ||"
                                   " created_by || '/' || note || '/' || starts || '-' || ends ||"
                                   " '/' || expired_by || '/' || created, ' ') FROM"
                                   " (SELECT * FROM silence ORDER BY id)",
                                   buf, sizeof buf),
                        "1:opvang_niet_gemeld//WK016402///beleid//400-500//400 "
                        "2:vve_bereik_wijk_laag//GM0164///admin/verbouwing/1000-2000//1000");
    /* Read through the store: the one not yet ended at 1500, and both by id. */
    stored_silence *rows = NULL;
    size_t n = 0;
    assert_int_equal(store_silences_open(f->st, 1500, &rows, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(rows[0].rule, "vve_bereik_wijk_laag");
    assert_int_equal(rows[0].ends, 2000);
    free(rows);
    stored_silence si;
    assert_int_equal(store_silence_get(f->st, 1, &si), 1);
    assert_string_equal(si.created_by, "beleid");
    assert_int_equal(store_silence_get(f->st, 3, &si), 0);
}

static stored_silence silence_of(const char *rule, const char *area, int64_t starts,
                                 int64_t ends)
{
    stored_silence si;
    memset(&si, 0, sizeof si);
    snprintf(si.rule, sizeof si.rule, "%s", rule);
    snprintf(si.area, sizeof si.area, "%s", area);
    snprintf(si.created_by, sizeof si.created_by, "admin");
    si.starts = starts;
    si.ends = ends;
    si.created = starts;
    return si;
}

/* Silences are never replaced: the same matchers again make a second row; ending one
 * early keeps it, with who ended it; ending it again changes nothing. The list puts those
 * in force first, then those to start, then the ended ones, the latest end first. */
static void test_silence_history(void **state)
{
    fixture *f = *state;
    stored_silence a = silence_of("r", "GM0164", 100, 1000);
    stored_silence b = silence_of("r", "GM0164", 200, 2000);
    stored_silence c = silence_of("", "WK1", 5000, 6000);  /* starts later */
    stored_silence d = silence_of("q", "", 50, 90);        /* ended before */
    snprintf(c.severity, sizeof c.severity, "critical");
    assert_int_equal(store_silence_add(f->st, &a), 0);
    assert_int_equal(store_silence_add(f->st, &b), 0);
    assert_int_equal(store_silence_add(f->st, &c), 0);
    assert_int_equal(store_silence_add(f->st, &d), 0);
    assert_true(a.id > 0 && b.id > a.id && c.id > b.id && d.id > c.id);
    assert_int_equal(query_int(f->raw, "SELECT count(*) FROM silence"), 4);

    /* The same matchers, both in force at 300. */
    stored_silence *rows = NULL;
    size_t n = 0;
    assert_int_equal(store_silences_exact(f->st, &b, 300, &rows, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(rows[0].id, a.id);
    free(rows);

    /* Ended early at 300 by beleid, once. */
    assert_int_equal(store_silence_expire(f->st, a.id, 300, "beleid"), 1);
    assert_int_equal(store_silence_expire(f->st, a.id, 400, "admin"), 0);
    assert_int_equal(store_silence_expire(f->st, d.id, 400, "admin"), 0);
    stored_silence got;
    assert_int_equal(store_silence_get(f->st, a.id, &got), 1);
    assert_int_equal(got.ends, 300);
    assert_string_equal(got.expired_by, "beleid");
    assert_int_equal(got.starts, 100);
    assert_int_equal(store_silence_get(f->st, d.id, &got), 1);
    assert_string_equal(got.expired_by, "");
    assert_int_equal(query_int(f->raw, "SELECT count(*) FROM silence"), 4);

    /* At 400: b in force, c to start, then a (ended at 300), then d (ended at 90). */
    bool more = true;
    assert_int_equal(store_silences_list(f->st, 400, INT64_MIN, 10, &rows, &n, &more), 0);
    assert_false(more);
    assert_int_equal(n, 4);
    assert_int_equal(rows[0].id, b.id);
    assert_int_equal(rows[1].id, c.id);
    assert_string_equal(rows[1].severity, "critical");
    assert_int_equal(rows[2].id, a.id);
    assert_int_equal(rows[3].id, d.id);
    free(rows);
    /* Those that ended after 100 only, at most two. */
    assert_int_equal(store_silences_list(f->st, 400, 100, 2, &rows, &n, &more), 0);
    assert_true(more);
    assert_int_equal(n, 2);
    assert_int_equal(rows[0].id, b.id);
    free(rows);
    assert_int_equal(store_silences_list(f->st, 400, 100, 10, &rows, &n, &more), 0);
    assert_int_equal(n, 3);
    free(rows);
    /* Not yet ended at 400: b and c. */
    assert_int_equal(store_silences_open(f->st, 400, &rows, &n), 0);
    assert_int_equal(n, 2);
    free(rows);
}

/* A database written by a newer leamond is refused, and left as it was. */
static void test_open_newer_schema(void **state)
{
    char path[TP], want[TP + 200];
    lm_error err;
    sqlite3 *db;
    static int not_a_store;
    store *s = (store *)&not_a_store; /* not NULL, to see it cleared */
    (void)state;
    path_join(path, sizeof path, tmpdir, "newer.sqlite");
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char sql[80];
    snprintf(sql, sizeof sql, "CREATE TABLE future(x); PRAGMA user_version = %d",
             STORE_SCHEMA_VERSION + 1);
    raw_exec(db, sql);
    assert_int_equal(store_open(&s, path, &err), -1);
    assert_null(s);
    snprintf(want, sizeof want,
             "%s: the database has schema version %d, newer than this leamond knows (%d):"
             " run a newer leamond",
             path, STORE_SCHEMA_VERSION + 1, STORE_SCHEMA_VERSION);
    assert_string_equal(err.msg, want);
    assert_int_equal(query_int(db, "PRAGMA user_version"), STORE_SCHEMA_VERSION + 1);
    assert_int_equal(query_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'submission'"),
                     0);
    sqlite3_close(db);
}

/* A migration that fails leaves the schema version and the tables as they were. */
static void test_open_failed_migration(void **state)
{
    char path[TP];
    lm_error err;
    sqlite3 *db;
    store *s = NULL;
    (void)state;
    path_join(path, sizeof path, tmpdir, "clash.sqlite");
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    raw_exec(db, "CREATE TABLE submission(x)");
    assert_int_equal(store_open(&s, path, &err), -1);
    assert_null(s);
    assert_true(strncmp(err.msg, path, strlen(path)) == 0);
    assert_non_null(strstr(err.msg, "migration 1: table submission already exists"));
    assert_int_equal(query_int(db, "PRAGMA user_version"), 0);
    assert_int_equal(query_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'observation'"),
                     0);
    /* Once the clash is gone, the same file migrates. */
    raw_exec(db, "DROP TABLE submission");
    if (store_open(&s, path, &err) != 0)
        fail_msg("%s", err.msg);
    assert_int_equal(query_int(db, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    store_close(&s);
    sqlite3_close(db);
}

static void test_open_errors(void **state)
{
    char path[TP];
    lm_error err;
    store *s = NULL;
    (void)state;
    static const char *const kinds[] = {"no-such-dir/x.sqlite", "", "garbage.sqlite"};
    path_join(path, sizeof path, tmpdir, "garbage.sqlite");
    FILE *g = fopen(path, "w");
    assert_non_null(g);
    for (int i = 0; i < 200; i++)
        fputs("this is not a database file. ", g);
    assert_int_equal(fclose(g), 0);
    static const char *const says[] = {"unable to open database file", "", "file is not a database"};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        path_join(path, sizeof path, tmpdir, kinds[i]); /* "": the directory itself */
        lm_fail(&err, 0, "untouched");
        assert_int_equal(store_open(&s, path, &err), -1);
        assert_null(s);
        if (strncmp(err.msg, path, strlen(path)) != 0 || !strstr(err.msg, says[i]))
            fail_msg("case %zu: '%s'", i, err.msg);
    }
}

/* Without WAL there is no durable group commit: a database that cannot switch is
 * refused (an in-memory one stays in "memory" mode). */
static void test_open_needs_wal(void **state)
{
    lm_error err;
    store *s = NULL;
    (void)state;
    assert_int_equal(store_open(&s, ":memory:", &err), -1);
    assert_null(s);
    assert_string_equal(err.msg, ":memory:: cannot switch the database to WAL mode");
}

/* ---- submissions --------------------------------------------------------- */

static void test_submissions(void **state)
{
    fixture *f = *state;
    stored_submission got;
    int64_t a = -1, b = -1, c = -1;
    assert_int_equal(store_find_submission(f->st, "ko", "r1", &got), 0);
    assert_int_equal(store_add_submission(f->st, "ko", "r1", 1790000000, 3, 0x123456789abcdefull,
                                          &a), 0);
    assert_true(a > 0);
    memset(&got, 0, sizeof got);
    assert_int_equal(store_find_submission(f->st, "ko", "r1", &got), 1);
    assert_int_equal(got.rowid, a);
    assert_int_equal(got.received, 1790000000);
    assert_int_equal(got.records, 3);
    assert_true(got.digest == 0x123456789abcdefull);
    /* The request id is unique per reporter, not overall. */
    assert_int_equal(store_find_submission(f->st, "ko", "r2", &got), 0);
    assert_int_equal(store_find_submission(f->st, "rbl", "r1", &got), 0);
    assert_int_equal(store_find_submission(f->st, "KO", "r1", &got), 0);
    assert_int_equal(store_add_submission(f->st, "rbl", "r1", 1, 1, 0, &b), 0);
    assert_true(b > a);
    /* Digests use all 63 bits (and a 64th would survive too). */
    assert_int_equal(store_add_submission(f->st, "ko", "r3", 2, 1, 0x7fffffffffffffffull, &c), 0);
    assert_int_equal(store_find_submission(f->st, "ko", "r3", &got), 1);
    assert_true(got.digest == 0x7fffffffffffffffull);
    assert_int_equal(store_add_submission(f->st, "ko", "r4", 2, 1, 0xffffffffffffffffull, &c), 0);
    assert_int_equal(store_find_submission(f->st, "ko", "r4", &got), 1);
    assert_true(got.digest == 0xffffffffffffffffull);

    /* UNIQUE (reporter, request_id). */
    int64_t d = -7;
    assert_int_equal(store_add_submission(f->st, "ko", "r1", 3, 9, 9, &d), -1);
    assert_int_equal(d, -7);
    assert_non_null(strstr(store_errmsg(f->st),
                           "UNIQUE constraint failed: submission.reporter, submission.request_id"));
    assert_false(store_error_transient(f->st));
    assert_int_equal(query_int(f->raw, "SELECT count(*) FROM submission"), 4);
    assert_int_equal(query_int(f->raw, "SELECT records FROM submission WHERE request_id = 'r1'"
                                       " AND reporter = 'ko'"),
                     3);
    /* The statements are reset after a failure: the store goes on working. */
    assert_int_equal(store_find_submission(f->st, "ko", "r1", &got), 1);
    assert_int_equal(got.rowid, a);
    assert_int_equal(store_add_submission(f->st, "ko", "r5", 4, 1, 1, &d), 0);
}

/* ---- observations and their audit ---------------------------------------- */

typedef struct {
    double value;
    int64_t submission, reported_at, updated_at;
} obs_row;

static obs_row observation(sqlite3 *db, const char *reporter, const char *metric,
                           const char *period, const char *area)
{
    sqlite3_stmt *st;
    obs_row r = {0};
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT value, submission, reported_at, updated_at"
                                        " FROM observation WHERE reporter = ?1 AND metric = ?2"
                                        " AND period = ?3 AND area = ?4",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, reporter, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, metric, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, period, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, area, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        r.value = sqlite3_column_double(st, 0);
        r.submission = sqlite3_column_int64(st, 1);
        r.reported_at = sqlite3_column_int64(st, 2);
        r.updated_at = sqlite3_column_int64(st, 3);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        fail_msg("no observation %s %s %s %s", reporter, metric, period, area);
    return r;
}

static void test_observation_audit(void **state)
{
    fixture *f = *state;
    int64_t s1 = add_sub(f->st, "ko", "r1", 100), s2 = add_sub(f->st, "ko", "r2", 200),
            s3 = add_sub(f->st, "ko", "r3", 300), s4 = add_sub(f->st, "ko", "r4", 400);
    obs_row r;

    put(f->st, "ko", "vve.plaatsen", "2026-10", "WK1", 5, s1, 100);
    r = observation(f->raw, "ko", "vve.plaatsen", "2026-10", "WK1");
    assert_true(r.value == 5);
    assert_int_equal(r.submission, s1);
    assert_int_equal(r.reported_at, 100);
    assert_int_equal(r.updated_at, 100);

    /* The same value again: not a new report, no audit, nothing changes. */
    put(f->st, "ko", "vve.plaatsen", "2026-10", "WK1", 5, s2, 200);
    assert_int_equal(query_int(f->raw, "SELECT count(*) FROM observation_audit"), 0);
    r = observation(f->raw, "ko", "vve.plaatsen", "2026-10", "WK1");
    assert_int_equal(r.submission, s1);
    assert_int_equal(r.updated_at, 100);

    /* A different value supersedes, and the old one is kept. */
    put(f->st, "ko", "vve.plaatsen", "2026-10", "WK1", 7, s3, 300);
    assert_int_equal(query_int(f->raw, "SELECT count(*) FROM observation"), 1);
    assert_int_equal(query_int(f->raw, "SELECT count(*) FROM observation_audit"), 1);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(f->raw,
                                        "SELECT reporter, metric, period, area, old_value,"
                                        " new_value, old_submission, new_submission, changed_at"
                                        " FROM observation_audit",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "ko");
    assert_string_equal((const char *)sqlite3_column_text(st, 1), "vve.plaatsen");
    assert_string_equal((const char *)sqlite3_column_text(st, 2), "2026-10");
    assert_string_equal((const char *)sqlite3_column_text(st, 3), "WK1");
    assert_true(sqlite3_column_double(st, 4) == 5);
    assert_true(sqlite3_column_double(st, 5) == 7);
    assert_int_equal(sqlite3_column_int64(st, 6), s1);
    assert_int_equal(sqlite3_column_int64(st, 7), s3);
    assert_int_equal(sqlite3_column_int64(st, 8), 300);
    sqlite3_finalize(st);
    r = observation(f->raw, "ko", "vve.plaatsen", "2026-10", "WK1");
    assert_true(r.value == 7);
    assert_int_equal(r.submission, s3);
    assert_int_equal(r.reported_at, 100); /* first reported then */
    assert_int_equal(r.updated_at, 300);

    /* Unchanged again: still one audit row; then back to 5: a second one. */
    put(f->st, "ko", "vve.plaatsen", "2026-10", "WK1", 7, s4, 400);
    assert_int_equal(query_int(f->raw, "SELECT count(*) FROM observation_audit"), 1);
    put(f->st, "ko", "vve.plaatsen", "2026-10", "WK1", 5, s4, 500);
    assert_int_equal(query_int(f->raw, "SELECT count(*) FROM observation_audit"), 2);
    assert_int_equal(query_int(f->raw, "SELECT old_submission FROM observation_audit"
                                       " ORDER BY id DESC LIMIT 1"),
                     s3);
    assert_int_equal(query_int(f->raw, "SELECT new_submission FROM observation_audit"
                                       " ORDER BY id DESC LIMIT 1"),
                     s4);

    /* Each of the four key columns makes another observation, without audit. */
    static const struct { const char *reporter, *metric, *period, *area; } keys[] = {
        {"rbl", "vve.plaatsen", "2026-10", "WK1"},
        {"ko", "vve.wachtlijst", "2026-10", "WK1"},
        {"ko", "vve.plaatsen", "2026-09", "WK1"},
        {"ko", "vve.plaatsen", "2026-10", "WK2"},
    };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        put(f->st, keys[i].reporter, keys[i].metric, keys[i].period, keys[i].area, 12.25, s4,
            600);
        assert_true(observation(f->raw, keys[i].reporter, keys[i].metric, keys[i].period,
                                keys[i].area).value == 12.25);
    }
    assert_int_equal(query_int(f->raw, "SELECT count(*) FROM observation"), 5);
    assert_int_equal(query_int(f->raw, "SELECT count(*) FROM observation_audit"), 2);
}

static void test_observation_needs_submission(void **state)
{
    fixture *f = *state;
    assert_int_equal(store_put_observation(f->st, "ko", "m", "2026-10", "WK1", 1, 999, 1), -1);
    assert_non_null(strstr(store_errmsg(f->st), "FOREIGN KEY constraint failed"));
    assert_false(store_error_transient(f->st));
    assert_int_equal(query_int(f->raw, "SELECT count(*) FROM observation"), 0);
    /* NaN is no value: SQLite would store NULL, which the schema refuses. */
    int64_t s = add_sub(f->st, "ko", "r1", 1);
    assert_int_equal(store_put_observation(f->st, "ko", "m", "2026-10", "WK1", NAN, s, 1), -1);
    assert_non_null(strstr(store_errmsg(f->st), "NOT NULL constraint failed: observation.value"));
    put(f->st, "ko", "m", "2026-10", "WK1", 1, s, 1);
    assert_int_equal(query_int(f->raw, "SELECT count(*) FROM observation"), 1);
}

/* ---- transactions -------------------------------------------------------- */

/* A group commit: three submissions in one transaction, the middle one undone. */
static void test_savepoint_rollback(void **state)
{
    fixture *f = *state;
    stored_submission got;
    int64_t a, b, c, dummy;

    put(f->st, "ko", "vve.plaatsen", "2026-09", "WK1", 1, add_sub(f->st, "ko", "r0", 1), 1);
    assert_int_equal(store_begin(f->st), 0);
    assert_true(store_in_transaction(f->st));

    assert_int_equal(store_savepoint(f->st), 0);
    a = add_sub(f->st, "ko", "ra", 10);
    put(f->st, "ko", "vve.plaatsen", "2026-10", "WK1", 10, a, 10);
    assert_int_equal(store_release(f->st), 0);
    assert_true(store_in_transaction(f->st));

    assert_int_equal(store_savepoint(f->st), 0);
    b = add_sub(f->st, "ko", "rb", 20);
    put(f->st, "ko", "vve.plaatsen", "2026-11", "WK1", 20, b, 20);
    put(f->st, "ko", "vve.plaatsen", "2026-09", "WK1", 99, b, 20); /* would be audited */
    /* ... and then a record of it fails, like a reused request id: */
    assert_int_equal(store_add_submission(f->st, "ko", "ra", 20, 1, 1, &dummy), -1);
    assert_true(store_in_transaction(f->st));
    assert_int_equal(store_rollback_savepoint(f->st), 0);
    assert_true(store_in_transaction(f->st));

    assert_int_equal(store_savepoint(f->st), 0);
    c = add_sub(f->st, "rbl", "rc", 30);
    put(f->st, "rbl", "rbl.vsv", "2026-10", "GM1", 30, c, 30);
    assert_int_equal(store_release(f->st), 0);

    /* Nothing is visible to others before the commit. */
    assert_int_equal(query_int(f->raw, "SELECT count(*) FROM submission"), 1);
    assert_int_equal(store_commit(f->st), 0);
    assert_false(store_in_transaction(f->st));

    assert_int_equal(store_find_submission(f->st, "ko", "ra", &got), 1);
    assert_int_equal(store_find_submission(f->st, "ko", "rb", &got), 0);
    assert_int_equal(store_find_submission(f->st, "rbl", "rc", &got), 1);
    assert_int_equal(query_int(f->raw, "SELECT count(*) FROM submission"), 3);
    assert_int_equal(query_int(f->raw, "SELECT count(*) FROM observation"), 3);
    assert_int_equal(query_int(f->raw, "SELECT count(*) FROM observation WHERE period = '2026-11'"),
                     0);
    assert_true(observation(f->raw, "ko", "vve.plaatsen", "2026-09", "WK1").value == 1);
    assert_int_equal(query_int(f->raw, "SELECT count(*) FROM observation_audit"), 0);
    assert_int_equal(observation(f->raw, "rbl", "rbl.vsv", "2026-10", "GM1").submission, c);
    assert_int_equal(observation(f->raw, "ko", "vve.plaatsen", "2026-10", "WK1").submission, a);
    (void)b;
}

static void test_rollback(void **state)
{
    fixture *f = *state;
    stored_submission got;
    /* Nothing to roll back is fine. */
    assert_int_equal(store_rollback(f->st), 0);
    assert_int_equal(store_rollback_savepoint(f->st), 0);

    assert_int_equal(store_begin(f->st), 0);
    /* One transaction at a time. */
    assert_int_equal(store_begin(f->st), -1);
    assert_non_null(strstr(store_errmsg(f->st), "within a transaction"));
    assert_true(store_in_transaction(f->st));
    int64_t s = add_sub(f->st, "ko", "r1", 1);
    put(f->st, "ko", "m", "2026-10", "WK1", 1, s, 1);
    assert_int_equal(store_rollback(f->st), 0);
    assert_false(store_in_transaction(f->st));
    assert_int_equal(store_find_submission(f->st, "ko", "r1", &got), 0);
    int64_t obs = -1, subs = -1;
    assert_int_equal(store_counts(f->st, NULL, &obs, &subs), 0);
    assert_int_equal(obs, 0);
    assert_int_equal(subs, 0);
    /* COMMIT without BEGIN fails and says so. */
    assert_int_equal(store_commit(f->st), -1);
    assert_non_null(strstr(store_errmsg(f->st), "no transaction is active"));
    /* RELEASE of a savepoint that is not there. */
    assert_int_equal(store_release(f->st), -1);
    assert_non_null(strstr(store_errmsg(f->st), "no such savepoint"));
}

/* ---- counts and the last submission -------------------------------------- */

static void test_counts_and_last(void **state)
{
    fixture *f = *state;
    stored_submission got;
    char id[128];
    int64_t obs = -1, subs = -1;

    assert_int_equal(store_counts(f->st, NULL, &obs, &subs), 0);
    assert_int_equal(obs, 0);
    assert_int_equal(subs, 0);
    assert_int_equal(store_counts(f->st, "ko", &obs, &subs), 0);
    assert_int_equal(obs, 0);
    assert_int_equal(store_last_submission(f->st, NULL, id, sizeof id, &got), 0);
    assert_int_equal(store_last_submission(f->st, "ko", id, sizeof id, &got), 0);

    int64_t k1 = add_sub(f->st, "ko", "k-1", 100);
    int64_t k2 = add_sub(f->st, "ko", "k-second", 90); /* later id, earlier clock */
    int64_t r1 = add_sub(f->st, "rbl", "r-1", 80);
    put(f->st, "ko", "m", "2026-08", "WK1", 1, k1, 1);
    put(f->st, "ko", "m", "2026-09", "WK1", 1, k2, 1);
    put(f->st, "ko", "m", "2026-10", "WK1", 1, k2, 1);
    put(f->st, "ko", "m", "2026-10", "WK1", 2, k2, 1); /* superseded: still one */
    put(f->st, "rbl", "m", "2026-10", "GM1", 1, r1, 1);

    static const struct { const char *reporter; int64_t obs, subs; } want[] = {
        {"ko", 3, 2}, {"rbl", 1, 1}, {NULL, 4, 3}, {"nobody", 0, 0}, {"", 0, 0}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        obs = subs = -1;
        assert_int_equal(store_counts(f->st, want[i].reporter, &obs, &subs), 0);
        if (obs != want[i].obs || subs != want[i].subs)
            fail_msg("%s: %lld observations, %lld submissions",
                     want[i].reporter ? want[i].reporter : "(all)", (long long)obs,
                     (long long)subs);
    }

    static const struct { const char *reporter; int found; const char *id; int64_t rowid; } last[] = {
        {"ko", 1, "k-second", 0}, {"rbl", 1, "r-1", 0}, {NULL, 1, "r-1", 0}, {"nobody", 0, "", 0}};
    for (size_t i = 0; i < sizeof last / sizeof last[0]; i++) {
        memset(&got, 0, sizeof got);
        strcpy(id, "");
        int rc = store_last_submission(f->st, last[i].reporter, id, sizeof id, &got);
        assert_int_equal(rc, last[i].found);
        if (rc == 1)
            assert_string_equal(id, last[i].id);
    }
    assert_int_equal(store_last_submission(f->st, "ko", id, sizeof id, &got), 1);
    assert_int_equal(got.rowid, k2);
    assert_int_equal(got.received, 90);
    assert_int_equal(got.records, 1);
    assert_true(got.digest == 42);
    /* The id is cut to fit. */
    char small[4] = "zzz";
    assert_int_equal(store_last_submission(f->st, "ko", small, sizeof small, &got), 1);
    assert_string_equal(small, "k-s");
}

/* A figure that marks its (metric, month, area) again after the mark was taken keeps the
 * mark through the clear: the snapshot computed before it must be computed again. */
static void test_dirty_mark_set_again_survives_the_clear(void **state)
{
    fixture *f = *state;
    int64_t sub;
    store_dirty_mark taken[4];
    assert_int_equal(store_begin(f->st), 0);
    assert_int_equal(store_add_submission(f->st, "ko", "s1", 1, 2, 7, &sub), 0);
    assert_int_equal(store_put_observation(f->st, "ko", "m", "2026-10", "WK01", 1, sub, 1), 0);
    assert_int_equal(store_put_observation(f->st, "ko", "m", "2026-11", "WK01", 1, sub, 1), 0);
    assert_int_equal(store_commit(f->st), 0);
    assert_int_equal(store_dirty_take(f->st, taken, 4), 2);
    assert_int_equal(taken[0].gen, 0);
    /* While the marks are being worked on, October's figure changes. */
    assert_int_equal(store_begin(f->st), 0);
    assert_int_equal(store_add_submission(f->st, "ko", "s2", 2, 1, 8, &sub), 0);
    assert_int_equal(store_put_observation(f->st, "ko", "m", "2026-10", "WK01", 2, sub, 2), 0);
    assert_int_equal(store_commit(f->st), 0);
    assert_int_equal(store_dirty_clear(f->st, taken, 2), 0);
    store_dirty_mark left[4];
    assert_int_equal(store_dirty_take(f->st, left, 4), 1);
    assert_string_equal(left[0].period, "2026-10");
    assert_int_equal(left[0].gen, 1);
    assert_int_equal(store_dirty_clear(f->st, left, 1), 0);
    assert_int_equal(store_dirty_take(f->st, left, 4), 0);
}

/* Two connections to one database (a second thread's) take turns on one write lock, and
 * a checkpoint empties the WAL that SQLite no longer checkpoints by itself. */
static void test_shared_connections_and_checkpoints(void **state)
{
    fixture *f = *state;
    store *other;
    lm_error err;
    int64_t sub;
    assert_int_equal(store_open_shared(&other, f->path, f->st, &err), 0);
    store_manual_checkpoints(f->st);
    store_manual_checkpoints(other);
    assert_int_equal(store_begin(f->st), 0);
    assert_int_equal(store_add_submission(f->st, "ko", "s1", 1, 1, 7, &sub), 0);
    assert_int_equal(store_commit(f->st), 0);
    long frames = store_wal_frames(other);
    assert_true(frames > 0); /* one WAL, seen from either connection */
    /* A read transaction sees one state while the other connection writes. */
    int64_t obs, subs;
    assert_int_equal(store_read_begin(other), 0);
    assert_int_equal(store_counts(other, NULL, &obs, &subs), 0);
    assert_int_equal(subs, 1);
    assert_int_equal(store_begin(f->st), 0);
    assert_int_equal(store_add_submission(f->st, "ko", "s2", 2, 1, 8, &sub), 0);
    assert_int_equal(store_commit(f->st), 0);
    assert_int_equal(store_counts(other, NULL, &obs, &subs), 0);
    assert_int_equal(subs, 1);
    store_read_end(other);
    assert_int_equal(store_counts(other, NULL, &obs, &subs), 0);
    assert_int_equal(subs, 2);
    /* Many commits, no automatic checkpoint: the WAL only grows. */
    for (int i = 0; i < 300; i++) {
        char id[16];
        snprintf(id, sizeof id, "t%d", i);
        assert_int_equal(store_begin(other), 0);
        assert_int_equal(store_add_submission(other, "ko", id, 3, 1, 9, &sub), 0);
        assert_int_equal(store_commit(other), 0);
    }
    assert_true(store_wal_frames(f->st) > frames);
    assert_int_equal(store_checkpoint(other, false), 0);
    assert_int_equal(store_wal_frames(f->st), 0);
    assert_int_equal(store_checkpoint(other, true), 0);
    char wal[TP + 8];
    snprintf(wal, sizeof wal, "%s-wal", f->path);
    FILE *w = fopen(wal, "rb");
    assert_non_null(w);
    assert_int_equal(fseek(w, 0, SEEK_END), 0);
    assert_int_equal(ftell(w), 0); /* truncated */
    fclose(w);
    store_close(&other);
    /* The first connection goes on alone. */
    assert_int_equal(store_begin(f->st), 0);
    assert_int_equal(store_add_submission(f->st, "ko", "s3", 4, 1, 10, &sub), 0);
    assert_int_equal(store_commit(f->st), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_creates_schema, setup_db, teardown_db),
        cmocka_unit_test_setup_teardown(test_open_migrates_schema_5, setup_db, teardown_db),
        cmocka_unit_test_setup_teardown(test_open_migrates_schema_6, setup_db, teardown_db),
        cmocka_unit_test_setup_teardown(test_silence_history, setup_db, teardown_db),
        cmocka_unit_test(test_open_newer_schema),
        cmocka_unit_test(test_open_failed_migration),
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_open_needs_wal),
        cmocka_unit_test_setup_teardown(test_submissions, setup_db, teardown_db),
        cmocka_unit_test_setup_teardown(test_observation_audit, setup_db, teardown_db),
        cmocka_unit_test_setup_teardown(test_observation_needs_submission, setup_db,
                                        teardown_db),
        cmocka_unit_test_setup_teardown(test_savepoint_rollback, setup_db, teardown_db),
        cmocka_unit_test_setup_teardown(test_rollback, setup_db, teardown_db),
        cmocka_unit_test_setup_teardown(test_counts_and_last, setup_db, teardown_db),
        cmocka_unit_test_setup_teardown(test_dirty_mark_set_again_survives_the_clear, setup_db,
                                        teardown_db),
        cmocka_unit_test_setup_teardown(test_shared_connections_and_checkpoints, setup_db,
                                        teardown_db),
    };
    return cmocka_run_group_tests(tests, tmpdir_setup, tmpdir_teardown);
}
