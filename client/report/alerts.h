/* alerts.h: the report's section on the alerts: those still open in the
 * report's area and below, with their history and acknowledgement, then
 * those resolved within the report's months. The public version leaves out
 * values and notes. */
#ifndef LEAMON_REPORT_ALERTS_H
#define LEAMON_REPORT_ALERTS_H

#include <stddef.h>

#include "report/html.h"
#include "report/model.h"

/* Write the section from r->alerts onto b. Returns how many alerts are
 * open. */
size_t alerts_write(rbuf *b, const report_t *r);

#endif
