/* mark_memo.h: the dirty marks a query has already brought up to date, so that the next
 * query does not compute them again.
 *
 * A query refreshes the snapshots within its months that the marks point at, and leaves
 * the marks for the rounds (a month's quarter and year are computed there). Under a steady
 * load the rounds come at most once a second, and without this every query would compute
 * every mark of its months again. A mark is remembered with its gen (how often a figure
 * marked it), the indicator and kind of period the query read, and the months whose
 * snapshots of those were computed from the mark: while its gen stays the same no figure
 * came in, so a later query of them within those months has nothing to compute.
 *
 * A cleared mark starts again at gen 0: the memo must forget the marks a refresh round
 * clears. It is bounded, and forgets everything when full: forgetting only costs a
 * computation again. */
#ifndef LEAMON_MARK_MEMO_H
#define LEAMON_MARK_MEMO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Entries at most; then it starts afresh. */
#define MARK_MEMO_MAX 16384

typedef struct {
    int ind;      /* index into the catalogue's indicators: what the query read */
    int kind;     /* period_kind of the periods it read */
    int metric;   /* index into the catalogue's metrics */
    int area;     /* index into the partners' areas */
    int month;    /* month number of the mark */
    int64_t gen;
} mark_memo_key;

typedef struct {
    mark_memo_key key;
    int first, last; /* months whose snapshots were computed from it */
    bool used;
} mark_memo_entry;

typedef struct {
    mark_memo_entry *slots; /* open addressing; cap a power of two, at most half full */
    size_t n, cap;
} mark_memo;

/* Whether months first..last of the mark k were computed since it last changed. */
bool mark_memo_covers(const mark_memo *m, const mark_memo_key *k, int first, int last);

/* The mark k's snapshots within first..last are now computed. -1 when out of memory (the
 * memo is then empty, which is safe). */
int mark_memo_note(mark_memo *m, const mark_memo_key *k, int first, int last);

/* Forget the marks (metric, area, month) of cleared (n of them), whatever their ind, kind
 * and gen: they were cleared. -1 when out of memory (the memo is then empty). */
int mark_memo_forget(mark_memo *m, const mark_memo_key *cleared, size_t n);

/* Forget every mark. */
void mark_memo_clear(mark_memo *m);
void mark_memo_free(mark_memo *m);

#endif
