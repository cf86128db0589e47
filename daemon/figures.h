/* figures.h: what the replies say of indicators, targets and snapshots, filled from the
 * catalogue and the store (the typed replies of proto/reply_figures.h): each figure with
 * its state (open, provisional, final, closed), whether it can be true, and what it says
 * about its target. */
#ifndef LEAMON_FIGURES_H
#define LEAMON_FIGURES_H

#include <stdbool.h>
#include <time.h>

#include "config.h"
#include "period.h"
#include "reply_figures.h"
#include "store.h"

/* How the figures of one reply are read: at time `at` (now, or the query's as_of). */
typedef struct {
    store *db;
    const registry *reg;
    long long grace_days;
    time_t at;
} figures_ctx;

void figures_indicator(proto_indicator *out, const indicator *ind);
/* A stored (or just computed) snapshot of ind for p: its figure, and with the area (an
 * index) its map. -1 when the store cannot be read. */
int figures_figure(const figures_ctx *fc, proto_figure *out, const indicator *ind,
                   const period *p, const stored_snapshot *s);
int figures_area(const figures_ctx *fc, proto_area_figure *out, const indicator *ind,
                 const period *p, int at, const stored_snapshot *s);

/* The target of ind at area, with its baseline taken from the data when the catalogue
 * leaves it open, and with its path at p when p is not NULL. False when no target applies. */
bool figures_target(proto_target *out, store *db, const registry *reg, const indicator *ind,
                    int at, const period *p);

/* What fig (of ind for p at area) says about the target that applies: judged by its own
 * value before the goal period ends, and after it by the goal period's figure. fig's path
 * is has_path/path. -1 when the store cannot be read. */
int figures_verdict(const figures_ctx *fc, proto_verdict *out, const indicator *ind, int at,
                    const period *p, const proto_figure *fig, bool has_path, double path);

#endif
