/* indicator.h: which way is better for an indicator, as its catalogue entry
 * says (better: "higher", "lower", or "closer" to an ideal value). Shared by
 * the query printers and the report, so both judge a value alike. */
#ifndef LEAMON_INDICATOR_H
#define LEAMON_INDICATOR_H

#include <stdbool.h>

/* 1 if value is as good as mark or better (on the path, goal reached) for an indicator
 * whose `better` is "higher", "lower" or "closer" (to ideal), 0 if worse, -1 if it does
 * not say which way is better. */
int indicator_judge(const char *better, bool has_ideal, double ideal, double value, double mark);

#endif
