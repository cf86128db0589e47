/* export.c: --format csv-nl and xlsx from a command's CSV (see export.h). */
#include "export.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sheet.h"
#include "xlsx.h"

/* The command's output while it runs; the real output, given back after. */
static char *mem_buf;
static size_t mem_len;
static FILE *real_out;

bool export_known(const char *fmt)
{
    return !strcmp(fmt, "csv-nl") || !strcmp(fmt, "xlsx");
}

int export_begin(leamon_ctx *ctx)
{
    FILE *m = open_memstream(&mem_buf, &mem_len);
    if (!m) {
        leamon_error(ctx, "out of memory");
        return LEAMON_EXIT_USAGE;
    }
    real_out = ctx->out;
    ctx->out = m;
    return 0;
}

int export_end(leamon_ctx *ctx, int rc)
{
    int closed = fclose(ctx->out);
    ctx->out = real_out;
    sheet_t s;
    if (rc == 0 && closed != 0) {
        leamon_error(ctx, "out of memory");
        rc = LEAMON_EXIT_USAGE;
    } else if (rc == 0 && sheet_parse(&s, mem_buf ? mem_buf : "", mem_len) != 0) {
        leamon_error(ctx, "out of memory");
        rc = LEAMON_EXIT_USAGE;
    } else if (rc == 0) {
        int w = !strcmp(ctx->export_fmt, "xlsx") ? xlsx_write(&s, ctx->cmd->name, ctx->out)
                                                 : sheet_write_csv_nl(&s, ctx->out);
        if (w != 0) {
            leamon_error(ctx, "cannot write the %s output%s%s", ctx->export_fmt,
                         errno ? ": " : "", errno ? strerror(errno) : "");
            rc = LEAMON_EXIT_USAGE;
        }
        sheet_free(&s);
    }
    free(mem_buf);
    mem_buf = NULL;
    mem_len = 0;
    return rc;
}
