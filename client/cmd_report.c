/* cmd_report.c: leamon report: one self-contained HTML file (inline CSS and
 * SVG, nothing external) in Dutch, printable on A4, that a policy officer can
 * attach to a raadsinformatiebrief: per indicator its course over the school
 * year against the target path, the wijken, and how complete the figures
 * are; who delivered which month; the open alerts.
 *
 * Everything comes from the daemon through the ordinary queries (catalog,
 * alerts, series, snapshot by area, completeness per month) and is trusted
 * no more than the printers in cmd_query.c trust it. Every number taken from
 * a snapshot or a series point carries data-indicator, data-area,
 * data-period, data-field and data-value (the raw number), so a program can
 * check the report against the daemon (tests/integration/t_report.sh).
 *
 * --public makes the version for outside the municipality, as CBS does:
 * counts rounded to multiples of 5, counts under --min-cell (default 10)
 * suppressed, and percentages resting on such a count suppressed too. The
 * data-value attributes then hold the published numbers, never the raw ones.
 *
 * The page is built in memory, written to OUT.part and renamed to OUT. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "args.h"
#include "fileio.h"
#include "format.h"
#include "grow.h"
#include "indicator.h"
#include "leamon.h"
#include "period.h"
#include "proto.h"
#include "query.h"
#include "reply.h"
#include "report/html.h"
#include "report/svg.h"
#include "report/text.h"
#include "reqid.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define GRID_MONTHS 12  /* the completeness grid shows at most this many months */
#define RESOLVED_MAX 12 /* resolved alerts listed, newest change first */
#define MAX_AREA_DEPTH 32

/* ---- what the report is made of ----------------------------------------- */

typedef struct {
    char code[PROTO_MAX_AREA + 1], name[200], level[16], parent[PROTO_MAX_AREA + 1];
} area_t;

typedef struct {
    char code[PROTO_MAX_CODE + 1], label[256], unit[32], type[16], better[16];
    bool has_ideal;
    double ideal;
} ind_t;

/* A snapshot map or a series point. */
typedef struct {
    char area[PROTO_MAX_AREA + 1], name[200], period[PERIOD_TEXT_MAX + 1], reason[300];
    bool has_value, has_num, has_den, has_counts, has_path;
    double value, num, den, path;
    int64_t expected, reported;
} fig_t;

typedef struct {
    bool set, has_goal, has_baseline, has_path;
    double goal, baseline, path;
    char goal_period[32], baseline_period[32], source[1024];
} target_t;

/* A number as the report shows it. */
typedef struct {
    bool has;               /* a number is shown */
    bool suppressed;        /* held back: a small count (published version) */
    double v;               /* the number shown */
    char text[NL_TEXT_MAX]; /* for people */
    char raw[48];           /* for data-value */
} shown_t;

/* An alert rule's level, found for an indicator. */
typedef struct {
    char rule[PROTO_MAX_CODE + 1], kind[16], severity[16], where[48];
    double threshold;
    char label[256];
} band_src;

/* One organisation's row of the completeness grid. */
typedef struct {
    char id[PROTO_MAX_CODE + 1], name[200], kind[32];
    /* per month: how many of its metrics were on time, open, late, missing */
    unsigned (*n)[4];
} org_row;

enum { ST_ON_TIME, ST_OPEN, ST_LATE, ST_MISSING };

typedef struct {
    leamon_ctx *ctx;
    proto_request base; /* the first request: its reporter is every request's */
    bool pub;
    int min_cell;
    period p;
    char period_text[PERIOD_TEXT_MAX + 1];
    int first_month, last_month; /* the series' months, as month numbers */
    time_t now;
    area_t *areas;
    size_t nareas;
    const area_t *top;
    ind_t *inds;
    size_t ninds;
    rpc_reply catalog, alerts;
    bool have_catalog, have_alerts;
    org_row *orgs;
    size_t norgs;
    int grid_first, grid_last; /* the grid's months; grid_last < grid_first: none */
    size_t open_alerts;
    rbuf head, summary, body;
} report_t;

/* ---- reading replies ---------------------------------------------------- */

static void read_fig(const msgpack_object *m, fig_t *f)
{
    memset(f, 0, sizeof *f);
    if (!m || m->type != MSGPACK_OBJECT_MAP)
        return;
    reply_text(m, "area", f->area, sizeof f->area);
    reply_text(m, "name", f->name, sizeof f->name);
    reply_text(m, "period", f->period, sizeof f->period);
    reply_text(m, "reason", f->reason, sizeof f->reason);
    f->has_value = reply_number(m, "value", &f->value);
    f->has_num = reply_number(m, "numerator", &f->num);
    f->has_den = reply_number(m, "denominator", &f->den);
    f->has_counts = proto_get_int(m, "expected", &f->expected) == 0 &&
                    proto_get_int(m, "reported", &f->reported) == 0;
    f->has_path = reply_number(m, "path", &f->path);
}

static bool incomplete(const fig_t *f)
{
    return f->has_counts && f->reported < f->expected;
}

static void read_target(const msgpack_object *m, target_t *t)
{
    memset(t, 0, sizeof *t);
    if (!m || m->type != MSGPACK_OBJECT_MAP)
        return;
    t->set = true;
    reply_text(m, "goal_period", t->goal_period, sizeof t->goal_period);
    reply_text(m, "baseline_period", t->baseline_period, sizeof t->baseline_period);
    reply_text(m, "source", t->source, sizeof t->source);
    t->has_goal = reply_number(m, "goal", &t->goal);
    t->has_baseline = reply_number(m, "baseline", &t->baseline);
    t->has_path = reply_number(m, "path", &t->path);
}

static const ind_t *find_ind(const report_t *r, const char *code)
{
    for (size_t i = 0; i < r->ninds; i++)
        if (!strcmp(r->inds[i].code, code))
            return &r->inds[i];
    return NULL;
}

static const area_t *find_area(const report_t *r, const char *code)
{
    for (size_t i = 0; i < r->nareas; i++)
        if (!strcmp(r->areas[i].code, code))
            return &r->areas[i];
    return NULL;
}

/* Is code the report's area or below it? */
static bool in_report_area(const report_t *r, const char *code)
{
    const area_t *a = find_area(r, code);
    for (int depth = 0; a && depth < MAX_AREA_DEPTH; depth++) {
        if (a == r->top)
            return true;
        a = a->parent[0] ? find_area(r, a->parent) : NULL;
    }
    return false;
}

static const org_row *find_org(const report_t *r, const char *id)
{
    for (size_t i = 0; i < r->norgs; i++)
        if (!strcmp(r->orgs[i].id, id))
            return &r->orgs[i];
    return NULL;
}

/* ---- numbers as shown ------------------------------------------------------ */

/* A sum of counts: its value is a number of children or pupils. */
static bool value_is_count(const ind_t *ind)
{
    return !strcmp(ind->type, "sum") && !strcmp(ind->unit, "count");
}

static bool is_ratio(const ind_t *ind)
{
    return !strcmp(ind->type, "ratio");
}

static void shown_none(shown_t *s, const char *text)
{
    memset(s, 0, sizeof *s);
    snprintf(s->text, sizeof s->text, "%s", text);
}

static void shown_number(shown_t *s, double v, const char *text)
{
    memset(s, 0, sizeof *s);
    s->has = true;
    s->v = v;
    size_t l = strlen(text);
    l = l < sizeof s->text ? l : sizeof s->text - 1;
    memcpy(s->text, text, l);
    s->text[l] = '\0';
    fmt_csv_number(s->raw, sizeof s->raw, v);
}

/* A count (numerator, denominator, a sum's value): published, rounded to a
 * multiple of 5, or suppressed under min_cell. */
static void show_count(const report_t *r, bool has, double v, shown_t *s)
{
    char t[NL_TEXT_MAX];
    if (!has) {
        shown_none(s, FMT_MISSING);
        return;
    }
    if (r->pub) {
        if (v < r->min_cell) {
            shown_none(s, "");
            s->suppressed = true;
            snprintf(s->text, sizeof s->text, "<%d", r->min_cell);
            return;
        }
        v = floor(v / 5 + 0.5) * 5;
    }
    nl_number(t, sizeof t, v, -1);
    shown_number(s, v, t);
}

/* A plain whole number that is never rounded (organisations reported). */
static void show_int(int64_t v, shown_t *s)
{
    char t[NL_TEXT_MAX];
    nl_number(t, sizeof t, (double)v, 0);
    shown_number(s, (double)v, t);
}

/* The indicator's value of figure f. */
static void show_value(const report_t *r, const ind_t *ind, const fig_t *f, shown_t *s)
{
    char t[NL_TEXT_MAX];
    if (!f->has_value) {
        shown_none(s, "geen cijfers");
        return;
    }
    if (!r->pub) {
        nl_value(t, sizeof t, f->value, ind->unit, 1);
        shown_number(s, f->value, t);
        return;
    }
    if (value_is_count(ind)) {
        show_count(r, true, f->value, s);
        return;
    }
    if (is_ratio(ind)) {
        if (!f->has_num || !f->has_den || f->num < r->min_cell || f->den < r->min_cell) {
            shown_none(s, FMT_MISSING);
            s->suppressed = true;
            return;
        }
        double v = round(f->value * 10) / 10;
        nl_value(t, sizeof t, v, ind->unit, 1);
        shown_number(s, v, t);
        return;
    }
    /* a mean over locations: about organisations, not persons; one decimal */
    double v = round(f->value * 10) / 10;
    nl_value(t, sizeof t, v, ind->unit, 1);
    shown_number(s, v, t);
}

/* A number of the target (goal, baseline, path) in the indicator's unit. A
 * baseline taken from the data is a figure like any other: published as one. */
static void show_target(const report_t *r, const ind_t *ind, double v, bool from_data, shown_t *s)
{
    char t[NL_TEXT_MAX];
    if (r->pub && from_data && value_is_count(ind)) {
        show_count(r, true, v, s);
        return;
    }
    if (r->pub && value_is_count(ind))
        v = round(v);
    nl_value(t, sizeof t, v, ind->unit, 1);
    shown_number(s, v, t);
}

/* indicator_judge (indicator.h) for the report's indicator record. */
static int judge(const ind_t *ind, double value, double mark)
{
    return indicator_judge(ind->better, ind->has_ideal, ind->ideal, value, mark);
}

/* <tag class="cls" data-...>text</tag> */
static void emit_num(rbuf *b, const char *tag, const char *cls, const data_ref *ref,
                     const shown_t *s, const char *missing)
{
    rb_add(b, "<");
    rb_add(b, tag);
    rb_add(b, " class=\"");
    rb_add(b, cls);
    rb_add(b, "\"");
    rb_data_attrs(b, ref, s->has ? s->raw : NULL, s->suppressed ? s->text : NULL, missing);
    rb_add(b, ">");
    rb_esc(b, s->text);
    rb_add(b, "</");
    rb_add(b, tag);
    rb_add(b, ">");
}

/* ---- talking to the daemon ---------------------------------------------- */

static int new_request(const report_t *r, proto_request *req, proto_op op)
{
    if (query_request_like(&r->base, req, op) != 0) {
        leamon_error(r->ctx, "cannot make a random request id (no getrandom or /dev/urandom)");
        return LEAMON_EXIT_USAGE;
    }
    return 0;
}

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src))

/* The catalog: areas and indicators. */
static int load_catalog(report_t *r, const char *area_code)
{
    int rc = query_call(r->ctx, &r->base, &r->catalog);
    if (rc != 0)
        return rc;
    r->have_catalog = true;
    const msgpack_object *areas = reply_array(r->catalog.root, "areas"),
                         *inds = reply_array(r->catalog.root, "indicators");
    size_t na = areas ? areas->via.array.size : 0, ni = inds ? inds->via.array.size : 0;
    if (na == 0) {
        leamon_error(r->ctx, "the daemon's catalog lists no areas");
        return LEAMON_EXIT_REJECTED;
    }
    if (!(r->areas = calloc(na, sizeof *r->areas)) ||
        (ni && !(r->inds = calloc(ni, sizeof *r->inds)))) {
        leamon_error(r->ctx, "out of memory");
        return LEAMON_EXIT_USAGE;
    }
    for (size_t i = 0; i < na; i++) {
        const msgpack_object *m = &areas->via.array.ptr[i];
        area_t *a = &r->areas[r->nareas];
        reply_text(m, "code", a->code, sizeof a->code);
        reply_text(m, "name", a->name, sizeof a->name);
        reply_text(m, "level", a->level, sizeof a->level);
        reply_text(m, "parent", a->parent, sizeof a->parent);
        if (a->code[0])
            r->nareas++;
    }
    for (size_t i = 0; i < ni; i++) {
        const msgpack_object *m = &inds->via.array.ptr[i];
        ind_t *d = &r->inds[r->ninds];
        reply_text(m, "code", d->code, sizeof d->code);
        reply_text(m, "label", d->label, sizeof d->label);
        reply_text(m, "unit", d->unit, sizeof d->unit);
        reply_text(m, "type", d->type, sizeof d->type);
        reply_text(m, "better", d->better, sizeof d->better);
        d->has_ideal = reply_number(m, "ideal", &d->ideal);
        /* the codes go back to the daemon in requests */
        if (d->code[0] && reqid_check(d->code) == 0 && strlen(d->code) <= PROTO_MAX_CODE)
            r->ninds++;
    }
    if (area_code) {
        if (!(r->top = find_area(r, area_code))) {
            leamon_error(r->ctx, "unknown area '%s' (leamon catalog lists them)", area_code);
            return LEAMON_EXIT_REJECTED;
        }
    } else {
        for (size_t i = 0; i < r->nareas && !r->top; i++)
            if (!r->areas[i].parent[0])
                r->top = &r->areas[i];
        if (!r->top)
            r->top = &r->areas[0];
    }
    if (reqid_check(r->top->code) != 0 || strlen(r->top->code) > PROTO_MAX_AREA) {
        leamon_error(r->ctx, "the daemon's catalog names an area this leamon cannot ask about");
        return LEAMON_EXIT_REJECTED;
    }
    return 0;
}

static int load_alerts(report_t *r)
{
    proto_request req;
    int rc = new_request(r, &req, PROTO_OP_ALERTS);
    if (rc != 0)
        return rc;
    COPY(req.state, "all");
    if ((rc = query_call(r->ctx, &req, &r->alerts)) != 0)
        return rc;
    r->have_alerts = true;
    return 0;
}

/* ---- the completeness grid ---------------------------------------------- */

static org_row *grid_org(report_t *r, const msgpack_object *o, size_t *cap)
{
    char id[PROTO_MAX_CODE + 1];
    reply_text(o, "id", id, sizeof id);
    if (!id[0])
        return NULL;
    for (size_t i = 0; i < r->norgs; i++)
        if (!strcmp(r->orgs[i].id, id))
            return &r->orgs[i];
    org_row *p = grow(r->orgs, cap, r->norgs, sizeof *p, 32);
    if (!p)
        return NULL;
    r->orgs = p;
    size_t months = (size_t)(r->grid_last - r->grid_first + 1);
    org_row *row = &r->orgs[r->norgs];
    memset(row, 0, sizeof *row);
    if (!(row->n = calloc(months, sizeof *row->n)))
        return NULL;
    r->norgs++;
    COPY(row->id, id);
    reply_text(o, "name", row->name, sizeof row->name);
    reply_text(o, "kind", row->kind, sizeof row->kind);
    return row;
}

static int org_cmp(const void *a, const void *b)
{
    const org_row *x = a, *y = b;
    int k = partner_kind_rank(x->kind) - partner_kind_rank(y->kind);
    if (k)
        return k;
    int n = strcmp(x->name, y->name);
    return n ? n : strcmp(x->id, y->id);
}

/* One completeness request per month of the grid: the months of the series
 * that have begun, at most the last GRID_MONTHS of them. */
static int load_grid(report_t *r)
{
    period cur;
    int now_month = period_of_time(r->now, &cur) == 0 ? period_first_month(&cur) : r->last_month;
    r->grid_last = r->last_month < now_month ? r->last_month : now_month;
    r->grid_first = r->first_month > r->grid_last - (GRID_MONTHS - 1)
                        ? r->first_month
                        : r->grid_last - (GRID_MONTHS - 1);
    size_t cap = 0;
    for (int m = r->grid_first; m <= r->grid_last; m++) {
        proto_request req;
        rpc_reply reply;
        int rc = new_request(r, &req, PROTO_OP_COMPLETENESS);
        if (rc != 0)
            return rc;
        month_code(req.period, sizeof req.period, m);
        if ((rc = query_call(r->ctx, &req, &reply)) != 0)
            return rc;
        const msgpack_object *metrics = reply_array(reply.root, "metrics");
        for (uint32_t i = 0; metrics && i < metrics->via.array.size; i++) {
            const msgpack_object *orgs = reply_array(&metrics->via.array.ptr[i], "organisations");
            for (uint32_t k = 0; orgs && k < orgs->via.array.size; k++) {
                const msgpack_object *o = &orgs->via.array.ptr[k];
                char status[16], id[8];
                if (!reply_text(o, "id", id, sizeof id)[0])
                    continue;
                reply_text(o, "status", status, sizeof status);
                org_row *row = grid_org(r, o, &cap);
                if (!row) {
                    rpc_reply_free(&reply);
                    leamon_error(r->ctx, "out of memory");
                    return LEAMON_EXIT_USAGE;
                }
                int st = !strcmp(status, "on_time")   ? ST_ON_TIME
                         : !strcmp(status, "open")    ? ST_OPEN
                         : !strcmp(status, "late")    ? ST_LATE
                         : !strcmp(status, "missing") ? ST_MISSING
                                                      : -1;
                if (st >= 0)
                    row->n[m - r->grid_first][st]++;
            }
        }
        rpc_reply_free(&reply);
    }
    if (r->norgs)
        qsort(r->orgs, r->norgs, sizeof *r->orgs, org_cmp);
    return 0;
}

static const char *const grid_letter[] = {"T", "N", "L", "O"};
static const char *const grid_word[] = {"op tijd", "nog open", "te laat", "ontbreekt"};

static void write_grid(report_t *r)
{
    rbuf *b = &r->body;
    char a[NL_TEXT_MAX], c[NL_TEXT_MAX];
    rb_add(b, "<section class=\"compl\"><h2>Levering per organisatie</h2>\n");
    if (r->grid_last < r->grid_first) {
        rb_add(b, "<p>Er is nog geen maand van deze periode begonnen: er hoeft nog niets "
                  "geleverd te zijn.</p></section>\n");
        return;
    }
    nl_month_year(a, sizeof a, r->grid_first);
    nl_month_year(c, sizeof c, r->grid_last);
    rb_add(b, "<p>Per organisatie en per maand (");
    rb_esc(b, a);
    if (r->grid_first != r->grid_last) {
        rb_add(b, " t/m ");
        rb_esc(b, c);
    }
    rb_add(b, "): heeft zij de maand geleverd, en op tijd? Een maand telt als geleverd vanaf "
              "het eerste cijfer dat de organisatie ervoor stuurde; op tijd is v\xc3\xb3\xc3\xb3r "
              "de termijn. Een * betekent dat nog niet alle cijfers die zij moet leveren binnen "
              "zijn (de cel noemt per status hoeveel). Organisatienamen staan ook in de "
              "publieksversie: het zijn partners, geen personen.</p>\n");
    rb_add(b, "<p class=\"legend\">");
    for (int s = 0; s < 4; s++) {
        rb_addf(b, "<span class=\"c st-%s\">%s</span>", grid_letter[s], grid_letter[s]);
        rb_add(b, grid_word[s]);
        rb_add(b, s == ST_OPEN ? " (de termijn loopt nog)" : "");
        rb_add(b, s < 3 ? " &#160; " : "");
    }
    rb_add(b, "</p>\n");
    if (r->norgs == 0) {
        rb_add(b, "<p>Geen organisaties hoeven cijfers te leveren.</p></section>\n");
        return;
    }
    rb_add(b, "<table class=\"grid\"><thead><tr><th>Organisatie</th><th>Soort</th>");
    for (int m = r->grid_first; m <= r->grid_last; m++) {
        period pm = period_month_from_number(m);
        rb_addf(b, "<th class=\"c\">%s<br>%d</th>", nl_month_short(pm.index), pm.year);
    }
    rb_add(b, "</tr></thead><tbody>\n");
    size_t months = (size_t)(r->grid_last - r->grid_first + 1);
    unsigned *per_month = calloc(months * 4, sizeof *per_month), partials = 0;
    for (size_t i = 0; i < r->norgs; i++) {
        const org_row *o = &r->orgs[i];
        rb_add(b, "<tr><td>");
        rb_esc(b, o->name[0] ? o->name : o->id);
        rb_add(b, "</td><td>");
        rb_esc(b, nl_partner_kind(o->kind));
        rb_add(b, "</td>");
        for (size_t m = 0; m < months; m++) {
            const unsigned *n = o->n[m];
            /* the organisation's month as a whole, as the daemon judges one metric:
             * reported when its first figure came, on time or late; * when some
             * of its metrics are still missing after the deadline */
            int worst = n[ST_ON_TIME]   ? ST_ON_TIME
                        : n[ST_LATE]    ? ST_LATE
                        : n[ST_OPEN]    ? ST_OPEN
                        : n[ST_MISSING] ? ST_MISSING
                                        : -1;
            bool partial = n[ST_MISSING] && (n[ST_ON_TIME] || n[ST_LATE]);
            char mt[PERIOD_TEXT_MAX];
            month_code(mt, sizeof mt, r->grid_first + (int)m);
            if (worst < 0) {
                rb_add(b, "<td class=\"c\"></td>");
                continue;
            }
            if (per_month)
                per_month[m * 4 + (size_t)worst]++;
            rb_addf(b, "<td class=\"c st-%s\" data-org=\"", grid_letter[worst]);
            rb_esc(b, o->id);
            rb_addf(b, "\" data-month=\"%s\" data-status=\"%s\" title=\"", mt,
                    worst == ST_ON_TIME ? "on_time"
                    : worst == ST_OPEN  ? "open"
                    : worst == ST_LATE  ? "late"
                                        : "missing");
            bool first = true;
            for (int s = 0; s < 4; s++)
                if (n[s]) {
                    rb_addf(b, "%s%u %s", first ? "" : ", ", n[s], grid_word[s]);
                    first = false;
                }
            rb_addf(b, "\">%s%s</td>", grid_letter[worst], partial ? "*" : "");
            partials += partial;
        }
        rb_add(b, "</tr>\n");
    }
    rb_add(b, "</tbody>");
    if (per_month) {
        rb_addf(b, "<tfoot><tr><td colspan=\"2\">Op tijd</td>");
        for (size_t m = 0; m < months; m++) {
            unsigned total = 0;
            for (int s = 0; s < 4; s++)
                total += per_month[m * 4 + (size_t)s];
            rb_addf(b, "<td class=\"c small\">%u/%u</td>", per_month[m * 4 + ST_ON_TIME], total);
        }
        rb_add(b, "</tr></tfoot>");
    } else {
        b->failed = true;
    }
    free(per_month);
    rb_add(b, "</table>\n");
    if (partials)
        rb_addf(b,
                "<p class=\"fn\">* In %u cel%s ontbreken na de termijn nog cijfers van "
                "de organisatie (leamon completeness --period MAAND --missing noemt ze).</p>\n",
                partials, partials == 1 ? "" : "len");
    if (r->first_month < r->grid_first) {
        nl_month_year(a, sizeof a, r->first_month);
        rb_addf(b, "<p class=\"fn\">Alleen de laatste %d maanden; de reeks begint in ",
                GRID_MONTHS);
        rb_esc(b, a);
        rb_add(b, ".</p>\n");
    }
    if (r->grid_last < r->last_month)
        rb_add(b, "<p class=\"fn\">Maanden die nog niet begonnen zijn, ontbreken.</p>\n");
    rb_add(b, "</section>\n");
}

/* ---- alert levels for the charts ------------------------------------------ */

/* The levels of the alert rules on ind: from the catalog's rules when it
 * lists them, else from the alerts raised so far. */
static size_t find_bands(const report_t *r, const ind_t *ind, band_src *out, size_t max)
{
    const msgpack_object *list = reply_array(r->catalog.root, "rules");
    bool from_catalog = list != NULL;
    if (!list && r->have_alerts)
        list = reply_array(r->alerts.root, "alerts");
    size_t n = 0;
    for (uint32_t i = 0; list && i < list->via.array.size && n < max; i++) {
        const msgpack_object *m = &list->via.array.ptr[i];
        char code[PROTO_MAX_CODE + 1], rule[PROTO_MAX_CODE + 1], kind[16], area[PROTO_MAX_AREA + 1];
        double threshold;
        if (strcmp(reply_text(m, "indicator", code, sizeof code), ind->code) ||
            !reply_number(m, "threshold", &threshold))
            continue;
        reply_text(m, from_catalog ? "name" : "rule", rule, sizeof rule);
        reply_text(m, "kind", kind, sizeof kind);
        if (strcmp(kind, "below") && strcmp(kind, "above") && strcmp(kind, "off_track"))
            continue;
        bool seen = false;
        for (size_t k = 0; k < n; k++)
            seen |= !strcmp(out[k].rule, rule);
        if (seen)
            continue;
        band_src *s = &out[n];
        memset(s, 0, sizeof *s);
        COPY(s->rule, rule);
        COPY(s->kind, kind);
        reply_text(m, "severity", s->severity, sizeof s->severity);
        s->threshold = threshold;
        if (from_catalog) {
            reply_text(m, "level", s->where, sizeof s->where);
        } else {
            const area_t *a = find_area(r, reply_text(m, "area", area, sizeof area));
            if (a && a != r->top)
                COPY(s->where, a->level);
        }
        const char *where = s->where[0] && strcmp(s->where, r->top->level) ? s->where : "";
        nl_band_label(s->label, sizeof s->label, kind, where, threshold, ind->unit, ind->better);
        n++;
    }
    return n;
}

/* ---- one indicator ---------------------------------------------------------- */

static void write_verdict(rbuf *b, const ind_t *ind, const shown_t *val, const target_t *tg,
                          const shown_t *path)
{
    if (!val->has)
        return;
    if (tg->has_goal && judge(ind, val->v, tg->goal) == 1) {
        rb_add(b, " <span class=\"verdict ok\">doel gehaald</span>");
        return;
    }
    if (!path->has)
        return;
    int j = judge(ind, val->v, path->v);
    if (j == 1)
        rb_add(b, " <span class=\"verdict ok\">op koers</span>");
    else if (j == 0 && !strcmp(ind->better, "higher"))
        rb_add(b, " <span class=\"verdict bad\">onder het pad</span>");
    else if (j == 0 && !strcmp(ind->better, "lower"))
        rb_add(b, " <span class=\"verdict bad\">boven het pad</span>");
    else if (j == 0)
        rb_add(b, " <span class=\"verdict bad\">verder van de ideale waarde dan het pad</span>");
}

/* The summary table's row of an indicator. */
static void write_summary_row(report_t *r, const ind_t *ind, size_t no, const fig_t *top,
                              const target_t *tg)
{
    rbuf *b = &r->summary;
    shown_t val, goal, path, rep, exp;
    show_value(r, ind, top, &val);
    data_ref ref = {ind->code, r->top->code, r->period_text, "value"};
    rb_addf(b, "<tr><td>%zu.</td><td><a href=\"#ind-", no);
    rb_esc(b, ind->code);
    rb_add(b, "\">");
    rb_esc(b, ind->label[0] ? ind->label : ind->code);
    rb_add(b, "</a></td>");
    emit_num(b, "td", "n", &ref, &val, top->reason);
    if (tg->set && tg->has_goal) {
        show_target(r, ind, tg->goal, false, &goal);
        ref.field = "goal";
        rb_add(b, "<td class=\"n\">");
        emit_num(b, "span", "num", &ref, &goal, NULL);
        rb_add(b, " <span class=\"small\">");
        rb_esc(b, tg->goal_period);
        rb_add(b, "</span></td>");
    } else {
        rb_add(b, "<td class=\"n\">geen doel</td>");
    }
    if (tg->set && tg->has_path) {
        show_target(r, ind, tg->path, false, &path);
        ref.field = "path";
        emit_num(b, "td", "n", &ref, &path, NULL);
    } else {
        shown_none(&path, FMT_MISSING);
        rb_add(b, "<td class=\"n\">\xe2\x80\x93</td>");
    }
    rb_add(b, "<td>");
    write_verdict(b, ind, &val, tg, &path);
    rb_add(b, "</td><td class=\"n\">");
    if (top->has_counts) {
        show_int(top->reported, &rep);
        show_int(top->expected, &exp);
        ref.field = "reported";
        emit_num(b, "span", "num", &ref, &rep, NULL);
        rb_add(b, " van ");
        ref.field = "expected";
        emit_num(b, "span", "num", &ref, &exp, NULL);
    }
    rb_add(b, "</td></tr>\n");
}

/* Months of the series without a value, grouped by reason, as footnotes. */
static void write_reasons(rbuf *b, const fig_t *pts, size_t n)
{
    bool *done = calloc(n ? n : 1, sizeof *done);
    if (!done) {
        b->failed = true;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (done[i] || pts[i].has_value)
            continue;
        char why[400], ps[NL_TEXT_MAX];
        nl_reason(why, sizeof why, pts[i].reason);
        rb_add(b, "<p>Geen waarde in ");
        for (size_t k = i, first = 1; k < n; k++) {
            if (done[k] || pts[k].has_value || strcmp(pts[k].reason, pts[i].reason))
                continue;
            done[k] = true;
            nl_period_short(ps, sizeof ps, pts[k].period);
            rb_add(b, first ? "" : ", ");
            rb_esc(b, ps);
            first = 0;
        }
        rb_add(b, ": ");
        rb_esc(b, why);
        rb_add(b, ".</p>");
    }
    free(done);
}

/* One indicator while its section is written: the daemon's figures read,
 * and as the report shows them. */
typedef struct {
    report_t *r;
    const ind_t *ind;
    size_t no;               /* its number in the report */
    char ptext[NL_TEXT_MAX]; /* the period in words */
    fig_t top;               /* the report's area, for the period */
    target_t tg;
    shown_t val, path; /* top's value and the path, as shown */
    fig_t *pts;        /* the series, month by month */
    shown_t *spts;
    size_t npts;
    fig_t *kids; /* the child areas, for the period */
    shown_t *skids;
    size_t nkids;
    band_src bands[CHART_MAX_BANDS];
    size_t nbands;
    size_t valued_months, complete_months, kids_incomplete;
    bool any_kid, any_suppressed;
} ind_view;

/* The series of the report's months and the snapshot by area of the period. */
static int ind_fetch(report_t *r, const ind_t *ind, rpc_reply *series, rpc_reply *snap)
{
    proto_request req;
    int rc = new_request(r, &req, PROTO_OP_SERIES);
    if (rc != 0)
        return rc;
    COPY(req.indicator, ind->code);
    COPY(req.area, r->top->code);
    month_code(req.from, sizeof req.from, r->first_month);
    month_code(req.to, sizeof req.to, r->last_month);
    if ((rc = query_call(r->ctx, &req, series)) != 0)
        return rc;
    if ((rc = new_request(r, &req, PROTO_OP_SNAPSHOT)) == 0) {
        COPY(req.indicator, ind->code);
        COPY(req.area, r->top->code);
        COPY(req.period, r->period_text);
        COPY(req.by, "area");
        rc = query_call(r->ctx, &req, snap);
    }
    if (rc != 0)
        rpc_reply_free(series);
    return rc;
}

static void ind_free(ind_view *v)
{
    free(v->pts);
    free(v->spts);
    free(v->kids);
    free(v->skids);
}

/* Read the replies into v; -1 when out of memory. */
static int ind_read(ind_view *v, const rpc_reply *series, const rpc_reply *snap)
{
    const report_t *r = v->r;
    nl_period(v->ptext, sizeof v->ptext, r->period_text);
    read_fig(proto_get(snap->root, "snapshot"), &v->top);
    read_target(proto_get(snap->root, "target"), &v->tg);
    show_value(r, v->ind, &v->top, &v->val);
    shown_none(&v->path, FMT_MISSING);
    if (v->tg.set && v->tg.has_path)
        show_target(r, v->ind, v->tg.path, false, &v->path);
    v->any_suppressed = v->val.suppressed;

    const msgpack_object *pts = reply_array(series->root, "points"),
                         *kids = reply_array(snap->root, "breakdown");
    v->npts = pts ? pts->via.array.size : 0;
    v->nkids = kids ? kids->via.array.size : 0;
    v->pts = calloc(v->npts + 1, sizeof *v->pts);
    v->spts = calloc(v->npts + 1, sizeof *v->spts);
    v->kids = calloc(v->nkids + 1, sizeof *v->kids);
    v->skids = calloc(v->nkids + 1, sizeof *v->skids);
    if (!v->pts || !v->spts || !v->kids || !v->skids)
        return -1;
    for (size_t i = 0; i < v->npts; i++) {
        read_fig(&pts->via.array.ptr[i], &v->pts[i]);
        show_value(r, v->ind, &v->pts[i], &v->spts[i]);
        v->valued_months += v->pts[i].has_value;
        v->complete_months += v->pts[i].has_value && !incomplete(&v->pts[i]);
        v->any_suppressed |= v->spts[i].suppressed;
    }
    for (size_t i = 0; i < v->nkids; i++) {
        read_fig(&kids->via.array.ptr[i], &v->kids[i]);
        show_value(r, v->ind, &v->kids[i], &v->skids[i]);
        /* a wijk with a value, published or not */
        v->any_kid |= v->skids[i].has || v->skids[i].suppressed;
        v->kids_incomplete += v->skids[i].has && incomplete(&v->kids[i]);
        v->any_suppressed |= v->skids[i].suppressed;
    }
    v->nbands = find_bands(r, v->ind, v->bands, COUNT(v->bands));
    return 0;
}

/* The heading and the line of key figures: value, numerator and
 * denominator, goal, baseline, path and the verdict. */
static void ind_key_figures(ind_view *v)
{
    const report_t *r = v->r;
    const ind_t *ind = v->ind;
    const fig_t *top = &v->top;
    const target_t *tg = &v->tg;
    rbuf *b = &v->r->body;
    data_ref ref = {ind->code, r->top->code, r->period_text, "value"};
    char t[400];

    rb_add(b, "<section class=\"ind\" id=\"ind-");
    rb_esc(b, ind->code);
    rb_addf(b, "\"><h2><span class=\"no\">%zu.</span> ", v->no);
    rb_esc(b, ind->label[0] ? ind->label : ind->code);
    rb_add(b, " <span class=\"code\">");
    rb_esc(b, ind->code);
    rb_add(b, "</span></h2>\n<p class=\"kern\">Stand ");
    rb_esc(b, v->ptext);
    rb_add(b, ": <b>");
    emit_num(b, "span", "num", &ref, &v->val, top->reason);
    rb_add(b, "</b>");
    if (!v->val.has && !v->val.suppressed && top->reason[0]) {
        nl_reason(t, sizeof t, top->reason);
        rb_add(b, " <span class=\"small\">(");
        rb_esc(b, t);
        rb_add(b, ")</span>");
    }
    if (is_ratio(ind) && (top->has_num || top->has_den)) {
        shown_t num, den;
        show_count(r, top->has_num, top->num, &num);
        show_count(r, top->has_den, top->den, &den);
        rb_add(b, " (teller ");
        ref.field = "numerator";
        emit_num(b, "span", "num", &ref, &num, NULL);
        rb_add(b, ", noemer ");
        ref.field = "denominator";
        emit_num(b, "span", "num", &ref, &den, NULL);
        rb_add(b, ")");
    } else if (!strcmp(ind->type, "mean") && top->has_den) {
        /* the number of locations: organisations, never rounded */
        shown_t locs;
        nl_number(t, sizeof t, top->den, -1);
        shown_number(&locs, top->den, t);
        rb_add(b, " (gemiddelde van ");
        ref.field = "denominator";
        emit_num(b, "span", "num", &ref, &locs, NULL);
        rb_add(b, top->den == 1 ? " locatie)" : " locaties)");
    }
    if (!tg->set || !tg->has_goal) {
        rb_add(b, " &#183; Geen doel vastgesteld</p>\n");
        return;
    }
    shown_t goal, base;
    show_target(r, ind, tg->goal, false, &goal);
    rb_add(b, " &#183; Doel: ");
    ref.field = "goal";
    emit_num(b, "span", "num", &ref, &goal, NULL);
    rb_add(b, " in ");
    rb_esc(b, tg->goal_period);
    if (tg->has_baseline) {
        /* a baseline without a value in the catalogue comes from the data */
        show_target(r, ind, tg->baseline, true, &base);
        rb_add(b, " (vanaf ");
        ref.field = "baseline";
        emit_num(b, "span", "num", &ref, &base, NULL);
        rb_add(b, " in ");
        rb_esc(b, tg->baseline_period);
        rb_add(b, ")");
    }
    if (v->path.has) {
        rb_add(b, " &#183; Pad ");
        rb_esc(b, v->ptext);
        rb_add(b, ": ");
        ref.field = "path";
        emit_num(b, "span", "num", &ref, &v->path, NULL);
    }
    write_verdict(b, ind, &v->val, tg, &v->path);
    rb_add(b, "</p>\n");
}

/* The series as a line chart, with the alert levels. */
static void ind_line_chart(ind_view *v)
{
    const report_t *r = v->r;
    const ind_t *ind = v->ind;
    rbuf *b = &v->r->body;
    chart_point *cp = calloc(v->npts + 1, sizeof *cp);
    if (!cp) {
        b->failed = true;
        return;
    }
    char title[600], from_t[NL_TEXT_MAX], to_t[NL_TEXT_MAX];
    line_chart lc;
    memset(&lc, 0, sizeof lc);
    lc.indicator = ind->code;
    lc.area = r->top->code;
    lc.unit = ind->unit;
    lc.pct_decimals = 1;
    snprintf(title, sizeof title, "%s, %s, per maand", ind->label, r->top->name);
    lc.title = title;
    for (size_t i = 0; i < v->npts; i++) {
        const fig_t *f = &v->pts[i];
        const shown_t *s = &v->spts[i];
        period pm;
        if (period_parse(f->period, &pm) != 0 || pm.kind != PERIOD_MONTH)
            pm = period_month_from_number(r->first_month + (int)i);
        cp[i] = (chart_point){.period = f->period,
                              .year = pm.year,
                              .month = pm.index,
                              .has_value = s->has,
                              .suppressed = s->suppressed,
                              .incomplete = incomplete(f),
                              .value = s->v,
                              .raw = s->raw,
                              .text = s->text,
                              .has_path = f->has_path,
                              .path = f->path};
    }
    lc.pts = cp;
    lc.n = v->npts;
    for (size_t k = 0; k < v->nbands; k++) {
        const band_src *bs = &v->bands[k];
        band_kind kind = !strcmp(bs->kind, "below")      ? BAND_BELOW
                         : !strcmp(bs->kind, "above")    ? BAND_ABOVE
                         : !strcmp(ind->better, "lower") ? BAND_OVER_PATH
                                                         : BAND_UNDER_PATH;
        /* a tolerance of 0 has no width; "closer" has no side */
        if ((kind == BAND_UNDER_PATH || kind == BAND_OVER_PATH) &&
            (bs->threshold <= 0 || !strcmp(ind->better, "closer")))
            continue;
        lc.bands[lc.nbands++] = (chart_band){kind, bs->threshold, bs->label};
    }
    nl_month_year(from_t, sizeof from_t, r->first_month);
    nl_month_year(to_t, sizeof to_t, r->last_month);
    rb_add(b, "<figure class=\"c1\">");
    svg_line_chart(b, &lc);
    rb_addf(b, "<figcaption>Figuur %zua. Per maand, ", v->no);
    rb_esc(b, r->top->name);
    rb_add(b, ", ");
    rb_esc(b, from_t);
    rb_add(b, " t/m ");
    rb_esc(b, to_t);
    rb_add(b, ".</figcaption></figure>");
    free(cp);
}

/* The child areas (wijken) as a bar chart, the area itself below them; a
 * note instead when no child has a value. */
static void ind_bar_chart(ind_view *v)
{
    const report_t *r = v->r;
    const ind_t *ind = v->ind;
    rbuf *b = &v->r->body;
    if (!v->any_kid) {
        rb_add(b, "<div class=\"nobars\">");
        if (!v->nkids) {
            rb_add(b, "Dit gebied is niet verder onderverdeeld.");
        } else {
            rb_add(b, "Geen waarden per wijk voor ");
            rb_esc(b, v->ptext);
            rb_add(b, ": deze cijfers worden voor het hele gebied geleverd, of er zijn per wijk "
                      "nog geen cijfers.");
        }
        rb_add(b, "</div>");
        return;
    }
    bar_item *bi = calloc(v->nkids + 1, sizeof *bi);
    char(*text)[NL_TEXT_MAX + 4] = calloc(v->nkids + 1, sizeof *text);
    if (!bi || !text) {
        free(bi);
        free(text);
        b->failed = true;
        return;
    }
    char title[600], mark[CHART_MAX_MARKS][NL_TEXT_MAX + 8];
    bar_chart bc;
    memset(&bc, 0, sizeof bc);
    bc.indicator = ind->code;
    bc.period = r->period_text;
    bc.unit = ind->unit;
    snprintf(title, sizeof title, "%s per wijk, %s", ind->label, v->ptext);
    bc.title = title;
    for (size_t i = 0; i <= v->nkids; i++) {
        bool is_top = i == v->nkids;
        const fig_t *f = is_top ? &v->top : &v->kids[i];
        const shown_t *s = is_top ? &v->val : &v->skids[i];
        bool inc = incomplete(f) && s->has;
        snprintf(text[i], sizeof text[i], "%s%s", s->text, inc ? "*" : "");
        bi[i] = (bar_item){.area = f->area[0] ? f->area
                                   : is_top   ? r->top->code
                                              : "?",
                           .name = is_top ? r->top->name : f->name,
                           .has_value = s->has,
                           .suppressed = s->suppressed,
                           .incomplete = inc,
                           .value = s->v,
                           .raw = s->raw,
                           .text = text[i],
                           .missing = f->reason};
    }
    bc.items = bi;
    bc.n = v->nkids;
    bc.total = &bi[v->nkids];
    if (v->path.has) {
        snprintf(mark[0], sizeof mark[0], "pad %s", v->path.text);
        bc.marks[bc.nmarks++] = (bar_mark){v->path.v, mark[0], false};
    }
    for (size_t k = 0; k < v->nbands && bc.nmarks < CHART_MAX_MARKS; k++) {
        const band_src *bs = &v->bands[k];
        if (strcmp(bs->kind, "below") && strcmp(bs->kind, "above"))
            continue;
        char lv[NL_TEXT_MAX];
        nl_value(lv, sizeof lv, bs->threshold, ind->unit, 1);
        snprintf(mark[bc.nmarks], sizeof mark[bc.nmarks], "grens %s", lv);
        bc.marks[bc.nmarks] = (bar_mark){bs->threshold, mark[bc.nmarks], true};
        bc.nmarks++;
    }
    rb_add(b, "<figure class=\"c2\">");
    svg_bar_chart(b, &bc);
    rb_addf(b, "<figcaption>Figuur %zub. Per wijk, ", v->no);
    rb_esc(b, v->ptext);
    rb_add(b, "; onderaan ");
    rb_esc(b, r->top->name);
    rb_add(b, " als geheel.</figcaption></figure>");
    free(bi);
    free(text);
}

/* The notes under the charts: how complete the figures are, why a month
 * has no value, where the target comes from, the alert levels, and in the
 * public version what was rounded and held back. */
static void ind_footnotes(ind_view *v)
{
    const report_t *r = v->r;
    const ind_t *ind = v->ind;
    const fig_t *top = &v->top;
    rbuf *b = &v->r->body;
    data_ref ref = {ind->code, r->top->code, r->period_text, "reported"};

    rb_add(b, "<div class=\"fn\"><p><b>Volledigheid.</b> ");
    if (top->has_counts && top->expected > 0) {
        shown_t rep, exp;
        show_int(top->reported, &rep);
        show_int(top->expected, &exp);
        rb_add(b, "Over ");
        rb_esc(b, v->ptext);
        rb_add(b, " leverden ");
        emit_num(b, "span", "num", &ref, &rep, NULL);
        rb_add(b, " van de ");
        ref.field = "expected";
        emit_num(b, "span", "num", &ref, &exp, NULL);
        rb_add(b, " verwachte organisaties cijfers");
        rb_add(b, top->reported < top->expected
                      ? ": het cijfer is onvolledig en kan nog veranderen. "
                      : ". ");
    } else {
        rb_add(b, "Voor ");
        rb_esc(b, v->ptext);
        rb_add(b, " wordt van geen enkele organisatie een cijfer verwacht. ");
    }
    rb_addf(b,
            "Van de %zu maanden in de grafiek hebben er %zu een waarde, waarvan %zu "
            "volledig",
            v->npts, v->valued_months, v->complete_months);
    rb_add(b, v->valued_months > v->complete_months ? " (open rondjes: onvolledig). " : ". ");
    if (v->any_kid && v->kids_incomplete)
        rb_addf(b, "Per wijk: %zu wijk%s onvolledig (*). ", v->kids_incomplete,
                v->kids_incomplete == 1 ? "" : "en");
    rb_add(b, "</p>");
    write_reasons(b, v->pts, v->npts);

    rb_add(b, "<p><b>Doel.</b> ");
    if (v->tg.set && v->tg.source[0]) {
        rb_add(b, "Bron: ");
        rb_esc(b, v->tg.source);
        rb_add(b, ". ");
    } else if (!v->tg.set) {
        rb_add(b, "Voor deze indicator is (in dit gebied) geen doel vastgesteld. ");
    }
    if (v->tg.set && v->tg.has_path)
        rb_add(b, "Het pad is de rechte lijn van de uitgangswaarde naar het doel. ");
    rb_esc(b, nl_better(ind->better));
    if (!strcmp(ind->better, "closer") && ind->has_ideal) {
        char iv[NL_TEXT_MAX];
        nl_value(iv, sizeof iv, ind->ideal, ind->unit, 1);
        rb_add(b, " (");
        rb_esc(b, iv);
        rb_add(b, ")");
    }
    rb_add(b, ".</p>");

    for (size_t k = 0; k < v->nbands; k++) {
        const band_src *bs = &v->bands[k];
        rb_add(b, "<p><b>Signalering.</b> Regel ");
        rb_esc(b, bs->rule);
        if (bs->severity[0]) {
            rb_add(b, " (");
            rb_esc(b, nl_severity(bs->severity));
            rb_add(b, ")");
        }
        rb_add(b, ": ");
        rb_esc(b, bs->label);
        if (!strcmp(bs->kind, "off_track") && bs->threshold <= 0)
            rb_add(b, " (elke afwijking van het pad; niet getekend)");
        rb_add(b, ".</p>");
    }
    if (r->pub && (v->any_suppressed || value_is_count(ind) || is_ratio(ind))) {
        rb_addf(b,
                "<p><b>Publicatie.</b> Aantallen zijn afgerond op vijftallen; &lt;%d: minder "
                "dan %d, niet gepubliceerd",
                r->min_cell, r->min_cell);
        if (is_ratio(ind))
            rb_addf(b,
                    "; \xe2\x80\x93: berust op een aantal kleiner dan %d en is daarom niet "
                    "gepubliceerd; percentages zijn berekend op de onafgeronde aantallen en "
                    "afgerond op \xc3\xa9\xc3\xa9n decimaal",
                    r->min_cell);
        rb_add(b, ".</p>");
    }
    rb_add(b, "</div>");
}

/* An indicator's section, and its row of the summary table. */
static int write_indicator(report_t *r, const ind_t *ind, size_t no)
{
    rpc_reply series, snap;
    int rc = ind_fetch(r, ind, &series, &snap);
    if (rc != 0)
        return rc;
    /* the catalog leaves out an indicator's ideal value; the snapshot has it */
    ind_t with_ideal = *ind;
    const msgpack_object *im = proto_get(snap.root, "indicator");
    if (im && im->type == MSGPACK_OBJECT_MAP && reply_number(im, "ideal", &with_ideal.ideal))
        with_ideal.has_ideal = true;

    ind_view v;
    memset(&v, 0, sizeof v);
    v.r = r;
    v.ind = &with_ideal;
    v.no = no;
    if (ind_read(&v, &series, &snap) == 0) {
        write_summary_row(r, v.ind, no, &v.top, &v.tg);
        ind_key_figures(&v);
        rb_add(&r->body, "<div class=\"charts\">");
        ind_line_chart(&v);
        ind_bar_chart(&v);
        rb_add(&r->body, "</div>\n");
        ind_footnotes(&v);
        rb_add(&r->body, "</section>\n");
    }
    if (!v.pts || !v.spts || !v.kids || !v.skids || r->body.failed || r->summary.failed) {
        leamon_error(r->ctx, "out of memory");
        rc = LEAMON_EXIT_USAGE;
    }
    ind_free(&v);
    rpc_reply_free(&series);
    rpc_reply_free(&snap);
    return rc;
}

/* ---- alerts ---------------------------------------------------------------- */

static void alert_value(char *buf, size_t n, const report_t *r, const char *indicator, double v)
{
    const ind_t *ind = find_ind(r, indicator);
    if (ind)
        nl_value(buf, n, v, ind->unit, 1);
    else
        nl_number(buf, n, v, -1);
}

static void alert_threshold(char *buf, size_t n, const report_t *r, const msgpack_object *m)
{
    char kind[16], ind[PROTO_MAX_CODE + 1], v[NL_TEXT_MAX], ref[NL_TEXT_MAX];
    double th, rv;
    reply_text(m, "kind", kind, sizeof kind);
    reply_text(m, "indicator", ind, sizeof ind);
    buf[0] = '\0';
    if (!reply_number(m, "threshold", &th))
        return;
    bool has_ref = reply_number(m, "reference", &rv);
    if (!strcmp(kind, "below") || !strcmp(kind, "above")) {
        alert_value(v, sizeof v, r, ind, th);
        snprintf(buf, n, "%s %s", kind[0] == 'b' ? "<" : ">", v);
    } else if (!strcmp(kind, "slip")) {
        nl_number(v, sizeof v, th, -1);
        snprintf(buf, n, "%s punten achteruit", v);
    } else if (!strcmp(kind, "off_track")) {
        nl_number(v, sizeof v, th, -1);
        if (has_ref && !r->pub) {
            alert_value(ref, sizeof ref, r, ind, rv);
            snprintf(buf, n, "pad %s, marge %s", ref, v);
        } else {
            snprintf(buf, n, "marge %s van het pad", v);
        }
    } else if (!strcmp(kind, "late")) {
        nl_number(v, sizeof v, th, 0);
        snprintf(buf, n, "%s dagen na de maand", v);
    } else {
        nl_number(buf, n, th, -1);
    }
}

static void write_alert_row(report_t *r, rbuf *b, const msgpack_object *m, bool with_history)
{
    char rule[PROTO_MAX_CODE + 1], kind[16], sev[16], state[16], area[PROTO_MAX_AREA + 1],
        area_name[200], org[PROTO_MAX_CODE + 1], first[PERIOD_TEXT_MAX + 1],
        last[PERIOD_TEXT_MAX + 1], ind[PROTO_MAX_CODE + 1], metric[PROTO_MAX_CODE + 1], text[256],
        v[NL_TEXT_MAX];
    int64_t id = 0, expected = 0, reported = 0;
    double value;
    reply_text(m, "rule", rule, sizeof rule);
    reply_text(m, "kind", kind, sizeof kind);
    reply_text(m, "severity", sev, sizeof sev);
    reply_text(m, "state", state, sizeof state);
    reply_text(m, "area", area, sizeof area);
    reply_text(m, "area_name", area_name, sizeof area_name);
    reply_text(m, "organisation", org, sizeof org);
    reply_text(m, "period", first, sizeof first);
    reply_text(m, "last_period", last, sizeof last);
    reply_text(m, "indicator", ind, sizeof ind);
    reply_text(m, "metric", metric, sizeof metric);
    bool has_id = proto_get_int(m, "id", &id) == 0;
    bool has_counts = proto_get_int(m, "expected", &expected) == 0 &&
                      proto_get_int(m, "reported", &reported) == 0;
    bool has_value = reply_number(m, "value", &value);

    rb_add(b, "<tbody class=\"al\"><tr class=\"sev-");
    rb_esc(b, sev);
    rb_add(b, "\"><td class=\"n\">");
    if (has_id)
        rb_addf(b, "%lld", (long long)id);
    rb_add(b, "</td><td>");
    rb_esc(b, nl_alert_state(state));
    rb_add(b, "</td><td>");
    rb_esc(b, nl_severity(sev));
    rb_add(b, "</td><td>");
    rb_esc(b, rule);
    rb_add(b, "<br><span class=\"small\">");
    rb_esc(b, nl_rule_kind(kind));
    if (ind[0] || metric[0]) {
        rb_add(b, ": ");
        rb_esc(b, ind[0] ? ind : metric);
    }
    rb_add(b, "</span></td><td>");
    rb_esc(b, area_name[0] ? area_name : area);
    if (org[0]) {
        const org_row *o = find_org(r, org);
        rb_add(b, "<br><span class=\"small\">");
        rb_esc(b, o && o->name[0] ? o->name : org);
        rb_add(b, "</span>");
    }
    nl_period_span(text, sizeof text, first, last);
    rb_add(b, "</td><td>");
    rb_esc(b, text);
    rb_add(b, "</td>");
    if (!r->pub) {
        rb_add(b, "<td class=\"n\"");
        if (has_value) {
            fmt_csv_number(v, sizeof v, value);
            rb_add(b, " data-alert=\"");
            if (has_id)
                rb_addf(b, "%lld", (long long)id);
            rb_add(b, "\" data-value=\"");
            rb_esc(b, v);
            rb_add(b, "\">");
            alert_value(v, sizeof v, r, ind, value);
            rb_esc(b, v);
        } else {
            rb_add(b, ">\xe2\x80\x93");
        }
        rb_add(b, "</td>");
    }
    alert_threshold(text, sizeof text, r, m);
    rb_add(b, "<td>");
    rb_esc(b, text);
    rb_add(b, "</td><td class=\"n\">");
    if (has_counts && expected > 0)
        rb_addf(b, "%lld van %lld%s", (long long)reported, (long long)expected,
                reported < expected ? "*" : "");
    rb_add(b, "</td></tr>\n");
    if (with_history) {
        /* the history under the row, across the table */
        rb_addf(b, "<tr class=\"hist\"><td></td><td colspan=\"%d\"><b>Verloop:</b> ",
                r->pub ? 7 : 8);
        const msgpack_object *hist = reply_array(m, "history");
        for (uint32_t i = 0; hist && i < hist->via.array.size; i++) {
            const msgpack_object *h = &hist->via.array.ptr[i];
            char from[16], to[16], hp[PERIOD_TEXT_MAX + 1], when[NL_TEXT_MAX];
            int64_t at = 0;
            double hv;
            reply_text(h, "from", from, sizeof from);
            reply_text(h, "to", to, sizeof to);
            reply_text(h, "period", hp, sizeof hp);
            rb_add(b, i ? " &#183; " : "");
            if (proto_get_int(h, "at", &at) == 0) {
                nl_time(when, sizeof when, at, true);
                rb_esc(b, when);
                rb_add(b, ": ");
            }
            rb_esc(b, from[0] ? nl_alert_state(from) : "nieuw");
            rb_add(b, " \xe2\x86\x92 ");
            rb_esc(b, nl_alert_state(to));
            if (hp[0]) {
                nl_period_span(text, sizeof text, hp, "");
                rb_add(b, " (");
                rb_esc(b, text);
                if (!r->pub && reply_number(h, "value", &hv)) {
                    alert_value(v, sizeof v, r, ind, hv);
                    rb_add(b, ": ");
                    rb_esc(b, v);
                }
                rb_add(b, ")");
            }
        }
        char by[PROTO_MAX_CODE + 1], note[PROTO_MAX_NOTE + 1], when[NL_TEXT_MAX];
        int64_t at = 0;
        if (reply_text(m, "acked_by", by, sizeof by)[0]) {
            rb_add(b, "<br><b>Bevestigd</b> door ");
            rb_esc(b, by);
            if (proto_get_int(m, "acked_at", &at) == 0) {
                nl_time(when, sizeof when, at, true);
                rb_add(b, " op ");
                rb_esc(b, when);
            }
            if (!r->pub && reply_text(m, "ack_note", note, sizeof note)[0]) {
                rb_add(b, ": \xe2\x80\x9c");
                rb_esc(b, note);
                rb_add(b, "\xe2\x80\x9d");
            }
        }
        rb_add(b, "</td></tr>\n");
    }
    rb_add(b, "</tbody>\n");
}

static void alert_head(const report_t *r, rbuf *b)
{
    rb_add(b, "<table class=\"alerts\"><thead><tr><th class=\"n\">Nr</th><th>Status</th>"
              "<th>Ernst</th><th>Signaal</th><th>Gebied</th><th>Periode</th>");
    if (!r->pub)
        rb_add(b, "<th class=\"n\">Waarde</th>");
    rb_add(b, "<th>Grens</th><th class=\"n\">Geleverd</th>");
    rb_add(b, "</tr></thead>\n");
}

/* The month number of the last month of a period text, or -1. */
static int last_month_of(const char *text)
{
    period p;
    return period_parse(text, &p) == 0 ? period_last_month(&p) : -1;
}

static void write_alerts(report_t *r)
{
    rbuf *b = &r->body;
    const msgpack_object *alerts = r->have_alerts ? reply_array(r->alerts.root, "alerts") : NULL;
    size_t n = alerts ? alerts->via.array.size : 0;
    char a[NL_TEXT_MAX];
    rb_add(b, "<section class=\"alerts\"><h2>Signaleringen</h2>\n<p>leamond toetst de cijfers "
              "aan de signaleringsregels van de catalogus: een waarde onder of boven een grens, "
              "een daling, een waarde naast het pad naar het doel, een organisatie die niet "
              "levert. Hieronder de signaleringen die nog open staan (in aanloop of actief) in ");
    rb_esc(b, r->top->name);
    rb_add(b, " en de gebieden daaronder, met hun verloop.");
    if (r->pub)
        rb_add(b, " In de publieksversie staan geen waarden en geen notities bij de "
                  "signaleringen.");
    rb_add(b, "</p>\n");
    size_t open = 0;
    for (int pass = 0; pass < 2; pass++) {
        bool with_history = pass == 0;
        size_t shown = 0;
        for (size_t i = 0; i < n; i++) {
            const msgpack_object *m = &alerts->via.array.ptr[i];
            char state[16], area[PROTO_MAX_AREA + 1], last[PERIOD_TEXT_MAX + 1];
            reply_text(m, "state", state, sizeof state);
            if (!in_report_area(r, reply_text(m, "area", area, sizeof area)))
                continue;
            bool is_open = !strcmp(state, "pending") || !strcmp(state, "firing");
            if (pass == 0 && !is_open)
                continue;
            if (pass == 1) {
                /* resolved alerts whose episode reaches into the report's months */
                reply_text(m, "last_period", last, sizeof last);
                if (!last[0])
                    reply_text(m, "period", last, sizeof last);
                int lm = last_month_of(last);
                if (strcmp(state, "resolved") || lm < r->first_month || lm > r->last_month)
                    continue;
            }
            if (shown++ == 0) {
                if (pass == 1) {
                    nl_month_year(a, sizeof a, r->first_month);
                    rb_add(b, "<h3>Opgelost, met cijfers vanaf ");
                    rb_esc(b, a);
                    rb_add(b, "</h3>\n");
                }
                alert_head(r, b);
            }
            if (pass == 0 || shown <= RESOLVED_MAX)
                write_alert_row(r, b, m, with_history);
        }
        if (shown)
            rb_add(b, "</table>\n");
        if (pass == 1 && shown > RESOLVED_MAX)
            rb_addf(b,
                    "<p class=\"fn\">En %zu eerder opgeloste signaleringen (leamon alerts "
                    "--state resolved noemt ze alle).</p>\n",
                    shown - RESOLVED_MAX);
        if (pass == 0)
            open = shown;
        if (pass == 0 && !shown)
            rb_add(b, "<p><b>Er staan geen signaleringen open.</b></p>\n");
    }
    r->open_alerts = open;
    bool truncated = false;
    if (r->have_alerts && proto_get_bool(r->alerts.root, "truncated", &truncated) == 0 && truncated)
        rb_addf(b,
                "<p class=\"fn\">leamond gaf niet alle signaleringen: alleen de %d meest "
                "recent gewijzigde.</p>\n",
                PROTO_MAX_ALERTS);
    rb_add(b, "<p class=\"fn\">* onvolledig: niet alle verwachte organisaties hadden hun cijfers "
              "geleverd.</p></section>\n");
}

/* ---- the page ----------------------------------------------------------------- */

static const char css[] =
    "@page{size:A4;margin:14mm 14mm 15mm 14mm}\n"
    "*{box-sizing:border-box}\n"
    "html{background:#e6e6e6}\n"
    "body{margin:0;font-family:'DejaVu Sans','Liberation Sans',Arial,Helvetica,sans-serif;"
    "font-size:9.5pt;line-height:1.35;color:#111;-webkit-print-color-adjust:exact;"
    "print-color-adjust:exact}\n"
    "main{width:210mm;margin:6mm auto;padding:14mm;background:#fff;box-shadow:0 0 4px #999}\n"
    "@media print{html{background:none}main{width:auto;margin:0;padding:0;box-shadow:none}}\n"
    "h1{font-size:17pt;margin:0 0 1.5mm;color:#1f3f73}\n"
    "h2{font-size:12pt;margin:5mm 0 1.5mm;color:#1f3f73;break-after:avoid;page-break-after:avoid}\n"
    "h3{font-size:10pt;margin:4mm 0 1.5mm;color:#1f3f73;break-after:avoid}\n"
    ".kicker{text-transform:uppercase;letter-spacing:.08em;font-size:8pt;color:#555;margin:0}\n"
    ".sub{font-size:12pt;margin:0 0 1mm}\n"
    ".meta{color:#444;font-size:8.5pt;margin:0 0 3mm}\n"
    ".banner{border:1.2pt solid #a11;color:#7a1111;padding:2mm 3mm;margin:3mm 0;font-weight:bold}\n"
    ".banner.pub{border-color:#1f4e99;color:#1f3f73;font-weight:normal}\n"
    "table{border-collapse:collapse;width:100%;font-size:8.5pt}\n"
    "th,td{border-bottom:.5pt solid #bbb;padding:.8mm 1.4mm;text-align:left;vertical-align:top}\n"
    "th{background:#eef2f8}\n"
    "thead{display:table-header-group}\n"
    "tr{break-inside:avoid;page-break-inside:avoid}\n"
    ".n{text-align:right;white-space:nowrap}\n"
    ".small{font-size:7.5pt;color:#444}\n"
    "a{color:inherit;text-decoration:none}\n"
    "section.ind{break-inside:avoid;page-break-inside:avoid;border-top:1pt solid #1f3f73;"
    "margin-top:4mm;padding-top:.5mm}\n"
    "section.ind h2{margin-top:1.5mm}\n"
    "h2 .no{color:#555}h2 .code{font-size:7.5pt;color:#666;font-weight:normal}\n"
    ".kern{margin:1mm 0 2mm}.kern b{font-size:11pt}\n"
    ".verdict{font-weight:bold;margin-left:1mm}.verdict.ok{color:#1d6b2a}.verdict.bad{color:#a11}\n"
    ".charts{display:flex;gap:4mm;align-items:flex-start}\n"
    ".charts figure{flex:1 1 0;margin:0;min-width:0}\n"
    "figcaption{font-size:7.5pt;color:#444}\n"
    ".nobars{flex:1 1 0;border:.5pt dashed #bbb;padding:3mm;font-size:8pt;color:#555;"
    "align-self:center}\n"
    "svg.chart{width:100%;height:auto;display:block}\n"
    "svg text{font-family:inherit;font-size:9px;fill:#222}\n"
    "svg .ax{font-size:8px;fill:#444}svg .yr{font-size:7px}svg .lg{font-size:8.5px}\n"
    "svg .grid{stroke:#e0e0e0;stroke-width:.6}svg .axis{stroke:#777;stroke-width:.8}\n"
    "svg .val{fill:none;stroke:#1f4e99;stroke-width:1.8}\n"
    "svg .path{fill:none;stroke:#333;stroke-width:1.2;stroke-dasharray:5 3}\n"
    "svg .pt{fill:#1f4e99;stroke:#1f4e99;stroke-width:1.2}svg .pt.open{fill:#fff}\n"
    "svg .band{fill:#f2c4c4;fill-opacity:.55;stroke:none}\n"
    "svg .level{stroke:#b22222;stroke-width:1;stroke-dasharray:1.5 2}\n"
    "svg .lvl{font-size:8px;fill:#8b1a1a}\n"
    "svg .bar{fill:#1f4e99}svg .bar.inc{fill:#9db3d8}svg .bar.tot{fill:#0e2a57}\n"
    "svg .tot{font-weight:bold}\n"
    "svg .none{fill:#777;font-style:italic;font-size:8px}svg .sup{fill:#555;font-size:7.5px}\n"
    "svg .empty{fill:#777;font-style:italic}\n"
    ".fn{font-size:7.5pt;color:#333;margin:1.5mm 0 0}.fn p{margin:0 0 .6mm}\n"
    "section.compl,section.alerts,section.method{break-before:page;page-break-before:always}\n"
    "table.grid td,table.grid th{padding:.5mm 1mm}\n"
    "table.grid .c{text-align:center;width:9mm}\n"
    "table.grid td.c{font-weight:bold}\n"
    ".st-T{background:#cfe8cf}.st-N{background:#ececec;color:#555}.st-L{background:#ffdf9e}"
    ".st-O{background:#f3b0b0}\n"
    ".legend span.c{display:inline-block;width:5mm;text-align:center;font-weight:bold;"
    "border:.5pt solid #999;margin-right:1mm}\n"
    "tbody.al{break-inside:avoid;page-break-inside:avoid}\n"
    "tr.hist td{font-size:7.5pt;color:#333;border-bottom:.5pt solid #bbb}\n"
    "table.alerts tr:not(.hist) td{border-bottom:none}\n"
    "tr.sev-critical td:first-child{border-left:2pt solid #a11}\n"
    "tbody.al:has(tr.sev-critical) tr.hist td:first-child{border-left:2pt solid #a11}\n"
    "table.summary td:first-child{width:6mm;color:#555}\n"
    "dl.method dt{font-weight:bold;margin-top:2mm}dl.method dd{margin:0 0 0 4mm}\n";

static void write_head(report_t *r, size_t ninds)
{
    rbuf *b = &r->head;
    char ptext[NL_TEXT_MAX], made[NL_TEXT_MAX], hm[16], from_t[NL_TEXT_MAX], to_t[NL_TEXT_MAX],
        from_code[PERIOD_TEXT_MAX];
    nl_period(ptext, sizeof ptext, r->period_text);
    nl_time(made, sizeof made, (int64_t)r->now, false);
    struct tm tm;
    if (localtime_r(&r->now, &tm))
        snprintf(hm, sizeof hm, "%02d:%02d", tm.tm_hour, tm.tm_min);
    else
        hm[0] = '\0';
    period f = period_month_from_number(r->first_month),
           l = period_month_from_number(r->last_month);
    snprintf(from_t, sizeof from_t, "%s %d", nl_month(f.index), f.year);
    snprintf(to_t, sizeof to_t, "%s %d", nl_month(l.index), l.year);
    month_code(from_code, sizeof from_code, r->first_month);
    const char *level = r->top->level;
    bool gm = !strcmp(level, "gemeente");

    rb_add(b, "<!DOCTYPE html>\n<html lang=\"nl\" data-leamon-report=\"1\" data-version=\"");
    rb_add(b, r->pub ? "publiek" : "intern");
    rb_add(b, "\" data-period=\"");
    rb_esc(b, r->period_text);
    rb_add(b, "\" data-area=\"");
    rb_esc(b, r->top->code);
    rb_add(b, "\" data-from=\"");
    rb_esc(b, from_code);
    if (r->pub)
        rb_addf(b, "\" data-min-cell=\"%d", r->min_cell);
    rb_add(b, "\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"generator\" "
              "content=\"leamon report\">\n<title>");
    rb_add(b, "LEA-monitor ");
    rb_esc(b, r->top->name);
    rb_add(b, ", ");
    rb_esc(b, ptext);
    rb_add(b, "</title>\n<style>\n");
    rb_add(b, css);
    rb_add(b, "</style>\n</head>\n<body>\n<main>\n<header>\n<p class=\"kicker\">Lokale "
              "Educatieve Agenda &#183; monitor</p>\n<h1>Stand van de LEA-indicatoren, ");
    rb_esc(b, ptext);
    rb_add(b, "</h1>\n<p class=\"sub\">");
    if (level[0]) {
        char lv[24];
        snprintf(lv, sizeof lv, "%s", level);
        lv[0] = (char)(lv[0] >= 'a' && lv[0] <= 'z' ? lv[0] - 32 : lv[0]);
        rb_esc(b, lv);
        rb_add(b, " ");
    }
    rb_esc(b, r->top->name);
    rb_add(b, " <span class=\"small\">(");
    rb_esc(b, r->top->code);
    rb_add(b, ")</span></p>\n<p class=\"meta\">Gemaakt op ");
    rb_esc(b, made);
    if (hm[0]) {
        rb_add(b, " om ");
        rb_add(b, hm);
    }
    rb_add(b, " met leamon &#183; verloop vanaf ");
    rb_esc(b, from_t);
    rb_add(b, " &#183; ");
    rb_add(b, r->pub ? "publieksversie" : "interne versie");
    rb_add(b, "</p>\n</header>\n");
    if (r->pub)
        rb_addf(b,
                "<p class=\"banner pub\">Publieksversie. Aantallen zijn afgerond op vijftallen "
                "en aantallen kleiner dan %d zijn niet gepubliceerd (&lt;%d), zoals het CBS "
                "dat doet; percentages die op zo&#39;n klein aantal berusten, ook niet "
                "(\xe2\x80\x93).</p>\n",
                r->min_cell, r->min_cell);
    else
        rb_add(b, "<p class=\"banner\">Interne versie: bevat kleine, onafgeronde aantallen. Niet "
                  "publiceren; maak voor publicatie de publieksversie (leamon report "
                  "--public).</p>\n");
    rb_add(b, "<p class=\"intro\">Dit overzicht toont hoe de indicatoren van de Lokale "
              "Educatieve Agenda ervoor staan in ");
    rb_add(b, gm ? "de gemeente " : "");
    rb_esc(b, r->top->name);
    rb_add(b, " over ");
    rb_esc(b, ptext);
    rb_add(b, ". De cijfers komen van de partners (kinderopvang, scholen, GGD en leerplicht), "
              "die elke maand hun aantallen aanleveren; leamond rekent daaruit de indicatoren "
              "uit. Per indicator staan hieronder het verloop per maand van ");
    rb_esc(b, from_t);
    rb_add(b, " tot en met ");
    rb_esc(b, to_t);
    rb_add(b, " tegen het pad naar het doel, de stand per wijk en hoe volledig de cijfers "
              "zijn. Daarna volgen de levering per organisatie en de signaleringen die open "
              "staan.</p>\n");
    rb_addf(b,
            "<h2>Overzicht</h2>\n<table class=\"summary\"><thead><tr><th></th>"
            "<th>Indicator (%zu)</th><th class=\"n\">",
            ninds);
    rb_esc(b, ptext);
    rb_add(b, "</th><th class=\"n\">Doel</th><th class=\"n\">Pad</th><th>Beoordeling</th>"
              "<th class=\"n\">Geleverd</th></tr></thead><tbody>\n");
}

static void write_method(report_t *r)
{
    rbuf *b = &r->body;
    rb_add(b, "<section class=\"method\"><h2>Toelichting</h2>\n<dl class=\"method\">"
              "<dt>Berekening</dt><dd>Een percentage over een gebied is de som van de tellers "
              "gedeeld door de som van de noemers van alles daaronder, nooit het gemiddelde van "
              "de percentages van de wijken. Over een langere periode telt per organisatie eerst "
              "de regel van het cijfer: een stand (bijvoorbeeld plaatsen) is de laatste maand, een "
              "stroom (nieuwe indicaties) het totaal.</dd>"
              "<dt>Volledigheid</dt><dd>Bij elke waarde staat hoeveel van de organisaties die "
              "cijfers moeten leveren dat gedaan hebben. Een onvolledige waarde (open rondje, *) "
              "kan nog veranderen als de ontbrekende cijfers binnenkomen. Een maand zonder "
              "waarde is een onderbreking in de lijn: geen cijfer is geen nul.</dd>"
              "<dt>Doelen en pad</dt><dd>De doelen komen uit de beleidsstukken die bij elke "
              "indicator als bron genoemd zijn. Het pad is de rechte lijn van de uitgangswaarde "
              "naar het doel; een waarde &#8216;op koers&#8217; ligt op of aan de goede kant van "
              "het pad.</dd>"
              "<dt>Signaleringen</dt><dd>De signaalzone in een grafiek is de grens van een "
              "signaleringsregel voor deze indicator; ook een regel per wijk is in de grafiek van "
              "het hele gebied getekend, ter vergelijking.</dd>");
    if (r->pub)
        rb_addf(b,
                "<dt>Publicatie</dt><dd>Deze publieksversie volgt de werkwijze van het CBS: "
                "aantallen (tellers, noemers en indicatoren die een aantal zijn) zijn "
                "afgerond op vijftallen, en aantallen kleiner dan %d zijn niet gepubliceerd "
                "(&lt;%d). Een percentage waarvan de teller of de noemer kleiner is dan %d, "
                "is ook niet gepubliceerd (\xe2\x80\x93); de overige percentages zijn berekend "
                "op de onafgeronde aantallen en afgerond op \xc3\xa9\xc3\xa9n decimaal. Gemiddelde "
                "uren "
                "per locatie en het aantal organisaties dat leverde gaan over organisaties, "
                "niet over kinderen, en zijn niet afgerond. De machineleesbare waarden "
                "(data-value) in dit bestand zijn de gepubliceerde.</dd>",
                r->min_cell, r->min_cell, r->min_cell);
    else
        rb_add(b, "<dt>Controle</dt><dd>Elk getal uit leamond staat ook onafgerond in het "
                  "bestand (data-value), met de indicator, het gebied en de periode, zodat het "
                  "na te rekenen is.</dd>");
    rb_add(b, "</dl></section>\n");
}

/* ---- writing the file --------------------------------------------------------- */

static int write_file(report_t *r, const char *out)
{
    char part[4096];
    if (snprintf(part, sizeof part, "%s.part", out) >= (int)sizeof part) {
        leamon_error(r->ctx, "%s: path too long", out);
        return LEAMON_EXIT_USAGE;
    }
    int fd = open(part, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) {
        leamon_error(r->ctx, "%s: %s", part, strerror(errno));
        return LEAMON_EXIT_USAGE;
    }
    const rbuf *parts[] = {&r->head, &r->summary, &r->body};
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < COUNT(parts); i++)
        if (parts[i]->len && fileio_write_all(fd, parts[i]->buf, parts[i]->len) != 0)
            rc = -1;
    if (rc == 0 && fsync(fd) != 0)
        rc = -1;
    int saved = errno;
    if (close(fd) != 0 && rc == 0) {
        rc = -1;
        saved = errno;
    }
    if (rc == 0 && rename(part, out) != 0) {
        saved = errno;
        leamon_error(r->ctx, "%s: %s", out, strerror(saved));
        unlink(part);
        return LEAMON_EXIT_USAGE;
    }
    if (rc != 0) {
        leamon_error(r->ctx, "%s: %s", part, strerror(saved));
        unlink(part);
        return LEAMON_EXIT_USAGE;
    }
    return 0;
}

/* ---- the command ---------------------------------------------------------------- */

static void report_free(report_t *r)
{
    if (r->have_catalog)
        rpc_reply_free(&r->catalog);
    if (r->have_alerts)
        rpc_reply_free(&r->alerts);
    for (size_t i = 0; i < r->norgs; i++)
        free(r->orgs[i].n);
    free(r->orgs);
    free(r->areas);
    free(r->inds);
    rb_free(&r->head);
    rb_free(&r->summary);
    rb_free(&r->body);
}

int cmd_report(leamon_ctx *ctx)
{
    const char *period_opt = ctx_opt(ctx, "period"), *out = ctx_opt(ctx, "out"),
               *from = ctx_opt(ctx, "from"), *area = ctx_opt(ctx, "area"),
               *min_cell = ctx_opt(ctx, "min-cell");
    report_t r;
    memset(&r, 0, sizeof r);
    r.ctx = ctx;
    r.pub = ctx_opt(ctx, "public") != NULL;
    r.min_cell = 10;
    r.now = time(NULL);
    int rc = arg_count(ctx, 0, "");
    if (rc == 0 && ctx->json) {
        leamon_error(ctx, "report writes HTML; --format json does not apply");
        rc = LEAMON_EXIT_USAGE;
    }
    if (rc == 0)
        rc = arg_period(ctx, "period", period_opt, &r.p);
    if (rc == 0 && (!out || !out[0])) {
        leamon_error(ctx, "report needs --out FILE.html");
        rc = LEAMON_EXIT_USAGE;
    }
    period pf;
    if (rc == 0 && from)
        rc = arg_period(ctx, "from", from, &pf);
    if (rc == 0 && area)
        rc = arg_code(ctx, "--area", area, PROTO_MAX_AREA);
    if (rc == 0 && min_cell) {
        char *end = NULL;
        errno = 0;
        long v = strtol(min_cell, &end, 10);
        if (!r.pub) {
            leamon_error(ctx, "--min-cell goes with --public (the internal version suppresses "
                              "nothing)");
            rc = LEAMON_EXIT_USAGE;
        } else if (errno || !end || *end || end == min_cell || v < 1 || v > 1000) {
            leamon_error(ctx, "--min-cell '%.20s': give a whole number from 1 to 1000", min_cell);
            rc = LEAMON_EXIT_USAGE;
        } else {
            r.min_cell = (int)v;
        }
    }
    if (rc != 0)
        return rc;
    if (period_format(&r.p, r.period_text, sizeof r.period_text) != 0) {
        leamon_error(ctx, "--period: not a period");
        return LEAMON_EXIT_USAGE;
    }
    /* the months of the charts: from the school year holding the period's last
     * month (or the period's own start, if earlier), or from --from */
    r.last_month = period_last_month(&r.p);
    if (from) {
        r.first_month = period_first_month(&pf);
    } else {
        period lm = period_month_from_number(r.last_month), sy;
        int start = period_containing(&lm, PERIOD_SCHOOLYEAR, &sy) == 0 ? period_first_month(&sy)
                                                                        : r.last_month;
        int own = period_first_month(&r.p);
        r.first_month = own < start ? own : start;
    }
    if (r.first_month > r.last_month) {
        leamon_error(ctx, "--from %s begins after --period %s ends", from, period_opt);
        return LEAMON_EXIT_USAGE;
    }
    if (r.last_month - r.first_month + 1 > PROTO_MAX_SERIES) {
        leamon_error(ctx, "--from %s to --period %s is %d months; a report shows at most %d",
                     from ? from : "?", period_opt, r.last_month - r.first_month + 1,
                     PROTO_MAX_SERIES);
        return LEAMON_EXIT_USAGE;
    }

    if ((rc = query_start(ctx, &r.base, PROTO_OP_CATALOG)) != 0)
        return rc;
    rb_init(&r.head);
    rb_init(&r.summary);
    rb_init(&r.body);
    rc = load_catalog(&r, area);
    if (rc == 0)
        rc = load_alerts(&r);
    if (rc == 0)
        rc = load_grid(&r);
    if (rc == 0)
        write_head(&r, r.ninds);
    for (size_t i = 0; rc == 0 && i < r.ninds; i++)
        rc = write_indicator(&r, &r.inds[i], i + 1);
    if (rc == 0) {
        if (r.ninds == 0)
            rb_add(&r.summary, "<tr><td></td><td colspan=\"6\">De catalogus van leamond noemt "
                               "geen indicatoren.</td></tr>\n");
        rb_add(&r.summary, "</tbody></table>\n");
        write_grid(&r);
        write_alerts(&r);
        write_method(&r);
        rb_add(&r.body, "</main>\n</body>\n</html>\n");
        if (r.head.failed || r.summary.failed || r.body.failed) {
            leamon_error(ctx, "out of memory");
            rc = LEAMON_EXIT_USAGE;
        }
    }
    if (rc == 0)
        rc = write_file(&r, out);
    if (rc == 0) {
        char a[PERIOD_TEXT_MAX], c[PERIOD_TEXT_MAX];
        month_code(a, sizeof a, r.first_month);
        month_code(c, sizeof c, r.last_month);
        if (fprintf(ctx->out,
                    "report written to %s: %s %s, %zu indicators from %s to %s, %zu "
                    "organisations, %zu open alerts (%s)\n",
                    out, r.top->code, r.period_text, r.ninds, a, c, r.norgs, r.open_alerts,
                    r.pub ? "public version: counts rounded to 5, small cells suppressed"
                          : "internal version: not for publication") < 0)
            rc = query_printed(ctx, -1);
    }
    report_free(&r);
    return rc;
}
