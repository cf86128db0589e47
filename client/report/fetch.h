/* fetch.h: the report's questions to the daemon, through the ordinary
 * queries: the catalogue, the alerts, completeness month by month, and per
 * indicator a series and a snapshot by area. Every request goes out as the
 * same reporter as the first one. Each call returns 0, or an exit status
 * after printing why (a refusal, a malformed reply); what comes back is read
 * into the model (model.h) with proto's typed readers. */
#ifndef LEAMON_REPORT_FETCH_H
#define LEAMON_REPORT_FETCH_H

#include "leamon.h"
#include "proto.h"
#include "report/model.h"
#include "rpc.h"

typedef struct {
    leamon_ctx *ctx;
    proto_request base; /* the first request, the catalogue's: its reporter is every request's */
} fetcher;

/* Connect, and make the first request. */
int fetch_start(fetcher *f, leamon_ctx *ctx);

/* The catalogue into r (report_read_catalog), the report's area named
 * area_code or NULL (the top one). */
int fetch_catalog(fetcher *f, report_t *r, const char *area_code);

/* Every alert, in any state, into r->alerts. */
int fetch_alerts(fetcher *f, report_t *r);

/* The completeness of each month of the grid (report_grid_months), counted
 * into the organisations' rows. */
int fetch_grid(fetcher *f, report_t *r);

/* ind's series over the report's months and its snapshot by area of the
 * report's period, for r's area, into fg. On 0 fg is the caller's to free
 * (ind_figures_free). */
int fetch_indicator(fetcher *f, const report_t *r, const proto_indicator *ind, ind_figures *fg);

#endif
