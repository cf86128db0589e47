/* text.h: Dutch for the report's page: numbers with a decimal comma,
 * values in their unit, months, periods and times in words, and the names
 * of the daemon's words (alert states, rule kinds, partner kinds, reasons).
 * Pure: nothing here talks to the daemon or reads a reply. */
#ifndef LEAMON_REPORT_TEXT_H
#define LEAMON_REPORT_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

/* The period text of a month number (period_month_from_number): "2026-10",
 * or "?" when it has none. Not Dutch: what requests and data-* attributes
 * carry. */
void month_code(char *buf, size_t n, int month_number);

/* A month number shortly: "okt 2026". */
void nl_month_year(char *buf, size_t n, int month_number);

/* A period text shortly: "okt 2026" for a month, the text itself for any
 * other period. */
void nl_period_short(char *buf, size_t n, const char *period_text);

/* From the first period to the last, shortly: "aug 2026 – okt 2026";
 * only the first when last is "" or the same. */
void nl_period_span(char *buf, size_t n, const char *first, const char *last);

/* Unix seconds in local time: "05-11-2026 14:02" with_time, else
 * "5 november 2026"; the number itself when it is out of range. */
void nl_time(char *buf, size_t n, int64_t t, bool with_time);

/* The daemon's reason for a missing value, in Dutch where it is known
 * ("geen cijfers voor de teller (...)"); "geen cijfers" when there is none. */
void nl_reason(char *buf, size_t n, const char *reason);

/* The daemon's words in Dutch, or the word itself when it is not known: an
 * alert's state (pending, firing, resolved), its severity (warning,
 * critical), a rule's kind (below, above, slip, off_track, late), a
 * partner's kind (kinderopvang, ggd, school_po, ...). */
const char *nl_alert_state(const char *state);
const char *nl_severity(const char *severity);
const char *nl_rule_kind(const char *kind);
const char *nl_partner_kind(const char *kind);

/* The place of a partner kind in the report's order (kinderopvang first,
 * gemeente last); an unknown kind comes after all of them. */
int partner_kind_rank(const char *kind);

/* How final a figure is, as the daemon says (state open, provisional, final,
 * closed), for its period of kind (period_kind): "voorlopig: 2 van 17
 * partners", "lopende maand" (kwartaal, jaar, schooljaar); "" for a final or
 * closed one. */
void nl_state(char *buf, size_t n, const char *state, int64_t expected, int64_t reported,
              int kind);

/* Whether the daemon's state of a figure says it is not final yet: open or
 * provisional. */
bool state_not_final(const char *state);

/* What an indicator's better (higher, lower, closer) means: "Hoger is
 * beter", ...; "" when it says none. */
const char *nl_better(const char *better);

/* The label of an alert rule's level in a chart, by the rule's kind: below
 * or above "signaalgrens wijk: < 70%" (threshold in unit), off_track
 * "signaalzone wijk: meer dan 2 onder het pad" (boven when better is
 * lower). where is the level the rule watches ("wijk"), or "". */
void nl_band_label(char *buf, size_t n, const char *kind, const char *where, double threshold,
                   const char *unit, const char *better);

#endif

/* Why the daemon did not judge a figure (a verdict's reason when not_judged), in a few
 * Dutch words: "het doel geldt per schooljaar; dit is een maandcijfer", "de waarde kan
 * niet kloppen", "nog geen pad"; "" for a period that is open or provisional (the figure's
 * state says that already) and for a reason this leamon does not know. */
void nl_not_judged(char *buf, size_t n, const char *reason);

/* Whether the daemon's reason for a reached or not_reached verdict names a standing
 * norm ("meets the norm that holds since 2020") rather than a goal for one period. */
bool reason_is_norm(const char *reason);
