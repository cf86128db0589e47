/* lmraw: send one hand-written request to leamond and print the reply as JSON.
 *
 *   lmraw [--server-key Z85 --key SECRETFILE] [--timeout MS] ENDPOINT JSON
 *   lmraw ... ENDPOINT --hex HEXBYTES       raw bytes, for malformed-input tests
 *   lmraw ... ENDPOINT --req JSON           REQ envelope instead of DEALER
 *   lmraw ... ENDPOINT --file PATH          the JSON from a file (too long for an argument)
 *   lmraw --repeat N ... ENDPOINT JSON      N requests on one socket, all sent before the
 *                                           first reply is read; each '@' in JSON becomes
 *                                           the request's number (0..N-1); one reply a line
 *
 * JSON is a small subset (objects, arrays, strings with \" \\ \n \uXXXX escapes, numbers,
 * true, false, null) turned into msgpack; integers stay integers, "1.0" is a float.
 * Exit 0 with the reply on stdout, 3 on timeout, 2 on usage errors. A test tool, not
 * shipped. */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <msgpack.h>
#include <zmq.h>

#include "keyfile.h"
#include "proto.h"

typedef struct {
    const char *s;
    msgpack_packer *pk;
    int depth;
} parser;

static void skip_ws(parser *p)
{
    while (isspace((unsigned char)*p->s))
        p->s++;
}

static int value(parser *p);

static int string_body(parser *p, char *out, size_t cap, size_t *len)
{
    size_t n = 0;
    if (*p->s != '"')
        return -1;
    p->s++;
    while (*p->s && *p->s != '"') {
        char c = *p->s++;
        if (c == '\\') {
            char e = *p->s++;
            if (e == 'n')
                c = '\n';
            else if (e == 'u') {
                unsigned v;
                if (sscanf(p->s, "%4x", &v) != 1)
                    return -1;
                p->s += 4;
                c = (char)v;
            } else if (e)
                c = e;
            else
                return -1;
        }
        if (n + 1 >= cap)
            return -1;
        out[n++] = c;
    }
    if (*p->s != '"')
        return -1;
    p->s++;
    *len = n;
    return 0;
}

static int value(parser *p)
{
    static char buf[4 << 20];
    skip_ws(p);
    if (++p->depth > 200)
        return -1;
    int rc = -1;
    if (*p->s == '{' || *p->s == '[') {
        bool obj = *p->s == '{';
        const char *start = ++p->s;
        /* Count members first: msgpack needs the size up front. */
        size_t count = 0;
        int level = 0;
        bool in_str = false, any = false;
        for (const char *q = start; *q; q++) {
            if (in_str) {
                if (*q == '\\' && q[1])
                    q++;
                else if (*q == '"')
                    in_str = false;
                continue;
            }
            if (*q == '"')
                in_str = true;
            if (!isspace((unsigned char)*q) && level == 0 && *q != '}' && *q != ']')
                any = true;
            if (*q == '{' || *q == '[')
                level++;
            else if ((*q == '}' || *q == ']') && level-- == 0)
                break;
            else if (*q == ',' && level == 0)
                count++;
        }
        if (any)
            count++;
        if ((obj ? msgpack_pack_map(p->pk, count) : msgpack_pack_array(p->pk, count)) != 0)
            return -1;
        for (size_t i = 0; i < count; i++) {
            skip_ws(p);
            if (obj) {
                size_t len;
                if (string_body(p, buf, sizeof buf, &len) < 0 ||
                    msgpack_pack_str(p->pk, len) != 0 || msgpack_pack_str_body(p->pk, buf, len))
                    return -1;
                skip_ws(p);
                if (*p->s++ != ':')
                    return -1;
            }
            if (value(p) < 0)
                return -1;
            skip_ws(p);
            if (i + 1 < count && *p->s++ != ',')
                return -1;
        }
        skip_ws(p);
        if (*p->s++ != (obj ? '}' : ']'))
            return -1;
        rc = 0;
    } else if (*p->s == '"') {
        size_t len;
        rc = string_body(p, buf, sizeof buf, &len) == 0 && msgpack_pack_str(p->pk, len) == 0 &&
                     msgpack_pack_str_body(p->pk, buf, len) == 0
                 ? 0
                 : -1;
    } else if (strncmp(p->s, "true", 4) == 0) {
        p->s += 4;
        rc = msgpack_pack_true(p->pk);
    } else if (strncmp(p->s, "false", 5) == 0) {
        p->s += 5;
        rc = msgpack_pack_false(p->pk);
    } else if (strncmp(p->s, "null", 4) == 0) {
        p->s += 4;
        rc = msgpack_pack_nil(p->pk);
    } else if (strncmp(p->s, "NaN", 3) == 0) {
        p->s += 3;
        rc = msgpack_pack_double(p->pk, strtod("nan", NULL));
    } else if (strncmp(p->s, "Infinity", 8) == 0) {
        p->s += 8;
        rc = msgpack_pack_double(p->pk, strtod("inf", NULL));
    } else {
        char *end;
        const char *num = p->s;
        size_t n = strspn(num, "-+0123456789");
        if (n && num[n] != '.' && num[n] != 'e' && num[n] != 'E') {
            errno = 0;
            long long v = strtoll(num, &end, 10);
            if (errno)
                return -1;
            rc = msgpack_pack_int64(p->pk, v);
        } else {
            double d = strtod(num, &end);
            if (end == num)
                return -1;
            rc = msgpack_pack_double(p->pk, d);
        }
        p->s = end;
    }
    p->depth--;
    return rc;
}

static int hex_bytes(const char *hex, msgpack_sbuffer *out)
{
    size_t n = strlen(hex);
    if (n % 2)
        return -1;
    for (size_t i = 0; i < n; i += 2) {
        unsigned v;
        if (sscanf(hex + i, "%2x", &v) != 1)
            return -1;
        char c = (char)v;
        if (msgpack_sbuffer_write(out, &c, 1) != 0)
            return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *server_key = NULL, *key_file = NULL;
    int timeout = 5000, i = 1, repeat = 1;
    bool req_envelope = false;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i += 2) {
        if (i + 1 >= argc)
            break;
        if (!strcmp(argv[i], "--server-key"))
            server_key = argv[i + 1];
        else if (!strcmp(argv[i], "--key"))
            key_file = argv[i + 1];
        else if (!strcmp(argv[i], "--timeout"))
            timeout = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--repeat"))
            repeat = atoi(argv[i + 1]);
        else
            break;
    }
    if (argc - i < 2) {
        fprintf(stderr, "usage: lmraw [--server-key K --key F] [--timeout MS] ENDPOINT "
                        "(JSON | --hex HEX | --req JSON | --size N)\n");
        return 2;
    }
    const char *ep = argv[i++];
    char *from_file = NULL;
    if (!strcmp(argv[i], "--file") && i + 1 < argc) {
        FILE *f = fopen(argv[i + 1], "rb");
        long n = -1;
        if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0 ||
            !(from_file = calloc((size_t)n + 1, 1)) || fread(from_file, 1, (size_t)n, f) != (size_t)n) {
            fprintf(stderr, "lmraw: %s: %s\n", argv[i + 1], strerror(errno));
            return 2;
        }
        fclose(f);
        argv[++i] = from_file; /* from here on as if it had been the argument */
    }
    msgpack_sbuffer buf;
    msgpack_sbuffer_init(&buf);
    msgpack_packer pk;
    msgpack_packer_init(&pk, &buf, msgpack_sbuffer_write);
    int bad = 0;
    if (!strcmp(argv[i], "--hex") && i + 1 < argc) {
        bad = hex_bytes(argv[i + 1], &buf);
    } else if (!strcmp(argv[i], "--size") && i + 1 < argc) {
        /* N bytes of one long string field: for size-limit tests. */
        size_t n = strtoull(argv[i + 1], NULL, 10);
        char *pad = calloc(n ? n : 1, 1);
        if (!pad)
            return 2;
        memset(pad, 'x', n);
        bad = msgpack_pack_map(&pk, 4) || proto_pack_kv_int(&pk, "v", 1) ||
              proto_pack_kv_str(&pk, "op", "ping") || proto_pack_kv_str(&pk, "id", "big") ||
              msgpack_pack_str(&pk, 3) || msgpack_pack_str_body(&pk, "pad", 3) ||
              msgpack_pack_str(&pk, n) || msgpack_pack_str_body(&pk, pad, n);
        free(pad);
    } else {
        if (!strcmp(argv[i], "--req") && i + 1 < argc) {
            req_envelope = true;
            i++;
        }
        parser p = {argv[i], &pk, 0};
        if (repeat <= 1) { /* --repeat: each copy is encoded when it is sent */
            bad = value(&p);
            skip_ws(&p);
            if (*p.s)
                bad = -1;
        }
    }
    if (bad) {
        fprintf(stderr, "lmraw: cannot encode the request\n");
        return 2;
    }
    void *ctx = zmq_ctx_new();
    void *s = zmq_socket(ctx, req_envelope ? ZMQ_REQ : ZMQ_DEALER);
    int zero = 0;
    zmq_setsockopt(s, ZMQ_LINGER, &zero, sizeof zero);
    if (server_key) {
        char secret[41], pub[41];
        lm_error err;
        if (!key_file || keyfile_read_secret(key_file, secret, &err) < 0 ||
            keyfile_public_from_secret(secret, pub) < 0) {
            fprintf(stderr, "lmraw: key: %s\n", key_file ? err.msg : "--key missing");
            return 2;
        }
        zmq_setsockopt(s, ZMQ_CURVE_SERVERKEY, server_key, 40);
        zmq_setsockopt(s, ZMQ_CURVE_PUBLICKEY, pub, 40);
        zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, secret, 40);
    }
    int rc = 3;
    bool sent = zmq_connect(s, ep) == 0;
    if (repeat > 1 && !req_envelope) {
        /* One request per number; the template is the JSON argument. */
        for (int k = 0; sent && k < repeat; k++) {
            const char *tpl = argv[i];
            size_t len = strlen(tpl) + 16 * 32;
            char *text = malloc(len), num[16];
            if (!text)
                return 2;
            snprintf(num, sizeof num, "%d", k);
            size_t o = 0;
            for (const char *c = tpl; *c && o + strlen(num) + 1 < len; c++)
                o += (size_t)snprintf(text + o, len - o, "%s", *c == '@' ? num : (char[]){*c, 0});
            msgpack_sbuffer one;
            msgpack_sbuffer_init(&one);
            msgpack_packer opk;
            msgpack_packer_init(&opk, &one, msgpack_sbuffer_write);
            parser p = {text, &opk, 0};
            if (value(&p) != 0) {
                fprintf(stderr, "lmraw: cannot encode request %d\n", k);
                msgpack_sbuffer_destroy(&one);
                free(text);
                repeat = 0; /* nothing to wait for */
                break;
            }
            sent = zmq_send(s, one.data, one.size, 0) >= 0;
            msgpack_sbuffer_destroy(&one);
            free(text);
        }
    } else {
        sent = sent && zmq_send(s, buf.data, buf.size, 0) >= 0;
        repeat = 1;
    }
    if (!sent || repeat == 0) {
        if (!sent)
            fprintf(stderr, "lmraw: %s\n", zmq_strerror(zmq_errno()));
        rc = 2;
        sent = false;
    }
    for (int k = 0; sent && k < repeat; k++) {
        zmq_pollitem_t it = {s, 0, ZMQ_POLLIN, 0};
        rc = 3;
        if (zmq_poll(&it, 1, timeout) == 1) {
            zmq_msg_t m;
            zmq_msg_init(&m);
            if (zmq_msg_recv(&m, s, 0) >= 0) {
                msgpack_unpacked u;
                msgpack_unpacked_init(&u);
                size_t off = 0;
                if (msgpack_unpack_next(&u, zmq_msg_data(&m), zmq_msg_size(&m), &off) ==
                    MSGPACK_UNPACK_SUCCESS) {
                    proto_write_json(stdout, &u.data);
                    putchar('\n');
                    rc = 0;
                } else {
                    fprintf(stderr, "lmraw: reply is not msgpack\n");
                    rc = 1;
                }
                msgpack_unpacked_destroy(&u);
            }
            zmq_msg_close(&m);
        } else {
            fprintf(stderr, "lmraw: no reply within %d ms\n", timeout);
        }
        if (rc != 0)
            break;
    }
    zmq_close(s);
    zmq_ctx_term(ctx);
    msgpack_sbuffer_destroy(&buf);
    free(from_file);
    return rc;
}
