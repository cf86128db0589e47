# t_partner_view.sh: a partner sees what it sent, through a real leamond with CURVE keys:
# `leamon figures` with a correction and a retraction, never another organisation's
# figures; staff with --org; a partner's completeness as one table of metrics by months.

pv_raw() { # id JSON -> reply JSON (lmraw with that id's key)
    "$LMRAW" --timeout 5000 --server-key "$SERVER_KEY" --key "$T/keys/$1.key" "$EP" "$2"
}

# ko-a's month: places and a waiting list, the waiting list corrected, the places in
# Hengelose Es sent by mistake and taken back by the admin; ko-c's own figure beside.
pv_month() {
    as ko-a submit --id pv-1 --period "$LAST_MONTH" vve.plaatsen=40 vve.wachtlijst=3 >/dev/null || fail "ko-a's figures"
    as ko-a submit --id pv-2 --period "$LAST_MONTH" --area WK016401 vve.plaatsen=5 >/dev/null || fail "ko-a's figure for Hengelose Es"
    as ko-c submit --id pv-c --period "$LAST_MONTH" vve.plaatsen=12 >/dev/null || fail "ko-c's figure"
    sleep 1.1 # the correction a second later than the first value
    as ko-a submit --id pv-3 --period "$LAST_MONTH" vve.wachtlijst=2 >/dev/null || fail "ko-a's correction"
    as admin retract --period "$LAST_MONTH" --for ko-a vve.plaatsen@WK016401 >/dev/null || fail "the admin's retraction"
}

test_partner_lists_its_figures_with_a_correction_and_a_retraction() {
    setup_secure
    start_daemon
    pv_month
    assert_status 0 "ko-a: figures" as ko-a figures --period "$LAST_MONTH"
    assert_contains "$OUT" "Figures of ko-a (Kinderopvang A) for $LAST_MONTH, as the daemon holds them" "the heading"
    assert_match "$OUT" "vve\.plaatsen +WK016401 +$LAST_MONTH +– +retracted" "the retracted figure"
    assert_match "$OUT" "  retracted +5 -> – +[0-9-]+ [0-9:]+ +admin \(admin\) +[0-9a-f]+" "retracted by the admin, on ko-a's behalf"
    assert_match "$OUT" "vve\.plaatsen +WK016402 +$LAST_MONTH +40 +[0-9-]+ [0-9:]+ +pv-1" "the places as sent"
    assert_match "$OUT" "vve\.wachtlijst +WK016402 +$LAST_MONTH +2 +[0-9-]+ [0-9:]+ +pv-3" "the corrected waiting list"
    assert_match "$OUT" "  corrected +3 -> 2 +[0-9-]+ [0-9:]+ +ko-a +pv-3" "the correction, by ko-a"
    assert_eq 6 "$(grep -c . <<< "$(sed -n '/^METRIC/,$p' <<< "$OUT")")" "a heading, three figures and two changes"
    # The reply as it came: the same, with the times.
    local r
    r=$(pv_raw ko-a "{\"v\":1,\"op\":\"figures\",\"id\":\"f1\",\"period\":\"$LAST_MONTH\",\"metric\":\"vve.wachtlijst\"}")
    assert_match "$r" '^\{"v":1,"id":"f1","status":200,"organisation":"ko-a","name":"Kinderopvang A","from":"'"$LAST_MONTH"'","to":"'"$LAST_MONTH"'","truncated":false,"figures":\[\{"metric":"vve.wachtlijst","area":"WK016402","period":"'"$LAST_MONTH"'","value":2,"reported_at":[0-9]+,"updated_at":[0-9]+,"submission":"pv-3","changes":\[\{"at":[0-9]+,"change":"corrected","old":3,"new":2,"by":"ko-a","request":"pv-3"\}\]\}\]\}$' "the reply"
    # CSV: a line per figure and per change.
    assert_status 0 "ko-a: figures as CSV" as ko-a figures --from "$TWO_MONTHS_AGO" --to "$LAST_MONTH" --format csv
    assert_eq "organisation,metric,area,period,row,value,old,at,by,request" "$(head -n1 <<< "$OUT")" "the CSV heading"
    assert_contains "$OUT" "ko-a,vve.plaatsen,WK016401,$LAST_MONTH,retracted,,5," "the retraction in CSV"
    assert_contains "$OUT" "ko-a,vve.wachtlijst,WK016402,$LAST_MONTH,corrected,2,3," "the correction in CSV"
    assert_eq 6 "$(wc -l <<< "$OUT")" "heading, three figures, two changes"
    # Nothing yet for a month without figures.
    assert_status 0 "ko-a: an empty month" as ko-a figures --period "$TWO_MONTHS_AGO"
    assert_contains "$OUT" "none stored" "nothing for an empty month"
}

test_partner_cannot_read_another_organisations_figures() {
    setup_secure
    start_daemon
    pv_month
    local r
    # Naming ko-c: refused, in ko-c's own area too.
    r=$(pv_raw ko-a "{\"v\":1,\"op\":\"figures\",\"id\":\"f2\",\"period\":\"$LAST_MONTH\",\"organisation\":\"ko-c\"}")
    assert_eq '{"v":1,"id":"f2","status":403,"error":"a partner reads its own figures, not those of ko-c"}' "$r" "ko-a naming ko-c"
    r=$(pv_raw ko-a "{\"v\":1,\"op\":\"figures\",\"id\":\"f3\",\"period\":\"$LAST_MONTH\",\"organisation\":\"ko-c\",\"area\":\"WK016401\"}")
    assert_contains "$r" '"status":403' "ko-a naming ko-c, in ko-c's area"
    assert_status 1 "ko-a: leamon figures --org ko-c" as ko-a figures --period "$LAST_MONTH" --org ko-c
    assert_contains "$OUT" "a partner reads its own figures, not those of ko-c" "leamon says why"
    # Asking for ko-c's area without a name: its own figures there only (none left).
    r=$(pv_raw ko-a "{\"v\":1,\"op\":\"figures\",\"id\":\"f4\",\"period\":\"$LAST_MONTH\",\"area\":\"WK016401\"}")
    assert_contains "$r" '"organisation":"ko-a"' "ko-a's own"
    assert_not_contains "$r" '"value":12' "not ko-c's figure"
    assert_not_contains "$r" '"pv-c"' "not ko-c's submission"
    # ko-c sees its own, and nothing of ko-a's.
    r=$(pv_raw ko-c "{\"v\":1,\"op\":\"figures\",\"id\":\"f5\",\"period\":\"$LAST_MONTH\"}")
    assert_contains "$r" '"figures":[{"metric":"vve.plaatsen","area":"WK016401","period":"'"$LAST_MONTH"'","value":12,' "ko-c's figure"
    assert_not_contains "$r" '"by":"admin"' "not ko-a's retraction"
    assert_eq 1 "$(grep -o '"metric":' <<< "$r" | wc -l)" "one figure only"
    # The daemon's log says who asked.
    wait_log "figures f2 from ko-a: 403"
}

test_staff_read_a_partners_figures_with_org() {
    setup_secure
    start_daemon
    pv_month
    assert_status 0 "viewer: figures --org ko-a" as viewer figures --period "$LAST_MONTH" --org ko-a
    assert_contains "$OUT" "Figures of ko-a (Kinderopvang A)" "ko-a's figures"
    assert_match "$OUT" "  corrected +3 -> 2 " "with the correction"
    assert_status 1 "viewer: figures without --org" as viewer figures --period "$LAST_MONTH"
    assert_contains "$OUT" "staff name the organisation whose figures to list (organisation)" "staff must name one"
    assert_status 1 "admin: an unknown organisation" as admin figures --period "$LAST_MONTH" --org ko-x
    assert_contains "$OUT" "unknown organisation 'ko-x'" "unknown"
    assert_status 0 "admin: figures as JSON" as admin figures --period "$LAST_MONTH" --org ko-c --format json
    assert_contains "$OUT" '"organisation":"ko-c"' "JSON as it came"
    assert_status 2 "period and from together" as admin figures --period "$LAST_MONTH" --from "$LAST_MONTH" --to "$LAST_MONTH" --org ko-c
    assert_contains "$OUT" "give --period PERIOD, or --from PERIOD and --to PERIOD" "usage"
}

test_partner_completeness_is_one_table_of_metrics_by_months() {
    setup_secure
    start_daemon
    pv_month
    assert_status 0 "ko-a: completeness" as ko-a completeness --period "$LAST_MONTH"
    assert_contains "$OUT" "Completeness of ko-a (Kinderopvang A), $LAST_MONTH;" "the heading"
    assert_match "$OUT" "METRIC +$LAST_MONTH" "a column for the month"
    # Sent today: on time until the tenth, late after.
    assert_match "$OUT" "vve\.plaatsen +(LATE, )?sent $(date +%Y-%m-%d)" "places sent today"
    assert_match "$OUT" "vve\.wachtlijst +(LATE, )?sent $(date +%Y-%m-%d)" "waiting list sent today"
    assert_match "$OUT" "vve\.uitstroom +(due by|MISSING, was due) [0-9]{4}-[0-9]{2}-[0-9]{2}" "a metric not sent"
    assert_eq 7 "$(grep -c '^vve\.' <<< "$OUT")" "the seven metrics of a kinderopvang, one row each"
    assert_not_contains "$OUT" "ORGANISATION" "not the staff's tables"
    assert_match "$OUT" "7 owed: [0-2] sent on time, [0-2] late, [0-5] missing, [0-5] still due" "the totals"
    # This month too: a column each, the current one still due.
    assert_status 0 "ko-a: completeness of a range" as ko-a completeness --period "$(date +%Y)"
    assert_match "$OUT" "METRIC .*$LAST_MONTH +$THIS_MONTH" "a column per month begun"
    assert_match "$OUT" "vve\.plaatsen .*sent [0-9-]+ +due by [0-9-]+" "this month still due"
    # Staff: the same table for one organisation with --org; without, every organisation.
    assert_status 0 "viewer: completeness --org ko-a" as viewer completeness --period "$LAST_MONTH" --org ko-a
    assert_contains "$OUT" "Completeness of ko-a (Kinderopvang A)" "staff's view of ko-a"
    assert_status 0 "viewer: completeness" as viewer completeness --period "$LAST_MONTH" --metric vve.plaatsen
    assert_contains "$OUT" "ORGANISATION" "every organisation, as before"
    assert_status 1 "ko-a: completeness of ko-c" as ko-a completeness --period "$LAST_MONTH" --org ko-c
    assert_contains "$OUT" "a partner reads its own figures, not those of ko-c" "refused"
}
