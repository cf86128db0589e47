/* quota.c: per-organisation limits in fixed windows (quota.h). */
#include "quota.h"

#include <stdlib.h>
#include <string.h>

int quotas_init(quotas *q, size_t n, int64_t per_minute, int64_t per_day,
                int64_t corrections_per_day)
{
    memset(q, 0, sizeof *q);
    if (!(q->use = calloc(n ? n : 1, sizeof *q->use)))
        return -1;
    q->n = n;
    q->per_minute = per_minute;
    q->per_day = per_day;
    q->corrections_per_day = corrections_per_day;
    return 0;
}

void quotas_free(quotas *q)
{
    free(q->use);
    memset(q, 0, sizeof *q);
}

/* u's windows moved on to now's minute and day. */
static quota_use *current(quotas *q, size_t org, time_t now)
{
    if (org >= q->n)
        return NULL;
    quota_use *u = &q->use[org];
    time_t minute = now - now % 60, day = now - now % 86400;
    if (u->minute != minute) {
        u->minute = minute;
        u->submissions = 0;
    }
    if (u->day != day) {
        u->day = day;
        u->records = 0;
        u->corrections = 0;
    }
    return u;
}

int64_t quota_submission(quotas *q, size_t org, time_t now)
{
    quota_use *u = current(q, org, now);
    if (!u)
        return 0;
    if (q->per_minute && u->submissions + 1 > q->per_minute)
        return (int64_t)(u->minute + 60 - now) * 1000;
    u->submissions++;
    return 0;
}

int64_t quota_records(quotas *q, size_t org, int64_t records, time_t now)
{
    quota_use *u = current(q, org, now);
    if (!u)
        return 0;
    /* One submission bigger than the day's whole quota still goes in on a fresh day: it
     * would never fit otherwise (its size is bounded by the protocol). */
    if (q->per_day && u->records && u->records + records > q->per_day)
        return (int64_t)(u->day + 86400 - now) * 1000;
    u->records += records;
    return 0;
}

int64_t quota_corrections(quotas *q, size_t org, time_t now)
{
    quota_use *u = current(q, org, now);
    if (!u || !q->corrections_per_day || u->corrections < q->corrections_per_day)
        return 0;
    return (int64_t)(u->day + 86400 - now) * 1000;
}

void quota_corrected(quotas *q, size_t org, int64_t n, time_t now)
{
    quota_use *u = current(q, org, now);
    if (u)
        u->corrections += n;
}
