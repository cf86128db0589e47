/* Unit tests for proto/proto.c: request decoding and encoding, error lists, reply
 * helpers and the JSON rendering.
 *
 * Messages are written in a small text notation (see mp_build) so that the tables
 * read like the wire format:
 *   {'v':1, 'op':'ping', 'id':'r1'}   maps, arrays [..], 'strings' with \xHH escapes,
 *   'x'*65                            a string repeated 65 times,
 *   bin'\x00\xff'  ext'\x01'          binary and extension (type 1) values,
 *   1 -5 1.5 f32:0.5 nan inf -inf     numbers (f32: packs a float32),
 *   nil true false
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpw.h"
#include "proto.h"
#include "reply_submit.h"

#ifdef __SANITIZE_ADDRESS__
/* test_decode_huge_container_count makes msgpack-c ask for hundreds of GiB: let that
 * malloc fail (as glibc's does) instead of aborting the whole test binary. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1";
}
#endif

/* ---- the message notation ------------------------------------------------ */

typedef struct {
    const char *p;
    const char *start;
} mp_parser;

static void mp_ws(mp_parser *ps)
{
    while (*ps->p == ' ' || *ps->p == '\n' || *ps->p == '\t')
        ps->p++;
}

static int mp_value(mp_parser *ps, msgpack_packer *pk);

static int mp_container(mp_parser *ps, msgpack_packer *pk, bool is_map)
{
    char close = is_map ? '}' : ']';
    msgpack_sbuffer body;
    msgpack_packer bpk;
    size_t n = 0;
    int rc = -1;

    msgpack_sbuffer_init(&body);
    msgpack_packer_init(&bpk, &body, msgpack_sbuffer_write);
    ps->p++;
    mp_ws(ps);
    if (*ps->p == close) {
        ps->p++;
        rc = 0;
    } else {
        for (;;) {
            if (mp_value(ps, &bpk) != 0)
                break;
            if (is_map) {
                mp_ws(ps);
                if (*ps->p != ':')
                    break;
                ps->p++;
                if (mp_value(ps, &bpk) != 0)
                    break;
            }
            n++;
            mp_ws(ps);
            if (*ps->p == ',') {
                ps->p++;
                continue;
            }
            if (*ps->p == close) {
                ps->p++;
                rc = 0;
            }
            break;
        }
    }
    if (rc == 0) {
        rc = is_map ? msgpack_pack_map(pk, n) : msgpack_pack_array(pk, n);
        if (rc == 0 && body.size)
            rc = pk->callback(pk->data, body.data, body.size);
    }
    msgpack_sbuffer_destroy(&body);
    return rc;
}

/* A quoted string at ps->p into a malloc'd buffer; *n gets its length. */
static char *mp_string(mp_parser *ps, size_t *n)
{
    size_t cap = 64, len = 0;
    char *s = malloc(cap);
    if (!s)
        return NULL;
    ps->p++; /* opening quote */
    while (*ps->p && *ps->p != '\'') {
        char c = *ps->p++;
        if (c == '\\') {
            char e = *ps->p++;
            if (e == 'x') {
                char hex[3] = {ps->p[0], ps->p[1], 0};
                c = (char)strtol(hex, NULL, 16);
                ps->p += 2;
            } else if (e == 'n') {
                c = '\n';
            } else if (e == 't') {
                c = '\t';
            } else {
                c = e;
            }
        }
        if (len + 1 >= cap) {
            char *g = realloc(s, cap *= 2);
            if (!g) {
                free(s);
                return NULL;
            }
            s = g;
        }
        s[len++] = c;
    }
    if (*ps->p != '\'') {
        free(s);
        return NULL;
    }
    ps->p++;
    if (*ps->p == '*') {
        char *end;
        unsigned long times = strtoul(ps->p + 1, &end, 10);
        ps->p = end;
        char *r = malloc(len * times + 1);
        if (!r) {
            free(s);
            return NULL;
        }
        for (unsigned long i = 0; i < times; i++)
            memcpy(r + i * len, s, len);
        free(s);
        s = r;
        len *= times;
    }
    *n = len;
    return s;
}

static bool mp_word(mp_parser *ps, const char *w)
{
    size_t n = strlen(w);
    if (strncmp(ps->p, w, n) != 0)
        return false;
    ps->p += n;
    return true;
}

static int mp_value(mp_parser *ps, msgpack_packer *pk)
{
    mp_ws(ps);
    char c = *ps->p;
    if (c == '{' || c == '[')
        return mp_container(ps, pk, c == '{');
    if (c == '\'' || strncmp(ps->p, "bin'", 4) == 0 || strncmp(ps->p, "ext'", 4) == 0) {
        int kind = c == '\'' ? 0 : ps->p[0] == 'b' ? 1 : 2;
        if (kind)
            ps->p += 3;
        size_t n;
        char *s = mp_string(ps, &n);
        if (!s)
            return -1;
        int rc;
        if (kind == 0)
            rc = msgpack_pack_str(pk, n) || msgpack_pack_str_body(pk, s, n);
        else if (kind == 1)
            rc = msgpack_pack_bin(pk, n) || msgpack_pack_bin_body(pk, s, n);
        else
            rc = msgpack_pack_ext(pk, n, 1) || msgpack_pack_ext_body(pk, s, n);
        free(s);
        return rc ? -1 : 0;
    }
    if (mp_word(ps, "nil"))
        return msgpack_pack_nil(pk);
    if (mp_word(ps, "true"))
        return msgpack_pack_true(pk);
    if (mp_word(ps, "false"))
        return msgpack_pack_false(pk);
    if (mp_word(ps, "nan"))
        return msgpack_pack_double(pk, NAN);
    if (mp_word(ps, "inf"))
        return msgpack_pack_double(pk, INFINITY);
    if (mp_word(ps, "-inf"))
        return msgpack_pack_double(pk, -INFINITY);
    if (mp_word(ps, "f32:")) {
        char *end;
        double d = strtod(ps->p, &end);
        if (end == ps->p)
            return -1;
        ps->p = end;
        return msgpack_pack_float(pk, (float)d);
    }
    const char *q = ps->p;
    bool is_float = false;
    while ((*q >= '0' && *q <= '9') || *q == '-' || *q == '+' || *q == '.' || *q == 'e') {
        if (*q == '.' || *q == 'e')
            is_float = true;
        q++;
    }
    if (q == ps->p)
        return -1;
    char *end;
    int rc;
    if (is_float)
        rc = msgpack_pack_double(pk, strtod(ps->p, &end));
    else if (*ps->p == '-')
        rc = msgpack_pack_int64(pk, strtoll(ps->p, &end, 10));
    else
        rc = msgpack_pack_uint64(pk, strtoull(ps->p, &end, 10));
    if (end != q)
        return -1;
    ps->p = end;
    return rc;
}

/* Encode text into a malloc'd buffer (free it); *len gets its size. */
static char *mp_build(const char *text, size_t *len)
{
    msgpack_sbuffer sb;
    msgpack_packer pk;
    mp_parser ps = {text, text};
    msgpack_sbuffer_init(&sb);
    msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
    int rc = mp_value(&ps, &pk);
    mp_ws(&ps);
    if (rc != 0 || *ps.p) {
        msgpack_sbuffer_destroy(&sb);
        fail_msg("bad test message at offset %td of: %s", ps.p - ps.start, text);
    }
    *len = sb.size;
    if (sb.size == 0) {
        msgpack_sbuffer_destroy(&sb);
        return calloc(1, 1);
    }
    return msgpack_sbuffer_release(&sb);
}

/* Collect failures of a table so that one run shows them all, and nothing is left
 * allocated when the test then fails. */
static void report_add(char *report, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void report_add(char *report, size_t size, const char *fmt, ...)
{
    size_t used = strlen(report);
    va_list ap;
    if (used + 2 >= size)
        return;
    if (used)
        report[used++] = '\n', report[used] = '\0';
    va_start(ap, fmt);
    vsnprintf(report + used, size - used, fmt, ap);
    va_end(ap);
}

typedef struct {
    proto_request req;
    proto_errors errs;
    lm_error why;
    int st;
} decoded;

static void decode_buf(const void *buf, size_t len, decoded *d)
{
    proto_errors_init(&d->errs);
    lm_fail(&d->why, 1, "untouched");
    d->st = proto_request_decode(buf, len, &d->req, &d->errs, &d->why);
    /* The reason carries the status returned; a request that decodes has none. */
    assert_int_equal(d->why.status, d->st == PROTO_OK ? 0 : d->st);
    if (d->st == PROTO_OK)
        assert_string_equal(d->why.msg, "");
}

static void decode_mp(const char *text, decoded *d)
{
    size_t len;
    char *buf = mp_build(text, &len);
    decode_buf(buf, len, d);
    free(buf);
}

static void decoded_free(decoded *d)
{
    proto_request_free(&d->req);
    proto_errors_free(&d->errs);
}

#define HEAD "'v':1,'op':'submit','id':'r1'"
#define REC "{'metric':'m.x','area':'WK1','period':'2026-10','value':7}"

/* ---- op names ------------------------------------------------------------ */

static void test_op_names(void **state)
{
    static const struct { proto_op op; const char *name; } ops[] = {
        {PROTO_OP_PING, "ping"}, {PROTO_OP_SUBMIT, "submit"},
        {PROTO_OP_STATUS, "status"}, {PROTO_OP_CATALOG, "catalog"}};
    (void)state;
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        proto_op out = PROTO_OP_COUNT;
        assert_string_equal(proto_op_name(ops[i].op), ops[i].name);
        assert_int_equal(proto_op_parse(ops[i].name, strlen(ops[i].name), &out), 0);
        assert_int_equal(out, ops[i].op);
    }
    assert_string_equal(proto_op_name(PROTO_OP_COUNT), "?");
    assert_string_equal(proto_op_name((proto_op)-1), "?");
    static const char *const unknown[] = {"", "pin", "pingg", "PING", "Ping", "submit "};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        proto_op out = PROTO_OP_COUNT;
        assert_int_equal(proto_op_parse(unknown[i], strlen(unknown[i]), &out), -1);
        assert_int_equal(out, PROTO_OP_COUNT);
    }
    /* The length counts, not a terminating NUL. */
    proto_op out = PROTO_OP_COUNT;
    assert_int_equal(proto_op_parse("pingpong", 4, &out), 0);
    assert_int_equal(out, PROTO_OP_PING);
    assert_int_equal(proto_op_parse("ping\0", 5, &out), -1);
}

/* ---- proto_quote --------------------------------------------------------- */

static void test_quote(void **state)
{
    static const struct {
        size_t n;
        const char *in;
        size_t len;
        const char *want;
    } cases[] = {
        {10, "abc", 3, "abc"},
        {10, "", 0, ""},
        {10, "a\tb\x80", 4, "a?b?"},
        {10, "a\0b", 3, "a?b"},
        {10, "\x7f\x1f ~", 4, "?? ~"},
        {7, "abcdef", 6, "abcdef"},     /* exactly fits */
        {6, "abcdef", 6, "ab..."},      /* one too long: cut with an ellipsis */
        {5, "abcdef", 6, "a..."},
        {4, "abcdef", 6, "..."},
        {3, "abcdef", 6, ".."},
        {2, "abcdef", 6, "."},
        {1, "abcdef", 6, ""},
        {8, "abc\xc3\xa9xyz", 8, "abc?..."},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char dst[32];
        memset(dst, 'Z', sizeof dst);
        proto_quote(dst, cases[i].n, cases[i].in, cases[i].len);
        if (strcmp(dst, cases[i].want) != 0)
            fail_msg("case %zu: quote(n=%zu) gave '%s', want '%s'", i, cases[i].n, dst,
                     cases[i].want);
        assert_true(strlen(dst) < cases[i].n);
        /* Nothing written past n. */
        assert_int_equal(dst[cases[i].n], 'Z');
    }
    char dst[4] = "xyz";
    proto_quote(dst, 0, "abc", 3);
    assert_string_equal(dst, "xyz");
}

/* ---- error lists --------------------------------------------------------- */

static void test_errors_add_and_cap(void **state)
{
    proto_errors e;
    (void)state;
    proto_errors_init(&e);
    assert_int_equal(e.count, 0);
    assert_int_equal(e.total, 0);
    for (long i = 0; i < PROTO_MAX_ERRORS + 250; i++)
        proto_errors_add(&e, i, "value", "out_of_range", "record %ld is bad", i);
    assert_int_equal(e.count, PROTO_MAX_ERRORS);
    assert_int_equal(e.total, PROTO_MAX_ERRORS + 250);
    assert_true(e.cap <= PROTO_MAX_ERRORS);
    assert_int_equal(e.items[0].index, 0);
    assert_int_equal(e.items[PROTO_MAX_ERRORS - 1].index, PROTO_MAX_ERRORS - 1);
    assert_string_equal(e.items[PROTO_MAX_ERRORS - 1].message, "record 999 is bad");
    assert_string_equal(e.items[17].field, "value");
    assert_string_equal(e.items[17].code, "out_of_range");
    proto_errors_free(&e);
    assert_null(e.items);
    assert_int_equal(e.count, 0);
    assert_int_equal(e.total, 0);

    /* Long texts are cut to the fixed fields, always terminated. */
    char longtext[400];
    memset(longtext, 'q', sizeof longtext - 1);
    longtext[sizeof longtext - 1] = '\0';
    proto_errors_add(&e, -1, longtext, longtext, "%s", longtext);
    assert_int_equal(e.count, 1);
    assert_int_equal(strlen(e.items[0].field), sizeof e.items[0].field - 1);
    assert_int_equal(strlen(e.items[0].code), sizeof e.items[0].code - 1);
    assert_int_equal(strlen(e.items[0].message), sizeof e.items[0].message - 1);
    assert_int_equal(e.items[0].index, -1);
    proto_errors_free(&e);
}

static void test_errors_sort_stable(void **state)
{
    static const long idx[] = {3, 1, 3, -1, 1, 0, 2, 3, 1};
    static const char *const want[] = {"3", "5", "1", "4", "8", "6", "0", "2", "7"};
    proto_errors e;
    (void)state;
    proto_errors_init(&e);
    proto_errors_sort(&e); /* empty: nothing to do */
    for (size_t i = 0; i < sizeof idx / sizeof idx[0]; i++)
        proto_errors_add(&e, idx[i], "f", "c", "%zu", i);
    proto_errors_sort(&e);
    assert_int_equal(e.count, sizeof idx / sizeof idx[0]);
    for (size_t i = 0; i < e.count; i++) {
        assert_string_equal(e.items[i].message, want[i]);
        if (i)
            assert_true(e.items[i - 1].index <= e.items[i].index);
    }
    proto_errors_free(&e);

    /* A full list in reverse order, with pairs: still stable. */
    proto_errors_init(&e);
    for (long i = 0; i < PROTO_MAX_ERRORS; i++)
        proto_errors_add(&e, (PROTO_MAX_ERRORS - 1 - i) / 2, "f", "c", "%ld", i);
    proto_errors_sort(&e);
    for (size_t i = 1; i < e.count; i++) {
        assert_true(e.items[i - 1].index <= e.items[i].index);
        if (e.items[i - 1].index == e.items[i].index)
            assert_true(atol(e.items[i - 1].message) < atol(e.items[i].message));
    }
    proto_errors_free(&e);
}

/* ---- decoding: valid requests -------------------------------------------- */

static void test_decode_valid_simple(void **state)
{
    static const struct {
        const char *mp;
        proto_op op;
        const char *id;
        const char *reporter;
        bool dry_run;
    } cases[] = {
        {"{'v':1,'op':'ping','id':'r1'}", PROTO_OP_PING, "r1", "", false},
        {"{'id':'x','op':'status','v':1}", PROTO_OP_STATUS, "x", "", false},
        {"{'v':1,'op':'catalog','id':'!~#$%^&*()'}", PROTO_OP_CATALOG, "!~#$%^&*()", "", false},
        {"{'v':1,'op':'status','id':'s','reporter':'ko-1','dry_run':true}", PROTO_OP_STATUS,
         "s", "ko-1", true},
        {"{'v':1,'op':'ping','id':'s','dry_run':false}", PROTO_OP_PING, "s", "", false},
        {"{'v':1,'op':'ping','id':'i'*64}",
         PROTO_OP_PING, "iiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii", "",
         false},
        {"{'v':1,'op':'ping','id':'a','reporter':'r'*64}", PROTO_OP_PING, "a",
         "rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr", false},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        decoded d;
        decode_mp(cases[i].mp, &d);
        if (d.st != PROTO_OK)
            fail_msg("case %zu: status %d (%s)", i, d.st, d.why.msg);
        assert_int_equal(d.req.version, PROTO_VERSION);
        assert_int_equal(d.req.op, cases[i].op);
        assert_string_equal(d.req.id, cases[i].id);
        assert_string_equal(d.req.reporter, cases[i].reporter);
        assert_int_equal(d.req.dry_run, cases[i].dry_run);
        assert_null(d.req.records);
        assert_int_equal(d.req.n_records, 0);
        assert_int_equal(d.errs.total, 0);
        decoded_free(&d);
    }
}

static void test_decode_submit_records(void **state)
{
    decoded d;
    (void)state;
    decode_mp("{" HEAD ",'records':["
              "{'metric':'vve.plaatsen','area':'WK016400','period':'2026-10','value':12},"
              "{'value':-3,'period':'2026-09','metric':'a.b'},"
              "{'metric':'h','period':'2026-08','value':1.25},"
              "{'metric':'f','period':'2026-07','value':f32:0.5},"
              "{'metric':'u','period':'2026-06','value':18446744073709551615},"
              "{'metric':'n','period':'2026-05','value':nan}]}",
              &d);
    assert_int_equal(d.st, PROTO_OK);
    assert_int_equal(d.errs.total, 0);
    assert_int_equal(d.req.op, PROTO_OP_SUBMIT);
    assert_int_equal(d.req.n_records, 6);
    const proto_record *r = d.req.records;
    assert_string_equal(r[0].metric, "vve.plaatsen");
    assert_string_equal(r[0].area, "WK016400");
    assert_string_equal(r[0].period, "2026-10");
    assert_true(r[0].value == 12.0);
    assert_string_equal(r[1].metric, "a.b");
    assert_string_equal(r[1].area, ""); /* absent: the home area, filled in later */
    assert_true(r[1].value == -3.0);
    assert_true(r[2].value == 1.25);
    assert_true(r[3].value == 0.5);
    assert_true(r[4].value == 18446744073709551615.0);
    assert_true(isnan(r[5].value)); /* decoding takes it; validation refuses it */
    for (size_t i = 0; i < d.req.n_records; i++)
        assert_int_equal(r[i].bad, 0);
    decoded_free(&d);
    assert_null(d.req.records);
}

/* ---- decoding: refused requests ------------------------------------------ */

static void test_decode_refused(void **state)
{
    static const struct {
        const char *mp;
        int status;
        const char *why;  /* substring of the reason */
        const char *id;   /* id kept for the reply */
        proto_op op;      /* op kept for the reply */
    } cases[] = {
        /* root */
        {"[1,2]", 400, "a request must be a msgpack map, got an array", "", PROTO_OP_COUNT},
        {"'ping'", 400, "got a string", "", PROTO_OP_COUNT},
        {"nil", 400, "got nil", "", PROTO_OP_COUNT},
        {"7", 400, "got an integer", "", PROTO_OP_COUNT},
        {"{}", 400, "id is missing", "", PROTO_OP_COUNT},
        /* The map's keys: the id is read first, so the reply can carry it (PROTOCOL.md §3). */
        {"{1:2,'v':1,'op':'ping','id':'a'}", 400, "map keys must be strings, got an integer", "a",
         PROTO_OP_COUNT},
        {"{'v':1,'op':'ping','id':'a',nil:1}", 400, "map keys must be strings, got nil", "a",
         PROTO_OP_COUNT},
        {"{'v':1,'op':'ping','id':'a','colour':'red'}", 400, "unknown field 'colour'", "a",
         PROTO_OP_COUNT},
        {"{'v':1,'op':'ping','id':'a','V':1}", 400, "unknown field 'V'", "a", PROTO_OP_COUNT},
        {"{'v':1,'op':'ping','id':'a','bad\\x01key':1}", 400, "unknown field 'bad?key'", "a",
         PROTO_OP_COUNT},
        {"{'v':1,'v':1,'op':'ping','id':'a'}", 400, "field 'v' appears twice", "a",
         PROTO_OP_COUNT},
        {"{'v':1,'op':'ping','id':'a','id':'b'}", 400, "field 'id' appears twice", "a",
         PROTO_OP_COUNT},
        /* The first problem with the keys is the one reported. */
        {"{'x':1,'v':1,'v':2,'op':'ping','id':'a',7:1}", 400, "unknown field 'x'", "a",
         PROTO_OP_COUNT},
        {"{'v':1,'v':2,'x':1,'op':'ping','id':'a'}", 400, "field 'v' appears twice", "a",
         PROTO_OP_COUNT},
        /* Without a usable id, the id's problem comes first. */
        {"{'colour':1,'v':1,'op':'ping'}", 400, "id is missing; unknown field 'colour'", "",
         PROTO_OP_COUNT},
        {"{'colour':1,'v':1,'op':'ping','id':'a b'}", 400,
         "id must be printable ASCII without spaces", "", PROTO_OP_COUNT},
        {"{'colour':1,'v':1,'op':'ping','id':7}", 400, "id must be a string, got an integer", "",
         PROTO_OP_COUNT},
        /* id */
        {"{'v':1,'op':'ping'}", 400, "id is missing", "", PROTO_OP_COUNT},
        {"{'v':1,'op':'ping','id':5}", 400, "id must be a string, got an integer", "",
         PROTO_OP_COUNT},
        {"{'v':1,'op':'ping','id':bin'ab'}", 400, "id must be a string, got binary", "",
         PROTO_OP_COUNT},
        {"{'v':1,'op':'ping','id':''}", 400, "id must be 1 to 64 characters, got 0", "",
         PROTO_OP_COUNT},
        {"{'v':1,'op':'ping','id':'i'*65}", 400, "id must be 1 to 64 characters, got 65", "",
         PROTO_OP_COUNT},
        {"{'v':1,'op':'ping','id':'a b'}", 400, "id must be printable ASCII without spaces", "",
         PROTO_OP_COUNT},
        {"{'v':1,'op':'ping','id':'a\\tb'}", 400, "printable ASCII without spaces", "",
         PROTO_OP_COUNT},
        {"{'v':1,'op':'ping','id':'ab\\x7f'}", 400, "printable ASCII without spaces", "",
         PROTO_OP_COUNT},
        {"{'v':1,'op':'ping','id':'caf\\xc3\\xa9'}", 400, "printable ASCII without spaces", "",
         PROTO_OP_COUNT},
        {"{'v':1,'op':'ping','id':'a\\x00b'}", 400, "printable ASCII without spaces", "",
         PROTO_OP_COUNT},
        /* v: the id is already known */
        {"{'op':'ping','id':'a'}", 400, "v (protocol version) is missing", "a", PROTO_OP_COUNT},
        {"{'v':'1','op':'ping','id':'a'}", 400, "v must be a positive integer, got a string",
         "a", PROTO_OP_COUNT},
        {"{'v':-1,'op':'ping','id':'a'}", 400, "v must be a positive integer, got an integer",
         "a", PROTO_OP_COUNT},
        {"{'v':1.0,'op':'ping','id':'a'}", 400, "v must be a positive integer, got a float", "a",
         PROTO_OP_COUNT},
        {"{'v':true,'op':'ping','id':'a'}", 400, "got a boolean", "a", PROTO_OP_COUNT},
        {"{'v':0,'op':'ping','id':'a'}", 400, "unsupported protocol version 0", "a",
         PROTO_OP_COUNT},
        {"{'v':2,'op':'ping','id':'a'}", 400,
         "unsupported protocol version 2: this server speaks version 1", "a", PROTO_OP_COUNT},
        {"{'v':18446744073709551615,'op':'ping','id':'a'}", 400,
         "unsupported protocol version 18446744073709551615", "a", PROTO_OP_COUNT},
        /* op */
        {"{'v':1,'id':'a'}", 400, "op is missing", "a", PROTO_OP_COUNT},
        {"{'v':1,'op':1,'id':'a'}", 400, "op must be a string, got an integer", "a",
         PROTO_OP_COUNT},
        {"{'v':1,'op':['ping'],'id':'a'}", 400, "op must be a string, got an array", "a",
         PROTO_OP_COUNT},
        {"{'v':1,'op':'pong','id':'a'}", 404,
         "unknown op 'pong': this server knows ping, submit, status, catalog", "a",
         PROTO_OP_COUNT},
        {"{'v':1,'op':'PING','id':'a'}", 404, "unknown op 'PING'", "a", PROTO_OP_COUNT},
        {"{'v':1,'op':'','id':'a'}", 404, "unknown op ''", "a", PROTO_OP_COUNT},
        {"{'v':1,'op':'ping\\x00','id':'a'}", 404, "unknown op 'ping?'", "a", PROTO_OP_COUNT},
        /* reporter and dry_run: op is known by now */
        {"{'v':1,'op':'ping','id':'a','reporter':7}", 400,
         "reporter must be a string, got an integer", "a", PROTO_OP_PING},
        {"{'v':1,'op':'ping','id':'a','reporter':''}", 400,
         "reporter must be 1 to 64 characters, got 0", "a", PROTO_OP_PING},
        {"{'v':1,'op':'ping','id':'a','reporter':'r'*65}", 400,
         "reporter must be 1 to 64 characters, got 65", "a", PROTO_OP_PING},
        {"{'v':1,'op':'ping','id':'a','reporter':'ko 1'}", 400,
         "reporter must be printable ASCII without spaces", "a", PROTO_OP_PING},
        {"{'v':1,'op':'ping','id':'a','dry_run':1}", 400,
         "dry_run must be a boolean, got an integer", "a", PROTO_OP_PING},
        {"{'v':1,'op':'ping','id':'a','dry_run':'yes'}", 400,
         "dry_run must be a boolean, got a string", "a", PROTO_OP_PING},
        /* records */
        {"{'v':1,'op':'ping','id':'a','records':[" REC "]}", 400,
         "records belong to op submit only", "a", PROTO_OP_PING},
        {"{'v':1,'op':'status','id':'a','records':[]}", 400, "records belong to op submit only",
         "a", PROTO_OP_STATUS},
        {"{" HEAD "}", 400, "records is missing", "r1", PROTO_OP_SUBMIT},
        {"{" HEAD ",'records':{}}", 400, "records must be an array, got a map", "r1",
         PROTO_OP_SUBMIT},
        {"{" HEAD ",'records':nil}", 400, "records must be an array, got nil", "r1",
         PROTO_OP_SUBMIT},
        {"{" HEAD ",'records':" REC "}", 400, "records must be an array, got a map", "r1",
         PROTO_OP_SUBMIT},
        {"{" HEAD ",'records':[]}", 400, "records is empty: nothing to submit", "r1",
         PROTO_OP_SUBMIT},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        decoded d;
        decode_mp(cases[i].mp, &d);
        if (d.st != cases[i].status || !strstr(d.why.msg, cases[i].why))
            fail_msg("case %zu %s: status %d why '%s'; want %d '%s'", i, cases[i].mp, d.st,
                     d.why.msg, cases[i].status, cases[i].why);
        if (strcmp(d.req.id, cases[i].id) != 0 || d.req.op != cases[i].op)
            fail_msg("case %zu %s: kept id '%s' op %d; want '%s' %d", i, cases[i].mp, d.req.id,
                     (int)d.req.op, cases[i].id, (int)cases[i].op);
        /* A refused request owns nothing. */
        assert_null(d.req.records);
        assert_int_equal(d.req.n_records, 0);
        assert_int_equal(d.errs.total, 0);
        decoded_free(&d);
    }
}

static void test_decode_not_msgpack(void **state)
{
    static const struct {
        const char *bytes;
        size_t len;
        const char *why;
    } cases[] = {
        {"", 0, "truncated msgpack message"},
        {"\xc1", 1, "not a msgpack message"},           /* the never-used byte */
        {"\x81\xa1v\xc1", 4, "not a msgpack message"},
        {"\x83", 1, "truncated msgpack message"},
        {"\x80\x00", 2, "1 bytes after the end of the request map"},
        {"\x80\x80\x80", 3, "2 bytes after the end"},
        /* Not a map comes before trailing bytes. */
        {"\x91\x00\x00", 3, "a request must be a msgpack map, got an array"},
        {"\xc0\x00", 2, "a request must be a msgpack map, got nil"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        decoded d;
        decode_buf(cases[i].bytes, cases[i].len, &d);
        if (d.st != PROTO_BAD_REQUEST || !strstr(d.why.msg, cases[i].why))
            fail_msg("case %zu: status %d why '%s'; want 400 '%s'", i, d.st, d.why.msg,
                     cases[i].why);
        assert_string_equal(d.req.id, "");
        assert_int_equal(d.req.op, PROTO_OP_COUNT);
        decoded_free(&d);
    }
}

static void test_decode_truncated_and_trailing(void **state)
{
    size_t len;
    char *buf = mp_build("{" HEAD ",'records':[" REC "," REC "]}", &len);
    (void)state;
    /* Every proper prefix of a message is an unfinished message. */
    for (size_t cut = 0; cut < len; cut++) {
        decoded d;
        decode_buf(buf, cut, &d);
        if (d.st != PROTO_BAD_REQUEST || !strstr(d.why.msg, "truncated"))
            fail_msg("prefix of %zu/%zu bytes: status %d why '%s'", cut, len, d.st, d.why.msg);
        assert_null(d.req.records);
        decoded_free(&d);
    }
    /* The whole message decodes; one byte more does not. */
    char *more = malloc(len + 1);
    assert_non_null(more);
    memcpy(more, buf, len);
    more[len] = '\xc0';
    decoded d;
    decode_buf(more, len, &d);
    assert_int_equal(d.st, PROTO_OK);
    assert_int_equal(d.req.n_records, 2);
    decoded_free(&d);
    decode_buf(more, len + 1, &d);
    assert_int_equal(d.st, PROTO_BAD_REQUEST);
    assert_non_null(strstr(d.why.msg, "1 bytes after the end of the request map"));
    assert_null(d.req.records);
    decoded_free(&d);
    free(more);
    free(buf);
}

/* The reason comes with the status; e may be NULL. */
static void test_decode_why(void **state)
{
    size_t len;
    char *buf = mp_build("{'v':1,'op':'pong','id':'a'}", &len);
    proto_request req;
    proto_errors e;
    lm_error why;
    (void)state;
    proto_errors_init(&e);
    assert_int_equal(proto_request_decode(buf, len, &req, &e, &why), PROTO_NOT_FOUND);
    assert_int_equal(why.status, PROTO_NOT_FOUND);
    assert_int_equal(strncmp(why.msg, "unknown op 'pong': this server knows ping, ", 43), 0);
    proto_request_free(&req);
    assert_int_equal(proto_request_decode(buf, len, &req, &e, NULL), PROTO_NOT_FOUND);
    assert_string_equal(req.id, "a");
    proto_request_free(&req);
    proto_errors_free(&e);
    free(buf);
}

/* Nesting deeper than msgpack-c's stack (32) is a malformed request (400), not a
 * message that is too large (413): the message below is 44 bytes. */
static void test_decode_deep_nesting(void **state)
{
    static const int depths[] = {33, 40, 100, 1000};
    char report[1024] = "";
    (void)state;
    for (size_t k = 0; k < sizeof depths / sizeof depths[0]; k++) {
        int depth = depths[k];
        size_t len = 0;
        unsigned char *buf = malloc((size_t)depth + 16);
        assert_non_null(buf);
        buf[len++] = 0x81; /* {'x': [[[[ ... nil ]]]] } */
        buf[len++] = 0xa1;
        buf[len++] = 'x';
        for (int i = 0; i < depth; i++)
            buf[len++] = 0x91;
        buf[len++] = 0xc0;
        decoded d;
        decode_buf(buf, len, &d);
        if (d.st != PROTO_BAD_REQUEST)
            report_add(report, sizeof report, "depth %d (%zu bytes): status %d why '%s'; want 400",
                       depth, len, d.st, d.why.msg);
        assert_null(d.req.records);
        decoded_free(&d);
        free(buf);
    }
    if (report[0])
        fail_msg("%s", report);
}

/* A container header claims more elements than the message has bytes: that is a
 * truncated message (400). msgpack-c allocates room for the claimed count before it
 * looks for the data, so a 5-byte message asks malloc for up to 256 GiB; when that
 * fails the decoder reports 413 "message too large to decode" for 5 bytes. */
static void test_decode_huge_container_count(void **state)
{
#define BYTES(s) {s, sizeof s - 1}
    static const struct { const char *bytes; size_t len; } cases[] = {
        BYTES("\xdf\xff\xff\xff\xff"),  /* map32 of 2^32-1 pairs */
        BYTES("\xdd\xff\xff\xff\xff"),  /* array32 of 2^32-1 items */
        BYTES("\xdd\x10\x00\x00\x00"),  /* array32 of 2^28 items */
        /* {'v':1,'op':'submit','id':'x','records': array32 of 2^32-1 } */
        BYTES("\x84\xa1v\x01\xa2op\xa6submit\xa2id\xa1x\xa7records\xdd\xff\xff\xff\xff"),
        BYTES("\xdb\xff\xff\xff\xff"),  /* str32 */
        BYTES("\xc6\xff\xff\xff\xff"),  /* bin32 */
    };
#undef BYTES
    char report[1024] = "";
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        decoded d;
        decode_buf(cases[i].bytes, cases[i].len, &d);
        if (d.st != PROTO_BAD_REQUEST || !strstr(d.why.msg, "truncated"))
            report_add(report, sizeof report,
                       "case %zu (%zu bytes): status %d why '%s'; want 400 truncated", i,
                       cases[i].len, d.st, d.why.msg);
        assert_null(d.req.records);
        decoded_free(&d);
    }
    if (report[0])
        fail_msg("%s", report);
}

/* Nesting the decoder does handle reaches the record checks. */
static void test_decode_nesting_within_limit(void **state)
{
    char text[512] = "{" HEAD ",'records':[";
    (void)state;
    for (int i = 0; i < 25; i++)
        strcat(text, "[");
    strcat(text, "1");
    for (int i = 0; i < 25; i++)
        strcat(text, "]");
    strcat(text, "]}");
    decoded d;
    decode_mp(text, &d);
    assert_int_equal(d.st, PROTO_OK);
    assert_int_equal(d.errs.count, 1);
    assert_string_equal(d.errs.items[0].code, "type");
    assert_string_equal(d.errs.items[0].message, "record must be a map, got an array");
    decoded_free(&d);
}

static void test_decode_too_large(void **state)
{
    (void)state;
    /* Over the byte limit: refused before looking at the bytes. */
    size_t big = (size_t)PROTO_MAX_MESSAGE + 1;
    char *buf = calloc(1, big);
    assert_non_null(buf);
    decoded d;
    decode_buf(buf, big, &d);
    assert_int_equal(d.st, PROTO_TOO_LARGE);
    assert_non_null(strstr(d.why.msg, "message of 1048577 bytes; the limit is 1048576"));
    assert_int_equal(d.req.op, PROTO_OP_COUNT);
    decoded_free(&d);
    free(buf);

    /* Exactly at the limit: decoded (its one record is refused for its long metric). */
    size_t len;
    char text[128];
    char *probe = mp_build("{" HEAD ",'records':[{'metric':'x'*100000,'period':'2026-10',"
                           "'value':1}]}", &len);
    free(probe);
    size_t overhead = len - 100000;
    size_t n = (size_t)PROTO_MAX_MESSAGE - overhead;
    snprintf(text, sizeof text,
             "{" HEAD ",'records':[{'metric':'x'*%zu,'period':'2026-10','value':1}]}", n);
    buf = mp_build(text, &len);
    assert_int_equal(len, PROTO_MAX_MESSAGE);
    decode_buf(buf, len, &d);
    assert_int_equal(d.st, PROTO_OK);
    assert_int_equal(d.req.n_records, 1);
    assert_int_equal(d.errs.count, 1);
    assert_string_equal(d.errs.items[0].code, "too_long");
    assert_int_equal(d.req.records[0].bad, PROTO_F_METRIC);
    decoded_free(&d);
    free(buf);
}

static char *records_message(size_t n, const char *record, size_t *len)
{
    msgpack_sbuffer sb;
    msgpack_packer pk;
    size_t rlen;
    char *rec = mp_build(record, &rlen);
    msgpack_sbuffer_init(&sb);
    msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
    msgpack_pack_map(&pk, 4);
    proto_pack_kv_int(&pk, "v", 1);
    proto_pack_kv_str(&pk, "op", "submit");
    proto_pack_kv_str(&pk, "id", "many");
    proto_pack_str(&pk, "records");
    msgpack_pack_array(&pk, n);
    for (size_t i = 0; i < n; i++)
        msgpack_sbuffer_write(&sb, rec, rlen);
    free(rec);
    *len = sb.size;
    return msgpack_sbuffer_release(&sb);
}

static void test_decode_record_count_limit(void **state)
{
    size_t len;
    decoded d;
    (void)state;
    char *buf = records_message(PROTO_MAX_RECORDS, REC, &len);
    decode_buf(buf, len, &d);
    assert_int_equal(d.st, PROTO_OK);
    assert_int_equal(d.req.n_records, PROTO_MAX_RECORDS);
    assert_int_equal(d.errs.total, 0);
    assert_string_equal(d.req.records[PROTO_MAX_RECORDS - 1].metric, "m.x");
    decoded_free(&d);
    free(buf);

    buf = records_message(PROTO_MAX_RECORDS + 1, "nil", &len);
    decode_buf(buf, len, &d);
    assert_int_equal(d.st, PROTO_TOO_LARGE);
    assert_non_null(strstr(d.why.msg, "10001 records in one submission; the limit is 10000"));
    assert_string_equal(d.req.id, "many");
    assert_int_equal(d.req.op, PROTO_OP_SUBMIT);
    assert_null(d.req.records);
    assert_int_equal(d.errs.total, 0);
    decoded_free(&d);
    free(buf);
}

/* ---- decoding: record-level errors --------------------------------------- */

typedef struct {
    const char *field;
    const char *code;
    const char *message; /* substring */
} want_error;

static void test_decode_record_errors(void **state)
{
    enum { M = PROTO_F_METRIC, A = PROTO_F_AREA, P = PROTO_F_PERIOD, V = PROTO_F_VALUE };
    static const struct {
        const char *record;
        unsigned bad;
        want_error errs[4];
    } cases[] = {
        {REC, 0, {{0}}},
        {"{'metric':'m','period':'p','value':1}", 0, {{0}}},
        {"nil", M | A | P | V, {{"record", "type", "record must be a map, got nil"}}},
        {"[1,2]", M | A | P | V, {{"record", "type", "record must be a map, got an array"}}},
        {"'x'", M | A | P | V, {{"record", "type", "got a string"}}},
        {"5", M | A | P | V, {{"record", "type", "got an integer"}}},
        {"{}", M | P | V,
         {{"metric", "missing", "metric is missing"},
          {"period", "missing", "period is missing"},
          {"value", "missing", "value is missing"}}},
        {"{'metric':'m','area':'a','value':1}", P, {{"period", "missing", "period is missing"}}},
        {"{'area':'a','period':'p','value':1}", M, {{"metric", "missing", "metric is missing"}}},
        {"{'metric':'m','area':'a','period':'p'}", V, {{"value", "missing", "value is missing"}}},
        {"{'metric':5,'period':'p','value':1}", M,
         {{"metric", "type", "metric must be a string, got an integer"}}},
        {"{'metric':'m','area':nil,'period':'p','value':1}", A,
         {{"area", "type", "area must be a string, got nil"}}},
        {"{'metric':'m','period':202610,'value':1}", P,
         {{"period", "type", "period must be a string, got an integer"}}},
        {"{'metric':'m','period':bin'2026-10','value':1}", P,
         {{"period", "type", "got binary"}}},
        {"{'metric':'m','period':'p','value':'12'}", V,
         {{"value", "type", "value must be a number, got a string"}}},
        {"{'metric':'m','period':'p','value':nil}", V, {{"value", "type", "got nil"}}},
        {"{'metric':'m','period':'p','value':true}", V, {{"value", "type", "got a boolean"}}},
        {"{'metric':'m','period':'p','value':[1]}", V, {{"value", "type", "got an array"}}},
        {"{'metric':'m','period':'p','value':ext'\\x01'}", V,
         {{"value", "type", "got an extension"}}},
        {"{'metric':'m','period':'p','value':1,'colour':'red'}", 0,
         {{"colour", "unknown_field",
           "unknown field 'colour': a record has metric, area, period and value"}}},
        {"{'metric':'m','period':'p','value':1,'reporter':'x'}", 0,
         {{"reporter", "unknown_field", "unknown field 'reporter'"}}},
        {"{'metric':'m','period':'p','value':1,7:1}", 0,
         {{"(an integer)", "unknown_field", "unknown field '(an integer)'"}}},
        {"{'metric':'m','period':'p','value':1,'ab\\ncd':1}", 0,
         {{"ab?cd", "unknown_field", "unknown field 'ab?cd'"}}},
        {"{'metric':'m','period':'p','value':1,'x'*40:1}", 0,
         {{"xxxxxxxxxxxx...", "unknown_field", "unknown field 'xxxxxxxxxxxx...'"}}},
        {"{'metric':'m','metric':'n','period':'p','value':1}", M,
         {{"metric", "duplicate_field", "metric appears twice in the record"}}},
        {"{'metric':'m','period':'p','value':1,'value':2}", V,
         {{"value", "duplicate_field", "value appears twice"}}},
        {"{'metric':'m','area':'a','area':'b','period':'p','value':1}", A,
         {{"area", "duplicate_field", "area appears twice"}}},
        {"{'metric':'m'*64,'area':'a'*32,'period':'p'*16,'value':1}", 0, {{0}}},
        {"{'metric':'m'*65,'period':'p','value':1}", M,
         {{"metric", "too_long", "metric must be 1 to 64 characters, got 65"}}},
        {"{'metric':'m','area':'a'*33,'period':'p','value':1}", A,
         {{"area", "too_long", "area must be 1 to 32 characters, got 33"}}},
        {"{'metric':'m','period':'p'*17,'value':1}", P,
         {{"period", "too_long", "period must be 1 to 16 characters, got 17"}}},
        {"{'metric':'','period':'p','value':1}", M,
         {{"metric", "missing", "metric must be 1 to 64 characters, got 0"}}},
        {"{'metric':'m','area':'','period':'p','value':1}", A,
         {{"area", "missing", "area must be 1 to 32 characters, got 0"}}},
        {"{'metric':'m','period':'','value':1}", P, {{"period", "missing", "got 0"}}},
        /* A long bad string is quoted safely in the message. */
        {"{'metric':'\\x01'*70,'period':'p','value':1}", M,
         {{"metric", "too_long", "got 70 ('????????????????????????????????????...')"}}},
        /* Several problems in one record, in field order of the record. */
        {"{'value':'x','metric':1,'bogus':1}", M | P | V,
         {{"value", "type", "value must be a number"},
          {"metric", "type", "metric must be a string"},
          {"bogus", "unknown_field", "unknown field 'bogus'"},
          {"period", "missing", "period is missing"}}},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[512];
        decoded d;
        snprintf(text, sizeof text, "{" HEAD ",'records':[%s]}", cases[i].record);
        decode_mp(text, &d);
        if (d.st != PROTO_OK)
            fail_msg("case %zu %s: status %d (%s)", i, cases[i].record, d.st, d.why.msg);
        assert_int_equal(d.req.n_records, 1);
        if (d.req.records[0].bad != cases[i].bad)
            fail_msg("case %zu %s: bad 0x%x, want 0x%x", i, cases[i].record,
                     d.req.records[0].bad, cases[i].bad);
        size_t n = 0;
        while (n < 4 && cases[i].errs[n].code)
            n++;
        if (d.errs.count != n || d.errs.total != n)
            fail_msg("case %zu %s: %zu errors (first: %s %s), want %zu", i, cases[i].record,
                     d.errs.count, d.errs.count ? d.errs.items[0].field : "",
                     d.errs.count ? d.errs.items[0].code : "", n);
        for (size_t k = 0; k < n; k++) {
            const proto_error *e = &d.errs.items[k];
            if (e->index != 0 || strcmp(e->field, cases[i].errs[k].field) != 0 ||
                strcmp(e->code, cases[i].errs[k].code) != 0 ||
                !strstr(e->message, cases[i].errs[k].message))
                fail_msg("case %zu %s error %zu: [%ld] %s %s '%s'; want %s %s '%s'", i,
                         cases[i].record, k, e->index, e->field, e->code, e->message,
                         cases[i].errs[k].field, cases[i].errs[k].code,
                         cases[i].errs[k].message);
        }
        decoded_free(&d);
    }
}

/* A record string with a NUL byte inside must not be cut at the NUL and pass as its
 * prefix: 'vve.plaatsen\0junk' is not the metric vve.plaatsen. The field is refused. */
static void test_decode_record_embedded_nul(void **state)
{
    static const struct { const char *record, *field; unsigned bit; } cases[] = {
        {"{'metric':'vve.plaatsen\\x00junk','area':'WK016400','period':'2026-10','value':3}",
         "metric", PROTO_F_METRIC},
        {"{'metric':'vve.plaatsen','area':'WK016400\\x00','period':'2026-10','value':3}", "area",
         PROTO_F_AREA},
        {"{'metric':'vve.plaatsen','area':'WK016400','period':'2026-10\\x00x','value':3}",
         "period", PROTO_F_PERIOD},
        /* Cut to "", an area would pass as absent and become the home area. */
        {"{'metric':'vve.plaatsen','area':'\\x00GM0153','period':'2026-10','value':3}", "area",
         PROTO_F_AREA},
    };
    char report[2048] = "";
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[256];
        decoded d;
        snprintf(text, sizeof text, "{" HEAD ",'records':[%s]}", cases[i].record);
        decode_mp(text, &d);
        assert_int_equal(d.st, PROTO_OK);
        const proto_record *r = &d.req.records[0];
        bool flagged = (r->bad & cases[i].bit) && d.errs.count == 1 &&
                       strcmp(d.errs.items[0].field, cases[i].field) == 0;
        if (!flagged)
            report_add(report, sizeof report,
                       "case %zu: %s accepted as metric '%s' area '%s' period '%s' (bad 0x%x, "
                       "%zu errors)",
                       i, cases[i].field, r->metric, r->area, r->period, r->bad, d.errs.count);
        decoded_free(&d);
    }
    if (report[0])
        fail_msg("%s", report);
}

/* Fields that did decode are kept; the first of a duplicated field wins. */
static void test_decode_record_partial(void **state)
{
    decoded d;
    (void)state;
    decode_mp("{" HEAD ",'records':[{'metric':'first','metric':'second','area':7,"
              "'period':'2026-10','value':'x'}]}",
              &d);
    assert_int_equal(d.st, PROTO_OK);
    const proto_record *r = &d.req.records[0];
    assert_string_equal(r->metric, "first");
    assert_string_equal(r->area, "");
    assert_string_equal(r->period, "2026-10");
    assert_int_equal(r->bad, PROTO_F_METRIC | PROTO_F_AREA | PROTO_F_VALUE);
    decoded_free(&d);
}

static void test_decode_errors_indexed(void **state)
{
    decoded d;
    (void)state;
    decode_mp("{" HEAD ",'records':[" REC ",nil,{'metric':1,'period':'p','value':1}," REC
              ",{'period':'p','value':1,'x':1}]}",
              &d);
    assert_int_equal(d.st, PROTO_OK);
    assert_int_equal(d.req.n_records, 5);
    static const struct { long index; const char *field, *code; } want[] = {
        {1, "record", "type"}, {2, "metric", "type"}, {4, "x", "unknown_field"},
        {4, "metric", "missing"}};
    assert_int_equal(d.errs.count, 4);
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(d.errs.items[i].index, want[i].index);
        assert_string_equal(d.errs.items[i].field, want[i].field);
        assert_string_equal(d.errs.items[i].code, want[i].code);
    }
    assert_int_equal(d.req.records[0].bad, 0);
    assert_int_equal(d.req.records[3].bad, 0);
    assert_int_equal(d.req.records[4].bad, PROTO_F_METRIC);
    decoded_free(&d);
}

static void test_decode_errors_capped(void **state)
{
    size_t len;
    decoded d;
    (void)state;
    /* Three errors per record, 1500 records: 4500 counted, 1000 kept. */
    char *buf = records_message(1500, "{'metric':1,'period':2,'value':'3'}", &len);
    decode_buf(buf, len, &d);
    assert_int_equal(d.st, PROTO_OK);
    assert_int_equal(d.req.n_records, 1500);
    assert_int_equal(d.errs.total, 4500);
    assert_int_equal(d.errs.count, PROTO_MAX_ERRORS);
    assert_int_equal(d.errs.items[PROTO_MAX_ERRORS - 1].index, 333);
    assert_string_equal(d.errs.items[PROTO_MAX_ERRORS - 1].field, "metric");
    /* Every record is flagged, also those whose errors were not kept. */
    for (size_t i = 0; i < d.req.n_records; i++)
        assert_int_equal(d.req.records[i].bad, PROTO_F_METRIC | PROTO_F_PERIOD | PROTO_F_VALUE);
    decoded_free(&d);
    free(buf);
}

/* ---- encoding ------------------------------------------------------------ */

static void assert_same_request(const proto_request *a, const proto_request *b)
{
    assert_int_equal(a->op, b->op);
    assert_string_equal(a->id, b->id);
    assert_string_equal(a->reporter, b->reporter);
    assert_int_equal(a->dry_run, b->dry_run);
    assert_int_equal(a->n_records, b->n_records);
    for (size_t i = 0; i < a->n_records; i++) {
        const proto_record *x = &a->records[i], *y = &b->records[i];
        assert_string_equal(x->metric, y->metric);
        assert_string_equal(x->area, y->area);
        assert_string_equal(x->period, y->period);
        if (isnan(x->value))
            assert_true(isnan(y->value));
        else if (x->value != y->value)
            fail_msg("record %zu: value %.17g came back as %.17g", i, x->value, y->value);
        assert_int_equal(y->bad, 0);
    }
}

static void test_encode_roundtrip(void **state)
{
    static proto_record recs[] = {
        {"vve.plaatsen", "WK016400", "2026-10", 12, 0},
        {"vve.uren.per_week", "", "2026-09", 12.5, 0},
        {"a", "b", "c", -7, 0},
        {"a", "b", "d", -2.25, 0},
        {"big", "", "2026-01", 1e20, 0},
        {"tiny", "", "2026-01", 1e-300, 0},
        {"p53", "", "2026-01", 9007199254740991.0, 0},
        {"p53b", "", "2026-01", 9007199254740992.0, 0},
        {"n", "", "2026-01", NAN, 0},
        {"i", "", "2026-01", INFINITY, 0},
        {"mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm",
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "pppppppppppppppp", 0, 0},
    };
    proto_request reqs[] = {
        {.op = PROTO_OP_PING, .id = "p1"},
        {.op = PROTO_OP_STATUS, .id = "s1", .reporter = "ko-zonnebloem"},
        {.op = PROTO_OP_CATALOG, .id = "c1", .dry_run = true},
        {.op = PROTO_OP_SUBMIT, .id = "sub-1", .records = recs,
         .n_records = sizeof recs / sizeof recs[0]},
        {.op = PROTO_OP_SUBMIT, .id = "sub-2", .reporter = "r", .dry_run = true,
         .records = recs, .n_records = 1},
    };
    (void)state;
    for (size_t i = 0; i < sizeof reqs / sizeof reqs[0]; i++) {
        msgpack_sbuffer a, b;
        decoded d;
        msgpack_sbuffer_init(&a);
        msgpack_sbuffer_init(&b);
        assert_int_equal(proto_request_encode(&reqs[i], &a), 0);
        decode_buf(a.data, a.size, &d);
        if (d.st != PROTO_OK)
            fail_msg("request %zu: decode status %d (%s)", i, d.st, d.why.msg);
        assert_int_equal(d.errs.total, 0);
        assert_int_equal(d.req.version, PROTO_VERSION);
        assert_same_request(&reqs[i], &d.req);
        /* Encoding the decoded request gives the same bytes. */
        assert_int_equal(proto_request_encode(&d.req, &b), 0);
        assert_int_equal(a.size, b.size);
        assert_memory_equal(a.data, b.data, a.size);
        decoded_free(&d);
        msgpack_sbuffer_destroy(&a);
        msgpack_sbuffer_destroy(&b);
    }
}

/* Whole numbers travel as msgpack integers; -0 is just 0. */
static void test_encode_number_types(void **state)
{
    static const struct { double v; msgpack_object_type type; } cases[] = {
        {0, MSGPACK_OBJECT_POSITIVE_INTEGER},
        {-0.0, MSGPACK_OBJECT_POSITIVE_INTEGER},
        {12, MSGPACK_OBJECT_POSITIVE_INTEGER},
        {-12, MSGPACK_OBJECT_NEGATIVE_INTEGER},
        {9007199254740991.0, MSGPACK_OBJECT_POSITIVE_INTEGER},
        {9007199254740992.0, MSGPACK_OBJECT_FLOAT64},
        {-9007199254740992.0, MSGPACK_OBJECT_FLOAT64},
        {0.5, MSGPACK_OBJECT_FLOAT64},
        {NAN, MSGPACK_OBJECT_FLOAT64},
        {-INFINITY, MSGPACK_OBJECT_FLOAT64},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mpw w;
        msgpack_unpacked u;
        mpw_init(&w);
        mpw_map(&w);
        mpw_kv_number(&w, "x", cases[i].v);
        mpw_end(&w);
        assert_true(mpw_ok(&w));
        msgpack_unpacked_init(&u);
        assert_int_equal(msgpack_unpack_next(&u, mpw_data(&w), mpw_size(&w), NULL),
                         MSGPACK_UNPACK_SUCCESS);
        const msgpack_object *x = proto_get(&u.data, "x");
        assert_non_null(x);
        if (x->type != cases[i].type)
            fail_msg("case %zu (%g): type %d, want %d", i, cases[i].v, (int)x->type,
                     (int)cases[i].type);
        double back;
        assert_int_equal(proto_get_double(&u.data, "x", &back), 0);
        if (isnan(cases[i].v))
            assert_true(isnan(back));
        else
            assert_true(back == cases[i].v);
        msgpack_unpacked_destroy(&u);
        mpw_free(&w);
    }
}

/* ---- replies ------------------------------------------------------------- */

typedef struct {
    mpw w;
    msgpack_unpacked u;
} reply;

static void reply_init(reply *r)
{
    mpw_init(&r->w);
    msgpack_unpacked_init(&r->u);
}

static const msgpack_object *reply_read(reply *r)
{
    size_t off = 0;
    assert_true(mpw_ok(&r->w));
    assert_int_equal(msgpack_unpack_next(&r->u, mpw_data(&r->w), mpw_size(&r->w), &off),
                     MSGPACK_UNPACK_SUCCESS);
    assert_int_equal(off, mpw_size(&r->w)); /* one message, nothing after it */
    assert_int_equal(r->u.data.type, MSGPACK_OBJECT_MAP);
    return &r->u.data;
}

static void reply_free(reply *r)
{
    msgpack_unpacked_destroy(&r->u);
    mpw_free(&r->w);
}

static void test_reply_ok(void **state)
{
    reply r;
    (void)state;
    reply_init(&r);
    proto_reply_open(&r.w, "req-1", PROTO_OK, "ignored");
    mpw_kv_bool(&r.w, "accepted", true);
    mpw_kv_bool(&r.w, "duplicate", false);
    mpw_kv_int(&r.w, "records", -42);
    mpw_kv_number(&r.w, "ratio", 0.75);
    mpw_end(&r.w);
    const msgpack_object *m = reply_read(&r);
    assert_int_equal(m->via.map.size, 7);
    int64_t i;
    double dv;
    bool b;
    char s[16];
    assert_int_equal(proto_get_int(m, "v", &i), 0);
    assert_int_equal(i, PROTO_VERSION);
    assert_int_equal(proto_get_int(m, "status", &i), 0);
    assert_int_equal(i, 200);
    assert_int_equal(proto_get_str(m, "id", s, sizeof s), 0);
    assert_string_equal(s, "req-1");
    assert_null(proto_get(m, "error"));
    assert_int_equal(proto_get_bool(m, "accepted", &b), 0);
    assert_true(b);
    assert_int_equal(proto_get_bool(m, "duplicate", &b), 0);
    assert_false(b);
    assert_int_equal(proto_get_int(m, "records", &i), 0);
    assert_int_equal(i, -42);
    assert_int_equal(proto_get_double(m, "ratio", &dv), 0);
    assert_true(dv == 0.75);
    assert_int_equal(proto_get_double(m, "records", &dv), 0); /* any number */
    assert_true(dv == -42.0);
    reply_free(&r);
}

/* A submit reply: its record errors with 422, and an empty error text for no text. */
static void test_reply_error_and_errors(void **state)
{
    static const struct { int status; const char *error, *want; } cases[] = {
        {PROTO_INVALID, "2 records are invalid", "2 records are invalid"},
        {PROTO_INTERNAL, NULL, ""},
        {PROTO_BAD_REQUEST, "", ""},
    };
    (void)state;
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        reply r;
        proto_submit_reply sub = {0};
        proto_errors *e = &sub.errors;
        reply_init(&r);
        proto_errors_init(&sub.errors);
        proto_errors_init(&sub.warnings);
        proto_errors_add(e, 3, "value", "out_of_range", "%d is outside 0..%d", 2000, 1000);
        proto_errors_add(e, -1, "records", "internal", "x");
        e->total = 7; /* as if five more were counted but not kept */
        proto_submit_reply_write(&r.w, "", cases[c].status, cases[c].error, &sub);
        const msgpack_object *m = reply_read(&r);
        char s[64];
        int64_t i;
        assert_int_equal(proto_get_int(m, "status", &i), 0);
        assert_int_equal(i, cases[c].status);
        assert_int_equal(proto_get_str(m, "error", s, sizeof s), 0);
        assert_string_equal(s, cases[c].want);
        assert_int_equal(proto_get_str(m, "id", s, sizeof s), 0);
        assert_string_equal(s, "");
        if (cases[c].status != PROTO_INVALID) { /* record errors go out with 422 only */
            assert_null(proto_get(m, "errors"));
            proto_submit_reply_free(&sub);
            reply_free(&r);
            continue;
        }
        assert_int_equal(proto_get_int(m, "error_count", &i), 0);
        assert_int_equal(i, 7);
        const msgpack_object *list = proto_get(m, "errors");
        assert_non_null(list);
        assert_int_equal(list->type, MSGPACK_OBJECT_ARRAY);
        assert_int_equal(list->via.array.size, 2);
        const msgpack_object *e0 = &list->via.array.ptr[0], *e1 = &list->via.array.ptr[1];
        assert_int_equal(e0->via.map.size, 4);
        assert_int_equal(proto_get_int(e0, "index", &i), 0);
        assert_int_equal(i, 3);
        assert_int_equal(proto_get_str(e0, "field", s, sizeof s), 0);
        assert_string_equal(s, "value");
        assert_int_equal(proto_get_str(e0, "code", s, sizeof s), 0);
        assert_string_equal(s, "out_of_range");
        assert_int_equal(proto_get_str(e0, "message", s, sizeof s), 0);
        assert_string_equal(s, "2000 is outside 0..1000");
        assert_int_equal(proto_get_int(e1, "index", &i), 0);
        assert_int_equal(i, -1);
        proto_submit_reply_free(&sub);
        reply_free(&r);
    }
}

static void test_get_accessors(void **state)
{
    size_t len;
    char *buf = mp_build("{'s':'hello','i':5,'n':-5,'big':18446744073709551615,'f':2.5,"
                         "'b':true,'nil':nil,'arr':[1],'bin':bin'ab'}", &len);
    msgpack_unpacked u;
    (void)state;
    msgpack_unpacked_init(&u);
    assert_int_equal(msgpack_unpack_next(&u, buf, len, NULL), MSGPACK_UNPACK_SUCCESS);
    const msgpack_object *m = &u.data;
    int64_t i = 99;
    double d = 99;
    bool b = false;
    char s[8] = "zzzzzzz";
    /* Absent keys and wrong types give -1 and leave the output alone. */
    static const char *const not_int[] = {"s", "f", "b", "nil", "arr", "big", "missing"};
    for (size_t k = 0; k < sizeof not_int / sizeof not_int[0]; k++)
        assert_int_equal(proto_get_int(m, not_int[k], &i), -1);
    assert_int_equal(i, 99);
    static const char *const not_num[] = {"s", "b", "nil", "arr", "bin", "missing"};
    for (size_t k = 0; k < sizeof not_num / sizeof not_num[0]; k++)
        assert_int_equal(proto_get_double(m, not_num[k], &d), -1);
    assert_true(d == 99);
    static const char *const not_bool[] = {"s", "i", "nil", "missing"};
    for (size_t k = 0; k < sizeof not_bool / sizeof not_bool[0]; k++)
        assert_int_equal(proto_get_bool(m, not_bool[k], &b), -1);
    assert_false(b);
    static const char *const not_str[] = {"i", "bin", "nil", "missing"};
    for (size_t k = 0; k < sizeof not_str / sizeof not_str[0]; k++)
        assert_int_equal(proto_get_str(m, not_str[k], s, sizeof s), -1);
    assert_string_equal(s, "zzzzzzz");
    assert_int_equal(proto_get_str(m, "s", s, 0), -1);

    assert_int_equal(proto_get_int(m, "i", &i), 0);
    assert_int_equal(i, 5);
    assert_int_equal(proto_get_int(m, "n", &i), 0);
    assert_int_equal(i, -5);
    assert_int_equal(proto_get_double(m, "big", &d), 0);
    assert_true(d == 18446744073709551615.0);
    assert_int_equal(proto_get_double(m, "f", &d), 0);
    assert_true(d == 2.5);
    assert_int_equal(proto_get_bool(m, "b", &b), 0);
    assert_true(b);
    /* Strings are cut to fit. */
    assert_int_equal(proto_get_str(m, "s", s, 4), 0);
    assert_string_equal(s, "hel");
    assert_int_equal(proto_get_str(m, "s", s, 1), 0);
    assert_string_equal(s, "");
    assert_int_equal(proto_get_str(m, "s", s, sizeof s), 0);
    assert_string_equal(s, "hello");
    /* proto_get on anything but a map. */
    assert_null(proto_get(NULL, "s"));
    assert_null(proto_get(proto_get(m, "arr"), "s"));
    assert_null(proto_get(m, "S"));
    assert_null(proto_get(m, ""));
    msgpack_unpacked_destroy(&u);
    free(buf);
}

/* ---- JSON ---------------------------------------------------------------- */

static void test_write_json(void **state)
{
    static const struct { const char *mp, *json; } cases[] = {
        {"nil", "null"},
        {"true", "true"},
        {"false", "false"},
        {"0", "0"},
        {"-5", "-5"},
        {"-9223372036854775808", "-9223372036854775808"},
        {"18446744073709551615", "18446744073709551615"},
        {"1.5", "1.5"},
        {"0.1", "0.1"},
        {"0.30000000000000004", "0.30000000000000004"},
        {"1e300", "1e+300"},
        {"-2.5e-7", "-2.5e-07"},
        {"f32:0.5", "0.5"},
        {"nan", "null"},
        {"inf", "null"},
        {"-inf", "null"},
        {"''", "\"\""},
        {"'plain text'", "\"plain text\""},
        {"'q\"b\\\\s'", "\"q\\\"b\\\\s\""},
        {"'a\\nb'", "\"a\\nb\""},
        {"'\\t\\x01\\x1f\\x7f'", "\"\\u0009\\u0001\\u001f\\u007f\""},
        {"'a\\x00b'", "\"a\\u0000b\""},
        {"'caf\\xc3\\xa9'", "\"caf\xc3\xa9\""},
        {"bin''", "\"\""},
        {"bin'\\x00\\xff\\x10'", "\"00ff10\""},
        {"ext'\\x01\\x02'", "\"0102\""},
        {"[]", "[]"},
        {"{}", "{}"},
        {"[1,'a',nil,[true]]", "[1,\"a\",null,[true]]"},
        {"{'k':[1,{'z':false}],'e':{}}", "{\"k\":[1,{\"z\":false}],\"e\":{}}"},
        {"{5:1,nil:2}", "{\"?\":1,\"?\":2}"},
        {"{'a\"b':nan}", "{\"a\\\"b\":null}"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len, outlen = 0;
        char *buf = mp_build(cases[i].mp, &len), *out = NULL;
        msgpack_unpacked u;
        msgpack_unpacked_init(&u);
        assert_int_equal(msgpack_unpack_next(&u, buf, len, NULL), MSGPACK_UNPACK_SUCCESS);
        FILE *f = open_memstream(&out, &outlen);
        assert_non_null(f);
        assert_int_equal(proto_write_json(f, &u.data), 0);
        assert_int_equal(fclose(f), 0);
        if (strcmp(out, cases[i].json) != 0)
            fail_msg("case %zu %s: got %s, want %s", i, cases[i].mp, out, cases[i].json);
        free(out);
        msgpack_unpacked_destroy(&u);
        free(buf);
    }
}

/* A reply written by the helpers renders as the JSON a script expects. */
static void test_write_json_reply(void **state)
{
    reply r;
    proto_errors e;
    char *out = NULL;
    size_t outlen = 0;
    (void)state;
    reply_init(&r);
    proto_errors_init(&e);
    proto_errors_add(&e, 0, "area", "unknown_area", "unknown area '%s'", "X\"Y");
    proto_reply_open(&r.w, "r-1", PROTO_INVALID, "1 record");
    mpw_kv_number(&r.w, "value", NAN);
    mpw_key(&r.w, "errors");
    mpw_array(&r.w);
    mpw_map(&r.w);
    mpw_kv_int(&r.w, "index", e.items[0].index);
    mpw_kv_str(&r.w, "field", e.items[0].field);
    mpw_kv_str(&r.w, "code", e.items[0].code);
    mpw_kv_str(&r.w, "message", e.items[0].message);
    mpw_end(&r.w);
    mpw_end(&r.w);
    mpw_kv_int(&r.w, "error_count", (int64_t)e.total);
    mpw_end(&r.w);
    const msgpack_object *m = reply_read(&r);
    FILE *f = open_memstream(&out, &outlen);
    assert_non_null(f);
    assert_int_equal(proto_write_json(f, m), 0);
    assert_int_equal(fclose(f), 0);
    assert_string_equal(out,
                        "{\"v\":1,\"id\":\"r-1\",\"status\":422,\"error\":\"1 record\","
                        "\"value\":null,\"errors\":[{\"index\":0,\"field\":\"area\","
                        "\"code\":\"unknown_area\",\"message\":\"unknown area 'X\\\"Y'\"}],"
                        "\"error_count\":1}");
    free(out);
    proto_errors_free(&e);
    reply_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_op_names),
        cmocka_unit_test(test_quote),
        cmocka_unit_test(test_errors_add_and_cap),
        cmocka_unit_test(test_errors_sort_stable),
        cmocka_unit_test(test_decode_valid_simple),
        cmocka_unit_test(test_decode_submit_records),
        cmocka_unit_test(test_decode_refused),
        cmocka_unit_test(test_decode_not_msgpack),
        cmocka_unit_test(test_decode_truncated_and_trailing),
        cmocka_unit_test(test_decode_why),
        cmocka_unit_test(test_decode_deep_nesting),
        cmocka_unit_test(test_decode_huge_container_count),
        cmocka_unit_test(test_decode_nesting_within_limit),
        cmocka_unit_test(test_decode_too_large),
        cmocka_unit_test(test_decode_record_count_limit),
        cmocka_unit_test(test_decode_record_errors),
        cmocka_unit_test(test_decode_record_embedded_nul),
        cmocka_unit_test(test_decode_record_partial),
        cmocka_unit_test(test_decode_errors_indexed),
        cmocka_unit_test(test_decode_errors_capped),
        cmocka_unit_test(test_encode_roundtrip),
        cmocka_unit_test(test_encode_number_types),
        cmocka_unit_test(test_reply_ok),
        cmocka_unit_test(test_reply_error_and_errors),
        cmocka_unit_test(test_get_accessors),
        cmocka_unit_test(test_write_json),
        cmocka_unit_test(test_write_json_reply),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
