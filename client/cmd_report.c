/* cmd_report.c: leamon report: one self-contained HTML file (inline CSS and
 * SVG, nothing external) in Dutch, printable on A4, that a policy officer can
 * attach to a raadsinformatiebrief: per indicator its course over the school
 * year against the target path, the wijken, and how complete the figures
 * are; who delivered which month; the open alerts.
 *
 * Everything comes from the daemon through the ordinary queries (catalog,
 * alerts, series, snapshot by area, completeness per month), read with
 * proto's typed readers as the other commands read them. Every number taken from
 * a snapshot or a series point carries data-indicator, data-area,
 * data-period, data-field and data-value (the raw number), so a program can
 * check the report against the daemon (tests/integration/t_report.sh).
 *
 * --public makes the version for outside the municipality, as CBS does:
 * counts rounded to multiples of 5, counts under --min-cell (default 10)
 * suppressed, and percentages resting on such a count suppressed too. The
 * data-value attributes then hold the published numbers, never the raw ones.
 *
 * This file reads the command line and calls the rest, in client/report/:
 * fetch.c asks the daemon and reads its replies into model.c's model,
 * page.c, section.c, grid.c and alerts.c write the page (with shown.c's
 * numbers, text.c's Dutch and svg.c's charts), and page.c writes it to
 * OUT.part and renames it to OUT. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "args.h"
#include "leamon.h"
#include "period.h"
#include "proto.h"
#include "query.h"
#include "report/alerts.h"
#include "report/fetch.h"
#include "report/grid.h"
#include "report/html.h"
#include "report/model.h"
#include "report/page.h"
#include "report/pdf.h"
#include "report/section.h"
#include "report/text.h"

/* --min-cell: the smallest count the public version shows. */
static int arg_min_cell(leamon_ctx *ctx, const char *min_cell, edition_t *ed)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(min_cell, &end, 10);
    if (!ed->pub) {
        leamon_error(ctx, "--min-cell goes with --public (the internal version suppresses "
                          "nothing)");
        return LEAMON_EXIT_USAGE;
    }
    if (errno || !end || *end || end == min_cell || v < 1 || v > 1000) {
        leamon_error(ctx, "--min-cell '%.20s': give a whole number from 1 to 1000", min_cell);
        return LEAMON_EXIT_USAGE;
    }
    ed->min_cell = (int)v;
    return 0;
}

/* The months of the charts: from the school year holding the period's last
 * month (or the period's own start, if earlier), or from --from (*from). */
static int report_months(leamon_ctx *ctx, report_t *r, const char *period_opt, const char *from,
                         const period *pf)
{
    r->last_month = period_last_month(&r->p);
    if (from) {
        r->first_month = period_first_month(pf);
    } else {
        period lm = period_month_from_number(r->last_month), sy;
        int start = period_containing(&lm, PERIOD_SCHOOLYEAR, &sy) == 0 ? period_first_month(&sy)
                                                                        : r->last_month;
        int own = period_first_month(&r->p);
        r->first_month = own < start ? own : start;
    }
    if (r->first_month > r->last_month) {
        leamon_error(ctx, "--from %s begins after --period %s ends", from, period_opt);
        return LEAMON_EXIT_USAGE;
    }
    if (r->last_month - r->first_month + 1 > PROTO_MAX_SERIES) {
        leamon_error(ctx, "--from %s to --period %s is %d months; a report shows at most %d",
                     from ? from : "?", period_opt, r->last_month - r->first_month + 1,
                     PROTO_MAX_SERIES);
        return LEAMON_EXIT_USAGE;
    }
    return 0;
}

/* The command line into r; out, pdf and area as given. 0 or exit 2. */
static int read_args(leamon_ctx *ctx, report_t *r, const char **out, const char **pdf,
                     const char **area)
{
    const char *period_opt = ctx_opt(ctx, "period"), *from = ctx_opt(ctx, "from"),
               *min_cell = ctx_opt(ctx, "min-cell");
    *out = ctx_opt(ctx, "out");
    *pdf = ctx_opt(ctx, "pdf");
    *area = ctx_opt(ctx, "area");
    r->ed.pub = ctx_opt(ctx, "public") != NULL;
    r->ed.min_cell = 10;
    int rc = arg_count(ctx, 0, "");
    if (rc == 0 && ctx->json) {
        leamon_error(ctx, "report writes HTML; --format json does not apply");
        rc = LEAMON_EXIT_USAGE;
    }
    if (rc == 0)
        rc = arg_period(ctx, "period", period_opt, &r->p);
    if (rc == 0 && (!*out || !(*out)[0]) && (!*pdf || !(*pdf)[0])) {
        leamon_error(ctx, "report needs --out FILE.html, --pdf FILE.pdf or both");
        rc = LEAMON_EXIT_USAGE;
    }
    period pf;
    if (rc == 0 && from)
        rc = arg_period(ctx, "from", from, &pf);
    if (rc == 0 && *area)
        rc = arg_code(ctx, "--area", *area, PROTO_MAX_AREA);
    if (rc == 0 && min_cell)
        rc = arg_min_cell(ctx, min_cell, &r->ed);
    if (rc != 0)
        return rc;
    if (period_format(&r->p, r->period_text, sizeof r->period_text) != 0) {
        leamon_error(ctx, "--period: not a period");
        return LEAMON_EXIT_USAGE;
    }
    return report_months(ctx, r, period_opt, from, &pf);
}

/* Ask the daemon and write the page: a section per indicator, the head (which says
 * whether the period is still running, as the sections' figures tell), the grid, the
 * alerts (how many are open into *open), the end. */
static int write_report(fetcher *f, report_t *r, page_t *pg, const char *area, size_t *open)
{
    int rc = fetch_catalog(f, r, area);
    if (rc == 0)
        rc = fetch_alerts(f, r);
    if (rc == 0)
        rc = fetch_grid(f, r);
    if (rc != 0)
        return rc;
    for (size_t i = 0; i < r->ninds; i++) {
        ind_figures fg;
        if ((rc = fetch_indicator(f, r, &r->inds[i], &fg)) != 0)
            return rc;
        r->running |= !strcmp(fg.snap.snapshot.fig.state, "open");
        r->provisional += !strcmp(fg.snap.snapshot.fig.state, "provisional");
        if (section_write(&pg->summary, &pg->body, r, &fg, i + 1) != 0 || pg->body.failed ||
            pg->summary.failed) {
            leamon_error(f->ctx, "out of memory");
            rc = LEAMON_EXIT_USAGE;
        }
        ind_figures_free(&fg);
        if (rc != 0)
            return rc;
    }
    page_head(pg, r);
    grid_write(&pg->body, r);
    *open = alerts_write(&pg->body, r);
    page_finish(pg, r);
    if (page_failed(pg)) {
        leamon_error(f->ctx, "out of memory");
        return LEAMON_EXIT_USAGE;
    }
    return 0;
}

int cmd_report(leamon_ctx *ctx)
{
    report_t r;
    memset(&r, 0, sizeof r);
    r.now = time(NULL);
    const char *out, *pdf, *area;
    int rc = read_args(ctx, &r, &out, &pdf, &area);
    if (rc == 0 && pdf && pdf[0])
        rc = pdf_check(ctx);
    fetcher f;
    if (rc != 0 || (rc = fetch_start(&f, ctx)) != 0)
        return rc;
    page_t pg;
    page_init(&pg);
    size_t open = 0;
    char tmp[4096] = "", html[4200];
    rc = write_report(&f, &r, &pg, area, &open);
    if (rc == 0 && pdf && pdf[0])
        rc = pdf_tmpdir(ctx, tmp, sizeof tmp);
    if (rc == 0 && !(out && out[0])) {
        /* only the PDF: the HTML it is printed from lives in the temporary directory */
        snprintf(html, sizeof html, "%s/report.html", tmp);
        out = html;
    }
    if (rc == 0)
        rc = page_save(&pg, ctx, out);
    if (rc == 0 && pdf && pdf[0])
        rc = pdf_print(ctx, out, pdf, tmp);
    pdf_tmpdir_remove(tmp);
    if (rc == 0) {
        char a[PERIOD_TEXT_MAX], c[PERIOD_TEXT_MAX];
        month_code(a, sizeof a, r.first_month);
        month_code(c, sizeof c, r.last_month);
        if (fprintf(ctx->out,
                    "report written to %s%s%s: %s %s, %zu indicators from %s to %s, %zu "
                    "organisations, %zu open alerts (%s)\n",
                    out == html ? pdf : out, pdf && pdf[0] && out != html ? " and " : "",
                    pdf && pdf[0] && out != html ? pdf : "", r.top->code, r.period_text, r.ninds, a, c, r.norgs, open,
                    r.ed.pub ? "public version: counts rounded to 5, small cells suppressed"
                             : "internal version: not for publication") < 0)
            rc = query_printed(ctx, -1);
    }
    page_free(&pg);
    report_free(&r);
    return rc;
}
