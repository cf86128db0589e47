/* spool.c: the on-disk queue of undelivered submissions (see spool.h). */
#include "spool.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "grow.h"

#define SPOOL_TS_LEN 16   /* yyyymmddThhmmssZ */
#define SPOOL_SEQ_LEN 6
#define SPOOL_SEQ_MAX 999999L
#define SPOOL_MAX_FILE (2 * 1024 * 1024) /* a request is at most 1 MiB */

static int join(char *buf, size_t n, const char *dir, const char *name)
{
    return (size_t)snprintf(buf, n, "%s/%s", dir, name) < n ? 0 : -1;
}

/* A rename or unlink is durable only once its directory is synced. */
static int fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    int saved = errno;
    close(fd);
    errno = saved;
    return rc;
}

static int make_dir(const char *dir, lm_error *err)
{
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return lm_fail(err, 0, "%s: cannot create the spool directory: %s", dir,
                       strerror(errno));
    return 0;
}

int spool_lock(const char *dir, lm_error *err)
{
    if (make_dir(dir, err) != 0)
        return -1;
    char path[4096];
    if (join(path, sizeof path, dir, ".lock") != 0)
        return lm_fail(err, 0, "%s: path too long", dir);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return lm_fail(err, 0, "%s: cannot open: %s", path, strerror(errno));
    while (flock(fd, LOCK_EX) != 0) {
        if (errno != EINTR) {
            int saved = errno;
            close(fd);
            return lm_fail(err, 0, "%s: cannot lock: %s", path, strerror(saved));
        }
    }
    return fd;
}

void spool_unlock(int fd)
{
    if (fd >= 0)
        close(fd); /* closing drops the flock */
}

static bool is_spool_name(const char *name)
{
    size_t n = strlen(name);
    return name[0] != '.' && n > 4 && !strcmp(name + n - 4, ".req");
}

/* Timestamp and sequence number of a name we wrote; -1 for other names. */
static long name_seq(const char *name, char ts[SPOOL_TS_LEN + 1])
{
    if (strlen(name) < SPOOL_TS_LEN + SPOOL_SEQ_LEN + 2 || name[SPOOL_TS_LEN] != '-' ||
        name[SPOOL_TS_LEN + 1 + SPOOL_SEQ_LEN] != '-')
        return -1;
    long seq = 0;
    for (int i = 0; i < SPOOL_SEQ_LEN; i++) {
        char c = name[SPOOL_TS_LEN + 1 + i];
        if (c < '0' || c > '9')
            return -1;
        seq = seq * 10 + (c - '0');
    }
    memcpy(ts, name, SPOOL_TS_LEN);
    ts[SPOOL_TS_LEN] = '\0';
    return seq;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void spool_list_free(char **names, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
}

int spool_list(const char *dir, char ***names, size_t *count, lm_error *err)
{
    *names = NULL;
    *count = 0;
    DIR *d = opendir(dir);
    if (!d) {
        if (errno == ENOENT)
            return 0;
        return lm_fail(err, 0, "%s: cannot read the spool: %s", dir, strerror(errno));
    }
    char **list = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *e;
    errno = 0;
    while ((e = readdir(d)) != NULL) {
        if (!is_spool_name(e->d_name))
            continue;
        if (GROW(list, cap, n + 1) != 0) {
            rc = lm_fail(err, 0, "out of memory");
            break;
        }
        if (!(list[n] = strdup(e->d_name))) {
            rc = lm_fail(err, 0, "out of memory");
            break;
        }
        n++;
        errno = 0;
    }
    if (rc == 0 && errno != 0)
        rc = lm_fail(err, 0, "%s: cannot read the spool: %s", dir, strerror(errno));
    closedir(d);
    if (rc != 0) {
        spool_list_free(list, n);
        return -1;
    }
    if (n > 1)
        qsort(list, n, sizeof *list, cmp_names);
    *names = list;
    *count = n;
    return 0;
}

int spool_write(const char *dir, const char *id, const void *buf, size_t len, time_t now,
                char *name, size_t namelen, lm_error *err)
{
    if (make_dir(dir, err) != 0)
        return -1;
    char **names = NULL;
    size_t count = 0;
    if (spool_list(dir, &names, &count, err) != 0)
        return -1;

    /* Sort after what is there: never before the newest timestamp, and a
     * sequence number above every one in use. */
    char ts[SPOOL_TS_LEN + 1], last_ts[SPOOL_TS_LEN + 1] = "";
    struct tm tm;
    if (!gmtime_r(&now, &tm) || strftime(ts, sizeof ts, "%Y%m%dT%H%M%SZ", &tm) != SPOOL_TS_LEN) {
        spool_list_free(names, count);
        return lm_fail(err, 0, "cannot format the time");
    }
    long seq = 0;
    for (size_t i = 0; i < count; i++) {
        char t[SPOOL_TS_LEN + 1];
        long s = name_seq(names[i], t);
        if (s < 0)
            continue;
        if (s > seq)
            seq = s;
        if (strcmp(t, last_ts) > 0)
            memcpy(last_ts, t, sizeof t);
    }
    spool_list_free(names, count);
    if (strcmp(ts, last_ts) < 0)
        memcpy(ts, last_ts, sizeof ts);

    /* The id goes into the name for people; the file itself carries the real one. */
    char safe_id[65];
    size_t k = 0;
    for (; id[k] && k < sizeof safe_id - 1; k++) {
        char c = id[k];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_' || c == '.';
        safe_id[k] = ok ? c : '_';
    }
    safe_id[k] = '\0';

    char tmp[4096], tmpname[256];
    snprintf(tmpname, sizeof tmpname, ".tmp-%ld-%s", (long)getpid(), safe_id);
    if (join(tmp, sizeof tmp, dir, tmpname) != 0)
        return lm_fail(err, 0, "%s: path too long", dir);
    unlink(tmp); /* a leftover of a crashed run with the same pid */
    if (fileio_write_new(tmp, buf, len, 0600, 0, err) != 0)
        return -1;

    int rc = -1;
    for (int attempt = 0; attempt < 100; attempt++) {
        if (++seq > SPOOL_SEQ_MAX) {
            lm_fail(err, 0, "%s: spool sequence numbers exhausted; flush the spool", dir);
            break;
        }
        char final[4096], fname[256];
        snprintf(fname, sizeof fname, "%s-%06ld-%s.req", ts, seq, safe_id);
        if (join(final, sizeof final, dir, fname) != 0) {
            lm_fail(err, 0, "%s: path too long", dir);
            break;
        }
        /* link fails if the name exists, where rename would replace it. */
        if (link(tmp, final) == 0) {
            if ((size_t)snprintf(name, namelen, "%s", fname) >= namelen)
                name[0] = '\0';
            rc = 0;
            break;
        }
        if (errno != EEXIST) {
            lm_fail(err, 0, "%s: cannot create: %s", final, strerror(errno));
            break;
        }
    }
    unlink(tmp);
    if (rc == 0 && fsync_dir(dir) != 0)
        rc = lm_fail(err, 0, "%s: cannot sync the directory: %s", dir, strerror(errno));
    return rc;
}

int spool_read(const char *dir, const char *name, void **buf, size_t *len, lm_error *err)
{
    char path[4096];
    *buf = NULL;
    *len = 0;
    if (join(path, sizeof path, dir, name) != 0)
        return lm_fail(err, 0, "%s: path too long", dir);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return lm_fail(err, 0, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > SPOOL_MAX_FILE) {
        close(fd);
        return lm_fail(err, 0, "%s: not a spooled request (not a regular file or too large)",
                       path);
    }
    size_t size = (size_t)st.st_size;
    char *data = malloc(size ? size : 1);
    if (!data) {
        close(fd);
        return lm_fail(err, 0, "out of memory");
    }
    size_t got = 0;
    while (got < size) {
        ssize_t r = read(fd, data + got, size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            int saved = r < 0 ? errno : EIO;
            close(fd);
            free(data);
            return lm_fail(err, 0, "%s: cannot read: %s", path, strerror(saved));
        }
        got += (size_t)r;
    }
    close(fd);
    *buf = data;
    *len = size;
    return 0;
}

int spool_remove(const char *dir, const char *name, lm_error *err)
{
    char path[4096];
    if (join(path, sizeof path, dir, name) != 0)
        return lm_fail(err, 0, "%s: path too long", dir);
    if (unlink(path) != 0)
        return lm_fail(err, 0, "%s: cannot remove: %s", path, strerror(errno));
    if (fsync_dir(dir) != 0)
        return lm_fail(err, 0, "%s: cannot sync the directory: %s", dir, strerror(errno));
    return 0;
}

int spool_reject(const char *dir, const char *name, const char *why, lm_error *err)
{
    char rdir[4096], from[4096], to[4096], whypath[4096], whyname[300];
    snprintf(whyname, sizeof whyname, "%s.why", name);
    if (join(rdir, sizeof rdir, dir, "rejected") != 0 || join(from, sizeof from, dir, name) != 0 ||
        join(to, sizeof to, rdir, name) != 0 || join(whypath, sizeof whypath, rdir, whyname) != 0)
        return lm_fail(err, 0, "%s: path too long", dir);
    if (make_dir(rdir, err) != 0)
        return -1;
    if (rename(from, to) != 0)
        return lm_fail(err, 0, "cannot move %s to %s: %s", from, rdir, strerror(errno));
    if (fsync_dir(rdir) != 0 || fsync_dir(dir) != 0)
        return lm_fail(err, 0, "%s: cannot sync the directory: %s", dir, strerror(errno));
    /* The reason is for the person who looks later; losing it loses no data. */
    unlink(whypath);
    char text[1200];
    snprintf(text, sizeof text, "%s\n", why ? why : "rejected");
    return fileio_write_new(whypath, text, strlen(text), 0600, 0, err);
}

int spool_flush(const char *dir, spool_deliver_fn deliver, void *arg, spool_stats *stats,
                lm_error *err)
{
    memset(stats, 0, sizeof *stats);
    char **names = NULL;
    size_t count = 0;
    if (spool_list(dir, &names, &count, err) != 0)
        return -1;
    int rc = 0;
    size_t i = 0;
    for (; i < count; i++) {
        void *buf = NULL;
        size_t len = 0;
        if (spool_read(dir, names[i], &buf, &len, err) != 0) {
            rc = -1;
            break;
        }
        lm_error why = {0};
        spool_outcome out = deliver(arg, names[i], buf, len, &why);
        free(buf);
        if (out == SPOOL_STOP)
            break;
        if (out == SPOOL_DELIVERED) {
            if (spool_remove(dir, names[i], err) != 0) {
                rc = -1;
                break;
            }
            stats->delivered++;
        } else {
            if (spool_reject(dir, names[i], why.msg, err) != 0) {
                rc = -1;
                break;
            }
            stats->rejected++;
        }
    }
    stats->remaining = count - i;
    spool_list_free(names, count);
    return rc;
}
