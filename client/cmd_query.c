/* cmd_query.c: the query commands snapshot, series and completeness: check
 * the arguments locally, ask the daemon, and print its reply as a table for
 * people, as CSV, or (--format json) as it came.
 *
 * The printers (query_print_*) take a reply's root map and nothing else, so
 * the unit tests feed them hand-made replies. They trust nothing in it: a
 * missing or mistyped field prints as missing, strings are cleaned of
 * control characters before they reach a terminal.
 *
 * Reading replies, table cells, checking the command line and asking the
 * daemon are shared with the other commands (reply_fields.h, format.h, args.h,
 * query.h). */
#include "cmd_query.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "format.h"
#include "grow.h"
#include "indicator.h"
#include "leamon.h"
#include "period.h"
#include "proto.h"
#include "query.h"
#include "reply_fields.h"
#include "rpc.h"
#include "session.h"

/* ---- reading the reply ------------------------------------------------ */

typedef struct {
    char code[96], label[256], unit[32], type[16], better[16];
    bool has_ideal;
    double ideal;
} indicator_t;

static void read_indicator(const msgpack_object *m, indicator_t *ind)
{
    reply_text(m, "code", ind->code, sizeof ind->code);
    reply_text(m, "label", ind->label, sizeof ind->label);
    reply_text(m, "unit", ind->unit, sizeof ind->unit);
    reply_text(m, "type", ind->type, sizeof ind->type);
    reply_text(m, "better", ind->better, sizeof ind->better);
    ind->has_ideal = reply_number(m, "ideal", &ind->ideal);
}

/* A sum has no numerator and denominator worth a column. */
static bool shows_ratio(const indicator_t *ind)
{
    return strcmp(ind->type, "sum") != 0;
}

/* A figure for one area: a snapshot, or one point of a series. */
typedef struct {
    char area[64], name[200], period[32], reason[300];
    bool has_value, has_num, has_den, has_counts, has_computed, has_path;
    double value, num, den, path;
    int64_t expected, reported, computed_at, version;
} figure_t;

static void read_figure(const msgpack_object *m, figure_t *f)
{
    memset(f, 0, sizeof *f);
    reply_text(m, "area", f->area, sizeof f->area);
    reply_text(m, "name", f->name, sizeof f->name);
    reply_text(m, "period", f->period, sizeof f->period);
    reply_text(m, "reason", f->reason, sizeof f->reason);
    f->has_value = reply_number(m, "value", &f->value);
    f->has_num = reply_number(m, "numerator", &f->num);
    f->has_den = reply_number(m, "denominator", &f->den);
    f->has_counts = proto_get_int(m, "expected", &f->expected) == 0 &&
                    proto_get_int(m, "reported", &f->reported) == 0;
    f->has_computed = proto_get_int(m, "computed_at", &f->computed_at) == 0;
    if (proto_get_int(m, "version", &f->version) != 0)
        f->version = 0;
    f->has_path = reply_number(m, "path", &f->path);
}

static bool incomplete(const figure_t *f)
{
    return f->has_counts && f->reported < f->expected;
}

typedef struct {
    bool set;
    char area[64], goal_period[32], baseline_period[32], source[400];
    bool has_goal, has_baseline, has_path;
    double goal, baseline, path;
} target_t;

static void read_target(const msgpack_object *m, target_t *t)
{
    memset(t, 0, sizeof *t);
    if (!m || m->type != MSGPACK_OBJECT_MAP)
        return;
    t->set = true;
    reply_text(m, "area", t->area, sizeof t->area);
    reply_text(m, "goal_period", t->goal_period, sizeof t->goal_period);
    reply_text(m, "baseline_period", t->baseline_period, sizeof t->baseline_period);
    reply_text(m, "source", t->source, sizeof t->source);
    t->has_goal = reply_number(m, "goal", &t->goal);
    t->has_baseline = reply_number(m, "baseline", &t->baseline);
    t->has_path = reply_number(m, "path", &t->path);
}

static int judge(const indicator_t *ind, double value, double mark)
{
    return indicator_judge(ind->better, ind->has_ideal, ind->ideal, value, mark);
}

static const char *yes_no(int judged)
{
    return judged == 1 ? "yes" : judged == 0 ? "no" : "";
}

/* "higher is better", "closer to 50.0 % is better", or "". */
static void describe_better(const indicator_t *ind, char *buf, size_t n)
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

/* Reasons for missing values, numbered in order of appearance (the same
 * reason shares a number), and the partners-reported footnote. */
typedef struct {
    char **reasons;
    size_t n, cap;
    size_t incomplete;            /* rows marked '*' */
    int64_t expected, reported;   /* of the first such row */
    bool mixed;                   /* rows with different counts */
} notes_t;

static void notes_free(notes_t *nt)
{
    for (size_t i = 0; i < nt->n; i++)
        free(nt->reasons[i]);
    free(nt->reasons);
    memset(nt, 0, sizeof *nt);
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

static void note_incomplete(notes_t *nt, const figure_t *f)
{
    if (nt->incomplete++ == 0) {
        nt->expected = f->expected;
        nt->reported = f->reported;
    } else if (f->expected != nt->expected || f->reported != nt->reported) {
        nt->mixed = true;
    }
}

static int notes_print(const notes_t *nt, FILE *out)
{
    int rc = 0;
    if (nt->incomplete && nt->mixed)
        rc = fprintf(out, "* incomplete: fewer partners have reported than expected (see "
                          "REPORTED)\n");
    else if (nt->incomplete)
        rc = fprintf(out, "* incomplete: %lld of %lld partners have reported\n",
                     (long long)nt->reported, (long long)nt->expected);
    for (size_t i = 0; rc >= 0 && i < nt->n; i++)
        rc = fprintf(out, "(%zu) %s\n", i + 1, nt->reasons[i]);
    return rc < 0 ? -1 : 0;
}

/* The VALUE cell of a figure in text: "78.4 %", "78.4 %*" when not every
 * partner reported, "– (1)" with the reason in note 1. -1: out of memory. */
static int value_cell(char *buf, size_t n, const figure_t *f, const indicator_t *ind,
                      notes_t *nt)
{
    const char *star = "";
    if (incomplete(f)) {
        note_incomplete(nt, f);
        star = "*";
    }
    char v[FMT_NUMBER_MAX];
    if (f->has_value) {
        fmt_value(v, sizeof v, f->value, ind->unit);
        snprintf(buf, n, "%s%s", v, star);
        return 0;
    }
    if (!f->reason[0]) {
        snprintf(buf, n, "%s%s", FMT_MISSING, star);
        return 0;
    }
    int k = note_add(nt, f->reason);
    if (k < 0)
        return -1;
    snprintf(buf, n, "%s%s (%d)", FMT_MISSING, star, k);
    return 0;
}

/* "11 of 12", or "" when the daemon did not say. */
static int add_reported(table_t *t, const figure_t *f)
{
    if (!f->has_counts)
        return table_add(t, "");
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
    {"on_path", 0}};
static const table_col reporter_text_cols[] = {
    {"REPORTER", TABLE_LEFT},   {"NAME", TABLE_LEFT},         {"KIND", TABLE_LEFT},
    {"VALUE", TABLE_LEFT},      {"NUMERATOR", TABLE_RIGHT},   {"DENOMINATOR", TABLE_RIGHT}};
static const table_col reporter_csv_cols[] = {
    {"indicator", 0}, {"period", 0}, {"area", 0},      {"reporter", 0},   {"name", 0},
    {"kind", 0},      {"value", 0},  {"unit", 0},      {"numerator", 0}, {"denominator", 0}};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* One row of an area's figure. target is the target to show in it (CSV),
 * or NULL. */
static int snap_row(table_t *t, const indicator_t *ind, const char *period_text,
                    const figure_t *f, const target_t *target, bool csv, notes_t *nt)
{
    char v[FMT_NUMBER_MAX + 32];
    int rc = 0;
    if (!csv) {
        rc |= table_add(t, f->area);
        rc |= table_add(t, f->name);
        if (value_cell(v, sizeof v, f, ind, nt) != 0)
            return -1;
        rc |= table_add(t, v);
        if (shows_ratio(ind)) {
            rc |= cell_number(t, f->has_num, f->num, false);
            rc |= cell_number(t, f->has_den, f->den, false);
        }
        rc |= add_reported(t, f);
        return rc ? -1 : 0;
    }
    rc |= table_add(t, ind->code);
    rc |= table_add(t, period_text);
    rc |= table_add(t, f->area);
    rc |= table_add(t, f->name);
    rc |= cell_number(t, f->has_value, f->value, true);
    rc |= table_add(t, ind->unit);
    rc |= cell_number(t, f->has_num, f->num, true);
    rc |= cell_number(t, f->has_den, f->den, true);
    rc |= cell_int(t, f->has_counts, f->expected);
    rc |= cell_int(t, f->has_counts, f->reported);
    rc |= table_add(t, f->reason);
    rc |= cell_time_iso(t, f->has_computed, f->computed_at);
    rc |= cell_int(t, f->has_computed, f->version);
    bool tg = target && target->set;
    rc |= cell_number(t, tg && target->has_goal, tg ? target->goal : 0, true);
    rc |= table_add(t, tg ? target->goal_period : "");
    rc |= cell_number(t, tg && target->has_path, tg ? target->path : 0, true);
    rc |= table_add(t, tg && target->has_path && f->has_value
                           ? yes_no(judge(ind, f->value, target->path)) : "");
    return rc ? -1 : 0;
}

static int reporter_row(table_t *t, const indicator_t *ind, const char *period_text,
                        const char *area, const msgpack_object *m, bool csv)
{
    char id[96], name[200], kind[64], v[FMT_NUMBER_MAX];
    double value = 0, num = 0, den = 0;
    bool has_value = reply_number(m, "value", &value), has_num = reply_number(m, "numerator", &num),
         has_den = reply_number(m, "denominator", &den);
    int rc = 0;
    if (csv) {
        rc |= table_add(t, ind->code);
        rc |= table_add(t, period_text);
        rc |= table_add(t, area);
    }
    rc |= table_add(t, reply_text(m, "reporter", id, sizeof id));
    rc |= table_add(t, reply_text(m, "name", name, sizeof name));
    rc |= table_add(t, reply_text(m, "kind", kind, sizeof kind));
    if (csv) {
        rc |= cell_number(t, has_value, value, true);
        rc |= table_add(t, ind->unit);
    } else {
        fmt_value(v, sizeof v, has_value ? value : NAN, ind->unit);
        rc |= table_add(t, v);
    }
    if (csv || shows_ratio(ind)) {
        rc |= cell_number(t, has_num, num, csv);
        rc |= cell_number(t, has_den, den, csv);
    }
    return rc ? -1 : 0;
}

/* "85.0 % in 2027, from 70.0 % in 2022 (reached); set for GM0164" */
static void describe_target(const target_t *tg, const indicator_t *ind, const figure_t *f,
                            char *buf, size_t n)
{
    char goal[FMT_NUMBER_MAX], base[FMT_NUMBER_MAX];
    fmt_value(goal, sizeof goal, tg->has_goal ? tg->goal : NAN, ind->unit);
    size_t used = (size_t)snprintf(buf, n, "%s in %s", goal,
                                   tg->goal_period[0] ? tg->goal_period : "?");
    if (used < n && tg->has_baseline) {
        fmt_value(base, sizeof base, tg->baseline, ind->unit);
        used += (size_t)snprintf(buf + used, n - used, ", from %s in %s", base,
                                 tg->baseline_period[0] ? tg->baseline_period : "?");
    }
    if (used < n && f && f->has_value && tg->has_goal && judge(ind, f->value, tg->goal) == 1)
        used += (size_t)snprintf(buf + used, n - used, " (reached)");
    if (used < n && f && tg->area[0] && strcmp(tg->area, f->area))
        snprintf(buf + used, n - used, "; set for %s", tg->area);
}

/* "path:      81.2 % in 2026-10: off the path, below it (higher is better)" */
static int print_path(FILE *out, const target_t *tg, const indicator_t *ind, const figure_t *f,
                      const char *period_text)
{
    char path[FMT_NUMBER_MAX], better[128], verdict[192] = "";
    fmt_value(path, sizeof path, tg->path, ind->unit);
    describe_better(ind, better, sizeof better);
    int on = f->has_value ? judge(ind, f->value, tg->path) : -1;
    if (!f->has_value)
        snprintf(verdict, sizeof verdict, ": no value to compare");
    else if (on == 1)
        snprintf(verdict, sizeof verdict, ": on the path (%s)", better);
    else if (on == 0 && !strcmp(ind->better, "closer"))
        snprintf(verdict, sizeof verdict, ": off the path, further from the ideal (%s)", better);
    else if (on == 0)
        snprintf(verdict, sizeof verdict, ": off the path, %s it (%s)",
                 !strcmp(ind->better, "higher") ? "below" : "above", better);
    return fprintf(out, "path:      %s in %s%s\n", path, period_text, verdict) < 0 ? -1 : 0;
}

int query_print_snapshot(FILE *out, const msgpack_object *reply, const char *by, bool csv)
{
    indicator_t ind;
    figure_t top;
    target_t tg;
    char period_text[32];
    read_indicator(proto_get(reply, "indicator"), &ind);
    read_figure(proto_get(reply, "snapshot"), &top);
    read_target(proto_get(reply, "target"), &tg);
    reply_text(reply, "period", period_text, sizeof period_text);
    const msgpack_object *bd = reply_array(reply, "breakdown");
    bool by_reporter = by && !strcmp(by, "reporter");
    bool sum = !shows_ratio(&ind);

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
    if (rc == 0 && t && bd && !by_reporter) {
        for (uint32_t i = 0; rc == 0 && i < bd->via.array.size; i++) {
            figure_t child;
            read_figure(&bd->via.array.ptr[i], &child);
            rc = snap_row(t, &ind, period_text, &child, NULL, csv, &nt);
        }
        if (rc == 0 && bd->via.array.size)
            rc = table_rule(t);
    }
    if (rc == 0 && t)
        rc = snap_row(t, &ind, period_text, &top, &tg, csv, &nt);
    if (rc == 0 && rt && bd)
        for (uint32_t i = 0; rc == 0 && i < bd->via.array.size; i++)
            rc = reporter_row(rt, &ind, period_text, top.area, &bd->via.array.ptr[i], csv);

    if (rc == 0 && csv) {
        rc = table_print_csv(t ? t : rt, out);
    } else if (rc == 0) {
        char as_of[FMT_NUMBER_MAX + 16] = "";
        int64_t when;
        if (proto_get_int(reply, "as_of", &when) == 0) {
            memcpy(as_of, ", as of ", 9);
            fmt_time(as_of + 8, sizeof as_of - 8, when);
        }
        if (fprintf(out, "%s%s%s%s, %s%s\n\n", ind.label[0] ? ind.label : ind.code,
                    ind.label[0] ? " (" : "", ind.label[0] ? ind.code : "",
                    ind.label[0] ? ")" : "", period_text, as_of) < 0 ||
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
        if (rc == 0 && tg.set) {
            describe_target(&tg, &ind, &top, line, sizeof line);
            rc = fprintf(out, "target:    %s\n", line) < 0 ? -1 : 0;
            if (rc == 0 && tg.has_path)
                rc = print_path(out, &tg, &ind, &top, period_text);
            if (rc == 0 && tg.source[0])
                rc = fprintf(out, "source:    %s\n", tg.source) < 0 ? -1 : 0;
        } else if (rc == 0) {
            describe_better(&ind, better, sizeof better);
            rc = fprintf(out, "target:    none%s%s\n", better[0] ? "; " : "", better) < 0 ? -1
                                                                                        : 0;
        }
        if (rc == 0 && top.has_computed) {
            fmt_time(line, sizeof line, top.computed_at);
            rc = fprintf(out, "computed:  %s, version %lld\n", line, (long long)top.version) < 0
                     ? -1 : 0;
        } else if (rc == 0 && as_of[0]) {
            rc = fprintf(out, "computed:  not by then\n") < 0 ? -1 : 0;
        } else if (rc == 0) {
            rc = fprintf(out, "computed:  now (no stored snapshot yet)\n") < 0 ? -1 : 0;
        }
        if (rc == 0 && (nt.incomplete || nt.n))
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
    {"ON PATH", TABLE_LEFT}};
static const table_col series_csv_cols[] = {
    {"indicator", 0}, {"area", 0},     {"period", 0},   {"value", 0},
    {"unit", 0},      {"numerator", 0}, {"denominator", 0}, {"expected", 0},
    {"reported", 0},  {"reason", 0},   {"path", 0},     {"on_path", 0}};

int query_print_series(FILE *out, const msgpack_object *reply, bool csv)
{
    indicator_t ind;
    target_t tg;
    char area[64], name[200];
    read_indicator(proto_get(reply, "indicator"), &ind);
    read_target(proto_get(reply, "target"), &tg);
    reply_text(reply, "area", area, sizeof area);
    reply_text(reply, "name", name, sizeof name);
    const msgpack_object *pts = reply_array(reply, "points");
    size_t n = pts ? pts->via.array.size : 0;
    bool ratio = shows_ratio(&ind), any_path = false;

    figure_t *fig = n ? calloc(n, sizeof *fig) : NULL;
    double *values = n ? calloc(n, sizeof *values) : NULL;
    bool *present = n ? calloc(n, sizeof *present) : NULL;
    char *spark = malloc(FMT_SPARK_BYTES(n));
    int rc = (n && (!fig || !values || !present)) || !spark ? -1 : 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        read_figure(&pts->via.array.ptr[i], &fig[i]);
        values[i] = fig[i].value;
        present[i] = fig[i].has_value;
        any_path |= fig[i].has_path;
    }

    /* Text leaves out the columns nothing would fill. */
    table_col cols[COUNT(series_text_cols)];
    size_t ncols = 0;
    for (size_t c = 0; c < COUNT(series_text_cols); c++) {
        bool is_ratio = c == 2 || c == 3, is_path = c == 5 || c == 6;
        if ((!is_ratio || ratio) && (!is_path || any_path))
            cols[ncols++] = series_text_cols[c];
    }
    table_t *t = NULL;
    if (rc == 0 && !(t = csv ? table_new(series_csv_cols, COUNT(series_csv_cols))
                             : table_new(cols, ncols)))
        rc = -1;
    notes_t nt;
    memset(&nt, 0, sizeof nt);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const figure_t *f = &fig[i];
        int on = f->has_value && f->has_path ? judge(&ind, f->value, f->path) : -1;
        char v[FMT_NUMBER_MAX + 32];
        if (csv) {
            rc |= table_add(t, ind.code);
            rc |= table_add(t, area);
            rc |= table_add(t, f->period);
            rc |= cell_number(t, f->has_value, f->value, true);
            rc |= table_add(t, ind.unit);
            rc |= cell_number(t, f->has_num, f->num, true);
            rc |= cell_number(t, f->has_den, f->den, true);
            rc |= cell_int(t, f->has_counts, f->expected);
            rc |= cell_int(t, f->has_counts, f->reported);
            rc |= table_add(t, f->reason);
            rc |= cell_number(t, f->has_path, f->path, true);
            rc |= table_add(t, yes_no(on));
            continue;
        }
        rc |= table_add(t, f->period);
        if (value_cell(v, sizeof v, f, &ind, &nt) != 0)
            rc = -1;
        rc |= table_add(t, v);
        if (ratio) {
            rc |= cell_number(t, f->has_num, f->num, false);
            rc |= cell_number(t, f->has_den, f->den, false);
        }
        rc |= add_reported(t, f);
        if (any_path) {
            fmt_value(v, sizeof v, f->has_path ? f->path : NAN, ind.unit);
            rc |= table_add(t, f->has_path ? v : "");
            rc |= table_add(t, yes_no(on));
        }
    }
    if (rc == 0 && csv) {
        rc = table_print_csv(t, out);
    } else if (rc == 0) {
        char line[1024];
        if (fprintf(out, "%s%s%s%s, %s (%s)", ind.label[0] ? ind.label : ind.code,
                    ind.label[0] ? " (" : "", ind.label[0] ? ind.code : "",
                    ind.label[0] ? ")" : "", name[0] ? name : area, area) < 0 ||
            (n && fprintf(out, ", %s to %s", fig[0].period, fig[n - 1].period) < 0) ||
            fputs("\n", out) < 0)
            rc = -1;
        if (rc == 0 && tg.set) {
            describe_target(&tg, &ind, NULL, line, sizeof line);
            rc = fprintf(out, "target:  %s\n", line) < 0 ? -1 : 0;
            if (rc == 0 && tg.source[0])
                rc = fprintf(out, "source:  %s\n", tg.source) < 0 ? -1 : 0;
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
            fmt_value(a, sizeof a, lo, ind.unit);
            fmt_value(b, sizeof b, hi, ind.unit);
            if (lo == hi)
                rc = fprintf(out, "\ntrend:   %s  (all %s)\n", spark, a) < 0 ? -1 : 0;
            else
                rc = fprintf(out, "\ntrend:   %s  (%s to %s)\n", spark, a, b) < 0 ? -1 : 0;
        }
        if (rc == 0 && (nt.incomplete || nt.n))
            rc = fputc('\n', out) == EOF ? -1 : notes_print(&nt, out);
    }
    table_destroy(&t);
    notes_free(&nt);
    free(fig);
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

/* The months of an array of "2026-09" strings: for CSV space separated as
 * they came, for people with runs of consecutive months as ranges
 * ("2025-08 to 2025-10, 2026-01"). */
static void join_months(strbuf *sb, const msgpack_object *arr, bool csv)
{
    if (!arr)
        return;
    size_t start = sb->len;
    char first[32] = "", last[32] = "";
    int last_month = -1;
    bool run = false;
    for (uint32_t i = 0; i < arr->via.array.size; i++) {
        const msgpack_object *o = &arr->via.array.ptr[i];
        char cur[32] = "";
        if (o->type == MSGPACK_OBJECT_STR)
            fmt_clean(cur, sizeof cur, o->via.str.ptr, o->via.str.size);
        if (!cur[0])
            memcpy(cur, "?", 2);
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
                     const msgpack_object *o, bool csv)
{
    char id[96], name[200], kind[64], status[32];
    int64_t due = 0, got = 0, first = 0, deadline = 0;
    bool has_due = proto_get_int(o, "months_due", &due) == 0,
         has_got = proto_get_int(o, "months_reported", &got) == 0,
         has_first = proto_get_int(o, "first_reported", &first) == 0,
         has_deadline = proto_get_int(o, "deadline", &deadline) == 0;
    const msgpack_object *late = reply_array(o, "late_months"), *missing = reply_array(o, "missing_months");
    reply_text(o, "status", status, sizeof status);
    int rc = 0;
    if (csv) {
        strbuf lm = {.len = 0}, mm = {.len = 0}; /* zeroed: empty strings */
        join_months(&lm, late, true);
        join_months(&mm, missing, true);
        rc |= table_add(t, period_text);
        rc |= table_add(t, metric);
        rc |= table_add(t, reply_text(o, "id", id, sizeof id));
        rc |= table_add(t, reply_text(o, "name", name, sizeof name));
        rc |= table_add(t, reply_text(o, "kind", kind, sizeof kind));
        rc |= table_add(t, status);
        rc |= cell_int(t, has_due, due);
        rc |= cell_int(t, has_got, got);
        rc |= table_add(t, lm.buf);
        rc |= table_add(t, mm.buf);
        rc |= cell_time_iso(t, has_first, first);
        rc |= cell_time_iso(t, has_deadline, deadline);
        return rc ? -1 : 0;
    }
    strbuf detail = {.len = 0};
    if (missing && missing->via.array.size) {
        sb_addf(&detail, "missing ");
        join_months(&detail, missing, false);
    }
    if (late && late->via.array.size) {
        sb_addf(&detail, "%slate ", detail.len ? "; " : "");
        join_months(&detail, late, false);
    }
    char when[FMT_NUMBER_MAX];
    if (has_first) {
        fmt_time(when, sizeof when, first);
        sb_addf(&detail, "%sfirst reported %s", detail.len ? "; " : "", when);
    }
    if (has_deadline && !strcmp(status, "open")) {
        fmt_time(when, sizeof when, deadline);
        sb_addf(&detail, "%sdue by %s", detail.len ? "; " : "", when);
    }
    rc |= table_add(t, reply_text(o, "id", id, sizeof id));
    rc |= table_add(t, reply_text(o, "name", name, sizeof name));
    rc |= table_add(t, reply_text(o, "kind", kind, sizeof kind));
    rc |= table_add(t, status_text(status));
    if (has_due && has_got)
        rc |= table_addf(t, "%lld of %lld", (long long)got, (long long)due);
    else
        rc |= table_add(t, "");
    rc |= table_add(t, detail.buf);
    return rc ? -1 : 0;
}

int query_print_completeness(FILE *out, const msgpack_object *reply, bool csv, bool only_missing)
{
    char period_text[32];
    reply_text(reply, "period", period_text, sizeof period_text);
    const msgpack_object *metrics = reply_array(reply, "metrics");
    uint32_t nm = metrics ? metrics->via.array.size : 0;
    table_t *t = NULL;
    int rc = 0;
    size_t shown = 0;

    if (csv) {
        if (!(t = table_new(compl_csv_cols, COUNT(compl_csv_cols))))
            return -1;
        for (uint32_t i = 0; rc == 0 && i < nm; i++) {
            const msgpack_object *m = &metrics->via.array.ptr[i];
            const msgpack_object *orgs = reply_array(m, "organisations");
            char code[96], status[32];
            reply_text(m, "metric", code, sizeof code);
            for (uint32_t k = 0; rc == 0 && orgs && k < orgs->via.array.size; k++) {
                const msgpack_object *o = &orgs->via.array.ptr[k];
                if (!only_missing || is_missing_or_late(reply_text(o, "status", status, sizeof status)))
                    rc = compl_row(t, period_text, code, o, true);
            }
        }
        if (rc == 0)
            rc = table_print_csv(t, out);
        table_destroy(&t);
        return rc;
    }

    int64_t grace = 0;
    if (fprintf(out, "Completeness of %s", period_text) < 0)
        return -1;
    if (proto_get_int(reply, "grace_days", &grace) == 0 &&
        fprintf(out, "; a month's figures are due %lld day%s after it ends", (long long)grace,
                grace == 1 ? "" : "s") < 0)
        return -1;
    if (fputs("\n\n", out) < 0)
        return -1;
    if (nm == 0)
        return fprintf(out, "no metrics to report for this period\n") < 0 ? -1 : 0;

    if (!(t = table_new(compl_summary_cols, COUNT(compl_summary_cols))))
        return -1;
    static const char *const counts[] = {"expected", "on_time", "late", "missing", "open"};
    for (uint32_t i = 0; rc == 0 && i < nm; i++) {
        const msgpack_object *m = &metrics->via.array.ptr[i];
        char code[96];
        rc |= table_add(t, reply_text(m, "metric", code, sizeof code));
        for (size_t c = 0; c < COUNT(counts); c++) {
            int64_t v = 0;
            bool has = proto_get_int(m, counts[c], &v) == 0;
            rc |= cell_int(t, has, v);
        }
    }
    if (rc == 0)
        rc = table_print(t, out, "");
    table_destroy(&t);

    for (uint32_t i = 0; rc == 0 && i < nm; i++) {
        const msgpack_object *m = &metrics->via.array.ptr[i];
        const msgpack_object *orgs = reply_array(m, "organisations");
        char code[96], label[256], status[32];
        reply_text(m, "metric", code, sizeof code);
        reply_text(m, "label", label, sizeof label);
        if (!(t = table_new(compl_text_cols, COUNT(compl_text_cols))))
            return -1;
        for (uint32_t k = 0; rc == 0 && orgs && k < orgs->via.array.size; k++) {
            const msgpack_object *o = &orgs->via.array.ptr[k];
            if (!only_missing || is_missing_or_late(reply_text(o, "status", status, sizeof status)))
                rc = compl_row(t, period_text, code, o, false);
        }
        if (rc == 0 && table_rows(t)) {
            shown += table_rows(t);
            if (fprintf(out, "\n%s%s%s\n", code, label[0] ? ": " : "", label) < 0 ||
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

#define QUERY_DONE (-1) /* printed as JSON: nothing left to do */

/* query_call, and a 200 reply printed as it came for --format json. 0 with
 * a 200 reply to print, QUERY_DONE, or an exit status after printing why. */
static int query(leamon_ctx *ctx, const proto_request *req, rpc_reply *reply)
{
    int rc = query_call(ctx, req, reply);
    if (rc != 0 || !ctx->json)
        return rc;
    if (ctx_print_json(ctx, reply) != 0)
        leamon_error(ctx, "cannot write the output");
    rpc_reply_free(reply);
    return QUERY_DONE;
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
    rpc_reply reply;
    if ((rc = query(ctx, &req, &reply)) != 0)
        return rc == QUERY_DONE ? LEAMON_EXIT_OK : rc;
    rc = query_print_snapshot(ctx->out, reply.root, req.by, ctx->csv);
    rpc_reply_free(&reply);
    return query_printed(ctx, rc);
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
    rpc_reply reply;
    if ((rc = query(ctx, &req, &reply)) != 0)
        return rc == QUERY_DONE ? LEAMON_EXIT_OK : rc;
    rc = query_print_series(ctx->out, reply.root, ctx->csv);
    rpc_reply_free(&reply);
    return query_printed(ctx, rc);
}

int cmd_completeness(leamon_ctx *ctx)
{
    const char *period_text = ctx_opt(ctx, "period"), *metric = ctx_opt(ctx, "metric");
    bool only_missing = ctx_opt(ctx, "missing") != NULL;
    period p;
    int rc = arg_count(ctx, 0, "");
    if (rc == 0)
        rc = arg_period(ctx, "period", period_text, &p);
    if (rc == 0 && metric)
        rc = arg_code(ctx, "--metric", metric, PROTO_MAX_CODE);
    if (rc != 0)
        return rc;
    proto_request req;
    if ((rc = query_start(ctx, &req, PROTO_OP_COMPLETENESS)) != 0)
        return rc;
    COPY(req.period, period_text);
    if (metric)
        COPY(req.metric, metric);
    rpc_reply reply;
    if ((rc = query(ctx, &req, &reply)) != 0)
        return rc == QUERY_DONE ? LEAMON_EXIT_OK : rc;
    rc = query_print_completeness(ctx->out, reply.root, ctx->csv, only_missing);
    rpc_reply_free(&reply);
    return query_printed(ctx, rc);
}
