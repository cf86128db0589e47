/* Unit tests for daemon/catalog.c, daemon/conf.c and daemon/config.c: the metric
 * catalogue, located config errors ("FILE:LINE: SETTING: message"), leamond.conf
 * settings and loading the registry they name. Bad files are written to a temp dir. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <sys/stat.h>

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alert_eval.h"
#include "catalog.h"
#include "checks.h"
#include "rules.h"
#include "conf.h"
#include "config.h"
#include "testutil.h"

#define CATALOG_CONF "config/catalog.conf"
#define PARTNERS_CONF "config/partners-hengelo.conf"
#define TP 256 /* room for a path in the temp dir */

/* ---- kinds and roll-ups -------------------------------------------------- */

static void test_kind_names(void **state)
{
    static const char *const names[KIND_COUNT] = {
        "kinderopvang", "ggd", "school_po", "school_so", "school_vo", "mbo", "rbl", "gemeente"};
    (void)state;
    for (int k = 0; k < KIND_COUNT; k++) {
        org_kind out = KIND_COUNT;
        assert_string_equal(kind_name((org_kind)k), names[k]);
        assert_int_equal(kind_parse(names[k], &out), 0);
        assert_int_equal(out, k);
    }
    assert_string_equal(kind_name(KIND_COUNT), "?");
    assert_string_equal(kind_name((org_kind)-1), "?");
    static const char *const bad[] = {"", "GGD", "school", "school_po ", "?", "gemeenten"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        org_kind out = KIND_COUNT;
        assert_int_equal(kind_parse(bad[i], &out), -1);
        assert_int_equal(out, KIND_COUNT);
    }
    assert_string_equal(rollup_name(ROLLUP_LAST), "last");
    assert_string_equal(rollup_name(ROLLUP_SUM), "sum");
    assert_string_equal(rollup_name(ROLLUP_AVG), "avg");
    assert_string_equal(rollup_name((rollup)3), "?");
    assert_string_equal(rollup_name((rollup)-1), "?");
}

/* ---- the shipped catalogue ----------------------------------------------- */

#define K(k) (1u << KIND_##k)

static void test_catalog_shipped(void **state)
{
    static const struct {
        const char *code, *unit;
        rollup time;
        unsigned kinds;
        double min, max;
        bool integer;
    } want[] = {
        {"vve.peuters.geplaatst", "count", ROLLUP_LAST, K(KINDEROPVANG), 0, 1000, true},
        {"vve.uren.per_week", "hours", ROLLUP_AVG, K(KINDEROPVANG), 0, 40, false},
        {"vve.uitstroom", "count", ROLLUP_SUM, K(KINDEROPVANG), 0, 1000, true},
        {"jgz.doelgroep.geindiceerd", "count", ROLLUP_LAST, K(GGD), 0, 100000, true},
        {"jgz.indicaties.nieuw", "count", ROLLUP_SUM, K(GGD), 0, 100000, true},
        {"school.leerlingen", "count", ROLLUP_LAST,
         K(SCHOOL_PO) | K(SCHOOL_SO) | K(SCHOOL_VO) | K(MBO), 0, 50000, true},
        {"school.zomerschool", "count", ROLLUP_SUM, K(SCHOOL_PO) | K(SCHOOL_VO), 0, 50000, true},
        {"school.vsv", "count", ROLLUP_SUM, K(SCHOOL_VO) | K(MBO), 0, 50000, true},
        {"rbl.thuiszitters", "count", ROLLUP_LAST, K(RBL), 0, 1000000, true},
        {"rbl.vsv", "count", ROLLUP_SUM, K(RBL), 0, 1000000, true},
        {"gemeente.peuters", "count", ROLLUP_LAST, K(GEMEENTE), 0, 1000000, true},
    };
    catalog cat;
    lm_error err;
    (void)state;
    if (catalog_load(&cat, CATALOG_CONF, &err) != 0)
        fail_msg("%s", err.msg);
    assert_int_equal(cat.n_metrics, 21);
    assert_int_equal(cat.first.kind, PERIOD_MONTH);
    assert_int_equal(cat.first.year, 2020);
    assert_int_equal(cat.first.index, 1);
    for (size_t i = 0; i < cat.n_metrics; i++) {
        const metric *m = &cat.metrics[i];
        if (i)
            assert_true(strcmp(cat.metrics[i - 1].code, m->code) < 0); /* sorted, unique */
        assert_ptr_equal(catalog_metric(&cat, m->code), m);
        assert_true(m->label[0] != '\0');
        assert_true(m->kinds != 0 && m->kinds < (1u << KIND_COUNT));
        assert_true(m->min <= m->max);
        assert_int_equal(m->integer, strcmp(m->unit, "count") == 0);
    }
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const metric *m = catalog_metric(&cat, want[i].code);
        if (!m)
            fail_msg("%s not found", want[i].code);
        assert_string_equal(m->unit, want[i].unit);
        assert_int_equal(m->time, want[i].time);
        assert_int_equal(m->kinds, want[i].kinds);
        assert_true(m->min == want[i].min);
        assert_true(m->max == want[i].max);
        assert_int_equal(m->integer, want[i].integer);
    }
    assert_string_equal(catalog_metric(&cat, "vve.uren.per_week")->label,
                        "Uren VE per week aangeboden aan een doelgroeppeuter");
    static const char *const unknown[] = {
        "", "vve", "VVE.PLAATSEN", "vve.plaatsen ", " vve.plaatsen", "vve.plaatsenx",
        "zzz", "aaa",
        "vve.plaatsen.vve.plaatsen.vve.plaatsen.vve.plaatsen.vve.plaatsen.vve.plaatsen"};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
        assert_null(catalog_metric(&cat, unknown[i]));
    catalog_free(&cat);
    assert_null(cat.metrics);
    assert_int_equal(cat.n_metrics, 0);
    /* A freed (empty) catalogue finds nothing. */
    assert_null(catalog_metric(&cat, "vve.plaatsen"));
}

#define GOOD(code) \
    "  { code = \"" code "\"; label = \"L\"; unit = \"count\"; time = \"last\"; " \
    "kinds = [\"ggd\"]; min = 0; max = 10; }"

static void test_catalog_fixture(void **state)
{
    char path[TP];
    lm_error err;
    catalog cat;
    (void)state;
    write_file("good.conf",
               "first_period = \"2023-08\";\n"
               "metrics = (\n"
               "  { code = \"z.last\"; label = \"Z\"; unit = \"percent\"; time = \"sum\";\n"
               "    kinds = (\"rbl\", \"mbo\"); min = -5.5; max = 100; },\n"
               "  { code = \"a_1-B.c\"; label = \"A\"; unit = \"count\"; time = \"avg\";\n"
               "    kinds = [\"gemeente\", \"ggd\", \"ggd\"]; min = 3; max = 3;"
               " integer = false; },\n"
               "  { code = \"m\"; label = \"M\"; unit = \"euro\"; time = \"last\";\n"
               "    kinds = [\"school_so\"]; min = 0; max = 9999999999L; integer = true; }\n"
               ");\n",
               path, sizeof path);
    if (catalog_load(&cat, path, &err) != 0)
        fail_msg("%s", err.msg);
    assert_int_equal(cat.first.year, 2023);
    assert_int_equal(cat.first.index, 8);
    assert_int_equal(cat.n_metrics, 3);
    assert_string_equal(cat.metrics[0].code, "a_1-B.c");
    assert_string_equal(cat.metrics[1].code, "m");
    assert_string_equal(cat.metrics[2].code, "z.last");
    const metric *a = catalog_metric(&cat, "a_1-B.c"), *m = catalog_metric(&cat, "m"),
                 *z = catalog_metric(&cat, "z.last");
    assert_non_null(a);
    assert_non_null(m);
    assert_non_null(z);
    assert_int_equal(a->kinds, K(GEMEENTE) | K(GGD));
    assert_int_equal(a->time, ROLLUP_AVG);
    assert_false(a->integer); /* count, but said otherwise */
    assert_true(a->min == 3 && a->max == 3);
    assert_true(m->integer); /* euro, but said otherwise */
    assert_true(m->max == 9999999999.0);
    assert_int_equal(z->kinds, K(RBL) | K(MBO));
    assert_false(z->integer);
    assert_true(z->min == -5.5 && z->max == 100);
    assert_string_equal(z->unit, "percent");
    catalog_free(&cat);
}

static void test_catalog_bad_metric(void **state)
{
    /* The case's metric is metrics.[2], on line 5. */
    static const struct { const char *metric, *setting, *message; } cases[] = {
        {"{ code = \"c\"; label = \"L\"; unit = \"count\"; time = \"weekly\"; kinds = [\"ggd\"];"
         " min = 0; max = 10; }",
         "metrics.[2].time", "'weekly' is not one of last, sum, avg"},
        {"{ code = \"c\"; label = \"L\"; unit = \"litre\"; time = \"last\"; kinds = [\"ggd\"];"
         " min = 0; max = 10; }",
         "metrics.[2].unit", "'litre' is not one of count, hours, percent, euro"},
        {"{ code = \"c\"; label = \"L\"; unit = \"count\"; time = \"last\"; kinds = [\"ggd\", "
         "\"school\"]; min = 0; max = 10; }",
         "metrics.[2].kinds.[1]", "'school' is not a partner kind (kinderopvang, ggd"},
        {"{ code = \"c\"; label = \"L\"; unit = \"count\"; time = \"last\"; kinds = [];"
         " min = 0; max = 10; }",
         "metrics.[2].kinds", "names no partner kind"},
        {"{ code = \"c\"; label = \"L\"; unit = \"count\"; time = \"last\"; kinds = \"ggd\";"
         " min = 0; max = 10; }",
         "metrics.[2].kinds", "must be a list of strings"},
        {"{ code = \"c\"; label = \"L\"; unit = \"count\"; time = \"last\"; kinds = [1];"
         " min = 0; max = 10; }",
         "metrics.[2].kinds.[0]", "must be a string in double quotes"},
        {"{ code = \"bad code\"; label = \"L\"; unit = \"count\"; time = \"last\";"
         " kinds = [\"ggd\"]; min = 0; max = 10; }",
         "metrics.[2].code", "'bad code' is not a code (letters, digits, '.', '_', '-')"},
        {"{ code = \"a/b\"; label = \"L\"; unit = \"count\"; time = \"last\";"
         " kinds = [\"ggd\"]; min = 0; max = 10; }",
         "metrics.[2].code", "'a/b' is not a code"},
        {"{ code = \"\"; label = \"L\"; unit = \"count\"; time = \"last\";"
         " kinds = [\"ggd\"]; min = 0; max = 10; }",
         "metrics.[2].code", "'' is not a code"},
        {"{ code = \"cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc\";"
         " label = \"L\"; unit = \"count\"; time = \"last\"; kinds = [\"ggd\"]; min = 0;"
         " max = 10; }",
         "metrics.[2].code", "longer than 64 characters"},
        {"{ code = \"a\"; label = \"L\"; unit = \"count\"; time = \"last\"; kinds = [\"ggd\"];"
         " min = 0; max = 10; }",
         "metrics.[2]", "metric 'a' is defined twice"},
        {"{ code = \"c\"; label = \"L\"; unit = \"count\"; time = \"last\"; kinds = [\"ggd\"];"
         " min = 10; max = 0; }",
         "metrics.[2].max", "max must be a finite number not below min"},
        {"{ code = \"c\"; label = \"L\"; unit = \"hours\"; time = \"last\"; kinds = [\"ggd\"];"
         " min = 0.5; max = 0.25; }",
         "metrics.[2].max", "max must be a finite number not below min"},
        {"{ code = \"c\"; label = \"L\"; unit = \"count\"; time = \"last\"; kinds = [\"ggd\"];"
         " min = \"0\"; max = 10; }",
         "metrics.[2].min", "must be a number"},
        {"{ code = \"c\"; label = \"L\"; unit = \"count\"; time = \"last\"; kinds = [\"ggd\"];"
         " min = 0; }",
         "metrics.[2]", "'max' is missing"},
        {"{ code = \"c\"; unit = \"count\"; time = \"last\"; kinds = [\"ggd\"]; min = 0;"
         " max = 1; }",
         "metrics.[2]", "'label' is missing"},
        {"{ code = \"c\"; label = \"L\"; unit = \"count\"; time = \"last\"; min = 0; max = 1; }",
         "metrics.[2]", "'kinds' is missing"},
        {"{ label = \"L\"; unit = \"count\"; time = \"last\"; kinds = [\"ggd\"]; min = 0;"
         " max = 1; }",
         "metrics.[2]", "'code' is missing"},
        {"{ code = \"c\"; label = \"L\"; unit = \"count\"; time = \"last\"; kinds = [\"ggd\"];"
         " min = 0; max = 10; colour = \"red\"; }",
         "metrics.[2].colour", "unknown setting (a typo?)"},
        {"{ code = \"c\"; label = \"L\"; unit = \"count\"; time = \"last\"; kinds = [\"ggd\"];"
         " min = 0; max = 10; integer = \"yes\"; }",
         "metrics.[2].integer", "must be true or false"},
        {"{ code = \"c\"; label = 5; unit = \"count\"; time = \"last\"; kinds = [\"ggd\"];"
         " min = 0; max = 10; }",
         "metrics.[2].label", "must be a string in double quotes"},
        {"{ code = \"c\"; label = \"L\"; unit = \"count\"; time = 1; kinds = [\"ggd\"];"
         " min = 0; max = 10; }",
         "metrics.[2].time", "must be a string in double quotes"},
        {"5", "metrics.[2]", "a metric must be a group { code = ...; ... }"},
        {"\"vve.plaatsen\"", "metrics.[2]", "a metric must be a group"},
    };
    char report[8192] = "";
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[1024], path[TP], name[32];
        lm_error err;
        catalog cat;
        snprintf(text, sizeof text,
                 "first_period = \"2020-01\";\n" /* 1 */
                 "metrics = (\n"                 /* 2 */
                 GOOD("a") ",\n"                 /* 3 */
                 GOOD("b") ",\n"                 /* 4 */
                 "  %s,\n"                       /* 5 */
                 GOOD("z") "\n"                  /* 6 */
                 ");\n",
                 cases[i].metric);
        snprintf(name, sizeof name, "bad-metric-%zu.conf", i);
        write_file(name, text, path, sizeof path);
        memset(&cat, 0x5a, sizeof cat);
        int rc = catalog_load(&cat, path, &err);
        const char *why = rc == 0 ? "loaded" : check_located(err.msg, path, 5, cases[i].setting,
                                                             cases[i].message);
        if (why)
            snprintf(report + strlen(report), sizeof report - strlen(report), "case %zu: %s\n",
                     i, why);
        if (rc == 0)
            catalog_free(&cat);
        else
            assert_null(cat.metrics); /* nothing left to free */
    }
    if (report[0])
        fail_msg("%s", report);
}

static void test_catalog_bad_file(void **state)
{
    static const struct {
        const char *text;
        int line;               /* 0: about the file, "PATH: ..." */
        const char *setting, *message;
    } cases[] = {
        {"metrics = (\n" GOOD("a") "\n);\n", 0, NULL, "'first_period' is missing"},
        {"first_period = \"2020-Q1\";\nmetrics = (\n" GOOD("a") "\n);\n", 1, "first_period",
         "'2020-Q1' is not a month like 2020-01"},
        {"first_period = \"2020\";\nmetrics = (\n" GOOD("a") "\n);\n", 1, "first_period",
         "'2020' is not a month like 2020-01"},
        {"first_period = \"2019/20\";\nmetrics = (\n" GOOD("a") "\n);\n", 1, "first_period",
         "'2019/20' is not a month"},
        {"first_period = \"2020-13\";\nmetrics = (\n" GOOD("a") "\n);\n", 1, "first_period",
         "'2020-13' is not a month"},
        {"first_period = \"january\";\nmetrics = (\n" GOOD("a") "\n);\n", 1, "first_period",
         "'january' is not a month"},
        {"first_period = \"\";\nmetrics = (\n" GOOD("a") "\n);\n", 1, "first_period",
         "'' is not a month"},
        {"\nfirst_period = 202001;\nmetrics = (\n" GOOD("a") "\n);\n", 2, "first_period",
         "must be a string in double quotes"},
        {"first_period = \"2020-01-01-01-01-01\";\nmetrics = (\n" GOOD("a") "\n);\n", 1,
         "first_period", "longer than 15 characters"},
        {"first_period = \"2020-01\";\nmetrics = (\n" GOOD("a") ");\nbogus = 1;\n", 4, "bogus",
         "unknown setting (a typo?)"},
        {"first_period = \"2020-01\";\nMetrics = (\n" GOOD("a") "\n);\n", 2, "Metrics",
         "unknown setting"},
        {"first_period = \"2020-01\";\n", 0, NULL, "'metrics' is missing"},
        {"first_period = \"2020-01\";\nmetrics = ();\n", 2, "metrics",
         "metrics must be a non-empty list ( {...}, {...} )"},
        {"first_period = \"2020-01\";\nmetrics = [1, 2];\n", 2, "metrics",
         "metrics must be a non-empty list"},
        {"first_period = \"2020-01\";\nmetrics = { code = \"a\"; };\n", 2, "metrics",
         "metrics must be a non-empty list"},
        {"first_period = \"2020-01\";\nmetrics = \"a\";\n", 2, "metrics",
         "metrics must be a non-empty list"},
    };
    char report[8192] = "";
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[TP], name[32];
        lm_error err;
        catalog cat;
        snprintf(name, sizeof name, "bad-file-%zu.conf", i);
        write_file(name, cases[i].text, path, sizeof path);
        int rc = catalog_load(&cat, path, &err);
        const char *why = rc == 0 ? "loaded"
                                  : check_located(err.msg, path, cases[i].line, cases[i].setting,
                                                  cases[i].message);
        if (why)
            snprintf(report + strlen(report), sizeof report - strlen(report), "case %zu: %s\n",
                     i, why);
        if (rc == 0)
            catalog_free(&cat);
        else
            assert_null(cat.metrics);
    }
    if (report[0])
        fail_msg("%s", report);
}

static void test_catalog_unreadable(void **state)
{
    char path[TP];
    lm_error err;
    catalog cat;
    (void)state;
    path_join(path, sizeof path, tmpdir, "does-not-exist.conf");
    assert_int_equal(catalog_load(&cat, path, &err), -1);
    assert_null(check_located(err.msg, path, 0, NULL, "cannot read the file"));
    assert_null(cat.metrics);

    /* A syntax error names the file and the line libconfig stopped at. */
    write_file("syntax.conf", "first_period = \"2020-01\";\nmetrics = (\n  { code = ; }\n);\n",
               path, sizeof path);
    assert_int_equal(catalog_load(&cat, path, &err), -1);
    char prefix[TP + 8];
    snprintf(prefix, sizeof prefix, "%s:3: ", path);
    if (strncmp(err.msg, prefix, strlen(prefix)) != 0 || !strstr(err.msg, "syntax error"))
        fail_msg("'%s'", err.msg);

    /* Not an error of a reply: no status. A caller may do without the message. */
    assert_int_equal(err.status, 0);
    assert_int_equal(catalog_load(&cat, path, NULL), -1);
    assert_null(cat.metrics);
}

/* ---- conf.c -------------------------------------------------------------- */

static void test_conf_code_ok(void **state)
{
    static const struct { const char *s; size_t max; bool ok; } cases[] = {
        {"a", 64, true},
        {"A.b_c-1", 64, true},
        {"0123456789", 10, true},
        {"0123456789", 9, false},
        {"", 64, false},
        {"a b", 64, false},
        {"a/b", 64, false},
        {"a:b", 64, false},
        {"a\tb", 64, false},
        {"caf\xc3\xa9", 64, false},
        {"a\"b", 64, false},
        {"..", 64, true},
        {"x", 0, false},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (conf_code_ok(cases[i].s, cases[i].max) != cases[i].ok)
            fail_msg("case %zu '%s' max %zu: want %d", i, cases[i].s, cases[i].max,
                     cases[i].ok);
}

static void test_conf_accessors(void **state)
{
    char path[TP];
    lm_error err;
    config_t cfg;
    (void)state;
    write_file("conf.conf",
               "i = 5;\n"                       /* 1 */
               "big = 9000000000L;\n"           /* 2 */
               "f = 2.5;\n"                     /* 3 */
               "s = \"hello\";\n"               /* 4 */
               "b = true;\n"                    /* 5 */
               "list = [\"x\", \"y\"];\n"       /* 6 */
               "mixed = (\"x\", 2);\n"          /* 7 */
               "g = { inner = { deep = [1, 2, 3]; }; };\n" /* 8 */
               "l = ( { a = 1; }, { a = 2; b = 3; } );\n", /* 9 */
               path, sizeof path);
    assert_int_equal(conf_read_file(&cfg, path, &err), 0);
    const config_setting_t *root = config_root_setting(&cfg);
    long long v = -1;
    double d = -1;
    bool b = false, failed = true;
    char s[8] = "";

    assert_int_equal(conf_int(root, "i", true, 0, 10, &v, &err), 1);
    assert_int_equal(v, 5);
    assert_int_equal(conf_int(root, "big", true, 0, 10000000000LL, &v, &err), 1);
    assert_int_equal(v, 9000000000LL);
    assert_int_equal(conf_int(root, "i", true, 6, 10, &v, &err), -1);
    assert_null(check_located(err.msg, path, 1, "i", "5 is outside 6..10"));
    assert_int_equal(conf_int(root, "i", true, 0, 4, &v, &err), -1);
    assert_null(check_located(err.msg, path, 1, "i", "5 is outside 0..4"));
    assert_int_equal(conf_int(root, "f", true, 0, 4, &v, &err), -1);
    assert_null(check_located(err.msg, path, 3, "f", "must be a whole number"));
    v = 77;
    assert_int_equal(conf_int(root, "none", false, 0, 4, &v, &err), 0);
    assert_int_equal(v, 77);
    assert_int_equal(conf_int(root, "none", true, 0, 4, &v, &err), -1);
    assert_null(check_located(err.msg, path, 0, NULL, "'none' is missing"));

    assert_int_equal(conf_number(root, "f", true, &d, &err), 1);
    assert_true(d == 2.5);
    assert_int_equal(conf_number(root, "i", true, &d, &err), 1);
    assert_true(d == 5.0);
    assert_int_equal(conf_number(root, "s", true, &d, &err), -1);
    assert_null(check_located(err.msg, path, 4, "s", "must be a number"));

    assert_int_equal(conf_str(root, "s", true, s, sizeof s, &err), 1);
    assert_string_equal(s, "hello");
    assert_int_equal(conf_str(root, "s", true, s, 5, &err), -1);
    assert_null(check_located(err.msg, path, 4, "s", "longer than 4 characters"));
    assert_int_equal(conf_str(root, "s", true, s, 6, &err), 1); /* just fits */
    assert_int_equal(conf_str(root, "i", true, s, sizeof s, &err), -1);
    assert_null(check_located(err.msg, path, 1, "i", "must be a string in double quotes"));

    assert_int_equal(conf_bool(root, "b", true, &b, &err), 1);
    assert_true(b);
    assert_int_equal(conf_bool(root, "i", true, &b, &err), -1);
    assert_null(check_located(err.msg, path, 1, "i", "must be true or false"));

    const config_setting_t *list = conf_str_list(root, "list", true, &failed, &err);
    assert_non_null(list);
    assert_false(failed);
    assert_int_equal(config_setting_length(list), 2);
    assert_null(conf_str_list(root, "none", false, &failed, &err));
    assert_false(failed);
    assert_null(conf_str_list(root, "none", true, &failed, &err));
    assert_true(failed);
    assert_null(conf_str_list(root, "mixed", true, &failed, &err));
    assert_true(failed);
    assert_null(check_located(err.msg, path, 7, "mixed.[1]", "must be a string in double quotes"));
    assert_null(conf_str_list(root, "s", true, &failed, &err));
    assert_true(failed);
    assert_null(check_located(err.msg, path, 4, "s", "must be a list of strings"));

    /* Paths name list elements by index. */
    char p[64];
    conf_path(config_lookup(&cfg, "g.inner.deep.[2]"), p, sizeof p);
    assert_string_equal(p, "g.inner.deep.[2]");
    conf_path(config_lookup(&cfg, "l.[1].b"), p, sizeof p);
    assert_string_equal(p, "l.[1].b");
    conf_path(root, p, sizeof p);
    assert_string_equal(p, "");
    conf_path(config_lookup(&cfg, "g.inner.deep.[2]"), p, 6);
    assert_string_equal(p, "g.inn");
    assert_null(check_located((conf_error(&err, config_lookup(&cfg, "l.[1].b"),
                                          "x is %d", 7),
                               err.msg),
                              path, 9, "l.[1].b", "x is 7"));
    /* About the root: "FILE: message". */
    conf_error(&err, root, "no %s", "luck");
    char want[TP + 16];
    snprintf(want, sizeof want, "%s: no luck", path);
    assert_string_equal(err.msg, want);

    static const char *const known[] = {"i", "big", "f", "s", "b", "list", "mixed", "g", "l",
                                        NULL};
    assert_int_equal(conf_known(root, known, &err), 0);
    assert_int_equal(conf_known(root, known + 1, &err), -1);
    assert_null(check_located(err.msg, path, 1, "i", "unknown setting (a typo?)"));
    config_destroy(&cfg);
}

/* ---- config.c: settings -------------------------------------------------- */

static void test_settings_defaults(void **state)
{
    settings s;
    (void)state;
    memset(&s, 0x5a, sizeof s);
    settings_defaults(&s);
    assert_string_equal(s.file, "");
    assert_string_equal(s.listen, "tcp://127.0.0.1:7710");
    assert_string_equal(s.database, "leamon.db");
    assert_string_equal(s.catalog, "catalog.conf");
    assert_string_equal(s.partners, "partners.conf");
    assert_string_equal(s.server_secret_key_file, "");
    assert_int_equal(s.grace_days, 10);
    assert_int_equal(s.batch_max, 256);
    assert_int_equal(s.request_memory_budget, 64 * 1024 * 1024);
    assert_string_equal(s.log_level, "info");
}

static void test_settings_paths(void **state)
{
    char path[TP], want[TP + 64];
    lm_error err;
    settings s;
    (void)state;
    write_file("leamond.conf",
               "listen = \"tcp://0.0.0.0:9000\";\n"
               "database = \"data/x.db\";\n"
               "catalog = \"/etc/leamon/catalog.conf\";\n"
               "server_secret_key_file = \"keys/server.key\";\n"
               "grace_days = 0;\n"
               "batch_max = 4096;\n"
               "request_memory_budget = 4194304;\n"
               "log_level = \"debug\";\n",
               path, sizeof path);
    if (settings_load(&s, path, &err) != 0)
        fail_msg("%s", err.msg);
    assert_string_equal(s.file, path);
    assert_string_equal(s.listen, "tcp://0.0.0.0:9000");
    path_join(want, sizeof want, tmpdir, "data/x.db");
    assert_string_equal(s.database, want);
    assert_string_equal(s.catalog, "/etc/leamon/catalog.conf"); /* absolute: as written */
    path_join(want, sizeof want, tmpdir, "keys/server.key");
    assert_string_equal(s.server_secret_key_file, want);
    /* Not in the file: the default, next to the file. */
    path_join(want, sizeof want, tmpdir, "partners.conf");
    assert_string_equal(s.partners, want);
    assert_int_equal(s.grace_days, 0);
    assert_int_equal(s.batch_max, 4096);
    assert_int_equal(s.request_memory_budget, 4 * 1024 * 1024);
    assert_string_equal(s.log_level, "debug");

    /* An empty file: every default, relative paths next to it, no secret key. */
    write_file("empty.conf", "# nothing\n", path, sizeof path);
    if (settings_load(&s, path, &err) != 0)
        fail_msg("%s", err.msg);
    path_join(want, sizeof want, tmpdir, "leamon.db");
    assert_string_equal(s.database, want);
    assert_string_equal(s.server_secret_key_file, "");
    assert_string_equal(s.listen, "tcp://127.0.0.1:7710");
    assert_int_equal(s.grace_days, 10);
    assert_string_equal(s.log_level, "info");

    /* A file named without a directory: paths stay relative to the working directory. */
    char cwd[PATH_MAX];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(tmpdir), 0);
    int rc = settings_load(&s, "leamond.conf", &err);
    assert_int_equal(chdir(cwd), 0);
    if (rc != 0)
        fail_msg("%s", err.msg);
    assert_string_equal(s.database, "data/x.db");
    assert_string_equal(s.partners, "partners.conf");
}

/* The shipped leamond.conf, read from the repository root, names the shipped files. */
static void test_settings_shipped(void **state)
{
    lm_error err;
    settings s;
    registry r;
    (void)state;
    if (settings_load(&s, "config/leamond.conf", &err) != 0)
        fail_msg("%s", err.msg);
    assert_string_equal(s.catalog, CATALOG_CONF);
    assert_string_equal(s.partners, PARTNERS_CONF);
    assert_string_equal(s.database, "config/leamon.db");
    assert_string_equal(s.server_secret_key_file, "");
    assert_int_equal(s.grace_days, 10);
    assert_int_equal(s.batch_max, 256);
    if (registry_load(&r, &s, &err) != 0)
        fail_msg("%s", err.msg);
    assert_int_equal(r.cat.n_metrics, 21);
    assert_int_equal(r.parts.n_areas, 11);
    assert_int_equal(r.parts.n_orgs, 29);
    assert_int_equal(r.parts.n_staff, 2);
    registry_free(&r);
    assert_null(r.cat.metrics);
    assert_null(r.parts.areas);
}

static void test_settings_bad(void **state)
{
    static const struct { const char *text; int line; const char *setting, *message; } cases[] = {
        {"listen = \"tcp://127.0.0.1:1\";\nbogus = 1;\n", 2, "bogus", "unknown setting (a typo?)"},
        {"Listen = \"x\";\n", 1, "Listen", "unknown setting"},
        {"grace_days = 367;\n", 1, "grace_days", "367 is outside 0..366"},
        {"grace_days = -1;\n", 1, "grace_days", "-1 is outside 0..366"},
        {"grace_days = 1.5;\n", 1, "grace_days", "must be a whole number"},
        {"grace_days = \"10\";\n", 1, "grace_days", "must be a whole number"},
        {"\n\nbatch_max = 0;\n", 3, "batch_max", "0 is outside 1..4096"},
        {"batch_max = 4097;\n", 1, "batch_max", "4097 is outside 1..4096"},
        {"batch_max = 9000000000L;\n", 1, "batch_max", "9000000000 is outside 1..4096"},
        /* Below one request of the largest size: a batch could not take it. */
        {"request_memory_budget = 1048575;\n", 1, "request_memory_budget",
         "1048575 is outside 1048576..17179869184"},
        {"log_level = \"loud\";\n", 1, "log_level",
         "'loud' is not one of debug, info, warning, error"},
        {"log_level = \"INFO\";\n", 1, "log_level", "'INFO' is not one of"},
        {"log_level = \"\";\n", 1, "log_level", "'' is not one of"},
        {"log_level = \"informational-level\";\n", 1, "log_level", "longer than 15 characters"},
        {"listen = 7710;\n", 1, "listen", "must be a string in double quotes"},
        {"database = [\"a\"];\n", 1, "database", "must be a string in double quotes"},
    };
    char report[8192] = "";
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[TP], name[32];
        lm_error err;
        settings s;
        snprintf(name, sizeof name, "bad-settings-%zu.conf", i);
        write_file(name, cases[i].text, path, sizeof path);
        int rc = settings_load(&s, path, &err);
        const char *why = rc == 0 ? "loaded"
                                  : check_located(err.msg, path, cases[i].line, cases[i].setting,
                                                  cases[i].message);
        if (why)
            snprintf(report + strlen(report), sizeof report - strlen(report), "case %zu: %s\n",
                     i, why);
    }
    if (report[0])
        fail_msg("%s", report);
}

/* Under systemd the daemon's key is a credential of the same file name. */
static void test_settings_key_from_credential(void **state)
{
    char conf[256], cred_dir[256], cred[300];
    settings st;
    lm_error err;
    (void)state;
    write_file("keyconf.conf", "server_secret_key_file = \"/etc/leamon/server.key\";\n", conf,
               sizeof conf);
    path_join(cred_dir, sizeof cred_dir, tmpdir, "creds");
    assert_int_equal(mkdir(cred_dir, 0700), 0);
    /* No credential of that name: the file as configured. */
    assert_int_equal(setenv("CREDENTIALS_DIRECTORY", cred_dir, 1), 0);
    assert_int_equal(settings_load(&st, conf, &err), 0);
    assert_string_equal(st.server_secret_key_file, "/etc/leamon/server.key");
    snprintf(cred, sizeof cred, "%s/server.key", cred_dir);
    write_text(cred, "secret\n", 0600);
    assert_int_equal(settings_load(&st, conf, &err), 0);
    assert_string_equal(st.server_secret_key_file, cred);
    /* Outside systemd: the file. */
    assert_int_equal(unsetenv("CREDENTIALS_DIRECTORY"), 0);
    assert_int_equal(settings_load(&st, conf, &err), 0);
    assert_string_equal(st.server_secret_key_file, "/etc/leamon/server.key");
}

static void test_settings_limits(void **state)
{
    char path[TP];
    lm_error err;
    settings s;
    (void)state;
    /* A relative path that no longer fits once the directory is put before it. */
    char *text = malloc(CONFIG_PATH_MAX + 64);
    assert_non_null(text);
    char name[CONFIG_PATH_MAX];
    memset(name, 'd', CONFIG_PATH_MAX - 10);
    name[CONFIG_PATH_MAX - 10] = '\0';
    snprintf(text, CONFIG_PATH_MAX + 64, "\ndatabase = \"%s\";\n", name);
    write_file("longpath.conf", text, path, sizeof path);
    free(text);
    assert_int_equal(settings_load(&s, path, &err), -1);
    assert_null(check_located(err.msg, path, 2, "database", "path too long"));

    /* The file that does not exist, and a file name longer than the settings hold. */
    path_join(path, sizeof path, tmpdir, "missing.conf");
    assert_int_equal(settings_load(&s, path, &err), -1);
    assert_null(check_located(err.msg, path, 0, NULL, "cannot read the file"));
    /* "NAME: path too long", cut to the LM_ERROR_MAX - 1 bytes a message holds. */
    char longname[CONFIG_PATH_MAX + 8];
    memset(longname, 'x', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    assert_int_equal(settings_load(&s, longname, &err), -1);
    assert_int_equal(strlen(err.msg), LM_ERROR_MAX - 1);
    assert_int_equal(strncmp(err.msg, longname, LM_ERROR_MAX - 1), 0);
    assert_string_equal(s.file, "");
}

/* settings_print writes a file settings_load reads back to the same settings. */
static void test_settings_print_roundtrip(void **state)
{
    char path[TP], printed[TP];
    lm_error err;
    settings a, b;
    (void)state;
    write_file("print.conf",
               "listen = \"tcp://127.0.0.1:7999\";\ndatabase = \"db/leamon.db\";\n"
               "grace_days = 3;\nlog_level = \"warning\";\n",
               path, sizeof path);
    if (settings_load(&a, path, &err) != 0)
        fail_msg("%s", err.msg);
    path_join(printed, sizeof printed, tmpdir, "printed.conf");
    FILE *f = fopen(printed, "w");
    assert_non_null(f);
    settings_print(&a, f);
    assert_int_equal(fclose(f), 0);
    if (settings_load(&b, printed, &err) != 0)
        fail_msg("%s", err.msg);
    assert_string_equal(b.listen, a.listen);
    assert_string_equal(b.database, a.database);
    assert_string_equal(b.catalog, a.catalog);
    assert_string_equal(b.partners, a.partners);
    assert_string_equal(b.server_secret_key_file, a.server_secret_key_file);
    assert_int_equal(b.grace_days, 3);
    assert_int_equal(b.batch_max, a.batch_max);
    assert_string_equal(b.log_level, "warning");

    char *out = NULL;
    size_t len = 0;
    f = open_memstream(&out, &len);
    assert_non_null(f);
    settings_print(&a, f);
    assert_int_equal(fclose(f), 0);
    assert_non_null(strstr(out, "grace_days = 3;\n"));
    assert_non_null(strstr(out, "listen = \"tcp://127.0.0.1:7999\";\n"));
    assert_non_null(strstr(out, "log_level = \"warning\";\n"));
    free(out);
}

static void test_settings_help(void **state)
{
    static const char *const lines[] = {
        "listen", "(default \"tcp://127.0.0.1:7710\")", "database", "(default \"leamon.db\")",
        "catalog", "partners", "server_secret_key_file", "(default \"\")", "grace_days",
        "(default 10)", "batch_max", "(default 256)", "request_memory_budget",
        "(default 67108864)", "log_level", "(default \"info\")",
        "publish", "alert_hook", "alert_hook_timeout", "alert_check_interval", "(default 3600)", "sendmail",
        "(default \"/usr/sbin/sendmail\")", "mail_from", "max_connections_per_key", "(default 16)",
        "first_request_timeout", "(default 30)"};
    char *out = NULL;
    size_t len = 0;
    (void)state;
    FILE *f = open_memstream(&out, &len);
    assert_non_null(f);
    settings_help(f);
    assert_int_equal(fclose(f), 0);
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        if (!strstr(out, lines[i]))
            fail_msg("help lacks '%s':\n%s", lines[i], out);
    size_t n = 0;
    for (const char *p = out; *p; p++)
        n += *p == '\n';
    assert_int_equal(n, 23);
    free(out);
}

/* ---- config.c: registry -------------------------------------------------- */

/* The shipped rules, as the README describes them. */
static void test_shipped_rules(void **state)
{
    lm_error err;
    catalog cat;
    (void)state;
    if (catalog_load(&cat, CATALOG_CONF, &err) != 0)
        fail_msg("%s", err.msg);
    assert_int_equal(cat.n_rules, 10);
    const alert_rule *r = catalog_rule(&cat, "vve_bereik_wijk_laag");
    assert_non_null(r);
    assert_int_equal(r->kind, RULE_BELOW);
    assert_ptr_equal(r->ind, catalog_indicator(&cat, "vve_bereik"));
    assert_string_equal(r->level, "wijk");
    assert_true(r->threshold == 70.0 && r->clear == 75.0);
    assert_true(r->min_base == 10.0);
    assert_int_equal(r->for_periods, 2);
    assert_int_equal(r->severity, SEVERITY_CRITICAL);
    assert_int_equal(r->every, PERIOD_MONTH);
    r = catalog_rule(&cat, "ve_uren_norm");
    assert_non_null(r);
    assert_true(r->threshold == 16.0 && r->clear == 16.0); /* clear defaults to the threshold */
    assert_int_equal(r->for_periods, 1);
    r = catalog_rule(&cat, "opvang_niet_gemeld");
    assert_non_null(r);
    assert_int_equal(r->kind, RULE_LATE);
    assert_ptr_equal(r->m, catalog_metric(&cat, "vve.doelgroep.geplaatst"));
    assert_string_equal(r->level, "organisation");
    assert_int_equal(r->days, 10);
    assert_true(r->min_reported == 1.0); /* every expected reporter, by default */
    r = catalog_rule(&cat, "vve_bereik_pad");
    assert_non_null(r);
    assert_true(r->min_reported == 0.9);
    r = catalog_rule(&cat, "vve_bereik_onmogelijk");
    assert_non_null(r);
    assert_int_equal(r->kind, RULE_IMPLAUSIBLE);
    r = catalog_rule(&cat, "vsv_pad");
    assert_non_null(r);
    assert_int_equal(r->every, PERIOD_SCHOOLYEAR);
    assert_null(catalog_rule(&cat, "no_such_rule"));
    catalog_free(&cat);
}

/* Each bad rule is refused with the file, line, setting and a reason. */
static void test_bad_rules(void **state)
{
    static const struct {
        const char *rule, *setting, *message;
    } cases[] = {
        {"{ name = \"r\"; kind = \"under\"; indicator = \"i\"; threshold = 1.0; }",
         "rules.[0].kind", "kind must be below, above, slip, off_track, late or implausible"},
        {"{ name = \"r\"; kind = \"below\"; indicator = \"i\"; }", "rules.[0]",
         "a below rule needs a threshold"},
        {"{ name = \"r\"; kind = \"below\"; indicator = \"i\"; threshold = 70.0; clear = 60.0; }",
         "rules.[0].clear", "clear must be at or above the threshold of a below rule"},
        {"{ name = \"r\"; kind = \"above\"; indicator = \"i\"; threshold = 10.0; clear = 12.0; }",
         "rules.[0].clear", "clear must be at or below the threshold of an above rule"},
        {"{ name = \"r\"; kind = \"slip\"; indicator = \"i\"; }", "rules.[0]",
         "a slip rule needs threshold"},
        {"{ name = \"r\"; kind = \"late\"; indicator = \"i\"; }", "rules.[0]",
         "a late rule names a metric, not an indicator"},
        {"{ name = \"r\"; kind = \"below\"; metric = \"a\"; threshold = 1.0; }", "rules.[0]",
         "a below rule names an indicator, not a metric"},
        {"{ name = \"r\"; kind = \"below\"; indicator = \"nope\"; threshold = 1.0; }",
         "rules.[0].indicator", "not an indicator of this catalogue"},
        {"{ name = \"r\"; kind = \"below\"; indicator = \"i\"; threshold = 1.0; level = \"land\"; }",
         "rules.[0].level", "level must be regio, gemeente, wijk, cluster or buurt"},
        {"{ name = \"r\"; kind = \"below\"; indicator = \"i\"; threshold = 1.0; for = 0; }",
         "rules.[0].for", "outside 1..24"},
        {"{ name = \"r\"; kind = \"slip\"; indicator = \"c\"; threshold = 5.0; }",
         "rules.[0].kind", "slip and off_track need an indicator that is better higher or lower"},
        {"{ name = \"r\"; kind = \"late\"; metric = \"a\"; every = \"quarter\"; }",
         "rules.[0].every", "a late rule checks months"},
        {"{ name = \"r\"; kind = \"below\"; indicator = \"i\"; threshold = 1.0; severity = \"fatal\"; }",
         "rules.[0].severity", "severity must be warning or critical"},
        {"{ name = \"r\"; kind = \"below\"; indicator = \"i\"; threshold = 1.0; colour = 1; }",
         "rules.[0].colour", "unknown"},
        {"{ name = \"r\"; kind = \"below\"; indicator = \"i\"; threshold = 1.0; min_base = -1.0; }",
         "rules.[0].min_base", "min_base cannot be negative"},
    };
    char report[8192] = "";
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[2048], path[TP], name[32];
        lm_error err;
        catalog cat;
        snprintf(text, sizeof text,
                 "first_period = \"2020-01\";\n"
                 "metrics = (\n" GOOD("a") ",\n" GOOD("b") "\n);\n"
                 "indicators = (\n"
                 "  { code = \"i\"; label = \"I\"; unit = \"percent\"; type = \"ratio\";"
                 " better = \"higher\"; factor = 100.0; numerator = { metrics = [\"a\"]; };"
                 " denominator = { metrics = [\"b\"]; }; },\n"
                 "  { code = \"c\"; label = \"C\"; unit = \"percent\"; type = \"ratio\";"
                 " better = \"closer\"; ideal = 50.0; factor = 100.0;"
                 " numerator = { metrics = [\"a\"]; }; denominator = { metrics = [\"b\"]; }; }\n"
                 ");\n"
                 "rules = (\n"
                 "  %s\n" /* line 11 */
                 ");\n",
                 cases[i].rule);
        snprintf(name, sizeof name, "bad-rule-%zu.conf", i);
        write_file(name, text, path, sizeof path);
        int rc = catalog_load(&cat, path, &err);
        const char *why = rc == 0 ? "loaded" : check_located(err.msg, path, 11, cases[i].setting,
                                                             cases[i].message);
        if (why)
            snprintf(report + strlen(report), sizeof report - strlen(report), "case %zu: %s\n",
                     i, why);
        if (rc == 0)
            catalog_free(&cat);
    }
    if (report[0])
        fail_msg("%s", report);
}

/* The shipped checks: two at_most, three range, one outlier (test_checks.c tests what they
 * do). */
static void test_shipped_checks(void **state)
{
    lm_error err;
    catalog cat;
    (void)state;
    if (catalog_load(&cat, CATALOG_CONF, &err) != 0)
        fail_msg("%s", err.msg);
    assert_int_equal(cat.n_checks, 6);
    int kinds[3] = {0, 0, 0};
    for (size_t i = 0; i < cat.n_checks; i++)
        kinds[cat.checks[i].kind]++;
    assert_int_equal(kinds[CHECK_AT_MOST], 2);
    assert_int_equal(kinds[CHECK_RANGE], 3);
    assert_int_equal(kinds[CHECK_OUTLIER], 1);
    const check_def *c = &cat.checks[1];
    assert_string_equal(c->name, "overdracht_binnen_uitstroom");
    assert_ptr_equal(c->m, catalog_metric(&cat, "vve.warme_overdracht"));
    assert_ptr_equal(c->than, catalog_metric(&cat, "vve.uitstroom"));
    c = &cat.checks[3];
    assert_string_equal(c->name, "bereik_alle_peuters_tot_100");
    assert_ptr_equal(c->ind, catalog_indicator(&cat, "vve_bereik_alle_peuters"));
    assert_true(c->has_min && c->min == 0.0 && c->has_max && c->max == 100.0);
    catalog_free(&cat);
    assert_null(cat.checks);
    assert_int_equal(cat.n_checks, 0);
}

/* A catalogue with a checks section around one case: metrics a and b, indicator i, a first
 * check on line 10 (checks.[0]) and the case's on line 11 (checks.[1]). */
static int load_checks(const char *name, const char *first, const char *check, char *path,
                       lm_error *err, catalog *cat)
{
    char text[2048];
    snprintf(text, sizeof text,
             "first_period = \"2020-01\";\n"                    /* 1 */
             "metrics = (\n" GOOD("a") ",\n" GOOD("b") "\n);\n" /* 2-5 */
             "indicators = (\n"                                 /* 6 */
             "  { code = \"i\"; label = \"I\"; unit = \"percent\"; type = \"ratio\";"
             " better = \"higher\"; factor = 100.0; numerator = { metrics = [\"a\"]; };"
             " denominator = { metrics = [\"b\"]; }; }\n"       /* 7 */
             ");\n"                                             /* 8 */
             "checks = (\n"                                     /* 9 */
             "  %s,\n"                                          /* 10 */
             "  %s\n"                                           /* 11 */
             ");\n",
             first ? first
                   : "{ name = \"first\"; kind = \"range\"; indicator = \"i\"; max = 100.0; }",
             check);
    write_file(name, text, path, TP);
    memset(cat, 0x5a, sizeof *cat);
    return catalog_load(cat, path, err);
}

/* Each bad check is refused with the file, line, setting and a reason. */
static void test_bad_checks(void **state)
{
    static const struct {
        const char *first, *check, *setting, *message;
    } cases[] = {
        {NULL, "{ name = \"c\"; kind = \"between\"; indicator = \"i\"; min = 0.0; }",
         "checks.[1].kind", "kind must be at_most, range or outlier"},
        {NULL, "{ name = \"c\"; kind = \"Range\"; indicator = \"i\"; min = 0.0; }",
         "checks.[1].kind", "kind must be at_most, range or outlier"},
        {NULL, "{ name = \"c\"; kind = \"range\"; indicator = \"i\"; }", "checks.[1]",
         "a range check needs min, max or both"},
        {NULL, "{ name = \"c\"; kind = \"range\"; indicator = \"i\"; min = \"0\"; }",
         "checks.[1].min", "must be a number"},
        {NULL, "{ name = \"c\"; kind = \"range\"; indicator = \"nope\"; max = 1.0; }",
         "checks.[1].indicator", "'nope' is not an indicator of this catalogue"},
        {NULL, "{ name = \"c\"; kind = \"range\"; indicator = \"a\"; max = 1.0; }",
         "checks.[1].indicator", "'a' is not an indicator of this catalogue"},
        {NULL, "{ name = \"c\"; kind = \"range\"; max = 1.0; }", "checks.[1]",
         "'indicator' is missing"},
        {NULL, "{ name = \"c\"; kind = \"at_most\"; metric = \"nope\"; than = \"b\"; }",
         "checks.[1].metric", "'nope' is not a metric of this catalogue"},
        {NULL, "{ name = \"c\"; kind = \"at_most\"; metric = \"a\"; than = \"i\"; }",
         "checks.[1].than", "'i' is not a metric of this catalogue"},
        {NULL, "{ name = \"c\"; kind = \"at_most\"; metric = \"a\"; }", "checks.[1]",
         "'than' is missing"},
        {NULL, "{ name = \"first\"; kind = \"at_most\"; metric = \"a\"; than = \"b\"; }",
         "checks.[1]", "check 'first' is defined twice"},
        {"{ name = \"o1\"; kind = \"outlier\"; }", "{ name = \"o2\"; kind = \"outlier\"; }",
         "checks.[1]", "one outlier check is enough"},
        {"{ name = \"o1\"; kind = \"outlier\"; }",
         "{ name = \"o2\"; kind = \"outlier\"; factor = 5.0; months = 24; }", "checks.[1]",
         "one outlier check is enough"},
        {NULL, "{ name = \"c\"; kind = \"outlier\"; factor = 1.0; }", "checks.[1].factor",
         "factor must be a number above 1"},
        {NULL, "{ name = \"c\"; kind = \"outlier\"; factor = 0.5; }", "checks.[1].factor",
         "factor must be a number above 1"},
        {NULL, "{ name = \"c\"; kind = \"outlier\"; factor = -3.0; }", "checks.[1].factor",
         "factor must be a number above 1"},
        {NULL, "{ name = \"c\"; kind = \"outlier\"; factor = 0; }", "checks.[1].factor",
         "factor must be a number above 1"},
        {NULL, "{ name = \"c\"; kind = \"outlier\"; min_difference = -1.0; }",
         "checks.[1].min_difference", "min_difference must be a number, 0 or more"},
        {NULL, "{ name = \"c\"; kind = \"outlier\"; months = 2; }", "checks.[1].months",
         "outside 3..60"},
        {NULL, "{ name = \"c\"; kind = \"outlier\"; months = 61; }", "checks.[1].months",
         "outside 3..60"},
        {NULL, "{ name = \"c\"; kind = \"outlier\"; factor = \"3\"; }", "checks.[1].factor",
         "must be a number"},
        {NULL, "{ kind = \"outlier\"; }", "checks.[1]", "'name' is missing"},
        {NULL, "{ name = \"c\"; }", "checks.[1]", "'kind' is missing"},
        {NULL, "{ name = \"a b\"; kind = \"outlier\"; }", "checks.[1].name",
         "a check's name is letters, digits, '.', '_' and '-'"},
        {NULL, "{ name = \"c\"; kind = \"outlier\"; colour = 1; }", "checks.[1].colour",
         "unknown setting (a typo?)"},
        {NULL, "5", "checks.[1]", "a check must be a group"},
        {NULL, "[\"uitschieter\"]", "checks.[1]", "a check must be a group"},
    };
    char report[8192] = "";
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[TP], name[32];
        lm_error err;
        catalog cat;
        snprintf(name, sizeof name, "bad-check-%zu.conf", i);
        int rc = load_checks(name, cases[i].first, cases[i].check, path, &err, &cat);
        const char *why = rc == 0 ? "loaded" : check_located(err.msg, path, 11, cases[i].setting,
                                                             cases[i].message);
        if (why)
            snprintf(report + strlen(report), sizeof report - strlen(report), "case %zu: %s\n",
                     i, why);
        if (rc == 0)
            catalog_free(&cat);
    }
    if (report[0])
        fail_msg("%s", report);
}

/* Good checks load, each with what it says; an outlier check takes factor 3 and 12
 * months unless told otherwise. */
static void test_good_checks(void **state)
{
    char path[TP];
    lm_error err;
    catalog cat;
    (void)state;
    if (load_checks("good-checks-1.conf", NULL, "{ name = \"u\"; kind = \"outlier\"; }", path, &err,
                    &cat) != 0)
        fail_msg("%s", err.msg);
    assert_int_equal(cat.n_checks, 2);
    assert_int_equal(cat.checks[0].kind, CHECK_RANGE);
    assert_false(cat.checks[0].has_min);
    assert_true(cat.checks[0].has_max && cat.checks[0].max == 100.0);
    assert_ptr_equal(cat.checks[0].ind, catalog_indicator(&cat, "i"));
    assert_int_equal(cat.checks[1].kind, CHECK_OUTLIER);
    assert_true(cat.checks[1].factor == 3.0);
    assert_int_equal(cat.checks[1].months, 12);
    assert_ptr_equal(checks_outlier(&cat), &cat.checks[1]);
    catalog_free(&cat);
    if (load_checks("good-checks-2.conf",
                    "{ name = \"ab\"; kind = \"at_most\"; metric = \"a\"; than = \"b\"; }",
                    "{ name = \"u-2.x\"; kind = \"outlier\"; factor = 1.5; months = 3; }", path,
                    &err, &cat) != 0)
        fail_msg("%s", err.msg);
    assert_int_equal(cat.checks[0].kind, CHECK_AT_MOST);
    assert_ptr_equal(cat.checks[0].m, catalog_metric(&cat, "a"));
    assert_ptr_equal(cat.checks[0].than, catalog_metric(&cat, "b"));
    assert_true(cat.checks[1].factor == 1.5);
    assert_int_equal(cat.checks[1].months, 3);
    catalog_free(&cat);
    /* A range with both ends, equal: only that one value can be true. */
    if (load_checks("good-checks-3.conf", NULL,
                    "{ name = \"r\"; kind = \"range\"; indicator = \"i\"; min = 5; max = 5; }",
                    path, &err, &cat) != 0)
        fail_msg("%s", err.msg);
    assert_true(cat.checks[1].has_min && cat.checks[1].min == 5.0);
    assert_true(cat.checks[1].has_max && cat.checks[1].max == 5.0);
    assert_null(checks_outlier(&cat));
    catalog_free(&cat);
    /* No checks section at all. */
    write_file("no-checks.conf", "first_period = \"2020-01\";\nmetrics = (\n" GOOD("a") "\n);\n",
               path, sizeof path);
    if (catalog_load(&cat, path, &err) != 0)
        fail_msg("%s", err.msg);
    assert_int_equal(cat.n_checks, 0);
    assert_null(checks_outlier(&cat));
    catalog_free(&cat);
}

/* A range whose min is above its max makes every value implausible: refused, like a
 * metric's range (metrics.[N].max "max must be a finite number not below min"). */
static void test_bad_check_range_reversed(void **state)
{
    char path[TP], prefix[TP + 32];
    lm_error err;
    catalog cat;
    (void)state;
    int rc = load_checks("reversed-range.conf", NULL,
                         "{ name = \"r\"; kind = \"range\"; indicator = \"i\"; min = 100.0;"
                         " max = 0.0; }",
                         path, &err, &cat);
    if (rc == 0) {
        bool any = checks_plausible(&cat, catalog_indicator(&cat, "i"), true, 50);
        catalog_free(&cat);
        fail_msg("loaded a range check of min 100, max 0 (50 is %s)",
                 any ? "plausible" : "implausible, as is every value");
    }
    snprintf(prefix, sizeof prefix, "%s:11: checks.[1]", path);
    if (strncmp(err.msg, prefix, strlen(prefix)) != 0)
        fail_msg("'%s' does not start with '%s'", err.msg, prefix);
}

/* checks must be a list. */
static void test_bad_checks_list(void **state)
{
    char path[TP];
    lm_error err;
    catalog cat;
    (void)state;
    write_file("checks-not-a-list.conf",
               "first_period = \"2020-01\";\nmetrics = (\n" GOOD("a") "\n);\nchecks = 5;\n", path,
               sizeof path);
    assert_int_equal(catalog_load(&cat, path, &err), -1);
    assert_null(check_located(err.msg, path, 5, "checks", "must be a list"));
}

static void test_registry_load(void **state)
{
    char bad[TP];
    lm_error err;
    settings s;
    registry r;
    (void)state;
    settings_defaults(&s);
    snprintf(s.catalog, sizeof s.catalog, "%s", CATALOG_CONF);
    snprintf(s.partners, sizeof s.partners, "%s", PARTNERS_CONF);
    if (registry_load(&r, &s, &err) != 0)
        fail_msg("%s", err.msg);
    assert_non_null(catalog_metric(&r.cat, "rbl.vsv"));
    assert_non_null(partners_org(&r.parts, "rbl-twente"));
    registry_free(&r);

    /* A bad partners file: the error is the partners file's, the catalogue is freed
     * (valgrind and ASan check that) and the registry is left empty. */
    write_file("bad-partners.conf", "areas = ();\n", bad, sizeof bad);
    snprintf(s.partners, sizeof s.partners, "%s", bad);
    assert_int_equal(registry_load(&r, &s, &err), -1);
    assert_null(check_located(err.msg, bad, 1, "areas", "areas must be a non-empty list"));
    assert_null(r.cat.metrics);
    assert_null(r.parts.areas);

    /* A bad catalogue: its error, and the partners file is not read. */
    snprintf(s.partners, sizeof s.partners, "%s", PARTNERS_CONF);
    write_file("bad-catalog.conf", "first_period = \"2020-01\";\nmetrics = ();\n", bad,
               sizeof bad);
    snprintf(s.catalog, sizeof s.catalog, "%s", bad);
    assert_int_equal(registry_load(&r, &s, &err), -1);
    assert_null(check_located(err.msg, bad, 2, "metrics", "non-empty list"));
    assert_null(r.parts.areas);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kind_names),
        cmocka_unit_test(test_catalog_shipped),
        cmocka_unit_test(test_catalog_fixture),
        cmocka_unit_test(test_catalog_bad_metric),
        cmocka_unit_test(test_catalog_bad_file),
        cmocka_unit_test(test_catalog_unreadable),
        cmocka_unit_test(test_conf_code_ok),
        cmocka_unit_test(test_conf_accessors),
        cmocka_unit_test(test_settings_defaults),
        cmocka_unit_test(test_settings_paths),
        cmocka_unit_test(test_settings_shipped),
        cmocka_unit_test(test_settings_bad),
        cmocka_unit_test(test_settings_key_from_credential),
        cmocka_unit_test(test_settings_limits),
        cmocka_unit_test(test_settings_print_roundtrip),
        cmocka_unit_test(test_settings_help),
        cmocka_unit_test(test_shipped_rules),
        cmocka_unit_test(test_bad_rules),
        cmocka_unit_test(test_shipped_checks),
        cmocka_unit_test(test_bad_checks),
        cmocka_unit_test(test_good_checks),
        cmocka_unit_test(test_bad_check_range_reversed),
        cmocka_unit_test(test_bad_checks_list),
        cmocka_unit_test(test_registry_load),
    };
    return cmocka_run_group_tests(tests, tmpdir_setup, tmpdir_teardown);
}
