/* spool.h: submissions kept on disk while the daemon cannot be reached.
 *
 * A spool is a directory of files named <UTC yyyymmddThhmmssZ>-<seq>-<id>.req,
 * each holding one encoded request exactly as it would have been sent (same
 * request id, so a late delivery is still idempotent). Name order is delivery
 * order: a later figure supersedes an earlier one, so they must arrive in the
 * order they were made. Rejected files move to DIR/rejected/ with a .why file.
 */
#ifndef LEAMON_SPOOL_H
#define LEAMON_SPOOL_H

#include <stddef.h>
#include <time.h>

#include "error.h"

/* What became of one spooled request. */
typedef enum {
    SPOOL_DELIVERED, /* stored (or already stored): delete the file */
    SPOOL_REJECTED,  /* refused for good: move it to rejected/ */
    SPOOL_STOP       /* daemon unreachable, or a problem not of this file: keep it and the rest */
} spool_outcome;

/* Deliver one request; on SPOOL_REJECTED write the reason into why. */
typedef spool_outcome (*spool_deliver_fn)(void *arg, const char *name, const void *buf,
                                          size_t len, lm_error *why);

typedef struct {
    size_t delivered;
    size_t rejected;
    size_t remaining; /* left in the spool when the flush stopped */
} spool_stats;

/* Take an exclusive lock on the spool (DIR/.lock, created with DIR if need
 * be), so that concurrent runs (an overlapping cron job) keep the order.
 * Returns a descriptor for spool_unlock, or -1 with err filled. */
int spool_lock(const char *dir, lm_error *err);
void spool_unlock(int fd);

/* Spool a request: write a temporary file, fsync, link it into place, fsync
 * the directory. It sorts after every file already there, even if the clock
 * went back. The file's name (without the directory) goes to name. */
int spool_write(const char *dir, const char *id, const void *buf, size_t len, time_t now,
                char *name, size_t namelen, lm_error *err);

/* The spooled files (names, without directory), in delivery order. A missing
 * directory is an empty spool. Free with spool_list_free. */
int spool_list(const char *dir, char ***names, size_t *count, lm_error *err);
void spool_list_free(char **names, size_t count);

/* Read one spooled file into a malloc'd buffer (*buf, *len). */
int spool_read(const char *dir, const char *name, void **buf, size_t *len, lm_error *err);

/* Delete a delivered file; move a rejected one to DIR/rejected/ and write
 * why into DIR/rejected/NAME.why. Both fsync the directories involved. */
int spool_remove(const char *dir, const char *name, lm_error *err);
int spool_reject(const char *dir, const char *name, const char *why, lm_error *err);

/* Deliver every spooled file in order through deliver, deleting delivered
 * files and moving rejected ones, until the spool is empty or deliver says
 * SPOOL_STOP. The caller holds the lock. Returns 0, or -1 on a local error
 * (err filled; stats say what was done). */
int spool_flush(const char *dir, spool_deliver_fn deliver, void *arg, spool_stats *stats,
                lm_error *err);

#endif
