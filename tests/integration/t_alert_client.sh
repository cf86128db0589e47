# t_alert_client.sh: the client side of alerts that needs no daemon: leamon alerts, ack,
# silence and watch check their arguments before sending anything (exit 2), read every
# form of WHEN, find the daemon's PUB endpoint, and watch ends cleanly on a signal or
# after --idle. Nothing listens on the endpoint: exit 3 ("cannot reach") shows that
# the arguments were accepted and a request was tried.

alert_client_setup() {
    # PORT + 1, where watch looks for the PUB socket, is the test's own too: nothing there.
    PORT=$(free_port) || fail "no free port"
    EP="tcp://127.0.0.1:$PORT"
    LM_ARGS=(--endpoint "$EP" --reporter admin --timeout 200 --retries 0)
}

# usage_error MESSAGE ARGS...: leamon ARGS exits 2 and says MESSAGE.
usage_error() {
    local want=$1
    shift
    assert_status 2 "leamon $*" lm "$@"
    assert_contains "$OUT" "$want" "leamon $*"
}

test_alert_client_usage_errors_send_nothing() {
    alert_client_setup
    usage_error "--state 'burning': give open (pending and firing), pending, firing, resolved or all" \
        alerts --state burning
    usage_error "--since 2099-01-01 is in the future" alerts --since 2099-01-01
    usage_error "--since 'yesterday': give a date 2026-11-01" alerts --since yesterday
    usage_error "--since '2026-02-30'" alerts --since 2026-02-30
    usage_error "--since '7m'" alerts --since 7m
    usage_error "alerts takes no arguments" alerts firing
    usage_error "--rule 'a b': must be 1 to 64 printable characters" alerts --rule "a b"
    usage_error "ack needs ID" ack --note "gezien"
    usage_error "ack needs --note TEXT" ack 3
    usage_error "alert ID 'drie'" ack drie --note "gezien"
    usage_error "put a note of several words in quotes" ack 3 --note Gebeld met de locatie
    usage_error "--note: give 1 to 500 bytes of text" ack 3 --note "$(printf 'twee\tregels')"
    usage_error "--note: give 1 to 500 bytes of text" ack 3 --note "$(head -c 501 /dev/zero | tr '\0' x)"
    usage_error "silence needs a matcher: --rule RULE" silence --until 7d
    usage_error "silence takes" silence vve_bereik_wijk_laag --rule vve_bereik_wijk_laag --until 7d
    usage_error "--severity 'a b'" silence --severity "a b" --until 7d
    usage_error "silence needs --until WHEN" silence vve_bereik_wijk_laag --area GM0164
    usage_error "--until 'morgen'" silence vve_bereik_wijk_laag --area GM0164 --until morgen
    usage_error "--starts 'morgen'" silence --area GM0164 --until 7d --starts morgen
    usage_error "unsilence needs ID" unsilence
    usage_error "silence ID 'vier'" unsilence vier
    usage_error "silences takes no arguments" silences actief
    usage_error "--topic alert: alert topics start with alert." watch --topic alert
    usage_error "--count '0': give a whole number of events, 1 or more" watch --count 0
    usage_error "--format csv is for snapshot, series, completeness, alerts and silences" watch --format csv
    usage_error "--format csv is for" ack 3 --note x --format csv
    # --help needs no daemon either.
    assert_status 0 "alerts --help" lm alerts --help
    assert_contains "$OUT" "leamon alerts [--state open|pending|firing|resolved|all] [--since WHEN]" "synopsis"
    assert_status 0 "leamon --help" lm --help
    assert_contains "$OUT" "    watch         print alert changes as they happen" "command list"
}

test_alert_client_accepts_every_form_of_when() {
    alert_client_setup
    local when
    for when in 2020-11-01 2020-11-01T08:00 "2020-11-01 08:00" 1600000000 24h 7d 2w now; do
        assert_status 3 "alerts --since '$when'" lm alerts --since "$when"
        assert_contains "$OUT" "nothing listens at $EP" "--since '$when' was sent"
    done
    for when in 2099-01-01 2099-01-01T08:00 7d 2w now 1600000000; do
        assert_status 3 "silence --until '$when'" lm silence vve_bereik_wijk_laag --area GM0164 \
            --until "$when" --note "verbouwing"
    done
    assert_status 3 "silence with matchers" lm silence --rule vve_bereik_wijk_laag --org ko-a \
        --indicator vve_bereik --severity warning --until 7d --starts 1d
    assert_status 3 "silences" lm silences --all --format csv
    assert_status 3 "unsilence" lm unsilence 4
    assert_status 3 "ack" lm ack 0 --note "Gebeld met de locatie"
}

test_alert_client_watch_finds_the_pub_endpoint() {
    alert_client_setup
    # Default: the request endpoint's port plus one.
    assert_status 3 "watch --idle 1" lm watch --idle 1
    assert_contains "$OUT" "no alert event within 1 s: cannot reach the daemon's PUB socket at tcp://127.0.0.1:$((PORT + 1))" "derived endpoint"
    assert_status 3 "watch --publish" lm --publish "tcp://127.0.0.1:$PORT" watch --idle 1
    assert_contains "$OUT" "PUB socket at tcp://127.0.0.1:$PORT " "--publish"
    assert_status 3 "LEAMON_PUBLISH" env LEAMON_PUBLISH="tcp://127.0.0.1:$PORT" "$LEAMON" "${LM_ARGS[@]}" watch --idle 1
    assert_contains "$OUT" "PUB socket at tcp://127.0.0.1:$PORT " "LEAMON_PUBLISH"
    printf 'publish = "tcp://127.0.0.1:%s";\n' "$PORT" > "$T/leamon.conf"
    assert_status 3 "publish in the config file" lm --config "$T/leamon.conf" watch --idle 1
    assert_contains "$OUT" "PUB socket at tcp://127.0.0.1:$PORT " "config publish"
    # Not a TCP endpoint: nothing to add one to.
    assert_status 2 "ipc endpoint" "$LEAMON" --endpoint ipc:///tmp/leamon.sock watch
    assert_contains "$OUT" "give --publish ENDPOINT" "asks for --publish"
}

# Wait up to 10 s until process $1 blocks SIGINT and SIGTERM: from then on leamon watch
# reads them from its signal descriptor. (Sent before, SIGTERM would kill it, and SIGINT,
# which a background job of a script ignores, would be lost.)
ac_wait_signals_blocked() {
    local _ blk=""
    for _ in $(seq 1 200); do
        blk=$(sed -n 's/^SigBlk:[[:space:]]*//p' "/proc/$1/status" 2>/dev/null)
        [ -n "$blk" ] && [ $((0x$blk & 0x4002)) = $((0x4002)) ] && return 0
        sleep 0.05
    done
    fail "leamon watch did not block SIGINT and SIGTERM within 10 s (SigBlk: $blk)"
}

test_alert_client_watch_ends_cleanly_on_a_signal() {
    alert_client_setup
    local sig pid rc
    for sig in TERM INT; do
        "$LEAMON" "${LM_ARGS[@]}" watch > "$T/watch.out" 2>&1 &
        pid=$! # leamon itself, not a subshell around it
        ac_wait_signals_blocked "$pid"
        kill -"$sig" "$pid"
        rc=0
        wait "$pid" || rc=$?
        assert_eq 0 "$rc" "exit status after SIG$sig"
        assert_eq "" "$(cat "$T/watch.out")" "nothing printed"
    done
}
