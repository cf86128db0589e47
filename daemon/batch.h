/* batch.h: the requests read in one round of the loop. Each is checked (who sent it, may
 * they, are the records valid), then every submission among them is stored in one
 * transaction (group commit), and each reply goes out only after that transaction is on
 * disk. The batch owns the requests until batch_clear. */
#ifndef LEAMON_BATCH_H
#define LEAMON_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "config.h"
#include "identity.h"
#include "log.h"
#include "op.h"
#include "metrics.h"
#include "proto.h"
#include "quota.h"
#include "store.h"

/* Decoded records held by one batch: five full submissions, or fifty of 1,000 records
 * (about 7 MB), so a deadline hour of backfills shares commits instead of waiting. */
#define BATCH_RECORDS (5 * PROTO_MAX_RECORDS)

/* A submission read beyond the batch is refused at once (503) with this hint; the client
 * retries the same bytes (PROTOCOL.md §4). */
#define BATCH_BUSY_RETRY_MS 1000

typedef struct {
    proto_request req;
    proto_errors errs;
    proto_errors warns;    /* stored anyway, with a warning (outliers) */
    char user_id[41];      /* CURVE key (Z85) the ZAP handler approved; "" without CURVE */
    identity who;
    const op_def *op;      /* its row of the op table; NULL when it could not be read */
    int status;            /* 200 until something fails */
    char why[LM_ERROR_MAX];
    bool write;            /* a submission to store in this batch */
    bool overflow;         /* read beyond what one commit takes: a submission gets 503 */
    bool in_txn;           /* decided inside the transaction: undone if it fails */
    bool handed;           /* moved out (batch_take): answered elsewhere */
    submit_result res;
    int64_t received_us;   /* metrics_now_us when it was read */
    size_t size;           /* bytes of the request as read */
    refused_cause cause;   /* why a 503 or 429, for the metrics */
} pending;

/* What the batch works with. */
typedef struct {
    store *db;
    const registry *reg;
    const settings *set;
    const log_ctx *log;
    bool secure;
    quotas *q;             /* per-organisation limits (NULL: none) */
} batch_env;

typedef struct {
    pending *items;        /* owned: cap of them */
    size_t n, cap;
    size_t records;        /* decoded records held by the first n */
    size_t bytes;          /* what the first n hold (batch_keep), for request_memory_budget */
    bool *wrote;           /* after batch_commit: a flag per organisation that stored figures */
    size_t n_wrote;        /* the registry's organisations at that commit */
} batch;

int batch_init(batch *b, size_t cap);
void batch_free(batch *b);

/* The next free slot, zeroed (NULL when the batch is full); the reader decodes into it,
 * then keeps it with batch_keep, which counts what it holds: its size as read and what
 * decoding it allocated (records, the list of their errors). Read beyond one commit, it is
 * kept with batch_keep_overflow: a submission is then refused (503) and holds no records
 * (the reader did not decode them; any it did are dropped at once). */
pending *batch_slot(batch *b);
void batch_keep(batch *b);
void batch_keep_overflow(batch *b);

/* Decide everything that needs no write: identity, rights (the op table), record checks. */
void batch_check(batch *b, const batch_env *env, time_t now);

/* Store every accepted submission in one transaction, durable when this returns. On a
 * failure nothing of the batch is stored and its submissions get 500 or 503. True if
 * anything was stored; b->wrote then says by which organisations. */
bool batch_commit(batch *b, const batch_env *env, time_t now);

/* Move request i out of the batch into out (which then owns it); its slot owns nothing and
 * is marked handed. */
void batch_take(batch *b, size_t i, pending *out);

/* Does any request of the batch, allowed so far, have op flag? */
bool batch_wants(const batch *b, unsigned flag);

/* Free the requests; the batch is empty again. */
void batch_clear(batch *b);

#endif
