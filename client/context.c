/* context.c: what a command does with its context (leamon.h): read its own
 * options, and say what went wrong. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "leamon.h"

void leamon_error(leamon_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    fputs("leamon: ", ctx->err);
    va_start(ap, fmt);
    vfprintf(ctx->err, fmt, ap);
    va_end(ap);
    fputc('\n', ctx->err);
}

const char *ctx_opt(const leamon_ctx *ctx, const char *name)
{
    if (!ctx->cmd || !ctx->cmd->opts)
        return NULL;
    for (size_t i = 0; i < CMD_MAX_OPTS && ctx->cmd->opts[i].name; i++)
        if (!strcmp(ctx->cmd->opts[i].name, name))
            return ctx->opt_value[i];
    return NULL;
}
