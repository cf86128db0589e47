# t_query.sh: indicator snapshots, series and completeness, computed by a real leamond from
# figures submitted over real sockets, checked against hand computation.

q() { # JSON request -> reply JSON
    "$LMRAW" --timeout 5000 "$EP" "$1"
}

put() { # reporter period area metric=value...
    local who=$1 period=$2 area=$3
    shift 3
    "$LEAMON" "${LM_ARGS[@]}" --reporter "$who" submit --period "$period" --area "$area" "$@" >/dev/null ||
        fail "submit as $who: $*"
}

# vve_bereik in Hengelo: WK016402 9 of 10 placed, WK016401 30 of 60.
vve_month() { # period
    put ko-a "$1" WK016402 vve.doelgroep.geplaatst=9
    put ko-c "$1" WK016401 vve.doelgroep.geplaatst=30
    put ggd "$1" WK016402 jgz.doelgroep.geindiceerd=10
    put ggd "$1" WK016401 jgz.doelgroep.geindiceerd=60
}

test_snapshot_ratio_is_sum_over_sum() {
    setup_insecure
    start_daemon
    vve_month "$LAST_MONTH"
    local r
    r=$(q "{\"v\":1,\"op\":\"snapshot\",\"id\":\"s\",\"indicator\":\"vve_bereik\",\"period\":\"$LAST_MONTH\",\"area\":\"GM0164\",\"by\":\"area\"}")
    # (9 + 30) / (10 + 60) = 55.714 %, not the mean of 90 % and 50 %.
    assert_contains "$r" '"snapshot":{"area":"GM0164","name":"Hengelo","value":55.714285714' "gemeente value"
    assert_contains "$r" '"numerator":39,"denominator":70' "gemeente parts"
    assert_contains "$r" '"expected":3,"reported":3' "ko-a, ko-c and the GGD expected and reported"
    assert_contains "$r" '{"area":"WK016402","name":"Noord","value":90,' "wijk Noord"
    assert_contains "$r" '{"area":"WK016401","name":"Hengelose Es","value":50,' "wijk Hengelose Es"
    assert_contains "$r" '{"area":"WK016404","name":"Groot Driene","value":null,' "a wijk without figures"
    assert_contains "$r" '"goal":85' "target goal"
    assert_contains "$r" '"path":' "target path"
    # The quarter and school year holding the month give the same stock figures.
    r=$(q "{\"v\":1,\"op\":\"snapshot\",\"id\":\"s\",\"indicator\":\"vve_bereik\",\"period\":\"$(date -d "$LAST_MONTH-15" +%Y)\"}")
    assert_contains "$r" '"numerator":39,"denominator":70' "calendar year"
    r=$(q "{\"v\":1,\"op\":\"snapshot\",\"id\":\"s\",\"indicator\":\"vve_bereik\",\"period\":\"$LAST_MONTH\",\"by\":\"reporter\"}")
    assert_contains "$r" '{"reporter":"ggd","name":"GGD Twente","kind":"ggd","numerator":null,"denominator":70,"value":null}' "GGD's part"
    assert_contains "$r" '{"reporter":"ko-c","name":"Kinderopvang C","kind":"kinderopvang","numerator":30,"denominator":null,"value":null}' "ko-c's part"
    # A new version for every change a reader could have seen: submissions that come within
    # leamond's quiet time (50 ms) share one refresh, a query refreshes first. However the
    # four submissions fell, the versions count up from 1 and the last holds all four.
    local versions
    versions=$(sql "select version, value, denominator, numerator from snapshot where indicator='vve_bereik' and period='$LAST_MONTH' and area='GM0164' order by version" | tr '\n' ' ' | sed 's/ $//')
    assert_match "$versions" '^1\|' "the first version: $versions"
    assert_match "${versions##* }" '^[1-4]\|55\.7142857142857\|70\.0\|39\.0$' "the last version: $versions"
    local n
    n=$(sql "select count(*) = max(version) from snapshot where indicator='vve_bereik' and period='$LAST_MONTH' and area='GM0164'")
    assert_eq 1 "$n" "versions without gaps"
}

test_correction_makes_a_new_version_and_as_of_answers_the_old() {
    setup_insecure
    start_daemon
    vve_month "$LAST_MONTH"
    local before r
    # The first figures' version must be stored before 'before': leamond stores it after a
    # quiet time, or when a query reads it (as this one does).
    q "{\"v\":1,\"op\":\"snapshot\",\"id\":\"s\",\"indicator\":\"vve_bereik\",\"period\":\"$LAST_MONTH\"}" >/dev/null
    before=$(date +%s)
    sleep 1.1
    put ko-a "$LAST_MONTH" WK016402 vve.doelgroep.geplaatst=8
    r=$(q "{\"v\":1,\"op\":\"snapshot\",\"id\":\"s\",\"indicator\":\"vve_bereik\",\"period\":\"$LAST_MONTH\"}")
    assert_contains "$r" '"numerator":38,"denominator":70' "after the correction: 38/70"
    assert_contains "$r" '"value":54.285714' "54.29 %"
    r=$(q "{\"v\":1,\"op\":\"snapshot\",\"id\":\"s\",\"indicator\":\"vve_bereik\",\"period\":\"$LAST_MONTH\",\"as_of\":$before}")
    assert_contains "$r" '"numerator":39,"denominator":70' "as_of before the correction: 39/70"
    assert_contains "$r" "\"as_of\":$before" "as_of echoed"
}

test_quarter_rolls_up_months_by_metric_rule() {
    setup_insecure
    start_daemon
    # A quarter long enough ago: its first and second months reported, the third missing.
    local q1 m1 m2 m3 r
    q1=$(date -d "$(date +%Y)-01-15 -1 year" +%Y)-Q1
    m1=$(date -d "$(date +%Y)-01-15 -1 year" +%Y)-01
    m2=$(date -d "$(date +%Y)-01-15 -1 year" +%Y)-02
    m3=$(date -d "$(date +%Y)-01-15 -1 year" +%Y)-03
    put ko-a "$m1" WK016402 vve.wachtlijst=5 vve.uitstroom=2 vve.uren.per_week=16
    put ko-a "$m2" WK016402 vve.wachtlijst=3 vve.uitstroom=4 vve.uren.per_week=12
    put ko-c "$m1" WK016401 vve.wachtlijst=1 vve.uren.per_week=10
    # wachtlijst is a stock (last): 3 (ko-a, its latest month) + 1 (ko-c) = 4.
    r=$(q "{\"v\":1,\"op\":\"snapshot\",\"id\":\"s\",\"indicator\":\"vve_wachtlijst\",\"period\":\"$q1\"}")
    assert_contains "$r" '"value":4,' "last rule over the quarter"
    # uren is a mean over locations of each location's monthly average: (14 + 10) / 2 = 12.
    r=$(q "{\"v\":1,\"op\":\"snapshot\",\"id\":\"s\",\"indicator\":\"vve_uren\",\"period\":\"$q1\"}")
    assert_contains "$r" '"value":12,"numerator":24,"denominator":2' "avg rule, then mean over locations"
    r=$(q "{\"v\":1,\"op\":\"series\",\"id\":\"s\",\"indicator\":\"vve_wachtlijst\",\"from\":\"$m1\",\"to\":\"$m3\"}")
    assert_contains "$r" "{\"period\":\"$m1\",\"value\":6," "first month: 5 + 1"
    assert_contains "$r" "{\"period\":\"$m2\",\"value\":3," "second month: ko-a only"
    assert_contains "$r" "{\"period\":\"$m3\",\"value\":null," "third month: no figures, marked"
    r=$(q "{\"v\":1,\"op\":\"series\",\"id\":\"s\",\"indicator\":\"vve_uren\",\"from\":\"$m1\",\"to\":\"$m2\"}")
    assert_contains "$r" '"path":16,' "the 16-hour norm as the path"
}

test_zero_or_missing_denominator_has_no_value() {
    setup_insecure
    start_daemon
    put ko-c "$LAST_MONTH" WK016401 vve.doelgroep.geplaatst=3
    local r
    r=$(q "{\"v\":1,\"op\":\"snapshot\",\"id\":\"s\",\"indicator\":\"vve_bereik\",\"period\":\"$LAST_MONTH\",\"area\":\"WK016401\"}")
    assert_contains "$r" '"value":null' "no denominator: no value"
    assert_contains "$r" '"reason":"no figures for the denominator (jgz.doelgroep.geindiceerd)"' "says why"
    put ggd "$LAST_MONTH" WK016401 jgz.doelgroep.geindiceerd=0
    r=$(q "{\"v\":1,\"op\":\"snapshot\",\"id\":\"s\",\"indicator\":\"vve_bereik\",\"period\":\"$LAST_MONTH\",\"area\":\"WK016401\"}")
    assert_contains "$r" '"value":null' "zero denominator: no value"
    assert_contains "$r" '"reason":"the denominator (jgz.doelgroep.geindiceerd) is 0"' "says why"
}

test_completeness_on_time_late_missing_open() {
    setup_insecure
    start_daemon
    put ko-a "$THIS_MONTH" WK016402 vve.wachtlijst=2
    put ko-a "$TWO_MONTHS_AGO" WK016402 vve.wachtlijst=2
    local r
    r=$(q "{\"v\":1,\"op\":\"completeness\",\"id\":\"c\",\"period\":\"$THIS_MONTH\",\"metric\":\"vve.wachtlijst\"}")
    assert_contains "$r" '"expected":3,"on_time":1,"late":0,"missing":0,"open":2' "this month: one in, two still open"
    assert_contains "$r" '{"id":"ko-a","name":"Kinderopvang A","kind":"kinderopvang","status":"on_time"' "ko-a on time"
    r=$(q "{\"v\":1,\"op\":\"completeness\",\"id\":\"c\",\"period\":\"$TWO_MONTHS_AGO\",\"metric\":\"vve.wachtlijst\"}")
    assert_contains "$r" '"expected":3,"on_time":0,"late":1,"missing":2,"open":0' "two months ago: past the deadline"
    assert_contains "$r" "\"id\":\"ko-a\",\"name\":\"Kinderopvang A\",\"kind\":\"kinderopvang\",\"status\":\"late\",\"months_due\":1,\"months_reported\":1,\"late_months\":[\"$TWO_MONTHS_AGO\"]" "ko-a late"
    assert_contains "$r" "\"id\":\"ko-c\",\"name\":\"Kinderopvang C\",\"kind\":\"kinderopvang\",\"status\":\"missing\",\"months_due\":1,\"months_reported\":0,\"late_months\":[],\"missing_months\":[\"$TWO_MONTHS_AGO\"]" "ko-c missing"
    r=$(q "{\"v\":1,\"op\":\"completeness\",\"id\":\"c\",\"period\":\"$NEXT_MONTH\"}")
    assert_contains "$r" '"status":400' "a month not begun"
}

test_partner_reads_only_its_own_completeness() {
    setup_insecure
    start_daemon
    put ko-a "$LAST_MONTH" WK016402 vve.wachtlijst=2
    local r
    r=$(q "{\"v\":1,\"op\":\"snapshot\",\"id\":\"s\",\"reporter\":\"ko-a\",\"indicator\":\"vve_bereik\",\"period\":\"$LAST_MONTH\"}")
    assert_contains "$r" '"status":403' "no snapshots for partners"
    r=$(q "{\"v\":1,\"op\":\"series\",\"id\":\"s\",\"reporter\":\"ko-a\",\"indicator\":\"vve_bereik\",\"from\":\"$LAST_MONTH\",\"to\":\"$LAST_MONTH\"}")
    assert_contains "$r" '"status":403' "no series for partners"
    r=$(q "{\"v\":1,\"op\":\"completeness\",\"id\":\"c\",\"reporter\":\"ko-a\",\"period\":\"$LAST_MONTH\"}")
    assert_contains "$r" '"id":"ko-a"' "its own rows"
    assert_not_contains "$r" '"id":"ko-c"' "not another partner's"
    assert_not_contains "$r" '"metric":"school.leerlingen"' "only metrics of its kind"
    r=$(q "{\"v\":1,\"op\":\"completeness\",\"id\":\"c\",\"reporter\":\"viewer\",\"period\":\"$LAST_MONTH\",\"metric\":\"vve.wachtlijst\"}")
    assert_contains "$r" '"id":"ko-c"' "staff see everyone"
}

test_snapshots_survive_restart_and_catalog_change() {
    setup_insecure
    start_daemon
    vve_month "$LAST_MONTH"
    stop_daemon
    # A changed catalogue (another factor) is noticed at start: every snapshot recomputed.
    sed -i '0,/factor = 100.0;/s//factor = 1000.0;/' "$T/catalog.conf"
    start_daemon
    wait_log 'recomputing every snapshot'
    local r
    r=$(q "{\"v\":1,\"op\":\"snapshot\",\"id\":\"s\",\"indicator\":\"vve_bereik\",\"period\":\"$LAST_MONTH\"}")
    assert_contains "$r" '"value":557.14285714' "recomputed with the new factor"
}

test_query_errors() {
    setup_insecure
    start_daemon
    local r
    r=$(q '{"v":1,"op":"snapshot","id":"s","indicator":"nope","period":"2026-10"}')
    assert_contains "$r" '"status":404' "unknown indicator"
    r=$(q '{"v":1,"op":"snapshot","id":"s","indicator":"vve_bereik","period":"2026-13"}')
    assert_contains "$r" '"status":400' "bad period"
    r=$(q '{"v":1,"op":"snapshot","id":"s","indicator":"vve_bereik","period":"2026-10","area":"XX"}')
    assert_contains "$r" '"status":404' "unknown area"
    r=$(q '{"v":1,"op":"series","id":"s","indicator":"vve_bereik","from":"2026-01","to":"2026-Q4"}')
    assert_contains "$r" 'from and to must be periods of one kind' "mixed kinds"
    r=$(q '{"v":1,"op":"series","id":"s","indicator":"vve_bereik","from":"2000-01","to":"2026-10"}')
    assert_contains "$r" 'at most 120 periods' "too long"
    r=$(q '{"v":1,"op":"snapshot","id":"s","indicator":"vve_bereik"}')
    assert_contains "$r" 'snapshot needs period' "missing field"
}

# The words of `leamon snapshot` and `series` for the daemon's verdict.
verdict_words() { # on_path ... -> what the CLI says
    case $1 in
        on_path) echo "on the path" ;;
        off_path) echo "off the path" ;;
        reached) echo "reached" ;;
        not_reached) echo "not reached" ;;
        *) echo "not judged" ;;
    esac
}

# What leamon prints comes from the daemon: a month that has not ended is marked open and
# judged by no one; a month that has ended carries the daemon's own verdict, in the
# snapshot and in every point of a series, the same as --format json says.
test_cli_shows_the_daemons_state_and_verdict() {
    setup_insecure
    start_daemon
    vve_month "$TWO_MONTHS_AGO"
    vve_month "$LAST_MONTH"
    put ko-a "$THIS_MONTH" WK016402 vve.doelgroep.geplaatst=9
    put ggd "$THIS_MONTH" WK016402 jgz.doelgroep.geindiceerd=10
    put ggd "$THIS_MONTH" WK016401 jgz.doelgroep.geindiceerd=60

    # (a) the running month: open, marked, not judged
    local json text
    json=$(as viewer snapshot vve_bereik --period "$THIS_MONTH" --format json)
    assert_contains "$json" '"state":"open"' "the daemon calls the running month open"
    assert_contains "$json" '"verdict":{"verdict":"not_judged"' "and does not judge it"
    text=$(as viewer snapshot vve_bereik --period "$THIS_MONTH")
    assert_match "$text" "GM0164  Hengelo  12\.9 %\*" "the value marked *"
    assert_contains "$text" "* open: the period has not ended" "the note under the table"
    assert_contains "$text" ": not judged ($THIS_MONTH has not ended yet)" "why there is no verdict"
    assert_not_contains "$text" "on the path" "no verdict"
    assert_not_contains "$text" "off the path" "no verdict"
    assert_not_contains "$text" "reached" "no verdict"
    assert_contains "$(as viewer snapshot vve_bereik --period "$THIS_MONTH" --format csv)" ",not_judged,open,yes" "CSV: the verdict, the state, plausible"

    # (c) a month that has ended: the CLI's verdict is the daemon's
    local v
    json=$(as viewer snapshot vve_bereik --period "$LAST_MONTH" --format json)
    v=$(sed -n 's/.*"verdict":{"verdict":"\([a-z_]*\)".*/\1/p' <<< "$json")
    [ -n "$v" ] && [ "$v" != not_judged ] || fail "the daemon judges $LAST_MONTH: $json"
    text=$(as viewer snapshot vve_bereik --period "$LAST_MONTH")
    assert_contains "$text" "in $LAST_MONTH: $(verdict_words "$v")" "the snapshot's verdict ($v)"
    assert_contains "$(as viewer snapshot vve_bereik --period "$LAST_MONTH" --format csv)" ",$v,final,yes" "CSV: the verdict as the daemon words it"
    # every point of a series
    local period n=0
    json=$(as viewer series vve_bereik --from "$TWO_MONTHS_AGO" --to "$THIS_MONTH" --format json)
    text=$(as viewer series vve_bereik --from "$TWO_MONTHS_AGO" --to "$THIS_MONTH")
    while read -r period v; do
        assert_match "$(grep "^$period " <<< "$text")" "  $(verdict_words "$v")\$" "series $period ($v)"
        n=$((n + 1))
    done < <(grep -o '"period":"[^"]*"[^}]*"verdict":"[a-z_]*"' <<< "$json" |
        sed 's/"period":"\([^"]*\)".*"verdict":"\([a-z_]*\)"/\1 \2/')
    assert_eq 3 "$n" "three points compared"
    assert_match "$(grep "^$THIS_MONTH " <<< "$text")" "%\*  " "the running month marked in the series"
}
