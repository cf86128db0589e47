# t_client.sh: the real leamon against the real leamond: CSV submissions, dry
# runs, atomic rejections mapped to CSV lines, idempotent request ids, Dutch
# Excel CSV, the spool, the read-only commands, keys and settings.

# count TABLE: rows in the test database
count() {
    sql "select count(*) from $1"
}

write_csv() { # file: three records of ko-a for LAST_MONTH
    cat > "$1" <<CSV
# Kinderopvang A, $LAST_MONTH
metric,area,value

vve.plaatsen,WK016402,40
vve.uren.per_week,,15.5
vve.wachtlijst, WK016401 ,3
CSV
}

test_client_csv_submit_stored() {
    setup_insecure
    start_daemon
    write_csv "$T/a.csv"
    assert_status 0 "submit" as ko-a submit --period "$LAST_MONTH" "$T/a.csv"
    assert_contains "$OUT" "stored 3 records for $LAST_MONTH (request " "success line"
    assert_eq 3 "$(count observation)" "observations"
    assert_eq "vve.plaatsen|WK016402|40.0
vve.uren.per_week|WK016402|15.5
vve.wachtlijst|WK016401|3.0" "$(sql "select metric, area, value from observation where reporter = 'ko-a' and period = '$LAST_MONTH' order by metric")" "stored values (empty area = home area)"
    # The request id printed is the one the daemon stored.
    local id
    id=$(printf '%s' "$OUT" | sed -n 's/.*(request \([0-9a-f]*\)).*/\1/p')
    assert_eq 32 "${#id}" "random request id length"
    assert_eq "$id|3" "$(sql 'select request_id, records from submission')" "submission row"
}

test_client_stdin_and_json() {
    setup_insecure
    start_daemon
    write_csv "$T/a.csv"
    local out rc=0
    out=$(as ko-a submit --period "$LAST_MONTH" --format json --id json-1 - < "$T/a.csv") || rc=$?
    assert_eq 0 "$rc" "exit code"
    assert_contains "$out" '"id":"json-1"' "json reply id"
    assert_contains "$out" '"status":200' "json status"
    assert_contains "$out" '"accepted":3' "json accepted"
    assert_eq 3 "$(count observation)" "observations"
}

test_client_dry_run_stores_nothing() {
    setup_insecure
    start_daemon
    write_csv "$T/a.csv"
    assert_status 0 "dry run" as ko-a submit --dry-run --period "$LAST_MONTH" "$T/a.csv"
    assert_contains "$OUT" "valid: 3 records for $LAST_MONTH (dry run, nothing stored)" "dry-run line"
    assert_eq 0 "$(count observation)" "observations after a dry run"
    assert_eq 0 "$(count submission)" "submissions after a dry run"
    # A dry run of bad records is rejected like the real thing.
    printf 'vve.plaatsen,WK016402,4000\n' > "$T/bad.csv"
    assert_status 1 "dry run of a bad file" as ko-a submit --dry-run --period "$LAST_MONTH" "$T/bad.csv"
    assert_contains "$OUT" "bad.csv:1: value:" "error at line 1"
}

test_client_rejection_lists_every_bad_line() {
    setup_insecure
    start_daemon
    cat > "$T/bad.csv" <<CSV
metric,area,value
vve.plaatsen,WK016402,40
vve.plaatsen,WK016401,4000
# a comment line still counts as a line
nonsense.metric,WK016402,1
vve.wachtlijst,WK016402,2
vve.wachtlijst,WK015301,3
vve.peuters.geplaatst,,2.5
CSV
    assert_status 1 "submit with bad records" as ko-a submit --period "$LAST_MONTH" "$T/bad.csv"
    assert_contains "$OUT" "bad.csv:3: value:" "out-of-range value at line 3"
    assert_contains "$OUT" "(out_of_range)" "code of line 3"
    assert_contains "$OUT" "bad.csv:5: metric:" "unknown metric at line 5"
    assert_contains "$OUT" "(unknown_metric)" "code of line 5"
    assert_contains "$OUT" "bad.csv:7: area:" "foreign area at line 7"
    assert_contains "$OUT" "bad.csv:8: value:" "fraction of a count at line 8"
    assert_not_contains "$OUT" "bad.csv:2:" "good line 2"
    assert_not_contains "$OUT" "bad.csv:6:" "good line 6"
    assert_contains "$OUT" "rejected: 4 errors in 4 of 6 records; nothing was stored" "summary"
    assert_eq 0 "$(count observation)" "nothing stored"
    assert_eq 0 "$(count submission)" "no submission row"
}

test_client_arguments_submit_and_rejection() {
    setup_insecure
    start_daemon
    assert_status 0 "metric=value" as ko-a submit --period "$LAST_MONTH" --area WK016401 \
        vve.plaatsen=12 vve.uren.per_week=16,5
    assert_contains "$OUT" "stored 2 records" "stored"
    assert_eq "WK016401|16.5" "$(sql "select area, value from observation where metric = 'vve.uren.per_week'")" "decimal comma in an argument"
    assert_status 1 "bad argument" as ko-a submit --period "$LAST_MONTH" vve.plaatsen=1 vve.wachtlijst=5000
    assert_contains "$OUT" "argument 2: value:" "error names the argument"
    assert_not_contains "$OUT" "argument 1:" "good argument"
    assert_eq 2 "$(count observation)" "nothing more stored"
}

test_client_local_errors_exit_2_and_send_nothing() {
    setup_insecure
    start_daemon
    cat > "$T/typo.csv" <<CSV
metric,area,value
vve.plaatsen,WK016402,40
vve.wachtlijst,WK016402,drie
vve.wachtlijst,WK016402
CSV
    assert_status 2 "bad number" as ko-a submit --period "$LAST_MONTH" "$T/typo.csv"
    assert_contains "$OUT" "typo.csv:3: value: not a number: 'drie'" "number error"
    assert_contains "$OUT" "typo.csv:4: record: expected 3 fields (metric,area,value), got 2" "column error"
    assert_contains "$OUT" "nothing sent" "says nothing was sent"
    assert_status 2 "bad period" as ko-a submit --period 2026-13 "$T/typo.csv"
    assert_contains "$OUT" "--period '2026-13': not a month (YYYY-MM, like 2026-10)" "period error"
    assert_status 2 "missing file" as ko-a submit --period "$LAST_MONTH" "$T/none.csv"
    assert_contains "$OUT" "none.csv: cannot open" "open error"
    assert_status 2 "unknown option" as ko-a submit --perod "$LAST_MONTH" "$T/typo.csv"
    assert_contains "$OUT" "unknown option --perod" "option error"
    assert_status 2 "bad --id" as ko-a submit --id "has space" --period "$LAST_MONTH" vve.plaatsen=1
    assert_eq 0 "$(count submission)" "nothing reached the daemon"
    assert_not_contains "$(cat "$T/leamond.log")" "submit" "no submit in the daemon log"
}

test_client_duplicate_id_writes_nothing() {
    setup_insecure
    start_daemon
    write_csv "$T/a.csv"
    assert_status 0 "first" as ko-a submit --id ko-a-monthly --period "$LAST_MONTH" "$T/a.csv"
    assert_contains "$OUT" "stored 3 records for $LAST_MONTH (request ko-a-monthly)" "first run"
    local before
    before=$(sql 'select group_concat(updated_at) from observation')
    sleep 1.1 # a rewrite would show in updated_at
    assert_status 0 "second" as ko-a submit --id ko-a-monthly --period "$LAST_MONTH" "$T/a.csv"
    assert_contains "$OUT" "already stored (request ko-a-monthly): 3 records" "second run"
    assert_eq 1 "$(count submission)" "one submission"
    assert_eq 3 "$(count observation)" "three observations"
    assert_eq 0 "$(count observation_audit)" "no supersede audit"
    assert_eq "$before" "$(sql 'select group_concat(updated_at) from observation')" "rows untouched"
    # The same id for other figures is a conflict, not a silent overwrite.
    sed -i 's/,40$/,41/' "$T/a.csv"
    assert_status 1 "same id, other records" as ko-a submit --id ko-a-monthly --period "$LAST_MONTH" "$T/a.csv"
    assert_contains "$OUT" "409" "conflict status"
    assert_contains "$OUT" "give a new --id" "advice"
    assert_eq "40.0" "$(sql "select value from observation where metric = 'vve.plaatsen'")" "value kept"
}

test_client_semicolon_decimal_comma_csv() {
    setup_insecure
    start_daemon
    printf '\xef\xbb\xbfmetric;area;value\r\nvve.uren.per_week;WK016401;16,5\r\nvve.plaatsen;;40\r\n\r\nvve.uren.per_week;WK016404;12,25\r\n' > "$T/excel.csv"
    assert_status 0 "Excel CSV" as ko-a submit --period "$LAST_MONTH" "$T/excel.csv"
    assert_contains "$OUT" "stored 3 records" "stored"
    assert_eq "WK016401|16.5
WK016404|12.25" "$(sql "select area, value from observation where metric = 'vve.uren.per_week' order by area")" "decimal commas"
    assert_eq "WK016402" "$(sql "select area from observation where metric = 'vve.plaatsen'")" "empty area"
    # Its line numbers stay right for daemon errors (BOM, CRLF, blank line).
    printf 'metric;area;value\r\nvve.plaatsen;;40\r\n\r\nvve.uren.per_week;;99,5\r\n' > "$T/excel2.csv"
    assert_status 1 "Excel CSV with a bad value" as ko-a submit --period "$LAST_MONTH" "$T/excel2.csv"
    assert_contains "$OUT" "excel2.csv:4: value:" "line 4"
}

test_client_period_column() {
    setup_insecure
    start_daemon
    cat > "$T/p.csv" <<CSV
metric,area,period,value
vve.plaatsen,WK016402,$LAST_MONTH,40
vve.plaatsen,WK016402,$THIS_MONTH,41
CSV
    assert_status 0 "periods per row, no --period" as ko-a submit "$T/p.csv"
    assert_contains "$OUT" "stored 2 records for $LAST_MONTH to $THIS_MONTH" "range of periods"
    assert_eq "$LAST_MONTH|40.0
$THIS_MONTH|41.0" "$(sql "select period, value from observation order by period")" "stored per period"
}

test_client_spool_when_down_and_flush_after() {
    setup_insecure
    local spool="$T/spool" fast=(--timeout 200 --retries 1)
    # No daemon yet: the submission waits in the spool.
    assert_status 4 "submit while down" as ko-a "${fast[@]}" --spool "$spool" submit --id first \
        --period "$LAST_MONTH" vve.plaatsen=40 vve.wachtlijst=2
    assert_contains "$OUT" "spooled as $spool/" "says where"
    assert_contains "$OUT" "leamon flush" "says how to deliver"
    assert_eq 1 "$(ls "$spool"/*.req | wc -l)" "one spooled file"
    # A later figure while the first still waits is spooled behind it.
    assert_status 4 "second submit while down" as ko-a "${fast[@]}" --spool "$spool" submit --id second \
        --period "$LAST_MONTH" vve.plaatsen=44
    assert_eq "first
second" "$(ls "$spool" | grep '\.req$' | sed 's/.*-[0-9]*-\(.*\)\.req/\1/')" "spool order"
    # Without a spool the same situation exits 3.
    assert_status 3 "submit while down, no spool" as ko-a "${fast[@]}" submit --period "$LAST_MONTH" vve.plaatsen=1
    assert_contains "$OUT" "nothing listens at" "reason"
    assert_status 4 "flush while down" as ko-a "${fast[@]}" flush --spool "$spool"
    assert_eq 2 "$(ls "$spool"/*.req | wc -l)" "both still spooled"

    start_daemon
    assert_status 0 "flush" as ko-a flush --spool "$spool"
    assert_contains "$OUT" "2 delivered, 0 rejected, 0 still spooled" "summary"
    assert_eq 0 "$(ls "$spool" | grep -c '\.req$')" "spool empty"
    assert_eq "first|2
second|1" "$(sql 'select request_id, records from submission order by id')" "delivered once each, in order"
    assert_eq "44.0" "$(sql "select value from observation where metric = 'vve.plaatsen'")" "the later figure wins"
    assert_status 0 "flush again" as ko-a flush --spool "$spool"
    assert_contains "$OUT" "nothing to deliver" "empty spool"
    assert_eq 2 "$(count submission)" "still two submissions"
}

test_client_submit_with_spool_delivers_older_first() {
    setup_insecure
    local spool="$T/spool"
    assert_status 4 "submit while down" as ko-a --timeout 200 --retries 1 --spool "$spool" submit \
        --id old --period "$LAST_MONTH" vve.plaatsen=30
    start_daemon
    assert_status 0 "submit when back" as ko-a --spool "$spool" submit --id new --period "$LAST_MONTH" vve.plaatsen=31
    assert_contains "$OUT" "delivered " "older one delivered first"
    assert_contains "$OUT" "stored 1 record for $LAST_MONTH (request new)" "then ours"
    assert_eq "old
new" "$(sql 'select request_id from submission order by id')" "order in the database"
    assert_eq "31.0" "$(sql "select value from observation where metric = 'vve.plaatsen'")" "newest figure kept"
}

test_client_flush_moves_rejected_aside() {
    setup_insecure
    local spool="$T/spool"
    assert_status 4 "bad figure while down" as ko-a --timeout 200 --retries 1 --spool "$spool" submit \
        --id bad --period "$LAST_MONTH" vve.plaatsen=5000
    assert_status 4 "good figure while down" as ko-a --timeout 200 --retries 1 --spool "$spool" submit \
        --id good --period "$LAST_MONTH" vve.plaatsen=50
    start_daemon
    assert_status 1 "flush with a rejection" as ko-a flush --spool "$spool"
    assert_contains "$OUT" "1 delivered, 1 rejected" "summary"
    assert_contains "$OUT" "(vve.plaatsen, home area, $LAST_MONTH): value:" "names the record"
    assert_eq 1 "$(ls "$spool/rejected" | grep -c '\.req$')" "moved to rejected/"
    assert_contains "$(cat "$spool"/rejected/*.why)" "422" "reason kept"
    assert_eq "good" "$(sql 'select request_id from submission')" "only the good one stored"
}

test_client_ping_status_catalog() {
    setup_insecure
    start_daemon
    assert_status 0 "ping" lm ping
    assert_contains "$OUT" "leamond 0.1.0 at $EP answered in" "ping line"
    assert_status 0 "ping json" lm ping --format json
    assert_contains "$OUT" '"server":"leamond 0.1.0"' "ping json"
    as ko-a submit --period "$LAST_MONTH" --id st-1 vve.plaatsen=4 vve.wachtlijst=1 >/dev/null || fail "submit"
    assert_status 0 "status" as ko-a status
    assert_contains "$OUT" "insecure development mode" "mode"
    assert_contains "$OUT" "you:             ko-a (partner, kinderopvang): Kinderopvang A" "identity"
    assert_contains "$OUT" "observations:    2" "observations"
    assert_contains "$OUT" "last submission: st-1 at " "last submission"
    assert_contains "$OUT" ", 2 records" "its size"
    assert_status 0 "catalog" as ko-a catalog
    assert_contains "$OUT" "first period: 2020-01" "first period"
    assert_contains "$OUT" "vve.uren.per_week" "a metric"
    assert_contains "$OUT" "0..40 (dec)" "a range"
    assert_contains "$OUT" "WK016402     Noord" "an area"
    assert_contains "$OUT" "you may report metrics: vve." "may_report"
    assert_not_contains "$OUT" "rbl.thuiszitters," "not another kind's metric in may_report"
    assert_status 0 "catalog json" lm catalog --format json
    assert_contains "$OUT" '"code":"GM0164"' "json areas"
    assert_contains "$OUT" '"first_period":"2020-01"' "json first period"
    assert_status 1 "unknown reporter" lm --reporter nobody submit --period "$LAST_MONTH" vve.plaatsen=1
    assert_contains "$OUT" "401" "unknown reporter refused"
}

test_client_unreachable_exits_3_quickly() {
    setup_insecure
    local start end
    start=$(date +%s%N)
    assert_status 3 "ping nobody" lm --timeout 200 --retries 2 ping
    end=$(date +%s%N)
    assert_contains "$OUT" "nothing listens at $EP (the connection was refused, 3 attempts)" "reason"
    assert_contains "$OUT" "retrying (2 of 2)" "retry notes"
    # Refused at once: no attempt waits out its timeout, only the 250 + 500 ms of backoff.
    [ $(((end - start) / 1000000)) -lt 1500 ] || fail "took $(((end - start) / 1000000)) ms"
    assert_status 3 "submit nobody" as ko-a --timeout 200 --retries 0 submit --period "$LAST_MONTH" vve.plaatsen=1
    assert_contains "$OUT" "sending again with --id" "advice"
}

# run.sh: alone. A CURVE daemon that reads a NULL client's whole greeting at once closes
# the connection before its own greeting is out; leamon takes that reset for a daemon
# restarting and tries again, and only a try that sees the daemon's greeting tells
# "requires CURVE" (exit 1). Under load all its tries within the timeout can end so (exit 3).
test_client_secure_keys() {
    setup_secure
    start_daemon
    assert_status 0 "ping with a known key" as ko-a ping
    assert_contains "$OUT" "(CURVE)" "secure"
    assert_status 0 "submit with a known key" as ko-a submit --period "$LAST_MONTH" vve.plaatsen=7
    assert_eq "ko-a|7.0" "$(sql 'select reporter, value from observation')" "reporter from the key"
    local start end
    start=$(date +%s%N)
    assert_status 1 "ping with an unknown key" as stranger ping
    end=$(date +%s%N)
    assert_contains "$OUT" "the daemon refused this client's key (not in its partners file?)" "message"
    assert_not_contains "$OUT" "retrying" "no retries"
    [ $(((end - start) / 1000000)) -lt 1500 ] || fail "refusal took $(((end - start) / 1000000)) ms"
    assert_status 1 "submit with an unknown key" as stranger submit --period "$LAST_MONTH" vve.plaatsen=8
    assert_eq 1 "$(count observation)" "nothing stored for the stranger"
    assert_status 1 "insecure client, secure daemon" lm --server-key "" ping
    assert_contains "$OUT" "CURVE" "hint"
    chmod 644 "$T/keys/ko-a.key"
    assert_status 2 "readable secret key" as ko-a ping
    assert_contains "$OUT" "mode 0644; must be 0600 (chmod 600 $T/keys/ko-a.key)" "mode message"
    assert_status 0 "server key from its .pub file" "$LEAMON" --endpoint "$EP" --server-key "$T/keys/server.pub" \
        --key "$T/keys/po-a.key" status
    assert_contains "$OUT" "po-a (partner, school_po)" "identity from the key"
    assert_status 2 "the daemon's secret key as server key" "$LEAMON" --endpoint "$EP" \
        --server-key "$T/keys/server.key" --key "$T/keys/po-a.key" ping
    assert_contains "$OUT" "looks like a secret key file" "refused locally"
}

test_client_keygen() {
    setup_insecure
    assert_status 0 "keygen" "$LEAMON" keygen ko-new --dir "$T"
    assert_contains "$OUT" 'keys = ["' "partners file hint"
    assert_eq 600 "$(stat -c %a "$T/ko-new.key")" "secret key mode"
    assert_eq 644 "$(stat -c %a "$T/ko-new.pub")" "public key mode"
    local pub
    pub=$(grep -v '^#' "$T/ko-new.pub")
    assert_contains "$OUT" "public key: $pub" "printed key matches the file"
    assert_status 2 "keygen twice" "$LEAMON" keygen ko-new --dir "$T"
    assert_contains "$OUT" "already exists" "never overwrites"
}

test_client_settings_precedence() {
    setup_insecure
    start_daemon
    mkdir -p "$T/etc"
    cat > "$T/etc/leamon.conf" <<CONF
endpoint = "tcp://127.0.0.1:1";
reporter = "ko-a";
timeout_ms = 300;
retries = 0;
CONF
    # Config file alone: its (wrong) endpoint is used.
    assert_status 3 "endpoint from the config file" "$LEAMON" --config "$T/etc/leamon.conf" ping
    assert_contains "$OUT" "tcp://127.0.0.1:1" "config endpoint"
    # The environment beats the file, a flag beats the environment. (LEAMON_TIMEOUT: the
    # file's 300 ms, there to keep the unreachable cases quick, is too short for a daemon
    # under valgrind on a busy machine.)
    assert_status 0 "endpoint from the environment" env LEAMON_ENDPOINT="$EP" LEAMON_TIMEOUT=5000 \
        "$LEAMON" --config "$T/etc/leamon.conf" status
    assert_contains "$OUT" "ko-a (partner" "reporter from the config file"
    assert_status 0 "reporter flag beats the file" env LEAMON_CONFIG="$T/etc/leamon.conf" LEAMON_ENDPOINT="$EP" \
        LEAMON_TIMEOUT=5000 "$LEAMON" status --reporter po-a
    assert_contains "$OUT" "po-a (partner" "flag after the command"
    assert_status 3 "flag beats the environment" env LEAMON_ENDPOINT="$EP" "$LEAMON" --config "$T/etc/leamon.conf" \
        --endpoint tcp://127.0.0.1:1 ping
    # Errors name the file and the line.
    printf 'endpoint = "x";\ntimeuot_ms = 5;\n' > "$T/etc/typo.conf"
    assert_status 2 "unknown setting" "$LEAMON" --config "$T/etc/typo.conf" ping
    assert_contains "$OUT" "typo.conf:2: unknown setting 'timeuot_ms'" "typo named"
    printf 'endpoint = "x";\nretries = = 3;\n' > "$T/etc/syntax.conf"
    assert_status 2 "syntax error" "$LEAMON" --config "$T/etc/syntax.conf" ping
    assert_contains "$OUT" "syntax.conf:2:" "line of the syntax error"
    assert_status 2 "bad number in the environment" env LEAMON_TIMEOUT=soon "$LEAMON" ping
    assert_contains "$OUT" "LEAMON_TIMEOUT: timeout_ms must be a whole number" "source named"
    assert_status 2 "missing --config" "$LEAMON" --config "$T/etc/none.conf" ping
}

test_client_help_and_usage() {
    assert_status 0 "help" "$LEAMON" --help
    assert_contains "$OUT" "EXIT STATUS" "exit status section"
    assert_contains "$OUT" "LEAMON_SERVER_KEY" "environment"
    assert_contains "$OUT" "leamon.conf" "files"
    assert_status 0 "submit --help" "$LEAMON" submit --help
    assert_contains "$OUT" "period (periode, maand)" "csv format"
    assert_contains "$OUT" "--period YYYY-MM" "months"
    assert_not_contains "$OUT" "2026-Q4" "no quarters: the daemon takes months only"
    assert_not_contains "$OUT" "2025/26" "no school years"
    assert_status 0 "help flush" "$LEAMON" help flush
    assert_contains "$OUT" "rejected/" "flush page"
    assert_status 2 "no command" "$LEAMON"
    assert_status 2 "unknown command" "$LEAMON" frobnicate
    assert_contains "$OUT" "unknown command 'frobnicate'" "message"
}

test_client_retry_after_timeout_stores_once() {
    setup_insecure
    start_daemon
    # A frozen daemon: the first attempt times out, a retry on a new socket
    # gets through once it thaws. The same request id makes that safe.
    kill -STOP "$DAEMON_PID"
    (sleep 0.7; kill -CONT "$DAEMON_PID") &
    local thaw=$!
    assert_status 0 "submit to a frozen daemon" as ko-a --timeout 300 --retries 4 submit \
        --period "$LAST_MONTH" vve.plaatsen=40 vve.wachtlijst=2
    wait "$thaw"
    assert_contains "$OUT" "no reply from $EP within 300 ms; retrying (1 of 4)" "retried"
    assert_contains "$OUT" "stored 2 records for $LAST_MONTH" "stored"
    assert_eq 1 "$(count submission)" "one submission"
    assert_eq 2 "$(count observation)" "stored once"
    assert_eq 0 "$(count observation_audit)" "nothing superseded"
}
