/* kvargs.c: parse metric=value command-line arguments into records. */
#include "kvargs.h"

#include <string.h>


int kvargs_parse(char *const *args, size_t n, const char *period_text, const char *area,
                 records_t *out, proto_errors *errs)
{
    size_t before = errs->total;
    const char *why = NULL;
    /* Period and area are the same for every argument: check them once. */
    if (!period_text)
        proto_errors_add(errs, 0, "period", "missing", "--period YYYY-MM is required");
    else if (records_check_month(period_text, &why) != 0)
        proto_errors_add(errs, 0, "period", "bad_value", "--period '%.20s': %s", period_text,
                         why);
    if (area && area[0] && records_check_code(area, PROTO_MAX_AREA, &why) != 0)
        proto_errors_add(errs, 0, "area", "bad_value", "--area: %s", why);
    if (n > PROTO_MAX_RECORDS)
        proto_errors_add(errs, 0, "record", "too_many",
                         "more than %d records in one submission", PROTO_MAX_RECORDS);
    if (errs->total != before)
        return -1;

    for (size_t i = 0; i < n; i++) {
        long argno = (long)i + 1;
        char q[48];
        const char *eq = strchr(args[i], '=');
        if (!eq) {
            proto_quote(q, sizeof q, args[i], strlen(args[i]));
            proto_errors_add(errs, argno, "record", "syntax",
                             "expected metric=value, got '%s' (no spaces around '=')", q);
            continue;
        }
        proto_record rec;
        memset(&rec, 0, sizeof rec);
        size_t mlen = (size_t)(eq - args[i]);
        char metric[PROTO_MAX_CODE + 2];
        bool metric_ok = mlen > 0 && mlen <= PROTO_MAX_CODE;
        if (metric_ok) {
            memcpy(metric, args[i], mlen);
            metric[mlen] = '\0';
            metric_ok = records_check_code(metric, PROTO_MAX_CODE, &why) == 0;
        } else {
            why = mlen ? "too long" : "missing";
        }
        if (!metric_ok) {
            proto_quote(q, sizeof q, args[i], mlen);
            proto_errors_add(errs, argno, "metric", "bad_value", "%s: '%s'", why, q);
        } else {
            memcpy(rec.metric, metric, mlen + 1);
        }
        if (records_parse_number(eq + 1, NUM_EITHER, &rec.value, &why) != 0) {
            proto_quote(q, sizeof q, eq + 1, strlen(eq + 1));
            proto_errors_add(errs, argno, "value", "bad_value", "%s: '%s'", why, q);
            continue;
        }
        if (!metric_ok)
            continue;
        memcpy(rec.period, period_text, strlen(period_text) + 1);
        if (area && area[0])
            memcpy(rec.area, area, strlen(area) + 1);
        long earlier = records_find(out, &rec);
        if (earlier >= 0) {
            proto_errors_add(errs, argno, "record", "duplicate_record",
                             "%s again (argument %zu): give each metric once", rec.metric,
                             out->origin[earlier]);
            continue;
        }
        if (records_add(out, &rec, (size_t)argno) != 0) {
            proto_errors_add(errs, argno, "record", "no_memory", "out of memory");
            return -1;
        }
    }
    return errs->total == before ? 0 : -1;
}
