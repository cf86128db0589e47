/* fuzz_request.c: libFuzzer target for the request decoder (proto/proto.c).
 *
 * Every input is decoded as leamond decodes a request frame (proto_request_decode). A
 * request that decodes (200) must survive proto_request_encode and a second decode with the
 * same fields; its msgpack is also rendered as JSON and read with the proto_get_* helpers,
 * as the client reads replies. Read as leamond reads a request beyond one commit
 * (proto_request_head), every input must give what the decoder gave, records aside. The
 * sanitizers catch memory errors, leaks and undefined behaviour; a broken invariant aborts
 * through CHECK. Built and run by `make fuzz`.
 */
#include "proto.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond)                                                                          \
    do {                                                                                     \
        if (!(cond))                                                                         \
            __builtin_trap();                                                                \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *devnull(void)
{
    static FILE *f;
    if (!f)
        f = fopen("/dev/null", "w");
    CHECK(f != NULL);
    return f;
}

static bool printable(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
            return false;
    return true;
}

static bool same_number(double a, double b)
{
    return a == b || (isnan(a) && isnan(b));
}

/* What the decoder promises about its outputs, whatever it was given. */
static void check_decoded(int st, const proto_request *req, const proto_errors *errs,
                          const lm_error *why)
{
    CHECK(st == PROTO_OK || st == PROTO_BAD_REQUEST || st == PROTO_NOT_FOUND ||
          st == PROTO_TOO_LARGE || st == PROTO_INTERNAL);
    /* The reason is always terminated, and carries the status returned. */
    CHECK(memchr(why->msg, '\0', sizeof why->msg) != NULL);
    CHECK(why->status == (st == PROTO_OK ? 0 : st));
    CHECK(memchr(req->id, '\0', sizeof req->id) != NULL);
    CHECK(printable(req->id));
    CHECK(errs->count <= errs->cap && errs->count <= errs->total &&
          errs->count <= PROTO_MAX_ERRORS);
    if (st != PROTO_OK) {
        /* Empty but for id and op, with a reason. */
        CHECK(why->msg[0] != '\0');
        CHECK(req->records == NULL && req->n_records == 0);
        CHECK(req->op >= 0 && req->op <= PROTO_OP_COUNT);
        CHECK(req->reporter[0] == '\0' && req->note[0] == '\0' && req->indicator[0] == '\0' &&
              req->period[0] == '\0' && !req->dry_run && !req->has_as_of && !req->has_until &&
              !req->has_since && !req->has_alert);
        return;
    }
    CHECK(req->version == PROTO_VERSION);
    CHECK(req->op >= 0 && req->op < PROTO_OP_COUNT);
    CHECK(req->id[0] != '\0');
    CHECK(printable(req->reporter));
    CHECK((req->n_records > 0) == (req->op == PROTO_OP_SUBMIT));
    CHECK(req->n_records <= PROTO_MAX_RECORDS);
    CHECK(req->n_records == 0 || req->records != NULL);
    for (size_t i = 0; i < errs->count; i++) {
        const proto_error *e = &errs->items[i];
        CHECK(e->index >= -1 && e->index < (long)req->n_records);
        CHECK(memchr(e->message, '\0', sizeof e->message) != NULL);
    }
    for (size_t i = 0; i < req->n_records; i++) {
        const proto_record *r = &req->records[i];
        CHECK((r->bad & ~(unsigned)(PROTO_F_METRIC | PROTO_F_AREA | PROTO_F_PERIOD |
                                    PROTO_F_VALUE)) == 0);
        CHECK((r->bad & PROTO_F_METRIC) || r->metric[0] != '\0');
        CHECK((r->bad & PROTO_F_PERIOD) || r->period[0] != '\0');
    }
}

/* Records that decoded cleanly must come back the same; others are re-encoded with empty
 * strings and get their own record errors, which is not compared. */
static void check_same_request(const proto_request *a, const proto_request *b)
{
    CHECK(b->op == a->op);
    CHECK(strcmp(b->id, a->id) == 0);
    CHECK(strcmp(b->reporter, a->reporter) == 0);
    CHECK(b->dry_run == a->dry_run);
    CHECK(strcmp(b->indicator, a->indicator) == 0 && strcmp(b->metric, a->metric) == 0 &&
          strcmp(b->period, a->period) == 0 && strcmp(b->from, a->from) == 0 &&
          strcmp(b->to, a->to) == 0 && strcmp(b->area, a->area) == 0 &&
          strcmp(b->by, a->by) == 0 && strcmp(b->state, a->state) == 0 &&
          strcmp(b->rule, a->rule) == 0 && strcmp(b->note, a->note) == 0);
    CHECK(b->has_as_of == a->has_as_of && (!a->has_as_of || b->as_of == a->as_of));
    CHECK(b->has_since == a->has_since && (!a->has_since || b->since == a->since));
    CHECK(b->has_until == a->has_until && (!a->has_until || b->until == a->until));
    CHECK(b->has_alert == a->has_alert && (!a->has_alert || b->alert == a->alert));
    CHECK(b->n_records == a->n_records);
    for (size_t i = 0; i < a->n_records; i++) {
        const proto_record *x = &a->records[i], *y = &b->records[i];
        if (x->bad)
            continue;
        CHECK(y->bad == 0);
        CHECK(strcmp(x->metric, y->metric) == 0 && strcmp(x->area, y->area) == 0 &&
              strcmp(x->period, y->period) == 0 && same_number(x->value, y->value));
    }
}

/* Input that the decoder accepted is a well-formed msgpack map (it passed the structure
 * check), so msgpack-c may unpack it directly: render it and read it as a reply. */
static void check_reader(const void *buf, size_t len, const proto_request *req)
{
    msgpack_unpacked u;
    size_t off = 0;
    msgpack_unpacked_init(&u);
    CHECK(msgpack_unpack_next(&u, buf, len, &off) == MSGPACK_UNPACK_SUCCESS && off == len);
    CHECK(proto_write_json(devnull(), &u.data) == 0);
    char id[PROTO_MAX_ID + 1], small[4];
    int64_t v = 0;
    CHECK(proto_get_str(&u.data, "id", id, sizeof id) == 0 && strcmp(id, req->id) == 0);
    CHECK(proto_get_str(&u.data, "id", small, sizeof small) == 0 && strlen(small) < sizeof small);
    CHECK(proto_get_int(&u.data, "v", &v) == 0 && v == PROTO_VERSION);
    const msgpack_object *records = proto_get(&u.data, "records");
    if (records && records->type == MSGPACK_OBJECT_ARRAY)
        for (uint32_t i = 0; i < records->via.array.size; i++) {
            const msgpack_object *r = &records->via.array.ptr[i];
            double d;
            bool b;
            (void)proto_get_double(r, "value", &d);
            (void)proto_get_bool(r, "value", &b);
            (void)proto_get_int(r, "value", &v);
            (void)proto_get_str(r, "metric", id, sizeof id);
        }
    msgpack_unpacked_destroy(&u);
}

static void check_round_trip(const proto_request *req, const proto_errors *errs)
{
    msgpack_sbuffer sb;
    msgpack_sbuffer_init(&sb);
    CHECK(proto_request_encode(req, &sb) == 0);
    CHECK(sb.size <= PROTO_MAX_MESSAGE);

    proto_request again;
    proto_errors errs2;
    lm_error why;
    proto_errors_init(&errs2);
    int st = proto_request_decode(sb.data, sb.size, &again, &errs2, &why);
    CHECK(st == PROTO_OK);
    check_decoded(st, &again, &errs2, &why);
    check_same_request(req, &again);
    /* Only records that were already wrong can be wrong now. */
    CHECK(errs2.total == 0 || errs->total > 0);
    check_reader(sb.data, sb.size, req);

    proto_request_free(&again);
    proto_errors_free(&errs2);
    msgpack_sbuffer_destroy(&sb);
}

/* The head of a request is its decoding without the records: the same status, reason and
 * fields, and for a submission their number. (The decoder's refusals for want of memory
 * are its own: the head allocates nothing.) */
static void check_head(const uint8_t *data, size_t size, int st, const proto_request *req,
                       const lm_error *why)
{
    if (st == PROTO_INTERNAL || strcmp(why->msg, "message too large to decode") == 0)
        return;
    proto_request h, full;
    lm_error hwhy;
    memcpy(&full, req, sizeof full); /* with its padding, which both zeroed */
    size_t counted = 0;
    int hst = proto_request_head(data, size, &h, &counted, &hwhy);
    CHECK(hst == st);
    CHECK(strcmp(hwhy.msg, why->msg) == 0);
    CHECK(h.records == NULL && h.n_records == 0);
    CHECK(counted == (st == PROTO_OK ? req->n_records : 0));
    full.records = NULL;
    full.n_records = 0;
    CHECK(memcmp(&h, &full, sizeof h) == 0);
}

static void check_errors_sort(proto_errors *errs)
{
    proto_errors_sort(errs);
    for (size_t i = 1; i < errs->count; i++)
        CHECK(errs->items[i - 1].index <= errs->items[i].index);
}

/* The small pure helpers, on the raw input. */
static void check_helpers(const uint8_t *data, size_t size)
{
    static const size_t sizes[] = {1, 2, 4, 5, 16, 40};
    char q[40];
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        memset(q, 'x', sizeof q);
        proto_quote(q, sizes[k], (const char *)data, size);
        size_t n = strnlen(q, sizes[k]);
        CHECK(n < sizes[k]);
        CHECK(printable(q));
        CHECK(n == (size < sizes[k] ? size : sizes[k] - 1));
    }
    proto_op op;
    if (proto_op_parse((const char *)data, size, &op) == 0) {
        const char *name = proto_op_name(op);
        CHECK(op >= 0 && op < PROTO_OP_COUNT && strlen(name) == size &&
              memcmp(name, data, size) == 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    proto_request req;
    proto_errors errs;
    lm_error why;

    proto_errors_init(&errs);
    int st = proto_request_decode(data, size, &req, &errs, &why);
    check_decoded(st, &req, &errs, &why);
    check_head(data, size, st, &req, &why);
    if (st == PROTO_OK) {
        check_round_trip(&req, &errs);
        check_reader(data, size, &req);
        check_errors_sort(&errs);
    }
    proto_request_free(&req);
    proto_errors_free(&errs);

    /* Without a place for the reason, the same status. */
    proto_errors_init(&errs);
    CHECK(proto_request_decode(data, size, &req, &errs, NULL) == st);
    proto_request_free(&req);
    proto_errors_free(&errs);

    check_helpers(data, size);
    return 0;
}
