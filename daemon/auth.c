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

void auth_handle(void *zap, const registry *reg, const log_ctx *lg)
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
        char status[4] = "400", text[96] = "malformed ZAP request", user[41] = "";
        if (n >= 6 && zmq_msg_size(&f[0]) == 3 && memcmp(zmq_msg_data(&f[0]), "1.0", 3) == 0) {
            const char *mech = zmq_msg_data(&f[5]);
            size_t mlen = zmq_msg_size(&f[5]);
            if (mlen == 4 && memcmp(mech, "NULL", 4) == 0) {
                /* Insecure mode only: a CURVE server socket never asks for NULL. */
                memcpy(status, "200", 4);
                snprintf(text, sizeof text, "OK");
            } else if (mlen == 5 && memcmp(mech, "CURVE", 5) == 0 && n >= 7 &&
                       zmq_msg_size(&f[6]) == CURVE_KEY_BYTES) {
                const uint8_t *key = zmq_msg_data(&f[6]);
                char z85[41];
                zmq_z85_encode(z85, key, CURVE_KEY_BYTES);
                const key_entry *k = partners_key(&reg->parts, key);
                /* The alert socket's domain: alerts are for staff only. */
                bool alerts = zmq_msg_size(&f[2]) == 13 &&
                              memcmp(zmq_msg_data(&f[2]), "leamon-alerts", 13) == 0;
                if (k && alerts && !k->staff) {
                    snprintf(text, sizeof text, "alerts are for staff keys");
                    log_msg(lg, LOG_WARNING, "refused an alert subscription by organisation %s",
                            reg->parts.orgs[k->index].id);
                } else if (k) {
                    memcpy(status, "200", 4);
                    snprintf(text, sizeof text, "OK");
                    memcpy(user, z85, sizeof user);
                } else {
                    snprintf(text, sizeof text, "unknown key");
                    log_msg(lg, LOG_WARNING, "refused a connection with unknown key %s", z85);
                }
            } else {
                snprintf(text, sizeof text, "mechanism not allowed");
            }
        }
        bool ok = n >= 2 && send_frame(zap, "1.0", 3, true) == 0 &&
                  send_frame(zap, zmq_msg_data(&f[1]), zmq_msg_size(&f[1]), true) == 0 &&
                  send_frame(zap, status, 3, true) == 0 &&
                  send_frame(zap, text, strlen(text), true) == 0 &&
                  send_frame(zap, user, strlen(user), true) == 0 && send_frame(zap, "", 0, false) == 0;
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
