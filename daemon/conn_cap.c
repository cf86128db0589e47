/* conn_cap.c: connections counted per CURVE key (conn_cap.h). */
#include "conn_cap.h"

#include <stdlib.h>
#include <string.h>

#include "grow.h"

typedef struct {
    uint8_t key[CONN_CAP_KEY_BYTES];
    size_t live;    /* connections known from a request */
    size_t pending; /* admissions no request has claimed yet */
} key_count;

enum { FD_FREE, FD_OPEN, FD_CLOSING };

typedef struct {
    unsigned char state;
    bool claimed;            /* a request said whose it is */
    size_t key;              /* index into keys, when claimed */
    unsigned long long seq;  /* when it was accepted, in the order of events */
    uint64_t tag;
    long long accepted_ms;
} fd_entry;

typedef struct {
    unsigned long long serial;
    size_t key;
} admission;

struct conn_cap {
    size_t max;
    long long first_request_ms;
    unsigned long long seq; /* accepts and admissions, numbered in the order they are seen */
    key_count *keys;
    size_t n_keys, cap_keys;
    fd_entry *fds;
    size_t n_fds, cap_fds;
    admission *adm;
    size_t n_adm, cap_adm;
    bool waiting;
};

conn_cap *conn_cap_new(long long max, long long first_request_ms)
{
    if (max <= 0 || first_request_ms <= 0)
        return NULL;
    conn_cap *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->max = (size_t)max;
    c->first_request_ms = first_request_ms;
    return c;
}

void conn_cap_free(conn_cap *c)
{
    if (!c)
        return;
    free(c->keys);
    free(c->fds);
    free(c->adm);
    free(c);
}

static long find_key(const conn_cap *c, const uint8_t key[CONN_CAP_KEY_BYTES])
{
    for (size_t i = 0; i < c->n_keys; i++)
        if (memcmp(c->keys[i].key, key, CONN_CAP_KEY_BYTES) == 0)
            return (long)i;
    return -1;
}

static fd_entry *entry(conn_cap *c, int fd)
{
    return fd >= 0 && (size_t)fd < c->n_fds ? &c->fds[fd] : NULL;
}

void conn_cap_disconnected(conn_cap *c, int fd)
{
    fd_entry *e = entry(c, fd);
    if (!e || e->state == FD_FREE)
        return;
    if (e->claimed && c->keys[e->key].live > 0)
        c->keys[e->key].live--;
    memset(e, 0, sizeof *e);
}

int conn_cap_accepted(conn_cap *c, int fd, uint64_t tag, long long now_ms)
{
    if (fd < 0)
        return 0;
    if ((size_t)fd >= c->n_fds) {
        if (GROW(c->fds, c->cap_fds, (size_t)fd + 1) != 0)
            return -1;
        memset(&c->fds[c->n_fds], 0, ((size_t)fd + 1 - c->n_fds) * sizeof *c->fds);
        c->n_fds = (size_t)fd + 1;
    }
    /* A descriptor libzmq closed without a disconnected event is free again once it is
     * accepted anew: the old connection is gone. */
    conn_cap_disconnected(c, fd);
    fd_entry *e = &c->fds[fd];
    e->state = FD_OPEN;
    e->seq = ++c->seq;
    e->tag = tag;
    e->accepted_ms = now_ms;
    c->waiting = true;
    return 0;
}

long long conn_cap_admit(conn_cap *c, const uint8_t key[CONN_CAP_KEY_BYTES])
{
    long k = find_key(c, key);
    if (k < 0) {
        if (GROW(c->keys, c->cap_keys, c->n_keys + 1) != 0)
            return -1;
        k = (long)c->n_keys++;
        memset(&c->keys[k], 0, sizeof c->keys[k]);
        memcpy(c->keys[k].key, key, CONN_CAP_KEY_BYTES);
    }
    key_count *kc = &c->keys[k];
    if (kc->live + kc->pending >= c->max)
        return 0;
    if (GROW(c->adm, c->cap_adm, c->n_adm + 1) != 0)
        return -1;
    admission *a = &c->adm[c->n_adm++];
    a->serial = ++c->seq;
    a->key = (size_t)k;
    kc->pending++;
    c->waiting = true;
    return (long long)a->serial;
}

static void drop_admission(conn_cap *c, size_t i)
{
    c->keys[c->adm[i].key].pending--;
    c->adm[i] = c->adm[--c->n_adm];
}

void conn_cap_seen(conn_cap *c, int fd, unsigned long long serial)
{
    fd_entry *e = entry(c, fd);
    /* A serial numbered before the accept belongs to an earlier connection on this fd. */
    if (!e || e->state == FD_FREE || e->claimed || serial <= e->seq)
        return;
    for (size_t i = 0; i < c->n_adm; i++) {
        if (c->adm[i].serial != serial)
            continue;
        e->claimed = true;
        e->key = c->adm[i].key;
        c->keys[e->key].live++;
        drop_admission(c, i);
        return;
    }
}

size_t conn_cap_expire(conn_cap *c, long long now_ms,
                       void (*close_fd)(void *ctx, int fd, uint64_t tag), void *ctx)
{
    size_t closed = 0;
    unsigned long long oldest = ~0ull; /* of the connections still open without a request */
    for (size_t fd = 0; fd < c->n_fds; fd++) {
        fd_entry *e = &c->fds[fd];
        if (e->state != FD_OPEN || e->claimed)
            continue;
        if (now_ms - e->accepted_ms < c->first_request_ms) {
            if (e->seq < oldest)
                oldest = e->seq;
            continue;
        }
        e->state = FD_CLOSING;
        close_fd(ctx, (int)fd, e->tag);
        closed++;
    }
    /* An admission's connection was accepted before it: with no connection that old still
     * open and unclaimed, its connection is gone or being closed, and its place is free. */
    for (size_t i = 0; i < c->n_adm;) {
        if (c->adm[i].serial < oldest)
            drop_admission(c, i);
        else
            i++;
    }
    c->waiting = oldest != ~0ull;
    return closed;
}

bool conn_cap_waiting(const conn_cap *c)
{
    return c->waiting;
}

size_t conn_cap_held(const conn_cap *c, const uint8_t key[CONN_CAP_KEY_BYTES])
{
    long k = find_key(c, key);
    return k < 0 ? 0 : c->keys[k].live + c->keys[k].pending;
}
