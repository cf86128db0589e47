/* page.h: the report's page as a whole: one self-contained HTML file
 * (inline CSS and SVG, nothing external) in Dutch, printable on A4. Its
 * head (title, banner of the version, introduction, the start of the
 * summary table), the end (the summary table closed, the explanation of
 * method), and the file: written to OUT.part and renamed to OUT. The
 * sections in between are written onto body by section.h, grid.h and
 * alerts.h. */
#ifndef LEAMON_REPORT_PAGE_H
#define LEAMON_REPORT_PAGE_H

#include <stdbool.h>

#include "leamon.h"
#include "report/html.h"
#include "report/model.h"

/* The page in three parts, written in this order into the file: the head,
 * the summary table's rows, the body. */
typedef struct {
    rbuf head, summary, body;
} page_t;

void page_init(page_t *pg);
void page_free(page_t *pg);
/* Whether any part ran out of memory. */
bool page_failed(const page_t *pg);

/* The head, for r's r->ninds indicators. */
void page_head(page_t *pg, const report_t *r);
/* The summary table closed, the explanation of method, the end of the
 * page. */
void page_finish(page_t *pg, const report_t *r);

/* Write the page to out (through out.part). 0, or an exit status after
 * printing why. */
int page_save(const page_t *pg, leamon_ctx *ctx, const char *out);

#endif
