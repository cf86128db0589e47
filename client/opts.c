/* opts.c: one table of client settings; flags, environment and config file
 * are all read through it (pattern of Redis' config.c). */
#include "opts.h"

#include <errno.h>
#include <libconfig.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "keyfile.h"

static const opt_spec specs[OPT_COUNT] = {
    [OPT_ENDPOINT] = {"endpoint", "LEAMON_ENDPOINT", "endpoint", OPT_STR, 0, 0,
                      "tcp://127.0.0.1:7710", "EP", "the daemon's ZeroMQ endpoint"},
    [OPT_SERVER_KEY] = {"server-key", "LEAMON_SERVER_KEY", "server_key", OPT_KEYSPEC, 0, 0, NULL,
                        "KEY|FILE",
                        "the daemon's CURVE public key, or its .pub file"},
    [OPT_KEY] = {"key", "LEAMON_KEY", "key", OPT_PATH, 0, 0, NULL, "FILE",
                 "this client's secret key file (mode 0600)"},
    [OPT_REPORTER] = {"reporter", "LEAMON_REPORTER", "reporter", OPT_STR, 0, 0, NULL, "ID",
                      "organisation id to report as (insecure mode only)"},
    [OPT_TIMEOUT] = {"timeout", "LEAMON_TIMEOUT", "timeout_ms", OPT_INT, 1, 3600000, "5000", "MS",
                     "wait this long for each reply before retrying"},
    [OPT_RETRIES] = {"retries", "LEAMON_RETRIES", "retries", OPT_INT, 0, 100, "3", "N",
                     "retries after a timeout or a 5xx reply"},
    [OPT_SPOOL] = {"spool", "LEAMON_SPOOL", "spool", OPT_PATH, 0, 0, NULL, "DIR",
                   "spool undeliverable submissions here"},
    [OPT_PUBLISH] = {"publish", "LEAMON_PUBLISH", "publish", OPT_STR, 0, 0, NULL, "EP",
                     "the PUB endpoint for watch (default: endpoint port+1)"},
};

const opt_spec *opts_spec(opt_id id)
{
    return (id >= 0 && id < OPT_COUNT) ? &specs[id] : NULL;
}

int opts_find_flag(const char *name)
{
    for (int i = 0; i < OPT_COUNT; i++)
        if (!strcmp(specs[i].flag, name))
            return i;
    return -1;
}

void opts_init(opts_t *self)
{
    memset(self, 0, sizeof *self);
}

void opts_free(opts_t *self)
{
    for (int i = 0; i < OPT_COUNT; i++) {
        free(self->value[i]);
        free(self->source[i]);
    }
    free(self->config_flag);
    free(self->config_file);
    memset(self, 0, sizeof *self);
}

static int set(opts_t *self, opt_id id, const char *value, const char *source)
{
    char *v = strdup(value), *s = strdup(source);
    if (!v || !s) {
        free(v);
        free(s);
        return -1;
    }
    free(self->value[id]);
    free(self->source[id]);
    self->value[id] = v;
    self->source[id] = s;
    return 0;
}

int opts_set_flag(opts_t *self, opt_id id, const char *value)
{
    char src[64];
    snprintf(src, sizeof src, "--%s", specs[id].flag);
    return set(self, id, value, src);
}

int opts_set_config_flag(opts_t *self, const char *path)
{
    char *p = strdup(path);
    if (!p)
        return -1;
    free(self->config_flag);
    self->config_flag = p;
    return 0;
}

const char *opts_str(const opts_t *self, opt_id id)
{
    return self->value[id];
}

long opts_int(const opts_t *self, opt_id id)
{
    return self->number[id];
}

/* A config file's relative paths are relative to the file, as in leamond.conf. */
static int resolve_path(const char *config, const char *value, char *out, size_t n)
{
    const char *slash = strrchr(config, '/');
    if (value[0] == '/' || !slash)
        return (size_t)snprintf(out, n, "%s", value) < n ? 0 : -1;
    return (size_t)snprintf(out, n, "%.*s/%s", (int)(slash - config), config, value) < n ? 0 : -1;
}

static int read_config(opts_t *self, const char *path, lm_error *err)
{
    config_t cf;
    config_init(&cf);
    int rc = 0;
    if (config_read_file(&cf, path) != CONFIG_TRUE) {
        if (config_error_type(&cf) == CONFIG_ERR_FILE_IO)
            rc = lm_fail(err, 0, "%s: cannot read the config file: %s", path, strerror(errno));
        else
            rc = lm_fail(err, 0, "%s:%d: %s",
                         config_error_file(&cf) ? config_error_file(&cf) : path,
                         config_error_line(&cf), config_error_text(&cf));
        config_destroy(&cf);
        return rc;
    }
    config_setting_t *root = config_root_setting(&cf);
    int n = config_setting_length(root);
    for (int i = 0; i < n && rc == 0; i++) {
        config_setting_t *s = config_setting_get_elem(root, (unsigned)i);
        const char *name = config_setting_name(s);
        int line = config_setting_source_line(s);
        int id = -1;
        for (int k = 0; k < OPT_COUNT && name; k++)
            if (!strcmp(specs[k].key, name))
                id = k;
        if (id < 0) {
            rc = lm_fail(err, 0,
                         "%s:%d: unknown setting '%s' (known: endpoint, server_key, key, reporter, "
                         "timeout_ms, retries, spool, publish)",
                         path, line, name ? name : "?");
            break;
        }
        char src[4200], val[4096];
        snprintf(src, sizeof src, "%s:%d", path, line);
        if (specs[id].type == OPT_INT) {
            int t = config_setting_type(s);
            if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64) {
                rc = lm_fail(err, 0, "%s: %s must be an integer", src, name);
                break;
            }
            snprintf(val, sizeof val, "%lld", config_setting_get_int64(s));
        } else {
            const char *str = config_setting_get_string(s);
            if (!str) {
                rc = lm_fail(err, 0, "%s: %s must be a string", src, name);
                break;
            }
            bool literal_key = specs[id].type == OPT_KEYSPEC && keyfile_is_z85(str);
            if (str[0] && specs[id].type != OPT_STR && !literal_key) {
                if (resolve_path(path, str, val, sizeof val) != 0) {
                    rc = lm_fail(err, 0, "%s: %s: path too long", src, name);
                    break;
                }
            } else {
                snprintf(val, sizeof val, "%s", str);
            }
        }
        /* Flags and environment win; the file only fills gaps. */
        if (!self->value[id] && set(self, (opt_id)id, val, src) != 0)
            rc = lm_fail(err, 0, "out of memory");
    }
    config_destroy(&cf);
    return rc;
}

/* The config file to read: explicit ones must exist, default ones may not. */
static int find_config(opts_t *self, char *path, size_t n, bool *found, lm_error *err)
{
    const char *explicit_path = self->config_flag ? self->config_flag : getenv("LEAMON_CONFIG");
    *found = false;
    if (explicit_path && explicit_path[0]) {
        if ((size_t)snprintf(path, n, "%s", explicit_path) >= n)
            return lm_fail(err, 0, "config file path too long");
        if (access(path, R_OK) != 0)
            return lm_fail(err, 0, "%s: cannot read the config file (from %s): %s", path,
                           self->config_flag ? "--config" : "LEAMON_CONFIG", strerror(errno));
        *found = true;
        return 0;
    }
    const char *home = getenv("HOME");
    if (home && home[0] &&
        (size_t)snprintf(path, n, "%s/.config/leamon/leamon.conf", home) < n &&
        access(path, F_OK) == 0) {
        *found = true;
        return 0;
    }
    if ((size_t)snprintf(path, n, "/etc/leamon/leamon.conf") < n && access(path, F_OK) == 0)
        *found = true;
    return 0;
}

static int check_int(opts_t *self, opt_id id, lm_error *err)
{
    const char *v = self->value[id];
    char *end = NULL;
    errno = 0;
    long x = strtol(v, &end, 10);
    if (!v[0] || *end || errno == ERANGE || x < specs[id].min || x > specs[id].max)
        return lm_fail(err, 0, "%s: %s must be a whole number from %ld to %ld, got '%.40s'",
                       self->source[id], specs[id].key, specs[id].min, specs[id].max, v);
    self->number[id] = x;
    return 0;
}

int opts_resolve(opts_t *self, lm_error *err)
{
    for (int i = 0; i < OPT_COUNT; i++) {
        const char *e = getenv(specs[i].env);
        if (!self->value[i] && e && e[0] && set(self, (opt_id)i, e, specs[i].env) != 0)
            return lm_fail(err, 0, "out of memory");
    }
    char path[4096];
    bool found = false;
    if (find_config(self, path, sizeof path, &found, err) != 0)
        return -1;
    if (found) {
        if (read_config(self, path, err) != 0)
            return -1;
        if (!(self->config_file = strdup(path)))
            return lm_fail(err, 0, "out of memory");
    }
    for (int i = 0; i < OPT_COUNT; i++) {
        if (!self->value[i] && specs[i].def && set(self, (opt_id)i, specs[i].def, "default") != 0)
            return lm_fail(err, 0, "out of memory");
        /* An empty value means "not set", so a config file can switch off a default. */
        if (self->value[i] && !self->value[i][0] && specs[i].type != OPT_INT) {
            free(self->value[i]);
            self->value[i] = NULL;
        }
        if (self->value[i] && specs[i].type == OPT_INT && check_int(self, (opt_id)i, err) != 0)
            return -1;
    }
    if (!self->value[OPT_ENDPOINT])
        return lm_fail(err, 0, "no endpoint: give --endpoint");
    return 0;
}
