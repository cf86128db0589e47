/* testutil.c: temp directories and files for the unit tests (see testutil.h). */
#define _XOPEN_SOURCE 700 /* nftw */
#include "testutil.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char tmpdir[64];

int tmpdir_setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/leamon-test-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        fprintf(stderr, "%s: cannot make a temp dir: %s\n", tmpdir, strerror(errno));
        tmpdir[0] = '\0';
        return -1;
    }
    return 0;
}

int tmpdir_teardown(void **state)
{
    (void)state;
    int rc = tree_remove(tmpdir);
    tmpdir[0] = '\0';
    return rc;
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if (type == FTW_DNR || type == FTW_NS) {
        fprintf(stderr, "%s: cannot read, so cannot remove\n", path);
        return -1;
    }
    if (remove(path) != 0) {
        fprintf(stderr, "%s: cannot remove: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

int tree_remove(const char *path)
{
    if (nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS) != 0) {
        fprintf(stderr, "%s: cannot remove it all: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

void path_join(char *buf, size_t size, const char *dir, const char *name)
{
    int n = snprintf(buf, size, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= size)
        fail_msg("%s/%s: path longer than %zu bytes", dir, name, size ? size - 1 : 0);
}

void write_text(const char *path, const char *text, mode_t mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) {
        fail_msg("%s: cannot create: %s", path, strerror(errno));
        return;
    }
    /* fchmod: the umask may have taken bits away. */
    size_t len = strlen(text), done = 0;
    int rc = fchmod(fd, mode);
    while (rc == 0 && done < len) {
        ssize_t n = write(fd, text + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            rc = -1;
        else
            done += (size_t)n;
    }
    int saved = errno;
    if (close(fd) != 0 && rc == 0) {
        rc = -1;
        saved = errno;
    }
    if (rc != 0)
        fail_msg("%s: cannot write: %s", path, strerror(saved));
}

void write_file(const char *name, const char *text, char *path, size_t size)
{
    path_join(path, size, tmpdir, name);
    write_text(path, text, 0644);
}

const char *check_located(const char *err, const char *path, int line, const char *setting,
                          const char *message)
{
    static char why[1200];
    char prefix[456];
    if (line)
        snprintf(prefix, sizeof prefix, "%s:%d: %s: ", path, line, setting);
    else
        snprintf(prefix, sizeof prefix, "%s: ", path);
    if (strncmp(err, prefix, strlen(prefix)) != 0) {
        snprintf(why, sizeof why, "'%s' does not start with '%s'", err, prefix);
        return why;
    }
    if (!strstr(err + strlen(prefix), message)) {
        snprintf(why, sizeof why, "'%s' does not say '%s'", err, message);
        return why;
    }
    return NULL;
}
