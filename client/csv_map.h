/* csv_map.h: a partner's mapping file (`leamon submit --map FILE`), for administration
 * systems that export their own column names and codes: it names the export's columns and
 * translates its metric and area names into the catalogue's codes, so that the export goes
 * in unchanged. libconfig syntax:
 *
 *   columns = { metric = "Omschrijving"; area = "Wijknaam"; period = "Maand"; value = "Aantal"; };
 *   metrics = ( { export = "Doelgroepkinderen geplaatst"; metric = "vve.doelgroep.geplaatst"; } );
 *   areas   = ( { export = "Hengelo Noord"; area = "WK016402"; } );
 *
 * Every part is optional. A name the map does not list is read as it stands (a code). */
#ifndef LEAMON_CSV_MAP_H
#define LEAMON_CSV_MAP_H

#include <stddef.h>

#include "error.h"
#include "proto.h"

typedef struct {
    char from[200];
    char to[PROTO_MAX_CODE + 1];
} csv_map_entry;

typedef struct {
    char path[1024];
    char columns[4][100];      /* metric, area, period, value: the export's names ("" none) */
    csv_map_entry *metrics;    /* owned */
    size_t n_metrics;
    csv_map_entry *areas;      /* owned */
    size_t n_areas;
} csv_map;

/* Read path into *map. 0, or -1 with err naming file, line and setting. */
int csv_map_load(csv_map *map, const char *path, lm_error *err);
void csv_map_free(csv_map *map);

/* The code for an export's name in entries (n of them), or NULL when the map has none. */
const char *csv_map_find(const csv_map_entry *entries, size_t n, const char *name);

#endif
