/* csv.h: the submission file format of `leamon submit FILE.csv`.
 *
 *   # comment lines and blank lines are skipped
 *   metric,area,value                 optional header; or metric,area,period,value
 *   vve.peuters.geplaatst,WK016402,42
 *   vve.uren.per_week,,16             empty area: the reporter's home area
 *
 * Fields are trimmed and may be double-quoted; CRLF line ends and a UTF-8 BOM
 * are accepted. If the first header or data line contains ';', ';' is the
 * separator and ',' is accepted as the decimal mark (Dutch Excel exports).
 */
#ifndef LEAMON_CSV_H
#define LEAMON_CSV_H

#include <stdio.h>

#include "proto.h"
#include "records.h"

/* Parse all of in. period is the --period value (NULL if none): the period
 * of every row, unless the file has a period column with a value in that row.
 * Records are appended to out with their line number as origin. Problems go
 * to errs with the line number as index (0 for the file as a whole), the
 * field ("metric", "area", "period", "value", "record", "header", "file")
 * and a message. Parsing goes on after a bad row so that every bad row is
 * reported, but stops at a read error or past PROTO_MAX_RECORDS records.
 * Returns 0 if there were no problems, else -1. */
int csv_parse(FILE *in, const char *default_period, records_t *out, proto_errors *errs);

#endif
