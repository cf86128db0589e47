# t_demo.sh: `make demo` is what a newcomer sees first; it must keep working.

test_demo_runs_end_to_end() {
    local rc=0
    DEMO="$T/demo" BUILD="$BUILD" "$TOP/config/demo.sh" > "$T/demo.out" 2>&1 || rc=$?
    local out
    out=$(cat "$T/demo.out")
    assert_eq 0 "$rc" "demo exit code (output: $out)"
    assert_contains "$out" "stored 5 records for" "CSV submission"
    assert_contains "$out" "stored 3 records for" "semicolon CSV"
    assert_contains "$out" "rejected: 3 errors" "file with mistakes"
    assert_contains "$out" "already stored (request po-driene-" "retry"
    assert_contains "$out" "refused this client's key" "unknown key"
    assert_contains "$out" "leamond exited with 0" "clean stop"
    assert_eq 30 "$(sqlite3 "$T/demo/leamon.db" "select count(*) from observation where period = '$LAST_MONTH'")" "observations stored for the month"
    assert_contains "$out" "VVE-bereik: doelgroeppeuters op een VE-plaats (vve_bereik), $LAST_MONTH" "snapshot shown"
    assert_contains "$out" "GM0164    Hengelo         67.1 %" "gemeente value: 49 of 73"
    assert_contains "$out" "trend:" "series shown"
    assert_contains "$out" "Completeness of $LAST_MONTH" "completeness shown"
    assert_eq 1 "$(sqlite3 "$T/demo/leamon.db" 'select count(*) from observation_audit')" "one correction audited"
    # The alerts a policy officer expects from the demo's school year, and no others open.
    assert_eq "ve_uren_norm|WK016404|firing
vve_bereik_pad|GM0164|firing" \
        "$(sqlite3 "$T/demo/leamon.db" "select rule, area, state from alert where state != 'resolved' order by rule")" \
        "open alerts: the gemeente off the 85% path, Groot Driene under the 16-hour norm"
    assert_eq "resolved" "$(sqlite3 "$T/demo/leamon.db" "select state from alert where rule = 'vve_bereik_wijk_laag' and area = 'WK016401'")" \
        "Hengelose Es below 70% in August and September, recovered in October"
    assert_contains "$out" "acknowledged alert" "an alert acknowledged"
    pgrep -f "$T/demo/leamond.conf" >/dev/null && fail "demo left leamond running"
    return 0
}
