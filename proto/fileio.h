/* fileio.h: durable writes of new files, for the spool and the key files. */
#ifndef LEAMON_FILEIO_H
#define LEAMON_FILEIO_H

#include <stddef.h>
#include <sys/types.h>

#include "error.h"

/* Flag: give the file exactly mode, whatever the umask (it is fchmod'ed before
 * anything is written). Without it the umask applies, as with open(2). */
#define FILEIO_EXACT_MODE 1u

/* Create path as a new file (O_EXCL, never over an existing one) with mode, write
 * the len bytes of buf, fsync and close it. 0 on success. On failure -1, errno set,
 * a file this call created removed, and err says "PATH: cannot create: REASON" or
 * "PATH: cannot write: REASON". errno EEXIST: path existed and was left alone. */
int fileio_write_new(const char *path, const void *buf, size_t len, mode_t mode, unsigned flags,
                     lm_error *err);

/* Write all len bytes of buf to fd, through short writes and EINTR. 0, or -1 with errno. */
int fileio_write_all(int fd, const void *buf, size_t len);

#endif
