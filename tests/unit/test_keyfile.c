/* Unit tests for proto/keyfile.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "keyfile.h"

typedef struct {
    char dir[64];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/leamon-keyfile.XXXXXX");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    int rc = system(cmd);
    free(f);
    return rc == 0 ? 0 : -1;
}

static void path_of(const fixture *f, const char *name, char *buf, size_t n)
{
    snprintf(buf, n, "%s/%s", f->dir, name);
}

static void write_text(const char *path, const char *text, mode_t mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    assert_int_equal(fchmod(fd, mode), 0);
    assert_int_equal(close(fd), 0);
}

static mode_t mode_of(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return st.st_mode & 07777;
}

static void test_write_pair_and_read_back(void **state)
{
    fixture *f = *state;
    char pub[KEY_Z85_LEN + 1], sec[KEY_Z85_LEN + 1], pub2[KEY_Z85_LEN + 1],
        derived[KEY_Z85_LEN + 1], err[512], key_path[128], pub_path[128];
    mode_t old = umask(0); /* the modes must not depend on the umask */
    int rc = keyfile_write_pair(f->dir, "ko-a", pub, err, sizeof err);
    umask(old);
    assert_int_equal(rc, 0);
    assert_int_equal(strlen(pub), KEY_Z85_LEN);
    assert_true(keyfile_is_z85(pub));
    path_of(f, "ko-a.key", key_path, sizeof key_path);
    path_of(f, "ko-a.pub", pub_path, sizeof pub_path);
    assert_int_equal(mode_of(key_path), 0600);
    assert_int_equal(mode_of(pub_path), 0644);

    assert_int_equal(keyfile_read_secret(key_path, sec, err, sizeof err), 0);
    assert_int_equal(keyfile_public_from_secret(sec, derived), 0);
    assert_string_equal(derived, pub);
    assert_int_equal(keyfile_read_public(pub_path, pub2, err, sizeof err), 0);
    assert_string_equal(pub2, pub);
    /* Both halves of the pair are distinct. */
    assert_string_not_equal(sec, pub);
}

static void test_write_never_overwrites(void **state)
{
    fixture *f = *state;
    char pub[KEY_Z85_LEN + 1], sec1[KEY_Z85_LEN + 1], sec2[KEY_Z85_LEN + 1], err[512],
        key_path[128], pub_path[128];
    path_of(f, "srv.key", key_path, sizeof key_path);
    path_of(f, "srv.pub", pub_path, sizeof pub_path);
    assert_int_equal(keyfile_write_pair(f->dir, "srv", pub, err, sizeof err), 0);
    assert_int_equal(keyfile_read_secret(key_path, sec1, err, sizeof err), 0);
    assert_int_equal(keyfile_write_pair(f->dir, "srv", pub, err, sizeof err), -1);
    assert_non_null(strstr(err, "already exists"));
    assert_int_equal(keyfile_read_secret(key_path, sec2, err, sizeof err), 0);
    assert_string_equal(sec1, sec2);

    /* Only the .pub exists: nothing is written, no lone .key appears. */
    assert_int_equal(unlink(key_path), 0);
    assert_int_equal(keyfile_write_pair(f->dir, "srv", pub, err, sizeof err), -1);
    assert_int_equal(access(key_path, F_OK), -1);
}

static void test_bad_names(void **state)
{
    fixture *f = *state;
    char pub[KEY_Z85_LEN + 1], err[512];
    assert_int_equal(keyfile_write_pair(f->dir, "../evil", pub, err, sizeof err), -1);
    assert_int_equal(keyfile_write_pair(f->dir, ".hidden", pub, err, sizeof err), -1);
    assert_int_equal(keyfile_write_pair(f->dir, "", pub, err, sizeof err), -1);
    assert_int_equal(keyfile_write_pair("/nonexistent/dir", "x", pub, err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent/dir/x.key"));
}

static void test_refuse_readable_secret(void **state)
{
    fixture *f = *state;
    char pub[KEY_Z85_LEN + 1], sec[KEY_Z85_LEN + 1], err[512], key_path[128], want[300];
    path_of(f, "p.key", key_path, sizeof key_path);
    assert_int_equal(keyfile_write_pair(f->dir, "p", pub, err, sizeof err), 0);
    assert_int_equal(chmod(key_path, 0644), 0);
    assert_int_equal(keyfile_read_secret(key_path, sec, err, sizeof err), -1);
    snprintf(want, sizeof want, "mode 0644; must be 0600 (chmod 600 %s)", key_path);
    if (!strstr(err, want) || !strstr(err, key_path))
        fail_msg("message '%s' lacks '%s'", err, want);
    assert_int_equal(chmod(key_path, 0640), 0);
    assert_int_equal(keyfile_read_secret(key_path, sec, err, sizeof err), -1);
    assert_non_null(strstr(err, "mode 0640"));
    assert_int_equal(chmod(key_path, 0604), 0);
    assert_int_equal(keyfile_read_secret(key_path, sec, err, sizeof err), -1);
    /* Owner-only modes are fine. */
    assert_int_equal(chmod(key_path, 0400), 0);
    assert_int_equal(keyfile_read_secret(key_path, sec, err, sizeof err), 0);
}

static void test_bad_content(void **state)
{
    fixture *f = *state;
    char z[KEY_Z85_LEN + 1], err[512], path[128];
    const char *good = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7";
    assert_true(keyfile_is_z85(good));
    path_of(f, "k", path, sizeof path);

    write_text(path, "# only a comment\n\n", 0600);
    assert_int_equal(keyfile_read_secret(path, z, err, sizeof err), -1);
    assert_non_null(strstr(err, "no key"));

    write_text(path, "# comment\nnot-a-key\n", 0600);
    assert_int_equal(keyfile_read_secret(path, z, err, sizeof err), -1);
    assert_non_null(strstr(err, ":2:"));
    assert_non_null(strstr(err, "40 Z85"));

    /* 40 characters, but one outside the Z85 alphabet. */
    write_text(path, "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf~\n", 0600);
    assert_int_equal(keyfile_read_secret(path, z, err, sizeof err), -1);

    char two[200];
    snprintf(two, sizeof two, "%s\n%s\n", good, good);
    write_text(path, two, 0600);
    assert_int_equal(keyfile_read_secret(path, z, err, sizeof err), -1);
    assert_non_null(strstr(err, "second key"));

    /* Comments, blank lines, CRLF and surrounding blanks are fine. */
    char ok[200];
    snprintf(ok, sizeof ok, "# leamon key\r\n\r\n   %s  \r\n# end\r\n", good);
    write_text(path, ok, 0600);
    assert_int_equal(keyfile_read_secret(path, z, err, sizeof err), 0);
    assert_string_equal(z, good);

    assert_int_equal(keyfile_read_secret("/nonexistent/k", z, err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent/k"));
    assert_int_equal(keyfile_read_secret(f->dir, z, err, sizeof err), -1);
    assert_non_null(strstr(err, "not a regular file"));
}

static void test_public_literal_or_file(void **state)
{
    fixture *f = *state;
    char z[KEY_Z85_LEN + 1], err[512], path[128], text[200];
    const char *good = "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID";
    assert_true(keyfile_is_z85(good));
    assert_int_equal(keyfile_read_public(good, z, err, sizeof err), 0);
    assert_string_equal(z, good);

    /* A public key file may be world-readable. */
    path_of(f, "srv.pub", path, sizeof path);
    snprintf(text, sizeof text, "# server\n%s\n", good);
    write_text(path, text, 0644);
    memset(z, 0, sizeof z);
    assert_int_equal(keyfile_read_public(path, z, err, sizeof err), 0);
    assert_string_equal(z, good);

    /* A mistyped literal (40 chars, bad alphabet) is named as such. */
    assert_int_equal(keyfile_read_public("Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hI~", z, err,
                                         sizeof err),
                     -1);
    assert_non_null(strstr(err, "neither a valid Z85 key nor a file"));
    assert_int_equal(keyfile_read_public("short", z, err, sizeof err), -1);
    assert_non_null(strstr(err, "short"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_write_pair_and_read_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_never_overwrites, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refuse_readable_secret, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_content, setup, teardown),
        cmocka_unit_test_setup_teardown(test_public_literal_or_file, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
