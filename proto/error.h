/* error.h: what went wrong, for a reply or a message: a status and a sentence.
 *
 * One error type for the whole program. status is a reply status (proto.h: 400, 404,
 * 500 ...) where the error becomes a reply, else 0. The message is written for the person
 * who has to act on it, naming the record, field or file concerned. */
#ifndef LEAMON_ERROR_H
#define LEAMON_ERROR_H

#include <stdbool.h>

#define LM_ERROR_MAX 512

typedef struct {
    int status;
    char msg[LM_ERROR_MAX];
} lm_error;

/* Set *e (when e is not NULL) and return -1, so that `return lm_fail(e, ...);` ends a
 * function that failed. */
int lm_fail(lm_error *e, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Empty: no error. */
void lm_error_clear(lm_error *e);

#endif
