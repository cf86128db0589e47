/* op_silence.c: the silence op (PROTOCOL.md §5.10): a new silence of the alerts its
 * matchers match, from starts (default now) until a time. An until already passed ends
 * the silences in force with exactly these matchers instead (how a silence was lifted
 * before silences had ids). */
#include "op.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert_list.h"
#include "query_args.h"
#include "rules.h"

/* How far ahead a silence may end: a year, a leap day included. */
#define SILENCE_MAX_SECONDS (366 * 86400)

/* Each matcher names something the catalogue or the partners file knows, and together
 * they can match an alert. 0, or -1 with the reply's status and reason in e. */
static int check_matchers(const registry *reg, const proto_request *req, lm_error *e)
{
    if (!req->rule[0] && !req->indicator[0] && !req->area[0] && !req->organisation[0] &&
        !req->severity[0])
        return lm_fail(e, PROTO_BAD_REQUEST, "a silence needs at least one matcher: rule, "
                                             "indicator, area, organisation or severity");
    const alert_rule *r = NULL;
    if (req->rule[0] && !(r = query_rule(&reg->cat, req->rule, e)))
        return -1;
    if (req->indicator[0] && !query_indicator(&reg->cat, req->indicator, e))
        return -1;
    if (req->area[0] && query_area(&reg->parts, req->area, e) < 0)
        return -1;
    if (req->organisation[0] && !partners_org(&reg->parts, req->organisation))
        return lm_fail(e, PROTO_NOT_FOUND, "unknown organisation '%s' (leamon catalog lists "
                                           "them)", req->organisation);
    if (req->severity[0] && strcmp(req->severity, "warning") != 0 &&
        strcmp(req->severity, "critical") != 0)
        return lm_fail(e, PROTO_BAD_REQUEST, "severity must be warning or critical");
    /* Matchers that exclude each other would silence nothing. */
    if (r && req->indicator[0] && (!r->ind || strcmp(r->ind->code, req->indicator) != 0))
        return lm_fail(e, PROTO_BAD_REQUEST, "rule %s does not watch indicator %s", r->name,
                       req->indicator);
    if (r && req->organisation[0] && r->kind != RULE_LATE)
        return lm_fail(e, PROTO_BAD_REQUEST, "organisation matches only the alerts of late "
                                             "rules, and rule %s is not one", r->name);
    return 0;
}

/* End the silences in force with exactly si's matchers; the reply shows the last. */
static void lift(op_ctx *c, const stored_silence *si)
{
    stored_silence *rows = NULL;
    size_t n = 0;
    int64_t now = (int64_t)c->now;
    if (store_silences_exact(c->db, si, now, &rows, &n) < 0)
        goto failed;
    if (n == 0) {
        op_refuse(c, PROTO_BAD_REQUEST, "until is in the past, and no silence in force has "
                                        "exactly these matchers to end: a silence must end "
                                        "in the future");
        goto out;
    }
    proto_silence_reply r = {.lifted = true};
    for (size_t i = 0; i < n; i++) {
        int done = store_silence_expire(c->db, rows[i].id, now, identity_id(c->who));
        if (done < 0 || store_silence_get(c->db, rows[i].id, &rows[i]) != 1)
            goto failed;
        r.expired += done;
    }
    alert_list_silence(&r.silence, &rows[n - 1], c->now);
    proto_silence_reply_write(c->w, c->req->id, &r);
    goto out;
failed:
    op_refuse(c, PROTO_INTERNAL, "cannot end the silence: %s", store_errmsg(c->db));
out:
    free(rows);
}

void op_silence(op_ctx *c)
{
    const proto_request *req = c->req;
    int64_t now = (int64_t)c->now;
    lm_error e;
    if (check_matchers(c->reg, req, &e) < 0) {
        op_fail(c, &e);
        return;
    }
    stored_silence si;
    memset(&si, 0, sizeof si);
    snprintf(si.rule, sizeof si.rule, "%s", req->rule);
    snprintf(si.indicator, sizeof si.indicator, "%s", req->indicator);
    snprintf(si.area, sizeof si.area, "%s", req->area);
    snprintf(si.organisation, sizeof si.organisation, "%s", req->organisation);
    snprintf(si.severity, sizeof si.severity, "%s", req->severity);
    snprintf(si.created_by, sizeof si.created_by, "%s", identity_id(c->who));
    snprintf(si.note, sizeof si.note, "%s", req->note);
    si.starts = req->has_starts ? req->starts : now;
    si.ends = req->until;
    si.created = now;
    if (req->until <= now) {
        lift(c, &si);
        return;
    }
    if (req->until > now + SILENCE_MAX_SECONDS) {
        op_refuse(c, PROTO_BAD_REQUEST, "until is more than a year ahead: a silence ends "
                                        "within a year, and a new one can follow it");
        return;
    }
    if (si.starts >= si.ends) {
        op_refuse(c, PROTO_BAD_REQUEST, "starts must be before until");
        return;
    }
    if (store_silence_add(c->db, &si) < 0) {
        op_refuse(c, PROTO_INTERNAL, "cannot store the silence: %s", store_errmsg(c->db));
        return;
    }
    proto_silence_reply r = {.lifted = false};
    alert_list_silence(&r.silence, &si, c->now);
    proto_silence_reply_write(c->w, req->id, &r);
}
