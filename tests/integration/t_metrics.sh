# t_metrics.sh: the metrics file for node_exporter's textfile collector, written by a real
# leamond as it serves: the counters move with what it answers.

test_metrics_file_moves_with_what_is_answered() {
    setup_insecure
    write_conf 'metrics_file = "metrics.prom"; metrics_interval = 1;'
    LM_ARGS[1]=$EP
    start_daemon
    local month
    month=$(date -d "$(date +%Y-%m-15) -1 month" +%Y-%m)
    wait_metric 'leamond_requests_total{op="submit",status="200"}' 0
    as ko-a submit --period "$month" --area WK016402 vve.doelgroep.geplaatst=4 vve.plaatsen=9 \
        >/dev/null || fail "submit"
    as ko-a submit --period "$month" --area WK016402 vve.onbekend=1 >/dev/null 2>&1 &&
        fail "an unknown metric was accepted"
    lm ping >/dev/null || fail "ping"
    wait_metric 'leamond_requests_total{op="submit",status="200"}' 1
    wait_metric 'leamond_requests_total{op="submit",status="422"}' 1
    wait_metric 'leamond_requests_total{op="ping",status="200"}' 1
    wait_metric 'leamond_records_stored_total' 2
    wait_metric 'leamond_record_errors_total' 1
    wait_metric 'leamond_record_errors_by_code_total{code="unknown_metric"}' 1
    wait_metric 'leamond_queued_requests' 0
    local m
    m=$(cat "$T/metrics.prom")
    assert_contains "$m" '# TYPE leamond_request_duration_seconds histogram' "latency histogram"
    assert_contains "$m" 'leamond_request_duration_seconds_count{op="submit"} 2' "two submissions timed"
    assert_contains "$m" 'leamond_last_submission_timestamp_seconds{organisation="ko-a"} ' "last figure of ko-a"
    assert_match "$m" 'leamond_alerts\{state="firing",severity="(warning|critical)"\} [0-9]+' "open alerts"
    assert_match "$m" 'leamond_database_bytes\{file="db"\} [1-9][0-9]*' "database size"
    [ "$(metrics_value 'leamond_received_bytes_total')" -gt 0 ] || fail "bytes in"
    assert_eq 644 "$(stat -c %a "$T/metrics.prom")" "readable by node_exporter"
    [ ! -e "$T/metrics.prom.tmp" ] || fail "the temporary file was left"
}

test_metrics_count_the_connections() {
    setup_insecure
    write_conf 'metrics_file = "metrics.prom"; metrics_interval = 1; handshake_timeout = 1;'
    LM_ARGS[1]=$EP
    start_daemon
    wait_metric 'leamond_connections' 0
    local fds=() fd
    for _ in 1 2 3; do
        exec {fd}<>"/dev/tcp/127.0.0.1/$PORT" || fail "connect"
        fds+=("$fd")
    done
    wait_metric 'leamond_connections' 3
    # Silent, they are dropped at the handshake timeout.
    wait_metric 'leamond_connections' 0
    for fd in "${fds[@]}"; do exec {fd}>&-; done
}
