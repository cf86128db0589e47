/* request.c: the requests of the leamon protocol (PROTOCOL.md §3, §5): the table of
 * operations, the table of request fields, and decoding and encoding by those tables. */
#include "proto.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "mpw.h"
#include "scan.h"

/* ---- the operations -------------------------------------------------------- */

const proto_op_def proto_ops[PROTO_OP_COUNT] = {
    [PROTO_OP_PING] = {"ping", {0}, 0, false},
    [PROTO_OP_SUBMIT] = {"submit", {0}, 0, true},
    [PROTO_OP_STATUS] = {"status", {0}, 0, false},
    [PROTO_OP_CATALOG] = {"catalog", {0}, 0, false},
    [PROTO_OP_SNAPSHOT] = {"snapshot", {PROTO_FIELD_INDICATOR, PROTO_FIELD_PERIOD}, 2, false},
    [PROTO_OP_SERIES] = {"series", {PROTO_FIELD_INDICATOR, PROTO_FIELD_FROM, PROTO_FIELD_TO}, 3,
                         false},
    [PROTO_OP_COMPLETENESS] = {"completeness", {PROTO_FIELD_PERIOD}, 1, false},
    [PROTO_OP_ALERTS] = {"alerts", {0}, 0, false},
    [PROTO_OP_ACK] = {"ack", {PROTO_FIELD_ALERT, PROTO_FIELD_NOTE}, 2, false},
    [PROTO_OP_SILENCE] = {"silence", {PROTO_FIELD_UNTIL}, 1, false},
    [PROTO_OP_BACKUP] = {"backup", {0}, 0, false},
    [PROTO_OP_RETRACT] = {"retract", {PROTO_FIELD_METRIC, PROTO_FIELD_PERIOD}, 2, false},
    [PROTO_OP_CLOSE] = {"close", {PROTO_FIELD_PERIOD}, 1, false},
    [PROTO_OP_REOPEN] = {"reopen", {PROTO_FIELD_PERIOD, PROTO_FIELD_NOTE}, 2, false},
    [PROTO_OP_SILENCES] = {"silences", {0}, 0, false},
    [PROTO_OP_UNSILENCE] = {"unsilence", {PROTO_FIELD_SILENCE_ID}, 1, false},
    /* period, or from and to: the handler checks which (one field or the other pair). */
    [PROTO_OP_FIGURES] = {"figures", {0}, 0, false},
};

const char *proto_op_name(proto_op op)
{
    return (op >= 0 && op < PROTO_OP_COUNT) ? proto_ops[op].name : "?";
}

int proto_op_parse(const char *name, size_t len, proto_op *out)
{
    for (int i = 0; i < PROTO_OP_COUNT; i++) {
        if (strlen(proto_ops[i].name) == len && memcmp(proto_ops[i].name, name, len) == 0) {
            *out = (proto_op)i;
            return 0;
        }
    }
    return -1;
}

/* ---- the fields ---------------------------------------------------------- */

typedef enum {
    FK_TEXT,    /* printable ASCII without spaces, 1..max bytes */
    FK_INT,     /* a non-negative integer, with a has_ flag */
    FK_NOTE,    /* UTF-8 text without control characters */
    FK_BOOL,
    FK_RECORDS  /* the records of a submission */
} field_kind;

#define AT(member) offsetof(proto_request, member)
#define LONGEST(member) (sizeof(((proto_request *)0)->member) - 1)

/* In the order they are checked and encoded. */
static const struct {
    const char *name;
    field_kind kind;
    size_t at;       /* where the value goes in proto_request */
    size_t has_at;   /* FK_INT: its has_ flag */
    size_t max;      /* FK_TEXT: the longest value, bytes */
    const char *what;/* FK_INT: what the number is, for the type error */
} fields[PROTO_FIELD_COUNT] = {
    [PROTO_FIELD_REPORTER] = {"reporter", FK_TEXT, AT(reporter), 0, PROTO_MAX_CODE, NULL},
    [PROTO_FIELD_DRY_RUN] = {"dry_run", FK_BOOL, AT(dry_run), 0, 0, NULL},
    [PROTO_FIELD_ALL] = {"all", FK_BOOL, AT(all), 0, 0, NULL},
    [PROTO_FIELD_INDICATOR] = {"indicator", FK_TEXT, AT(indicator), 0, PROTO_MAX_CODE, NULL},
    [PROTO_FIELD_METRIC] = {"metric", FK_TEXT, AT(metric), 0, PROTO_MAX_CODE, NULL},
    [PROTO_FIELD_PERIOD] = {"period", FK_TEXT, AT(period), 0, PROTO_MAX_PERIOD, NULL},
    [PROTO_FIELD_FROM] = {"from", FK_TEXT, AT(from), 0, PROTO_MAX_PERIOD, NULL},
    [PROTO_FIELD_TO] = {"to", FK_TEXT, AT(to), 0, PROTO_MAX_PERIOD, NULL},
    [PROTO_FIELD_AREA] = {"area", FK_TEXT, AT(area), 0, PROTO_MAX_AREA, NULL},
    [PROTO_FIELD_BY] = {"by", FK_TEXT, AT(by), 0, LONGEST(by), NULL},
    [PROTO_FIELD_STATE] = {"state", FK_TEXT, AT(state), 0, LONGEST(state), NULL},
    [PROTO_FIELD_RULE] = {"rule", FK_TEXT, AT(rule), 0, PROTO_MAX_CODE, NULL},
    [PROTO_FIELD_ORGANISATION] = {"organisation", FK_TEXT, AT(organisation), 0, PROTO_MAX_CODE,
                                  NULL},
    [PROTO_FIELD_SEVERITY] = {"severity", FK_TEXT, AT(severity), 0, LONGEST(severity), NULL},
    [PROTO_FIELD_AS_OF] = {"as_of", FK_INT, AT(as_of), AT(has_as_of), 0, "a time in unix seconds"},
    [PROTO_FIELD_SINCE] = {"since", FK_INT, AT(since), AT(has_since), 0, "a time in unix seconds"},
    [PROTO_FIELD_UNTIL] = {"until", FK_INT, AT(until), AT(has_until), 0, "a time in unix seconds"},
    [PROTO_FIELD_STARTS] = {"starts", FK_INT, AT(starts), AT(has_starts), 0,
                            "a time in unix seconds"},
    [PROTO_FIELD_ALERT] = {"alert", FK_INT, AT(alert), AT(has_alert), 0,
                           "an alert id (an integer)"},
    [PROTO_FIELD_SILENCE_ID] = {"silence_id", FK_INT, AT(silence_id), AT(has_silence_id), 0,
                                "a silence id (an integer)"},
    [PROTO_FIELD_OFFSET] = {"offset", FK_INT, AT(offset), AT(has_offset), 0,
                            "a byte offset (an integer)"},
    [PROTO_FIELD_BACKUP] = {"backup", FK_INT, AT(backup), AT(has_backup), 0,
                            "a backup id (an integer)"},
    [PROTO_FIELD_NOTE] = {"note", FK_NOTE, AT(note), 0, PROTO_MAX_NOTE, NULL},
    [PROTO_FIELD_RECORDS] = {"records", FK_RECORDS, 0, 0, 0, NULL},
};

const char *proto_field_name(proto_field f)
{
    return f < PROTO_FIELD_COUNT ? fields[f].name : "?";
}

#define TEXT(req, f) ((char *)(req) + fields[f].at)
#define CTEXT(req, f) ((const char *)(req) + fields[f].at)
#define FLAG(req, f, off) (*(bool *)((char *)(req) + (off)))
#define CFLAG(req, f, off) (*(const bool *)((const char *)(req) + (off)))
#define INT(req, f) (*(int64_t *)((char *)(req) + fields[f].at))
#define CINT(req, f) (*(const int64_t *)((const char *)(req) + fields[f].at))

bool proto_request_has(const proto_request *req, proto_field f)
{
    switch (fields[f].kind) {
    case FK_TEXT:
    case FK_NOTE:
        return CTEXT(req, f)[0] != '\0';
    case FK_INT:
        return CFLAG(req, f, fields[f].has_at);
    case FK_BOOL:
        return CFLAG(req, f, fields[f].at);
    case FK_RECORDS:
        return req->n_records > 0;
    }
    return false;
}

/* ---- decoding ---------------------------------------------------------- */

/* Request ids travel in logs and replies: printable ASCII without spaces. */
static bool id_chars_ok(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
            return false;
    return true;
}

static const char *type_name(const msgpack_object *o)
{
    switch (o->type) {
    case MSGPACK_OBJECT_NIL: return "nil";
    case MSGPACK_OBJECT_BOOLEAN: return "a boolean";
    case MSGPACK_OBJECT_POSITIVE_INTEGER:
    case MSGPACK_OBJECT_NEGATIVE_INTEGER: return "an integer";
    case MSGPACK_OBJECT_FLOAT32:
    case MSGPACK_OBJECT_FLOAT64: return "a float";
    case MSGPACK_OBJECT_STR: return "a string";
    case MSGPACK_OBJECT_ARRAY: return "an array";
    case MSGPACK_OBJECT_MAP: return "a map";
    case MSGPACK_OBJECT_BIN: return "binary";
    case MSGPACK_OBJECT_EXT: return "an extension";
    }
    return "unknown";
}

/* Copy a string field of a record into dst (max bytes), or record why not. */
static void record_str(const msgpack_object *v, char *dst, size_t max, long index,
                       const char *field, unsigned bit, proto_record *rec, proto_errors *errs)
{
    if (v->type != MSGPACK_OBJECT_STR) {
        proto_errors_add(errs, index, field, "type", "%s must be a string, got %s", field,
                         type_name(v));
        rec->bad |= bit;
        return;
    }
    if (memchr(v->via.str.ptr, '\0', v->via.str.size)) {
        proto_errors_add(errs, index, field, "bad_chars", "%s must not contain a NUL byte",
                         field);
        rec->bad |= bit;
        return;
    }
    if (v->via.str.size == 0 || v->via.str.size > max) {
        char q[40];
        proto_quote(q, sizeof q, v->via.str.ptr, v->via.str.size);
        proto_errors_add(errs, index, field, v->via.str.size ? "too_long" : "missing",
                         "%s must be 1 to %zu characters, got %u ('%s')", field, max,
                         (unsigned)v->via.str.size, q);
        rec->bad |= bit;
        return;
    }
    memcpy(dst, v->via.str.ptr, v->via.str.size);
    dst[v->via.str.size] = '\0';
}

static void decode_record(const msgpack_object *o, long index, proto_record *rec,
                          proto_errors *errs)
{
    memset(rec, 0, sizeof *rec);
    if (o->type != MSGPACK_OBJECT_MAP) {
        proto_errors_add(errs, index, "record", "type", "record must be a map, got %s",
                         type_name(o));
        rec->bad = PROTO_F_METRIC | PROTO_F_AREA | PROTO_F_PERIOD | PROTO_F_VALUE;
        return;
    }
    static const struct { unsigned bit; const char *name; } parts[] = {
        {PROTO_F_METRIC, "metric"}, {PROTO_F_AREA, "area"}, {PROTO_F_PERIOD, "period"},
        {PROTO_F_VALUE, "value"}};
    unsigned seen = 0;
    for (uint32_t i = 0; i < o->via.map.size; i++) {
        const msgpack_object_kv *kv = &o->via.map.ptr[i];
        unsigned bit = 0;
        const char *name = NULL;
        for (size_t f = 0; f < sizeof parts / sizeof parts[0] && !bit; f++)
            if (proto_key_is(&kv->key, parts[f].name)) {
                bit = parts[f].bit;
                name = parts[f].name;
            }
        if (!bit) {
            char q[16];
            if (kv->key.type == MSGPACK_OBJECT_STR)
                proto_quote(q, sizeof q, kv->key.via.str.ptr, kv->key.via.str.size);
            else
                snprintf(q, sizeof q, "(%s)", type_name(&kv->key));
            proto_errors_add(errs, index, q, "unknown_field",
                             "unknown field '%s': a record has metric, area, period and value", q);
            continue;
        }
        if (seen & bit) {
            proto_errors_add(errs, index, name, "duplicate_field", "%s appears twice in the record",
                             name);
            rec->bad |= bit;
            continue;
        }
        seen |= bit;
        switch (bit) {
        case PROTO_F_METRIC:
            record_str(&kv->val, rec->metric, PROTO_MAX_CODE, index, "metric", bit, rec, errs);
            break;
        case PROTO_F_AREA:
            record_str(&kv->val, rec->area, PROTO_MAX_AREA, index, "area", bit, rec, errs);
            break;
        case PROTO_F_PERIOD:
            record_str(&kv->val, rec->period, PROTO_MAX_PERIOD, index, "period", bit, rec, errs);
            break;
        default:
            if (proto_obj_number(&kv->val, &rec->value) != 0) {
                proto_errors_add(errs, index, "value", "type", "value must be a number, got %s",
                                 type_name(&kv->val));
                rec->bad |= bit;
            }
            break;
        }
    }
    for (size_t f = 0; f < sizeof parts / sizeof parts[0]; f++) {
        if (parts[f].bit != PROTO_F_AREA && !(seen & parts[f].bit)) {
            proto_errors_add(errs, index, parts[f].name, "missing", "%s is missing",
                             parts[f].name);
            rec->bad |= parts[f].bit;
        }
    }
}

/* The decoders below return 0, or -1 with the reply status and the reason in *e. */

/* Free text (a note): UTF-8 without control characters, 1 to PROTO_MAX_NOTE bytes. */
static bool utf8_text_ok(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = s[i];
        size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
                                  : (c & 0xF8) == 0xF0 ? 4 : 0;
        if (len == 0 || i + len > n || (len == 1 && (c < 0x20 || c == 0x7F)) ||
            (len == 2 && c < 0xC2) || (len == 4 && c > 0xF4))
            return false;
        for (size_t k = 1; k < len; k++)
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
        unsigned char d = len > 1 ? s[i + 1] : 0;
        /* Overlong forms, UTF-16 surrogates, beyond U+10FFFF, and C1 controls. */
        if ((c == 0xE0 && d < 0xA0) || (c == 0xED && d >= 0xA0) || (c == 0xF0 && d < 0x90) ||
            (c == 0xF4 && d >= 0x90) || (c == 0xC2 && d < 0xA0))
            return false;
        i += len;
    }
    return true;
}

static int note_str(const msgpack_object *v, char *dst, lm_error *e)
{
    if (v->type != MSGPACK_OBJECT_STR)
        return lm_fail(e, PROTO_BAD_REQUEST, "note must be a string, got %s",
                       type_name(v));
    if (v->via.str.size == 0 || v->via.str.size > PROTO_MAX_NOTE)
        return lm_fail(e, PROTO_BAD_REQUEST, "note must be 1 to %d bytes, got %u",
                       PROTO_MAX_NOTE, (unsigned)v->via.str.size);
    if (!utf8_text_ok((const unsigned char *)v->via.str.ptr, v->via.str.size))
        return lm_fail(e, PROTO_BAD_REQUEST,
                       "note must be UTF-8 text without control characters");
    memcpy(dst, v->via.str.ptr, v->via.str.size);
    dst[v->via.str.size] = '\0';
    return 0;
}
/* Top-level string field: type, length, and (for ids) character checks. */
static int top_str(const msgpack_object *v, const char *field, char *dst, size_t max,
                   lm_error *e)
{
    if (v->type != MSGPACK_OBJECT_STR)
        return lm_fail(e, PROTO_BAD_REQUEST, "%s must be a string, got %s", field,
                       type_name(v));
    if (v->via.str.size == 0 || v->via.str.size > max)
        return lm_fail(e, PROTO_BAD_REQUEST, "%s must be 1 to %zu characters, got %u",
                       field, max, (unsigned)v->via.str.size);
    if (!id_chars_ok(v->via.str.ptr, v->via.str.size))
        return lm_fail(e, PROTO_BAD_REQUEST,
                       "%s must be printable ASCII without spaces", field);
    memcpy(dst, v->via.str.ptr, v->via.str.size);
    dst[v->via.str.size] = '\0';
    return 0;
}

/* Check one field's value and put it into req. */
static int decode_field(proto_field f, const msgpack_object *v, proto_request *req, lm_error *e)
{
    switch (fields[f].kind) {
    case FK_TEXT:
        return top_str(v, fields[f].name, TEXT(req, f), fields[f].max, e);
    case FK_NOTE:
        return note_str(v, TEXT(req, f), e);
    case FK_BOOL:
        if (v->type != MSGPACK_OBJECT_BOOLEAN)
            return lm_fail(e, PROTO_BAD_REQUEST, "%s must be a boolean, got %s",
                           fields[f].name, type_name(v));
        FLAG(req, f, fields[f].at) = v->via.boolean;
        return 0;
    case FK_INT:
        if (v->type != MSGPACK_OBJECT_POSITIVE_INTEGER || v->via.u64 > INT64_MAX)
            return lm_fail(e, PROTO_BAD_REQUEST, "%s must be %s, got %s",
                           fields[f].name, fields[f].what,
                           v->type == MSGPACK_OBJECT_NEGATIVE_INTEGER ? "a negative integer"
                                                                      : type_name(v));
        FLAG(req, f, fields[f].has_at) = true;
        INT(req, f) = (int64_t)v->via.u64;
        return 0;
    case FK_RECORDS:
        break;
    }
    return 0;
}

/* The records of a submission. With counted, only their number is taken (into *counted):
 * the elements are neither read nor allocated. */
static int decode_records(const msgpack_object *records, proto_request *req, proto_errors *errs,
                          size_t *counted, lm_error *e)
{
    if (records->type != MSGPACK_OBJECT_ARRAY)
        return lm_fail(e, PROTO_BAD_REQUEST, "records must be an array, got %s",
                       type_name(records));
    uint32_t n = records->via.array.size;
    if (n == 0)
        return lm_fail(e, PROTO_BAD_REQUEST, "records is empty: nothing to submit");
    if (n > PROTO_MAX_RECORDS)
        return lm_fail(e, PROTO_TOO_LARGE,
                       "%u records in one submission; the limit is %d", (unsigned)n,
                       PROTO_MAX_RECORDS);
    if (counted) {
        *counted = n;
        return 0;
    }
    req->records = calloc(n, sizeof *req->records);
    if (!req->records)
        return lm_fail(e, PROTO_INTERNAL, "out of memory");
    req->n_records = n;
    for (uint32_t i = 0; i < n; i++)
        decode_record(&records->via.array.ptr[i], (long)i, &req->records[i], errs);
    return 0;
}

/* "unknown op 'x': this server knows ping, submit, ..." */
static int unknown_op(const msgpack_object *op, lm_error *e)
{
    char q[40], known[256] = "";
    size_t used = 0;
    proto_quote(q, sizeof q, op->via.str.ptr, op->via.str.size);
    for (int i = 0; i < PROTO_OP_COUNT && used < sizeof known; i++)
        used += (size_t)snprintf(known + used, sizeof known - used, "%s%s", i ? ", " : "",
                                 proto_ops[i].name);
    return lm_fail(e, PROTO_NOT_FOUND, "unknown op '%s': this server knows %s", q, known);
}

/* The top-level fields of a request, taken one key and value at a time as they come in its
 * map (from msgpack-c's unpacked map, or read from the bytes by proto_scan_object): the
 * first value of each name, and the first problem with a key. */
enum { TOP_V = PROTO_FIELD_COUNT, TOP_OP, TOP_ID, TOP_COUNT };

typedef struct {
    msgpack_object val[TOP_COUNT]; /* by value: a shallow object lives no longer than this */
    bool seen[TOP_COUNT];
    char problem[160];
} top_fields;

static void top_take(top_fields *t, const msgpack_object *key, const msgpack_object *val)
{
    int k = proto_key_is(key, "v") ? TOP_V : proto_key_is(key, "op") ? TOP_OP
                                          : proto_key_is(key, "id") ? TOP_ID
                                                                    : -1;
    for (int f = 0; k < 0 && f < PROTO_FIELD_COUNT; f++)
        if (proto_key_is(key, fields[f].name))
            k = f;
    char q[40];
    if (k < 0) {
        if (t->problem[0])
            return;
        if (key->type != MSGPACK_OBJECT_STR) {
            snprintf(t->problem, sizeof t->problem, "map keys must be strings, got %s",
                     type_name(key));
            return;
        }
        proto_quote(q, sizeof q, key->via.str.ptr, key->via.str.size);
        snprintf(t->problem, sizeof t->problem, "unknown field '%s'", q);
        return;
    }
    if (t->seen[k]) {
        if (!t->problem[0]) {
            proto_quote(q, sizeof q, key->via.str.ptr, key->via.str.size);
            snprintf(t->problem, sizeof t->problem, "field '%s' appears twice", q);
        }
        return;
    }
    t->seen[k] = true;
    t->val[k] = *val;
}

/* Check and take the fields into req; records as decode_records (counted or decoded). */
static int top_decode(const top_fields *t, proto_request *req, proto_errors *errs,
                      size_t *counted, lm_error *e)
{
    const msgpack_object *val[TOP_COUNT];
    for (int k = 0; k < TOP_COUNT; k++)
        val[k] = t->seen[k] ? &t->val[k] : NULL;
    const msgpack_object *v = val[TOP_V], *op = val[TOP_OP], *id = val[TOP_ID];
    /* The problem with the map's keys is reported after the id is read, so that the reply
     * carries the id and the client knows it is the answer to its request. */
    if (!id)
        return lm_fail(e, PROTO_BAD_REQUEST, "id is missing%s%s",
                       t->problem[0] ? "; " : "", t->problem);
    if (top_str(id, "id", req->id, PROTO_MAX_ID, e) != 0)
        return -1;
    if (t->problem[0])
        return lm_fail(e, PROTO_BAD_REQUEST, "%s", t->problem);
    if (!v)
        return lm_fail(e, PROTO_BAD_REQUEST, "v (protocol version) is missing");
    if (v->type != MSGPACK_OBJECT_POSITIVE_INTEGER)
        return lm_fail(e, PROTO_BAD_REQUEST, "v must be a positive integer, got %s",
                       type_name(v));
    if (v->via.u64 != PROTO_VERSION)
        return lm_fail(e, PROTO_BAD_REQUEST,
                       "unsupported protocol version %llu: this server speaks version %d",
                       (unsigned long long)v->via.u64, PROTO_VERSION);
    req->version = PROTO_VERSION;
    if (!op)
        return lm_fail(e, PROTO_BAD_REQUEST, "op is missing");
    if (op->type != MSGPACK_OBJECT_STR)
        return lm_fail(e, PROTO_BAD_REQUEST, "op must be a string, got %s",
                       type_name(op));
    if (proto_op_parse(op->via.str.ptr, op->via.str.size, &req->op) != 0)
        return unknown_op(op, e);
    for (int f = 0; f < PROTO_FIELD_COUNT; f++)
        if (val[f] && decode_field((proto_field)f, val[f], req, e) != 0)
            return -1;
    /* What the op needs; the meaning (a known indicator, a valid period) is the daemon's. */
    const proto_op_def *def = &proto_ops[req->op];
    for (size_t k = 0; k < def->n_needs; k++)
        if (!val[def->needs[k]])
            return lm_fail(e, PROTO_BAD_REQUEST, "%s needs %s", def->name,
                           fields[def->needs[k]].name);
    const msgpack_object *records = val[PROTO_FIELD_RECORDS];
    if (!def->records && records)
        return lm_fail(e, PROTO_BAD_REQUEST, "records belong to op %s only",
                       proto_ops[PROTO_OP_SUBMIT].name);
    if (!def->records)
        return 0;
    if (!records)
        return lm_fail(e, PROTO_BAD_REQUEST, "records is missing");
    return decode_records(records, req, errs, counted, e);
}

static int decode_root(const msgpack_object *root, proto_request *req, proto_errors *errs,
                       lm_error *e)
{
    if (root->type != MSGPACK_OBJECT_MAP)
        return lm_fail(e, PROTO_BAD_REQUEST, "a request must be a msgpack map, got %s",
                       type_name(root));
    top_fields t = {0};
    for (uint32_t i = 0; i < root->via.map.size; i++)
        top_take(&t, &root->via.map.ptr[i].key, &root->via.map.ptr[i].val);
    return top_decode(&t, req, errs, NULL, e);
}

/* ---- structure check before unpacking ----------------------------------- */

/* What both decoders do first: req empty, and the size checked. 0, or the status of the
 * refusal. (The structure is checked next, by proto_scan or proto_scan_object.) */
static int decode_start(size_t len, proto_request *req, lm_error *e)
{
    lm_error_clear(e);
    memset(req, 0, sizeof *req);
    req->op = PROTO_OP_COUNT; /* unknown until read */
    if (len > PROTO_MAX_MESSAGE) {
        lm_fail(e, PROTO_TOO_LARGE, "message of %zu bytes; the limit is %d", len,
                PROTO_MAX_MESSAGE);
        return e->status;
    }
    return 0;
}

/* What both decoders do last: the status, and on a refusal req empty but for what
 * identifies the request, for the reply and the log line. */
static int decode_end(int rc, proto_request *req, const lm_error *e)
{
    int st = rc == 0 ? PROTO_OK : e->status;
    if (st != PROTO_OK) {
        char id[PROTO_MAX_ID + 1];
        proto_op op = req->op;
        memcpy(id, req->id, sizeof id);
        proto_request_free(req);
        memcpy(req->id, id, sizeof id);
        req->op = op;
    }
    return st;
}

int proto_request_decode(const void *buf, size_t len, proto_request *req, proto_errors *errs,
                         lm_error *err)
{
    lm_error local;
    lm_error *e = err ? err : &local;
    int st = decode_start(len, req, e);
    size_t end = 0;
    if (st || proto_scan(buf, len, &end, e) != 0)
        return e->status;
    int rc;
    msgpack_unpacked u;
    msgpack_unpacked_init(&u);
    size_t off = 0;
    msgpack_unpack_return r = msgpack_unpack_next(&u, buf, len, &off);
    if (r == MSGPACK_UNPACK_SUCCESS && off != len && u.data.type == MSGPACK_OBJECT_MAP)
        rc = lm_fail(e, PROTO_BAD_REQUEST, "%zu bytes after the end of the request map",
                     len - off);
    else if (r == MSGPACK_UNPACK_SUCCESS)
        rc = decode_root(&u.data, req, errs, e);
    else if (r == MSGPACK_UNPACK_CONTINUE || r == MSGPACK_UNPACK_EXTRA_BYTES)
        rc = lm_fail(e, PROTO_BAD_REQUEST, "truncated msgpack message");
    else if (r == MSGPACK_UNPACK_NOMEM_ERROR)
        rc = lm_fail(e, PROTO_TOO_LARGE, "message too large to decode");
    else
        rc = lm_fail(e, PROTO_BAD_REQUEST,
                     "not a msgpack message (or nested deeper than the decoder allows)");
    msgpack_unpacked_destroy(&u);
    return decode_end(rc, req, e);
}

/* The top-level map is walked in place, each key and value read shallow: a value is
 * never unpacked, and none but the records would need to be (the others are strings,
 * numbers and booleans, or of a wrong type, which its header tells). */
int proto_request_head(const void *buf, size_t len, proto_request *req, size_t *n_records,
                       lm_error *err)
{
    lm_error local;
    lm_error *e = err ? err : &local;
    size_t counted = 0;
    if (n_records)
        *n_records = 0;
    const unsigned char *p = buf;
    msgpack_object root, key, val;
    size_t pos = 0, end = 0, kend = 0, vend = 0, head = 0;
    /* (proto_scan_object checks the whole message, as proto_scan does for the decoder.) */
    if (decode_start(len, req, e) || proto_scan_object(p, len, &root, &pos, &end, e) != 0)
        return e->status;
    int rc = 0;
    if (root.type == MSGPACK_OBJECT_MAP && end != len)
        rc = lm_fail(e, PROTO_BAD_REQUEST, "%zu bytes after the end of the request map",
                     len - end);
    else if (root.type != MSGPACK_OBJECT_MAP)
        rc = decode_root(&root, req, NULL, e); /* refused for its type alone */
    else {
        top_fields t = {0};
        for (uint32_t i = 0; rc == 0 && i < root.via.map.size; i++) {
            if (proto_scan_object(p + pos, len - pos, &key, &head, &kend, e) != 0 ||
                proto_scan_object(p + pos + kend, len - pos - kend, &val, &head, &vend,
                                  e) != 0)
                rc = -1;
            else
                top_take(&t, &key, &val);
            pos += kend + vend;
        }
        if (rc == 0)
            rc = top_decode(&t, req, NULL, &counted, e);
    }
    int st = decode_end(rc, req, e);
    if (st == PROTO_OK && n_records)
        *n_records = counted;
    return st;
}

void proto_request_free(proto_request *req)
{
    free(req->records);
    memset(req, 0, sizeof *req);
}

/* ---- encoding ---------------------------------------------------------- */

int proto_request_encode(const proto_request *req, msgpack_sbuffer *out)
{
    if (req->op < 0 || req->op >= PROTO_OP_COUNT)
        return -1;
    mpw w;
    mpw_init(&w);
    mpw_map(&w);
    mpw_kv_int(&w, "v", PROTO_VERSION);
    mpw_kv_str(&w, "op", proto_op_name(req->op));
    mpw_kv_str(&w, "id", req->id);
    for (int f = 0; f < PROTO_FIELD_COUNT; f++) {
        bool records = f == PROTO_FIELD_RECORDS && proto_ops[req->op].records;
        if (!records && !proto_request_has(req, (proto_field)f))
            continue;
        mpw_key(&w, fields[f].name);
        switch (fields[f].kind) {
        case FK_TEXT:
        case FK_NOTE:
            mpw_str(&w, CTEXT(req, f));
            break;
        case FK_INT:
            mpw_int(&w, CINT(req, f));
            break;
        case FK_BOOL:
            mpw_bool(&w, true);
            break;
        case FK_RECORDS:
            mpw_array(&w);
            for (size_t i = 0; i < req->n_records; i++) {
                const proto_record *r = &req->records[i];
                mpw_map(&w);
                mpw_kv_str(&w, "metric", r->metric);
                if (r->area[0])
                    mpw_kv_str(&w, "area", r->area);
                mpw_kv_str(&w, "period", r->period);
                mpw_kv_number(&w, "value", r->value);
                mpw_end(&w);
            }
            mpw_end(&w);
            break;
        }
    }
    mpw_end(&w);
    int rc = mpw_ok(&w) && msgpack_sbuffer_write(out, mpw_data(&w), mpw_size(&w)) == 0 ? 0 : -1;
    mpw_free(&w);
    return rc;
}
