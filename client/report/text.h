/* text.h: Dutch for the report's page: numbers with a decimal comma,
 * values in their unit, months, periods and times in words. Pure: nothing
 * here talks to the daemon or reads a reply. */
#ifndef LEAMON_REPORT_TEXT_H
#define LEAMON_REPORT_TEXT_H

#include <stddef.h>

/* Room for any text the nl_* functions write. */
#define NL_TEXT_MAX 80

/* v with a decimal comma and a '.' between thousands: 1.250 / 79,2 / -0,5.
 * decimals < 0: whole numbers without decimals, others with at most two. */
void nl_number(char *buf, size_t n, double v, int decimals);

/* A value in its unit, Dutch: percent "79,2%", hours "15,5 uur", count "42"
 * (a fraction keeps one decimal), others "1.234,5 euro". pct_decimals is the
 * number of decimals of a percentage or a ratio in a count unit (1, or 0 for
 * the published version). Not finite: an en dash. */
void nl_value(char *buf, size_t n, double v, const char *unit, int pct_decimals);

/* "januari".."december" and "jan".."dec" for month 1..12 ("?" otherwise). */
const char *nl_month(int month);
const char *nl_month_short(int month);

/* A period in words: "oktober 2026", "4e kwartaal 2026", "2026",
 * "schooljaar 2025/26"; the text itself when it is not a period. */
void nl_period(char *buf, size_t n, const char *period_text);

#endif
