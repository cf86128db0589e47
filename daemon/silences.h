/* silences.h: the silence holding an alert now, from the silences stored (the matching is
 * silence_match.c's). */
#ifndef LEAMON_SILENCES_H
#define LEAMON_SILENCES_H

#include <stdint.h>
#include <time.h>

#include "config.h"
#include "store_alert.h"

typedef struct {
    int64_t id;    /* 0: none holds the alert */
    int64_t ends;
} silence_hold;

/* The silence in force at now that holds a, the one ending last when several do: 1 with
 * *out, 0 (none: *out zeroed), -1 (store_errmsg). */
int silences_holding(store *db, const registry *reg, const stored_alert *a, time_t now,
                     silence_hold *out);

#endif
