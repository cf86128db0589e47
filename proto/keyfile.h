/* keyfile.h: CURVE key files, shared by leamond and leamon.
 *
 * A key file holds '#' comment lines (and blank lines) plus exactly one line
 * with a 40-character Z85 key. NAME.key holds a secret key and must be mode
 * 0600; NAME.pub holds the matching public key and may be world-readable.
 * Every function returns 0, or -1 with a one-line message (naming the file)
 * in err.
 */
#ifndef LEAMON_KEYFILE_H
#define LEAMON_KEYFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

#define KEY_Z85_LEN 40

/* Make a new key pair and write DIR/NAME.key (secret, mode 0600) and
 * DIR/NAME.pub (public, mode 0644). Never overwrites: if either file exists,
 * nothing is written. NAME is letters, digits, '-', '_', '.', not starting
 * with '.'. The public key is copied into public_z85. */
int keyfile_write_pair(const char *dir, const char *name, char public_z85[KEY_Z85_LEN + 1],
                       lm_error *err);

/* Read a secret key file. Refused if group or others have any permission
 * bit ("mode 0644; must be 0600 (chmod 600 FILE)"), if it is not a regular
 * file, or if the content is not exactly one 40-character Z85 key. */
int keyfile_read_secret(const char *path, char z85[KEY_Z85_LEN + 1], lm_error *err);

/* A public key given literally (40 Z85 characters) or as the path of a key
 * file. A literal key wins over a file of the same name. */
int keyfile_read_public(const char *key_or_path, char z85[KEY_Z85_LEN + 1], lm_error *err);

/* The public key of a secret key (both Z85). Returns 0 or -1. */
int keyfile_public_from_secret(const char secret[KEY_Z85_LEN + 1],
                               char public_z85[KEY_Z85_LEN + 1]);

/* True if s is exactly one valid 40-character Z85 key. */
bool keyfile_is_z85(const char *s);

#endif
