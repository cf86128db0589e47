/* conf.c: libconfig access with located errors ("FILE:LINE: SETTING: message"). */
#include "conf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int conf_read_file(config_t *cfg, const char *path, lm_error *err)
{
    config_init(cfg);
    config_set_destructor(cfg, free);
    if (!config_read_file(cfg, path)) {
        if (config_error_type(cfg) == CONFIG_ERR_FILE_IO)
            return lm_fail(err, 0, "%s: cannot read the file", path);
        return lm_fail(err, 0, "%s:%d: %s", config_error_file(cfg) ? config_error_file(cfg) : path,
                       config_error_line(cfg), config_error_text(cfg));
    }
    /* The root setting carries no file name: keep it for errors about top-level settings. */
    char *copy = strdup(path);
    if (!copy)
        return lm_fail(err, 0, "%s: out of memory", path);
    config_setting_set_hook(config_root_setting(cfg), copy);
    return 0;
}

void conf_path(const config_setting_t *s, char *buf, size_t n)
{
    const config_setting_t *chain[32];
    size_t depth = 0;
    for (; s && !config_setting_is_root(s) && depth < 32; s = config_setting_parent(s))
        chain[depth++] = s;
    size_t used = 0;
    buf[0] = '\0';
    while (depth-- > 0 && used < n) {
        const config_setting_t *c = chain[depth];
        int w;
        if (c->name)
            w = snprintf(buf + used, n - used, "%s%s", used ? "." : "", c->name);
        else
            w = snprintf(buf + used, n - used, "%s[%d]", used ? "." : "", config_setting_index(c));
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

static const char *setting_file(const config_setting_t *s)
{
    for (; s; s = config_setting_parent(s)) {
        if (config_setting_source_file(s))
            return config_setting_source_file(s);
        if (config_setting_is_root(s) && config_setting_get_hook(s))
            return config_setting_get_hook(s);
    }
    return "(config)";
}

int conf_error(lm_error *e, const config_setting_t *s, const char *fmt, ...)
{
    char path[200], msg[400];
    conf_path(s, path, sizeof path);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    unsigned line = config_setting_source_line(s);
    if (line && path[0])
        return lm_fail(e, 0, "%s:%u: %s: %s", setting_file(s), line, path, msg);
    if (path[0])
        return lm_fail(e, 0, "%s: %s: %s", setting_file(s), path, msg);
    return lm_fail(e, 0, "%s: %s", setting_file(s), msg);
}

/* Find a member, or report it missing when required. Returns 1, 0 or -1. */
static int member(const config_setting_t *group, const char *name, bool required,
                  config_setting_t **out, lm_error *err)
{
    *out = config_setting_get_member(group, name);
    if (*out)
        return 1;
    if (required)
        return conf_error(err, group, "'%s' is missing", name);
    return 0;
}

int conf_str(const config_setting_t *group, const char *name, bool required, char *dst,
             size_t size, lm_error *err)
{
    config_setting_t *s;
    int r = member(group, name, required, &s, err);
    if (r <= 0)
        return r;
    if (config_setting_type(s) != CONFIG_TYPE_STRING)
        return conf_error(err, s, "must be a string in double quotes");
    const char *v = config_setting_get_string(s);
    if (strlen(v) >= size)
        return conf_error(err, s, "longer than %zu characters", size - 1);
    memcpy(dst, v, strlen(v) + 1);
    return 1;
}

int conf_int(const config_setting_t *group, const char *name, bool required, long long min,
             long long max, long long *out, lm_error *err)
{
    config_setting_t *s;
    int r = member(group, name, required, &s, err);
    if (r <= 0)
        return r;
    int t = config_setting_type(s);
    if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64)
        return conf_error(err, s, "must be a whole number");
    long long v = config_setting_get_int64(s);
    if (v < min || v > max)
        return conf_error(err, s, "%lld is outside %lld..%lld", v, min, max);
    *out = v;
    return 1;
}

int conf_number(const config_setting_t *group, const char *name, bool required, double *out,
                lm_error *err)
{
    config_setting_t *s;
    int r = member(group, name, required, &s, err);
    if (r <= 0)
        return r;
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64:
        *out = (double)config_setting_get_int64(s);
        return 1;
    case CONFIG_TYPE_FLOAT:
        *out = config_setting_get_float(s);
        return 1;
    default:
        return conf_error(err, s, "must be a number");
    }
}

int conf_bool(const config_setting_t *group, const char *name, bool required, bool *out,
              lm_error *err)
{
    config_setting_t *s;
    int r = member(group, name, required, &s, err);
    if (r <= 0)
        return r;
    if (config_setting_type(s) != CONFIG_TYPE_BOOL)
        return conf_error(err, s, "must be true or false");
    *out = config_setting_get_bool(s);
    return 1;
}

const config_setting_t *conf_str_list(const config_setting_t *group, const char *name,
                                      bool required, bool *failed, lm_error *err)
{
    config_setting_t *s;
    *failed = false;
    int r = member(group, name, required, &s, err);
    if (r <= 0) {
        *failed = r < 0;
        return NULL;
    }
    int t = config_setting_type(s);
    if (t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST) {
        conf_error(err, s, "must be a list of strings, like [\"a\", \"b\"]");
        *failed = true;
        return NULL;
    }
    for (int i = 0; i < config_setting_length(s); i++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        if (config_setting_type(e) != CONFIG_TYPE_STRING) {
            conf_error(err, e, "must be a string in double quotes");
            *failed = true;
            return NULL;
        }
    }
    return s;
}

int conf_known(const config_setting_t *group, const char *const *known, lm_error *err)
{
    for (int i = 0; i < config_setting_length(group); i++) {
        const config_setting_t *m = config_setting_get_elem(group, (unsigned)i);
        const char *name = config_setting_name(m);
        if (!name)
            continue;
        bool ok = false;
        for (const char *const *k = known; *k && !ok; k++)
            ok = strcmp(*k, name) == 0;
        if (!ok)
            return conf_error(err, m, "unknown setting (a typo?)");
    }
    return 0;
}

bool conf_code_ok(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n == 0 || n > max)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '-';
        if (!ok)
            return false;
    }
    return true;
}

int conf_list(const config_setting_t *group, const char *name, const config_setting_t **list,
              lm_error *err)
{
    *list = config_setting_get_member(group, name);
    if (!*list)
        return 0;
    if (config_setting_type(*list) != CONFIG_TYPE_LIST)
        return conf_error(err, *list, "must be a list ( {...}, {...} )");
    return config_setting_length(*list);
}
