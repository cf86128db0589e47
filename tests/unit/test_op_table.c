/* Unit tests for daemon/op_table.c: the table of operations (a row and handler for every
 * op), the rights matrix it gives (every op against every kind of sender, with the status
 * and reason PROTOCOL.md §2, §4 and §5 document), and op_reply end to end: a few handlers
 * against a real temporary database and the shipped catalogue and partners file, their
 * replies read back with the typed readers of proto/reply_*.h. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "op.h"
#include "reply_compl.h"
#include "reply_info.h"
#include "reply_submit.h"
#include "store.h"
#include "testutil.h"
#include "version.h"

#define CATALOG_CONF "config/catalog.conf"
#define PARTNERS_CONF "config/partners-hengelo.conf"

typedef struct {
    settings set;
    registry reg;
    store *db;
    log_ctx log;
} fixture;

static fixture fx;
static time_t now; /* 2026-11-23 12:00 local: the day of PROTOCOL.md's query examples */

static time_t local_time(int year, int month, int day, int hour)
{
    struct tm tm = {0};
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_isdst = -1;
    return mktime(&tm);
}

/* Figures of two organisations: ko-zonnebloem's 2 and ggd-twente's 3. */
static int fill(store *db, lm_error *err)
{
    static const struct {
        const char *reporter, *id, *metric, *area;
        double value;
        int hours_ago;
    } rows[] = {
        {"ko-zonnebloem", "z1", "vve.peuters.geplaatst", "WK016402", 42, 3},
        {"ko-zonnebloem", "z1", "vve.wachtlijst", "WK016402", 2, 3},
        {"ggd-twente", "g1", "jgz.doelgroep.geindiceerd", "WK016402", 21, 2},
        {"ggd-twente", "g1", "jgz.doelgroep.geindiceerd", "WK016404", 18, 2},
        {"ggd-twente", "g1", "jgz.doelgroep.geindiceerd", "WK016401", 13, 2},
    };
    int64_t sub = 0;
    if (store_begin(db) != 0)
        goto fail;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int64_t at = (int64_t)now - 3600 * rows[i].hours_ago;
        if ((i == 0 || strcmp(rows[i].id, rows[i - 1].id) != 0) &&
            store_add_submission(db, rows[i].reporter, rows[i].id, at,
                                 rows[i].reporter[0] == 'k' ? 2 : 3, 1, &sub) != 0)
            goto fail;
        if (store_put_observation(db, rows[i].reporter, rows[i].metric, "2026-10", rows[i].area,
                                  rows[i].value, sub, at) != 0)
            goto fail;
    }
    if (store_commit(db) == 0)
        return 0;
fail:
    lm_fail(err, 0, "filling the database: %s", store_errmsg(db));
    return -1;
}

static int setup(void **state)
{
    char path[256];
    lm_error err;
    if (setenv("TZ", "Europe/Amsterdam", 1) != 0)
        return -1;
    tzset();
    now = local_time(2026, 11, 23, 12);
    if (tmpdir_setup(state) != 0)
        return -1;
    memset(&fx, 0, sizeof fx);
    settings_defaults(&fx.set);
    snprintf(fx.set.catalog, sizeof fx.set.catalog, "%s", CATALOG_CONF);
    snprintf(fx.set.partners, sizeof fx.set.partners, "%s", PARTNERS_CONF);
    if (registry_load(&fx.reg, &fx.set, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    path_join(path, sizeof path, tmpdir, "leamon.db");
    if (store_open(&fx.db, path, &err) != 0 || fill(fx.db, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    fx.log.level = (log_level)0; /* quiet */
    return 0;
}

static int teardown(void **state)
{
    store_close(&fx.db);
    registry_free(&fx.reg);
    return tmpdir_teardown(state);
}

/* ---- senders ------------------------------------------------------------- */

enum { ANONYMOUS, PARTNER, INACTIVE, VIEWER, ADMIN, SENDERS };
static const char *const sender_name[SENDERS] = {"anonymous", "partner", "inactive partner",
                                                 "viewer", "admin"};

static identity org_sender(const char *id)
{
    const organisation *o = partners_org(&fx.reg.parts, id);
    if (!o)
        fail_msg("no organisation %s", id);
    return (identity){IDENT_ORG, o, NULL};
}

static identity staff_sender(const char *id)
{
    const staff_member *s = partners_staff(&fx.reg.parts, id);
    if (!s)
        fail_msg("no staff member %s", id);
    return (identity){IDENT_STAFF, NULL, s};
}

/* ---- the table ----------------------------------------------------------- */

static void test_every_op_has_its_row(void **state)
{
    (void)state;
    static void (*const handler[PROTO_OP_COUNT])(op_ctx *) = {
        [PROTO_OP_PING] = op_ping,       [PROTO_OP_SUBMIT] = op_submit,
        [PROTO_OP_STATUS] = op_status,   [PROTO_OP_CATALOG] = op_catalog,
        [PROTO_OP_SNAPSHOT] = op_snapshot, [PROTO_OP_SERIES] = op_series,
        [PROTO_OP_COMPLETENESS] = op_completeness, [PROTO_OP_ALERTS] = op_alerts,
        [PROTO_OP_ACK] = op_ack,         [PROTO_OP_SILENCE] = op_silence,
        [PROTO_OP_BACKUP] = op_backup,   [PROTO_OP_RETRACT] = op_retract,
        [PROTO_OP_CLOSE] = op_close,     [PROTO_OP_REOPEN] = op_reopen,
        [PROTO_OP_SILENCES] = op_silences, [PROTO_OP_UNSILENCE] = op_unsilence,
        [PROTO_OP_FIGURES] = op_figures,
    };
    for (int i = PROTO_OP_PING; i < PROTO_OP_COUNT; i++) {
        proto_op op = (proto_op)i;
        const op_def *d = op_find(op);
        if (!d)
            fail_msg("no row for %s", proto_op_name(op));
        assert_int_equal(d->op, op);
        assert_non_null(d->handler);
        if (d->handler != handler[op])
            fail_msg("%s: not its handler", proto_op_name(op));
        /* Somebody may send it, and only the known kinds of sender are named. */
        assert_int_not_equal(d->who, 0);
        assert_int_equal(d->who & ~(unsigned)WHO_ANYONE, 0);
        /* Whoever is turned away is told why in the op's own words, never the fallback. */
        if (d->who != WHO_ANYONE && !d->denied)
            fail_msg("%s refuses some senders without a reason", proto_op_name(op));
        if (d->anonymous && (d->who & WHO_ANONYMOUS))
            fail_msg("%s has a 401 for anonymous senders it allows", proto_op_name(op));
        /* Only submit goes through the group commit (and writes its own error replies);
         * submit and retract change figures; alerts and ack show the rules' verdict. */
        assert_int_equal(!!(d->flags & OP_BATCHED), op == PROTO_OP_SUBMIT);
        assert_int_equal(!!(d->flags & OP_FIGURES),
                         op == PROTO_OP_SUBMIT || op == PROTO_OP_RETRACT);
        assert_int_equal(!!(d->flags & OP_OWN_ERRORS), op == PROTO_OP_SUBMIT);
        assert_int_equal(!!(d->flags & OP_JUDGED), op == PROTO_OP_ALERTS || op == PROTO_OP_ACK);
    }
    assert_null(op_find(PROTO_OP_COUNT));
    assert_null(op_find((proto_op)(PROTO_OP_COUNT + 1)));
    assert_null(op_find((proto_op)-1));
}

/* ---- the rights matrix (PROTOCOL.md §2) ----------------------------------- */

typedef struct {
    int status; /* 200: allowed */
    const char *why;
} verdict;

#define YES {PROTO_OK, NULL}
#define NO(text) {PROTO_FORBIDDEN, text}

static const char SUBMIT_ANON[] =
    "a submission must name its reporter in insecure mode (leamon --reporter ID)";
static const char SUBMIT_STAFF[] = "staff read figures; only partner organisations submit them";
static const char SUBMIT_INACTIVE[] = "organisation ko-zonnebloem is inactive in the partners file";
static const char FOR_STAFF[] =
    "snapshots and series are for municipal staff; a partner reads its own completeness";
static const char ALERTS_STAFF[] = "alerts are for municipal staff";
static const char ACK_ADMIN[] = "acknowledging alerts needs the admin role";
static const char SILENCE_ADMIN[] = "silencing alerts needs the admin role";
static const char SILENCES_STAFF[] = "silences are for municipal staff";
static const char UNSILENCE_ADMIN[] = "ending a silence needs the admin role";
static const char BACKUP_ADMIN[] = "a backup needs the admin role";
static const char RETRACT_ANON[] =
    "a retraction must name its reporter in insecure mode (leamon --reporter ID)";
static const char RETRACT_WHO[] =
    "a partner retracts its own figures, an admin on a partner's behalf";
static const char RETRACT_INACTIVE[] = "organisation ko-zonnebloem is inactive in the partners file";
static const char CLOSE_ADMIN[] = "closing a period needs the admin role";
static const char REOPEN_ADMIN[] = "reopening a period needs the admin role";

/*                         anonymous            partner            inactive partner
 *                         viewer               admin */
static const verdict matrix[PROTO_OP_COUNT][SENDERS] = {
    [PROTO_OP_PING] = {YES, YES, YES, YES, YES},
    [PROTO_OP_SUBMIT] = {{PROTO_UNAUTHENTICATED, SUBMIT_ANON}, YES, NO(SUBMIT_INACTIVE),
                         NO(SUBMIT_STAFF), NO(SUBMIT_STAFF)},
    [PROTO_OP_STATUS] = {YES, YES, YES, YES, YES},
    [PROTO_OP_CATALOG] = {YES, YES, YES, YES, YES},
    [PROTO_OP_SNAPSHOT] = {YES, NO(FOR_STAFF), NO(FOR_STAFF), YES, YES},
    [PROTO_OP_SERIES] = {YES, NO(FOR_STAFF), NO(FOR_STAFF), YES, YES},
    [PROTO_OP_COMPLETENESS] = {YES, YES, YES, YES, YES},
    [PROTO_OP_ALERTS] = {YES, NO(ALERTS_STAFF), NO(ALERTS_STAFF), YES, YES},
    [PROTO_OP_ACK] = {NO(ACK_ADMIN), NO(ACK_ADMIN), NO(ACK_ADMIN), NO(ACK_ADMIN), YES},
    [PROTO_OP_SILENCE] = {NO(SILENCE_ADMIN), NO(SILENCE_ADMIN), NO(SILENCE_ADMIN),
                          NO(SILENCE_ADMIN), YES},
    [PROTO_OP_BACKUP] = {NO(BACKUP_ADMIN), NO(BACKUP_ADMIN), NO(BACKUP_ADMIN), NO(BACKUP_ADMIN),
                         YES},
    [PROTO_OP_RETRACT] = {{PROTO_UNAUTHENTICATED, RETRACT_ANON}, YES, NO(RETRACT_INACTIVE),
                          NO(RETRACT_WHO), YES},
    [PROTO_OP_CLOSE] = {NO(CLOSE_ADMIN), NO(CLOSE_ADMIN), NO(CLOSE_ADMIN), NO(CLOSE_ADMIN), YES},
    [PROTO_OP_REOPEN] = {NO(REOPEN_ADMIN), NO(REOPEN_ADMIN), NO(REOPEN_ADMIN), NO(REOPEN_ADMIN),
                         YES},
    [PROTO_OP_SILENCES] = {YES, NO(SILENCES_STAFF), NO(SILENCES_STAFF), YES, YES},
    [PROTO_OP_UNSILENCE] = {NO(UNSILENCE_ADMIN), NO(UNSILENCE_ADMIN), NO(UNSILENCE_ADMIN),
                            NO(UNSILENCE_ADMIN), YES},
    /* Everyone; whose figures is the handler's (test_own_figures.c): a partner its own. */
    [PROTO_OP_FIGURES] = {YES, YES, YES, YES, YES},
};

static void test_rights_matrix(void **state)
{
    (void)state;
    /* ko-zonnebloem as it is, and as it would be marked inactive in the partners file. */
    organisation closed = *partners_org(&fx.reg.parts, "ko-zonnebloem");
    closed.active = false;
    identity who[SENDERS] = {
        [ANONYMOUS] = {IDENT_ANONYMOUS, NULL, NULL},
        [PARTNER] = org_sender("ko-zonnebloem"),
        [INACTIVE] = {IDENT_ORG, &closed, NULL},
        [VIEWER] = staff_sender("raad"),
        [ADMIN] = staff_sender("beleid"),
    };
    assert_true(who[PARTNER].org->active);
    assert_int_equal(who[VIEWER].staff->role, ROLE_VIEWER);
    assert_int_equal(who[ADMIN].staff->role, ROLE_ADMIN);
    int checked = 0;
    for (int i = PROTO_OP_PING; i < PROTO_OP_COUNT; i++) {
        for (int s = 0; s < SENDERS; s++) {
            const verdict *want = &matrix[i][s];
            lm_error e = {0, "untouched"};
            int rc = op_allowed(op_find((proto_op)i), &who[s], &e);
            const char *op = proto_op_name((proto_op)i);
            if (want->status == PROTO_OK) {
                if (rc != 0)
                    fail_msg("%s by %s: refused with %d %s", op, sender_name[s], e.status, e.msg);
            } else {
                if (rc != -1)
                    fail_msg("%s by %s: allowed, expected %d", op, sender_name[s], want->status);
                if (e.status != want->status || strcmp(e.msg, want->why) != 0)
                    fail_msg("%s by %s: %d \"%s\", expected %d \"%s\"", op, sender_name[s],
                             e.status, e.msg, want->status, want->why);
            }
            checked++;
        }
    }
    assert_int_equal(checked, PROTO_OP_COUNT * SENDERS);
}

/* ---- op_reply end to end ------------------------------------------------- */

typedef struct {
    mpw w;                /* the bytes, which u refers to */
    msgpack_unpacked u;
    const msgpack_object *root;
    proto_head head;
    int replied;
    char reason[LM_ERROR_MAX];
} reply;

static proto_request query(proto_op op, const char *id)
{
    proto_request r;
    memset(&r, 0, sizeof r);
    r.version = PROTO_VERSION;
    r.op = op;
    snprintf(r.id, sizeof r.id, "%s", id);
    return r;
}

/* Answer req from who, as the daemon does once the batch has decided status (and why). */
static void answer(const proto_request *req, const identity *who, int status, const char *why,
                   reply *out)
{
    static const submit_result nothing = {0, false, 0};
    static const proto_errors no_errors = {0};
    memset(out, 0, sizeof *out);
    mpw_init(&out->w);
    /* Something left in the writer from an earlier reply: op_reply starts afresh. */
    mpw_map(&out->w);
    mpw_kv_str(&out->w, "left", "over");
    op_ctx c = {
        .req = req, .who = who, .now = now, .db = fx.db, .reg = &fx.reg, .set = &fx.set,
        .log = &fx.log, .started = now - 42, .secure = false, .status = status,
        .why = why ? why : "", .submitted = &nothing, .errors = &no_errors, .w = &out->w,
    };
    op_reply(op_find(req->op), &c);
    assert_true(mpw_ok(&out->w));
    out->replied = c.replied;
    memcpy(out->reason, c.reason, sizeof out->reason);
    msgpack_unpacked_init(&out->u);
    assert_int_equal(msgpack_unpack_next(&out->u, mpw_data(&out->w), mpw_size(&out->w), NULL),
                     MSGPACK_UNPACK_SUCCESS);
    out->root = &out->u.data;
    assert_int_equal(out->root->type, MSGPACK_OBJECT_MAP);
    lm_error e;
    if (proto_reply_head(out->root, &out->head, &e) != 0)
        fail_msg("reply to %s: %s", req->id, e.msg);
    assert_string_equal(out->head.id, req->id);
    assert_int_equal(out->head.status, out->replied);
    assert_string_equal(out->head.error, out->reason);
    assert_null(proto_get(out->root, "left"));
}

static void reply_free(reply *r)
{
    msgpack_unpacked_destroy(&r->u);
    mpw_free(&r->w);
}

static uint32_t keys(const reply *r)
{
    return r->root->via.map.size;
}

/* A reply with the common fields only: v, id, status, error. */
static void assert_error_reply(const reply *r, int status, const char *error)
{
    assert_int_equal(r->head.status, status);
    assert_string_equal(r->head.error, error);
    assert_int_equal(r->replied, status);
    assert_string_equal(r->reason, error);
    assert_int_equal(keys(r), 4);
    assert_non_null(proto_get(r->root, "v"));
    assert_non_null(proto_get(r->root, "id"));
    assert_non_null(proto_get(r->root, "status"));
    assert_non_null(proto_get(r->root, "error"));
}

static void test_reply_ping(void **state)
{
    (void)state;
    proto_request req = query(PROTO_OP_PING, "ping-1");
    identity anon = {IDENT_ANONYMOUS, NULL, NULL};
    reply r;
    answer(&req, &anon, PROTO_OK, NULL, &r);
    assert_int_equal(r.replied, PROTO_OK);
    assert_string_equal(r.reason, "");
    assert_null(proto_get(r.root, "error"));
    assert_int_equal(keys(&r), 5);
    proto_ping_reply p;
    lm_error e;
    assert_int_equal(proto_ping_reply_read(r.root, &p, &e), 0);
    assert_string_equal(p.server, "leamond " LEAMOND_VERSION);
    assert_int_equal(p.time, (int64_t)now);
    reply_free(&r);
}

static void status_of(const identity *who, proto_status_reply *s)
{
    proto_request req = query(PROTO_OP_STATUS, "status-1");
    reply r;
    answer(&req, who, PROTO_OK, NULL, &r);
    assert_int_equal(r.head.status, PROTO_OK);
    lm_error e;
    if (proto_status_reply_read(r.root, s, &e) != 0)
        fail_msg("status reply: %s", e.msg);
    assert_string_equal(s->server, "leamond " LEAMOND_VERSION);
    assert_int_equal(s->uptime, 42);
    assert_false(s->secure);
    reply_free(&r);
}

static void test_reply_status(void **state)
{
    (void)state;
    proto_status_reply s;

    identity anon = {IDENT_ANONYMOUS, NULL, NULL};
    status_of(&anon, &s);
    assert_string_equal(s.you.id, "");
    assert_string_equal(s.you.role, "anonymous");
    assert_false(s.you.has_name);
    assert_false(s.you.has_kind);
    assert_int_equal(s.observations, 5); /* all of them */
    assert_int_equal(s.submissions, 2);
    assert_true(s.has_last);
    assert_string_equal(s.last_id, "g1");
    assert_int_equal(s.last_received, (int64_t)now - 2 * 3600);
    assert_int_equal(s.last_records, 3);

    identity partner = org_sender("ko-zonnebloem");
    status_of(&partner, &s);
    assert_string_equal(s.you.id, "ko-zonnebloem");
    assert_string_equal(s.you.role, "partner");
    assert_true(s.you.has_name);
    assert_string_equal(s.you.name, "Kinderopvang De Zonnebloem");
    assert_true(s.you.has_kind);
    assert_string_equal(s.you.kind, "kinderopvang");
    assert_int_equal(s.observations, 2); /* its own only */
    assert_int_equal(s.submissions, 1);
    assert_true(s.has_last);
    assert_string_equal(s.last_id, "z1");
    assert_int_equal(s.last_records, 2);

    identity quiet = org_sender("ko-klimop"); /* nothing stored yet */
    status_of(&quiet, &s);
    assert_string_equal(s.you.id, "ko-klimop");
    assert_int_equal(s.observations, 0);
    assert_int_equal(s.submissions, 0);
    assert_false(s.has_last);

    identity admin = staff_sender("beleid");
    status_of(&admin, &s);
    assert_string_equal(s.you.id, "beleid");
    assert_string_equal(s.you.role, "admin");
    assert_true(s.you.has_name);
    assert_string_equal(s.you.name, "Beleidsadviseur onderwijs");
    assert_false(s.you.has_kind);
    assert_int_equal(s.observations, 5);
    assert_int_equal(s.submissions, 2);

    identity viewer = staff_sender("raad");
    status_of(&viewer, &s);
    assert_string_equal(s.you.id, "raad");
    assert_string_equal(s.you.role, "viewer");
    assert_string_equal(s.you.name, "Griffie (raadsinformatie)");
    assert_false(s.you.has_kind);
}

static void catalog_of(const identity *who, proto_catalog_reply *c)
{
    proto_request req = query(PROTO_OP_CATALOG, "catalog-1");
    reply r;
    answer(&req, who, PROTO_OK, NULL, &r);
    assert_int_equal(r.head.status, PROTO_OK);
    lm_error e;
    if (proto_catalog_reply_read(r.root, c, &e) != 0)
        fail_msg("catalog reply: %s", e.msg);
    /* PROTOCOL.md §5.4: 21 metrics, 11 areas and 13 indicators. */
    assert_string_equal(c->first_period, "2020-01");
    assert_int_equal(c->n_metrics, 21);
    assert_int_equal(c->n_areas, 11);
    assert_int_equal(c->n_indicators, 13);
    assert_string_equal(c->areas[0].code, "GM0164");
    assert_string_equal(c->areas[0].parent, "");
    assert_int_equal(keys(&r), 7 + c->has_may_report);
    reply_free(&r);
}

static void test_reply_catalog(void **state)
{
    (void)state;
    proto_catalog_reply c;

    identity partner = org_sender("ko-zonnebloem");
    catalog_of(&partner, &c);
    assert_true(c.has_may_report);
    static const char *const metrics[] = {
        "vve.doelgroep.geplaatst", "vve.peuters.geplaatst", "vve.plaatsen", "vve.uitstroom",
        "vve.uren.per_week", "vve.wachtlijst", "vve.warme_overdracht"};
    assert_int_equal(c.n_may_metrics, sizeof metrics / sizeof metrics[0]);
    for (size_t i = 0; i < c.n_may_metrics; i++)
        assert_string_equal(c.may_metrics[i], metrics[i]);
    /* Its home wijk: a location reports for the wijk it serves. */
    assert_int_equal(c.n_may_areas, 1);
    assert_string_equal(c.may_areas[0], "WK016402");
    proto_catalog_reply_free(&c);

    identity ggd = org_sender("ggd-twente");
    catalog_of(&ggd, &c);
    assert_true(c.has_may_report);
    assert_int_equal(c.n_may_metrics, 2);
    assert_string_equal(c.may_metrics[0], "jgz.doelgroep.geindiceerd");
    proto_catalog_reply_free(&c);

    identity staff[] = {staff_sender("beleid"), staff_sender("raad"),
                        {IDENT_ANONYMOUS, NULL, NULL}};
    for (size_t i = 0; i < sizeof staff / sizeof staff[0]; i++) {
        catalog_of(&staff[i], &c);
        assert_false(c.has_may_report);
        assert_int_equal(c.n_may_metrics, 0);
        assert_int_equal(c.n_may_areas, 0);
        proto_catalog_reply_free(&c);
    }
}

/* The snapshot queries PROTOCOL.md lists among the requests refused after decoding. */
static void test_reply_snapshot_refused(void **state)
{
    (void)state;
    static const struct {
        const char *indicator, *period, *area, *by;
        bool has_as_of;
        int status;
        const char *error;
    } cases[] = {
        {"vve-bereik", "2026-10", "", "", false, PROTO_NOT_FOUND,
         "unknown indicator 'vve-bereik' (leamon catalog lists them)"},
        {"vve_bereik", "2026-13", "", "", false, PROTO_BAD_REQUEST,
         "period '2026-13' is not a period (2026-10, 2026-Q4, 2026 or 2025/26)"},
        {"vve_bereik", "2026-10", "WK016499", "", false, PROTO_NOT_FOUND,
         "unknown area 'WK016499' (leamon catalog lists them)"},
        {"vve_bereik", "2026-10", "", "wijk", false, PROTO_BAD_REQUEST,
         "by must be \"area\" or \"reporter\""},
        {"vve_bereik", "2026-10", "", "reporter", true, PROTO_BAD_REQUEST,
         "as_of works for the snapshot and by area, not by reporter"},
    };
    identity who[] = {staff_sender("beleid"), {IDENT_ANONYMOUS, NULL, NULL}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        for (size_t k = 0; k < sizeof who / sizeof who[0]; k++) {
            proto_request req = query(PROTO_OP_SNAPSHOT, "snap-e");
            snprintf(req.indicator, sizeof req.indicator, "%s", cases[i].indicator);
            snprintf(req.period, sizeof req.period, "%s", cases[i].period);
            snprintf(req.area, sizeof req.area, "%s", cases[i].area);
            snprintf(req.by, sizeof req.by, "%s", cases[i].by);
            req.has_as_of = cases[i].has_as_of;
            req.as_of = 1794308400;
            reply r;
            answer(&req, &who[k], PROTO_OK, NULL, &r);
            assert_error_reply(&r, cases[i].status, cases[i].error);
            reply_free(&r);
        }
    }
}

static void test_reply_completeness(void **state)
{
    (void)state;
    identity admin = staff_sender("beleid");
    reply r;

    /* December has not begun on 23 November. */
    proto_request req = query(PROTO_OP_COMPLETENESS, "e12");
    snprintf(req.period, sizeof req.period, "2026-12");
    answer(&req, &admin, PROTO_OK, NULL, &r);
    assert_error_reply(&r, PROTO_BAD_REQUEST, "period 2026-12 has not begun: nothing is due yet");
    reply_free(&r);
    snprintf(req.period, sizeof req.period, "2027");
    answer(&req, &admin, PROTO_OK, NULL, &r);
    assert_error_reply(&r, PROTO_BAD_REQUEST, "period 2027 has not begun: nothing is due yet");
    reply_free(&r);

    req = query(PROTO_OP_COMPLETENESS, "e5");
    snprintf(req.period, sizeof req.period, "2026-10");
    snprintf(req.metric, sizeof req.metric, "vve.wachtlijsten");
    answer(&req, &admin, PROTO_OK, NULL, &r);
    assert_error_reply(&r, PROTO_NOT_FOUND,
                       "unknown metric 'vve.wachtlijsten' (leamon catalog lists them)");
    reply_free(&r);

    /* A quarter that has begun, asked by a partner: its own kind's metrics, its own row. */
    req = query(PROTO_OP_COMPLETENESS, "compl-2");
    snprintf(req.period, sizeof req.period, "2026-Q4");
    identity klimop = org_sender("ko-klimop");
    answer(&req, &klimop, PROTO_OK, NULL, &r);
    assert_int_equal(r.head.status, PROTO_OK);
    proto_completeness_reply c;
    lm_error e;
    if (proto_completeness_reply_read(r.root, &c, &e) != 0)
        fail_msg("completeness reply: %s", e.msg);
    assert_string_equal(c.period, "2026-Q4");
    assert_int_equal(c.grace_days, 10);
    assert_int_equal(c.n_metrics, 7);
    for (size_t i = 0; i < c.n_metrics; i++) {
        assert_true(strncmp(c.metrics[i].metric, "vve.", 4) == 0);
        assert_int_equal(c.metrics[i].n_orgs, 1);
        assert_int_equal(c.metrics[i].expected, 1);
        assert_string_equal(c.metrics[i].orgs[0].id, "ko-klimop");
        assert_int_equal(c.metrics[i].orgs[0].months_due, 2);
        /* October's deadline (11 November) has passed without a figure. */
        assert_string_equal(c.metrics[i].orgs[0].status, "missing");
        /* Month by month: October missing, November still open until 11 December. */
        const proto_compl_org *o = &c.metrics[i].orgs[0];
        assert_int_equal(o->n_months, 2);
        assert_string_equal(o->months[0].month, "2026-10");
        assert_string_equal(o->months[0].status, "missing");
        assert_false(o->months[0].has_reported);
        assert_string_equal(o->months[1].month, "2026-11");
        assert_string_equal(o->months[1].status, "open");
        assert_int_equal(o->months[1].deadline, o->deadline);
        assert_int_equal(o->months[1].deadline, (int64_t)local_time(2026, 12, 11, 0));
    }
    assert_string_equal(c.organisation, "ko-klimop");
    proto_completeness_reply_free(&c);
    reply_free(&r);

    /* ko-zonnebloem reported October on 23 November, late; staff may ask about it by name. */
    req = query(PROTO_OP_COMPLETENESS, "compl-3");
    snprintf(req.period, sizeof req.period, "2026-10");
    snprintf(req.metric, sizeof req.metric, "vve.wachtlijst");
    snprintf(req.organisation, sizeof req.organisation, "ko-zonnebloem");
    answer(&req, &admin, PROTO_OK, NULL, &r);
    assert_int_equal(r.head.status, PROTO_OK);
    if (proto_completeness_reply_read(r.root, &c, &e) != 0)
        fail_msg("completeness reply: %s", e.msg);
    assert_string_equal(c.organisation, "ko-zonnebloem");
    assert_int_equal(c.n_metrics, 1);
    assert_int_equal(c.metrics[0].n_orgs, 1);
    assert_int_equal(c.metrics[0].orgs[0].n_months, 1);
    assert_string_equal(c.metrics[0].orgs[0].months[0].status, "late");
    assert_true(c.metrics[0].orgs[0].months[0].has_reported);
    assert_int_equal(c.metrics[0].orgs[0].months[0].reported, (int64_t)now - 3 * 3600);
    proto_completeness_reply_free(&c);
    reply_free(&r);

    /* Without a name, staff see everyone; a partner may not name another. */
    snprintf(req.organisation, sizeof req.organisation, "%s", "");
    answer(&req, &admin, PROTO_OK, NULL, &r);
    if (proto_completeness_reply_read(r.root, &c, &e) != 0)
        fail_msg("completeness reply: %s", e.msg);
    assert_string_equal(c.organisation, "");
    assert_true(c.metrics[0].n_orgs > 1);
    proto_completeness_reply_free(&c);
    reply_free(&r);
    snprintf(req.organisation, sizeof req.organisation, "ko-zonnebloem");
    answer(&req, &klimop, PROTO_OK, NULL, &r);
    assert_error_reply(&r, PROTO_FORBIDDEN,
                       "a partner reads its own figures, not those of ko-zonnebloem");
    reply_free(&r);
    snprintf(req.organisation, sizeof req.organisation, "ko-klimopp");
    answer(&req, &admin, PROTO_OK, NULL, &r);
    assert_error_reply(&r, PROTO_NOT_FOUND,
                       "unknown organisation 'ko-klimopp' (the partners file lists them)");
    reply_free(&r);
}

/* A status decided before the handler (by the decoder, the identity, the rights): an
 * error reply with exactly the common fields, except a submission that was read as one. */
static void test_reply_error_status(void **state)
{
    (void)state;
    identity anon = {IDENT_ANONYMOUS, NULL, NULL};
    identity partner = org_sender("ko-zonnebloem");
    identity admin = staff_sender("beleid");
    reply r;

    static const char unknown[] =
        "unknown reporter 'x': not an organisation or staff id in the partners file";
    proto_request req = query(PROTO_OP_PING, "ping-401");
    answer(&req, &anon, PROTO_UNAUTHENTICATED, unknown, &r);
    assert_error_reply(&r, PROTO_UNAUTHENTICATED, unknown);
    reply_free(&r);

    req = query(PROTO_OP_SNAPSHOT, "e1");
    snprintf(req.indicator, sizeof req.indicator, "vve_bereik");
    snprintf(req.period, sizeof req.period, "2026-10");
    answer(&req, &partner, PROTO_FORBIDDEN, FOR_STAFF, &r);
    assert_error_reply(&r, PROTO_FORBIDDEN, FOR_STAFF);
    reply_free(&r);

    req = query(PROTO_OP_ALERTS, "al-2");
    answer(&req, &partner, PROTO_FORBIDDEN, ALERTS_STAFF, &r);
    assert_error_reply(&r, PROTO_FORBIDDEN, ALERTS_STAFF);
    reply_free(&r);

    req = query(PROTO_OP_STATUS, "status-500");
    answer(&req, &admin, PROTO_INTERNAL, "out of memory", &r);
    assert_error_reply(&r, PROTO_INTERNAL, "out of memory");
    reply_free(&r);

    /* Failed while decoding: the op, if known, and the id are all that is left. */
    req = query(PROTO_OP_PING, "ping-2");
    req.version = 0;
    answer(&req, &anon, PROTO_BAD_REQUEST, "unknown field 'extra'", &r);
    assert_error_reply(&r, PROTO_BAD_REQUEST, "unknown field 'extra'");
    reply_free(&r);

    req = query(PROTO_OP_COUNT, "ping-3");
    req.version = 0;
    static const char pong[] = "unknown op 'pong': this server knows ping, submit, status, "
                               "catalog, snapshot, series, completeness, alerts, ack, silence, "
                               "backup, retract, close, reopen, silences, unsilence, "
                               "figures";
    answer(&req, &anon, PROTO_NOT_FOUND, pong, &r);
    assert_error_reply(&r, PROTO_NOT_FOUND, pong);
    reply_free(&r);

    req = query(PROTO_OP_SUBMIT, "big");
    req.version = 0;
    answer(&req, &anon, PROTO_TOO_LARGE, "10001 records in one submission; the limit is 10000",
           &r);
    assert_error_reply(&r, PROTO_TOO_LARGE, "10001 records in one submission; the limit is 10000");
    reply_free(&r);

    req = query(PROTO_OP_SUBMIT, "s-400");
    answer(&req, &anon, PROTO_BAD_REQUEST, "records must not be empty", &r);
    assert_error_reply(&r, PROTO_BAD_REQUEST, "records must not be empty");
    reply_free(&r);

    /* A submission that was read: its fields too (PROTOCOL.md §4, §5.2). */
    req = query(PROTO_OP_SUBMIT, "s-anon");
    answer(&req, &anon, PROTO_UNAUTHENTICATED, SUBMIT_ANON, &r);
    assert_int_equal(r.head.status, PROTO_UNAUTHENTICATED);
    assert_string_equal(r.head.error, SUBMIT_ANON);
    assert_int_equal(keys(&r), 7);
    proto_submit_reply s;
    lm_error e;
    assert_int_equal(proto_submit_reply_read(r.root, &s, &e), 0);
    assert_int_equal(s.accepted, 0);
    assert_false(s.duplicate);
    assert_false(s.dry_run);
    assert_false(s.has_retry);
    proto_submit_reply_free(&s);
    reply_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_op_has_its_row),
        cmocka_unit_test(test_rights_matrix),
        cmocka_unit_test(test_reply_ping),
        cmocka_unit_test(test_reply_status),
        cmocka_unit_test(test_reply_catalog),
        cmocka_unit_test(test_reply_snapshot_refused),
        cmocka_unit_test(test_reply_completeness),
        cmocka_unit_test(test_reply_error_status),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
