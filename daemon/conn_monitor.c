/* conn_monitor.c: connections counted from ZeroMQ's monitor events (conn_monitor.h). */
#include "conn_monitor.h"

#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <zmq.h>

#define MONITOR_ENDPOINT "inproc://leamond-connections"

int conn_monitor_open(void **pair, void *zmq_ctx, void *router, lm_error *err)
{
    *pair = NULL;
    int events = ZMQ_EVENT_ACCEPTED | ZMQ_EVENT_DISCONNECTED;
    if (zmq_socket_monitor(router, MONITOR_ENDPOINT, events) != 0)
        return lm_fail(err, 0, "connection monitor: %s", zmq_strerror(zmq_errno()));
    void *s = zmq_socket(zmq_ctx, ZMQ_PAIR);
    if (!s || zmq_connect(s, MONITOR_ENDPOINT) != 0) {
        if (s)
            zmq_close(s);
        return lm_fail(err, 0, "connection monitor: %s", zmq_strerror(zmq_errno()));
    }
    *pair = s;
    return 0;
}

int conn_monitor_read(void *pair, atomic_int_fast64_t *connections, conn_cap *cap,
                      long long now_ms)
{
    int rc = 0;
    for (;;) {
        /* Two frames: the event (16 bits) and its value (32 bits: the descriptor, for
         * these two events), then the endpoint. */
        uint8_t head[6];
        int n = zmq_recv(pair, head, sizeof head, ZMQ_DONTWAIT);
        if (n < 0)
            return rc;
        int more = 0;
        size_t len = sizeof more;
        while (zmq_getsockopt(pair, ZMQ_RCVMORE, &more, &len) == 0 && more) {
            char skip[8];
            if (zmq_recv(pair, skip, sizeof skip, 0) < 0)
                break;
        }
        if (n < 6)
            continue;
        uint16_t event;
        uint32_t value;
        memcpy(&event, head, sizeof event);
        memcpy(&value, head + 2, sizeof value);
        if (event == ZMQ_EVENT_ACCEPTED) {
            atomic_fetch_add(connections, 1);
            if (cap && conn_cap_accepted(cap, (int)value, conn_monitor_tag((int)value),
                                         now_ms) < 0)
                rc = -1;
        } else if (event == ZMQ_EVENT_DISCONNECTED) {
            if (atomic_load(connections) > 0)
                atomic_fetch_sub(connections, 1);
            if (cap)
                conn_cap_disconnected(cap, (int)value);
        }
    }
}

void conn_monitor_close(void **pair, void *router)
{
    if (router)
        zmq_socket_monitor(router, NULL, 0);
    if (*pair)
        zmq_close(*pair);
    *pair = NULL;
}

uint64_t conn_monitor_tag(int fd)
{
    struct sockaddr_storage a[2];
    socklen_t la = sizeof a[0], lb = sizeof a[1];
    memset(a, 0, sizeof a);
    if (getsockname(fd, (struct sockaddr *)&a[0], &la) != 0 ||
        getpeername(fd, (struct sockaddr *)&a[1], &lb) != 0)
        return 0;
    uint64_t h = 14695981039346656037ull; /* FNV-1a */
    const unsigned char *p = (const unsigned char *)a;
    for (size_t i = 0; i < sizeof a; i++) {
        h ^= p[i];
        h *= 1099511628211ull;
    }
    return h ? h : 1;
}
