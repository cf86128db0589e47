/* Unit tests for client/format.c (numbers, times, sparklines, cleaning, tables)
 * and the printers of client/cmd_query.c, fed replies as proto's typed readers
 * give them, made by hand (NAN stands for an absent number). */
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
#include "mpw.h"
#include "proto.h"
#include "reply_build.h"

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

/* ---- replies, as proto's typed readers give them ----------------------------- */


typedef struct {
    char *text; /* what a printer wrote */
    size_t len;
} capture_t;

static FILE *capture(capture_t *c)
{
    memset(c, 0, sizeof *c);
    FILE *f = open_memstream(&c->text, &c->len);
    assert_non_null(f);
    return f;
}

static void expect(capture_t *c, FILE *f, int rc, const char *want)
{
    assert_int_equal(fclose(f), 0);
    assert_int_equal(rc, 0);
    if (strcmp(c->text, want) != 0)
        fail_msg("output differs\n--- got:\n%s--- wanted:\n%s---", c->text, want);
    free(c->text);
    c->text = NULL;
}

/* An optional number: NAN is absent (0 in *out). */
static bool opt(double v, double *out)
{
    *out = isnan(v) ? 0 : v;
    return !isnan(v);
}

static proto_indicator indicator(const char *code, const char *label, const char *unit,
                                 const char *type, const char *better)
{
    proto_indicator ind;
    memset(&ind, 0, sizeof ind);
    SET(ind.code, code);
    SET(ind.label, label);
    SET(ind.unit, unit);
    SET(ind.type, type);
    SET(ind.better, better);
    return ind;
}

static proto_indicator vve_bereik(void)
{
    return indicator("vve_bereik", "VVE-bereik", "percent", "ratio", "higher");
}

/* A figure (NAN: no value, numerator, denominator), final and plausible. */
static proto_figure figure(double value, double num, double den, const char *reason,
                           long long expected, long long reported)
{
    proto_figure f;
    memset(&f, 0, sizeof f);
    f.has_value = opt(value, &f.value);
    f.has_num = opt(num, &f.numerator);
    f.has_den = opt(den, &f.denominator);
    SET(f.reason, reason);
    f.expected = expected;
    f.reported = reported;
    SET(f.state, "final");
    f.plausible = true;
    return f;
}

/* A snapshot map (computed_at < 0: none, computed for the reply). */
static proto_area_figure snap(const char *area, const char *name, double value, double num,
                              double den, const char *reason, long long expected,
                              long long reported, long long computed_at, long long version)
{
    proto_area_figure a;
    memset(&a, 0, sizeof a);
    SET(a.area, area);
    SET(a.name, name);
    a.fig = figure(value, num, den, reason, expected, reported);
    a.has_computed_at = computed_at >= 0;
    a.computed_at = computed_at < 0 ? 0 : computed_at;
    a.version = version;
    return a;
}

/* A target (NAN: no baseline, no path). */
static proto_target target(const char *area, const char *goal_period, double goal,
                           const char *baseline_period, double baseline, const char *source,
                           double path)
{
    proto_target t;
    memset(&t, 0, sizeof t);
    SET(t.area, area);
    SET(t.goal_period, goal_period);
    t.goal = goal;
    SET(t.baseline_period, baseline_period);
    t.has_baseline = opt(baseline, &t.baseline);
    SET(t.source, source);
    t.with_path = true;
    t.has_path = opt(path, &t.path);
    return t;
}

static proto_target lea_target(double path)
{
    return target("GM0164", "2027", 85.0, "2022", 70.0, "LEA Hengelo 2024-2027, VVE monitor", path);
}

static proto_verdict verdict(const char *word, const char *reason, const char *period)
{
    proto_verdict v;
    memset(&v, 0, sizeof v);
    SET(v.verdict, word);
    SET(v.reason, reason);
    SET(v.period, period);
    return v;
}

/* A snapshot reply without target or breakdown. */
static proto_snapshot_reply snapshot_reply(proto_indicator ind, const char *period,
                                           proto_area_figure top)
{
    proto_snapshot_reply r;
    memset(&r, 0, sizeof r);
    r.ind = ind;
    SET(r.period, period);
    r.snapshot = top;
    return r;
}

/* a with its figure in state (open, provisional, final, closed). */
static proto_area_figure in_state(proto_area_figure a, const char *state)
{
    SET(a.fig.state, state);
    return a;
}

/* r broken down by area into kids. */
static void by_area(proto_snapshot_reply *r, proto_area_figure *kids, size_t n)
{
    r->by = PROTO_BY_AREA;
    r->areas = kids;
    r->n_areas = n;
}

/* r with the LEA target (its path 81.2), the daemon's verdict v, and the child areas kids. */
static void with_areas(proto_snapshot_reply *r, proto_verdict v, proto_area_figure *kids,
                       size_t n)
{
    r->has_target = true;
    r->target = lea_target(81.2);
    r->verdict = v;
    by_area(r, kids, n);
}

/* The bytes of w unpacked into u (initialised here), as the client gets a reply. */
static const msgpack_object *unpack(const mpw *w, msgpack_unpacked *u)
{
    size_t off = 0;
    msgpack_unpacked_init(u);
    assert_int_equal(msgpack_unpack_next(u, mpw_data(w), mpw_size(w), &off),
                     MSGPACK_UNPACK_SUCCESS);
    return &u->data;
}

static proto_reporter_part part(const char *reporter, const char *name, const char *kind,
                                double num, double den, double value)
{
    proto_reporter_part p;
    memset(&p, 0, sizeof p);
    SET(p.reporter, reporter);
    SET(p.name, name);
    SET(p.kind, kind);
    p.has_num = opt(num, &p.numerator);
    p.has_den = opt(den, &p.denominator);
    p.has_value = opt(value, &p.value);
    return p;
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
    capture_t c;
    proto_snapshot_reply r = snapshot_reply(
        vve_bereik(), "2026-10",
        in_state(snap("GM0164", "Hengelo", 78.333333, 47, 60, "", 12, 11, 1793883720, 3),
                 "provisional"));
    r.has_target = true;
    r.target = lea_target(81.2);
    r.verdict = verdict("not_judged", "provisional: 11 of 12 reporters in for 2026-10, before the "
                                      "deadline", "2026-10");
    FILE *f = capture(&c);
    expect(&c, f, query_print_snapshot(f, &r, PROTO_BY_NONE, false),
           "VVE-bereik (vve_bereik), 2026-10\n"
           "\n"
           "AREA    NAME     VALUE    NUMERATOR  DENOMINATOR  REPORTED\n"
           "GM0164  Hengelo  78.3 %*         47           60  11 of 12\n"
           "\n"
           "target:    85.0 % in 2027, from 70.0 % in 2022\n"
           "path:      81.2 % in 2026-10: not judged (provisional: 11 of 12 reporters in for "
           "2026-10)\n"
           "source:    LEA Hengelo 2024-2027, VVE monitor\n"
           "computed:  2026-11-05 14:02, version 3\n"
           "\n"
           "* provisional: 11 of 12 reporters in; final after the deadline\n");

    /* Final after the deadline, with one reporter missing: no mark; REPORTED says it. */
    SET(r.snapshot.fig.state, "final");
    r.verdict = verdict("off_path", "off the path to the goal for 2027", "2026-10");
    f = capture(&c);
    expect(&c, f, query_print_snapshot(f, &r, PROTO_BY_NONE, false),
           "VVE-bereik (vve_bereik), 2026-10\n"
           "\n"
           "AREA    NAME     VALUE   NUMERATOR  DENOMINATOR  REPORTED\n"
           "GM0164  Hengelo  78.3 %         47           60  11 of 12\n"
           "\n"
           "target:    85.0 % in 2027, from 70.0 % in 2022\n"
           "path:      81.2 % in 2026-10: off the path, below it (higher is better)\n"
           "source:    LEA Hengelo 2024-2027, VVE monitor\n"
           "computed:  2026-11-05 14:02, version 3\n");
}

static void test_snapshot_by_area_text(void **state)
{
    (void)state;
    capture_t c;
    proto_area_figure kids[] = {
        snap("WK016401", "Hengelose Es", 90, 36, 40, "", 2, 2, -1, 0),
        snap("WK016402", "Noord", NAN, 7, 0, "denominator is 0", 1, 1, -1, 0),
        in_state(snap("WK016404", "Groot Driene", NAN, NAN, NAN,
                      "no figures for jgz.doelgroep.geindiceerd", 1, 0, -1, 0),
                 "provisional"),
    };
    proto_snapshot_reply r = snapshot_reply(
        vve_bereik(), "2026-10", snap("GM0164", "Hengelo", 86.0, 43, 50, "", 4, 4, 1772000000, 2));
    r.has_as_of = true;
    r.as_of = 1772319600;
    with_areas(&r, verdict("on_path", "on the path to the goal for 2027", "2026-10"), kids, 3);
    FILE *f = capture(&c);
    expect(&c, f, query_print_snapshot(f, &r, PROTO_BY_AREA, false),
           "VVE-bereik (vve_bereik), 2026-10, as of 2026-03-01 00:00\n"
           "\n"
           "AREA      NAME          VALUE   NUMERATOR  DENOMINATOR  REPORTED\n"
           "WK016401  Hengelose Es  90.0 %         36           40  2 of 2\n"
           "WK016402  Noord         – (1)           7            0  1 of 1\n"
           "WK016404  Groot Driene  –* (2)          –            –  0 of 1\n"
           "----------------------------------------------------------------\n"
           "GM0164    Hengelo       86.0 %         43           50  4 of 4\n"
           "\n"
           "target:    85.0 % in 2027, from 70.0 % in 2022\n"
           "path:      81.2 % in 2026-10: on the path (higher is better)\n"
           "source:    LEA Hengelo 2024-2027, VVE monitor\n"
           "computed:  2026-02-25 07:13, version 2\n"
           "\n"
           "* provisional: 0 of 1 reporters in; final after the deadline\n"
           "(1) denominator is 0\n"
           "(2) no figures for jgz.doelgroep.geindiceerd\n");
}

static void test_snapshot_by_reporter_text(void **state)
{
    (void)state;
    capture_t c;
    proto_reporter_part parts[] = {
        part("ko-zonnebloem", "Kinderopvang De Zonnebloem", "kinderopvang", 12.0, NAN, NAN),
        part("ggd-twente", "GGD Twente", "ggd", NAN, 15.0, NAN),
    };
    proto_snapshot_reply r = snapshot_reply(
        vve_bereik(), "2026-10",
        in_state(snap("WK016402", "Noord", NAN, 12, NAN, "no figures for jgz.doelgroep.geindiceerd",
                      2, 1, -1, 0),
                 "open"));
    r.by = PROTO_BY_REPORTER;
    r.parts = parts;
    r.n_parts = 2;
    FILE *f = capture(&c);
    expect(&c, f, query_print_snapshot(f, &r, PROTO_BY_REPORTER, false),
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
           "* open: the period has not ended\n"
           "(1) no figures for jgz.doelgroep.geindiceerd\n");

    /* No organisation has figures: the reader gives an empty breakdown as by area. */
    r.by = PROTO_BY_AREA;
    r.parts = NULL;
    r.n_parts = 0;
    f = capture(&c);
    assert_int_equal(query_print_snapshot(f, &r, PROTO_BY_REPORTER, false), 0);
    assert_int_equal(fclose(f), 0);
    assert_non_null(strstr(c.text, "  1 of 2\n\nno organisation has figures for it\n\ntarget:"));
    free(c.text);
}

/* As of a time before anything was stored. */
static void test_snapshot_as_of_before_any(void **state)
{
    (void)state;
    capture_t c;
    proto_snapshot_reply r = snapshot_reply(
        vve_bereik(), "2026-10",
        snap("GM0164", "Hengelo", NAN, NAN, NAN, "no figure had been computed by then", 0, 0, -1, 0));
    r.has_as_of = true;
    r.as_of = 1772319600;
    FILE *f = capture(&c);
    expect(&c, f, query_print_snapshot(f, &r, PROTO_BY_NONE, false),
           "VVE-bereik (vve_bereik), 2026-10, as of 2026-03-01 00:00\n"
           "\n"
           "AREA    NAME     VALUE  NUMERATOR  DENOMINATOR  REPORTED\n"
           "GM0164  Hengelo  – (1)          –            –  0 of 0\n"
           "\n"
           "target:    none; higher is better\n"
           "computed:  not by then\n"
           "\n"
           "(1) no figure had been computed by then\n");
}

/* A sum has no numerator or denominator columns; lower is better. */
static void test_snapshot_sum_lower(void **state)
{
    (void)state;
    capture_t c;
    proto_snapshot_reply r = snapshot_reply(
        indicator("thuiszitters", "Thuiszitters", "count", "sum", "lower"), "2026",
        snap("GM0164", "Hengelo", 14, 14, NAN, "", 1, 1, 1793883720, 1));
    r.has_target = true;
    r.target = target("GM0164", "2027", 10.0, "", NAN, "LEA Hengelo: minder dan 10", 11.5);
    r.verdict = verdict("off_path", "off the path to the goal for 2027", "2026");
    FILE *f = capture(&c);
    expect(&c, f, query_print_snapshot(f, &r, PROTO_BY_NONE, false),
           "Thuiszitters (thuiszitters), 2026\n"
           "\n"
           "AREA    NAME     VALUE  REPORTED\n"
           "GM0164  Hengelo  14     1 of 1\n"
           "\n"
           "target:    10 in 2027\n"
           "path:      11.5 in 2026: off the path, above it (lower is better)\n"
           "source:    LEA Hengelo: minder dan 10\n"
           "computed:  2026-11-05 14:02, version 1\n");
}

/* better = closer: judged by the distance to the ideal. */
static void test_snapshot_closer(void **state)
{
    (void)state;
    capture_t c;
    proto_indicator ind = indicator("vve_doelgroep_aandeel", "Aandeel doelgroeppeuters",
                                    "percent", "ratio", "closer");
    ind.has_ideal = true;
    ind.ideal = 50.0;
    proto_snapshot_reply r = snapshot_reply(ind, "2026-10",
                                            snap("WK016402", "Noord", 58.0, 29, 50, "", 3, 3, -1, 0));
    r.has_target = true;
    r.target = target("GM0164", "2027", 50.0, "", NAN, "", 54.0);
    r.verdict = verdict("off_path", "off the path to the goal for 2027", "2026-10");
    FILE *f = capture(&c);
    expect(&c, f, query_print_snapshot(f, &r, PROTO_BY_NONE, false),
           "Aandeel doelgroeppeuters (vve_doelgroep_aandeel), 2026-10\n"
           "\n"
           "AREA      NAME   VALUE   NUMERATOR  DENOMINATOR  REPORTED\n"
           "WK016402  Noord  58.0 %         29           50  3 of 3\n"
           "\n"
           "target:    50.0 % in 2027; set for GM0164\n"
           "path:      54.0 % in 2026-10: off the path, further from the ideal (closer to "
           "50.0 % is better)\n"
           "computed:  now (no stored snapshot yet)\n");
}

static void test_snapshot_csv(void **state)
{
    (void)state;
    capture_t c;
    proto_area_figure kids[] = {
        snap("WK016402", "Noord, \"oud\"", NAN, 7, 0, "denominator is 0", 1, 1, -1, 0)};
    proto_snapshot_reply r = snapshot_reply(
        vve_bereik(), "2026-10", snap("GM0164", "Hengelo", 78.333333, 47, 60, "", 12, 11, 1793883720, 3));
    with_areas(&r, verdict("off_path", "off the path to the goal for 2027", "2026-10"), kids, 1);
    FILE *f = capture(&c);
    expect(&c, f, query_print_snapshot(f, &r, PROTO_BY_AREA, true),
           "indicator,period,area,name,value,unit,numerator,denominator,expected,reported,"
           "reason,computed_at,version,goal,goal_period,path,on_path,verdict,state,plausible\n"
           "vve_bereik,2026-10,WK016402,\"Noord, \"\"oud\"\"\",,percent,7,0,1,1,"
           "denominator is 0,,,,,,,,final,yes\n"
           "vve_bereik,2026-10,GM0164,Hengelo,78.333333,percent,47,60,12,11,,"
           "2026-11-05T13:02:00Z,3,85,2027,81.2,no,off_path,final,yes\n");

    /* By reporter: one row per organisation. */
    proto_reporter_part parts[] = {part("ko-a", "Kinderopvang A", "kinderopvang", 12.0, NAN, NAN)};
    r = snapshot_reply(vve_bereik(), "2026-10",
                       snap("GM0164", "Hengelo", 78.4, 47, 60, "", 12, 11, -1, 0));
    r.by = PROTO_BY_REPORTER;
    r.parts = parts;
    r.n_parts = 1;
    f = capture(&c);
    expect(&c, f, query_print_snapshot(f, &r, PROTO_BY_REPORTER, true),
           "indicator,period,area,reporter,name,kind,value,unit,numerator,denominator\n"
           "vve_bereik,2026-10,GM0164,ko-a,Kinderopvang A,kinderopvang,,percent,12,\n");
}

/* Figures that are not final are marked '*', one that cannot be true '!', each with its
 * note under the table; provisional rows with different counts point at REPORTED. */
static void test_snapshot_markers(void **state)
{
    (void)state;
    capture_t c;
    proto_area_figure kids[] = {
        snap("WK016401", "Hengelose Es", 108.0, 27, 25, "", 2, 2, -1, 0),
        in_state(snap("WK016402", "Noord", 64.0, 32, 50, "", 4, 2, -1, 0), "provisional"),
        in_state(snap("WK016404", "Groot Driene", 50.0, 5, 10, "", 3, 1, -1, 0), "provisional"),
        in_state(snap("WK016405", "Berflo Es", 80.0, 8, 10, "", 2, 2, -1, 0), "closed"),
    };
    kids[0].fig.plausible = false;
    proto_snapshot_reply r = snapshot_reply(
        vve_bereik(), "2026-10",
        in_state(snap("GM0164", "Hengelo", NAN, NAN, NAN, "", 11, 5, -1, 0), "open"));
    by_area(&r, kids, 4);
    FILE *f = capture(&c);
    expect(&c, f, query_print_snapshot(f, &r, PROTO_BY_AREA, false),
           "VVE-bereik (vve_bereik), 2026-10\n"
           "\n"
           "AREA      NAME          VALUE      NUMERATOR  DENOMINATOR  REPORTED\n"
           "WK016401  Hengelose Es  108.0 % !         27           25  2 of 2\n"
           "WK016402  Noord         64.0 %*           32           50  2 of 4\n"
           "WK016404  Groot Driene  50.0 %*            5           10  1 of 3\n"
           "WK016405  Berflo Es     80.0 %             8           10  2 of 2\n"
           "-------------------------------------------------------------------\n"
           "GM0164    Hengelo       –*                 –            –  5 of 11\n"
           "\n"
           "target:    none; higher is better\n"
           "computed:  now (no stored snapshot yet)\n"
           "\n"
           "* provisional: not every expected reporter is in (see REPORTED); final after the "
           "deadline\n"
           "* open: the period has not ended\n"
           "! cannot be true: a check of the catalogue failed\n");

    /* In CSV: the state and whether it can be true, as columns. */
    f = capture(&c);
    assert_int_equal(query_print_snapshot(f, &r, PROTO_BY_AREA, true), 0);
    assert_int_equal(fclose(f), 0);
    assert_non_null(strstr(c.text, "\nvve_bereik,2026-10,WK016401,Hengelose Es,108,percent,27,25,"
                                   "2,2,,,,,,,,,final,no\n"));
    assert_non_null(strstr(c.text, ",,,,,,,,,provisional,yes\n"));
    assert_non_null(strstr(c.text, ",,,,,,,,,closed,yes\n"));
    assert_non_null(strstr(c.text, "\nvve_bereik,2026-10,GM0164,Hengelo,,percent,,,11,5,,,,,,,,,"
                                   "open,yes\n"));
    free(c.text);
}

/* The verdict is the daemon's, shown where it belongs: one on the goal on the target line
 * (with the goal period when it judged that one), one on the path on the path line, and
 * why there is none shortly, on the path line or without a path on the target line. */
static void test_snapshot_verdicts(void **state)
{
    (void)state;
    capture_t c;
    proto_snapshot_reply r = snapshot_reply(
        indicator("rijke_schooldag", "Rijke schooldag", "count", "sum", "higher"), "2026-10",
        snap("GM0164", "Hengelo", 1059, 1059, NAN, "", 6, 6, -1, 0));
    r.has_target = true;
    r.target = target("GM0164", "2025", 1250, "", NAN, "", 1250);
    r.verdict = verdict("not_reached", "not reached the goal for 2025", "2025");
    FILE *f = capture(&c);
    assert_int_equal(query_print_snapshot(f, &r, PROTO_BY_NONE, false), 0);
    assert_int_equal(fclose(f), 0);
    assert_non_null(strstr(c.text, "\ntarget:    1250 in 2025 (not reached in 2025)\n"
                                   "path:      1250 in 2026-10\n"));
    free(c.text);

    SET(r.period, "2025");
    r.verdict = verdict("reached", "reached the goal for 2025", "2025");
    f = capture(&c);
    assert_int_equal(query_print_snapshot(f, &r, PROTO_BY_NONE, false), 0);
    assert_int_equal(fclose(f), 0);
    assert_non_null(strstr(c.text, "\ntarget:    1250 in 2025 (reached)\n"));
    free(c.text);

    r.verdict = verdict("not_judged", "provisional: 2 of 4 reporters in for 2025, before the "
                                      "deadline", "2025");
    f = capture(&c);
    assert_int_equal(query_print_snapshot(f, &r, PROTO_BY_NONE, false), 0);
    assert_int_equal(fclose(f), 0);
    assert_non_null(strstr(c.text, "\ntarget:    1250 in 2025\npath:      1250 in 2025: not "
                                   "judged (provisional: 2 of 4 reporters in for 2025)\n"));
    free(c.text);

    r.target.has_path = false;
    r.verdict = verdict("not_judged", "the target is set per year; 2025-10 is a month", "2025-10");
    f = capture(&c);
    assert_int_equal(query_print_snapshot(f, &r, PROTO_BY_NONE, true), 0);
    assert_int_equal(query_print_snapshot(f, &r, PROTO_BY_NONE, false), 0);
    assert_int_equal(fclose(f), 0);
    assert_non_null(strstr(c.text, ",1250,2025,,,not_judged,final,yes\n"));
    assert_non_null(strstr(c.text, "\ntarget:    1250 in 2025 (not judged: the target is set "
                                   "per year)\ncomputed:"));
    free(c.text);
}

/* What comes off the wire goes through proto's reader first: control characters in its
 * texts are gone before a printer sees them, and a reply of the wrong shape is refused. */
static void test_snapshot_from_the_wire(void **state)
{
    (void)state;
    proto_snapshot_reply sent = snapshot_reply(
        vve_bereik(), "2026-10",
        snap("GM0164", "\x1b]0;pwned\x07Hengelo", 78.4, 47, 60, "", 12, 11, -1, 0));
    sent.verdict = (proto_verdict){.verdict = "not_judged"};
    mpw w;
    mpw_init(&w);
    proto_snapshot_reply_write(&w, "r1", &sent);
    assert_true(mpw_ok(&w));
    msgpack_unpacked u;
    proto_snapshot_reply got;
    lm_error e;
    assert_int_equal(proto_snapshot_reply_read(unpack(&w, &u), &got, &e), 0);
    capture_t c;
    FILE *f = capture(&c);
    for (int csv = 0; csv <= 1; csv++)
        assert_int_equal(query_print_snapshot(f, &got, PROTO_BY_NONE, csv), 0);
    assert_int_equal(fclose(f), 0);
    assert_null(strchr(c.text, '\x1b'));
    assert_null(strchr(c.text, '\x07'));
    assert_non_null(strstr(c.text, "?]0;pwned?Hengelo"));
    free(c.text);
    proto_snapshot_reply_free(&got);

    /* The snapshot map as a string: refused, not printed with blanks. */
    mpw_reset(&w);
    mpw_map(&w);
    mpw_kv_int(&w, "v", 1);
    mpw_kv_str(&w, "id", "r1");
    mpw_kv_int(&w, "status", 200);
    mpw_key(&w, "indicator");
    proto_indicator_write(&w, &sent.ind);
    mpw_kv_str(&w, "period", "2026-10");
    mpw_kv_str(&w, "snapshot", "none");
    mpw_end(&w);
    msgpack_unpacked_destroy(&u);
    assert_int_equal(proto_snapshot_reply_read(unpack(&w, &u), &got, &e), -1);
    assert_non_null(strstr(e.msg, "malformed reply"));
    msgpack_unpacked_destroy(&u);
    mpw_free(&w);
}

/* ---- series ------------------------------------------------------------------ */

static proto_series_point point(const char *period, double value, double num, double den,
                                const char *reason, long long expected, long long reported,
                                double path, const char *verdict_word)
{
    proto_series_point p;
    memset(&p, 0, sizeof p);
    SET(p.period, period);
    SET(p.verdict, verdict_word);
    p.fig = figure(value, num, den, reason, expected, reported);
    p.has_path = opt(path, &p.path);
    return p;
}

/* VVE-bereik of Hengelo, four months; points holds them. */
static proto_series_reply series_reply(proto_series_point *points)
{
    points[0] = point("2026-07", 76.0, 38, 50, "", 12, 12, 80.6, "off_path");
    points[1] = point("2026-08", NAN, 0, NAN, "no figures for jgz.doelgroep.geindiceerd", 12, 11,
                      80.8, "not_judged");
    points[2] = point("2026-09", 82.0, 49, 60, "", 12, 12, 81.0, "on_path");
    points[3] = point("2026-10", 82.0, 41, 50, "", 12, 11, 81.2, "not_judged");
    SET(points[3].fig.state, "provisional");
    proto_series_reply r;
    memset(&r, 0, sizeof r);
    r.ind = vve_bereik();
    SET(r.area, "GM0164");
    SET(r.name, "Hengelo");
    r.has_target = true;
    r.target = target("GM0164", "2027", 85.0, "2022", 70.0, "LEA Hengelo", NAN);
    r.target.with_path = false;
    r.points = points;
    r.n_points = 4;
    return r;
}

static void test_series_text(void **state)
{
    (void)state;
    capture_t c;
    proto_series_point points[4];
    proto_series_reply r = series_reply(points);
    FILE *f = capture(&c);
    expect(&c, f, query_print_series(f, &r, false),
           "VVE-bereik (vve_bereik), Hengelo (GM0164), 2026-07 to 2026-10\n"
           "target:  85.0 % in 2027, from 70.0 % in 2022\n"
           "source:  LEA Hengelo\n"
           "\n"
           "PERIOD   VALUE    NUMERATOR  DENOMINATOR  REPORTED  PATH    VERDICT\n"
           "2026-07  76.0 %          38           50  12 of 12  80.6 %  off the path\n"
           "2026-08  – (1)            0            –  11 of 12  80.8 %  not judged\n"
           "2026-09  82.0 %          49           60  12 of 12  81.0 %  on the path\n"
           "2026-10  82.0 %*         41           50  11 of 12  81.2 %  not judged\n"
           "\n"
           "trend:   ▁ ██  (76.0 % to 82.0 %)\n"
           "\n"
           "* provisional: 11 of 12 reporters in; final after the deadline\n"
           "(1) no figures for jgz.doelgroep.geindiceerd\n");
}

static void test_series_csv(void **state)
{
    (void)state;
    capture_t c;
    proto_series_point points[4];
    proto_series_reply r = series_reply(points);
    FILE *f = capture(&c);
    expect(&c, f, query_print_series(f, &r, true),
           "indicator,area,period,value,unit,numerator,denominator,expected,reported,reason,"
           "path,on_path,verdict,state,plausible\n"
           "vve_bereik,GM0164,2026-07,76,percent,38,50,12,12,,80.6,no,off_path,final,yes\n"
           "vve_bereik,GM0164,2026-08,,percent,0,,12,11,"
           "no figures for jgz.doelgroep.geindiceerd,80.8,,not_judged,final,yes\n"
           "vve_bereik,GM0164,2026-09,82,percent,49,60,12,12,,81,yes,on_path,final,yes\n"
           "vve_bereik,GM0164,2026-10,82,percent,41,50,12,11,,81.2,,not_judged,provisional,yes\n");
}

/* No target, no paths: no PATH columns; no points at all. */
static void test_series_bare(void **state)
{
    (void)state;
    capture_t c;
    proto_series_point points[3] = {
        point("2026-Q1", 3, 3, NAN, "", 2, 2, NAN, ""),
        point("2026-Q2", 3, 3, NAN, "", 2, 2, NAN, ""),
        point("2026-Q3", 3, 3, NAN, "", 2, 2, NAN, ""),
    };
    proto_series_reply r;
    memset(&r, 0, sizeof r);
    r.ind = indicator("vve_wachtlijst", "Wachtlijst", "count", "sum", "lower");
    SET(r.area, "WK016402");
    SET(r.name, "Noord");
    r.points = points;
    r.n_points = 3;
    FILE *f = capture(&c);
    expect(&c, f, query_print_series(f, &r, false),
           "Wachtlijst (vve_wachtlijst), Noord (WK016402), 2026-Q1 to 2026-Q3\n"
           "\n"
           "PERIOD   VALUE  REPORTED\n"
           "2026-Q1  3      2 of 2\n"
           "2026-Q2  3      2 of 2\n"
           "2026-Q3  3      2 of 2\n"
           "\n"
           "trend:   ▄▄▄  (all 3)\n");

    /* Judged against a target without a path: a VERDICT column, no PATH. */
    SET(points[1].verdict, "reached");
    SET(points[2].verdict, "not_judged");
    r.has_target = true;
    r.target = target("WK016402", "2026-Q2", 3, "", NAN, "", NAN);
    r.target.with_path = false;
    f = capture(&c);
    expect(&c, f, query_print_series(f, &r, false),
           "Wachtlijst (vve_wachtlijst), Noord (WK016402), 2026-Q1 to 2026-Q3\n"
           "target:  3 in 2026-Q2\n"
           "\n"
           "PERIOD   VALUE  REPORTED  VERDICT\n"
           "2026-Q1  3      2 of 2\n"
           "2026-Q2  3      2 of 2    reached\n"
           "2026-Q3  3      2 of 2    not judged\n"
           "\n"
           "trend:   ▄▄▄  (all 3)\n");

    r.has_target = false;
    r.ind.label[0] = '\0';
    r.name[0] = '\0';
    r.n_points = 0;
    f = capture(&c);
    expect(&c, f, query_print_series(f, &r, false),
           "vve_wachtlijst, WK016402 (WK016402)\n"
           "\n"
           "no periods\n");
}

/* ---- completeness -------------------------------------------------------------- */

static proto_compl_org org(const char *id, const char *name, const char *status, long long due,
                           long long got, const char *const *late, size_t nlate,
                           const char *const *missing, size_t nmissing, long long first,
                           long long deadline)
{
    proto_compl_org o;
    memset(&o, 0, sizeof o);
    SET(o.id, id);
    SET(o.name, name);
    SET(o.kind, "kinderopvang");
    SET(o.status, status);
    o.months_due = due;
    o.months_reported = got;
    for (size_t i = 0; i < nlate; i++)
        SET(o.late_months[i], late[i]);
    o.n_late = nlate;
    for (size_t i = 0; i < nmissing; i++)
        SET(o.missing_months[i], missing[i]);
    o.n_missing = nmissing;
    o.has_first = first >= 0;
    o.first_reported = first < 0 ? 0 : first;
    o.deadline = deadline;
    return o;
}

static proto_compl_metric compl_metric(const char *metric, const char *label, long long expected,
                                       long long on_time, long long late, long long missing,
                                       long long open, proto_compl_org *orgs, size_t n)
{
    proto_compl_metric m;
    memset(&m, 0, sizeof m);
    SET(m.metric, metric);
    SET(m.label, label);
    m.expected = expected;
    m.on_time = on_time;
    m.late = late;
    m.missing = missing;
    m.open = open;
    m.orgs = orgs;
    m.n_orgs = n;
    return m;
}

/* Two metrics of October 2026, and the organisations they list. */
typedef struct {
    proto_compl_org orgs[5];
    proto_compl_metric metrics[2];
    proto_completeness_reply r;
} compl_fixture;

static void completeness_reply(compl_fixture *x)
{
    static const char *const oct[] = {"2026-10"};
    static const char *const months[] = {"2025-08", "2025-09", "2025-10", "2026-01", "2026-03",
                                         "2026-04"};
    proto_compl_org *orgs = x->orgs;
    orgs[0] = org("ko-a", "Kinderopvang A", "on_time", 1, 1, NULL, 0, NULL, 0, 1793693100,
                  1794355200);
    orgs[1] = org("ko-b", "Kinderopvang B", "late", 1, 1, oct, 1, NULL, 0, 1794643920, 1794355200);
    orgs[2] = org("ko-c", "Kinderopvang C", "missing", 12, 6, NULL, 0, months, 6, -1, 1794355200);
    orgs[3] = org("ko-d", "Kinderopvang D", "open", 1, 0, NULL, 0, NULL, 0, -1, 1794355200);
    orgs[4] = orgs[0];
    x->metrics[0] = compl_metric("vve.plaatsen", "Beschikbare VE-plaatsen", 4, 1, 1, 1, 1, orgs, 4);
    x->metrics[1] = compl_metric("vve.wachtlijst", "Geindiceerde peuters op de wachtlijst", 1, 1,
                                 0, 0, 0, orgs + 4, 1);
    memset(&x->r, 0, sizeof x->r);
    SET(x->r.period, "2026-10");
    x->r.grace_days = 10;
    x->r.metrics = x->metrics;
    x->r.n_metrics = 2;
}

static void test_completeness_text(void **state)
{
    (void)state;
    capture_t c;
    compl_fixture x;
    completeness_reply(&x);
    FILE *f = capture(&c);
    expect(&c, f, query_print_completeness(f, &x.r, false, false),
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
}

static void test_completeness_missing_only(void **state)
{
    (void)state;
    capture_t c;
    compl_fixture x;
    completeness_reply(&x);
    FILE *f = capture(&c);
    expect(&c, f, query_print_completeness(f, &x.r, false, true),
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

    /* Everyone on time. */
    x.metrics[0] = compl_metric("vve.plaatsen", "", 1, 1, 0, 0, 0, x.orgs, 1);
    x.r.n_metrics = 1;
    x.r.grace_days = 1;
    f = capture(&c);
    expect(&c, f, query_print_completeness(f, &x.r, false, true),
           "Completeness of 2026-10; a month's figures are due 1 day after it ends\n"
           "\n"
           "METRIC        EXPECTED  ON TIME  LATE  MISSING  OPEN\n"
           "vve.plaatsen         1        1     0        0     0\n"
           "\n"
           "no organisation is missing or late\n");
}

static void test_completeness_csv(void **state)
{
    (void)state;
    capture_t c;
    compl_fixture x;
    completeness_reply(&x);
    FILE *f = capture(&c);
    expect(&c, f, query_print_completeness(f, &x.r, true, true),
           "period,metric,organisation,name,kind,status,months_due,months_reported,late_months,"
           "missing_months,first_reported,deadline\n"
           "2026-10,vve.plaatsen,ko-b,Kinderopvang B,kinderopvang,late,1,1,2026-10,,"
           "2026-11-14T08:12:00Z,2026-11-11T00:00:00Z\n"
           "2026-10,vve.plaatsen,ko-c,Kinderopvang C,kinderopvang,missing,12,6,,"
           "2025-08 2025-09 2025-10 2026-01 2026-03 2026-04,,2026-11-11T00:00:00Z\n");
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
        cmocka_unit_test(test_snapshot_markers),
        cmocka_unit_test(test_snapshot_verdicts),
        cmocka_unit_test(test_snapshot_from_the_wire),
        cmocka_unit_test(test_series_text),
        cmocka_unit_test(test_series_csv),
        cmocka_unit_test(test_series_bare),
        cmocka_unit_test(test_completeness_text),
        cmocka_unit_test(test_completeness_missing_only),
        cmocka_unit_test(test_completeness_csv),
    };
    return cmocka_run_group_tests(tests, set_tz, NULL);
}
