# t_silences.sh: silences with matchers against a real leamond, through the real client:
# a silence holds a firing alert (leamon alerts says by which), leamon silences lists it,
# leamon unsilence ends it and it stays listed as ended; a new silence never replaces an
# old one; bad input is refused with a clear error while the daemon goes on serving; a
# partner's key may neither list nor make silences.

si_month() { # N -> the month N months ago, YYYY-MM
    date -d "$(date +%Y-%m-15) -$1 month" +%Y-%m
}

# VVE-bereik in wijk Noord (WK016402) for one month: ko-a places $2 of the GGD's 10.
si_noord() { # period placed
    as ggd submit --period "$1" --area WK016402 jgz.doelgroep.geindiceerd=10 >/dev/null ||
        fail "GGD figures for $1"
    as ko-a submit --period "$1" --area WK016402 vve.doelgroep.geplaatst="$2" >/dev/null ||
        fail "ko-a figures for $1"
}

# The vve_bereik_wijk_laag alert of Noord as JSON (asking brings the rules up to date).
si_alert() {
    as admin alerts --state all --rule vve_bereik_wijk_laag --area WK016402 --format json
}

test_silence_holds_an_alert_until_unsilenced() {
    setup_secure
    start_daemon
    # A silence of the rule's critical alerts in the gemeente holds those of its wijken.
    assert_status 0 "silence with matchers" as admin silence --rule vve_bereik_wijk_laag \
        --area GM0164 --severity critical --until 1d --note "verbouwing IKC"
    assert_contains "$OUT" "silence #1 of rule=vve_bereik_wijk_laag area=GM0164 severity=critical" \
        "the new silence and its matchers"
    assert_contains "$OUT" "by admin: verbouwing IKC" "who and why"
    # One of a severity the alert does not have holds nothing.
    assert_status 0 "a warning-only silence" as admin silence --indicator vve_bereik \
        --severity warning --until 2d
    assert_status 0 "silences, as a viewer" as viewer silences
    assert_contains "$OUT" "active" "listed in force"
    assert_contains "$OUT" "rule=vve_bereik_wijk_laag area=GM0164 severity=critical" "matchers"
    assert_contains "$OUT" "verbouwing IKC" "note"

    si_noord "$(si_month 3)" 6
    si_noord "$(si_month 2)" 6
    local out
    out=$(si_alert)
    assert_contains "$out" '"state":"firing"' "evaluated and stored while silenced"
    assert_contains "$out" '"silence_id":1' "held by silence 1, not by the warning one"
    wait_log "vve_bereik_wijk_laag.*(silenced)\|(silenced).*Noord"
    assert_status 0 "alerts" as viewer alerts --rule vve_bereik_wijk_laag
    assert_match "$OUT" "silenced by #1 until [0-9-]+ [0-9:]+ \(verbouwing IKC\)" \
        "the alert names the silence holding it"
    assert_contains "$OUT" "silences not yet ended" "and lists the silences"

    # Ended early: kept, with who ended it; a second time changes nothing.
    assert_status 0 "unsilence" as admin unsilence 1
    assert_contains "$OUT" "ended 1 silence of rule=vve_bereik_wijk_laag" "ended"
    assert_status 0 "unsilence again" as admin unsilence 1
    assert_contains "$OUT" "silence #1 (rule=vve_bereik_wijk_laag area=GM0164 severity=critical) had already ended" \
        "idempotent, and says so"
    assert_status 0 "silences" as viewer silences
    assert_match "$OUT" "1 +expired +rule=vve_bereik_wijk_laag" "listed as ended"
    assert_contains "$OUT" "admin, ended by admin" "by whom"
    assert_status 0 "silences as csv" as viewer silences --format csv
    assert_contains "$OUT" "id,state,rule,indicator,area,organisation,severity,starts,until,by,note,created,expired_by" \
        "csv header"
    assert_contains "$OUT" "1,expired,vve_bereik_wijk_laag,,GM0164,,critical," "csv row"
    out=$(si_alert)
    assert_contains "$out" '"silenced_until":null,"silence_id":null' "no longer held"
    assert_eq "2|admin|1" "$(sql "select count(*), max(expired_by), sum(expired_by = '') from silence")" \
        "both rows kept, one ended by admin"
    stop_daemon
    assert_eq 0 "$DAEMON_RC" "leamond stopped cleanly"
}

test_silence_of_before_makes_rows_and_lifts_them() {
    setup_insecure
    start_daemon
    # The form of before: RULE and --area. Twice: two silences, none replaced.
    assert_status 0 "silence RULE --area" as admin silence vve_bereik_daling --area WK016402 \
        --until 7d --note "eerste"
    assert_status 0 "again" as admin silence vve_bereik_daling --area WK016402 --until 8d
    assert_contains "$OUT" "silence #2" "a second row"
    assert_status 0 "one that starts later" as admin silence --org ko-a --starts 2d --until 9d
    assert_status 0 "silences" as viewer silences --format json
    assert_contains "$OUT" '"state":"pending"' "starts later"
    assert_eq "3" "$(sql "select count(*) from silence where expired_by = ''")" "three in force or to come"
    # An until that has passed ends those of exactly these matchers, not the org's.
    assert_status 0 "--until now" as admin silence vve_bereik_daling --area WK016402 --until now
    assert_contains "$OUT" "ended 2 silences of rule=vve_bereik_daling area=WK016402" "lifted"
    assert_eq "1:admin 2:admin 3:" \
        "$(sql "select group_concat(id || ':' || expired_by, ' ') from (select * from silence order by id)")" \
        "the org's silence stays"
    stop_daemon
    assert_eq 0 "$DAEMON_RC" "leamond stopped cleanly"
}

test_silence_bad_input_is_refused_clearly() {
    setup_secure
    start_daemon
    assert_status 2 "no matcher" as admin silence --until 1d
    assert_contains "$OUT" "silence needs a matcher" "said before sending"
    assert_status 1 "unknown rule" as admin silence --rule no_such_rule --until 1d
    assert_contains "$OUT" "unknown rule 'no_such_rule'" "names the field"
    assert_status 1 "unknown indicator" as admin silence --indicator no_such_ind --until 1d
    assert_contains "$OUT" "unknown indicator 'no_such_ind'" "names the field"
    assert_status 1 "unknown area" as admin silence --area WK999999 --until 1d
    assert_contains "$OUT" "unknown area 'WK999999'" "names the field"
    assert_status 1 "unknown organisation" as admin silence --org ko-z --until 1d
    assert_contains "$OUT" "unknown organisation 'ko-z'" "names the field"
    assert_status 1 "bad severity" as admin silence --severity hoog --until 1d
    assert_contains "$OUT" "severity must be warning or critical" "names the field"
    assert_status 1 "matchers that exclude each other" as admin silence --rule opvang_niet_gemeld \
        --indicator vve_bereik --until 1d
    assert_contains "$OUT" "rule opvang_niet_gemeld does not watch indicator vve_bereik" "says why"
    assert_status 1 "until in the past, nothing to end" as admin silence --rule vve_bereik_daling \
        --area WK016402 --until now
    assert_contains "$OUT" "until is in the past" "a new silence must end in the future"
    assert_status 1 "more than a year ahead" as admin silence --rule vve_bereik_daling --until 400d
    assert_contains "$OUT" "more than a year ahead" "bounded"
    assert_status 1 "starts after until" as admin silence --rule vve_bereik_daling --until 1d \
        --starts 2d
    assert_contains "$OUT" "starts must be before until" "ordered"
    assert_status 1 "unknown id" as admin unsilence 999
    assert_contains "$OUT" "no silence 999" "names the id"
    assert_status 1 "a viewer may not end one" as viewer unsilence 1
    assert_contains "$OUT" "ending a silence needs the admin role" "403"
    assert_status 1 "a viewer may not make one" as viewer silence --org ko-a --until 1d
    # A partner's key: neither listing nor making silences.
    assert_status 1 "partner: silences" as ko-a silences
    assert_contains "$OUT" "silences are for municipal staff" "403"
    assert_status 1 "partner: silence" as ko-a silence --org ko-a --until 1d
    assert_contains "$OUT" "silencing alerts needs the admin role" "403"
    assert_eq 0 "$(sql "select count(*) from silence")" "nothing stored"
    # The daemon goes on serving.
    assert_status 0 "ping" as viewer ping
    assert_status 0 "silences" as viewer silences
    assert_contains "$OUT" "no silences" "empty list"
    stop_daemon
    assert_eq 0 "$DAEMON_RC" "leamond stopped cleanly"
}
