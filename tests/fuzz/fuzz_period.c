/* fuzz_period.c: libFuzzer target for the period grammar (proto/period.c).
 *
 * Every input, as a NUL-terminated string, goes to period_parse. A failed parse must leave
 * its output alone; a period that parses must be valid, canonical (its text formats back to
 * the input, as the grammar is strict), and consistent under the month arithmetic:
 * first <= last month, previous/next/year_earlier land next to it, and it contains itself.
 * Built and run by `make fuzz`.
 */
#include "period.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond)                                                                          \
    do {                                                                                     \
        if (!(cond))                                                                         \
            __builtin_trap();                                                                \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool same(const period *a, const period *b)
{
    return a->kind == b->kind && a->year == b->year && a->index == b->index;
}

/* q is a neighbour of p on the side given by dir (-1 before, +1 after). */
static void check_neighbour(const period *p, const period *q, int dir)
{
    period back;
    CHECK(period_valid(q));
    CHECK(q->kind == p->kind);
    CHECK(period_month_count(q) == period_month_count(p));
    if (dir < 0) {
        CHECK(period_compare(q, p) < 0);
        CHECK(period_last_month(q) + 1 == period_first_month(p));
        CHECK(period_next(q, &back) == 0);
    } else {
        CHECK(period_compare(q, p) > 0);
        CHECK(period_last_month(p) + 1 == period_first_month(q));
        CHECK(period_previous(q, &back) == 0);
    }
    CHECK(same(&back, p) && period_compare(&back, p) == 0);
}

static void check_period(const char *text, const period *p)
{
    char buf[PERIOD_TEXT_MAX];
    period q;

    CHECK(period_valid(p));
    CHECK(period_kind_name(p->kind) != NULL);

    /* Canonical text: parses back to the same period, and is the input itself. */
    CHECK(period_format(p, buf, sizeof buf) == 0);
    size_t n = strlen(buf);
    CHECK(n > 0 && n < sizeof buf);
    CHECK(strcmp(buf, text) == 0);
    memset(&q, 0, sizeof q);
    CHECK(period_parse(buf, &q) == 0);
    CHECK(same(&q, p) && period_compare(&q, p) == 0);
    /* Too small a buffer: refused, and left untouched. */
    char small[PERIOD_TEXT_MAX];
    memset(small, '#', sizeof small);
    CHECK(period_format(p, small, n) == -1);
    for (size_t i = 0; i < sizeof small; i++)
        CHECK(small[i] == '#');

    /* Months. */
    int first = period_first_month(p), last = period_last_month(p);
    CHECK(first >= 0 && first <= last);
    CHECK(last - first + 1 == period_month_count(p));
    period m = period_month_from_number(first);
    CHECK(period_valid(&m) && m.kind == PERIOD_MONTH && period_first_month(&m) == first);
    /* The last month of school year 9998/99 lies in 9999, past the range of a month. */
    m = period_month_from_number(last);
    CHECK(m.kind == PERIOD_MONTH && period_month_number(m.year, m.index) == last);
    CHECK(period_contains(p, p));
    CHECK(!period_valid(&m) || period_contains(p, &m));

    /* Neighbours: where they exist, next to it and back again. */
    if (period_previous(p, &q) == 0)
        check_neighbour(p, &q, -1);
    if (period_next(p, &q) == 0)
        check_neighbour(p, &q, +1);
    if (period_year_earlier(p, &q) == 0) {
        CHECK(period_valid(&q) && q.kind == p->kind && q.index == p->index);
        CHECK(period_first_month(p) - period_first_month(&q) == 12);
    }

    /* The periods of each kind around a month contain it. */
    if (p->kind == PERIOD_MONTH)
        for (int k = PERIOD_MONTH; k <= PERIOD_SCHOOLYEAR; k++)
            if (period_containing(p, (period_kind)k, &q) == 0) {
                CHECK(period_valid(&q) && q.kind == (period_kind)k);
                CHECK(period_contains(&q, p));
            }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Exactly the input and a NUL, so that AddressSanitizer sees any read past the end. */
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';

    const period sentinel = {PERIOD_QUARTER, -7, 42};
    period p = sentinel;
    int r = period_parse(text, &p);
    CHECK(r == 0 || r == -1);
    if (r == 0)
        check_period(text, &p);
    else
        CHECK(same(&p, &sentinel));

    free(text);
    return 0;
}
