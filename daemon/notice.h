/* notice.h: what a receiver is given for one notice of a group: a Dutch plain-text mail
 * for `sendmail -t`, or one JSON document for an exec receiver (docs/alert-rules.md). */
#ifndef LEAMON_NOTICE_H
#define LEAMON_NOTICE_H

#include <stdio.h>
#include <time.h>

#include "alert_group.h"
#include "route.h"

/* The mail, headers and body. 0, or -1 on a write error of out. */
int notice_mail(FILE *out, const routing *rt, const receiver *rc, const registry *reg,
                const alert_group *g, const grouped_alert *const *list, size_t n,
                notice_reason why, time_t now);

/* {"receiver", "group", "reason", "firing", "resolved", "alerts": [PUB event maps]}.
 * 0, or -1. */
int notice_json(FILE *out, const receiver *rc, const registry *reg, const alert_group *g,
                const grouped_alert *const *list, size_t n, notice_reason why);

/* One sentence in Dutch on where alert a stands, for people ("58,3% in oktober 2026, onder
 * de drempel van 70,0%, sinds april 2026; 3 van 3 partners hebben aangeleverd"). */
void notice_alert_text(const registry *reg, const stored_alert *a, char *out, size_t n);

#endif
