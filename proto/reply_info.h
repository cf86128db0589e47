/* reply_info.h: the typed replies of ping, status and catalog (PROTOCOL.md §5.1, §5.3,
 * §5.4). */
#ifndef LEAMON_REPLY_INFO_H
#define LEAMON_REPLY_INFO_H

#include "reply.h"
#include "reply_figures.h"

typedef struct {
    char server[PROTO_TEXT_LABEL];
    int64_t time;
} proto_ping_reply;

typedef struct {
    char id[PROTO_MAX_CODE + 1];   /* "" for anonymous */
    char role[PROTO_TEXT_WORD];    /* partner, viewer, admin, anonymous */
    bool has_name, has_kind;       /* staff and organisations; organisations */
    char name[PROTO_TEXT_NAME];
    char kind[PROTO_TEXT_WORD];
} proto_you;

typedef struct {
    char server[PROTO_TEXT_LABEL];
    int64_t uptime;
    bool secure;
    proto_you you;
    int64_t observations, submissions;
    bool has_last;
    char last_id[PROTO_MAX_ID + 1];
    int64_t last_received, last_records;
} proto_status_reply;

/* Partner kinds a metric is reported by: at most one of each. */
#define PROTO_MAX_KINDS 8

typedef struct {
    char code[PROTO_MAX_CODE + 1];
    char label[PROTO_TEXT_LABEL];
    char unit[PROTO_TEXT_WORD];
    char time[PROTO_TEXT_WORD];    /* last, sum, avg */
    char kinds[PROTO_MAX_KINDS][PROTO_TEXT_WORD];
    size_t n_kinds;
    double min, max;
    bool integer;
    unsigned due;                  /* the months a figure is owed: bit 0 January .. bit 11 */
} proto_metric_info;

typedef struct {
    char code[PROTO_MAX_AREA + 1];
    char name[PROTO_TEXT_NAME];
    char level[PROTO_TEXT_WORD];
    char parent[PROTO_MAX_AREA + 1]; /* "" for a root */
} proto_area_info;

typedef char proto_code[PROTO_MAX_CODE + 1];

typedef struct {
    char first_period[PROTO_MAX_PERIOD + 1];
    proto_metric_info *metrics;    /* owned */
    size_t n_metrics;
    proto_area_info *areas;        /* owned */
    size_t n_areas;
    proto_indicator *indicators;   /* owned; without ideal */
    size_t n_indicators;
    bool has_may_report;           /* organisations only */
    proto_code *may_metrics;       /* owned */
    size_t n_may_metrics;
    proto_code *may_areas;         /* owned */
    size_t n_may_areas;
} proto_catalog_reply;

void proto_ping_reply_write(mpw *w, const char *id, const proto_ping_reply *r);
int proto_ping_reply_read(const msgpack_object *root, proto_ping_reply *r, lm_error *e);

void proto_status_reply_write(mpw *w, const char *id, const proto_status_reply *r);
int proto_status_reply_read(const msgpack_object *root, proto_status_reply *r, lm_error *e);

void proto_catalog_reply_write(mpw *w, const char *id, const proto_catalog_reply *r);
int proto_catalog_reply_read(const msgpack_object *root, proto_catalog_reply *r, lm_error *e);
void proto_catalog_reply_free(proto_catalog_reply *r);

#endif
