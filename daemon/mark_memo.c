/* mark_memo.c: the marks a query has brought up to date (mark_memo.h). */
#include "mark_memo.h"

#include <stdlib.h>
#include <string.h>

static size_t slot_of(const mark_memo_key *k, size_t cap)
{
    uint64_t h = (uint64_t)(unsigned)k->ind;
    h = h * 0x9e3779b97f4a7c15u + (uint64_t)(unsigned)k->kind;
    h = h * 0x9e3779b97f4a7c15u + (uint64_t)(unsigned)k->metric;
    h = h * 0x9e3779b97f4a7c15u + (uint64_t)(unsigned)k->area;
    h = h * 0x9e3779b97f4a7c15u + (uint64_t)(unsigned)k->month;
    h = h * 0x9e3779b97f4a7c15u + (uint64_t)k->gen;
    h ^= h >> 29;
    return (size_t)(h & (cap - 1));
}

static bool same_key(const mark_memo_key *a, const mark_memo_key *b)
{
    return a->ind == b->ind && a->kind == b->kind && a->metric == b->metric && a->area == b->area && a->month == b->month &&
           a->gen == b->gen;
}

/* The entry of k, or the free slot where it belongs; NULL when there is no table. */
static mark_memo_entry *find(const mark_memo *m, const mark_memo_key *k)
{
    if (!m->cap)
        return NULL;
    size_t i = slot_of(k, m->cap);
    while (m->slots[i].used && !same_key(&m->slots[i].key, k))
        i = (i + 1) & (m->cap - 1);
    return &m->slots[i];
}

bool mark_memo_covers(const mark_memo *m, const mark_memo_key *k, int first, int last)
{
    const mark_memo_entry *e = find(m, k);
    return e && e->used && e->first <= first && last <= e->last;
}

/* Room for one more: twice the entries, rehashed; or, at the bound, nothing kept. */
static int make_room(mark_memo *m)
{
    if (m->n + 1 <= m->cap / 2)
        return 0;
    if (m->n + 1 > MARK_MEMO_MAX) {
        mark_memo_clear(m);
        return 0;
    }
    size_t cap = m->cap ? 2 * m->cap : 256;
    mark_memo_entry *old = m->slots, *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return -1;
    size_t old_cap = m->cap;
    m->slots = slots;
    m->cap = cap;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i].used)
            *find(m, &old[i].key) = old[i];
    free(old);
    return 0;
}

int mark_memo_note(mark_memo *m, const mark_memo_key *k, int first, int last)
{
    if (make_room(m) < 0) {
        mark_memo_clear(m);
        return -1;
    }
    mark_memo_entry *e = find(m, k);
    if (!e->used) {
        *e = (mark_memo_entry){*k, first, last, true};
        m->n++;
        return 0;
    }
    /* Two ranges that meet make one; else the newer one is kept. */
    if (first <= e->last + 1 && e->first <= last + 1) {
        e->first = first < e->first ? first : e->first;
        e->last = last > e->last ? last : e->last;
    } else {
        e->first = first;
        e->last = last;
    }
    return 0;
}

/* Order of marks by what a clear names: metric, area, month. */
static int by_mark(const void *a, const void *b)
{
    const mark_memo_key *x = a, *y = b;
    if (x->metric != y->metric)
        return x->metric < y->metric ? -1 : 1;
    if (x->area != y->area)
        return x->area < y->area ? -1 : 1;
    return (x->month > y->month) - (x->month < y->month);
}

int mark_memo_forget(mark_memo *m, const mark_memo_key *cleared, size_t n)
{
    if (!m->n || !n)
        return 0;
    mark_memo_key *gone = malloc(n * sizeof *gone);
    mark_memo_entry *kept = malloc(m->n * sizeof *kept);
    if (!gone || !kept) {
        free(gone);
        free(kept);
        mark_memo_clear(m);
        return -1;
    }
    memcpy(gone, cleared, n * sizeof *gone);
    qsort(gone, n, sizeof *gone, by_mark);
    size_t n_kept = 0;
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].used && !bsearch(&m->slots[i].key, gone, n, sizeof *gone, by_mark))
            kept[n_kept++] = m->slots[i];
    /* Open addressing has no plain delete: the rest goes back in. */
    mark_memo_clear(m);
    for (size_t i = 0; i < n_kept; i++)
        *find(m, &kept[i].key) = kept[i];
    m->n = n_kept;
    free(gone);
    free(kept);
    return 0;
}

void mark_memo_clear(mark_memo *m)
{
    if (m->cap)
        memset(m->slots, 0, m->cap * sizeof *m->slots);
    m->n = 0;
}

void mark_memo_free(mark_memo *m)
{
    free(m->slots);
    memset(m, 0, sizeof *m);
}
