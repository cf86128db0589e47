/* leamon.h: what every leamon command shares: exit codes, the context that
 * carries the settings and the connection, and the command table
 * (commands.c), with what a command does with its context (context.c). */
#ifndef LEAMON_CLIENT_H
#define LEAMON_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "opts.h"
#include "rpc.h"

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
    const char *export_fmt;    /* --format csv-nl or xlsx: made from the CSV (export.h) */
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

/* "leamon: " and the message, one line on ctx->err. */
void leamon_error(leamon_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The commands: each runs with the context main() filled and returns its
 * exit status. */
int cmd_submit(leamon_ctx *ctx);
int cmd_flush(leamon_ctx *ctx);
int cmd_keygen(leamon_ctx *ctx);
int cmd_ping(leamon_ctx *ctx);
int cmd_status(leamon_ctx *ctx);
int cmd_catalog(leamon_ctx *ctx);
int cmd_snapshot(leamon_ctx *ctx);
int cmd_series(leamon_ctx *ctx);
int cmd_completeness(leamon_ctx *ctx);
int cmd_figures(leamon_ctx *ctx);
int cmd_alerts(leamon_ctx *ctx);
int cmd_ack(leamon_ctx *ctx);
int cmd_silence(leamon_ctx *ctx);
int cmd_silences(leamon_ctx *ctx);
int cmd_unsilence(leamon_ctx *ctx);
int cmd_watch(leamon_ctx *ctx);
int cmd_backup(leamon_ctx *ctx);
int cmd_report(leamon_ctx *ctx);
int cmd_retract(leamon_ctx *ctx);
int cmd_close(leamon_ctx *ctx);
int cmd_reopen(leamon_ctx *ctx);

#endif
