/* test_csv_map.c: a partner's mapping file: read with located errors, its column names
 * taken as the file's, its names translated, anything else read as a code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "csv.h"
#include "csv_map.h"
#include "testutil.h"

static const char map_text[] =
    "columns = { metric = \"Omschrijving\"; area = \"Wijknaam\"; value = \"Aantal\"; };\n"
    "metrics = ( { export = \"Doelgroepkinderen geplaatst\"; metric = \"vve.doelgroep.geplaatst\"; } );\n"
    "areas = ( { export = \"Noord\"; area = \"WK016402\"; } );\n";

static void test_map_names_columns_and_codes(void **state)
{
    char path[256];
    csv_map map;
    lm_error err;
    (void)state;
    write_file("map.conf", map_text, path, sizeof path);
    if (csv_map_load(&map, path, &err) != 0)
        fail_msg("%s", err.msg);
    assert_string_equal(map.columns[0], "Omschrijving");
    assert_string_equal(map.columns[2], "");
    assert_string_equal(csv_map_find(map.metrics, map.n_metrics, "doelgroepkinderen GEPLAATST"),
                        "vve.doelgroep.geplaatst");
    assert_null(csv_map_find(map.areas, map.n_areas, "Zuid"));
    char text[] = "Locatie;Wijknaam;Omschrijving;Aantal\n"
                  "A;Noord;Doelgroepkinderen geplaatst;1.200\n"
                  "B;WK016401;vve.plaatsen;7\n";
    records_t recs;
    proto_errors errs;
    records_init(&recs);
    proto_errors_init(&errs);
    int rc = csv_parse_text(text, strlen(text), "2026-10", &map, &recs, &errs);
    if (rc != 0)
        fail_msg("%s", errs.count ? errs.items[0].message : "?");
    assert_int_equal(recs.count, 2);
    assert_string_equal(recs.items[0].metric, "vve.doelgroep.geplaatst");
    assert_string_equal(recs.items[0].area, "WK016402");
    assert_true(recs.items[0].value == 1200);
    /* Not in the map: read as a code. */
    assert_string_equal(recs.items[1].metric, "vve.plaatsen");
    assert_string_equal(recs.items[1].area, "WK016401");
    records_free(&recs);
    proto_errors_free(&errs);
    csv_map_free(&map);
}

static void test_map_errors_are_located(void **state)
{
    static const struct {
        const char *text, *message;
    } cases[] = {
        {"metrics = ( { export = \"x\"; } );\n", ":1: metrics: each entry is { export"},
        {"\n\nareas = ( { export = \"Noord\"; area = \"WK1\"; },\n"
         "  { export = \"noord\"; area = \"WK2\"; } );\n", ":4: areas: 'noord' is listed twice"},
        {"wijken = ();\n", ":1: unknown setting 'wijken'"},
        {"metrics = \"x\";\n", ":1: must be a list"},
        {"columns = {\n", ":2: "},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[256];
        csv_map map;
        lm_error err;
        write_file("bad.conf", cases[i].text, path, sizeof path);
        if (csv_map_load(&map, path, &err) == 0) {
            csv_map_free(&map);
            fail_msg("case %zu accepted", i);
        }
        if (strncmp(err.msg, path, strlen(path)) != 0 || !strstr(err.msg, cases[i].message))
            fail_msg("case %zu: %s", i, err.msg);
    }
    csv_map map;
    lm_error err;
    assert_int_equal(csv_map_load(&map, "/nonexistent/map.conf", &err), -1);
    assert_non_null(strstr(err.msg, "cannot read the map file"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        tmpdir_test(test_map_names_columns_and_codes),
        tmpdir_test(test_map_errors_are_located),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
