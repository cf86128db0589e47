/* grid.h: the report's section on delivery: per organisation and month
 * whether it delivered, and in time (the completeness grid of the model),
 * with the total on time per month. */
#ifndef LEAMON_REPORT_GRID_H
#define LEAMON_REPORT_GRID_H

#include "report/html.h"
#include "report/model.h"

/* Write the section from r's grid onto b. */
void grid_write(rbuf *b, const report_t *r);

#endif
