# t_trust.sh: figures staff can trust, through a real leamond: a running month is open and
# judged by nobody, a half-reported month is provisional, a month is not held against a
# school-year goal, impossible figures are refused or flagged, a figure for the wrong wijk
# can be taken back, and a closed period refuses new figures (docs/indicators.md, "Period
# states"; PROTOCOL.md §5.2, §5.5, §5.13, §5.14).

trust_month() { # N months ago -> YYYY-MM
    date -d "$(date +%Y-%m-15) -$1 month" +%Y-%m
}

tq() { # JSON request -> reply JSON
    "$LMRAW" --timeout 5000 "$EP" "$1"
}

# Noord (WK016402) for one month: the GGD indicates $2 toddlers, ko-a places $3 of them.
trust_noord() { # period indicated placed
    as ggd submit --period "$1" --area WK016402 jgz.doelgroep.geindiceerd="$2" >/dev/null ||
        fail "GGD figures for $1"
    as ko-a submit --period "$1" --area WK016402 vve.doelgroep.geplaatst="$3" >/dev/null ||
        fail "ko-a figures for $1"
}

snap() { # indicator period area -> reply JSON
    tq "{\"v\":1,\"op\":\"snapshot\",\"id\":\"s\",\"reporter\":\"admin\",\"indicator\":\"$1\",\"period\":\"$2\",\"area\":\"$3\"}"
}

test_trust_running_month_is_open_and_judged_by_nobody() {
    setup_insecure
    start_daemon
    # Half the month's figures are in: the GGD, and a location placing 2 of its 10.
    trust_noord "$THIS_MONTH" 10 2
    local r
    r=$(snap vve_bereik "$THIS_MONTH" WK016402)
    assert_contains "$r" '"value":20,' "the value is shown"
    assert_contains "$r" '"state":"open"' "but the month is open"
    assert_contains "$r" "\"verdict\":{\"verdict\":\"not_judged\",\"reason\":\"$THIS_MONTH has not ended yet\"" \
        "and not judged against the target"
    local rule
    for rule in vve_bereik_wijk_laag vve_bereik_daling vve_bereik_onmogelijk; do
        r=$(as admin alerts --state all --rule "$rule" --format json)
        assert_not_contains "$r" "\"last_period\":\"$THIS_MONTH\"" "no $rule alert on a running month"
    done
}

test_trust_incomplete_month_before_its_deadline_is_provisional() {
    setup_insecure
    with_settings 'grace_days = 366;'
    start_daemon
    # ko-a is based in Noord and reports nothing: 1 of the 2 expected reporters is in.
    as ggd submit --period "$(trust_month 3)" --area WK016402 jgz.doelgroep.geindiceerd=10 >/dev/null
    local r
    r=$(snap vve_bereik "$(trust_month 3)" WK016402)
    assert_contains "$r" '"expected":2,"reported":1,"state":"provisional"' "provisional"
    assert_contains "$r" '"verdict":"not_judged","reason":"provisional: 1 of 2 reporters in' \
        "not judged while provisional"
    # With everyone in, the month is final before its deadline.
    as ko-a submit --period "$(trust_month 3)" --area WK016402 vve.doelgroep.geplaatst=9 >/dev/null
    r=$(snap vve_bereik "$(trust_month 3)" WK016402)
    assert_contains "$r" '"expected":2,"reported":2,"state":"final"' "final once all are in"
    assert_contains "$r" '"verdict":{"verdict":"on_path"' "and judged: 90% is on the path"
}

test_trust_month_is_not_judged_against_a_school_year_goal() {
    setup_insecure
    sed -i '/id = "ggd"/i \  { id = "vo-a"; name = "VO-school A"; kind = "school_vo"; area = "GM0164"; },' \
        "$T/partners.conf"
    start_daemon
    as vo-a submit --period "$(trust_month 3)" school.leerlingen=1000 school.vsv=1 >/dev/null ||
        fail "vo-a's figures"
    local r
    r=$(snap vsv_pct "$(trust_month 3)" GM0164)
    assert_contains "$r" '"value":0.1,' "0.1% in one month"
    assert_contains "$r" '"goal_period":"2026/27"' "the target is per school year"
    assert_contains "$r" "\"verdict\":{\"verdict\":\"not_judged\",\"reason\":\"the target is set per school year; $(trust_month 3) is a month\"" \
        "a month is not held against it: no 'reached'"
}

test_trust_impossible_submission_is_refused_naming_both_records() {
    setup_insecure
    start_daemon
    local r
    r=$(tq "{\"v\":1,\"op\":\"submit\",\"id\":\"x\",\"reporter\":\"ko-a\",\"records\":[{\"metric\":\"vve.peuters.geplaatst\",\"period\":\"$LAST_MONTH\",\"value\":10},{\"metric\":\"vve.doelgroep.geplaatst\",\"period\":\"$LAST_MONTH\",\"value\":50}]}")
    assert_contains "$r" '"status":422' "refused"
    assert_contains "$r" "{\"index\":1,\"field\":\"value\",\"code\":\"implausible\",\"message\":\"vve.doelgroep.geplaatst 50 is more than vve.peuters.geplaatst 10 in record 0 (WK016402, $LAST_MONTH)" \
        "the error names both records"
    assert_eq 0 "$(sql "select count(*) from observation")" "nothing stored"
}

test_trust_impossible_share_is_flagged_and_raised() {
    setup_insecure
    start_daemon
    # 11 placed of 10 indicated: 110%, a figure booked in the wrong wijk.
    trust_noord "$(trust_month 3)" 10 11
    local r
    r=$(snap vve_bereik "$(trust_month 3)" WK016402)
    assert_contains "$r" '"value":110,' "stored and shown"
    assert_contains "$r" '"plausible":false' "flagged"
    assert_contains "$r" '"verdict":"not_judged","reason":"the value for' "never a verdict"
    r=$(as admin alerts --format json --rule vve_bereik_onmogelijk)
    assert_contains "$r" '"state":"firing"' "a data-quality alert"
    assert_contains "$r" 'reported by ggd, ko-a' "naming the reporters to ask"
    # Nor does 110% count as good news for the other rules.
    assert_not_contains "$(as admin alerts --format json --state all --rule vve_bereik_wijk_laag)" \
        '"state"' "the low-reach rule does not judge it"
}

test_trust_figure_for_the_wrong_wijk_is_retracted() {
    setup_insecure
    start_daemon
    trust_noord "$(trust_month 3)" 10 8
    # ko-c (based in Hengelose Es) books 2 toddlers in Noord by mistake.
    as ko-c submit --period "$(trust_month 3)" --area WK016402 vve.doelgroep.geplaatst=2 >/dev/null
    local r
    r=$(snap vve_bereik "$(trust_month 3)" WK016402)
    assert_contains "$r" '"value":100,"numerator":10,"denominator":10,"reason":"","expected":3,"reported":3' \
        "ko-c counted in Noord"
    assert_status 0 "ko-c retracts its figure" as ko-c retract --period "$(trust_month 3)" \
        vve.doelgroep.geplaatst@WK016402
    r=$(snap vve_bereik "$(trust_month 3)" WK016402)
    assert_contains "$r" '"value":80,"numerator":8,"denominator":10,"reason":"","expected":2,"reported":2' \
        "as if it had never been sent: 2 of 2"
    assert_eq "ko-c|vve.doelgroep.geplaatst|WK016402|2|ko-c" \
        "$(sql "select reporter, metric, area, cast(old_value as integer), by from retraction")" \
        "audited"
    # The same request again is answered the same; a figure that is not there is 404.
    r=$(tq "{\"v\":1,\"op\":\"retract\",\"id\":\"r1\",\"reporter\":\"ko-a\",\"metric\":\"vve.doelgroep.geplaatst\",\"period\":\"$(trust_month 3)\"}")
    assert_contains "$r" '"status":200' "ko-a retracts its own"
    assert_contains "$r" '"value":8,"duplicate":false' "the value it had"
    r=$(tq "{\"v\":1,\"op\":\"retract\",\"id\":\"r1\",\"reporter\":\"ko-a\",\"metric\":\"vve.doelgroep.geplaatst\",\"period\":\"$(trust_month 3)\"}")
    assert_contains "$r" '"duplicate":true' "a retry is a duplicate"
    r=$(tq "{\"v\":1,\"op\":\"retract\",\"id\":\"r2\",\"reporter\":\"ko-a\",\"metric\":\"vve.doelgroep.geplaatst\",\"period\":\"$(trust_month 3)\"}")
    assert_contains "$r" '"status":404' "gone"
    # An admin retracts on a partner's behalf; a viewer may not.
    r=$(tq "{\"v\":1,\"op\":\"retract\",\"id\":\"r3\",\"reporter\":\"admin\",\"organisation\":\"ggd\",\"metric\":\"jgz.doelgroep.geindiceerd\",\"area\":\"WK016402\",\"period\":\"$(trust_month 3)\"}")
    assert_contains "$r" '"organisation":"ggd"' "the admin retracted the GGD's figure"
    r=$(tq "{\"v\":1,\"op\":\"retract\",\"id\":\"r4\",\"reporter\":\"viewer\",\"organisation\":\"ggd\",\"metric\":\"jgz.doelgroep.geindiceerd\",\"period\":\"$(trust_month 3)\"}")
    assert_contains "$r" '"status":403' "a viewer may not"
}

test_trust_closed_period_refuses_figures_until_reopened() {
    setup_insecure
    start_daemon
    local m r
    m=$(trust_month 3)
    trust_noord "$m" 10 8
    assert_status 0 "an admin closes the month" as admin close "$m"
    r=$(snap vve_bereik "$m" WK016402)
    assert_contains "$r" '"state":"closed"' "the month is closed"
    assert_status 1 "a figure for a closed month is refused" \
        as ko-a submit --period "$m" --area WK016402 vve.doelgroep.geplaatst=9
    assert_contains "$OUT" "is closed" "the refusal says why"
    assert_status 2 "reopening needs a reason" as admin reopen "$m"
    r=$(tq "{\"v\":1,\"op\":\"reopen\",\"id\":\"o\",\"reporter\":\"admin\",\"period\":\"$m\"}")
    assert_contains "$r" '"error":"reopen needs note"' "so does the daemon"
    assert_status 0 "an admin reopens it" as admin reopen "$m" --note "correctie GGD"
    assert_status 0 "the figure goes in" \
        as ko-a submit --period "$m" --area WK016402 vve.doelgroep.geplaatst=9
    assert_eq "1|admin|
0|admin|correctie GGD" "$(sql "select closed, by, note from closure order by id")" "audited"
    assert_status 1 "a viewer may not close" as viewer close "$m"
}

test_trust_outlier_is_stored_with_a_warning() {
    setup_insecure
    start_daemon
    local n
    for n in 6 5 4; do
        as ko-a submit --period "$(trust_month $n)" vve.plaatsen=40 >/dev/null || fail "history"
    done
    # "1.000" in a Dutch export, read as 1.
    local r
    r=$(tq "{\"v\":1,\"op\":\"submit\",\"id\":\"o\",\"reporter\":\"ko-a\",\"records\":[{\"metric\":\"vve.plaatsen\",\"period\":\"$(trust_month 3)\",\"value\":1}]}")
    assert_contains "$r" '"status":200' "stored"
    assert_contains "$r" '"warnings":[{"index":0,"field":"value","code":"outlier"' "with a warning"
    assert_contains "$r" "the median of its last 3 months is 40" "that says what is usual"
    # leamon says so against the line, and the figure is stored: exit 0.
    printf 'metric,area,value\nvve.plaatsen,WK016402,2\n' > "$T/plaatsen.csv"
    assert_status 0 "stored with a warning" as ko-a submit --period "$(trust_month 2)" "$T/plaatsen.csv"
    assert_contains "$OUT" "plaatsen.csv:2: warning: value: 2 for vve.plaatsen" "the warning names the line"
    assert_contains "$OUT" "stored 1 record" "and it is stored"
}

test_trust_location_reports_for_its_own_wijk_by_default() {
    setup_insecure
    start_daemon
    local r
    # ko-b is based in Centrum (WK015301) and has no reports_for.
    r=$(tq "{\"v\":1,\"op\":\"submit\",\"id\":\"a\",\"reporter\":\"ko-b\",\"records\":[{\"metric\":\"vve.plaatsen\",\"area\":\"GM0153\",\"period\":\"$LAST_MONTH\",\"value\":3}]}")
    assert_contains "$r" '"code":"area_not_allowed","message":"ko-b may not report for area GM0153; it reports for WK015301 and the areas below"' \
        "not even for its gemeente"
    r=$(tq "{\"v\":1,\"op\":\"submit\",\"id\":\"b\",\"reporter\":\"ko-b\",\"records\":[{\"metric\":\"vve.plaatsen\",\"period\":\"$LAST_MONTH\",\"value\":3}]}")
    assert_contains "$r" '"status":200' "its own wijk"
}

test_trust_stock_figure_is_carried_into_a_missed_month() {
    setup_insecure
    # Placed toddlers are a stock: a location's last figure stands for one month it missed.
    sed -i 's/code = "vve.doelgroep.geplaatst";.*/&  carry = 1;/' "$T/catalog.conf"
    grep -q 'carry = 1;' "$T/catalog.conf" || fail "the metric was not changed"
    start_daemon
    local r m3 m4
    m3=$(trust_month 3)
    m4=$(trust_month 4)
    trust_noord "$m4" 10 8
    as ggd submit --period "$m3" --area WK016402 jgz.doelgroep.geindiceerd=10 >/dev/null
    r=$(snap vve_bereik "$m3" WK016402)
    assert_contains "$r" '"value":80,"numerator":8,"denominator":10,"reason":"","expected":2,"reported":1,"state":"final","plausible":true,"carried":1' \
        "ko-a's $m4 figure carried into $m3, and said so"
    # Two months on, nothing is carried.
    as ggd submit --period "$(trust_month 2)" --area WK016402 jgz.doelgroep.geindiceerd=10 >/dev/null
    r=$(snap vve_bereik "$(trust_month 2)" WK016402)
    assert_contains "$r" '"value":null' "no figure two months on"
    # ko-a's own figure for the month replaces the carried one.
    as ko-a submit --period "$m3" --area WK016402 vve.doelgroep.geplaatst=6 >/dev/null
    r=$(snap vve_bereik "$m3" WK016402)
    assert_contains "$r" '"value":60,' "its own figure"
    assert_contains "$r" '"carried":0' "nothing carried"
}
