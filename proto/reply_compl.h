/* reply_compl.h: the typed completeness reply (PROTOCOL.md §5.7): who reported a metric
 * for the months of a period, on time, late, not at all, or not yet. */
#ifndef LEAMON_REPLY_COMPL_H
#define LEAMON_REPLY_COMPL_H

#include "reply.h"

/* Months listed per organisation: at most the months of one period (a school year). */
#define PROTO_COMPL_MONTHS 12

/* One month of the period that has begun (months). */
typedef struct {
    char month[PROTO_MAX_PERIOD + 1];
    char status[PROTO_TEXT_WORD];  /* on_time, late, missing, open, not_due */
    bool has_reported;
    int64_t reported;              /* its first report */
    int64_t deadline;
} proto_compl_month;

typedef struct {
    char id[PROTO_MAX_CODE + 1];
    char name[PROTO_TEXT_NAME];
    char kind[PROTO_TEXT_WORD];
    char status[PROTO_TEXT_WORD];  /* missing, late, open, on_time */
    int64_t months_due, months_reported;
    char late_months[PROTO_COMPL_MONTHS][PROTO_MAX_PERIOD + 1];
    size_t n_late;
    char missing_months[PROTO_COMPL_MONTHS][PROTO_MAX_PERIOD + 1];
    size_t n_missing;
    bool has_first;
    int64_t first_reported;
    int64_t deadline;
    proto_compl_month months[PROTO_COMPL_MONTHS]; /* absent from an older daemon: none */
    size_t n_months;
} proto_compl_org;

typedef struct {
    char metric[PROTO_MAX_CODE + 1];
    char label[PROTO_TEXT_LABEL];
    int64_t expected, on_time, late, missing, open;
    proto_compl_org *orgs;  /* owned */
    size_t n_orgs;
} proto_compl_metric;

typedef struct {
    char period[PROTO_MAX_PERIOD + 1];
    int64_t grace_days;
    char organisation[PROTO_MAX_CODE + 1]; /* the one organisation of the rows; "": all */
    proto_compl_metric *metrics;  /* owned, each with its orgs */
    size_t n_metrics;
} proto_completeness_reply;

void proto_completeness_reply_write(mpw *w, const char *id, const proto_completeness_reply *r);
int proto_completeness_reply_read(const msgpack_object *root, proto_completeness_reply *r,
                                  lm_error *e);
void proto_completeness_reply_free(proto_completeness_reply *r);

#endif
