/* errmsg.h: an error message written into the caller's buffer, the way the
 * client's lower layers (settings, spool, connection) say what went wrong. */
#ifndef LEAMON_ERRMSG_H
#define LEAMON_ERRMSG_H

#include <stddef.h>

/* Format the message into err (errlen bytes, cut short if need be; nothing
 * when errlen is 0). Returns -1, so a failing function can end with
 * `return errmsg(err, errlen, ...)`. */
int errmsg(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
