/* csv_map.c: a partner's mapping file (csv_map.h). */
#include "csv_map.h"

#include <libconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int located(lm_error *err, const csv_map *map, const config_setting_t *s,
                   const char *what)
{
    return lm_fail(err, 0, "%s:%d: %s", map->path, s ? (int)config_setting_source_line(s) : 0,
                   what);
}

static int load_list(csv_map *map, const config_setting_t *root, const char *name,
                     const char *to_key, csv_map_entry **out, size_t *n, lm_error *err)
{
    const config_setting_t *list = config_setting_get_member(root, name);
    if (!list)
        return 0;
    if (!config_setting_is_list(list))
        return located(err, map, list, "must be a list: ( { export = \"...\"; ... }, ... )");
    int len = config_setting_length(list);
    if (!(*out = calloc(len ? (size_t)len : 1, sizeof **out)))
        return lm_fail(err, 0, "out of memory");
    for (int i = 0; i < len; i++) {
        const config_setting_t *g = config_setting_get_elem(list, (unsigned)i);
        const char *from = NULL, *to = NULL;
        char what[400];
        snprintf(what, sizeof what, "%s: each entry is { export = \"NAME\"; %s = \"CODE\"; }",
                 name, to_key);
        if (!config_setting_is_group(g) || !config_setting_lookup_string(g, "export", &from) ||
            !config_setting_lookup_string(g, to_key, &to) || !from[0] || !to[0] ||
            strlen(from) >= sizeof (*out)[0].from || strlen(to) >= sizeof (*out)[0].to)
            return located(err, map, g, what);
        if (csv_map_find(*out, *n, from)) {
            snprintf(what, sizeof what, "%s: '%s' is listed twice", name, from);
            return located(err, map, g, what);
        }
        snprintf((*out)[*n].from, sizeof (*out)[*n].from, "%s", from);
        snprintf((*out)[*n].to, sizeof (*out)[*n].to, "%s", to);
        (*n)++;
    }
    return 0;
}

int csv_map_load(csv_map *map, const char *path, lm_error *err)
{
    static const char *const cols[4] = {"metric", "area", "period", "value"};
    memset(map, 0, sizeof *map);
    snprintf(map->path, sizeof map->path, "%s", path);
    config_t cf;
    config_init(&cf);
    int rc = -1;
    if (config_read_file(&cf, path) != CONFIG_TRUE) {
        if (config_error_type(&cf) == CONFIG_ERR_FILE_IO)
            lm_fail(err, 0, "%s: cannot read the map file", path);
        else
            lm_fail(err, 0, "%s:%d: %s", path, config_error_line(&cf), config_error_text(&cf));
        goto out;
    }
    const config_setting_t *root = config_root_setting(&cf);
    for (int i = 0; i < config_setting_length(root); i++) {
        const char *name = config_setting_name(config_setting_get_elem(root, (unsigned)i));
        if (strcmp(name, "columns") && strcmp(name, "metrics") && strcmp(name, "areas")) {
            char what[200];
            snprintf(what, sizeof what, "unknown setting '%s' (columns, metrics and areas are)",
                     name);
            located(err, map, config_setting_get_elem(root, (unsigned)i), what);
            goto out;
        }
    }
    const config_setting_t *c = config_setting_get_member(root, "columns");
    for (int i = 0; c && i < 4; i++) {
        const char *v = NULL;
        if (config_setting_lookup_string(c, cols[i], &v))
            snprintf(map->columns[i], sizeof map->columns[i], "%s", v);
    }
    if (load_list(map, root, "metrics", "metric", &map->metrics, &map->n_metrics, err) < 0 ||
        load_list(map, root, "areas", "area", &map->areas, &map->n_areas, err) < 0)
        goto out;
    rc = 0;
out:
    config_destroy(&cf);
    if (rc < 0)
        csv_map_free(map);
    return rc;
}

void csv_map_free(csv_map *map)
{
    free(map->metrics);
    free(map->areas);
    map->metrics = map->areas = NULL;
    map->n_metrics = map->n_areas = 0;
}

const char *csv_map_find(const csv_map_entry *entries, size_t n, const char *name)
{
    /* Exports differ in case and spacing around names, never in the words. */
    for (size_t i = 0; i < n; i++)
        if (!strcasecmp(entries[i].from, name))
            return entries[i].to;
    return NULL;
}
