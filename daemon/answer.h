/* answer.h: the reply to one request of a batch, on the request loop or on the derive
 * thread: the handler's context from the request and the daemon's parts, the op's handler
 * (op_table.c), and the request's line in the log. */
#ifndef LEAMON_ANSWER_H
#define LEAMON_ANSWER_H

#include <stdbool.h>
#include <time.h>

#include "batch.h"
#include "config.h"
#include "log.h"
#include "metrics.h"
#include "mpw.h"
#include "op.h"
#include "store.h"

/* The parts of the daemon a handler may use, on the thread that answers. */
typedef struct {
    store *db;
    const registry *reg;
    const settings *set;
    const log_ctx *log;
    time_t started;
    bool secure;
    void (*before_read)(void *self, const indicator *ind, period_kind kind, int first,
                        int last);
    void (*changed)(void *self, bool figures);
    void *hook_self;
    backup_copy *backup;     /* on the thread that answers backup requests, else NULL */
    metrics *m;              /* what was answered, how fast (NULL: not counted) */
    const routing *rt;       /* the inhibit rules, on the derive thread (else NULL) */
} answer_env;

/* Write p's reply into w (replacing what it held) and log the outcome. */
void answer(const answer_env *env, const pending *p, mpw *w, time_t now);

#endif
