/* op_backup.c: the backup op (PROTOCOL.md §5.12): a consistent copy of the database, made
 * with SQLite's backup API next to it while submissions go on, handed out in chunks. */
#include "op.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reply_backup.h"

/* Bytes of the copy in one reply (well under the client's and the protocol's limits). */
#define BACKUP_CHUNK (256 * 1024)

void op_backup_discard(backup_copy *b, const log_ctx *log)
{
    if (!b->id)
        return;
    if (unlink(b->path) != 0 && errno != ENOENT)
        log_msg(log, LOG_WARNING, "cannot remove the backup copy %s: %s", b->path,
                strerror(errno));
    b->id = 0;
}

/* offset 0: a new copy (the one being handed out is dropped). 0, or -1 after refusing. */
static int make_copy(op_ctx *c, backup_copy *b)
{
    op_backup_discard(b, c->log);
    snprintf(b->path, sizeof b->path, "%s.backup", c->set->database);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (store_backup(c->db, b->path) != 0) {
        log_msg(c->log, LOG_ERR, "backup: %s", store_errmsg(c->db));
        unlink(b->path);
        return op_refuse(c, store_error_transient(c->db) ? PROTO_UNAVAILABLE : PROTO_INTERNAL,
                         "cannot make the backup copy (disk full?); nothing was changed");
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    /* An id the next requests must name: a new backup by someone else is noticed. */
    b->id = (int64_t)c->now * 1000 + t1.tv_nsec / 1000000;
    log_msg(c->log, LOG_INFO, "backup %lld for %s: copied in %lld ms", (long long)b->id,
            identity_id(c->who),
            (long long)((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000));
    return 0;
}

void op_backup(op_ctx *c)
{
    const proto_request *req = c->req;
    backup_copy *b = c->backup;
    int64_t offset = req->has_offset ? req->offset : 0;
    if (offset == 0 && make_copy(c, b) < 0)
        return;
    if (offset != 0 && (!b->id || !req->has_backup || req->backup != b->id)) {
        op_refuse(c, PROTO_CONFLICT, "that backup is gone (finished, or another backup started "
                                     "since); start again from offset 0");
        return;
    }
    int fd = open(b->path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        if (fd >= 0)
            close(fd);
        op_backup_discard(b, c->log);
        op_refuse(c, PROTO_INTERNAL, "the backup copy cannot be read");
        return;
    }
    if (offset > (int64_t)st.st_size) {
        close(fd);
        op_refuse(c, PROTO_BAD_REQUEST, "offset is past the end of the copy");
        return;
    }
    size_t want = (size_t)st.st_size - (size_t)offset;
    if (want > BACKUP_CHUNK)
        want = BACKUP_CHUNK;
    char *chunk = malloc(want ? want : 1);
    ssize_t got = chunk ? pread(fd, chunk, want, (off_t)offset) : -1;
    close(fd);
    if (got != (ssize_t)want) {
        free(chunk);
        op_backup_discard(b, c->log);
        op_refuse(c, PROTO_INTERNAL, "the backup copy cannot be read");
        return;
    }
    proto_backup_reply r = {b->id, (int64_t)st.st_size, offset,
                            offset + (int64_t)got == (int64_t)st.st_size, chunk, (size_t)got};
    if (r.done)
        op_backup_discard(b, c->log);
    proto_backup_reply_write(c->w, req->id, &r);
    free(chunk);
}
