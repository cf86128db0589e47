# t_partner_files.sh: files as partners' programs export them, through the real leamon to
# the real leamond: a Dutch Excel export with a thousands dot (stored as 1000, never as 1),
# Dutch headers in another order, errors at the user's own lines and columns, a workbook
# instead of its CSV, a figure without '=', a public key given as --key, months only.
# Helpers are named pf_*: every t_*.sh shares one shell.

PF_DATA="$TOP/tests/data/partner"

pf_value() { # metric area: the stored value of ko-a's figure for LAST_MONTH
    sql "select value from observation where reporter = 'ko-a' and metric = '$1' and area = '$2' and period = '$LAST_MONTH'"
}

test_partner_excel_nl_thousands_dot_stored_as_thousands() {
    setup_insecure
    start_daemon
    assert_status 0 "Excel NL export" as ko-a submit --period "$LAST_MONTH" "$PF_DATA/excel-nl.csv"
    assert_contains "$OUT" "stored 3 records for $LAST_MONTH" "stored"
    assert_eq "1000.0" "$(pf_value vve.plaatsen WK016402)" "1.000 is one thousand"
    assert_eq "16.5" "$(pf_value vve.uren.per_week WK016402)" "decimal comma"
    assert_eq "12.0" "$(pf_value vve.wachtlijst WK016402)" "empty area: home area"
    # Excel's Unicode text (UTF-16LE, tabs, decimal commas) is read as well.
    assert_status 0 "Excel Unicode text" as ko-a submit --period "$LAST_MONTH" "$PF_DATA/excel-unicode.txt"
    assert_eq "15.5" "$(pf_value vve.uren.per_week WK016402)" "UTF-16 figure"
}

test_partner_dutch_headers_in_another_order() {
    setup_insecure
    start_daemon
    printf 'Waarde;Metriek;Wijk\r\n41;vve.plaatsen;WK016402\r\n2,5;vve.uren.per_week;WK016401\r\n' > "$T/nl.csv"
    assert_status 0 "Waarde;Metriek;Wijk" as ko-a submit --period "$LAST_MONTH" "$T/nl.csv"
    assert_eq "41.0" "$(pf_value vve.plaatsen WK016402)" "value column first"
    assert_eq "2.5" "$(pf_value vve.uren.per_week WK016401)" "decimal comma"
    printf 'Indicator;Gebied;Periode;Aantal\nvve.wachtlijst;WK016404;%s;1.000\n' "$LAST_MONTH" > "$T/ind.csv"
    assert_status 0 "Indicator;Gebied;Periode;Aantal" as ko-a submit "$T/ind.csv"
    assert_eq "1000.0" "$(pf_value vve.wachtlijst WK016404)" "period from its column"
    printf 'area,metric,value\nWK016401,vve.wachtlijst,3\n' > "$T/en.csv"
    assert_status 0 "area,metric,value" as ko-a submit --period "$LAST_MONTH" "$T/en.csv"
    assert_eq "3.0" "$(pf_value vve.wachtlijst WK016401)" "English header, reordered"
}

test_partner_local_errors_at_line_and_column() {
    setup_insecure
    start_daemon
    printf 'Metriek;Wijk;Waarde\nvve.plaatsen;WK016402;1.00\nvve.wachtlijst;WK016402;3\nvve.wachtlijst;WK016402;4\n' > "$T/bad.csv"
    assert_status 2 "malformed Dutch number and a repeated row" as ko-a submit --period "$LAST_MONTH" "$T/bad.csv"
    assert_contains "$OUT" "bad.csv:2: value: not a number here: with ';' between columns, ',' is the decimal mark and '.' only groups thousands by three (1.000 = 1000); write 1,5 or 1500: '1.00' (column 3)" "number error"
    assert_contains "$OUT" "bad.csv:4: record: same metric, area and period as line 3: keep one of the two" "repeat at its line"
    assert_contains "$OUT" "2 problems in the input; nothing sent" "summary"
    assert_status 2 "a workbook" as ko-a submit --period "$LAST_MONTH" "$PF_DATA/workbook.xlsx"
    assert_contains "$OUT" "workbook.xlsx: file: an Excel workbook (.xlsx), not a CSV file: in Excel choose Save As > CSV UTF-8, or run xlsx2csv" "xlsx"
    assert_status 2 "a quarter" as ko-a submit --period 2026-Q3 vve.plaatsen=1
    assert_contains "$OUT" "--period '2026-Q3': not a month: figures are sent per month" "months only"
    assert_eq 0 "$(sql 'select count(*) from submission')" "nothing sent"
}

test_partner_daemon_errors_name_lines() {
    setup_insecure
    start_daemon
    # The empty area is ko-a's home area WK016402: only the daemon knows that it repeats
    # line 2. It names records from 0; leamon says the line.
    printf 'metric,area,value\nvve.peuters.geplaatst,WK016402,10\nvve.doelgroep.geplaatst,WK016402,12\nvve.peuters.geplaatst,,11\n' > "$T/d.csv"
    assert_status 1 "repeat through the home area, implausible pair" as ko-a submit --period "$LAST_MONTH" "$T/d.csv"
    assert_contains "$OUT" "d.csv:4: record: same metric, area and period as line 2 (duplicate_record)" "duplicate at its line"
    assert_contains "$OUT" "in line 2 (WK016402, $LAST_MONTH)" "implausible names the line"
    assert_status 1 "arguments" as ko-a submit --period "$LAST_MONTH" vve.peuters.geplaatst=5 vve.doelgroep.geplaatst=6
    assert_contains "$OUT" "argument 2: value: vve.doelgroep.geplaatst 6 is more than vve.peuters.geplaatst 5 in argument 1" "implausible names the argument"
}

test_partner_missing_equals() {
    setup_insecure
    start_daemon
    assert_status 2 "a metric alone" as ko-a submit --period "$LAST_MONTH" vve.plaatsen
    assert_contains "$OUT" "vve.plaatsen: no such file; a figure is given as metric=value (vve.plaatsen=40)" "one argument"
    assert_status 2 "a metric without = among others" as ko-a submit --period "$LAST_MONTH" vve.plaatsen vve.wachtlijst=3
    assert_contains "$OUT" "argument 1, 'vve.plaatsen': expected metric=value, as one argument without spaces (vve.plaatsen=40)" "among others"
    assert_status 2 "spaces around =" as ko-a submit --period "$LAST_MONTH" vve.plaatsen = 40
    assert_contains "$OUT" "argument 1, 'vve.plaatsen': expected metric=value" "spaces"
    assert_status 2 "a file name typed wrong" as ko-a submit --period "$LAST_MONTH" oktober.csv
    assert_contains "$OUT" "oktober.csv: cannot open: No such file or directory" "a file stays a file"
    printf 'vve.plaatsen,,1\n' > "$T/a.csv"
    assert_status 2 "a file and an argument" as ko-a submit --period "$LAST_MONTH" "$T/a.csv" vve.wachtlijst=3
    assert_contains "$OUT" "give one FILE.csv, or metric=value arguments (not both)" "not both"
    assert_eq 0 "$(sql 'select count(*) from submission')" "nothing sent"
}

test_partner_public_key_as_key() {
    setup_secure
    start_daemon
    assert_status 2 "a .pub as --key" "$LEAMON" "${LM_ARGS[@]}" --key "$T/keys/ko-a.pub" ping
    assert_contains "$OUT" "$T/keys/ko-a.pub is a public key; --key needs the secret key file ($T/keys/ko-a.key, made with it by leamon keygen)" "message"
    assert_not_contains "$OUT" "chmod" "no advice to chmod the public key"
    # renamed and made private, it is still a public key
    install -m 600 "$T/keys/ko-a.pub" "$T/keys/mine"
    assert_status 2 "a public key under another name" "$LEAMON" "${LM_ARGS[@]}" --key "$T/keys/mine" ping
    assert_contains "$OUT" "is a public key; --key needs the secret key file (NAME.key" "by content"
}

test_partner_flush_one_record_and_command_list() {
    setup_insecure
    local spool="$T/spool"
    assert_status 4 "submit while down" as ko-a --timeout 200 --retries 0 --spool "$spool" submit \
        --id one --period "$LAST_MONTH" vve.plaatsen=30
    start_daemon
    assert_status 0 "flush" as ko-a flush --spool "$spool"
    assert_contains "$OUT" ": stored 1 record (request one)" "singular"
    # leamon without a command lists every command of leamon --help
    assert_status 2 "no command" "$LEAMON"
    local list cmd
    list=$OUT
    "$LEAMON" --help | sed -n '/^COMMANDS/,/^$/p' | awk 'NF > 1 { print $1 }' > "$T/commands"
    [ "$(wc -l < "$T/commands")" -gt 15 ] || fail "commands of leamon --help: $(cat "$T/commands")"
    while read -r cmd; do
        assert_contains "$list" " $cmd" "no-command list names $cmd"
    done < "$T/commands"
}

test_partner_export_with_its_own_names_through_a_map() {
    setup_insecure
    start_daemon
    # The planning system's export as it comes: its own column names and words, wijken by
    # name, a column of its own (Locatie), Dutch numbers.
    printf 'sep=;\r\nLocatie;Wijknaam;Maand;Omschrijving;Aantal\r\n' > "$T/export.csv"
    printf 'De Zonnebloem;Noord;%s;Doelgroepkinderen geplaatst;12\r\n' "$LAST_MONTH" >> "$T/export.csv"
    printf 'De Zonnebloem;Noord;%s;kinderen geplaatst;40\r\n' "$LAST_MONTH" >> "$T/export.csv"
    printf 'De Zonnebloem;Noord;%s;Kindplaatsen;1.000\r\n' "$LAST_MONTH" >> "$T/export.csv"
    printf 'Het Anker;Hengelose Es;%s;Doelgroepkinderen geplaatst;3\r\n' "$LAST_MONTH" >> "$T/export.csv"
    # Without the map its names are no codes: refused at their lines, nothing sent.
    assert_status 2 "without the map" as ko-a submit "$T/export.csv"
    assert_contains "$OUT" "export.csv:2: header: no metric column" "its columns are not ours"
    assert_contains "$OUT" "or name yours in a --map file" "the way out"
    assert_status 0 "with the map" as ko-a submit --map "$PF_DATA/kindplanner.conf" "$T/export.csv"
    assert_contains "$OUT" "stored 4 records for $LAST_MONTH" "stored"
    assert_eq "12.0" "$(pf_value vve.doelgroep.geplaatst WK016402)" "a name mapped to its code"
    assert_eq "40.0" "$(pf_value vve.peuters.geplaatst WK016402)" "whatever its case"
    assert_eq "1000.0" "$(pf_value vve.plaatsen WK016402)" "Dutch thousands"
    assert_eq "3.0" "$(pf_value vve.doelgroep.geplaatst WK016401)" "a wijk by name"
    # A map with a mistake is named by its file and line.
    printf 'metrics = ( { export = "x"; } );\n' > "$T/bad.conf"
    assert_status 2 "a bad map" as ko-a submit --map "$T/bad.conf" "$T/export.csv"
    assert_contains "$OUT" "--map: $T/bad.conf:1: metrics: each entry is { export = \"NAME\"; metric = \"CODE\"; }" "located"
    assert_status 2 "a map with arguments" as ko-a submit --period "$LAST_MONTH" --map "$PF_DATA/kindplanner.conf" vve.plaatsen=3
    assert_contains "$OUT" "--map is for a file" "said"
}
