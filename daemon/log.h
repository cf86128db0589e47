/* log.h: one line per event.
 *
 * Under systemd (JOURNAL_STREAM set) each goes to journald with its priority and, when the
 * event has them, the fields LEAMON_REPORTER, LEAMON_REQUEST_ID and LEAMON_ALERT_ID, so
 * that `journalctl LEAMON_REPORTER=ko-a` finds one partner's requests. Elsewhere it is a
 * line on stderr: "2026-12-04T19:55:18.123Z leamond: warning: ...". */
#ifndef LEAMON_LOG_H
#define LEAMON_LOG_H

#include <stdbool.h>

typedef enum { LOG_ERR = 3, LOG_WARNING = 4, LOG_INFO = 6, LOG_DEBUG = 7 } log_level;

/* What an event is about, for journald's fields ("" / 0: not about one). */
typedef struct {
    const char *reporter, *request_id;
    long long alert_id;
} log_about;

typedef struct log_ctx log_ctx;
struct log_ctx {
    log_level level;   /* lines above this level are dropped */
    bool journal;      /* stderr goes to journald */
    /* Where journald entries go: sd_journal_sendv, or a test's stand-in. fields holds
     * "NAME=value" strings; 0 or a negative errno. */
    int (*journal_send)(const log_ctx *lg, const char *const *fields, int n);
    void *journal_ctx;
};

void log_init(log_ctx *lg, log_level level);
int log_level_parse(const char *name, log_level *out);
const char *log_level_name(log_level level);
void log_msg(const log_ctx *lg, log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The same, about a reporter, a request or an alert. */
void log_event(const log_ctx *lg, log_level level, const log_about *about, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
