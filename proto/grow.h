/* grow.h: one way to grow an array (as git's ALLOC_GROW): room for at least need items,
 * doubling from 16, so that appending n items one by one costs O(n).
 *
 *     if (GROW(list->items, list->cap, list->n + 1) != 0)
 *         return -1;            (out of memory: the array is as it was)
 *     list->items[list->n++] = item;
 */
#ifndef LEAMON_GROW_H
#define LEAMON_GROW_H

#include <stddef.h>

/* *arrayp points to an array of *cap items of elem bytes (NULL and 0 at first). Never more
 * than most items (0: no bound). 0, or -1 when the memory cannot be had or need > most. */
int grow_array(void *arrayp, size_t *cap, size_t need, size_t most, size_t elem);

#define GROW(array, cap, need) grow_array(&(array), &(cap), (need), 0, sizeof *(array))
#define GROW_AT_MOST(array, cap, need, most)                                               \
    grow_array(&(array), &(cap), (need), (most), sizeof *(array))

#endif
