/* proto.c: msgpack codec of leamon requests and replies (proto/PROTOCOL.md). */
#include "proto.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char *const op_names[PROTO_OP_COUNT] = {
    [PROTO_OP_PING] = "ping",
    [PROTO_OP_SUBMIT] = "submit",
    [PROTO_OP_STATUS] = "status",
    [PROTO_OP_CATALOG] = "catalog",
    [PROTO_OP_SNAPSHOT] = "snapshot",
    [PROTO_OP_SERIES] = "series",
    [PROTO_OP_COMPLETENESS] = "completeness",
    [PROTO_OP_ALERTS] = "alerts",
    [PROTO_OP_ACK] = "ack",
    [PROTO_OP_SILENCE] = "silence",
    [PROTO_OP_BACKUP] = "backup",
};

const char *proto_op_name(proto_op op)
{
    return (op >= 0 && op < PROTO_OP_COUNT) ? op_names[op] : "?";
}

int proto_op_parse(const char *name, size_t len, proto_op *out)
{
    for (int i = 0; i < PROTO_OP_COUNT; i++) {
        if (strlen(op_names[i]) == len && memcmp(op_names[i], name, len) == 0) {
            *out = (proto_op)i;
            return 0;
        }
    }
    return -1;
}

void proto_quote(char *dst, size_t n, const char *s, size_t len)
{
    if (n == 0)
        return;
    size_t room = n - 1, i = 0;
    bool cut = len > room;
    if (cut)
        room = room > 3 ? room - 3 : 0;
    for (; i < len && i < room; i++) {
        unsigned char c = (unsigned char)s[i];
        dst[i] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
    }
    if (cut)
        for (size_t k = 0; k < 3 && i < n - 1; k++)
            dst[i++] = '.';
    dst[i] = '\0';
}

void proto_errors_init(proto_errors *errs)
{
    memset(errs, 0, sizeof *errs);
}

void proto_errors_free(proto_errors *errs)
{
    free(errs->items);
    memset(errs, 0, sizeof *errs);
}

void proto_errors_sort(proto_errors *errs)
{
    /* Insertion sort: stable, and the list holds at most PROTO_MAX_ERRORS items. */
    for (size_t i = 1; i < errs->count; i++) {
        proto_error e = errs->items[i];
        size_t j = i;
        for (; j > 0 && errs->items[j - 1].index > e.index; j--)
            errs->items[j] = errs->items[j - 1];
        errs->items[j] = e;
    }
}

void proto_errors_add(proto_errors *errs, long index, const char *field, const char *code,
                      const char *fmt, ...)
{
    errs->total++;
    if (errs->count >= PROTO_MAX_ERRORS)
        return;
    if (errs->count == errs->cap) {
        size_t cap = errs->cap ? errs->cap * 2 : 16;
        if (cap > PROTO_MAX_ERRORS)
            cap = PROTO_MAX_ERRORS;
        proto_error *items = realloc(errs->items, cap * sizeof *items);
        if (!items)
            return; /* still counted in total; the reply says how many */
        errs->items = items;
        errs->cap = cap;
    }
    proto_error *e = &errs->items[errs->count++];
    e->index = index;
    snprintf(e->field, sizeof e->field, "%s", field);
    snprintf(e->code, sizeof e->code, "%s", code);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
}

/* ---- decoding ---------------------------------------------------------- */

static bool key_is(const msgpack_object_kv *kv, const char *name)
{
    size_t n = strlen(name);
    return kv->key.type == MSGPACK_OBJECT_STR && kv->key.via.str.size == n &&
           memcmp(kv->key.via.str.ptr, name, n) == 0;
}

/* Request ids travel in logs and replies: printable ASCII without spaces. */
static bool id_chars_ok(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
            return false;
    return true;
}

int proto_obj_number(const msgpack_object *obj, double *out)
{
    switch (obj->type) {
    case MSGPACK_OBJECT_POSITIVE_INTEGER:
        *out = (double)obj->via.u64;
        return 0;
    case MSGPACK_OBJECT_NEGATIVE_INTEGER:
        *out = (double)obj->via.i64;
        return 0;
    case MSGPACK_OBJECT_FLOAT32:
    case MSGPACK_OBJECT_FLOAT64:
        *out = obj->via.f64;
        return 0;
    default:
        return -1;
    }
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
    static const struct { unsigned bit; const char *name; } fields[] = {
        {PROTO_F_METRIC, "metric"}, {PROTO_F_AREA, "area"}, {PROTO_F_PERIOD, "period"},
        {PROTO_F_VALUE, "value"}};
    unsigned seen = 0;
    for (uint32_t i = 0; i < o->via.map.size; i++) {
        const msgpack_object_kv *kv = &o->via.map.ptr[i];
        unsigned bit = 0;
        const char *name = NULL;
        for (size_t f = 0; f < sizeof fields / sizeof fields[0] && !bit; f++)
            if (key_is(kv, fields[f].name)) {
                bit = fields[f].bit;
                name = fields[f].name;
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
    for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
        if (fields[f].bit != PROTO_F_AREA && !(seen & fields[f].bit)) {
            proto_errors_add(errs, index, fields[f].name, "missing", "%s is missing",
                             fields[f].name);
            rec->bad |= fields[f].bit;
        }
    }
}

static int fail(char *why, size_t why_len, int status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail(char *why, size_t why_len, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, why_len, fmt, ap);
    va_end(ap);
    return status;
}

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

static int note_str(const msgpack_object *v, char *dst, char *why, size_t why_len)
{
    if (v->type != MSGPACK_OBJECT_STR)
        return fail(why, why_len, PROTO_BAD_REQUEST, "note must be a string, got %s",
                    type_name(v));
    if (v->via.str.size == 0 || v->via.str.size > PROTO_MAX_NOTE)
        return fail(why, why_len, PROTO_BAD_REQUEST, "note must be 1 to %d bytes, got %u",
                    PROTO_MAX_NOTE, (unsigned)v->via.str.size);
    if (!utf8_text_ok((const unsigned char *)v->via.str.ptr, v->via.str.size))
        return fail(why, why_len, PROTO_BAD_REQUEST,
                    "note must be UTF-8 text without control characters");
    memcpy(dst, v->via.str.ptr, v->via.str.size);
    dst[v->via.str.size] = '\0';
    return PROTO_OK;
}

/* Top-level string field: type, length, and (for ids) character checks. */
static int top_str(const msgpack_object *v, const char *field, char *dst, size_t max,
                   char *why, size_t why_len)
{
    if (v->type != MSGPACK_OBJECT_STR)
        return fail(why, why_len, PROTO_BAD_REQUEST, "%s must be a string, got %s", field,
                    type_name(v));
    if (v->via.str.size == 0 || v->via.str.size > max)
        return fail(why, why_len, PROTO_BAD_REQUEST, "%s must be 1 to %zu characters, got %u",
                    field, max, (unsigned)v->via.str.size);
    if (!id_chars_ok(v->via.str.ptr, v->via.str.size))
        return fail(why, why_len, PROTO_BAD_REQUEST,
                    "%s must be printable ASCII without spaces", field);
    memcpy(dst, v->via.str.ptr, v->via.str.size);
    dst[v->via.str.size] = '\0';
    return PROTO_OK;
}

static int decode_root(const msgpack_object *root, proto_request *req, proto_errors *errs,
                       char *why, size_t why_len)
{
    if (root->type != MSGPACK_OBJECT_MAP)
        return fail(why, why_len, PROTO_BAD_REQUEST, "a request must be a msgpack map, got %s",
                    type_name(root));
    const msgpack_object_map *m = &root->via.map;
    const msgpack_object *v = NULL, *op = NULL, *id = NULL, *reporter = NULL, *dry = NULL,
                         *records = NULL, *note = NULL;
    /* Query fields: optional codes and periods, each checked the same way. */
    struct {
        const char *name;
        char *dst;
        size_t max;
        const msgpack_object *val;
    } text[] = {
        {"indicator", req->indicator, PROTO_MAX_CODE, NULL},
        {"metric", req->metric, PROTO_MAX_CODE, NULL},
        {"period", req->period, PROTO_MAX_PERIOD, NULL},
        {"from", req->from, PROTO_MAX_PERIOD, NULL},
        {"to", req->to, PROTO_MAX_PERIOD, NULL},
        {"area", req->area, PROTO_MAX_AREA, NULL},
        {"by", req->by, sizeof req->by - 1, NULL},
        {"state", req->state, sizeof req->state - 1, NULL},
        {"rule", req->rule, PROTO_MAX_CODE, NULL},
    };
    const size_t n_text = sizeof text / sizeof text[0];
    /* Times and ids: non-negative integers. */
    struct {
        const char *name;
        bool *has;
        int64_t *dst;
        const msgpack_object *val;
    } ints[] = {
        {"as_of", &req->has_as_of, &req->as_of, NULL},
        {"since", &req->has_since, &req->since, NULL},
        {"until", &req->has_until, &req->until, NULL},
        {"alert", &req->has_alert, &req->alert, NULL},
        {"offset", &req->has_offset, &req->offset, NULL},
        {"backup", &req->has_backup, &req->backup, NULL},
    };
    const size_t n_ints = sizeof ints / sizeof ints[0];
    /* Note the first problem with the map's keys, but read the id before reporting it, so
     * that the reply carries the id and the client knows it is the answer to its request. */
    char problem[160] = "";
    for (uint32_t i = 0; i < m->size; i++) {
        const msgpack_object_kv *kv = &m->ptr[i];
        const msgpack_object **slot;
        char q[40];
        if (key_is(kv, "v"))
            slot = &v;
        else if (key_is(kv, "op"))
            slot = &op;
        else if (key_is(kv, "id"))
            slot = &id;
        else if (key_is(kv, "reporter"))
            slot = &reporter;
        else if (key_is(kv, "dry_run"))
            slot = &dry;
        else if (key_is(kv, "records"))
            slot = &records;
        else if (key_is(kv, "note"))
            slot = &note;
        else {
            slot = NULL;
            for (size_t t = 0; t < n_text && !slot; t++)
                if (key_is(kv, text[t].name))
                    slot = &text[t].val;
            for (size_t t = 0; t < n_ints && !slot; t++)
                if (key_is(kv, ints[t].name))
                    slot = &ints[t].val;
        }
        if (!slot) {
            if (problem[0])
                continue;
            if (kv->key.type != MSGPACK_OBJECT_STR) {
                snprintf(problem, sizeof problem, "map keys must be strings, got %s",
                         type_name(&kv->key));
                continue;
            }
            proto_quote(q, sizeof q, kv->key.via.str.ptr, kv->key.via.str.size);
            snprintf(problem, sizeof problem, "unknown field '%s'", q);
            continue;
        }
        if (*slot) {
            if (!problem[0]) {
                proto_quote(q, sizeof q, kv->key.via.str.ptr, kv->key.via.str.size);
                snprintf(problem, sizeof problem, "field '%s' appears twice", q);
            }
            continue;
        }
        *slot = &kv->val;
    }
    if (!id)
        return fail(why, why_len, PROTO_BAD_REQUEST, "id is missing%s%s",
                    problem[0] ? "; " : "", problem);
    int st = top_str(id, "id", req->id, PROTO_MAX_ID, why, why_len);
    if (st != PROTO_OK)
        return st;
    if (problem[0])
        return fail(why, why_len, PROTO_BAD_REQUEST, "%s", problem);
    if (!v)
        return fail(why, why_len, PROTO_BAD_REQUEST, "v (protocol version) is missing");
    if (v->type != MSGPACK_OBJECT_POSITIVE_INTEGER)
        return fail(why, why_len, PROTO_BAD_REQUEST, "v must be a positive integer, got %s",
                    type_name(v));
    if (v->via.u64 != PROTO_VERSION)
        return fail(why, why_len, PROTO_BAD_REQUEST,
                    "unsupported protocol version %llu: this server speaks version %d",
                    (unsigned long long)v->via.u64, PROTO_VERSION);
    req->version = PROTO_VERSION;
    if (!op)
        return fail(why, why_len, PROTO_BAD_REQUEST, "op is missing");
    if (op->type != MSGPACK_OBJECT_STR)
        return fail(why, why_len, PROTO_BAD_REQUEST, "op must be a string, got %s",
                    type_name(op));
    if (proto_op_parse(op->via.str.ptr, op->via.str.size, &req->op) != 0) {
        char q[40];
        proto_quote(q, sizeof q, op->via.str.ptr, op->via.str.size);
        return fail(why, why_len, PROTO_NOT_FOUND,
                    "unknown op '%s': this server knows ping, submit, status, catalog, "
                    "snapshot, series, completeness, alerts, ack, silence, backup", q);
    }
    if (reporter) {
        st = top_str(reporter, "reporter", req->reporter, PROTO_MAX_CODE, why, why_len);
        if (st != PROTO_OK)
            return st;
    }
    if (dry) {
        if (dry->type != MSGPACK_OBJECT_BOOLEAN)
            return fail(why, why_len, PROTO_BAD_REQUEST, "dry_run must be a boolean, got %s",
                        type_name(dry));
        req->dry_run = dry->via.boolean;
    }
    for (size_t t = 0; t < n_text; t++)
        if (text[t].val &&
            (st = top_str(text[t].val, text[t].name, text[t].dst, text[t].max, why, why_len)) !=
                PROTO_OK)
            return st;
    for (size_t t = 0; t < n_ints; t++) {
        const msgpack_object *iv = ints[t].val;
        if (!iv)
            continue;
        if (iv->type != MSGPACK_OBJECT_POSITIVE_INTEGER || iv->via.u64 > INT64_MAX)
            return fail(why, why_len, PROTO_BAD_REQUEST, "%s must be %s, got %s", ints[t].name,
                        strcmp(ints[t].name, "alert") == 0    ? "an alert id (an integer)"
                        : strcmp(ints[t].name, "offset") == 0 ? "a byte offset (an integer)"
                        : strcmp(ints[t].name, "backup") == 0 ? "a backup id (an integer)"
                                                              : "a time in unix seconds",
                        iv->type == MSGPACK_OBJECT_NEGATIVE_INTEGER ? "a negative integer"
                                                                    : type_name(iv));
        *ints[t].has = true;
        *ints[t].dst = (int64_t)iv->via.u64;
    }
    if (note && (st = note_str(note, req->note, why, why_len)) != PROTO_OK)
        return st;
    /* What each query needs; its meaning (known indicator, valid period) is the daemon's. */
    static const struct {
        proto_op op;
        const char *field;
        size_t slot;
    } needs[] = {
        {PROTO_OP_SNAPSHOT, "indicator", 0}, {PROTO_OP_SNAPSHOT, "period", 2},
        {PROTO_OP_SERIES, "indicator", 0},   {PROTO_OP_SERIES, "from", 3},
        {PROTO_OP_SERIES, "to", 4},          {PROTO_OP_COMPLETENESS, "period", 2},
        {PROTO_OP_SILENCE, "rule", 8},       {PROTO_OP_SILENCE, "area", 5},
    };
    for (size_t k = 0; k < sizeof needs / sizeof needs[0]; k++)
        if (needs[k].op == req->op && !text[needs[k].slot].val)
            return fail(why, why_len, PROTO_BAD_REQUEST, "%s needs %s", proto_op_name(req->op),
                        needs[k].field);
    if (req->op == PROTO_OP_SILENCE && !req->has_until)
        return fail(why, why_len, PROTO_BAD_REQUEST, "silence needs until");
    if (req->op == PROTO_OP_ACK && !req->has_alert)
        return fail(why, why_len, PROTO_BAD_REQUEST, "ack needs alert");
    if (req->op == PROTO_OP_ACK && !note)
        return fail(why, why_len, PROTO_BAD_REQUEST, "ack needs note");
    if (req->op != PROTO_OP_SUBMIT) {
        if (records)
            return fail(why, why_len, PROTO_BAD_REQUEST, "records belong to op submit only");
        return PROTO_OK;
    }
    if (!records)
        return fail(why, why_len, PROTO_BAD_REQUEST, "records is missing");
    if (records->type != MSGPACK_OBJECT_ARRAY)
        return fail(why, why_len, PROTO_BAD_REQUEST, "records must be an array, got %s",
                    type_name(records));
    uint32_t n = records->via.array.size;
    if (n == 0)
        return fail(why, why_len, PROTO_BAD_REQUEST, "records is empty: nothing to submit");
    if (n > PROTO_MAX_RECORDS)
        return fail(why, why_len, PROTO_TOO_LARGE,
                    "%u records in one submission; the limit is %d", (unsigned)n,
                    PROTO_MAX_RECORDS);
    req->records = calloc(n, sizeof *req->records);
    if (!req->records)
        return fail(why, why_len, PROTO_INTERNAL, "out of memory");
    req->n_records = n;
    for (uint32_t i = 0; i < n; i++)
        decode_record(&records->via.array.ptr[i], (long)i, &req->records[i], errs);
    return PROTO_OK;
}

/* ---- structure check before unpacking ----------------------------------- */

#define SCAN_MAX_DEPTH 32

/* Big-endian unsigned of n bytes at p. */
static uint64_t be(const unsigned char *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

/* Walk the msgpack structure of buf without allocating: msgpack-c reserves room for a
 * container's declared size before it checks that the bytes exist, so a 5-byte message
 * could make it allocate gigabytes. Every element takes at least one byte, so a count
 * larger than the bytes left is a lie. Returns 0 with *end at the end of the first
 * object, or PROTO_BAD_REQUEST with the reason in why. */
static int scan(const unsigned char *buf, size_t len, size_t *end, char *why, size_t why_len)
{
    uint64_t left[SCAN_MAX_DEPTH + 1]; /* elements still to read at each open level */
    int depth = 0;
    size_t pos = 0;
    left[0] = 1;
    while (depth > 0 || left[0] > 0) {
        if (left[depth] == 0) {
            depth--;
            continue;
        }
        left[depth]--;
        if (pos >= len)
            goto truncated;
        unsigned char t = buf[pos++];
        uint64_t skip = 0, count = 0;
        size_t hdr = 0;
        bool container = false;
        if (t <= 0x7f || t >= 0xe0 || t == 0xc0 || t == 0xc2 || t == 0xc3) {
            /* fixint, nil, false, true: nothing follows */
        } else if (t >= 0xa0 && t <= 0xbf) {
            skip = t & 0x1f;
        } else if (t >= 0x80 && t <= 0x8f) {
            count = 2u * (t & 0x0f);
            container = true;
        } else if (t >= 0x90 && t <= 0x9f) {
            count = t & 0x0f;
            container = true;
        } else {
            switch (t) {
            case 0xcc: case 0xd0: skip = 1; break;
            case 0xcd: case 0xd1: skip = 2; break;
            case 0xca: case 0xce: case 0xd2: skip = 4; break;
            case 0xcb: case 0xcf: case 0xd3: skip = 8; break;
            case 0xd4: skip = 2; break;  /* fixext 1: type + data */
            case 0xd5: skip = 3; break;
            case 0xd6: skip = 5; break;
            case 0xd7: skip = 9; break;
            case 0xd8: skip = 17; break;
            case 0xc4: case 0xd9: hdr = 1; break;             /* bin 8, str 8 */
            case 0xc5: case 0xda: hdr = 2; break;             /* bin 16, str 16 */
            case 0xc6: case 0xdb: hdr = 4; break;             /* bin 32, str 32 */
            case 0xc7: case 0xc8: case 0xc9: hdr = (size_t)1 << (t - 0xc7); break; /* ext */
            case 0xdc: case 0xde: hdr = 2; container = true; break;
            case 0xdd: case 0xdf: hdr = 4; container = true; break;
            default:
                return fail(why, why_len, PROTO_BAD_REQUEST,
                            "not a msgpack message (byte 0x%02x at offset %zu)", t, pos - 1);
            }
            if (hdr) {
                if (len - pos < hdr)
                    goto truncated;
                uint64_t n = be(buf + pos, hdr);
                pos += hdr;
                if (container)
                    count = (t == 0xde || t == 0xdf) ? 2 * n : n;
                else
                    skip = n + ((t >= 0xc7 && t <= 0xc9) ? 1 : 0); /* ext: type byte */
            }
        }
        if (container) {
            if (count > len - pos)
                goto truncated;
            if (depth == SCAN_MAX_DEPTH)
                return fail(why, why_len, PROTO_BAD_REQUEST,
                            "nested deeper than %d levels", SCAN_MAX_DEPTH);
            left[++depth] = count;
        } else {
            if (skip > len - pos)
                goto truncated;
            pos += (size_t)skip;
        }
    }
    *end = pos;
    return 0;
truncated:
    return fail(why, why_len, PROTO_BAD_REQUEST, "truncated msgpack message");
}

int proto_request_decode(const void *buf, size_t len, proto_request *req, proto_errors *errs,
                         char *why, size_t why_len)
{
    memset(req, 0, sizeof *req);
    req->op = PROTO_OP_COUNT; /* unknown until read */
    if (why_len)
        why[0] = '\0';
    if (len > PROTO_MAX_MESSAGE)
        return fail(why, why_len, PROTO_TOO_LARGE, "message of %zu bytes; the limit is %d", len,
                    PROTO_MAX_MESSAGE);
    size_t end = 0;
    int st = scan(buf, len, &end, why, why_len);
    if (st != 0)
        return st;
    msgpack_unpacked u;
    msgpack_unpacked_init(&u);
    size_t off = 0;
    msgpack_unpack_return r = msgpack_unpack_next(&u, buf, len, &off);
    if (r == MSGPACK_UNPACK_SUCCESS && off != len && u.data.type == MSGPACK_OBJECT_MAP)
        st = fail(why, why_len, PROTO_BAD_REQUEST,
                  "%zu bytes after the end of the request map", len - off);
    else if (r == MSGPACK_UNPACK_SUCCESS)
        st = decode_root(&u.data, req, errs, why, why_len);
    else if (r == MSGPACK_UNPACK_CONTINUE || r == MSGPACK_UNPACK_EXTRA_BYTES)
        st = fail(why, why_len, PROTO_BAD_REQUEST, "truncated msgpack message");
    else if (r == MSGPACK_UNPACK_NOMEM_ERROR)
        st = fail(why, why_len, PROTO_TOO_LARGE, "message too large to decode");
    else
        st = fail(why, why_len, PROTO_BAD_REQUEST,
                  "not a msgpack message (or nested deeper than the decoder allows)");
    msgpack_unpacked_destroy(&u);
    if (st != PROTO_OK) {
        /* Keep what identifies the request, for the reply and the log line. */
        char id[PROTO_MAX_ID + 1];
        proto_op op = req->op;
        memcpy(id, req->id, sizeof id);
        proto_request_free(req);
        memcpy(req->id, id, sizeof id);
        req->op = op;
    }
    return st;
}

void proto_request_free(proto_request *req)
{
    free(req->records);
    memset(req, 0, sizeof *req);
}

/* ---- encoding ---------------------------------------------------------- */

int proto_pack_str(msgpack_packer *pk, const char *s)
{
    size_t n = strlen(s);
    if (msgpack_pack_str(pk, n) != 0)
        return -1;
    return msgpack_pack_str_body(pk, s, n);
}

int proto_pack_kv_str(msgpack_packer *pk, const char *key, const char *value)
{
    return proto_pack_str(pk, key) == 0 && proto_pack_str(pk, value) == 0 ? 0 : -1;
}

int proto_pack_kv_int(msgpack_packer *pk, const char *key, int64_t value)
{
    return proto_pack_str(pk, key) == 0 && msgpack_pack_int64(pk, value) == 0 ? 0 : -1;
}

/* Whole numbers go out as integers, so counts look like counts on the wire. */
int proto_pack_number(msgpack_packer *pk, double value)
{
    if (isfinite(value) && value == floor(value) && fabs(value) < 9007199254740992.0)
        return msgpack_pack_int64(pk, (int64_t)value);
    return msgpack_pack_double(pk, value);
}

int proto_pack_kv_double(msgpack_packer *pk, const char *key, double value)
{
    return proto_pack_str(pk, key) == 0 && proto_pack_number(pk, value) == 0 ? 0 : -1;
}

int proto_pack_kv_opt(msgpack_packer *pk, const char *key, bool has, double value)
{
    if (proto_pack_str(pk, key) != 0)
        return -1;
    return has ? proto_pack_number(pk, value) : msgpack_pack_nil(pk);
}

int proto_pack_kv_opt_int(msgpack_packer *pk, const char *key, bool has, int64_t value)
{
    if (proto_pack_str(pk, key) != 0)
        return -1;
    return has ? msgpack_pack_int64(pk, value) : msgpack_pack_nil(pk);
}

int proto_pack_kv_opt_str(msgpack_packer *pk, const char *key, const char *value)
{
    if (proto_pack_str(pk, key) != 0)
        return -1;
    return value[0] ? proto_pack_str(pk, value) : msgpack_pack_nil(pk);
}

int proto_pack_kv_bool(msgpack_packer *pk, const char *key, bool value)
{
    if (proto_pack_str(pk, key) != 0)
        return -1;
    return value ? msgpack_pack_true(pk) : msgpack_pack_false(pk);
}

int proto_pack_reply_head(msgpack_packer *pk, size_t extra, const char *id, int status,
                          const char *error)
{
    bool with_error = status != PROTO_OK;
    if (msgpack_pack_map(pk, extra + 3 + (with_error ? 1 : 0)) != 0)
        return -1;
    if (proto_pack_kv_int(pk, "v", PROTO_VERSION) != 0 || proto_pack_kv_str(pk, "id", id) != 0 ||
        proto_pack_kv_int(pk, "status", status) != 0)
        return -1;
    if (with_error && proto_pack_kv_str(pk, "error", error ? error : "") != 0)
        return -1;
    return 0;
}

int proto_pack_errors(msgpack_packer *pk, const proto_errors *errs)
{
    if (proto_pack_str(pk, "errors") != 0 || msgpack_pack_array(pk, errs->count) != 0)
        return -1;
    for (size_t i = 0; i < errs->count; i++) {
        const proto_error *e = &errs->items[i];
        if (msgpack_pack_map(pk, 4) != 0 || proto_pack_kv_int(pk, "index", e->index) != 0 ||
            proto_pack_kv_str(pk, "field", e->field) != 0 ||
            proto_pack_kv_str(pk, "code", e->code) != 0 ||
            proto_pack_kv_str(pk, "message", e->message) != 0)
            return -1;
    }
    return proto_pack_kv_int(pk, "error_count", (int64_t)errs->total);
}

int proto_request_encode(const proto_request *req, msgpack_sbuffer *out)
{
    msgpack_packer pk;
    msgpack_packer_init(&pk, out, msgpack_sbuffer_write);
    bool submit = req->op == PROTO_OP_SUBMIT;
    const struct {
        const char *name;
        const char *value;
    } text[] = {{"indicator", req->indicator}, {"metric", req->metric}, {"period", req->period},
                {"from", req->from},           {"to", req->to},         {"area", req->area},
                {"by", req->by},               {"state", req->state},   {"rule", req->rule},
                {"note", req->note}};
    const struct {
        const char *name;
        bool has;
        int64_t value;
    } ints[] = {{"as_of", req->has_as_of, req->as_of},
                {"since", req->has_since, req->since},
                {"until", req->has_until, req->until},
                {"alert", req->has_alert, req->alert},
                {"offset", req->has_offset, req->offset},
                {"backup", req->has_backup, req->backup}};
    size_t n = 3 + (req->reporter[0] ? 1 : 0) + (req->dry_run ? 1 : 0) + (submit ? 1 : 0);
    for (size_t t = 0; t < sizeof text / sizeof text[0]; t++)
        n += text[t].value[0] != '\0';
    for (size_t t = 0; t < sizeof ints / sizeof ints[0]; t++)
        n += ints[t].has;
    if (msgpack_pack_map(&pk, n) != 0 || proto_pack_kv_int(&pk, "v", PROTO_VERSION) != 0 ||
        proto_pack_kv_str(&pk, "op", proto_op_name(req->op)) != 0 ||
        proto_pack_kv_str(&pk, "id", req->id) != 0)
        return -1;
    for (size_t t = 0; t < sizeof text / sizeof text[0]; t++)
        if (text[t].value[0] && proto_pack_kv_str(&pk, text[t].name, text[t].value) != 0)
            return -1;
    for (size_t t = 0; t < sizeof ints / sizeof ints[0]; t++)
        if (ints[t].has && proto_pack_kv_int(&pk, ints[t].name, ints[t].value) != 0)
            return -1;
    if (req->reporter[0] && proto_pack_kv_str(&pk, "reporter", req->reporter) != 0)
        return -1;
    if (req->dry_run && proto_pack_kv_bool(&pk, "dry_run", true) != 0)
        return -1;
    if (!submit)
        return 0;
    if (proto_pack_str(&pk, "records") != 0 || msgpack_pack_array(&pk, req->n_records) != 0)
        return -1;
    for (size_t i = 0; i < req->n_records; i++) {
        const proto_record *r = &req->records[i];
        bool area = r->area[0] != '\0';
        if (msgpack_pack_map(&pk, area ? 4 : 3) != 0 ||
            proto_pack_kv_str(&pk, "metric", r->metric) != 0 ||
            (area && proto_pack_kv_str(&pk, "area", r->area) != 0) ||
            proto_pack_kv_str(&pk, "period", r->period) != 0 ||
            proto_pack_kv_double(&pk, "value", r->value) != 0)
            return -1;
    }
    return 0;
}

/* ---- reading replies --------------------------------------------------- */

const msgpack_object *proto_get(const msgpack_object *map, const char *key)
{
    if (!map || map->type != MSGPACK_OBJECT_MAP)
        return NULL;
    for (uint32_t i = 0; i < map->via.map.size; i++)
        if (key_is(&map->via.map.ptr[i], key))
            return &map->via.map.ptr[i].val;
    return NULL;
}

int proto_get_int(const msgpack_object *map, const char *key, int64_t *out)
{
    const msgpack_object *v = proto_get(map, key);
    if (!v)
        return -1;
    if (v->type == MSGPACK_OBJECT_POSITIVE_INTEGER && v->via.u64 <= INT64_MAX) {
        *out = (int64_t)v->via.u64;
        return 0;
    }
    if (v->type == MSGPACK_OBJECT_NEGATIVE_INTEGER) {
        *out = v->via.i64;
        return 0;
    }
    return -1;
}

int proto_get_double(const msgpack_object *map, const char *key, double *out)
{
    const msgpack_object *v = proto_get(map, key);
    return v ? proto_obj_number(v, out) : -1;
}

int proto_get_bool(const msgpack_object *map, const char *key, bool *out)
{
    const msgpack_object *v = proto_get(map, key);
    if (!v || v->type != MSGPACK_OBJECT_BOOLEAN)
        return -1;
    *out = v->via.boolean;
    return 0;
}

int proto_get_str(const msgpack_object *map, const char *key, char *dst, size_t n)
{
    const msgpack_object *v = proto_get(map, key);
    if (!v || v->type != MSGPACK_OBJECT_STR || n == 0)
        return -1;
    size_t len = v->via.str.size < n - 1 ? v->via.str.size : n - 1;
    memcpy(dst, v->via.str.ptr, len);
    dst[len] = '\0';
    return 0;
}

/* ---- JSON rendering ---------------------------------------------------- */

static int json_str(FILE *out, const char *s, size_t n)
{
    if (fputc('"', out) == EOF)
        return -1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        int r;
        if (c == '"' || c == '\\')
            r = fprintf(out, "\\%c", c);
        else if (c == '\n')
            r = fputs("\\n", out);
        else if (c < 0x20 || c == 0x7f)
            r = fprintf(out, "\\u%04x", c);
        else
            r = fputc(c, out);
        if (r < 0)
            return -1;
    }
    return fputc('"', out) == EOF ? -1 : 0;
}

static int json_double(FILE *out, double d)
{
    if (!isfinite(d))
        return fputs("null", out) < 0 ? -1 : 0;
    char buf[40];
    snprintf(buf, sizeof buf, "%.15g", d);
    if (strtod(buf, NULL) != d)
        snprintf(buf, sizeof buf, "%.17g", d);
    return fputs(buf, out) < 0 ? -1 : 0;
}

int proto_write_json(FILE *out, const msgpack_object *o)
{
    int r = 0;
    switch (o->type) {
    case MSGPACK_OBJECT_NIL:
        return fputs("null", out) < 0 ? -1 : 0;
    case MSGPACK_OBJECT_BOOLEAN:
        return fputs(o->via.boolean ? "true" : "false", out) < 0 ? -1 : 0;
    case MSGPACK_OBJECT_POSITIVE_INTEGER:
        return fprintf(out, "%llu", (unsigned long long)o->via.u64) < 0 ? -1 : 0;
    case MSGPACK_OBJECT_NEGATIVE_INTEGER:
        return fprintf(out, "%lld", (long long)o->via.i64) < 0 ? -1 : 0;
    case MSGPACK_OBJECT_FLOAT32:
    case MSGPACK_OBJECT_FLOAT64:
        return json_double(out, o->via.f64);
    case MSGPACK_OBJECT_STR:
        return json_str(out, o->via.str.ptr, o->via.str.size);
    case MSGPACK_OBJECT_BIN:
    case MSGPACK_OBJECT_EXT: {
        const char *p = o->type == MSGPACK_OBJECT_BIN ? o->via.bin.ptr : o->via.ext.ptr;
        uint32_t n = o->type == MSGPACK_OBJECT_BIN ? o->via.bin.size : o->via.ext.size;
        if (fputc('"', out) == EOF)
            return -1;
        for (uint32_t i = 0; i < n && r >= 0; i++)
            r = fprintf(out, "%02x", (unsigned char)p[i]);
        return r < 0 || fputc('"', out) == EOF ? -1 : 0;
    }
    case MSGPACK_OBJECT_ARRAY:
        if (fputc('[', out) == EOF)
            return -1;
        for (uint32_t i = 0; i < o->via.array.size; i++) {
            if ((i && fputc(',', out) == EOF) || proto_write_json(out, &o->via.array.ptr[i]) != 0)
                return -1;
        }
        return fputc(']', out) == EOF ? -1 : 0;
    case MSGPACK_OBJECT_MAP:
        if (fputc('{', out) == EOF)
            return -1;
        for (uint32_t i = 0; i < o->via.map.size; i++) {
            const msgpack_object_kv *kv = &o->via.map.ptr[i];
            if (i && fputc(',', out) == EOF)
                return -1;
            if (kv->key.type == MSGPACK_OBJECT_STR) {
                if (json_str(out, kv->key.via.str.ptr, kv->key.via.str.size) != 0)
                    return -1;
            } else {
                /* JSON keys are strings; leamon never sends other keys. */
                if (fputs("\"?\"", out) < 0)
                    return -1;
            }
            if (fputc(':', out) == EOF || proto_write_json(out, &kv->val) != 0)
                return -1;
        }
        return fputc('}', out) == EOF ? -1 : 0;
    }
    return -1;
}
