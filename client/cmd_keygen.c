/* cmd_keygen.c: `leamon keygen NAME`: a CURVE key pair for a partner, a staff
 * member or the daemon itself. Needs no daemon. */
#include <msgpack.h>
#include <stdio.h>

#include "keyfile.h"
#include "leamon.h"
#include "mpw.h"
#include "proto.h"

/* Built as msgpack and written by proto_write_json, so paths are escaped right. */
static int print_json(leamon_ctx *ctx, const char *dir, const char *name, const char *pub)
{
    char key_path[4200], pub_path[4200];
    snprintf(key_path, sizeof key_path, "%s/%s.key", dir, name);
    snprintf(pub_path, sizeof pub_path, "%s/%s.pub", dir, name);
    mpw w;
    mpw_init(&w);
    mpw_map(&w);
    mpw_kv_str(&w, "name", name);
    mpw_kv_str(&w, "secret_key_file", key_path);
    mpw_kv_str(&w, "public_key_file", pub_path);
    mpw_kv_str(&w, "public_key", pub);
    mpw_end(&w);
    int rc = -1;
    if (mpw_ok(&w)) {
        msgpack_unpacked u;
        msgpack_unpacked_init(&u);
        size_t off = 0;
        rc = msgpack_unpack_next(&u, mpw_data(&w), mpw_size(&w), &off) == MSGPACK_UNPACK_SUCCESS &&
                     proto_write_json(ctx->out, &u.data) == 0 && fputc('\n', ctx->out) != EOF
                 ? 0 : -1;
        msgpack_unpacked_destroy(&u);
    }
    mpw_free(&w);
    if (rc != 0)
        leamon_error(ctx, "cannot write the output");
    return LEAMON_EXIT_OK; /* the keys are written either way */
}

int cmd_keygen(leamon_ctx *ctx)
{
    if (ctx->npos != 1) {
        leamon_error(ctx, "keygen needs exactly one NAME (see leamon keygen --help)");
        return LEAMON_EXIT_USAGE;
    }
    const char *dir = ctx_opt(ctx, "dir");
    if (!dir)
        dir = ".";
    const char *name = ctx->pos[0];
    char pub[KEY_Z85_LEN + 1];
    lm_error err;
    if (keyfile_write_pair(dir, name, pub, &err) != 0) {
        leamon_error(ctx, "%s", err.msg);
        return LEAMON_EXIT_USAGE;
    }
    if (ctx->json)
        return print_json(ctx, dir, name, pub);
    fprintf(ctx->out,
            "wrote %s/%s.key (secret key, mode 0600: keep it on this machine only)\n"
            "wrote %s/%s.pub (public key)\n"
            "public key: %s\n"
            "\n"
            "For a partner or staff member: add the public key to their entry in the\n"
            "daemon's partners file, then reload leamond:\n"
            "    keys = [\"%s\"];\n"
            "and use the secret key here: leamon --key %s/%s.key --server-key SERVER_KEY ...\n"
            "For the daemon itself: set server_secret_key_file = \"%s/%s.key\" in leamond.conf\n"
            "and give partners %s/%s.pub (or the key above) as their --server-key.\n",
            dir, name, dir, name, pub, pub, dir, name, dir, name, dir, name);
    return LEAMON_EXIT_OK;
}
