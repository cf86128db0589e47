/* Unit tests for reading a request without unpacking it: proto_scan_object (proto/scan.c)
 * and proto_request_head (proto/request.c), which leamond uses for the requests it reads
 * beyond what one commit takes. What they must give is what the full decoder
 * (proto_request_decode) gives, without a submission's records: every test compares the
 * two. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_mp.h"
#include "mpw.h"
#include "proto.h"
#include "scan.h"

/* A message from JSON (json_mp.h); free with mpw_free. */
static void from_json(const char *json, mpw *w)
{
    mpw_init(w);
    if (json_to_msgpack(json, strlen(json), w) != 0 || !mpw_ok(w))
        fail_msg("bad test message: %s", json);
}

typedef struct {
    int st;
    proto_request req;
    size_t n_records;
    lm_error why;
} head;

static void read_head(const void *buf, size_t len, head *h)
{
    lm_fail(&h->why, 1, "untouched");
    h->n_records = 12345;
    h->st = proto_request_head(buf, len, &h->req, &h->n_records, &h->why);
    /* As proto_request_decode: the reason carries the status; a 200 has none. */
    assert_int_equal(h->why.status, h->st == PROTO_OK ? 0 : h->st);
    if (h->st != PROTO_OK)
        assert_int_equal(h->n_records, 0);
    /* Never a record: they are counted, not read. */
    assert_null(h->req.records);
    assert_int_equal(h->req.n_records, 0);
}

/* The head of buf and its full decoding agree, as the head promises: the same status and
 * reason, and the same request but for the records, which the head only counts. NULL, or
 * what differs (in a static buffer). */
static const char *differs(const void *buf, size_t len)
{
    static char out[2 * LM_ERROR_MAX + 100];
    head h;
    proto_request full;
    proto_errors errs;
    lm_error why;
    proto_errors_init(&errs);
    read_head(buf, len, &h);
    int st = proto_request_decode(buf, len, &full, &errs, &why);
    const char *r = NULL;
    if (st != h.st || strcmp(why.msg, h.why.msg) != 0) {
        snprintf(out, sizeof out, "decode %d '%s', head %d '%s'", st, why.msg, h.st, h.why.msg);
        r = out;
    } else if (h.n_records != (st == PROTO_OK ? full.n_records : 0)) {
        snprintf(out, sizeof out, "decode has %zu records, head counts %zu", full.n_records,
                 h.n_records);
        r = out;
    } else {
        /* Both began from a zeroed request: the bytes agree but for the records. */
        proto_record *records = full.records;
        size_t n = full.n_records;
        full.records = NULL;
        full.n_records = 0;
        if (memcmp(&full, &h.req, sizeof full) != 0) {
            snprintf(out, sizeof out, "the requests differ (id '%s' / '%s', op %d / %d)",
                     full.id, h.req.id, full.op, h.req.op);
            r = out;
        }
        full.records = records;
        full.n_records = n;
    }
    proto_request_free(&full);
    proto_request_free(&h.req);
    proto_errors_free(&errs);
    return r;
}

static void assert_same_as_decode(const void *buf, size_t len, const char *what)
{
    const char *d = differs(buf, len);
    if (d)
        fail_msg("%s: %s", what, d);
}

#define SUBMIT "{\"v\":1,\"op\":\"submit\",\"id\":\"r1\",\"reporter\":\"ko-a\",\"records\":["
#define REC "{\"metric\":\"vve.plaatsen\",\"area\":\"WK016402\",\"period\":\"2026-10\",\"value\":7}"

/* ---- proto_scan_object --------------------------------------------------- */

/* Each scalar the way msgpack-c unpacks it, from every encoding of it. */
static void test_scalars_as_msgpack_c_reads_them(void **state)
{
    (void)state;
    msgpack_sbuffer sb;
    msgpack_packer pk;
    char report[4096] = "";
    for (int k = 0; k < 30; k++) {
        msgpack_sbuffer_init(&sb);
        msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
        int rc = 0;
        switch (k) {
        case 0: rc = msgpack_pack_nil(&pk); break;
        case 1: rc = msgpack_pack_true(&pk); break;
        case 2: rc = msgpack_pack_false(&pk); break;
        case 3: rc = msgpack_pack_fix_uint8(&pk, 7); break;
        case 4: rc = msgpack_pack_fix_uint16(&pk, 0xbeef); break;
        case 5: rc = msgpack_pack_fix_uint32(&pk, 0xdeadbeef); break;
        case 6: rc = msgpack_pack_fix_uint64(&pk, UINT64_MAX); break;
        case 7: rc = msgpack_pack_fix_int8(&pk, -100); break;
        case 8: rc = msgpack_pack_fix_int8(&pk, 100); break; /* signed, yet positive */
        case 9: rc = msgpack_pack_fix_int16(&pk, -30000); break;
        case 10: rc = msgpack_pack_fix_int16(&pk, 1); break;
        case 11: rc = msgpack_pack_fix_int32(&pk, INT32_MIN); break;
        case 12: rc = msgpack_pack_fix_int64(&pk, INT64_MIN); break;
        case 13: rc = msgpack_pack_fix_int64(&pk, INT64_MAX); break;
        case 14: rc = msgpack_pack_int(&pk, 5); break;   /* positive fixint */
        case 15: rc = msgpack_pack_int(&pk, -5); break;  /* negative fixint */
        case 16: rc = msgpack_pack_float(&pk, 1.5f); break;
        case 17: rc = msgpack_pack_double(&pk, -2.25); break;
        case 18: rc = msgpack_pack_double(&pk, NAN); break;
        case 19: rc = msgpack_pack_str_with_body(&pk, "abc", 3); break;
        case 20: rc = msgpack_pack_str_with_body(&pk, "", 0); break;
        case 21: {
            char s[300];
            memset(s, 's', sizeof s);
            rc = msgpack_pack_str_with_body(&pk, s, 40) || /* str 8 */
                 msgpack_pack_str_with_body(&pk, s, sizeof s); /* str 16, read second */
            break;
        }
        case 22: rc = msgpack_pack_bin_with_body(&pk, "\x00\x01", 2); break;
        case 23: rc = msgpack_pack_ext_with_body(&pk, "x", 1, 3); break;     /* fixext 1 */
        case 24: rc = msgpack_pack_ext_with_body(&pk, "0123456789abcdef", 16, -2); break;
        case 25: rc = msgpack_pack_ext_with_body(&pk, "abc", 3, 9); break;   /* ext 8 */
        case 26:
            rc = msgpack_pack_array(&pk, 2) || msgpack_pack_nil(&pk) || msgpack_pack_nil(&pk);
            break;
        case 27:
            rc = msgpack_pack_map(&pk, 1) || msgpack_pack_nil(&pk) || msgpack_pack_nil(&pk);
            break;
        case 28: {
            rc = msgpack_pack_array(&pk, 20); /* array 16 */
            for (int i = 0; i < 20 && !rc; i++)
                rc = msgpack_pack_int(&pk, i);
            break;
        }
        case 29: {
            rc = msgpack_pack_map(&pk, 16); /* map 16 */
            for (int i = 0; i < 32 && !rc; i++)
                rc = msgpack_pack_int(&pk, i);
            break;
        }
        default:
            fail_msg("no case %d", k);
        }
        assert_int_equal(rc, 0);
        size_t at = 0;
        if (k == 21) { /* the second of the two strings */
            msgpack_object first;
            size_t h0, e0;
            assert_int_equal(proto_scan_object((unsigned char *)sb.data, sb.size, &first, &h0,
                                               &e0, NULL), 0);
            at = e0;
        }
        msgpack_object shallow;
        size_t hd = 0, end = 0, off = 0;
        lm_error e;
        msgpack_unpacked u;
        msgpack_unpacked_init(&u);
        assert_int_equal(msgpack_unpack_next(&u, sb.data + at, sb.size - at, &off),
                         MSGPACK_UNPACK_SUCCESS);
        if (proto_scan_object((unsigned char *)sb.data + at, sb.size - at, &shallow, &hd, &end,
                              &e) != 0) {
            snprintf(report + strlen(report), sizeof report - strlen(report),
                     "case %d: refused: %s\n", k, e.msg);
        } else {
            const msgpack_object *o = &u.data;
            bool same = shallow.type == o->type && end == off;
            switch (same ? o->type : MSGPACK_OBJECT_NIL) {
            case MSGPACK_OBJECT_BOOLEAN: same = shallow.via.boolean == o->via.boolean; break;
            case MSGPACK_OBJECT_POSITIVE_INTEGER: same = shallow.via.u64 == o->via.u64; break;
            case MSGPACK_OBJECT_NEGATIVE_INTEGER: same = shallow.via.i64 == o->via.i64; break;
            case MSGPACK_OBJECT_FLOAT32:
            case MSGPACK_OBJECT_FLOAT64:
                same = shallow.via.f64 == o->via.f64 ||
                       (isnan(shallow.via.f64) && isnan(o->via.f64));
                break;
            case MSGPACK_OBJECT_STR:
            case MSGPACK_OBJECT_BIN: /* str and bin share a layout */
                /* (msgpack-c points an empty string nowhere) */
                same = shallow.via.str.size == o->via.str.size &&
                       (!o->via.str.size ||
                        memcmp(shallow.via.str.ptr, o->via.str.ptr, o->via.str.size) == 0) &&
                       shallow.via.str.ptr + shallow.via.str.size == sb.data + at + end;
                break;
            case MSGPACK_OBJECT_EXT:
                same = shallow.via.ext.type == o->via.ext.type &&
                       shallow.via.ext.size == o->via.ext.size &&
                       memcmp(shallow.via.ext.ptr, o->via.ext.ptr, o->via.ext.size) == 0;
                break;
            case MSGPACK_OBJECT_ARRAY:
                same = shallow.via.array.size == o->via.array.size && !shallow.via.array.ptr &&
                       hd == (o->via.array.size < 16 ? 1u : 3u);
                break;
            case MSGPACK_OBJECT_MAP:
                same = shallow.via.map.size == o->via.map.size && !shallow.via.map.ptr &&
                       hd == (o->via.map.size < 16 ? 1u : 3u);
                break;
            default:
                break;
            }
            if (!same)
                snprintf(report + strlen(report), sizeof report - strlen(report),
                         "case %d (tag 0x%02x): type %d / msgpack-c %d, end %zu / %zu\n", k,
                         (unsigned char)sb.data[at], shallow.type, o->type, end, off);
        }
        msgpack_unpacked_destroy(&u);
        msgpack_sbuffer_destroy(&sb);
    }
    if (report[0])
        fail_msg("%s", report);
}

/* What proto_scan refuses, proto_scan_object refuses with the same reason. */
static void test_object_refused_as_scan_refuses(void **state)
{
    static const struct { const char *bytes; size_t len; const char *why; } cases[] = {
        {"", 0, "truncated msgpack message"},
        {"\xc1", 1, "not a msgpack message (byte 0xc1 at offset 0)"},
        {"\xa5" "abc", 4, "truncated msgpack message"},
        {"\xdd\xff\xff\xff\xff", 5, "truncated msgpack message"}, /* array 32 of 2^32-1 */
        {"\x92\x01", 2, "truncated msgpack message"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        msgpack_object o;
        size_t hd, end;
        lm_error e;
        assert_int_equal(proto_scan_object((const unsigned char *)cases[i].bytes, cases[i].len,
                                           &o, &hd, &end, &e), -1);
        assert_int_equal(e.status, PROTO_BAD_REQUEST);
        assert_string_equal(e.msg, cases[i].why);
    }
}

/* ---- proto_request_head --------------------------------------------------- */

static void test_submission_counted_not_read(void **state)
{
    (void)state;
    mpw w;
    from_json(SUBMIT REC "," REC "," REC "],\"dry_run\":true}", &w);
    head h;
    read_head(mpw_data(&w), mpw_size(&w), &h);
    assert_int_equal(h.st, PROTO_OK);
    assert_int_equal(h.req.version, PROTO_VERSION);
    assert_int_equal(h.req.op, PROTO_OP_SUBMIT);
    assert_string_equal(h.req.id, "r1");
    assert_string_equal(h.req.reporter, "ko-a");
    assert_true(h.req.dry_run);
    assert_int_equal(h.n_records, 3);
    assert_same_as_decode(mpw_data(&w), mpw_size(&w), "submission");
    /* The count is optional. */
    lm_error e;
    assert_int_equal(proto_request_head(mpw_data(&w), mpw_size(&w), &h.req, NULL, &e), PROTO_OK);
    mpw_free(&w);
}

/* Bad records do not change a submission's status: the head, which never reads them, gives
 * the same 200 as the decoder, which lists their errors for the checks. */
static void test_bad_records_do_not_change_the_status(void **state)
{
    static const char *const cases[] = {
        SUBMIT "1,2,3]}",
        SUBMIT "{\"metric\":5}]}",
        SUBMIT "{\"unknown\":\"x\",\"other\":[1,2,3]}, null]}",
        SUBMIT "[[[[[[[[1]]]]]]]]]}",
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mpw w;
        from_json(cases[i], &w);
        head h;
        read_head(mpw_data(&w), mpw_size(&w), &h);
        assert_int_equal(h.st, PROTO_OK);
        assert_same_as_decode(mpw_data(&w), mpw_size(&w), cases[i]);
        mpw_free(&w);
    }
}

/* The malformed requests of the protocol's 400s, 404s and 413s: the same reply. */
static void test_refusals_as_the_decoder_gives_them(void **state)
{
    static const struct { const char *json; int st; const char *why; } cases[] = {
        {"{\"v\":1,\"op\":\"submit\",\"records\":[]}", 400, "id is missing"},
        {"{\"v\":1,\"op\":\"submit\",\"id\":7,\"records\":[]}", 400,
         "id must be a string, got an integer"},
        {"{\"v\":1,\"op\":\"submit\",\"id\":[\"r1\"],\"records\":[]}", 400,
         "id must be a string, got an array"},
        {"{\"v\":1,\"op\":\"submit\",\"id\":{\"a\":1},\"records\":[]}", 400,
         "id must be a string, got a map"},
        {"{\"v\":1,\"op\":\"submit\",\"id\":\"\",\"records\":[]}", 400,
         "id must be 1 to 64 characters, got 0"},
        {"{\"v\":1,\"op\":\"submit\",\"id\":\"a b\",\"records\":[]}", 400,
         "id must be printable ASCII without spaces"},
        {"{\"v\":1,\"op\":\"submit\",\"id\":\"r1\",\"id\":\"r2\",\"records\":[" REC "]}", 400,
         "field 'id' appears twice"},
        {"{\"v\":1,\"op\":\"submit\",\"x\":1,\"records\":[" REC "]}", 400,
         "id is missing; unknown field 'x'"},
        {"{\"v\":1,\"op\":\"submit\",\"id\":\"r1\",\"x\":[1,2],\"records\":[" REC "]}", 400,
         "unknown field 'x'"},
        {"{\"op\":\"submit\",\"id\":\"r1\",\"records\":[" REC "]}", 400,
         "v (protocol version) is missing"},
        {"{\"v\":2,\"op\":\"submit\",\"id\":\"r1\",\"records\":[" REC "]}", 400,
         "unsupported protocol version 2: this server speaks version 1"},
        {"{\"v\":\"1\",\"op\":\"submit\",\"id\":\"r1\"}", 400, "v must be a positive integer"},
        {"{\"v\":1,\"id\":\"r1\",\"records\":[" REC "]}", 400, "op is missing"},
        {"{\"v\":1,\"op\":5,\"id\":\"r1\"}", 400, "op must be a string, got an integer"},
        {"{\"v\":1,\"op\":\"submitt\",\"id\":\"r1\"}", 404, "unknown op 'submitt'"},
        {"{\"v\":1,\"op\":\"submit\",\"id\":\"r1\",\"reporter\":5,\"records\":[" REC "]}", 400,
         "reporter must be a string, got an integer"},
        {"{\"v\":1,\"op\":\"submit\",\"id\":\"r1\",\"dry_run\":1,\"records\":[" REC "]}", 400,
         "dry_run must be a boolean"},
        {"{\"v\":1,\"op\":\"submit\",\"id\":\"r1\"}", 400, "records is missing"},
        {"{\"v\":1,\"op\":\"submit\",\"id\":\"r1\",\"records\":[]}", 400, "records is empty"},
        {"{\"v\":1,\"op\":\"submit\",\"id\":\"r1\",\"records\":{\"a\":1}}", 400,
         "records must be an array, got a map"},
        {"{\"v\":1,\"op\":\"ping\",\"id\":\"r1\",\"records\":[" REC "]}", 400,
         "records belong to op submit only"},
        {"{\"v\":1,\"op\":\"snapshot\",\"id\":\"r1\",\"period\":\"2026-10\"}", 400,
         "snapshot needs indicator"},
        {"[1,2,3]", 400, "a request must be a msgpack map, got an array"},
        {"\"submit\"", 400, "a request must be a msgpack map, got a string"},
    };
    char report[8192] = "";
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mpw w;
        from_json(cases[i].json, &w);
        head h;
        read_head(mpw_data(&w), mpw_size(&w), &h);
        const char *d = differs(mpw_data(&w), mpw_size(&w));
        if (h.st != cases[i].st || !strstr(h.why.msg, cases[i].why) || d)
            snprintf(report + strlen(report), sizeof report - strlen(report),
                     "%s: %d '%s'; want %d '%s'%s%s\n", cases[i].json, h.st, h.why.msg,
                     cases[i].st, cases[i].why, d ? "; " : "", d ? d : "");
        proto_request_free(&h.req);
        mpw_free(&w);
    }
    if (report[0])
        fail_msg("%s", report);
}

/* A request cut short anywhere is the decoder's 400, and keeps no part of what it read. */
static void test_truncated_anywhere(void **state)
{
    (void)state;
    mpw w;
    from_json(SUBMIT REC "," REC "]}", &w);
    for (size_t n = 0; n < mpw_size(&w); n++) {
        head h;
        read_head(mpw_data(&w), n, &h);
        if (h.st != PROTO_BAD_REQUEST || strcmp(h.why.msg, "truncated msgpack message") != 0)
            fail_msg("cut at %zu of %zu: %d '%s'", n, mpw_size(&w), h.st, h.why.msg);
        assert_string_equal(h.req.id, "");
        assert_same_as_decode(mpw_data(&w), n, "truncated");
    }
    /* And with a byte too many. */
    char *more = malloc(mpw_size(&w) + 1);
    assert_non_null(more);
    memcpy(more, mpw_data(&w), mpw_size(&w));
    more[mpw_size(&w)] = '\0';
    head h;
    read_head(more, mpw_size(&w) + 1, &h);
    assert_int_equal(h.st, PROTO_BAD_REQUEST);
    assert_string_equal(h.why.msg, "1 bytes after the end of the request map");
    assert_same_as_decode(more, mpw_size(&w) + 1, "trailing byte");
    free(more);
    mpw_free(&w);
}

/* n records of a realistic submission, as leamon sends them. */
static void big_submission(mpw *w, size_t n, const char *id)
{
    mpw_init(w);
    mpw_map(w);
    mpw_kv_int(w, "v", PROTO_VERSION);
    mpw_kv_str(w, "op", "submit");
    mpw_kv_str(w, "id", id);
    mpw_kv_str(w, "reporter", "ko-a");
    mpw_key(w, "records");
    mpw_array(w);
    for (size_t i = 0; i < n; i++) {
        char period[16];
        snprintf(period, sizeof period, "%04zu-%02zu", 2000 + i / 12 % 100, i % 12 + 1);
        mpw_map(w);
        mpw_kv_str(w, "metric", "vve.plaatsen");
        mpw_kv_str(w, "area", "WK016402");
        mpw_kv_str(w, "period", period);
        mpw_kv_int(w, "value", (int64_t)i);
        mpw_end(w);
    }
    mpw_end(w);
    mpw_end(w);
    assert_true(mpw_ok(w));
}

/* The largest submission is counted, not read; one record more is the decoder's 413; a
 * count the bytes cannot hold is a truncated message, whatever it claims. */
static void test_huge_records(void **state)
{
    (void)state;
    mpw w;
    big_submission(&w, PROTO_MAX_RECORDS, "max");
    head h;
    read_head(mpw_data(&w), mpw_size(&w), &h);
    assert_int_equal(h.st, PROTO_OK);
    assert_int_equal(h.n_records, PROTO_MAX_RECORDS);
    assert_string_equal(h.req.id, "max");
    assert_same_as_decode(mpw_data(&w), mpw_size(&w), "10,000 records");
    mpw_free(&w);

    big_submission(&w, PROTO_MAX_RECORDS + 1, "over");
    read_head(mpw_data(&w), mpw_size(&w), &h);
    assert_int_equal(h.st, PROTO_TOO_LARGE);
    assert_string_equal(h.why.msg, "10001 records in one submission; the limit is 10000");
    assert_string_equal(h.req.id, "over"); /* for the reply */
    assert_int_equal(h.req.op, PROTO_OP_SUBMIT);
    assert_same_as_decode(mpw_data(&w), mpw_size(&w), "10,001 records");
    mpw_free(&w);

    /* {'v':1,'op':'submit','id':'x','records': array 32 of 2^32-1 (and array 16 of 65535) } */
#define LIE_HEAD "\x84\xa1v\x01\xa2op\xa6submit\xa2id\xa1x\xa7records"
    static const char lie[] = LIE_HEAD "\xdd\xff\xff\xff\xff";
    static const char lie16[] = LIE_HEAD "\xdc\xff\xff\x01";
#undef LIE_HEAD
    read_head(lie, sizeof lie - 1, &h);
    assert_int_equal(h.st, PROTO_BAD_REQUEST);
    assert_string_equal(h.why.msg, "truncated msgpack message");
    assert_same_as_decode(lie, sizeof lie - 1, "array 32 of 2^32-1");
    read_head(lie16, sizeof lie16 - 1, &h);
    assert_int_equal(h.st, PROTO_BAD_REQUEST);
    assert_same_as_decode(lie16, sizeof lie16 - 1, "array 16 of 65535");

    /* Over the size limit: refused before a byte is read. */
    static char big[PROTO_MAX_MESSAGE + 1];
    read_head(big, sizeof big, &h);
    assert_int_equal(h.st, PROTO_TOO_LARGE);
    assert_string_equal(h.why.msg, "message of 1048577 bytes; the limit is 1048576");
}

/* Queries and pings are read whole: a head is the request itself. */
static void test_other_ops_read_whole(void **state)
{
    static const char *const cases[] = {
        "{\"v\":1,\"op\":\"ping\",\"id\":\"p1\"}",
        "{\"v\":1,\"op\":\"snapshot\",\"id\":\"s1\",\"indicator\":\"vve_bereik\","
        "\"period\":\"2026-10\",\"area\":\"GM0164\",\"by\":\"area\",\"as_of\":1790000000}",
        "{\"v\":1,\"op\":\"ack\",\"id\":\"a1\",\"alert\":12,\"note\":\"gezien, \\u00e9\"}",
        "{\"v\":1,\"op\":\"silence\",\"id\":\"s2\",\"until\":1800000000,\"rule\":\"late\","
        "\"severity\":\"warning\",\"note\":\"vakantie\",\"starts\":1790000000}",
        "{\"v\":1,\"op\":\"series\",\"id\":\"s3\",\"indicator\":\"vve_bereik\","
        "\"from\":\"2025-01\",\"to\":\"2026-10\",\"reporter\":\"viewer\"}",
        "{\"v\":1,\"op\":\"figures\",\"id\":\"f1\",\"period\":\"2026-10\",\"metric\":\"m\","
        "\"organisation\":\"ko-a\",\"all\":true}",
        "{\"v\":1,\"op\":\"backup\",\"id\":\"b1\",\"backup\":3,\"offset\":262144}",
        "{\"v\":1,\"op\":\"alerts\",\"id\":\"a2\",\"since\":-5}",
        "{\"v\":1,\"op\":\"ack\",\"id\":\"a3\",\"alert\":1.5,\"note\":\"x\"}",
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mpw w;
        from_json(cases[i], &w);
        assert_same_as_decode(mpw_data(&w), mpw_size(&w), cases[i]);
        mpw_free(&w);
    }
}

/* Nesting: where msgpack-c stops, the structure check stops too, so a head never accepts
 * what the decoder refuses. */
static void test_nesting_at_the_limit(void **state)
{
    (void)state;
    for (int depth = SCAN_MAX_DEPTH - 3; depth <= SCAN_MAX_DEPTH + 2; depth++) {
        /* {'v':1,'op':'ping','id':'n','x': [[[ ... nil ]]] } with depth containers in all */
        unsigned char buf[128];
        size_t len = 0;
        static const char start[] = "\x84\xa1v\x01\xa2op\xa4ping\xa2id\xa1n\xa1x";
        memcpy(buf, start, sizeof start - 1);
        len = sizeof start - 1;
        for (int i = 1; i < depth; i++)
            buf[len++] = 0x91;
        buf[len++] = 0xc0;
        char what[32];
        snprintf(what, sizeof what, "depth %d", depth);
        assert_same_as_decode(buf, len, what);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scalars_as_msgpack_c_reads_them),
        cmocka_unit_test(test_object_refused_as_scan_refuses),
        cmocka_unit_test(test_submission_counted_not_read),
        cmocka_unit_test(test_bad_records_do_not_change_the_status),
        cmocka_unit_test(test_refusals_as_the_decoder_gives_them),
        cmocka_unit_test(test_truncated_anywhere),
        cmocka_unit_test(test_huge_records),
        cmocka_unit_test(test_other_ops_read_whole),
        cmocka_unit_test(test_nesting_at_the_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
