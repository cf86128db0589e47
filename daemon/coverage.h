/* coverage.h: who reports each metric for which area (the coverage table), kept in memory
 * by the derive thread as (organisation, area) index pairs of its registry. A refresh asks
 * it for every subject; reading the table for a gemeente with many partners would cost more
 * than the rest of its refresh. The copy is read again whenever a commit on any connection
 * has changed the table: the number that says so (store_coverage_gen) is written in that
 * commit and read in the caller's transaction, so a copy read in an older snapshot is never
 * taken for current. */
#ifndef LEAMON_COVERAGE_H
#define LEAMON_COVERAGE_H

#include <stddef.h>

#include "config.h"
#include "store.h"

typedef struct {
    int org;   /* index into reg->parts.orgs */
    int area;  /* index into reg->parts.areas */
} coverage_pair;

typedef struct coverage coverage;

/* For the registry reg (a new one needs a new coverage). 0 or -1 (out of memory). */
int coverage_new(coverage **out, const registry *reg);
void coverage_free(coverage **c);

/* The pairs of metric m, in *pairs (n of them), valid until the next call; read from db
 * when the copy is stale. 0 or -1 (store_errmsg says why). */
int coverage_of(coverage *c, store *db, const metric *m, const coverage_pair **pairs, size_t *n);

#endif
