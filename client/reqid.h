/* reqid.h: request ids, the daemon's idempotency key for a submission: 32
 * random hex characters, or one given with --id. */
#ifndef LEAMON_REQID_H
#define LEAMON_REQID_H

#include "proto.h"

/* A fresh random id (16 bytes of kernel randomness as hex). 0 or -1. */
int reqid_random(char id[PROTO_MAX_ID + 1]);

/* A given id (or any code sent to the daemon) must be 1..PROTO_MAX_ID
 * printable ASCII characters without spaces. 0 or -1. */
int reqid_check(const char *id);

#endif
