/* records.c: a growable list of proto_record with the origin of each, and the
 * number rules of partner input. */
#include "records.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "period.h"

void records_init(records_t *self)
{
    memset(self, 0, sizeof *self);
}

void records_free(records_t *self)
{
    free(self->items);
    free(self->origin);
    free(self->slots);
    memset(self, 0, sizeof *self);
}

/* FNV-1a over metric, area and period, each with its terminating NUL. */
static size_t key_hash(const proto_record *r)
{
    uint64_t h = 14695981039346656037u;
    const char *parts[3] = {r->metric, r->area, r->period};
    for (int k = 0; k < 3; k++)
        for (const char *p = parts[k];; p++) {
            h = (h ^ (unsigned char)*p) * 1099511628211u;
            if (!*p)
                break;
        }
    return (size_t)h;
}

static bool same_key(const proto_record *a, const proto_record *b)
{
    return !strcmp(a->metric, b->metric) && !strcmp(a->area, b->area) &&
           !strcmp(a->period, b->period);
}

static void slot_put(size_t *slots, size_t nslots, const proto_record *rec, size_t index)
{
    size_t i = key_hash(rec) & (nslots - 1);
    while (slots[i])
        i = (i + 1) & (nslots - 1);
    slots[i] = index + 1;
}

/* Keep the table at most half full, so that probing stays short. */
static int slots_reserve(records_t *self, size_t count)
{
    if (self->nslots >= 2 * count)
        return 0;
    size_t n = self->nslots ? self->nslots : 32;
    while (n < 2 * count)
        n *= 2;
    size_t *slots = calloc(n, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < self->count; i++)
        slot_put(slots, n, &self->items[i], i);
    free(self->slots);
    self->slots = slots;
    self->nslots = n;
    return 0;
}

int records_add(records_t *self, const proto_record *rec, size_t origin)
{
    /* two arrays of one length: each grows from the same capacity */
    size_t items_cap = self->cap, origin_cap = self->cap;
    if (GROW(self->items, items_cap, self->count + 1) != 0 ||
        GROW(self->origin, origin_cap, self->count + 1) != 0 ||
        slots_reserve(self, self->count + 1) != 0)
        return -1; /* items may be larger than needed; harmless */
    self->cap = origin_cap;
    self->items[self->count] = *rec;
    self->origin[self->count] = origin;
    slot_put(self->slots, self->nslots, rec, self->count);
    self->count++;
    return 0;
}

long records_find(const records_t *self, const proto_record *rec)
{
    if (!self->nslots)
        return -1;
    for (size_t i = key_hash(rec) & (self->nslots - 1); self->slots[i];
         i = (i + 1) & (self->nslots - 1))
        if (same_key(&self->items[self->slots[i] - 1], rec))
            return (long)(self->slots[i] - 1);
    return -1;
}

static const char why_nan[] = "not a number";
static const char why_comma[] = "not a number (in a file separated by ',' the decimal mark is '.')";
static const char why_ambiguous[] =
    "ambiguous: one thousand, or one with three decimals? write 1000 or 1.0 "
    "(no thousands separators)";
static const char why_dutch_dot[] =
    "not a number here: with ';' between columns, ',' is the decimal mark and '.' only "
    "groups thousands by three (1.000 = 1000); write 1,5 or 1500";
static const char why_dutch_mixed[] =
    "not a number here: with ';' between columns, ',' is the decimal mark (1.234,5 or "
    "1234,5), not '.'";
static const char why_both[] = "not a number: give no thousands separator (1234,5 or 1234.5)";

/* Digits only, at least one. */
static bool all_digits(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* 1.000 or 12.345.678: a leading group of 1-3 digits (not starting with 0), then groups
 * of three after each '.'. */
static bool thousands_groups(const char *s, size_t n)
{
    size_t first = 0;
    while (first < n && s[first] != '.')
        first++;
    if (first == 0 || first > 3 || s[0] == '0' || !all_digits(s, first))
        return false;
    for (size_t i = first; i < n; i += 4)
        if (s[i] != '.' || i + 4 > n || !all_digits(s + i + 1, 3))
            return false;
    return true;
}

/* Into buf: the sign, the integer digits, and '.' with the fraction if any (for strtod). */
static int normalise(const char *s, size_t n, num_style style, char *buf, const char **why)
{
    size_t w = 0;
    if (*s == '+' || *s == '-') {
        buf[w++] = *s++;
        n--;
    }
    size_t dots = 0, commas = 0, last_dot = 0, last_comma = 0;
    for (size_t k = 0; k < n; k++) {
        if (s[k] == '.')
            dots++, last_dot = k;
        else if (s[k] == ',')
            commas++, last_comma = k;
        else if (s[k] < '0' || s[k] > '9')
            return *why = why_nan, -1;
    }
    size_t int_len = n; /* up to the decimal mark, if any */
    switch (style) {
    case NUM_POINT:
        if (commas)
            return *why = why_comma, -1;
        if (dots > 1)
            return *why = why_nan, -1;
        if (dots)
            int_len = last_dot;
        break;
    case NUM_EITHER:
        if (dots && commas)
            return *why = why_both, -1;
        if (dots + commas > 1)
            return *why = why_nan, -1;
        if (dots + commas)
            int_len = dots ? last_dot : last_comma;
        break;
    case NUM_DUTCH:
        if (commas > 1)
            return *why = why_nan, -1;
        if (commas && dots && last_dot > last_comma)
            return *why = why_dutch_mixed, -1;
        if (commas)
            int_len = last_comma;
        if (dots && !thousands_groups(s, int_len))
            return *why = why_dutch_dot, -1;
        break;
    }
    for (size_t k = 0; k < int_len; k++)
        if (s[k] != '.') /* a Dutch thousands dot, checked above */
            buf[w++] = s[k];
    if (int_len == 0)
        return *why = why_nan, -1;
    if (int_len < n) {
        const char *frac = s + int_len + 1;
        size_t frac_len = n - int_len - 1;
        if (!all_digits(frac, frac_len))
            return *why = why_nan, -1;
        /* 1.000 where the mark may be decimal: a thousand, or one? */
        if (style != NUM_DUTCH && frac_len == 3 && int_len <= 3 && s[0] != '0')
            return *why = why_ambiguous, -1;
        buf[w++] = '.';
        memcpy(buf + w, frac, frac_len);
        w += frac_len;
    }
    buf[w] = '\0';
    return 0;
}

int records_parse_number(const char *s, num_style style, double *out, const char **why)
{
    char buf[64];
    size_t n = strlen(s);
    if (n == 0) {
        *why = "missing";
        return -1;
    }
    if (n >= sizeof buf) {
        *why = "too long for a number";
        return -1;
    }
    /* Check the shape ourselves: strtod would take "1e3", "0x10", "nan". */
    if (normalise(s, n, style, buf, why) != 0)
        return -1;
    errno = 0;
    char *end = NULL;
    double v = strtod(buf, &end);
    if (*end != '\0' || errno == ERANGE || !isfinite(v)) {
        *why = "number out of range";
        return -1;
    }
    *out = v;
    return 0;
}

int records_check_code(const char *s, size_t max, const char **why)
{
    size_t n = strlen(s);
    if (n == 0) {
        *why = "missing";
        return -1;
    }
    if (n > max) {
        *why = "too long";
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 0x20 || c >= 0x7f) {
            *why = "must be printable ASCII without spaces";
            return -1;
        }
    }
    return 0;
}

int records_check_month(const char *s, const char **why)
{
    period p;
    if (strlen(s) > PROTO_MAX_PERIOD || period_parse(s, &p) != 0) {
        *why = "not a month (YYYY-MM, like 2026-10)";
        return -1;
    }
    if (p.kind != PERIOD_MONTH) {
        *why = "not a month: figures are sent per month (YYYY-MM, like 2026-10), also for a "
               "quarter or a school year";
        return -1;
    }
    return 0;
}
