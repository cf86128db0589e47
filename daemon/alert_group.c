/* alert_group.c: aggregation groups and their timers (alert_group.h). */
#include "alert_group.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"

/* A group whose only news is held back is looked at again this often. */
#define HELD_RECHECK_MS 60000

const char *notice_reason_name(notice_reason r)
{
    return r == NOTICE_NEW ? "new" : r == NOTICE_CHANGED ? "changed" : "repeat";
}

static alert_group *find_group(alert_groups *gs, size_t route, const char *key,
                               const group_timing *t, bool create)
{
    for (size_t i = 0; i < gs->n; i++)
        if (gs->items[i].route == route && strcmp(gs->items[i].key, key) == 0)
            return &gs->items[i];
    if (!create || GROW(gs->items, gs->cap, gs->n + 1) < 0)
        return NULL;
    alert_group *g = &gs->items[gs->n++];
    memset(g, 0, sizeof *g);
    g->route = route;
    snprintf(g->key, sizeof g->key, "%s", key);
    g->timing = *t;
    return g;
}

static grouped_alert *find_member(alert_group *g, long long id)
{
    for (size_t i = 0; i < g->n; i++)
        if (g->members[i].a.id == id)
            return &g->members[i];
    return NULL;
}

static void drop_member(alert_group *g, grouped_alert *m)
{
    *m = g->members[--g->n];
}

static void drop_group(alert_groups *gs, alert_group *g)
{
    free(g->members);
    *g = gs->items[--gs->n];
}

/* News in g: sent group_wait after the group began, or group_interval after the last
 * notice, whichever applies; never later than already planned. */
static void schedule_news(alert_group *g, long long now)
{
    long long at = !g->last_sent_ms ? now + g->timing.wait : g->last_sent_ms + g->timing.interval;
    if (at < now)
        at = now;
    if (!g->next_ms || at < g->next_ms)
        g->next_ms = at;
}

/* A firing alert went back to pending (its figures changed): forgotten if nobody heard of
 * it; else it waits, neither listed nor reminded, until it fires again or resolves. */
static int back_to_pending(alert_groups *gs, size_t route, const char *key,
                           const group_timing *t, const stored_alert *a)
{
    alert_group *g = find_group(gs, route, key, t, false);
    grouped_alert *m = g ? find_member(g, a->id) : NULL;
    if (!m)
        return 0;
    if (m->told) {
        m->a = *a;
        m->news = false;
        return 0;
    }
    drop_member(g, m);
    if (!g->n)
        drop_group(gs, g);
    return 0;
}

int groups_add(alert_groups *gs, size_t route, const char *key, const group_timing *t,
               const stored_alert *a, const char *previous, long long now_ms)
{
    bool firing = strcmp(a->state, "firing") == 0, resolved = strcmp(a->state, "resolved") == 0;
    if (!firing && !resolved)
        return back_to_pending(gs, route, key, t, a);
    alert_group *g = find_group(gs, route, key, t, firing);
    if (!g)
        return firing ? -1 : 0; /* a resolved alert nobody was told of */
    grouped_alert *m = find_member(g, a->id);
    if (resolved) {
        if (!m)
            return 0;
        if (!m->told) {
            drop_member(g, m); /* fired and resolved before a notice: nothing to say */
            if (!g->n)
                drop_group(gs, g);
            return 0;
        }
    } else if (!m) {
        if (GROW(g->members, g->cap, g->n + 1) < 0) {
            if (!g->n)
                drop_group(gs, g);
            return -1;
        }
        m = &g->members[g->n++];
        memset(m, 0, sizeof *m);
    } else if (m->told) {
        m->a = *a; /* new figures of an alert already told: said at the next notice */
        return 0;
    }
    m->a = *a;
    snprintf(m->previous, sizeof m->previous, "%s", previous);
    m->news = true;
    schedule_news(g, now_ms);
    return 0;
}

int groups_seed(alert_groups *gs, size_t route, const char *key, const group_timing *t,
                const stored_alert *a, long long now_ms)
{
    alert_group *g = find_group(gs, route, key, t, true);
    if (!g)
        return -1;
    if (find_member(g, a->id))
        return 0;
    if (GROW(g->members, g->cap, g->n + 1) < 0)
        return -1;
    grouped_alert *m = &g->members[g->n++];
    memset(m, 0, sizeof *m);
    m->a = *a;
    m->told = true;
    if (!g->last_sent_ms)
        g->last_sent_ms = now_ms;
    if (t->repeat && !g->next_ms)
        g->next_ms = now_ms + t->repeat;
    return 0;
}

static int by_state(const void *x, const void *y)
{
    const grouped_alert *a = *(const grouped_alert *const *)x;
    const grouped_alert *b = *(const grouped_alert *const *)y;
    bool fa = strcmp(a->a.state, "firing") == 0, fb = strcmp(b->a.state, "firing") == 0;
    if (fa != fb)
        return fa ? -1 : 1;
    return strcmp(a->a.area, b->a.area) ? strcmp(a->a.area, b->a.area)
                                        : (a->a.id > b->a.id) - (a->a.id < b->a.id);
}

static void flush_group(alert_groups *gs, alert_group *g, long long now, const group_sink *sink)
{
    const grouped_alert **list = calloc(g->n ? g->n : 1, sizeof *list);
    bool *held = calloc(g->n ? g->n : 1, sizeof *held);
    size_t n = 0;
    bool news = false, firing = false, waiting = false;
    g->next_ms = 0;
    if (!list || !held) {
        g->next_ms = now + HELD_RECHECK_MS; /* out of memory: try again later */
        free(list);
        free(held);
        return;
    }
    for (size_t i = 0; i < g->n; i++) {
        grouped_alert *m = &g->members[i];
        held[i] = sink->held && sink->held(sink->ctx, &m->a);
        bool f = strcmp(m->a.state, "firing") == 0;
        if (held[i]) {
            waiting |= f && !m->told; /* told once it is no longer held */
            continue;
        }
        news |= m->news;
        firing |= f;
        if (f || m->news) /* firing, or resolved since the last notice */
            list[n++] = m;
    }
    bool repeat = firing && g->timing.repeat && g->last_sent_ms &&
                  now - g->last_sent_ms >= g->timing.repeat;
    if (news || repeat) {
        qsort(list, n, sizeof *list, by_state);
        sink->send(sink->ctx, g, list, n,
                   !g->last_sent_ms ? NOTICE_NEW : news ? NOTICE_CHANGED : NOTICE_REPEAT);
        g->last_sent_ms = now;
    }
    /* What was sent is told; resolved alerts leave, told or held. */
    for (size_t i = g->n; i-- > 0;) {
        grouped_alert *m = &g->members[i];
        bool f = strcmp(m->a.state, "firing") == 0;
        if (strcmp(m->a.state, "resolved") == 0) { /* told now, or held: nothing more to say */
            drop_member(g, m);
            continue;
        }
        if (f && !held[i] && (news || repeat)) {
            m->told = true;
            m->news = false;
        }
    }
    free(list);
    free(held);
    bool told_firing = false;
    for (size_t i = 0; i < g->n; i++)
        told_firing |= g->members[i].told;
    if (waiting)
        g->next_ms = now + HELD_RECHECK_MS;
    if (told_firing && g->timing.repeat) {
        long long at = g->last_sent_ms + g->timing.repeat;
        if (!g->next_ms || at < g->next_ms)
            g->next_ms = at;
    }
    if (!g->n)
        drop_group(gs, g);
}

void groups_flush(alert_groups *gs, long long now_ms, const group_sink *sink)
{
    /* Backwards: a group that ends is replaced by the last one, already looked at. */
    for (size_t i = gs->n; i-- > 0;) {
        alert_group *g = &gs->items[i];
        if (g->next_ms && now_ms >= g->next_ms)
            flush_group(gs, g, now_ms, sink);
    }
}

void groups_flush_news(alert_groups *gs, long long now_ms, const group_sink *sink)
{
    for (size_t i = 0; i < gs->n; i++)
        for (size_t k = 0; k < gs->items[i].n; k++)
            if (gs->items[i].members[k].news)
                gs->items[i].next_ms = now_ms;
    groups_flush(gs, now_ms, sink);
}

long long groups_next_ms(const alert_groups *gs)
{
    long long next = 0;
    for (size_t i = 0; i < gs->n; i++)
        if (gs->items[i].next_ms && (!next || gs->items[i].next_ms < next))
            next = gs->items[i].next_ms;
    return next;
}

void groups_free(alert_groups *gs)
{
    for (size_t i = 0; i < gs->n; i++)
        free(gs->items[i].members);
    free(gs->items);
    memset(gs, 0, sizeof *gs);
}
