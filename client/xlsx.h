/* xlsx.h: --format xlsx: a command's table as an Excel workbook (libxlsxwriter), one
 * sheet named after the table, the header in Dutch, numbers as numeric cells with a
 * number format (whole numbers with thousands grouped, others with their decimals),
 * everything else as text. */
#ifndef LEAMON_XLSX_H
#define LEAMON_XLSX_H

#include <stdio.h>

#include "sheet.h"

/* The Dutch header of a CSV column ("numerator": "Teller"); the name itself when it has
 * none. */
const char *xlsx_heading(const char *column);

/* s as a workbook onto out; command names the sheet ("snapshot": "Stand"). The workbook
 * is made in a temporary file (TMPDIR, else /tmp), copied and removed. 0, or -1 with
 * errno set where the system said why. */
int xlsx_write(const sheet_t *s, const char *command, FILE *out);

#endif
