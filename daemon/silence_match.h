/* silence_match.h: whether a silence holds an alert (PROTOCOL.md §5.10), without database
 * or clock: the registry says what the alert's rule watches and which areas lie above
 * the alert's. */
#ifndef LEAMON_SILENCE_MATCH_H
#define LEAMON_SILENCE_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "store_alert.h"

/* What a silence's matchers are compared with. */
typedef struct {
    const char *rule;
    const char *indicator;     /* the rule's indicator; "" for a late rule or one no longer
                                * in the catalogue */
    const char *area;          /* the alert's area code */
    int at;                    /* its index in parts, -1 when the partners file lost it */
    const partners *parts;
    const char *organisation;  /* late: the organisation; else "" */
    const char *severity;
} silence_subject;

/* The subject of a stored alert; its strings point into a and reg. */
void silence_subject_of(const registry *reg, const stored_alert *a, silence_subject *out);

/* Every matcher that is not "" matches: the rule, the rule's indicator, the area or one
 * above the alert's, the organisation, the severity. Time is not looked at. */
bool silence_matches(const stored_silence *si, const silence_subject *s);

/* In force at now: starts <= now < ends. */
bool silence_in_force(const stored_silence *si, int64_t now);

/* "active", "pending" (starts after now) or "expired" (ended at or before now). */
const char *silence_state(const stored_silence *si, int64_t now);

/* Of rows, the silence in force at now that matches s with the latest end (the lowest
 * id among equal ends): its index, or -1 when none holds s. */
long silence_holding(const stored_silence *rows, size_t n, const silence_subject *s,
                     int64_t now);

#endif
