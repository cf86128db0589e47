/* export.h: --format csv-nl and xlsx, the tables of snapshot, series, completeness,
 * alerts and silences for a spreadsheet. The command prints its CSV as always, into
 * memory; what it printed is then read back (sheet.h) and written in the format asked
 * for onto the real output. */
#ifndef LEAMON_EXPORT_H
#define LEAMON_EXPORT_H

#include <stdbool.h>

#include "leamon.h"

/* Whether fmt is an export format ("csv-nl", "xlsx"). */
bool export_known(const char *fmt);

/* Before the command runs: its output goes into memory. 0, or an exit status after
 * printing why. */
int export_begin(leamon_ctx *ctx);

/* After it ran with exit status rc: on 0 the table in ctx->export_fmt onto the real
 * output; returns rc, or an exit status after printing why the export failed. */
int export_end(leamon_ctx *ctx, int rc);

#endif
