/* main.c: leamond's command line; everything else lives in server.c. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <errno.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "keyfile.h"
#include "server.h"

#define DEFAULT_CONFIG "/etc/leamon/leamond.conf"

static void usage(FILE *out)
{
    fprintf(out,
"Usage: leamond [OPTIONS]\n"
"\n"
"leamond receives monthly figures from the partners of a Lokale Educatieve Agenda\n"
"(childcare, schools, the RBL, the GGD) over ZeroMQ, checks them against the metric\n"
"catalogue and the partners file, and stores them durably in SQLite: a reply of\n"
"success means the figures are on disk.\n"
"\n"
"Options:\n"
"  -c, --config FILE     configuration file (default " DEFAULT_CONFIG ")\n"
"      --database PATH   use this database instead of the configured one\n"
"      --listen ENDPOINT listen here instead of the configured endpoint\n"
"      --check           load and check the configuration, print the effective\n"
"                        settings, and exit (0 if valid, 1 if not)\n"
"  -v, --verbose         log every request (log_level debug)\n"
"  -h, --help            this text\n"
"  -V, --version         print the version\n"
"\n"
"Settings of the configuration file (libconfig syntax, `name = value;`):\n");
    settings_help(out);
    fprintf(out,
"\n"
"Signals:\n"
"  SIGTERM, SIGINT  stop reading requests, commit and answer those already received, exit 0\n"
"  SIGHUP           reload the catalogue and partners files; if either is invalid the\n"
"                   running configuration stays and the error is logged\n"
"\n"
"Logging: one line per event on stderr, opening with its time in UTC; under systemd to\n"
"journald, with the fields LEAMON_REPORTER, LEAMON_REQUEST_ID and LEAMON_ALERT_ID.\n"
"\n"
"Exit status: 0 after a clean stop or a valid --check; 1 if the configuration,\n"
"database or endpoint cannot be used (the reason names file, line and setting);\n"
"2 on a usage error.\n");
}

/* Every connection is a file descriptor: take all the kernel allows, not the 1024 a
 * shell's soft limit gives, so that idle connections cannot lock partners out. */
static void raise_open_files(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
            fprintf(stderr, "leamond: warning: cannot raise the open-file limit: %s\n",
                    strerror(errno));
    }
}

/* A late rule looks back a year: an owed_from further back than that makes every partner
 * late at the first start. */
static void warn_owed_from(const catalog *cat)
{
    period now;
    if (!cat->has_owed_from || period_of_time(time(NULL), &now) != 0)
        return;
    int months = period_first_month(&now) - period_first_month(&cat->owed_from);
    if (months > 12)
        fprintf(stderr, "leamond: warning: the catalogue's owed_from lies %d months back: every "
                "partner that has not sent its history is late at the first start\n", months);
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"config", required_argument, NULL, 'c'},  {"database", required_argument, NULL, 'd'},
        {"listen", required_argument, NULL, 'l'},  {"check", no_argument, NULL, 'k'},
        {"verbose", no_argument, NULL, 'v'},       {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},       {NULL, 0, NULL, 0},
    };
    const char *config = DEFAULT_CONFIG, *database = NULL, *listen = NULL;
    bool check = false, verbose = false;
    int c;
    while ((c = getopt_long(argc, argv, "c:vhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'c': config = optarg; break;
        case 'd': database = optarg; break;
        case 'l': listen = optarg; break;
        case 'k': check = true; break;
        case 'v': verbose = true; break;
        case 'h': usage(stdout); return 0;
        case 'V': printf("leamond " LEAMOND_VERSION "\n"); return 0;
        default:
            fprintf(stderr, "Try 'leamond --help'.\n");
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "leamond: unexpected argument '%s'\nTry 'leamond --help'.\n",
                argv[optind]);
        return 2;
    }

    settings set;
    lm_error e;
    if (settings_load(&set, config, &e) < 0) {
        fprintf(stderr, "leamond: error: %s\n", e.msg);
        return 1;
    }
    if (database && snprintf(set.database, sizeof set.database, "%s", database) >= (int)sizeof set.database) {
        fprintf(stderr, "leamond: error: --database: path too long\n");
        return 1;
    }
    if (listen && snprintf(set.listen, sizeof set.listen, "%s", listen) >= (int)sizeof set.listen) {
        fprintf(stderr, "leamond: error: --listen: endpoint too long\n");
        return 1;
    }
    if (verbose)
        snprintf(set.log_level, sizeof set.log_level, "debug");

    if (check) {
        registry reg;
        char secret[KEY_Z85_LEN + 1];
        if (registry_load(&reg, &set, &e) < 0) {
            fprintf(stderr, "leamond: error: %s\n", e.msg);
            return 1;
        }
        routing rt;
        int bad = routing_load(&rt, &set, &reg, &e);
        routing_free(&rt);
        warn_owed_from(&reg.cat);
        registry_free(&reg);
        if (bad < 0) {
            fprintf(stderr, "leamond: error: %s\n", e.msg);
            return 1;
        }
        if (server_check_endpoint(&set, &e) < 0) {
            fprintf(stderr, "leamond: error: %s\n", e.msg);
            return 1;
        }
        if (set.server_secret_key_file[0] &&
            keyfile_read_secret(set.server_secret_key_file, secret, &e) < 0) {
            fprintf(stderr, "leamond: error: %s\n", e.msg);
            return 1;
        }
        memset(secret, 0, sizeof secret);
        settings_print(&set, stdout);
        return 0;
    }

    /* The database, its WAL and the backup copies are nobody else's, whoever starts us. */
    umask(077);
    raise_open_files();
    if (server_block_signals() != 0) {
        fprintf(stderr, "leamond: error: cannot block signals\n");
        return 1;
    }
    server srv;
    int rc = 1;
    if (server_start(&srv, &set, &e) < 0)
        log_msg(&srv.log, LOG_ERR, "%s", e.msg);
    else
        rc = server_run(&srv);
    server_free(&srv);
    return rc;
}
