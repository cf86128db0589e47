/* pdf.h: leamon report --pdf: the report's HTML printed to an A4 PDF by headless
 * Chromium (--headless --print-to-pdf), when it is installed; a clear error when not. The
 * browser runs with a profile of its own in a temporary directory, removed after. */
#ifndef LEAMON_REPORT_PDF_H
#define LEAMON_REPORT_PDF_H

#include <stddef.h>

#include "leamon.h"

/* Whether there is a browser to print with: 0, or exit status 2 after saying there is
 * none (checked before the daemon is asked anything). */
int pdf_check(leamon_ctx *ctx);

/* A temporary directory for the browser's profile (and the HTML when there is no --out):
 * its path into dir (n bytes). 0, or an exit status after printing why. */
int pdf_tmpdir(leamon_ctx *ctx, char *dir, size_t n);
/* Remove it and everything in it. */
void pdf_tmpdir_remove(const char *dir);

/* Print the HTML file html to pdf (through pdf.part, renamed when complete) with the
 * browser found as $LEAMON_CHROMIUM, else chromium, chromium-browser or google-chrome on
 * PATH; tmp is pdf_tmpdir's. 0, or an exit status after printing why: 2 when there is no
 * browser, it fails, or it takes more than two minutes. */
int pdf_print(leamon_ctx *ctx, const char *html, const char *pdf, const char *tmp);

#endif
