/* keyfile.c: reading and writing CURVE key files (Z85 text, see keyfile.h). */
#include "keyfile.h"
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zmq.h>

/* A key file is a few lines; anything bigger is not one. Buffers that held a
 * secret key are wiped with explicit_bzero, which the compiler cannot drop. */
#define KEYFILE_MAX 4096

/* zmq_z85_decode checks the alphabet, but only for NUL-terminated input of a
 * multiple of 5 characters; the length check keeps it to one 32-byte key. */
bool keyfile_is_z85(const char *s)
{
    if (strlen(s) != KEY_Z85_LEN)
        return false;
    uint8_t raw[32];
    return zmq_z85_decode(raw, s) != NULL;
}

int keyfile_public_from_secret(const char secret[KEY_Z85_LEN + 1],
                               char public_z85[KEY_Z85_LEN + 1])
{
    if (!keyfile_is_z85(secret))
        return -1;
    return zmq_curve_public(public_z85, secret) == 0 ? 0 : -1;
}

static bool name_ok(const char *name)
{
    if (!name[0] || name[0] == '.' || strlen(name) > 200)
        return false;
    for (const char *p = name; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.'))
            return false;
    }
    return true;
}

/* Write text to a new key file (O_EXCL) with exactly this mode, and fsync it. */
static int write_new(const char *path, mode_t mode, const char *text, lm_error *err)
{
    if (fileio_write_new(path, text, strlen(text), mode, FILEIO_EXACT_MODE, err) == 0)
        return 0;
    if (errno == EEXIST)
        return lm_fail(err, 0, "%s already exists; not overwriting a key", path);
    return -1;
}

int keyfile_write_pair(const char *dir, const char *name, char public_z85[KEY_Z85_LEN + 1],
                       lm_error *err)
{
    if (!name_ok(name))
        return lm_fail(err, 0, "key name '%s': use letters, digits, '-', '_' and '.', "
                               "not starting with '.'", name);
    char key_path[4096], pub_path[4096];
    if ((size_t)snprintf(key_path, sizeof key_path, "%s/%s.key", dir, name) >= sizeof key_path ||
        (size_t)snprintf(pub_path, sizeof pub_path, "%s/%s.pub", dir, name) >= sizeof pub_path)
        return lm_fail(err, 0, "%s/%s: path too long", dir, name);

    /* Refuse before generating anything, so an existing pair stays intact. */
    struct stat st;
    if (lstat(pub_path, &st) == 0)
        return lm_fail(err, 0, "%s already exists; not overwriting a key", pub_path);

    char pub[KEY_Z85_LEN + 1], sec[KEY_Z85_LEN + 1];
    if (zmq_curve_keypair(pub, sec) != 0)
        return lm_fail(err, 0, "cannot make a CURVE key pair: %s (libzmq without libsodium?)",
                       zmq_strerror(zmq_errno()));

    char text[512];
    snprintf(text, sizeof text,
             "# leamon CURVE secret key '%s'. Keep it secret: mode 0600, on this machine only.\n"
             "# The public half is in %s.pub.\n%s\n",
             name, name, sec);
    if (write_new(key_path, 0600, text, err) != 0) {
        explicit_bzero(sec, sizeof sec);
        explicit_bzero(text, sizeof text);
        return -1;
    }
    explicit_bzero(sec, sizeof sec);
    explicit_bzero(text, sizeof text);
    snprintf(text, sizeof text,
             "# leamon CURVE public key '%s'. Give it to the daemon's operator for the\n"
             "# partners file: keys = [\"%s\"];\n%s\n",
             name, pub, pub);
    if (write_new(pub_path, 0644, text, err) != 0) {
        unlink(key_path); /* never leave half a pair behind */
        return -1;
    }
    memcpy(public_z85, pub, sizeof pub);
    return 0;
}

/* Read a small key file; with secret set, insist on no group/other access. */
static int read_key_file(const char *path, bool secret, char z85[KEY_Z85_LEN + 1], lm_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return lm_fail(err, 0, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int saved = errno;
        close(fd);
        return lm_fail(err, 0, "%s: cannot stat: %s", path, strerror(saved));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return lm_fail(err, 0, "%s: not a regular file", path);
    }
    if (secret && (st.st_mode & 077)) {
        close(fd);
        return lm_fail(err, 0, "%s: secret key file has mode %04o; must be 0600 (chmod 600 %s)",
                       path, (unsigned)(st.st_mode & 07777), path);
    }
    char buf[KEYFILE_MAX + 1];
    size_t len = 0;
    for (;;) {
        ssize_t n = read(fd, buf + len, sizeof buf - 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int saved = errno;
            close(fd);
            explicit_bzero(buf, sizeof buf);
            return lm_fail(err, 0, "%s: cannot read: %s", path, strerror(saved));
        }
        if (n == 0)
            break;
        len += (size_t)n;
        if (len == sizeof buf - 1)
            break;
    }
    close(fd);
    if (len == sizeof buf - 1) {
        explicit_bzero(buf, sizeof buf);
        return lm_fail(err, 0, "%s: too large for a key file (over %d bytes)", path,
                       KEYFILE_MAX);
    }
    buf[len] = '\0';

    int found = 0, lineno = 0, rc = 0;
    /* strtok_r skips empty lines, so count line numbers by hand. */
    char *p = buf;
    while (rc == 0 && *p) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        lineno++;
        char *s = p, *e = p + strlen(p);
        while (*s == ' ' || *s == '\t')
            s++;
        while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
            e--;
        *e = '\0';
        if (*s && *s != '#') {
            if (found)
                rc = lm_fail(err, 0, "%s:%d: a second key; a key file holds exactly one", path,
                             lineno);
            else if (!keyfile_is_z85(s))
                rc = lm_fail(err, 0, "%s:%d: not a key: expected 40 Z85 characters, got %zu",
                             path, lineno, strlen(s));
            else {
                memcpy(z85, s, KEY_Z85_LEN + 1);
                found = 1;
            }
        }
        p = nl ? nl + 1 : e;
    }
    explicit_bzero(buf, sizeof buf);
    if (rc == 0 && !found)
        rc = lm_fail(err, 0, "%s: no key in the file (only comments or blank lines)", path);
    return rc;
}

int keyfile_read_secret(const char *path, char z85[KEY_Z85_LEN + 1], lm_error *err)
{
    return read_key_file(path, true, z85, err);
}

int keyfile_read_public(const char *key_or_path, char z85[KEY_Z85_LEN + 1], lm_error *err)
{
    if (keyfile_is_z85(key_or_path)) {
        memcpy(z85, key_or_path, KEY_Z85_LEN + 1);
        return 0;
    }
    /* 40 characters and no such file: most likely a mistyped literal key. */
    if (strlen(key_or_path) == KEY_Z85_LEN && access(key_or_path, F_OK) != 0)
        return lm_fail(err, 0, "'%s' is neither a valid Z85 key nor a file", key_or_path);
    return read_key_file(key_or_path, false, z85, err);
}
