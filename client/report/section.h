/* section.h: one indicator's part of the report: its section (the key
 * figures against the target, the series as a line chart with the alert
 * levels, the wijken as a bar chart, the notes on completeness, target,
 * alerts and publication) and its row in the summary table. */
#ifndef LEAMON_REPORT_SECTION_H
#define LEAMON_REPORT_SECTION_H

#include <stddef.h>

#include "report/html.h"
#include "report/model.h"

/* The indicator of fg, number no, from its series and its snapshot by area
 * (fetch_indicator): the row onto summary, the section onto body; what the
 * public version held back is noted in r (report_hide). 0, or -1 when out
 * of memory. */
int section_write(rbuf *summary, rbuf *body, report_t *r, const ind_figures *fg, size_t no);

#endif
