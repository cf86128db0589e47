/* shown.h: a number as the report shows it, in the internal or the public
 * version (edition_t): its text for people, the number a chart draws and
 * the data-value a program reads, or why it is held back. The public
 * version rounds counts to multiples of 5, holds back counts under
 * min_cell, and percentages resting on such a count too. Pure: fed by
 * hand in the unit tests. */
#ifndef LEAMON_REPORT_SHOWN_H
#define LEAMON_REPORT_SHOWN_H

#include <stdbool.h>
#include <stdint.h>

#include "report/html.h"
#include "report/model.h"
#include "report/text.h"

typedef struct {
    bool has;               /* a number is shown */
    bool suppressed;        /* held back: a small count (published version) */
    double v;               /* the number shown */
    char text[NL_TEXT_MAX]; /* for people */
    char raw[48];           /* for data-value */
} shown_t;

/* No number: text says why ("geen cijfers", an en dash). */
void shown_none(shown_t *s, const char *text);
/* v, written as text (cut to fit). */
void shown_number(shown_t *s, double v, const char *text);

/* A count (numerator, denominator, a sum's value): as it is, or published:
 * rounded to a multiple of 5, or suppressed ("<10") under min_cell. */
void show_count(const edition_t *ed, bool has, double v, shown_t *s);
/* A plain whole number that is never rounded (organisations reported). */
void show_int(int64_t v, shown_t *s);
/* The indicator's value of figure f. */
void show_value(const edition_t *ed, const proto_indicator *ind, const proto_figure *f,
                shown_t *s);
/* A number of the target (goal, baseline, path) in the indicator's unit. A
 * baseline taken from the data (from_data) is a figure like any other:
 * published as one. */
void show_target(const edition_t *ed, const proto_indicator *ind, double v, bool from_data,
                 shown_t *s);

/* Complementary suppression, as CBS does it: when exactly one of the n parts of a published
 * total is held back, the total minus the others would give it away; then the smallest
 * other published part is held back too (its text "x"). Only in the public version (ed),
 * and only when the total itself (top) is published. Returns how many were added. */
size_t show_complement(const edition_t *ed, shown_t *parts, size_t n, const shown_t *top);

/* <tag class="cls" data-...>text</tag>: s with the data-* attributes of
 * ref; missing is data-missing when s has no number and is not held back. */
void shown_emit(rbuf *b, const char *tag, const char *cls, const data_ref *ref, const shown_t *s,
                const char *missing);

#endif
