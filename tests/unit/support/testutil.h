/* testutil.h: temp directories and files for the unit tests, and the check of a
 * located config error.
 *
 * Fixtures return 0 or -1 (after saying why on stderr), as cmocka wants; the other
 * helpers are for test bodies (and setups) and fail the running test on any error. */
#ifndef LEAMON_TESTUTIL_H
#define LEAMON_TESTUTIL_H

#include <stddef.h>
#include <sys/types.h>

/* The temp dir, "/tmp/leamon-test-XXXXXX" made unique. tmpdir_setup makes it and
 * tmpdir_teardown removes it with everything in it. As group fixtures the tests of a
 * file share one dir; as per-test fixtures each test gets a fresh one:
 *     cmocka_run_group_tests(tests, tmpdir_setup, tmpdir_teardown);
 *     tmpdir_test(test_x)   (= cmocka_unit_test_setup_teardown(test_x, tmpdir_setup, ...)) */
extern char tmpdir[64];
int tmpdir_setup(void **state);
int tmpdir_teardown(void **state);

/* A test with a fresh tmpdir of its own. */
#define tmpdir_test(test) cmocka_unit_test_setup_teardown(test, tmpdir_setup, tmpdir_teardown)

/* Remove path and, if it is a directory, everything below it (symlinks are not
 * followed). 0, or -1 when anything could not be removed. */
int tree_remove(const char *path);

/* dir/name into buf; fails the test if it does not fit. */
void path_join(char *buf, size_t size, const char *dir, const char *name);

/* Write text to path, created or truncated, with exactly this mode (whatever the umask). */
void write_text(const char *path, const char *text, mode_t mode);

/* Write text to tmpdir/name (mode 0644); the full path goes to path. */
void write_file(const char *name, const char *text, char *path, size_t size);

/* err must read "PATH:LINE: SETTING: ..." and contain message; line 0 means the error
 * is about the file as a whole and reads "PATH: ...". Returns NULL or what is wrong
 * (in a static buffer, valid until the next call). */
const char *check_located(const char *err, const char *path, int line, const char *setting,
                          const char *message);

#endif
