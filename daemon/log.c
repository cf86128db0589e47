/* log.c: log lines on stderr: a severity for journald, a time and a severity elsewhere. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <systemd/sd-journal.h>
#include <time.h>

static int send_to_journal(const log_ctx *lg, const char *const *fields, int n)
{
    (void)lg;
    struct iovec iov[8];
    for (int i = 0; i < n && i < 8; i++)
        iov[i] = (struct iovec){(void *)fields[i], strlen(fields[i])};
    return sd_journal_sendv(iov, n < 8 ? n : 8);
}

void log_init(log_ctx *lg, log_level level)
{
    memset(lg, 0, sizeof *lg);
    lg->level = level;
    lg->journal = getenv("JOURNAL_STREAM") != NULL;
    lg->journal_send = send_to_journal;
}

static const struct { log_level level; const char *name; } names[] = {
    {LOG_ERR, "error"}, {LOG_WARNING, "warning"}, {LOG_INFO, "info"}, {LOG_DEBUG, "debug"}};

int log_level_parse(const char *name, log_level *out)
{
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i].name, name) == 0) {
            *out = names[i].level;
            return 0;
        }
    return -1;
}

const char *log_level_name(log_level level)
{
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].level == level)
            return names[i].name;
    return "?";
}

static void emit(const log_ctx *lg, log_level level, const log_about *about, const char *fmt,
                 va_list ap)
{
    if (level > lg->level)
        return;
    /* One write of a fully formatted line keeps lines whole. */
    char line[1024];
    vsnprintf(line, sizeof line, fmt, ap);
    if (lg->journal && lg->journal_send) { /* journald stamps the time itself */
        char message[1100], priority[16], reporter[120], request[120], alert[48];
        const char *fields[6];
        int n = 0;
        snprintf(message, sizeof message, "MESSAGE=%s", line);
        snprintf(priority, sizeof priority, "PRIORITY=%d", (int)level);
        fields[n++] = message;
        fields[n++] = priority;
        fields[n++] = "SYSLOG_IDENTIFIER=leamond";
        if (about && about->reporter && about->reporter[0]) {
            snprintf(reporter, sizeof reporter, "LEAMON_REPORTER=%s", about->reporter);
            fields[n++] = reporter;
        }
        if (about && about->request_id && about->request_id[0]) {
            snprintf(request, sizeof request, "LEAMON_REQUEST_ID=%s", about->request_id);
            fields[n++] = request;
        }
        if (about && about->alert_id) {
            snprintf(alert, sizeof alert, "LEAMON_ALERT_ID=%lld", about->alert_id);
            fields[n++] = alert;
        }
        if (lg->journal_send(lg, fields, n) >= 0)
            return;
        /* journald not there after all: the line goes to stderr as before */
        fprintf(stderr, "<%d>%s\n", (int)level, line);
        return;
    }
    /* Elsewhere an ISO 8601 time in UTC, to the millisecond, opens the line. */
    struct timespec ts;
    struct tm tm;
    char when[40] = "";
    if (clock_gettime(CLOCK_REALTIME, &ts) == 0 && gmtime_r(&ts.tv_sec, &tm) &&
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm))
        snprintf(when + strlen(when), sizeof when - strlen(when), ".%03ldZ ",
                 ts.tv_nsec / 1000000);
    fprintf(stderr, "%sleamond: %s: %s\n", when, log_level_name(level), line);
}

void log_msg(const log_ctx *lg, log_level level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit(lg, level, NULL, fmt, ap);
    va_end(ap);
}

void log_event(const log_ctx *lg, log_level level, const log_about *about, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit(lg, level, about, fmt, ap);
    va_end(ap);
}
