/* csv.c: parse a submission CSV into records (format in csv.h). */
#include "csv.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "textin.h"

#define CSV_MAX_FIELDS 64 /* columns kept per line; the rest are only counted */

typedef enum { COL_METRIC, COL_AREA, COL_PERIOD, COL_VALUE, COL_N } col_t;

static const char *const col_names[COL_N] = {"metric", "area", "period", "value"};

/* Header names, as English and Dutch exports write them. */
static const struct {
    const char *name;
    col_t col;
} aliases[] = {
    {"metric", COL_METRIC}, {"metriek", COL_METRIC},  {"indicator", COL_METRIC},
    {"code", COL_METRIC},   {"area", COL_AREA},       {"wijk", COL_AREA},
    {"gebied", COL_AREA},   {"buurt", COL_AREA},      {"wijkcode", COL_AREA},
    {"gebiedscode", COL_AREA}, {"buurtcode", COL_AREA}, {"period", COL_PERIOD},
    {"periode", COL_PERIOD}, {"maand", COL_PERIOD},   {"value", COL_VALUE},
    {"waarde", COL_VALUE},  {"aantal", COL_VALUE},
};

static const char *const col_aliases[COL_N] = {
    "metric, metriek, indicator or code", "area, wijk, gebied or buurt",
    "period, periode or maand", "value, waarde or aantal"};

typedef struct {
    const char *period;   /* --period, or NULL */
    char sep;             /* from a sep= line or the first header or data line; 0 before */
    bool tab_commas;      /* the file has decimal commas (for tab separated files) */
    num_style num;        /* how the file writes numbers, from sep */
    bool header;          /* the first line named the columns */
    long col[COL_N];      /* field index of each column, -1 if the file has none */
    long width;           /* fields a line has: the header's, or 3 */
    char layout[80];      /* the columns as the user sees them, for messages */
    size_t content_lines; /* header and data lines seen */
    records_t *out;
    proto_errors *errs;
    const csv_map *map;   /* --map: the export's own names; NULL: none */
} csv_state;

static bool is_space(char c, char sep)
{
    return c == ' ' || (c == '\t' && sep != '\t');
}

static char *trim(char *s, char sep)
{
    while (is_space(*s, sep))
        s++;
    char *e = s + strlen(s);
    while (e > s && is_space(e[-1], sep))
        e--;
    *e = '\0';
    return s;
}

/* The next line of *pos, terminated in place (CRLF, LF or CR), or NULL at the end. */
static char *next_line(char **pos, const char *end)
{
    char *p = *pos;
    if (p >= end)
        return NULL;
    char *e = p + strcspn(p, "\r\n");
    if (e[0] == '\r' && e[1] == '\n')
        *pos = e + 2;
    else
        *pos = *e ? e + 1 : e;
    *e = '\0';
    return p;
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
        while (is_space(*p, sep))
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
            while (is_space(*p, sep))
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
            fields[n] = trim(field, sep);
        n++;
        if (last)
            return n;
        p++;
    }
}

/* Excel's first line "sep=;" (sometimes quoted) names the separator. */
static bool sep_line(const char *s, char *sep)
{
    if (*s == '"')
        s++;
    if (strncasecmp(s, "sep=", 4) != 0 || !s[4] || s[4] == '"')
        return false;
    const char *rest = s + 5;
    if (*rest == '"')
        rest++;
    while (*rest == ' ')
        rest++;
    if (*rest)
        return false;
    *sep = s[4];
    return true;
}

/* The separator of a file whose first header or data line is s: a tab, else ';', else
 * ',', counted outside quotes. */
static char detect_sep(const char *s)
{
    size_t tabs = 0, semis = 0;
    bool quoted = false;
    for (; *s; s++) {
        if (*s == '"')
            quoted = !quoted;
        else if (!quoted && *s == '\t')
            tabs++;
        else if (!quoted && *s == ';')
            semis++;
    }
    return tabs ? '\t' : semis ? ';' : ',';
}

/* Does any field of the text (cut at tabs and line ends) read like 16,5 or 1.234,5? */
static bool has_decimal_comma(const char *s)
{
    while (*s) {
        size_t n = strcspn(s, "\t\r\n");
        const char *f = s, *e = s + n;
        while (f < e && (*f == ' ' || *f == '"'))
            f++;
        while (e > f && (e[-1] == ' ' || e[-1] == '"'))
            e--;
        if (f < e && (*f == '+' || *f == '-'))
            f++;
        const char *comma = memchr(f, ',', (size_t)(e - f));
        bool number = comma && comma > f && comma + 1 < e && comma[-1] >= '0' && comma[-1] <= '9';
        for (const char *p = f; number && p < e; p++)
            number = (*p >= '0' && *p <= '9') || (*p == '.' && p < comma) || p == comma;
        if (number)
            return true;
        s += n + (s[n] != '\0');
    }
    return false;
}

static void set_sep(csv_state *st, char sep)
{
    st->sep = sep;
    if (sep == ';' || (sep != ',' && st->tab_commas))
        st->num = NUM_DUTCH;
    else
        st->num = NUM_POINT;
}

/* "metric;area;value", or the header's own names, joined by the separator. */
static void describe_layout(csv_state *st, char **names)
{
    size_t w = 0;
    const char sep[2] = {st->sep == '\t' ? ' ' : st->sep, '\0'}; /* a tab shows as nothing */
    st->layout[0] = '\0';
    for (long i = 0; i < st->width && i < CSV_MAX_FIELDS; i++) {
        const char *name = names ? names[i] : col_names[i == 2 ? COL_VALUE : i];
        int k = snprintf(st->layout + w, sizeof st->layout - w, "%s%s", i ? sep : "", name);
        if (k < 0 || (size_t)k >= sizeof st->layout - w) {
            snprintf(st->layout + sizeof st->layout - 4, 4, "...");
            return;
        }
        w += (size_t)k;
    }
}

static col_t find_alias(const csv_map *map, const char *name)
{
    for (int c = 0; map && c < COL_N; c++)
        if (map->columns[c][0] && !strcasecmp(name, map->columns[c]))
            return (col_t)c;
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (!strcasecmp(name, aliases[i].name))
            return aliases[i].col;
    return COL_N;
}

/* Does name hold one of column c's names ("Wijk code", "Maandnummer")? */
static bool names_part_of(const char *name, col_t c)
{
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++) {
        if (aliases[i].col != c)
            continue;
        size_t k = strlen(aliases[i].name);
        for (const char *p = name; strlen(p) >= k; p++)
            if (!strncasecmp(p, aliases[i].name, k))
                return true;
    }
    return false;
}

/* Is the first content line (n fields in f) a header? It is if it names a known column. */
static bool is_header(const csv_map *map, char **f, long n)
{
    for (long i = 0; i < n && i < CSV_MAX_FIELDS; i++)
        if (find_alias(map, f[i]) != COL_N)
            return true;
    return false;
}

/* The columns by name; returns -1 for a header that cannot be used (parsing stops). */
static int parse_header(csv_state *st, size_t lineno, char **f, long n)
{
    size_t before = st->errs->total;
    for (int c = 0; c < COL_N; c++)
        st->col[c] = -1; /* not the headerless layout */
    while (n > 1 && n <= CSV_MAX_FIELDS && !f[n - 1][0])
        n--; /* Excel's empty columns after the last */
    if (n > CSV_MAX_FIELDS) {
        proto_errors_add(st->errs, (long)lineno, "header", "bad_header",
                         "%ld columns; at most %d are read", n, CSV_MAX_FIELDS);
        return -1;
    }
    for (long i = 0; i < n; i++) {
        col_t c = find_alias(st->map, f[i]);
        if (c == COL_N)
            continue; /* a column of the export's own: not ours to read */
        if (st->col[c] >= 0) {
            char q1[48], q2[48];
            proto_quote(q1, sizeof q1, f[st->col[c]], strlen(f[st->col[c]]));
            proto_quote(q2, sizeof q2, f[i], strlen(f[i]));
            proto_errors_add(st->errs, (long)lineno, "header", "bad_header",
                             "two %s columns, '%s' (column %ld) and '%s' (column %ld): keep one",
                             col_names[c], q1, st->col[c] + 1, q2, i + 1);
            continue;
        }
        st->col[c] = i;
    }
    /* "Wijk code" is not read, and without an area column every figure would go to the
     * home area: a column that looks like one we lack must be named. */
    for (long i = 0; i < n; i++)
        for (int c = COL_AREA; c <= COL_PERIOD; c++)
            if (st->col[c] < 0 && find_alias(st->map, f[i]) == COL_N && names_part_of(f[i], (col_t)c)) {
                char q[48];
                proto_quote(q, sizeof q, f[i], strlen(f[i]));
                proto_errors_add(st->errs, (long)lineno, "header", "bad_header",
                                 "column %ld, '%s', is not read: if it holds the %s, name it "
                                 "%s; if not, give it another name", i + 1, q, col_names[c],
                                 col_aliases[c]);
            }
    static const col_t needed[] = {COL_METRIC, COL_VALUE};
    for (size_t k = 0; k < 2; k++)
        if (st->col[needed[k]] < 0)
            proto_errors_add(st->errs, (long)lineno, "header", "bad_header",
                             "no %s column: name one %s (the header names the columns in any "
                             "order), or name yours in a --map file",
                             col_names[needed[k]], col_aliases[needed[k]]);
    st->header = true;
    st->width = n;
    describe_layout(st, f);
    return st->errs->total == before ? 0 : -1;
}

static void field_error(csv_state *st, size_t lineno, col_t c, const char *why,
                        const char *value)
{
    char q[48];
    proto_quote(q, sizeof q, value, strlen(value));
    if (value[0])
        proto_errors_add(st->errs, (long)lineno, col_names[c], "bad_value", "%s: '%s' (column %ld)",
                         why, q, st->col[c] + 1);
    else
        proto_errors_add(st->errs, (long)lineno, col_names[c], "bad_value", "%s (column %ld)", why,
                         st->col[c] + 1);
}

/* A first line read as figures that has no digit at all: a header with names of its own. */
static bool header_of_its_own(const csv_state *st, char **f, long n)
{
    if (st->header || st->content_lines != 1)
        return false;
    for (long i = 0; i < n && i < CSV_MAX_FIELDS; i++)
        if (strpbrk(f[i], "0123456789"))
            return false;
    return true;
}

static void count_error(csv_state *st, size_t lineno, char **f, long n)
{
    const char *hint = "";
    const char *last = n <= CSV_MAX_FIELDS ? f[n - 1] : "";
    if (st->sep == ',' && n == st->width + 1 && last[0] && strspn(last, "0123456789") == strlen(last))
        hint = " (a decimal comma needs ';' as the separator)";
    char period_hint[96];
    if (!hint[0] && !st->header && n == 4) {
        char sep = st->sep == '\t' ? ' ' : st->sep;
        snprintf(period_hint, sizeof period_hint, "; for a period column, begin with a header "
                 "line: metric%carea%cperiod%cvalue", sep, sep, sep);
        hint = period_hint;
    }
    proto_errors_add(st->errs, (long)lineno, "record", "columns", "expected %ld fields (%s), got %ld%s",
                     st->width, st->layout, n, hint);
}

/* One data row; returns 0, or -1 when parsing must stop. */
static int parse_row(csv_state *st, size_t lineno, char **f, long n)
{
    while (n > st->width && n <= CSV_MAX_FIELDS && !f[n - 1][0])
        n--; /* Excel's empty columns after the last */
    if (header_of_its_own(st, f, n)) {
        proto_errors_add(st->errs, (long)lineno, "header", "bad_header",
                         "this looks like a header, but names no known column: name them "
                         "metric, area, value (Dutch: metriek, wijk, waarde), in any order");
        return -1;
    }
    if (n != st->width) {
        count_error(st, lineno, f, n);
        return 0;
    }
    proto_record rec;
    memset(&rec, 0, sizeof rec);
    const char *why = NULL;
    size_t before = st->errs->total;
    const char *cell[COL_N];
    for (int c = 0; c < COL_N; c++)
        cell[c] = st->col[c] >= 0 ? f[st->col[c]] : "";
    const char *per = cell[COL_PERIOD][0] ? cell[COL_PERIOD] : st->period;
    /* The export's own names, through the map; a name it does not list stands as a code. */
    const char *mapped;
    if (st->map && (mapped = csv_map_find(st->map->metrics, st->map->n_metrics, cell[COL_METRIC])))
        cell[COL_METRIC] = mapped;
    if (st->map && (mapped = csv_map_find(st->map->areas, st->map->n_areas, cell[COL_AREA])))
        cell[COL_AREA] = mapped;

    if (records_check_code(cell[COL_METRIC], PROTO_MAX_CODE, &why) != 0)
        field_error(st, lineno, COL_METRIC, why, cell[COL_METRIC]);
    else
        memcpy(rec.metric, cell[COL_METRIC], strlen(cell[COL_METRIC]) + 1);
    if (cell[COL_AREA][0] && records_check_code(cell[COL_AREA], PROTO_MAX_AREA, &why) != 0)
        field_error(st, lineno, COL_AREA, why, cell[COL_AREA]);
    else if (cell[COL_AREA][0])
        memcpy(rec.area, cell[COL_AREA], strlen(cell[COL_AREA]) + 1);
    if (!per)
        proto_errors_add(st->errs, (long)lineno, "period", "missing", "%s",
                         st->col[COL_PERIOD] >= 0 ? "no period: give --period or fill the period "
                                                    "column"
                                                  : "no period: give --period YYYY-MM");
    else if (records_check_month(per, &why) != 0)
        field_error(st, lineno, COL_PERIOD, why, per); /* --period was checked before */
    else
        memcpy(rec.period, per, strlen(per) + 1);
    if (records_parse_number(cell[COL_VALUE], st->num, &rec.value, &why) != 0)
        field_error(st, lineno, COL_VALUE, why, cell[COL_VALUE]);

    if (st->errs->total != before)
        return 0;
    long earlier = records_find(st->out, &rec);
    if (earlier >= 0) {
        proto_errors_add(st->errs, (long)lineno, "record", "duplicate_record",
                         "same metric, area and period as line %zu: keep one of the two",
                         st->out->origin[earlier]);
        return 0;
    }
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

/* A line of nothing but separators and spaces (an empty spreadsheet row). */
static bool blank(const char *s, char sep)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != sep)
            return false;
    return true;
}

int csv_parse_text(char *text, size_t len, const char *default_period, const csv_map *map,
                   records_t *out, proto_errors *errs)
{
    csv_state st = {.period = default_period, .width = 3, .out = out, .errs = errs, .map = map};
    for (int c = 0; c < COL_N; c++)
        st.col[c] = -1;
    st.col[COL_METRIC] = 0, st.col[COL_AREA] = 1, st.col[COL_VALUE] = 2;
    st.tab_commas = has_decimal_comma(text);
    size_t errs_before = errs->total, lineno = 0;
    char *pos = text, *line;
    while ((line = next_line(&pos, text + len)) != NULL) {
        lineno++;
        char sep;
        if (lineno == 1 && sep_line(line, &sep)) {
            set_sep(&st, sep);
            continue;
        }
        const char *s = line + strspn(line, " \t");
        if (*s == '\0' || *s == '#' || (st.sep && blank(s, st.sep)))
            continue;
        if (!st.sep)
            set_sep(&st, detect_sep(s));
        if (blank(s, st.sep))
            continue;
        if (st.content_lines++ == 0)
            describe_layout(&st, NULL); /* the headerless layout, in the file's separator */
        char *fields[CSV_MAX_FIELDS];
        long n = split(line, st.sep, fields);
        if (n < 0) {
            proto_errors_add(errs, (long)lineno, "record", "quote",
                             "unterminated or misplaced double quote");
            continue;
        }
        if (st.content_lines == 1 && is_header(map, fields, n)) {
            if (parse_header(&st, lineno, fields, n) != 0)
                break;
            continue;
        }
        if (parse_row(&st, lineno, fields, n) != 0)
            break;
    }
    if (errs->total == errs_before && out->count == 0)
        proto_errors_add(errs, 0, "file", "empty", "no records in the file");
    return errs->total == errs_before ? 0 : -1;
}

int csv_parse(FILE *in, const char *default_period, const csv_map *map, records_t *out,
              proto_errors *errs)
{
    char *text;
    size_t len;
    lm_error err;
    if (textin_read(in, &text, &len, &err) != 0) {
        proto_errors_add(errs, 0, "file", "not_csv", "%s", err.msg);
        return -1;
    }
    int rc = csv_parse_text(text, len, default_period, map, out, errs);
    free(text);
    return rc;
}
