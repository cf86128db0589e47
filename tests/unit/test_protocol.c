/* Unit tests for the typed replies (proto/reply_*.c) against the normative text: every
 * complete JSON example of proto/PROTOCOL.md is read with the reader of its kind and
 * written again with the writer, and the bytes must be the example's, key order included.
 * Every complete request example must decode, and encode to a request that decodes the
 * same. Examples with "…" (entries left out) are not complete and are counted apart. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_mp.h"
#include "proto.h"
#include "reply_alert.h"
#include "reply_backup.h"
#include "reply_compl.h"
#include "reply_figure_ops.h"
#include "reply_figures.h"
#include "reply_info.h"
#include "reply_stored.h"
#include "reply_submit.h"

#ifndef PROTOCOL_MD
#define PROTOCOL_MD "proto/PROTOCOL.md"
#endif

typedef struct {
    size_t replies, requests, partial;
} tally;

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t n = 0, cap = 0, got;
    char chunk[4096];
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (n + got + 1 > cap) {
            cap = (n + got + 1) * 2;
            char *b = realloc(buf, cap);
            if (!b) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = b;
        }
        memcpy(buf + n, chunk, got);
        n += got;
    }
    fclose(f);
    if (buf)
        buf[n] = '\0';
    return buf;
}

/* Read root with the reader of its kind and write it again into w. -1: the reader
 * refused it (e says why). */
static int rewrite_reply(const msgpack_object *root, mpw *w, lm_error *e)
{
    proto_head h;
    if (proto_reply_head(root, &h, e) != 0)
        return -1;
    mpw_reset(w);
    if (proto_get(root, "accepted")) {
        proto_submit_reply r;
        if (proto_submit_reply_read(root, &r, e) != 0)
            return -1;
        proto_submit_reply_write(w, h.id, h.status, h.error, &r);
        proto_submit_reply_free(&r);
        return 0;
    }
    if (h.status != PROTO_OK) {
        proto_reply_error(w, h.id, h.status, h.error);
        return 0;
    }
#define CASE(key, type, read, write, release)                                                 \
    if (proto_get(root, key)) {                                                              \
        type r;                                                                              \
        if (read(root, &r, e) != 0)                                                          \
            return -1;                                                                       \
        write(w, h.id, &r);                                                                  \
        release;                                                                             \
        return 0;                                                                            \
    }
    CASE("uptime", proto_status_reply, proto_status_reply_read, proto_status_reply_write, (void)0)
    CASE("time", proto_ping_reply, proto_ping_reply_read, proto_ping_reply_write, (void)0)
    CASE("first_period", proto_catalog_reply, proto_catalog_reply_read,
         proto_catalog_reply_write, proto_catalog_reply_free(&r))
    CASE("snapshot", proto_snapshot_reply, proto_snapshot_reply_read,
         proto_snapshot_reply_write, proto_snapshot_reply_free(&r))
    CASE("points", proto_series_reply, proto_series_reply_read, proto_series_reply_write,
         proto_series_reply_free(&r))
    CASE("grace_days", proto_completeness_reply, proto_completeness_reply_read,
         proto_completeness_reply_write, proto_completeness_reply_free(&r))
    CASE("alerts", proto_alerts_reply, proto_alerts_reply_read, proto_alerts_reply_write,
         proto_alerts_reply_free(&r))
    CASE("silences", proto_silences_reply, proto_silences_reply_read,
         proto_silences_reply_write, proto_silences_reply_free(&r))
    CASE("alert", proto_alert, proto_ack_reply_read, proto_ack_reply_write, proto_alert_free(&r))
    CASE("silence", proto_silence_reply, proto_silence_reply_read, proto_silence_reply_write,
         (void)0)
    CASE("backup", proto_backup_reply, proto_backup_reply_read, proto_backup_reply_write,
         (void)0)
    CASE("figures", proto_figures_reply, proto_figures_reply_read, proto_figures_reply_write,
         proto_figures_reply_free(&r))
    CASE("organisation", proto_retract_reply, proto_retract_reply_read,
         proto_retract_reply_write, (void)0)
    CASE("closed", proto_close_reply, proto_close_reply_read, proto_close_reply_write, (void)0)
#undef CASE
    return lm_fail(e, 0, "a reply of no known kind");
}

/* A request must decode (record errors allowed: some examples show them) and survive an
 * encode and a second decode unchanged. */
static void check_request(const char *text, size_t len, const mpw *in)
{
    proto_request a, b;
    proto_errors ea, eb;
    lm_error why;
    proto_errors_init(&ea);
    proto_errors_init(&eb);
    int st = proto_request_decode(mpw_data(in), mpw_size(in), &a, &ea, &why);
    if (st != PROTO_OK)
        fail_msg("example request does not decode (%d %s): %.*s", st, why.msg, (int)len, text);
    msgpack_sbuffer sb;
    msgpack_sbuffer_init(&sb);
    assert_int_equal(proto_request_encode(&a, &sb), 0);
    assert_int_equal(proto_request_decode(sb.data, sb.size, &b, &eb, &why), PROTO_OK);
    assert_int_equal(a.op, b.op);
    assert_string_equal(a.id, b.id);
    assert_int_equal(a.n_records, b.n_records);
    for (int f = 0; f < PROTO_FIELD_COUNT; f++)
        assert_int_equal(proto_request_has(&a, (proto_field)f),
                         proto_request_has(&b, (proto_field)f));
    msgpack_sbuffer_destroy(&sb);
    proto_request_free(&a);
    proto_request_free(&b);
    proto_errors_free(&ea);
    proto_errors_free(&eb);
}

static void check_example(const char *text, size_t len, tally *t)
{
    mpw in, out;
    mpw_init(&in);
    mpw_init(&out);
    if (json_to_msgpack(text, len, &in) != 0) {
        t->partial++;
        goto done;
    }
    msgpack_unpacked u;
    msgpack_unpacked_init(&u);
    size_t off = 0;
    assert_int_equal(msgpack_unpack_next(&u, mpw_data(&in), mpw_size(&in), &off),
                     MSGPACK_UNPACK_SUCCESS);
    if (proto_get(&u.data, "op")) {
        check_request(text, len, &in);
        t->requests++;
    } else {
        lm_error e = {0, ""};
        if (rewrite_reply(&u.data, &out, &e) != 0)
            fail_msg("example reply refused by its reader (%s): %.*s", e.msg, (int)len, text);
        if (!mpw_ok(&out) || mpw_size(&out) != mpw_size(&in) ||
            memcmp(mpw_data(&out), mpw_data(&in), mpw_size(&in)) != 0)
            fail_msg("example reply written back differs: %.*s", (int)len, text);
        t->replies++;
    }
    msgpack_unpacked_destroy(&u);
done:
    mpw_free(&in);
    mpw_free(&out);
}

/* The JSON in backquotes of a table row, at most two: a request and its reply. */
static size_t row_json(const char *line, const char *start[2], size_t len[2])
{
    const char *eol = strchr(line, '\n');
    size_t n = 0;
    for (const char *q = line; n < 2 && (q = strstr(q, "`{")) && (!eol || q < eol);) {
        const char *close = strstr(q + 1, "}`");
        if (!close || (eol && close > eol))
            break;
        start[n] = q + 1;
        len[n++] = (size_t)(close + 1 - (q + 1));
        q = close + 2;
    }
    return n;
}

/* A table row of a failing request and its reply: a request that fails to decode must
 * fail with the row's status and error, word for word; one that decodes is refused by
 * the daemon (the integration tests check those). Either way the reply round-trips. */
static void check_row(const char *line, tally *t)
{
    const char *start[2];
    size_t len[2];
    if (row_json(line, start, len) != 2)
        return;
    mpw req, rep;
    mpw_init(&req);
    mpw_init(&rep);
    assert_int_equal(json_to_msgpack(start[0], len[0], &req), 0);
    assert_int_equal(json_to_msgpack(start[1], len[1], &rep), 0);
    proto_request r;
    proto_errors errs;
    lm_error why;
    proto_errors_init(&errs);
    int st = proto_request_decode(mpw_data(&req), mpw_size(&req), &r, &errs, &why);
    msgpack_unpacked u;
    msgpack_unpacked_init(&u);
    size_t off = 0;
    assert_int_equal(msgpack_unpack_next(&u, mpw_data(&rep), mpw_size(&rep), &off),
                     MSGPACK_UNPACK_SUCCESS);
    proto_head h;
    lm_error e;
    assert_int_equal(proto_reply_head(&u.data, &h, &e), 0);
    if (st != PROTO_OK && (st != h.status || strcmp(why.msg, h.error) != 0))
        fail_msg("%.*s decodes to %d \"%s\", PROTOCOL.md says %d \"%s\"", (int)len[0], start[0],
                 st, why.msg, h.status, h.error);
    t->requests += st != PROTO_OK;
    msgpack_unpacked_destroy(&u);
    proto_request_free(&r);
    proto_errors_free(&errs);
    check_example(start[1], len[1], t);
    mpw_free(&req);
    mpw_free(&rep);
}

/* The ```json blocks, and the JSON in backquotes of the tables' rows. */
static void check_document(const char *doc, tally *t)
{
    const char *p = doc;
    while ((p = strstr(p, "```json\n")) != NULL) {
        p += 8;
        const char *end = strstr(p, "```");
        assert_non_null(end);
        check_example(p, (size_t)(end - p), t);
        p = end + 3;
    }
    for (const char *line = doc; line && *line;) {
        if (strncmp(line, "| `{", 4) == 0)
            check_row(line, t);
        line = strchr(line, '\n');
        line = line ? line + 1 : NULL;
    }
}

static void test_protocol_examples_round_trip(void **state)
{
    (void)state;
    char *doc = read_all(PROTOCOL_MD);
    if (!doc)
        fail_msg("cannot read %s (run the tests from the top of the source tree)", PROTOCOL_MD);
    tally t = {0, 0, 0};
    check_document(doc, &t);
    free(doc);
    print_message("PROTOCOL.md: %zu replies and %zu requests round-tripped, %zu partial "
                  "examples left out\n", t.replies, t.requests, t.partial);
    /* The document has dozens of each: a parser that found none must not pass. */
    assert_true(t.replies >= 20);
    assert_true(t.requests >= 20);
}

/* The writer's deferred lengths give the smallest header, as a counted map would. */
static void test_writer_headers(void **state)
{
    (void)state;
    static const size_t sizes[] = {0, 1, 15, 16, 65535, 65536};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        mpw w;
        msgpack_sbuffer sb;
        msgpack_packer pk;
        mpw_init(&w);
        msgpack_sbuffer_init(&sb);
        msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
        mpw_array(&w);
        assert_int_equal(msgpack_pack_array(&pk, sizes[s]), 0);
        for (size_t i = 0; i < sizes[s]; i++) {
            mpw_map(&w);
            mpw_kv_int(&w, "k", (int64_t)i);
            mpw_end(&w);
            assert_int_equal(msgpack_pack_map(&pk, 1), 0);
            assert_int_equal(msgpack_pack_str_with_body(&pk, "k", 1), 0);
            assert_int_equal(msgpack_pack_int64(&pk, (int64_t)i), 0);
        }
        mpw_end(&w);
        assert_true(mpw_ok(&w));
        assert_int_equal(mpw_size(&w), sb.size);
        assert_memory_equal(mpw_data(&w), sb.data, sb.size);
        mpw_free(&w);
        msgpack_sbuffer_destroy(&sb);
    }
}

/* A key without a value, a close too many, or a container left open fail the writer. */
static void test_writer_errors_are_sticky(void **state)
{
    (void)state;
    mpw w;
    mpw_init(&w);
    mpw_map(&w);
    mpw_key(&w, "lonely");
    mpw_end(&w);
    assert_false(mpw_ok(&w));
    mpw_kv_int(&w, "after", 1); /* ignored */
    assert_false(mpw_ok(&w));
    mpw_reset(&w);
    assert_true(mpw_ok(&w));
    mpw_end(&w);
    assert_false(mpw_ok(&w));
    mpw_reset(&w);
    mpw_array(&w);
    assert_false(mpw_ok(&w)); /* still open */
    mpw_end(&w);
    assert_true(mpw_ok(&w));
    for (int i = 0; i <= MPW_MAX_DEPTH; i++)
        mpw_array(&w);
    assert_false(mpw_ok(&w));
    mpw_free(&w);
}

/* An error reply replaces a half-written one. */
static void test_reply_error_replaces(void **state)
{
    (void)state;
    mpw w;
    mpw_init(&w);
    proto_reply_open(&w, "r1", PROTO_OK, NULL);
    mpw_kv_str(&w, "half", "written");
    proto_reply_error(&w, "r1", PROTO_NOT_FOUND, "unknown indicator 'x'");
    assert_true(mpw_ok(&w));
    msgpack_unpacked u;
    msgpack_unpacked_init(&u);
    size_t off = 0;
    assert_int_equal(msgpack_unpack_next(&u, mpw_data(&w), mpw_size(&w), &off),
                     MSGPACK_UNPACK_SUCCESS);
    proto_head h;
    lm_error e;
    assert_int_equal(proto_reply_head(&u.data, &h, &e), 0);
    assert_int_equal(h.status, 404);
    assert_string_equal(h.error, "unknown indicator 'x'");
    assert_null(proto_get(&u.data, "half"));
    assert_int_equal(u.data.via.map.size, 4);
    msgpack_unpacked_destroy(&u);
    mpw_free(&w);
}

/* What a reply carries is for display: control characters (C0, DEL, C1) and bytes that are
 * not UTF-8 become '?', and a cut never splits a character. */
static void test_reader_cleans_text(void **state)
{
    (void)state;
    mpw w;
    mpw_init(&w);
    proto_reply_open(&w, "p", PROTO_OK, NULL);
    mpw_kv_str(&w, "server", "a\nb\x7f c\xc2\x9b d\xff e \xc3\xa9 \xe2\x82\xac");
    mpw_kv_int(&w, "time", 1);
    mpw_end(&w);
    msgpack_unpacked u;
    msgpack_unpacked_init(&u);
    size_t off = 0;
    assert_int_equal(msgpack_unpack_next(&u, mpw_data(&w), mpw_size(&w), &off),
                     MSGPACK_UNPACK_SUCCESS);
    proto_ping_reply r;
    lm_error e;
    assert_int_equal(proto_ping_reply_read(&u.data, &r, &e), 0);
    assert_string_equal(r.server, "a?b? c?? d? e \xc3\xa9 \xe2\x82\xac");
    msgpack_unpacked_destroy(&u);
    mpw_free(&w);
}

/* A reply missing a field its reader needs is refused with the field named. */
static void test_reader_names_the_missing_field(void **state)
{
    (void)state;
    const char *json = "{\"v\":1,\"id\":\"p\",\"status\":200,\"server\":\"leamond\"}";
    mpw in;
    mpw_init(&in);
    assert_int_equal(json_to_msgpack(json, strlen(json), &in), 0);
    msgpack_unpacked u;
    msgpack_unpacked_init(&u);
    size_t off = 0;
    assert_int_equal(msgpack_unpack_next(&u, mpw_data(&in), mpw_size(&in), &off),
                     MSGPACK_UNPACK_SUCCESS);
    proto_ping_reply r;
    lm_error e = {0, ""};
    assert_int_equal(proto_ping_reply_read(&u.data, &r, &e), -1);
    assert_non_null(strstr(e.msg, "'time' is missing"));
    msgpack_unpacked_destroy(&u);
    mpw_free(&in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_protocol_examples_round_trip),
        cmocka_unit_test(test_writer_headers),
        cmocka_unit_test(test_writer_errors_are_sticky),
        cmocka_unit_test(test_reply_error_replaces),
        cmocka_unit_test(test_reader_names_the_missing_field),
        cmocka_unit_test(test_reader_cleans_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
