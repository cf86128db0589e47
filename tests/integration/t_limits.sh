# t_limits.sh: what no client can take from the others, and what nobody else may read: a
# flood of connections that never finish their handshake, the open-file limit, the modes of
# the files leamond creates under a lax umask.

test_idle_connections_cannot_lock_partners_out() {
    setup_insecure
    write_conf "handshake_timeout = 1;"
    LM_ARGS[1]=$EP
    start_daemon
    # A hard limit of 100 descriptors, and 95 connections that send nothing: with its own
    # descriptors leamond has none left to accept a partner's.
    prlimit --nofile=100:100 --pid "$DAEMON_PID" || fail "prlimit"
    local fds=() fd i
    for i in $(seq 1 95); do
        exec {fd}<>"/dev/tcp/127.0.0.1/$PORT" || fail "connection $i"
        fds+=("$fd")
    done
    # Within the handshake timeout leamond drops them, and answers again (each try waits
    # up to 2 s for its reply).
    local ok=""
    for _ in $(seq 1 3); do
        if lm ping >/dev/null 2>&1; then ok=yes; break; fi
    done
    for fd in "${fds[@]}"; do exec {fd}>&-; done
    assert_eq yes "$ok" "a partner is answered within seconds of a flood of idle connections"
    lm ping >/dev/null || fail "still serving"
}

test_open_file_limit_is_raised_to_the_hard_limit() {
    setup_insecure
    # Started with a soft limit of 256 under a hard one of 4096, it takes the 4096.
    cat > "$T/limited.sh" <<SH
#!/bin/sh
exec prlimit --nofile=256:4096 "$LEAMOND" "\$@"
SH
    chmod +x "$T/limited.sh"
    local real=$LEAMOND
    LEAMOND=$T/limited.sh
    start_daemon
    LEAMOND=$real
    assert_eq "4096" "$(awk '/Max open files/ { print $4 }' "/proc/$DAEMON_PID/limits")" "soft limit"
    lm ping >/dev/null || fail "serving"
    stop_daemon
    assert_eq 0 "$DAEMON_RC" "clean stop"
}

test_files_are_private_under_a_lax_umask() {
    setup_insecure
    umask 022
    start_daemon
    as ko-a submit --period "$(date -d "$(date +%Y-%m-15) -1 month" +%Y-%m)" \
        --area WK016402 vve.doelgroep.geplaatst=4 >/dev/null || fail "submit"
    local f
    for f in leamon.db leamon.db-wal leamon.db-shm; do
        [ -e "$T/$f" ] || fail "$f not there"
        assert_eq 600 "$(stat -c %a "$T/$f")" "mode of $f"
    done
}

test_a_partner_past_its_limit_gets_429_and_others_go_on() {
    setup_insecure
    write_conf "limit_submissions_per_minute = 3; metrics_file = \"metrics.prom\"; metrics_interval = 1;"
    LM_ARGS[1]=$EP
    start_daemon
    local month i
    month=$(date -d "$(date +%Y-%m-15) -1 month" +%Y-%m)
    # (a minute that ends within the test would reset the count: start on a fresh one)
    [ "$(date +%S)" -lt 50 ] || sleep $((61 - 10#$(date +%S)))
    for i in 1 2 3; do
        as ko-a submit --period "$month" --area WK016402 vve.doelgroep.geplaatst=$i >/dev/null ||
            fail "submission $i within the limit"
    done
    assert_status 1 "the fourth in a minute" as ko-a submit --period "$month" --area WK016402 \
        vve.doelgroep.geplaatst=4
    assert_contains "$OUT" "429" "status"
    assert_contains "$OUT" "ko-a has sent more than its limit of submissions a minute (3)" "which limit"
    assert_contains "$OUT" "nothing was stored, retry in" "when to come back"
    assert_eq 3 "$(sql "select cast(value as integer) from observation where reporter = 'ko-a' and metric = 'vve.doelgroep.geplaatst'")" \
        "the last figure stored is the third"
    as ko-c submit --period "$month" --area WK016402 vve.doelgroep.geplaatst=1 >/dev/null ||
        fail "another partner is not held up"
    wait_log "ko-a has sent more than its limit"
    for _ in $(seq 1 60); do
        grep -q 'leamond_requests_total{op="submit",status="429"} 1' "$T/metrics.prom" 2>/dev/null && break
        sleep 0.05
    done
    assert_contains "$(cat "$T/metrics.prom")" 'leamond_requests_total{op="submit",status="429"} 1' "counted"
    assert_contains "$(cat "$T/metrics.prom")" 'leamond_refused_total{cause="submissions_a_minute"} 1' "and its cause"
}

test_pipelined_big_requests_stay_within_the_memory_budget() {
    setup_insecure
    # ASan keeps freed memory in quarantine; that is not leamond's: measure without it.
    export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0"
    write_conf "limit_submissions_per_minute = 0; limit_records_per_day = 0; limit_corrections_per_day = 0;"
    LM_ARGS[1]=$EP
    start_daemon
    # A submission of every figure ko-a may send from 2020 on: 7 metrics, 3 wijken, 82
    # months, 1,722 records, about 100 KB; each one stored (a commit is what makes them queue).
    awk 'BEGIN { printf "{\"v\":1,\"op\":\"submit\",\"id\":\"big-@\",\"reporter\":\"ko-a\",\"records\":[";
                 split("vve.peuters.geplaatst vve.doelgroep.geplaatst vve.uren.per_week vve.plaatsen vve.wachtlijst vve.uitstroom vve.warme_overdracht", m, " ");
                 split("WK016401 WK016402 WK016404", a, " "); n = 0;
                 for (y = 2020; y <= 2026; y++) for (mo = 1; mo <= 12; mo++) {
                     if (y == 2026 && mo > 10) break;
                     for (i = 1; i <= 7; i++) for (k = 1; k <= 3; k++)
                         printf "%s{\"metric\":\"%s\",\"area\":\"%s\",\"period\":\"%04d-%02d\",\"value\":%d}",
                                n++ ? "," : "", m[i], a[k], y, mo, i == 3 ? 16 : 1 }
                 print "]}" }' > "$T/big.json"
    local before after pids=() i conns=16
    # ThreadSanitizer's run checks every request is answered, not the budget (below): a
    # quarter of the load is enough for that, at a tenth of the speed.
    [[ "$BUILD" != *tsan* ]] || conns=4
    before=$(awk '/^VmHWM/ { print $2 }' "/proc/$DAEMON_PID/status")
    # 16 connections, each with 64 of them in flight: 100 MB that a queue of 256 per
    # connection would hold at once while the commits go on.
    for i in $(seq 1 "$conns"); do
        "$LMRAW" --timeout 60000 --repeat 64 "$EP" --file "$T/big.json" > "$T/replies.$i" &
        pids+=($!)
    done
    for i in "${!pids[@]}"; do
        wait "${pids[$i]}" || fail "client $((i + 1)) got no reply to every request"
    done
    after=$(awk '/^VmHWM/ { print $2 }' "/proc/$DAEMON_PID/status")
    assert_eq $((conns * 64)) "$(cat "$T"/replies.* | grep -c -E '"status":(200|503)')" "every request answered (200, or 503 when read beyond a batch)"
    local grew=$(((after - before) / 1024))
    echo "    peak RSS grew by $grew MiB ($((before / 1024)) -> $((after / 1024)) MiB)"
    if [[ "$BUILD" == *tsan* ]]; then
        # ThreadSanitizer's shadow memory is several times what leamond uses: the budget is
        # checked by the plain and the AddressSanitizer runs.
        echo "    (ThreadSanitizer build: budget not checked here)"
    else
        [ "$grew" -lt 48 ] || fail "peak RSS grew by $grew MiB for 1,024 pipelined 100 KB submissions (budget 48)"
    fi
    lm ping >/dev/null || fail "still serving"
}
