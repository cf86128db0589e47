/* reply_figures.h: the typed replies of snapshot and series (PROTOCOL.md §5.5, §5.6), one
 * writer and one reader each, shared by leamond and every client command. */
#ifndef LEAMON_REPLY_FIGURES_H
#define LEAMON_REPLY_FIGURES_H

#include "reply.h"

/* An indicator as replies describe it (also in the catalog reply, without ideal). */
typedef struct {
    char code[PROTO_MAX_CODE + 1];
    char label[PROTO_TEXT_LABEL];
    char unit[PROTO_TEXT_WORD];
    char type[PROTO_TEXT_WORD];    /* ratio, sum, mean */
    char better[PROTO_TEXT_WORD];  /* higher, lower, closer */
    bool has_ideal;                /* better = closer */
    double ideal;
} proto_indicator;

/* An indicator's figure for one period and area. */
typedef struct {
    bool has_value, has_num, has_den;
    double value, numerator, denominator;
    char reason[PROTO_TEXT_REASON]; /* why there is no value; "" with one */
    int64_t expected, reported;
    char state[PROTO_TEXT_WORD];    /* open, provisional, final, closed */
    bool plausible;                 /* false: a check of the catalogue says it cannot be true */
    int64_t carried;                /* reporters whose last figure was carried into it */
} proto_figure;

/* What a figure says about its target: the verdict, or why there is none. */
typedef struct {
    char verdict[PROTO_TEXT_WORD];  /* on_path, off_path, reached, not_reached, not_judged */
    char reason[PROTO_TEXT_REASON]; /* in words: why not judged, or what was compared */
    char period[PROTO_MAX_PERIOD + 1]; /* the period of the figure judged */
    bool has_value;
    double value;                   /* that figure */
    bool has_mark;
    double mark;                    /* what it was compared with: the path or the goal */
} proto_verdict;

/* A snapshot map: the figure of one area, as stored (version > 0) or computed now (0). */
typedef struct {
    char area[PROTO_MAX_AREA + 1];
    char name[PROTO_TEXT_NAME];
    proto_figure fig;
    bool has_computed_at;
    int64_t computed_at;
    int64_t version;
} proto_area_figure;

/* A target map. has_path only in a snapshot reply's target (with_path). */
typedef struct {
    char area[PROTO_MAX_AREA + 1];
    char goal_period[PROTO_MAX_PERIOD + 1];
    double goal;
    char baseline_period[PROTO_MAX_PERIOD + 1]; /* "": none */
    bool has_baseline;
    double baseline;
    char source[PROTO_TEXT_SOURCE];
    bool with_path;  /* the map carries path (nil or a number) */
    bool has_path;
    double path;
} proto_target;

/* One organisation's part of a snapshot (by reporter). */
typedef struct {
    char reporter[PROTO_MAX_CODE + 1];
    char name[PROTO_TEXT_NAME];
    char kind[PROTO_TEXT_WORD];
    bool has_num, has_den, has_value;
    double numerator, denominator, value;
} proto_reporter_part;

typedef enum { PROTO_BY_NONE, PROTO_BY_AREA, PROTO_BY_REPORTER } proto_breakdown;

typedef struct {
    proto_indicator ind;
    char period[PROTO_MAX_PERIOD + 1];
    bool has_as_of;
    int64_t as_of;
    proto_area_figure snapshot;
    bool has_target;
    proto_target target;         /* with_path */
    proto_verdict verdict;       /* with a target */
    proto_breakdown by;
    proto_area_figure *areas;    /* by area: owned */
    size_t n_areas;
    proto_reporter_part *parts;  /* by reporter: owned */
    size_t n_parts;
} proto_snapshot_reply;

typedef struct {
    char period[PROTO_MAX_PERIOD + 1];
    proto_figure fig;
    bool has_path;
    double path;
    char verdict[PROTO_TEXT_WORD]; /* as a snapshot's verdict; "" without a target */
} proto_series_point;

typedef struct {
    proto_indicator ind;
    char area[PROTO_MAX_AREA + 1];
    char name[PROTO_TEXT_NAME];
    bool has_target;
    proto_target target;         /* without path */
    proto_series_point *points;  /* owned */
    size_t n_points;
} proto_series_reply;

/* Writers: the whole 200 reply to request id into w. */
void proto_snapshot_reply_write(mpw *w, const char *id, const proto_snapshot_reply *r);
void proto_series_reply_write(mpw *w, const char *id, const proto_series_reply *r);
/* Readers of a 200 reply's root map: 0, or -1 with e set (and *r empty). */
int proto_snapshot_reply_read(const msgpack_object *root, proto_snapshot_reply *r, lm_error *e);
int proto_series_reply_read(const msgpack_object *root, proto_series_reply *r, lm_error *e);
void proto_snapshot_reply_free(proto_snapshot_reply *r);
void proto_series_reply_free(proto_series_reply *r);

/* The pieces, for replies that embed them (catalog: indicators without ideal). */
void proto_indicator_write(mpw *w, const proto_indicator *ind);
void proto_indicator_read(mpr *r, const msgpack_object *map, proto_indicator *ind);

#endif
