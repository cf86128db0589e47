/* period.c: parsing, formatting and month arithmetic for periods. */
#include "period.h"

#include <stdio.h>
#include <string.h>

#define YEAR_MIN 1900
#define YEAR_MAX 9998

/* Hand-rolled rather than isdigit(): independent of the locale. */
static int digit(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : -1;
}

/* Reads n digits at s; stops at the first non-digit, so never reads past
 * the terminating NUL. */
static int digits(const char *s, int n, int *value)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        int d = digit(s[i]);
        if (d < 0)
            return -1;
        v = v * 10 + d;
    }
    *value = v;
    return 0;
}

static bool year_ok(int year)
{
    return year >= YEAR_MIN && year <= YEAR_MAX;
}

int period_parse(const char *s, period *out)
{
    period p = { PERIOD_YEAR, 0, 0 };
    int v;

    if (s == NULL || out == NULL)
        return -1;
    if (digits(s, 4, &p.year) != 0)
        return -1;
    /* Each branch checks s[i] before s[i + 1], so a short string ends the
     * scan at its NUL and an overlong one fails the final NUL check. */
    switch (s[4]) {
    case '\0':
        p.kind = PERIOD_YEAR;
        break;
    case '-':
        if (s[5] == 'Q') {
            if (digits(s + 6, 1, &v) != 0 || s[7] != '\0')
                return -1;
            p.kind = PERIOD_QUARTER;
        } else {
            if (digits(s + 5, 2, &v) != 0 || s[7] != '\0')
                return -1;
            p.kind = PERIOD_MONTH;
        }
        p.index = v;
        break;
    case '/':
        if (digits(s + 5, 2, &v) != 0 || s[7] != '\0')
            return -1;
        if (v != (p.year + 1) % 100)
            return -1;
        p.kind = PERIOD_SCHOOLYEAR;
        break;
    default:
        return -1;
    }
    if (!period_valid(&p))
        return -1;
    *out = p;
    return 0;
}

int period_format(const period *p, char *buf, size_t len)
{
    /* Sized for any int, not just valid years, to keep -Wformat-truncation quiet. */
    char tmp[32];
    int n = -1;

    if (buf == NULL || !period_valid(p))
        return -1;
    switch (p->kind) {
    case PERIOD_MONTH:
        n = snprintf(tmp, sizeof tmp, "%04d-%02d", p->year, p->index);
        break;
    case PERIOD_QUARTER:
        n = snprintf(tmp, sizeof tmp, "%04d-Q%d", p->year, p->index);
        break;
    case PERIOD_YEAR:
        n = snprintf(tmp, sizeof tmp, "%04d", p->year);
        break;
    case PERIOD_SCHOOLYEAR:
        n = snprintf(tmp, sizeof tmp, "%04d/%02d", p->year, (p->year + 1) % 100);
        break;
    }
    if (n < 0 || (size_t)n >= sizeof tmp || (size_t)n >= len)
        return -1;
    /* Via tmp so that buf is left untouched when it is too small. */
    memcpy(buf, tmp, (size_t)n + 1);
    return 0;
}

const char *period_kind_name(period_kind kind)
{
    switch (kind) {
    case PERIOD_MONTH:
        return "month";
    case PERIOD_QUARTER:
        return "quarter";
    case PERIOD_YEAR:
        return "year";
    case PERIOD_SCHOOLYEAR:
        return "school year";
    }
    /* Never NULL, so callers may print it unchecked. */
    return "unknown";
}

bool period_valid(const period *p)
{
    if (p == NULL || !year_ok(p->year))
        return false;
    switch (p->kind) {
    case PERIOD_MONTH:
        return p->index >= 1 && p->index <= 12;
    case PERIOD_QUARTER:
        return p->index >= 1 && p->index <= 4;
    case PERIOD_YEAR:
    case PERIOD_SCHOOLYEAR:
        return p->index == 0;
    }
    return false;
}

int period_month_number(int year, int month)
{
    return year * 12 + month - 1;
}

/* Invalid periods get -1, which sorts before every valid month number. */
int period_first_month(const period *p)
{
    if (!period_valid(p))
        return -1;
    switch (p->kind) {
    case PERIOD_MONTH:
        return period_month_number(p->year, p->index);
    case PERIOD_QUARTER:
        return period_month_number(p->year, 3 * (p->index - 1) + 1);
    case PERIOD_YEAR:
        return period_month_number(p->year, 1);
    case PERIOD_SCHOOLYEAR:
        return period_month_number(p->year, 8);
    }
    return -1;
}

int period_last_month(const period *p)
{
    int first = period_first_month(p);
    if (first < 0)
        return -1;
    return first + period_month_count(p) - 1;
}

period period_month_from_number(int n)
{
    /* Floor division, so negative numbers still give a month 1..12. */
    int year = n / 12;
    int month = n % 12;
    if (month < 0) {
        month += 12;
        year--;
    }
    period p = { PERIOD_MONTH, year, month + 1 };
    return p;
}

int period_month_count(const period *p)
{
    if (!period_valid(p))
        return 0;
    switch (p->kind) {
    case PERIOD_MONTH:
        return 1;
    case PERIOD_QUARTER:
        return 3;
    case PERIOD_YEAR:
    case PERIOD_SCHOOLYEAR:
        return 12;
    }
    return 0;
}

static int cmp_int(int a, int b)
{
    return (a > b) - (a < b);
}

int period_compare(const period *a, const period *b)
{
    int c = cmp_int(period_first_month(a), period_first_month(b));
    if (c != 0)
        return c;
    return cmp_int(period_last_month(a), period_last_month(b));
}

bool period_contains(const period *outer, const period *inner)
{
    if (!period_valid(outer) || !period_valid(inner))
        return false;
    return period_first_month(outer) <= period_first_month(inner)
        && period_last_month(inner) <= period_last_month(outer);
}

int period_previous(const period *p, period *out)
{
    period q;

    if (out == NULL || !period_valid(p))
        return -1;
    q = *p;
    switch (p->kind) {
    case PERIOD_MONTH:
        q = period_month_from_number(period_first_month(p) - 1);
        break;
    case PERIOD_QUARTER:
        if (--q.index == 0) {
            q.index = 4;
            q.year--;
        }
        break;
    case PERIOD_YEAR:
    case PERIOD_SCHOOLYEAR:
        q.year--;
        break;
    }
    if (!period_valid(&q))
        return -1;
    *out = q;
    return 0;
}

int period_next(const period *p, period *out)
{
    period q;

    if (out == NULL || !period_valid(p))
        return -1;
    q = *p;
    switch (p->kind) {
    case PERIOD_MONTH:
        q = period_month_from_number(period_first_month(p) + 1);
        break;
    case PERIOD_QUARTER:
        if (++q.index == 5) {
            q.index = 1;
            q.year++;
        }
        break;
    case PERIOD_YEAR:
    case PERIOD_SCHOOLYEAR:
        q.year++;
        break;
    }
    if (!period_valid(&q))
        return -1;
    *out = q;
    return 0;
}

int period_year_earlier(const period *p, period *out)
{
    period q;

    if (out == NULL || !period_valid(p))
        return -1;
    q = *p;
    q.year--;
    if (!period_valid(&q))
        return -1;
    *out = q;
    return 0;
}

int period_of_time(time_t t, period *out)
{
    struct tm tm;
    period q;

    if (out == NULL || localtime_r(&t, &tm) == NULL)
        return -1;
    q.kind = PERIOD_MONTH;
    q.year = tm.tm_year + 1900;
    q.index = tm.tm_mon + 1;
    if (!period_valid(&q))
        return -1;
    *out = q;
    return 0;
}

/* Local midnight at the start of month number n, or (time_t)-1. */
static time_t month_start(int n)
{
    period m = period_month_from_number(n);
    struct tm tm;
    time_t t;

    memset(&tm, 0, sizeof tm);
    tm.tm_year = m.year - 1900;
    tm.tm_mon = m.index - 1;
    tm.tm_mday = 1;
    tm.tm_isdst = -1;
    /* mktime sets tm_wday on success; -1 alone is also a valid time. */
    tm.tm_wday = -1;
    t = mktime(&tm);
    if (t == (time_t)-1 && tm.tm_wday == -1)
        return (time_t)-1;
    return t;
}

time_t period_start(const period *p)
{
    if (!period_valid(p))
        return (time_t)-1;
    return month_start(period_first_month(p));
}

time_t period_end(const period *p)
{
    if (!period_valid(p))
        return (time_t)-1;
    return month_start(period_last_month(p) + 1);
}

int period_containing(const period *month, period_kind kind, period *out)
{
    if (month->kind != PERIOD_MONTH)
        return -1;
    period p = *month;
    switch (kind) {
    case PERIOD_MONTH:
        break;
    case PERIOD_QUARTER:
        p = (period){PERIOD_QUARTER, month->year, (month->index - 1) / 3 + 1};
        break;
    case PERIOD_YEAR:
        p = (period){PERIOD_YEAR, month->year, 0};
        break;
    case PERIOD_SCHOOLYEAR:
        p = (period){PERIOD_SCHOOLYEAR, month->index >= 8 ? month->year : month->year - 1, 0};
        break;
    }
    if (!period_valid(&p))
        return -1;
    *out = p;
    return 0;
}
