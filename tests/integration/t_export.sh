# t_export.sh: --format csv-nl and xlsx, the tables of snapshot, series, completeness and
# alerts for a spreadsheet, read back and held against the same query's JSON: the same
# rows, every number the same (a decimal comma in csv-nl, a numeric cell in xlsx), Dutch
# headers in the workbook.
#
# Helpers are prefixed ex_: run.sh sources every t_*.sh into one shell.

ex_setup() {
    setup_insecure
    start_daemon
    local m
    for m in "$TWO_MONTHS_AGO" "$LAST_MONTH"; do
        submit_as ko-a "$m" WK016402 vve.doelgroep.geplaatst=9 vve.peuters.geplaatst=23 vve.uren.per_week=15.5
        submit_as ko-c "$m" WK016401 vve.doelgroep.geplaatst=30 vve.peuters.geplaatst=61 vve.uren.per_week=16
        submit_as ggd "$m" WK016402 jgz.doelgroep.geindiceerd=10
        submit_as ggd "$m" WK016401 jgz.doelgroep.geindiceerd=60
        submit_as rbl "$m" GM0164 rbl.thuiszitters=1234 rbl.leerplichtigen=2300 rbl.vrijstellingen=12
    done
}

# The python that reads the exports back: Debian's, where python3-openpyxl is.
EX_PY=/usr/bin/python3

# Compare an export with the JSON of the same query: json-file export-file kind, where kind
# is csv-nl or xlsx. Every row of the JSON's table is one row of the export, in order, and
# each column the export shares with it holds the same value.
ex_compare() {
    "$EX_PY" - "$1" "$2" "$3" <<'PY'
import json, sys
jpath, path, kind = sys.argv[1:]
data = json.load(open(jpath))
# the rows of the JSON: a snapshot's areas (or its own map), a series' points, the
# completeness's organisations per metric, the alerts
if isinstance(data, list):
    rows = data
elif "points" in data:
    rows = data["points"]
elif "metrics" in data:
    rows = [dict(o, metric=m["metric"]) for m in data["metrics"] for o in m["organisations"]]
else:  # a snapshot: its breakdown, then the area itself
    rows = (data.get("breakdown") or []) + [data["snapshot"]]
if kind == "csv-nl":
    raw = open(path, "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf"), "no byte order mark"
    lines = raw[3:].decode("utf-8").split("\r\n")
    assert lines[-1] == "", "CRLF line ends"
    import csv
    table = list(csv.reader(lines[:-1], delimiter=";"))
    head, body = table[0], table[1:]
    def cell(row, col):
        return row[head.index(col)]
    def num(text):
        assert "." not in text, "a decimal point in csv-nl: %r" % text
        return float(text.replace(",", "."))
else:
    import openpyxl
    ws = openpyxl.load_workbook(path).active
    table = [list(r) for r in ws.iter_rows(values_only=True)]
    dutch = {"Waarde": "value", "Teller": "numerator", "Noemer": "denominator",
             "Gebied": "area", "Periode": "period", "Verwacht": "expected",
             "Geleverd": "reported", "Nr": "id", "Grens": "threshold",
             "Organisatie": "organisation", "Cijfer": "metric", "Maanden verwacht": "months_due",
             "Maanden geleverd": "months_reported"}
    assert "Waarde" in table[0] or "Maanden verwacht" in table[0], "Dutch headers: %r" % table[0]
    head = [dutch.get(h, h) for h in table[0]]
    body = table[1:]
    def cell(row, col):
        return row[head.index(col)]
    def num(v):
        assert isinstance(v, (int, float)), "not a numeric cell: %r" % (v,)
        return float(v)
assert len(body) == len(rows), "%d rows, the JSON has %d" % (len(body), len(rows))
checked = 0
for row, want in zip(body, rows):
    for col in ("value", "numerator", "denominator", "expected", "reported", "threshold",
                "months_due", "months_reported", "id"):
        if col not in head or col not in want:
            continue
        got, w = cell(row, col), want[col]
        if w is None:
            assert got in ("", None), "%s: %r, the JSON has none" % (col, got)
            continue
        assert abs(num(got) - w) <= 1e-9 * max(1, abs(w)), "%s: %r, the JSON has %r" % (col, got, w)
        checked += 1
    for col in ("area", "period", "organisation", "metric"):
        if col in head and col in want and want[col] is not None:
            assert str(cell(row, col)) == want[col], "%s: %r, the JSON has %r" % (col, cell(row, col), want[col])
print(checked)
PY
}

test_export_csv_nl_and_xlsx_match_the_json() {
    ex_setup
    local xlsx=yes
    "$EX_PY" -c 'import openpyxl' 2> /dev/null || {
        xlsx=no
        echo "PYTHON3-OPENPYXL NOT INSTALLED: the xlsx files were not read back (make deps)" >> "$T/notice"
    }
    local q name n
    while IFS='|' read -r name q; do
        # shellcheck disable=SC2086
        as viewer $q --format json > "$T/$name.json" || fail "$q --format json"
        # shellcheck disable=SC2086
        as viewer $q --format csv-nl > "$T/$name.csv" || fail "$q --format csv-nl"
        n=$(ex_compare "$T/$name.json" "$T/$name.csv" csv-nl 2>&1) || fail "$name csv-nl: $n"
        [ "$n" -ge 1 ] || fail "$name csv-nl: no numbers compared"
        if [ "$xlsx" = yes ]; then
            # shellcheck disable=SC2086
            as viewer $q --format xlsx > "$T/$name.xlsx" || fail "$q --format xlsx"
            [ "$(head -c 2 "$T/$name.xlsx")" = PK ] || fail "$name.xlsx is not a workbook"
            n=$(ex_compare "$T/$name.json" "$T/$name.xlsx" xlsx 2>&1) || fail "$name xlsx: $n"
            [ "$n" -ge 1 ] || fail "$name xlsx: no numbers compared"
        fi
    done <<EOF2
snapshot|snapshot vve_bereik --period $LAST_MONTH --by-area
uren|snapshot vve_uren --period $LAST_MONTH --by-area
series|series thuiszitters --from $TWO_MONTHS_AGO --to $LAST_MONTH
completeness|completeness --period $LAST_MONTH
alerts|alerts --state all
EOF2
    # the Dutch numbers themselves: 15.5 hours as 15,5 and 1234 as it is, no grouping
    grep -q ';15,75;' "$T/uren.csv" || grep -q ';15,5;' "$T/uren.csv" || fail "a decimal comma: $(cat "$T/uren.csv")"
    grep -q ';1234;' "$T/series.csv" || fail "1234 ungrouped: $(cat "$T/series.csv")"
    # only where CSV is
    assert_status 2 "csv-nl for status" as viewer status --format csv-nl
    assert_contains "$OUT" "--format csv-nl is for snapshot" "says where"
    assert_status 2 "an unknown format" as viewer snapshot vve_bereik --period "$LAST_MONTH" --format xls
}
