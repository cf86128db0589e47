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
}
