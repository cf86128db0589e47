/* lmconns: open connections to leamond with one CURVE key, one after another, and hold them:
 * for the cap on connections per key.
 *
 *   lmconns --server-key Z85 --key SECRETFILE [--timeout MS] [--hold MS] [--idle] N ENDPOINT
 *
 * Each connection is a DEALER socket of its own that does not reconnect. For each, in
 * order, once its handshake is over, one line: "I ok", "I refused STATUS" (the ZAP status)
 * or "I failed" (I from 1). Then, unless --idle, a ping on each connection that is ok, all
 * sent before any reply is read: "I pong STATUS" or "I noreply". Then "holding", and the
 * connections are held until SIGTERM or SIGINT (or for --hold ms, 60000 by default, so that
 * a test that failed leaves none behind), with "I closed" when the daemon closes one.
 * Exit 0, 2 on usage errors. A test tool, not shipped. */
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <msgpack.h>
#include <zmq.h>

#include "keyfile.h"
#include "proto.h"

#define MAX_CONNS 256

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

typedef struct {
    void *sock, *mon;
    bool ok, closed;
} conn;

/* The next monitor event of c within timeout ms: its id (0 if none), value in *value. */
static uint16_t next_event(conn *c, int timeout, uint32_t *value)
{
    zmq_pollitem_t it = {c->mon, 0, ZMQ_POLLIN, 0};
    if (zmq_poll(&it, 1, timeout) != 1)
        return 0;
    zmq_msg_t m;
    zmq_msg_init(&m);
    uint16_t event = 0;
    if (zmq_msg_recv(&m, c->mon, 0) >= 0 && zmq_msg_size(&m) >= 6) {
        memcpy(&event, zmq_msg_data(&m), sizeof event);
        memcpy(value, (char *)zmq_msg_data(&m) + 2, sizeof *value);
    }
    bool more = zmq_msg_more(&m);
    zmq_msg_close(&m);
    while (more) {
        zmq_msg_init(&m);
        more = zmq_msg_recv(&m, c->mon, 0) >= 0 && zmq_msg_more(&m);
        zmq_msg_close(&m);
    }
    return event;
}

static int open_conn(void *ctx, conn *c, int i, const char *ep, const char *server_key,
                     const char *pub, const char *secret)
{
    int zero = 0, never = -1;
    char mon_ep[64];
    snprintf(mon_ep, sizeof mon_ep, "inproc://lmconns-%d", i);
    c->sock = zmq_socket(ctx, ZMQ_DEALER);
    c->mon = zmq_socket(ctx, ZMQ_PAIR);
    if (!c->sock || !c->mon || zmq_setsockopt(c->sock, ZMQ_LINGER, &zero, sizeof zero) ||
        zmq_setsockopt(c->sock, ZMQ_RECONNECT_IVL, &never, sizeof never) ||
        zmq_setsockopt(c->sock, ZMQ_CURVE_SERVERKEY, server_key, 40) ||
        zmq_setsockopt(c->sock, ZMQ_CURVE_PUBLICKEY, pub, 40) ||
        zmq_setsockopt(c->sock, ZMQ_CURVE_SECRETKEY, secret, 40) ||
        zmq_setsockopt(c->mon, ZMQ_LINGER, &zero, sizeof zero) ||
        zmq_socket_monitor(c->sock, mon_ep,
                           ZMQ_EVENT_HANDSHAKE_SUCCEEDED | ZMQ_EVENT_HANDSHAKE_FAILED_AUTH |
                               ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL |
                               ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL | ZMQ_EVENT_DISCONNECTED) ||
        zmq_connect(c->mon, mon_ep) || zmq_connect(c->sock, ep)) {
        fprintf(stderr, "lmconns: connection %d: %s\n", i + 1, zmq_strerror(zmq_errno()));
        return -1;
    }
    return 0;
}

/* The status of a reply frame, -1 if it has none. */
static long long reply_status(zmq_msg_t *m)
{
    msgpack_unpacked u;
    msgpack_unpacked_init(&u);
    size_t off = 0;
    long long status = -1;
    if (msgpack_unpack_next(&u, zmq_msg_data(m), zmq_msg_size(m), &off) ==
            MSGPACK_UNPACK_SUCCESS && u.data.type == MSGPACK_OBJECT_MAP) {
        const msgpack_object *s = proto_get(&u.data, "status");
        if (s && s->type == MSGPACK_OBJECT_POSITIVE_INTEGER)
            status = (long long)s->via.u64;
    }
    msgpack_unpacked_destroy(&u);
    return status;
}

static void ping_all(conn *cs, int n, int timeout)
{
    for (int i = 0; i < n; i++) {
        if (!cs[i].ok)
            continue;
        char id[24];
        snprintf(id, sizeof id, "conn-%d", i + 1);
        msgpack_sbuffer buf;
        msgpack_sbuffer_init(&buf);
        msgpack_packer pk;
        msgpack_packer_init(&pk, &buf, msgpack_sbuffer_write);
        msgpack_pack_map(&pk, 3);
        msgpack_pack_str_with_body(&pk, "v", 1);
        msgpack_pack_int(&pk, 1);
        msgpack_pack_str_with_body(&pk, "op", 2);
        msgpack_pack_str_with_body(&pk, "ping", 4);
        msgpack_pack_str_with_body(&pk, "id", 2);
        msgpack_pack_str_with_body(&pk, id, strlen(id));
        if (zmq_send(cs[i].sock, buf.data, buf.size, 0) < 0)
            fprintf(stderr, "lmconns: send %d: %s\n", i + 1, zmq_strerror(zmq_errno()));
        msgpack_sbuffer_destroy(&buf);
    }
    for (int i = 0; i < n; i++) {
        if (!cs[i].ok)
            continue;
        zmq_pollitem_t it = {cs[i].sock, 0, ZMQ_POLLIN, 0};
        zmq_msg_t m;
        zmq_msg_init(&m);
        if (zmq_poll(&it, 1, timeout) == 1 && zmq_msg_recv(&m, cs[i].sock, 0) >= 0)
            printf("%d pong %lld\n", i + 1, reply_status(&m));
        else
            printf("%d noreply\n", i + 1);
        zmq_msg_close(&m);
    }
}

int main(int argc, char **argv)
{
    const char *server_key = NULL, *key_file = NULL;
    int timeout = 5000, hold = 60000, i = 1;
    bool idle = false;
    for (; i < argc && !strncmp(argv[i], "--", 2); i++) {
        if (!strcmp(argv[i], "--idle"))
            idle = true;
        else if (i + 1 < argc && !strcmp(argv[i], "--server-key"))
            server_key = argv[++i];
        else if (i + 1 < argc && !strcmp(argv[i], "--key"))
            key_file = argv[++i];
        else if (i + 1 < argc && !strcmp(argv[i], "--timeout"))
            timeout = atoi(argv[++i]);
        else if (i + 1 < argc && !strcmp(argv[i], "--hold"))
            hold = atoi(argv[++i]);
        else
            break;
    }
    int n = i + 2 == argc ? atoi(argv[i]) : 0;
    char secret[41], pub[41];
    lm_error err;
    if (n < 1 || n > MAX_CONNS || !server_key || !key_file) {
        fprintf(stderr, "usage: lmconns --server-key Z85 --key SECRETFILE [--timeout MS] "
                        "[--hold MS] [--idle] N ENDPOINT (N at most %d)\n", MAX_CONNS);
        return 2;
    }
    if (keyfile_read_secret(key_file, secret, &err) < 0 ||
        keyfile_public_from_secret(secret, pub) < 0) {
        fprintf(stderr, "lmconns: key: %s\n", err.msg);
        return 2;
    }
    const char *ep = argv[i + 1];
    setvbuf(stdout, NULL, _IOLBF, 0);
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    void *ctx = zmq_ctx_new();
    static conn cs[MAX_CONNS];
    int rc = 0;
    for (int k = 0; k < n && !stop; k++) {
        if (open_conn(ctx, &cs[k], k, ep, server_key, pub, secret) < 0) {
            rc = 2;
            break;
        }
        uint32_t value = 0;
        uint16_t ev = next_event(&cs[k], timeout, &value);
        cs[k].ok = ev == ZMQ_EVENT_HANDSHAKE_SUCCEEDED;
        if (cs[k].ok)
            printf("%d ok\n", k + 1);
        else if (ev == ZMQ_EVENT_HANDSHAKE_FAILED_AUTH)
            printf("%d refused %u\n", k + 1, (unsigned)value);
        else
            printf("%d failed\n", k + 1);
    }
    if (rc == 0 && !idle)
        ping_all(cs, n, timeout);
    printf("holding\n");
    for (int held = 0; rc == 0 && !stop && held < hold; held += 50) {
        for (int k = 0; k < n; k++) {
            uint32_t value;
            if (cs[k].ok && !cs[k].closed &&
                next_event(&cs[k], 0, &value) == ZMQ_EVENT_DISCONNECTED) {
                cs[k].closed = true;
                printf("%d closed\n", k + 1);
            }
        }
        zmq_pollitem_t none;
        zmq_poll(&none, 0, 50);
    }
    for (int k = 0; k < n; k++) {
        if (cs[k].sock)
            zmq_close(cs[k].sock);
        if (cs[k].mon)
            zmq_close(cs[k].mon);
    }
    zmq_ctx_term(ctx);
    return rc;
}
