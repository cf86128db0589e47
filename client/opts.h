/* opts.h: the client's settings, from one table (opts.c) that says for each
 * its flag, environment variable, config file key, type, bounds and default.
 * Precedence: flag > environment > config file > default.
 */
#ifndef LEAMON_OPTS_H
#define LEAMON_OPTS_H

#include <stddef.h>

#include "error.h"

typedef enum {
    OPT_ENDPOINT,
    OPT_SERVER_KEY,
    OPT_KEY,
    OPT_REPORTER,
    OPT_TIMEOUT,
    OPT_RETRIES,
    OPT_SPOOL,
    OPT_PUBLISH,
    OPT_COUNT
} opt_id;

typedef enum { OPT_STR, OPT_PATH, OPT_KEYSPEC, OPT_INT } opt_type;

typedef struct {
    const char *flag;   /* long option, without "--" */
    const char *env;    /* environment variable */
    const char *key;    /* config file setting */
    opt_type type;      /* paths (and key files) in a config file are relative to it */
    long min, max;      /* OPT_INT bounds */
    const char *def;    /* default, or NULL for none */
    const char *arg;    /* argument name in help */
    const char *help;   /* one line */
} opt_spec;

typedef struct {
    char *value[OPT_COUNT];       /* owned; NULL = not set */
    char *source[OPT_COUNT];      /* owned: "--timeout", "LEAMON_TIMEOUT", "FILE:LINE", "default" */
    long number[OPT_COUNT];       /* OPT_INT values after opts_resolve */
    char *config_flag;            /* --config, owned, or NULL */
    char *config_file;            /* the file actually read, owned, or NULL */
} opts_t;

/* The table, OPT_COUNT entries. */
const opt_spec *opts_spec(opt_id id);
/* The option whose flag is name (without "--"), or -1. */
int opts_find_flag(const char *name);

void opts_init(opts_t *self);
void opts_free(opts_t *self);

/* Set a value given on the command line. Returns 0 or -1 (out of memory). */
int opts_set_flag(opts_t *self, opt_id id, const char *value);
int opts_set_config_flag(opts_t *self, const char *path);

/* Fill in what flags left open from the environment (getenv), then the config
 * file (--config, LEAMON_CONFIG, ~/.config/leamon/leamon.conf, then
 * /etc/leamon/leamon.conf), then defaults, and check every value. Returns 0,
 * or -1 with a message naming where the bad value came from. */
int opts_resolve(opts_t *self, lm_error *err);

const char *opts_str(const opts_t *self, opt_id id); /* NULL if unset */
long opts_int(const opts_t *self, opt_id id);

#endif
