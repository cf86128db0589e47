/* cmd_backup.c: leamon backup FILE: a consistent copy of the daemon's database, made by
 * the daemon with SQLite's backup API while it goes on serving, fetched in chunks,
 * written to FILE.part and renamed to FILE once complete and checked. */
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "fileio.h"
#include "leamon.h"
#include "proto.h"
#include "query.h"
#include "reply_backup.h"
#include "rpc.h"
#include "session.h"

/* PRAGMA integrity_check of the copy, and how many figures it holds. 0, or -1 with why. */
static int check_copy(const char *path, long long *figures, lm_error *why)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    /* immutable: nothing beside the copy (no -wal, no -shm), which no one else writes. */
    char uri[4200];
    snprintf(uri, sizeof uri, "file:%s?immutable=1", path);
    int rc = strpbrk(path, "?#%")
                 ? sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL)
                 : sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
    const char *verdict = NULL;
    if (rc == SQLITE_OK &&
        (rc = sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL)) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        verdict = (const char *)sqlite3_column_text(st, 0);
    bool ok = verdict && strcmp(verdict, "ok") == 0;
    if (!ok)
        lm_fail(why, 0, "%s", verdict ? verdict : db ? sqlite3_errmsg(db) : "cannot open it");
    sqlite3_finalize(st);
    st = NULL;
    *figures = -1;
    if (ok && sqlite3_prepare_v2(db, "SELECT count(*) FROM observation", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        *figures = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return ok ? 0 : -1;
}

int cmd_backup(leamon_ctx *ctx)
{
    int rc = arg_count(ctx, 1, "FILE");
    if (rc != 0)
        return rc;
    const char *file = ctx->pos[0];
    char part[4096];
    if (snprintf(part, sizeof part, "%s.part", file) >= (int)sizeof part) {
        leamon_error(ctx, "%s: path too long", file);
        return LEAMON_EXIT_USAGE;
    }
    proto_request req;
    if ((rc = query_start(ctx, &req, PROTO_OP_BACKUP)) != 0)
        return rc;
    int fd = open(part, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        leamon_error(ctx, "%s: %s", part, strerror(errno));
        return LEAMON_EXIT_USAGE;
    }
    char base[PROTO_MAX_ID + 1];
    memcpy(base, req.id, sizeof base);
    int64_t offset = 0, size = 0;
    bool done = false;
    for (int chunk = 0; !done; chunk++) {
        rpc_reply reply;
        snprintf(req.id, sizeof req.id, "%.40s-%d", base, chunk);
        req.has_offset = true;
        req.offset = offset;
        if ((rc = query_call(ctx, &req, &reply)) != 0)
            break;
        proto_backup_reply b;
        lm_error e;
        if (proto_backup_reply_read(reply.root, &b, &e) != 0) {
            rc = ctx_malformed(ctx, &e);
        } else if (b.offset != offset) {
            leamon_error(ctx, "the daemon's backup reply is not what this leamon expects");
            rc = LEAMON_EXIT_REJECTED;
        } else if (fileio_write_all(fd, b.data, b.n_data) != 0) {
            leamon_error(ctx, "%s: %s", part, strerror(errno));
            rc = LEAMON_EXIT_USAGE;
        } else {
            offset += (int64_t)b.n_data;
            size = b.size;
            done = b.done;
            req.has_backup = true;
            req.backup = b.backup;
            if (!done && b.n_data == 0) {
                leamon_error(ctx, "the daemon sent an empty chunk before the end");
                rc = LEAMON_EXIT_REJECTED;
            }
        }
        rpc_reply_free(&reply);
        if (rc != 0)
            break;
    }
    if (rc == 0 && (offset != size || fsync(fd) != 0)) {
        leamon_error(ctx, "%s: %s", part, offset != size ? "incomplete copy" : strerror(errno));
        rc = LEAMON_EXIT_USAGE;
    }
    if (close(fd) != 0 && rc == 0) {
        leamon_error(ctx, "%s: %s", part, strerror(errno));
        rc = LEAMON_EXIT_USAGE;
    }
    lm_error why;
    long long figures = -1;
    if (rc == 0 && check_copy(part, &figures, &why) != 0) {
        leamon_error(ctx, "the copy fails SQLite's integrity check: %s; %s kept for inspection",
                     why.msg, part);
        return LEAMON_EXIT_REJECTED;
    }
    if (rc == 0 && rename(part, file) != 0) {
        leamon_error(ctx, "%s: %s", file, strerror(errno));
        rc = LEAMON_EXIT_USAGE;
    }
    if (rc != 0) {
        unlink(part);
        return rc;
    }
    fprintf(ctx->out, "backup written to %s: %lld bytes, integrity ok, %lld figures\n", file,
            (long long)size, figures);
    return LEAMON_EXIT_OK;
}
