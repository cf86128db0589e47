/* csv.c: parse a submission CSV into records (format in csv.h). */
#include "csv.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "period.h"

#define CSV_MAX_FIELDS 8 /* more than any valid row; the rest are only counted */

typedef struct {
    const char *period;  /* --period, or NULL */
    char sep;            /* ',' or ';', decided by the first header or data line */
    bool has_period_col; /* header metric,area,period,value */
    size_t data_lines;   /* header and data lines seen */
    records_t *out;
    proto_errors *errs;
} csv_state;

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
        e--;
    *e = '\0';
    return s;
}

/* Split line in place at sep, honouring "double quotes" ("" inside quotes is
 * one quote). Stores up to CSV_MAX_FIELDS trimmed fields and returns how many
 * fields the line has, or -1 for an unterminated quote. */
static long split(char *line, char sep, char *fields[CSV_MAX_FIELDS])
{
    long n = 0;
    char *p = line;
    for (;;) {
        char *start = p;
        while (*p == ' ' || *p == '\t')
            p++;
        char *field;
        if (*p == '"') {
            /* Unquote into the same buffer: the result is never longer. */
            char *w = ++p;
            field = w;
            for (;;) {
                if (*p == '\0')
                    return -1;
                if (*p == '"' && p[1] == '"') {
                    *w++ = '"';
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else {
                    *w++ = *p++;
                }
            }
            while (*p == ' ' || *p == '\t')
                p++;
            if (*p != sep && *p != '\0')
                return -1; /* text after the closing quote */
            *w = '\0';
        } else {
            field = start;
            while (*p != sep && *p != '\0')
                p++;
        }
        bool last = *p == '\0';
        *p = '\0';
        if (n < CSV_MAX_FIELDS)
            fields[n] = trim(field);
        n++;
        if (last)
            return n;
        p++;
    }
}

/* A header is recognised by its first field; it must then be one of two forms. */
static void parse_header(csv_state *st, size_t lineno, char **f, long n)
{
    if (n == 3 && !strcasecmp(f[1], "area") && !strcasecmp(f[2], "value"))
        return;
    if (n == 4 && !strcasecmp(f[1], "area") && !strcasecmp(f[2], "period") &&
        !strcasecmp(f[3], "value")) {
        st->has_period_col = true;
        return;
    }
    proto_errors_add(st->errs, (long)lineno, "header", "bad_header",
                     "expected metric%carea%cvalue or metric%carea%cperiod%cvalue", st->sep,
                     st->sep, st->sep, st->sep, st->sep);
}

static void field_error(csv_state *st, size_t lineno, const char *field, const char *why,
                        const char *value)
{
    char q[48];
    proto_quote(q, sizeof q, value, strlen(value));
    if (value[0])
        proto_errors_add(st->errs, (long)lineno, field, "bad_value", "%s: '%s'", why, q);
    else
        proto_errors_add(st->errs, (long)lineno, field, "bad_value", "%s", why);
}

/* One data row; returns 0, or -1 when parsing must stop. */
static int parse_row(csv_state *st, size_t lineno, char **f, long n)
{
    long want = st->has_period_col ? 4 : 3;
    if (n != want) {
        const char *hint = "";
        if (st->sep == ',' && n == want + 1)
            hint = " (a decimal comma needs ';' as the separator)";
        proto_errors_add(st->errs, (long)lineno, "record", "columns",
                         "expected %ld fields (%s), got %ld%s", want,
                         st->has_period_col ? "metric,area,period,value" : "metric,area,value", n,
                         hint);
        return 0;
    }
    proto_record rec;
    memset(&rec, 0, sizeof rec);
    const char *why = NULL;
    size_t before = st->errs->total;
    const char *metric = f[0], *area = f[1], *value = f[want - 1];
    const char *per = st->has_period_col && f[2][0] ? f[2] : st->period;

    if (records_check_code(metric, PROTO_MAX_CODE, &why) != 0)
        field_error(st, lineno, "metric", why, metric);
    else
        memcpy(rec.metric, metric, strlen(metric) + 1);
    if (area[0] && records_check_code(area, PROTO_MAX_AREA, &why) != 0)
        field_error(st, lineno, "area", why, area);
    else if (area[0])
        memcpy(rec.area, area, strlen(area) + 1);
    period p;
    if (!per)
        proto_errors_add(st->errs, (long)lineno, "period", "missing",
                         "no period: give --period or fill the period column");
    else if (strlen(per) > PROTO_MAX_PERIOD || period_parse(per, &p) != 0)
        field_error(st, lineno, "period",
                    "not a period (2026-10, 2026-Q4, 2026 or 2025/26)", per);
    else
        memcpy(rec.period, per, strlen(per) + 1);
    if (records_parse_number(value, st->sep == ';', &rec.value, &why) != 0)
        field_error(st, lineno, "value", why, value);

    if (st->errs->total != before)
        return 0;
    if (st->out->count >= PROTO_MAX_RECORDS) {
        proto_errors_add(st->errs, (long)lineno, "record", "too_many",
                         "more than %d records in one submission; split the file",
                         PROTO_MAX_RECORDS);
        return -1;
    }
    if (records_add(st->out, &rec, lineno) != 0) {
        proto_errors_add(st->errs, (long)lineno, "record", "no_memory", "out of memory");
        return -1;
    }
    return 0;
}

int csv_parse(FILE *in, const char *default_period, records_t *out, proto_errors *errs)
{
    csv_state st = {.period = default_period, .sep = ',', .out = out, .errs = errs};
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    size_t errs_before = errs->total;
    ssize_t len;
    errno = 0;
    while ((len = getline(&line, &cap, in)) >= 0) {
        lineno++;
        if ((size_t)len != strlen(line)) {
            proto_errors_add(errs, (long)lineno, "record", "binary",
                             "NUL byte in the line: not a text file");
            break;
        }
        char *s = line;
        if (lineno == 1 && !strncmp(s, "\xEF\xBB\xBF", 3))
            s += 3; /* Excel writes a UTF-8 byte order mark */
        s = trim(s);
        if (*s == '\0' || *s == '#')
            continue;
        if (st.data_lines++ == 0 && strchr(s, ';'))
            st.sep = ';';
        char *fields[CSV_MAX_FIELDS];
        long n = split(s, st.sep, fields);
        if (n < 0) {
            proto_errors_add(errs, (long)lineno, "record", "quote",
                             "unterminated or misplaced double quote");
            continue;
        }
        if (st.data_lines == 1 && !strcasecmp(fields[0], "metric")) {
            parse_header(&st, lineno, fields, n);
            continue;
        }
        if (parse_row(&st, lineno, fields, n) != 0)
            break;
    }
    if (ferror(in))
        proto_errors_add(errs, (long)lineno, "file", "read", "read error: %s",
                         strerror(errno ? errno : EIO));
    else if (errs->total == errs_before && out->count == 0)
        proto_errors_add(errs, 0, "file", "empty", "no records in the file");
    free(line);
    return errs->total == errs_before ? 0 : -1;
}
