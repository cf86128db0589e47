/* rpc.c: Lazy Pirate request/reply over a DEALER socket (see rpc.h). */
#include "rpc.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

#include "proto.h"
#include "reply_submit.h"

#define BACKOFF_FIRST_MS 250
#define BACKOFF_MAX_MS 4000
#define RETRY_AFTER_MAX_MS 30000        /* never trust a server to park us for long */
#define REPLY_MAX_BYTES (16 * 1024 * 1024)

#define FAILED_EVENTS                                                                       \
    (ZMQ_EVENT_HANDSHAKE_FAILED_AUTH | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL |                \
     ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL)

typedef enum {
    WAIT_REPLY, WAIT_TIMEOUT, WAIT_REFUSED, WAIT_FAILED, WAIT_MALFORMED,
    WAIT_NOBODY /* the connection was refused: nothing listens there */
} wait_result;

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

void rpc_init(rpc_t *self, void *zctx, const char *endpoint, int timeout_ms, int retries,
              FILE *log)
{
    memset(self, 0, sizeof *self);
    self->zctx = zctx;
    self->endpoint = endpoint;
    self->timeout_ms = timeout_ms;
    self->retries = retries;
    self->log = log;
}

void rpc_destroy(rpc_t *self)
{
    explicit_bzero(self->secret_key, sizeof self->secret_key);
}

void rpc_reply_free(rpc_reply *reply)
{
    if (reply->set)
        msgpack_unpacked_destroy(&reply->unpacked);
    free(reply->data);
    memset(reply, 0, sizeof *reply);
}

const char *rpc_malformed_why(const lm_error *e)
{
    static const char prefix[] = "malformed reply: "; /* what mpr_done says */
    return strncmp(e->msg, prefix, sizeof prefix - 1) ? e->msg : e->msg + sizeof prefix - 1;
}

void rpc_malformed(lm_error *err, const lm_error *e)
{
    lm_fail(err, 0, "malformed reply from leamond: %s", rpc_malformed_why(e));
}

void rpc_conn_close(rpc_conn *c)
{
    if (c->sock)
        zmq_close(c->sock);
    if (c->mon)
        zmq_close(c->mon);
    c->sock = c->mon = NULL;
}

int rpc_conn_open(rpc_t *self, rpc_conn *c, int type, const char *endpoint, lm_error *err)
{
    int zero = 0;
    int64_t maxmsg = REPLY_MAX_BYTES;
    char mon_ep[96];
    memset(c, 0, sizeof *c);
    c->endpoint = endpoint;
    c->sock = zmq_socket(self->zctx, type);
    if (!c->sock) {
        lm_fail(err, 0, "cannot create a socket: %s", zmq_strerror(zmq_errno()));
        return -1;
    }
    /* Linger 0: a request still queued for a dead daemon must not hold up exit. */
    if (zmq_setsockopt(c->sock, ZMQ_LINGER, &zero, sizeof zero) != 0 ||
        zmq_setsockopt(c->sock, ZMQ_SNDTIMEO, &self->timeout_ms, sizeof self->timeout_ms) != 0 ||
        zmq_setsockopt(c->sock, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg) != 0)
        goto fail;
    if (self->curve &&
        (zmq_setsockopt(c->sock, ZMQ_CURVE_SERVERKEY, self->server_key, KEY_Z85_LEN) != 0 ||
         zmq_setsockopt(c->sock, ZMQ_CURVE_PUBLICKEY, self->public_key, KEY_Z85_LEN) != 0 ||
         zmq_setsockopt(c->sock, ZMQ_CURVE_SECRETKEY, self->secret_key, KEY_Z85_LEN) != 0)) {
        lm_fail(err, 0, "cannot set the CURVE keys: %s (libzmq built without CURVE?)",
                zmq_strerror(zmq_errno()));
        rpc_conn_close(c);
        return -1;
    }
    /* The monitor must be listening before we connect, or early events are lost. */
    snprintf(mon_ep, sizeof mon_ep, "inproc://leamon-rpc-%p-%u", (void *)self, self->sockets++);
    if (zmq_socket_monitor(c->sock, mon_ep,
                           FAILED_EVENTS | ZMQ_EVENT_CONNECTED | ZMQ_EVENT_HANDSHAKE_SUCCEEDED |
                               ZMQ_EVENT_CONNECT_RETRIED) != 0)
        goto fail;
    c->mon = zmq_socket(self->zctx, ZMQ_PAIR);
    if (!c->mon || zmq_setsockopt(c->mon, ZMQ_LINGER, &zero, sizeof zero) != 0 ||
        zmq_connect(c->mon, mon_ep) != 0)
        goto fail;
    if (zmq_connect(c->sock, endpoint) != 0) {
        lm_fail(err, 0, "cannot connect to '%s': %s (an endpoint looks like tcp://host:port)",
                endpoint, zmq_strerror(zmq_errno()));
        rpc_conn_close(c);
        return -1;
    }
    return 0;
fail:
    lm_fail(err, 0, "cannot set up the socket: %s", zmq_strerror(zmq_errno()));
    rpc_conn_close(c);
    return -1;
}

/* Read one monitor event (two frames: event id + value, then the address). */
static int read_event(void *mon, uint16_t *event, uint32_t *value)
{
    zmq_msg_t msg;
    zmq_msg_init(&msg);
    if (zmq_msg_recv(&msg, mon, ZMQ_DONTWAIT) < 0) {
        zmq_msg_close(&msg);
        return -1;
    }
    int rc = -1;
    if (zmq_msg_size(&msg) >= 6) {
        const uint8_t *d = zmq_msg_data(&msg);
        memcpy(event, d, sizeof *event);
        memcpy(value, d + 2, sizeof *value);
        rc = 0;
    }
    bool more = zmq_msg_more(&msg);
    zmq_msg_close(&msg);
    while (more) {
        zmq_msg_init(&msg);
        if (zmq_msg_recv(&msg, mon, 0) < 0)
            more = false;
        else
            more = zmq_msg_more(&msg);
        zmq_msg_close(&msg);
    }
    return rc;
}

static void refused_message(const rpc_t *self, const char *endpoint, uint16_t event,
                            uint32_t value, lm_error *err)
{
    if (event == ZMQ_EVENT_HANDSHAKE_FAILED_AUTH && value == 500)
        lm_fail(err, 0, "the daemon refused the connection: this key already holds as many "
                        "connections as the daemon allows one key (max_connections_per_key); "
                        "retry once some of them have closed [ZAP status 500]");
    else if (event == ZMQ_EVENT_HANDSHAKE_FAILED_AUTH)
        lm_fail(err, 0, "the daemon refused this client's key (not in its partners file?) "
                        "[ZAP status %u]", (unsigned)value);
    else if (event == ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL &&
             value == ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH)
        lm_fail(err, 0, self->curve
                            ? "the daemon at %s does not use CURVE: drop --server-key and --key"
                            : "the daemon at %s requires CURVE: give --server-key and --key",
                endpoint);
    else if (event == ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL)
        lm_fail(err, 0, "the CURVE handshake with the daemon failed (protocol error 0x%x): "
                        "check --server-key", (unsigned)value);
    else if (self->curve)
        lm_fail(err, 0, "the CURVE handshake with the daemon at %s failed (%s): is "
                        "--server-key the daemon's public key?", endpoint,
                zmq_strerror((int)value));
    else
        lm_fail(err, 0, "the handshake with the daemon at %s failed (%s): if it requires "
                        "CURVE, give --server-key and --key", endpoint,
                zmq_strerror((int)value));
}

int rpc_conn_event(const rpc_t *self, const rpc_conn *c, bool *connected, lm_error *err)
{
    uint16_t event = 0;
    uint32_t value = 0;
    if (read_event(c->mon, &event, &value) != 0)
        return 0;
    /* The connection went away during the handshake (the daemon stopped or restarted):
     * not a refusal. ZeroMQ reconnects by itself; the request times out and is retried
     * (or spooled) like any unanswered one. */
    if (event == ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL &&
        (value == ECONNRESET || value == EPIPE || value == ECONNABORTED || value == ETIMEDOUT ||
         value == ECONNREFUSED))
        return 0;
    if (event & FAILED_EVENTS) {
        refused_message(self, c->endpoint, event, value, err);
        return event;
    }
    /* ZeroMQ will try again: the connection was refused (or lost). Before any connection,
     * nothing listens there, and retrying for the whole timeout tells the user nothing. */
    if (event == ZMQ_EVENT_CONNECT_RETRIED) {
        if (*connected)
            return 0;
        lm_fail(err, 0, "nothing listens at %s (the connection was refused): is leamond "
                        "running there, and is the endpoint right?", c->endpoint);
        return event;
    }
    *connected = true;
    return 0;
}

/* Is map a reply to request id: its id ours, or the empty id the daemon uses when it could
 * not read ours (each attempt has its own socket, so such a reply answers this request)? */
static bool reply_is_ours(const msgpack_object *map, const char *id)
{
    const msgpack_object *got = proto_get(map, "id");
    if (!got || got->type != MSGPACK_OBJECT_STR)
        return false;
    return got->via.str.size == 0 ||
           (got->via.str.size == strlen(id) && !memcmp(got->via.str.ptr, id, got->via.str.size));
}

/* Decode a reply frame. 0: a reply to request id, its common fields read; 1: not ours (an
 * earlier attempt's, or garbled); -1: ours, but proto_reply_head refused it (err says why). */
static int take_reply(zmq_msg_t *msg, const char *id, rpc_reply *reply, lm_error *err)
{
    memset(reply, 0, sizeof *reply);
    size_t n = zmq_msg_size(msg);
    reply->data = malloc(n ? n : 1);
    if (!reply->data)
        return 1;
    memcpy(reply->data, zmq_msg_data(msg), n);
    reply->size = n;
    msgpack_unpacked_init(&reply->unpacked);
    reply->set = true;
    size_t off = 0;
    if (msgpack_unpack_next(&reply->unpacked, reply->data, n, &off) != MSGPACK_UNPACK_SUCCESS ||
        reply->unpacked.data.type != MSGPACK_OBJECT_MAP ||
        !reply_is_ours(&reply->unpacked.data, id)) {
        rpc_reply_free(reply);
        return 1;
    }
    lm_error e;
    if (proto_reply_head(&reply->unpacked.data, &reply->head, &e) != 0) {
        rpc_malformed(err, &e);
        rpc_reply_free(reply);
        return -1;
    }
    reply->root = &reply->unpacked.data;
    return 0;
}

static wait_result wait_reply(rpc_t *self, rpc_conn *c, const char *id, rpc_reply *reply,
                              bool *connected, lm_error *err)
{
    long long deadline = now_ms() + self->timeout_ms;
    for (;;) {
        long long left = deadline - now_ms();
        if (left <= 0)
            return WAIT_TIMEOUT;
        zmq_pollitem_t items[2] = {{c->sock, 0, ZMQ_POLLIN, 0}, {c->mon, 0, ZMQ_POLLIN, 0}};
        int rc = zmq_poll(items, 2, (long)left);
        if (rc < 0 && zmq_errno() == EINTR)
            continue;
        if (rc < 0) {
            lm_fail(err, 0, "poll failed: %s", zmq_strerror(zmq_errno()));
            return WAIT_FAILED;
        }
        int ev = items[1].revents & ZMQ_POLLIN ? rpc_conn_event(self, c, connected, err) : 0;
        if (ev == ZMQ_EVENT_CONNECT_RETRIED)
            return WAIT_NOBODY;
        if (ev)
            return WAIT_REFUSED;
        if (items[0].revents & ZMQ_POLLIN) {
            zmq_msg_t msg;
            zmq_msg_init(&msg);
            if (zmq_msg_recv(&msg, c->sock, ZMQ_DONTWAIT) < 0) {
                zmq_msg_close(&msg);
                continue;
            }
            bool more = zmq_msg_more(&msg);
            int ok = more ? 1 : take_reply(&msg, id, reply, err);
            zmq_msg_close(&msg);
            while (more) { /* a reply is one frame; drop anything else whole */
                zmq_msg_init(&msg);
                more = zmq_msg_recv(&msg, c->sock, 0) >= 0 && zmq_msg_more(&msg);
                zmq_msg_close(&msg);
            }
            if (ok == 0)
                return WAIT_REPLY;
            if (ok < 0)
                return WAIT_MALFORMED;
            /* Stale (an earlier attempt's) or garbled: keep waiting for ours. */
            if (self->log)
                fprintf(self->log, "leamon: ignoring a reply that is not for request %s\n", id);
        }
    }
}

/* A 503 (submit only) says how long to wait: that many ms, within bounds; -1 when it does
 * not say (or is no 503). */
static long retry_after(const rpc_reply *reply)
{
    proto_submit_reply sr;
    lm_error e;
    if (reply->head.status != 503 || proto_submit_reply_read(reply->root, &sr, &e) != 0)
        return -1;
    proto_submit_reply_free(&sr);
    if (!sr.has_retry)
        return -1;
    int64_t after = sr.retry_after_ms;
    return after < 10 ? 10 : after > RETRY_AFTER_MAX_MS ? RETRY_AFTER_MAX_MS : (long)after;
}

static long next_backoff(long backoff)
{
    return backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : backoff * 2;
}

rpc_result rpc_call(rpc_t *self, const void *request, size_t len, const char *id,
                    rpc_reply *reply, lm_error *err)
{
    memset(reply, 0, sizeof *reply);
    rpc_conn c;
    if (rpc_conn_open(self, &c, ZMQ_DEALER, self->endpoint, err) != 0)
        return RPC_FAILED;
    long backoff = BACKOFF_FIRST_MS;
    bool connected = false, sent = false;
    for (int attempt = 0;; attempt++) {
        bool last = attempt >= self->retries;
        wait_result wr = WAIT_TIMEOUT;
        if (!sent) {
            /* SNDTIMEO bounds this; a send that cannot even queue counts as a timeout. */
            sent = zmq_send(c.sock, request, len, 0) == (int)len;
        }
        if (sent)
            wr = wait_reply(self, &c, id, reply, &connected, err);
        if (wr == WAIT_NOBODY) {
            /* Refused at once: no use waiting out the timeout, but the daemon may be
             * restarting, so the retries go on, after their backoff only. */
            rpc_conn_close(&c);
            if (last) {
                lm_fail(err, 0, "nothing listens at %s (the connection was refused, %d "
                                "attempt%s): is leamond running there, and is the endpoint "
                                "right?", self->endpoint, attempt + 1, attempt ? "s" : "");
                return RPC_UNREACHABLE;
            }
            if (self->log)
                fprintf(self->log, "leamon: nothing listens at %s; retrying (%d of %d) in %ld ms\n",
                        self->endpoint, attempt + 1, self->retries, backoff);
            sleep_ms(backoff);
            backoff = next_backoff(backoff);
            if (rpc_conn_open(self, &c, ZMQ_DEALER, self->endpoint, err) != 0)
                return RPC_FAILED;
            sent = false;
            continue;
        }
        if (wr == WAIT_REFUSED || wr == WAIT_FAILED || wr == WAIT_MALFORMED) {
            rpc_conn_close(&c);
            return wr == WAIT_REFUSED ? RPC_REFUSED : wr == WAIT_FAILED ? RPC_FAILED : RPC_MALFORMED;
        }
        if (wr == WAIT_REPLY) {
            if (reply->head.status < 500 || last) {
                rpc_conn_close(&c);
                reply->attempts = attempt + 1;
                return RPC_REPLY;
            }
            /* 5xx: the daemon is there but cannot take it now; same socket, same bytes. */
            long delay = backoff;
            long after = retry_after(reply);
            if (after >= 0)
                delay = after;
            if (self->log)
                fprintf(self->log, "leamon: daemon answered %d (%s); retrying (%d of %d) in %ld ms\n",
                        reply->head.status, reply->head.error[0] ? reply->head.error : "no reason given",
                        attempt + 1, self->retries, delay);
            rpc_reply_free(reply);
            backoff = next_backoff(backoff);
            sleep_ms(delay);
            sent = false;
            continue;
        }
        /* Timeout: the socket may hold a half-done exchange; start afresh. */
        rpc_conn_close(&c);
        if (last) {
            if (connected)
                lm_fail(err, 0, "no reply from the daemon at %s (%d attempt%s, %d ms each)%s",
                        self->endpoint, attempt + 1, attempt ? "s" : "", self->timeout_ms,
                        self->curve ? "; with CURVE, check --server-key" : "");
            else
                lm_fail(err, 0, "cannot reach the daemon at %s (%d attempt%s, %d ms each)",
                        self->endpoint, attempt + 1, attempt ? "s" : "", self->timeout_ms);
            return RPC_UNREACHABLE;
        }
        if (self->log)
            fprintf(self->log, "leamon: no reply from %s within %d ms; retrying (%d of %d) in %ld ms\n",
                    self->endpoint, self->timeout_ms, attempt + 1, self->retries, backoff);
        sleep_ms(backoff);
        backoff = next_backoff(backoff);
        if (rpc_conn_open(self, &c, ZMQ_DEALER, self->endpoint, err) != 0)
            return RPC_FAILED;
        sent = false;
    }
}
