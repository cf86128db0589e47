/* proto.h: the leamon wire format (proto/PROTOCOL.md), shared by leamond and leamon.
 *
 * Every message is one msgpack map with string keys. Requests are decoded into a
 * proto_request with fixed-size, bounded fields; replies are written with the
 * proto_pack_* helpers and read back with the proto_get_* accessors.
 */
#ifndef LEAMON_PROTO_H
#define LEAMON_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <msgpack.h>

#include "error.h"

#define PROTO_VERSION      1
#define PROTO_MAX_MESSAGE  (1024 * 1024) /* bytes in one request frame */
#define PROTO_MAX_RECORDS  10000         /* records in one submission */
#define PROTO_MAX_ID       64            /* request id, bytes */
#define PROTO_MAX_CODE     64            /* metric code, reporter id, op name */
#define PROTO_MAX_AREA     32            /* area code */
#define PROTO_MAX_PERIOD   16            /* period text */
#define PROTO_MAX_ERRORS   1000          /* record errors listed in one reply */
#define PROTO_MAX_SERIES   120           /* periods in one series */
#define PROTO_MAX_NOTE     500           /* ack and silence notes, bytes of UTF-8 */
#define PROTO_MAX_ALERTS   1000          /* alerts listed in one reply */
#define PROTO_MAX_SILENCES 1000          /* silences listed in one reply */
#define PROTO_MAX_FIGURES  2000          /* stored figures listed in one reply */
#define PROTO_MAX_FIGURE_CHANGES 20      /* changes listed under one figure, the newest */

/* Reply status codes (HTTP-like). */
enum {
    PROTO_OK = 200,
    PROTO_BAD_REQUEST = 400,
    PROTO_UNAUTHENTICATED = 401,
    PROTO_FORBIDDEN = 403,
    PROTO_NOT_FOUND = 404,
    PROTO_CONFLICT = 409,
    PROTO_TOO_LARGE = 413,
    PROTO_INVALID = 422,
    PROTO_TOO_MANY = 429,
    PROTO_INTERNAL = 500,
    PROTO_UNAVAILABLE = 503
};

typedef enum {
    PROTO_OP_PING,
    PROTO_OP_SUBMIT,
    PROTO_OP_STATUS,
    PROTO_OP_CATALOG,
    PROTO_OP_SNAPSHOT,
    PROTO_OP_SERIES,
    PROTO_OP_COMPLETENESS,
    PROTO_OP_ALERTS,
    PROTO_OP_ACK,
    PROTO_OP_SILENCE,
    PROTO_OP_BACKUP,
    PROTO_OP_RETRACT,
    PROTO_OP_CLOSE,
    PROTO_OP_REOPEN,
    PROTO_OP_SILENCES,
    PROTO_OP_UNSILENCE,
    PROTO_OP_FIGURES,
    PROTO_OP_COUNT
} proto_op;

/* The fields of a request besides v, op and id, in the order the decoder checks them. */
typedef enum {
    PROTO_FIELD_REPORTER,
    PROTO_FIELD_DRY_RUN,
    PROTO_FIELD_ALL,
    PROTO_FIELD_INDICATOR,
    PROTO_FIELD_METRIC,
    PROTO_FIELD_PERIOD,
    PROTO_FIELD_FROM,
    PROTO_FIELD_TO,
    PROTO_FIELD_AREA,
    PROTO_FIELD_BY,
    PROTO_FIELD_STATE,
    PROTO_FIELD_RULE,
    PROTO_FIELD_ORGANISATION,
    PROTO_FIELD_SEVERITY,
    PROTO_FIELD_AS_OF,
    PROTO_FIELD_SINCE,
    PROTO_FIELD_UNTIL,
    PROTO_FIELD_STARTS,
    PROTO_FIELD_ALERT,
    PROTO_FIELD_SILENCE_ID,
    PROTO_FIELD_OFFSET,
    PROTO_FIELD_BACKUP,
    PROTO_FIELD_NOTE,
    PROTO_FIELD_RECORDS,
    PROTO_FIELD_COUNT
} proto_field;

/* What the wire says of an operation: its name, the fields it cannot do without (in the
 * order they are checked: "snapshot needs period"), and whether it carries records. Any
 * other field is allowed and ignored where it means nothing. What leamond does with the
 * op (who may ask, its handler) is the daemon's op table. */
#define PROTO_MAX_NEEDS 3
typedef struct {
    const char *name;
    proto_field needs[PROTO_MAX_NEEDS];
    size_t n_needs;
    bool records;
} proto_op_def;

extern const proto_op_def proto_ops[PROTO_OP_COUNT];

/* Fields of a record, as bits, so validation can skip fields that failed to decode. */
enum {
    PROTO_F_METRIC = 1u << 0,
    PROTO_F_AREA = 1u << 1,
    PROTO_F_PERIOD = 1u << 2,
    PROTO_F_VALUE = 1u << 3
};

typedef struct {
    char metric[PROTO_MAX_CODE + 1];
    char area[PROTO_MAX_AREA + 1];   /* "" when absent: the reporter's home area */
    char period[PROTO_MAX_PERIOD + 1];
    double value;
    unsigned bad;                    /* PROTO_F_* bits of fields that failed to decode */
} proto_record;

/* One problem with one record (index >= 0) or with the request (index -1). */
typedef struct {
    long index;
    char field[16];
    char code[24];
    char message[200];
} proto_error;

/* Errors of one request: the first PROTO_MAX_ERRORS are kept, all are counted. */
typedef struct {
    proto_error *items; /* owned; grown on demand */
    size_t count;
    size_t cap;
    size_t total;
} proto_errors;

typedef struct {
    int version;
    proto_op op;
    char id[PROTO_MAX_ID + 1];
    char reporter[PROTO_MAX_CODE + 1]; /* insecure mode only: who claims to send */
    bool dry_run;
    bool all;                          /* silences: the expired ones of any age too */
    proto_record *records;             /* submit: n_records of them, owned */
    size_t n_records;
    /* Queries; "" when absent. */
    char indicator[PROTO_MAX_CODE + 1]; /* snapshot, series */
    char metric[PROTO_MAX_CODE + 1];    /* completeness, figures: one metric (default all) */
    char period[PROTO_MAX_PERIOD + 1];  /* snapshot, completeness, figures */
    char from[PROTO_MAX_PERIOD + 1];    /* series, figures */
    char to[PROTO_MAX_PERIOD + 1];      /* series, figures */
    char area[PROTO_MAX_AREA + 1];      /* snapshot, series: default the first top area */
    char by[16];                        /* snapshot: "area" (child areas) or "reporter" */
    bool has_as_of;
    int64_t as_of;                      /* snapshot: unix seconds */
    char state[16];                     /* alerts: open, pending, firing, resolved, all */
    char rule[PROTO_MAX_CODE + 1];      /* alerts, silence */
    char organisation[PROTO_MAX_CODE + 1]; /* retract, figures, completeness: whose figures;
                                          * silence: a matcher */
    char severity[16];                  /* silence: a matcher (warning, critical) */
    char note[PROTO_MAX_NOTE + 1];      /* ack, silence: UTF-8 text, no control characters */
    bool has_since, has_until, has_starts, has_alert, has_silence_id, has_offset, has_backup;
    int64_t since;                      /* alerts: changed at or after, unix seconds */
    int64_t until;                      /* silence: its end, unix seconds */
    int64_t starts;                     /* silence: its start (default now) */
    int64_t alert;                      /* ack: the alert's id */
    int64_t silence_id;                 /* unsilence: the silence's id */
    int64_t offset;                     /* backup: bytes of the copy already received */
    int64_t backup;                     /* backup: which copy (from the first reply) */
} proto_request;

/* Name of an op ("ping", ...) and back; proto_op_parse returns -1 if unknown. */
const char *proto_op_name(proto_op op);
int proto_op_parse(const char *name, size_t len, proto_op *out);
/* A field's name on the wire ("as_of"). */
const char *proto_field_name(proto_field f);
/* True if req carries field f (a text not "", an integer given, dry_run true, records). */
bool proto_request_has(const proto_request *req, proto_field f);

/* Decode one request frame. On success returns 200 and fills req (free with
 * proto_request_free); record-level problems (wrong type, missing field) are
 * added to errs and flagged in record.bad, and *e is empty. On failure returns 400, 404,
 * 413 (or 500 when out of memory), the same status and a one-line reason in *e (e may be
 * NULL), and leaves req empty but for id and op (PROTO_OP_COUNT if unknown), kept when
 * they could be read for the reply. */
int proto_request_decode(const void *buf, size_t len, proto_request *req,
                         proto_errors *errs, lm_error *e);
/* Decode one request frame as proto_request_decode does, but without unpacking it and
 * without reading a submission's records: nothing is allocated, whatever the size. The
 * status, the reason and req are what proto_request_decode gives (but for its refusals for
 * want of memory), except that a submission that decodes (200) has no records (n_records
 * 0), only their number in *n_records (n_records may be NULL). A record's own problems never
 * change the status of a request, so a submission that will not be stored is answered as if
 * it had been decoded. */
int proto_request_head(const void *buf, size_t len, proto_request *req, size_t *n_records,
                       lm_error *e);
void proto_request_free(proto_request *req);

/* Encode a request (client side). Returns 0 or -1. */
int proto_request_encode(const proto_request *req, msgpack_sbuffer *out);

/* Error list. proto_errors_add formats the message printf-style. */
void proto_errors_init(proto_errors *errs);
void proto_errors_free(proto_errors *errs);
/* Order by record index, keeping the order of errors within a record. */
void proto_errors_sort(proto_errors *errs);
void proto_errors_add(proto_errors *errs, long index, const char *field, const char *code,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Copy s into dst (size n) with every byte outside printable ASCII replaced by '?',
 * truncated with "..." if longer: safe to quote in a message or log line. */
void proto_quote(char *dst, size_t n, const char *s, size_t len);

/* Packing by hand, for tools and tests that build raw or deliberately malformed
 * messages; the daemon and the client write through mpw.h. Each returns 0 or -1. */
int proto_pack_str(msgpack_packer *pk, const char *s);
int proto_pack_kv_str(msgpack_packer *pk, const char *key, const char *value);
int proto_pack_kv_int(msgpack_packer *pk, const char *key, int64_t value);
/* A number: whole numbers as msgpack integers, others as float64. */
int proto_pack_number(msgpack_packer *pk, double value);

/* True if key is the string name. */
bool proto_key_is(const msgpack_object *key, const char *name);

/* Reading replies. proto_get returns the value of key in map obj, or NULL. */
const msgpack_object *proto_get(const msgpack_object *map, const char *key);
/* The typed accessors return 0, or -1 if absent or of another type. */
int proto_get_int(const msgpack_object *map, const char *key, int64_t *out);
int proto_get_double(const msgpack_object *map, const char *key, double *out);
int proto_get_bool(const msgpack_object *map, const char *key, bool *out);
/* Copies the string (truncating to n-1 bytes) into dst. */
int proto_get_str(const msgpack_object *map, const char *key, char *dst, size_t n);
/* Numeric value of any msgpack number (int or float); 0 or -1. */
int proto_obj_number(const msgpack_object *obj, double *out);

/* Write obj as JSON (strings escaped, binary as base64-less hex string). */
int proto_write_json(FILE *out, const msgpack_object *obj);

#endif
