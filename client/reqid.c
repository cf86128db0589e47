/* reqid.c: request ids, the daemon's idempotency key for a submission. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "reqid.h"

/* 16 bytes of kernel randomness: collisions between partners are not a concern. */
static int random_bytes(unsigned char *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = getrandom(buf + got, n - got, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            break;
        got += (size_t)r;
    }
    if (got == n)
        return 0;
    /* Old kernels without getrandom(2). */
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    got = 0;
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    return got == n ? 0 : -1;
}

int reqid_random(char id[PROTO_MAX_ID + 1])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char raw[16];
    if (random_bytes(raw, sizeof raw) != 0)
        return -1;
    for (size_t i = 0; i < sizeof raw; i++) {
        id[2 * i] = hex[raw[i] >> 4];
        id[2 * i + 1] = hex[raw[i] & 15];
    }
    id[2 * sizeof raw] = '\0';
    return 0;
}

int reqid_check(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n > PROTO_MAX_ID)
        return -1;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)id[i] <= 0x20 || (unsigned char)id[i] >= 0x7f)
            return -1;
    return 0;
}
