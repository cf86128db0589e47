/* alert_list.c: an alert with its silence and history, as replies list it (alert_list.h). */
#include "alert_list.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert_hold.h"
#include "alert_msg.h"
#include "silence_match.h"
#include "silences.h"

int alert_list_fill(proto_alert *out, store *db, const registry *reg, const routing *rt,
                    const stored_alert *a, time_t now)
{
    alert_hold_info held = {0};
    stored_alert_change *h = NULL;
    size_t n = 0;
    silence_hold s;
    bool open = strcmp(a->state, "resolved") != 0;
    if ((rt ? alert_hold(db, reg, rt, a, now, &held) : silences_holding(db, reg, a, now, &s)) < 0 ||
        store_alert_history(db, a->id, &h, &n) < 0) {
        free(h);
        return -1;
    }
    if (!rt) {
        held.silence_id = s.id;
        held.silenced_until = s.ends;
    }
    alert_msg_fill(out, reg, a, held.silenced_until);
    out->has_silence_id = held.silence_id > 0;
    out->silence_id = held.silence_id;
    out->has_inhibited_by = open && held.inhibited_by > 0;
    out->inhibited_by = held.inhibited_by;
    out->with_history = true;
    out->history = calloc(n ? n : 1, sizeof *out->history);
    if (!out->history) {
        free(h);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        proto_alert_change *c = &out->history[out->n_history++];
        c->at = h[i].at;
        snprintf(c->from, sizeof c->from, "%s", h[i].from);
        snprintf(c->to, sizeof c->to, "%s", h[i].to);
        snprintf(c->period, sizeof c->period, "%s", h[i].period);
        c->has_value = h[i].has_value;
        c->value = h[i].value;
    }
    free(h);
    return 0;
}

void alert_list_silence(proto_silence *out, const stored_silence *s, time_t now)
{
    memset(out, 0, sizeof *out);
    out->id = s->id;
    snprintf(out->rule, sizeof out->rule, "%s", s->rule);
    snprintf(out->indicator, sizeof out->indicator, "%s", s->indicator);
    snprintf(out->area, sizeof out->area, "%s", s->area);
    snprintf(out->organisation, sizeof out->organisation, "%s", s->organisation);
    snprintf(out->severity, sizeof out->severity, "%s", s->severity);
    out->starts = s->starts;
    out->until = s->ends;
    snprintf(out->by, sizeof out->by, "%s", s->created_by);
    snprintf(out->note, sizeof out->note, "%s", s->note);
    out->created = s->created;
    snprintf(out->expired_by, sizeof out->expired_by, "%s", s->expired_by);
    snprintf(out->state, sizeof out->state, "%s", silence_state(s, (int64_t)now));
}
