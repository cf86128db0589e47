/* Unit tests for client/format.c (numbers, times, sparklines, cleaning, tables)
 * and the printers of client/cmd_query.c, fed hand-made daemon replies.
 *
 * Replies are packed with kv(), a printf-like helper: kv(pk, "area:s value:d
 * reported:i computed_at:n snapshot:.", ...) packs the pairs in order, with s a
 * string (NULL packs nil), d a double (NAN packs nil), i a long long, n nil,
 * and '.' only the key, for the caller to pack the value (a map or array). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "format.h"
#include "cmd_query.h"
#include "proto.h"

/* Central European time without the tz database: the same rules as Europe/Amsterdam. */
#define TZ_NL "CET-1CEST,M3.5.0,M10.5.0/3"

static int set_tz(void **state)
{
    (void)state;
    if (setenv("TZ", TZ_NL, 1) != 0)
        return -1;
    tzset();
    return 0;
}

/* ---- packing replies ------------------------------------------------------ */

static void kv(msgpack_packer *pk, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *p = fmt;
    while (*p) {
        while (*p == ' ')
            p++;
        const char *colon = strchr(p, ':');
        assert_non_null(colon);
        assert_int_equal(msgpack_pack_str(pk, (size_t)(colon - p)), 0);
        assert_int_equal(msgpack_pack_str_body(pk, p, (size_t)(colon - p)), 0);
        char type = colon[1];
        int rc = 0;
        if (type == 's') {
            const char *s = va_arg(ap, const char *);
            rc = s ? proto_pack_str(pk, s) : msgpack_pack_nil(pk);
        } else if (type == 'd') {
            double d = va_arg(ap, double);
            rc = isnan(d) ? msgpack_pack_nil(pk) : msgpack_pack_double(pk, d);
        } else if (type == 'i') {
            rc = msgpack_pack_int64(pk, va_arg(ap, long long));
        } else if (type == 'n') {
            rc = msgpack_pack_nil(pk);
        } else {
            assert_int_equal(type, '.');
        }
        assert_int_equal(rc, 0);
        p = colon + 2;
    }
    va_end(ap);
}

static void map(msgpack_packer *pk, size_t n)
{
    assert_int_equal(msgpack_pack_map(pk, n), 0);
}

static void array(msgpack_packer *pk, size_t n)
{
    assert_int_equal(msgpack_pack_array(pk, n), 0);
}

typedef struct {
    msgpack_sbuffer buf;
    msgpack_packer pk;
    msgpack_unpacked u;
    char *text; /* what a printer wrote */
    size_t len;
} reply_t;

static msgpack_packer *begin(reply_t *r)
{
    memset(r, 0, sizeof *r);
    msgpack_sbuffer_init(&r->buf);
    msgpack_packer_init(&r->pk, &r->buf, msgpack_sbuffer_write);
    return &r->pk;
}

/* The packed reply, unpacked as the client gets it. */
static const msgpack_object *finish(reply_t *r)
{
    size_t off = 0;
    msgpack_unpacked_init(&r->u);
    assert_int_equal(msgpack_unpack_next(&r->u, r->buf.data, r->buf.size, &off),
                     MSGPACK_UNPACK_SUCCESS);
    assert_int_equal(off, r->buf.size); /* the map sizes add up */
    return &r->u.data;
}

static void done(reply_t *r)
{
    msgpack_unpacked_destroy(&r->u);
    msgpack_sbuffer_destroy(&r->buf);
    free(r->text);
}

static FILE *capture(reply_t *r)
{
    FILE *f = open_memstream(&r->text, &r->len);
    assert_non_null(f);
    return f;
}

static void expect(reply_t *r, FILE *f, int rc, const char *want)
{
    assert_int_equal(fclose(f), 0);
    assert_int_equal(rc, 0);
    if (strcmp(r->text, want) != 0)
        fail_msg("output differs\n--- got:\n%s--- wanted:\n%s---", r->text, want);
}

static void head(msgpack_packer *pk, size_t extra)
{
    map(pk, 3 + extra);
    kv(pk, "v:i id:s status:i", 1LL, "r1", 200LL);
}

static void indicator(msgpack_packer *pk, const char *code, const char *label, const char *unit,
                      const char *type, const char *better)
{
    kv(pk, "indicator:.");
    map(pk, 5);
    kv(pk, "code:s label:s unit:s type:s better:s", code, label, unit, type, better);
}

static void vve_bereik(msgpack_packer *pk)
{
    indicator(pk, "vve_bereik", "VVE-bereik", "percent", "ratio", "higher");
}

/* A SNAP map (computed_at < 0: nil, live). */
static void snap(msgpack_packer *pk, const char *area, const char *name, double value,
                 double num, double den, const char *reason, long long expected,
                 long long reported, long long computed_at, long long version)
{
    map(pk, 11);
    kv(pk, "area:s name:s value:d numerator:d denominator:d reason:s expected:i reported:i",
       area, name, value, num, den, reason, expected, reported);
    if (computed_at < 0)
        kv(pk, "computed_at:n");
    else
        kv(pk, "computed_at:i", computed_at);
    kv(pk, "version:i", version);
    kv(pk, "as_of_dummy:n"); /* fields the client does not know are ignored */
}

static void target(msgpack_packer *pk, double path)
{
    kv(pk, "target:.");
    map(pk, 7);
    kv(pk, "area:s goal_period:s goal:d baseline_period:s baseline:d path:d source:s", "GM0164",
       "2027", 85.0, "2022", 70.0, path, "LEA Hengelo 2024-2027, VVE monitor");
}

/* ---- numbers, times, sparklines ---------------------------------------------- */

static void test_fmt_value(void **state)
{
    (void)state;
    char b[FMT_NUMBER_MAX];
    fmt_value(b, sizeof b, 78.44, "percent");
    assert_string_equal(b, "78.4 %");
    fmt_value(b, sizeof b, 15.8, "hours");
    assert_string_equal(b, "15.8 uur");
    fmt_value(b, sizeof b, 42, "count");
    assert_string_equal(b, "42");
    fmt_value(b, sizeof b, 41.5, "count"); /* a mean of counts */
    assert_string_equal(b, "41.5");
    fmt_value(b, sizeof b, 1234.5, "euro");
    assert_string_equal(b, "1234.5 euro");
    fmt_value(b, sizeof b, 2.25, "");
    assert_string_equal(b, "2.2");
    fmt_value(b, sizeof b, -0.01, "percent"); /* no "-0.0 %" */
    assert_string_equal(b, "0.0 %");
    fmt_value(b, sizeof b, -3, "count");
    assert_string_equal(b, "-3");
    fmt_value(b, sizeof b, NAN, "percent");
    assert_string_equal(b, FMT_MISSING);
}

static void test_fmt_numbers(void **state)
{
    (void)state;
    char b[FMT_NUMBER_MAX];
    fmt_number(b, sizeof b, 47);
    assert_string_equal(b, "47");
    fmt_number(b, sizeof b, 95.25);
    assert_string_equal(b, "95.25");
    fmt_number(b, sizeof b, 0.5);
    assert_string_equal(b, "0.5");
    fmt_number(b, sizeof b, 1.0 / 3);
    assert_string_equal(b, "0.33");
    fmt_number(b, sizeof b, -0.001);
    assert_string_equal(b, "0");
    fmt_csv_number(b, sizeof b, 78.4);
    assert_string_equal(b, "78.4");
    fmt_csv_number(b, sizeof b, 60);
    assert_string_equal(b, "60");
    fmt_csv_number(b, sizeof b, 0.1 + 0.2); /* reads back exactly */
    assert_string_equal(b, "0.30000000000000004");
    fmt_csv_number(b, sizeof b, 280.0 / 3); /* and no longer than it must */
    assert_string_equal(b, "93.33333333333333");
    fmt_csv_number(b, sizeof b, INFINITY);
    assert_string_equal(b, "");
}

static void test_fmt_time(void **state)
{
    (void)state;
    char b[FMT_NUMBER_MAX];
    fmt_time(b, sizeof b, 1793883720); /* 2026-11-05 13:02 UTC, CET */
    assert_string_equal(b, "2026-11-05 14:02");
    fmt_time_iso(b, sizeof b, 1793883720);
    assert_string_equal(b, "2026-11-05T13:02:00Z");

    int64_t t = 0;
    assert_int_equal(fmt_parse_time("1772319600", &t), 0);
    assert_int_equal(t, 1772319600);
    assert_int_equal(fmt_parse_time("2026-03-01", &t), 0);
    assert_int_equal(t, 1772319600); /* 00:00 CET */
    assert_int_equal(fmt_parse_time("2026-03-01 14:30", &t), 0);
    assert_int_equal(t, 1772371800);
    assert_int_equal(fmt_parse_time("2026-03-01T14:30", &t), 0);
    assert_int_equal(t, 1772371800);
    assert_int_equal(fmt_parse_time("2026-07-01 12:00", &t), 0); /* summer time */
    assert_int_equal(t, 1782900000);
    static const char *const bad[] = {
        "",           "2026-02-30",       "2026-13-01",       "2026-03-01 24:00",
        "2026-3-1",   "2026-03-01 14:30:00", "2026-03-29 02:30", /* skipped at 02:00 CET */
        "yesterday",  "-5",               "12345678901234",   "1969-12-31",
        "2026-03-01 14.30", "2026/03/01"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (fmt_parse_time(bad[i], &t) != -1)
            fail_msg("'%s' was accepted as a time", bad[i]);
}

static void test_sparkline(void **state)
{
    (void)state;
    char b[FMT_SPARK_BYTES(8)];
    double v[] = {1, 2, 3, 4, 5, 6, 7, 8};
    bool all[] = {true, true, true, true, true, true, true, true};
    assert_int_equal(fmt_sparkline(b, sizeof b, v, all, 8), 0);
    assert_string_equal(b, "▁▂▃▄▅▆▇█");
    bool gaps[] = {true, false, true, true, false, false, true, true};
    assert_int_equal(fmt_sparkline(b, sizeof b, v, gaps, 8), 0);
    assert_string_equal(b, "▁ ▃▄  ▇█");
    double flat[] = {5, 5, 5};
    assert_int_equal(fmt_sparkline(b, sizeof b, flat, all, 3), 0);
    assert_string_equal(b, "▄▄▄");
    bool none[] = {false, false};
    assert_int_equal(fmt_sparkline(b, sizeof b, v, none, 2), 0);
    assert_string_equal(b, "  ");
    assert_int_equal(fmt_sparkline(b, 6, v, all, 2), -1); /* needs 7 bytes */
    assert_int_equal(fmt_sparkline(b, 7, v, all, 2), 0);
    assert_int_equal(fmt_sparkline(b, sizeof b, v, all, 0), 0);
    assert_string_equal(b, "");
}

static void test_clean_and_width(void **state)
{
    (void)state;
    char b[64];
    const char *esc = "Noord\x1b[31m\n";
    fmt_clean(b, sizeof b, esc, strlen(esc));
    assert_string_equal(b, "Noord?[31m?");
    fmt_clean(b, sizeof b, "Caf\xc3\xa9 \xe2\x80\x93 ok", 12);
    assert_string_equal(b, "Café – ok");
    fmt_clean(b, sizeof b, "a\xc2\x9b" "b\xff" "c\xe2\x80", 8); /* C1 CSI, bad byte, cut */
    assert_string_equal(b, "a?b?c??");
    fmt_clean(b, sizeof b, "\xc0\xaf\xed\xa0\x80", 5); /* overlong '/', a surrogate */
    assert_string_equal(b, "?????");
    fmt_clean(b, 4, "\xc3\xa9\xc3\xa9", 4); /* no half characters */
    assert_string_equal(b, "é");
    fmt_clean(b, sizeof b, "with\0nul", 8);
    assert_string_equal(b, "with?nul");
    assert_int_equal(fmt_width("78.4 %*"), 7);
    assert_int_equal(fmt_width("– (1)"), 5);
    assert_int_equal(fmt_width("▁▂▃"), 3);
}

static void test_csv_field(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    static const char *const fields[] = {"plain", "Hengelo, Noord", "the \"Es\"", "two\nlines",
                                         " padded", "", "78.4", NULL};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        assert_int_equal(fmt_csv_field(f, fields[i]), 0);
        fputc('|', f);
    }
    assert_int_equal(fclose(f), 0);
    assert_string_equal(text, "plain|\"Hengelo, Noord\"|\"the \"\"Es\"\"\"|\"two\nlines\"|"
                              "\" padded\"||78.4||");
    free(text);
}

static void test_table(void **state)
{
    (void)state;
    static const table_col cols[] = {
        {"AREA", TABLE_LEFT}, {"NAME", TABLE_LEFT}, {"N", TABLE_RIGHT}, {"NOTE", TABLE_LEFT}};
    table_t *t = table_new(cols, 4);
    assert_non_null(t);
    assert_int_equal(table_add(t, "WK016401"), 0);
    assert_int_equal(table_add(t, "Hengelose Es"), 0);
    assert_int_equal(table_addf(t, "%d", 8), 0);
    assert_int_equal(table_add(t, NULL), 0);
    assert_int_equal(table_rule(t), 0);
    assert_int_equal(table_add(t, "GM0164"), 0);
    assert_int_equal(table_add(t, "Hengelo, gemeente"), 0);
    assert_int_equal(table_add(t, "1040"), 0);
    assert_int_equal(table_add(t, "– \"all\""), 0);
    assert_int_equal(table_rows(t), 2);

    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    assert_int_equal(table_print(t, f, "  "), 0);
    assert_int_equal(table_print_csv(t, f), 0);
    assert_int_equal(fclose(f), 0);
    assert_string_equal(text,
                        "  AREA      NAME                  N  NOTE\n"
                        "  WK016401  Hengelose Es          8\n"
                        "  ------------------------------------------\n"
                        "  GM0164    Hengelo, gemeente  1040  – \"all\"\n"
                        "AREA,NAME,N,NOTE\n"
                        "WK016401,Hengelose Es,8,\n"
                        "GM0164,\"Hengelo, gemeente\",1040,\"– \"\"all\"\"\"\n");
    free(text);

    /* A short last row is refused rather than printed misaligned. */
    assert_int_equal(table_add(t, "half"), 0);
    f = fopen("/dev/null", "w");
    assert_non_null(f);
    assert_int_equal(table_print(t, f, ""), -1);
    assert_int_equal(table_print_csv(t, f), -1);
    fclose(f);
    table_destroy(&t);
    assert_null(t);
    table_destroy(&t); /* twice is harmless */
}

/* ---- snapshot ---------------------------------------------------------------- */

static void test_snapshot_text(void **state)
{
    (void)state;
    reply_t r;
    msgpack_packer *pk = begin(&r);
    head(pk, 6);
    vve_bereik(pk);
    kv(pk, "period:s as_of:n snapshot:.", "2026-10");
    snap(pk, "GM0164", "Hengelo", 78.333333, 47, 60, "", 12, 11, 1793883720, 3);
    target(pk, 81.2);
    kv(pk, "breakdown:n");
    const msgpack_object *root = finish(&r);
    FILE *f = capture(&r);
    expect(&r, f, query_print_snapshot(f, root, "", false),
           "VVE-bereik (vve_bereik), 2026-10\n"
           "\n"
           "AREA    NAME     VALUE    NUMERATOR  DENOMINATOR  REPORTED\n"
           "GM0164  Hengelo  78.3 %*         47           60  11 of 12\n"
           "\n"
           "target:    85.0 % in 2027, from 70.0 % in 2022\n"
           "path:      81.2 % in 2026-10: off the path, below it (higher is better)\n"
           "source:    LEA Hengelo 2024-2027, VVE monitor\n"
           "computed:  2026-11-05 14:02, version 3\n"
           "\n"
           "* incomplete: 11 of 12 partners have reported\n");
    done(&r);
}

static void test_snapshot_by_area_text(void **state)
{
    (void)state;
    reply_t r;
    msgpack_packer *pk = begin(&r);
    head(pk, 6);
    vve_bereik(pk);
    kv(pk, "period:s as_of:i snapshot:.", "2026-10", 1772319600LL);
    snap(pk, "GM0164", "Hengelo", 86.0, 43, 50, "", 4, 4, 1772000000, 2);
    target(pk, 81.2);
    kv(pk, "breakdown:.");
    array(pk, 3);
    snap(pk, "WK016401", "Hengelose Es", 90, 36, 40, "", 2, 2, -1, 0);
    snap(pk, "WK016402", "Noord", NAN, 7, 0, "denominator is 0", 1, 1, -1, 0);
    snap(pk, "WK016404", "Groot Driene", NAN, NAN, NAN,
         "no figures for jgz.doelgroep.geindiceerd", 1, 0, -1, 0);
    const msgpack_object *root = finish(&r);
    FILE *f = capture(&r);
    expect(&r, f, query_print_snapshot(f, root, "area", false),
           "VVE-bereik (vve_bereik), 2026-10, as of 2026-03-01 00:00\n"
           "\n"
           "AREA      NAME          VALUE   NUMERATOR  DENOMINATOR  REPORTED\n"
           "WK016401  Hengelose Es  90.0 %         36           40  2 of 2\n"
           "WK016402  Noord         – (1)           7            0  1 of 1\n"
           "WK016404  Groot Driene  –* (2)          –            –  0 of 1\n"
           "----------------------------------------------------------------\n"
           "GM0164    Hengelo       86.0 %         43           50  4 of 4\n"
           "\n"
           "target:    85.0 % in 2027, from 70.0 % in 2022 (reached)\n"
           "path:      81.2 % in 2026-10: on the path (higher is better)\n"
           "source:    LEA Hengelo 2024-2027, VVE monitor\n"
           "computed:  2026-02-25 07:13, version 2\n"
           "\n"
           "* incomplete: 0 of 1 partners have reported\n"
           "(1) denominator is 0\n"
           "(2) no figures for jgz.doelgroep.geindiceerd\n");
    done(&r);
}

static void test_snapshot_by_reporter_text(void **state)
{
    (void)state;
    reply_t r;
    msgpack_packer *pk = begin(&r);
    head(pk, 5);
    vve_bereik(pk);
    kv(pk, "period:s snapshot:.", "2026-10");
    snap(pk, "WK016402", "Noord", NAN, 12, NAN, "no figures for jgz.doelgroep.geindiceerd", 2, 1,
         -1, 0);
    kv(pk, "target:n breakdown:.");
    array(pk, 2);
    map(pk, 6);
    kv(pk, "reporter:s name:s kind:s numerator:d denominator:d value:d", "ko-zonnebloem",
       "Kinderopvang De Zonnebloem", "kinderopvang", 12.0, NAN, NAN);
    map(pk, 6);
    kv(pk, "reporter:s name:s kind:s numerator:d denominator:d value:d", "ggd-twente",
       "GGD Twente", "ggd", NAN, 15.0, NAN);
    const msgpack_object *root = finish(&r);
    FILE *f = capture(&r);
    expect(&r, f, query_print_snapshot(f, root, "reporter", false),
           "VVE-bereik (vve_bereik), 2026-10\n"
           "\n"
           "AREA      NAME   VALUE   NUMERATOR  DENOMINATOR  REPORTED\n"
           "WK016402  Noord  –* (1)         12            –  1 of 2\n"
           "\n"
           "REPORTER       NAME                        KIND          VALUE  NUMERATOR  "
           "DENOMINATOR\n"
           "ko-zonnebloem  Kinderopvang De Zonnebloem  kinderopvang  –             12            –\n"
           "ggd-twente     GGD Twente                  ggd           –              –           15\n"
           "\n"
           "target:    none; higher is better\n"
           "computed:  now (no stored snapshot yet)\n"
           "\n"
           "* incomplete: 1 of 2 partners have reported\n"
           "(1) no figures for jgz.doelgroep.geindiceerd\n");
    done(&r);
}

/* As of a time before anything was stored. */
static void test_snapshot_as_of_before_any(void **state)
{
    (void)state;
    reply_t r;
    msgpack_packer *pk = begin(&r);
    head(pk, 6);
    vve_bereik(pk);
    kv(pk, "period:s as_of:i snapshot:.", "2026-10", 1772319600LL);
    snap(pk, "GM0164", "Hengelo", NAN, NAN, NAN, "no figure had been computed by then", 0, 0,
         -1, 0);
    kv(pk, "target:n breakdown:n");
    const msgpack_object *root = finish(&r);
    FILE *f = capture(&r);
    expect(&r, f, query_print_snapshot(f, root, "", false),
           "VVE-bereik (vve_bereik), 2026-10, as of 2026-03-01 00:00\n"
           "\n"
           "AREA    NAME     VALUE  NUMERATOR  DENOMINATOR  REPORTED\n"
           "GM0164  Hengelo  – (1)          –            –  0 of 0\n"
           "\n"
           "target:    none; higher is better\n"
           "computed:  not by then\n"
           "\n"
           "(1) no figure had been computed by then\n");
    done(&r);
}

/* A sum has no numerator or denominator columns; lower is better. */
static void test_snapshot_sum_lower(void **state)
{
    (void)state;
    reply_t r;
    msgpack_packer *pk = begin(&r);
    head(pk, 4);
    indicator(pk, "thuiszitters", "Thuiszitters", "count", "sum", "lower");
    kv(pk, "period:s snapshot:.", "2026");
    snap(pk, "GM0164", "Hengelo", 14, 14, NAN, "", 1, 1, 1793883720, 1);
    kv(pk, "target:.");
    map(pk, 7);
    kv(pk, "area:s goal_period:s goal:d baseline_period:n baseline:n path:d source:s", "GM0164",
       "2027", 10.0, 11.5, "LEA Hengelo: minder dan 10");
    const msgpack_object *root = finish(&r);
    FILE *f = capture(&r);
    expect(&r, f, query_print_snapshot(f, root, "", false),
           "Thuiszitters (thuiszitters), 2026\n"
           "\n"
           "AREA    NAME     VALUE  REPORTED\n"
           "GM0164  Hengelo  14     1 of 1\n"
           "\n"
           "target:    10 in 2027\n"
           "path:      11.5 in 2026: off the path, above it (lower is better)\n"
           "source:    LEA Hengelo: minder dan 10\n"
           "computed:  2026-11-05 14:02, version 1\n");
    done(&r);
}

/* better = closer: judged by the distance to the ideal. */
static void test_snapshot_closer(void **state)
{
    (void)state;
    reply_t r;
    msgpack_packer *pk = begin(&r);
    head(pk, 4);
    kv(pk, "indicator:.");
    map(pk, 6);
    kv(pk, "code:s label:s unit:s type:s better:s ideal:d", "vve_doelgroep_aandeel",
       "Aandeel doelgroeppeuters", "percent", "ratio", "closer", 50.0);
    kv(pk, "period:s snapshot:.", "2026-10");
    snap(pk, "WK016402", "Noord", 58.0, 29, 50, "", 3, 3, -1, 0);
    kv(pk, "target:.");
    map(pk, 4);
    kv(pk, "area:s goal_period:s goal:d path:d", "GM0164", "2027", 50.0, 54.0);
    const msgpack_object *root = finish(&r);
    FILE *f = capture(&r);
    expect(&r, f, query_print_snapshot(f, root, NULL, false),
           "Aandeel doelgroeppeuters (vve_doelgroep_aandeel), 2026-10\n"
           "\n"
           "AREA      NAME   VALUE   NUMERATOR  DENOMINATOR  REPORTED\n"
           "WK016402  Noord  58.0 %         29           50  3 of 3\n"
           "\n"
           "target:    50.0 % in 2027; set for GM0164\n"
           "path:      54.0 % in 2026-10: off the path, further from the ideal (closer to "
           "50.0 % is better)\n"
           "computed:  now (no stored snapshot yet)\n");
    done(&r);
}

static void test_snapshot_csv(void **state)
{
    (void)state;
    reply_t r;
    msgpack_packer *pk = begin(&r);
    head(pk, 6);
    vve_bereik(pk);
    kv(pk, "period:s as_of:n snapshot:.", "2026-10");
    snap(pk, "GM0164", "Hengelo", 78.333333, 47, 60, "", 12, 11, 1793883720, 3);
    target(pk, 81.2);
    kv(pk, "breakdown:.");
    array(pk, 1);
    snap(pk, "WK016402", "Noord, \"oud\"", NAN, 7, 0, "denominator is 0", 1, 1, -1, 0);
    const msgpack_object *root = finish(&r);
    FILE *f = capture(&r);
    expect(&r, f, query_print_snapshot(f, root, "area", true),
           "indicator,period,area,name,value,unit,numerator,denominator,expected,reported,"
           "reason,computed_at,version,goal,goal_period,path,on_path\n"
           "vve_bereik,2026-10,WK016402,\"Noord, \"\"oud\"\"\",,percent,7,0,1,1,"
           "denominator is 0,,,,,,\n"
           "vve_bereik,2026-10,GM0164,Hengelo,78.333333,percent,47,60,12,11,,"
           "2026-11-05T13:02:00Z,3,85,2027,81.2,no\n");
    done(&r);

    /* By reporter: one row per organisation. */
    pk = begin(&r);
    head(pk, 4);
    vve_bereik(pk);
    kv(pk, "period:s snapshot:.", "2026-10");
    snap(pk, "GM0164", "Hengelo", 78.4, 47, 60, "", 12, 11, -1, 0);
    kv(pk, "breakdown:.");
    array(pk, 1);
    map(pk, 6);
    kv(pk, "reporter:s name:s kind:s numerator:d denominator:d value:d", "ko-a",
       "Kinderopvang A", "kinderopvang", 12.0, NAN, NAN);
    root = finish(&r);
    f = capture(&r);
    expect(&r, f, query_print_snapshot(f, root, "reporter", true),
           "indicator,period,area,reporter,name,kind,value,unit,numerator,denominator\n"
           "vve_bereik,2026-10,GM0164,ko-a,Kinderopvang A,kinderopvang,,percent,12,\n");
    done(&r);
}

/* Whatever the daemon sends, the printers neither crash nor print raw control bytes. */
static void test_snapshot_hostile_reply(void **state)
{
    (void)state;
    reply_t r;
    msgpack_packer *pk = begin(&r);
    head(pk, 5);
    kv(pk, "indicator:s period:i snapshot:.", "not a map", 7LL);
    map(pk, 4);
    kv(pk, "area:i name:s value:s expected:s", 5LL, "\x1b]0;pwned\x07", "78", "12");
    kv(pk, "target:s breakdown:.", "none");
    array(pk, 2);
    kv(pk, "not:n"); /* wrong: a key without a map, packed as two elements below */
    const msgpack_object *root = finish(&r);
    for (int csv = 0; csv <= 1; csv++) {
        for (int by = 0; by < 3; by++) {
            FILE *f = capture(&r);
            int rc = query_print_snapshot(f, root, by == 0 ? "" : by == 1 ? "area" : "reporter",
                                          csv);
            assert_int_equal(fclose(f), 0);
            assert_int_equal(rc, 0);
            assert_null(strchr(r.text, '\x1b'));
            assert_null(strchr(r.text, '\x07'));
            free(r.text);
            r.text = NULL;
        }
    }
    FILE *f = capture(&r);
    assert_int_equal(query_print_series(f, root, false), 0);
    assert_int_equal(query_print_series(f, root, true), 0);
    assert_int_equal(query_print_completeness(f, root, false, true), 0);
    assert_int_equal(query_print_completeness(f, root, true, false), 0);
    assert_int_equal(fclose(f), 0);
    done(&r);
}

/* ---- series ------------------------------------------------------------------ */

static void point(msgpack_packer *pk, const char *period, double value, double num, double den,
                  const char *reason, long long expected, long long reported, double path)
{
    map(pk, 8);
    kv(pk, "period:s value:d numerator:d denominator:d reason:s expected:i reported:i path:d",
       period, value, num, den, reason, expected, reported, path);
}

static void series_reply(msgpack_packer *pk)
{
    head(pk, 5);
    vve_bereik(pk);
    kv(pk, "area:s name:s", "GM0164", "Hengelo");
    kv(pk, "target:.");
    map(pk, 6);
    kv(pk, "area:s goal_period:s goal:d baseline_period:s baseline:d source:s", "GM0164",
       "2027", 85.0, "2022", 70.0, "LEA Hengelo");
    kv(pk, "points:.");
    array(pk, 4);
    point(pk, "2026-07", 76.0, 38, 50, "", 12, 12, 80.6);
    point(pk, "2026-08", NAN, 0, NAN, "no figures for jgz.doelgroep.geindiceerd", 12, 11, 80.8);
    point(pk, "2026-09", 80.0, 48, 60, "", 12, 12, 81.0);
    point(pk, "2026-10", 82.0, 41, 50, "", 12, 11, 81.2);
}

static void test_series_text(void **state)
{
    (void)state;
    reply_t r;
    series_reply(begin(&r));
    const msgpack_object *root = finish(&r);
    FILE *f = capture(&r);
    expect(&r, f, query_print_series(f, root, false),
           "VVE-bereik (vve_bereik), Hengelo (GM0164), 2026-07 to 2026-10\n"
           "target:  85.0 % in 2027, from 70.0 % in 2022\n"
           "source:  LEA Hengelo\n"
           "\n"
           "PERIOD   VALUE    NUMERATOR  DENOMINATOR  REPORTED  PATH    ON PATH\n"
           "2026-07  76.0 %          38           50  12 of 12  80.6 %  no\n"
           "2026-08  –* (1)           0            –  11 of 12  80.8 %\n"
           "2026-09  80.0 %          48           60  12 of 12  81.0 %  no\n"
           "2026-10  82.0 %*         41           50  11 of 12  81.2 %  yes\n"
           "\n"
           "trend:   ▁ ▆█  (76.0 % to 82.0 %)\n"
           "\n"
           "* incomplete: 11 of 12 partners have reported\n"
           "(1) no figures for jgz.doelgroep.geindiceerd\n");
    done(&r);
}

static void test_series_csv(void **state)
{
    (void)state;
    reply_t r;
    series_reply(begin(&r));
    const msgpack_object *root = finish(&r);
    FILE *f = capture(&r);
    expect(&r, f, query_print_series(f, root, true),
           "indicator,area,period,value,unit,numerator,denominator,expected,reported,reason,"
           "path,on_path\n"
           "vve_bereik,GM0164,2026-07,76,percent,38,50,12,12,,80.6,no\n"
           "vve_bereik,GM0164,2026-08,,percent,0,,12,11,"
           "no figures for jgz.doelgroep.geindiceerd,80.8,\n"
           "vve_bereik,GM0164,2026-09,80,percent,48,60,12,12,,81,no\n"
           "vve_bereik,GM0164,2026-10,82,percent,41,50,12,11,,81.2,yes\n");
    done(&r);
}

/* No target, no paths: no PATH columns; no points at all. */
static void test_series_bare(void **state)
{
    (void)state;
    reply_t r;
    msgpack_packer *pk = begin(&r);
    head(pk, 5);
    indicator(pk, "vve_wachtlijst", "Wachtlijst", "count", "sum", "lower");
    kv(pk, "area:s name:s target:n points:.", "WK016402", "Noord");
    array(pk, 3);
    point(pk, "2026-Q1", 3, 3, NAN, "", 2, 2, NAN);
    point(pk, "2026-Q2", 3, 3, NAN, "", 2, 2, NAN);
    point(pk, "2026-Q3", 3, 3, NAN, "", 2, 2, NAN);
    const msgpack_object *root = finish(&r);
    FILE *f = capture(&r);
    expect(&r, f, query_print_series(f, root, false),
           "Wachtlijst (vve_wachtlijst), Noord (WK016402), 2026-Q1 to 2026-Q3\n"
           "\n"
           "PERIOD   VALUE  REPORTED\n"
           "2026-Q1  3      2 of 2\n"
           "2026-Q2  3      2 of 2\n"
           "2026-Q3  3      2 of 2\n"
           "\n"
           "trend:   ▄▄▄  (all 3)\n");
    done(&r);

    pk = begin(&r);
    head(pk, 4);
    indicator(pk, "vve_wachtlijst", "", "count", "sum", "lower");
    kv(pk, "area:s name:n points:.", "WK016402");
    array(pk, 0);
    root = finish(&r);
    f = capture(&r);
    expect(&r, f, query_print_series(f, root, false),
           "vve_wachtlijst, WK016402 (WK016402)\n"
           "\n"
           "no periods\n");
    done(&r);
}

/* ---- completeness -------------------------------------------------------------- */

static void org(msgpack_packer *pk, const char *id, const char *name, const char *status,
                long long due, long long got, const char *const *late, size_t nlate,
                const char *const *missing, size_t nmissing, long long first, long long deadline)
{
    map(pk, 10);
    kv(pk, "id:s name:s kind:s status:s months_due:i months_reported:i", id, name,
       "kinderopvang", status, due, got);
    kv(pk, "late_months:.");
    array(pk, nlate);
    for (size_t i = 0; i < nlate; i++)
        assert_int_equal(proto_pack_str(pk, late[i]), 0);
    kv(pk, "missing_months:.");
    array(pk, nmissing);
    for (size_t i = 0; i < nmissing; i++)
        assert_int_equal(proto_pack_str(pk, missing[i]), 0);
    if (first < 0)
        kv(pk, "first_reported:n");
    else
        kv(pk, "first_reported:i", first);
    kv(pk, "deadline:i", deadline);
}

static void completeness_reply(msgpack_packer *pk)
{
    static const char *const oct[] = {"2026-10"};
    static const char *const months[] = {"2025-08", "2025-09", "2025-10", "2026-01", "2026-03",
                                         "2026-04"};
    head(pk, 3);
    kv(pk, "period:s grace_days:i metrics:.", "2026-10", 10LL);
    array(pk, 2);
    map(pk, 8);
    kv(pk, "metric:s label:s expected:i on_time:i late:i missing:i open:i", "vve.plaatsen",
       "Beschikbare VE-plaatsen", 4LL, 1LL, 1LL, 1LL, 1LL);
    kv(pk, "organisations:.");
    array(pk, 4);
    org(pk, "ko-a", "Kinderopvang A", "on_time", 1, 1, NULL, 0, NULL, 0, 1793693100, 1794355200);
    org(pk, "ko-b", "Kinderopvang B", "late", 1, 1, oct, 1, NULL, 0, 1794643920, 1794355200);
    org(pk, "ko-c", "Kinderopvang C", "missing", 12, 6, NULL, 0, months, 6, -1, 1794355200);
    org(pk, "ko-d", "Kinderopvang D", "open", 1, 0, NULL, 0, NULL, 0, -1, 1794355200);
    map(pk, 8);
    kv(pk, "metric:s label:s expected:i on_time:i late:i missing:i open:i", "vve.wachtlijst",
       "Geindiceerde peuters op de wachtlijst", 1LL, 1LL, 0LL, 0LL, 0LL);
    kv(pk, "organisations:.");
    array(pk, 1);
    org(pk, "ko-a", "Kinderopvang A", "on_time", 1, 1, NULL, 0, NULL, 0, 1793693100, 1794355200);
}

static void test_completeness_text(void **state)
{
    (void)state;
    reply_t r;
    completeness_reply(begin(&r));
    const msgpack_object *root = finish(&r);
    FILE *f = capture(&r);
    expect(&r, f, query_print_completeness(f, root, false, false),
           "Completeness of 2026-10; a month's figures are due 10 days after it ends\n"
           "\n"
           "METRIC          EXPECTED  ON TIME  LATE  MISSING  OPEN\n"
           "vve.plaatsen           4        1     1        1     1\n"
           "vve.wachtlijst         1        1     0        0     0\n"
           "\n"
           "vve.plaatsen: Beschikbare VE-plaatsen\n"
           "  ORGANISATION  NAME            KIND          STATUS   MONTHS   DETAIL\n"
           "  ko-a          Kinderopvang A  kinderopvang  on time  1 of 1   first reported "
           "2026-11-03 09:05\n"
           "  ko-b          Kinderopvang B  kinderopvang  late     1 of 1   late 2026-10; first "
           "reported 2026-11-14 09:12\n"
           "  ko-c          Kinderopvang C  kinderopvang  missing  6 of 12  missing 2025-08 to "
           "2025-10, 2026-01, 2026-03 to 2026-04\n"
           "  ko-d          Kinderopvang D  kinderopvang  open     0 of 1   due by 2026-11-11 "
           "01:00\n"
           "\n"
           "vve.wachtlijst: Geindiceerde peuters op de wachtlijst\n"
           "  ORGANISATION  NAME            KIND          STATUS   MONTHS  DETAIL\n"
           "  ko-a          Kinderopvang A  kinderopvang  on time  1 of 1  first reported "
           "2026-11-03 09:05\n");
    done(&r);
}

static void test_completeness_missing_only(void **state)
{
    (void)state;
    reply_t r;
    completeness_reply(begin(&r));
    const msgpack_object *root = finish(&r);
    FILE *f = capture(&r);
    expect(&r, f, query_print_completeness(f, root, false, true),
           "Completeness of 2026-10; a month's figures are due 10 days after it ends\n"
           "\n"
           "METRIC          EXPECTED  ON TIME  LATE  MISSING  OPEN\n"
           "vve.plaatsen           4        1     1        1     1\n"
           "vve.wachtlijst         1        1     0        0     0\n"
           "\n"
           "vve.plaatsen: Beschikbare VE-plaatsen\n"
           "  ORGANISATION  NAME            KIND          STATUS   MONTHS   DETAIL\n"
           "  ko-b          Kinderopvang B  kinderopvang  late     1 of 1   late 2026-10; first "
           "reported 2026-11-14 09:12\n"
           "  ko-c          Kinderopvang C  kinderopvang  missing  6 of 12  missing 2025-08 to "
           "2025-10, 2026-01, 2026-03 to 2026-04\n");
    done(&r);

    /* Everyone on time. */
    msgpack_packer *pk = begin(&r);
    head(pk, 3);
    kv(pk, "period:s grace_days:i metrics:.", "2026-10", 1LL);
    array(pk, 1);
    map(pk, 8);
    kv(pk, "metric:s label:s expected:i on_time:i late:i missing:i open:i", "vve.plaatsen", "",
       1LL, 1LL, 0LL, 0LL, 0LL);
    kv(pk, "organisations:.");
    array(pk, 1);
    org(pk, "ko-a", "Kinderopvang A", "on_time", 1, 1, NULL, 0, NULL, 0, 1793693100, 1794355200);
    root = finish(&r);
    f = capture(&r);
    expect(&r, f, query_print_completeness(f, root, false, true),
           "Completeness of 2026-10; a month's figures are due 1 day after it ends\n"
           "\n"
           "METRIC        EXPECTED  ON TIME  LATE  MISSING  OPEN\n"
           "vve.plaatsen         1        1     0        0     0\n"
           "\n"
           "no organisation is missing or late\n");
    done(&r);
}

static void test_completeness_csv(void **state)
{
    (void)state;
    reply_t r;
    completeness_reply(begin(&r));
    const msgpack_object *root = finish(&r);
    FILE *f = capture(&r);
    expect(&r, f, query_print_completeness(f, root, true, true),
           "period,metric,organisation,name,kind,status,months_due,months_reported,late_months,"
           "missing_months,first_reported,deadline\n"
           "2026-10,vve.plaatsen,ko-b,Kinderopvang B,kinderopvang,late,1,1,2026-10,,"
           "2026-11-14T08:12:00Z,2026-11-11T00:00:00Z\n"
           "2026-10,vve.plaatsen,ko-c,Kinderopvang C,kinderopvang,missing,12,6,,"
           "2025-08 2025-09 2025-10 2026-01 2026-03 2026-04,,2026-11-11T00:00:00Z\n");
    done(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fmt_value),
        cmocka_unit_test(test_fmt_numbers),
        cmocka_unit_test(test_fmt_time),
        cmocka_unit_test(test_sparkline),
        cmocka_unit_test(test_clean_and_width),
        cmocka_unit_test(test_csv_field),
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_snapshot_text),
        cmocka_unit_test(test_snapshot_by_area_text),
        cmocka_unit_test(test_snapshot_by_reporter_text),
        cmocka_unit_test(test_snapshot_as_of_before_any),
        cmocka_unit_test(test_snapshot_sum_lower),
        cmocka_unit_test(test_snapshot_closer),
        cmocka_unit_test(test_snapshot_csv),
        cmocka_unit_test(test_snapshot_hostile_reply),
        cmocka_unit_test(test_series_text),
        cmocka_unit_test(test_series_csv),
        cmocka_unit_test(test_series_bare),
        cmocka_unit_test(test_completeness_text),
        cmocka_unit_test(test_completeness_missing_only),
        cmocka_unit_test(test_completeness_csv),
    };
    return cmocka_run_group_tests(tests, set_tz, NULL);
}
