/* fileio.c: durable writes of new files (see fileio.h). */
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* "PATH: WHAT: REASON" into err; errno stays errnum for the caller. */
static int fail_errno(lm_error *err, const char *path, const char *what, int errnum)
{
    lm_fail(err, 0, "%s: %s: %s", path, what, strerror(errnum));
    errno = errnum;
    return -1;
}

int fileio_write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -1;
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

int fileio_write_new(const char *path, const void *buf, size_t len, mode_t mode, unsigned flags,
                     lm_error *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0)
        return fail_errno(err, path, "cannot create", errno);
    int rc = 0;
    if (flags & FILEIO_EXACT_MODE)
        rc = fchmod(fd, mode); /* the umask may have taken bits away */
    if (rc == 0)
        rc = fileio_write_all(fd, buf, len);
    if (rc == 0)
        rc = fsync(fd);
    int saved = errno;
    if (close(fd) != 0 && rc == 0) {
        rc = -1;
        saved = errno;
    }
    if (rc != 0) {
        unlink(path);
        return fail_errno(err, path, "cannot write", saved);
    }
    return 0;
}
