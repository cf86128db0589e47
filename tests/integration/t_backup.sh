# t_backup.sh: leamon backup: an online copy through the daemon, taken while submissions
# go on, that restores into a working database with every figure acknowledged before it.

test_backup_while_submitting_and_restore() {
    setup_insecure
    start_daemon
    local i
    # A database worth several chunks (256 KiB each).
    local recs="" m
    for m in vve.plaatsen vve.peuters.geplaatst vve.doelgroep.geplaatst vve.wachtlijst vve.uitstroom; do
        for i in $(seq 0 71); do
            recs="$recs{\"metric\":\"$m\",\"area\":\"WK016402\",\"period\":\"$((2020 + i / 12))-$(printf %02d $((i % 12 + 1)))\",\"value\":$i},"
        done
    done
    "$LMRAW" "$EP" "{\"v\":1,\"op\":\"submit\",\"id\":\"history\",\"reporter\":\"ko-a\",\"records\":[${recs%,}]}" |
        grep -q '"status":200' || fail "history"
    # Submissions go on in the background while the backup is taken.
    (
        for i in $(seq 1 200); do
            "$LMRAW" "$EP" "{\"v\":1,\"op\":\"submit\",\"id\":\"bg-$i\",\"reporter\":\"ggd\",\"records\":[{\"metric\":\"jgz.indicaties.nieuw\",\"area\":\"WK016401\",\"period\":\"$LAST_MONTH\",\"value\":$i}]}" >/dev/null || break
        done
    ) &
    local writer=$!
    sleep 0.3
    local acked_before
    acked_before=$(sql "select count(*) from submission")
    assert_status 0 "backup as admin" as admin backup "$T/copy.db"
    assert_contains "$OUT" "backup written to $T/copy.db" "says where"
    assert_contains "$OUT" "integrity ok" "checked"
    grep -q "bg-" <<< "$(sql "select request_id from submission")" || fail "no submission went on meanwhile"
    kill "$writer" 2>/dev/null
    wait "$writer" 2>/dev/null
    assert_eq "$T/copy.db" "$(ls -d "$T"/copy.db*)" "only the finished copy is left (no .part, -wal or -shm)"
    [ -e "$T/leamon.db.backup" ] && fail "the daemon left its copy"
    assert_eq "600" "$(stat -c %a "$T/copy.db")" "the copy is private"
    assert_eq "ok" "$(sqlite3 "$T/copy.db" 'pragma integrity_check')" "integrity of the copy"
    local in_copy
    in_copy=$(sqlite3 "$T/copy.db" "select count(*) from submission")
    [ "$in_copy" -ge "$acked_before" ] || fail "the copy holds $in_copy submissions, $acked_before were acknowledged before it began"
    assert_eq 360 "$(sqlite3 "$T/copy.db" "select count(*) from observation where reporter = 'ko-a'")" "the history"
    # Restore: a daemon on the copy serves the same figures.
    stop_daemon
    cp "$T/copy.db" "$T/leamon.db"
    rm -f "$T/leamon.db-wal" "$T/leamon.db-shm"
    start_daemon
    local r
    r=$("$LMRAW" "$EP" "{\"v\":1,\"op\":\"status\",\"id\":\"s\",\"reporter\":\"ko-a\"}")
    assert_contains "$r" '"observations":360' "the restored database answers"
    assert_status 1 "a viewer may not take a backup" as viewer backup "$T/no.db"
    assert_contains "$OUT" "admin role" "says why"
    [ -e "$T/no.db" ] && fail "a refused backup wrote a file"
    return 0
}

test_backup_conflict_and_bad_offset() {
    setup_insecure
    start_daemon
    local r id
    r=$("$LMRAW" "$EP" '{"v":1,"op":"backup","id":"b1","reporter":"admin"}')
    assert_contains "$r" '"status":200' "first chunk"
    assert_contains "$r" '"done":true' "a small database fits in one chunk"
    r=$("$LMRAW" "$EP" '{"v":1,"op":"backup","id":"b2","reporter":"admin","offset":10,"backup":1}')
    assert_contains "$r" '"status":409' "a finished or unknown backup"
    assert_contains "$r" 'start again from offset 0' "says what to do"
    r=$("$LMRAW" "$EP" '{"v":1,"op":"backup","id":"b3","reporter":"ko-a"}')
    assert_contains "$r" '"status":403' "an organisation may not"
}
