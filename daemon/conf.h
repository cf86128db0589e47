/* conf.h: reading libconfig settings with errors that name file, line and setting. */
#ifndef LEAMON_CONF_H
#define LEAMON_CONF_H

#include <libconfig.h>
#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/* Parse path into cfg (initialised here; destroy it even on failure). */
int conf_read_file(config_t *cfg, const char *path, lm_error *err);

/* Set *e to "FILE:LINE: SETTING: message" (status 0); always returns -1. */
int conf_error(lm_error *e, const config_setting_t *s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Path of a setting, like "metrics.[3].time". */
void conf_path(const config_setting_t *s, char *buf, size_t n);

/* Members of a group. Each returns 1 if set, 0 if absent and not required, -1 on error
 * (wrong type, out of bounds, too long, or absent and required). */
int conf_str(const config_setting_t *group, const char *name, bool required, char *dst,
             size_t size, lm_error *err);
int conf_int(const config_setting_t *group, const char *name, bool required, long long min,
             long long max, long long *out, lm_error *err);
int conf_number(const config_setting_t *group, const char *name, bool required, double *out,
                lm_error *err);
int conf_bool(const config_setting_t *group, const char *name, bool required, bool *out,
              lm_error *err);
/* A list or array of strings; returns the setting (NULL if absent and not required, or on
 * error with err set and *failed true). */
const config_setting_t *conf_str_list(const config_setting_t *group, const char *name,
                                      bool required, bool *failed, lm_error *err);

/* A list member of group: its length (0 if absent), or -1 if it is not a list. */
int conf_list(const config_setting_t *group, const char *name, const config_setting_t **list,
              lm_error *err);

/* Reject members of group whose names are not in known (NULL-terminated): catches typos. */
int conf_known(const config_setting_t *group, const char *const *known, lm_error *err);

/* True if s is a code: 1..max characters of letters, digits, '.', '_', '-'. */
bool conf_code_ok(const char *s, size_t max);

#endif
