/* textin.c: read a partner's file whole and make UTF-8 text of it (textin.h). */
#include "textin.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char save_as_csv[] = "save it as CSV UTF-8 from the spreadsheet";

int textin_utf16_to_utf8(const unsigned char *s, size_t n, bool big_endian, char **out,
                         size_t *outlen, lm_error *err)
{
    *out = NULL;
    *outlen = 0;
    if (n % 2)
        return lm_fail(err, 0, "UTF-16 text of an odd number of bytes (cut short?); %s",
                       save_as_csv);
    /* a unit of 2 bytes becomes at most 3 bytes of UTF-8; a pair of 4 bytes, 4 */
    char *buf = malloc(n / 2 * 3 + 1);
    if (!buf)
        return lm_fail(err, 0, "out of memory converting UTF-16 text");
    size_t w = 0;
    for (size_t i = 0; i < n; i += 2) {
        uint32_t c = big_endian ? (uint32_t)(s[i] << 8 | s[i + 1]) : (uint32_t)(s[i + 1] << 8 | s[i]);
        if (c >= 0xD800 && c <= 0xDBFF && i + 3 < n) {
            uint32_t lo = big_endian ? (uint32_t)(s[i + 2] << 8 | s[i + 3])
                                     : (uint32_t)(s[i + 3] << 8 | s[i + 2]);
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
                i += 2;
            }
        }
        if (c >= 0xD800 && c <= 0xDFFF) {
            free(buf);
            return lm_fail(err, 0, "malformed UTF-16 text (a lone surrogate at byte %zu); %s",
                           i + 2, save_as_csv);
        }
        if (c < 0x80) {
            buf[w++] = (char)c;
        } else if (c < 0x800) {
            buf[w++] = (char)(0xC0 | c >> 6);
            buf[w++] = (char)(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            buf[w++] = (char)(0xE0 | c >> 12);
            buf[w++] = (char)(0x80 | (c >> 6 & 0x3F));
            buf[w++] = (char)(0x80 | (c & 0x3F));
        } else {
            buf[w++] = (char)(0xF0 | c >> 18);
            buf[w++] = (char)(0x80 | (c >> 12 & 0x3F));
            buf[w++] = (char)(0x80 | (c >> 6 & 0x3F));
            buf[w++] = (char)(0x80 | (c & 0x3F));
        }
    }
    buf[w] = '\0';
    *out = buf;
    *outlen = w;
    return 0;
}

/* A workbook instead of its CSV: say which, and how to get the CSV. */
static int workbook(const unsigned char *b, size_t n, lm_error *err)
{
    static const unsigned char zip[] = {'P', 'K', 3, 4};
    static const unsigned char ole[] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    if (n >= sizeof zip && !memcmp(b, zip, sizeof zip)) {
        /* an OpenDocument file stores its mimetype first, uncompressed */
        static const char ods[] = "opendocument.spreadsheet";
        bool is_ods = false;
        for (size_t i = 0; !is_ods && i + sizeof ods - 1 <= n && i < 100; i++)
            is_ods = !memcmp(b + i, ods, sizeof ods - 1);
        if (is_ods)
            return lm_fail(err, 0, "a LibreOffice spreadsheet (.ods), not a CSV file: choose "
                                   "File > Save a Copy > Text CSV, or run soffice --headless "
                                   "--convert-to csv FILE.ods");
        return lm_fail(err, 0, "an Excel workbook (.xlsx), not a CSV file: in Excel choose "
                               "Save As > CSV UTF-8, or run xlsx2csv FILE.xlsx > FILE.csv "
                               "(Debian package xlsx2csv)");
    }
    if (n >= sizeof ole && !memcmp(b, ole, sizeof ole))
        return lm_fail(err, 0, "an old Excel workbook (.xls), not a CSV file: in Excel choose "
                               "Save As > CSV UTF-8, or run soffice --headless --convert-to "
                               "csv FILE.xls");
    return 0;
}

int textin_read(FILE *in, char **text, size_t *len, lm_error *err)
{
    *text = NULL;
    *len = 0;
    size_t cap = 65536, n = 0;
    unsigned char *buf = malloc(cap + 1);
    if (!buf)
        return lm_fail(err, 0, "out of memory reading the file");
    for (;;) {
        if (n == cap) {
            unsigned char *more = cap < TEXTIN_MAX ? realloc(buf, 2 * cap + 1) : NULL;
            if (!more) {
                free(buf);
                if (cap >= TEXTIN_MAX)
                    return lm_fail(err, 0, "larger than %zu MiB: not one submission (at most "
                                           "10000 records); split it", TEXTIN_MAX >> 20);
                return lm_fail(err, 0, "out of memory reading the file");
            }
            buf = more;
            cap *= 2;
        }
        size_t want = cap - n, got = fread(buf + n, 1, want, in);
        n += got;
        if (got < want) { /* fread reads on until the end or an error */
            if (ferror(in)) {
                int saved = errno;
                free(buf);
                return lm_fail(err, 0, "read error: %s", strerror(saved ? saved : EIO));
            }
            break;
        }
    }
    buf[n] = '\0';
    if (workbook(buf, n, err) != 0) {
        free(buf);
        return -1;
    }
    if (n >= 2 && ((buf[0] == 0xFF && buf[1] == 0xFE) || (buf[0] == 0xFE && buf[1] == 0xFF))) {
        char *utf8;
        size_t utf8_len;
        int rc = textin_utf16_to_utf8(buf + 2, n - 2, buf[0] == 0xFE, &utf8, &utf8_len, err);
        free(buf);
        if (rc != 0)
            return -1;
        buf = (unsigned char *)utf8;
        n = utf8_len;
    } else if (n >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) {
        memmove(buf, buf + 3, n - 3 + 1); /* Excel's "CSV UTF-8" starts with a BOM */
        n -= 3;
    }
    size_t at = strlen((char *)buf); /* the first NUL: the end, or one inside the text */
    if (at < n) {
        /* ASCII text in UTF-16 has every other byte NUL */
        bool utf16 = n >= 4 && (!buf[0] || !buf[1]) && (!buf[2] || !buf[3]);
        free(buf);
        if (utf16)
            return lm_fail(err, 0, "UTF-16 text without a byte order mark: %s", save_as_csv);
        return lm_fail(err, 0, "a NUL byte at byte %zu: not a text file; %s", at + 1,
                       save_as_csv);
    }
    *text = (char *)buf;
    *len = n;
    return 0;
}
