# t_limits.sh: what no client can take from the others, and what nobody else may read: a
# flood of connections that never finish their handshake, the connections one key may
# hold, the open-file limit, the limits per organisation, the memory that pipelined
# requests may hold, the modes of the files leamond creates under a lax umask.

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

# Start lmconns with ko-a's key (its arguments: $@) in the background, output in
# $T/conns, and wait until it holds its connections. Sets CONNS_PID.
hold_connections() {
    "$LMCONNS" --server-key "$SERVER_KEY" --key "$T/keys/ko-a.key" "$@" "$EP" > "$T/conns" 2>&1 &
    CONNS_PID=$!
    local _
    for _ in $(seq 1 200); do
        grep -q '^holding' "$T/conns" && return 0
        sleep 0.05
    done
    kill "$CONNS_PID"
    fail "lmconns did not get to hold its connections: $(cat "$T/conns")"
}

# Wait up to 10 s for a line $1 in $T/conns.
wait_conns() {
    local _
    for _ in $(seq 1 200); do
        grep -qx "$1" "$T/conns" && return 0
        sleep 0.05
    done
    fail "no line '$1' from lmconns: $(cat "$T/conns")"
}

# Wait up to 10 s until leamond has closed every connection to it (none established or
# closed by the client only, in /proc/net/tcp): it has then seen them go, and a key's
# places are free again.
wait_all_closed() {
    local _ hex
    printf -v hex '%04X' "$PORT"
    for _ in $(seq 1 200); do
        awk -v p=":$hex" '$2 ~ p "$" && ($4 == "01" || $4 == "08") { n++ } END { exit n > 0 }' \
            /proc/net/tcp && return 0
        sleep 0.05
    done
    fail "leamond still holds connections on port $PORT"
}

test_one_key_cannot_hold_more_than_its_connections() {
    setup_secure
    write_conf 'server_secret_key_file = "keys/server.key"; max_connections_per_key = 3;
                metrics_file = "metrics.prom"; metrics_interval = 1;'
    LM_ARGS[1]=$EP
    start_daemon
    # Five connections with ko-a's key, one after another, all held: the first three are
    # admitted, the handshakes of the other two refused with ZAP status 500; then a ping on
    # each of the three.
    hold_connections 5
    local handshakes="1 ok,2 ok,3 ok,4 refused 500,5 refused 500"
    assert_eq "$handshakes,1 pong 200,2 pong 200,3 pong 200,holding" "$(paste -sd, "$T/conns")" \
        "connections of one key"
    wait_log 'refused a connection by ko-a: its key holds 3 connections already'
    wait_metric_at_least 'leamond_connections_ended_total{cause="key_cap"}' 2
    wait_metric 'leamond_connections_ended_total{cause="no_request"}' 0
    # Meanwhile another key is served, and ko-a's own client is told why it is refused.
    as ko-c ping >/dev/null || fail "another key is not served while ko-a holds its connections"
    assert_status 1 "a sixth connection of ko-a" as ko-a ping
    assert_contains "$OUT" "this key already holds as many connections as the daemon allows" \
        "the client says why"
    assert_contains "$OUT" "[ZAP status 500]" "and the status"
    # Once they close, ko-a connects again.
    kill "$CONNS_PID"
    wait "$CONNS_PID" || fail "lmconns failed: $(cat "$T/conns")"
    wait_all_closed
    as ko-a ping >/dev/null || fail "ko-a is refused once its connections have closed"
}

test_connections_that_send_nothing_are_closed_and_free_their_key() {
    setup_secure
    write_conf 'server_secret_key_file = "keys/server.key"; max_connections_per_key = 2;
                first_request_timeout = 3; metrics_file = "metrics.prom"; metrics_interval = 1;'
    LM_ARGS[1]=$EP
    start_daemon
    # Two connections that send nothing: until leamond knows whose they are they hold two
    # of ko-a's places, and it closes them after first_request_timeout.
    hold_connections --idle 2
    assert_eq "1 ok,2 ok,holding" "$(paste -sd, "$T/conns")" "idle connections"
    assert_status 1 "a third connection while two sit idle" as ko-a ping
    assert_contains "$OUT" "[ZAP status 500]" "refused for the cap"
    wait_conns "1 closed"
    wait_conns "2 closed"
    wait_log 'connections\{0,1\} that sent no request within first_request_timeout (3 s)'
    wait_metric 'leamond_connections_ended_total{cause="no_request"}' 2
    wait_metric_at_least 'leamond_connections_ended_total{cause="key_cap"}' 1
    kill "$CONNS_PID"
    wait "$CONNS_PID" || fail "lmconns failed: $(cat "$T/conns")"
    as ko-a ping >/dev/null || fail "ko-a is refused after its idle connections were closed"
    wait_all_closed
    # Connections that have sent a request stay open however long they then wait, and hold
    # the key's places.
    hold_connections 2
    assert_eq "1 ok,2 ok,1 pong 200,2 pong 200,holding" "$(paste -sd, "$T/conns")" \
        "connections that asked"
    sleep 4.5
    assert_not_contains "$(cat "$T/conns")" "closed" "a connection that asked was closed"
    assert_status 1 "a third connection while two that asked are open" as ko-a ping
    assert_contains "$OUT" "[ZAP status 500]" "refused for the cap"
    kill "$CONNS_PID"
    wait "$CONNS_PID" || fail "lmconns failed: $(cat "$T/conns")"
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

# The peak RSS of leamond (VmHWM, KiB).
peak_kib() {
    awk '/^VmHWM/ { print $2 }' "/proc/$DAEMON_PID/status"
}

# Send $2 requests on each of $1 connections at once, each connection all of them before
# it reads a reply: the JSON of file $3 with '#' replaced by the connection's number and
# '@' (by lmraw) by the request's. Every reply goes to $T/replies; fails unless each
# request got one.
pipeline() { # conns per file
    local i pids=()
    for i in $(seq 1 "$1"); do
        sed "s/#/$i/g" "$3" > "$T/request.$i.json"
        "$LMRAW" --timeout 60000 --repeat "$2" "$EP" --file "$T/request.$i.json" > "$T/replies.$i" &
        pids+=($!)
    done
    for i in "${!pids[@]}"; do
        wait "${pids[$i]}" || fail "client $((i + 1)) got no reply to every request"
    done
    cat "$T"/replies.* > "$T/replies"
}

test_pipelined_big_submissions_stay_within_the_memory_budget() {
    setup_insecure
    # ASan keeps freed memory in quarantine; that is not leamond's: measure without it.
    export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0"
    write_conf "request_memory_budget = 4194304; limit_submissions_per_minute = 0;
                limit_records_per_day = 0; limit_corrections_per_day = 0;"
    LM_ARGS[1]=$EP
    start_daemon
    # A submission of every figure ko-a may send from 2020 on: 7 metrics, 3 wijken, 82
    # months, 1,722 records, about 100 KB; decoded, 230 KB of records. Each is stored (a
    # commit is what makes them queue). Its id names its connection (#) and number (@).
    awk 'BEGIN { printf "{\"v\":1,\"op\":\"submit\",\"id\":\"big-#-@\",\"reporter\":\"ko-a\",\"records\":[";
                 split("vve.peuters.geplaatst vve.doelgroep.geplaatst vve.uren.per_week vve.plaatsen vve.wachtlijst vve.uitstroom vve.warme_overdracht", m, " ");
                 split("WK016401 WK016402 WK016404", a, " "); n = 0;
                 for (y = 2020; y <= 2026; y++) for (mo = 1; mo <= 12; mo++) {
                     if (y == 2026 && mo > 10) break;
                     for (i = 1; i <= 7; i++) for (k = 1; k <= 3; k++)
                         printf "%s{\"metric\":\"%s\",\"area\":\"%s\",\"period\":\"%04d-%02d\",\"value\":%d}",
                                n++ ? "," : "", m[i], a[k], y, mo, i == 3 ? 16 : 1 }
                 print "]}" }' > "$T/big.json"
    local before after conns=16 per=64 size
    size=$(stat -c %s "$T/big.json") # (as JSON: more than the msgpack sent)
    # ThreadSanitizer's run checks every request is answered and stored or refused, not the
    # budget (below): a quarter of the load is enough for that, at a tenth of the speed.
    [[ "$BUILD" != *tsan* ]] || conns=4
    before=$(peak_kib)
    # 16 connections, each with 64 in flight: 1,024 submissions, 100 MB on the wire and
    # 230 MB of records decoded, if they were all decoded at once.
    pipeline "$conns" "$per" "$T/big.json"
    after=$(peak_kib)
    # Every submission was either stored (200) or turned away with a retry hint (503).
    local ok busy
    ok=$(grep -c '"status":200' "$T/replies")
    busy=$(grep '"status":503' "$T/replies" | grep -c '"retry_after_ms":1000')
    assert_eq $((conns * per)) $((ok + busy)) "every submission answered 200, or 503 with retry_after_ms"
    [ "$ok" -gt 0 ] || fail "nothing stored"
    [ "$busy" -gt 0 ] || fail "no submission turned away: the load did not reach the budget"
    assert_contains "$(grep -m1 '"status":503' "$T/replies")" 'the daemon is busy' "says why"
    # What was acknowledged is stored, whole; what was turned away is not.
    grep '"status":200' "$T/replies" | grep -o '"id":"big-[0-9]*-[0-9]*"' | cut -d'"' -f4 |
        sort > "$T/acked"
    sql "select request_id from submission where reporter = 'ko-a' and records = 1722" |
        sort > "$T/stored"
    assert_eq "$ok" "$(wc -l < "$T/acked")" "ids of the acknowledged ones"
    [ -z "$(comm -23 "$T/acked" "$T/stored")" ] ||
        fail "acknowledged, not stored: $(comm -23 "$T/acked" "$T/stored" | head -n 5 | tr '\n' ' ')"
    [ -z "$(comm -13 "$T/acked" "$T/stored")" ] ||
        fail "stored, not acknowledged: $(comm -13 "$T/acked" "$T/stored" | head -n 5 | tr '\n' ' ')"
    assert_eq "$ok" "$(sql "select count(*) from submission")" "nothing else stored"
    wait_log "busy: more waiting than one commit takes (batch_max 256 requests, 50000 records, request_memory_budget 4194304 bytes)"
    # Peak memory: a batch holds its budget and the request that crosses it, one request is
    # being decoded, and ZeroMQ queues 8 requests a connection (RECEIVE_HWM) and reads a
    # ninth; with 8 MiB for the rest (allocator, threads), against 230 MiB of records if
    # every submission in flight were decoded.
    local grew=$(((after - before) / 1024))
    local queues=$((conns * 9 * size / 1048576)) bound full=$((conns * per * 1722 * 136 / 1048576))
    bound=$((queues + 2 * 4 + 4 + 8))
    echo "    peak RSS grew by $grew MiB ($((before / 1024)) -> $((after / 1024)) MiB); bound $bound MiB (queues $queues); $ok stored, $busy turned away"
    if [[ "$BUILD" == *tsan* ]]; then
        # ThreadSanitizer's shadow memory is several times what leamond uses: the budget is
        # checked by the plain and the AddressSanitizer runs.
        echo "    (ThreadSanitizer build: budget not checked here)"
    else
        [ $((4 * bound)) -lt "$full" ] ||
            fail "the bound ($bound MiB) is not well below full decoding ($full MiB)"
        [ "$grew" -le "$bound" ] ||
            fail "peak RSS grew by $grew MiB for $((conns * per)) pipelined submissions of $((size / 1024)) KiB (bound $bound MiB)"
    fi
    lm ping >/dev/null || fail "still serving"
}

test_requests_that_decode_large_are_held_to_the_budget() {
    setup_insecure
    export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0"
    write_conf "request_memory_budget = 4194304; limit_submissions_per_minute = 0;"
    LM_ARGS[1]=$EP
    start_daemon
    # A record with a thousand unknown fields (and none it needs): 8 KB on the wire, 1,003
    # errors, of which 1,000 are listed, of about 250 bytes each decoded. 256 of them (batch_max) would hold 64 MB, 512 with the
    # requests read beyond one commit.
    awk 'BEGIN { printf "{\"v\":1,\"op\":\"submit\",\"id\":\"odd-#-@\",\"reporter\":\"ko-a\",\"records\":[{";
                 for (i = 0; i < 1000; i++) printf "%s\"x%d\":0", i ? "," : "", i;
                 print "}]}" }' > "$T/odd.json"
    local before after conns=16 per=64
    [[ "$BUILD" != *tsan* ]] || conns=4
    before=$(peak_kib)
    pipeline "$conns" "$per" "$T/odd.json"
    after=$(peak_kib)
    local invalid busy
    invalid=$(grep '"status":422' "$T/replies" | grep -c '"error_count":1003')
    busy=$(grep '"status":503' "$T/replies" | grep -c '"retry_after_ms":1000')
    assert_eq $((conns * per)) $((invalid + busy)) "every request answered 422 with its errors, or 503"
    [ "$invalid" -gt 0 ] && [ "$busy" -gt 0 ] || fail "$invalid answered 422, $busy 503: both expected"
    assert_eq 0 "$(sql "select count(*) from submission")" "nothing stored"
    # The batch stops at its budget (and the request that crosses it), the requests beyond
    # it are not decoded, and the replies of a batch, each listing 1,000 errors (130 KB),
    # wait to be sent: a few MiB, with 12 MiB for the rest, where counting the requests'
    # bytes alone would let a batch hold 64 MB, and decoding those beyond it another 64 MB.
    local grew=$(((after - before) / 1024)) bound=$((3 * 4 + 12))
    echo "    peak RSS grew by $grew MiB ($((before / 1024)) -> $((after / 1024)) MiB); bound $bound MiB; $invalid answered 422, $busy 503"
    if [[ "$BUILD" == *tsan* ]]; then
        echo "    (ThreadSanitizer build: budget not checked here)"
    else
        [ "$grew" -le "$bound" ] ||
            fail "peak RSS grew by $grew MiB for $((conns * per)) requests of 8 KB that decode to 250 KB (bound $bound MiB)"
    fi
    lm ping >/dev/null || fail "still serving"
}
