/* checks.h: the catalogue's plausibility checks (checks = ( ... ) in catalog.conf), as
 * DHIS2's validation rules:
 *
 *   at_most  hard, within one submission: a figure of `metric` may not exceed the figure
 *            of `than` for the same area and period ("doelgroeppeuters geplaatst" <=
 *            "peuters geplaatst"). The submission is refused whole; the error names both
 *            records.
 *   range    soft, on a computed value of `indicator`: outside min..max (a share above
 *            100%) the value is stored and shown, flagged as implausible, never judged
 *            against a target, and a rule of kind implausible raises it with the admin.
 *   outlier  soft, on a submitted figure: more than `factor` times the reporter's own
 *            median of its last `months` months of the metric for that area (at least
 *            three of them), or less than that median / `factor`, and at least
 *            `min_difference` away from it: accepted, with a warning in the reply.
 */
#ifndef LEAMON_CHECKS_H
#define LEAMON_CHECKS_H

#include <libconfig.h>
#include <stdbool.h>
#include <stddef.h>

#include "catalog.h"
#include "proto.h"

typedef enum { CHECK_AT_MOST, CHECK_RANGE, CHECK_OUTLIER } check_kind;

struct check_def {
    char name[PROTO_MAX_CODE + 1];
    check_kind kind;
    const metric *m, *than;        /* at_most */
    const indicator *ind;          /* range */
    bool has_min, has_max;
    double min, max;               /* range */
    double factor;                 /* outlier */
    int months;                    /* outlier */
    double min_difference;         /* outlier: a smaller gap to the median is never one */
};

/* Read root's checks into cat->checks (after its metrics and indicators). -1 with
 * "FILE:LINE: SETTING: message" in err. */
int checks_load(catalog *cat, const config_setting_t *root, lm_error *err);

/* The hard checks over req's (validated) records: one error per pair that fails, on the
 * record that exceeds, naming the other. Returns the number of errors added. */
size_t checks_submission(const catalog *cat, const proto_request *req, proto_errors *errs);

/* Can this value of ind be true? False when a range check of ind finds it outside. */
bool checks_plausible(const catalog *cat, const indicator *ind, bool has_value, double value);

/* The outlier check, if the catalogue has one (NULL: none). */
const check_def *checks_outlier(const catalog *cat);

/* An outlier check's min_difference when the catalogue gives none. */
#define CHECK_MIN_DIFFERENCE 5.0

/* Is value an outlier against history (n earlier months of the same reporter, metric and
 * area)? The median of history times c->factor, both ways, and at least c->min_difference
 * away from it. */
bool checks_is_outlier(const check_def *c, double value, const double *history, size_t n,
                       double *median);

#endif
