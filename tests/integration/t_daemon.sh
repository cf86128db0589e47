# t_daemon.sh: leamond's own behaviour: configuration errors, insecure mode, signals,
# idempotency and group commit, seen through real sockets and the real database.

raw() { # JSON request -> reply JSON
    "$LMRAW" --timeout 3000 "$EP" "$@"
}

submit_json() { # id reporter records-json
    printf '{"v":1,"op":"submit","id":"%s","reporter":"%s","records":%s}' "$1" "$2" "$3"
}

test_bad_catalog_names_file_line_and_setting() {
    setup_insecure
    sed -i 's/time = "avg"/time = "weekly"/' "$T/catalog.conf"
    local line
    line=$(grep -n 'weekly' "$T/catalog.conf" | head -n1 | cut -d: -f1)
    assert_status 1 "leamond with a bad catalogue" "$LEAMOND" -c "$T/leamond.conf"
    assert_contains "$OUT" "catalog.conf:$line: metrics.[2].time: 'weekly' is not one of last, sum, avg" "error"
    assert_status 1 "leamond --check" "$LEAMOND" -c "$T/leamond.conf" --check
    assert_contains "$OUT" "catalog.conf:$line:" "--check error"
}

test_bad_partners_syntax_names_line() {
    setup_insecure
    echo 'this is not libconfig' >> "$T/partners.conf"
    assert_status 1 "leamond with a broken partners file" "$LEAMOND" -c "$T/leamond.conf"
    assert_contains "$OUT" "partners.conf:" "error names the file"
    assert_contains "$OUT" "syntax error" "error says what"
}

test_unknown_setting_is_refused() {
    setup_insecure
    echo 'grace_dyas = 5;' >> "$T/leamond.conf"
    assert_status 1 "leamond with a typo" "$LEAMOND" -c "$T/leamond.conf"
    assert_contains "$OUT" "grace_dyas: unknown setting" "typo named"
    sed -i 's/grace_dyas = 5;/grace_days = 400;/' "$T/leamond.conf"
    assert_status 1 "leamond with a bad value" "$LEAMOND" -c "$T/leamond.conf"
    assert_contains "$OUT" "grace_days: 400 is outside 0..366" "range named"
}

test_insecure_mode_refuses_public_endpoint() {
    setup_insecure
    sed -i "s|listen = .*|listen = \"tcp://0.0.0.0:$PORT\";|" "$T/leamond.conf"
    assert_status 1 "leamond on 0.0.0.0 without keys" "$LEAMOND" -c "$T/leamond.conf"
    assert_contains "$OUT" "is not a loopback endpoint" "reason"
    assert_status 1 "leamond --check" "$LEAMOND" -c "$T/leamond.conf" --check
    assert_contains "$OUT" "is not a loopback endpoint" "--check says so too"
}

test_insecure_mode_says_so_and_serves() {
    setup_insecure
    start_daemon
    assert_contains "$(cat "$T/leamond.log")" "INSECURE MODE" "start log"
    local r
    r=$(raw '{"v":1,"op":"ping","id":"p1"}')
    assert_contains "$r" '"status":200' "ping"
    assert_contains "$r" '"id":"p1"' "ping echoes the id"
    stop_daemon
    assert_eq 0 "$DAEMON_RC" "exit code after SIGTERM"
}

test_submit_stores_and_supersedes_with_audit() {
    setup_insecure
    start_daemon
    local r
    r=$(raw "$(submit_json s1 ko-a "[{\"metric\":\"vve.plaatsen\",\"period\":\"$LAST_MONTH\",\"value\":40},{\"metric\":\"vve.uren.per_week\",\"area\":\"WK016401\",\"period\":\"$LAST_MONTH\",\"value\":15.5}]")")
    assert_contains "$r" '"status":200' "first submission"
    assert_contains "$r" '"accepted":2' "accepted count"
    assert_eq "40.0|WK016402" "$(sql "select value, area from observation where metric='vve.plaatsen'")" "stored with the home area"
    r=$(raw "$(submit_json s2 ko-a "[{\"metric\":\"vve.plaatsen\",\"period\":\"$LAST_MONTH\",\"value\":44}]")")
    assert_contains "$r" '"status":200' "correction"
    assert_eq "44.0" "$(sql "select value from observation where metric='vve.plaatsen'")" "superseded"
    assert_eq "40.0|44.0|1|2" "$(sql "select old_value, new_value, old_submission, new_submission from observation_audit")" "audit row"
    assert_eq "8" "$(sql 'pragma user_version')" "schema version"
    assert_eq "wal" "$(sql 'pragma journal_mode')" "WAL mode"
}

# The WAL holds the commits until they stop; a second later the checkpoints have copied it
# into the database and emptied the file (the derive thread's, not SQLite inside a commit).
# The WAL's size once it is empty, or after 5 s.
wal_size_after_quiet() {
    local size i
    for i in $(seq 1 50); do
        size=$(stat -c %s "$T/leamon.db-wal")
        [ "$size" -eq 0 ] && break
        sleep 0.1
    done
    echo "$size"
}

test_wal_is_emptied_once_commits_stop() {
    setup_insecure
    start_daemon
    local r size
    r=$(raw "$(submit_json w1 ko-a "[{\"metric\":\"vve.plaatsen\",\"period\":\"$LAST_MONTH\",\"value\":40}]")")
    assert_contains "$r" '"status":200' "submission"
    size=$(stat -c %s "$T/leamon.db-wal")
    [ "$size" -gt 0 ] || fail "the WAL holds the commit at first (size $size)"
    assert_eq 0 "$(wal_size_after_quiet)" "WAL emptied within 5 s of the last commit"
    assert_eq "40.0" "$(sql "select value from observation")" "the figure is in the database"
    # Commits again: the WAL takes them, and is emptied again.
    r=$(raw "$(submit_json w2 ko-a "[{\"metric\":\"vve.plaatsen\",\"period\":\"$LAST_MONTH\",\"value\":41}]")")
    assert_contains "$r" '"status":200' "second submission"
    assert_eq 0 "$(wal_size_after_quiet)" "WAL emptied again"
}

test_repeated_request_id_returns_stored_reply() {
    setup_insecure
    start_daemon
    local body r
    body="[{\"metric\":\"vve.plaatsen\",\"period\":\"$LAST_MONTH\",\"value\":40}]"
    r=$(raw "$(submit_json same ko-a "$body")")
    assert_contains "$r" '"duplicate":false' "first"
    r=$(raw "$(submit_json same ko-a "$body")")
    assert_contains "$r" '"status":200' "retry"
    assert_contains "$r" '"duplicate":true' "retry is a duplicate"
    assert_eq 1 "$(sql 'select count(*) from submission')" "one submission row"
    assert_eq 0 "$(sql 'select count(*) from observation_audit')" "no audit from a retry"
    # Same id, other figures: a conflict, not a silent loss of the new figures.
    r=$(raw "$(submit_json same ko-a "[{\"metric\":\"vve.plaatsen\",\"period\":\"$LAST_MONTH\",\"value\":41}]")")
    assert_contains "$r" '"status":409' "reused id with other figures"
    assert_eq "40.0" "$(sql "select value from observation")" "value kept"
    # The same id from another reporter is another submission.
    r=$(raw "$(submit_json same ko-b "[{\"metric\":\"vve.plaatsen\",\"period\":\"$LAST_MONTH\",\"value\":7}]")")
    assert_contains "$r" '"duplicate":false' "other reporter, same id"
}

test_atomic_rejection_lists_every_bad_record() {
    setup_insecure
    start_daemon
    local r
    r=$(raw "$(submit_json bad ko-a "[{\"metric\":\"vve.plaatsen\",\"period\":\"$LAST_MONTH\",\"value\":40},{\"metric\":\"vve.nope\",\"period\":\"$LAST_MONTH\",\"value\":1},{\"metric\":\"school.vsv\",\"period\":\"$LAST_MONTH\",\"value\":1},{\"metric\":\"vve.plaatsen\",\"area\":\"WK015301\",\"period\":\"$LAST_MONTH\",\"value\":1},{\"metric\":\"vve.plaatsen\",\"area\":\"WK016401\",\"period\":\"$NEXT_MONTH\",\"value\":1},{\"metric\":\"vve.plaatsen\",\"area\":\"WK016404\",\"period\":\"$LAST_MONTH\",\"value\":2.5},{\"metric\":\"vve.plaatsen\",\"area\":\"WK016401\",\"period\":\"$LAST_MONTH\",\"value\":-1},{\"metric\":\"vve.plaatsen\",\"period\":\"$LAST_MONTH\",\"value\":\"12\"},{\"metric\":\"vve.wachtlijst\",\"period\":\"2019-12\",\"value\":1},{\"metric\":\"vve.wachtlijst\",\"period\":\"2026-Q1\",\"value\":1},{\"metric\":\"vve.uren.per_week\",\"period\":\"$LAST_MONTH\",\"value\":NaN}]")")
    assert_contains "$r" '"status":422' "status"
    assert_contains "$r" '"accepted":0' "nothing accepted"
    assert_contains "$r" '"error_count":10' "ten errors"
    assert_contains "$r" '{"index":1,"field":"metric","code":"unknown_metric"' "unknown metric"
    assert_contains "$r" '{"index":2,"field":"metric","code":"metric_not_allowed"' "metric of another kind"
    assert_contains "$r" '{"index":3,"field":"area","code":"area_not_allowed"' "area of another gemeente"
    assert_contains "$r" '{"index":4,"field":"period","code":"future_period"' "future month"
    assert_contains "$r" '{"index":5,"field":"value","code":"not_integer"' "fractional count"
    assert_contains "$r" '{"index":6,"field":"value","code":"out_of_range"' "negative count"
    assert_contains "$r" '{"index":7,"field":"value","code":"type"' "string value"
    assert_contains "$r" '{"index":8,"field":"period","code":"period_too_early"' "before the first period"
    assert_contains "$r" '{"index":9,"field":"period","code":"not_a_month"' "a quarter"
    assert_contains "$r" '{"index":10,"field":"value","code":"not_finite"' "NaN"
    assert_eq 0 "$(sql 'select count(*) from observation')" "nothing stored"
    assert_eq 0 "$(sql 'select count(*) from submission')" "no submission row"
    r=$(raw '{"v":1,"op":"ping","id":"after"}')
    assert_contains "$r" '"status":200' "daemon still serves"
}

test_malformed_requests_get_clear_errors() {
    setup_insecure
    start_daemon
    local r
    r=$("$LMRAW" "$EP" --hex 0102)
    assert_contains "$r" '"status":400' "not a map"
    r=$("$LMRAW" "$EP" --hex 83a176)
    assert_contains "$r" '"error":"truncated msgpack message"' "truncated"
    r=$(raw '{"v":1,"op":"reboot","id":"u"}')
    assert_contains "$r" '"status":404' "unknown op"
    r=$(raw '{"v":9,"op":"ping","id":"u"}')
    assert_contains "$r" 'unsupported protocol version 9' "wrong version"
    r=$(raw '{"v":1,"op":"ping","id":"has space"}')
    assert_contains "$r" 'id must be printable ASCII without spaces' "bad id"
    r=$(raw '{"v":1,"op":"ping"}')
    assert_contains "$r" '"error":"id is missing"' "missing id"
    r=$("$LMRAW" "$EP" --size 1100000)
    assert_contains "$r" '"status":413' "message over the limit"
    r=$(raw '{"v":1,"op":"ping","id":"ok"}')
    assert_contains "$r" '"status":200' "next valid request"
}

test_req_envelope_is_answered_in_kind() {
    setup_insecure
    start_daemon
    local r
    r=$("$LMRAW" "$EP" --req '{"v":1,"op":"ping","id":"viareq"}')
    assert_contains "$r" '"id":"viareq"' "REQ socket gets its reply"
}

test_sighup_with_broken_file_keeps_running_config() {
    setup_insecure
    start_daemon
    cp "$T/partners.conf" "$T/partners.good"
    sed -i 's/kind = "school_po"/kind = "school_xx"/' "$T/partners.conf"
    kill -HUP "$DAEMON_PID"
    wait_log 'reload failed, keeping the running configuration'
    assert_contains "$(cat "$T/leamond.log")" "partners.conf:" "reload error names the file"
    local r
    r=$(raw "$(submit_json h1 po-a "[{\"metric\":\"school.leerlingen\",\"period\":\"$LAST_MONTH\",\"value\":300}]")")
    assert_contains "$r" '"status":200' "old config still in force"
    # A good file with a new organisation takes effect.
    sed 's/^organisations = (/organisations = (\n  { id = "ko-new"; name = "Nieuw"; kind = "kinderopvang"; area = "WK016401"; },/' \
        "$T/partners.good" > "$T/partners.conf"
    kill -HUP "$DAEMON_PID"
    wait_log 'reloaded:'
    r=$(raw "$(submit_json h2 ko-new "[{\"metric\":\"vve.plaatsen\",\"period\":\"$LAST_MONTH\",\"value\":12}]")")
    assert_contains "$r" '"status":200' "new organisation after reload"
}

test_sigterm_answers_submission_in_flight() {
    setup_insecure
    start_daemon
    # A submission of 70 months, and SIGTERM as soon as the daemon has read it.
    local recs="" i
    for i in $(seq 0 69); do
        recs="$recs{\"metric\":\"vve.plaatsen\",\"area\":\"WK016401\",\"period\":\"$(date -d "2020-01-15 +$i month" +%Y-%m)\",\"value\":$i},"
    done
    raw "$(submit_json inflight ko-a "[${recs%,}]")" > "$T/reply" &
    local client=$!
    wait_log 'received submit inflight'
    kill -TERM "$DAEMON_PID"
    wait "$client" || fail "client got no reply"
    assert_contains "$(cat "$T/reply")" '"status":200' "in-flight submission answered"
    stop_daemon
    assert_eq 0 "$DAEMON_RC" "clean exit"
    assert_eq 70 "$(sql 'select count(*) from observation')" "all records on disk"
    assert_eq ok "$(sql 'pragma integrity_check')" "integrity"
}

test_concurrent_submissions_share_a_transaction() {
    setup_insecure
    start_daemon
    # Hold the daemon still while twenty clients send, so their requests arrive together.
    kill -STOP "$DAEMON_PID"
    local pids=() i
    for i in $(seq 1 20); do
        raw "$(submit_json "c$i" ko-a "[{\"metric\":\"vve.plaatsen\",\"area\":\"WK016401\",\"period\":\"$(date -d "2021-01-15 +$i month" +%Y-%m)\",\"value\":$i}]")" > "$T/reply.$i" &
        pids+=($!)
    done
    wait_connected "$PORT" 20
    kill -CONT "$DAEMON_PID"
    for i in "${pids[@]}"; do wait "$i" || fail "a client got no reply"; done
    for i in $(seq 1 20); do
        assert_contains "$(cat "$T/reply.$i")" '"status":200' "client $i"
    done
    assert_eq 20 "$(sql 'select count(*) from submission')" "all stored"
    local commits
    commits=$(grep -c 'stored .* in one transaction' "$T/leamond.log")
    [ "$commits" -lt 20 ] || fail "20 submissions took $commits transactions: no group commit"
}

test_a_failing_submission_does_not_fail_its_batch() {
    setup_insecure
    start_daemon
    # A value the database refuses (a trigger stands in for a fault of one submission):
    # the batch is tried without savepoints, then again with one per submission.
    sql "CREATE TRIGGER refuse_999 BEFORE INSERT ON observation WHEN new.value = 999
         BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;" >/dev/null
    kill -STOP "$DAEMON_PID"
    local pids=() i v
    for i in $(seq 1 10); do
        v=$i
        [ "$i" = 5 ] && v=999
        raw "$(submit_json "f$i" ko-a "[{\"metric\":\"vve.plaatsen\",\"area\":\"WK016401\",\"period\":\"$(date -d "2021-01-15 +$i month" +%Y-%m)\",\"value\":$v}]")" > "$T/reply.$i" &
        pids+=($!)
    done
    wait_connected "$PORT" 10
    kill -CONT "$DAEMON_PID"
    for i in "${pids[@]}"; do wait "$i" || fail "a client got no reply"; done
    for i in 1 2 3 4 6 7 8 9 10; do
        assert_contains "$(cat "$T/reply.$i")" '"status":200' "client $i"
    done
    assert_contains "$(cat "$T/reply.5")" '"status":500' "the refused one"
    assert_eq 9 "$(sql 'select count(*) from submission')" "the other nine stored"
    assert_eq 0 "$(sql "select count(*) from submission where request_id = 'f5'")" "nothing of the refused one"
    assert_contains "$(cat "$T/leamond.log")" "refused by the test" "the cause is logged"
    grep -q 'stored [2-9] submissions' "$T/leamond.log" ||
        fail "the refused one did not share a batch with others: $(grep "in one transaction" "$T/leamond.log")"
}
