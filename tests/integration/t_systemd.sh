# t_systemd.sh: leamond as a system service: the sd_notify protocol (READY, watchdog
# keep-alives from the loop, STOPPING), the unit file's sandbox as systemd-analyze rates
# it, and make install into a staging root.

NOTIFY_LISTEN="$TOP/$BUILD/tools/notify_listen"

test_notify_ready_watchdog_stopping() {
    setup_insecure
    "$NOTIFY_LISTEN" "$T/notify.sock" 100 20 > "$T/notify.out" &
    local listener=$!
    for _ in $(seq 1 50); do [ -S "$T/notify.sock" ] && break; sleep 0.05; done
    [ -S "$T/notify.sock" ] || fail "the notification socket did not appear"
    # As systemd does: NOTIFY_SOCKET, and WATCHDOG_USEC with WATCHDOG_PID = the daemon's.
    NOTIFY_SOCKET="$T/notify.sock" WATCHDOG_USEC=400000 \
        sh -c 'WATCHDOG_PID=$$ exec "$0" -c "$1"' "$LEAMOND" "$T/leamond.conf" 2> "$T/leamond.log" &
    DAEMON_PID=$!
    echo "$DAEMON_PID" > "$T/leamond.pid"
    wait_log "INSECURE MODE"
    sleep 1.3 # about six keep-alives at 200 ms
    lm ping >/dev/null || fail "ping"
    stop_daemon
    assert_eq 0 "$DAEMON_RC" "clean stop"
    sleep 0.2
    kill "$listener" 2>/dev/null
    wait "$listener" 2>/dev/null
    local out n
    out=$(cat "$T/notify.out")
    assert_contains "$(sed -n 1p <<< "$out")" "READY=1" "READY first, once the socket is bound"
    assert_contains "$out" "STATUS=listening on $EP" "status line"
    n=$(grep -c '^WATCHDOG=1$' <<< "$out")
    [ "$n" -ge 4 ] || fail "only $n watchdog keep-alives in 1.3 s at 200 ms: $out"
    assert_contains "$(tail -n 1 <<< "$out")" "STOPPING=1" "STOPPING last"
}

test_no_watchdog_no_wakeups() {
    # Without a watchdog (and nothing pending) the loop sleeps: no keep-alives are sent.
    setup_insecure
    "$NOTIFY_LISTEN" "$T/notify.sock" 100 20 > "$T/notify.out" &
    local listener=$!
    for _ in $(seq 1 50); do [ -S "$T/notify.sock" ] && break; sleep 0.05; done
    NOTIFY_SOCKET="$T/notify.sock" "$LEAMOND" -c "$T/leamond.conf" 2> "$T/leamond.log" &
    DAEMON_PID=$!
    echo "$DAEMON_PID" > "$T/leamond.pid"
    wait_log "INSECURE MODE"
    sleep 0.8
    stop_daemon
    sleep 0.2
    kill "$listener" 2>/dev/null
    wait "$listener" 2>/dev/null
    assert_not_contains "$(cat "$T/notify.out")" "WATCHDOG=1" "no keep-alives without WATCHDOG_USEC"
}

test_unit_file_is_rated_ok_by_systemd_analyze() {
    command -v systemd-analyze >/dev/null ||
        fail "systemd-analyze is not installed (make deps installs the systemd package)"
    local out score
    out=$(systemd-analyze security --offline=true "$TOP/systemd/leamond.service" 2>&1) ||
        fail "systemd-analyze failed: $out"
    score=$(grep -o 'Overall exposure level for leamond.service: [0-9.]* [A-Z]*' <<< "$out" |
        sed 's/.*: //')
    [ -n "$score" ] || fail "no exposure level in: $out"
    # systemd's verdicts, best first: PERFECT, SAFE, OK, MEDIUM, EXPOSED, UNSAFE.
    case "$score" in
    *" PERFECT" | *" SAFE" | *" OK") ;;
    *) fail "systemd-analyze rates the unit $score; it must be OK or better" ;;
    esac
    echo "exposure: $score"
    for setting in "DynamicUser=yes" "StateDirectory=leamon" "ProtectSystem=strict" "ProtectHome=yes" \
        "PrivateTmp=yes" "PrivateDevices=yes" "NoNewPrivileges=yes" "RestrictAddressFamilies=" \
        "SystemCallFilter=@system-service" "CapabilityBoundingSet=" "MemoryDenyWriteExecute=yes" \
        "Type=notify" "WatchdogSec=" "ExecReload=/bin/kill -HUP"; do
        grep -q "^$setting" "$TOP/systemd/leamond.service" || fail "the unit lacks $setting"
    done
}

test_make_install_into_a_staging_root() {
    local out
    # The plain build (make install must not rebuild a sanitizer tree without its flags).
    out=$(make -C "$TOP" install DESTDIR="$T/root" PREFIX=/usr 2>&1) ||
        fail "make install: $out"
    local f
    for f in usr/bin/leamond usr/bin/leamon usr/lib/systemd/system/leamond.service \
        etc/leamon/leamond.conf etc/leamon/catalog.conf etc/leamon/partners.conf \
        usr/share/doc/leamon/README.md usr/share/doc/leamon/PROTOCOL.md \
        usr/share/doc/leamon/domain.md usr/share/doc/leamon/periods.md \
        usr/share/doc/leamon/catalogue.md usr/share/doc/leamon/indicators.md \
        usr/share/doc/leamon/alert-rules.md usr/share/doc/leamon/example-client.md \
        usr/share/doc/leamon/example-client.py \
        usr/share/leamon/examples/catalog.conf usr/share/man/man1/leamon.1 \
        usr/share/man/man8/leamond.8 usr/share/man/man5/leamond.conf.5 \
        usr/share/man/man5/leamon-catalog.5 usr/share/man/man5/leamon-partners.5; do
        [ -e "$T/root/$f" ] || fail "make install did not install /$f"
    done
    assert_contains "$(grep '^ExecStart=' "$T/root/usr/lib/systemd/system/leamond.service")" \
        "ExecStart=/usr/bin/leamond" "the unit names the installed binary"
    "$T/root/usr/bin/leamond" --help | grep -q "alert_hook" || fail "installed leamond --help"
    # The partners file to fill in is the municipality's own, not the demo's.
    assert_eq 0 "$(grep -c '^  { id = ' "$T/root/etc/leamon/partners.conf")" "no demo partners installed"
    "$T/root/usr/bin/leamon" --help | grep -q "watch" || fail "installed leamon --help"
    # A second install keeps the operator's configuration.
    echo "# mine" >> "$T/root/etc/leamon/leamond.conf"
    make -C "$TOP" install DESTDIR="$T/root" PREFIX=/usr >/dev/null 2>&1 || fail "second install"
    grep -q "# mine" "$T/root/etc/leamon/leamond.conf" || fail "make install overwrote leamond.conf"
}
