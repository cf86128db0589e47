/* error.c: the one error setter (error.h). */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>

int lm_fail(lm_error *e, int status, const char *fmt, ...)
{
    if (!e)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    e->status = status;
    return -1;
}

void lm_error_clear(lm_error *e)
{
    e->status = 0;
    e->msg[0] = '\0';
}
