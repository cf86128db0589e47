/* csv.h: the submission file format of `leamon submit FILE.csv`.
 *
 *   # comment lines and blank lines are skipped
 *   metric,area,value                 optional header; see below
 *   vve.peuters.geplaatst,WK016402,42
 *   vve.uren.per_week,,16             empty area: the reporter's home area
 *
 * Files are taken as spreadsheets and administration systems export them:
 *
 * - Encoding: UTF-8 with or without a byte order mark, or UTF-16 with one
 *   (textin.h). A workbook (.xlsx, .xls, .ods) is refused with what to do.
 * - Separator: a first line `sep=X` (Excel) names it; otherwise the first
 *   header or data line decides: a tab if it has one, else ';' if it has one,
 *   else ','. Lines of separators only (Excel's empty rows) are blank.
 * - Header: a first line naming any known column makes the columns go by
 *   name, in any order, case-insensitive: metric (metriek, indicator, code),
 *   area (wijk, gebied, buurt), period (periode, maand), value (waarde,
 *   aantal). metric and value are needed; other columns are ignored, except
 *   one whose name holds an area or period name ("Wijk code") while the file
 *   has no such column: it must be named, or every figure would go to the home
 *   area or --period unseen. Without a header the columns are metric, area,
 *   value.
 * - Empty columns after the last one are ignored.
 * - Numbers: with ';' as separator (and with tabs when the file has decimal
 *   commas), the Dutch way: ',' is the decimal mark and '.' groups thousands
 *   (1.234,5). Otherwise '.' is the decimal mark and there are no thousands
 *   separators. A number that breaks the file's rules (1.00 in a ';' file) or
 *   could be read two ways (1.000 in a ',' file) is an error, never guessed.
 *
 * Fields are trimmed and may be double-quoted; CRLF, LF and CR line ends.
 */
#ifndef LEAMON_CSV_H
#define LEAMON_CSV_H

#include <stddef.h>
#include <stdio.h>

#include "csv_map.h"
#include "proto.h"
#include "records.h"

/* Parse all of in. map (NULL: none) adds the export's column names and translates its metric
 * and area names (csv_map.h). period is the --period value (NULL if none): the period
 * of every row, unless the file has a period column with a value in that row.
 * Records are appended to out with their line number as origin. Problems go
 * to errs in line order, with the line number as index (0 for the file as a
 * whole), the field ("metric", "area", "period", "value", "record", "header",
 * "file") and a message that says what to do. A row with the same metric,
 * area and period as an earlier one is an error at its line. Parsing goes on
 * after a bad row so that every bad row is reported, but stops at a bad
 * header, a read error or past PROTO_MAX_RECORDS records.
 * Returns 0 if there were no problems, else -1. */
int csv_parse(FILE *in, const char *default_period, const csv_map *map, records_t *out,
              proto_errors *errs);

/* The same for text already in memory (UTF-8, NUL-terminated, len bytes);
 * text is changed in place. */
int csv_parse_text(char *text, size_t len, const char *default_period, const csv_map *map,
                   records_t *out, proto_errors *errs);

#endif
