/* errors.c: the list of problems found in one request (proto.h, proto_errors). */
#include "proto.h"
#include "grow.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void proto_errors_init(proto_errors *errs)
{
    memset(errs, 0, sizeof *errs);
}

void proto_errors_free(proto_errors *errs)
{
    free(errs->items);
    memset(errs, 0, sizeof *errs);
}

void proto_errors_sort(proto_errors *errs)
{
    /* Insertion sort: stable, and the list holds at most PROTO_MAX_ERRORS items. */
    for (size_t i = 1; i < errs->count; i++) {
        proto_error e = errs->items[i];
        size_t j = i;
        for (; j > 0 && errs->items[j - 1].index > e.index; j--)
            errs->items[j] = errs->items[j - 1];
        errs->items[j] = e;
    }
}

void proto_errors_add(proto_errors *errs, long index, const char *field, const char *code,
                      const char *fmt, ...)
{
    errs->total++;
    if (errs->count >= PROTO_MAX_ERRORS)
        return;
    if (GROW_AT_MOST(errs->items, errs->cap, errs->count + 1, PROTO_MAX_ERRORS) != 0)
        return; /* still counted in total; the reply says how many */
    proto_error *e = &errs->items[errs->count++];
    e->index = index;
    snprintf(e->field, sizeof e->field, "%s", field);
    snprintf(e->code, sizeof e->code, "%s", code);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
}
