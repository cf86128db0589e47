/* identity.c: names of the sender of a request. */
#include "identity.h"

const char *identity_id(const identity *who)
{
    switch (who->type) {
    case IDENT_ORG: return who->org->id;
    case IDENT_STAFF: return who->staff->id;
    case IDENT_ANONYMOUS: break;
    }
    return "";
}

const char *identity_role(const identity *who)
{
    switch (who->type) {
    case IDENT_ORG: return role_name(ROLE_PARTNER);
    case IDENT_STAFF: return role_name(who->staff->role);
    case IDENT_ANONYMOUS: break;
    }
    return "anonymous";
}
