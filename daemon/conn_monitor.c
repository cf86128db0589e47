/* conn_monitor.c: connections counted from ZeroMQ's monitor events (conn_monitor.h). */
#include "conn_monitor.h"

#include <stdint.h>
#include <string.h>
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

void conn_monitor_read(void *pair, atomic_int_fast64_t *connections)
{
    for (;;) {
        /* Two frames: the event (16 bits) and its value (32 bits), then the endpoint. */
        uint8_t head[6];
        int n = zmq_recv(pair, head, sizeof head, ZMQ_DONTWAIT);
        if (n < 0)
            return;
        int more = 0;
        size_t len = sizeof more;
        while (zmq_getsockopt(pair, ZMQ_RCVMORE, &more, &len) == 0 && more) {
            char skip[8];
            if (zmq_recv(pair, skip, sizeof skip, 0) < 0)
                break;
        }
        if (n < 2)
            continue;
        uint16_t event;
        memcpy(&event, head, sizeof event);
        if (event == ZMQ_EVENT_ACCEPTED)
            atomic_fetch_add(connections, 1);
        else if (event == ZMQ_EVENT_DISCONNECTED && atomic_load(connections) > 0)
            atomic_fetch_sub(connections, 1);
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
