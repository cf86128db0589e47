/* textin.h: a partner's file as UTF-8 text, whatever program wrote it.
 *
 * Spreadsheets save "CSV" in several encodings: UTF-8 with or without a byte
 * order mark, or UTF-16 ("Unicode text" in Excel) with one. Those are turned
 * into UTF-8. A workbook given instead of its CSV export (.xlsx and .ods are
 * ZIP archives, .xls an OLE2 file) is recognised and refused with what to do.
 */
#ifndef LEAMON_TEXTIN_H
#define LEAMON_TEXTIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "error.h"

/* Far more than a submission of PROTO_MAX_RECORDS lines with comments. */
#define TEXTIN_MAX ((size_t)16 << 20)

/* Read all of in and return it as NUL-terminated UTF-8 without a byte order
 * mark in *text (malloc'd, the caller frees it), its length in *len. Returns
 * 0, or -1 with one sentence in err (at most 190 bytes) saying what the file
 * is and what to do: a workbook, NUL bytes, malformed UTF-16, too large, a
 * read error. */
int textin_read(FILE *in, char **text, size_t *len, lm_error *err);

/* Convert n bytes of UTF-16 (no byte order mark) to NUL-terminated UTF-8 in
 * *out (malloc'd), its length in *outlen. Returns 0, or -1 with err for an odd
 * length or a lone surrogate, or when out of memory. */
int textin_utf16_to_utf8(const unsigned char *s, size_t n, bool big_endian, char **out,
                         size_t *outlen, lm_error *err);

#endif
