/* log.c: log lines on stderr: a severity for journald, a time and a severity elsewhere. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void log_init(log_ctx *lg, log_level level)
{
    lg->level = level;
    lg->journal = getenv("JOURNAL_STREAM") != NULL;
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

void log_msg(const log_ctx *lg, log_level level, const char *fmt, ...)
{
    if (level > lg->level)
        return;
    /* One fprintf of a fully formatted line keeps lines whole. */
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (lg->journal) { /* journald stamps the time itself */
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
