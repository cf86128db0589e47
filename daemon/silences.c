/* silences.c: the silence holding an alert now (silences.h). */
#include "silences.h"

#include <stdlib.h>

#include "silence_match.h"

int silences_holding(store *db, const registry *reg, const stored_alert *a, time_t now,
                     silence_hold *out)
{
    stored_silence *rows = NULL;
    size_t n = 0;
    out->id = out->ends = 0;
    if (store_silences_open(db, (int64_t)now, &rows, &n) < 0) {
        free(rows);
        return -1;
    }
    silence_subject s;
    silence_subject_of(reg, a, &s);
    long i = silence_holding(rows, n, &s, (int64_t)now);
    if (i >= 0) {
        out->id = rows[i].id;
        out->ends = rows[i].ends;
    }
    free(rows);
    return i >= 0;
}
