/* alert_hold.c: silences and inhibition of one alert (alert_hold.h). */
#include "alert_hold.h"

#include <stdlib.h>
#include <string.h>

#include "silences.h"

/* Inhibit sources fire rarely and briefly: the listing looks at this many of each. */
#define HOLD_SOURCES_MAX 1000

static int inhibited_by(store *db, const registry *reg, const routing *rt, const stored_alert *a,
                        int64_t *by)
{
    static const char *const firing[] = {"firing", NULL};
    for (size_t i = 0; i < rt->n_inhibits && !*by; i++) {
        const inhibit_rule *in = &rt->inhibits[i];
        if (!routing_may_inhibit(reg, in, a))
            continue; /* no source of this rule could explain it: nothing to read */
        stored_alert *src = NULL;
        size_t n = 0;
        bool more;
        if (store_alert_list(db, firing, 0, in->source, "", HOLD_SOURCES_MAX, &src, &n,
                             &more) < 0) {
            free(src);
            return -1;
        }
        for (size_t k = 0; k < n && !*by; k++)
            if (routing_inhibits(rt, reg, &src[k], a))
                *by = src[k].id;
        free(src);
    }
    return 0;
}

int alert_hold(store *db, const registry *reg, const routing *rt, const stored_alert *a,
               time_t now, alert_hold_info *out)
{
    memset(out, 0, sizeof *out);
    silence_hold s;
    if (silences_holding(db, reg, a, now, &s) < 0 ||
        inhibited_by(db, reg, rt, a, &out->inhibited_by) < 0)
        return -1;
    out->silence_id = s.id;
    out->silenced_until = s.ends;
    return out->silenced_until || out->inhibited_by ? 1 : 0;
}
