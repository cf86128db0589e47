/* cmd_alert.c: the alert commands: alerts (what the daemon's rules have
 * raised, as a table, CSV or JSON), ack (admin only), and watch
 * (the daemon's PUB socket: one line per change of an alert, as it
 * happens).
 *
 * Replies and events are read with proto's typed readers (reply_alert.h); the
 * printers (alert_print_*) take what they read, so the unit tests feed them by
 * hand. A value or threshold is shown in its indicator's unit, which the
 * catalogue knows and the alert does not (alert_view). */
#include "cmd_alert.h"

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#include "args.h"
#include "format.h"
#include "leamon.h"
#include "opts.h"
#include "proto.h"
#include "query.h"
#include "rpc.h"
#include "session.h"
#include "cmd_silence.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define COPY(dst, src) memcpy((dst), (src), strlen(src) + 1) /* lengths checked before */
#define AREA_TEXT 400 /* describe_area's "code name, organisation" */

/* ---- an alert as shown ------------------------------------------------ */

/* An alert, with its indicator's unit from the catalogue ("" when not known). */
typedef struct {
    const proto_alert *a;
    const char *unit;
} alert_view;

/* The unit of the indicator code in the catalogue's indicators (cat may be NULL); "". */
static const char *find_unit(const proto_catalog_reply *cat, const char *code)
{
    for (size_t i = 0; cat && code[0] && i < cat->n_indicators; i++)
        if (!strcmp(cat->indicators[i].code, code))
            return cat->indicators[i].unit;
    return "";
}

static bool incomplete(const proto_alert *a)
{
    return a->reported < a->expected;
}

/* ---- describing an alert ---------------------------------------------- */

/* A figure in the indicator's unit when it is known ("62.5 %"), else plain
 * ("62.5"); FMT_MISSING without one. */
static void alert_number(char *buf, size_t n, bool has, double v, const char *unit)
{
    if (!has)
        snprintf(buf, n, "%s", FMT_MISSING);
    else if (unit[0])
        fmt_value(buf, n, v, unit);
    else
        fmt_number(buf, n, v);
}

/* The rule's condition in a few words, by its kind: "< 70.0 %", "> 10",
 * "5 worse than 67.5 %" (slip), "path 83.1 %, tolerance 2" (off_track),
 * "10 days" (late). */
static void describe_threshold(const alert_view *v, char *buf, size_t n)
{
    const proto_alert *a = v->a;
    char t[FMT_NUMBER_MAX], r[FMT_NUMBER_MAX];
    alert_number(r, sizeof r, a->has_reference, a->reference, v->unit);
    fmt_number(t, sizeof t, a->threshold);
    if (!strcmp(a->kind, "below") || !strcmp(a->kind, "above")) {
        alert_number(t, sizeof t, true, a->threshold, v->unit);
        snprintf(buf, n, "%s %s", a->kind[0] == 'b' ? "<" : ">", t);
    } else if (!strcmp(a->kind, "slip")) {
        snprintf(buf, n, "%s worse than %s", t, a->has_reference ? r : "before");
    } else if (!strcmp(a->kind, "off_track") && a->has_reference) {
        snprintf(buf, n, "path %s%s%s", r, a->threshold != 0 ? ", tolerance " : "",
                 a->threshold != 0 ? t : "");
    } else if (!strcmp(a->kind, "off_track")) {
        snprintf(buf, n, "tolerance %s", t);
    } else if (!strcmp(a->kind, "late")) {
        snprintf(buf, n, "%s day%s", t, a->threshold == 1 ? "" : "s");
    } else {
        snprintf(buf, n, "%s", t);
    }
}

/* "WK016403 Hengelo-Noord", with the organisation of a late alert:
 * "WK016402 Noord, ko-a". */
static void describe_area(const proto_alert *a, bool with_name, char *buf, size_t n)
{
    bool name = with_name && a->area_name[0];
    snprintf(buf, n, "%s%s%s%s%s", a->area, name ? " " : "", name ? a->area_name : "",
             a->organisation[0] ? ", " : "", a->organisation);
}

/* "2026-08..2026-10": from the period the condition was first met to the
 * latest one with figures; one period when they are the same. */
static void describe_period(const proto_alert *a, char *buf, size_t n)
{
    bool two = a->last_period[0] && strcmp(a->last_period, a->period) != 0;
    snprintf(buf, n, "%s%s%s", a->period, two ? ".." : "", two ? a->last_period : "");
}

/* The lines under an alert's message: its acknowledgement and its silence,
 * each indented by indent spaces. 0 or -1. */
static int print_details(FILE *out, const proto_alert *a, const proto_alerts_reply *r,
                         int indent)
{
    char when[FMT_NUMBER_MAX] = "";
    if (a->acked_by[0]) {
        if (a->has_acked_at)
            fmt_time(when, sizeof when, a->acked_at);
        if (fprintf(out, "%*sacked by %s%s%s%s%s\n", indent, "", a->acked_by,
                    when[0] ? " at " : "", when, a->ack_note[0] ? ": " : "", a->ack_note) < 0)
            return -1;
    }
    if (a->has_silenced_until) {
        const char *note = "";
        for (size_t i = 0; r && a->has_silence_id && i < r->n_silences; i++)
            if (r->silences[i].id == a->silence_id)
                note = r->silences[i].note;
        fmt_time(when, sizeof when, a->silenced_until);
        if (fprintf(out, "%*ssilenced", indent, "") < 0 ||
            (a->has_silence_id && fprintf(out, " by #%lld", (long long)a->silence_id) < 0) ||
            fprintf(out, " until %s%s%s%s: its changes are not published\n", when,
                    note[0] ? " (" : "", note, note[0] ? ")" : "") < 0)
            return -1;
    }
    if (a->has_inhibited_by &&
        fprintf(out, "%*sinhibited by alert %lld, which explains it: not sent to receivers\n",
                indent, "", (long long)a->inhibited_by) < 0)
        return -1;
    return 0;
}

/* ---- alerts ----------------------------------------------------------- */

static const table_col alert_text_cols[] = {
    {"ID", TABLE_RIGHT},  {"STATE", TABLE_LEFT},     {"SEVERITY", TABLE_LEFT},
    {"RULE", TABLE_LEFT}, {"AREA", TABLE_LEFT},      {"PERIOD", TABLE_LEFT},
    {"VALUE", TABLE_LEFT}, {"THRESHOLD", TABLE_LEFT}, {"REPORTED", TABLE_LEFT},
    {"ACKED", TABLE_LEFT}};
static const table_col alert_csv_cols[] = {
    {"id", 0},           {"state", 0},      {"severity", 0},     {"rule", 0},
    {"kind", 0},         {"indicator", 0},  {"metric", 0},       {"area", 0},
    {"area_name", 0},    {"organisation", 0}, {"period", 0},     {"last_period", 0},
    {"value", 0},        {"threshold", 0},  {"reference", 0},    {"unit", 0},
    {"expected", 0},     {"reported", 0},   {"message", 0},      {"first_fired", 0},
    {"changed_at", 0},   {"acked_by", 0},   {"acked_at", 0},     {"ack_note", 0},
    {"silenced_until", 0}, {"silence_id", 0}};
static int alert_text_row(table_t *t, const alert_view *v)
{
    const proto_alert *a = v->a;
    char area[AREA_TEXT], span[80], value[FMT_NUMBER_MAX], threshold[160];
    describe_area(a, true, area, sizeof area);
    describe_period(a, span, sizeof span);
    alert_number(value, sizeof value, a->has_value, a->value, v->unit);
    describe_threshold(v, threshold, sizeof threshold);
    int rc = cell_int(t, true, a->id);
    rc |= table_add(t, a->state);
    rc |= table_add(t, a->severity);
    rc |= table_add(t, a->rule);
    rc |= table_add(t, area);
    rc |= table_add(t, span);
    rc |= table_add(t, value);
    rc |= table_add(t, threshold);
    if (a->expected > 0)
        rc |= table_addf(t, "%lld of %lld%s", (long long)a->reported, (long long)a->expected,
                         incomplete(a) ? "*" : "");
    else
        rc |= table_add(t, "");
    rc |= table_add(t, a->acked_by[0] ? "yes" : "");
    return rc ? -1 : 0;
}

/* The CSV row of an alert: every field, times in UTC. */
static int alert_csv_row(table_t *t, const alert_view *v)
{
    const proto_alert *a = v->a;
    int rc = cell_int(t, true, a->id);
    rc |= table_add(t, a->state);
    rc |= table_add(t, a->severity);
    rc |= table_add(t, a->rule);
    rc |= table_add(t, a->kind);
    rc |= table_add(t, a->indicator);
    rc |= table_add(t, a->metric);
    rc |= table_add(t, a->area);
    rc |= table_add(t, a->area_name);
    rc |= table_add(t, a->organisation);
    rc |= table_add(t, a->period);
    rc |= table_add(t, a->last_period);
    rc |= cell_number(t, a->has_value, a->value, true);
    rc |= cell_number(t, true, a->threshold, true);
    rc |= cell_number(t, a->has_reference, a->reference, true);
    rc |= table_add(t, v->unit);
    rc |= cell_int(t, true, a->expected);
    rc |= cell_int(t, true, a->reported);
    rc |= table_add(t, a->message);
    rc |= cell_time_iso(t, a->has_first_fired, a->first_fired);
    rc |= cell_time_iso(t, true, a->changed_at);
    rc |= table_add(t, a->acked_by);
    rc |= cell_time_iso(t, a->has_acked_at, a->acked_at);
    rc |= table_add(t, a->ack_note);
    rc |= cell_time_iso(t, a->has_silenced_until, a->silenced_until);
    rc |= cell_int(t, a->has_silence_id, a->silence_id);
    return rc ? -1 : 0;
}

/* "open " (with the trailing space) for the state asked about; "" for all. */
static const char *state_word(const char *state)
{
    static const char *const words[][2] = {{"open", "open "},
                                           {"pending", "pending "},
                                           {"firing", "firing "},
                                           {"resolved", "resolved "}};
    for (size_t i = 0; i < COUNT(words); i++)
        if (!strcmp(state, words[i][0]))
            return words[i][1];
    return "";
}

/* " of rule R in A changed since T": the filters, for the title. */
static void describe_filter(const alert_filter *f, char *buf, size_t n)
{
    char since[FMT_NUMBER_MAX] = "";
    if (f->has_since)
        fmt_time(since, sizeof since, f->since);
    snprintf(buf, n, "%s%s%s%s%s%s", f->rule ? " of rule " : "", f->rule ? f->rule : "",
             f->area ? " in " : "", f->area ? f->area : "", since[0] ? " changed since " : "",
             since);
}

/* The alerts table, each alert's message with its acknowledgement and
 * silence, the notes, then the silences in force. */
static int print_alert_text(FILE *out, const proto_alerts_reply *r, const alert_view *all,
                            const alert_filter *f)
{
    char filter[400];
    describe_filter(f, filter, sizeof filter);
    size_t n = r->n_alerts;
    int rc = 0;
    if (n == 0)
        rc = fprintf(out, "no %salerts%s\n", state_word(f->state), filter) < 0 ? -1 : 0;
    else
        rc = fprintf(out, "%zu %salert%s%s, newest change first\n\n", n, state_word(f->state),
                     n == 1 ? "" : "s", filter) < 0 ? -1 : 0;
    table_t *t = n ? table_new(alert_text_cols, COUNT(alert_text_cols)) : NULL;
    if (n && !t)
        rc = -1;
    size_t marked = 0;
    int idw = 1; /* the widest id, to line the messages up under each other */
    for (size_t i = 0; rc == 0 && i < n; i++) {
        rc = alert_text_row(t, &all[i]);
        marked += incomplete(all[i].a);
        int w = snprintf(NULL, 0, "%lld", (long long)all[i].a->id);
        idw = w > idw ? w : idw;
    }
    if (rc == 0 && t && (table_print(t, out, "") != 0 || fputc('\n', out) == EOF))
        rc = -1;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const proto_alert *a = all[i].a;
        if (fprintf(out, "%*lld  %s\n", idw, (long long)a->id,
                    a->message[0] ? a->message : "(no message)") < 0)
            rc = -1;
        else
            rc = print_details(out, a, r, idw + 2);
    }
    if (rc == 0 && marked &&
        fprintf(out, "\n* incomplete: fewer partners have reported than expected, so the value "
                     "may still change\n") < 0)
        rc = -1;
    if (rc == 0 && r->truncated &&
        fprintf(out, "\nmore alerts matched than the daemon lists (%d): narrow them with "
                     "--since, --rule or --area\n",
                PROTO_MAX_ALERTS) < 0)
        rc = -1;
    if (rc == 0 && r->n_silences &&
        (fprintf(out, "\nsilences not yet ended (their alerts' changes are stored, not "
                      "published):\n") < 0 ||
         silence_print_table(out, r->silences, r->n_silences, "  ") != 0))
        rc = -1;
    table_destroy(&t);
    return rc;
}

int alert_print_list(FILE *out, const proto_alerts_reply *r, const proto_catalog_reply *cat,
                     const alert_filter *f, bool csv)
{
    size_t n = r->n_alerts;
    alert_view *all = n ? calloc(n, sizeof *all) : NULL;
    if (n && !all)
        return -1;
    for (size_t i = 0; i < n; i++)
        all[i] = (alert_view){&r->alerts[i], find_unit(cat, r->alerts[i].indicator)};
    int rc = 0;
    if (csv) {
        table_t *t = table_new(alert_csv_cols, COUNT(alert_csv_cols));
        rc = t ? 0 : -1;
        for (size_t i = 0; rc == 0 && i < n; i++)
            rc = alert_csv_row(t, &all[i]);
        if (rc == 0)
            rc = table_print_csv(t, out);
        table_destroy(&t);
    } else {
        rc = print_alert_text(out, r, all, f);
    }
    free(all);
    return rc;
}

/* ---- ack -------------------------------------------------------------- */

int alert_print_acked(FILE *out, const proto_alert *a)
{
    char area[AREA_TEXT], span[80];
    describe_area(a, true, area, sizeof area);
    describe_period(a, span, sizeof span);
    if (fprintf(out, "acknowledged alert %lld: %s %s %s in %s, %s\n", (long long)a->id, a->state,
                a->severity, a->rule, area, span) < 0 ||
        (a->message[0] && fprintf(out, "  %s\n", a->message) < 0))
        return -1;
    return print_details(out, a, NULL, 2);
}

/* ---- watch: one event ------------------------------------------------- */

int alert_print_event_json(FILE *out, const char *topic, size_t topic_len,
                           const msgpack_object *event)
{
    uint32_t n = event->via.map.size;
    msgpack_object_kv *kv = malloc(((size_t)n + 1) * sizeof *kv);
    if (!kv)
        return -1;
    memset(&kv[0], 0, sizeof kv[0]);
    kv[0].key.type = MSGPACK_OBJECT_STR;
    kv[0].key.via.str.ptr = "topic";
    kv[0].key.via.str.size = 5;
    kv[0].val.type = MSGPACK_OBJECT_STR;
    kv[0].val.via.str.ptr = topic;
    kv[0].val.via.str.size = (uint32_t)topic_len;
    if (n)
        memcpy(&kv[1], event->via.map.ptr, n * sizeof *kv);
    msgpack_object all;
    memset(&all, 0, sizeof all);
    all.type = MSGPACK_OBJECT_MAP;
    all.via.map.size = n + 1;
    all.via.map.ptr = kv;
    int rc = proto_write_json(out, &all) == 0 && fputc('\n', out) != EOF ? 0 : -1;
    free(kv);
    return rc;
}

int alert_print_event(FILE *out, const proto_alert_event *ev)
{
    const proto_alert *a = &ev->alert;
    alert_view v = {a, ""};
    char when[FMT_NUMBER_MAX], state[16], area[300], span[80], value[FMT_NUMBER_MAX],
        threshold[160];
    fmt_time(when, sizeof when, a->changed_at);
    for (size_t i = 0; i < sizeof state; i++)
        state[i] = (char)toupper((unsigned char)(i < sizeof a->state ? a->state[i] : '\0'));
    describe_area(a, false, area, sizeof area);
    describe_period(a, span, sizeof span);
    alert_number(value, sizeof value, a->has_value, a->value, v.unit);
    describe_threshold(&v, threshold, sizeof threshold);
    return fprintf(out, "%s  %s (%s->%s)  %s  %s  %s  %s  %s%s%s%s  %s\n", when, state,
                   ev->previous[0] ? ev->previous : "new", a->state, a->severity, a->rule, area,
                   span, value, threshold[0] ? " (" : "", threshold, threshold[0] ? ")" : "",
                   a->message) < 0 ? -1 : 0;
}

/* ---- the command line ------------------------------------------------- */

static bool known_state(const char *state)
{
    return !strcmp(state, "all") || state_word(state)[0];
}

/* The catalogue, for the indicators' units: 0 with cat read; 1 without it (units then
 * stay unknown; ctx_call has said why when the daemon could not be asked); or the exit
 * status of a malformed reply, said. */
static int fetch_units(leamon_ctx *ctx, const proto_request *like, proto_catalog_reply *cat)
{
    proto_request req;
    rpc_reply reply;
    if (query_request_like(like, &req, PROTO_OP_CATALOG) != 0 || ctx_call(ctx, &req, &reply) != 0)
        return 1;
    lm_error e;
    int rc = reply.head.status != PROTO_OK                            ? 1
             : proto_catalog_reply_read(reply.root, cat, &e) == 0 ? 0
                                                                  : ctx_malformed(ctx, &e);
    rpc_reply_free(&reply);
    return rc;
}

/* Does any alert watch an indicator (whose unit to look up)? */
static bool needs_units(const proto_alerts_reply *r)
{
    for (size_t i = 0; i < r->n_alerts; i++)
        if (r->alerts[i].indicator[0])
            return true;
    return false;
}

/* The alerts of a 200 reply: as JSON (the array as it came), or printed. */
static int show_alerts(leamon_ctx *ctx, const proto_request *req, const rpc_reply *reply,
                       const proto_alerts_reply *r, const alert_filter *f)
{
    if (ctx->json) {
        const msgpack_object *alerts = proto_get(reply->root, "alerts");
        int rc = proto_write_json(ctx->out, alerts);
        if (rc == 0 && fputc('\n', ctx->out) == EOF)
            rc = -1;
        return query_printed(ctx, rc);
    }
    proto_catalog_reply cat;
    int units = needs_units(r) ? fetch_units(ctx, req, &cat) : 1;
    if (units > 1)
        return units;
    int rc = alert_print_list(ctx->out, r, units == 0 ? &cat : NULL, f, ctx->csv);
    if (units == 0)
        proto_catalog_reply_free(&cat);
    return query_printed(ctx, rc);
}

/* ---- alerts, ack ------------------------------------------------------ */

int cmd_alerts(leamon_ctx *ctx)
{
    const char *state = ctx_opt(ctx, "state"), *since = ctx_opt(ctx, "since"),
               *rule = ctx_opt(ctx, "rule"), *area = ctx_opt(ctx, "area");
    alert_filter f = {state ? state : "open", rule, area, since != NULL, 0};
    int rc = arg_count(ctx, 0, "");
    if (rc == 0 && !known_state(f.state)) {
        char q[32];
        arg_quote(q, sizeof q, state, 20);
        leamon_error(ctx, "--state '%s': give open (pending and firing), pending, firing, "
                          "resolved or all",
                     q);
        rc = LEAMON_EXIT_USAGE;
    }
    if (rc == 0 && since)
        rc = arg_when(ctx, "since", since, false, &f.since);
    if (rc == 0 && rule)
        rc = arg_code(ctx, "--rule", rule, PROTO_MAX_CODE);
    if (rc == 0 && area)
        rc = arg_code(ctx, "--area", area, PROTO_MAX_AREA);
    proto_request req;
    if (rc != 0 || (rc = query_start(ctx, &req, PROTO_OP_ALERTS)) != 0)
        return rc;
    COPY(req.state, f.state);
    if (rule)
        COPY(req.rule, rule);
    if (area)
        COPY(req.area, area);
    req.has_since = f.has_since;
    req.since = f.since;
    rpc_reply reply;
    if ((rc = query_call(ctx, &req, &reply)) != 0)
        return rc;
    proto_alerts_reply r;
    lm_error e;
    if (proto_alerts_reply_read(reply.root, &r, &e) != 0) {
        rc = ctx_malformed(ctx, &e);
    } else {
        rc = show_alerts(ctx, &req, &reply, &r, &f);
        proto_alerts_reply_free(&r);
    }
    rpc_reply_free(&reply);
    return rc;
}

/* An admin command's reader and printer of its 200 reply (as JSON, or as text): 0 or an
 * exit status. */
typedef int (*admin_show)(leamon_ctx *ctx, const rpc_reply *reply);

static int show_acked(leamon_ctx *ctx, const rpc_reply *reply)
{
    proto_alert a;
    lm_error e;
    if (proto_ack_reply_read(reply->root, &a, &e) != 0)
        return ctx_malformed(ctx, &e);
    int rc = ctx->json ? ctx_print_json(ctx, reply) : alert_print_acked(ctx->out, &a);
    proto_alert_free(&a);
    return query_printed(ctx, rc);
}

/* Send an admin request; show its reply. */
static int admin_call(leamon_ctx *ctx, const proto_request *req, admin_show show)
{
    rpc_reply reply;
    int rc = query_call(ctx, req, &reply);
    if (rc != 0)
        return rc;
    rc = show(ctx, &reply);
    rpc_reply_free(&reply);
    return rc;
}

int cmd_ack(leamon_ctx *ctx)
{
    const char *note = ctx_opt(ctx, "note");
    int64_t id = 0;
    int rc = arg_count_noted(ctx, 1, "ID");
    if (rc == 0)
        rc = arg_number(ctx, "alert ID", ctx->pos[0], 0,
                        "the alert's number, from the ID column of leamon alerts", &id);
    if (rc == 0)
        rc = arg_needed(ctx, note, "--note TEXT", "who is on it and what is being done");
    if (rc == 0)
        rc = arg_note(ctx, note);
    proto_request req;
    if (rc != 0 || (rc = query_start(ctx, &req, PROTO_OP_ACK)) != 0)
        return rc;
    req.has_alert = true;
    req.alert = id;
    COPY(req.note, note);
    return admin_call(ctx, &req, show_acked);
}

/* ---- watch ------------------------------------------------------------ */

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The daemon's PUB endpoint: --publish (or LEAMON_PUBLISH, publish), else
 * the request endpoint with its TCP port plus one. 0 or exit 2. */
static int publish_endpoint(leamon_ctx *ctx, char *buf, size_t n)
{
    const char *pub = opts_str(&ctx->opts, OPT_PUBLISH), *ep = opts_str(&ctx->opts, OPT_ENDPOINT);
    if (pub && (size_t)snprintf(buf, n, "%s", pub) < n)
        return 0;
    if (pub) {
        leamon_error(ctx, "publish (%s): endpoint too long", ctx->opts.source[OPT_PUBLISH]);
        return LEAMON_EXIT_USAGE;
    }
    const char *colon = strrchr(ep, ':');
    char *end = NULL;
    long port = -1;
    if (!strncmp(ep, "tcp://", 6) && colon > ep + 6 && colon[1] >= '0' && colon[1] <= '9')
        port = strtol(colon + 1, &end, 10);
    if (port < 1 || port >= 65535 || *end ||
        (size_t)snprintf(buf, n, "%.*s:%ld", (int)(colon - ep), ep, port + 1) >= n) {
        leamon_error(ctx, "cannot tell the daemon's PUB endpoint from the endpoint %s (%s): give "
                          "--publish ENDPOINT",
                     ep, ctx->opts.source[OPT_ENDPOINT]);
        return LEAMON_EXIT_USAGE;
    }
    return 0;
}

/* Receive one message from the SUB socket and print it. 0: an event was
 * printed; 1: nothing, or not an event (said so); -1: the output cannot be
 * written. */
static int take_event(leamon_ctx *ctx, void *sock)
{
    zmq_msg_t frame[2];
    int frames = 0;
    bool more = true;
    zmq_msg_init(&frame[0]);
    zmq_msg_init(&frame[1]);
    while (more) {
        zmq_msg_t extra, *m = frames < 2 ? &frame[frames] : &extra;
        if (m == &extra)
            zmq_msg_init(&extra);
        if (zmq_msg_recv(m, sock, frames ? 0 : ZMQ_DONTWAIT) < 0) {
            if (m == &extra)
                zmq_msg_close(&extra);
            break;
        }
        frames++;
        more = zmq_msg_more(m);
        if (m == &extra)
            zmq_msg_close(&extra);
    }
    msgpack_unpacked body;
    msgpack_unpacked_init(&body);
    size_t off = 0;
    int rc = 1;
    if (frames == 2 && !more &&
        msgpack_unpack_next(&body, zmq_msg_data(&frame[1]), zmq_msg_size(&frame[1]), &off) ==
            MSGPACK_UNPACK_SUCCESS &&
        body.data.type == MSGPACK_OBJECT_MAP) {
        proto_alert_event ev;
        lm_error e;
        if (proto_alert_event_read(&body.data, &ev, &e) != 0) {
            leamon_error(ctx, "ignoring a malformed alert event from leamond: %s",
                         rpc_malformed_why(&e));
        } else {
            rc = ctx->json ? alert_print_event_json(ctx->out, zmq_msg_data(&frame[0]),
                                                    zmq_msg_size(&frame[0]), &body.data)
                           : alert_print_event(ctx->out, &ev);
            rc = rc == 0 && fflush(ctx->out) == 0 ? 0 : -1;
            proto_alert_free(&ev.alert);
        }
    } else if (frames) {
        leamon_error(ctx, "ignoring a message on the PUB socket that is not an alert event (%d "
                          "frame%s)",
                     frames, frames == 1 ? "" : "s");
    }
    msgpack_unpacked_destroy(&body);
    zmq_msg_close(&frame[0]);
    zmq_msg_close(&frame[1]);
    return rc;
}

typedef struct {
    const char *endpoint;
    long long idle_ms; /* exit 3 after this long without an event; -1: never */
    int64_t count;     /* exit 0 after this many events; 0: never */
} watch_t;

/* Print events until a signal (0), count events (0), idle_ms without one
 * (3), a refused handshake (1) or a local failure (2). */
static int watch_loop(leamon_ctx *ctx, const watch_t *w, rpc_conn *c, int sigfd)
{
    long long deadline = now_ms() + w->idle_ms;
    int64_t seen = 0;
    bool connected = false, noted = false;
    lm_error err;
    for (;;) {
        long wait = -1;
        if (w->idle_ms >= 0 && (wait = (long)(deadline - now_ms())) <= 0) {
            leamon_error(ctx, "no alert event within %lld s%s %s%s", w->idle_ms / 1000,
                         connected ? " from the daemon's PUB socket at"
                                   : ": cannot reach the daemon's PUB socket at",
                         w->endpoint,
                         !connected ? " (is leamond running? --publish names the endpoint)"
                         : ctx->rpc.curve ? "; with CURVE, check --server-key"
                                          : "");
            return LEAMON_EXIT_UNAVAILABLE;
        }
        zmq_pollitem_t items[3] = {
            {c->sock, 0, ZMQ_POLLIN, 0}, {c->mon, 0, ZMQ_POLLIN, 0}, {NULL, sigfd, ZMQ_POLLIN, 0}};
        int n = zmq_poll(items, 3, wait);
        if (n < 0 && zmq_errno() == EINTR)
            continue;
        if (n < 0) {
            leamon_error(ctx, "poll failed: %s", zmq_strerror(zmq_errno()));
            return LEAMON_EXIT_USAGE;
        }
        if (items[2].revents & ZMQ_POLLIN)
            return LEAMON_EXIT_OK; /* SIGINT or SIGTERM: a normal end */
        int ev = items[1].revents & ZMQ_POLLIN ? rpc_conn_event(&ctx->rpc, c, &connected, &err)
                                               : 0;
        /* Nothing listening yet: ZeroMQ keeps trying, and watch keeps waiting, quietly. */
        if (ev == ZMQ_EVENT_CONNECT_RETRIED)
            ev = 0;
        bool transient = ev == ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL;
        if (transient && !noted) {
            leamon_error(ctx, "%s (still trying)", err.msg); /* may pass: the daemon restarting */
            noted = true;
        } else if (ev && !transient) {
            leamon_error(ctx, "%s", err.msg);
            if (ev == ZMQ_EVENT_HANDSHAKE_FAILED_AUTH)
                leamon_error(ctx, "only staff keys (role viewer or admin) may watch alerts");
            return LEAMON_EXIT_REJECTED;
        }
        if (!(items[0].revents & ZMQ_POLLIN))
            continue;
        int got = take_event(ctx, c->sock);
        if (got < 0) {
            leamon_error(ctx, "cannot write the output");
            return LEAMON_EXIT_USAGE;
        }
        if (got == 0 && w->count && ++seen >= w->count)
            return LEAMON_EXIT_OK;
        if (got == 0)
            deadline = now_ms() + w->idle_ms;
    }
}

int cmd_watch(leamon_ctx *ctx)
{
    const char *topic = ctx_opt(ctx, "topic"), *count = ctx_opt(ctx, "count");
    char endpoint[1024];
    watch_t w = {endpoint, -1, 0};
    int rc = arg_count(ctx, 0, "");
    if (rc == 0 && topic)
        rc = arg_code(ctx, "--topic", topic, 255);
    if (rc == 0 && topic && strncmp(topic, "alert.", 6) != 0) {
        leamon_error(ctx, "--topic %s: alert topics start with alert. (alert.critical., "
                          "alert.warning.vve_bereik.)",
                     topic);
        rc = LEAMON_EXIT_USAGE;
    }
    if (rc == 0 && count)
        rc = arg_number(ctx, "--count", count, 1, "a whole number of events, 1 or more",
                        &w.count);
    if (rc == 0)
        rc = publish_endpoint(ctx, endpoint, sizeof endpoint);
    if (rc != 0)
        return rc;
    /* --idle: seconds without an event (the global --timeout is the wait for a reply,
     * and watch sends no requests). */
    const char *idle = ctx_opt(ctx, "idle");
    int64_t idle_s = 0;
    if (idle && (rc = arg_number(ctx, "--idle", idle, 1, "a whole number of seconds, 1 or more",
                                 &idle_s)) != 0)
        return rc;
    if (idle)
        w.idle_ms = idle_s * 1000LL;

    /* Signals come through a descriptor polled with the socket. Block them
     * before libzmq starts its threads, so that none of those takes them. */
    sigset_t mask;
    int sigfd = -1;
    if (sigemptyset(&mask) != 0 || sigaddset(&mask, SIGINT) != 0 ||
        sigaddset(&mask, SIGTERM) != 0 || sigprocmask(SIG_BLOCK, &mask, NULL) != 0 ||
        (sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC)) < 0) {
        leamon_error(ctx, "cannot set up signal handling: %s", strerror(errno));
        return LEAMON_EXIT_USAGE;
    }
    rpc_conn c;
    lm_error err;
    rc = ctx_connect(ctx);
    if (rc == 0 && rpc_conn_open(&ctx->rpc, &c, ZMQ_SUB, endpoint, &err) != 0) {
        leamon_error(ctx, "%s", err.msg);
        rc = LEAMON_EXIT_USAGE;
    } else if (rc == 0) {
        if (zmq_setsockopt(c.sock, ZMQ_SUBSCRIBE, topic ? topic : "alert.",
                           strlen(topic ? topic : "alert.")) != 0) {
            leamon_error(ctx, "cannot subscribe: %s", zmq_strerror(zmq_errno()));
            rc = LEAMON_EXIT_USAGE;
        } else {
            rc = watch_loop(ctx, &w, &c, sigfd);
        }
        rpc_conn_close(&c);
    }
    close(sigfd);
    return rc;
}
