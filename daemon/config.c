/* config.c: leamond.conf settings, and loading the catalogue and partners they name. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "rules.h"

typedef enum { SET_STRING, SET_PATH, SET_INT } setting_type;

typedef struct {
    const char *name;
    setting_type type;
    size_t offset;
    size_t size;            /* strings: buffer size */
    const char *def;        /* default, as text */
    long long min, max;     /* ints */
    const char *help;
} setting_desc;

#define STR(f, t, d, h) {#f, t, offsetof(settings, f), sizeof(((settings *)0)->f), d, 0, 0, h}
#define INT(f, d, lo, hi, h) {#f, SET_INT, offsetof(settings, f), 0, #d, lo, hi, h}

static const setting_desc table[] = {
    STR(listen, SET_STRING, "tcp://127.0.0.1:7710",
        "ZeroMQ endpoint of the request socket (ROUTER)"),
    STR(database, SET_PATH, "leamon.db", "SQLite database file (created if missing)"),
    STR(catalog, SET_PATH, "catalog.conf", "metric catalogue"),
    STR(partners, SET_PATH, "partners.conf", "areas, organisations and staff with their keys"),
    STR(server_secret_key_file, SET_PATH, "",
        "CURVE secret key of the daemon (mode 0600); under systemd the credential of that "
        "file name is read instead; empty: insecure mode, loopback only"),
    INT(grace_days, 10, 0, 366, "days after a month ends before its figures are late"),
    INT(batch_max, 256, 1, 4096, "most requests committed in one transaction"),
    INT(request_memory_budget, 67108864, 1048576, 17179869184LL,
        "bytes the requests read for one transaction may hold until they are answered (their "
        "size, their decoded records and errors); past it, submissions still waiting get 503 "
        "without their records being decoded"),
    INT(limit_submissions_per_minute, 600, 0, 1000000,
        "submissions one organisation may send a minute (429 beyond it); 0: no limit"),
    INT(limit_records_per_day, 500000, 0, 1000000000,
        "figures one organisation may send a UTC day (429 beyond it); 0: no limit"),
    INT(limit_corrections_per_day, 50000, 0, 1000000000,
        "figures one organisation may replace by another value a UTC day (each leaves an "
        "audit row; 429 beyond it); 0: no limit"),
    INT(handshake_timeout, 5, 1, 60,
        "seconds a new connection has to finish its handshake before it is dropped"),
    INT(max_connections_per_key, 16, 0, 1000000,
        "connections one CURVE key may hold at once; the handshake of one more is refused "
        "(ZAP status 500) until one of them closes; 0: no limit (and none in insecure mode)"),
    INT(first_request_timeout, 30, 1, 3600,
        "with max_connections_per_key, seconds a connection has from its start to send its "
        "first request, after which it is closed (until then leamond cannot tell whose it "
        "is)"),
    STR(publish, SET_STRING, "",
        "ZeroMQ endpoint of the alert socket (PUB); empty: the listen port + 1; \"off\": none"),
    STR(alert_hook, SET_STRING, "",
        "command run (by /bin/sh -c) for each alert that fires or resolves, with "
        "LEAMON_ALERT_* set (the receiver \"hook\" of routes)"),
    INT(alert_hook_timeout, 10, 1, 3600,
        "seconds a hook or sendmail may run before its process group is killed"),
    STR(sendmail, SET_STRING, "/usr/sbin/sendmail",
        "the MTA's sendmail program, run as `sendmail -t -i` for mail receivers"),
    STR(mail_from, SET_STRING, "leamond", "the From: address of alert mails"),
    INT(alert_check_interval, 3600, 10, 86400,
        "seconds between checks of the late rules (also at start and after each submission)"),
    STR(log_level, SET_STRING, "info", "debug, info, warning or error"),
    STR(metrics_file, SET_PATH, "",
        "Prometheus text file for node_exporter's textfile collector; empty: none"),
    INT(metrics_interval, 15, 1, 3600, "seconds between two writes of metrics_file"),
};

#define N_SETTINGS (sizeof table / sizeof table[0])

static char *field(settings *s, const setting_desc *d)
{
    return (char *)s + d->offset;
}

static const char *cfield(const settings *s, const setting_desc *d)
{
    return (const char *)s + d->offset;
}

void settings_defaults(settings *s)
{
    memset(s, 0, sizeof *s);
    for (size_t i = 0; i < N_SETTINGS; i++) {
        const setting_desc *d = &table[i];
        if (d->type == SET_INT)
            *(long long *)(void *)field(s, d) = strtoll(d->def, NULL, 10);
        else
            snprintf(field(s, d), d->size, "%s", d->def);
    }
}

/* Resolve a relative path against dir (the config file's directory). */
static int resolve(char *path, size_t size, const char *dir)
{
    if (!path[0] || path[0] == '/' || !dir[0])
        return 0;
    char joined[CONFIG_PATH_MAX * 2];
    snprintf(joined, sizeof joined, "%s%s%s", dir, strcmp(dir, "/") ? "/" : "", path);
    if (strlen(joined) >= size)
        return -1;
    memcpy(path, joined, strlen(joined) + 1);
    return 0;
}

/* Under systemd the key comes as a credential (LoadCredential=): a copy the service's own
 * user may read, in $CREDENTIALS_DIRECTORY under the file's name. Elsewhere (leamond --check
 * as root, a start by hand) the file itself. */
static void credential(char *path, size_t size)
{
    const char *dir = getenv("CREDENTIALS_DIRECTORY");
    const char *name = strrchr(path, '/');
    char cred[CONFIG_PATH_MAX * 2];
    if (!dir || !dir[0] || !path[0])
        return;
    snprintf(cred, sizeof cred, "%s/%s", dir, name ? name + 1 : path);
    if (access(cred, R_OK) == 0 && strlen(cred) < size)
        memcpy(path, cred, strlen(cred) + 1);
}

int settings_load(settings *s, const char *path, lm_error *err)
{
    config_t cfg;
    int rc = -1;
    settings_defaults(s);
    if (strlen(path) >= sizeof s->file)
        return lm_fail(err, 0, "%s: path too long", path);
    memcpy(s->file, path, strlen(path) + 1);
    if (conf_read_file(&cfg, path, err) < 0)
        goto out;
    const config_setting_t *root = config_root_setting(&cfg);
    /* The lists of alert delivery are read by routing_load (route.c). */
    const char *known[N_SETTINGS + 4] = {"receivers", "routes", "inhibit"};
    for (size_t i = 0; i < N_SETTINGS; i++)
        known[3 + i] = table[i].name;
    known[N_SETTINGS + 3] = NULL;
    if (conf_known(root, known, err) < 0)
        goto out;

    char dir[CONFIG_PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash == dir)
        dir[1] = '\0'; /* a file in / */
    else if (slash)
        *slash = '\0';
    else
        dir[0] = '\0';

    for (size_t i = 0; i < N_SETTINGS; i++) {
        const setting_desc *d = &table[i];
        if (d->type == SET_INT) {
            if (conf_int(root, d->name, false, d->min, d->max, (long long *)(void *)field(s, d),
                         err) < 0)
                goto out;
            continue;
        }
        int r = conf_str(root, d->name, false, field(s, d), d->size, err);
        if (r < 0)
            goto out;
        if (d->type == SET_PATH && resolve(field(s, d), d->size, dir) < 0) {
            conf_error(err, config_setting_get_member(root, d->name), "path too long");
            goto out;
        }
    }
    credential(s->server_secret_key_file, sizeof s->server_secret_key_file);
    log_level lvl;
    if (log_level_parse(s->log_level, &lvl) != 0) {
        conf_error(err, config_setting_get_member(root, "log_level"),
                   "'%s' is not one of debug, info, warning, error", s->log_level);
        goto out;
    }
    rc = 0;
out:
    config_destroy(&cfg);
    return rc;
}

void settings_print(const settings *s, FILE *out)
{
    fprintf(out, "# effective settings of %s\n", s->file);
    for (size_t i = 0; i < N_SETTINGS; i++) {
        const setting_desc *d = &table[i];
        if (d->type == SET_INT)
            fprintf(out, "%s = %lld;\n", d->name, *(const long long *)(const void *)cfield(s, d));
        else
            fprintf(out, "%s = \"%s\";\n", d->name, cfield(s, d));
    }
}

void settings_help(FILE *out)
{
    for (size_t i = 0; i < N_SETTINGS; i++) {
        const setting_desc *d = &table[i];
        char def[80];
        snprintf(def, sizeof def, d->type == SET_INT ? "%s" : "\"%s\"", d->def);
        fprintf(out, "  %-29s %s (default %s)\n", d->name, d->help, def);
    }
}

int registry_load(registry *r, const settings *s, lm_error *err)
{
    memset(r, 0, sizeof *r);
    if (catalog_load(&r->cat, s->catalog, err) < 0)
        return -1;
    if (partners_load(&r->parts, s->partners, err) < 0) {
        catalog_free(&r->cat);
        return -1;
    }
    /* Targets may name an area: it must be one of the partners file's. */
    for (size_t i = 0; i < r->cat.n_targets; i++) {
        const target *t = &r->cat.targets[i];
        if (t->area[0] && partners_area(&r->parts, t->area) < 0) {
            lm_fail(err, 0, "%s: target %zu (%s) names area '%s', which %s does not list",
                    s->catalog, i + 1, t->ind->code, t->area, s->partners);
            registry_free(r);
            return -1;
        }
    }
    if (rules_check_areas(&r->cat, &r->parts, s->catalog, err) < 0) {
        registry_free(r);
        return -1;
    }
    return 0;
}

static int hash_file(const char *path, uint64_t *h)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    unsigned char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        for (size_t i = 0; i < n; i++) {
            *h ^= buf[i];
            *h *= 1099511628211ull;
        }
    int rc = ferror(f) ? -1 : 0;
    fclose(f);
    return rc;
}

int registry_digest(const settings *s, char out[17])
{
    uint64_t h = 14695981039346656037ull;
    if (hash_file(s->catalog, &h) < 0 || hash_file(s->partners, &h) < 0)
        return -1;
    snprintf(out, 17, "%016llx", (unsigned long long)h);
    return 0;
}

void registry_free(registry *r)
{
    catalog_free(&r->cat);
    partners_free(&r->parts);
}
