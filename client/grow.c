/* grow.c: arrays that grow by doubling (see grow.h). */
#include "grow.h"

#include <stdint.h>
#include <stdlib.h>

void *grow(void *items, size_t *cap, size_t count, size_t size, size_t first)
{
    if (count < *cap)
        return items;
    size_t ncap = *cap ? *cap * 2 : first;
    if (ncap <= count || ncap < *cap || (size && ncap > SIZE_MAX / size))
        return NULL;
    void *p = realloc(items, ncap * size);
    if (!p)
        return NULL;
    *cap = ncap;
    return p;
}
