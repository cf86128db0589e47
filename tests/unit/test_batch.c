/* Unit tests for daemon/batch.c: a round's requests checked (who sent them, may they, are
 * the records valid) and its submissions stored in one transaction, against a real
 * temporary database and a real registry (the shipped catalogue and a small partners
 * file), in insecure mode: the sender is the request's reporter. Requests are encoded and
 * decoded as a client and the daemon do; what the store wrote is read through a second,
 * plain SQLite connection, and how many transactions reached the disk from the WAL file
 * itself. Replies are written with the op table and read back with the typed reader. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "batch.h"
#include "config.h"
#include "reply_submit.h"
#include "store.h"
#include "testutil.h"

#define CATALOG_CONF "config/catalog.conf"

/* Two childcare locations in two wijken, one that has closed, the GGD, and two staff. */
static const char PARTNERS[] =
    "areas = (\n"
    "  { code = \"GM0164\";   name = \"Hengelo\";      level = \"gemeente\"; },\n"
    "  { code = \"WK016402\"; name = \"Noord\";        level = \"wijk\"; parent = \"GM0164\"; },\n"
    "  { code = \"WK016404\"; name = \"Groot Driene\"; level = \"wijk\"; parent = \"GM0164\"; }\n"
    ");\n"
    "organisations = (\n"
    "  { id = \"ko-a\";     name = \"Kinderopvang A\"; kind = \"kinderopvang\"; area = \"WK016402\";\n"
    "    reports_for = [\"GM0164\"]; },\n"
    "  { id = \"ko-b\";     name = \"Kinderopvang B\"; kind = \"kinderopvang\"; area = \"WK016404\"; },\n"
    "  { id = \"ko-dicht\"; name = \"Gesloten locatie\"; kind = \"kinderopvang\"; area = \"WK016404\";"
    " active = false; },\n"
    "  { id = \"ggd\";      name = \"GGD\"; kind = \"ggd\"; area = \"GM0164\"; }\n"
    ");\n"
    "staff = (\n"
    "  { id = \"beleid\"; name = \"Beleidsadviseur\"; role = \"admin\"; },\n"
    "  { id = \"raad\";   name = \"Griffie\";         role = \"viewer\"; }\n"
    ");\n";

static const char STORING_FAILED[] = "internal error storing the submission; nothing was stored";
static const char COMMIT_FAILED[] = "internal error committing the submission; nothing was stored";
static const char CANNOT_WRITE[] =
    "the database cannot take writes now (disk full or read-only?); retry later";

typedef struct {
    settings set;
    registry reg;
    store *db;
    sqlite3 *raw; /* a second connection, for looking (and for making trouble) */
    char db_path[256], wal_path[300];
    log_ctx log;
    batch_env env;
    batch b;
} fixture;

static time_t now; /* 2026-11-15 12:00 local */

static int setup_tz(void **state)
{
    (void)state;
    if (setenv("TZ", "Europe/Amsterdam", 1) != 0)
        return -1;
    tzset();
    struct tm tm = {0};
    tm.tm_year = 2026 - 1900;
    tm.tm_mon = 10;
    tm.tm_mday = 15;
    tm.tm_hour = 12;
    tm.tm_isdst = -1;
    now = mktime(&tm);
    return 0;
}

static int setup(void **state)
{
    lm_error err;
    if (tmpdir_setup(state) != 0)
        return -1;
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    settings_defaults(&f->set);
    snprintf(f->set.catalog, sizeof f->set.catalog, "%s", CATALOG_CONF);
    write_file("partners.conf", PARTNERS, f->set.partners, sizeof f->set.partners);
    if (registry_load(&f->reg, &f->set, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        free(f);
        return -1;
    }
    path_join(f->db_path, sizeof f->db_path, tmpdir, "leamon.db");
    snprintf(f->wal_path, sizeof f->wal_path, "%s-wal", f->db_path);
    if (store_open(&f->db, f->db_path, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        registry_free(&f->reg);
        free(f);
        return -1;
    }
    if (sqlite3_open_v2(f->db_path, &f->raw, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
        batch_init(&f->b, 16) != 0) {
        sqlite3_close(f->raw);
        store_close(&f->db);
        registry_free(&f->reg);
        free(f);
        return -1;
    }
    sqlite3_busy_timeout(f->raw, 5000);
    /* Quiet: the failures these tests make on purpose are logged as errors. */
    f->log.level = (log_level)0;
    f->env = (batch_env){f->db, &f->reg, &f->set, &f->log, false, NULL};
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    batch_free(&f->b);
    sqlite3_close(f->raw);
    store_close(&f->db);
    registry_free(&f->reg);
    free(f);
    return tmpdir_teardown(state);
}

/* ---- looking at the database ---------------------------------------------- */

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

/* The single integer a query returns; the query is built with sqlite3_mprintf (%Q). */
static int64_t query_int(sqlite3 *db, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *sql = sqlite3_vmprintf(fmt, ap);
    va_end(ap);
    assert_non_null(sql);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        char copy[512];
        snprintf(copy, sizeof copy, "%s: %s", sql, sqlite3_errmsg(db));
        sqlite3_free(sql);
        fail_msg("%s", copy);
    }
    int rc = sqlite3_step(st);
    int64_t v = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW) {
        char copy[512];
        snprintf(copy, sizeof copy, "%s: no row", sql);
        sqlite3_free(sql);
        fail_msg("%s", copy);
    }
    sqlite3_free(sql);
    return v;
}

static int64_t submissions(fixture *f, const char *reporter)
{
    return query_int(f->raw, "SELECT count(*) FROM submission WHERE reporter = %Q", reporter);
}

static int64_t stored_as(fixture *f, const char *reporter, const char *id)
{
    return query_int(f->raw,
                     "SELECT count(*) FROM submission WHERE reporter = %Q AND request_id = %Q",
                     reporter, id);
}

static int64_t observations(fixture *f, const char *reporter)
{
    return query_int(f->raw, "SELECT count(*) FROM observation WHERE reporter = %Q", reporter);
}

static int64_t all_rows(fixture *f, const char *table)
{
    return query_int(f->raw, "SELECT count(*) FROM %s", table);
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* Transactions committed to the WAL file so far: its frames that end a commit (a frame
 * header's second word, the database size after the commit, is 0 in every other frame).
 * No checkpoint resets the WAL in these tests: the database stays far below 1000 pages. */
static int wal_commits(const fixture *f)
{
    FILE *in = fopen(f->wal_path, "rb");
    unsigned char head[32];
    if (!in || fread(head, 1, sizeof head, in) != sizeof head) {
        if (in)
            fclose(in);
        return 0;
    }
    size_t page = be32(head + 8) == 1 ? 65536 : be32(head + 8);
    uint32_t salt1 = be32(head + 16), salt2 = be32(head + 20);
    unsigned char *frame = malloc(24 + page);
    assert_non_null(frame);
    int commits = 0;
    while (fread(frame, 1, 24 + page, in) == 24 + page && be32(frame + 8) == salt1 &&
           be32(frame + 12) == salt2)
        commits += be32(frame + 4) != 0;
    free(frame);
    fclose(in);
    return commits;
}

/* b->wrote is set for exactly these organisations (a NULL-ended list). */
static void assert_wrote(fixture *f, const char *const *ids)
{
    assert_int_equal(f->b.n_wrote, f->reg.parts.n_orgs);
    assert_non_null(f->b.wrote);
    for (size_t i = 0; i < f->reg.parts.n_orgs; i++) {
        bool want = false;
        for (size_t k = 0; ids[k]; k++)
            want = want || strcmp(ids[k], f->reg.parts.orgs[i].id) == 0;
        if (f->b.wrote[i] != want)
            fail_msg("wrote[%s] is %d, expected %d", f->reg.parts.orgs[i].id, f->b.wrote[i], want);
    }
}

/* ---- building the batch -------------------------------------------------- */

typedef struct {
    const char *metric, *area, *period; /* area NULL: absent (the home area) */
    double value;
} rec;

/* Encode req as a client does and decode it into the next slot as the daemon does; with
 * head_only as the daemon reads a request beyond one commit (proto_request_head). */
static pending *read_slot(fixture *f, const proto_request *req, bool head_only)
{
    pending *p = batch_slot(&f->b);
    assert_non_null(p);
    msgpack_sbuffer sb;
    msgpack_sbuffer_init(&sb);
    assert_int_equal(proto_request_encode(req, &sb), 0);
    lm_error e;
    p->size = sb.size;
    p->status = head_only ? proto_request_head(sb.data, sb.size, &p->req, NULL, &e)
                          : proto_request_decode(sb.data, sb.size, &p->req, &p->errs, &e);
    memcpy(p->why, e.msg, sizeof p->why);
    msgpack_sbuffer_destroy(&sb);
    if (p->status != PROTO_OK)
        fail_msg("%s does not decode: %d %s", req->id, p->status, p->why);
    return p;
}

static pending *read_into_slot(fixture *f, const proto_request *req)
{
    return read_slot(f, req, false);
}

/* A submission from ko-a packed by hand (records no client would send) into sb, fresh: the
 * fields up to the header of its array of n records, which the caller packs with pk. */
static void pack_submission(msgpack_sbuffer *sb, msgpack_packer *pk, const char *id, uint32_t n)
{
    msgpack_sbuffer_init(sb);
    msgpack_packer_init(pk, sb, msgpack_sbuffer_write);
    msgpack_pack_map(pk, 5);
    proto_pack_kv_int(pk, "v", 1);
    proto_pack_kv_str(pk, "op", "submit");
    proto_pack_kv_str(pk, "id", id);
    proto_pack_kv_str(pk, "reporter", "ko-a");
    proto_pack_str(pk, "records");
    msgpack_pack_array(pk, n);
}

/* What pack_submission and the records after it wrote, decoded into the next slot. */
static pending *read_packed(fixture *f, msgpack_sbuffer *sb)
{
    pending *p = batch_slot(&f->b);
    assert_non_null(p);
    lm_error e;
    p->size = sb->size;
    p->status = proto_request_decode(sb->data, sb->size, &p->req, &p->errs, &e);
    memcpy(p->why, e.msg, sizeof p->why);
    msgpack_sbuffer_destroy(sb);
    return p;
}

static pending *read_submit_as(fixture *f, const char *id, const char *reporter,
                               const rec *recs, size_t n, bool dry_run, bool head_only)
{
    proto_request req;
    memset(&req, 0, sizeof req);
    req.version = PROTO_VERSION;
    req.op = PROTO_OP_SUBMIT;
    snprintf(req.id, sizeof req.id, "%s", id);
    snprintf(req.reporter, sizeof req.reporter, "%s", reporter);
    req.dry_run = dry_run;
    proto_record *records = calloc(n ? n : 1, sizeof *records);
    assert_non_null(records);
    for (size_t i = 0; i < n; i++) {
        snprintf(records[i].metric, sizeof records[i].metric, "%s", recs[i].metric);
        snprintf(records[i].area, sizeof records[i].area, "%s", recs[i].area ? recs[i].area : "");
        snprintf(records[i].period, sizeof records[i].period, "%s", recs[i].period);
        records[i].value = recs[i].value;
    }
    req.records = records;
    req.n_records = n;
    pending *p = read_slot(f, &req, head_only);
    free(records);
    return p;
}

static pending *read_submit(fixture *f, const char *id, const char *reporter, const rec *recs,
                            size_t n, bool dry_run)
{
    return read_submit_as(f, id, reporter, recs, n, dry_run, false);
}

/* A submission kept for this batch's commit. */
static pending *submit(fixture *f, const char *id, const char *reporter, const rec *recs,
                       size_t n)
{
    pending *p = read_submit(f, id, reporter, recs, n, false);
    batch_keep(&f->b);
    return p;
}

static pending *dry_run(fixture *f, const char *id, const char *reporter, const rec *recs,
                        size_t n)
{
    pending *p = read_submit(f, id, reporter, recs, n, true);
    batch_keep(&f->b);
    return p;
}

/* Another op, with the common fields and reporter only. */
static pending *request(fixture *f, proto_op op, const char *id, const char *reporter)
{
    proto_request req;
    memset(&req, 0, sizeof req);
    req.version = PROTO_VERSION;
    req.op = op;
    snprintf(req.id, sizeof req.id, "%s", id);
    snprintf(req.reporter, sizeof req.reporter, "%s", reporter);
    pending *p = read_into_slot(f, &req);
    batch_keep(&f->b);
    return p;
}

/* Check and commit the batch as one round of the daemon does. */
static bool run_batch(fixture *f, time_t at)
{
    batch_check(&f->b, &f->env, at);
    return batch_commit(&f->b, &f->env, at);
}

/* ---- the replies --------------------------------------------------------- */

typedef struct {
    proto_head head;
    proto_submit_reply r;
    uint32_t keys; /* of the reply map */
} answer;

/* The reply to p, written through the op table as the daemon writes it, and read back. */
static void reply_to(fixture *f, const pending *p, answer *a)
{
    mpw w;
    mpw_init(&w);
    op_ctx c = {
        .req = &p->req, .who = &p->who, .now = now, .db = f->db, .reg = &f->reg,
        .set = &f->set, .log = &f->log, .started = now, .secure = false,
        .status = p->status, .why = p->why, .submitted = &p->res, .errors = &p->errs, .w = &w,
    };
    op_reply(p->status == PROTO_OK ? p->op : op_find(p->req.op), &c);
    assert_true(mpw_ok(&w));
    assert_int_equal(c.replied, p->status);
    msgpack_unpacked u;
    msgpack_unpacked_init(&u);
    assert_int_equal(msgpack_unpack_next(&u, mpw_data(&w), mpw_size(&w), NULL),
                     MSGPACK_UNPACK_SUCCESS);
    assert_int_equal(u.data.type, MSGPACK_OBJECT_MAP);
    lm_error e;
    if (proto_reply_head(&u.data, &a->head, &e) != 0 ||
        proto_submit_reply_read(&u.data, &a->r, &e) != 0)
        fail_msg("the reply to %s does not read: %s", p->req.id, e.msg);
    a->keys = u.data.via.map.size;
    msgpack_unpacked_destroy(&u);
    mpw_free(&w);
}

/* A submit reply of status with accepted, duplicate and dry_run as given. */
static void assert_reply(fixture *f, const pending *p, int status, const char *error,
                         int64_t accepted, bool duplicate)
{
    answer a;
    reply_to(f, p, &a);
    assert_string_equal(a.head.id, p->req.id);
    assert_int_equal(a.head.status, status);
    assert_string_equal(a.head.error, status == PROTO_OK ? "" : error);
    assert_int_equal(a.r.accepted, accepted);
    assert_int_equal(a.r.duplicate, duplicate);
    assert_int_equal(a.r.dry_run, p->req.dry_run);
    /* v, id, status, accepted, duplicate, dry_run; error unless 200; errors and error_count
     * with 422; retry_after_ms with 503. */
    uint32_t keys = 6 + (status != PROTO_OK) + 2 * (status == PROTO_INVALID) +
                    (status == PROTO_UNAVAILABLE);
    assert_int_equal(a.keys, keys);
    assert_int_equal(a.r.has_retry, status == PROTO_UNAVAILABLE);
    proto_submit_reply_free(&a.r);
}

/* p's outcome after the batch: status, the reason, and what it was told was accepted. */
static void assert_outcome(const pending *p, int status, const char *why, int64_t accepted,
                           bool duplicate)
{
    if (p->status != status)
        fail_msg("%s: status %d (%s), expected %d", p->req.id, p->status, p->why, status);
    if (status != PROTO_OK)
        assert_string_equal(p->why, why);
    assert_int_equal(p->res.accepted, accepted);
    assert_int_equal(p->res.duplicate, duplicate);
}

/* ---- figures used throughout --------------------------------------------- */

static const rec KO_A[] = {
    {"vve.peuters.geplaatst", NULL, "2026-10", 42},     /* the home area, WK016402 */
    {"vve.uren.per_week", "WK016402", "2026-10", 16.5},
    {"vve.wachtlijst", "GM0164", "2026-10", 2},
};
static const rec KO_B[] = {
    {"vve.peuters.geplaatst", NULL, "2026-10", 28},
    {"vve.doelgroep.geplaatst", NULL, "2026-10", 14},
};
static const rec GGD[] = {
    {"jgz.doelgroep.geindiceerd", "WK016402", "2026-10", 21},
    {"jgz.doelgroep.geindiceerd", "WK016404", "2026-10", 18},
};
#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- one submission ------------------------------------------------------ */

static void test_valid_submission_is_stored(void **state)
{
    fixture *f = *state;
    int commits = wal_commits(f);
    pending *p = submit(f, "ko-a-2026-10", "ko-a", KO_A, N(KO_A));
    assert_int_equal(f->b.n, 1);
    assert_int_equal(f->b.records, 3);

    batch_check(&f->b, &f->env, now);
    assert_int_equal(p->status, PROTO_OK);
    assert_true(p->write);
    assert_int_equal(p->who.type, IDENT_ORG);
    assert_string_equal(p->who.org->id, "ko-a");
    assert_ptr_equal(p->op, op_find(PROTO_OP_SUBMIT));
    assert_int_equal(wal_commits(f), commits); /* checking writes nothing */

    assert_true(batch_commit(&f->b, &f->env, now));
    assert_outcome(p, PROTO_OK, "", 3, false);
    assert_int_equal(wal_commits(f), commits + 1);
    assert_int_equal(stored_as(f, "ko-a", "ko-a-2026-10"), 1);
    assert_int_equal(query_int(f->raw, "SELECT records FROM submission WHERE request_id = %Q",
                               "ko-a-2026-10"), 3);
    assert_int_equal(query_int(f->raw, "SELECT received_at FROM submission WHERE request_id = %Q",
                               "ko-a-2026-10"), (int64_t)now);
    assert_int_equal(observations(f, "ko-a"), 3);
    /* Each record as sent, the one without an area in ko-a's home area, all from this
     * submission and reported now. */
    assert_int_equal(query_int(f->raw, "SELECT value FROM observation WHERE reporter = 'ko-a'"
                               " AND metric = 'vve.peuters.geplaatst' AND area = 'WK016402'"
                               " AND period = '2026-10'"), 42);
    assert_int_equal(query_int(f->raw, "SELECT value * 10 FROM observation WHERE metric ="
                               " 'vve.uren.per_week' AND area = 'WK016402'"), 165);
    assert_int_equal(query_int(f->raw, "SELECT value FROM observation WHERE metric ="
                               " 'vve.wachtlijst' AND area = 'GM0164'"), 2);
    assert_int_equal(query_int(f->raw, "SELECT count(*) FROM observation o JOIN submission s"
                               " ON o.submission = s.id WHERE s.request_id = 'ko-a-2026-10'"
                               " AND o.reported_at = %lld", (long long)now), 3);
    const char *const wrote[] = {"ko-a", NULL};
    assert_wrote(f, wrote);
    assert_reply(f, p, PROTO_OK, NULL, 3, false);
}

static void test_retry_is_a_duplicate_and_writes_nothing(void **state)
{
    fixture *f = *state;
    submit(f, "ko-a-2026-10", "ko-a", KO_A, N(KO_A));
    assert_true(run_batch(f, now));
    batch_clear(&f->b);
    int commits = wal_commits(f);

    /* The same bytes a minute later, as a client resends them after a lost reply. */
    pending *p = submit(f, "ko-a-2026-10", "ko-a", KO_A, N(KO_A));
    assert_false(run_batch(f, now + 60));
    assert_outcome(p, PROTO_OK, "", 3, true);
    assert_false(p->write);
    assert_int_equal(wal_commits(f), commits);
    assert_int_equal(submissions(f, "ko-a"), 1);
    assert_int_equal(observations(f, "ko-a"), 3);
    assert_int_equal(query_int(f->raw, "SELECT max(received_at) FROM submission"), (int64_t)now);
    assert_int_equal(query_int(f->raw, "SELECT max(updated_at) FROM observation"), (int64_t)now);
    assert_reply(f, p, PROTO_OK, NULL, 3, true);
}

static void test_same_id_with_other_figures_is_a_conflict(void **state)
{
    fixture *f = *state;
    submit(f, "ko-a-2026-10", "ko-a", KO_A, N(KO_A));
    assert_true(run_batch(f, now));
    batch_clear(&f->b);
    int commits = wal_commits(f);

    rec changed[N(KO_A)];
    memcpy(changed, KO_A, sizeof changed);
    changed[0].value = 43;
    pending *p = submit(f, "ko-a-2026-10", "ko-a", changed, N(changed));
    assert_false(run_batch(f, now + 60));
    assert_outcome(p, PROTO_CONFLICT,
                   "request id ko-a-2026-10 was already used for different figures; use a new id",
                   0, false);
    assert_int_equal(wal_commits(f), commits);
    assert_int_equal(submissions(f, "ko-a"), 1);
    assert_int_equal(query_int(f->raw, "SELECT value FROM observation WHERE metric ="
                               " 'vve.peuters.geplaatst'"), 42);
    assert_int_equal(all_rows(f, "observation_audit"), 0);
    assert_reply(f, p, PROTO_CONFLICT, p->why, 0, false);

    /* The same id of another reporter is another submission. */
    batch_clear(&f->b);
    pending *other = submit(f, "ko-a-2026-10", "ko-b", KO_B, N(KO_B));
    assert_true(run_batch(f, now + 60));
    assert_outcome(other, PROTO_OK, "", 2, false);
    assert_int_equal(stored_as(f, "ko-b", "ko-a-2026-10"), 1);
}

static void test_dry_run_stores_nothing(void **state)
{
    fixture *f = *state;
    int commits = wal_commits(f);
    pending *p = dry_run(f, "ko-a-check", "ko-a", KO_A, N(KO_A));
    assert_false(run_batch(f, now));
    assert_outcome(p, PROTO_OK, "", 3, false);
    assert_true(p->req.dry_run);
    assert_false(p->write);
    assert_int_equal(wal_commits(f), commits);
    assert_int_equal(all_rows(f, "submission"), 0);
    assert_int_equal(all_rows(f, "observation"), 0);
    assert_int_equal(all_rows(f, "dirty"), 0);
    assert_reply(f, p, PROTO_OK, NULL, 3, false);

    /* The id is not used up: the real submission under it is stored. */
    batch_clear(&f->b);
    pending *real = submit(f, "ko-a-check", "ko-a", KO_A, N(KO_A));
    assert_true(run_batch(f, now));
    assert_outcome(real, PROTO_OK, "", 3, false);
    assert_int_equal(stored_as(f, "ko-a", "ko-a-check"), 1);
    assert_int_equal(observations(f, "ko-a"), 3);
}

static void test_invalid_records_are_refused_with_422(void **state)
{
    fixture *f = *state;
    static const rec bad[] = {
        {"vve.plaatsen", NULL, "2026-10", 40},                  /* fine */
        {"vve.wachtlijst", NULL, "2026-10", 2.5},               /* not a count */
        {"vve.nope", NULL, "2026-10", 1},                       /* no such metric */
        {"jgz.doelgroep.geindiceerd", NULL, "2026-12", 20},     /* the GGD's; the future */
    };
    int commits = wal_commits(f);
    pending *p = submit(f, "ko-a-bad", "ko-a", bad, N(bad));
    pending *good = submit(f, "ko-b-good", "ko-b", KO_B, N(KO_B)); /* beside it */
    assert_true(run_batch(f, now));
    assert_outcome(p, PROTO_INVALID, "4 errors in 3 of 4 records; nothing was stored", 0, false);
    assert_false(p->write);
    static const struct {
        long index;
        const char *field, *code;
    } want[] = {
        {1, "value", "not_integer"},
        {2, "metric", "unknown_metric"},
        {3, "metric", "metric_not_allowed"},
        {3, "period", "future_period"},
    };
    assert_int_equal(p->errs.total, N(want));
    assert_int_equal(p->errs.count, N(want));
    for (size_t i = 0; i < N(want); i++) {
        assert_int_equal(p->errs.items[i].index, want[i].index);
        assert_string_equal(p->errs.items[i].field, want[i].field);
        assert_string_equal(p->errs.items[i].code, want[i].code);
    }
    assert_string_equal(p->errs.items[1].message,
                        "unknown metric 'vve.nope' (leamon catalog lists the metrics)");
    /* Nothing of it is stored, not even its valid record; the other one is. */
    assert_int_equal(stored_as(f, "ko-a", "ko-a-bad"), 0);
    assert_int_equal(observations(f, "ko-a"), 0);
    assert_outcome(good, PROTO_OK, "", 2, false);
    assert_int_equal(observations(f, "ko-b"), 2);
    assert_int_equal(wal_commits(f), commits + 1);
    const char *const wrote[] = {"ko-b", NULL};
    assert_wrote(f, wrote);

    answer a;
    reply_to(f, p, &a);
    assert_int_equal(a.head.status, PROTO_INVALID);
    assert_string_equal(a.head.error, "4 errors in 3 of 4 records; nothing was stored");
    assert_int_equal(a.r.accepted, 0);
    assert_int_equal(a.r.errors.total, 4);
    assert_int_equal(a.r.errors.count, 4);
    for (size_t i = 0; i < N(want); i++) {
        assert_int_equal(a.r.errors.items[i].index, want[i].index);
        assert_string_equal(a.r.errors.items[i].field, want[i].field);
        assert_string_equal(a.r.errors.items[i].code, want[i].code);
        assert_string_equal(a.r.errors.items[i].message, p->errs.items[i].message);
    }
    proto_submit_reply_free(&a.r);

    /* The id may be used again: nothing was stored under it. */
    batch_clear(&f->b);
    pending *fixed = submit(f, "ko-a-bad", "ko-a", bad, 1);
    assert_true(run_batch(f, now));
    assert_outcome(fixed, PROTO_OK, "", 1, false);
}

/* A record that does not even decode (a string value) is a 422 too, with the decoder's
 * error and the checks' errors together. */
static void test_type_error_from_decoding_is_a_422(void **state)
{
    fixture *f = *state;
    /* {"v":1,"op":"submit","id":"t-16","reporter":"ko-a","records":[
     *   {"metric":"vve.uren.per_week","period":"2026-10","value":"16"},
     *   {"metric":"vve.plaatsen","period":"2026-13","value":4}]} */
    msgpack_sbuffer sb;
    msgpack_packer pk;
    pack_submission(&sb, &pk, "t-16", 2);
    msgpack_pack_map(&pk, 3);
    proto_pack_kv_str(&pk, "metric", "vve.uren.per_week");
    proto_pack_kv_str(&pk, "period", "2026-10");
    proto_pack_kv_str(&pk, "value", "16");
    msgpack_pack_map(&pk, 3);
    proto_pack_kv_str(&pk, "metric", "vve.plaatsen");
    proto_pack_kv_str(&pk, "period", "2026-13");
    proto_pack_kv_int(&pk, "value", 4);
    pending *p = read_packed(f, &sb);
    assert_int_equal(p->status, PROTO_OK);
    batch_keep(&f->b);
    assert_false(run_batch(f, now));
    assert_outcome(p, PROTO_INVALID, "2 errors in 2 of 2 records; nothing was stored", 0, false);
    assert_int_equal(p->errs.items[0].index, 0);
    assert_string_equal(p->errs.items[0].field, "value");
    assert_string_equal(p->errs.items[0].code, "type");
    assert_int_equal(p->errs.items[1].index, 1);
    assert_string_equal(p->errs.items[1].field, "period");
    assert_string_equal(p->errs.items[1].code, "bad_period");
    assert_int_equal(all_rows(f, "submission"), 0);
    assert_reply(f, p, PROTO_INVALID, p->why, 0, false);
}

/* More errors than a reply lists: the first 1000 are kept, all are counted. */
static void test_more_errors_than_listed(void **state)
{
    fixture *f = *state;
    enum { MANY = 1200 };
    rec *recs = calloc(MANY, sizeof *recs);
    char (*codes)[16] = calloc(MANY, sizeof *codes);
    assert_non_null(recs);
    assert_non_null(codes);
    for (size_t i = 0; i < MANY; i++) {
        snprintf(codes[i], sizeof codes[i], "nope.%zu", i);
        recs[i] = (rec){codes[i], NULL, "2026-10", 1};
    }
    pending *p = submit(f, "ko-a-many", "ko-a", recs, MANY);
    free(recs);
    free(codes);
    assert_false(run_batch(f, now));
    assert_outcome(p, PROTO_INVALID,
                   "1200 errors in a submission of 1200 records (the first 1000 listed); "
                   "nothing was stored", 0, false);
    assert_int_equal(p->errs.total, MANY);
    assert_int_equal(p->errs.count, PROTO_MAX_ERRORS);
    assert_int_equal(p->errs.items[999].index, 999);
    assert_int_equal(all_rows(f, "submission"), 0);
    answer a;
    reply_to(f, p, &a);
    assert_int_equal(a.head.status, PROTO_INVALID);
    assert_int_equal(a.r.errors.count, PROTO_MAX_ERRORS);
    assert_int_equal(a.r.errors.total, MANY);
    proto_submit_reply_free(&a.r);
}

/* ---- who may submit ------------------------------------------------------ */

static void test_senders_who_may_not_submit(void **state)
{
    fixture *f = *state;
    int commits = wal_commits(f);
    pending *admin = submit(f, "s-admin", "beleid", KO_A, N(KO_A));
    pending *viewer = submit(f, "s-viewer", "raad", KO_A, N(KO_A));
    pending *anonymous = submit(f, "s-anon", "", KO_A, N(KO_A));
    pending *closed = submit(f, "s-closed", "ko-dicht", KO_B, N(KO_B));
    pending *unknown = submit(f, "s-unknown", "ko-nobody", KO_A, N(KO_A));
    assert_false(run_batch(f, now));

    static const char staff[] = "staff read figures; only partner organisations submit them";
    assert_outcome(admin, PROTO_FORBIDDEN, staff, 0, false);
    assert_outcome(viewer, PROTO_FORBIDDEN, staff, 0, false);
    assert_outcome(anonymous, PROTO_UNAUTHENTICATED,
                   "a submission must name its reporter in insecure mode (leamon --reporter ID)",
                   0, false);
    assert_outcome(closed, PROTO_FORBIDDEN,
                   "organisation ko-dicht is inactive in the partners file", 0, false);
    assert_outcome(unknown, PROTO_UNAUTHENTICATED,
                   "unknown reporter 'ko-nobody': not an organisation or staff id in the "
                   "partners file", 0, false);
    assert_int_equal(admin->who.type, IDENT_STAFF);
    assert_int_equal(anonymous->who.type, IDENT_ANONYMOUS);
    assert_int_equal(closed->who.type, IDENT_ORG);
    for (size_t i = 0; i < f->b.n; i++) {
        assert_false(f->b.items[i].write);
        assert_false(f->b.items[i].in_txn);
        /* The records were never looked at. */
        assert_int_equal(f->b.items[i].errs.total, 0);
    }
    assert_int_equal(wal_commits(f), commits);
    assert_int_equal(all_rows(f, "submission"), 0);
    assert_int_equal(all_rows(f, "observation"), 0);
    /* A submission answers with its fields in these cases too (PROTOCOL.md §4). */
    assert_reply(f, admin, PROTO_FORBIDDEN, staff, 0, false);
    assert_reply(f, anonymous, PROTO_UNAUTHENTICATED, anonymous->why, 0, false);
    assert_reply(f, closed, PROTO_FORBIDDEN, closed->why, 0, false);
}

/* ---- beyond one commit ---------------------------------------------------- */

/* Limits per organisation: past them 429 with when to come back, nothing stored, others
 * not held up. */
static void test_organisation_past_its_limit_gets_429(void **state)
{
    fixture *f = *state;
    quotas q;
    assert_int_equal(quotas_init(&q, f->reg.parts.n_orgs, 2, 5, 0), 0);
    f->env.q = &q;
    pending *one = submit(f, "ko-a-1", "ko-a", KO_A, N(KO_A));
    pending *two = submit(f, "ko-a-2", "ko-a", KO_A, N(KO_A));
    pending *three = submit(f, "ko-a-3", "ko-a", KO_A, N(KO_A));
    pending *other = submit(f, "ko-b-1", "ko-b", KO_B, N(KO_B));
    assert_true(run_batch(f, now));
    assert_int_equal(one->status, PROTO_OK);
    /* 3 + 3 records pass the 5 a day: the second is refused for the day, */
    assert_int_equal(two->status, PROTO_TOO_MANY);
    assert_non_null(strstr(two->why, "ko-a has sent more than its limit of records a day (5)"));
    assert_true(two->res.retry_after_ms > 0 && two->res.retry_after_ms <= 86400000);
    /* and so is the third (the minute still has room for it). */
    assert_int_equal(three->status, PROTO_TOO_MANY);
    assert_int_equal(other->status, PROTO_OK);
    assert_int_equal(stored_as(f, "ko-a", "ko-a-2"), 0);
    assert_int_equal(stored_as(f, "ko-b", "ko-b-1"), 1);
    answer a;
    reply_to(f, two, &a);
    assert_int_equal(a.head.status, PROTO_TOO_MANY);
    assert_true(a.r.has_retry);
    assert_int_equal(a.r.retry_after_ms, two->res.retry_after_ms);
    proto_submit_reply_free(&a.r);
    batch_clear(&f->b);
    /* Submissions a minute: the third in a minute waits for the next minute. */
    quotas_free(&q);
    assert_int_equal(quotas_init(&q, f->reg.parts.n_orgs, 2, 0, 0), 0);
    submit(f, "ko-b-2", "ko-b", KO_B, N(KO_B));
    submit(f, "ko-b-3", "ko-b", KO_B, N(KO_B));
    pending *late = submit(f, "ko-b-4", "ko-b", KO_B, N(KO_B));
    assert_true(run_batch(f, now));
    assert_int_equal(late->status, PROTO_TOO_MANY);
    assert_non_null(strstr(late->why, "submissions a minute (2)"));
    assert_true(late->res.retry_after_ms > 0 && late->res.retry_after_ms <= 60000);
    batch_clear(&f->b);
    /* Corrections a day: each figure replaced by another value leaves an audit row. */
    quotas_free(&q);
    assert_int_equal(quotas_init(&q, f->reg.parts.n_orgs, 0, 0, 2), 0);
    static const rec changed[] = {
        {"vve.peuters.geplaatst", NULL, "2026-10", 43},
        {"vve.uren.per_week", "WK016402", "2026-10", 17},
        {"vve.wachtlijst", "GM0164", "2026-10", 3},
    };
    static const rec again[] = {{"vve.peuters.geplaatst", NULL, "2026-10", 44}};
    pending *fresh = submit(f, "ko-a-new", "ko-a", KO_A, N(KO_A));
    assert_true(run_batch(f, now));
    assert_int_equal(fresh->status, PROTO_OK);
    batch_clear(&f->b);
    pending *fix = submit(f, "ko-a-fix", "ko-a", changed, N(changed));
    assert_true(run_batch(f, now));
    assert_int_equal(fix->status, PROTO_OK); /* 0 before it: stored whole, 3 corrections */
    batch_clear(&f->b);
    pending *more = submit(f, "ko-a-more", "ko-a", again, N(again));
    run_batch(f, now); /* nothing to commit */
    assert_int_equal(more->status, PROTO_TOO_MANY);
    assert_non_null(strstr(more->why, "its limit of corrections a day (2)"));
    assert_int_equal(stored_as(f, "ko-a", "ko-a-more"), 0);
    batch_clear(&f->b);
    quotas_free(&q);
    f->env.q = NULL;
}

static void test_overflow_submission_gets_503_and_its_records_go(void **state)
{
    fixture *f = *state;
    pending *kept = submit(f, "ko-a-kept", "ko-a", KO_A, N(KO_A));
    /* Read beyond what one commit takes: a submission, and a ping. */
    pending *over = read_submit(f, "ko-b-over", "ko-b", KO_B, N(KO_B), false);
    assert_int_equal(over->req.n_records, 2);
    batch_keep_overflow(&f->b);
    assert_true(over->overflow);
    assert_null(over->req.records); /* dropped at once */
    assert_int_equal(over->req.n_records, 0);
    pending *late_ping = read_into_slot(f, &(proto_request){.version = PROTO_VERSION,
                                                            .op = PROTO_OP_PING,
                                                            .id = "ping-over",
                                                            .reporter = "ko-b"});
    batch_keep_overflow(&f->b);
    /* As the daemon reads beyond one commit: the records are never decoded. */
    pending *head = read_submit_as(f, "ko-b-head", "ko-b", KO_B, N(KO_B), true, true);
    assert_null(head->req.records);
    assert_int_equal(head->req.n_records, 0);
    batch_keep_overflow(&f->b);
    assert_int_equal(f->b.n, 4);
    assert_int_equal(f->b.records, 3); /* only the kept submission's */

    assert_true(run_batch(f, now));
    assert_outcome(kept, PROTO_OK, "", 3, false);
    char why[LM_ERROR_MAX];
    snprintf(why, sizeof why, "the daemon is busy: more submissions are waiting than one commit "
             "takes (batch_max %lld requests, %d records); nothing was stored, retry in 1000 ms",
             f->set.batch_max, BATCH_RECORDS);
    assert_outcome(over, PROTO_UNAVAILABLE, why, 0, false);
    assert_int_equal(over->res.retry_after_ms, 1000);
    assert_false(over->write);
    assert_int_equal(late_ping->status, PROTO_OK);
    assert_outcome(head, PROTO_UNAVAILABLE, why, 0, false);
    assert_int_equal(head->res.retry_after_ms, 1000);
    assert_int_equal(head->cause, REFUSED_BUSY);
    assert_int_equal(stored_as(f, "ko-a", "ko-a-kept"), 1);
    assert_int_equal(stored_as(f, "ko-b", "ko-b-over"), 0);
    assert_int_equal(stored_as(f, "ko-b", "ko-b-head"), 0);
    assert_int_equal(observations(f, "ko-b"), 0);
    const char *const wrote[] = {"ko-a", NULL};
    assert_wrote(f, wrote);

    answer a;
    reply_to(f, over, &a);
    assert_int_equal(a.head.status, PROTO_UNAVAILABLE);
    assert_string_equal(a.head.error, why);
    assert_true(a.r.has_retry);
    assert_int_equal(a.r.retry_after_ms, 1000);
    assert_int_equal(a.r.accepted, 0);
    proto_submit_reply_free(&a.r);
    /* Read without its records, the same reply, its dry run flag and all. */
    reply_to(f, head, &a);
    assert_int_equal(a.head.status, PROTO_UNAVAILABLE);
    assert_string_equal(a.head.error, why);
    assert_true(a.r.has_retry);
    assert_int_equal(a.r.retry_after_ms, 1000);
    assert_true(a.r.dry_run);
    proto_submit_reply_free(&a.r);
}

/* What a request holds from its reading to its reply counts against request_memory_budget:
 * its size as read, its records, and the list of their errors, which can be far larger
 * than the request. */
static void test_batch_counts_what_its_requests_hold(void **state)
{
    fixture *f = *state;
    pending *p = submit(f, "ko-a-held", "ko-a", KO_A, N(KO_A));
    assert_true(p->size > 0);
    size_t one = p->size + N(KO_A) * sizeof(proto_record);
    assert_int_equal(f->b.bytes, one);
    pending *ping = request(f, PROTO_OP_PING, "ping-held", "ko-a");
    assert_int_equal(f->b.bytes, one + ping->size);
    /* A record with 300 unknown fields: 300 errors from the decoder. */
    msgpack_sbuffer sb;
    msgpack_packer pk;
    pack_submission(&sb, &pk, "odd", 1);
    msgpack_pack_map(&pk, 300);
    for (int i = 0; i < 300; i++) {
        char key[16];
        snprintf(key, sizeof key, "x%d", i);
        proto_pack_kv_int(&pk, key, i);
    }
    size_t size = sb.size;
    pending *odd = read_packed(f, &sb);
    assert_int_equal(odd->status, PROTO_OK);
    assert_int_equal(odd->size, size);
    assert_true(odd->errs.cap >= 300);
    batch_keep(&f->b);
    size_t errors = odd->errs.cap * sizeof(proto_error);
    assert_int_equal(f->b.bytes, one + ping->size + odd->size + sizeof(proto_record) + errors);
    assert_true(errors > 20 * odd->size);
    /* Beyond one commit nothing is counted: the reader decoded nothing there. */
    size_t before = f->b.bytes;
    read_submit_as(f, "ko-a-beyond", "ko-a", KO_A, N(KO_A), false, true);
    batch_keep_overflow(&f->b);
    assert_int_equal(f->b.bytes, before);
    batch_clear(&f->b);
    assert_int_equal(f->b.bytes, 0);
}

/* ---- group commit -------------------------------------------------------- */

static void test_submissions_of_a_batch_share_one_transaction(void **state)
{
    fixture *f = *state;
    int commits = wal_commits(f);
    static const rec more[] = {{"vve.plaatsen", NULL, "2026-10", 40}};
    pending *ping = request(f, PROTO_OP_PING, "ping-1", "");
    pending *a1 = submit(f, "ko-a-1", "ko-a", KO_A, N(KO_A));
    pending *b1 = submit(f, "ko-b-1", "ko-b", KO_B, N(KO_B));
    pending *g1 = submit(f, "ggd-1", "ggd", GGD, N(GGD));
    pending *a2 = submit(f, "ko-a-2", "ko-a", more, N(more));
    pending *again = submit(f, "ko-b-1", "ko-b", KO_B, N(KO_B)); /* the same, twice */
    assert_false(batch_wants(&f->b, OP_JUDGED));
    pending *alerts = request(f, PROTO_OP_ALERTS, "al-1", "raad");

    batch_check(&f->b, &f->env, now);
    assert_true(batch_wants(&f->b, OP_JUDGED));
    assert_true(batch_commit(&f->b, &f->env, now));

    assert_int_equal(ping->status, PROTO_OK);
    assert_int_equal(alerts->status, PROTO_OK);
    assert_outcome(a1, PROTO_OK, "", 3, false);
    assert_outcome(b1, PROTO_OK, "", 2, false);
    assert_outcome(g1, PROTO_OK, "", 2, false);
    assert_outcome(a2, PROTO_OK, "", 1, false);
    assert_outcome(again, PROTO_OK, "", 2, true);
    /* All stored, by one COMMIT. */
    assert_int_equal(wal_commits(f), commits + 1);
    assert_int_equal(all_rows(f, "submission"), 4);
    assert_int_equal(observations(f, "ko-a"), 4);
    assert_int_equal(observations(f, "ko-b"), 2);
    assert_int_equal(observations(f, "ggd"), 2);
    assert_int_equal(stored_as(f, "ko-b", "ko-b-1"), 1);
    const char *const wrote[] = {"ko-a", "ko-b", "ggd", NULL};
    assert_wrote(f, wrote);
    assert_reply(f, g1, PROTO_OK, NULL, 2, false);
    assert_reply(f, again, PROTO_OK, NULL, 2, true);

    /* The next round starts with no flags left over from this one. */
    batch_clear(&f->b);
    pending *b2 = submit(f, "ko-b-2", "ko-b", more, N(more));
    assert_true(run_batch(f, now));
    assert_outcome(b2, PROTO_OK, "", 1, false);
    const char *const only_b[] = {"ko-b", NULL};
    assert_wrote(f, only_b);
}

/* A trigger, made through the second connection, that refuses ko-b's figures: real
 * SQLite failures inside the transaction, for one submission only. */
static void refuse_ko_b(fixture *f)
{
    raw_exec(f->raw, "CREATE TRIGGER refuse_ko_b BEFORE INSERT ON observation"
                     " WHEN new.reporter = 'ko-b' BEGIN"
                     " SELECT RAISE(ABORT, 'ko-b may not store figures'); END");
}

static void test_one_failing_submission_does_not_fail_the_others(void **state)
{
    fixture *f = *state;
    static const rec one[] = {{"vve.plaatsen", NULL, "2026-10", 40}};
    /* Stored earlier, to be retried in the batch. */
    submit(f, "ggd-earlier", "ggd", GGD, N(GGD));
    assert_true(run_batch(f, now - 3600));
    batch_clear(&f->b);
    refuse_ko_b(f);
    int commits = wal_commits(f);

    pending *check = dry_run(f, "ko-a-check", "ko-a", one, N(one));
    pending *a1 = submit(f, "ko-a-1", "ko-a", KO_A, N(KO_A));
    pending *b1 = submit(f, "ko-b-1", "ko-b", KO_B, N(KO_B));
    pending *retry = submit(f, "ggd-earlier", "ggd", GGD, N(GGD));
    pending *g1 = submit(f, "ggd-1", "ggd", GGD, 1);
    pending *ping = request(f, PROTO_OP_PING, "ping-1", "ko-b");
    assert_true(run_batch(f, now));

    assert_outcome(b1, PROTO_INTERNAL, STORING_FAILED, 0, false);
    assert_false(b1->write);
    assert_outcome(check, PROTO_OK, "", 1, false);
    assert_false(check->write);
    assert_outcome(a1, PROTO_OK, "", 3, false);
    assert_outcome(retry, PROTO_OK, "", 2, true);
    assert_outcome(g1, PROTO_OK, "", 1, false);
    assert_int_equal(ping->status, PROTO_OK);
    /* One COMMIT, with everything but ko-b's submission: not its figures, not its id. */
    assert_int_equal(wal_commits(f), commits + 1);
    assert_int_equal(stored_as(f, "ko-a", "ko-a-1"), 1);
    assert_int_equal(stored_as(f, "ko-a", "ko-a-check"), 0);
    assert_int_equal(stored_as(f, "ggd", "ggd-1"), 1);
    assert_int_equal(submissions(f, "ggd"), 2);
    assert_int_equal(submissions(f, "ko-b"), 0);
    assert_int_equal(observations(f, "ko-b"), 0);
    assert_int_equal(observations(f, "ko-a"), 3);
    const char *const wrote[] = {"ko-a", "ggd", NULL};
    assert_wrote(f, wrote);
    assert_reply(f, b1, PROTO_INTERNAL, STORING_FAILED, 0, false);
    assert_reply(f, a1, PROTO_OK, NULL, 3, false);

    /* The failing one first or last in the batch: the same. */
    batch_clear(&f->b);
    pending *b2 = submit(f, "ko-b-2", "ko-b", KO_B, N(KO_B));
    pending *a2 = submit(f, "ko-a-2", "ko-a", one, N(one));
    pending *b3 = submit(f, "ko-b-3", "ko-b", one, N(one));
    assert_true(run_batch(f, now));
    assert_outcome(b2, PROTO_INTERNAL, STORING_FAILED, 0, false);
    assert_outcome(a2, PROTO_OK, "", 1, false);
    assert_outcome(b3, PROTO_INTERNAL, STORING_FAILED, 0, false);
    assert_int_equal(wal_commits(f), commits + 2);
    assert_int_equal(stored_as(f, "ko-a", "ko-a-2"), 1);
    assert_int_equal(submissions(f, "ko-b"), 0);
    const char *const only_a[] = {"ko-a", NULL};
    assert_wrote(f, only_a);
}

/* A batch whose only submission cannot be stored: no savepoint, the transaction is rolled
 * back, and the submission gets the same answer as when it shares its batch (above). */
static void test_failing_submission_alone(void **state)
{
    fixture *f = *state;
    refuse_ko_b(f);
    int commits = wal_commits(f);
    pending *b1 = submit(f, "ko-b-1", "ko-b", KO_B, N(KO_B));
    assert_false(run_batch(f, now));
    assert_int_equal(b1->status, PROTO_INTERNAL);
    assert_false(b1->write);
    assert_int_equal(b1->res.accepted, 0);
    assert_int_equal(wal_commits(f), commits);
    assert_int_equal(all_rows(f, "submission"), 0);
    assert_int_equal(all_rows(f, "observation"), 0);
    char why[sizeof b1->why];
    memcpy(why, b1->why, sizeof why);

    /* The store is usable afterwards. */
    batch_clear(&f->b);
    pending *a1 = submit(f, "ko-a-1", "ko-a", KO_A, N(KO_A));
    assert_true(run_batch(f, now));
    assert_outcome(a1, PROTO_OK, "", 3, false);

    /* Its figures could not be stored; no COMMIT was even tried. */
    assert_string_equal(why, STORING_FAILED);
}

/* ---- a commit that fails ------------------------------------------------- */

static void test_commit_that_fails_refuses_every_submission(void **state)
{
    fixture *f = *state;
    static const rec one[] = {{"vve.plaatsen", NULL, "2026-10", 40}};
    submit(f, "ko-a-earlier", "ko-a", one, N(one));
    submit(f, "ko-b-earlier", "ko-b", KO_B, N(KO_B));
    assert_true(run_batch(f, now - 3600));
    batch_clear(&f->b);
    /* Every new figure leaves a row that breaks a deferred foreign key: each statement
     * succeeds, and the COMMIT fails (with or without savepoints). */
    raw_exec(f->raw, "CREATE TABLE guard_parent(id INTEGER PRIMARY KEY);"
                     "CREATE TABLE guard(ref INTEGER REFERENCES guard_parent(id)"
                     " DEFERRABLE INITIALLY DEFERRED);"
                     "CREATE TRIGGER guard_observation AFTER INSERT ON observation BEGIN"
                     " INSERT INTO guard(ref) VALUES (1); END");
    int commits = wal_commits(f);
    int64_t before = all_rows(f, "observation");

    rec changed[N(KO_B)];
    memcpy(changed, KO_B, sizeof changed);
    changed[1].value = 15;
    static const rec bad[] = {{"vve.nope", NULL, "2026-10", 1}};
    pending *a1 = submit(f, "ko-a-1", "ko-a", KO_A, N(KO_A));
    pending *g1 = submit(f, "ggd-1", "ggd", GGD, N(GGD));
    pending *check = dry_run(f, "ko-b-check", "ko-b", one, N(one));
    pending *retry = submit(f, "ko-a-earlier", "ko-a", one, N(one));
    pending *conflict = submit(f, "ko-b-earlier", "ko-b", changed, N(changed));
    pending *invalid = submit(f, "ko-a-bad", "ko-a", bad, N(bad));
    pending *staff = submit(f, "s-admin", "beleid", one, N(one));
    pending *ping = request(f, PROTO_OP_PING, "ping-1", "ko-a");
    assert_false(run_batch(f, now));

    /* Every submission decided in the transaction that is gone: the dry run, the retry
     * and the conflict too (PROTOCOL.md §4). */
    assert_outcome(a1, PROTO_INTERNAL, COMMIT_FAILED, 0, false);
    assert_outcome(g1, PROTO_INTERNAL, COMMIT_FAILED, 0, false);
    assert_outcome(check, PROTO_INTERNAL, COMMIT_FAILED, 0, false);
    assert_outcome(retry, PROTO_INTERNAL, COMMIT_FAILED, 0, false);
    assert_outcome(conflict, PROTO_INTERNAL, COMMIT_FAILED, 0, false);
    /* What was decided before it keeps its answer. */
    assert_int_equal(invalid->status, PROTO_INVALID);
    assert_int_equal(staff->status, PROTO_FORBIDDEN);
    assert_int_equal(ping->status, PROTO_OK);
    for (size_t i = 0; i < f->b.n; i++)
        assert_false(f->b.items[i].write);
    /* Nothing of it stored. */
    assert_int_equal(wal_commits(f), commits);
    assert_int_equal(all_rows(f, "submission"), 2);
    assert_int_equal(all_rows(f, "observation"), before);
    assert_int_equal(all_rows(f, "guard"), 0);
    assert_reply(f, a1, PROTO_INTERNAL, COMMIT_FAILED, 0, false);
    assert_reply(f, retry, PROTO_INTERNAL, COMMIT_FAILED, 0, false);
    assert_reply(f, check, PROTO_INTERNAL, COMMIT_FAILED, 0, false);

    /* Once the cause is gone, the same requests are stored. */
    raw_exec(f->raw, "DROP TRIGGER guard_observation");
    batch_clear(&f->b);
    a1 = submit(f, "ko-a-1", "ko-a", KO_A, N(KO_A));
    g1 = submit(f, "ggd-1", "ggd", GGD, N(GGD));
    assert_true(run_batch(f, now));
    assert_outcome(a1, PROTO_OK, "", 3, false);
    assert_outcome(g1, PROTO_OK, "", 2, false);
    assert_int_equal(all_rows(f, "submission"), 4);
}

/* A full disk, as the integration tests make one: a file size limit at the WAL's size,
 * so that the COMMIT cannot write its frames (EFBIG; SIGXFSZ ignored). */
static void test_commit_on_a_full_disk_gives_503(void **state)
{
    fixture *f = *state;
    static const rec one[] = {{"vve.plaatsen", NULL, "2026-10", 40}};
    submit(f, "ko-a-earlier", "ko-a", one, N(one));
    assert_true(run_batch(f, now - 3600));
    batch_clear(&f->b);
    int commits = wal_commits(f);

    pending *a1 = submit(f, "ko-a-1", "ko-a", KO_A, N(KO_A));
    pending *b1 = submit(f, "ko-b-1", "ko-b", KO_B, N(KO_B));
    pending *retry = submit(f, "ko-a-earlier", "ko-a", one, N(one));
    batch_check(&f->b, &f->env, now);

    struct stat st;
    assert_int_equal(stat(f->wal_path, &st), 0);
    struct rlimit old, full;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    full = old;
    full.rlim_cur = (rlim_t)st.st_size;
    void (*was)(int) = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &full), 0);
    bool wrote = batch_commit(&f->b, &f->env, now);
    /* Room again before anything else is written (the test's own output included). */
    int back = setrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, was);
    assert_int_equal(back, 0);

    assert_false(wrote);
    assert_outcome(a1, PROTO_UNAVAILABLE, CANNOT_WRITE, 0, false);
    assert_outcome(b1, PROTO_UNAVAILABLE, CANNOT_WRITE, 0, false);
    assert_outcome(retry, PROTO_UNAVAILABLE, CANNOT_WRITE, 0, false);
    assert_int_equal(wal_commits(f), commits);
    assert_int_equal(all_rows(f, "submission"), 1);
    assert_int_equal(observations(f, "ko-b"), 0);
    answer a;
    reply_to(f, a1, &a);
    assert_int_equal(a.head.status, PROTO_UNAVAILABLE);
    assert_string_equal(a.head.error, CANNOT_WRITE);
    assert_true(a.r.has_retry);
    assert_int_equal(a.r.retry_after_ms, 5000);
    assert_int_equal(a.r.accepted, 0);
    proto_submit_reply_free(&a.r);

    /* With room again the client's retry (the same bytes) is stored, once. */
    batch_clear(&f->b);
    a1 = submit(f, "ko-a-1", "ko-a", KO_A, N(KO_A));
    b1 = submit(f, "ko-b-1", "ko-b", KO_B, N(KO_B));
    assert_true(run_batch(f, now + 5));
    assert_outcome(a1, PROTO_OK, "", 3, false);
    assert_outcome(b1, PROTO_OK, "", 2, false);
    assert_int_equal(wal_commits(f), commits + 1);
    assert_int_equal(all_rows(f, "submission"), 3);
    char ok[16];
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(f->raw, "PRAGMA integrity_check", -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    snprintf(ok, sizeof ok, "%s", (const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    assert_string_equal(ok, "ok");
}

/* ---- the batch itself ---------------------------------------------------- */

static void test_slots_clear_and_requests_filled_directly(void **state)
{
    fixture *f = *state;
    batch small;
    assert_int_equal(batch_init(&small, 2), 0);
    assert_int_equal(small.cap, 2);
    /* A request filled directly, records and all, as a reader other than the decoder
     * would: the batch owns it from batch_keep on. */
    for (int round = 0; round < 2; round++) {
        for (size_t k = 0; k < 2; k++) {
            pending *p = batch_slot(&small);
            assert_ptr_equal(p, &small.items[k]);
            assert_int_equal(p->status, 0); /* zeroed, whatever the last round left */
            assert_null(p->req.records);
            p->status = PROTO_OK;
            p->req.version = PROTO_VERSION;
            p->req.op = PROTO_OP_SUBMIT;
            snprintf(p->req.id, sizeof p->req.id, "direct-%d-%zu", round, k);
            snprintf(p->req.reporter, sizeof p->req.reporter, "%s", k ? "ko-b" : "ko-a");
            p->req.n_records = 2;
            p->req.records = calloc(2, sizeof *p->req.records);
            assert_non_null(p->req.records);
            snprintf(p->req.records[0].metric, sizeof p->req.records[0].metric, "vve.plaatsen");
            snprintf(p->req.records[0].period, sizeof p->req.records[0].period, "%s",
                     round ? "2026-09" : "2026-08");
            p->req.records[0].value = 10;
            snprintf(p->req.records[1].metric, sizeof p->req.records[1].metric, "vve.nope");
            snprintf(p->req.records[1].period, sizeof p->req.records[1].period, "2026-09");
            p->req.records[1].value = 1;
            batch_keep(&small);
        }
        assert_null(batch_slot(&small)); /* full */
        assert_int_equal(small.n, 2);
        assert_int_equal(small.records, 4);
        batch_check(&small, &f->env, now);
        /* Each has a bad record: errors are allocated, and freed by batch_clear. */
        for (size_t k = 0; k < 2; k++) {
            assert_int_equal(small.items[k].status, PROTO_INVALID);
            assert_string_equal(small.items[k].why,
                                "1 error in 1 of 2 records; nothing was stored");
            assert_non_null(small.items[k].errs.items);
        }
        assert_false(batch_commit(&small, &f->env, now));
        batch_clear(&small);
        assert_int_equal(small.n, 0);
        assert_int_equal(small.records, 0);
    }
    assert_int_equal(all_rows(f, "submission"), 0);
    /* Freed twice is harmless; the sanitizer build sees any leak. */
    batch_free(&small);
    assert_null(small.items);
    batch_free(&small);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_valid_submission_is_stored, setup, teardown),
        cmocka_unit_test_setup_teardown(test_retry_is_a_duplicate_and_writes_nothing, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_same_id_with_other_figures_is_a_conflict, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_dry_run_stores_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invalid_records_are_refused_with_422, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_type_error_from_decoding_is_a_422, setup, teardown),
        cmocka_unit_test_setup_teardown(test_more_errors_than_listed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_senders_who_may_not_submit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_organisation_past_its_limit_gets_429, setup, teardown),
        cmocka_unit_test_setup_teardown(test_overflow_submission_gets_503_and_its_records_go,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_batch_counts_what_its_requests_hold, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_submissions_of_a_batch_share_one_transaction, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_one_failing_submission_does_not_fail_the_others,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_failing_submission_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_commit_that_fails_refuses_every_submission, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_commit_on_a_full_disk_gives_503, setup, teardown),
        cmocka_unit_test_setup_teardown(test_slots_clear_and_requests_filled_directly, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, setup_tz, NULL);
}
