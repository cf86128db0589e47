/* config.h: leamond.conf, described by one table of settings (name, type, bounds,
 * default, help), from which parsing, validation, --help and --check all come. */
#ifndef LEAMON_CONFIG_H
#define LEAMON_CONFIG_H

#include <limits.h>
#include <stdio.h>

#include "catalog.h"
#include "log.h"
#include "partners.h"

#define CONFIG_PATH_MAX 1024

typedef struct {
    char file[CONFIG_PATH_MAX];        /* the config file itself */
    char listen[256];
    char database[CONFIG_PATH_MAX];
    char catalog[CONFIG_PATH_MAX];
    char partners[CONFIG_PATH_MAX];
    char server_secret_key_file[CONFIG_PATH_MAX];
    long long grace_days;
    long long batch_max;
    long long request_memory_budget;
    long long handshake_timeout;
    long long max_connections_per_key;
    long long first_request_timeout;
    long long limit_submissions_per_minute;
    long long limit_records_per_day;
    long long limit_corrections_per_day;
    char publish[256];
    char alert_hook[CONFIG_PATH_MAX];
    long long alert_hook_timeout;
    char sendmail[CONFIG_PATH_MAX];
    char mail_from[256];
    long long alert_check_interval;
    char log_level[16];
    char metrics_file[CONFIG_PATH_MAX];
    long long metrics_interval;
} settings;

/* Fill s with the defaults, then read path over them. Relative paths in the file are
 * resolved against the file's directory. Returns 0 or -1 with err set. */
int settings_load(settings *s, const char *path, lm_error *err);
void settings_defaults(settings *s);
/* Print the effective settings in config-file syntax. */
void settings_print(const settings *s, FILE *out);
/* Print one line per setting with its default and meaning (for --help). */
void settings_help(FILE *out);

/* Everything that SIGHUP reloads, swapped as a whole. */
typedef struct {
    catalog cat;
    partners parts;
} registry;

int registry_load(registry *r, const settings *s, lm_error *err);
/* A hash of the catalogue and partners files as they are on disk (16 hex digits): when it
 * changes, every snapshot is recomputed. 0 or -1. */
int registry_digest(const settings *s, char out[17]);
void registry_free(registry *r);

#endif
