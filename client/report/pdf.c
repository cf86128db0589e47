/* pdf.c: the report printed to PDF by headless Chromium (see pdf.h). */
#define _XOPEN_SOURCE 700 /* nftw */
#include "report/pdf.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PDF_TIMEOUT_S 120

int pdf_tmpdir(leamon_ctx *ctx, char *dir, size_t n)
{
    const char *t = getenv("TMPDIR");
    if (snprintf(dir, n, "%s/leamon-pdf-XXXXXX", t && t[0] ? t : "/tmp") >= (int)n ||
        !mkdtemp(dir)) {
        leamon_error(ctx, "cannot make a temporary directory for the browser: %s",
                     strerror(errno ? errno : ENAMETOOLONG));
        return LEAMON_EXIT_USAGE;
    }
    return 0;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    /* best effort: what cannot be removed stays in TMPDIR */
    (void)(flag == FTW_DP ? rmdir(path) : unlink(path));
    return 0;
}

void pdf_tmpdir_remove(const char *dir)
{
    if (dir[0])
        (void)nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* The browser: $LEAMON_CHROMIUM, or the first of the usual names on PATH; into path. */
static bool find_browser(char *path, size_t n)
{
    const char *env = getenv("LEAMON_CHROMIUM");
    if (env && env[0]) {
        snprintf(path, n, "%s", env);
        return access(path, X_OK) == 0;
    }
    static const char *const names[] = {"chromium", "chromium-browser", "google-chrome"};
    const char *p = getenv("PATH");
    if (!p || !p[0])
        p = "/usr/local/bin:/usr/bin:/bin";
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
        for (const char *d = p; *d;) {
            size_t len = strcspn(d, ":");
            if (len && (size_t)snprintf(path, n, "%.*s/%s", (int)len, d, names[k]) < n &&
                access(path, X_OK) == 0)
                return true;
            d += len + (d[len] == ':');
        }
    return false;
}

/* Run argv, its output to /dev/null, for at most PDF_TIMEOUT_S seconds. Its exit status,
 * or -1 (could not run, killed, timed out). */
static int run(char *const argv[])
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR | O_CLOEXEC);
        if (null >= 0) {
            dup2(null, STDIN_FILENO);
            dup2(null, STDOUT_FILENO);
            dup2(null, STDERR_FILENO);
        }
        execv(argv[0], argv);
        _exit(127);
    }
    struct timespec tick = {0, 50 * 1000 * 1000};
    for (int waited = 0; waited < PDF_TIMEOUT_S * 20; waited++) {
        int st;
        pid_t got = waitpid(pid, &st, WNOHANG);
        if (got == pid)
            return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
        if (got < 0 && errno != EINTR)
            return -1;
        nanosleep(&tick, NULL);
    }
    kill(pid, SIGKILL);
    (void)waitpid(pid, NULL, 0);
    return -1;
}

/* Whether the file at path begins as a PDF does. */
static bool is_pdf(const char *path)
{
    char head[5] = "";
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    size_t n = fread(head, 1, 4, f);
    fclose(f);
    return n == 4 && !memcmp(head, "%PDF", 4);
}

int pdf_check(leamon_ctx *ctx)
{
    char browser[PATH_MAX];
    if (find_browser(browser, sizeof browser))
        return 0;
    leamon_error(ctx, "--pdf prints through headless Chromium, which is not installed "
                      "(apt-get install chromium, or set LEAMON_CHROMIUM); the HTML "
                      "report can be printed from any browser");
    return LEAMON_EXIT_USAGE;
}

int pdf_print(leamon_ctx *ctx, const char *html, const char *pdf, const char *tmp)
{
    char browser[PATH_MAX], abs_html[PATH_MAX], part[PATH_MAX], url[PATH_MAX + 16],
        to[PATH_MAX + 32], profile[PATH_MAX + 32];
    int rc = pdf_check(ctx);
    if (rc != 0 || !find_browser(browser, sizeof browser))
        return rc ? rc : LEAMON_EXIT_USAGE;
    if (!realpath(html, abs_html) ||
        snprintf(part, sizeof part, "%s.part", pdf) >= (int)sizeof part) {
        leamon_error(ctx, "%s: %s", html, strerror(errno ? errno : ENAMETOOLONG));
        return LEAMON_EXIT_USAGE;
    }
    snprintf(url, sizeof url, "file://%s", abs_html);
    snprintf(to, sizeof to, "--print-to-pdf=%s", part);
    snprintf(profile, sizeof profile, "--user-data-dir=%s/profile", tmp);
    char *argv[] = {browser,
                    "--headless",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--no-pdf-header-footer",
                    profile,
                    to,
                    /* root has no sandbox to drop into */
                    geteuid() == 0 ? "--no-sandbox" : "--headless",
                    url,
                    NULL};
    unlink(part);
    rc = run(argv);
    if (rc != 0 || !is_pdf(part)) {
        unlink(part);
        leamon_error(ctx, "%s did not print %s (%s)", browser, pdf,
                     rc < 0 ? "it did not finish within two minutes, or could not run"
                            : "it failed");
        return LEAMON_EXIT_USAGE;
    }
    if (rename(part, pdf) != 0) {
        leamon_error(ctx, "%s: %s", pdf, strerror(errno));
        unlink(part);
        return LEAMON_EXIT_USAGE;
    }
    return 0;
}
