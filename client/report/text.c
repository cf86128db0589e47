/* text.c: Dutch wording and numbers for the report's page (see text.h). */
#include "report/text.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

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

void month_code(char *buf, size_t n, int month_number)
{
    period m = period_month_from_number(month_number);
    if (period_format(&m, buf, n) != 0)
        snprintf(buf, n, "?");
}

void nl_month_year(char *buf, size_t n, int month_number)
{
    period m = period_month_from_number(month_number);
    snprintf(buf, n, "%s %d", nl_month_short(m.index), m.year);
}

void nl_period_short(char *buf, size_t n, const char *period_text)
{
    period p;
    if (period_parse(period_text, &p) == 0 && p.kind == PERIOD_MONTH)
        snprintf(buf, n, "%s %d", nl_month_short(p.index), p.year);
    else
        snprintf(buf, n, "%s", period_text);
}

void nl_period_span(char *buf, size_t n, const char *first, const char *last)
{
    char a[NL_TEXT_MAX], c[NL_TEXT_MAX];
    nl_period_short(a, sizeof a, first);
    if (!last[0] || !strcmp(first, last)) {
        snprintf(buf, n, "%s", a);
        return;
    }
    nl_period_short(c, sizeof c, last);
    snprintf(buf, n, "%s \xe2\x80\x93 %s", a, c);
}

void nl_time(char *buf, size_t n, int64_t t, bool with_time)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if ((int64_t)tt != t || !localtime_r(&tt, &tm)) {
        snprintf(buf, n, "%lld", (long long)t);
        return;
    }
    if (with_time)
        snprintf(buf, n, "%02d-%02d-%04d %02d:%02d", tm.tm_mday, tm.tm_mon + 1, tm.tm_year + 1900,
                 tm.tm_hour, tm.tm_min);
    else
        snprintf(buf, n, "%d %s %d", tm.tm_mday, nl_month(tm.tm_mon + 1), tm.tm_year + 1900);
}

void nl_reason(char *buf, size_t n, const char *reason)
{
    static const struct {
        const char *en, *nl;
    } known[] = {
        {"no figures for the denominator ", "geen cijfers voor de noemer "},
        {"no figures for the numerator ", "geen cijfers voor de teller "},
        {"the denominator ", "de noemer "},
        {"no figure had been computed by then", "toen nog niet berekend"},
        {"no figures for ", "geen cijfers voor "},
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        size_t l = strlen(known[i].en);
        if (!strncmp(reason, known[i].en, l)) {
            snprintf(buf, n, "%s%s", known[i].nl, reason + l);
            return;
        }
    }
    snprintf(buf, n, "%s", reason[0] ? reason : "geen cijfers");
}

const char *nl_alert_state(const char *state)
{
    return !strcmp(state, "pending")    ? "in aanloop"
           : !strcmp(state, "firing")   ? "actief"
           : !strcmp(state, "resolved") ? "opgelost"
                                        : state;
}

const char *nl_severity(const char *severity)
{
    return !strcmp(severity, "warning")    ? "waarschuwing"
           : !strcmp(severity, "critical") ? "kritiek"
                                           : severity;
}

const char *nl_rule_kind(const char *kind)
{
    return !strcmp(kind, "below")       ? "onder de grens"
           : !strcmp(kind, "above")     ? "boven de grens"
           : !strcmp(kind, "slip")      ? "daling"
           : !strcmp(kind, "off_track") ? "naast het pad"
           : !strcmp(kind, "late")        ? "niet geleverd"
           : !strcmp(kind, "implausible") ? "kan niet kloppen"
                                        : kind;
}

/* The partner kinds in the report's order, with their names. */
static const char *const partner_kinds[][2] = {
    {"kinderopvang", "kinderopvang"},      {"ggd", "GGD / JGZ"},
    {"school_po", "basisschool"},          {"school_so", "speciaal onderwijs"},
    {"school_vo", "voortgezet onderwijs"}, {"mbo", "mbo"},
    {"rbl", "leerplicht (RBL)"},           {"gemeente", "gemeente"}};
#define PARTNER_KINDS (sizeof partner_kinds / sizeof partner_kinds[0])

const char *nl_partner_kind(const char *kind)
{
    int rank = partner_kind_rank(kind);
    return rank < (int)PARTNER_KINDS ? partner_kinds[rank][1] : kind;
}

int partner_kind_rank(const char *kind)
{
    for (size_t i = 0; i < PARTNER_KINDS; i++)
        if (!strcmp(kind, partner_kinds[i][0]))
            return (int)i;
    return (int)PARTNER_KINDS;
}

void nl_state(char *buf, size_t n, const char *state, int64_t expected, int64_t reported,
              int kind)
{
    static const char *const running[] = {"lopende maand", "lopend kwartaal", "lopend jaar",
                                          "lopend schooljaar"};
    if (!strcmp(state, "provisional"))
        snprintf(buf, n, "voorlopig: %lld van %lld partners", (long long)reported,
                 (long long)expected);
    else if (!strcmp(state, "open"))
        snprintf(buf, n, "%s", kind >= PERIOD_MONTH && kind <= PERIOD_SCHOOLYEAR
                                   ? running[kind] : "lopende periode");
    else
        snprintf(buf, n, "%s", "");
}

bool state_not_final(const char *state)
{
    return !strcmp(state, "open") || !strcmp(state, "provisional");
}

const char *nl_better(const char *better)
{
    return !strcmp(better, "higher")   ? "Hoger is beter"
           : !strcmp(better, "lower")  ? "Lager is beter"
           : !strcmp(better, "closer") ? "Dichter bij de ideale waarde is beter"
                                       : "";
}

void nl_band_label(char *buf, size_t n, const char *kind, const char *where, double threshold,
                   const char *unit, const char *better)
{
    char v[NL_TEXT_MAX];
    if (!strcmp(kind, "off_track")) {
        nl_number(v, sizeof v, threshold, -1);
        snprintf(buf, n, "signaalzone%s%s: meer dan %s%s %s het pad", where[0] ? " " : "", where, v,
                 unit && !strcmp(unit, "percent") ? " procentpunt" : "",
                 !strcmp(better, "lower") ? "boven" : "onder");
    } else {
        nl_value(v, sizeof v, threshold, unit, 1);
        snprintf(buf, n, "signaalgrens%s%s: %s %s", where[0] ? " " : "", where,
                 kind[0] == 'b' ? "<" : ">", v);
    }
}

/* "month" etc. as the daemon's reasons name kinds of period, in Dutch. */
static const char *nl_kind_word(const char *en, size_t len)
{
    static const char *const words[][2] = {
        {"month", "maand"}, {"quarter", "kwartaal"}, {"year", "jaar"},
        {"school year", "schooljaar"}, {"schoolyear", "schooljaar"}};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strlen(words[i][0]) == len && !strncmp(en, words[i][0], len))
            return words[i][1];
    return NULL;
}

void nl_not_judged(char *buf, size_t n, const char *reason)
{
    static const char set_per[] = "the target is set per ";
    snprintf(buf, n, "%s", "");
    if (strstr(reason, "has not ended yet") || !strncmp(reason, "provisional:", 12))
        return;
    if (!strncmp(reason, "no value for ", 13)) {
        snprintf(buf, n, "%s", "geen waarde");
    } else if (strstr(reason, "cannot be true")) {
        snprintf(buf, n, "%s", "de waarde kan niet kloppen");
    } else if (strstr(reason, "has no path")) {
        snprintf(buf, n, "%s", "er is geen pad naar het doel (geen uitgangswaarde)");
    } else if (!strncmp(reason, set_per, sizeof set_per - 1)) {
        /* "the target is set per school year; 2026-11 is a month" */
        const char *goal = reason + sizeof set_per - 1, *semi = strchr(goal, ';'),
                   *is_a = strstr(goal, " is a ");
        const char *g = semi ? nl_kind_word(goal, (size_t)(semi - goal)) : NULL,
                   *f = is_a ? nl_kind_word(is_a + 6, strlen(is_a + 6)) : NULL;
        if (g && f)
            snprintf(buf, n, "het doel geldt per %s; dit is een %scijfer", g, f);
        else
            snprintf(buf, n, "%s", "het doel geldt voor een andere soort periode");
    } else if (!strncmp(reason, "the target is judged per ", 25)) {
        snprintf(buf, n, "%s", "het doel geldt voor een andere soort periode");
    }
}

bool reason_is_norm(const char *reason)
{
    return strstr(reason, "the norm that holds") != NULL;
}
