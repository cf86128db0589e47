/* notify_listen.c: stands in for systemd's notification socket in tests. Binds a unix
 * datagram socket at PATH and prints every message it receives (newlines inside a
 * message become spaces), one per line, flushed at once, until it has printed COUNT
 * messages or SECONDS have passed. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: notify_listen PATH COUNT SECONDS\n");
        return 2;
    }
    long count = strtol(argv[2], NULL, 10), seconds = strtol(argv[3], NULL, 10);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen(argv[1]) >= sizeof sa.sun_path) {
        fprintf(stderr, "notify_listen: path too long\n");
        return 2;
    }
    strcpy(sa.sun_path, argv[1]);
    int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        fprintf(stderr, "notify_listen: %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    time_t end = time(NULL) + seconds;
    for (long got = 0; got < count && time(NULL) < end;) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 100) <= 0)
            continue;
        char buf[4096];
        ssize_t n = recv(fd, buf, sizeof buf - 1, 0);
        if (n < 0)
            continue;
        buf[n] = '\0';
        for (ssize_t i = 0; i < n; i++)
            if (buf[i] == '\n')
                buf[i] = ' ';
        printf("%s\n", buf);
        fflush(stdout);
        got++;
    }
    close(fd);
    unlink(argv[1]);
    return 0;
}
