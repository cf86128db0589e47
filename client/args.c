/* args.c: checking a command's arguments (see args.h). */
#include "args.h"

#include <string.h>

#include "format.h"
#include "proto.h"
#include "reqid.h"

void arg_quote(char *buf, size_t n, const char *value, size_t max)
{
    size_t len = strlen(value);
    fmt_clean(buf, n, value, len > max ? max : len);
}

int arg_code(leamon_ctx *ctx, const char *what, const char *value, size_t max)
{
    if (reqid_check(value) == 0 && strlen(value) <= max)
        return 0;
    char q[48];
    arg_quote(q, sizeof q, value, 40);
    leamon_error(ctx, "%s '%s': must be 1 to %zu printable characters without spaces", what, q,
                 max);
    return LEAMON_EXIT_USAGE;
}

int arg_count(leamon_ctx *ctx, size_t want, const char *what)
{
    if (ctx->npos == want)
        return 0;
    if (want == 0)
        leamon_error(ctx, "%s takes no arguments, only options (see leamon %s --help)",
                     ctx->cmd->name, ctx->cmd->name);
    else if (ctx->npos == 0)
        leamon_error(ctx, "%s needs %s (see leamon %s --help)", ctx->cmd->name, what,
                     ctx->cmd->name);
    else
        leamon_error(ctx, "%s takes one %s, not %zu arguments", ctx->cmd->name, what, ctx->npos);
    return LEAMON_EXIT_USAGE;
}

int arg_period(leamon_ctx *ctx, const char *opt, const char *value, period *p)
{
    if (!value) {
        leamon_error(ctx, "%s needs --%s PERIOD (2026-10, 2026-Q4, 2026 or 2025/26)",
                     ctx->cmd->name, opt);
        return LEAMON_EXIT_USAGE;
    }
    if (strlen(value) <= PROTO_MAX_PERIOD && period_parse(value, p) == 0)
        return 0;
    char q[32];
    arg_quote(q, sizeof q, value, 20);
    leamon_error(ctx, "--%s '%s': not a period (2026-10, 2026-Q4, 2026 or 2025/26)", opt, q);
    return LEAMON_EXIT_USAGE;
}

int arg_note(leamon_ctx *ctx, const char *note)
{
    size_t len = strlen(note);
    char clean[PROTO_MAX_NOTE + 1];
    if (len >= 1 && len <= PROTO_MAX_NOTE) {
        fmt_clean(clean, sizeof clean, note, len);
        if (!strcmp(clean, note))
            return 0;
    }
    leamon_error(ctx, "--note: give 1 to %d bytes of text (UTF-8, no tabs, newlines or other "
                      "control characters), not %zu bytes%s",
                 PROTO_MAX_NOTE, len, len && len <= PROTO_MAX_NOTE ? " with control characters"
                                                                   : "");
    return LEAMON_EXIT_USAGE;
}

int arg_needed(leamon_ctx *ctx, const char *value, const char *option, const char *why)
{
    if (value)
        return 0;
    leamon_error(ctx, "%s needs %s: %s (see leamon %s --help)", ctx->cmd->name, option, why,
                 ctx->cmd->name);
    return LEAMON_EXIT_USAGE;
}
