/* rpc.h: one request, one reply, reliably (zguide's Lazy Pirate).
 *
 * Send on a DEALER socket and poll for the reply up to the timeout. On a
 * timeout the socket is thrown away (linger 0) and the same bytes are sent on
 * a new one after a backoff (250 ms doubling, at most 4 s), up to `retries`
 * times: the daemon treats a repeated request id as the same request, so a
 * retry never stores twice. 5xx replies are retried too (503 after its
 * retry_after_ms). Replies whose id is not ours (left over from an earlier
 * attempt) are ignored. A CURVE handshake the daemon refuses ends the call at
 * once: retrying would not change the answer.
 */
#ifndef LEAMON_RPC_H
#define LEAMON_RPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <msgpack.h>

#include "error.h"
#include "keyfile.h"
#include "reply.h"

typedef struct {
    void *zctx;            /* borrowed libzmq context */
    const char *endpoint;  /* borrowed */
    bool curve;            /* the keys below are set */
    char server_key[KEY_Z85_LEN + 1];
    char public_key[KEY_Z85_LEN + 1];
    char secret_key[KEY_Z85_LEN + 1];
    int timeout_ms;
    int retries;
    FILE *log;             /* notes on retries; NULL for none */
    unsigned sockets;      /* sockets opened so far: names each monitor uniquely */
} rpc_t;

typedef enum {
    RPC_REPLY,       /* a reply (possibly still 5xx when retries ran out) */
    RPC_UNREACHABLE, /* no reply after every retry */
    RPC_REFUSED,     /* the CURVE handshake failed: key refused or mismatched */
    RPC_FAILED,      /* local problem (bad endpoint, out of memory) */
    RPC_MALFORMED    /* a reply to this request whose common fields proto_reply_head refused */
} rpc_result;

typedef struct {
    char *data;                /* owned copy of the reply frame */
    size_t size;
    msgpack_unpacked unpacked; /* the decoded map; its strings point into data */
    const msgpack_object *root;
    proto_head head;           /* its common fields: status, and error when not 200 */
    int attempts;              /* sends it took, 1 + retries used */
    bool set;
} rpc_reply;

/* Initialise with everything but the keys; zeroed keys mean insecure mode. */
void rpc_init(rpc_t *self, void *zctx, const char *endpoint, int timeout_ms, int retries,
              FILE *log);

/* Send request (len bytes, carrying request id) and wait for its reply. On
 * RPC_REPLY, reply holds it (free with rpc_reply_free), its common fields read by
 * proto_reply_head; the rest is for the op's typed reader. Otherwise err says what
 * happened, in words for the user. */
rpc_result rpc_call(rpc_t *self, const void *request, size_t len, const char *id,
                    rpc_reply *reply, lm_error *err);

void rpc_reply_free(rpc_reply *reply);

/* What a typed reader's failure (e from proto_*_read, "malformed reply: ...") says to the
 * user: "malformed reply from leamond: ..." into err; and just the "..." of it. */
void rpc_malformed(lm_error *err, const lm_error *e);
const char *rpc_malformed_why(const lm_error *e);

/* A socket of any type connected to one of the daemon's endpoints, with
 * this rpc_t's CURVE keys (when set), linger 0, and a monitor that reports
 * the handshake: what rpc_call uses for its DEALER, and `leamon watch` for
 * its SUB socket. */
typedef struct {
    void *sock;           /* the socket (ZMQ_DEALER, ZMQ_SUB, ...) */
    void *mon;            /* PAIR receiving sock's monitor events: poll it */
    const char *endpoint; /* borrowed */
} rpc_conn;

/* Open c as a socket of type connected to endpoint. 0, or -1 with err. */
int rpc_conn_open(rpc_t *self, rpc_conn *c, int type, const char *endpoint, lm_error *err);
void rpc_conn_close(rpc_conn *c);

/* Take one event waiting on c->mon. 0: none, or the connection or its
 * handshake is up (*connected is then set). Otherwise the handshake failed:
 * the event (ZMQ_EVENT_HANDSHAKE_FAILED_AUTH: the key was refused; _PROTOCOL:
 * CURVE on one side only, or a bad key; _NO_DETAIL: a wrong server key, or
 * the daemon went away mid-handshake), and err says why in words for the
 * user. */
int rpc_conn_event(const rpc_t *self, const rpc_conn *c, bool *connected, lm_error *err);

/* Wipe the keys held in memory. */
void rpc_destroy(rpc_t *self);

#endif
