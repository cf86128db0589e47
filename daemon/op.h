/* op.h: the operations leamond answers, as one table (op_table.c): who may send each op,
 * what it needs done first, and the handler that writes its reply. Rights are checked
 * once, from the table, before any handler runs; a handler sees only its context.
 *
 * Adding an op: its wire form in proto/ (proto_ops[] and a typed reply, reply_*.h), a row
 * in op_table.c, and a handler file op_NAME.c with the function declared below. */
#ifndef LEAMON_OP_H
#define LEAMON_OP_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "config.h"
#include "error.h"
#include "identity.h"
#include "log.h"
#include "mpw.h"
#include "proto.h"
#include "route.h"
#include "store.h"

/* Who may send an op. */
enum {
    WHO_ANONYMOUS = 1u << 0, /* insecure mode, without a reporter */
    WHO_PARTNER = 1u << 1,
    WHO_VIEWER = 1u << 2,
    WHO_ADMIN = 1u << 3,
    WHO_STAFF = WHO_VIEWER | WHO_ADMIN,
    WHO_ANYONE = WHO_ANONYMOUS | WHO_PARTNER | WHO_STAFF
};

/* What an op needs done before its handler runs. */
enum {
    OP_BATCHED = 1u << 0, /* stored by the batch's group commit (checked and validated there) */
    OP_JUDGED = 1u << 1,  /* sees every rule's verdict on what was acknowledged before it */
    OP_OWN_ERRORS = 1u << 2, /* its handler writes its error replies too (submit) */
    OP_FIGURES = 1u << 3, /* changes stored figures: an organisation that sends it is active */
    OP_DERIVED = 1u << 4  /* reads or writes what the derive thread owns (snapshots, alerts):
                           * answered there, after the commits before it */
};

/* A submission's outcome, decided by the batch before the reply is written. */
typedef struct {
    int64_t accepted;
    bool duplicate;
    int64_t retry_after_ms;  /* a 503's hint; 0: the default (5000) */
} submit_result;

/* The backup copy being handed out, between the requests that fetch it (op_backup.c). */
typedef struct {
    int64_t id;              /* 0: none */
    char path[CONFIG_PATH_MAX + 16];
} backup_copy;

/* What a handler gets: the request, who sent it, and the parts of the daemon it may use. */
typedef struct {
    const proto_request *req;
    const identity *who;
    time_t now;
    store *db;
    const registry *reg;
    const settings *set;
    const log_ctx *log;
    time_t started;          /* status: the daemon's start */
    bool secure;             /* status: CURVE or insecure mode */
    /* A query of ind's periods of one kind within months first..last calls this first, so
     * that it sees every figure acknowledged before it (derive_before_read). */
    void (*before_read)(void *self, const indicator *ind, period_kind kind, int first,
                        int last);
    void *hook_self;         /* what before_read and changed are called with */
    /* After a handler changed what is derived: figures (their snapshots are recomputed), or
     * only the months' states (the rules judge again). derive_changed. */
    void (*changed)(void *self, bool figures);
    backup_copy *backup;     /* backup only */
    const routing *rt;       /* the inhibit rules, on the derive thread (else NULL) */
    /* submit: what the batch decided (status and why are the request's own). */
    int status;
    const char *why;
    const submit_result *submitted;
    const proto_errors *errors;
    const proto_errors *warnings;
    /* The reply, and for the log the status it carries and why. */
    mpw *w;
    int replied;
    char reason[LM_ERROR_MAX];
} op_ctx;

typedef struct {
    proto_op op;
    unsigned who;            /* WHO_* bits of those who may send it */
    unsigned flags;          /* OP_* */
    const char *denied;      /* the 403's reason for anyone else */
    const char *anonymous;   /* the 401's reason for an anonymous sender (NULL: 403 denied) */
    void (*handler)(op_ctx *c);
} op_def;

/* The row of op. */
const op_def *op_find(proto_op op);

/* May who send op? 0, or -1 with a 401 or 403 in e. An op that writes also needs an
 * active organisation. */
int op_allowed(const op_def *d, const identity *who, lm_error *e);

/* Write the reply to a request that got this far with status (and why when not 200):
 * the handler's, or an error reply. Sets c->replied and c->reason. */
void op_reply(const op_def *d, op_ctx *c);

/* For handlers: refuse the request (replacing anything written), 0 afterwards is not
 * expected: returns -1. */
int op_refuse(op_ctx *c, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int op_fail(op_ctx *c, const lm_error *e);

/* Before a query of ind at area at over the periods from..to (of one kind) reads the
 * snapshots: bring them up to date (before_read), and what their verdicts read: the
 * target's baseline when the data gives it, and its goal period once they lie past it. */
void op_before_read(op_ctx *c, const indicator *ind, int at, const period *from,
                    const period *to);

/* The handlers, one file each (op_NAME.c). */
void op_ping(op_ctx *c);
void op_submit(op_ctx *c);
void op_status(op_ctx *c);
void op_catalog(op_ctx *c);
void op_snapshot(op_ctx *c);
void op_series(op_ctx *c);
void op_completeness(op_ctx *c);
void op_alerts(op_ctx *c);
void op_ack(op_ctx *c);
void op_silence(op_ctx *c);
void op_silences(op_ctx *c);
void op_unsilence(op_ctx *c);
void op_backup(op_ctx *c);
void op_retract(op_ctx *c);
void op_close(op_ctx *c);
void op_reopen(op_ctx *c);
void op_figures(op_ctx *c);

/* Remove a backup copy still lying about (a new backup, the last chunk, or the stop). */
void op_backup_discard(backup_copy *b, const log_ctx *log);

#endif
