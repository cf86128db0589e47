/* main.c: leamon's entry point: the command line, settings, dispatch. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "export.h"
#include "help.h"
#include "leamon.h"
#include "opts.h"
#include "proto.h"
#include "rpc.h"

#define LEAMON_VERSION "0.1.0"

typedef enum { RUN, SHOW_HELP, SHOW_VERSION } action_t;

/* Does the global option name take a value? (-1: not a global option) */
static int global_takes_value(const char *name)
{
    if (opts_find_flag(name) >= 0 || !strcmp(name, "config") || !strcmp(name, "format"))
        return 1;
    if (!strcmp(name, "help") || !strcmp(name, "version"))
        return 0;
    return -1;
}

/* The command word: the first argument that is neither an option nor the
 * value of a global option. Returns its index, or 0 if there is none. */
static int find_command(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--"))
            return i + 1 < argc ? i + 1 : 0;
        if (a[0] != '-' || !a[1])
            return i;
        if (a[1] == '-' && !strchr(a, '=') && global_takes_value(a + 2) == 1)
            i++;
    }
    return 0;
}

/* "submit, flush, ... or reopen": every command of the table, so that none is left out. */
static void command_list(char *buf, size_t n)
{
    size_t w = 0;
    buf[0] = '\0';
    for (const command_t *c = leamon_commands; c->name && w < n; c++) {
        const char *before = c == leamon_commands ? "" : c[1].name ? ", " : " or ";
        int k = snprintf(buf + w, n - w, "%s%s", before, c->name);
        if (k < 0)
            break;
        w += (size_t)k;
    }
}

static int usage(leamon_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int usage(leamon_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    fputs("leamon: ", ctx->err);
    va_start(ap, fmt);
    vfprintf(ctx->err, fmt, ap);
    va_end(ap);
    fprintf(ctx->err, " (see leamon %s%s--help)\n", ctx->cmd ? ctx->cmd->name : "",
            ctx->cmd ? " " : "");
    return LEAMON_EXIT_USAGE;
}

/* One long option; *i advances past its value. */
static int take_option(leamon_ctx *ctx, int argc, char **argv, int *i, action_t *action)
{
    const char *arg = argv[*i] + 2;
    char name[64];
    const char *eq = strchr(arg, '='), *value = NULL;
    size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
    if (len >= sizeof name)
        return usage(ctx, "unknown option %s", argv[*i]);
    memcpy(name, arg, len);
    name[len] = '\0';

    int cmd_index = -1, takes = global_takes_value(name);
    if (takes < 0 && ctx->cmd) {
        for (int k = 0; k < CMD_MAX_OPTS && ctx->cmd->opts[k].name; k++)
            if (!strcmp(ctx->cmd->opts[k].name, name)) {
                cmd_index = k;
                takes = ctx->cmd->opts[k].has_arg;
            }
    }
    if (takes < 0)
        return usage(ctx, "unknown option --%s", name);
    if (takes && eq) {
        value = eq + 1;
    } else if (takes) {
        if (*i + 1 >= argc)
            return usage(ctx, "--%s needs a value", name);
        value = argv[++*i];
    } else if (eq) {
        return usage(ctx, "--%s takes no value", name);
    }

    if (cmd_index >= 0) {
        ctx->opt_value[cmd_index] = value ? value : "";
        return 0;
    }
    int id = opts_find_flag(name);
    if (id >= 0)
        return opts_set_flag(&ctx->opts, (opt_id)id, value) == 0 ? 0 : usage(ctx, "%s", "out of memory");
    if (!strcmp(name, "config"))
        return opts_set_config_flag(&ctx->opts, value) == 0 ? 0 : usage(ctx, "%s", "out of memory");
    if (!strcmp(name, "format")) {
        if (strcmp(value, "json") && strcmp(value, "text") && strcmp(value, "csv") &&
            !export_known(value))
            return usage(ctx, "--format must be text, json, csv, csv-nl or xlsx, not '%.20s'",
                         value);
        ctx->json = !strcmp(value, "json");
        ctx->csv = !strcmp(value, "csv") || export_known(value);
        ctx->export_fmt = export_known(value) ? value : NULL;
        return 0;
    }
    *action = !strcmp(name, "help") ? SHOW_HELP : SHOW_VERSION;
    return 0;
}

static int parse_args(leamon_ctx *ctx, int argc, char **argv, action_t *action)
{
    *action = RUN;
    int ci = find_command(argc, argv);
    if (ci > 0) {
        const char *name = argv[ci];
        /* `leamon help submit` is `leamon submit --help`. */
        if (!strcmp(name, "help")) {
            *action = SHOW_HELP;
            ctx->cmd = ci + 1 < argc ? leamon_find_command(argv[ci + 1]) : NULL;
            if (ci + 1 < argc && !ctx->cmd)
                return usage(ctx, "unknown command '%s'", argv[ci + 1]);
            return 0;
        }
        if (!(ctx->cmd = leamon_find_command(name)))
            return usage(ctx, "unknown command '%s'", name);
    }
    ctx->pos = calloc((size_t)argc, sizeof *ctx->pos);
    if (!ctx->pos)
        return usage(ctx, "%s", "out of memory");
    bool only_positional = false;
    for (int i = 1; i < argc; i++) {
        char *a = argv[i];
        if (i == ci)
            continue;
        if (!only_positional && !strcmp(a, "--")) {
            only_positional = true;
            continue;
        }
        if (only_positional || a[0] != '-' || !a[1]) {
            ctx->pos[ctx->npos++] = a;
            continue;
        }
        if (!strcmp(a, "-h")) {
            *action = SHOW_HELP;
            continue;
        }
        if (a[1] != '-')
            return usage(ctx, "unknown option %s", a);
        int rc = take_option(ctx, argc, argv, &i, action);
        if (rc != 0)
            return rc;
    }
    if (*action == RUN && !ctx->cmd) {
        char list[512];
        command_list(list, sizeof list);
        return usage(ctx, "no command given: %s", list);
    }
    if (*action == RUN && ctx->csv && !ctx->cmd->csv)
        return usage(ctx, "--format %s is for snapshot, series, completeness, alerts and "
                          "silences; %s "
                          "prints text or json",
                     ctx->export_fmt ? ctx->export_fmt : "csv", ctx->cmd->name);
    if (ctx->npos > CMD_MAX_POS)
        return usage(ctx, "%s", "too many arguments");
    return 0;
}

static void cleanup(leamon_ctx *ctx)
{
    rpc_destroy(&ctx->rpc);
    if (ctx->zctx)
        zmq_ctx_term(ctx->zctx); /* every socket had linger 0: returns at once */
    opts_free(&ctx->opts);
    free(ctx->pos);
}

int main(int argc, char **argv)
{
    leamon_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.out = stdout;
    ctx.err = stderr;
    opts_init(&ctx.opts);
    action_t action = RUN;
    int rc = parse_args(&ctx, argc, argv, &action);
    if (rc == 0 && action == SHOW_HELP) {
        if (ctx.cmd)
            help_command(ctx.out, ctx.cmd);
        else
            help_main(ctx.out);
    } else if (rc == 0 && action == SHOW_VERSION) {
        fprintf(ctx.out, "leamon %s (protocol version %d)\n", LEAMON_VERSION, PROTO_VERSION);
    } else if (rc == 0) {
        lm_error err;
        if (opts_resolve(&ctx.opts, &err) != 0) {
            fprintf(ctx.err, "leamon: %s\n", err.msg);
            rc = LEAMON_EXIT_USAGE;
        } else if (!ctx.export_fmt) {
            rc = ctx.cmd->run(&ctx);
        } else if ((rc = export_begin(&ctx)) == 0) {
            rc = export_end(&ctx, ctx.cmd->run(&ctx));
        }
    }
    /* A full disk or closed pipe on stdout must not pass for success. */
    if (fflush(ctx.out) != 0 && rc == 0) {
        fprintf(ctx.err, "leamon: cannot write the output\n");
        rc = LEAMON_EXIT_USAGE;
    }
    cleanup(&ctx);
    return rc;
}
