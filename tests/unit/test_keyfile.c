/* Unit tests for proto/keyfile.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "keyfile.h"
#include "testutil.h"

static mode_t mode_of(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return st.st_mode & 07777;
}

static void test_write_pair_and_read_back(void **state)
{
    char pub[KEY_Z85_LEN + 1], sec[KEY_Z85_LEN + 1], pub2[KEY_Z85_LEN + 1],
        derived[KEY_Z85_LEN + 1], key_path[128], pub_path[128];
    lm_error err;
    (void)state;
    mode_t old = umask(0); /* the modes must not depend on the umask */
    int rc = keyfile_write_pair(tmpdir, "ko-a", pub, &err);
    umask(old);
    assert_int_equal(rc, 0);
    assert_int_equal(strlen(pub), KEY_Z85_LEN);
    assert_true(keyfile_is_z85(pub));
    path_join(key_path, sizeof key_path, tmpdir, "ko-a.key");
    path_join(pub_path, sizeof pub_path, tmpdir, "ko-a.pub");
    assert_int_equal(mode_of(key_path), 0600);
    assert_int_equal(mode_of(pub_path), 0644);

    assert_int_equal(keyfile_read_secret(key_path, sec, &err), 0);
    assert_int_equal(keyfile_public_from_secret(sec, derived), 0);
    assert_string_equal(derived, pub);
    assert_int_equal(keyfile_read_public(pub_path, pub2, &err), 0);
    assert_string_equal(pub2, pub);
    /* Both halves of the pair are distinct. */
    assert_string_not_equal(sec, pub);
}

static void test_write_never_overwrites(void **state)
{
    char pub[KEY_Z85_LEN + 1], sec1[KEY_Z85_LEN + 1], sec2[KEY_Z85_LEN + 1], key_path[128],
        pub_path[128];
    lm_error err;
    (void)state;
    path_join(key_path, sizeof key_path, tmpdir, "srv.key");
    path_join(pub_path, sizeof pub_path, tmpdir, "srv.pub");
    assert_int_equal(keyfile_write_pair(tmpdir, "srv", pub, &err), 0);
    assert_int_equal(keyfile_read_secret(key_path, sec1, &err), 0);
    assert_int_equal(keyfile_write_pair(tmpdir, "srv", pub, &err), -1);
    assert_non_null(strstr(err.msg, "already exists"));
    assert_int_equal(keyfile_read_secret(key_path, sec2, &err), 0);
    assert_string_equal(sec1, sec2);

    /* Only the .pub exists: nothing is written, no lone .key appears. */
    assert_int_equal(unlink(key_path), 0);
    assert_int_equal(keyfile_write_pair(tmpdir, "srv", pub, &err), -1);
    assert_int_equal(access(key_path, F_OK), -1);
}

static void test_bad_names(void **state)
{
    char pub[KEY_Z85_LEN + 1];
    lm_error err;
    (void)state;
    assert_int_equal(keyfile_write_pair(tmpdir, "../evil", pub, &err), -1);
    assert_int_equal(keyfile_write_pair(tmpdir, ".hidden", pub, &err), -1);
    assert_int_equal(keyfile_write_pair(tmpdir, "", pub, &err), -1);
    assert_int_equal(keyfile_write_pair("/nonexistent/dir", "x", pub, &err), -1);
    assert_non_null(strstr(err.msg, "/nonexistent/dir/x.key"));
}

static void test_refuse_readable_secret(void **state)
{
    char pub[KEY_Z85_LEN + 1], sec[KEY_Z85_LEN + 1], key_path[128], want[300];
    lm_error err;
    (void)state;
    path_join(key_path, sizeof key_path, tmpdir, "p.key");
    assert_int_equal(keyfile_write_pair(tmpdir, "p", pub, &err), 0);
    assert_int_equal(chmod(key_path, 0644), 0);
    assert_int_equal(keyfile_read_secret(key_path, sec, &err), -1);
    snprintf(want, sizeof want, "mode 0644; must be 0600 (chmod 600 %s)", key_path);
    if (!strstr(err.msg, want) || !strstr(err.msg, key_path))
        fail_msg("message '%s' lacks '%s'", err.msg, want);
    assert_int_equal(chmod(key_path, 0640), 0);
    assert_int_equal(keyfile_read_secret(key_path, sec, &err), -1);
    assert_non_null(strstr(err.msg, "mode 0640"));
    assert_int_equal(chmod(key_path, 0604), 0);
    assert_int_equal(keyfile_read_secret(key_path, sec, &err), -1);
    /* Owner-only modes are fine. */
    assert_int_equal(chmod(key_path, 0400), 0);
    assert_int_equal(keyfile_read_secret(key_path, sec, &err), 0);
}

static void test_bad_content(void **state)
{
    char z[KEY_Z85_LEN + 1], path[128];
    lm_error err;
    (void)state;
    const char *good = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7";
    assert_true(keyfile_is_z85(good));
    path_join(path, sizeof path, tmpdir, "k");

    write_text(path, "# only a comment\n\n", 0600);
    assert_int_equal(keyfile_read_secret(path, z, &err), -1);
    assert_non_null(strstr(err.msg, "no key"));

    write_text(path, "# comment\nnot-a-key\n", 0600);
    assert_int_equal(keyfile_read_secret(path, z, &err), -1);
    assert_non_null(strstr(err.msg, ":2:"));
    assert_non_null(strstr(err.msg, "40 Z85"));

    /* 40 characters, but one outside the Z85 alphabet. */
    write_text(path, "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf~\n", 0600);
    assert_int_equal(keyfile_read_secret(path, z, &err), -1);

    char two[200];
    snprintf(two, sizeof two, "%s\n%s\n", good, good);
    write_text(path, two, 0600);
    assert_int_equal(keyfile_read_secret(path, z, &err), -1);
    assert_non_null(strstr(err.msg, "second key"));

    /* Comments, blank lines, CRLF and surrounding blanks are fine. */
    char ok[200];
    snprintf(ok, sizeof ok, "# leamon key\r\n\r\n   %s  \r\n# end\r\n", good);
    write_text(path, ok, 0600);
    assert_int_equal(keyfile_read_secret(path, z, &err), 0);
    assert_string_equal(z, good);

    assert_int_equal(keyfile_read_secret("/nonexistent/k", z, &err), -1);
    assert_non_null(strstr(err.msg, "/nonexistent/k"));
    assert_int_equal(keyfile_read_secret(tmpdir, z, &err), -1);
    assert_non_null(strstr(err.msg, "not a regular file"));
}

static void test_public_literal_or_file(void **state)
{
    char z[KEY_Z85_LEN + 1], path[128], text[200];
    lm_error err;
    (void)state;
    const char *good = "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID";
    assert_true(keyfile_is_z85(good));
    assert_int_equal(keyfile_read_public(good, z, &err), 0);
    assert_string_equal(z, good);

    /* A public key file may be world-readable. */
    path_join(path, sizeof path, tmpdir, "srv.pub");
    snprintf(text, sizeof text, "# server\n%s\n", good);
    write_text(path, text, 0644);
    memset(z, 0, sizeof z);
    assert_int_equal(keyfile_read_public(path, z, &err), 0);
    assert_string_equal(z, good);

    /* A mistyped literal (40 chars, bad alphabet) is named as such. */
    assert_int_equal(keyfile_read_public("Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hI~", z, &err), -1);
    assert_non_null(strstr(err.msg, "neither a valid Z85 key nor a file"));
    assert_int_equal(keyfile_read_public("short", z, &err), -1);
    assert_non_null(strstr(err.msg, "short"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        tmpdir_test(test_write_pair_and_read_back),
        tmpdir_test(test_write_never_overwrites),
        tmpdir_test(test_bad_names),
        tmpdir_test(test_refuse_readable_secret),
        tmpdir_test(test_bad_content),
        tmpdir_test(test_public_literal_or_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
