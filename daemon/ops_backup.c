/* ops_backup.c: a copy of the database, taken while submissions go on, in chunks. */
#include "ops_backup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ops.h"

static void copy_path(const server *srv, char *buf, size_t n)
{
    snprintf(buf, n, "%s.backup", srv->set.database);
}

void ops_backup_discard(server *srv)
{
    char path[CONFIG_PATH_MAX + 16];
    if (!srv->backup_id)
        return;
    copy_path(srv, path, sizeof path);
    if (unlink(path) != 0 && errno != ENOENT)
        log_msg(&srv->log, LOG_WARNING, "cannot remove the backup copy %s: %s", path,
                strerror(errno));
    srv->backup_id = 0;
}

int ops_reply_backup(msgpack_packer *pk, server *srv, const proto_request *req,
                     const identity *who, time_t now)
{
    if (who->type != IDENT_STAFF || who->staff->role != ROLE_ADMIN)
        return ops_reply_error(pk, req->id, PROTO_FORBIDDEN, "a backup needs the admin role");
    char path[CONFIG_PATH_MAX + 16];
    copy_path(srv, path, sizeof path);
    int64_t offset = req->has_offset ? req->offset : 0;
    if (offset == 0) {
        ops_backup_discard(srv);
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        if (store_backup(srv->db, path) != 0) {
            log_msg(&srv->log, LOG_ERR, "backup: %s", store_errmsg(srv->db));
            unlink(path);
            return ops_reply_error(pk, req->id, store_error_transient(srv->db) ? PROTO_UNAVAILABLE
                                                                                : PROTO_INTERNAL,
                                   "cannot make the backup copy (disk full?); nothing was "
                                   "changed");
        }
        clock_gettime(CLOCK_MONOTONIC, &t1);
        /* An id the next requests must name: a new backup by someone else is noticed. */
        srv->backup_id = (int64_t)now * 1000 + t1.tv_nsec / 1000000;
        log_msg(&srv->log, LOG_INFO, "backup %lld for %s: copied in %lld ms",
                (long long)srv->backup_id, identity_id(who),
                (long long)((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000));
    } else if (!srv->backup_id || !req->has_backup || req->backup != srv->backup_id) {
        return ops_reply_error(pk, req->id, PROTO_CONFLICT,
                               "that backup is gone (finished, or another backup started "
                               "since); start again from offset 0");
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        if (fd >= 0)
            close(fd);
        ops_backup_discard(srv);
        return ops_reply_error(pk, req->id, PROTO_INTERNAL, "the backup copy cannot be read");
    }
    if (offset > (int64_t)st.st_size) {
        close(fd);
        return ops_reply_error(pk, req->id, PROTO_BAD_REQUEST, "offset is past the end of the copy");
    }
    size_t want = (size_t)st.st_size - (size_t)offset;
    if (want > BACKUP_CHUNK)
        want = BACKUP_CHUNK;
    char *chunk = malloc(want ? want : 1);
    ssize_t got = chunk ? pread(fd, chunk, want, (off_t)offset) : -1;
    close(fd);
    if (got != (ssize_t)want) {
        free(chunk);
        ops_backup_discard(srv);
        return ops_reply_error(pk, req->id, PROTO_INTERNAL, "the backup copy cannot be read");
    }
    bool done = offset + (int64_t)got == (int64_t)st.st_size;
    int64_t id = srv->backup_id;
    if (done)
        ops_backup_discard(srv);
    int rc = proto_pack_reply_head(pk, 5, req->id, PROTO_OK, NULL) == 0 &&
                     proto_pack_kv_int(pk, "backup", id) == 0 &&
                     proto_pack_kv_int(pk, "size", (int64_t)st.st_size) == 0 &&
                     proto_pack_kv_int(pk, "offset", offset) == 0 &&
                     proto_pack_kv_bool(pk, "done", done) == 0 &&
                     proto_pack_str(pk, "data") == 0 && msgpack_pack_bin(pk, (size_t)got) == 0 &&
                     msgpack_pack_bin_body(pk, chunk, (size_t)got) == 0
                 ? 0
                 : -1;
    free(chunk);
    return rc;
}
