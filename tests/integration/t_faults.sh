# t_faults.sh: leamond when the disk will not take writes: a submission is refused with 503
# and a retry hint (never a 200), queries go on being answered, and once there is room
# again the same submission is stored.

submit_raw() { # id value -> reply
    "$LMRAW" --timeout 5000 "$EP" "{\"v\":1,\"op\":\"submit\",\"id\":\"$1\",\"reporter\":\"ko-a\",\"records\":[{\"metric\":\"vve.plaatsen\",\"area\":\"WK016402\",\"period\":\"$LAST_MONTH\",\"value\":$2}]}"
}

test_disk_full_refuses_with_503_and_recovers() {
    setup_insecure
    start_daemon
    submit_raw before 10 | grep -q '"status":200' || fail "a first submission"
    # No file may grow past a few pages beyond the log's end: a file size limit on the
    # running daemon stands in for a full disk (writes fail with EFBIG; the daemon ignores
    # SIGXFSZ). It leaves the log file, the daemon's stderr, room to go on.
    prlimit --pid "$DAEMON_PID" --fsize="$(($(stat -c %s "$T/leamond.log") + 16384)):unlimited" ||
        fail "prlimit on the daemon"
    local r i m big="" months=()
    for i in $(seq 0 59); do months+=("$((2020 + i / 12))-$(printf %02d $((i % 12 + 1)))"); done
    # Enough figures (5 metrics x 60 months) that the WAL must grow past the limit.
    for m in vve.plaatsen vve.peuters.geplaatst vve.doelgroep.geplaatst vve.wachtlijst vve.uitstroom; do
        for i in $(seq 0 59); do
            big="$big{\"metric\":\"$m\",\"area\":\"WK016401\",\"period\":\"${months[$i]}\",\"value\":$i},"
        done
    done
    big="[${big%,}]"
    r=$("$LMRAW" --timeout 5000 "$EP" "{\"v\":1,\"op\":\"submit\",\"id\":\"full\",\"reporter\":\"ko-c\",\"records\":$big}")
    assert_contains "$r" '"status":503' "refused while the disk is full"
    assert_contains "$r" 'retry later' "with a retry hint"
    assert_not_contains "$r" '"accepted":300' "nothing acknowledged"
    # Queries are still answered.
    r=$("$LMRAW" --timeout 5000 "$EP" '{"v":1,"op":"status","id":"q","reporter":"viewer"}')
    assert_contains "$r" '"status":200' "status answered while full"
    r=$("$LMRAW" --timeout 5000 "$EP" "{\"v\":1,\"op\":\"completeness\",\"id\":\"c\",\"reporter\":\"viewer\",\"period\":\"$LAST_MONTH\"}")
    assert_contains "$r" '"status":200' "completeness answered while full"
    kill -0 "$DAEMON_PID" || fail "the daemon died"
    # Room again: the same submission (same id) is stored, once.
    prlimit --pid "$DAEMON_PID" --fsize=unlimited:unlimited || fail "prlimit back"
    r=$("$LMRAW" --timeout 5000 "$EP" "{\"v\":1,\"op\":\"submit\",\"id\":\"full\",\"reporter\":\"ko-c\",\"records\":$big}")
    assert_contains "$r" '"status":200' "stored once there is room"
    assert_contains "$r" '"accepted":300' "all 300 records"
    assert_eq 1 "$(sql "select count(*) from submission where request_id = 'full'")" "stored once"
    assert_eq "ok" "$(sql 'pragma integrity_check')" "integrity"
    submit_raw after 11 | grep -q '"status":200' || fail "a submission after recovery"
    stop_daemon
    assert_eq 0 "$DAEMON_RC" "clean stop"
    assert_contains "$(cat "$T/leamond.log")" "commit failed" "the failure is logged"
}

test_overload_refuses_with_503_and_loses_nothing() {
    setup_insecure
    write_conf 'batch_max = 2;'
    LM_ARGS[1]=$EP
    start_daemon
    # 40 submissions on one socket, sent before any reply is read: far more than one commit
    # (batch_max 2) takes.
    "$LMRAW" --repeat 40 --timeout 10000 "$EP" \
        "{\"v\":1,\"op\":\"submit\",\"id\":\"ov-@\",\"reporter\":\"ko-a\",\"records\":[{\"metric\":\"vve.plaatsen\",\"area\":\"WK016402\",\"period\":\"$LAST_MONTH\",\"value\":@}]}" \
        > "$T/replies" || fail "not every request got a reply: $(cat "$T/replies")"
    local ok busy
    ok=$(grep -c '"status":200' "$T/replies")
    busy=$(grep -c '"status":503' "$T/replies")
    assert_eq 40 "$((ok + busy))" "every request answered 200 or 503"
    [ "$busy" -ge 1 ] || fail "no submission was refused as busy: $(cat "$T/replies")"
    [ "$ok" -ge 2 ] || fail "fewer than one batch stored"
    assert_contains "$(grep -m1 '"status":503' "$T/replies")" '"retry_after_ms":1000' "a retry hint"
    assert_contains "$(grep -m1 '"status":503' "$T/replies")" 'the daemon is busy' "says why"
    # Every 200 is stored, no 503 is.
    local id
    for id in $(grep '"status":200' "$T/replies" | grep -o '"id":"ov-[0-9]*"' | cut -d'"' -f4); do
        assert_eq 1 "$(sql "select count(*) from submission where request_id = '$id'")" "$id acknowledged and stored"
    done
    for id in $(grep '"status":503' "$T/replies" | grep -o '"id":"ov-[0-9]*"' | cut -d'"' -f4); do
        assert_eq 0 "$(sql "select count(*) from submission where request_id = '$id'")" "$id refused and not stored"
    done
    wait_log "busy: more waiting than one commit takes (batch_max 2 requests"
    # A retry of a refused one, once the rush is over, is stored.
    id=$(grep -m1 '"status":503' "$T/replies" | grep -o '"id":"ov-[0-9]*"' | cut -d'"' -f4)
    local r
    r=$("$LMRAW" "$EP" "{\"v\":1,\"op\":\"submit\",\"id\":\"$id\",\"reporter\":\"ko-a\",\"records\":[{\"metric\":\"vve.plaatsen\",\"area\":\"WK016402\",\"period\":\"$LAST_MONTH\",\"value\":7}]}")
    assert_contains "$r" '"status":200' "the retry is stored"
}
