/* ops_backup.h: the backup op (proto/PROTOCOL.md §5.12): a consistent copy of the
 * database made with SQLite's backup API, handed to the client in chunks. */
#ifndef LEAMON_OPS_BACKUP_H
#define LEAMON_OPS_BACKUP_H

#include <msgpack.h>
#include <time.h>

#include "identity.h"
#include "proto.h"
#include "server.h"

/* Bytes of the copy in one reply (well under the client's and the protocol's limits). */
#define BACKUP_CHUNK (256 * 1024)

/* offset 0 (or none): make a new copy, next to the database, and send its first chunk;
 * later offsets: the next chunks of that copy. The copy is removed after its last chunk.
 * Admin role only. */
int ops_reply_backup(msgpack_packer *pk, server *srv, const proto_request *req,
                     const identity *who, time_t now);

/* Remove a copy still lying about (at stop). */
void ops_backup_discard(server *srv);

#endif
