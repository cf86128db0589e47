/* validate.h: checking a submission's records against the catalogue and the sender's rights. */
#ifndef LEAMON_VALIDATE_H
#define LEAMON_VALIDATE_H

#include <stdint.h>
#include <time.h>

#include "config.h"
#include "identity.h"
#include "proto.h"

/* Check every record of req, sent by org at time now; add one error per bad field to errs.
 * Fills in defaults (an empty area becomes org's home area) and canonical periods.
 * Returns the number of errors added. */
size_t validate_submission(proto_request *req, const organisation *org, const registry *reg,
                           time_t now, proto_errors *errs);

/* Hash of a (validated) submission's records, to tell a retry from a reused request id. */
uint64_t validate_digest(const proto_request *req);

#endif
