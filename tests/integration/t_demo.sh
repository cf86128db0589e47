# t_demo.sh: `make demo` is what a newcomer sees first; it must keep working, and the
# school years it simulates must raise the alerts a policy officer expects, and no others.

test_demo_runs_end_to_end() {
    local rc=0 build=build
    # The demo as a newcomer runs it: the plain build (the sanitizer build doubles its time).
    [ -x "$TOP/build/leamond" ] && [ -x "$TOP/build/leamon" ] || build=$BUILD
    DEMO="$T/demo" BUILD="$build" "$TOP/config/demo.sh" > "$T/demo.out" 2>&1 || rc=$?
    local out db="$T/demo/leamon.db"
    out=$(cat "$T/demo.out")
    assert_eq 0 "$rc" "demo exit code (output: $out)"
    assert_contains "$out" "29 partners sent their history" "two school years, partners with their own keys"
    assert_contains "$out" "stored 5 records for $LAST_MONTH" "CSV, Excel and argument submissions"
    assert_contains "$out" "rejected: 3 errors" "file with mistakes"
    assert_contains "$out" "already stored (request po-driene-" "retry"
    assert_contains "$out" "refused this client's key" "unknown key"
    assert_contains "$out" "leamond exited with 0" "clean stop"
    # Every figure of the month's files is stored: all partners but the one that stopped.
    local sent
    sent=$(cat "$T/demo/figures/$LAST_MONTH"/*.csv | grep -vc '^metric')
    [ "$(sqlite3 "$db" "select count(*) from observation where period = '$LAST_MONTH'")" -ge "$sent" ] ||
        fail "fewer figures stored for $LAST_MONTH than the $sent sent"
    assert_eq 0 "$(sqlite3 "$db" "select count(*) from observation where reporter = 'ko-berflo' and period >= '$(date -d "$LAST_MONTH-15 -2 month" +%Y-%m)'")" \
        "ko-berflo stopped reporting"
    assert_contains "$out" "VVE-bereik: doelgroeppeuters op een VE-plaats (vve_bereik), $LAST_MONTH" "snapshot shown"
    assert_contains "$out" "trend:" "series shown"
    assert_contains "$out" "Completeness of $LAST_MONTH" "completeness shown"
    assert_eq 1 "$(sqlite3 "$db" 'select count(*) from observation_audit')" "one correction audited"
    # The open alerts: Groot Driene slipping below 70%, the location that stopped, and the
    # gemeente behind the path to 85% (judged with 16 of its 17 reporters in).
    assert_eq "opvang_niet_gemeld|WK016405|ko-berflo|firing
vve_bereik_pad|GM0164||firing
vve_bereik_wijk_laag|WK016404||firing" \
        "$(sqlite3 "$db" "select rule, area, subject, state from alert where state != 'resolved' order by rule, area")" \
        "open alerts"
    # Berflo Es without its location is a reporting gap, the late alert's business: its
    # incomplete months are not judged, so no slip fires there.
    assert_eq 0 "$(sqlite3 "$db" "select count(*) from alert where area = 'WK016405' and rule != 'opvang_niet_gemeld' and first_fired is not null")" \
        "no slip alert on Berflo Es's reporting gap"
    # The policy officer's mail: one per alert worth acting on, grouped by rule; nothing of
    # the alerts that came and went while the history was loaded, nothing pending.
    local subjects
    subjects=$(grep -h '^Subject: ' "$T/demo/mail"/*.eml | sort)
    assert_eq "Subject: leamon: 1 signaal: Kinderopvang zonder maandcijfers, ko-berflo
Subject: leamon: 1 signaal: VVE-bereik (pad naar 85% in 2027), Hengelo
Subject: leamon: 1 signaal: VVE-bereik, Groot Driene" "$subjects" "the demo's mails"
    assert_not_contains "$(cat "$T/demo/mail"/*.eml)" "pending" "no pending alert mailed"
    assert_contains "$out" "3 mails for two school years" "the demo shows the mails"
    # Nothing fired on what is fine. (Late alerts did fire when leamond started on an empty
    # database, before the partners' history came in: that was true then.)
    assert_eq 0 "$(sqlite3 "$db" "select count(*) from alert where rule in ('ve_uren_norm', 'thuiszitters_hoog') and first_fired is not null")" \
        "no alert on the VE hours or on thuiszitters"
    assert_contains "$out" "acknowledged alert" "an alert acknowledged"
    # The council report, internal and public, charts inline.
    [ "$(grep -o '<svg' "$T/demo/report.html" | wc -l)" -ge 10 ] || fail "demo/report.html has too few charts"
    grep -q '<svg' "$T/demo/report-public.html" || fail "demo/report-public.html has no charts"
    pgrep -f "$T/demo/leamond.conf" >/dev/null && fail "demo left leamond running"
    return 0
}
