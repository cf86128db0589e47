/* reply_alert.c: writing and reading alerts, silences and alert events (reply_alert.h). */
#include "reply_alert.h"

#include <stdlib.h>
#include <string.h>

/* The alert's fields, inside an open map. */
static void alert_fields_write(mpw *w, const proto_alert *a)
{
    mpw_kv_int(w, "id", a->id);
    mpw_kv_str(w, "rule", a->rule);
    mpw_kv_str(w, "kind", a->kind);
    mpw_kv_str(w, "severity", a->severity);
    mpw_kv_opt_str(w, "indicator", a->indicator);
    mpw_kv_opt_str(w, "metric", a->metric);
    mpw_kv_str(w, "area", a->area);
    mpw_kv_str(w, "area_name", a->area_name);
    mpw_kv_opt_str(w, "organisation", a->organisation);
    mpw_kv_str(w, "period", a->period);
    mpw_kv_str(w, "last_period", a->last_period);
    mpw_kv_str(w, "state", a->state);
    mpw_kv_opt_number(w, "value", a->has_value, a->value);
    mpw_kv_number(w, "threshold", a->threshold);
    mpw_kv_opt_number(w, "reference", a->has_reference, a->reference);
    mpw_kv_int(w, "expected", a->expected);
    mpw_kv_int(w, "reported", a->reported);
    mpw_kv_str(w, "message", a->message);
    mpw_kv_opt_int(w, "first_fired", a->has_first_fired, a->first_fired);
    mpw_kv_int(w, "changed_at", a->changed_at);
    mpw_kv_opt_str(w, "acked_by", a->acked_by);
    mpw_kv_opt_int(w, "acked_at", a->has_acked_at, a->acked_at);
    mpw_kv_opt_str(w, "ack_note", a->ack_note);
    mpw_kv_opt_int(w, "silenced_until", a->has_silenced_until, a->silenced_until);
    mpw_kv_opt_int(w, "silence_id", a->has_silence_id, a->silence_id);
    mpw_kv_opt_int(w, "inhibited_by", a->has_inhibited_by, a->inhibited_by);
    if (!a->with_history)
        return;
    mpw_key(w, "history");
    mpw_array(w);
    for (size_t i = 0; i < a->n_history; i++) {
        const proto_alert_change *h = &a->history[i];
        mpw_map(w);
        mpw_kv_int(w, "at", h->at);
        mpw_kv_opt_str(w, "from", h->from);
        mpw_kv_str(w, "to", h->to);
        mpw_kv_str(w, "period", h->period);
        mpw_kv_opt_number(w, "value", h->has_value, h->value);
        mpw_end(w);
    }
    mpw_end(w);
}

static void alert_read(mpr *r, const msgpack_object *m, proto_alert *a)
{
    mpr_int(r, m, "id", &a->id);
    mpr_str(r, m, "rule", a->rule, sizeof a->rule);
    mpr_str(r, m, "kind", a->kind, sizeof a->kind);
    mpr_str(r, m, "severity", a->severity, sizeof a->severity);
    mpr_opt_str(r, m, "indicator", a->indicator, sizeof a->indicator);
    mpr_opt_str(r, m, "metric", a->metric, sizeof a->metric);
    mpr_str(r, m, "area", a->area, sizeof a->area);
    mpr_str(r, m, "area_name", a->area_name, sizeof a->area_name);
    mpr_opt_str(r, m, "organisation", a->organisation, sizeof a->organisation);
    mpr_str(r, m, "period", a->period, sizeof a->period);
    mpr_str(r, m, "last_period", a->last_period, sizeof a->last_period);
    mpr_str(r, m, "state", a->state, sizeof a->state);
    mpr_opt_number(r, m, "value", &a->has_value, &a->value);
    mpr_number(r, m, "threshold", &a->threshold);
    mpr_opt_number(r, m, "reference", &a->has_reference, &a->reference);
    mpr_int(r, m, "expected", &a->expected);
    mpr_int(r, m, "reported", &a->reported);
    mpr_str(r, m, "message", a->message, sizeof a->message);
    mpr_opt_int(r, m, "first_fired", &a->has_first_fired, &a->first_fired);
    mpr_int(r, m, "changed_at", &a->changed_at);
    mpr_opt_str(r, m, "acked_by", a->acked_by, sizeof a->acked_by);
    mpr_opt_int(r, m, "acked_at", &a->has_acked_at, &a->acked_at);
    mpr_opt_str(r, m, "ack_note", a->ack_note, sizeof a->ack_note);
    mpr_opt_int(r, m, "silenced_until", &a->has_silenced_until, &a->silenced_until);
    mpr_opt_int(r, m, "silence_id", &a->has_silence_id, &a->silence_id);
    mpr_opt_int(r, m, "inhibited_by", &a->has_inhibited_by, &a->inhibited_by);
    const msgpack_object *hist = mpr_opt_array(r, m, "history");
    a->with_history = hist != NULL;
    a->history = mpr_alloc(r, hist, sizeof *a->history, &a->n_history);
    for (size_t i = 0; i < a->n_history; i++) {
        const msgpack_object *hm = mpr_elem_map(r, hist, (uint32_t)i);
        proto_alert_change *h = &a->history[i];
        mpr_int(r, hm, "at", &h->at);
        mpr_opt_str(r, hm, "from", h->from, sizeof h->from);
        mpr_str(r, hm, "to", h->to, sizeof h->to);
        mpr_str(r, hm, "period", h->period, sizeof h->period);
        mpr_opt_number(r, hm, "value", &h->has_value, &h->value);
    }
}

void proto_alert_free(proto_alert *a)
{
    free(a->history);
    a->history = NULL;
    a->n_history = 0;
}

static void silence_fields_write(mpw *w, const proto_silence *s)
{
    mpw_kv_str(w, "rule", s->rule);
    mpw_kv_str(w, "area", s->area);
    mpw_kv_int(w, "until", s->until);
    mpw_kv_str(w, "by", s->by);
    mpw_kv_str(w, "note", s->note);
    mpw_kv_int(w, "created", s->created);
    mpw_kv_int(w, "id", s->id);
    mpw_kv_str(w, "indicator", s->indicator);
    mpw_kv_str(w, "organisation", s->organisation);
    mpw_kv_str(w, "severity", s->severity);
    mpw_kv_int(w, "starts", s->starts);
    mpw_kv_opt_str(w, "expired_by", s->expired_by);
    mpw_kv_str(w, "state", s->state);
}

static void silence_read(mpr *r, const msgpack_object *m, proto_silence *s)
{
    mpr_str(r, m, "rule", s->rule, sizeof s->rule);
    mpr_str(r, m, "area", s->area, sizeof s->area);
    mpr_int(r, m, "until", &s->until);
    mpr_str(r, m, "by", s->by, sizeof s->by);
    mpr_str(r, m, "note", s->note, sizeof s->note);
    mpr_int(r, m, "created", &s->created);
    mpr_int(r, m, "id", &s->id);
    mpr_str(r, m, "indicator", s->indicator, sizeof s->indicator);
    mpr_str(r, m, "organisation", s->organisation, sizeof s->organisation);
    mpr_str(r, m, "severity", s->severity, sizeof s->severity);
    mpr_int(r, m, "starts", &s->starts);
    mpr_opt_str(r, m, "expired_by", s->expired_by, sizeof s->expired_by);
    mpr_str(r, m, "state", s->state, sizeof s->state);
}

/* The silences as an array under key, inside an open map. */
static void silences_write(mpw *w, const proto_silence *silences, size_t n)
{
    mpw_key(w, "silences");
    mpw_array(w);
    for (size_t i = 0; i < n; i++) {
        mpw_map(w);
        silence_fields_write(w, &silences[i]);
        mpw_end(w);
    }
    mpw_end(w);
}

static proto_silence *silences_read(mpr *r, const msgpack_object *root, size_t *n)
{
    const msgpack_object *sil = mpr_array(r, root, "silences");
    proto_silence *out = mpr_alloc(r, sil, sizeof *out, n);
    for (size_t i = 0; i < *n && !r->failed; i++)
        silence_read(r, mpr_elem_map(r, sil, (uint32_t)i), &out[i]);
    return out;
}

void proto_alerts_reply_write(mpw *w, const char *id, const proto_alerts_reply *r)
{
    proto_reply_open(w, id, PROTO_OK, NULL);
    mpw_kv_bool(w, "truncated", r->truncated);
    silences_write(w, r->silences, r->n_silences);
    mpw_key(w, "alerts");
    mpw_array(w);
    for (size_t i = 0; i < r->n_alerts; i++) {
        mpw_map(w);
        alert_fields_write(w, &r->alerts[i]);
        mpw_end(w);
    }
    mpw_end(w);
    mpw_end(w);
}

int proto_alerts_reply_read(const msgpack_object *root, proto_alerts_reply *out, lm_error *e)
{
    mpr r;
    mpr_init(&r);
    memset(out, 0, sizeof *out);
    mpr_bool(&r, root, "truncated", &out->truncated);
    out->silences = silences_read(&r, root, &out->n_silences);
    const msgpack_object *al = mpr_array(&r, root, "alerts");
    out->alerts = mpr_alloc(&r, al, sizeof *out->alerts, &out->n_alerts);
    for (size_t i = 0; i < out->n_alerts && !r.failed; i++)
        alert_read(&r, mpr_elem_map(&r, al, (uint32_t)i), &out->alerts[i]);
    if (mpr_done(&r, e) == 0)
        return 0;
    proto_alerts_reply_free(out);
    return -1;
}

void proto_alerts_reply_free(proto_alerts_reply *r)
{
    for (size_t i = 0; i < r->n_alerts; i++)
        proto_alert_free(&r->alerts[i]);
    free(r->alerts);
    free(r->silences);
    r->alerts = NULL;
    r->silences = NULL;
    r->n_alerts = r->n_silences = 0;
}

void proto_ack_reply_write(mpw *w, const char *id, const proto_alert *a)
{
    proto_reply_open(w, id, PROTO_OK, NULL);
    mpw_key(w, "alert");
    mpw_map(w);
    alert_fields_write(w, a);
    mpw_end(w);
    mpw_end(w);
}

int proto_ack_reply_read(const msgpack_object *root, proto_alert *a, lm_error *e)
{
    mpr r;
    mpr_init(&r);
    memset(a, 0, sizeof *a);
    alert_read(&r, mpr_map(&r, root, "alert"), a);
    if (mpr_done(&r, e) == 0)
        return 0;
    proto_alert_free(a);
    return -1;
}

void proto_silence_reply_write(mpw *w, const char *id, const proto_silence_reply *s)
{
    proto_reply_open(w, id, PROTO_OK, NULL);
    mpw_key(w, "silence");
    mpw_map(w);
    silence_fields_write(w, &s->silence);
    mpw_kv_bool(w, "lifted", s->lifted);
    mpw_end(w);
    mpw_kv_int(w, "expired", s->expired);
    mpw_end(w);
}

int proto_silence_reply_read(const msgpack_object *root, proto_silence_reply *s, lm_error *e)
{
    mpr r;
    mpr_init(&r);
    memset(s, 0, sizeof *s);
    const msgpack_object *m = mpr_map(&r, root, "silence");
    silence_read(&r, m, &s->silence);
    mpr_bool(&r, m, "lifted", &s->lifted);
    mpr_int(&r, root, "expired", &s->expired);
    return mpr_done(&r, e);
}

void proto_silences_reply_write(mpw *w, const char *id, const proto_silences_reply *r)
{
    proto_reply_open(w, id, PROTO_OK, NULL);
    mpw_kv_bool(w, "truncated", r->truncated);
    silences_write(w, r->silences, r->n_silences);
    mpw_end(w);
}

int proto_silences_reply_read(const msgpack_object *root, proto_silences_reply *out,
                              lm_error *e)
{
    mpr r;
    mpr_init(&r);
    memset(out, 0, sizeof *out);
    mpr_bool(&r, root, "truncated", &out->truncated);
    out->silences = silences_read(&r, root, &out->n_silences);
    if (mpr_done(&r, e) == 0)
        return 0;
    proto_silences_reply_free(out);
    return -1;
}

void proto_silences_reply_free(proto_silences_reply *r)
{
    free(r->silences);
    r->silences = NULL;
    r->n_silences = 0;
}

void proto_alert_event_write(mpw *w, const proto_alert_event *ev)
{
    mpw_map(w);
    alert_fields_write(w, &ev->alert);
    mpw_kv_int(w, "v", PROTO_VERSION);
    mpw_kv_str(w, "event", "state");
    mpw_kv_opt_str(w, "previous", ev->previous);
    mpw_end(w);
}

int proto_alert_event_read(const msgpack_object *root, proto_alert_event *ev, lm_error *e)
{
    mpr r;
    mpr_init(&r);
    memset(ev, 0, sizeof *ev);
    int64_t v = 0;
    char event[PROTO_TEXT_WORD];
    mpr_int(&r, root, "v", &v);
    mpr_str(&r, root, "event", event, sizeof event);
    if (!r.failed && (v != PROTO_VERSION || strcmp(event, "state") != 0))
        mpr_fail(&r, "an event of version %lld and kind '%s'", (long long)v, event);
    alert_read(&r, root, &ev->alert);
    mpr_opt_str(&r, root, "previous", ev->previous, sizeof ev->previous);
    if (mpr_done(&r, e) == 0)
        return 0;
    proto_alert_free(&ev->alert);
    return -1;
}
