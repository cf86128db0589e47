# t_alerts.sh: alert rules evaluated by a real leamond on figures submitted through the
# real client; the lifecycle seen by `leamon watch` on the PUB socket, by `leamon alerts`,
# and by the hook command; acknowledging, silencing, late reporters, a slow hook.

months_ago() { # N -> YYYY-MM
    date -d "$(date +%Y-%m-15) -$1 month" +%Y-%m
}

raw() { # JSON request -> reply JSON
    "$LMRAW" --timeout 5000 "$EP" "$1"
}

# VVE-bereik in wijk Noord (WK016402) for one month: ko-a places $2 of the GGD's 10.
noord() { # period placed
    as ggd submit --period "$1" --area WK016402 jgz.doelgroep.geindiceerd=10 >/dev/null ||
        fail "GGD figures for $1"
    as ko-a submit --period "$1" --area WK016402 vve.doelgroep.geplaatst="$2" >/dev/null ||
        fail "ko-a figures for $1"
}

# The state of the vve_bereik_wijk_laag alert of Noord ("" when there is none). Asking also
# makes the daemon bring snapshots and alerts up to date first.
noord_state() {
    as admin alerts --state all --rule vve_bereik_wijk_laag --area WK016402 --format json |
        grep -o '"state":"[a-z]*"' | head -n1 | cut -d'"' -f4
}

# Rewrite leamond.conf with extra settings, keeping the mode set up before (its key).
with_settings() {
    local key=""
    [ -z "${SERVER_KEY:-}" ] || key='server_secret_key_file = "keys/server.key";'
    write_conf "$key $1"
    LM_ARGS[1]=$EP # --endpoint's value: write_conf picked a new port
}

hook_script() { # file the hook appends to -> path of the script
    cat > "$T/hook.sh" <<HOOK
#!/bin/sh
echo "\$LEAMON_ALERT_STATE \$LEAMON_ALERT_PREVIOUS \$LEAMON_ALERT_RULE \$LEAMON_ALERT_AREA \$LEAMON_ALERT_VALUE \$LEAMON_ALERT_THRESHOLD \$LEAMON_ALERT_SEVERITY" >> "$1"
HOOK
    chmod +x "$T/hook.sh"
    echo "$T/hook.sh"
}

test_wijk_below_threshold_fires_once_then_resolves() {
    setup_secure
    with_settings "alert_hook = \"$(hook_script "$T/hook.out")\";"
    start_daemon
    LM_ARGS+=(--publish "$PUB_EP")
    as admin watch --format json --topic alert.critical.vve_bereik.WK016402 --count 3 --idle 30 \
        > "$T/watch.out" 2> "$T/watch.err" &
    local watcher=$! m5 m4 m3 m2 m1
    # The subscription must reach the daemon before the first event: connected, then the
    # handshake and the subscription.
    wait_connected "${PUB_EP##*:}" 1
    sleep 0.5
    m5=$(months_ago 5) m4=$(months_ago 4) m3=$(months_ago 3) m2=$(months_ago 2) m1=$(months_ago 1)
    noord "$m5" 8
    assert_eq "" "$(noord_state)" "80%: no alert"
    noord "$m4" 6
    assert_eq "pending" "$(noord_state)" "60% once: pending (for = 2)"
    noord "$m3" 6
    assert_eq "firing" "$(noord_state)" "60% twice: firing"
    noord "$m2" 7
    assert_eq "firing" "$(noord_state)" "70% is between threshold 70 and clear 75: still firing"
    noord "$m1" 8
    assert_eq "resolved" "$(noord_state)" "80% is past clear 75: resolved"
    wait "$watcher" || fail "watch exited $?: $(cat "$T/watch.err")"
    local w
    w=$(cat "$T/watch.out")
    assert_eq 3 "$(grep -c . <<< "$w")" "three events: pending, firing, resolved"
    assert_eq 1 "$(grep -c '"state":"firing"' <<< "$w")" "fired once"
    assert_contains "$(sed -n 1p <<< "$w")" '"state":"pending"' "first event"
    assert_contains "$(sed -n 2p <<< "$w")" '"previous":"pending"' "second event from pending"
    assert_contains "$(sed -n 2p <<< "$w")" '"value":60' "firing at 60%"
    assert_contains "$(sed -n 3p <<< "$w")" '"state":"resolved"' "third event"
    assert_contains "$(sed -n 3p <<< "$w")" '"previous":"firing"' "resolved from firing"
    assert_contains "$w" "\"period\":\"$m4\"" "the alert is named by the month it began"
    # The hook ran for each change with the alert's fields in its environment.
    local h
    for _ in $(seq 1 50); do
        [ "$(grep -c vve_bereik_wijk_laag "$T/hook.out" 2>/dev/null)" -ge 3 ] && break
        sleep 0.1
    done
    h=$(grep vve_bereik_wijk_laag "$T/hook.out")
    assert_contains "$h" "firing pending vve_bereik_wijk_laag WK016402 60 70 critical" "hook: firing"
    assert_contains "$h" "resolved firing vve_bereik_wijk_laag WK016402 80 70 critical" "hook: resolved"
    # The stored history: three changes of one alert.
    assert_eq "pending firing resolved" \
        "$(sql "select group_concat(to_state, ' ') from (select c.to_state from alert_change c join alert a on a.id = c.alert where a.rule = 'vve_bereik_wijk_laag' and a.area = 'WK016402' order by c.id)")" \
        "history"
    # alerts lists it with the history; the message names wijk and values.
    local out
    out=$(as viewer alerts --state resolved --rule vve_bereik_wijk_laag)
    assert_contains "$out" "Noord" "text output names the wijk"
}

test_single_odd_month_is_no_alert() {
    setup_insecure
    start_daemon
    local m
    noord "$(months_ago 4)" 8
    noord "$(months_ago 3)" 6
    # Seen while it lasts (asking brings the rules up to date): one month below 70% is
    # pending, not firing ...
    assert_eq "pending" "$(noord_state)" "one month below 70%"
    noord "$(months_ago 2)" 8
    noord "$(months_ago 1)" 8
    # ... and it ended when the next month was clear, without firing.
    assert_eq "resolved" "$(noord_state)" "pending, then dropped"
    m=$(sql "select count(*) from alert where rule = 'vve_bereik_wijk_laag' and first_fired is not null")
    assert_eq 0 "$m" "never fired"
    assert_contains "$(sql "select message from alert where rule = 'vve_bereik_wijk_laag'")" \
        "no longer met before it lasted long enough" "the message says it never fired"
    # The slip rule (10 points against the month before) did see the drop, and its recovery.
    assert_eq "resolved" "$(sql "select state from alert where rule = 'vve_bereik_daling' and area = 'WK016402'")" \
        "slip of 20 points: fired and resolved"
}

# A second location in Noord, which never reports.
add_silent_location() {
    sed -i '/id = "ggd"/i \  { id = "ko-d"; name = "Kinderopvang D"; kind = "kinderopvang"; area = "WK016402"; },' \
        "$T/partners.conf"
}

test_incomplete_figures_are_not_judged() {
    setup_insecure
    add_silent_location
    start_daemon
    noord "$(months_ago 3)" 6
    noord "$(months_ago 2)" 6
    local out
    out=$(as admin alerts --format json --state all --rule vve_bereik_wijk_laag)
    # 2 of 3 reporters in: the low figure may be ko-d's missing toddlers, not a drop.
    assert_not_contains "$out" '"state":"firing"' "not judged"
    assert_not_contains "$out" '"state":"pending"' "not even pending"
}

test_incomplete_figures_say_how_many_reporters_are_missing() {
    setup_insecure
    add_silent_location
    # This rule judges with 60% of the reporters in.
    sed -i 's/name = "vve_bereik_wijk_laag"; kind = "below";/&  min_reported = 0.6;/' "$T/catalog.conf"
    grep -q 'min_reported = 0.6' "$T/catalog.conf" || fail "the rule was not changed"
    start_daemon
    noord "$(months_ago 3)" 6
    noord "$(months_ago 2)" 6
    local out
    out=$(as admin alerts --format json --rule vve_bereik_wijk_laag)
    assert_contains "$out" '"state":"firing"' "firing"
    assert_contains "$out" '"expected":3,"reported":2' "ko-a and the GGD reported, ko-d did not"
    assert_contains "$out" 'incomplete: 1 of 3 reporters missing' "the message says the figure is incomplete"
}

test_ack_needs_admin_and_does_not_resolve() {
    setup_secure
    start_daemon
    noord "$(months_ago 3)" 6
    noord "$(months_ago 2)" 6
    local id out
    id=$(sql "select id from alert where rule = 'vve_bereik_wijk_laag' and area = 'WK016402'")
    [ -n "$id" ] || id=$(as admin alerts --format json --rule vve_bereik_wijk_laag | grep -o '"id":[0-9]*' | head -n1 | cut -d: -f2)
    [ -n "$id" ] || fail "no alert to acknowledge"
    assert_status 1 "a viewer may not acknowledge" as viewer ack "$id" --note "gezien"
    assert_contains "$OUT" "admin role" "the refusal says why"
    assert_status 1 "an organisation may not list alerts" as ko-a alerts
    assert_contains "$OUT" "municipal staff" "the refusal says why"
    assert_status 0 "an admin acknowledges" as admin ack "$id" --note "Gebeld met de locatie"
    assert_eq "admin|Gebeld met de locatie|firing" "$(sql "select acked_by, ack_note, state from alert where id = $id")" \
        "acknowledged, still firing"
    assert_status 1 "an unknown alert" as admin ack 999999 --note "x"
    assert_contains "$OUT" "no alert 999999" "404 names the id"
}

test_silenced_changes_are_stored_not_published() {
    setup_insecure
    with_settings "alert_hook = \"$(hook_script "$T/hook.out")\";"
    start_daemon
    local until out
    until=$(( $(date +%s) + 86400 ))
    out=$(raw "{\"v\":1,\"op\":\"silence\",\"id\":\"s1\",\"reporter\":\"admin\",\"rule\":\"vve_bereik_wijk_laag\",\"area\":\"GM0164\",\"until\":$until,\"note\":\"onderhoud\"}")
    assert_contains "$out" '"status":200' "admin silences the rule for the gemeente and below"
    assert_contains "$out" '"lifted":false' "in force"
    out=$(raw "{\"v\":1,\"op\":\"silence\",\"id\":\"s2\",\"reporter\":\"viewer\",\"rule\":\"vve_bereik_wijk_laag\",\"area\":\"GM0164\",\"until\":$until}")
    assert_contains "$out" '"status":403' "a viewer may not silence"
    out=$(raw "{\"v\":1,\"op\":\"silence\",\"id\":\"s3\",\"reporter\":\"admin\",\"rule\":\"no_such_rule\",\"area\":\"GM0164\",\"until\":$until}")
    assert_contains "$out" '"status":404' "unknown rule"
    noord "$(months_ago 3)" 6
    noord "$(months_ago 2)" 6
    assert_eq "firing" "$(noord_state)" "evaluated and stored while silenced"
    wait_log "vve_bereik_wijk_laag.*(silenced)\|(silenced).*Noord"
    sleep 0.3
    assert_not_contains "$(cat "$T/hook.out" 2>/dev/null)" "vve_bereik_wijk_laag" "no hook while silenced"
    out=$(as admin alerts --format json --rule vve_bereik_wijk_laag)
    assert_contains "$out" "\"silenced_until\":$until" "alerts shows the silence"
}

test_late_organisation_fires_and_resolves_when_it_reports() {
    setup_insecure
    start_daemon
    local out
    # ko-c has reported nothing: vve.doelgroep.geplaatst is overdue for every month whose
    # deadline (10 days after it ended) has passed; the rule fires after two.
    out=$(as admin alerts --format json --rule opvang_niet_gemeld)
    assert_contains "$out" '"organisation":"ko-c"' "ko-c is late"
    assert_contains "$out" '"state":"firing"' "firing"
    assert_contains "$out" '"area":"WK016401"' "in its home wijk"
    # The RBL's rule fires after one month (critical).
    out=$(as admin alerts --format json --rule rbl_niet_gemeld)
    assert_contains "$out" '"organisation":"rbl"' "the RBL is late"
    # ko-c sends its figures for the last twelve months: the alert resolves.
    local i args=()
    for i in $(seq 1 12); do
        as ko-c submit --period "$(months_ago "$i")" --area WK016401 vve.doelgroep.geplaatst=5 >/dev/null ||
            fail "ko-c month $i"
    done
    out=$(as admin alerts --format json --state all --rule opvang_niet_gemeld)
    assert_contains "$(grep -o '{"id":[^}]*"organisation":"ko-c"[^}]*' <<< "$out")" '"state":"resolved"' "resolved once reported"
}

test_slow_hook_is_killed_and_does_not_block_requests() {
    setup_insecure
    # A hook that starts a process of its own and waits: both must go at the timeout.
    local nap=$((3000 + RANDOM % 1000))
    with_settings "alert_hook = \"sleep $nap & sleep $nap\"; alert_hook_timeout = 1;"
    start_daemon
    # The late rules fire at start: hooks start and hang.
    wait_log "receiver hook .*started"
    local t0 t1
    t0=$(date +%s%N)
    lm ping >/dev/null || fail "ping while hooks run"
    t1=$(date +%s%N)
    [ $(((t1 - t0) / 1000000)) -lt 900 ] || fail "ping took $(((t1 - t0) / 1000000)) ms while a hook hung"
    wait_log "receiver hook .*killed after 1 s"
    lm ping >/dev/null || fail "ping after the kill"
    local left=""
    for _ in $(seq 1 40); do
        left=$(pgrep -f "^sleep $nap\$" || true)
        [ -z "$left" ] && break
        sleep 0.05
    done
    # The 4 hooks started together and were killed together, each with its process group.
    assert_eq "" "$left" "processes of killed hooks left"
    stop_daemon
    assert_eq 0 "$DAEMON_RC" "clean stop with hooks queued"
    assert_eq "" "$(pgrep -f "^sleep $nap\$" || true)" "no process of a hook outlives leamond"
}

test_failing_hook_is_logged() {
    setup_insecure
    with_settings "alert_hook = \"exit 3\";"
    start_daemon
    wait_log "receiver hook .*exit status 3"
    lm ping >/dev/null || fail "still serving"
}

test_alerts_refuses_bad_arguments() {
    setup_insecure
    start_daemon
    local out
    out=$(raw '{"v":1,"op":"alerts","id":"a1","reporter":"viewer","state":"burning"}')
    assert_contains "$out" '"status":400' "unknown state"
    assert_contains "$out" 'state must be open, pending, firing, resolved or all' "says which"
    out=$(raw '{"v":1,"op":"alerts","id":"a2","reporter":"viewer","rule":"nope"}')
    assert_contains "$out" "unknown rule 'nope'" "unknown rule"
    out=$(raw '{"v":1,"op":"ack","id":"a3","reporter":"admin","alert":1}')
    assert_contains "$out" '"error":"ack needs note"' "ack without note"
    out=$(raw '{"v":1,"op":"ack","id":"a4","reporter":"admin","alert":-1,"note":"x"}')
    assert_contains "$out" '"error":"alert must be an alert id (an integer), got a negative integer"' "negative id"
    out=$(raw '{"v":1,"op":"ack","id":"a5","reporter":"admin","alert":1,"note":"a\u0001b"}')
    assert_contains "$out" 'note must be UTF-8 text without control characters' "control character in a note"
    out=$(raw '{"v":1,"op":"silence","id":"a6","reporter":"admin","rule":"vve_bereik_wijk_laag","area":"GM0164"}')
    assert_contains "$out" '"error":"silence needs until"' "silence without until"
}

test_rule_errors_name_the_rule_and_field() {
    setup_insecure
    sed -i 's/threshold = 70.0; clear = 75.0; for = 2;/threshold = 70.0; clear = 65.0; for = 2;/' "$T/catalog.conf"
    assert_status 1 "a below rule whose clear level is under its threshold" "$LEAMOND" -c "$T/leamond.conf" --check
    assert_contains "$OUT" "rules.[0].clear" "names the setting"
    assert_contains "$OUT" "clear must be at or above the threshold of a below rule" "says why"
}

test_insecure_publish_must_be_loopback() {
    setup_insecure
    with_settings 'publish = "tcp://0.0.0.0:7999";'
    sed -i '/^publish = "tcp:\/\/127/d' "$T/leamond.conf"
    assert_status 1 "refused" "$LEAMOND" -c "$T/leamond.conf" --check
    assert_contains "$OUT" 'publish = "tcp://0.0.0.0:7999" is not a loopback endpoint' "says why"
}
