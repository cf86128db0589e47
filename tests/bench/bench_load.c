/* bench_load.c: the real leamond under load from many partners, on an empty database and on
 * databases that already hold millions of figures, against the SQLite ceiling; it ends with
 * one table of the performance targets.
 *
 * In a temp directory: a CURVE key pair for the daemon (server.key, mode 0600), a generated
 * partners file, a copy of the catalogue and a leamond.conf (CURVE on, publish off). The
 * partners: one gemeente with --wijken wijken; --orgs kinderopvang locations that send the
 * load, each with its own key pair from zmq_curve_keypair and reporting for the whole
 * gemeente; the reporters of the templates (no keys): a GGD and an RBL that report for
 * every wijk, the gemeente itself, and kinderopvang locations that report for their home
 * wijk and the next --spread - 1, as many as the largest size needs; a staff member with
 * role viewer and a key. The same file serves every size, so that the registry is the same.
 *
 * 0. Sizes (--sizes, --long). At size 0 each round starts on an empty database. Above 0 a
 *    template is made once: that many figures of the templates' reporters, filled through
 *    the store (store_begin_derived, store_add_submission, store_put_observation; never SQL
 *    of its own against leamond's tables, whose schema is leamond's business) month by month
 *    from the catalogue's first_period to the current month; then the real leamond is
 *    started on it once and stopped when it is quiet, so that the template is what leamond
 *    itself would have (snapshots computed, rules judged, the registry's digest stored). Each
 *    round starts leamond on a fresh copy of it. The load's locations have no figures in it:
 *    the load is the same at every size, only the database around it grows.
 * 1. Submissions. For every scenario and every round, build/leamond is started and is ready
 *    once it answers a ping over CURVE; each client is a thread with its own DEALER socket
 *    and its organisation's key, greets the daemon (handshake done before the clock starts),
 *    and sends its next submission as soon as the previous one is acknowledged, for
 *    --seconds (--size-seconds above size 0; or --submissions each). At size 0 every
 *    --records x --clients pair is a scenario; above 0 the most clients with the fewest
 *    records and the fewest clients with the most records. Records are valid: the
 *    kinderopvang metrics of the catalogue, for the location's home wijk first, then the next
 *    wijken and the gemeente last, months from the current one back to the catalogue's
 *    first_period, values within each metric's range; no key twice in one submission. Once a
 *    location has sent every (metric, area, month) it starts again with changed values (an
 *    update, kept in the audit table). A 503 is counted and the same bytes are sent again
 *    after retry_after_ms, until --tail seconds after the round's end (then it counts as given
 *    up). Measured: acknowledged submissions and records per second, the time from the first
 *    send of a submission to its acknowledgement (p50, p99, max), leamond's CPU during the
 *    round and the time its threads waited for a CPU (/proc/PID/task/TID/schedstat: the
 *    clients share the machine), its CPU after the round until it is quiet again (deferred
 *    snapshot work), and its peak RSS (VmHWM).
 * 2. The ceilings, right after each round so that they meet the same machine: at size 0 the
 *    same records (same locations, same order, as many as the round acknowledged) written by
 *    a plain loop through the real store (store_open on a fresh file: same schema and
 *    pragmas, WAL, synchronous=FULL) with its prepared statements: store_add_submission +
 *    store_put_observation inside store_begin / store_commit, 1,000 records a transaction;
 *    for 1-record submissions also one transaction per record. And, at every size for the
 *    submissions of the most records, the raw ceiling, which shares none of leamond's costs:
 *    the same records into a bare table with a 4-column key, one prepared upsert, WAL,
 *    synchronous=FULL, 1,000 records a transaction; the targets are against it.
 * 3. Queries: snapshot and series requests by the staff member, one after the other with
 *    --query-interval ms between them, while --query-clients clients submit; then the same
 *    queries with leamond idle.
 * 4. Idle: after the load leamond is left alone for --idle-seconds; its CPU time and
 *    context switches in that window (from /proc) should be about zero.
 * 5. The incremental snapshot refresh at each size, in-process on a copy of the template
 *    (tests/bench/support/bench_refresh.c, as bench_snapshot times it): one record of a
 *    location of the templates committed through the store, then snapshot_refresh alone,
 *    --refresh-repeat times.
 *
 * Everything printed is a median of the rounds; the ratios are computed within the run. The
 * summary at the end has one line per target, with the load average at the start and the
 * end, the CPUs and the run's time. leamond is stopped with SIGTERM (also on ^C); the temp
 * dir is removed unless --keep.
 *
 *   bench_load [--sizes LIST] [--long] [--clients LIST] [--records LIST] [--seconds S]
 *              [--rounds R] [--size-rounds R] [--orgs N] [--wijken N] ...  (--help)
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <msgpack.h>
#include <zmq.h>

#include "catalog.h"
#include "checks.h"
#include "config.h"
#include "keyfile.h"
#include "period.h"
#include "proto.h"
#include "store.h"
#include "support/bench_refresh.h"

#define MAX_LIST 8
#define LONG_SIZE 10000000LL    /* what --long adds to the sizes */
#define MAX_METRICS 32
#define PATH_LEN 1024
#define CEILING_BATCH 1000      /* records per ceiling transaction */
#define CEILING_MIN_RECORDS 10000
#define QUIET_MS 300            /* no CPU tick for this long: leamond is done */
#define QUIET_LIMIT_MS 120000
#define START_LIMIT_MS 15000
#define STOP_LIMIT_MS 60000
#define TMPL_LIMIT_MS 3600000   /* leamond's first start on a template: a full recompute */
#define FILL_TXN 100000         /* records per transaction when a template is filled */

/* ---- options ------------------------------------------------------------- */

typedef struct {
    long long clients[MAX_LIST];
    size_t n_clients;
    long long records[MAX_LIST];
    size_t n_records;
    long long sizes[MAX_LIST + 1];  /* ascending; --long may add one */
    size_t n_sizes;
    bool long_mode;
    double seconds;
    long long submissions;
    long long rounds;
    long long size_rounds;
    double size_seconds;
    long long spread;
    long long refresh_repeat;
    long long orgs;
    long long wijken;
    long long query_clients;
    long long query_records;
    long long query_interval;
    long long idle_queries;
    double idle_seconds;
    double ceiling_seconds;
    double tail;
    long long timeout;
    long long batch_max;
    const char *log_level;
    const char *leamond;
    const char *catalog;
    const char *dir;
    bool keep;
    bool no_queries;
} options;

static void usage(FILE *out)
{
    fprintf(out,
            "usage: bench_load [options]\n"
            "Starts the real leamond (CURVE on) in a temp dir and loads it from many simulated\n"
            "partners at once, on an empty database and on databases that already hold millions\n"
            "of figures; compares with the same records written straight into SQLite, and ends\n"
            "with one table of the performance targets.\n"
            "\n"
            "  --sizes LIST         figures in the database when a round starts, comma-separated\n"
            "                       (default 0,1000000,3000000). Size 0: every --records x\n"
            "                       --clients scenario, its ceilings, the queries. Above 0: a\n"
            "                       template database is filled once through the store and made\n"
            "                       current by leamond, and each round starts leamond on a fresh\n"
            "                       copy of it; measured there: the most clients x the fewest\n"
            "                       records, the fewest clients x the most records (with the raw\n"
            "                       ceiling), the queries, and the incremental snapshot refresh\n"
            "  --long               add 10000000 to the sizes (the long mode: make bench BENCH_LONG=1)\n"
            "  --clients LIST       concurrent clients per scenario, comma-separated (default 1,50)\n"
            "  --records LIST       records per submission, comma-separated, 1-10000 (default 1,1000);\n"
            "                       every records x clients pair is a scenario\n"
            "  --seconds S          length of one round of a scenario at size 0 (default 2)\n"
            "  --submissions N      instead of --seconds: each client sends N submissions a round\n"
            "  --tail S             after a round's time is up, how long a submission that is still\n"
            "                       refused (503) is retried; then it counts as given up, and its wait\n"
            "                       so far as its latency (default 3; with --submissions: --timeout)\n"
            "  --rounds R           rounds per scenario at size 0, leamond restarted on a fresh\n"
            "                       database for each; the tables show medians (default 3)\n"
            "  --size-rounds R      rounds per scenario at sizes above 0 (default 1: each starts on\n"
            "                       a fresh copy of the template, and leamond's deferred snapshot\n"
            "                       work after a round there takes seconds)\n"
            "  --size-seconds S     length of one round at sizes above 0 (default: --seconds)\n"
            "  --refresh-repeat N   incremental snapshot refreshes timed at each size (default 25)\n"
            "  --orgs N             kinderopvang locations that send the load, each with its own\n"
            "                       key (default: the largest --clients / --query-clients)\n"
            "  --wijken N           wijken of the gemeente (default 100); a location of the load\n"
            "                       reports for all of them, so the more wijken the later its keys repeat\n"
            "  --spread N           wijken a kinderopvang location of the templates reports for: its\n"
            "                       home wijk and the next N - 1 (default 3)\n"
            "  --query-clients N    clients submitting while the queries are timed (default: the\n"
            "                       largest --clients)\n"
            "  --query-records N    records per submission meanwhile (default 1)\n"
            "  --query-interval MS  pause between two queries of the staff client (default 10)\n"
            "  --idle-queries N     queries timed with leamond idle, after the load (default 200)\n"
            "  --no-queries         skip the query scenario (and the idle measurement)\n"
            "  --idle-seconds S     idle window after the load, for leamond's CPU (default 2)\n"
            "  --ceiling-seconds S  longest run of the one-transaction-per-record ceiling a round\n"
            "                       (default 0.5; it waits for the disk at every record)\n"
            "  --timeout MS         longest wait for one reply before the client gives up (default 30000)\n"
            "  --batch-max N        leamond's batch_max (default: leamond's own, 256)\n"
            "  --log-level LEVEL    leamond's log_level (default info, as shipped: a line per submission)\n"
            "  --leamond PATH       the daemon (default: ../leamond next to this program's directory)\n"
            "  --catalog PATH       catalogue to copy (default config/catalog.conf)\n"
            "  --dir DIR            where to make the temp dir (default $TMPDIR or /tmp); it needs\n"
            "                       room for two copies of the largest template (about 0.2 GiB per\n"
            "                       million figures)\n"
            "  --keep               keep the temp dir (configuration, keys, databases, leamond logs)\n"
            "  -h, --help           this text\n"
            "\n"
            "The default run (sizes 0, 1 M and 3 M) takes about four minutes on a 2-core machine,\n"
            "a third of it filling the templates and making them current; --long about a quarter\n"
            "of an hour.\n"
            "\n"
            "Targets it reports against: 1,000-record submissions at >= 0.6 of the raw ceiling's\n"
            "records/s (a bare SQLite table, none of leamond's costs); 1-record submissions from 50\n"
            "clients >= 15,000/s with p99 < 10 ms; at 3 M figures the same at >= 80%% of the rate on\n"
            "an empty database, and the incremental snapshot refresh after one record < 5 ms;\n"
            "snapshot query p99 < 2 ms idle and < 5 ms under load; leamond peak RSS < 64 MiB; no\n"
            "CPU when idle. Figures, not a test: it exits 0 unless something failed (a refused\n"
            "submission, a timeout, a crash).\n");
}

static int cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

static int parse_count(const char *name, const char *text, long long lo, long long hi,
                       long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno || end == text || *end || v < lo || v > hi) {
        fprintf(stderr, "bench_load: %s wants a whole number from %lld to %lld, not '%s'\n", name,
                lo, hi, text);
        return -1;
    }
    *out = v;
    return 0;
}

static int parse_seconds(const char *name, const char *text, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (errno || end == text || *end || !(v >= lo && v <= hi)) {
        fprintf(stderr, "bench_load: %s wants a number of seconds from %g to %g, not '%s'\n",
                name, lo, hi, text);
        return -1;
    }
    *out = v;
    return 0;
}

/* "1,50" into list; every item lo..hi, at most MAX_LIST, no repeats. */
static int parse_list(const char *name, const char *text, long long lo, long long hi,
                      long long *list, size_t *n)
{
    char buf[256];
    if (snprintf(buf, sizeof buf, "%s", text) >= (int)sizeof buf) {
        fprintf(stderr, "bench_load: %s: list too long\n", name);
        return -1;
    }
    *n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (*n == MAX_LIST) {
            fprintf(stderr, "bench_load: %s takes at most %d values\n", name, MAX_LIST);
            return -1;
        }
        long long v;
        if (parse_count(name, tok, lo, hi, &v) < 0)
            return -1;
        for (size_t i = 0; i < *n; i++)
            if (list[i] == v) {
                fprintf(stderr, "bench_load: %s: %lld given twice\n", name, v);
                return -1;
            }
        list[(*n)++] = v;
    }
    if (*n == 0) {
        fprintf(stderr, "bench_load: %s: empty list\n", name);
        return -1;
    }
    return 0;
}

static int parse_options(int argc, char **argv, options *o)
{
    const char *tmp = getenv("TMPDIR");
    memset(o, 0, sizeof *o);
    o->clients[0] = 1;
    o->clients[1] = 50;
    o->n_clients = 2;
    o->records[0] = 1;
    o->records[1] = 1000;
    o->n_records = 2;
    o->sizes[0] = 0;
    o->sizes[1] = 1000000;
    o->sizes[2] = 3000000;
    o->n_sizes = 3;
    o->seconds = 2;
    o->rounds = 3;
    o->size_rounds = 1;
    o->spread = 3;
    o->refresh_repeat = 25;
    o->wijken = 100;
    o->query_records = 1;
    o->query_interval = 10;
    o->idle_queries = 200;
    o->idle_seconds = 2;
    o->ceiling_seconds = 0.5;
    o->tail = 3;
    o->timeout = 30000;
    o->log_level = "info";
    o->catalog = "config/catalog.conf";
    o->dir = tmp && tmp[0] ? tmp : "/tmp";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        int rc = 0;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            exit(0);
        } else if (strcmp(a, "--keep") == 0) {
            o->keep = true;
            continue;
        } else if (strcmp(a, "--no-queries") == 0) {
            o->no_queries = true;
            continue;
        } else if (strcmp(a, "--long") == 0) {
            o->long_mode = true;
            continue;
        } else if (!v) {
            fprintf(stderr, "bench_load: unknown option or missing value: %s\n", a);
            usage(stderr);
            return -1;
        } else if (strcmp(a, "--clients") == 0) {
            rc = parse_list(a, v, 1, 1000, o->clients, &o->n_clients);
        } else if (strcmp(a, "--records") == 0) {
            rc = parse_list(a, v, 1, PROTO_MAX_RECORDS, o->records, &o->n_records);
        } else if (strcmp(a, "--sizes") == 0) {
            rc = parse_list(a, v, 0, 1000000000LL, o->sizes, &o->n_sizes);
        } else if (strcmp(a, "--seconds") == 0) {
            rc = parse_seconds(a, v, 0.1, 3600, &o->seconds);
        } else if (strcmp(a, "--size-seconds") == 0) {
            rc = parse_seconds(a, v, 0.1, 3600, &o->size_seconds);
        } else if (strcmp(a, "--size-rounds") == 0) {
            rc = parse_count(a, v, 1, 100, &o->size_rounds);
        } else if (strcmp(a, "--refresh-repeat") == 0) {
            rc = parse_count(a, v, 1, 100000, &o->refresh_repeat);
        } else if (strcmp(a, "--spread") == 0) {
            rc = parse_count(a, v, 1, 999, &o->spread);
        } else if (strcmp(a, "--submissions") == 0) {
            rc = parse_count(a, v, 1, 100000000, &o->submissions);
        } else if (strcmp(a, "--rounds") == 0) {
            rc = parse_count(a, v, 1, 100, &o->rounds);
        } else if (strcmp(a, "--orgs") == 0) {
            rc = parse_count(a, v, 1, 100000, &o->orgs);
        } else if (strcmp(a, "--wijken") == 0) {
            rc = parse_count(a, v, 1, 999, &o->wijken);
        } else if (strcmp(a, "--query-clients") == 0) {
            rc = parse_count(a, v, 0, 1000, &o->query_clients);
        } else if (strcmp(a, "--query-records") == 0) {
            rc = parse_count(a, v, 1, PROTO_MAX_RECORDS, &o->query_records);
        } else if (strcmp(a, "--query-interval") == 0) {
            rc = parse_count(a, v, 0, 60000, &o->query_interval);
        } else if (strcmp(a, "--idle-queries") == 0) {
            rc = parse_count(a, v, 0, 1000000, &o->idle_queries);
        } else if (strcmp(a, "--idle-seconds") == 0) {
            rc = parse_seconds(a, v, 0.1, 3600, &o->idle_seconds);
        } else if (strcmp(a, "--tail") == 0) {
            rc = parse_seconds(a, v, 0, 3600, &o->tail);
        } else if (strcmp(a, "--ceiling-seconds") == 0) {
            rc = parse_seconds(a, v, 0.1, 3600, &o->ceiling_seconds);
        } else if (strcmp(a, "--timeout") == 0) {
            rc = parse_count(a, v, 100, 3600000, &o->timeout);
        } else if (strcmp(a, "--batch-max") == 0) {
            rc = parse_count(a, v, 1, 4096, &o->batch_max);
        } else if (strcmp(a, "--log-level") == 0) {
            if (strcmp(v, "debug") && strcmp(v, "info") && strcmp(v, "warning") &&
                strcmp(v, "error")) {
                fprintf(stderr, "bench_load: --log-level is debug, info, warning or error\n");
                rc = -1;
            }
            o->log_level = v;
        } else if (strcmp(a, "--leamond") == 0) {
            o->leamond = v;
        } else if (strcmp(a, "--catalog") == 0) {
            o->catalog = v;
        } else if (strcmp(a, "--dir") == 0) {
            o->dir = v;
        } else {
            fprintf(stderr, "bench_load: unknown option: %s\n", a);
            usage(stderr);
            return -1;
        }
        if (rc < 0)
            return -1;
        i++;
    }
    if (o->long_mode) {
        bool has = false;
        for (size_t i = 0; i < o->n_sizes; i++)
            has |= o->sizes[i] == LONG_SIZE;
        if (!has)
            o->sizes[o->n_sizes++] = LONG_SIZE;
    }
    qsort(o->sizes, o->n_sizes, sizeof o->sizes[0], cmp_ll);
    if (o->size_seconds == 0)
        o->size_seconds = o->seconds;
    if (o->spread > o->wijken) {
        fprintf(stderr, "bench_load: --spread %lld: there are only %lld wijken\n", o->spread,
                o->wijken);
        return -1;
    }
    long long most = 0;
    for (size_t i = 0; i < o->n_clients; i++)
        most = o->clients[i] > most ? o->clients[i] : most;
    if (o->query_clients == 0)
        o->query_clients = most;
    if (!o->no_queries && o->query_clients > most)
        most = o->query_clients;
    if (o->orgs == 0)
        o->orgs = most;
    if (o->orgs < most) {
        fprintf(stderr, "bench_load: --orgs %lld: every client needs its own organisation (%lld)\n",
                o->orgs, most);
        return -1;
    }
    return 0;
}

/* ---- small helpers ------------------------------------------------------- */

/* SIGINT or SIGTERM: finish the round's requests, stop leamond, clean up. */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void sleep_ms(double ms)
{
    if (ms <= 0)
        return;
    struct timespec ts = {(time_t)(ms / 1e3), (long)(fmod(ms, 1e3) * 1e6)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Nearest rank of sorted[0..n-1]; 0 if empty. */
static double rank(const double *sorted, size_t n, double p)
{
    if (n == 0)
        return 0;
    size_t r = (size_t)ceil(p * (double)n);
    return sorted[r ? r - 1 : 0];
}

/* The median of v[0..n-1] (v is reordered). */
static double median(double *v, size_t n)
{
    if (n == 0)
        return 0;
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int join(char *buf, size_t size, const char *dir, const char *name)
{
    int n = snprintf(buf, size, "%s/%s", dir, name);
    return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* 1234567 -> "1,234,567" */
static const char *thousands(long long v, char *buf, size_t size)
{
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%lld", v < 0 ? -v : v);
    size_t used = 0;
    if (v < 0 && used + 1 < size)
        buf[used++] = '-';
    for (int i = 0; i < n && used + 2 < size; i++) {
        if (i && (n - i) % 3 == 0)
            buf[used++] = ',';
        buf[used++] = digits[i];
    }
    buf[used] = '\0';
    return buf;
}

/* from into to (created or replaced), in the kernel; with sync on disk before it returns,
 * so that no write-back of the copy lands in a measured round. */
static int copy_file(const char *from, const char *to, bool sync)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0) {
        fprintf(stderr, "bench_load: %s: %s\n", from, strerror(errno));
        return -1;
    }
    int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (out < 0) {
        fprintf(stderr, "bench_load: %s: %s\n", to, strerror(errno));
        close(in);
        return -1;
    }
    struct stat st;
    int rc = fstat(in, &st) == 0 ? 0 : -1;
    for (off_t left = st.st_size; rc == 0 && left > 0;) {
        ssize_t n = sendfile(out, in, NULL, left > (1 << 30) ? (size_t)1 << 30 : (size_t)left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            rc = -1;
        else
            left -= n;
    }
    if (rc == 0 && sync && fsync(out) != 0)
        rc = -1;
    int e = errno;
    close(in);
    if (close(out) != 0)
        rc = -1;
    if (rc < 0)
        fprintf(stderr, "bench_load: copying %s to %s failed: %s\n", from, to, strerror(e));
    return rc;
}

/* The temp dir holds only files. */
static int remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    struct dirent *e;
    int rc = 0;
    char path[PATH_LEN];
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (join(path, sizeof path, dir, e->d_name) < 0 || unlink(path) != 0)
            rc = -1;
    }
    closedir(d);
    if (rmdir(dir) != 0)
        rc = -1;
    return rc;
}

/* A database and its -wal and -shm; missing files are fine. */
static int remove_db(const char *db)
{
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    char path[PATH_LEN + 16];
    int rc = 0;
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        snprintf(path, sizeof path, "%s%s", db, suffix[i]);
        if (unlink(path) != 0 && errno != ENOENT)
            rc = -1;
    }
    return rc;
}

/* A database's -wal and -shm (an empty -wal may stay after a clean close). */
static int remove_db_side_files(const char *db)
{
    static const char *const suffix[] = {"-wal", "-shm"};
    char path[PATH_LEN + 16];
    int rc = 0;
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        snprintf(path, sizeof path, "%s%s", db, suffix[i]);
        if (unlink(path) != 0 && errno != ENOENT)
            rc = -1;
    }
    return rc;
}

/* ---- /proc of the daemon -------------------------------------------------- */

/* utime + stime of every thread, in clock ticks (fields 14 and 15 of /proc/PID/stat). */
static int proc_cpu_ticks(pid_t pid, long long *ticks)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *p = strrchr(buf, ')'); /* the command may hold spaces */
    if (!p)
        return -1;
    p++;
    /* fields 3.. follow: skip 11 of them (3..13) */
    for (int field = 3; field < 14; field++) {
        while (*p == ' ')
            p++;
        while (*p && *p != ' ')
            p++;
    }
    unsigned long long ut, st;
    if (sscanf(p, " %llu %llu", &ut, &st) != 2)
        return -1;
    *ticks = (long long)(ut + st);
    return 0;
}

/* A "Name:   123 kB" line of /proc/PID/status. */
static int proc_status_kb(pid_t pid, const char *name, long long *kb)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t len = strlen(name);
    int rc = -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, name, len) == 0 && line[len] == ':' &&
            sscanf(line + len + 1, " %lld", kb) == 1) {
            rc = 0;
            break;
        }
    fclose(f);
    return rc;
}

/* Voluntary and involuntary context switches of every thread: wake-ups. */
static int proc_switches(pid_t pid, long long *out)
{
    char path[96], line[256];
    snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
    DIR *d = opendir(path);
    if (!d)
        return -1;
    long long total = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char status[160];
        if (snprintf(status, sizeof status, "/proc/%d/task/%s/status", (int)pid, e->d_name) >=
            (int)sizeof status)
            continue;
        FILE *f = fopen(status, "r");
        if (!f)
            continue; /* a thread that just ended */
        while (fgets(line, sizeof line, f)) {
            long long v;
            if ((sscanf(line, "voluntary_ctxt_switches: %lld", &v) == 1) ||
                (sscanf(line, "nonvoluntary_ctxt_switches: %lld", &v) == 1))
                total += v;
        }
        fclose(f);
    }
    closedir(d);
    *out = total;
    return 0;
}

/* Over every thread: time on a CPU and time waiting for one, in ns (/proc/PID/task/TID/schedstat). */
static int proc_sched(pid_t pid, long long *run_ns, long long *wait_ns)
{
    char path[96];
    snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
    DIR *d = opendir(path);
    if (!d)
        return -1;
    long long run = 0, wait = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char file[160];
        if (snprintf(file, sizeof file, "/proc/%d/task/%s/schedstat", (int)pid, e->d_name) >=
            (int)sizeof file)
            continue;
        FILE *f = fopen(file, "r");
        if (!f)
            continue; /* a thread that just ended */
        long long r, w;
        if (fscanf(f, "%lld %lld", &r, &w) == 2) {
            run += r;
            wait += w;
        }
        fclose(f);
    }
    closedir(d);
    *run_ns = run;
    *wait_ns = wait;
    return 0;
}

static double self_cpu_ms(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return 0;
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

/* ---- the synthetic gemeente ------------------------------------------------ */

typedef struct {
    char id[24];
    char pub[KEY_Z85_LEN + 1];
    char sec[KEY_Z85_LEN + 1];
    int home;            /* area index, 1..wijken */
} bench_org;

/* A reporter of the templates; it never connects, so it has no key. */
typedef struct {
    char id[24];
    org_kind kind;
    int start;           /* its first area: a wijk (1..wijken), or 0: the gemeente itself */
    int n_areas;         /* start and the wijken after it, wrapping around */
} tmpl_org;

typedef struct {
    options opt;
    char dir[PATH_LEN - 64];
    char conf[PATH_LEN], catalog[PATH_LEN], partners[PATH_LEN], server_key[PATH_LEN];
    char leamond[PATH_LEN];
    char server_pub[KEY_Z85_LEN + 1];
    char staff_pub[KEY_Z85_LEN + 1], staff_sec[KEY_Z85_LEN + 1];
    bench_org *orgs;
    size_t n_orgs;
    char (*areas)[16];   /* [0]: the gemeente, then the wijken */
    size_t n_areas;
    catalog cat;
    bool cat_loaded;
    const metric *metrics[MAX_METRICS]; /* what a kinderopvang reports */
    size_t n_metrics;
    const metric *kind_metrics[KIND_COUNT][MAX_METRICS]; /* what each kind reports */
    size_t n_kind_metrics[KIND_COUNT];
    tmpl_org *torgs;     /* the templates' reporters, in fill order */
    size_t n_torgs;
    size_t refresh_org;  /* the one whose figure the timed refresh changes */
    int first_month, this_month, n_months;
    char (*month_text)[PERIOD_TEXT_MAX]; /* by month number - first_month */
    void *zmq;
    long clk_tck;
    /* the running daemon */
    pid_t pid;
    char endpoint[64];
    char log_path[PATH_LEN];
} bench;

static void bench_free(bench *b)
{
    free(b->orgs);
    free(b->torgs);
    b->torgs = NULL;
    free(b->areas);
    free(b->month_text);
    if (b->cat_loaded)
        catalog_free(&b->cat);
    b->orgs = NULL;
    b->areas = NULL;
    b->month_text = NULL;
    b->cat_loaded = false;
}

/* The catalogue's metrics for a kinderopvang, its first month and the current one. */
static int bench_catalog(bench *b)
{
    lm_error err;
    if (catalog_load(&b->cat, b->catalog, &err) < 0) {
        fprintf(stderr, "bench_load: %s\n", err.msg);
        return -1;
    }
    b->cat_loaded = true;
    for (size_t i = 0; i < b->cat.n_metrics; i++)
        for (int k = 0; k < KIND_COUNT; k++)
            if (((b->cat.metrics[i].kinds >> k) & 1u) && b->n_kind_metrics[k] < MAX_METRICS)
                b->kind_metrics[k][b->n_kind_metrics[k]++] = &b->cat.metrics[i];
    b->n_metrics = b->n_kind_metrics[KIND_KINDEROPVANG];
    memcpy(b->metrics, b->kind_metrics[KIND_KINDEROPVANG], b->n_metrics * sizeof b->metrics[0]);
    if (b->n_metrics == 0) {
        fprintf(stderr, "bench_load: %s has no metric that a kinderopvang reports\n", b->catalog);
        return -1;
    }
    time_t t = time(NULL);
    struct tm tm;
    if (!localtime_r(&t, &tm)) {
        fprintf(stderr, "bench_load: localtime failed\n");
        return -1;
    }
    b->this_month = period_month_number(tm.tm_year + 1900, tm.tm_mon + 1);
    b->first_month = period_first_month(&b->cat.first);
    if (b->first_month > b->this_month) {
        fprintf(stderr, "bench_load: the catalogue's first_period lies in the future\n");
        return -1;
    }
    b->n_months = b->this_month - b->first_month + 1;
    b->month_text = calloc((size_t)b->n_months, sizeof *b->month_text);
    if (!b->month_text)
        return -1;
    for (int m = 0; m < b->n_months; m++) {
        period p = period_month_from_number(b->first_month + m);
        if (period_format(&p, b->month_text[m], sizeof b->month_text[m]) != 0)
            return -1;
    }
    return 0;
}

static int make_pair(char pub[KEY_Z85_LEN + 1], char sec[KEY_Z85_LEN + 1])
{
    if (zmq_curve_keypair(pub, sec) != 0) {
        fprintf(stderr, "bench_load: zmq_curve_keypair: %s (libzmq without CURVE?)\n",
                zmq_strerror(zmq_errno()));
        return -1;
    }
    return 0;
}

static uint64_t tmpl_org_figures(const bench *b, const tmpl_org *o)
{
    return (uint64_t)b->n_kind_metrics[o->kind] * (uint64_t)o->n_areas * (uint64_t)b->n_months;
}

static int add_tmpl_org(bench *b, size_t *cap, org_kind kind, const char *id, int start,
                        int n_areas)
{
    if (b->n_kind_metrics[kind] == 0)
        return 0; /* a catalogue without its metrics */
    if (b->n_torgs == *cap) {
        size_t want = *cap ? *cap * 2 : 256;
        tmpl_org *more = realloc(b->torgs, want * sizeof *more);
        if (!more)
            return -1;
        b->torgs = more;
        *cap = want;
    }
    tmpl_org *o = &b->torgs[b->n_torgs++];
    snprintf(o->id, sizeof o->id, "%s", id);
    o->kind = kind;
    o->start = start;
    o->n_areas = n_areas;
    return 0;
}

/* The templates' reporters, in the order they are filled: a GGD and an RBL that report
 * for every wijk, the gemeente itself, then kinderopvang locations that report for their
 * home wijk and the next --spread - 1, as many as the largest size needs (at least one
 * per wijk, so that the refresh's location exists at every size). */
static int bench_tmpl_orgs(bench *b)
{
    size_t cap = 0;
    int wijken = (int)b->opt.wijken;
    if (add_tmpl_org(b, &cap, KIND_GGD, "ggd-jgz", 1, wijken) < 0 ||
        add_tmpl_org(b, &cap, KIND_RBL, "rbl-leerplicht", 1, wijken) < 0 ||
        add_tmpl_org(b, &cap, KIND_GEMEENTE, "gemeente", 0, 1) < 0)
        return -1;
    uint64_t total = 0, goal = (uint64_t)b->opt.sizes[b->opt.n_sizes - 1];
    for (size_t i = 0; i < b->n_torgs; i++)
        total += tmpl_org_figures(b, &b->torgs[i]);
    b->refresh_org = SIZE_MAX;
    for (size_t k = 0; total < goal || k < (size_t)wijken; k++) {
        char id[24];
        snprintf(id, sizeof id, "kt-%05zu", k);
        if (k == (size_t)wijken / 2)
            b->refresh_org = b->n_torgs;
        if (add_tmpl_org(b, &cap, KIND_KINDEROPVANG, id, 1 + (int)(k % (size_t)wijken),
                         (int)b->opt.spread) < 0)
            return -1;
        total += tmpl_org_figures(b, &b->torgs[b->n_torgs - 1]);
    }
    return 0;
}

/* Area index j (0..n_areas-1) of template reporter o. */
static int tmpl_area(const bench *b, const tmpl_org *o, int j)
{
    int wijken = (int)b->n_areas - 1;
    return o->start == 0 ? 0 : 1 + (o->start - 1 + j) % wijken;
}

/* Areas, organisations with their keys, the templates' reporters, the staff member; the
 * daemon's key pair. */
static int bench_partners(bench *b)
{
    b->n_areas = (size_t)b->opt.wijken + 1;
    b->n_orgs = (size_t)b->opt.orgs;
    b->areas = calloc(b->n_areas, sizeof *b->areas);
    b->orgs = calloc(b->n_orgs, sizeof *b->orgs);
    if (!b->areas || !b->orgs) {
        fprintf(stderr, "bench_load: out of memory\n");
        return -1;
    }
    snprintf(b->areas[0], sizeof b->areas[0], "GM9999");
    for (size_t w = 1; w < b->n_areas; w++)
        snprintf(b->areas[w], sizeof b->areas[w], b->opt.wijken <= 100 ? "WK9999%02zu" : "WK9999%03zu",
                 w - 1);
    if (bench_tmpl_orgs(b) < 0) {
        fprintf(stderr, "bench_load: out of memory\n");
        return -1;
    }
    for (size_t i = 0; i < b->n_orgs; i++) {
        bench_org *o = &b->orgs[i];
        snprintf(o->id, sizeof o->id, "ko-%05zu", i);
        o->home = 1 + (int)(i % (size_t)b->opt.wijken);
        if (make_pair(o->pub, o->sec) < 0)
            return -1;
    }
    char server_sec[KEY_Z85_LEN + 1];
    if (make_pair(b->staff_pub, b->staff_sec) < 0 || make_pair(b->server_pub, server_sec) < 0)
        return -1;

    /* server.key, mode 0600 from the start */
    int fd = open(b->server_key, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        fprintf(stderr, "bench_load: %s: %s\n", b->server_key, strerror(errno));
        return -1;
    }
    char text[128];
    int len = snprintf(text, sizeof text, "# leamond secret key, made by bench_load\n%s\n", server_sec);
    memset(server_sec, 0, sizeof server_sec);
    bool ok = len > 0 && write(fd, text, (size_t)len) == (ssize_t)len;
    memset(text, 0, sizeof text);
    if (close(fd) != 0 || !ok) {
        fprintf(stderr, "bench_load: writing %s failed\n", b->server_key);
        return -1;
    }

    FILE *f = fopen(b->partners, "w");
    if (!f) {
        fprintf(stderr, "bench_load: %s: %s\n", b->partners, strerror(errno));
        return -1;
    }
    fprintf(f, "# Generated by bench_load: one gemeente, %lld wijken, %zu kinderopvang locations"
               " that send the load, %zu reporters of the templates.\n\n"
               "areas = (\n  { code = \"%s\"; name = \"Laststad\"; level = \"gemeente\"; }",
            b->opt.wijken, b->n_orgs, b->n_torgs, b->areas[0]);
    for (size_t w = 1; w < b->n_areas; w++)
        fprintf(f, ",\n  { code = \"%s\"; name = \"Wijk %zu\"; level = \"wijk\"; parent = \"%s\"; }",
                b->areas[w], w - 1, b->areas[0]);
    fprintf(f, "\n);\n\norganisations = (\n");
    for (size_t i = 0; i < b->n_orgs; i++) {
        const bench_org *o = &b->orgs[i];
        /* reports_for the gemeente: it reports for every wijk (the children's home wijken) */
        fprintf(f, "  { id = \"%s\"; name = \"Kinderopvang %zu\"; kind = \"kinderopvang\"; "
                   "area = \"%s\"; reports_for = [\"%s\"]; keys = [\"%s\"]; }%s\n",
                o->id, i, b->areas[o->home], b->areas[0], o->pub,
                i + 1 < b->n_orgs + b->n_torgs ? "," : "");
    }
    for (size_t i = 0; i < b->n_torgs; i++) {
        const tmpl_org *o = &b->torgs[i];
        fprintf(f, "  { id = \"%s\"; name = \"%s %s\"; kind = \"%s\"; area = \"%s\";", o->id,
                kind_name(o->kind), o->id, kind_name(o->kind), b->areas[o->start]);
        if (o->kind == KIND_KINDEROPVANG) {
            fprintf(f, " reports_for = [");
            for (int j = 0; j < o->n_areas; j++)
                fprintf(f, "%s\"%s\"", j ? ", " : "", b->areas[tmpl_area(b, o, j)]);
            fprintf(f, "];");
        }
        fprintf(f, " }%s\n", i + 1 < b->n_torgs ? "," : "");
    }
    fprintf(f, ");\n\nstaff = (\n  { id = \"bench-viewer\"; name = \"Beleid\"; role = \"viewer\"; "
               "keys = [\"%s\"]; }\n);\n", b->staff_pub);
    if (ferror(f) | (fclose(f) != 0)) {
        fprintf(stderr, "bench_load: writing %s failed\n", b->partners);
        return -1;
    }
    return 0;
}

static int bench_conf(bench *b)
{
    FILE *f = fopen(b->conf, "w");
    if (!f) {
        fprintf(stderr, "bench_load: %s: %s\n", b->conf, strerror(errno));
        return -1;
    }
    /* listen and database are given on the command line of each start */
    fprintf(f, "# Generated by bench_load.\n"
               "catalog = \"catalog.conf\";\n"
               "partners = \"partners.conf\";\n"
               "server_secret_key_file = \"server.key\";\n"
               "publish = \"off\";\n"
               /* 50 clients of one organisation each send far more than a partner would */
               "limit_submissions_per_minute = 0;\n"
               "limit_records_per_day = 0;\n"
               "limit_corrections_per_day = 0;\n"
               "log_level = \"%s\";\n", b->opt.log_level);
    if (b->opt.batch_max)
        fprintf(f, "batch_max = %lld;\n", b->opt.batch_max);
    if (ferror(f) | (fclose(f) != 0)) {
        fprintf(stderr, "bench_load: writing %s failed\n", b->conf);
        return -1;
    }
    return 0;
}

/* ---- the records ------------------------------------------------------------ */

typedef struct {
    size_t metric;
    int area;
    int month;
    double value;
} gen_rec;

static uint64_t keys_per_pass(const bench *b)
{
    return (uint64_t)b->n_metrics * (uint64_t)b->n_months * (uint64_t)b->n_areas;
}

/* A value of m from the hash h, another one in every pass, within m's min..max. */
static double gen_value(const bench *b, const metric *m, uint64_t h, uint64_t pass)
{
    /* A figure the catalogue's checks hold below another (doelgroep <= peuters) is kept at
     * its least, so that every submission is valid. */
    for (size_t c = 0; c < b->cat.n_checks; c++)
        if (b->cat.checks[c].kind == CHECK_AT_MOST && b->cat.checks[c].m == m)
            return ceil(m->min);
    if (m->integer) {
        double lo = ceil(m->min), hi = floor(m->max);
        uint64_t n = hi - lo >= 200 ? 201 : hi >= lo ? (uint64_t)(hi - lo) + 1 : 1;
        return lo + (double)((h + pass) % n);
    }
    double span = m->max - m->min;
    uint64_t n = span >= 40 ? 81 : (uint64_t)(span * 2) + 1;
    return m->min + (double)((h + pass) % n) / 2.0;
}

/* Record k of organisation org: metric fastest, then the months from the current one back,
 * then the areas (its home wijk, the wijken after it, wrapping around, the gemeente last).
 * Pass p of the key space changes every value of pass p - 1. Values lie within the metric's
 * min..max. */
static void gen_record(const bench *b, size_t org, uint64_t k, gen_rec *r)
{
    uint64_t pass_size = keys_per_pass(b), per_area = (uint64_t)b->n_metrics * (uint64_t)b->n_months;
    uint64_t pass = k / pass_size, rest = k % pass_size;
    uint64_t slot = rest / per_area, in_area = rest % per_area;
    int home = b->orgs[org].home, wijken = (int)b->n_areas - 1;
    int a = slot == (uint64_t)wijken ? 0 : 1 + (home - 1 + (int)slot) % wijken;
    r->area = a;
    r->month = b->this_month - (int)(in_area / b->n_metrics);
    r->metric = (size_t)(in_area % b->n_metrics);
    uint64_t h = mix(((uint64_t)org << 40) ^ ((uint64_t)a << 24) ^ ((uint64_t)r->month << 6) ^
                     (uint64_t)r->metric);
    r->value = gen_value(b, b->metrics[r->metric], h, pass);
}

/* A submit request of n records from key first on. */
static int encode_submit(const bench *b, size_t org, uint64_t first, long long n, const char *id,
                         msgpack_sbuffer *buf)
{
    msgpack_sbuffer_clear(buf);
    msgpack_packer pk;
    msgpack_packer_init(&pk, buf, msgpack_sbuffer_write);
    int bad = msgpack_pack_map(&pk, 4) | proto_pack_kv_int(&pk, "v", PROTO_VERSION) |
              proto_pack_kv_str(&pk, "op", "submit") | proto_pack_kv_str(&pk, "id", id) |
              proto_pack_str(&pk, "records") | msgpack_pack_array(&pk, (size_t)n);
    for (long long i = 0; !bad && i < n; i++) {
        gen_rec r;
        gen_record(b, org, first + (uint64_t)i, &r);
        bad = msgpack_pack_map(&pk, 4) |
              proto_pack_kv_str(&pk, "metric", b->metrics[r.metric]->code) |
              proto_pack_kv_str(&pk, "area", b->areas[r.area]) |
              proto_pack_kv_str(&pk, "period", b->month_text[r.month - b->first_month]) |
              proto_pack_str(&pk, "value") | proto_pack_number(&pk, r.value);
    }
    return bad ? -1 : 0;
}

/* The staff member's queries: a snapshot of last month, a series of the last 12 months. */
static int encode_query(const bench *b, bool snapshot, const char *id, msgpack_sbuffer *buf)
{
    msgpack_sbuffer_clear(buf);
    msgpack_packer pk;
    msgpack_packer_init(&pk, buf, msgpack_sbuffer_write);
    int last = b->this_month - 1 >= b->first_month ? b->this_month - 1 : b->this_month;
    int from = b->this_month - 11 >= b->first_month ? b->this_month - 11 : b->first_month;
    if (snapshot)
        return msgpack_pack_map(&pk, 5) | proto_pack_kv_int(&pk, "v", PROTO_VERSION) |
                       proto_pack_kv_str(&pk, "op", "snapshot") | proto_pack_kv_str(&pk, "id", id) |
                       proto_pack_kv_str(&pk, "indicator", "vve_bereik") |
                       proto_pack_kv_str(&pk, "period", b->month_text[last - b->first_month])
                   ? -1
                   : 0;
    return msgpack_pack_map(&pk, 6) | proto_pack_kv_int(&pk, "v", PROTO_VERSION) |
                   proto_pack_kv_str(&pk, "op", "series") | proto_pack_kv_str(&pk, "id", id) |
                   proto_pack_kv_str(&pk, "indicator", "vve_bereik") |
                   proto_pack_kv_str(&pk, "from", b->month_text[from - b->first_month]) |
                   proto_pack_kv_str(&pk, "to", b->month_text[b->this_month - b->first_month])
               ? -1
               : 0;
}

/* ---- the daemon -------------------------------------------------------------- */

static int free_port(int *port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof sa;
    int rc = bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0 &&
                     getsockname(fd, (struct sockaddr *)&sa, &len) == 0
                 ? 0
                 : -1;
    *port = ntohs(sa.sin_port);
    close(fd);
    return rc;
}

/* The log's text, up to size - 1 bytes from its start. */
static size_t read_log(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "r");
    size_t n = 0;
    if (f) {
        n = fread(buf, 1, size - 1, f);
        fclose(f);
    }
    buf[n] = '\0';
    return n;
}

static void show_log(const bench *b)
{
    static char text[8192];
    read_log(b->log_path, text, sizeof text);
    fprintf(stderr, "bench_load: leamond's log (%s):\n%s\n", b->log_path, text);
}

/* Start leamond on db, logging into name.log (daemon_ready waits until it answers). */
static int daemon_start(bench *b, const char *db, const char *name)
{
    int port;
    if (free_port(&port) < 0) {
        fprintf(stderr, "bench_load: no free port: %s\n", strerror(errno));
        return -1;
    }
    snprintf(b->endpoint, sizeof b->endpoint, "tcp://127.0.0.1:%d", port);
    char logname[128];
    snprintf(logname, sizeof logname, "%s.log", name);
    if (join(b->log_path, sizeof b->log_path, b->dir, logname) < 0)
        return -1;
    int fd = open(b->log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        fprintf(stderr, "bench_load: %s: %s\n", b->log_path, strerror(errno));
        return -1;
    }
    char *argv[] = {(char *)"leamond", (char *)"-c", b->conf, (char *)"--database", (char *)db,
                    (char *)"--listen", b->endpoint, NULL};
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "bench_load: fork: %s\n", strerror(errno));
        close(fd);
        return -1;
    }
    if (pid == 0) {
        /* only async-signal-safe calls until exec; a process group of its own, so that a ^C
         * reaches us, and leamond is stopped by us with SIGTERM */
        if (setpgid(0, 0) != 0 || prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || dup2(fd, 1) < 0 ||
            dup2(fd, 2) < 0)
            _exit(126);
        execv(b->leamond, argv);
        _exit(127);
    }
    close(fd);
    b->pid = pid;
    /* the same from this side, whichever runs first; EACCES: it has already exec'd */
    if (setpgid(pid, pid) != 0 && errno != EACCES && errno != ESRCH)
        fprintf(stderr, "bench_load: setpgid: %s\n", strerror(errno));
    return 0;
}

/* SIGTERM and wait; 0 if it stopped cleanly (exit 0). */
static int daemon_stop(bench *b)
{
    if (b->pid <= 0)
        return 0;
    pid_t pid = b->pid;
    b->pid = 0;
    if (kill(pid, SIGTERM) != 0) {
        fprintf(stderr, "bench_load: kill %d: %s\n", (int)pid, strerror(errno));
        return -1;
    }
    double t0 = now_ms();
    int status = 0;
    for (;;) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid)
            break;
        if (w < 0) {
            fprintf(stderr, "bench_load: waitpid: %s\n", strerror(errno));
            return -1;
        }
        if (now_ms() - t0 > STOP_LIMIT_MS) {
            fprintf(stderr, "bench_load: leamond did not stop within %d s of SIGTERM; killed\n",
                    STOP_LIMIT_MS / 1000);
            if (kill(pid, SIGKILL) == 0)
                waitpid(pid, &status, 0);
            return -1;
        }
        sleep_ms(5);
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "bench_load: leamond ended with %s %d\n",
                WIFEXITED(status) ? "exit status" : "signal",
                WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
        show_log(b);
        return -1;
    }
    return 0;
}

/* Wait until leamond uses no CPU for QUIET_MS, at most limit_ms: how long that took and the
 * CPU it used. */
static int daemon_quiet(bench *b, double *settle_ms, double *cpu_ms, double limit_ms)
{
    long long c0, last, c;
    if (proc_cpu_ticks(b->pid, &c0) < 0)
        return -1;
    last = c0;
    double t0 = now_ms(), changed = t0;
    for (;;) {
        sleep_ms(50);
        if (proc_cpu_ticks(b->pid, &c) < 0)
            return -1;
        double t = now_ms();
        if (c != last) {
            last = c;
            changed = t;
        } else if (t - changed >= QUIET_MS) {
            break;
        }
        if (interrupted)
            break;
        if (t - t0 > limit_ms) {
            fprintf(stderr, "bench_load: leamond still busy after %.0f s\n", limit_ms / 1e3);
            break;
        }
    }
    *settle_ms = changed - t0;
    *cpu_ms = (double)(last - c0) * 1e3 / (double)b->clk_tck;
    return 0;
}

/* ---- clients ------------------------------------------------------------------ */

typedef struct {
    double *v;
    size_t n, cap;
} samples;

static int samples_add(samples *s, double x)
{
    if (s->n == s->cap) {
        size_t want = s->cap ? s->cap * 2 : 1024;
        double *more = realloc(s->v, want * sizeof *more);
        if (!more)
            return -1;
        s->v = more;
        s->cap = want;
    }
    s->v[s->n++] = x;
    return 0;
}

static void samples_free(samples *s)
{
    free(s->v);
    memset(s, 0, sizeof *s);
}

/* The start signal: every client connects and says hello first; then all go at once. */
typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int ready;
    int phase;           /* 0 waiting, 1 go, 2 abort */
    double deadline_ms;
    atomic_bool stop;    /* the query client: the submissions are over */
} gate;

typedef struct {
    bench *b;
    gate *g;
    int index;
    size_t org;          /* SIZE_MAX: the staff member */
    long long records;   /* per submission; 0 for the query client */
    int scenario, round;
    uint64_t cursor;
    /* results */
    long long subs, recs, busy, failed, timeouts, gave_up;
    samples lat;         /* ms from the first send of a submission to its acknowledgement */
    samples snap, series;
    lm_error err;
} client;

typedef struct {
    int status;
    int64_t retry_after;
    int64_t accepted;
    char error[200];
} reply_info;

/* Wait for the reply to request id. 0: a reply, 1: none within timeout, -1: error. */
static int rpc_wait(void *s, const char *id, long long timeout_ms, reply_info *out)
{
    double t0 = now_ms();
    for (;;) {
        long wait = (long)(timeout_ms - (now_ms() - t0));
        if (wait <= 0)
            return 1;
        zmq_pollitem_t it = {s, 0, ZMQ_POLLIN, 0};
        int r = zmq_poll(&it, 1, wait);
        if (r < 0) {
            if (zmq_errno() == EINTR && !interrupted)
                continue;
            return -1;
        }
        if (r == 0)
            return 1;
        zmq_msg_t m;
        if (zmq_msg_init(&m) != 0)
            return -1;
        if (zmq_msg_recv(&m, s, 0) < 0) {
            zmq_msg_close(&m);
            return -1;
        }
        msgpack_unpacked u;
        msgpack_unpacked_init(&u);
        size_t off = 0;
        int rc = -1;
        bool mine = false;
        if (msgpack_unpack_next(&u, zmq_msg_data(&m), zmq_msg_size(&m), &off) ==
                MSGPACK_UNPACK_SUCCESS &&
            u.data.type == MSGPACK_OBJECT_MAP) {
            char rid[PROTO_MAX_ID + 1] = "";
            int64_t status = 0;
            memset(out, 0, sizeof *out);
            if (proto_get_str(&u.data, "id", rid, sizeof rid) == 0 &&
                proto_get_int(&u.data, "status", &status) == 0) {
                rc = 0;
                mine = strcmp(rid, id) == 0 || rid[0] == '\0';
                out->status = (int)status;
                if (proto_get_int(&u.data, "retry_after_ms", &out->retry_after) != 0)
                    out->retry_after = 0;
                if (proto_get_int(&u.data, "accepted", &out->accepted) != 0)
                    out->accepted = -1;
                if (proto_get_str(&u.data, "error", out->error, sizeof out->error) != 0)
                    out->error[0] = '\0';
            }
        }
        msgpack_unpacked_destroy(&u);
        zmq_msg_close(&m);
        if (rc < 0 || mine)
            return rc;
        /* a late reply to an earlier request: keep waiting */
    }
}

/* Send one request and wait for its reply. 0: a reply, 1: none within timeout, -1: error. */
static int rpc(void *s, const void *data, size_t len, const char *id, long long timeout_ms,
               reply_info *out)
{
    if (zmq_send(s, data, len, 0) < 0)
        return -1;
    return rpc_wait(s, id, timeout_ms, out);
}

/* A DEALER socket with this identity's CURVE keys, connecting. */
static void *client_connect(bench *b, const char *pub, const char *sec, lm_error *err)
{
    void *s = zmq_socket(b->zmq, ZMQ_DEALER);
    if (!s) {
        lm_fail(err, 0, "socket: %s", zmq_strerror(zmq_errno()));
        return NULL;
    }
    int zero = 0;
    if (zmq_setsockopt(s, ZMQ_LINGER, &zero, sizeof zero) != 0 ||
        zmq_setsockopt(s, ZMQ_CURVE_SERVERKEY, b->server_pub, KEY_Z85_LEN) != 0 ||
        zmq_setsockopt(s, ZMQ_CURVE_PUBLICKEY, pub, KEY_Z85_LEN) != 0 ||
        zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, sec, KEY_Z85_LEN) != 0 ||
        zmq_connect(s, b->endpoint) != 0) {
        lm_fail(err, 0, "socket options / connect: %s", zmq_strerror(zmq_errno()));
        zmq_close(s);
        return NULL;
    }
    return s;
}

/* Send a ping with this id (the reply is left to rpc_wait). 0 or -1. */
static int send_ping(void *s, const char *id)
{
    msgpack_sbuffer buf;
    msgpack_sbuffer_init(&buf);
    msgpack_packer pk;
    msgpack_packer_init(&pk, &buf, msgpack_sbuffer_write);
    int rc = msgpack_pack_map(&pk, 3) | proto_pack_kv_int(&pk, "v", PROTO_VERSION) |
                     proto_pack_kv_str(&pk, "op", "ping") | proto_pack_kv_str(&pk, "id", id) ||
                     zmq_send(s, buf.data, buf.size, 0) < 0
                 ? -1
                 : 0;
    msgpack_sbuffer_destroy(&buf);
    return rc;
}

/* client_connect, and a ping answered: the handshake is done before the clock starts. */
static void *client_socket(bench *b, const char *pub, const char *sec, lm_error *err)
{
    void *s = client_connect(b, pub, sec, err);
    if (!s)
        return NULL;
    reply_info ri;
    int rc = -1;
    if (send_ping(s, "hello") < 0) {
        lm_fail(err, 0, "cannot send a ping: %s", zmq_strerror(zmq_errno()));
    } else if ((rc = rpc_wait(s, "hello", b->opt.timeout, &ri)) != 0 || ri.status != 200) {
        lm_fail(err, 0, "ping: %s", rc > 0   ? "no reply (key refused?)"
                                    : rc < 0 ? zmq_strerror(zmq_errno())
                                             : ri.error);
        rc = -1;
    }
    if (rc != 0) {
        zmq_close(s);
        return NULL;
    }
    return s;
}

/* After daemon_start: until leamond answers a ping over CURVE (whatever its log_level), as
 * long as it runs, at most limit_ms. 0 or -1. */
static int daemon_ready(bench *b, double limit_ms)
{
    lm_error err;
    void *s = client_connect(b, b->staff_pub, b->staff_sec, &err);
    if (!s) {
        fprintf(stderr, "bench_load: %s\n", err.msg);
        return -1;
    }
    int rc = -1;
    double t0 = now_ms();
    if (send_ping(s, "ready") < 0) {
        fprintf(stderr, "bench_load: cannot send a ping: %s\n", zmq_strerror(zmq_errno()));
        goto out;
    }
    for (;;) {
        reply_info ri;
        int r = rpc_wait(s, "ready", 20, &ri);
        if (r == 0 && ri.status == PROTO_OK) {
            rc = 0;
            break;
        }
        if (r < 0 || r == 0) {
            fprintf(stderr, "bench_load: leamond's ping: %s\n",
                    r < 0 ? zmq_strerror(zmq_errno()) : ri.error);
            break;
        }
        int status;
        pid_t w = waitpid(b->pid, &status, WNOHANG);
        if (w == b->pid || w < 0) {
            fprintf(stderr, "bench_load: leamond exited at start (%s %s)\n", b->leamond,
                    w == b->pid && WIFEXITED(status) && WEXITSTATUS(status) == 127
                        ? "could not be run"
                        : "failed");
            b->pid = 0;
            show_log(b);
            break;
        }
        if (now_ms() - t0 > limit_ms || interrupted) {
            fprintf(stderr, "bench_load: leamond did not answer within %.0f s\n", limit_ms / 1e3);
            show_log(b);
            break;
        }
    }
out:
    zmq_close(s);
    return rc;
}

static bool client_go(client *c, double *deadline)
{
    gate *g = c->g;
    bool go = false;
    if (pthread_mutex_lock(&g->mu) != 0)
        return false;
    g->ready++;
    pthread_cond_broadcast(&g->cv);
    while (g->phase == 0)
        if (pthread_cond_wait(&g->cv, &g->mu) != 0)
            break;
    go = g->phase == 1;
    *deadline = g->deadline_ms;
    pthread_mutex_unlock(&g->mu);
    return go;
}

static void submit_loop(client *c, void *s, double deadline)
{
    bench *b = c->b;
    msgpack_sbuffer buf;
    msgpack_sbuffer_init(&buf);
    for (long long seq = 0;; seq++) {
        if (interrupted || (b->opt.submissions ? seq >= b->opt.submissions : now_ms() >= deadline))
            break;
        char id[64];
        snprintf(id, sizeof id, "load-%d-%d-%d-%lld", c->scenario, c->round, c->index, seq);
        if (encode_submit(b, c->org, c->cursor, c->records, id, &buf) < 0) {
            lm_fail(&c->err, 0, "cannot encode submission %s", id);
            c->failed++;
            break;
        }
        double t0 = now_ms();
        for (;;) {
            reply_info ri;
            int r = rpc(s, buf.data, buf.size, id, b->opt.timeout, &ri);
            if (r != 0) {
                if (r > 0)
                    c->timeouts++;
                else
                    c->failed++;
                lm_fail(&c->err, 0, "submission %s: %s", id,
                        r > 0 ? "no reply within --timeout" : zmq_strerror(zmq_errno()));
                goto done;
            }
            if (ri.status == PROTO_OK && ri.accepted == c->records) {
                if (samples_add(&c->lat, now_ms() - t0) < 0) {
                    lm_fail(&c->err, 0, "out of memory");
                    c->failed++;
                    goto done;
                }
                c->subs++;
                c->recs += ri.accepted;
                c->cursor += (uint64_t)c->records;
                break;
            }
            if (ri.status == PROTO_UNAVAILABLE && !interrupted) {
                c->busy++;
                double wait = ri.retry_after > 0 ? (double)ri.retry_after : 1000.0;
                double limit = b->opt.submissions ? t0 + (double)b->opt.timeout
                                                  : deadline + b->opt.tail * 1e3;
                if (now_ms() + wait > limit) {
                    /* given up: its wait so far is a lower bound of its latency */
                    c->gave_up++;
                    if (samples_add(&c->lat, now_ms() - t0) < 0) {
                        lm_fail(&c->err, 0, "out of memory");
                        c->failed++;
                        goto done;
                    }
                    break; /* to the next one, if there is time for it */
                }
                sleep_ms(wait);
                continue;
            }
            c->failed++;
            lm_fail(&c->err, 0, "submission %s by %s: status %d, accepted %lld: %s",
                    id, b->orgs[c->org].id, ri.status, (long long)ri.accepted, ri.error);
            goto done;
        }
    }
done:
    msgpack_sbuffer_destroy(&buf);
}

/* Snapshot and series in turn, until stop (count 0) or count queries. */
static void query_loop(client *c, void *s, long long count)
{
    bench *b = c->b;
    msgpack_sbuffer buf;
    msgpack_sbuffer_init(&buf);
    for (long long seq = 0; !interrupted && (count ? seq < count : !atomic_load(&c->g->stop));
         seq++) {
        bool snap = seq % 2 == 0;
        char id[64];
        snprintf(id, sizeof id, "q-%d-%d-%lld", c->scenario, c->round, seq);
        if (encode_query(b, snap, id, &buf) < 0) {
            lm_fail(&c->err, 0, "cannot encode query %s", id);
            c->failed++;
            break;
        }
        double t0 = now_ms();
        reply_info ri;
        int r = rpc(s, buf.data, buf.size, id, b->opt.timeout, &ri);
        if (r != 0 || ri.status != PROTO_OK) {
            if (r > 0)
                c->timeouts++;
            else
                c->failed++;
            lm_fail(&c->err, 0, "%s %s: %s", snap ? "snapshot" : "series", id,
                    r > 0 ? "no reply within --timeout" : r < 0 ? zmq_strerror(zmq_errno()) : ri.error);
            break;
        }
        if (samples_add(snap ? &c->snap : &c->series, now_ms() - t0) < 0) {
            lm_fail(&c->err, 0, "out of memory");
            c->failed++;
            break;
        }
        if (b->opt.query_interval)
            sleep_ms((double)b->opt.query_interval);
    }
    msgpack_sbuffer_destroy(&buf);
}

static void *client_main(void *arg)
{
    client *c = arg;
    bench *b = c->b;
    bool staff = c->org == SIZE_MAX;
    void *s = client_socket(b, staff ? b->staff_pub : b->orgs[c->org].pub,
                            staff ? b->staff_sec : b->orgs[c->org].sec, &c->err);
    if (!s)
        c->failed++;
    double deadline = 0;
    if (client_go(c, &deadline) && s) {
        if (staff)
            query_loop(c, s, 0);
        else
            submit_loop(c, s, deadline);
    }
    if (s)
        zmq_close(s);
    return NULL;
}

/* ---- one round ------------------------------------------------------------------ */

typedef struct {
    long long subs, recs, busy, failed, timeouts, gave_up;
    double elapsed_ms;
    double subs_s, recs_s, p50, p99, max;
    double daemon_cpu_pct, bench_cpu_pct, daemon_wait_pct;
    double cpu_us_rec;   /* leamond's CPU per acknowledged record, the tail included */
    double after_cpu_ms, settle_ms;
    /* the ceiling with the same records, right after the round */
    double ceil_batch_rs, ceil_single_rs;
    double ceil_batch_us, ceil_single_us;   /* CPU per record */
    long long ceil_batch_records, ceil_single_records;
    double raw_rs, raw_us;                  /* the raw ceiling: a bare table */
    long long hwm_kb;
    /* queries during the load */
    long long n_snap, n_series;
    double snap_p50, snap_p99, snap_max, series_p50, series_p99, series_max;
} round_result;

typedef struct {
    double snap_p50, snap_p99, series_p50, series_p99;
    long long n_snap, n_series;
    double idle_settle_ms, idle_after_ms;
    double idle_cpu_ms;
    long long idle_switches;
    bool done;
} idle_result;

static void percentiles(samples *s, double *p50, double *p99, double *max)
{
    qsort(s->v, s->n, sizeof *s->v, cmp_double);
    *p50 = rank(s->v, s->n, 0.50);
    *p99 = rank(s->v, s->n, 0.99);
    *max = s->n ? s->v[s->n - 1] : 0;
}

/* With leamond idle: the same queries, then its CPU over --idle-seconds. */
static int idle_phase(bench *b, int scenario, idle_result *out)
{
    client c;
    memset(&c, 0, sizeof c);
    c.b = b;
    c.org = SIZE_MAX;
    c.scenario = scenario;
    c.round = 99;
    int rc = 0;
    if (daemon_quiet(b, &out->idle_settle_ms, &out->idle_after_ms, QUIET_LIMIT_MS) < 0)
        return -1;
    if (b->opt.idle_queries) {
        void *s = client_socket(b, b->staff_pub, b->staff_sec, &c.err);
        if (!s) {
            fprintf(stderr, "bench_load: idle queries: %s\n", c.err.msg);
            return -1;
        }
        query_loop(&c, s, b->opt.idle_queries);
        zmq_close(s);
        if (c.failed || c.timeouts) {
            fprintf(stderr, "bench_load: idle queries: %s\n", c.err.msg);
            rc = -1;
        }
        double mx;
        percentiles(&c.snap, &out->snap_p50, &out->snap_p99, &mx);
        percentiles(&c.series, &out->series_p50, &out->series_p99, &mx);
        out->n_snap = (long long)c.snap.n;
        out->n_series = (long long)c.series.n;
        samples_free(&c.snap);
        samples_free(&c.series);
        double settle, after;
        if (daemon_quiet(b, &settle, &after, QUIET_LIMIT_MS) < 0) /* the connection's end */
            return -1;
    }
    long long c0, c1, s0, s1;
    if (proc_cpu_ticks(b->pid, &c0) < 0 || proc_switches(b->pid, &s0) < 0)
        return -1;
    sleep_ms(b->opt.idle_seconds * 1e3);
    if (proc_cpu_ticks(b->pid, &c1) < 0 || proc_switches(b->pid, &s1) < 0)
        return -1;
    out->idle_cpu_ms = (double)(c1 - c0) * 1e3 / (double)b->clk_tck;
    out->idle_switches = s1 - s0;
    out->done = true;
    return rc;
}

static int gate_init(gate *g)
{
    memset(g, 0, sizeof *g);
    atomic_init(&g->stop, false);
    if (pthread_mutex_init(&g->mu, NULL) != 0)
        return -1;
    if (pthread_cond_init(&g->cv, NULL) != 0) {
        pthread_mutex_destroy(&g->mu);
        return -1;
    }
    return 0;
}

static void gate_destroy(gate *g)
{
    pthread_cond_destroy(&g->cv);
    pthread_mutex_destroy(&g->mu);
}

/* One round: a fresh leamond on a fresh database (empty, or a copy of the template tmpl),
 * n_clients submitting for seconds (and the staff client querying when queries), then
 * the tail, peak RSS, stop. */
static int run_round(bench *b, int scenario, int round, const char *tmpl, double seconds,
                     long long n_clients, long long records, bool queries, idle_result *idle,
                     round_result *res)
{
    char name[64], db[PATH_LEN];
    snprintf(name, sizeof name, "leamond-%d-%d", scenario, round);
    if (join(db, sizeof db, b->dir, name) < 0 || strlen(db) + 3 >= sizeof db)
        return -1;
    strcat(db, ".db");
    memset(res, 0, sizeof *res);
    if (remove_db(db) < 0 || (tmpl && copy_file(tmpl, db, true) < 0))
        return -1;
    if (daemon_start(b, db, name) < 0)
        return -1;
    if (daemon_ready(b, START_LIMIT_MS) < 0) {
        daemon_stop(b);
        return -1;
    }

    size_t n = (size_t)n_clients + (queries ? 1 : 0);
    client *cl = calloc(n, sizeof *cl);
    pthread_t *th = calloc(n, sizeof *th);
    gate g;
    int rc = -1;
    size_t started = 0;
    bool gate_ok = false;
    samples all = {0};
    if (!cl || !th) {
        fprintf(stderr, "bench_load: out of memory\n");
        goto out;
    }
    if (gate_init(&g) < 0) {
        fprintf(stderr, "bench_load: cannot make a mutex\n");
        goto out;
    }
    gate_ok = true;
    for (size_t i = 0; i < n; i++) {
        client *c = &cl[i];
        c->b = b;
        c->g = &g;
        c->index = (int)i;
        c->org = i < (size_t)n_clients ? i : SIZE_MAX;
        c->records = i < (size_t)n_clients ? records : 0;
        c->scenario = scenario;
        c->round = round;
    }
    for (; started < n; started++) {
        int e = pthread_create(&th[started], NULL, client_main, &cl[started]);
        if (e != 0) {
            fprintf(stderr, "bench_load: starting client %zu: %s\n", started, strerror(e));
            break;
        }
    }
    /* everyone connected and greeted (or failed): go, or abort */
    if (pthread_mutex_lock(&g.mu) != 0) {
        fprintf(stderr, "bench_load: mutex failed\n");
        exit(1); /* the clients cannot be released */
    }
    while (g.ready < (int)started)
        if (pthread_cond_wait(&g.cv, &g.mu) != 0)
            break;
    bool ok = started == n;
    for (size_t i = 0; i < started; i++)
        if (cl[i].failed) {
            fprintf(stderr, "bench_load: client %zu: %s\n", i, cl[i].err.msg);
            ok = false;
        }
    double t0 = now_ms();
    long long run0 = 0, run1 = 0, wait0 = 0, wait1 = 0;
    double self0 = self_cpu_ms();
    if (proc_sched(b->pid, &run0, &wait0) < 0)
        ok = false;
    g.deadline_ms = t0 + seconds * 1e3;
    g.phase = ok ? 1 : 2;
    pthread_cond_broadcast(&g.cv);
    pthread_mutex_unlock(&g.mu);

    /* the submitting clients, then stop the query client */
    size_t subs_started = started < (size_t)n_clients ? started : (size_t)n_clients;
    for (size_t i = 0; i < subs_started; i++)
        pthread_join(th[i], NULL);
    double t1 = now_ms();
    if (proc_sched(b->pid, &run1, &wait1) < 0)
        ok = false;
    double self1 = self_cpu_ms();
    atomic_store(&g.stop, true);
    for (size_t i = subs_started; i < started; i++)
        pthread_join(th[i], NULL);
    if (!ok)
        goto out;

    for (size_t i = 0; i < (size_t)n_clients; i++) {
        client *c = &cl[i];
        res->subs += c->subs;
        res->recs += c->recs;
        res->busy += c->busy;
        res->gave_up += c->gave_up;
        res->failed += c->failed;
        res->timeouts += c->timeouts;
        for (size_t k = 0; k < c->lat.n; k++)
            if (samples_add(&all, c->lat.v[k]) < 0) {
                fprintf(stderr, "bench_load: out of memory\n");
                goto out;
            }
        if (c->failed || c->timeouts)
            fprintf(stderr, "bench_load: client %zu (%s): %s\n", i, b->orgs[c->org].id, c->err.msg);
    }
    res->elapsed_ms = t1 - t0;
    res->subs_s = (double)res->subs / (res->elapsed_ms / 1e3);
    res->recs_s = (double)res->recs / (res->elapsed_ms / 1e3);
    percentiles(&all, &res->p50, &res->p99, &res->max);
    res->daemon_cpu_pct = (double)(run1 - run0) / 1e6 / res->elapsed_ms * 100;
    res->bench_cpu_pct = (self1 - self0) / res->elapsed_ms * 100;
    res->daemon_wait_pct = (double)(wait1 - wait0) / 1e6 / res->elapsed_ms * 100;
    if (queries) {
        client *q = &cl[n - 1];
        if (q->failed || q->timeouts) {
            fprintf(stderr, "bench_load: staff client: %s\n", q->err.msg);
            res->failed += q->failed;
            res->timeouts += q->timeouts;
        }
        percentiles(&q->snap, &res->snap_p50, &res->snap_p99, &res->snap_max);
        percentiles(&q->series, &res->series_p50, &res->series_p99, &res->series_max);
        res->n_snap = (long long)q->snap.n;
        res->n_series = (long long)q->series.n;
    }
    if (daemon_quiet(b, &res->settle_ms, &res->after_cpu_ms, QUIET_LIMIT_MS) < 0) {
        fprintf(stderr, "bench_load: cannot read leamond's /proc entries\n");
        goto out;
    }
    if (res->recs)
        res->cpu_us_rec = ((double)(run1 - run0) / 1e3 + res->after_cpu_ms * 1e3) / (double)res->recs;
    if (idle && idle_phase(b, scenario, idle) < 0)
        goto out;
    if (proc_status_kb(b->pid, "VmHWM", &res->hwm_kb) < 0) {
        fprintf(stderr, "bench_load: cannot read VmHWM of leamond\n");
        goto out;
    }
    rc = res->failed || res->timeouts ? -1 : 0;
out:
    if (daemon_stop(b) < 0)
        rc = -1;
    if (!b->opt.keep && remove_db(db) < 0)
        fprintf(stderr, "bench_load: could not remove %s\n", db);
    samples_free(&all);
    if (cl)
        for (size_t i = 0; i < n; i++) {
            samples_free(&cl[i].lat);
            samples_free(&cl[i].snap);
            samples_free(&cl[i].series);
        }
    if (gate_ok)
        gate_destroy(&g);
    free(cl);
    free(th);
    return rc;
}

/* ---- the ceiling ------------------------------------------------------------------ */

typedef struct {
    long long records, subs, commits;
    double ms, cpu_ms;
} ceil_result;

/* The records of a scenario with n_orgs clients, per_sub records a submission, straight
 * through the store: per_txn records a transaction; stops after total records or max_ms. */
static int ceiling_run(bench *b, size_t n_orgs, long long per_sub, long long per_txn,
                       long long total, double max_ms, int tag, ceil_result *out)
{
    char name[64], db[PATH_LEN];
    lm_error err;
    snprintf(name, sizeof name, "ceiling-%d.db", tag);
    if (join(db, sizeof db, b->dir, name) < 0 || remove_db(db) < 0)
        return -1;
    store *s = NULL;
    if (store_open(&s, db, &err) < 0) {
        fprintf(stderr, "bench_load: %s\n", err.msg);
        return -1;
    }
    uint64_t *cursor = calloc(n_orgs, sizeof *cursor);
    if (!cursor) {
        store_close(&s);
        return -1;
    }
    memset(out, 0, sizeof *out);
    int rc = 0;
    bool open = false;
    long long in_txn = 0;
    int64_t now = (int64_t)time(NULL);
    double t0 = now_ms(), cpu0 = self_cpu_ms();
    while (out->records < total && !(max_ms > 0 && now_ms() - t0 >= max_ms) && !interrupted) {
        size_t o = (size_t)(out->subs % (long long)n_orgs);
        const char *who = b->orgs[o].id;
        char id[48];
        int64_t row;
        snprintf(id, sizeof id, "ceiling-%lld", out->subs);
        if ((!open && store_begin(s) < 0) ||
            store_add_submission(s, who, id, now, per_sub, mix((uint64_t)out->subs), &row) < 0) {
            rc = -1;
            break;
        }
        open = true;
        for (long long k = 0; rc == 0 && k < per_sub; k++) {
            gen_rec r;
            gen_record(b, o, cursor[o]++, &r);
            if (store_put_observation(s, who, b->metrics[r.metric]->code,
                                      b->month_text[r.month - b->first_month], b->areas[r.area],
                                      r.value, row, now) < 0)
                rc = -1;
        }
        if (rc < 0)
            break;
        out->records += per_sub;
        out->subs++;
        in_txn += per_sub;
        if (in_txn >= per_txn) {
            if (store_commit(s) < 0) {
                rc = -1;
                break;
            }
            open = false;
            in_txn = 0;
            out->commits++;
        }
    }
    if (rc == 0 && open) {
        if (store_commit(s) < 0)
            rc = -1;
        else
            out->commits++;
    }
    out->ms = now_ms() - t0;
    out->cpu_ms = self_cpu_ms() - cpu0;
    if (rc < 0) {
        fprintf(stderr, "bench_load: ceiling: %s\n", store_errmsg(s));
        store_rollback(s);
    }
    store_close(&s);
    free(cursor);
    if (!b->opt.keep && remove_db(db) < 0)
        fprintf(stderr, "bench_load: could not remove %s\n", db);
    return rc;
}

/* The raw ceiling: what SQLite itself does with the same records, as a reference that
 * shares none of leamond's costs: a bare table with a 4-column key, one prepared upsert,
 * WAL, synchronous=FULL, CEILING_BATCH records a transaction. */
static int raw_ceiling_run(bench *b, size_t n_orgs, long long total, int tag, ceil_result *out)
{
    char name[64], db[PATH_LEN];
    snprintf(name, sizeof name, "raw-%d.db", tag);
    if (join(db, sizeof db, b->dir, name) < 0 || remove_db(db) < 0)
        return -1;
    sqlite3 *s = NULL;
    sqlite3_stmt *put = NULL;
    uint64_t *cursor = calloc(n_orgs, sizeof *cursor);
    int rc = cursor && sqlite3_open(db, &s) == SQLITE_OK ? 0 : -1;
    if (rc == 0 &&
        sqlite3_exec(s, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                        "CREATE TABLE figure (reporter TEXT NOT NULL, metric TEXT NOT NULL,"
                        " period TEXT NOT NULL, area TEXT NOT NULL, value REAL NOT NULL,"
                        " PRIMARY KEY (reporter, metric, period, area)) WITHOUT ROWID;",
                     NULL, NULL, NULL) != SQLITE_OK)
        rc = -1;
    if (rc == 0 &&
        sqlite3_prepare_v2(s, "INSERT INTO figure VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT"
                              " (reporter, metric, period, area) DO UPDATE SET value = excluded.value",
                           -1, &put, NULL) != SQLITE_OK)
        rc = -1;
    memset(out, 0, sizeof *out);
    double t0 = now_ms(), cpu0 = self_cpu_ms();
    while (rc == 0 && out->records < total && !interrupted) {
        if (sqlite3_exec(s, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
            rc = -1;
            break;
        }
        for (long long k = 0; rc == 0 && k < CEILING_BATCH; k++, out->records++) {
            size_t o = (size_t)(out->records % (long long)n_orgs);
            gen_rec r;
            gen_record(b, o, cursor[o]++, &r);
            sqlite3_bind_text(put, 1, b->orgs[o].id, -1, SQLITE_STATIC);
            sqlite3_bind_text(put, 2, b->metrics[r.metric]->code, -1, SQLITE_STATIC);
            sqlite3_bind_text(put, 3, b->month_text[r.month - b->first_month], -1, SQLITE_STATIC);
            sqlite3_bind_text(put, 4, b->areas[r.area], -1, SQLITE_STATIC);
            sqlite3_bind_double(put, 5, r.value);
            if (sqlite3_step(put) != SQLITE_DONE)
                rc = -1;
            sqlite3_reset(put);
        }
        if (rc == 0 && sqlite3_exec(s, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
            rc = -1;
        out->commits++;
    }
    out->ms = now_ms() - t0;
    out->cpu_ms = self_cpu_ms() - cpu0;
    if (rc < 0)
        fprintf(stderr, "bench_load: raw ceiling: %s\n", s ? sqlite3_errmsg(s) : "out of memory");
    sqlite3_finalize(put);
    sqlite3_close(s);
    free(cursor);
    if (!b->opt.keep && remove_db(db) < 0)
        fprintf(stderr, "bench_load: could not remove %s\n", db);
    return rc;
}

/* ---- the templates: millions of figures before the round starts ------------------------ */

typedef struct {
    long long figures, submissions;
    size_t reporters;       /* with figures: all of the first `reporters`, the last maybe not */
    double fill_ms;
    double current_ms, current_cpu_ms;
    long long current_hwm_kb;
    long long bytes;        /* the template file, current */
    char path[PATH_LEN];
} tmpl_result;

/* The hash behind the template's figure of reporter org, area a, month and the kind's
 * metric number k; the top bit keeps it apart from the load's. */
static uint64_t tmpl_hash(size_t org, int a, int month, uint64_t k)
{
    return mix((1ull << 63) ^ ((uint64_t)org << 40) ^ ((uint64_t)a << 24) ^
               ((uint64_t)month << 6) ^ k);
}

/* Fill db (a new file) with size figures of the templates' reporters, only through the
 * store, month by month from the catalogue's first_period to the current month as they
 * would arrive: each reporter's figures of a month in one submission, received after the
 * month's end. The first reporters report every figure; the last one only its first
 * months' (a location that closed), so that the count is exact. Transactions of FILL_TXN
 * records that do not wait for the disk (store_begin_derived): a fixture needs no
 * durability, and so the fill costs SQLite's work, not fsyncs. */
static int tmpl_fill(bench *b, const char *db, long long size, tmpl_result *out)
{
    size_t full = 0;
    uint64_t sum = 0;
    while (full < b->n_torgs && sum + tmpl_org_figures(b, &b->torgs[full]) <= (uint64_t)size)
        sum += tmpl_org_figures(b, &b->torgs[full++]);
    uint64_t rest = (uint64_t)size - sum;   /* of reporter `full` */
    if (full == b->n_torgs && rest) {
        fprintf(stderr, "bench_load: too few reporters for %lld figures\n", size);
        return -1;
    }
    out->reporters = full + (rest ? 1 : 0);
    lm_error err;
    store *s = NULL;
    if (remove_db(db) < 0) {
        fprintf(stderr, "bench_load: %s: %s\n", db, strerror(errno));
        return -1;
    }
    if (store_open(&s, db, &err) < 0) {
        fprintf(stderr, "bench_load: %s\n", err.msg);
        return -1;
    }
    time_t now = time(NULL);
    double t0 = now_ms();
    long long in_txn = 0;
    bool open = false;
    int rc = 0;
    for (int m = b->first_month; rc == 0 && m <= b->this_month && !interrupted; m++) {
        const char *ptext = b->month_text[m - b->first_month];
        period mp = period_month_from_number(m);
        time_t end = period_end(&mp);
        for (size_t i = 0; rc == 0 && i < out->reporters; i++) {
            const tmpl_org *o = &b->torgs[i];
            uint64_t n_m = b->n_kind_metrics[o->kind], n = n_m * (uint64_t)o->n_areas;
            if (i == full) {
                uint64_t before = n * (uint64_t)(m - b->first_month);
                n = rest <= before ? 0 : rest - before < n ? rest - before : n;
            }
            if (n == 0)
                continue;
            int64_t received = (int64_t)end + (int64_t)(i % 9) * 86400 + (int64_t)(i % 3600);
            if (received > (int64_t)now)
                received = (int64_t)now;
            char req[48];
            int64_t sub;
            snprintf(req, sizeof req, "fill-%s", ptext);
            if ((!open && store_begin_derived(s) < 0) ||
                store_add_submission(s, o->id, req, received, (int64_t)n,
                                     mix(((uint64_t)i << 24) ^ (uint64_t)m), &sub) < 0) {
                rc = -1;
                break;
            }
            open = true;
            for (uint64_t k = 0; k < n; k++) {
                int a = tmpl_area(b, o, (int)(k / n_m));
                const metric *mt = b->kind_metrics[o->kind][k % n_m];
                if (store_put_observation(s, o->id, mt->code, ptext, b->areas[a],
                                          gen_value(b, mt, tmpl_hash(i, a, m, k % n_m), 0), sub,
                                          received) < 0) {
                    rc = -1;
                    break;
                }
            }
            out->figures += (long long)n;
            out->submissions++;
            in_txn += (long long)n;
            if (rc == 0 && in_txn >= FILL_TXN) {
                if (store_commit_derived(s) < 0)
                    rc = -1;
                open = false;
                in_txn = 0;
            }
        }
    }
    if (rc == 0 && open && store_commit_derived(s) < 0)
        rc = -1;
    if (rc < 0) {
        fprintf(stderr, "bench_load: filling %s: %s\n", db, store_errmsg(s));
        store_rollback(s);
    }
    store_close(&s);
    out->fill_ms = now_ms() - t0;
    if (interrupted)
        rc = -1;
    else if (rc == 0 && out->figures != size) {
        fprintf(stderr, "bench_load: the template holds %lld figures, not %lld\n", out->figures,
                size);
        rc = -1;
    }
    return rc;
}

/* Make the template current the way leamond itself would: start it on the file once
 * (it computes every snapshot, judges the rules and stores the registry's digest), wait
 * until it is quiet, stop it. The stopped daemon leaves no -wal behind, so a copy of the
 * file is the whole database. */
static int tmpl_current(bench *b, const char *db, const char *name, tmpl_result *out)
{
    double t0 = now_ms(), settle, cpu;
    if (daemon_start(b, db, name) < 0)
        return -1;
    if (daemon_ready(b, TMPL_LIMIT_MS) < 0 || daemon_quiet(b, &settle, &cpu, TMPL_LIMIT_MS) < 0 ||
        proc_status_kb(b->pid, "VmHWM", &out->current_hwm_kb) < 0) {
        daemon_stop(b);
        return -1;
    }
    out->current_ms = now_ms() - t0;
    long long c;
    if (proc_cpu_ticks(b->pid, &c) == 0)
        out->current_cpu_ms = (double)c * 1e3 / (double)b->clk_tck;
    if (daemon_stop(b) < 0)
        return -1;
    char wal[PATH_LEN + 8];
    struct stat st;
    snprintf(wal, sizeof wal, "%s-wal", db);
    if (stat(wal, &st) == 0 && st.st_size > 0) {
        fprintf(stderr, "bench_load: leamond left %s behind (%lld bytes): a copy of %s alone "
                        "would not be the whole database\n", wal, (long long)st.st_size, db);
        return -1;
    }
    if (stat(db, &st) != 0) {
        fprintf(stderr, "bench_load: %s: %s\n", db, strerror(errno));
        return -1;
    }
    out->bytes = (long long)st.st_size;
    return remove_db_side_files(db);
}

/* ---- the incremental refresh, in-process --------------------------------------------- */

typedef struct {
    const bench *b;
    size_t org;          /* of the templates' reporters */
    int area;
    uint64_t metric;     /* the kind's metric number */
} refresh_ctx;

/* The template's figure (as tmpl_fill made it), another one in every repetition. */
static double refresh_value(void *ctx, const metric *m, int month, long long rep)
{
    const refresh_ctx *c = ctx;
    return refresh_changed_value(
        m, gen_value(c->b, m, tmpl_hash(c->org, c->area, month, c->metric), 0), rep);
}

/* snapshot_refresh after one record committed through the store (a kinderopvang location
 * of the templates changes vve.doelgroep.geplaatst of its home wijk for last month), on a
 * copy of the template tmpl (NULL: an empty database), --refresh-repeat times, in-process
 * as bench_snapshot times it. */
static int refresh_at(bench *b, const registry *reg, const char *tmpl, refresh_summary *out)
{
    char db[PATH_LEN];
    if (join(db, sizeof db, b->dir, "refresh.db") < 0 || remove_db(db) < 0 ||
        (tmpl && copy_file(tmpl, db, true) < 0))
        return -1;
    const tmpl_org *o = &b->torgs[b->refresh_org];
    size_t n_m = b->n_kind_metrics[KIND_KINDEROPVANG], k = 0;
    const metric *placed = catalog_metric(&b->cat, "vve.doelgroep.geplaatst");
    while (k < n_m && b->kind_metrics[KIND_KINDEROPVANG][k] != placed)
        k++;
    if (k == n_m)
        k = 0; /* a catalogue without it: the first metric of a location */
    const metric *ms[1] = {b->kind_metrics[KIND_KINDEROPVANG][k]};
    int month = b->this_month - 1 >= b->first_month ? b->this_month - 1 : b->this_month;
    refresh_ctx ctx = {b, b->refresh_org, o->start, k};
    refresh_job job = {o->id, b->areas[o->start], ms, 1, month, 1, refresh_value, &ctx, "refresh"};
    store *s = NULL;
    lm_error err;
    refresh_series ser;
    memset(&ser, 0, sizeof ser);
    int rc = -1;
    if (store_open(&s, db, &err) < 0 ||
        refresh_run(s, reg, &job, b->opt.refresh_repeat, &ser, &err) < 0)
        fprintf(stderr, "bench_load: the timed refresh: %s\n", err.msg);
    else if (refresh_summarise(&ser, out) < 0)
        fprintf(stderr, "bench_load: out of memory\n");
    else
        rc = 0;
    refresh_series_free(&ser);
    store_close(&s);
    if (!b->opt.keep && remove_db(db) < 0)
        fprintf(stderr, "bench_load: could not remove %s\n", db);
    return rc;
}

/* ---- main --------------------------------------------------------------------------- */

typedef struct {
    size_t size_index;   /* into opt.sizes */
    long long size;      /* figures in the database when a round starts */
    long long clients, records;
    bool queries;
    bool own_ceilings;   /* the ceilings through leamond's store after each round */
    bool raw;            /* the raw ceiling after each round */
    long long rounds;
    double seconds;
    round_result *r;     /* one per round */
    /* medians */
    double subs_s, recs_s, p50, p99, max, dcpu, bcpu, dwait, after_ms, us_rec;
    double ceil_batch_us, ceil_single_us;
    double snap_p50, snap_p99, series_p50, series_p99;
    long long busy, gave_up, n_snap, n_series, recs_med;
    long long hwm_kb;
    /* the ceiling for it */
    double ceil_batch_rs, ceil_single_rs;   /* records/s; 0: not run */
    long long ceil_records, ceil_single_records;
    double raw_rs, raw_us;                  /* the raw ceiling */
} scenario;

/* What was measured at one size. */
typedef struct {
    long long size;
    bool has_tmpl;
    tmpl_result t;
    bool refreshed;
    refresh_summary refresh;
    idle_result idle;    /* after the last round of its query scenario */
} size_result;

/* The median over the rounds of one field. */
static double med_field(const scenario *sc, size_t offset)
{
    double v[100];
    for (long long i = 0; i < sc->rounds; i++)
        v[i] = *(const double *)((const char *)&sc->r[i] + offset);
    return median(v, (size_t)sc->rounds);
}

static void summarise(scenario *sc)
{
    long long rounds = sc->rounds;
    sc->subs_s = med_field(sc, offsetof(round_result, subs_s));
    sc->recs_s = med_field(sc, offsetof(round_result, recs_s));
    sc->p50 = med_field(sc, offsetof(round_result, p50));
    sc->p99 = med_field(sc, offsetof(round_result, p99));
    sc->max = med_field(sc, offsetof(round_result, max));
    sc->dcpu = med_field(sc, offsetof(round_result, daemon_cpu_pct));
    sc->bcpu = med_field(sc, offsetof(round_result, bench_cpu_pct));
    sc->dwait = med_field(sc, offsetof(round_result, daemon_wait_pct));
    sc->us_rec = med_field(sc, offsetof(round_result, cpu_us_rec));
    sc->ceil_batch_us = med_field(sc, offsetof(round_result, ceil_batch_us));
    sc->ceil_single_us = med_field(sc, offsetof(round_result, ceil_single_us));
    sc->ceil_batch_rs = med_field(sc, offsetof(round_result, ceil_batch_rs));
    sc->raw_rs = med_field(sc, offsetof(round_result, raw_rs));
    sc->raw_us = med_field(sc, offsetof(round_result, raw_us));
    sc->ceil_single_rs = med_field(sc, offsetof(round_result, ceil_single_rs));
    sc->after_ms = med_field(sc, offsetof(round_result, after_cpu_ms));
    sc->snap_p50 = med_field(sc, offsetof(round_result, snap_p50));
    sc->snap_p99 = med_field(sc, offsetof(round_result, snap_p99));
    sc->series_p50 = med_field(sc, offsetof(round_result, series_p50));
    sc->series_p99 = med_field(sc, offsetof(round_result, series_p99));
    double recs[100], cb[100], cs[100];
    for (long long i = 0; i < rounds; i++) {
        cb[i] = (double)sc->r[i].ceil_batch_records;
        cs[i] = (double)sc->r[i].ceil_single_records;
        sc->busy += sc->r[i].busy;
        sc->gave_up += sc->r[i].gave_up;
        sc->n_snap += sc->r[i].n_snap;
        sc->n_series += sc->r[i].n_series;
        sc->hwm_kb = sc->r[i].hwm_kb > sc->hwm_kb ? sc->r[i].hwm_kb : sc->hwm_kb;
        recs[i] = (double)sc->r[i].recs;
    }
    sc->recs_med = (long long)median(recs, (size_t)rounds);
    sc->ceil_records = (long long)median(cb, (size_t)rounds);
    sc->ceil_single_records = (long long)median(cs, (size_t)rounds);
}

/* 3000000 -> "3 M", 250000 -> "250 k", 0 -> "0" */
static const char *size_text(long long v, char *buf, size_t size)
{
    if (v && v % 1000000 == 0)
        snprintf(buf, size, "%lld M", v / 1000000);
    else if (v && v % 1000 == 0)
        snprintf(buf, size, "%lld k", v / 1000);
    else
        thousands(v, buf, size);
    return buf;
}

static const char *label(const scenario *sc, char *buf, size_t size)
{
    char t[32], z[32];
    int n = snprintf(buf, size, "%lld client%s x %s record%s", sc->clients,
                     sc->clients == 1 ? " " : "s", thousands(sc->records, t, sizeof t),
                     sc->records == 1 ? "" : "s");
    if (sc->size && n >= 0 && (size_t)n < size)
        snprintf(buf + n, size - (size_t)n, " at %s", size_text(sc->size, z, sizeof z));
    return buf;
}

/* The program's directory + "/../leamond". */
static int find_leamond(bench *b)
{
    if (b->opt.leamond) {
        snprintf(b->leamond, sizeof b->leamond, "%s", b->opt.leamond);
    } else {
        char self[PATH_LEN];
        ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
        if (n <= 0) {
            fprintf(stderr, "bench_load: /proc/self/exe: %s\n", strerror(errno));
            return -1;
        }
        self[n] = '\0';
        char *slash = strrchr(self, '/');
        if (slash)
            *slash = '\0';
        if (snprintf(b->leamond, sizeof b->leamond, "%s/../leamond", self) >= (int)sizeof b->leamond)
            return -1;
    }
    if (access(b->leamond, X_OK) != 0) {
        fprintf(stderr, "bench_load: %s: %s (build it with make, or give --leamond PATH)\n",
                b->leamond, strerror(errno));
        return -1;
    }
    return 0;
}

/* The load averages of /proc/loadavg, or "?". */
static void load_average(char *buf, size_t size)
{
    double load[3];
    if (getloadavg(load, 3) == 3)
        snprintf(buf, size, "%.2f %.2f %.2f", load[0], load[1], load[2]);
    else
        snprintf(buf, size, "?");
}

/* The scenario of size index z with these clients and records (not the query one). */
static const scenario *find_scenario(const scenario *sc, size_t n, size_t z, long long clients,
                                     long long records)
{
    for (size_t i = 0; i < n; i++)
        if (!sc[i].queries && sc[i].size_index == z && sc[i].clients == clients &&
            sc[i].records == records)
            return &sc[i];
    return NULL;
}

static const scenario *query_scenario(const scenario *sc, size_t n, size_t z)
{
    for (size_t i = 0; i < n; i++)
        if (sc[i].queries && sc[i].size_index == z)
            return &sc[i];
    return NULL;
}

/* A row of the summary: met is 1, 0, or -1 when it was not measured. */
static void summary_row(const char *what, const char *measured, int met)
{
    printf("  %-52s %-36s %s\n", what, measured,
           met < 0 ? "not measured" : met ? "met" : "NOT met");
}

/* Run every round of scenario i, with its ceilings. */
static int run_scenario(bench *b, scenario *sc, int i, const char *tmpl, idle_result *idle,
                        double t_start)
{
    char lb[64];
    scenario *s = &sc[i];
    for (long long r = 0; r < s->rounds; r++) {
        fprintf(stderr, "[%5.1f s] %s%s, round %lld of %lld ...\n", (now_ms() - t_start) / 1e3,
                label(s, lb, sizeof lb), s->queries ? " with queries" : "", r + 1, s->rounds);
        bool last = s->queries && r + 1 == s->rounds;
        if (run_round(b, i, (int)r, tmpl, s->seconds, s->clients, s->records, s->queries,
                      last ? idle : NULL, &s->r[r]) < 0 || interrupted)
            return -1;
        round_result *rr = &s->r[r];
        fprintf(stderr, "  %.0f submissions/s, %.0f records/s, p99 %.1f ms, %lld busy, "
                        "leamond CPU %.0f%% (waited for a CPU %.0f%%), %.2f s CPU after the load\n",
                rr->subs_s, rr->recs_s, rr->p99, rr->busy, rr->daemon_cpu_pct,
                rr->daemon_wait_pct, rr->after_cpu_ms / 1e3);
        /* the ceilings: the same records, now, so that they meet the same machine as the
         * round did */
        long long total = rr->recs > CEILING_MIN_RECORDS ? rr->recs : CEILING_MIN_RECORDS;
        for (int variant = 0; s->own_ceilings && variant < (s->records == 1 ? 2 : 1); variant++) {
            ceil_result cr;
            if (ceiling_run(b, (size_t)s->clients, s->records, variant ? 1 : CEILING_BATCH, total,
                            variant ? b->opt.ceiling_seconds * 1e3 : 0, i, &cr) < 0 ||
                interrupted)
                return -1;
            double rate = (double)cr.records / (cr.ms / 1e3);
            double us = cr.records ? cr.cpu_ms * 1e3 / (double)cr.records : 0;
            if (variant) {
                rr->ceil_single_rs = rate;
                rr->ceil_single_us = us;
                rr->ceil_single_records = cr.records;
            } else {
                rr->ceil_batch_rs = rate;
                rr->ceil_batch_us = us;
                rr->ceil_batch_records = cr.records;
            }
            fprintf(stderr, "  ceiling, %s: %s records, %.0f records/s\n",
                    variant ? "one transaction per record" : "1,000 records per transaction",
                    thousands(cr.records, lb, sizeof lb), rate);
        }
        if (!s->raw)
            continue;
        ceil_result raw;
        if (raw_ceiling_run(b, (size_t)s->clients, total, i, &raw) < 0 || interrupted)
            return -1;
        rr->raw_rs = (double)raw.records / (raw.ms / 1e3);
        rr->raw_us = raw.records ? raw.cpu_ms * 1e3 / (double)raw.records : 0;
        fprintf(stderr, "  raw ceiling (a bare table): %s records, %.0f records/s\n",
                thousands(raw.records, lb, sizeof lb), rr->raw_rs);
    }
    summarise(s);
    return 0;
}

/* Fill the template of size sr->size, make it current; progress on stderr. */
static int make_template(bench *b, size_result *sr, double t_start)
{
    char name[64], t1[32];
    snprintf(name, sizeof name, "template-%lld", sr->size);
    if (join(sr->t.path, sizeof sr->t.path, b->dir, name) < 0 || strlen(sr->t.path) + 3 >= PATH_LEN)
        return -1;
    strcat(sr->t.path, ".db");
    fprintf(stderr, "[%5.1f s] template of %s figures: filling through the store ...\n",
            (now_ms() - t_start) / 1e3, size_text(sr->size, t1, sizeof t1));
    if (tmpl_fill(b, sr->t.path, sr->size, &sr->t) < 0)
        return -1;
    fprintf(stderr, "  %.1f s (%.0f figures/s); leamond makes it current ...\n",
            sr->t.fill_ms / 1e3, (double)sr->t.figures / (sr->t.fill_ms / 1e3));
    if (tmpl_current(b, sr->t.path, name, &sr->t) < 0)
        return -1;
    fprintf(stderr, "  %.1f s, %.0f MiB\n", sr->t.current_ms / 1e3,
            (double)sr->t.bytes / 1048576.0);
    sr->has_tmpl = true;
    return 0;
}

int main(int argc, char **argv)
{
    bench b;
    memset(&b, 0, sizeof b);
    if (parse_options(argc, argv, &b.opt) < 0)
        return 2;
    const options *opt = &b.opt;
    b.clk_tck = sysconf(_SC_CLK_TCK);
    if (b.clk_tck <= 0)
        b.clk_tck = 100;
    if (find_leamond(&b) < 0)
        return 1;
    /* A child that cannot take a reply (a daemon gone) must not kill us; ^C stops cleanly. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    if (sigemptyset(&sa.sa_mask) != 0 || sigaction(SIGINT, &sa, NULL) != 0 ||
        sigaction(SIGTERM, &sa, NULL) != 0 || signal(SIGPIPE, SIG_IGN) == SIG_ERR) {
        perror("bench_load: signals");
        return 1;
    }

    if (snprintf(b.dir, sizeof b.dir, "%s/leamon-load-XXXXXX", opt->dir) >= (int)sizeof b.dir ||
        !mkdtemp(b.dir)) {
        fprintf(stderr, "bench_load: cannot make a temp dir in %s: %s\n", opt->dir, strerror(errno));
        return 1;
    }
    int rc = 1;
    char load_start[64], load_end[64];
    load_average(load_start, sizeof load_start);
    double t_start = now_ms();
    /* at most: every pair and the queries at each size */
    size_t per_size = opt->n_records * opt->n_clients + 1;
    scenario *sc = calloc(opt->n_sizes * per_size, sizeof *sc);
    size_result *sres = calloc(opt->n_sizes, sizeof *sres);
    size_t n_sc = 0;
    registry reg;
    bool reg_loaded = false;
    if (!sc || !sres) {
        fprintf(stderr, "bench_load: out of memory\n");
        goto out;
    }
    if (join(b.conf, sizeof b.conf, b.dir, "leamond.conf") < 0 ||
        join(b.catalog, sizeof b.catalog, b.dir, "catalog.conf") < 0 ||
        join(b.partners, sizeof b.partners, b.dir, "partners.conf") < 0 ||
        join(b.server_key, sizeof b.server_key, b.dir, "server.key") < 0) {
        fprintf(stderr, "bench_load: %s: path too long\n", b.dir);
        goto out;
    }
    if (copy_file(opt->catalog, b.catalog, false) < 0 || bench_catalog(&b) < 0 ||
        bench_partners(&b) < 0 || bench_conf(&b) < 0)
        goto out;
    long long most_records = 0, fewest_records = LLONG_MAX, most_clients = 0,
              fewest_clients = LLONG_MAX;
    for (size_t i = 0; i < opt->n_records; i++) {
        most_records = opt->records[i] > most_records ? opt->records[i] : most_records;
        fewest_records = opt->records[i] < fewest_records ? opt->records[i] : fewest_records;
    }
    for (size_t i = 0; i < opt->n_clients; i++) {
        most_clients = opt->clients[i] > most_clients ? opt->clients[i] : most_clients;
        fewest_clients = opt->clients[i] < fewest_clients ? opt->clients[i] : fewest_clients;
    }
    long long most_sent = most_records;
    if (!opt->no_queries && opt->query_records > most_sent)
        most_sent = opt->query_records;
    if (keys_per_pass(&b) < (uint64_t)most_sent) {
        fprintf(stderr, "bench_load: a location has only %llu distinct (metric, area, month) keys, "
                        "fewer than %lld records: give more --wijken\n",
                (unsigned long long)keys_per_pass(&b), most_sent);
        goto out;
    }
    {
        settings set;
        lm_error err;
        settings_defaults(&set);
        snprintf(set.catalog, sizeof set.catalog, "%s", b.catalog);
        snprintf(set.partners, sizeof set.partners, "%s", b.partners);
        if (registry_load(&reg, &set, &err) < 0) {
            fprintf(stderr, "bench_load: %s\n", err.msg);
            goto out;
        }
        reg_loaded = true;
    }
    if (!(b.zmq = zmq_ctx_new())) {
        fprintf(stderr, "bench_load: ZeroMQ context: %s\n", zmq_strerror(zmq_errno()));
        goto out;
    }

    /* The scenarios. Size 0: every pair, the ceilings, the queries. Above 0: the most
     * clients with the fewest records, the fewest clients with the most records (and its
     * raw ceiling), the queries. */
    for (size_t z = 0; z < opt->n_sizes; z++) {
        long long size = opt->sizes[z];
        sres[z].size = size;
        for (size_t r = 0; r < opt->n_records; r++)
            for (size_t c = 0; c < opt->n_clients; c++) {
                long long clients = opt->clients[c], records = opt->records[r];
                bool sub1 = clients == most_clients && records == fewest_records;
                bool big = clients == fewest_clients && records == most_records;
                if (size && !sub1 && !big)
                    continue;
                scenario *s = &sc[n_sc++];
                s->size_index = z;
                s->size = size;
                s->clients = clients;
                s->records = records;
                s->own_ceilings = size == 0;
                s->raw = size == 0 || big;
            }
        if (!opt->no_queries) {
            scenario *s = &sc[n_sc++];
            s->size_index = z;
            s->size = size;
            s->records = opt->query_records;
            s->clients = opt->query_clients;
            s->queries = true;
        }
    }
    for (size_t i = 0; i < n_sc; i++) {
        sc[i].rounds = sc[i].size ? opt->size_rounds : opt->rounds;
        sc[i].seconds = sc[i].size ? opt->size_seconds : opt->seconds;
        if (!(sc[i].r = calloc((size_t)sc[i].rounds, sizeof *sc[i].r))) {
            fprintf(stderr, "bench_load: out of memory\n");
            goto out;
        }
    }

    /* Size by size: its template, its rounds, the refresh. */
    for (size_t z = 0; z < opt->n_sizes; z++) {
        size_result *sr = &sres[z];
        if (sr->size && make_template(&b, sr, t_start) < 0)
            goto out;
        const char *tmpl = sr->has_tmpl ? sr->t.path : NULL;
        for (size_t i = 0; i < n_sc; i++)
            if (sc[i].size_index == z && run_scenario(&b, sc, (int)i, tmpl, &sr->idle, t_start) < 0)
                goto out;
        char t1[32];
        fprintf(stderr, "[%5.1f s] the incremental refresh at %s, %lld times ...\n",
                (now_ms() - t_start) / 1e3, size_text(sr->size, t1, sizeof t1),
                opt->refresh_repeat);
        if (refresh_at(&b, &reg, tmpl, &sr->refresh) < 0 || interrupted)
            goto out;
        sr->refreshed = true;
        if (tmpl && !opt->keep && remove_db(tmpl) < 0)
            fprintf(stderr, "bench_load: could not remove %s\n", tmpl);
    }
    load_average(load_end, sizeof load_end);
    double took_s = (now_ms() - t_start) / 1e3;

    /* the tables */
    char t1[32], t2[32], t3[32], lb[64];
    printf("\nleamon load benchmark (leamond %s; SQLite %s; ZeroMQ %d.%d.%d; CURVE)\n\n",
           b.leamond, sqlite3_libversion(), ZMQ_VERSION_MAJOR, ZMQ_VERSION_MINOR, ZMQ_VERSION_PATCH);
    printf("parameters\n");
    size_t n_kt = 0;
    for (size_t i = 0; i < b.n_torgs; i++)
        n_kt += b.torgs[i].kind == KIND_KINDEROPVANG;
    printf("  %-30s %lld wijken + 1 gemeente; 1 viewer; the load: %zu kinderopvang locations (own\n"
           "  %-30s CURVE keys) that report for every wijk; the templates: a GGD and an RBL that report\n"
           "  %-30s for every wijk, the gemeente, %s kinderopvang locations for %lld wijken each\n",
           "partners", opt->wijken, b.n_orgs, "", "", thousands((long long)n_kt, t3, sizeof t3),
           opt->spread);
    printf("  %-30s %zu metrics x %d months (%s .. %s) x %zu areas per location = %s keys;\n"
           "  %-30s its home wijk first, from the current month back; the next wijken, the gemeente last\n",
           "records of the load", b.n_metrics, b.n_months, b.month_text[0],
           b.month_text[b.n_months - 1], b.n_areas,
           thousands((long long)keys_per_pass(&b), t1, sizeof t1), "");
    printf("  %-30s", "sizes (figures at the start)");
    for (size_t z = 0; z < opt->n_sizes; z++)
        printf("%s %s", z ? "," : "", size_text(opt->sizes[z], t1, sizeof t1));
    printf("%s\n", opt->long_mode ? " (long mode)" : "");
    if (opt->submissions)
        printf("  %-30s %lld submissions per client; size 0: %lld round%s, above: %lld (median "
               "shown);\n", "rounds", opt->submissions, opt->rounds, opt->rounds == 1 ? "" : "s",
               opt->size_rounds);
    else
        printf("  %-30s size 0: %lld round%s of %.1f s, above: %lld round%s of %.1f s (median "
               "shown);\n", "rounds", opt->rounds, opt->rounds == 1 ? "" : "s", opt->seconds,
               opt->size_rounds, opt->size_rounds == 1 ? "" : "s", opt->size_seconds);
    printf("  %-30s a fresh leamond on a fresh database each (empty, or a copy of the template)\n", "");
    printf("  %-30s log_level %s, batch_max %s, database in %s\n", "leamond", opt->log_level,
           opt->batch_max ? thousands(opt->batch_max, t2, sizeof t2) : "256 (default)", b.dir);
    printf("  %-30s %ld online, shared by the clients and leamond; load average %s at the start,\n"
           "  %-30s %s at the end\n", "CPUs", sysconf(_SC_NPROCESSORS_ONLN), load_start, "",
           load_end);

    printf("\nsubmissions through leamond (each client sends its next one after the reply; latency: "
           "first send to acknowledgement, 503 waits included)\n");
    printf("  %-34s %9s %10s %8s %8s %9s %6s %8s %10s\n", "scenario", "subs/s", "records/s",
           "p50 ms", "p99 ms", "max ms", "503s", "gave up", "peak RSS");
    for (size_t i = 0; i < n_sc; i++) {
        if (sc[i].queries)
            continue;
        printf("  %-34s %9.0f %10.0f %8.2f %8.2f %9.1f %6lld %8lld %6.1f MiB\n",
               label(&sc[i], lb, sizeof lb), sc[i].subs_s, sc[i].recs_s, sc[i].p50, sc[i].p99,
               sc[i].max, sc[i].busy, sc[i].gave_up, (double)sc[i].hwm_kb / 1024.0);
    }
    printf("  (subs/s, records/s: acknowledged; 503s, gave up: all rounds; gave up: still refused "
           "%.0f s after the\n   round's end, the wait until then counted as latency; peak RSS: "
           "leamond's VmHWM, max of rounds;\n   at N: the database held N figures when each round "
           "began)\n", opt->tail);

    printf("\nwhere the time went (during the round unless said otherwise)\n");
    printf("  %-34s %12s %15s %12s %13s %15s\n", "scenario", "leamond CPU", "waited for CPU",
           "clients CPU", "CPU after it", "CPU per record");
    for (size_t i = 0; i < n_sc; i++) {
        if (sc[i].queries)
            continue;
        printf("  %-34s %11.0f%% %14.0f%% %11.0f%% %11.2f s %12.0f us\n",
               label(&sc[i], lb, sizeof lb), sc[i].dcpu, sc[i].dwait, sc[i].bcpu,
               sc[i].after_ms / 1e3, sc[i].us_rec);
    }
    printf("  (%% of one core; waited for CPU: leamond's threads ready to run but not running, "
           "the clients\n   and other processes had the CPUs; CPU after it: leamond's work after "
           "the last acknowledgement\n   until it was quiet (snapshots, alert rules); CPU per "
           "record: leamond's, the work after it included)\n");

    printf("\nthe raw ceiling: the same records into a bare SQLite table (a 4-column key, one "
           "prepared upsert, WAL,\nsynchronous=FULL, 1,000 records a transaction): SQLite's own "
           "limit on this machine, none of leamond's costs\n");
    printf("  %-34s %9s %10s %13s   %-25s\n", "records of", "records", "records/s", "CPU/record",
           "leamond/raw: rate, CPU");
    for (size_t i = 0; i < n_sc; i++) {
        if (sc[i].queries || !sc[i].raw)
            continue;
        printf("  %-34s %9s %10.0f %10.1f us   %9.2f %9.1fx\n", label(&sc[i], lb, sizeof lb),
               thousands(sc[i].ceil_records ? sc[i].ceil_records : sc[i].recs_med, t1, sizeof t1),
               sc[i].raw_rs, sc[i].raw_us, sc[i].recs_s / sc[i].raw_rs,
               sc[i].us_rec / sc[i].raw_us);
    }
    printf("  (the raw ceiling always starts on an empty table: at the larger sizes it is the same "
           "reference)\n");

    printf("\nthe own-schema ceiling: the same records straight through the store (store_open: same schema, WAL, "
           "synchronous=FULL;\nstore_add_submission + store_put_observation, prepared statements), "
           "no network, no checks, no snapshots\n");
    printf("  %-34s %-20s %9s %10s %13s   %-25s\n", "records of", "transactions", "records",
           "records/s", "CPU/record", "leamond/ceiling: rate, CPU");
    for (size_t i = 0; i < n_sc; i++) {
        if (sc[i].queries || !sc[i].own_ceilings)
            continue;
        printf("  %-34s %-20s %9s %10.0f %10.1f us   %9.0f%% %9.1fx\n", label(&sc[i], lb, sizeof lb),
               "1,000 records each", thousands(sc[i].ceil_records, t1, sizeof t1),
               sc[i].ceil_batch_rs, sc[i].ceil_batch_us, sc[i].recs_s / sc[i].ceil_batch_rs * 100,
               sc[i].us_rec / sc[i].ceil_batch_us);
        if (sc[i].records == 1)
            printf("  %-34s %-20s %9s %10.0f %10.1f us   %9.0f%% %9.1fx\n", "", "one per record",
                   thousands(sc[i].ceil_single_records, t1, sizeof t1), sc[i].ceil_single_rs,
                   sc[i].ceil_single_us, sc[i].recs_s / sc[i].ceil_single_rs * 100,
                   sc[i].us_rec / sc[i].ceil_single_us);
    }
    printf("  (run after each round of leamond on an empty database, median shown; leamond/ceiling: "
           "leamond's\n   acknowledged records/s over the ceiling's, and leamond's CPU per record "
           "over the ceiling's; the\n   ceiling writes as many records as the round acknowledged, "
           "at least %s, and one transaction\n   per record for at most %.1f s)\n",
           thousands(CEILING_MIN_RECORDS, t1, sizeof t1), opt->ceiling_seconds);

    if (!opt->no_queries) {
        int last = b.this_month - 1 >= b.first_month ? b.this_month - 1 : b.this_month;
        int from = b.this_month - 11 >= b.first_month ? b.this_month - 11 : b.first_month;
        printf("\nqueries by a viewer (vve_bereik of the gemeente: snapshot of %s, series %s .. %s),\n"
               "one every %lld ms after the reply, during %lld clients x %s record%s, then idle\n",
               b.month_text[last - b.first_month], b.month_text[from - b.first_month],
               b.month_text[b.n_months - 1], opt->query_interval, opt->query_clients,
               thousands(opt->query_records, t1, sizeof t1), opt->query_records == 1 ? "" : "s");
        printf("  %-6s %-9s %8s %8s %8s %8s %8s %9s %14s\n", "size", "query", "n load", "p50 ms",
               "p99 ms", "n idle", "idle p50", "idle p99", "submit/s load");
        for (size_t z = 0; z < opt->n_sizes; z++) {
            const scenario *qs = query_scenario(sc, n_sc, z);
            const idle_result *id = &sres[z].idle;
            if (!qs)
                continue;
            size_text(sres[z].size, t1, sizeof t1);
            printf("  %-6s %-9s %8lld %8.2f %8.2f %8lld %8.2f %9.2f %12.0f/s\n", t1, "snapshot",
                   qs->n_snap, qs->snap_p50, qs->snap_p99, id->n_snap, id->snap_p50, id->snap_p99,
                   qs->subs_s);
            printf("  %-6s %-9s %8lld %8.2f %8.2f %8lld %8.2f %9.2f\n", "", "series", qs->n_series,
                   qs->series_p50, qs->series_p99, id->n_series, id->series_p50, id->series_p99);
        }
        printf("  (n: all rounds; p50/p99: median of the rounds; idle: after the load, leamond "
               "quiet, last round)\n");
        printf("\nleamond idle after the load (last round of the query scenario)\n");
        printf("  %-6s %26s %16s %26s\n", "size", "busy after the last request", "CPU then",
               "CPU while idle");
        for (size_t z = 0; z < opt->n_sizes; z++) {
            const idle_result *id = &sres[z].idle;
            if (!id->done)
                continue;
            printf("  %-6s %24.2f s %14.2f s %12.0f ms in %.1f s, %lld context switches\n",
                   size_text(sres[z].size, t1, sizeof t1), id->idle_settle_ms / 1e3,
                   id->idle_after_ms / 1e3, id->idle_cpu_ms, opt->idle_seconds, id->idle_switches);
        }
    }

    bool any_tmpl = false;
    for (size_t z = 0; z < opt->n_sizes; z++)
        any_tmpl |= sres[z].has_tmpl;
    if (any_tmpl) {
        printf("\ntemplates: filled once through the store (store_add_submission + "
               "store_put_observation, transactions of\n%s records without waiting for the disk), "
               "month by month as figures arrive, then made current by one start\nof leamond "
               "(every snapshot computed, the rules judged); each round starts on a copy\n",
               thousands(FILL_TXN, t1, sizeof t1));
        printf("  %-6s %11s %10s %12s %9s %23s   %s\n", "size", "figures", "reporters",
               "submissions", "file", "fill", "made current by leamond");
        for (size_t z = 0; z < opt->n_sizes; z++) {
            const tmpl_result *t = &sres[z].t;
            if (!sres[z].has_tmpl)
                continue;
            char rate[48], cur[80];
            long long per_s = (long long)((double)t->figures / (t->fill_ms / 1e3));
            snprintf(rate, sizeof rate, "%.1f s (%s/s)", t->fill_ms / 1e3,
                     thousands(per_s, t3, sizeof t3));
            snprintf(cur, sizeof cur, "%.1f s (%.1f s CPU), peak RSS %.1f MiB", t->current_ms / 1e3,
                     t->current_cpu_ms / 1e3, (double)t->current_hwm_kb / 1024.0);
            char rep[32];
            printf("  %-6s %11s %10s %12s %5.0f MiB %23s   %s\n",
                   size_text(sres[z].size, t1, sizeof t1), thousands(t->figures, t2, sizeof t2),
                   thousands((long long)t->reporters, rep, sizeof rep),
                   thousands(t->submissions, t3, sizeof t3),
                   (double)t->bytes / 1048576.0, rate, cur);
        }
    }

    /* one line per size: the figures the targets speak of */
    const scenario *sub1_0 = find_scenario(sc, n_sc, 0, most_clients, fewest_records);
    bool has_zero = opt->sizes[0] == 0;
    printf("\nby size (medians; %lld client%s x %s record%s: throughput and its share of the rate "
           "on an empty database;\n%lld client%s x %s record%s: records/s and its share of the raw "
           "ceiling of the same rounds)\n",
           most_clients, most_clients == 1 ? "" : "s", thousands(fewest_records, t1, sizeof t1),
           fewest_records == 1 ? "" : "s", fewest_clients, fewest_clients == 1 ? "" : "s",
           thousands(most_records, t2, sizeof t2), most_records == 1 ? "" : "s");
    printf("  %-6s %8s %6s %7s %8s %10s %6s %10s %10s %10s %8s %10s\n", "size", "subs/s", "vs 0",
           "p50 ms", "p99 ms", "records/s", "/raw", "snap idle", "snap load", "refresh", "p90",
           "peak RSS");
    printf("  %-6s %8s %6s %7s %8s %10s %6s %10s %10s %10s %8s %10s\n", "", "", "", "", "", "", "",
           "p99 ms", "p99 ms", "median ms", "ms", "");
    for (size_t z = 0; z < opt->n_sizes; z++) {
        const scenario *a = find_scenario(sc, n_sc, z, most_clients, fewest_records);
        const scenario *bg = find_scenario(sc, n_sc, z, fewest_clients, most_records);
        const scenario *qs = query_scenario(sc, n_sc, z);
        long long hwm = 0;
        for (size_t i = 0; i < n_sc; i++)
            if (sc[i].size_index == z && sc[i].hwm_kb > hwm)
                hwm = sc[i].hwm_kb;
        char vs[16] = "-", q1[16] = "-", q2[16] = "-";
        if (a && sub1_0 && has_zero && sub1_0->subs_s > 0)
            snprintf(vs, sizeof vs, "%.0f%%", a->subs_s / sub1_0->subs_s * 100);
        if (qs) {
            snprintf(q1, sizeof q1, "%.2f", sres[z].idle.snap_p99);
            snprintf(q2, sizeof q2, "%.2f", qs->snap_p99);
        }
        printf("  %-6s %8.0f %6s %7.2f %8.2f %10.0f %6.2f %10s %10s %10.2f %8.2f %6.1f MiB\n",
               size_text(sres[z].size, t1, sizeof t1), a ? a->subs_s : 0, vs, a ? a->p50 : 0,
               a ? a->p99 : 0,
               bg ? bg->recs_s : 0, bg && bg->raw_rs > 0 ? bg->recs_s / bg->raw_rs : 0, q1, q2,
               sres[z].refresh.median, sres[z].refresh.p90, (double)hwm / 1024.0);
    }
    printf("  (refresh: the snapshot refresh in-process, as leamond's derive thread runs it, after one\n"
           "   record committed through the store, on a copy of the template; median and p90 of %lld;\n"
           "   peak RSS: leamond's, max of the rounds at that size)\n", opt->refresh_repeat);

    /* the summary: one line per target */
    char m1[128], head[96];
    printf("\nsummary: the targets (medians of rounds; ratios within this run; %ld CPUs; load "
           "average %s at\nthe start, %s at the end; this run took %.0f s)\n",
           sysconf(_SC_NPROCESSORS_ONLN), load_start, load_end, took_s);
    printf("  %-52s %-36s %s\n", "target", "measured", "verdict");
    {
        const scenario *one = has_zero ? find_scenario(sc, n_sc, 0, 1, 1000) : NULL;
        const scenario *many = has_zero ? find_scenario(sc, n_sc, 0, 50, 1000) : NULL;
        int met = -1;
        m1[0] = '\0';
        if (one && one->raw_rs > 0) {
            double r = one->recs_s / one->raw_rs;
            snprintf(m1, sizeof m1, "1 client %.2f", r);
            met = r >= 0.6;
        }
        if (many && many->raw_rs > 0) {
            double r = many->recs_s / many->raw_rs;
            size_t n = strlen(m1);
            snprintf(m1 + n, sizeof m1 - n, "%s50 clients %.2f", n ? ", " : "", r);
            met = (met != 0) && r >= 0.6;
        }
        summary_row("1,000-record submissions >= 0.6 of the raw ceiling", met < 0 ? "-" : m1, met);
    }
    {
        const scenario *s = has_zero ? find_scenario(sc, n_sc, 0, 50, 1) : NULL;
        if (s)
            snprintf(m1, sizeof m1, "%s/s", thousands((long long)s->subs_s, t1, sizeof t1));
        summary_row("50 clients x 1 record >= 15,000 submissions/s", s ? m1 : "-",
                    s ? s->subs_s >= 15000 : -1);
        if (s)
            snprintf(m1, sizeof m1, "%.1f ms", s->p99);
        summary_row("50 clients x 1 record: p99 < 10 ms", s ? m1 : "-", s ? s->p99 < 10 : -1);
    }
    {
        /* at 3 M, or else the largest size there is (the sizes are in ascending order) */
        size_t zf = SIZE_MAX;
        for (size_t z = 0; z < opt->n_sizes; z++)
            if (opt->sizes[z] == 3000000)
                zf = z;
        if (zf == SIZE_MAX && opt->sizes[opt->n_sizes - 1] > 0)
            zf = opt->n_sizes - 1;
        const scenario *s0 = has_zero ? find_scenario(sc, n_sc, 0, 50, 1) : NULL;
        const scenario *sf = zf != SIZE_MAX ? find_scenario(sc, n_sc, zf, 50, 1) : NULL;
        char zt[32], what[160];
        snprintf(zt, sizeof zt, "%s", zf != SIZE_MAX ? size_text(opt->sizes[zf], t2, sizeof t2)
                                                      : "3 M");
        snprintf(what, sizeof what, "at %s figures: 50 x 1 >= 80%% of the empty rate", zt);
        if (s0 && sf && s0->subs_s > 0)
            snprintf(m1, sizeof m1, "%.0f%% (%s/s)", sf->subs_s / s0->subs_s * 100,
                     thousands((long long)sf->subs_s, t1, sizeof t1));
        summary_row(what, s0 && sf ? m1 : "-", s0 && sf ? sf->subs_s >= 0.8 * s0->subs_s : -1);
        snprintf(what, sizeof what, "at %s figures: refresh after one record < 5 ms", zt);
        const size_result *r = zf != SIZE_MAX ? &sres[zf] : NULL;
        if (r && r->refreshed)
            snprintf(m1, sizeof m1, "median %.2f ms (p90 %.2f)", r->refresh.median, r->refresh.p90);
        summary_row(what, r && r->refreshed ? m1 : "-",
                    r && r->refreshed ? r->refresh.median < 5 : -1);
    }
    {
        /* the worst size */
        double idle_worst = -1, load_worst = -1, cpu_worst = -1;
        size_t zi = 0, zl = 0, zc = 0;
        for (size_t z = 0; z < opt->n_sizes; z++) {
            const scenario *qs = query_scenario(sc, n_sc, z);
            if (!qs)
                continue;
            if (sres[z].idle.snap_p99 > idle_worst)
                idle_worst = sres[z].idle.snap_p99, zi = z;
            if (qs->snap_p99 > load_worst)
                load_worst = qs->snap_p99, zl = z;
            if (sres[z].idle.idle_cpu_ms > cpu_worst)
                cpu_worst = sres[z].idle.idle_cpu_ms, zc = z;
        }
        if (idle_worst >= 0)
            snprintf(m1, sizeof m1, "%.2f ms (worst size: %s)", idle_worst,
                     size_text(opt->sizes[zi], t1, sizeof t1));
        summary_row("snapshot query p99 < 2 ms idle", idle_worst >= 0 ? m1 : "-",
                    idle_worst >= 0 ? idle_worst < 2 : -1);
        if (load_worst >= 0)
            snprintf(m1, sizeof m1, "%.2f ms (worst size: %s)", load_worst,
                     size_text(opt->sizes[zl], t1, sizeof t1));
        snprintf(head, sizeof head, "snapshot query p99 < 5 ms while %lld clients submit",
                 opt->query_clients);
        summary_row(head, load_worst >= 0 ? m1 : "-", load_worst >= 0 ? load_worst < 5 : -1);
        long long hwm = 0, tmpl_hwm = 0;
        size_t zh = 0;
        for (size_t i = 0; i < n_sc; i++)
            if (sc[i].hwm_kb > hwm)
                hwm = sc[i].hwm_kb, zh = sc[i].size_index;
        for (size_t z = 0; z < opt->n_sizes; z++)
            tmpl_hwm = sres[z].t.current_hwm_kb > tmpl_hwm ? sres[z].t.current_hwm_kb : tmpl_hwm;
        snprintf(m1, sizeof m1, "%.1f MiB (at %s)", (double)hwm / 1024.0,
                 size_text(opt->sizes[zh], t1, sizeof t1));
        summary_row("leamond peak RSS < 64 MiB (serving, every size)", m1,
                    n_sc ? hwm < 64 * 1024 : -1);
        if (cpu_worst > 0)
            snprintf(m1, sizeof m1, "%.0f ms in %.1f s (worst size: %s)", cpu_worst,
                     opt->idle_seconds, size_text(opt->sizes[zc], t1, sizeof t1));
        else if (cpu_worst == 0)
            snprintf(m1, sizeof m1, "0 ms in %.1f s at every size", opt->idle_seconds);
        summary_row("no CPU while idle", cpu_worst >= 0 ? m1 : "-",
                    cpu_worst >= 0 ? cpu_worst <= 10 : -1);
        if (tmpl_hwm)
            printf("  (leamond's first start on a template, every snapshot computed: peak RSS "
                   "%.1f MiB)\n", (double)tmpl_hwm / 1024.0);
    }
    printf("\n  %-27s %.0f s\n", "this run took", took_s);
    rc = 0;
out:
    if (interrupted)
        fprintf(stderr, "bench_load: interrupted\n");
    if (b.pid > 0)
        daemon_stop(&b);
    if (sc)
        for (size_t i = 0; i < n_sc; i++)
            free(sc[i].r);
    free(sc);
    free(sres);
    if (reg_loaded)
        registry_free(&reg);
    if (b.zmq)
        zmq_ctx_term(b.zmq);
    bench_free(&b);
    if (opt->keep)
        fprintf(stderr, "kept %s\n", b.dir);
    else if (remove_dir(b.dir) < 0) {
        fprintf(stderr, "bench_load: could not remove all of %s\n", b.dir);
        rc = 1;
    }
    return rc;
}
