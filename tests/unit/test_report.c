/* Unit tests for the pure parts of `leamon report` (client/report/): its Dutch
 * wording and numbers (text.c), the page buffer and escaping (html.c), the
 * numbers as the internal and the public version show them (shown.c), the
 * model made of typed replies (model.c), and the charts fed by hand
 * (svg.c). */
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

#include "leamon.h"
#include "mpw.h"
#include "period.h"
#include "reply_build.h"
#include "proto.h"
#include "report/html.h"
#include "report/model.h"
#include "report/page.h"
#include "report/shown.h"
#include "report/svg.h"
#include "report/text.h"

/* Central European time without the tz database: the same rules as Europe/Amsterdam. */
#define TZ_NL "CET-1CEST,M3.5.0,M10.5.0/3"
#define EN_DASH "\xe2\x80\x93"

static int set_tz(void **state)
{
    (void)state;
    if (setenv("TZ", TZ_NL, 1) != 0)
        return -1;
    tzset();
    return 0;
}

/* ---- text.c ----------------------------------------------------------------- */

static void test_nl_numbers(void **state)
{
    (void)state;
    char b[NL_TEXT_MAX];
    nl_number(b, sizeof b, 1250, -1);
    assert_string_equal(b, "1.250");
    nl_number(b, sizeof b, 1234567.891, -1);
    assert_string_equal(b, "1.234.567,89");
    nl_number(b, sizeof b, -0.5, -1);
    assert_string_equal(b, "-0,5");
    nl_number(b, sizeof b, 79.24, 1);
    assert_string_equal(b, "79,2");
    nl_number(b, sizeof b, -0.04, 1); /* rounds to zero: no minus sign */
    assert_string_equal(b, "0,0");
    nl_number(b, sizeof b, 999, 0);
    assert_string_equal(b, "999");
    nl_number(b, sizeof b, NAN, -1);
    assert_string_equal(b, EN_DASH);

    nl_value(b, sizeof b, 79.24, "percent", 1);
    assert_string_equal(b, "79,2%");
    nl_value(b, sizeof b, 79.24, "percent", 0);
    assert_string_equal(b, "79%");
    nl_value(b, sizeof b, 15.5, "hours", 1);
    assert_string_equal(b, "15,5 uur");
    nl_value(b, sizeof b, 4200, "count", 1);
    assert_string_equal(b, "4.200");
    nl_value(b, sizeof b, 41.5, "count", 1);
    assert_string_equal(b, "41,5");
    nl_value(b, sizeof b, 1234.5, "euro", 1);
    assert_string_equal(b, "1.234,5 euro");
    nl_value(b, sizeof b, 3.26, NULL, 1);
    assert_string_equal(b, "3,3");
    nl_value(b, sizeof b, INFINITY, "percent", 1);
    assert_string_equal(b, EN_DASH);
}

static void test_nl_months_and_periods(void **state)
{
    (void)state;
    char b[NL_TEXT_MAX];
    assert_string_equal(nl_month(1), "januari");
    assert_string_equal(nl_month(12), "december");
    assert_string_equal(nl_month(13), "?");
    assert_string_equal(nl_month_short(10), "okt");
    assert_string_equal(nl_month_short(0), "?");

    nl_period(b, sizeof b, "2026-10");
    assert_string_equal(b, "oktober 2026");
    nl_period(b, sizeof b, "2026-Q4");
    assert_string_equal(b, "4e kwartaal 2026");
    nl_period(b, sizeof b, "2026");
    assert_string_equal(b, "2026");
    nl_period(b, sizeof b, "2025/26");
    assert_string_equal(b, "schooljaar 2025/26");
    nl_period(b, sizeof b, "later");
    assert_string_equal(b, "later");

    month_code(b, sizeof b, test_month_no("2026-10"));
    assert_string_equal(b, "2026-10");
    nl_month_year(b, sizeof b, test_month_no("2026-03"));
    assert_string_equal(b, "mrt 2026");
    nl_period_short(b, sizeof b, "2026-10");
    assert_string_equal(b, "okt 2026");
    nl_period_short(b, sizeof b, "2026-Q4");
    assert_string_equal(b, "2026-Q4");

    nl_period_span(b, sizeof b, "2026-08", "2026-10");
    assert_string_equal(b, "aug 2026 " EN_DASH " okt 2026");
    nl_period_span(b, sizeof b, "2026-08", "2026-08");
    assert_string_equal(b, "aug 2026");
    nl_period_span(b, sizeof b, "2026-08", "");
    assert_string_equal(b, "aug 2026");
    nl_period_span(b, sizeof b, "2025/26", "2026-Q1");
    assert_string_equal(b, "2025/26 " EN_DASH " 2026-Q1");
}

static void test_nl_time(void **state)
{
    (void)state;
    char b[NL_TEXT_MAX];
    nl_time(b, sizeof b, 1793883720, true); /* 2026-11-05 13:02 UTC */
    assert_string_equal(b, "05-11-2026 14:02");
    nl_time(b, sizeof b, 1793883720, false);
    assert_string_equal(b, "5 november 2026");
}

static void test_nl_words(void **state)
{
    (void)state;
    char b[400];
    nl_reason(b, sizeof b, "no figures for the numerator (vve.doelgroep.geplaatst)");
    assert_string_equal(b, "geen cijfers voor de teller (vve.doelgroep.geplaatst)");
    nl_reason(b, sizeof b, "no figure had been computed by then");
    assert_string_equal(b, "toen nog niet berekend");
    nl_reason(b, sizeof b, "");
    assert_string_equal(b, "geen cijfers");
    nl_reason(b, sizeof b, "the area has no partners");
    assert_string_equal(b, "the area has no partners");

    assert_string_equal(nl_alert_state("pending"), "in aanloop");
    assert_string_equal(nl_alert_state("firing"), "actief");
    assert_string_equal(nl_alert_state("resolved"), "opgelost");
    assert_string_equal(nl_alert_state("odd"), "odd");
    assert_string_equal(nl_severity("critical"), "kritiek");
    assert_string_equal(nl_severity("info"), "info");
    assert_string_equal(nl_rule_kind("off_track"), "naast het pad");
    assert_string_equal(nl_rule_kind("late"), "niet geleverd");
    assert_string_equal(nl_partner_kind("ggd"), "GGD / JGZ");
    assert_string_equal(nl_partner_kind("school_vo"), "voortgezet onderwijs");
    assert_string_equal(nl_partner_kind("bso"), "bso");
    assert_true(partner_kind_rank("kinderopvang") < partner_kind_rank("ggd"));
    assert_true(partner_kind_rank("rbl") < partner_kind_rank("gemeente"));
    assert_true(partner_kind_rank("gemeente") < partner_kind_rank("bso"));
    assert_string_equal(nl_better("higher"), "Hoger is beter");
    assert_string_equal(nl_better("closer"), "Dichter bij de ideale waarde is beter");
    assert_string_equal(nl_better(""), "");

    nl_band_label(b, sizeof b, "below", "wijk", 70, "percent", "higher");
    assert_string_equal(b, "signaalgrens wijk: < 70,0%");
    nl_band_label(b, sizeof b, "above", "", 10, "count", "lower");
    assert_string_equal(b, "signaalgrens: > 10");
    nl_band_label(b, sizeof b, "off_track", "", 2, "percent", "higher");
    assert_string_equal(b, "signaalzone: meer dan 2 procentpunt onder het pad");
    nl_band_label(b, sizeof b, "off_track", "wijk", 2.5, "percent", "lower");
    assert_string_equal(b, "signaalzone wijk: meer dan 2,5 procentpunt boven het pad");
}

/* How final a figure is, in Dutch. */
static void test_nl_state(void **state)
{
    (void)state;
    static const struct {
        const char *state;
        int kind;
        const char *want;
    } cases[] = {
        {"provisional", PERIOD_MONTH, "voorlopig: 2 van 17 partners"},
        {"open", PERIOD_MONTH, "lopende maand"},
        {"open", PERIOD_QUARTER, "lopend kwartaal"},
        {"open", PERIOD_SCHOOLYEAR, "lopend schooljaar"},
        {"final", PERIOD_MONTH, ""},
        {"closed", PERIOD_YEAR, ""},
    };
    char b[NL_TEXT_MAX];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        nl_state(b, sizeof b, cases[i].state, 17, 2, cases[i].kind);
        assert_string_equal(b, cases[i].want);
        assert_int_equal(state_not_final(cases[i].state), cases[i].want[0] != '\0');
    }
    assert_false(state_not_final(""));
}

/* ---- html.c ----------------------------------------------------------------- */

static void test_buffer_and_escaping(void **state)
{
    (void)state;
    rbuf b;
    rb_init(&b);
    rb_add(&b, "<p>");
    rb_esc(&b, "a<b & \"c\" 'd'>");
    rb_addf(&b, "</p>%d", 42);
    rb_addn(&b, "xyz", 2);
    assert_false(b.failed);
    assert_string_equal(b.buf, "<p>a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;</p>42xy");
    assert_int_equal(b.len, strlen(b.buf));
    /* past the first allocation */
    for (int i = 0; i < 5000; i++)
        rb_addf(&b, "%04d", i);
    assert_false(b.failed);
    assert_int_equal(b.len, strlen("<p>a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;</p>42xy") + 20000);
    assert_memory_equal(b.buf + b.len - 4, "4999", 4);
    rb_free(&b);
    assert_null(b.buf);
}

static void test_data_attrs(void **state)
{
    (void)state;
    rbuf b;
    data_ref ref = {"vve_bereik", "WK016401", "2026-10", "value"};
    rb_init(&b);
    rb_data_attrs(&b, &ref, "78.5", "<10", "why");
    assert_string_equal(b.buf, " data-indicator=\"vve_bereik\" data-area=\"WK016401\" "
                               "data-period=\"2026-10\" data-field=\"value\" data-value=\"78.5\"");
    rb_free(&b);
    rb_init(&b);
    rb_data_attrs(&b, &ref, NULL, "<10", "why");
    assert_non_null(strstr(b.buf, " data-suppressed=\"&lt;10\""));
    rb_free(&b);
    rb_init(&b);
    rb_data_attrs(&b, &ref, NULL, NULL, "no \"figures\"");
    assert_non_null(strstr(b.buf, " data-missing=\"no &quot;figures&quot;\""));
    rb_free(&b);
    rb_init(&b);
    rb_data_attrs(&b, &ref, NULL, NULL, NULL);
    assert_non_null(strstr(b.buf, "data-field=\"value\" data-missing=\"\""));
    rb_free(&b);
}

/* ---- shown.c ---------------------------------------------------------------- */

static const edition_t internal = {false, 10}, public10 = {true, 10};

static proto_indicator indicator(const char *unit, const char *type)
{
    proto_indicator ind;
    memset(&ind, 0, sizeof ind);
    snprintf(ind.code, sizeof ind.code, "x");
    snprintf(ind.unit, sizeof ind.unit, "%s", unit);
    snprintf(ind.type, sizeof ind.type, "%s", type);
    snprintf(ind.better, sizeof ind.better, "higher");
    return ind;
}

/* A final figure (NAN: no value, numerator or denominator). */
static proto_figure figure(double value, double num, double den)
{
    proto_figure f;
    memset(&f, 0, sizeof f);
    f.has_value = !isnan(value);
    f.value = value;
    f.has_num = !isnan(num);
    f.numerator = num;
    f.has_den = !isnan(den);
    f.denominator = den;
    snprintf(f.state, sizeof f.state, "final");
    f.plausible = true;
    return f;
}

static void test_shown_values(void **state)
{
    (void)state;
    proto_indicator ratio = indicator("percent", "ratio"), count = indicator("count", "sum"),
                    mean = indicator("hours", "mean");
    shown_t s;
    proto_figure f = figure(78.4313725, 120, 153);

    show_value(&internal, &ratio, &f, &s);
    assert_true(s.has);
    assert_false(s.suppressed);
    assert_string_equal(s.text, "78,4%");
    assert_string_equal(s.raw, "78.4313725"); /* unrounded in the internal version */

    show_value(&public10, &ratio, &f, &s);
    assert_string_equal(s.text, "78,4%");
    assert_string_equal(s.raw, "78.4"); /* the published number, never the raw one */
    assert_true(s.v == 78.4);

    f = figure(42.857, 6, 14); /* a numerator under min_cell */
    show_value(&public10, &ratio, &f, &s);
    assert_false(s.has);
    assert_true(s.suppressed);
    assert_string_equal(s.text, EN_DASH);
    show_value(&internal, &ratio, &f, &s);
    assert_string_equal(s.text, "42,9%");

    f = figure(23, NAN, NAN);
    show_value(&public10, &count, &f, &s);
    assert_string_equal(s.text, "25");
    assert_string_equal(s.raw, "25");
    f = figure(22, NAN, NAN);
    show_value(&public10, &count, &f, &s);
    assert_string_equal(s.text, "20");
    f = figure(7, NAN, NAN);
    show_value(&public10, &count, &f, &s);
    assert_false(s.has);
    assert_true(s.suppressed);
    assert_string_equal(s.text, "<10");

    f = figure(15.56, NAN, 4);
    show_value(&public10, &mean, &f, &s);
    assert_string_equal(s.text, "15,6 uur");
    assert_string_equal(s.raw, "15.6");

    f = figure(NAN, 3, NAN);
    show_value(&public10, &ratio, &f, &s);
    assert_false(s.has);
    assert_false(s.suppressed);
    assert_string_equal(s.text, "geen cijfers");
}

static void test_shown_counts_and_targets(void **state)
{
    (void)state;
    proto_indicator count = indicator("count", "sum"), ratio = indicator("percent", "ratio");
    edition_t public5 = {true, 5};
    shown_t s;
    show_count(&internal, false, 0, &s);
    assert_false(s.has);
    assert_string_equal(s.text, EN_DASH);
    show_count(&internal, true, 7, &s);
    assert_string_equal(s.text, "7");
    show_count(&public5, true, 7, &s);
    assert_string_equal(s.text, "5");
    show_count(&public5, true, 4, &s);
    assert_true(s.suppressed);
    assert_string_equal(s.text, "<5");
    show_count(&public10, true, 1234, &s);
    assert_string_equal(s.text, "1.235");
    show_int(16, &s);
    assert_string_equal(s.text, "16");
    assert_string_equal(s.raw, "16");

    show_target(&internal, &ratio, 83.2667, false, &s);
    assert_string_equal(s.text, "83,3%");
    assert_string_equal(s.raw, "83.2667");
    show_target(&public10, &count, 23.4, false, &s); /* a goal: rounded, never suppressed */
    assert_string_equal(s.text, "23");
    show_target(&public10, &count, 23.4, true, &s); /* a baseline from the data: a count */
    assert_string_equal(s.text, "25");
    show_target(&public10, &count, 4, true, &s);
    assert_true(s.suppressed);

    shown_number(&s, 1, "a text longer than the room there is for it in a shown number, "
                        "which is NL_TEXT_MAX bytes");
    assert_int_equal(strlen(s.text), NL_TEXT_MAX - 1);
}

static void test_shown_emit(void **state)
{
    (void)state;
    data_ref ref = {"i", "A", "2026-10", "value"};
    shown_t s;
    rbuf b;
    rb_init(&b);
    shown_number(&s, 78.5, "78,5%");
    shown_emit(&b, "td", "n", &ref, &s, "ignored");
    assert_string_equal(b.buf, "<td class=\"n\" data-indicator=\"i\" data-area=\"A\" "
                               "data-period=\"2026-10\" data-field=\"value\" "
                               "data-value=\"78.5\">78,5%</td>");
    rb_free(&b);
    rb_init(&b);
    show_count(&public10, true, 3, &s);
    shown_emit(&b, "span", "num", &ref, &s, NULL);
    assert_string_equal(b.buf, "<span class=\"num\" data-indicator=\"i\" data-area=\"A\" "
                               "data-period=\"2026-10\" data-field=\"value\" "
                               "data-suppressed=\"&lt;10\">&lt;10</span>");
    rb_free(&b);
}

/* ---- model.c ---------------------------------------------------------------- */


/* An alert of rule on vve_bereik in area. */
static proto_alert alert(const char *rule, const char *kind, double threshold, const char *area)
{
    proto_alert a;
    memset(&a, 0, sizeof a);
    SET(a.rule, rule);
    SET(a.indicator, "vve_bereik");
    SET(a.kind, kind);
    SET(a.severity, "critical");
    SET(a.area, area);
    a.threshold = threshold;
    return a;
}

/* A catalogue: a gemeente, two wijken (one nameless entry left out), two indicators (one
 * whose code cannot go back to the daemon). */
typedef struct {
    proto_area_info areas[4];
    proto_indicator inds[2];
    proto_catalog_reply cat;
} catalog_fixture;

static void catalog(catalog_fixture *x, bool with_areas)
{
    x->areas[0] = test_area("WK016401", "Hengelose Es", "wijk", "GM0164");
    x->areas[1] = test_area("GM0164", "Hengelo", "gemeente", "");
    x->areas[2] = test_area("", "nameless", "wijk", "GM0164");
    x->areas[3] = test_area("WK016402", "Noord", "wijk", "GM0164");
    x->inds[0] = indicator("percent", "ratio");
    SET(x->inds[0].code, "vve_bereik");
    x->inds[1] = indicator("percent", "ratio");
    SET(x->inds[1].code, "not a code");
    memset(&x->cat, 0, sizeof x->cat);
    x->cat.areas = x->areas;
    x->cat.n_areas = with_areas ? 4 : 0;
    x->cat.indicators = x->inds;
    x->cat.n_indicators = 2;
}

static void test_model_catalog(void **state)
{
    (void)state;
    catalog_fixture x;
    report_t r;
    lm_error err;
    catalog(&x, true);
    memset(&r, 0, sizeof r);
    assert_int_equal(report_read_catalog(&r, &x.cat, NULL, &err), 0);
    assert_int_equal(r.nareas, 3);
    assert_int_equal(r.ninds, 1);
    assert_string_equal(r.top->code, "GM0164"); /* the first without a parent */
    assert_non_null(report_find_ind(&r, "vve_bereik"));
    assert_null(report_find_ind(&r, "not a code"));
    assert_true(report_in_area(&r, "WK016402"));
    assert_true(report_in_area(&r, "GM0164"));
    assert_false(report_in_area(&r, "WK099999"));

    /* The levels of the rules, from the alerts raised: a rule once, and only the kinds a
     * chart draws. */
    proto_alert alerts[] = {alert("laag", "below", 70, "WK016401"),
                            alert("laag", "below", 60, "WK016402"),
                            alert("daling", "slip", 5, "GM0164"),
                            alert("pad", "off_track", 2, "GM0164")};
    r.alerts.alerts = alerts;
    r.alerts.n_alerts = 4;
    band_src bands[MODEL_MAX_BANDS];
    size_t n = report_find_bands(&r, &r.inds[0], bands, MODEL_MAX_BANDS);
    assert_int_equal(n, 2);
    assert_string_equal(bands[0].rule, "laag");
    assert_true(bands[0].threshold == 70);
    assert_string_equal(bands[0].severity, "critical");
    assert_string_equal(bands[0].label, "signaalgrens wijk: < 70,0%");
    assert_string_equal(bands[1].label, "signaalzone: meer dan 2 procentpunt onder het pad");
    r.alerts.alerts = NULL;
    r.alerts.n_alerts = 0;
    report_free(&r);

    memset(&r, 0, sizeof r);
    assert_int_equal(report_read_catalog(&r, &x.cat, "WK016401", &err), 0);
    assert_string_equal(r.top->name, "Hengelose Es");
    assert_false(report_in_area(&r, "GM0164"));
    assert_false(report_in_area(&r, "WK016402"));
    /* the rule for wijken is the report's own level now */
    r.alerts.alerts = alerts;
    r.alerts.n_alerts = 4;
    n = report_find_bands(&r, &r.inds[0], bands, 1);
    assert_int_equal(n, 1);
    assert_string_equal(bands[0].label, "signaalgrens: < 70,0%");
    r.alerts.alerts = NULL;
    r.alerts.n_alerts = 0;
    report_free(&r);

    memset(&r, 0, sizeof r);
    assert_int_equal(report_read_catalog(&r, &x.cat, "WK099999", &err), LEAMON_EXIT_REJECTED);
    assert_string_equal(err.msg, "unknown area 'WK099999' (leamon catalog lists them)");
    report_free(&r);

    catalog(&x, false);
    memset(&r, 0, sizeof r);
    assert_int_equal(report_read_catalog(&r, &x.cat, NULL, &err), LEAMON_EXIT_REJECTED);
    assert_string_equal(err.msg, "the daemon's catalog lists no areas");
    report_free(&r);
}

static proto_compl_org compl_org(const char *id, const char *name, const char *kind,
                                 const char *status)
{
    proto_compl_org o;
    memset(&o, 0, sizeof o);
    SET(o.id, id);
    SET(o.name, name);
    SET(o.kind, kind);
    SET(o.status, status);
    return o;
}

/* A month's completeness: two metrics, the first with an organisation without an id (left
 * out). */
typedef struct {
    proto_compl_org orgs[5];
    proto_compl_metric metrics[2];
    proto_completeness_reply c;
} compl_fixture;

static const proto_completeness_reply *completeness(compl_fixture *x, const char *ko_status,
                                                    const char *ggd_status)
{
    x->orgs[0] = compl_org("ggd", "GGD Twente", "ggd", ggd_status);
    x->orgs[1] = compl_org("", "nobody", "ggd", "missing");
    x->orgs[2] = compl_org("ko-b", "Opvang B", "kinderopvang", ko_status);
    x->orgs[3] = compl_org("ko-b", "Opvang B", "kinderopvang", "missing");
    x->orgs[4] = compl_org("ko-a", "Opvang A", "kinderopvang", "odd");
    memset(x->metrics, 0, sizeof x->metrics);
    x->metrics[0].orgs = x->orgs;
    x->metrics[0].n_orgs = 3;
    x->metrics[1].orgs = x->orgs + 3;
    x->metrics[1].n_orgs = 2;
    memset(&x->c, 0, sizeof x->c);
    x->c.metrics = x->metrics;
    x->c.n_metrics = 2;
    return &x->c;
}

static void test_model_grid(void **state)
{
    (void)state;
    report_t r;
    memset(&r, 0, sizeof r);
    r.first_month = test_month_no("2026-08");
    r.last_month = test_month_no("2026-11");
    r.now = 1793883720; /* in November 2026 */
    report_grid_months(&r);
    assert_int_equal(r.grid_first, test_month_no("2026-08"));
    assert_int_equal(r.grid_last, test_month_no("2026-11"));
    r.now = 1790000000; /* in September 2026: the later months have not begun */
    report_grid_months(&r);
    assert_int_equal(r.grid_last, test_month_no("2026-09"));
    r.first_month = test_month_no("2024-08");
    r.now = 1793883720;
    report_grid_months(&r);
    assert_int_equal(r.grid_last - r.grid_first + 1, GRID_MONTHS);
    assert_int_equal(r.grid_first, test_month_no("2025-12"));

    r.first_month = test_month_no("2026-10");
    report_grid_months(&r);
    compl_fixture x;
    assert_int_equal(report_grid_add(&r, test_month_no("2026-10"), completeness(&x, "on_time", "late")),
                     0);
    assert_int_equal(report_grid_add(&r, test_month_no("2026-11"), completeness(&x, "open", "on_time")),
                     0);
    report_grid_sort(&r);
    assert_int_equal(r.norgs, 3);
    /* kinderopvang before the GGD, then by name */
    assert_string_equal(r.orgs[0].id, "ko-a");
    assert_string_equal(r.orgs[1].id, "ko-b");
    assert_string_equal(r.orgs[2].id, "ggd");
    const org_row *b = report_find_org(&r, "ko-b");
    assert_non_null(b);
    assert_int_equal(b->n[0][ST_ON_TIME], 1);
    assert_int_equal(b->n[0][ST_MISSING], 1);
    assert_int_equal(b->n[1][ST_OPEN], 1);
    assert_int_equal(b->n[1][ST_MISSING], 1);
    const org_row *a = report_find_org(&r, "ko-a");
    for (int s = 0; s < 4; s++)
        assert_int_equal(a->n[0][s] + a->n[1][s], 0); /* an unknown status counts nowhere */
    assert_int_equal(report_find_org(&r, "ggd")->n[0][ST_LATE], 1);
    assert_null(report_find_org(&r, "nobody"));
    report_free(&r);
}

/* w's bytes, unpacked into u (initialised here). */
static const msgpack_object *unpack(const mpw *w, msgpack_unpacked *u)
{
    size_t off = 0;
    msgpack_unpacked_init(u);
    assert_true(mpw_ok(w));
    assert_int_equal(msgpack_unpack_next(u, mpw_data(w), mpw_size(w), &off),
                     MSGPACK_UNPACK_SUCCESS);
    return &u->data;
}

static proto_area_figure area_figure(const char *area_code, double value, int64_t expected,
                                     int64_t reported)
{
    proto_area_figure a;
    memset(&a, 0, sizeof a);
    SET(a.area, area_code);
    a.fig = figure(value, NAN, NAN);
    SET(a.fig.reason, isnan(value) ? "no figures for the numerator (x)" : "");
    a.fig.expected = expected;
    a.fig.reported = reported;
    return a;
}

/* The series and snapshot replies of an indicator, off the wire, into ind_figures. */
static void test_model_figures(void **state)
{
    (void)state;
    proto_series_point pts[3];
    const double values[] = {70, NAN, 72.5};
    for (int i = 0; i < 3; i++) {
        memset(&pts[i], 0, sizeof pts[i]);
        snprintf(pts[i].period, sizeof pts[i].period, "2026-%02d", 8 + i);
        pts[i].fig = area_figure("GM0164", values[i], 3, i == 2 ? 2 : 3).fig;
    }
    proto_series_reply series = {.ind = indicator("percent", "ratio"), .points = pts, .n_points = 3};
    proto_area_figure kids[] = {area_figure("WK016401", 60, 1, 1)};
    proto_snapshot_reply snap = {.ind = indicator("percent", "ratio"),
                                 .snapshot = area_figure("GM0164", 72.5, 3, 2),
                                 .has_target = true,
                                 .by = PROTO_BY_AREA,
                                 .areas = kids,
                                 .n_areas = 1};
    snap.ind.has_ideal = true;
    snap.ind.ideal = 50;
    snap.target.goal = 85;
    SET(snap.target.goal_period, "2027");
    snap.target.with_path = true;
    mpw ws, wn;
    mpw_init(&ws);
    mpw_init(&wn);
    proto_series_reply_write(&ws, "s", &series);
    proto_snapshot_reply_write(&wn, "n", &snap);
    msgpack_unpacked us, un;

    report_t r;
    memset(&r, 0, sizeof r);
    proto_indicator ind = indicator("percent", "ratio");
    ind_figures f;
    lm_error e;
    assert_int_equal(ind_figures_read(&f, &r, &ind, unpack(&ws, &us), unpack(&wn, &un), &e), 0);
    assert_int_equal(f.series.n_points, 3);
    assert_int_equal(f.snap.n_areas, 1);
    assert_int_equal(f.nbands, 0);
    assert_true(f.series.points[0].fig.has_value);
    assert_string_equal(f.series.points[0].fig.state, "final");
    assert_false(f.series.points[1].fig.has_value);
    assert_string_equal(f.series.points[1].fig.reason, "no figures for the numerator (x)");
    assert_int_equal(f.series.points[2].fig.reported, 2);
    assert_string_equal(f.snap.snapshot.area, "GM0164");
    assert_true(f.snap.has_target && !f.snap.target.has_path && !f.snap.target.has_baseline);
    assert_string_equal(f.snap.target.goal_period, "2027");
    assert_string_equal(f.snap.areas[0].area, "WK016401");
    /* the catalogue's indicator, with the snapshot's ideal */
    assert_false(ind.has_ideal);
    assert_true(f.ind.has_ideal && f.ind.ideal == 50);
    assert_string_equal(f.ind.code, "x");
    ind_figures_free(&f);

    /* A series whose points are not an array: refused, and nothing kept. */
    msgpack_unpacked_destroy(&us);
    mpw_reset(&ws);
    mpw_map(&ws);
    mpw_kv_str(&ws, "points", "none");
    mpw_end(&ws);
    assert_int_equal(ind_figures_read(&f, &r, &ind, unpack(&ws, &us), &un.data, &e), -1);
    assert_non_null(strstr(e.msg, "malformed reply"));
    msgpack_unpacked_destroy(&us);
    msgpack_unpacked_destroy(&un);
    mpw_free(&ws);
    mpw_free(&wn);

    assert_true(ind_is_ratio(&ind));
    assert_false(ind_is_count(&ind));
}

/* ---- page.c ----------------------------------------------------------------- */

/* A report of a month that has not ended opens with a banner saying so. */
static void test_page_running_banner(void **state)
{
    (void)state;
    proto_area_info top = test_area("GM0164", "Hengelo", "gemeente", "");
    report_t r;
    memset(&r, 0, sizeof r);
    r.ed = internal;
    assert_int_equal(period_parse("2026-12", &r.p), 0);
    SET(r.period_text, "2026-12");
    r.first_month = test_month_no("2026-08");
    r.last_month = test_month_no("2026-12");
    r.now = 1796403366;
    r.top = &top;
    const char *banner = "<p class=\"banner run\">De maand december 2026 is nog niet voorbij: de "
                         "cijfers in dit overzicht zijn niet definitief";
    for (int running = 0; running <= 1; running++) {
        page_t pg;
        page_init(&pg);
        r.running = running;
        page_head(&pg, &r);
        assert_false(page_failed(&pg));
        if (running)
            assert_non_null(strstr(pg.head.buf, banner));
        else
            assert_null(strstr(pg.head.buf, "banner run"));
        page_free(&pg);
    }
    assert_int_equal(period_parse("2026-Q4", &r.p), 0);
    SET(r.period_text, "2026-Q4");
    r.running = true;
    page_t pg;
    page_init(&pg);
    page_head(&pg, &r);
    assert_non_null(strstr(pg.head.buf, "<p class=\"banner run\">Het 4e kwartaal 2026 is nog niet "
                                        "voorbij"));
    page_free(&pg);
}

/* ---- svg.c ------------------------------------------------------------------ */

static void test_line_chart(void **state)
{
    (void)state;
    chart_point pts[3] = {
        {.period = "2026-08", .year = 2026, .month = 8, .has_value = true, .value = 78.5,
         .raw = "78.5", .text = "78,5%", .has_path = true, .path = 80},
        {.period = "2026-09", .year = 2026, .month = 9, .suppressed = true, .text = "<10",
         .has_path = true, .path = 81},
        {.period = "2026-10", .year = 2026, .month = 10, .has_value = true, .not_final = true,
         .mark = "voorlopig: 2 van 17 partners", .value = 70, .raw = "70", .text = "70,0%"},
    };
    line_chart lc = {.indicator = "vve_bereik", .area = "GM0164", .unit = "percent",
                     .pct_decimals = 1, .title = "VVE <bereik>", .pts = pts, .n = 3};
    lc.bands[lc.nbands++] = (chart_band){BAND_BELOW, 60, "signaalgrens: < 60,0%"};
    rbuf b;
    rb_init(&b);
    svg_line_chart(&b, &lc);
    assert_false(b.failed);
    assert_true(!strncmp(b.buf, "<svg class=\"chart line\"", 23));
    assert_non_null(strstr(b.buf, "aria-label=\"VVE &lt;bereik&gt;\""));
    assert_non_null(strstr(b.buf, "data-period=\"2026-08\" data-field=\"value\" data-value=\"78.5\""));
    assert_non_null(strstr(b.buf, "data-suppressed=\"&lt;10\""));
    assert_non_null(strstr(b.buf, "<circle class=\"pt open\""));
    assert_non_null(strstr(b.buf, "<title>okt 2026: 70,0% (voorlopig: 2 van 17 partners)</title>"));
    assert_non_null(strstr(b.buf, "<title>aug 2026: 78,5%</title>"));
    assert_non_null(strstr(b.buf, ">voorlopig</text>")); /* the legend of the open circle */
    assert_non_null(strstr(b.buf, "<polyline class=\"path\""));
    assert_non_null(strstr(b.buf, ">signaalgrens: &lt; 60,0%</text>"));
    assert_non_null(strstr(b.buf, ">pad naar het doel</text>"));
    assert_non_null(strstr(b.buf, ">signaalzone: daar gaat het signaal af</text>"));
    assert_string_equal(b.buf + b.len - 6, "</svg>");
    rb_free(&b);

    lc.n = 0;
    rb_init(&b);
    svg_line_chart(&b, &lc);
    assert_non_null(strstr(b.buf, ">geen maanden</text></svg>"));
    rb_free(&b);
}

static void test_bar_chart(void **state)
{
    (void)state;
    bar_item items[3] = {
        {.area = "WK1", .name = "Een naam die langer is dan de ruimte", .has_value = true,
         .value = 90, .raw = "90", .text = "90,0%"},
        {.area = "WK2", .name = "Noord", .text = "geen cijfers", .missing = "no figures"},
        {.area = "GM", .name = "Hengelo", .has_value = true, .not_final = true, .value = 80,
         .raw = "80", .text = "80,0%*"},
    };
    bar_chart bc = {.indicator = "vve_bereik", .period = "2026-10", .unit = "percent",
                    .title = "per wijk", .items = items, .n = 2, .total = &items[2]};
    bc.marks[bc.nmarks++] = (bar_mark){85, "", false, true};
    bc.marks[bc.nmarks++] = (bar_mark){70, "signaalgrens 70,0%", true, false};
    rbuf b;
    rb_init(&b);
    svg_bar_chart(&b, &bc);
    assert_false(b.failed);
    assert_true(!strncmp(b.buf, "<svg class=\"chart bars\"", 23));
    assert_non_null(strstr(b.buf, ">Een naam die langer i\xe2\x80\xa6</text>"));
    assert_non_null(strstr(b.buf, "data-area=\"WK2\" data-period=\"2026-10\" data-field=\"value\" "
                                  "data-missing=\"no figures\">geen cijfers</text>"));
    assert_non_null(strstr(b.buf, "<rect class=\"bar inc tot\""));
    assert_non_null(strstr(b.buf, ">signaalgrens 70,0%</text>"));
    assert_non_null(strstr(b.buf, "<polygon class=\"pm\" ")); /* the path under the total */
    assert_non_null(strstr(b.buf, ">100%</text>")); /* a percent scale ends at 100 */
    rb_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nl_numbers),
        cmocka_unit_test(test_nl_months_and_periods),
        cmocka_unit_test(test_nl_time),
        cmocka_unit_test(test_nl_words),
        cmocka_unit_test(test_nl_state),
        cmocka_unit_test(test_buffer_and_escaping),
        cmocka_unit_test(test_data_attrs),
        cmocka_unit_test(test_shown_values),
        cmocka_unit_test(test_shown_counts_and_targets),
        cmocka_unit_test(test_shown_emit),
        cmocka_unit_test(test_model_catalog),
        cmocka_unit_test(test_model_grid),
        cmocka_unit_test(test_model_figures),
        cmocka_unit_test(test_page_running_banner),
        cmocka_unit_test(test_line_chart),
        cmocka_unit_test(test_bar_chart),
    };
    return cmocka_run_group_tests(tests, set_tz, NULL);
}
