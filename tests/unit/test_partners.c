/* Unit tests for daemon/partners.c: areas, organisations, staff, CURVE keys and who
 * may report for which area. Fixture files are written to a temp dir; CURVE keys are
 * generated with zmq_curve_keypair for each run. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>

#include "partners.h"
#include "testutil.h"

#define PARTNERS_CONF "config/partners-hengelo.conf"
#define TP 256 /* room for a path in the temp dir */

static void load_ok(partners *p, const char *path)
{
    lm_error err;
    if (partners_load(p, path, &err) != 0)
        fail_msg("%s", err.msg);
}

/* ---- the shipped file ---------------------------------------------------- */

static void test_role_names(void **state)
{
    (void)state;
    assert_string_equal(role_name(ROLE_PARTNER), "partner");
    assert_string_equal(role_name(ROLE_VIEWER), "viewer");
    assert_string_equal(role_name(ROLE_ADMIN), "admin");
    assert_string_equal(role_name((role)3), "?");
}

static void test_partners_shipped(void **state)
{
    static const struct { const char *id; org_kind kind; const char *home; } orgs[] = {
        {"gemeente-hengelo", KIND_GEMEENTE, "GM0164"},
        {"ggd-twente", KIND_GGD, "GM0164"},
        {"ko-berflo", KIND_KINDEROPVANG, "WK016405"},
        {"ko-binnenstad", KIND_KINDEROPVANG, "WK016400"},
        {"ko-dennenbos", KIND_KINDEROPVANG, "WK016406"},
        {"ko-driene", KIND_KINDEROPVANG, "WK016404"},
        {"ko-esrand", KIND_KINDEROPVANG, "WK016401"},
        {"ko-hasselo", KIND_KINDEROPVANG, "WK016403"},
        {"ko-hazenkamp", KIND_KINDEROPVANG, "WK016402"},
        {"ko-kleine-beer", KIND_KINDEROPVANG, "WK016403"},
        {"ko-klimop", KIND_KINDEROPVANG, "WK016404"},
        {"ko-noorderkwartier", KIND_KINDEROPVANG, "WK016402"},
        {"ko-slangenbeek", KIND_KINDEROPVANG, "WK016408"},
        {"ko-tuindorp", KIND_KINDEROPVANG, "WK016401"},
        {"ko-vlinder", KIND_KINDEROPVANG, "WK016405"},
        {"ko-wilderink", KIND_KINDEROPVANG, "WK016406"},
        {"ko-woolde", KIND_KINDEROPVANG, "WK016407"},
        {"ko-zonnebloem", KIND_KINDEROPVANG, "WK016402"},
        {"mbo-roc", KIND_MBO, "WK016400"},
        {"po-berflo", KIND_SCHOOL_PO, "WK016405"},
        {"po-driene", KIND_SCHOOL_PO, "WK016404"},
        {"po-esch", KIND_SCHOOL_PO, "WK016401"},
        {"po-hasseler", KIND_SCHOOL_PO, "WK016403"},
        {"po-noord", KIND_SCHOOL_PO, "WK016402"},
        {"po-woolde", KIND_SCHOOL_PO, "WK016407"},
        {"rbl-twente", KIND_RBL, "GM0164"},
        {"so-twentse-zon", KIND_SCHOOL_SO, "WK016405"},
        {"vo-college", KIND_SCHOOL_VO, "WK016403"},
        {"vo-lyceum", KIND_SCHOOL_VO, "WK016400"},
    };
    partners p;
    (void)state;
    load_ok(&p, PARTNERS_CONF);
    assert_int_equal(p.n_areas, 11);
    assert_string_equal(p.areas[0].code, "GM0164");
    assert_string_equal(p.areas[0].name, "Hengelo");
    assert_string_equal(p.areas[0].level, "gemeente");
    assert_int_equal(p.areas[0].parent, -1);
    for (size_t i = 1; i < p.n_areas; i++) {
        char code[32];
        snprintf(code, sizeof code, "WK0164%02d", (int)(i - 1)); /* file order */
        assert_string_equal(p.areas[i].code, code);
        assert_string_equal(p.areas[i].level, "wijk");
        assert_int_equal(p.areas[i].parent, 0);
        assert_int_equal(partners_area(&p, code), (int)i);
    }
    assert_string_equal(p.areas[3].name, "Noord");

    assert_int_equal(p.n_orgs, sizeof orgs / sizeof orgs[0]);
    for (size_t i = 0; i < p.n_orgs; i++) {
        const organisation *o = &p.orgs[i];
        assert_string_equal(o->id, orgs[i].id); /* sorted by id */
        assert_ptr_equal(partners_org(&p, orgs[i].id), o);
        assert_int_equal(o->kind, orgs[i].kind);
        assert_int_equal(o->home, partners_area(&p, orgs[i].home));
        assert_true(o->active);
        /* Default: the home area and below, nothing else. */
        assert_int_equal(o->n_reports_for, 1);
        assert_int_equal(o->reports_for[0], o->home);
        for (size_t a = 0; a < p.n_areas; a++)
            assert_int_equal(partners_may_report(&p, o, (int)a),
                             partners_within(&p, (int)a, o->home));
        assert_null(partners_staff(&p, o->id));
    }
    assert_string_equal(partners_org(&p, "ko-zonnebloem")->name, "Kinderopvang De Zonnebloem");

    assert_int_equal(p.n_staff, 2);
    assert_string_equal(p.staff[0].id, "beleid");
    assert_int_equal(p.staff[0].role, ROLE_ADMIN);
    assert_string_equal(p.staff[1].id, "raad");
    assert_int_equal(p.staff[1].role, ROLE_VIEWER);
    assert_ptr_equal(partners_staff(&p, "raad"), &p.staff[1]);
    assert_null(partners_org(&p, "beleid"));

    assert_int_equal(p.n_keys, 0);
    uint8_t zero[CURVE_KEY_BYTES] = {0};
    assert_null(partners_key(&p, zero));

    static const char *const unknown[] = {"", "gm0164", "GM0164 ", "WK0164", "WK01640",
                                          "ko-zonnebloem"};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
        assert_int_equal(partners_area(&p, unknown[i]), -1);
    static const char *const nobody[] = {"", "KO-ZONNEBLOEM", "ko", "zz", "ko-zonnebloem ",
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"};
    for (size_t i = 0; i < sizeof nobody / sizeof nobody[0]; i++) {
        assert_null(partners_org(&p, nobody[i]));
        assert_null(partners_staff(&p, nobody[i]));
    }
    partners_free(&p);
    assert_null(p.areas);
    assert_null(p.orgs);
    assert_int_equal(p.n_orgs, 0);
}

/* ---- the area tree and reports_for --------------------------------------- */

static const char TREE[] =
    "areas = (\n"
    "  { code = \"RG\";  name = \"Twente\";   level = \"regio\"; },\n"
    "  { code = \"GM1\"; name = \"Een\";      level = \"gemeente\"; parent = \"RG\"; },\n"
    "  { code = \"GM2\"; name = \"Twee\";     level = \"gemeente\"; parent = \"RG\"; },\n"
    "  { code = \"WK1\"; name = \"Wijk 1\";   level = \"wijk\";     parent = \"GM1\"; },\n"
    "  { code = \"WK2\"; name = \"Wijk 2\";   level = \"wijk\";     parent = \"GM2\"; },\n"
    "  { code = \"BU1\"; name = \"Buurt 1\";  level = \"buurt\";    parent = \"WK1\"; },\n"
    "  { code = \"CL1\"; name = \"Cluster\";  level = \"cluster\";  parent = \"GM1\"; },\n"
    "  { code = \"WK3\"; name = \"Wijk 3\";   level = \"wijk\";     parent = \"CL1\"; },\n"
    "  { code = \"X\";   name = \"Los\";      level = \"wijk\"; }\n"
    ");\n"
    "organisations = (\n"
    "  { id = \"o-buurt\";    name = \"B\"; kind = \"kinderopvang\"; area = \"BU1\"; },\n"
    "  { id = \"o-cluster\";  name = \"C\"; kind = \"school_po\";    area = \"WK3\"; },\n"
    "  { id = \"o-regio\";    name = \"R\"; kind = \"rbl\";          area = \"RG\"; },\n"
    "  { id = \"o-gemeente\"; name = \"G\"; kind = \"gemeente\";     area = \"GM2\"; },\n"
    "  { id = \"o-explicit\"; name = \"E\"; kind = \"ggd\"; area = \"WK1\";"
    " reports_for = [\"WK2\"]; },\n"
    "  { id = \"o-multi\";    name = \"M\"; kind = \"mbo\"; area = \"WK1\";"
    " reports_for = (\"BU1\", \"GM2\"); active = true; },\n"
    "  { id = \"o-los\";      name = \"L\"; kind = \"school_vo\"; area = \"X\"; },\n"
    "  { id = \"o-inactive\"; name = \"I\"; kind = \"school_so\"; area = \"GM1\";"
    " active = false; }\n"
    ");\n";

static void test_partners_tree(void **state)
{
    enum { RG, GM1, GM2, WK1, WK2, BU1, CL1, WK3, X, N_AREAS };
    static const char *const codes[N_AREAS] = {"RG", "GM1", "GM2", "WK1", "WK2", "BU1",
                                               "CL1", "WK3", "X"};
    static const int parents[N_AREAS] = {-1, RG, RG, GM1, GM2, WK1, GM1, CL1, -1};
    /* May each organisation report for each area? (columns in enum order) */
    static const struct {
        const char *id;
        int reports_for[2]; /* -1 ends */
        bool may[N_AREAS];
    } cases[] = {
        /*                         RG     GM1    GM2    WK1    WK2    BU1    CL1    WK3    X */
        {"o-buurt", {BU1, -1}, {false, false, false, false, false, true, false, false, false}},
        {"o-cluster", {WK3, -1}, {false, false, false, false, false, false, false, true, false}},
        {"o-regio", {RG, -1}, {true, true, true, true, true, true, true, true, false}},
        {"o-gemeente", {GM2, -1}, {false, false, true, false, true, false, false, false, false}},
        {"o-explicit", {WK2, -1}, {false, false, false, false, true, false, false, false, false}},
        {"o-multi", {BU1, GM2}, {false, false, true, false, true, true, false, false, false}},
        {"o-los", {X, -1}, {false, false, false, false, false, false, false, false, true}},
        {"o-inactive", {GM1, -1}, {false, true, false, true, false, true, true, true, false}},
        /* (home GM1: its gemeente and below) */
    };
    char path[TP];
    partners p;
    (void)state;
    write_file("tree.conf", TREE, path, sizeof path);
    load_ok(&p, path);
    assert_int_equal(p.n_areas, N_AREAS);
    for (int a = 0; a < N_AREAS; a++) {
        assert_string_equal(p.areas[a].code, codes[a]);
        assert_int_equal(p.areas[a].parent, parents[a]);
        assert_int_equal(partners_area(&p, codes[a]), a);
    }
    assert_string_equal(p.areas[BU1].level, "buurt");
    assert_string_equal(p.areas[CL1].level, "cluster");
    assert_string_equal(p.areas[RG].level, "regio");
    assert_int_equal(p.n_orgs, sizeof cases / sizeof cases[0]);
    assert_int_equal(p.n_staff, 0);
    assert_null(p.staff);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const organisation *o = partners_org(&p, cases[i].id);
        if (!o)
            fail_msg("%s not loaded", cases[i].id);
        size_t n = cases[i].reports_for[1] < 0 ? 1 : 2;
        assert_int_equal(o->n_reports_for, n);
        for (size_t k = 0; k < n; k++)
            assert_int_equal(o->reports_for[k], cases[i].reports_for[k]);
        for (int a = 0; a < N_AREAS; a++)
            if (partners_may_report(&p, o, a) != cases[i].may[a])
                fail_msg("%s for %s: want %d", cases[i].id, codes[a], cases[i].may[a]);
        assert_false(partners_may_report(&p, o, -1));
        assert_int_equal(o->active, strcmp(cases[i].id, "o-inactive") != 0);
    }
    for (size_t i = 1; i < p.n_orgs; i++)
        assert_true(strcmp(p.orgs[i - 1].id, p.orgs[i].id) < 0);
    assert_int_equal(partners_org(&p, "o-explicit")->home, WK1);
    assert_int_equal(partners_org(&p, "o-explicit")->kind, KIND_GGD);
    partners_free(&p);
}

/* A file with areas only is a valid (if quiet) municipality. */
static void test_partners_areas_only(void **state)
{
    char path[TP];
    partners p;
    (void)state;
    write_file("areas-only.conf",
               "areas = ( { code = \"GM1\"; name = \"G\"; level = \"gemeente\"; } );\n"
               "organisations = ();\nstaff = ();\n",
               path, sizeof path);
    load_ok(&p, path);
    assert_int_equal(p.n_areas, 1);
    assert_int_equal(p.n_orgs, 0);
    assert_int_equal(p.n_staff, 0);
    assert_null(partners_org(&p, "x"));
    assert_null(partners_staff(&p, "x"));
    partners_free(&p);
}

/* ---- keys ---------------------------------------------------------------- */

typedef struct {
    char pub[41], secret[41];
    uint8_t bytes[CURVE_KEY_BYTES];
} keypair;

static void make_keys(keypair *k, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(zmq_curve_keypair(k[i].pub, k[i].secret), 0);
        assert_non_null(zmq_z85_decode(k[i].bytes, k[i].pub));
    }
}

static void test_partners_keys(void **state)
{
    keypair k[6];
    char text[2048], path[TP];
    partners p;
    (void)state;
    make_keys(k, 6);
    /* Organisations out of id order, so key indexes must follow the sorting. */
    snprintf(text, sizeof text,
             "areas = ( { code = \"GM1\"; name = \"G\"; level = \"gemeente\"; } );\n"
             "organisations = (\n"
             "  { id = \"zz-org\"; name = \"Z\"; kind = \"ggd\"; area = \"GM1\";"
             " keys = [\"%s\", \"%s\"]; },\n"
             "  { id = \"bb-org\"; name = \"B\"; kind = \"ggd\"; area = \"GM1\"; },\n"
             "  { id = \"aa-org\"; name = \"A\"; kind = \"rbl\"; area = \"GM1\";"
             " keys = (\"%s\"); }\n"
             ");\n"
             "staff = (\n"
             "  { id = \"zz-staff\"; name = \"S\"; role = \"viewer\"; keys = [\"%s\"]; },\n"
             "  { id = \"mm-staff\"; name = \"M\"; role = \"admin\"; keys = [\"%s\"]; }\n"
             ");\n",
             k[0].pub, k[1].pub, k[2].pub, k[3].pub, k[4].pub);
    write_file("keys.conf", text, path, sizeof path);
    load_ok(&p, path);
    assert_int_equal(p.n_keys, 5);
    for (size_t i = 1; i < p.n_keys; i++)
        assert_true(memcmp(p.keys[i - 1].key, p.keys[i].key, CURVE_KEY_BYTES) < 0);
    static const struct { size_t key; bool staff; const char *id; } owners[] = {
        {0, false, "zz-org"}, {1, false, "zz-org"}, {2, false, "aa-org"},
        {3, true, "zz-staff"}, {4, true, "mm-staff"}};
    for (size_t i = 0; i < sizeof owners / sizeof owners[0]; i++) {
        const key_entry *e = partners_key(&p, k[owners[i].key].bytes);
        if (!e)
            fail_msg("key %zu not found", owners[i].key);
        assert_memory_equal(e->key, k[owners[i].key].bytes, CURVE_KEY_BYTES);
        assert_int_equal(e->staff, owners[i].staff);
        const char *id = e->staff ? p.staff[e->index].id : p.orgs[e->index].id;
        assert_string_equal(id, owners[i].id);
    }
    /* A key nobody has, and a secret key, are nobody's. */
    assert_null(partners_key(&p, k[5].bytes));
    uint8_t secret[CURVE_KEY_BYTES];
    assert_non_null(zmq_z85_decode(secret, k[0].secret));
    assert_null(partners_key(&p, secret));
    partners_free(&p);
    assert_null(p.keys);
    assert_int_equal(p.n_keys, 0);
}

static void test_partners_bad_keys(void **state)
{
    keypair k[2];
    /* Quoted as they go into the file. */
    char q0[44], q1[44], bad_char[44], shorter[44], longer[46];
    (void)state;
    make_keys(k, 2);
    snprintf(q0, sizeof q0, "\"%s\"", k[0].pub);
    snprintf(q1, sizeof q1, "\"%s\"", k[1].pub);
    snprintf(bad_char, sizeof bad_char, "\"%.17s~%.22s\"", k[0].pub, k[0].pub + 18);
    snprintf(shorter, sizeof shorter, "\"%.39s\"", k[0].pub);
    snprintf(longer, sizeof longer, "\"%sA\"", k[0].pub);
    assert_int_equal(strlen(bad_char), 42); /* '~' is not in the Z85 alphabet */
    const struct {
        const char *org_keys, *staff_keys; /* the lists' contents */
        int line;
        const char *setting, *message, *message2;
    } cases[] = {
        {"\"short\"", q1, 3, "organisations.[0].keys.[0]",
         "not a CURVE public key (40 Z85 characters, from leamon keygen)", NULL},
        {shorter, q1, 3, "organisations.[0].keys.[0]", "not a CURVE public key", NULL},
        {longer, q1, 3, "organisations.[0].keys.[0]", "not a CURVE public key", NULL},
        {bad_char, q1, 3, "organisations.[0].keys.[0]", "not a CURVE public key", NULL},
        {"\"\"", q1, 3, "organisations.[0].keys.[0]", "not a CURVE public key", NULL},
        {q0, "\"short\"", 6, "staff.[0].keys.[0]", "not a CURVE public key", NULL},
        {q0, "5", 6, "staff.[0].keys.[0]", "must be a string in double quotes", NULL},
        /* One key, two identities: the error names both. */
        {q0, q0, 0, NULL, "one public key is listed for two identities", "o1"},
        {q1, q1, 0, NULL, "one public key is listed for two identities", "s1"},
    };
    char report[8192] = "";
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[2048], path[TP], name[32];
        lm_error err;
        partners p;
        snprintf(text, sizeof text,
                 "areas = ( { code = \"GM1\"; name = \"G\"; level = \"gemeente\"; } );\n" /* 1 */
                 "organisations = (\n"                                                   /* 2 */
                 "  { id = \"o1\"; name = \"O\"; kind = \"ggd\"; area = \"GM1\"; keys = [%s]; }\n"
                 ");\n"                                                                  /* 4 */
                 "staff = (\n"                                                           /* 5 */
                 "  { id = \"s1\"; name = \"S\"; role = \"admin\"; keys = [%s]; }\n"     /* 6 */
                 ");\n",
                 cases[i].org_keys, cases[i].staff_keys);
        snprintf(name, sizeof name, "bad-keys-%zu.conf", i);
        write_file(name, text, path, sizeof path);
        int rc = partners_load(&p, path, &err);
        const char *why = rc == 0 ? "loaded"
                                  : check_located(err.msg, path, cases[i].line, cases[i].setting,
                                                  cases[i].message);
        if (!why && cases[i].message2 &&
            !(strstr(err.msg, "(o1 and s1)") || strstr(err.msg, "(s1 and o1)")))
            why = "the message does not name both identities";
        if (why)
            snprintf(report + strlen(report), sizeof report - strlen(report),
                     "case %zu: %s\n", i, why);
        if (rc == 0)
            partners_free(&p);
        else
            assert_null(p.keys);
    }
    if (report[0])
        fail_msg("%s", report);
}

/* The same key twice for one organisation, or for two organisations. */
static void test_partners_key_twice(void **state)
{
    keypair k[1];
    char text[1024], path[TP];
    lm_error err;
    partners p;
    (void)state;
    make_keys(k, 1);
    snprintf(text, sizeof text,
             "areas = ( { code = \"GM1\"; name = \"G\"; level = \"gemeente\"; } );\n"
             "organisations = (\n"
             "  { id = \"o1\"; name = \"O\"; kind = \"ggd\"; area = \"GM1\";"
             " keys = [\"%s\"]; },\n"
             "  { id = \"o2\"; name = \"O\"; kind = \"ggd\"; area = \"GM1\";"
             " keys = [\"%s\"]; }\n"
             ");\n",
             k[0].pub, k[0].pub);
    write_file("key-two-orgs.conf", text, path, sizeof path);
    assert_int_equal(partners_load(&p, path, &err), -1);
    assert_null(
        check_located(err.msg, path, 0, NULL, "one public key is listed for two identities"));
    assert_true(strstr(err.msg, "(o1 and o2)") || strstr(err.msg, "(o2 and o1)"));
    assert_null(p.orgs);
    assert_null(p.keys);

    snprintf(text, sizeof text,
             "areas = ( { code = \"GM1\"; name = \"G\"; level = \"gemeente\"; } );\n"
             "organisations = (\n"
             "  { id = \"o1\"; name = \"O\"; kind = \"ggd\"; area = \"GM1\";"
             " keys = [\"%s\", \"%s\"]; }\n"
             ");\n",
             k[0].pub, k[0].pub);
    write_file("key-twice-one-org.conf", text, path, sizeof path);
    assert_int_equal(partners_load(&p, path, &err), -1);
    assert_non_null(strstr(err.msg, "one public key is listed for two identities (o1 and o1)"));
}

/* Heap bytes in use (glibc; freed chunks parked in its per-thread cache count as in
 * use, so compare many rounds rather than one). Under ASan and valgrind this stays
 * flat, and their leak checkers take over. */
static size_t heap_in_use(void)
{
    return mallinfo2().uordblks;
}

static size_t heap_growth(const char *path, int rounds)
{
    size_t before = heap_in_use();
    for (int i = 0; i < rounds; i++) {
        partners p;
        load_ok(&p, path);
        assert_int_equal(p.n_keys, 0);
        assert_int_equal(p.n_orgs, 1);
        assert_int_equal(p.n_staff, 1);
        partners_free(&p);
    }
    size_t after = heap_in_use();
    return after > before ? after - before : 0;
}

/* An identity with an empty key list (keys = []; e.g. keys not handed out yet) must
 * load without leaking. */
static void test_partners_empty_key_list(void **state)
{
    enum { ROUNDS = 200 };
    char control[TP], empty[TP];
    (void)state;
    write_file("nokeys.conf",
               "areas = ( { code = \"GM1\"; name = \"G\"; level = \"gemeente\"; } );\n"
               "organisations = ( { id = \"o1\"; name = \"O\"; kind = \"ggd\"; area = \"GM1\";"
               " } );\n"
               "staff = ( { id = \"s1\"; name = \"S\"; role = \"viewer\"; } );\n",
               control, sizeof control);
    write_file("emptykeys.conf",
               "areas = ( { code = \"GM1\"; name = \"G\"; level = \"gemeente\"; } );\n"
               "organisations = ( { id = \"o1\"; name = \"O\"; kind = \"ggd\"; area = \"GM1\";"
               " keys = []; } );\n"
               "staff = ( { id = \"s1\"; name = \"S\"; role = \"viewer\"; keys = (); } );\n",
               empty, sizeof empty);
    size_t base = heap_growth(control, ROUNDS);
    size_t grown = heap_growth(empty, ROUNDS);
    /* A leak of even the smallest chunk per load is 16+ bytes a round. */
    if (grown > base + 16 * ROUNDS)
        fail_msg("%d loads of a file with 'keys = []' left %zu more heap bytes in use "
                 "(%zu per load; the same file without it: %zu in all)",
                 ROUNDS, grown - base, (grown - base) / ROUNDS, base);
}

/* ---- bad files ----------------------------------------------------------- */

#define AREA_GM1 "  { code = \"GM1\"; name = \"G\"; level = \"gemeente\"; }"
#define AREA_WK1 "  { code = \"WK1\"; name = \"W\"; level = \"wijk\"; parent = \"GM1\"; }"
#define ORG(id, rest) "  { id = \"" id "\"; name = \"O\"; kind = \"ggd\"; area = \"GM1\"; " rest "}"

static void test_partners_bad(void **state)
{
    static const struct {
        const char *text;
        int line;
        const char *setting, *message;
    } cases[] = {
        /* areas */
        {"areas = (\n" AREA_GM1 ",\n  { code = \"WK1\"; name = \"W\"; level = \"wijk\";"
         " parent = \"GM9\"; }\n);\n",
         3, "areas.[1].parent", "'GM9' is not an area listed above this one"},
        {"areas = (\n" AREA_WK1 ",\n" AREA_GM1 "\n);\n", 2, "areas.[0].parent",
         "'GM1' is not an area listed above this one"},
        {"areas = (\n  { code = \"A\"; name = \"A\"; level = \"wijk\"; parent = \"A\"; }\n);\n", 2,
         "areas.[0].parent", "'A' is not an area listed above this one"},
        {"areas = (\n" AREA_GM1 ",\n" AREA_WK1 ",\n" AREA_WK1 "\n);\n", 4, "areas.[2]",
         "area 'WK1' is defined twice"},
        {"areas = (\n" AREA_GM1 ",\n  { code = \"WK1\"; name = \"W\"; level = \"wyk\"; }\n);\n",
         3, "areas.[1].level", "'wyk' is not one of regio, gemeente, wijk, cluster, buurt"},
        {"areas = (\n  { code = \"W K\"; name = \"W\"; level = \"wijk\"; }\n);\n", 2,
         "areas.[0].code", "'W K' is not a code (letters, digits, '.', '_', '-')"},
        {"areas = (\n  { code = \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"; name = \"W\";"
         " level = \"wijk\"; }\n);\n",
         2, "areas.[0].code", "longer than 32 characters"},
        {"areas = (\n  { code = \"A\"; name = \"W\"; level = \"wijk\"; colour = 1; }\n);\n", 2,
         "areas.[0].colour", "unknown setting (a typo?)"},
        {"areas = (\n  { code = \"A\"; level = \"wijk\"; }\n);\n", 2, "areas.[0]",
         "'name' is missing"},
        {"areas = (\n  \"GM1\", 5\n);\n", 2, "areas.[0]", "an area must be a group"},
        {"organisations = ();\n", 0, NULL, "'areas' is missing"},
        {"areas = ();\n", 1, "areas", "areas must be a non-empty list ( {...}, {...} )"},
        {"areas = [\"GM1\"];\n", 1, "areas", "areas must be a non-empty list"},
        /* the file */
        {"areas = (\n" AREA_GM1 "\n);\npartners = ();\n", 4, "partners",
         "unknown setting (a typo?)"},
        {"areas = (\n" AREA_GM1 "\n);\norganisations = { };\n", 4, "organisations",
         "must be a list ( {...}, {...} )"},
        {"areas = (\n" AREA_GM1 "\n);\nstaff = [\"x\"];\n", 4, "staff", "must be a list"},
        /* organisations */
        {"areas = (\n" AREA_GM1 "\n);\norganisations = (\n" ORG("o1", "") ",\n" ORG("o1", "")
         "\n);\n",
         6, "organisations.[1]", "organisation 'o1' is defined twice"},
        {"areas = (\n" AREA_GM1 "\n);\norganisations = (\n"
         "  { id = \"o1\"; name = \"O\"; kind = \"school\"; area = \"GM1\"; }\n);\n",
         5, "organisations.[0].kind", "'school' is not a partner kind (kinderopvang, ggd"},
        {"areas = (\n" AREA_GM1 "\n);\norganisations = (\n"
         "  { id = \"o1\"; name = \"O\"; kind = \"ggd\"; area = \"WK9\"; }\n);\n",
         5, "organisations.[0].area", "'WK9' is not a known area"},
        {"areas = (\n" AREA_GM1 "\n);\norganisations = (\n"
         ORG("o1", "reports_for = [\"GM1\", \"WK9\"]; ") "\n);\n",
         5, "organisations.[0].reports_for.[1]", "'WK9' is not a known area"},
        {"areas = (\n" AREA_GM1 "\n);\norganisations = (\n" ORG("o1", "reports_for = []; ")
         "\n);\n",
         5, "organisations.[0].reports_for", "names no area"},
        {"areas = (\n" AREA_GM1 "\n);\norganisations = (\n" ORG("o1", "reports_for = \"GM1\"; ")
         "\n);\n",
         5, "organisations.[0].reports_for", "must be a list of strings"},
        {"areas = (\n" AREA_GM1 "\n);\norganisations = (\n" ORG("o 1", "") "\n);\n", 5,
         "organisations.[0].id", "'o 1' is not an id (letters, digits, '.', '_', '-')"},
        {"areas = (\n" AREA_GM1 "\n);\norganisations = (\n" ORG("o1", "active = \"yes\"; ")
         "\n);\n",
         5, "organisations.[0].active", "must be true or false"},
        {"areas = (\n" AREA_GM1 "\n);\norganisations = (\n" ORG("o1", "keys = \"abc\"; ")
         "\n);\n",
         5, "organisations.[0].keys", "must be a list of strings"},
        {"areas = (\n" AREA_GM1 "\n);\norganisations = (\n" ORG("o1", "role = \"admin\"; ")
         "\n);\n",
         5, "organisations.[0].role", "unknown setting (a typo?)"},
        {"areas = (\n" AREA_GM1 "\n);\norganisations = (\n"
         "  { id = \"o1\"; kind = \"ggd\"; area = \"GM1\"; }\n);\n",
         5, "organisations.[0]", "'name' is missing"},
        {"areas = (\n" AREA_GM1 "\n);\norganisations = (\n  5\n);\n", 5, "organisations.[0]",
         "an organisation must be a group"},
        /* staff */
        {"areas = (\n" AREA_GM1 "\n);\norganisations = (\n" ORG("o1", "") "\n);\nstaff = (\n"
         "  { id = \"o1\"; name = \"S\"; role = \"admin\"; }\n);\n",
         8, "staff.[0]", "id 'o1' is already an organisation"},
        {"areas = (\n" AREA_GM1 "\n);\nstaff = (\n"
         "  { id = \"s1\"; name = \"S\"; role = \"admin\"; },\n"
         "  { id = \"s1\"; name = \"T\"; role = \"viewer\"; }\n);\n",
         6, "staff.[1]", "staff member 's1' is defined twice"},
        {"areas = (\n" AREA_GM1 "\n);\nstaff = (\n"
         "  { id = \"s1\"; name = \"S\"; role = \"boss\"; }\n);\n",
         5, "staff.[0].role", "'boss' is not viewer or admin"},
        {"areas = (\n" AREA_GM1 "\n);\nstaff = (\n"
         "  { id = \"s1\"; name = \"S\"; role = \"partner\"; }\n);\n",
         5, "staff.[0].role", "'partner' is not viewer or admin"},
        {"areas = (\n" AREA_GM1 "\n);\nstaff = (\n"
         "  { id = \"s/1\"; name = \"S\"; role = \"admin\"; }\n);\n",
         5, "staff.[0].id", "'s/1' is not an id"},
        {"areas = (\n" AREA_GM1 "\n);\nstaff = (\n"
         "  { id = \"s1\"; name = \"S\"; role = \"admin\"; area = \"GM1\"; }\n);\n",
         5, "staff.[0].area", "unknown setting"},
        {"areas = (\n" AREA_GM1 "\n);\nstaff = (\n  { id = \"s1\"; name = \"S\"; }\n);\n", 5,
         "staff.[0]", "'role' is missing"},
    };
    char report[16384] = "";
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[TP], name[32];
        lm_error err;
        partners p;
        snprintf(name, sizeof name, "bad-%zu.conf", i);
        write_file(name, cases[i].text, path, sizeof path);
        memset(&p, 0x5a, sizeof p);
        int rc = partners_load(&p, path, &err);
        const char *why = rc == 0 ? "loaded"
                                  : check_located(err.msg, path, cases[i].line, cases[i].setting,
                                                  cases[i].message);
        if (why)
            snprintf(report + strlen(report), sizeof report - strlen(report), "case %zu: %s\n",
                     i, why);
        if (rc == 0) {
            partners_free(&p);
        } else {
            /* Everything was freed and the struct emptied. */
            assert_null(p.areas);
            assert_null(p.orgs);
            assert_null(p.staff);
            assert_null(p.keys);
            assert_int_equal(p.n_orgs, 0);
        }
    }
    if (report[0])
        fail_msg("%s", report);
}

static void test_partners_unreadable(void **state)
{
    char path[TP];
    lm_error err;
    partners p;
    (void)state;
    path_join(path, sizeof path, tmpdir, "nope.conf");
    assert_int_equal(partners_load(&p, path, &err), -1);
    assert_null(check_located(err.msg, path, 0, NULL, "cannot read the file"));
    write_file("syntax.conf", "areas = (\n  { code = \"A\" name = \"x\"; }\n);\n", path,
               sizeof path);
    assert_int_equal(partners_load(&p, path, &err), -1);
    char prefix[TP + 8];
    snprintf(prefix, sizeof prefix, "%s:2: ", path);
    if (strncmp(err.msg, prefix, strlen(prefix)) != 0)
        fail_msg("'%s'", err.msg);
    assert_null(p.areas);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_role_names),
        cmocka_unit_test(test_partners_shipped),
        cmocka_unit_test(test_partners_tree),
        cmocka_unit_test(test_partners_areas_only),
        cmocka_unit_test(test_partners_keys),
        cmocka_unit_test(test_partners_bad_keys),
        cmocka_unit_test(test_partners_key_twice),
        cmocka_unit_test(test_partners_empty_key_list),
        cmocka_unit_test(test_partners_bad),
        cmocka_unit_test(test_partners_unreadable),
    };
    return cmocka_run_group_tests(tests, tmpdir_setup, tmpdir_teardown);
}
