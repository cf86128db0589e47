/* bench_snapshot.c: how long snapshot_refresh takes on a large gemeente.
 *
 * In a temp directory: a generated partners file (one gemeente, --wijken wijken, about ten
 * reporting organisations per wijk), a copy of the catalogue, and a database filled with
 * --observations figures through the store, month by month from the catalogue's first
 * period on. Then it times
 *   1. the load (records per second),
 *   2. the first snapshot_refresh (every dirty mark: a full recompute),
 *   3. snapshot_refresh after small submissions (--repeat times each): one record, one
 *      location's month of all its metrics, and one metric of one location over 12 months,
 *   4. snapshot_compute of every indicator x area for one month,
 * and prints a table with peak RSS. Nothing outside the temp dir is written; the dir is
 * removed at the end unless --keep.
 *
 *   bench_snapshot [--wijken N] [--observations N] [--repeat R] [--batch N] [--seed N]
 *                  [--catalog PATH] [--dir DIR] [--keep]
 */
#include <errno.h>
#include <dirent.h>
#include <inttypes.h>
#include <math.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "period.h"
#include "snapshot.h"
#include "store.h"
#include "support/bench_refresh.h"

/* ---- options ------------------------------------------------------------- */

typedef struct {
    long long wijken;
    long long observations;
    long long repeat;
    long long batch;
    long long seed;
    const char *catalog;
    const char *dir;
    bool keep;
} options;

static void usage(FILE *out)
{
    fprintf(out,
            "usage: bench_snapshot [options]\n"
            "  --wijken N         wijken of the synthetic gemeente (default 100; ~10 organisations each)\n"
            "  --observations N   figures loaded before timing (default 1000000)\n"
            "  --repeat R         incremental refreshes timed per variant (default 25)\n"
            "  --batch N          records per load transaction (default 10000)\n"
            "  --seed N           seed of the generated figures (default 1)\n"
            "  --catalog PATH     catalogue to copy (default config/catalog.conf)\n"
            "  --dir DIR          where to make the temp dir (default $TMPDIR or /tmp)\n"
            "  --keep             keep the temp dir (database, partners, catalogue)\n");
}

static int parse_count(const char *name, const char *text, long long lo, long long hi,
                       long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno || end == text || *end || v < lo || v > hi) {
        fprintf(stderr, "bench_snapshot: %s wants a whole number from %lld to %lld, not '%s'\n",
                name, lo, hi, text);
        return -1;
    }
    *out = v;
    return 0;
}

static int parse_options(int argc, char **argv, options *o)
{
    const char *tmp = getenv("TMPDIR");
    *o = (options){100, 1000000, 25, 10000, 1, "config/catalog.conf",
                   tmp && tmp[0] ? tmp : "/tmp", false};
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
        } else if (!v) {
            fprintf(stderr, "bench_snapshot: unknown option or missing value: %s\n", a);
            usage(stderr);
            return -1;
        } else if (strcmp(a, "--wijken") == 0) {
            rc = parse_count(a, v, 1, 999, &o->wijken);
        } else if (strcmp(a, "--observations") == 0) {
            rc = parse_count(a, v, 1000, 1000000000LL, &o->observations);
        } else if (strcmp(a, "--repeat") == 0) {
            rc = parse_count(a, v, 1, 100000, &o->repeat);
        } else if (strcmp(a, "--batch") == 0) {
            rc = parse_count(a, v, 1, 10000000, &o->batch);
        } else if (strcmp(a, "--seed") == 0) {
            rc = parse_count(a, v, 0, INT32_MAX, &o->seed);
        } else if (strcmp(a, "--catalog") == 0) {
            o->catalog = v;
        } else if (strcmp(a, "--dir") == 0) {
            o->dir = v;
        } else {
            fprintf(stderr, "bench_snapshot: unknown option: %s\n", a);
            usage(stderr);
            return -1;
        }
        if (rc < 0)
            return -1;
        i++;
    }
    return 0;
}

/* ---- small helpers ------------------------------------------------------- */

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

/* A number in lo..hi (inclusive) from the hash of the key parts. */
static long long pick(uint64_t h, long long lo, long long hi)
{
    return lo + (long long)(h % (uint64_t)(hi - lo + 1));
}

static uint64_t text_hash(const char *s)
{
    uint64_t h = 14695981039346656037ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* dir/name into buf; -1 if it does not fit. */
static int join(char *buf, size_t size, const char *dir, const char *name)
{
    int n = snprintf(buf, size, "%s/%s", dir, name);
    return n < 0 || (size_t)n >= size ? -1 : 0;
}

static int copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb");
    if (!in) {
        fprintf(stderr, "bench_snapshot: %s: %s\n", from, strerror(errno));
        return -1;
    }
    FILE *out = fopen(to, "wb");
    if (!out) {
        fprintf(stderr, "bench_snapshot: %s: %s\n", to, strerror(errno));
        fclose(in);
        return -1;
    }
    char buf[8192];
    size_t n;
    int rc = 0;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            rc = -1;
    if (ferror(in))
        rc = -1;
    fclose(in);
    if (fclose(out) != 0)
        rc = -1;
    if (rc < 0)
        fprintf(stderr, "bench_snapshot: copying %s to %s failed\n", from, to);
    return rc;
}

/* The temp dir holds only files (database, its -wal and -shm, the two config files). */
static int remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    struct dirent *e;
    int rc = 0;
    char path[4096];
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

/* ---- the synthetic gemeente ---------------------------------------------- */

typedef struct {
    char id[40];
    org_kind kind;
    int wijk;        /* 0..wijken-1; -1: based in the gemeente */
    bool per_wijk;   /* reports a figure for every wijk (GGD, RBL) */
} bench_org;

typedef struct {
    int n_wijken;
    char gemeente[16];
    char (*wijk)[16];   /* codes */
    int *ko_per_wijk;   /* kinderopvang locations per wijk */
    int n_ko;
    bench_org *orgs;    /* in load order */
    size_t n_orgs;
    const metric *by_kind[KIND_COUNT][32]; /* the metrics each kind reports */
    size_t n_by_kind[KIND_COUNT];
} gemeente;

static void gemeente_free(gemeente *g)
{
    free(g->wijk);
    free(g->ko_per_wijk);
    free(g->orgs);
    memset(g, 0, sizeof *g);
}

static int add_org(gemeente *g, size_t *cap, org_kind kind, int wijk, bool per_wijk,
                   const char *prefix, int n)
{
    if (g->n_orgs == *cap) {
        size_t want = *cap ? *cap * 2 : 256;
        bench_org *more = realloc(g->orgs, want * sizeof *more);
        if (!more)
            return -1;
        g->orgs = more;
        *cap = want;
    }
    bench_org *o = &g->orgs[g->n_orgs++];
    memset(o, 0, sizeof *o);
    if (wijk >= 0)
        snprintf(o->id, sizeof o->id, "%s-w%03d-%d", prefix, wijk, n);
    else
        snprintf(o->id, sizeof o->id, "%s", prefix);
    o->kind = kind;
    o->wijk = wijk;
    o->per_wijk = per_wijk;
    return 0;
}

/* Per wijk w: 5..10 kinderopvang locations, 1..2 primary schools, a special school in
 * every 4th wijk, a secondary school in every 2nd, an mbo location in every 10th; one
 * GGD and one RBL based in the gemeente that report per wijk; the gemeente itself. With
 * 100 wijken that is 1,000 organisations. */
static int gemeente_make(gemeente *g, int n_wijken)
{
    size_t cap = 0;
    memset(g, 0, sizeof *g);
    g->n_wijken = n_wijken;
    snprintf(g->gemeente, sizeof g->gemeente, "GM9999");
    g->wijk = calloc((size_t)n_wijken, sizeof *g->wijk);
    g->ko_per_wijk = calloc((size_t)n_wijken, sizeof *g->ko_per_wijk);
    if (!g->wijk || !g->ko_per_wijk)
        return -1;
    for (int w = 0; w < n_wijken; w++) {
        /* CBS style (WK + gemeente + 2 digits) while it fits, 3 digits beyond. */
        snprintf(g->wijk[w], sizeof g->wijk[w], n_wijken <= 100 ? "WK9999%02d" : "WK9999%03d", w);
        g->ko_per_wijk[w] = 5 + w % 6;
        g->n_ko += g->ko_per_wijk[w];
    }
    if (add_org(g, &cap, KIND_GEMEENTE, -1, false, "gemeente", 0) < 0 ||
        add_org(g, &cap, KIND_GGD, -1, true, "ggd-jgz", 0) < 0 ||
        add_org(g, &cap, KIND_RBL, -1, true, "rbl-leerplicht", 0) < 0)
        return -1;
    for (int w = 0; w < n_wijken; w++) {
        for (int i = 0; i < g->ko_per_wijk[w]; i++)
            if (add_org(g, &cap, KIND_KINDEROPVANG, w, false, "ko", i) < 0)
                return -1;
        for (int i = 0; i < 1 + (w % 3 != 0); i++)
            if (add_org(g, &cap, KIND_SCHOOL_PO, w, false, "po", i) < 0)
                return -1;
        if ((w % 4 == 0 && add_org(g, &cap, KIND_SCHOOL_SO, w, false, "so", 0) < 0) ||
            (w % 2 == 0 && add_org(g, &cap, KIND_SCHOOL_VO, w, false, "vo", 0) < 0) ||
            (w % 10 == 0 && add_org(g, &cap, KIND_MBO, w, false, "mbo", 0) < 0))
            return -1;
    }
    return 0;
}

static int gemeente_metrics(gemeente *g, const catalog *cat)
{
    for (size_t i = 0; i < cat->n_metrics; i++)
        for (int k = 0; k < KIND_COUNT; k++)
            if ((cat->metrics[i].kinds >> k) & 1u) {
                if (g->n_by_kind[k] == sizeof g->by_kind[k] / sizeof g->by_kind[k][0])
                    return -1;
                g->by_kind[k][g->n_by_kind[k]++] = &cat->metrics[i];
            }
    return 0;
}

static const char *org_kind_label(org_kind k)
{
    switch (k) {
    case KIND_KINDEROPVANG: return "Kinderopvang";
    case KIND_GGD: return "GGD, jeugdgezondheidszorg";
    case KIND_SCHOOL_PO: return "Basisschool";
    case KIND_SCHOOL_SO: return "School voor speciaal onderwijs";
    case KIND_SCHOOL_VO: return "School voor voortgezet onderwijs";
    case KIND_MBO: return "MBO-locatie";
    case KIND_RBL: return "RBL, leerplicht";
    case KIND_GEMEENTE: return "Gemeente Grootstad";
    case KIND_COUNT: break;
    }
    return "?";
}

static int write_partners(const gemeente *g, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "bench_snapshot: %s: %s\n", path, strerror(errno));
        return -1;
    }
    fprintf(f, "# Generated by bench_snapshot: a synthetic large gemeente.\n\nareas = (\n");
    fprintf(f, "  { code = \"%s\"; name = \"Grootstad\"; level = \"gemeente\"; }", g->gemeente);
    for (int w = 0; w < g->n_wijken; w++)
        fprintf(f, ",\n  { code = \"%s\"; name = \"Wijk %d\"; level = \"wijk\"; parent = \"%s\"; }",
                g->wijk[w], w, g->gemeente);
    fprintf(f, "\n);\n\norganisations = (\n");
    for (size_t i = 0; i < g->n_orgs; i++) {
        const bench_org *o = &g->orgs[i];
        fprintf(f, "  { id = \"%s\"; name = \"%s %s\"; kind = \"%s\"; area = \"%s\"; }%s\n",
                o->id, org_kind_label(o->kind), o->id, kind_name(o->kind),
                o->wijk >= 0 ? g->wijk[o->wijk] : g->gemeente, i + 1 < g->n_orgs ? "," : "");
    }
    fprintf(f, ");\n\nstaff = (\n  { id = \"beleid\"; name = \"Beleidsadviseur\"; role = \"admin\"; }\n);\n");
    if (ferror(f) | (fclose(f) != 0)) {
        fprintf(stderr, "bench_snapshot: writing %s failed\n", path);
        return -1;
    }
    return 0;
}

/* ---- plausible figures ----------------------------------------------------- */

/* The figure org reports for metric m, area index a (0 = gemeente, 1.. = wijken) and month
 * number month. Deterministic, so figures that belong together (places >= placed >= target
 * group) agree; clamped into the metric's range. */
static double figure(const gemeente *g, const bench_org *o, size_t org_index, const metric *m,
                     int a, int month, uint64_t seed)
{
    uint64_t base = mix(seed ^ mix(((uint64_t)org_index << 20) ^ (uint64_t)a));
    uint64_t h = mix(base ^ (uint64_t)month);            /* this org, area and month */
    uint64_t hm = mix(h ^ text_hash(m->code));                /* and this metric */
    int calmonth = period_month_from_number(month).index;
    int ko = a > 0 ? g->ko_per_wijk[a - 1] : g->n_ko;
    const char *c = m->code;
    double v;
    long long peuters = pick(mix(base), 15, 60) + pick(h, -3, 3);
    if (strcmp(c, "vve.peuters.geplaatst") == 0)
        v = (double)peuters;
    else if (strcmp(c, "vve.doelgroep.geplaatst") == 0)
        v = (double)(peuters * pick(mix(base ^ 1), 20, 50) / 100);
    else if (strcmp(c, "vve.plaatsen") == 0)
        v = (double)(peuters * pick(mix(base ^ 2), 40, 70) / 100 + 2);
    else if (strcmp(c, "vve.uren.per_week") == 0)
        v = (double)pick(hm, 24, 32) / 2.0;
    else if (strcmp(c, "vve.wachtlijst") == 0)
        v = (double)pick(hm, 0, 8);
    else if (strcmp(c, "vve.uitstroom") == 0 || strcmp(c, "vve.warme_overdracht") == 0) {
        long long out = pick(mix(h ^ 3), 0, 6);
        v = (double)(c[4] == 'u' ? out : out - pick(mix(h ^ 4), 0, out ? 1 : 0));
    } else if (strcmp(c, "jgz.doelgroep.geindiceerd") == 0)
        v = (double)(ko * pick(mix(base ^ 5), 13, 19) + pick(h, -5, 5));
    else if (strcmp(c, "jgz.indicaties.nieuw") == 0)
        v = (double)pick(hm, 0, ko * 2);
    else if (strcmp(c, "school.leerlingen") == 0) {
        long long lo = 150, hi = 450;
        if (o->kind == KIND_SCHOOL_SO)
            lo = 60, hi = 160;
        else if (o->kind == KIND_SCHOOL_VO)
            lo = 600, hi = 1600;
        else if (o->kind == KIND_MBO)
            lo = 2000, hi = 6000;
        v = (double)(pick(mix(base), lo, hi) + pick(h, -10, 10));
    } else if (strcmp(c, "school.zomerschool") == 0)
        v = calmonth == 7 || calmonth == 8 ? (double)pick(hm, 0, 15) : 0;
    else if (strcmp(c, "school.rijke_schooldag") == 0)
        v = (double)(pick(mix(base), 150, 450) * pick(mix(base ^ 6), 15, 40) / 100);
    else if (strcmp(c, "school.vsv") == 0)
        v = (double)pick(hm, 0, o->kind == KIND_MBO ? 12 : 3);
    else if (strcmp(c, "rbl.leerplichtigen") == 0)
        v = (double)(pick(mix(base), 900, 2500) + pick(h, -20, 20));
    else if (strcmp(c, "rbl.verzuim.relatief") == 0)
        v = (double)pick(hm, 0, 25);
    else if (strcmp(c, "rbl.verzuim.absoluut") == 0 || strcmp(c, "rbl.thuiszitters") == 0)
        v = (double)pick(hm, 0, 2);
    else if (strcmp(c, "rbl.verzuim.luxe") == 0)
        v = (double)pick(hm, 0, 6);
    else if (strcmp(c, "rbl.vrijstellingen") == 0)
        v = (double)pick(mix(base ^ 7), 0, 8);
    else if (strcmp(c, "rbl.vsv") == 0)
        v = (double)pick(hm, 0, 4);
    else if (strcmp(c, "gemeente.peuters") == 0)
        v = (double)(g->n_ko * 45 + pick(h, -200, 200));
    else /* a metric this benchmark does not know: small values near the minimum */
        v = m->min + (double)pick(hm, 0, 100) * (m->max - m->min > 100 ? 1.0 : (m->max - m->min) / 100);
    if (m->integer)
        v = round(v);
    return v < m->min ? m->min : v > m->max ? m->max : v;
}

/* ---- the steps ------------------------------------------------------------- */

typedef struct {
    store *db;
    registry reg;
    gemeente g;
    const options *opt;
    int first_month;     /* month numbers */
    int last_month;      /* the last month with a figure */
    int last_full;       /* the last month every organisation reported */
    long long loaded;
    long long submissions;
    double load_ms;
} bench;

static int fail_store(const bench *b, const char *what)
{
    fprintf(stderr, "bench_snapshot: %s: %s\n", what, store_errmsg(b->db));
    return -1;
}

static int area_index(const bench_org *o, int w)
{
    return w >= 0 ? w + 1 : (o->wijk >= 0 ? o->wijk + 1 : 0);
}

static const char *area_code(const gemeente *g, int a)
{
    return a == 0 ? g->gemeente : g->wijk[a - 1];
}

/* Load figures month by month, organisation by organisation, until opt->observations;
 * one submission per organisation and month, transactions of about opt->batch records. */
static int load(bench *b)
{
    const gemeente *g = &b->g;
    long long goal = b->opt->observations, in_txn = 0;
    uint64_t seed = (uint64_t)b->opt->seed;
    double t0 = now_ms();
    int month = b->first_month;
    bool open = false;
    b->last_full = b->first_month - 1;
    fprintf(stderr, "loading %lld figures ...\n", goal);
    while (b->loaded < goal) {
        period mp = period_month_from_number(month);
        char ptext[PERIOD_TEXT_MAX];
        if (period_format(&mp, ptext, sizeof ptext) != 0) {
            fprintf(stderr, "bench_snapshot: month number %d is out of range\n", month);
            return -1;
        }
        int64_t deadline = (int64_t)period_end(&mp);
        bool month_done = true;
        size_t i = 0;
        for (; i < g->n_orgs && b->loaded < goal; i++) {
            const bench_org *o = &g->orgs[i];
            size_t n_m = b->g.n_by_kind[o->kind];
            int n_a = o->per_wijk ? g->n_wijken : 1;
            long long records = (long long)n_m * n_a;
            if (records == 0)
                continue;
            if (records > goal - b->loaded) {
                records = goal - b->loaded;
                month_done = false;
            }
            if (!open) {
                if (store_begin(b->db) < 0)
                    return fail_store(b, "begin");
                open = true;
            }
            char req[64];
            int64_t sub;
            int64_t received = deadline + (int64_t)(i % 9) * 86400 + (int64_t)(i % 3600);
            snprintf(req, sizeof req, "load-%s", ptext);
            if (store_add_submission(b->db, o->id, req, received, records,
                                     mix(seed ^ ((uint64_t)i << 24) ^ (uint64_t)month), &sub) < 0)
                return fail_store(b, "add submission");
            long long done = 0;
            for (int w = 0; w < n_a && done < records; w++) {
                int a = area_index(o, o->per_wijk ? w : -1);
                for (size_t k = 0; k < n_m && done < records; k++, done++) {
                    const metric *m = g->by_kind[o->kind][k];
                    double v = figure(g, o, i, m, a, month, seed);
                    if (store_put_observation(b->db, o->id, m->code, ptext, area_code(g, a), v,
                                              sub, received) < 0)
                        return fail_store(b, "put observation");
                }
            }
            b->loaded += records;
            b->submissions++;
            in_txn += records;
            if (in_txn >= b->opt->batch) {
                if (store_commit(b->db) < 0)
                    return fail_store(b, "commit");
                open = false;
                in_txn = 0;
            }
        }
        for (; i < g->n_orgs && month_done; i++) /* organisations the target left out */
            month_done = g->n_by_kind[g->orgs[i].kind] == 0;
        b->last_month = month;
        if (month_done)
            b->last_full = month;
        if (b->loaded < goal)
            month++;
    }
    if (open && store_commit(b->db) < 0)
        return fail_store(b, "commit");
    b->load_ms = now_ms() - t0;
    return 0;
}

/* Counts through a second, read-only connection (the store has no call for these). */
static int count_rows(const char *db_path, const char *sql, long long *out)
{
    sqlite3 *raw = NULL;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_open_v2(db_path, &raw, SQLITE_OPEN_READONLY, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(raw, sql, -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    else
        fprintf(stderr, "bench_snapshot: %s: %s\n", sql, raw ? sqlite3_errmsg(raw) : "cannot open");
    sqlite3_finalize(st);
    sqlite3_close(raw);
    return rc == SQLITE_ROW ? 0 : -1;
}

typedef struct {
    const char *name;
    const char *what;
    refresh_series r;
} series;

/* The figures of one location that a variant changes. */
typedef struct {
    const bench *b;
    size_t org;
    int area;
} variant_ctx;

static double variant_value(void *ctx, const metric *m, int month, long long rep)
{
    const variant_ctx *v = ctx;
    const gemeente *g = &v->b->g;
    return refresh_changed_value(
        m, figure(g, &g->orgs[v->org], v->org, m, v->area, month, (uint64_t)v->b->opt->seed), rep);
}

/* One small submission per repetition, committed, then snapshot_refresh timed alone.
 * kind 0: one record (vve.doelgroep.geplaatst, the latest full month);
 * kind 1: every metric of one location for that month;
 * kind 2: vve.doelgroep.geplaatst of one location for the 12 months up to it. */
static int incremental(bench *b, int kind, series *s)
{
    const gemeente *g = &b->g;
    const catalog *cat = &b->reg.cat;
    const metric *placed = catalog_metric(cat, "vve.doelgroep.geplaatst");
    /* A kinderopvang location in the middle wijk, a different one per variant. */
    size_t org = g->n_orgs;
    int want_wijk = g->n_wijken / 2, seen = 0;
    for (size_t i = 0; i < g->n_orgs && org == g->n_orgs; i++)
        if (g->orgs[i].kind == KIND_KINDEROPVANG && g->orgs[i].wijk == want_wijk &&
            seen++ == kind % g->ko_per_wijk[want_wijk])
            org = i;
    if (!placed || org == g->n_orgs || b->last_full < b->first_month ||
        (kind == 2 && b->last_full - 11 < b->first_month)) {
        fprintf(stderr, "bench_snapshot: variant %d needs vve.doelgroep.geplaatst in the catalogue"
                        " and a year of full months loaded\n", kind);
        return 1; /* skipped */
    }
    const bench_org *o = &g->orgs[org];
    const metric *ms[32];
    size_t n_m = 0;
    if (kind == 1)
        for (size_t k = 0; k < g->n_by_kind[o->kind]; k++)
            ms[n_m++] = g->by_kind[o->kind][k];
    else
        ms[n_m++] = placed;
    int a = area_index(o, -1);
    char tag[32];
    snprintf(tag, sizeof tag, "bench-%d", kind);
    variant_ctx ctx = {b, org, a};
    refresh_job job = {o->id, area_code(g, a), ms, n_m, b->last_full, kind == 2 ? 12 : 1,
                       variant_value, &ctx, tag};
    lm_error err;
    if (refresh_run(b->db, &b->reg, &job, b->opt->repeat, &s->r, &err) < 0) {
        fprintf(stderr, "bench_snapshot: %s\n", err.msg);
        return -1;
    }
    return 0;
}

/* snapshot_compute of every indicator for every area for one month. */
static int one_month(bench *b, int month, double *total_ms, size_t *n)
{
    const catalog *cat = &b->reg.cat;
    const partners *parts = &b->reg.parts;
    period p = period_month_from_number(month);
    double t0 = now_ms();
    *n = 0;
    for (size_t k = 0; k < cat->n_indicators; k++)
        for (size_t a = 0; a < parts->n_areas; a++) {
            stored_snapshot out;
            if (snapshot_compute(b->db, &b->reg, &cat->indicators[k], &p, (int)a, &out) < 0)
                return fail_store(b, "snapshot_compute");
            (*n)++;
        }
    *total_ms = now_ms() - t0;
    return 0;
}

/* ---- main ------------------------------------------------------------------ */

static void month_text(int month, char *buf, size_t size)
{
    period p = period_month_from_number(month);
    if (period_format(&p, buf, size) != 0)
        snprintf(buf, size, "?");
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

int main(int argc, char **argv)
{
    options opt;
    if (parse_options(argc, argv, &opt) < 0)
        return 2;

    settings set;
    char dir[CONFIG_PATH_MAX - 32];
    lm_error err;
    if (snprintf(dir, sizeof dir, "%s/leamon-bench-XXXXXX", opt.dir) >= (int)sizeof dir ||
        !mkdtemp(dir)) {
        fprintf(stderr, "bench_snapshot: cannot make a temp dir in %s: %s\n", opt.dir,
                strerror(errno));
        return 1;
    }
    settings_defaults(&set);
    if (join(set.catalog, sizeof set.catalog, dir, "catalog.conf") < 0 ||
        join(set.partners, sizeof set.partners, dir, "partners.conf") < 0 ||
        join(set.database, sizeof set.database, dir, "bench.db") < 0) {
        fprintf(stderr, "bench_snapshot: %s: path too long\n", dir);
        rmdir(dir);
        return 1;
    }
    const char *db_path = set.database;

    bench b;
    memset(&b, 0, sizeof b);
    b.opt = &opt;
    int rc = 1;
    bool reg_loaded = false;
    series ser[3];
    memset(ser, 0, sizeof ser);

    /* 1. partners and catalogue */
    if (gemeente_make(&b.g, (int)opt.wijken) < 0) {
        fprintf(stderr, "bench_snapshot: out of memory\n");
        goto out;
    }
    if (copy_file(opt.catalog, set.catalog) < 0 || write_partners(&b.g, set.partners) < 0)
        goto out;
    if (registry_load(&b.reg, &set, &err) < 0) {
        fprintf(stderr, "bench_snapshot: %s\n", err.msg);
        goto out;
    }
    reg_loaded = true;
    if (gemeente_metrics(&b.g, &b.reg.cat) < 0) {
        fprintf(stderr, "bench_snapshot: too many metrics for one partner kind\n");
        goto out;
    }
    b.first_month = period_first_month(&b.reg.cat.first);

    /* 2. load, then the first refresh: everything is dirty */
    if (store_open(&b.db, db_path, &err) < 0) {
        fprintf(stderr, "bench_snapshot: %s\n", err.msg);
        goto out;
    }
    if (load(&b) < 0)
        goto out;
    fprintf(stderr, "loaded %lld figures in %.1f s (%.0f records/s)\n", b.loaded, b.load_ms / 1e3,
            (double)b.loaded / (b.load_ms / 1e3));
    int64_t n_obs = 0, n_subs = 0;
    long long marks = 0, snap_rows = 0, snap_keys = 0;
    if (store_counts(b.db, NULL, &n_obs, &n_subs) < 0) {
        fail_store(&b, "counts");
        goto out;
    }
    if (count_rows(db_path, "SELECT count(*) FROM dirty", &marks) < 0)
        goto out;
    fprintf(stderr, "first snapshot_refresh (%lld dirty marks) ...\n", marks);
    size_t full_versions = 0;
    double t0 = now_ms();
    if (snapshot_refresh(b.db, &b.reg, time(NULL), &full_versions, NULL) < 0) {
        fail_store(&b, "snapshot_refresh");
        goto out;
    }
    double full_ms = now_ms() - t0;
    fprintf(stderr, "first snapshot_refresh: %.1f s, %zu versions\n", full_ms / 1e3, full_versions);
    if (count_rows(db_path, "SELECT count(*) FROM snapshot", &snap_rows) < 0 ||
        count_rows(db_path, "SELECT count(*) FROM (SELECT DISTINCT indicator, period, area"
                            " FROM snapshot)", &snap_keys) < 0)
        goto out;

    /* 3. incremental refreshes */
    static const char *const names[3] = {"1 record", "location month", "12 months"};
    static const char *const whats[3] = {
        "vve.doelgroep.geplaatst, latest month",
        "all metrics of a kinderopvang, latest month",
        "vve.doelgroep.geplaatst, one location, last 12 months"};
    bool done[3] = {false, false, false};
    for (int k = 0; k < 3; k++) {
        ser[k].name = names[k];
        ser[k].what = whats[k];
        fprintf(stderr, "incremental: %s x %lld ...\n", names[k], opt.repeat);
        int r = incremental(&b, k, &ser[k]);
        if (r < 0)
            goto out;
        done[k] = r == 0;
    }

    /* 4. one month, every indicator x area */
    double month_ms = 0;
    size_t month_snaps = 0;
    int month = b.last_full >= b.first_month ? b.last_full : b.last_month;
    fprintf(stderr, "one month, every indicator x area ...\n");
    if (one_month(&b, month, &month_ms, &month_snaps) < 0)
        goto out;

    /* 5. the table */
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0) {
        perror("getrusage");
        goto out;
    }
    char m0[PERIOD_TEXT_MAX], m1[PERIOD_TEXT_MAX], mf[PERIOD_TEXT_MAX], mm[PERIOD_TEXT_MAX];
    char t1[32], t2[32], t3[32], t4[32];
    month_text(b.first_month, m0, sizeof m0);
    month_text(b.last_month, m1, sizeof m1);
    month_text(b.last_full, mf, sizeof mf);
    month_text(month, mm, sizeof mm);
    printf("\nleamon snapshot benchmark (%s)\n\n", sqlite3_libversion());
    printf("parameters\n");
    printf("  %-34s %lld (+ 1 gemeente = %zu areas)\n", "wijken", opt.wijken, b.reg.parts.n_areas);
    printf("  %-34s %zu (%d kinderopvang)\n", "organisations", b.reg.parts.n_orgs, b.g.n_ko);
    printf("  %-34s %zu metrics, %zu indicators\n", "catalogue", b.reg.cat.n_metrics,
           b.reg.cat.n_indicators);
    printf("  %-34s %s\n", "observations", thousands((long long)n_obs, t1, sizeof t1));
    printf("  %-34s %s .. %s (%d; full up to %s)\n", "months", m0, m1,
           b.last_month - b.first_month + 1, mf);
    printf("  %-34s %s\n", "submissions", thousands((long long)n_subs, t2, sizeof t2));
    printf("  %-34s %s records\n", "load transaction", thousands(opt.batch, t3, sizeof t3));
    printf("  %-34s %lld per variant\n", "repetitions", opt.repeat);
    printf("  %-34s %s\n", "database", dir);
    printf("\nload (store_add_submission + store_put_observation)\n");
    printf("  %-34s %10.1f s\n", "time", b.load_ms / 1e3);
    printf("  %-34s %10.0f records/s\n", "rate", (double)b.loaded / (b.load_ms / 1e3));
    printf("  %-34s %10s\n", "dirty marks after load", thousands(marks, t4, sizeof t4));
    printf("\nfirst snapshot_refresh (full recompute)\n");
    printf("  %-34s %10.1f s\n", "time", full_ms / 1e3);
    printf("  %-34s %10s\n", "versions written", thousands((long long)full_versions, t1, sizeof t1));
    printf("  %-34s %10s\n", "rows in snapshot", thousands(snap_rows, t2, sizeof t2));
    printf("  %-34s %10s\n", "distinct (indicator, period, area)", thousands(snap_keys, t3, sizeof t3));
    printf("  %-34s %10.1f us\n", "per version written",
           full_versions ? full_ms * 1e3 / (double)full_versions : 0.0);
    printf("\nincremental snapshot_refresh after one committed submission (ms)\n");
    printf("  %-16s %7s %8s %8s %8s %10s %9s  %s\n", "variant", "records", "median", "p90", "max",
           "versions", "commit", "what");
    for (int k = 0; k < 3; k++) {
        if (!done[k]) {
            printf("  %-16s  (skipped)\n", ser[k].name);
            continue;
        }
        refresh_summary su;
        if (refresh_summarise(&ser[k].r, &su) < 0) {
            fprintf(stderr, "bench_snapshot: out of memory\n");
            goto out;
        }
        char vs[32];
        if (su.vmin == su.vmax)
            snprintf(vs, sizeof vs, "%zu", su.vmin);
        else
            snprintf(vs, sizeof vs, "%zu..%zu", su.vmin, su.vmax);
        printf("  %-16s %7lld %8.2f %8.2f %8.2f %10s %9.2f  %s\n", ser[k].name, ser[k].r.records,
               su.median, su.p90, su.max, vs, ser[k].r.submit_ms / (double)ser[k].r.n, ser[k].what);
    }
    printf("  (versions: snapshot versions each refresh wrote; commit: mean ms of the submission's"
           " transaction)\n");
    printf("\none month (%s), snapshot_compute of every indicator x area\n", mm);
    printf("  %-34s %10zu\n", "snapshots", month_snaps);
    printf("  %-34s %10.1f ms\n", "total", month_ms);
    printf("  %-34s %10.1f us\n", "per snapshot", month_snaps ? month_ms * 1e3 / (double)month_snaps : 0.0);
    printf("\n  %-34s %10.1f MiB\n", "peak RSS", (double)ru.ru_maxrss / 1024.0);
    rc = 0;
out:
    for (int k = 0; k < 3; k++)
        refresh_series_free(&ser[k].r);
    store_close(&b.db);
    if (reg_loaded)
        registry_free(&b.reg);
    gemeente_free(&b.g);
    if (opt.keep)
        fprintf(stderr, "kept %s\n", dir);
    else if (remove_dir(dir) < 0) {
        fprintf(stderr, "bench_snapshot: could not remove all of %s\n", dir);
        rc = 1;
    }
    return rc;
}
