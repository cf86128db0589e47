/* indicator.c: which way is better for an indicator (see indicator.h). */
#include "indicator.h"

#include <math.h>
#include <string.h>

int indicator_judge(const char *better, bool has_ideal, double ideal, double value, double mark)
{
    const double eps = 1e-9;
    if (!strcmp(better, "higher"))
        return value >= mark - eps;
    if (!strcmp(better, "lower"))
        return value <= mark + eps;
    if (!strcmp(better, "closer") && has_ideal)
        return fabs(value - ideal) <= fabs(mark - ideal) + eps;
    return -1;
}
