/* figure_state.c: open, provisional, final and closed figures (figure_state.h). */
#include "figure_state.h"

#include <math.h>

static const char *const names[] = {"open", "provisional", "final", "closed"};

const char *figure_state_name(figure_state s)
{
    return s >= STATE_OPEN && s <= STATE_CLOSED ? names[s] : "?";
}

time_t figure_deadline(const period *p, long long grace_days)
{
    return period_end(p) + (time_t)(grace_days * 86400);
}

figure_state figure_state_of(const period *p, time_t now, long long grace_days,
                             int64_t expected, int64_t reported, bool closed)
{
    if (closed)
        return STATE_CLOSED;
    if (now < period_end(p))
        return STATE_OPEN;
    if (reported >= expected || now >= figure_deadline(p, grace_days))
        return STATE_FINAL;
    return STATE_PROVISIONAL;
}

bool figure_judgeable(figure_state s, int64_t expected, int64_t reported, double min_reported)
{
    if (s != STATE_FINAL && s != STATE_CLOSED)
        return false;
    /* A share of the expected, rounded up: 0.8 of 4 needs 4 (3.2 is not enough). */
    double need = ceil(min_reported * (double)expected - 1e-9);
    return (double)reported >= need;
}
