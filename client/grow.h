/* grow.h: making room in an array that grows as items are appended, by
 * doubling its allocation. */
#ifndef LEAMON_GROW_H
#define LEAMON_GROW_H

#include <stddef.h>

/* items has room for *cap items of size bytes, count of them in use. Returns
 * an array with room for one more: items itself while count < *cap, else
 * items reallocated to twice *cap (first, when *cap is 0), *cap updated.
 * NULL when out of memory or the size would overflow; items and *cap are
 * then as they were. */
void *grow(void *items, size_t *cap, size_t count, size_t size, size_t first);

#endif
