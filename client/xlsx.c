/* xlsx.c: a command's table as an Excel workbook (see xlsx.h). */
#include "xlsx.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

static const char *const headings[][2] = {
    {"ack_note", "Notitie bij bevestiging"}, {"acked_at", "Bevestigd op"},
    {"acked_by", "Bevestigd door"},          {"area", "Gebied"},
    {"area_name", "Gebiedsnaam"},            {"by", "Door"},
    {"changed_at", "Gewijzigd op"},          {"computed_at", "Berekend op"},
    {"created", "Gemaakt op"},               {"deadline", "Termijn"},
    {"denominator", "Noemer"},               {"expected", "Verwacht"},
    {"expired_by", "Be\xc3\xabindigd door"}, {"first_fired", "Eerst actief op"},
    {"first_reported", "Eerst geleverd op"}, {"goal", "Doel"},
    {"goal_period", "Doelperiode"},          {"id", "Nr"},
    {"indicator", "Indicator"},              {"kind", "Soort"},
    {"last_period", "Laatste periode"},      {"late_months", "Maanden te laat"},
    {"message", "Bericht"},                  {"metric", "Cijfer"},
    {"missing_months", "Maanden ontbrekend"}, {"months_due", "Maanden verwacht"},
    {"months_reported", "Maanden geleverd"}, {"name", "Naam"},
    {"note", "Notitie"},                     {"numerator", "Teller"},
    {"on_path", "Op het pad"},               {"organisation", "Organisatie"},
    {"path", "Pad"},                         {"period", "Periode"},
    {"plausible", "Kan kloppen"},            {"reason", "Reden"},
    {"reference", "Vergelijkingswaarde"},    {"reported", "Geleverd"},
    {"reporter", "Leverancier"},             {"rule", "Regel"},
    {"severity", "Ernst"},                   {"silence_id", "Stilte"},
    {"silenced_until", "Stil tot"},          {"starts", "Begint op"},
    {"state", "Status"},                     {"status", "Status"},
    {"threshold", "Grens"},                  {"unit", "Eenheid"},
    {"until", "Tot"},                        {"value", "Waarde"},
    {"verdict", "Oordeel"},                  {"version", "Versie"},
    {"on_time", "Op tijd"},                  {"late", "Te laat"},
    {"missing", "Ontbreekt"},                {"open", "Open"},
    {"label", "Omschrijving"},
};

const char *xlsx_heading(const char *column)
{
    for (size_t i = 0; i < sizeof headings / sizeof headings[0]; i++)
        if (!strcmp(headings[i][0], column))
            return headings[i][1];
    return column;
}

/* The sheet's name by the command. */
static const char *sheet_name(const char *command)
{
    return !strcmp(command, "snapshot")       ? "Stand"
           : !strcmp(command, "series")       ? "Reeks"
           : !strcmp(command, "completeness") ? "Volledigheid"
           : !strcmp(command, "alerts")       ? "Signaleringen"
           : !strcmp(command, "silences")     ? "Stiltes"
                                              : "Tabel";
}

/* Whether a column holds codes that may look like numbers (a year "2026", an id). */
static bool text_column(const char *column)
{
    size_t l = strlen(column);
    return (l >= 6 && !strcmp(column + l - 6, "period")) || !strcmp(column, "area") ||
           !strcmp(column, "reporter") || !strcmp(column, "organisation");
}

/* Fill the workbook at path. 0 or -1. */
static int fill(const sheet_t *s, const char *command, const char *path)
{
    lxw_workbook *wb = workbook_new(path);
    if (!wb)
        return -1;
    lxw_worksheet *ws = workbook_add_worksheet(wb, sheet_name(command));
    lxw_format *bold = workbook_add_format(wb), *whole = workbook_add_format(wb),
               *frac = workbook_add_format(wb);
    int rc = ws && bold && whole && frac ? 0 : -1;
    if (rc == 0) {
        format_set_bold(bold);
        format_set_num_format(whole, "#,##0");
        format_set_num_format(frac, "#,##0.0###");
    }
    for (size_t i = 0; rc == 0 && i < s->n && i <= LXW_ROW_MAX - 1; i++) {
        for (size_t k = 0; rc == 0 && k < s->rows[i].n && k < LXW_COL_MAX; k++) {
            const char *c = s->rows[i].cells[k];
            lxw_error e;
            if (i == 0) {
                e = worksheet_write_string(ws, 0, (lxw_col_t)k, xlsx_heading(c), bold);
            } else if (sheet_is_number(c) && !text_column(s->rows[0].n > k ? s->rows[0].cells[k] : "")) {
                double v = strtod(c, NULL);
                e = worksheet_write_number(ws, (lxw_row_t)i, (lxw_col_t)k, v,
                                           strpbrk(c, ".eE") ? frac : whole);
            } else if (c[0]) {
                e = worksheet_write_string(ws, (lxw_row_t)i, (lxw_col_t)k, c, NULL);
            } else {
                e = LXW_NO_ERROR; /* an empty cell: none */
            }
            rc = e == LXW_NO_ERROR ? 0 : -1;
        }
    }
    if (rc == 0 && s->n)
        worksheet_freeze_panes(ws, 1, 0);
    /* workbook_close writes the file and frees the workbook, also after an error */
    lxw_error closed = workbook_close(wb);
    return rc == 0 && closed == LXW_NO_ERROR ? 0 : -1;
}

/* Copy the file at path onto out. 0 or -1. */
static int copy(const char *path, FILE *out)
{
    FILE *in = fopen(path, "rb");
    if (!in)
        return -1;
    char buf[8192];
    size_t n;
    int rc = 0;
    while (rc == 0 && (n = fread(buf, 1, sizeof buf, in)) > 0)
        rc = fwrite(buf, 1, n, out) == n ? 0 : -1;
    if (ferror(in))
        rc = -1;
    fclose(in);
    return rc;
}

int xlsx_write(const sheet_t *s, const char *command, FILE *out)
{
    const char *dir = getenv("TMPDIR");
    char path[4096];
    if (snprintf(path, sizeof path, "%s/leamon-XXXXXX", dir && dir[0] ? dir : "/tmp") >=
        (int)sizeof path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    close(fd);
    errno = 0;
    int rc = fill(s, command, path);
    if (rc == 0)
        rc = copy(path, out);
    int saved = errno;
    unlink(path);
    errno = saved;
    return rc;
}
