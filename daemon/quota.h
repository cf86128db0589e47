/* quota.h: how much one organisation may make leamond store, so that no partner, by
 * mistake or on purpose, fills the disk or the commits for the others: submissions a
 * minute, records a day and figures replaced a day (each an audit row), settings
 * limit_submissions_per_minute, limit_records_per_day and limit_corrections_per_day (0: no
 * limit). Past a limit a submission is refused with 429 and
 * told when to come back. Counted in memory, in fixed windows (the clock's minute, the UTC
 * day): a restart starts them afresh. */
#ifndef LEAMON_QUOTA_H
#define LEAMON_QUOTA_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

typedef struct {
    time_t minute, day;        /* the windows the counts are of */
    int64_t submissions, records, corrections;
} quota_use;

typedef struct {
    quota_use *use;            /* one per organisation of the registry, owned */
    size_t n;
    int64_t per_minute, per_day, corrections_per_day;
} quotas;

/* For n organisations. 0, or -1 when out of memory. */
int quotas_init(quotas *q, size_t n, int64_t per_minute, int64_t per_day,
                int64_t corrections_per_day);
void quotas_free(quotas *q);

/* May organisation org (an index) send a submission at now? 0 and counted, or the
 * milliseconds until it may (nothing counted). Every submission counts, valid or not. */
int64_t quota_submission(quotas *q, size_t org, time_t now);
/* May it store records more today? 0 and counted, or the milliseconds until tomorrow
 * (UTC). Only what would be stored counts. */
int64_t quota_records(quotas *q, size_t org, int64_t records, time_t now);

/* May it replace figures today (each correction leaves an audit row)? 0, or the
 * milliseconds until tomorrow (UTC). quota_corrected counts the ones a stored submission
 * made; the one that passes the limit is stored whole. */
int64_t quota_corrections(quotas *q, size_t org, time_t now);
void quota_corrected(quotas *q, size_t org, int64_t n, time_t now);

#endif
