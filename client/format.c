/* format.c: numbers, times, sparklines, terminal-safe strings, tables and
 * their cells (format.h). */
#include "format.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "grow.h"

/* "-0.0" after rounding is just zero. */
static void drop_negative_zero(char *buf)
{
    if (buf[0] != '-')
        return;
    for (const char *p = buf + 1; *p && *p != ' '; p++)
        if (*p != '0' && *p != '.')
            return;
    memmove(buf, buf + 1, strlen(buf));
}

void fmt_value(char *buf, size_t n, double v, const char *unit)
{
    if (!isfinite(v)) {
        snprintf(buf, n, "%s", FMT_MISSING);
        return;
    }
    if (!unit)
        unit = "";
    if (!strcmp(unit, "percent"))
        snprintf(buf, n, "%.1f %%", v);
    else if (!strcmp(unit, "hours"))
        snprintf(buf, n, "%.1f uur", v);
    else if (!strcmp(unit, "count") && v == floor(v) && fabs(v) < 1e15)
        snprintf(buf, n, "%.0f", v);
    else if (!strcmp(unit, "count") || !unit[0])
        snprintf(buf, n, "%.1f", v);
    else
        snprintf(buf, n, "%.1f %s", v, unit);
    drop_negative_zero(buf);
}

void fmt_number(char *buf, size_t n, double v)
{
    if (!isfinite(v)) {
        snprintf(buf, n, "%s", FMT_MISSING);
        return;
    }
    if (v == floor(v) && fabs(v) < 1e15) {
        snprintf(buf, n, "%.0f", v);
    } else {
        snprintf(buf, n, "%.2f", v);
        char *dot = strchr(buf, '.');
        if (dot) {
            char *end = buf + strlen(buf);
            while (end > dot + 1 && end[-1] == '0')
                *--end = '\0';
            if (end == dot + 1)
                *dot = '\0';
        }
    }
    drop_negative_zero(buf);
}

void fmt_csv_number(char *buf, size_t n, double v)
{
    if (!isfinite(v)) {
        snprintf(buf, n, "%s", "");
        return;
    }
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(buf, n, "%.*g", digits, v);
        if (strtod(buf, NULL) == v)
            break;
    }
}

/* The broken-down time of t, local or UTC; false if t is out of range. */
static bool broken_down(int64_t t, bool utc, struct tm *tm)
{
    time_t tt = (time_t)t;
    return (int64_t)tt == t && (utc ? gmtime_r(&tt, tm) : localtime_r(&tt, tm)) != NULL;
}

void fmt_time(char *buf, size_t n, int64_t t)
{
    struct tm tm;
    if (!broken_down(t, false, &tm) || !strftime(buf, n, "%Y-%m-%d %H:%M", &tm))
        snprintf(buf, n, "%lld", (long long)t);
}

void fmt_time_iso(char *buf, size_t n, int64_t t)
{
    struct tm tm;
    if (!broken_down(t, true, &tm) || !strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(buf, n, "%lld", (long long)t);
}

/* n digits at s into *v; -1 at a non-digit (so never past the NUL). */
static int digits(const char *s, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        *v = *v * 10 + (s[i] - '0');
    }
    return 0;
}

int fmt_parse_time(const char *s, int64_t *out)
{
    size_t len = strlen(s);
    if (len > 0 && len <= 12 && strspn(s, "0123456789") == len) {
        char *end = NULL;
        long long v = strtoll(s, &end, 10);
        if (*end)
            return -1;
        *out = v;
        return 0;
    }
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    int y, mo, d, h = 0, mi = 0;
    if ((len != 10 && len != 16) || digits(s, 4, &y) != 0 || s[4] != '-' ||
        digits(s + 5, 2, &mo) != 0 || s[7] != '-' || digits(s + 8, 2, &d) != 0)
        return -1;
    if (len == 16 && ((s[10] != ' ' && s[10] != 'T') || digits(s + 11, 2, &h) != 0 ||
                      s[13] != ':' || digits(s + 14, 2, &mi) != 0))
        return -1;
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59)
        return -1;
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_isdst = -1;
    time_t t = mktime(&tm);
    /* mktime moves 30 February to 2 March and 02:30 in a spring-forward gap
     * to 03:30: a time that does not read back is not a local time. */
    if (t == (time_t)-1 || tm.tm_year != y - 1900 || tm.tm_mon != mo - 1 || tm.tm_mday != d ||
        tm.tm_hour != h || tm.tm_min != mi || t < 0)
        return -1;
    *out = (int64_t)t;
    return 0;
}

int fmt_sparkline(char *buf, size_t n, const double *values, const bool *present, size_t count)
{
    if (n == 0 || count > (n - 1) / 3)
        return -1;
    double lo = 0, hi = 0;
    bool any = false;
    for (size_t i = 0; i < count; i++) {
        if (!present[i] || !isfinite(values[i]))
            continue;
        if (!any || values[i] < lo)
            lo = values[i];
        if (!any || values[i] > hi)
            hi = values[i];
        any = true;
    }
    size_t used = 0;
    for (size_t i = 0; i < count; i++) {
        if (!present[i] || !isfinite(values[i])) {
            buf[used++] = ' ';
            continue;
        }
        int level = 3; /* all values equal: the middle of the range */
        if (hi > lo) {
            level = (int)((values[i] - lo) / (hi - lo) * 8.0);
            if (level > 7)
                level = 7;
            if (level < 0)
                level = 0;
        }
        /* U+2581 LOWER ONE EIGHTH BLOCK .. U+2588 FULL BLOCK */
        buf[used++] = (char)0xe2;
        buf[used++] = (char)0x96;
        buf[used++] = (char)(0x81 + level);
    }
    buf[used] = '\0';
    return 0;
}

/* Length of the well-formed UTF-8 sequence at s (at most len bytes), or 0. */
static size_t utf8_sequence(const unsigned char *s, size_t len)
{
    unsigned char b = s[0];
    size_t need;
    unsigned char lo = 0x80, hi = 0xbf; /* allowed range of the second byte */
    if (b >= 0xc2 && b <= 0xdf)
        need = 2;
    else if (b >= 0xe0 && b <= 0xef) {
        need = 3;
        if (b == 0xe0)
            lo = 0xa0; /* overlong */
        if (b == 0xed)
            hi = 0x9f; /* surrogates */
    } else if (b >= 0xf0 && b <= 0xf4) {
        need = 4;
        if (b == 0xf0)
            lo = 0x90;
        if (b == 0xf4)
            hi = 0x8f;
    } else {
        return 0;
    }
    if (len < need || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < need; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    return need;
}

void fmt_clean(char *dst, size_t n, const char *src, size_t len)
{
    if (n == 0)
        return;
    const unsigned char *s = (const unsigned char *)src;
    size_t out = 0, i = 0;
    while (i < len) {
        size_t k = s[i] < 0x80 ? 1 : utf8_sequence(s + i, len - i);
        bool bad = k == 0 || (k == 1 && (s[i] < 0x20 || s[i] == 0x7f)) ||
                   (k == 2 && s[i] == 0xc2 && s[i + 1] < 0xa0); /* C1 controls */
        size_t put = bad ? 1 : k;
        if (out + put > n - 1)
            break;
        if (bad)
            dst[out] = '?';
        else
            memcpy(dst + out, s + i, k);
        out += put;
        i += k ? k : 1;
    }
    dst[out] = '\0';
}

size_t fmt_width(const char *s)
{
    size_t w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xc0) != 0x80)
            w++;
    return w;
}

int fmt_csv_field(FILE *out, const char *s)
{
    if (!s)
        s = "";
    size_t len = strlen(s);
    bool quote = strpbrk(s, ",\"\r\n") != NULL || (len && (s[0] == ' ' || s[len - 1] == ' '));
    if (!quote)
        return fputs(s, out) < 0 ? -1 : 0;
    if (fputc('"', out) == EOF)
        return -1;
    for (const char *p = s; *p; p++)
        if ((*p == '"' && fputc('"', out) == EOF) || fputc(*p, out) == EOF)
            return -1;
    return fputc('"', out) == EOF ? -1 : 0;
}

/* ---- tables ----------------------------------------------------------- */

struct table {
    const table_col *cols;
    size_t ncols;
    char **cells; /* row-major, owned */
    size_t ncells, cap;
    size_t *rules; /* a rule follows this many complete rows */
    size_t nrules, rcap;
};

table_t *table_new(const table_col *cols, size_t ncols)
{
    if (ncols == 0)
        return NULL;
    table_t *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->cols = cols;
    t->ncols = ncols;
    return t;
}

void table_destroy(table_t **self)
{
    if (!self || !*self)
        return;
    table_t *t = *self;
    for (size_t i = 0; i < t->ncells; i++)
        free(t->cells[i]);
    free(t->cells);
    free(t->rules);
    free(t);
    *self = NULL;
}

int table_add(table_t *self, const char *cell)
{
    if (GROW(self->cells, self->cap, self->ncells + 1) != 0)
        return -1;
    char *copy = strdup(cell ? cell : "");
    if (!copy)
        return -1;
    self->cells[self->ncells++] = copy;
    return 0;
}

int table_addf(table_t *self, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (len < 0 || !(s = malloc((size_t)len + 1)))
        return -1;
    va_start(ap, fmt);
    vsnprintf(s, (size_t)len + 1, fmt, ap);
    va_end(ap);
    int rc = table_add(self, s);
    free(s);
    return rc;
}

int table_rule(table_t *self)
{
    if (GROW(self->rules, self->rcap, self->nrules + 1) != 0)
        return -1;
    self->rules[self->nrules++] = table_rows(self);
    return 0;
}

size_t table_rows(const table_t *self)
{
    return self->ncells / self->ncols;
}

static int print_row(const table_t *t, FILE *out, const char *indent, const char *const *cells,
                     const size_t *widths)
{
    size_t last = 0; /* cells after the last non-empty one are left out */
    for (size_t c = 0; c < t->ncols; c++)
        if (cells[c][0])
            last = c + 1;
    if (last && fputs(indent, out) < 0)
        return -1;
    for (size_t c = 0; c < last; c++) {
        size_t pad = widths[c] - fmt_width(cells[c]);
        bool right = t->cols[c].align == TABLE_RIGHT;
        if (c > 0 && fputs("  ", out) < 0)
            return -1;
        if (right && fprintf(out, "%*s", (int)pad, "") < 0)
            return -1;
        if (fputs(cells[c], out) < 0)
            return -1;
        if (!right && c + 1 < last && fprintf(out, "%*s", (int)pad, "") < 0)
            return -1;
    }
    return fputc('\n', out) == EOF ? -1 : 0;
}

int table_print(const table_t *self, FILE *out, const char *indent)
{
    if (self->ncells % self->ncols)
        return -1;
    size_t *widths = calloc(self->ncols, sizeof *widths);
    const char **heads = calloc(self->ncols, sizeof *heads);
    int rc = widths && heads ? 0 : -1;
    size_t total = 0;
    for (size_t c = 0; rc == 0 && c < self->ncols; c++) {
        heads[c] = self->cols[c].heading;
        widths[c] = fmt_width(heads[c]);
        for (size_t i = c; i < self->ncells; i += self->ncols) {
            size_t w = fmt_width(self->cells[i]);
            if (w > widths[c])
                widths[c] = w;
        }
        total += widths[c] + (c ? 2 : 0);
    }
    if (rc == 0)
        rc = print_row(self, out, indent, heads, widths);
    size_t rows = table_rows(self), r = 0;
    for (size_t k = 0; rc == 0 && k <= rows; k++) {
        for (; rc == 0 && r < self->nrules && self->rules[r] == k; r++) {
            rc = fputs(indent, out) < 0 ? -1 : 0;
            for (size_t i = 0; rc == 0 && i < total; i++)
                rc = fputc('-', out) == EOF ? -1 : 0;
            if (rc == 0 && fputc('\n', out) == EOF)
                rc = -1;
        }
        if (rc == 0 && k < rows)
            rc = print_row(self, out, indent, (const char *const *)&self->cells[k * self->ncols],
                           widths);
    }
    free(widths);
    free(heads);
    return rc;
}

static int csv_row(FILE *out, const char *const *cells, size_t n)
{
    for (size_t c = 0; c < n; c++)
        if ((c && fputc(',', out) == EOF) || fmt_csv_field(out, cells[c]) != 0)
            return -1;
    return fputc('\n', out) == EOF ? -1 : 0;
}

int table_print_csv(const table_t *self, FILE *out)
{
    if (self->ncells % self->ncols)
        return -1;
    const char **heads = calloc(self->ncols, sizeof *heads);
    if (!heads)
        return -1;
    for (size_t c = 0; c < self->ncols; c++)
        heads[c] = self->cols[c].heading;
    int rc = csv_row(out, heads, self->ncols);
    free(heads);
    for (size_t k = 0; rc == 0 && k < table_rows(self); k++)
        rc = csv_row(out, (const char *const *)&self->cells[k * self->ncols], self->ncols);
    return rc;
}

int cell_number(table_t *t, bool has, double v, bool csv)
{
    char buf[FMT_NUMBER_MAX];
    if (!has)
        return table_add(t, csv ? "" : FMT_MISSING);
    if (csv)
        fmt_csv_number(buf, sizeof buf, v);
    else
        fmt_number(buf, sizeof buf, v);
    return table_add(t, buf);
}

int cell_int(table_t *t, bool has, int64_t v)
{
    return has ? table_addf(t, "%lld", (long long)v) : table_add(t, "");
}

int cell_time_iso(table_t *t, bool has, int64_t v)
{
    char buf[FMT_NUMBER_MAX];
    if (!has)
        return table_add(t, "");
    fmt_time_iso(buf, sizeof buf, v);
    return table_add(t, buf);
}
