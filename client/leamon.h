/* leamon.h: what every leamon command shares: exit codes, the context that
 * carries the settings and the connection, and the command table. */
#ifndef LEAMON_CLIENT_H
#define LEAMON_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <msgpack.h>

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

/* The query commands' printers (cmd_query.c): a 200 reply's root map as
 * text for people (aligned tables, notes below) or as CSV. by is the
 * snapshot's breakdown asked for: "", "area" or "reporter". only_missing
 * keeps the organisations that are missing or late. Return 0, or -1 when
 * out of memory or out cannot be written. */
int query_print_snapshot(FILE *out, const msgpack_object *reply, const char *by, bool csv);
int query_print_series(FILE *out, const msgpack_object *reply, bool csv);
int query_print_completeness(FILE *out, const msgpack_object *reply, bool csv,
                             bool only_missing);

/* Help texts (help.c). */
void help_main(FILE *out);
void help_command(FILE *out, const command_t *cmd);
extern const char help_submit[], help_flush[], help_keygen[], help_ping[], help_status[],
    help_catalog[], help_snapshot[], help_series[], help_completeness[];

#endif
