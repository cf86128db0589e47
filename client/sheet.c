/* sheet.c: CSV output read back, and written for Dutch Excel (see sheet.h). */
#include "sheet.h"

#include <stdlib.h>
#include <string.h>

#include "grow.h"

void sheet_free(sheet_t *s)
{
    for (size_t i = 0; i < s->n; i++) {
        for (size_t k = 0; k < s->rows[i].n; k++)
            free(s->rows[i].cells[k]);
        free(s->rows[i].cells);
    }
    free(s->rows);
    memset(s, 0, sizeof *s);
}

/* Append a cell of len bytes from field to row. 0 or -1. */
static int add_cell(sheet_row *row, size_t *cap, const char *field, size_t len)
{
    char *c = malloc(len + 1);
    if (!c || GROW(row->cells, *cap, row->n + 1) != 0) {
        free(c);
        return -1;
    }
    memcpy(c, field, len);
    c[len] = '\0';
    row->cells[row->n++] = c;
    return 0;
}

int sheet_parse(sheet_t *s, const char *text, size_t len)
{
    memset(s, 0, sizeof *s);
    char *field = malloc(len + 1);
    if (!field)
        return -1;
    size_t i = 0;
    int rc = 0;
    while (rc == 0 && i < len) {
        if (GROW(s->rows, s->cap, s->n + 1) != 0) {
            rc = -1;
            break;
        }
        sheet_row *row = &s->rows[s->n++];
        memset(row, 0, sizeof *row);
        size_t cap = 0;
        for (;;) {
            size_t f = 0;
            if (i < len && text[i] == '"') {
                /* quoted: "" is a quote; ends at the lone quote */
                for (i++;; i++) {
                    if (i >= len) {
                        rc = -1;
                        break;
                    }
                    if (text[i] == '"' && i + 1 < len && text[i + 1] == '"')
                        field[f++] = text[i++];
                    else if (text[i] == '"')
                        break;
                    else
                        field[f++] = text[i];
                }
                if (rc != 0)
                    break;
                i++;
            }
            while (i < len && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
                field[f++] = text[i++];
            if (add_cell(row, &cap, field, f) != 0) {
                rc = -1;
                break;
            }
            if (i < len && text[i] == ',') {
                i++;
                continue;
            }
            if (i < len && text[i] == '\r')
                i++;
            if (i < len && text[i] == '\n')
                i++;
            break;
        }
    }
    free(field);
    if (rc != 0)
        sheet_free(s);
    return rc;
}

bool sheet_is_number(const char *c)
{
    const char *p = c + (*c == '-');
    size_t digits = strspn(p, "0123456789");
    if (!digits)
        return false;
    p += digits;
    if (*p == '.') {
        size_t frac = strspn(p + 1, "0123456789");
        if (!frac)
            return false;
        p += 1 + frac;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        p += *p == '+' || *p == '-';
        size_t exp = strspn(p, "0123456789");
        if (!exp)
            return false;
        p += exp;
    }
    return *p == '\0';
}

/* One field for Dutch Excel. 0 or -1. */
static int put_field(const char *c, FILE *out)
{
    if (sheet_is_number(c)) {
        for (; *c; c++)
            if (fputc(*c == '.' ? ',' : *c, out) == EOF)
                return -1;
        return 0;
    }
    if (!c[strcspn(c, ";\"\r\n")])
        return fputs(c, out) == EOF ? -1 : 0;
    if (fputc('"', out) == EOF)
        return -1;
    for (; *c; c++)
        if ((*c == '"' && fputc('"', out) == EOF) || fputc(*c, out) == EOF)
            return -1;
    return fputc('"', out) == EOF ? -1 : 0;
}

int sheet_write_csv_nl(const sheet_t *s, FILE *out)
{
    if (fputs("\xef\xbb\xbf", out) == EOF)
        return -1;
    for (size_t i = 0; i < s->n; i++) {
        for (size_t k = 0; k < s->rows[i].n; k++)
            if ((k && fputc(';', out) == EOF) || put_field(s->rows[i].cells[k], out) != 0)
                return -1;
        if (fputs("\r\n", out) == EOF)
            return -1;
    }
    return 0;
}
