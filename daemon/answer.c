/* answer.c: one request's reply and its log line (answer.h). */
#include "answer.h"

static void log_outcome(const log_ctx *log, const pending *p, const op_ctx *c)
{
    const char *who = identity_id(&p->who);
    const char *op = p->req.op == PROTO_OP_COUNT ? "request" : proto_op_name(p->req.op);
    const char *id = p->req.id[0] ? p->req.id : "(no id)";
    log_about about = {who, p->req.id, 0};
    if (p->req.op != PROTO_OP_SUBMIT) {
        bool ok = c->replied == PROTO_OK;
        log_event(log, ok ? LOG_DEBUG : LOG_INFO, &about, "%s %s from %s: %d%s%s", op, id,
                who[0] ? who : "-", c->replied, ok ? "" : " ", ok ? "" : c->reason);
        return;
    }
    /* Stored submissions are counted per commit at info (batch_commit); a line each is for
     * debugging: under load it costs more than it tells. */
    if (p->status == PROTO_OK)
        log_event(log, LOG_DEBUG, &about, "submit %s from %s: %lld record%s %s", id, who,
                (long long)p->res.accepted, p->res.accepted == 1 ? "" : "s",
                p->req.dry_run ? "valid (dry run)" : p->res.duplicate ? "already stored (retry)"
                                                                      : "stored");
    else
        log_event(log, LOG_INFO, &about, "submit %s from %s refused: %d %s", id, who[0] ? who : "-",
                p->status, p->why);
}

static void count(metrics *m, const pending *p, const op_ctx *c)
{
    metrics_request(m, (int)p->req.op, c->replied,
                    (double)(metrics_now_us() - p->received_us) / 1e6);
    atomic_fetch_sub(&m->queued, 1);
    if (c->replied == PROTO_TOO_MANY || c->replied == PROTO_UNAVAILABLE)
        atomic_fetch_add(&m->refused[p->cause], 1);
    if (p->req.op != PROTO_OP_SUBMIT)
        return;
    if (c->replied == PROTO_OK && !p->req.dry_run && !p->res.duplicate)
        atomic_fetch_add(&m->records_stored, (uint_fast64_t)p->res.accepted);
    atomic_fetch_add(&m->record_errors, (uint_fast64_t)p->errs.total);
    for (size_t i = 0; i < p->errs.count; i++)
        metrics_record_errors(m, p->errs.items[i].code, 1);
    if (p->errs.total > p->errs.count)
        metrics_record_errors(m, NULL, p->errs.total - p->errs.count);
}

void answer(const answer_env *env, const pending *p, mpw *w, time_t now)
{
    op_ctx c = {
        .req = &p->req, .who = &p->who, .now = now, .db = env->db, .reg = env->reg,
        .set = env->set, .log = env->log, .started = env->started, .secure = env->secure,
        .before_read = env->before_read, .changed = env->changed, .hook_self = env->hook_self,
        .backup = env->backup, .status = p->status, .why = p->why, .submitted = &p->res,
        .errors = &p->errs, .warnings = &p->warns, .w = w, .rt = env->rt,
    };
    op_reply(p->status == PROTO_OK ? p->op : op_find(p->req.op), &c);
    log_outcome(env->log, p, &c);
    if (env->m)
        count(env->m, p, &c);
}
