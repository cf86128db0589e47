/* log.h: one line per event on stderr, with a severity prefix.
 *
 * Under systemd (JOURNAL_STREAM set) lines start with "<N>", the sd-daemon
 * prefix journald turns into a priority; on a terminal they read
 * "leamond: warning: ...". */
#ifndef LEAMON_LOG_H
#define LEAMON_LOG_H

#include <stdbool.h>

typedef enum { LOG_ERR = 3, LOG_WARNING = 4, LOG_INFO = 6, LOG_DEBUG = 7 } log_level;

typedef struct {
    log_level level;   /* lines above this level are dropped */
    bool journal;      /* stderr goes to journald */
} log_ctx;

void log_init(log_ctx *lg, log_level level);
int log_level_parse(const char *name, log_level *out);
const char *log_level_name(log_level level);
void log_msg(const log_ctx *lg, log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
