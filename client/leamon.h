/* leamon.h: what every leamon command shares: exit codes, the context that
 * carries the settings and the connection, and the command table. */
#ifndef LEAMON_CLIENT_H
#define LEAMON_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <msgpack.h>

#include "format.h"
#include "opts.h"
#include "proto.h"
#include "rpc.h"
#include "spool.h"

/* Exit statuses: part of the interface (cron jobs test them), keep exact. */
enum {
    LEAMON_EXIT_OK = 0,          /* stored / ok; dry run valid; flush: all delivered */
    LEAMON_EXIT_REJECTED = 1,    /* the daemon said no (4xx, key refused): nothing stored */
    LEAMON_EXIT_USAGE = 2,       /* usage or local input error: nothing sent */
    LEAMON_EXIT_UNAVAILABLE = 3, /* unreachable or 5xx after retries: nothing stored, not spooled */
    LEAMON_EXIT_SPOOLED = 4      /* unreachable; the submission waits in the spool */
};

#define CMD_MAX_OPTS 8
#define CMD_MAX_POS 10000 /* metric=value arguments are records */

typedef struct leamon_ctx leamon_ctx;

/* A command's own option: --name VALUE, or a --name switch. */
typedef struct {
    const char *name;
    bool has_arg;
} cmd_opt;

typedef struct {
    const char *name;
    const char *summary;  /* one line for `leamon --help` */
    const cmd_opt *opts;  /* up to CMD_MAX_OPTS, ended by {NULL} */
    int (*run)(leamon_ctx *ctx);
    const char *help;     /* the command's manual page */
    bool csv;             /* takes --format csv */
} command_t;

struct leamon_ctx {
    opts_t opts;               /* global settings */
    const command_t *cmd;
    const char *opt_value[CMD_MAX_OPTS]; /* the command's options, by table index (borrowed argv) */
    char **pos;                /* positional arguments (borrowed argv) */
    size_t npos;
    bool json;                 /* --format json */
    bool csv;                  /* --format csv (commands with command_t.csv) */
    FILE *out, *err;
    void *zctx;                /* libzmq context, made on first use */
    rpc_t rpc;
    bool rpc_ready;
    bool key_refused;          /* set when a handshake was refused during a flush */
};

/* The command table, ended by {NULL}. */
extern const command_t leamon_commands[];
const command_t *leamon_find_command(const char *name);

/* The value of the current command's option name, or NULL. Switches give "". */
const char *ctx_opt(const leamon_ctx *ctx, const char *name);

/* Set up the connection settings (keys, CURVE) once. Returns 0, or an exit
 * status after printing why. */
int ctx_connect(leamon_ctx *ctx);

/* Fill a new request's id (random unless given), op and reporter. Returns 0,
 * or an exit status after printing why. */
int ctx_request(leamon_ctx *ctx, proto_request *req, proto_op op, const char *id);

/* Encode, send and wait: the common path of ping, status and catalog. On 0,
 * reply holds a 2xx..4xx reply; otherwise an exit status after printing why. */
int ctx_call(leamon_ctx *ctx, const proto_request *req, rpc_reply *reply);

/* Exit status for an rpc_result that is not RPC_REPLY, after printing err. */
int ctx_rpc_failure(leamon_ctx *ctx, rpc_result r, const char *err);

/* Print a reply as JSON on ctx->out, one line. */
int ctx_print_json(leamon_ctx *ctx, const rpc_reply *reply);

/* Request ids: 32 random hex characters; a given id must be 1..64
 * printable ASCII without spaces. Both return 0 or -1. */
int reqid_random(char id[PROTO_MAX_ID + 1]);
int reqid_check(const char *id);

/* Printing commands' results, shared by submit and flush. */
void leamon_error(leamon_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Deliver what waits in the spool dir, in order (the caller holds the lock).
 * Returns 0 (see stats for what happened) or an exit status. */
int flush_pending(leamon_ctx *ctx, const char *dir, spool_stats *stats);

/* Commands. */
int cmd_submit(leamon_ctx *ctx);
int cmd_flush(leamon_ctx *ctx);
int cmd_keygen(leamon_ctx *ctx);
int cmd_ping(leamon_ctx *ctx);
int cmd_status(leamon_ctx *ctx);
int cmd_catalog(leamon_ctx *ctx);
int cmd_snapshot(leamon_ctx *ctx);
int cmd_series(leamon_ctx *ctx);
int cmd_completeness(leamon_ctx *ctx);
int cmd_alerts(leamon_ctx *ctx);
int cmd_ack(leamon_ctx *ctx);
int cmd_silence(leamon_ctx *ctx);
int cmd_watch(leamon_ctx *ctx);
int cmd_backup(leamon_ctx *ctx);
int cmd_report(leamon_ctx *ctx);

/* The query commands' printers (cmd_query.c): a 200 reply's root map as
 * text for people (aligned tables, notes below) or as CSV. by is the
 * snapshot's breakdown asked for: "", "area" or "reporter". only_missing
 * keeps the organisations that are missing or late. Return 0, or -1 when
 * out of memory or out cannot be written. */
int query_print_snapshot(FILE *out, const msgpack_object *reply, const char *by, bool csv);
int query_print_series(FILE *out, const msgpack_object *reply, bool csv);
int query_print_completeness(FILE *out, const msgpack_object *reply, bool csv,
                             bool only_missing);

/* What the query and alert commands share (cmd_query.c). */

/* Reading a reply map: the string at key cleaned for printing (control
 * characters become '?'), or "" if absent or not a string; a finite number
 * (false when absent, nil or NaN); an array (NULL when absent or not one). */
const char *reply_text(const msgpack_object *map, const char *key, char *buf, size_t n);
bool reply_number(const msgpack_object *map, const char *key, double *out);
const msgpack_object *reply_array(const msgpack_object *map, const char *key);

/* Table cells: a number (FMT_MISSING in text, "" in CSV when !has; CSV
 * unrounded), an integer, a time in UTC ISO 8601 ("" when !has). 0 or -1. */
int cell_number(table_t *t, bool has, double v, bool csv);
int cell_int(table_t *t, bool has, int64_t v);
int cell_time_iso(table_t *t, bool has, int64_t v);

/* Checking the command line; 0, or LEAMON_EXIT_USAGE after saying why. A
 * code: 1..max printable characters without spaces (what names it in the
 * message). arg_count: exactly want positional arguments (what names one). */
int arg_code(leamon_ctx *ctx, const char *what, const char *value, size_t max);
int arg_count(leamon_ctx *ctx, size_t want, const char *what);

/* ctx_connect, then ctx_request for op (a random id). 0 or an exit status. */
int query_start(leamon_ctx *ctx, proto_request *req, proto_op op);

/* Send req and wait. 0 with a 200 reply to print (also with --format json:
 * the caller prints it), or an exit status after printing why: a refusal
 * (4xx) is printed as JSON with --format json, else as an error with hints
 * (query_refused). */
int query_call(leamon_ctx *ctx, const proto_request *req, rpc_reply *reply);
int query_refused(leamon_ctx *ctx, const rpc_reply *reply);

/* 1 if value is as good as mark or better (on the path, goal reached) for an indicator
 * whose `better` is "higher", "lower" or "closer" (to ideal), 0 if worse, -1 if it does
 * not say which way is better. */
int indicator_judge(const char *better, bool has_ideal, double ideal, double value, double mark);

/* The exit status after printing: 0 when rc is 0, else 2 after saying the
 * output could not be written. */
int query_printed(leamon_ctx *ctx, int rc);

/* The alert commands' printers (cmd_alert.c). Return 0, or -1 when out of
 * memory or out cannot be written. */

/* What `leamon alerts` asked for, for the title and the empty result: the
 * state (open, pending, firing, resolved, all), and the rule, area (NULL:
 * any) and time of the last change asked for. */
typedef struct {
    const char *state, *rule, *area;
    bool has_since;
    int64_t since;
} alert_filter;

/* An alerts reply's root map: as text (a table, then each alert's message
 * with its acknowledgement and silence, then the silences in force) or as
 * CSV (one row per alert). indicators is a catalog reply's indicators
 * array, for the units of values and thresholds, or NULL. */
int alert_print_list(FILE *out, const msgpack_object *reply, const msgpack_object *indicators,
                     const alert_filter *f, bool csv);
/* An ack reply's and a silence reply's root map, as text. */
int alert_print_acked(FILE *out, const msgpack_object *reply);
int alert_print_silence(FILE *out, const msgpack_object *reply);
/* One event from the PUB socket: its topic and its map, as one line of
 * text or as one JSON object (the map with "topic" added). */
int alert_print_event(FILE *out, const char *topic, size_t topic_len, const msgpack_object *event,
                      bool json);

/* Help texts (help.c). */
void help_main(FILE *out);
void help_command(FILE *out, const command_t *cmd);
extern const char help_submit[], help_flush[], help_keygen[], help_ping[], help_status[],
    help_catalog[], help_snapshot[], help_series[], help_completeness[], help_alerts[],
    help_ack[], help_silence[], help_watch[], help_backup[], help_report[];

#endif
