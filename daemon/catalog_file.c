/* catalog_file.c: reading config/catalog.conf: the metrics, indicators and targets
 * (catalog.c), then the alert rules (rules.c) and the plausibility checks (checks.c). */
#include "catalog.h"

#include <string.h>

#include "checks.h"
#include "conf.h"
#include "rules.h"

int catalog_load(catalog *cat, const char *path, char *err, size_t errlen)
{
    config_t cfg;
    memset(cat, 0, sizeof *cat);
    int rc = conf_read_file(&cfg, path, err, errlen);
    if (rc == 0) {
        const config_setting_t *root = config_root_setting(&cfg);
        rc = catalog_read(cat, root, err, errlen) < 0 || rules_load(cat, root, err, errlen) < 0 ||
                     checks_load(cat, root, err, errlen) < 0
                 ? -1
                 : 0;
    }
    /* Errors read "FILE:LINE: ..."; one without a line still names the file. */
    if (rc != 0 && strncmp(err, path, strlen(path)) != 0) {
        char why[512];
        snprintf(why, sizeof why, "%s", err);
        snprintf(err, errlen, "%s: %s", path, why);
    }
    config_destroy(&cfg);
    if (rc != 0)
        catalog_free(cat);
    return rc;
}
