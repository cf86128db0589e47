/* catalog_file.c: reading config/catalog.conf: the metrics, indicators and targets
 * (catalog.c), then the alert rules (rules.c) and the plausibility checks (checks.c). */
#include "catalog.h"

#include <string.h>

#include "checks.h"
#include "conf.h"
#include "rules.h"

int catalog_load(catalog *cat, const char *path, lm_error *err)
{
    config_t cfg;
    memset(cat, 0, sizeof *cat);
    int rc = conf_read_file(&cfg, path, err);
    if (rc == 0) {
        const config_setting_t *root = config_root_setting(&cfg);
        rc = catalog_read(cat, root, err) < 0 || rules_load(cat, root, err) < 0 ||
                     checks_load(cat, root, err) < 0
                 ? -1
                 : 0;
    }
    /* Errors read "FILE:LINE: ..."; one without a line still names the file. */
    if (rc != 0 && err && strncmp(err->msg, path, strlen(path)) != 0) {
        lm_error why = *err;
        lm_fail(err, 0, "%s: %s", path, why.msg);
    }
    config_destroy(&cfg);
    if (rc != 0)
        catalog_free(cat);
    return rc;
}
