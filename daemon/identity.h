/* identity.h: who sent a request, as the daemon knows it. */
#ifndef LEAMON_IDENTITY_H
#define LEAMON_IDENTITY_H

#include "partners.h"

typedef enum { IDENT_ANONYMOUS, IDENT_ORG, IDENT_STAFF } identity_type;

/* Pointers into the registry in force while the request is handled. */
typedef struct {
    identity_type type;
    const organisation *org;
    const staff_member *staff;
} identity;

const char *identity_id(const identity *who);   /* "" for anonymous */
const char *identity_role(const identity *who); /* partner, viewer, admin, anonymous */

#endif
