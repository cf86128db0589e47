/* figures.h: what the replies say of indicators, targets and snapshots, filled from the
 * catalogue and the store (the typed replies of proto/reply_figures.h). */
#ifndef LEAMON_FIGURES_H
#define LEAMON_FIGURES_H

#include <stdbool.h>

#include "config.h"
#include "period.h"
#include "reply_figures.h"
#include "store.h"

void figures_indicator(proto_indicator *out, const indicator *ind);
/* A stored (or just computed) snapshot: its figure, and with the area its map. */
void figures_figure(proto_figure *out, const stored_snapshot *s);
void figures_area(proto_area_figure *out, const partners *parts, int at, const stored_snapshot *s);

/* The target of ind at area at, with its baseline taken from the data when the catalogue
 * leaves it open, and with its path at p when p is not NULL. False when no target applies. */
bool figures_target(proto_target *out, store *db, const registry *reg, const indicator *ind,
                    int at, const period *p);

#endif
