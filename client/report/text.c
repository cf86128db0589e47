/* text.c: Dutch wording and numbers for the report's page (see text.h). */
#include "report/text.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "period.h"

void nl_number(char *buf, size_t n, double v, int decimals)
{
    if (!isfinite(v)) {
        snprintf(buf, n, "\xe2\x80\x93");
        return;
    }
    char tmp[64];
    if (decimals < 0) {
        if (v == floor(v) && fabs(v) < 1e15) {
            decimals = 0;
        } else {
            /* at most two decimals, trailing zeros dropped */
            decimals = 2;
            snprintf(tmp, sizeof tmp, "%.2f", v);
            size_t l = strlen(tmp);
            while (decimals > 0 && tmp[l - 1] == '0') {
                tmp[--l] = '\0';
                decimals--;
            }
        }
    }
    snprintf(tmp, sizeof tmp, "%.*f", decimals, v);
    /* "-0", "-0,0" after rounding are zero */
    if (tmp[0] == '-' && strspn(tmp + 1, "0.") == strlen(tmp + 1))
        memmove(tmp, tmp + 1, strlen(tmp));
    const char *p = tmp;
    char out[96];
    size_t o = 0;
    if (*p == '-')
        out[o++] = *p++;
    size_t intlen = strcspn(p, ".");
    for (size_t i = 0; i < intlen; i++) {
        if (i > 0 && (intlen - i) % 3 == 0 && intlen > 3)
            out[o++] = '.';
        out[o++] = p[i];
    }
    if (p[intlen] == '.') {
        out[o++] = ',';
        for (const char *q = p + intlen + 1; *q && o < sizeof out - 1; q++)
            out[o++] = *q;
    }
    out[o] = '\0';
    snprintf(buf, n, "%s", out);
}

void nl_value(char *buf, size_t n, double v, const char *unit, int pct_decimals)
{
    char num[64];
    if (!isfinite(v)) {
        snprintf(buf, n, "\xe2\x80\x93");
        return;
    }
    if (!unit)
        unit = "";
    if (!strcmp(unit, "percent")) {
        nl_number(num, sizeof num, v, pct_decimals);
        snprintf(buf, n, "%s%%", num);
    } else if (!strcmp(unit, "hours")) {
        nl_number(num, sizeof num, v, 1);
        snprintf(buf, n, "%s uur", num);
    } else if (!strcmp(unit, "count") && v == floor(v) && fabs(v) < 1e15) {
        nl_number(buf, n, v, 0);
    } else if (!strcmp(unit, "count") || !unit[0]) {
        nl_number(buf, n, v, pct_decimals);
    } else {
        nl_number(num, sizeof num, v, 1);
        snprintf(buf, n, "%s %s", num, unit);
    }
}

static const char *const months_long[] = {"januari",   "februari", "maart",    "april",
                                          "mei",       "juni",     "juli",     "augustus",
                                          "september", "oktober",  "november", "december"};
static const char *const months_short[] = {"jan", "feb", "mrt", "apr", "mei", "jun",
                                           "jul", "aug", "sep", "okt", "nov", "dec"};

const char *nl_month(int month)
{
    return month >= 1 && month <= 12 ? months_long[month - 1] : "?";
}

const char *nl_month_short(int month)
{
    return month >= 1 && month <= 12 ? months_short[month - 1] : "?";
}

void nl_period(char *buf, size_t n, const char *text)
{
    period p;
    if (period_parse(text, &p) != 0) {
        snprintf(buf, n, "%s", text);
        return;
    }
    switch (p.kind) {
    case PERIOD_MONTH:
        snprintf(buf, n, "%s %d", nl_month(p.index), p.year);
        break;
    case PERIOD_QUARTER:
        snprintf(buf, n, "%de kwartaal %d", p.index, p.year);
        break;
    case PERIOD_YEAR:
        snprintf(buf, n, "%d", p.year);
        break;
    case PERIOD_SCHOOLYEAR:
        snprintf(buf, n, "schooljaar %s", text);
        break;
    }
}
