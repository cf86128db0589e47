/* cmd_query.c: the query commands snapshot, series and completeness: check
 * the arguments locally, ask the daemon, read its reply with proto's typed
 * reader (reply_figures.h, reply_compl.h), and print it as a table for
 * people, as CSV, or (--format json) as it came.
 *
 * The printers (query_print_*) take what the reader read and nothing else,
 * so the unit tests feed them by hand.
 *
 * Table cells, checking the command line and asking the daemon are shared
 * with the other commands (format.h, args.h, query.h). */
#include "cmd_query.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "compl_grid.h"
#include "format.h"
#include "grow.h"
#include "leamon.h"
#include "period.h"
#include "proto.h"
#include "query.h"
#include "rpc.h"
#include "session.h"

/* ---- the indicator and its target ------------------------------------- */

/* A sum has no numerator and denominator worth a column. */
static bool shows_ratio(const proto_indicator *ind)
{
    return strcmp(ind->type, "sum") != 0;
}

/* ---- the daemon's verdict ---------------------------------------------- */

/* The verdict words of the daemon (PROTOCOL.md: on_path, off_path, reached, not_reached,
 * not_judged), for people. */
static const char *verdict_words(const char *verdict)
{
    static const char *const words[][2] = {{"on_path", "on the path"},
                                           {"off_path", "off the path"},
                                           {"reached", "reached"},
                                           {"not_reached", "not reached"},
                                           {"not_judged", "not judged"}};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (!strcmp(verdict, words[i][0]))
            return words[i][1];
    return verdict;
}

/* The on_path column of CSV, as before the daemon gave verdicts: "yes" when the figure is
 * as good as its mark (on the path, or the goal reached), "no" when not, "" unjudged. */
static const char *on_path_csv(const char *verdict)
{
    if (!strcmp(verdict, "on_path") || !strcmp(verdict, "reached"))
        return "yes";
    if (!strcmp(verdict, "off_path") || !strcmp(verdict, "not_reached"))
        return "no";
    return "";
}

/* Why the daemon did not judge, shortly: its reason up to the first aside (" (", "; ",
 * ", "): "provisional: 2 of 4 reporters in for 2026-10", "the target is set per year". */
static void short_reason(const char *reason, char *buf, size_t n)
{
    size_t len = strlen(reason);
    static const char *const cuts[] = {" (", "; ", ", "};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        const char *at = strstr(reason, cuts[i]);
        if (at && (size_t)(at - reason) < len)
            len = (size_t)(at - reason);
    }
    snprintf(buf, n, "%.*s", (int)len, reason[0] ? reason : "no reason given");
}

/* "higher is better", "closer to 50.0 % is better", or "". */
static void describe_better(const proto_indicator *ind, char *buf, size_t n)
{
    char v[FMT_NUMBER_MAX];
    if (!strcmp(ind->better, "closer") && ind->has_ideal) {
        fmt_value(v, sizeof v, ind->ideal, ind->unit);
        snprintf(buf, n, "closer to %s is better", v);
    } else if (ind->better[0]) {
        snprintf(buf, n, "%s is better", ind->better);
    } else {
        buf[0] = '\0';
    }
}

/* ---- notes under a table ---------------------------------------------- */

/* The notes under a table: which figures are not final yet (marked '*'), which cannot be
 * true (marked '!'), and the reasons for missing values, numbered in order of appearance
 * (the same reason shares a number). */
typedef struct {
    char **reasons;
    size_t n, cap;
    size_t provisional;           /* rows whose period ended, before its deadline */
    int64_t expected, reported;   /* of the first such row */
    bool mixed;                   /* provisional rows with different counts */
    size_t open;                  /* rows whose period has not ended */
    size_t implausible;           /* rows a check of the catalogue says cannot be true */
} notes_t;

static void notes_free(notes_t *nt)
{
    for (size_t i = 0; i < nt->n; i++)
        free(nt->reasons[i]);
    free(nt->reasons);
    memset(nt, 0, sizeof *nt);
}

static bool notes_any(const notes_t *nt)
{
    return nt->provisional || nt->open || nt->implausible || nt->n;
}

/* The number of reason's note (1, 2, ...), or -1 when out of memory. */
static int note_add(notes_t *nt, const char *reason)
{
    for (size_t i = 0; i < nt->n; i++)
        if (!strcmp(nt->reasons[i], reason))
            return (int)i + 1;
    if (GROW(nt->reasons, nt->cap, nt->n + 1) != 0)
        return -1;
    if (!(nt->reasons[nt->n] = strdup(reason)))
        return -1;
    return (int)++nt->n;
}

/* The marker of f's state, counted into nt: '*' for a figure that is not final yet (its
 * period open, or provisional), "" for a final or closed one. */
static const char *note_state(notes_t *nt, const proto_figure *f)
{
    if (!strcmp(f->state, "open")) {
        nt->open++;
        return "*";
    }
    if (strcmp(f->state, "provisional"))
        return "";
    if (nt->provisional++ == 0) {
        nt->expected = f->expected;
        nt->reported = f->reported;
    } else if (f->expected != nt->expected || f->reported != nt->reported) {
        nt->mixed = true;
    }
    return "*";
}

static int notes_print(const notes_t *nt, FILE *out)
{
    int rc = 0;
    if (nt->provisional && nt->mixed)
        rc = fprintf(out, "* provisional: not every expected reporter is in (see REPORTED); "
                          "final after the deadline\n");
    else if (nt->provisional)
        rc = fprintf(out, "* provisional: %lld of %lld reporters in; final after the deadline\n",
                     (long long)nt->reported, (long long)nt->expected);
    if (rc >= 0 && nt->open)
        rc = fprintf(out, "* open: the period has not ended\n");
    if (rc >= 0 && nt->implausible)
        rc = fprintf(out, "! cannot be true: a check of the catalogue failed\n");
    for (size_t i = 0; rc >= 0 && i < nt->n; i++)
        rc = fprintf(out, "(%zu) %s\n", i + 1, nt->reasons[i]);
    return rc < 0 ? -1 : 0;
}

/* The VALUE cell of a figure in text: "78.4 %", "78.4 %*" when it is not final yet,
 * "108.0 % !" when it cannot be true, "– (1)" with the reason in note 1. -1: out of
 * memory. */
static int value_cell(char *buf, size_t n, const proto_figure *f, const proto_indicator *ind,
                      notes_t *nt)
{
    const char *star = note_state(nt, f), *bang = f->plausible ? "" : " !";
    nt->implausible += !f->plausible;
    char v[FMT_NUMBER_MAX];
    if (f->has_value) {
        fmt_value(v, sizeof v, f->value, ind->unit);
        snprintf(buf, n, "%s%s%s", v, star, bang);
        return 0;
    }
    if (!f->reason[0]) {
        snprintf(buf, n, "%s%s%s", FMT_MISSING, star, bang);
        return 0;
    }
    int k = note_add(nt, f->reason);
    if (k < 0)
        return -1;
    snprintf(buf, n, "%s%s%s (%d)", FMT_MISSING, star, bang, k);
    return 0;
}

/* The state and plausible cells of CSV: "provisional", "yes". */
static int add_state_csv(table_t *t, const proto_figure *f)
{
    return table_add(t, f->state) | table_add(t, f->plausible ? "yes" : "no");
}

/* "11 of 12". */
static int add_reported(table_t *t, const proto_figure *f)
{
    return table_addf(t, "%lld of %lld", (long long)f->reported, (long long)f->expected);
}

/* ---- snapshot --------------------------------------------------------- */

static const table_col snap_text_cols[] = {
    {"AREA", TABLE_LEFT},      {"NAME", TABLE_LEFT},         {"VALUE", TABLE_LEFT},
    {"NUMERATOR", TABLE_RIGHT}, {"DENOMINATOR", TABLE_RIGHT}, {"REPORTED", TABLE_LEFT}};
static const table_col snap_text_cols_sum[] = {
    {"AREA", TABLE_LEFT}, {"NAME", TABLE_LEFT}, {"VALUE", TABLE_LEFT}, {"REPORTED", TABLE_LEFT}};
static const table_col snap_csv_cols[] = {
    {"indicator", 0}, {"period", 0},      {"area", 0},        {"name", 0},
    {"value", 0},     {"unit", 0},        {"numerator", 0},   {"denominator", 0},
    {"expected", 0},  {"reported", 0},    {"reason", 0},      {"computed_at", 0},
    {"version", 0},   {"goal", 0},        {"goal_period", 0}, {"path", 0},
    {"on_path", 0},   {"verdict", 0},     {"state", 0},       {"plausible", 0}};
static const table_col reporter_text_cols[] = {
    {"REPORTER", TABLE_LEFT},   {"NAME", TABLE_LEFT},         {"KIND", TABLE_LEFT},
    {"VALUE", TABLE_LEFT},      {"NUMERATOR", TABLE_RIGHT},   {"DENOMINATOR", TABLE_RIGHT}};
static const table_col reporter_csv_cols[] = {
    {"indicator", 0}, {"period", 0}, {"area", 0},      {"reporter", 0},   {"name", 0},
    {"kind", 0},      {"value", 0},  {"unit", 0},      {"numerator", 0}, {"denominator", 0}};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* One row of an area's figure. tg and v are the target and verdict to show in it (CSV),
 * or NULL. */
static int snap_row(table_t *t, const proto_indicator *ind, const char *period_text,
                    const proto_area_figure *a, const proto_target *tg,
                    const proto_verdict *verdict, bool csv, notes_t *nt)
{
    const proto_figure *f = &a->fig;
    char v[FMT_NUMBER_MAX + 32];
    int rc = 0;
    if (!csv) {
        rc |= table_add(t, a->area);
        rc |= table_add(t, a->name);
        if (value_cell(v, sizeof v, f, ind, nt) != 0)
            return -1;
        rc |= table_add(t, v);
        if (shows_ratio(ind)) {
            rc |= cell_number(t, f->has_num, f->numerator, false);
            rc |= cell_number(t, f->has_den, f->denominator, false);
        }
        rc |= add_reported(t, f);
        return rc ? -1 : 0;
    }
    rc |= table_add(t, ind->code);
    rc |= table_add(t, period_text);
    rc |= table_add(t, a->area);
    rc |= table_add(t, a->name);
    rc |= cell_number(t, f->has_value, f->value, true);
    rc |= table_add(t, ind->unit);
    rc |= cell_number(t, f->has_num, f->numerator, true);
    rc |= cell_number(t, f->has_den, f->denominator, true);
    rc |= cell_int(t, true, f->expected);
    rc |= cell_int(t, true, f->reported);
    rc |= table_add(t, f->reason);
    rc |= cell_time_iso(t, a->has_computed_at, a->computed_at);
    rc |= cell_int(t, a->has_computed_at, a->version);
    rc |= cell_number(t, tg != NULL, tg ? tg->goal : 0, true);
    rc |= table_add(t, tg ? tg->goal_period : "");
    rc |= cell_number(t, tg && tg->has_path, tg ? tg->path : 0, true);
    rc |= table_add(t, verdict ? on_path_csv(verdict->verdict) : "");
    rc |= table_add(t, verdict ? verdict->verdict : "");
    rc |= add_state_csv(t, f);
    return rc ? -1 : 0;
}

static int reporter_row(table_t *t, const proto_indicator *ind, const char *period_text,
                        const char *area, const proto_reporter_part *p, bool csv)
{
    char v[FMT_NUMBER_MAX];
    int rc = 0;
    if (csv) {
        rc |= table_add(t, ind->code);
        rc |= table_add(t, period_text);
        rc |= table_add(t, area);
    }
    rc |= table_add(t, p->reporter);
    rc |= table_add(t, p->name);
    rc |= table_add(t, p->kind);
    if (csv) {
        rc |= cell_number(t, p->has_value, p->value, true);
        rc |= table_add(t, ind->unit);
    } else {
        fmt_value(v, sizeof v, p->has_value ? p->value : NAN, ind->unit);
        rc |= table_add(t, v);
    }
    if (csv || shows_ratio(ind)) {
        rc |= cell_number(t, p->has_num, p->numerator, csv);
        rc |= cell_number(t, p->has_den, p->denominator, csv);
    }
    return rc ? -1 : 0;
}

/* A verdict of the daemon on the goal for people: "reached", or "not reached in 2025" when
 * it is about another period than own, the figure's (after the goal period a figure is
 * judged by the goal period's own). */
static void describe_verdict(const proto_verdict *v, const char *own, char *buf, size_t n)
{
    if (v->period[0] && strcmp(v->period, own))
        snprintf(buf, n, "%s in %s", verdict_words(v->verdict), v->period);
    else
        snprintf(buf, n, "%s", verdict_words(v->verdict));
}

static bool verdict_is(const proto_verdict *v, const char *verdict)
{
    return v && !strcmp(v->verdict, verdict);
}

/* "85.0 % in 2027, from 70.0 % in 2022 (reached); set for GM0164". a is the figure the
 * target is shown with and v its verdict (own: the figure's period), which the target line
 * carries when it is about the goal, or when there is no path to carry it; or both NULL. */
static void describe_target(const proto_target *tg, const proto_indicator *ind,
                            const proto_area_figure *a, const proto_verdict *v,
                            const char *own, char *buf, size_t n)
{
    char goal[FMT_NUMBER_MAX], base[FMT_NUMBER_MAX], verdict[PROTO_TEXT_REASON + 32];
    fmt_value(goal, sizeof goal, tg->goal, ind->unit);
    size_t used = (size_t)snprintf(buf, n, "%s in %s", goal,
                                   tg->goal_period[0] ? tg->goal_period : "?");
    if (used < n && tg->has_baseline) {
        fmt_value(base, sizeof base, tg->baseline, ind->unit);
        used += (size_t)snprintf(buf + used, n - used, ", from %s in %s", base,
                                 tg->baseline_period[0] ? tg->baseline_period : "?");
    }
    if (used < n && (verdict_is(v, "reached") || verdict_is(v, "not_reached"))) {
        describe_verdict(v, own, verdict, sizeof verdict);
        used += (size_t)snprintf(buf + used, n - used, " (%s)", verdict);
    } else if (used < n && verdict_is(v, "not_judged") && !tg->has_path) {
        short_reason(v->reason, verdict, sizeof verdict);
        used += (size_t)snprintf(buf + used, n - used, " (not judged: %s)", verdict);
    }
    if (used < n && a && tg->area[0] && strcmp(tg->area, a->area))
        snprintf(buf + used, n - used, "; set for %s", tg->area);
}

/* "path:      81.2 % in 2026-10: off the path, below it (higher is better)", with the
 * daemon's verdict v when it is about the path (or why there is none). */
static int print_path(FILE *out, const proto_target *tg, const proto_indicator *ind,
                      const proto_verdict *v, const char *period_text)
{
    char path[FMT_NUMBER_MAX], better[128], verdict[PROTO_TEXT_REASON + 160] = "";
    fmt_value(path, sizeof path, tg->path, ind->unit);
    describe_better(ind, better, sizeof better);
    if (verdict_is(v, "on_path"))
        snprintf(verdict, sizeof verdict, ": on the path (%s)", better);
    else if (verdict_is(v, "off_path") && !strcmp(ind->better, "closer"))
        snprintf(verdict, sizeof verdict, ": off the path, further from the ideal (%s)", better);
    else if (verdict_is(v, "off_path"))
        snprintf(verdict, sizeof verdict, ": off the path, %s it (%s)",
                 !strcmp(ind->better, "higher") ? "below" : "above", better);
    else if (verdict_is(v, "not_judged")) {
        char why[PROTO_TEXT_REASON];
        short_reason(v->reason, why, sizeof why);
        snprintf(verdict, sizeof verdict, ": not judged (%s)", why);
    }
    return fprintf(out, "path:      %s in %s%s\n", path, period_text, verdict) < 0 ? -1 : 0;
}

int query_print_snapshot(FILE *out, const proto_snapshot_reply *r, proto_breakdown by, bool csv)
{
    const proto_indicator *ind = &r->ind;
    const proto_area_figure *top = &r->snapshot;
    const proto_target *tg = r->has_target ? &r->target : NULL;
    const proto_verdict *verdict = r->has_target ? &r->verdict : NULL;
    const char *period_text = r->period;
    bool by_reporter = by == PROTO_BY_REPORTER;
    bool sum = !shows_ratio(ind);

    notes_t nt;
    memset(&nt, 0, sizeof nt);
    table_t *t = NULL, *rt = NULL;
    int rc = 0;
    if (csv && by_reporter)
        rt = table_new(reporter_csv_cols, COUNT(reporter_csv_cols));
    else if (csv)
        t = table_new(snap_csv_cols, COUNT(snap_csv_cols));
    else
        t = sum ? table_new(snap_text_cols_sum, COUNT(snap_text_cols_sum))
                : table_new(snap_text_cols, COUNT(snap_text_cols));
    if (!csv && by_reporter)
        rt = table_new(reporter_text_cols, sum ? 4 : COUNT(reporter_text_cols));
    if ((!t && !(csv && by_reporter)) || (by_reporter && !rt))
        rc = -1;

    /* The area table: child areas, a rule, then the area asked about. */
    if (rc == 0 && t && by == PROTO_BY_AREA) {
        for (size_t i = 0; rc == 0 && i < r->n_areas; i++)
            rc = snap_row(t, ind, period_text, &r->areas[i], NULL, NULL, csv, &nt);
        if (rc == 0 && r->n_areas)
            rc = table_rule(t);
    }
    if (rc == 0 && t)
        rc = snap_row(t, ind, period_text, top, tg, verdict, csv, &nt);
    if (rc == 0 && rt)
        for (size_t i = 0; rc == 0 && i < r->n_parts; i++)
            rc = reporter_row(rt, ind, period_text, top->area, &r->parts[i], csv);

    if (rc == 0 && csv) {
        rc = table_print_csv(t ? t : rt, out);
    } else if (rc == 0) {
        char as_of[FMT_NUMBER_MAX + 16] = "";
        if (r->has_as_of) {
            memcpy(as_of, ", as of ", 9);
            fmt_time(as_of + 8, sizeof as_of - 8, r->as_of);
        }
        if (fprintf(out, "%s%s%s%s, %s%s\n\n", ind->label[0] ? ind->label : ind->code,
                    ind->label[0] ? " (" : "", ind->label[0] ? ind->code : "",
                    ind->label[0] ? ")" : "", period_text, as_of) < 0 ||
            table_print(t, out, "") != 0)
            rc = -1;
        if (rc == 0 && rt) {
            if (fputc('\n', out) == EOF)
                rc = -1;
            else if (table_rows(rt) == 0)
                rc = fprintf(out, "no organisation has figures for it\n") < 0 ? -1 : 0;
            else
                rc = table_print(rt, out, "");
        }
        char line[1024], better[128];
        if (rc == 0 && fputc('\n', out) == EOF)
            rc = -1;
        if (rc == 0 && tg) {
            describe_target(tg, ind, top, verdict, period_text, line, sizeof line);
            rc = fprintf(out, "target:    %s\n", line) < 0 ? -1 : 0;
            if (rc == 0 && tg->has_path)
                rc = print_path(out, tg, ind, verdict, period_text);
            if (rc == 0 && tg->source[0])
                rc = fprintf(out, "source:    %s\n", tg->source) < 0 ? -1 : 0;
        } else if (rc == 0) {
            describe_better(ind, better, sizeof better);
            rc = fprintf(out, "target:    none%s%s\n", better[0] ? "; " : "", better) < 0 ? -1
                                                                                        : 0;
        }
        if (rc == 0 && top->has_computed_at) {
            fmt_time(line, sizeof line, top->computed_at);
            rc = fprintf(out, "computed:  %s, version %lld\n", line, (long long)top->version) < 0
                     ? -1 : 0;
        } else if (rc == 0 && as_of[0]) {
            rc = fprintf(out, "computed:  not by then\n") < 0 ? -1 : 0;
        } else if (rc == 0) {
            rc = fprintf(out, "computed:  now (no stored snapshot yet)\n") < 0 ? -1 : 0;
        }
        if (rc == 0 && notes_any(&nt))
            rc = fputc('\n', out) == EOF ? -1 : notes_print(&nt, out);
    }
    table_destroy(&t);
    table_destroy(&rt);
    notes_free(&nt);
    return rc;
}

/* ---- series ----------------------------------------------------------- */

static const table_col series_text_cols[] = {
    {"PERIOD", TABLE_LEFT},    {"VALUE", TABLE_LEFT},       {"NUMERATOR", TABLE_RIGHT},
    {"DENOMINATOR", TABLE_RIGHT}, {"REPORTED", TABLE_LEFT}, {"PATH", TABLE_LEFT},
    {"VERDICT", TABLE_LEFT}};
static const table_col series_csv_cols[] = {
    {"indicator", 0}, {"area", 0},     {"period", 0},   {"value", 0},
    {"unit", 0},      {"numerator", 0}, {"denominator", 0}, {"expected", 0},
    {"reported", 0},  {"reason", 0},   {"path", 0},     {"on_path", 0},
    {"verdict", 0},   {"state", 0},    {"plausible", 0}};

int query_print_series(FILE *out, const proto_series_reply *r, bool csv)
{
    const proto_indicator *ind = &r->ind;
    const proto_target *tg = r->has_target ? &r->target : NULL;
    size_t n = r->n_points;
    bool ratio = shows_ratio(ind), any_path = false, any_judged = false;

    double *values = n ? calloc(n, sizeof *values) : NULL;
    bool *present = n ? calloc(n, sizeof *present) : NULL;
    char *spark = malloc(FMT_SPARK_BYTES(n));
    int rc = (n && (!values || !present)) || !spark ? -1 : 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        values[i] = r->points[i].fig.value;
        present[i] = r->points[i].fig.has_value;
        any_path |= r->points[i].has_path;
        any_judged |= r->points[i].verdict[0] && strcmp(r->points[i].verdict, "not_judged");
    }

    /* Text leaves out the columns nothing would fill. */
    table_col cols[COUNT(series_text_cols)];
    size_t ncols = 0;
    for (size_t c = 0; c < COUNT(series_text_cols); c++) {
        bool is_ratio = c == 2 || c == 3, is_path = c == 5, is_verdict = c == 6;
        if ((!is_ratio || ratio) && (!is_path || any_path) &&
            (!is_verdict || any_path || any_judged))
            cols[ncols++] = series_text_cols[c];
    }
    table_t *t = NULL;
    if (rc == 0 && !(t = csv ? table_new(series_csv_cols, COUNT(series_csv_cols))
                             : table_new(cols, ncols)))
        rc = -1;
    notes_t nt;
    memset(&nt, 0, sizeof nt);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const proto_series_point *pt = &r->points[i];
        const proto_figure *f = &pt->fig;
        char v[FMT_NUMBER_MAX + 32];
        if (csv) {
            rc |= table_add(t, ind->code);
            rc |= table_add(t, r->area);
            rc |= table_add(t, pt->period);
            rc |= cell_number(t, f->has_value, f->value, true);
            rc |= table_add(t, ind->unit);
            rc |= cell_number(t, f->has_num, f->numerator, true);
            rc |= cell_number(t, f->has_den, f->denominator, true);
            rc |= cell_int(t, true, f->expected);
            rc |= cell_int(t, true, f->reported);
            rc |= table_add(t, f->reason);
            rc |= cell_number(t, pt->has_path, pt->path, true);
            rc |= table_add(t, on_path_csv(pt->verdict));
            rc |= table_add(t, pt->verdict);
            rc |= add_state_csv(t, f);
            continue;
        }
        rc |= table_add(t, pt->period);
        if (value_cell(v, sizeof v, f, ind, &nt) != 0)
            rc = -1;
        rc |= table_add(t, v);
        if (ratio) {
            rc |= cell_number(t, f->has_num, f->numerator, false);
            rc |= cell_number(t, f->has_den, f->denominator, false);
        }
        rc |= add_reported(t, f);
        if (any_path) {
            fmt_value(v, sizeof v, pt->has_path ? pt->path : NAN, ind->unit);
            rc |= table_add(t, pt->has_path ? v : "");
        }
        if (any_path || any_judged)
            rc |= table_add(t, verdict_words(pt->verdict));
    }
    if (rc == 0 && csv) {
        rc = table_print_csv(t, out);
    } else if (rc == 0) {
        char line[1024];
        if (fprintf(out, "%s%s%s%s, %s (%s)", ind->label[0] ? ind->label : ind->code,
                    ind->label[0] ? " (" : "", ind->label[0] ? ind->code : "",
                    ind->label[0] ? ")" : "", r->name[0] ? r->name : r->area, r->area) < 0 ||
            (n && fprintf(out, ", %s to %s", r->points[0].period, r->points[n - 1].period) < 0) ||
            fputs("\n", out) < 0)
            rc = -1;
        if (rc == 0 && tg) {
            describe_target(tg, ind, NULL, NULL, "", line, sizeof line);
            rc = fprintf(out, "target:  %s\n", line) < 0 ? -1 : 0;
            if (rc == 0 && tg->source[0])
                rc = fprintf(out, "source:  %s\n", tg->source) < 0 ? -1 : 0;
        }
        if (rc == 0 && fputc('\n', out) == EOF)
            rc = -1;
        if (rc == 0 && n == 0)
            rc = fprintf(out, "no periods\n") < 0 ? -1 : 0;
        else if (rc == 0)
            rc = table_print(t, out, "");
        /* The trend: lowest and highest value give the scale. */
        double lo = 0, hi = 0;
        bool any = false;
        for (size_t i = 0; i < n; i++)
            if (present[i]) {
                lo = any && lo < values[i] ? lo : values[i];
                hi = any && hi > values[i] ? hi : values[i];
                any = true;
            }
        if (rc == 0 && any && fmt_sparkline(spark, FMT_SPARK_BYTES(n), values, present, n) == 0) {
            char a[FMT_NUMBER_MAX], b[FMT_NUMBER_MAX];
            fmt_value(a, sizeof a, lo, ind->unit);
            fmt_value(b, sizeof b, hi, ind->unit);
            if (lo == hi)
                rc = fprintf(out, "\ntrend:   %s  (all %s)\n", spark, a) < 0 ? -1 : 0;
            else
                rc = fprintf(out, "\ntrend:   %s  (%s to %s)\n", spark, a, b) < 0 ? -1 : 0;
        }
        if (rc == 0 && notes_any(&nt))
            rc = fputc('\n', out) == EOF ? -1 : notes_print(&nt, out);
    }
    table_destroy(&t);
    notes_free(&nt);
    free(values);
    free(present);
    free(spark);
    return rc ? -1 : 0;
}

/* ---- completeness ----------------------------------------------------- */

static const table_col compl_summary_cols[] = {
    {"METRIC", TABLE_LEFT}, {"EXPECTED", TABLE_RIGHT}, {"ON TIME", TABLE_RIGHT},
    {"LATE", TABLE_RIGHT},  {"MISSING", TABLE_RIGHT},  {"OPEN", TABLE_RIGHT}};
static const table_col compl_text_cols[] = {
    {"ORGANISATION", TABLE_LEFT}, {"NAME", TABLE_LEFT},   {"KIND", TABLE_LEFT},
    {"STATUS", TABLE_LEFT},       {"MONTHS", TABLE_LEFT}, {"DETAIL", TABLE_LEFT}};
static const table_col compl_csv_cols[] = {
    {"period", 0},        {"metric", 0},          {"organisation", 0}, {"name", 0},
    {"kind", 0},          {"status", 0},          {"months_due", 0},   {"months_reported", 0},
    {"late_months", 0},   {"missing_months", 0},  {"first_reported", 0}, {"deadline", 0}};

/* Appending to a fixed buffer; what does not fit ends in "...". */
typedef struct {
    char buf[1024];
    size_t len;
} strbuf;

static void sb_addf(strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_addf(strbuf *sb, const char *fmt, ...)
{
    if (sb->len >= sizeof sb->buf - 1)
        return;
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(sb->buf + sb->len, sizeof sb->buf - sb->len, fmt, ap);
    va_end(ap);
    if (w < 0)
        return;
    if ((size_t)w >= sizeof sb->buf - sb->len) {
        sb->len = sizeof sb->buf - 1;
        memcpy(sb->buf + sb->len - 3, "...", 3);
    } else {
        sb->len += (size_t)w;
    }
}

/* "2025-08", or "2025-08 to 2025-10" for a run of months. */
static void add_run(strbuf *sb, const char *first, const char *last, bool sep)
{
    sb_addf(sb, "%s%s", sep ? ", " : "", first);
    if (strcmp(first, last))
        sb_addf(sb, " to %s", last);
}

/* Months ("2026-09", count of them): for CSV space separated as they came, for people
 * with runs of consecutive months as ranges ("2025-08 to 2025-10, 2026-01"). */
static void join_months(strbuf *sb, const char (*months)[PROTO_MAX_PERIOD + 1], size_t count,
                        bool csv)
{
    size_t start = sb->len;
    char first[32] = "", last[32] = "";
    int last_month = -1;
    bool run = false;
    for (size_t i = 0; i < count; i++) {
        char cur[32];
        snprintf(cur, sizeof cur, "%s", months[i][0] ? months[i] : "?");
        if (csv) {
            sb_addf(sb, "%s%s", i ? " " : "", cur);
            continue;
        }
        period p;
        int month = period_parse(cur, &p) == 0 && p.kind == PERIOD_MONTH
                        ? period_first_month(&p) : -1;
        if (run && month >= 0 && last_month >= 0 && month == last_month + 1) {
            memcpy(last, cur, sizeof last);
            last_month = month;
            continue;
        }
        if (run)
            add_run(sb, first, last, sb->len > start);
        memcpy(first, cur, sizeof first);
        memcpy(last, cur, sizeof last);
        last_month = month;
        run = true;
    }
    if (run)
        add_run(sb, first, last, sb->len > start);
}

static const char *status_text(const char *status)
{
    return !strcmp(status, "on_time") ? "on time" : status;
}

static bool is_missing_or_late(const char *status)
{
    return !strcmp(status, "missing") || !strcmp(status, "late");
}

static int compl_row(table_t *t, const char *period_text, const char *metric,
                     const proto_compl_org *o, bool csv)
{
    int rc = 0;
    if (csv) {
        strbuf lm = {.len = 0}, mm = {.len = 0}; /* zeroed: empty strings */
        join_months(&lm, o->late_months, o->n_late, true);
        join_months(&mm, o->missing_months, o->n_missing, true);
        rc |= table_add(t, period_text);
        rc |= table_add(t, metric);
        rc |= table_add(t, o->id);
        rc |= table_add(t, o->name);
        rc |= table_add(t, o->kind);
        rc |= table_add(t, o->status);
        rc |= cell_int(t, true, o->months_due);
        rc |= cell_int(t, true, o->months_reported);
        rc |= table_add(t, lm.buf);
        rc |= table_add(t, mm.buf);
        rc |= cell_time_iso(t, o->has_first, o->first_reported);
        rc |= cell_time_iso(t, true, o->deadline);
        return rc ? -1 : 0;
    }
    strbuf detail = {.len = 0};
    if (o->n_missing) {
        sb_addf(&detail, "missing ");
        join_months(&detail, o->missing_months, o->n_missing, false);
    }
    if (o->n_late) {
        sb_addf(&detail, "%slate ", detail.len ? "; " : "");
        join_months(&detail, o->late_months, o->n_late, false);
    }
    char when[FMT_NUMBER_MAX];
    if (o->has_first) {
        fmt_time(when, sizeof when, o->first_reported);
        sb_addf(&detail, "%sfirst reported %s", detail.len ? "; " : "", when);
    }
    if (!strcmp(o->status, "open")) {
        fmt_time(when, sizeof when, o->deadline);
        sb_addf(&detail, "%sdue by %s", detail.len ? "; " : "", when);
    }
    rc |= table_add(t, o->id);
    rc |= table_add(t, o->name);
    rc |= table_add(t, o->kind);
    rc |= table_add(t, status_text(o->status));
    rc |= table_addf(t, "%lld of %lld", (long long)o->months_reported, (long long)o->months_due);
    rc |= table_add(t, detail.buf);
    return rc ? -1 : 0;
}

/* The rows of metric m's organisations (those missing or late, with only_missing). */
static int compl_rows(table_t *t, const char *period_text, const proto_compl_metric *m,
                      bool csv, bool only_missing)
{
    int rc = 0;
    for (size_t k = 0; rc == 0 && k < m->n_orgs; k++)
        if (!only_missing || is_missing_or_late(m->orgs[k].status))
            rc = compl_row(t, period_text, m->metric, &m->orgs[k], csv);
    return rc;
}

int query_print_completeness(FILE *out, const proto_completeness_reply *r, bool csv,
                             bool only_missing)
{
    table_t *t = NULL;
    int rc = 0;
    size_t shown = 0;

    if (csv) {
        if (!(t = table_new(compl_csv_cols, COUNT(compl_csv_cols))))
            return -1;
        for (size_t i = 0; rc == 0 && i < r->n_metrics; i++)
            rc = compl_rows(t, r->period, &r->metrics[i], true, only_missing);
        if (rc == 0)
            rc = table_print_csv(t, out);
        table_destroy(&t);
        return rc;
    }

    /* A partner's own (or the one organisation staff asked about): one table. */
    if (r->organisation[0] && !only_missing)
        return compl_print_grid(out, r);
    if (fprintf(out, "Completeness of %s; a month's figures are due %lld day%s after it ends\n\n",
                r->period, (long long)r->grace_days, r->grace_days == 1 ? "" : "s") < 0)
        return -1;
    if (r->n_metrics == 0)
        return fprintf(out, "no metrics to report for this period\n") < 0 ? -1 : 0;

    if (!(t = table_new(compl_summary_cols, COUNT(compl_summary_cols))))
        return -1;
    for (size_t i = 0; rc == 0 && i < r->n_metrics; i++) {
        const proto_compl_metric *m = &r->metrics[i];
        rc |= table_add(t, m->metric);
        rc |= cell_int(t, true, m->expected);
        rc |= cell_int(t, true, m->on_time);
        rc |= cell_int(t, true, m->late);
        rc |= cell_int(t, true, m->missing);
        rc |= cell_int(t, true, m->open);
    }
    if (rc == 0)
        rc = table_print(t, out, "");
    table_destroy(&t);

    for (size_t i = 0; rc == 0 && i < r->n_metrics; i++) {
        const proto_compl_metric *m = &r->metrics[i];
        if (!(t = table_new(compl_text_cols, COUNT(compl_text_cols))))
            return -1;
        rc = compl_rows(t, r->period, m, false, only_missing);
        if (rc == 0 && table_rows(t)) {
            shown += table_rows(t);
            if (fprintf(out, "\n%s%s%s\n", m->metric, m->label[0] ? ": " : "", m->label) < 0 ||
                table_print(t, out, "  ") != 0)
                rc = -1;
        }
        table_destroy(&t);
    }
    if (rc == 0 && only_missing && shown == 0)
        rc = fprintf(out, "\nno organisation is missing or late\n") < 0 ? -1 : 0;
    return rc;
}

/* ---- the commands ----------------------------------------------------- */

/* A query's reply, read by the op asked, with what its printer needs of the request. */
typedef struct {
    proto_op op;                 /* snapshot, series or completeness */
    proto_breakdown by;          /* snapshot: the breakdown asked for */
    bool only_missing;           /* completeness: --missing */
    union {
        proto_snapshot_reply snap;
        proto_series_reply series;
        proto_completeness_reply compl;
    } r;
} query_reply;

static int query_read(query_reply *q, const msgpack_object *root, lm_error *e)
{
    if (q->op == PROTO_OP_SNAPSHOT)
        return proto_snapshot_reply_read(root, &q->r.snap, e);
    if (q->op == PROTO_OP_SERIES)
        return proto_series_reply_read(root, &q->r.series, e);
    return proto_completeness_reply_read(root, &q->r.compl, e);
}

static int query_print(FILE *out, const query_reply *q, bool csv)
{
    if (q->op == PROTO_OP_SNAPSHOT)
        return query_print_snapshot(out, &q->r.snap, q->by, csv);
    if (q->op == PROTO_OP_SERIES)
        return query_print_series(out, &q->r.series, csv);
    return query_print_completeness(out, &q->r.compl, csv, q->only_missing);
}

static void query_free(query_reply *q)
{
    if (q->op == PROTO_OP_SNAPSHOT)
        proto_snapshot_reply_free(&q->r.snap);
    else if (q->op == PROTO_OP_SERIES)
        proto_series_reply_free(&q->r.series);
    else
        proto_completeness_reply_free(&q->r.compl);
}

/* Send req, read the 200 reply into q and print it (as it came with --format json). The
 * exit status, after saying why when it is not 0. */
static int query_run(leamon_ctx *ctx, const proto_request *req, query_reply *q)
{
    rpc_reply reply;
    int rc = query_call(ctx, req, &reply);
    if (rc != 0)
        return rc;
    lm_error e;
    int read = query_read(q, reply.root, &e);
    rc = ctx_take_reply(ctx, &reply, read, &e);
    if (rc == 0)
        rc = query_printed(ctx, query_print(ctx->out, q, ctx->csv));
    if (read == 0)
        query_free(q);
    rpc_reply_free(&reply);
    return rc == REPLY_DONE ? LEAMON_EXIT_OK : rc;
}

#define COPY(dst, src) memcpy((dst), (src), strlen(src) + 1) /* lengths checked before */

int cmd_snapshot(leamon_ctx *ctx)
{
    const char *period_text = ctx_opt(ctx, "period"), *area = ctx_opt(ctx, "area"),
               *as_of = ctx_opt(ctx, "as-of");
    bool by_area = ctx_opt(ctx, "by-area") != NULL, by_reporter = ctx_opt(ctx, "by-reporter") != NULL;
    period p;
    int64_t when = 0;
    int rc = arg_count(ctx, 1, "INDICATOR");
    if (rc == 0)
        rc = arg_code(ctx, "indicator", ctx->pos[0], PROTO_MAX_CODE);
    if (rc == 0)
        rc = arg_period(ctx, "period", period_text, &p);
    if (rc == 0 && area)
        rc = arg_code(ctx, "--area", area, PROTO_MAX_AREA);
    if (rc == 0 && by_area && by_reporter) {
        leamon_error(ctx, "--by-area and --by-reporter: give one of them");
        rc = LEAMON_EXIT_USAGE;
    }
    if (rc == 0 && as_of && by_reporter) {
        leamon_error(ctx, "--as-of works for the snapshot and --by-area, not --by-reporter "
                          "(the daemon keeps no past figures per organisation)");
        rc = LEAMON_EXIT_USAGE;
    }
    if (rc == 0 && as_of && fmt_parse_time(as_of, &when) != 0) {
        char q[48];
        arg_quote(q, sizeof q, as_of, 40);
        leamon_error(ctx, "--as-of '%s': give unix seconds, a local date YYYY-MM-DD or a local "
                          "time \"YYYY-MM-DD HH:MM\"",
                     q);
        rc = LEAMON_EXIT_USAGE;
    }
    if (rc != 0)
        return rc;
    proto_request req;
    if ((rc = query_start(ctx, &req, PROTO_OP_SNAPSHOT)) != 0)
        return rc;
    COPY(req.indicator, ctx->pos[0]);
    COPY(req.period, period_text);
    if (area)
        COPY(req.area, area);
    if (by_area || by_reporter)
        COPY(req.by, by_area ? "area" : "reporter");
    req.has_as_of = as_of != NULL;
    req.as_of = when;
    query_reply q = {.op = PROTO_OP_SNAPSHOT,
                     .by = by_area ? PROTO_BY_AREA : by_reporter ? PROTO_BY_REPORTER : PROTO_BY_NONE};
    return query_run(ctx, &req, &q);
}

int cmd_series(leamon_ctx *ctx)
{
    const char *from = ctx_opt(ctx, "from"), *to = ctx_opt(ctx, "to"), *area = ctx_opt(ctx, "area");
    period pf, pt;
    int rc = arg_count(ctx, 1, "INDICATOR");
    if (rc == 0)
        rc = arg_code(ctx, "indicator", ctx->pos[0], PROTO_MAX_CODE);
    if (rc == 0)
        rc = arg_period(ctx, "from", from, &pf);
    if (rc == 0)
        rc = arg_period(ctx, "to", to, &pt);
    if (rc == 0 && area)
        rc = arg_code(ctx, "--area", area, PROTO_MAX_AREA);
    if (rc == 0 && pf.kind != pt.kind) {
        leamon_error(ctx, "--from %s and --to %s: give two periods of one kind (two months, two "
                          "quarters, ...)",
                     from, to);
        rc = LEAMON_EXIT_USAGE;
    } else if (rc == 0 && period_compare(&pf, &pt) > 0) {
        leamon_error(ctx, "--from %s comes after --to %s", from, to);
        rc = LEAMON_EXIT_USAGE;
    } else if (rc == 0) {
        int count = (period_last_month(&pt) - period_first_month(&pf) + 1) /
                    period_month_count(&pf);
        if (count > PROTO_MAX_SERIES) {
            leamon_error(ctx, "--from %s --to %s is %d periods; a series has at most %d", from,
                         to, count, PROTO_MAX_SERIES);
            rc = LEAMON_EXIT_USAGE;
        }
    }
    if (rc != 0)
        return rc;
    proto_request req;
    if ((rc = query_start(ctx, &req, PROTO_OP_SERIES)) != 0)
        return rc;
    COPY(req.indicator, ctx->pos[0]);
    COPY(req.from, from);
    COPY(req.to, to);
    if (area)
        COPY(req.area, area);
    query_reply q = {.op = PROTO_OP_SERIES};
    return query_run(ctx, &req, &q);
}

int cmd_completeness(leamon_ctx *ctx)
{
    const char *period_text = ctx_opt(ctx, "period"), *metric = ctx_opt(ctx, "metric"),
               *org = ctx_opt(ctx, "org");
    bool only_missing = ctx_opt(ctx, "missing") != NULL;
    period p;
    int rc = arg_count(ctx, 0, "");
    if (rc == 0)
        rc = arg_period(ctx, "period", period_text, &p);
    if (rc == 0 && metric)
        rc = arg_code(ctx, "--metric", metric, PROTO_MAX_CODE);
    if (rc == 0 && org)
        rc = arg_code(ctx, "--org", org, PROTO_MAX_CODE);
    if (rc != 0)
        return rc;
    proto_request req;
    if ((rc = query_start(ctx, &req, PROTO_OP_COMPLETENESS)) != 0)
        return rc;
    COPY(req.period, period_text);
    if (metric)
        COPY(req.metric, metric);
    if (org)
        COPY(req.organisation, org);
    query_reply q = {.op = PROTO_OP_COMPLETENESS, .only_missing = only_missing};
    return query_run(ctx, &req, &q);
}
