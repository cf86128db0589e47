/* grow.c: growing arrays by doubling (grow.h). */
#include "grow.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int grow_array(void *arrayp, size_t *cap, size_t need, size_t most, size_t elem)
{
    if (need <= *cap)
        return 0;
    if (most && need > most)
        return -1;
    size_t want = *cap ? *cap : 16;
    while (want < need) {
        if (want > SIZE_MAX / 2)
            return -1;
        want *= 2;
    }
    if (most && want > most)
        want = most;
    if (elem && want > SIZE_MAX / elem)
        return -1;
    /* The array's pointer is read and written through memcpy: arrayp is any T **. */
    void *items;
    memcpy(&items, arrayp, sizeof items);
    void *more = realloc(items, want * elem);
    if (!more)
        return -1;
    memcpy(arrayp, &more, sizeof more);
    *cap = want;
    return 0;
}
