/* auth.c: the ZAP handler (RFC 27) and request identities. */
#include "auth.h"

#include <stdio.h>
#include <string.h>
#include <zmq.h>

int auth_start(void *ctx, void **zap, lm_error *err)
{
    *zap = zmq_socket(ctx, ZMQ_REP);
    if (!*zap)
        return lm_fail(err, 0, "ZAP socket: %s", zmq_strerror(zmq_errno()));
    int linger = 0;
    if (zmq_setsockopt(*zap, ZMQ_LINGER, &linger, sizeof linger) != 0 ||
        zmq_bind(*zap, "inproc://zeromq.zap.01") != 0) {
        lm_fail(err, 0, "ZAP handler: %s", zmq_strerror(zmq_errno()));
        zmq_close(*zap);
        *zap = NULL;
        return -1;
    }
    return 0;
}

#define ZAP_FRAMES 8

static int send_frame(void *sock, const void *data, size_t n, bool more)
{
    return zmq_send(sock, data, n, more ? ZMQ_SNDMORE : 0) < 0 ? -1 : 0;
}

static bool frame_is(zmq_msg_t *m, const char *text)
{
    size_t n = strlen(text);
    return zmq_msg_size(m) == n && memcmp(zmq_msg_data(m), text, n) == 0;
}

/* A connection to the request socket by a known key, under the cap: its place, and the
 * serial its requests will carry, written as ZAP metadata (ZMTP properties: a name of one
 * length byte, a value of four, big-endian) into meta. Returns the status. */
static const char *admit(const auth_cap *cap, const uint8_t *key, const char *who,
                         char *meta, size_t *meta_len, char *text, size_t text_size,
                         const log_ctx *lg)
{
    cap->drain(cap->ctx); /* every connection accepted before this handshake */
    long long serial = conn_cap_admit(cap->cap, key);
    if (serial < 0) {
        snprintf(text, text_size, "out of memory");
        log_msg(lg, LOG_ERR, "out of memory: refused a connection by %s", who);
        return "500";
    }
    if (serial == 0) {
        /* 500, not 300: libzmq drops a 300 silently, and the client could not tell it from
         * a connection lost; a 500 reaches it as the handshake's failure. */
        snprintf(text, text_size, "this key holds its limit of connections");
        log_msg(lg, LOG_WARNING, "refused a connection by %s: its key holds %lld connections "
                "already (max_connections_per_key)", who, cap->max);
        return "500";
    }
    char value[24];
    int vlen = snprintf(value, sizeof value, "%lld", serial);
    size_t nlen = strlen(AUTH_CONNECTION_PROPERTY);
    meta[0] = (char)nlen;
    memcpy(meta + 1, AUTH_CONNECTION_PROPERTY, nlen);
    uint8_t be[4] = {0, 0, 0, (uint8_t)vlen};
    memcpy(meta + 1 + nlen, be, sizeof be);
    memcpy(meta + 5 + nlen, value, (size_t)vlen);
    *meta_len = 5 + nlen + (size_t)vlen;
    return "200";
}

void auth_handle(void *zap, const registry *reg, const log_ctx *lg, const auth_cap *cap,
                 metrics *counts)
{
    for (;;) {
        /* version, request id, domain, address, identity, mechanism, credentials... */
        zmq_msg_t f[ZAP_FRAMES];
        int n = 0, more = 1;
        for (; more; n++) {
            zmq_msg_t scratch;
            zmq_msg_t *m = n < ZAP_FRAMES ? &f[n] : &scratch;
            zmq_msg_init(m);
            if (zmq_msg_recv(m, zap, n == 0 ? ZMQ_DONTWAIT : 0) < 0) {
                zmq_msg_close(m);
                for (int i = 0; i < n && i < ZAP_FRAMES; i++)
                    zmq_msg_close(&f[i]);
                return; /* nothing waiting (or a broken request: libzmq then denies) */
            }
            more = zmq_msg_more(m);
            if (m == &scratch)
                zmq_msg_close(m);
        }
        const char *status = "400";
        char text[96] = "malformed ZAP request", user[41] = "";
        char meta[64];
        size_t meta_len = 0;
        if (n >= 6 && frame_is(&f[0], "1.0")) {
            if (frame_is(&f[5], "NULL")) {
                /* Insecure mode only: a CURVE server socket never asks for NULL. */
                status = "200";
                snprintf(text, sizeof text, "OK");
            } else if (frame_is(&f[5], "CURVE") && n >= 7 &&
                       zmq_msg_size(&f[6]) == CURVE_KEY_BYTES) {
                const uint8_t *key = zmq_msg_data(&f[6]);
                char z85[41];
                zmq_z85_encode(z85, key, CURVE_KEY_BYTES);
                const key_entry *k = partners_key(&reg->parts, key);
                /* The alert socket's domain: alerts are for staff only. */
                bool alerts = frame_is(&f[2], "leamon-alerts");
                const char *who = !k ? "" : k->staff ? reg->parts.staff[k->index].id
                                                     : reg->parts.orgs[k->index].id;
                if (k && alerts && !k->staff) {
                    snprintf(text, sizeof text, "alerts are for staff keys");
                    log_msg(lg, LOG_WARNING, "refused an alert subscription by organisation %s",
                            who);
                } else if (k) {
                    /* The cap counts the request socket's connections only. */
                    status = cap && cap->cap && frame_is(&f[2], "leamon")
                                 ? admit(cap, key, who, meta, &meta_len, text, sizeof text, lg)
                                 : "200";
                    if (strcmp(status, "200") == 0) {
                        snprintf(text, sizeof text, "OK");
                        memcpy(user, z85, sizeof user);
                    } else if (counts) {
                        atomic_fetch_add(&counts->connections_ended[CONN_KEY_CAP], 1);
                    }
                } else {
                    snprintf(text, sizeof text, "unknown key");
                    log_msg(lg, LOG_WARNING, "refused a connection with unknown key %s", z85);
                    if (counts)
                        atomic_fetch_add(&counts->connections_ended[CONN_UNKNOWN_KEY], 1);
                }
            } else {
                snprintf(text, sizeof text, "mechanism not allowed");
            }
        }
        bool ok = n >= 2 && send_frame(zap, "1.0", 3, true) == 0 &&
                  send_frame(zap, zmq_msg_data(&f[1]), zmq_msg_size(&f[1]), true) == 0 &&
                  send_frame(zap, status, 3, true) == 0 &&
                  send_frame(zap, text, strlen(text), true) == 0 &&
                  send_frame(zap, user, strlen(user), true) == 0 &&
                  send_frame(zap, meta, meta_len, false) == 0;
        if (!ok)
            log_msg(lg, LOG_ERR, "cannot answer a ZAP request: %s", zmq_strerror(zmq_errno()));
        for (int i = 0; i < n && i < ZAP_FRAMES; i++)
            zmq_msg_close(&f[i]);
    }
}

int auth_identify(const registry *reg, bool secure, const char *user_id, const char *claimed,
                  identity *out, lm_error *e)
{
    memset(out, 0, sizeof *out);
    const partners *p = &reg->parts;
    if (secure) {
        uint8_t key[CURVE_KEY_BYTES];
        const key_entry *k = NULL;
        if (strlen(user_id) == 40 && zmq_z85_decode(key, user_id))
            k = partners_key(p, key);
        if (!k) {
            /* Admitted at the handshake, removed from the partners file since. */
            return lm_fail(e, PROTO_UNAUTHENTICATED,
                           "this client's key is no longer known to the daemon");
        }
        if (k->staff) {
            out->type = IDENT_STAFF;
            out->staff = &p->staff[k->index];
        } else {
            out->type = IDENT_ORG;
            out->org = &p->orgs[k->index];
        }
        if (claimed[0] && strcmp(claimed, identity_id(out)) != 0) {
            return lm_fail(e, PROTO_FORBIDDEN, "this key belongs to %s, not to reporter %s",
                           identity_id(out), claimed);
        }
        return 0;
    }
    if (!claimed[0])
        return 0; /* anonymous: what the op table allows anonymous senders */
    if ((out->org = partners_org(p, claimed))) {
        out->type = IDENT_ORG;
        return 0;
    }
    if ((out->staff = partners_staff(p, claimed))) {
        out->type = IDENT_STAFF;
        return 0;
    }
    char q[PROTO_MAX_CODE + 1];
    proto_quote(q, sizeof q, claimed, strlen(claimed));
    return lm_fail(e, PROTO_UNAUTHENTICATED,
                   "unknown reporter '%s': not an organisation or staff id in the partners file", q);
}
