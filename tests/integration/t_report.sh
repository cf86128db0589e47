# t_report.sh: leamon report: one self-contained HTML file whose every number from a
# snapshot carries data-* attributes, checked here against what the daemon answers for the
# same indicator, area and period; the public version (counts rounded to 5, small cells
# suppressed); exit codes; and, when chromium is installed, a headless render.
#
# Helpers are prefixed rp_: run.sh sources every t_*.sh into one shell.

RP_M1=$LAST_MONTH
RP_M2=$TWO_MONTHS_AGO
RP_M3=$(date -d "$(date +%Y-%m-15) -3 month" +%Y-%m)

# Three months of figures from five partners. In the middle month the GGD sends nothing
# (a gap in vve_bereik); in the first, Kinderopvang C leaves out its placements (an
# incomplete point). Names with HTML's special characters test the escaping.
rp_setup() {
    setup_insecure
    sed -i 's/name = "Kinderopvang A";/name = "Opvang <A> \& \\"Zon\\" '"'"'t";/' "$T/partners.conf"
    sed -i 's/name = "Groot Driene";/name = "Groot <Driene> \& '"'"'Co'"'"'";/' "$T/partners.conf"
    start_daemon
    local m th=(23 8 14) ko_c=(28 29 30) i=0
    for m in "$RP_M3" "$RP_M2" "$RP_M1"; do
        submit_as ko-a "$m" WK016402 vve.doelgroep.geplaatst=9 vve.peuters.geplaatst=23 \
            vve.uren.per_week=16 vve.wachtlijst=3
        if [ "$m" = "$RP_M3" ]; then
            submit_as ko-c "$m" WK016401 vve.peuters.geplaatst=61 vve.uren.per_week=15.5 vve.wachtlijst=12
        else
            submit_as ko-c "$m" WK016401 vve.doelgroep.geplaatst="${ko_c[$i]}" vve.peuters.geplaatst=61 \
                vve.uren.per_week=15.5 vve.wachtlijst=12
        fi
        if [ "$m" != "$RP_M2" ]; then
            submit_as ggd "$m" WK016402 jgz.doelgroep.geindiceerd=10
            submit_as ggd "$m" WK016401 jgz.doelgroep.geindiceerd=60
        fi
        submit_as rbl "$m" GM0164 rbl.thuiszitters="${th[$i]}" rbl.leerplichtigen=2300 rbl.vrijstellingen=12
        i=$((i + 1))
    done
    submit_as po-a "$RP_M1" WK016404 school.rijke_schooldag=37 school.leerlingen=410
}

rp_report() { # file [options...]
    local out=$1
    shift
    as viewer report --period "$RP_M1" --from "$RP_M3" --out "$out" "$@" > "$T/report.out" 2>&1 ||
        fail "leamon report $*: $(cat "$T/report.out")"
}

# Every element with data-field, one line each: indicator area period field kind value,
# where kind is value, suppressed or missing (the value then is the reason).
rp_attrs() { # html
    grep -o '<[a-z][a-z]* [^>]*data-field="[^"]*"[^>]*>' "$1" |
        sed -n 's/.*data-indicator="\([^"]*\)" data-area="\([^"]*\)" data-period="\([^"]*\)" data-field="\([^"]*\)" data-\(value\|suppressed\|missing\)="\([^"]*\)".*/\1 \2 \3 \4 \5 \6/p'
}

# The daemon's number for a field, from `leamon snapshot --by-area --format json` of the
# top area (its own map, a wijk's map in the breakdown, or the target): a number or null.
rp_daemon() { # indicator area period field
    local f="$T/snap-$1-$3.json" map
    if [ ! -s "$f" ]; then
        as viewer snapshot "$1" --period "$3" --by-area --format json > "$f" || fail "snapshot $1 $3"
    fi
    case $4 in
        goal | path | baseline) map=$(grep -o '"target":{[^}]*}' "$f") ;;
        *) map=$(grep -o "{\"area\":\"$2\"[^}]*}" "$f" | head -n1) ;;
    esac
    [ -n "$map" ] || fail "no map for $2 ($4) in the snapshot of $1 $3: $(cat "$f")"
    sed -n "s/.*\"$4\":\([^,}]*\).*/\1/p" <<< "$map" | head -n1
}

rp_same() { # a b: equal as numbers (b may be null: never equal)
    awk -v a="$1" -v b="$2" 'BEGIN {
        if (b == "null" || b == "" || a == "") exit 1
        d = a - b; if (d < 0) d = -d; m = b < 0 ? -b : b; if (m < 1) m = 1
        exit !(d <= 1e-9 * m) }'
}

rp_self_contained() { # html
    local bad
    bad=$(grep -Eio 'http|src=|<script|<link|url\(|@import|<img|<iframe|<object|<embed' "$1" | sort -u | tr '\n' ' ')
    [ -z "$bad" ] || fail "$1 is not self-contained: $bad"
    head -c 15 "$1" | grep -q '<!DOCTYPE html>' || fail "$1 does not start with a doctype"
    tail -n 1 "$1" | grep -q '</html>' || fail "$1 does not end with </html>"
}

test_report_numbers_match_the_daemon() {
    rp_setup
    rp_report "$T/r.html"
    assert_contains "$(cat "$T/report.out")" "report written to $T/r.html: GM0164 $RP_M1, 13 indicators from $RP_M3 to $RP_M1" "summary line"
    [ -f "$T/r.html" ] && [ ! -e "$T/r.html.part" ] || fail "r.html written and renamed"
    rp_self_contained "$T/r.html"

    # (1) every number with data attributes is the daemon's
    local ind area period field kind value want checked=0 missing=0
    while read -r ind area period field kind value; do
        want=$(rp_daemon "$ind" "$area" "$period" "$field")
        case $kind in
            value) rp_same "$value" "$want" || fail "$ind $area $period $field: report $value, daemon $want" ;;
            missing) [ "$want" = null ] || fail "$ind $area $period $field: report has none ($value), daemon $want"
                missing=$((missing + 1)) ;;
            *) fail "$ind $area $period $field: suppressed in the internal version" ;;
        esac
        checked=$((checked + 1))
    done < <(rp_attrs "$T/r.html" | sort -u)
    [ "$checked" -ge 80 ] || fail "only $checked numbers checked"
    [ "$missing" -ge 10 ] || fail "only $missing missing values checked"
    # and a disagreeing duplicate would have shown as two lines for one key
    assert_eq "" "$(rp_attrs "$T/r.html" | sort -u | awk '{ k = $1" "$2" "$3" "$4 } seen[k]++ { print k }')" "one value per key"

    # the figures the test put in: (9 + 30) / (10 + 60), 90 % in Noord, the wijk without
    # figures marked, the wachtlijst 3 + 12
    local attrs
    attrs=$(rp_attrs "$T/r.html" | sort -u)
    assert_contains "$attrs" "vve_bereik GM0164 $RP_M1 value value 55.7142857142857" "gemeente value"
    assert_contains "$attrs" "vve_bereik GM0164 $RP_M1 numerator value 39" "numerator"
    assert_contains "$attrs" "vve_bereik GM0164 $RP_M1 denominator value 70" "denominator"
    assert_contains "$attrs" "vve_bereik WK016402 $RP_M1 value value 90" "Noord"
    assert_contains "$attrs" "vve_bereik WK016404 $RP_M1 value missing no figures" "Groot Driene: geen cijfers"
    assert_contains "$attrs" "vve_wachtlijst GM0164 $RP_M1 value value 15" "sum"
    assert_contains "$attrs" "vve_bereik GM0164 $RP_M1 goal value 85" "goal"
    assert_contains "$attrs" "thuiszitters GM0164 $RP_M3 value value 23" "a series point"

    # Dutch decimal comma in the text, the raw number in the attribute
    grep -q 'data-indicator="vve_bereik" data-area="GM0164" data-period="'"$RP_M1"'" data-field="value" data-value="55.71428571428571[0-9]*">55,7%<' "$T/r.html" ||
        fail "vve_bereik shown as 55,7%"
    # the series: one circle per month with a value; the first month, incomplete but past
    # its deadline, final: filled, as the complete month (an open circle is a figure that
    # is not final yet, test_report_running_month_is_not_final); the month without a
    # denominator a gap
    grep -q '<circle class="pt"[^>]*data-indicator="vve_bereik" data-area="GM0164" data-period="'"$RP_M3"'"' "$T/r.html" ||
        fail "the incomplete month past its deadline is a filled circle"
    grep -q '<circle class="pt"[^>]*data-indicator="vve_bereik" data-area="GM0164" data-period="'"$RP_M1"'"' "$T/r.html" ||
        fail "the complete month is a filled circle"
    ! grep -q '<circle[^>]*data-indicator="vve_bereik" data-area="GM0164" data-period="'"$RP_M2"'"' "$T/r.html" ||
        fail "the month without a value is a gap"
    assert_eq 13 "$(grep -c '<svg class="chart line"' "$T/r.html")" "a line chart per indicator"
    assert_eq 5 "$(grep -c '<svg class="chart bars"' "$T/r.html")" "bar charts where wijken have values"
    grep -q 'class="path" points=' "$T/r.html" || fail "the target path is drawn"
    grep -q 'class="band"' "$T/r.html" || fail "an alert band is drawn"
    # footnotes: completeness and the target's source
    grep -q 'leverden <span class="num" data-indicator="vve_bereik" data-area="GM0164" data-period="'"$RP_M1"'" data-field="reported" data-value="3">3</span> van de' "$T/r.html" ||
        fail "completeness footnote"
    grep -q "Bron: Hengelo, Lokale Educatieve Agenda 2024-2027: &#39;Het bereik van VVE stijgt naar 85%" "$T/r.html" ||
        fail "the target's source, escaped"
    # the delivery grid and the alerts
    grep -q "data-org=\"ko-a\" data-month=\"$RP_M3\" data-status=\"[a-z_]*\"" "$T/r.html" || fail "grid cell"
    grep -q '<h2>Signaleringen</h2>' "$T/r.html" || fail "alerts section"
    grep -q '<td>VVE-bereik: doelgroeppeuters op een VE-plaats<br><span class="small">onder de grens</span></td><td>Hengelose Es' "$T/r.html" ||
        fail "the open alert on Hengelose Es (50 %, under 70 %), by the indicator's label"
    # council language: no rule, indicator or metric codes and no command lines in what
    # people read (tags, attributes and the style sheet left out)
    local text
    text=$(sed -e '/<style>/,/<\/style>/d' -e 's/<[^>]*>/ /g' "$T/r.html")
    assert_not_contains "$(grep -Eo '[a-z]+_[a-z_]+' <<< "$text" | sort -u | tr '\n' ' ')" "_" "no codes in the text"
    assert_not_contains "$(grep -Eo '[a-z]+\.[a-z]+(\.[a-z_]+)?' <<< "$text" | grep -Ev '^(nl|example)$' | sort -u | tr '\n' ' ')" "." "no metric codes in the text"
    assert_not_contains "$text" "leamon alerts" "no command lines"
    # escaping: an organisation's and an area's name with & < > " '
    grep -q 'Opvang &lt;A&gt; &amp; &quot;Zon&quot; &#39;t' "$T/r.html" || fail "organisation name escaped"
    grep -q 'Groot &lt;Driene&gt; &amp; &#39;Co&#39;' "$T/r.html" || fail "area name escaped"
    ! grep -q '<A>\|<Driene>' "$T/r.html" || fail "a name went into the HTML unescaped"
}

# A report for the month that is still running says so at the top, marks its figures
# (lopende maand, an open circle) and judges none of them against the target; the daemon
# calls those figures open.
test_report_running_month_is_not_final() {
    rp_setup
    submit_as ko-a "$THIS_MONTH" WK016402 vve.doelgroep.geplaatst=9 vve.peuters.geplaatst=23
    submit_as ggd "$THIS_MONTH" WK016402 jgz.doelgroep.geindiceerd=10
    submit_as ggd "$THIS_MONTH" WK016401 jgz.doelgroep.geindiceerd=60
    as viewer report --period "$THIS_MONTH" --from "$RP_M3" --out "$T/run.html" > "$T/report.out" 2>&1 ||
        fail "leamon report --period $THIS_MONTH: $(cat "$T/report.out")"
    assert_contains "$(as viewer snapshot vve_bereik --period "$THIS_MONTH" --format json)" \
        '"state":"open"' "the daemon calls the running month open"
    grep -q '<p class="banner run">De maand [a-z]* [0-9]* is nog niet voorbij: de cijfers in dit overzicht zijn niet definitief' "$T/run.html" ||
        fail "a banner at the top says the month has not ended"
    grep -q 'data-field="value" data-value="[0-9.]*">[0-9,]*%</span></b> <span class="small">(lopende maand)</span>' "$T/run.html" ||
        fail "the key figure is marked as the running month"
    grep -q '<circle class="pt open"[^>]*data-indicator="vve_bereik" data-area="GM0164" data-period="'"$THIS_MONTH"'"[^>]*><title>[a-z]* [0-9]*: [0-9,]*% (lopende maand)</title>' "$T/run.html" ||
        fail "the running month is an open circle"
    grep -q '<circle class="pt"[^>]*data-indicator="vve_bereik" data-area="GM0164" data-period="'"$RP_M1"'"' "$T/run.html" ||
        fail "a month that has ended and is complete is a filled circle"
    # no verdict: not in the key figures, not in the summary table
    local kern row
    kern=$(grep '<p class="kern">Stand [^:]*: <b><span class="num" data-indicator="vve_bereik"' "$T/run.html")
    row=$(grep '<a href="#ind-vve_bereik">' "$T/run.html")
    [ -n "$kern" ] && [ -n "$row" ] || fail "the key figures and the summary row of vve_bereik"
    assert_not_contains "$kern$row" 'class="verdict' "no verdict on the running month"
    assert_contains "$row" '<span class="small">lopende maand</span>' "the summary row says so"
    # the report of a month that has ended has no such banner, and does judge
    rp_report "$T/r.html"
    ! grep -q 'banner run' "$T/r.html" || fail "no banner for a month that has ended"
    grep '<p class="kern">Stand [^:]*: <b><span class="num" data-indicator="vve_bereik"' "$T/r.html" |
        grep -q 'class="verdict' || fail "a month that has ended is judged"
}

test_report_public_rounds_counts_and_suppresses_small_cells() {
    rp_setup
    rp_report "$T/r.html"
    rp_report "$T/p.html" --public
    assert_contains "$(cat "$T/report.out")" "public version" "summary line"
    rp_self_contained "$T/p.html"
    grep -q 'data-version="publiek" [^>]*data-min-cell="10"' "$T/p.html" || fail "marked as the public version"

    # each published number against the internal one
    local ind area period field kind value raw rkind n=0 rounded=0 suppressed=0 secondary=0
    declare -A internal
    while read -r ind area period field kind value; do
        internal["$ind $area $period $field"]="$kind $value"
    done < <(rp_attrs "$T/r.html" | sort -u)
    while read -r ind area period field kind value; do
        read -r rkind raw <<< "${internal["$ind $area $period $field"]:-none}"
        [ "$rkind" != none ] || fail "$ind $area $period $field is not in the internal report"
        local count=no
        case "$ind:$field" in
            vve_wachtlijst:value | thuiszitters:value | rijke_schooldag:value | zomerschool:value) count=yes ;;
            *:numerator | *:denominator) [ "$ind" = vve_uren ] || count=yes ;;
            *:baseline) [ "$ind" = thuiszitters ] && count=yes ;;
        esac
        if [ "$count" = yes ] && [ "$rkind" = value ]; then
            if awk -v v="$raw" 'BEGIN { exit !(v < 10) }'; then
                [ "$kind" = suppressed ] && [ "$value" = "&lt;10" ] ||
                    fail "$ind $area $period $field: $raw is under 10 but published as $kind $value"
                suppressed=$((suppressed + 1))
            elif [ "$kind" = suppressed ] && [ "$value" = x ]; then
                secondary=$((secondary + 1)) # held back with a small one (below)
            else
                local want
                want=$(awk -v v="$raw" 'BEGIN { printf "%d", int(v / 5 + 0.5) * 5 }')
                [ "$kind" = value ] && [ "$value" = "$want" ] ||
                    fail "$ind $area $period $field: $raw published as $kind $value, want $want"
                rounded=$((rounded + 1))
            fi
        elif [ "$field" = value ] && [ "$rkind" = value ] && [ "$ind" != vve_uren ]; then
            # a percentage: suppressed when its numerator or denominator is under 10
            local num den
            num=$(rp_daemon "$ind" "$area" "$period" numerator)
            den=$(rp_daemon "$ind" "$area" "$period" denominator)
            if awk -v a="$num" -v b="$den" 'BEGIN { exit !(a < 10 || b < 10) }'; then
                [ "$kind" = suppressed ] || fail "$ind $area $period: a percentage on $num / $den is published ($value)"
                suppressed=$((suppressed + 1))
            elif [ "$kind" = suppressed ] && [ "$value" = x ]; then
                secondary=$((secondary + 1))
            else
                [ "$kind" = value ] && rp_same "$value" "$(awk -v v="$raw" 'BEGIN { printf "%.1f", v }')" ||
                    fail "$ind $area $period: $raw published as $kind $value"
            fi
        elif [ "$field" = value ] && [ "$rkind" = missing ]; then
            [ "$kind" = missing ] || fail "$ind $area $period: no value, but published as $kind"
        fi
        n=$((n + 1))
    done < <(rp_attrs "$T/p.html" | sort -u)
    [ "$rounded" -ge 12 ] || fail "only $rounded rounded counts checked"
    [ "$secondary" -ge 1 ] || fail "no wijk held back with a small one"
    # complementary suppression: of a published total, never exactly one wijk held back
    # (the total less the others would give it)
    local top_pub
    while read -r ind period; do
        top_pub=$(rp_attrs "$T/p.html" | sort -u | awk -v i="$ind" -v p="$period" '$1 == i && $2 == "GM0164" && $3 == p && $4 == "value" { print $5 }')
        [ "$top_pub" = value ] || continue
        local held
        held=$(rp_attrs "$T/p.html" | sort -u | awk -v i="$ind" -v p="$period" '$1 == i && $2 ~ /^WK/ && $3 == p && $4 == "value" && $5 == "suppressed"' | wc -l)
        [ "$held" -ne 1 ] || fail "$ind $period: one wijk held back alone; the total less the others gives it"
    done < <(rp_attrs "$T/p.html" | awk '$2 ~ /^WK/ { print $1, $3 }' | sort -u)
    [ "$suppressed" -ge 5 ] || fail "only $suppressed suppressed cells checked"
    # the cases put in: 39 -> 40, 9 (Noord's numerator) suppressed with its percentage,
    # thuiszitters 23 -> 25, 14 -> 15, 8 -> <10
    local attrs
    attrs=$(rp_attrs "$T/p.html" | sort -u)
    assert_contains "$attrs" "vve_bereik GM0164 $RP_M1 numerator value 40" "39 rounded to 40"
    assert_contains "$attrs" "vve_bereik WK016402 $RP_M1 value suppressed" "Noord: a percentage of 9 / 10"
    assert_contains "$attrs" "vve_bereik GM0164 $RP_M3 value suppressed" "the gemeente in the first month: 9 / 70"
    assert_contains "$attrs" "vve_wachtlijst WK016402 $RP_M1 value suppressed &lt;10" "3 suppressed"
    # 12 would be 10, but with 3 held back beside it, the total 15 less 12 would give the 3
    assert_contains "$attrs" "vve_wachtlijst WK016401 $RP_M1 value suppressed x" "12 held back with the 3"
    assert_contains "$attrs" "vve_wachtlijst GM0164 $RP_M1 value value 15" "the total 15"
    assert_contains "$attrs" "vve_bereik GM0164 $RP_M1 value value 55.7" "a percentage of large counts"
    assert_contains "$attrs" "thuiszitters GM0164 $RP_M3 value value 25" "23 rounded to 25"
    assert_contains "$attrs" "thuiszitters GM0164 $RP_M1 value value 15" "14 rounded to 15"
    assert_contains "$attrs" "thuiszitters GM0164 $RP_M2 value suppressed &lt;10" "8 suppressed"
    assert_contains "$attrs" "rijke_schooldag GM0164 $RP_M1 value value 35" "37 rounded to 35"
    # no raw count left anywhere in an attribute: 39, 23, 14, 37 were published rounded
    ! grep -Eq 'data-field="(numerator|denominator)" data-value="(39|23|37|61|84)"' "$T/p.html" ||
        fail "a raw count in the public version"
    grep -q '&lt;10' "$T/p.html" && grep -q 'Aantallen zijn afgerond op vijftallen' "$T/p.html" ||
        fail "the public version explains its rounding"
    # the alerts are listed without values
    ! grep -q 'data-alert=' "$T/p.html" || fail "alert values in the public version"

    # --min-cell 5: Noord's 9 / 10 and the 8 thuiszitters are published, 3 is not
    rp_report "$T/p5.html" --public --min-cell 5
    attrs=$(rp_attrs "$T/p5.html" | sort -u)
    assert_contains "$attrs" "vve_bereik WK016402 $RP_M1 value value 90" "--min-cell 5: 9 / 10"
    assert_contains "$attrs" "thuiszitters GM0164 $RP_M2 value value 10" "--min-cell 5: 8 rounded to 10"
    assert_contains "$attrs" "vve_wachtlijst WK016402 $RP_M1 value suppressed &lt;5" "--min-cell 5: 3"
}

test_report_exit_codes_and_no_partial_file() {
    rp_setup
    echo old > "$T/keep.html"
    # a partner may not read snapshots: refused, nothing written
    assert_status 1 "partner's key" as ko-a report --period "$RP_M1" --out "$T/keep.html"
    assert_contains "$OUT" "403" "the refusal says why"
    assert_eq old "$(cat "$T/keep.html")" "the old report stays"
    [ ! -e "$T/keep.html.part" ] || fail "no .part left after a refusal"
    assert_status 1 "unknown area" as viewer report --period "$RP_M1" --area WK999999 --out "$T/x.html"
    [ ! -e "$T/x.html" ] || fail "nothing written for an unknown area"
    # usage errors: nothing sent
    assert_status 2 "no --out" as viewer report --period "$RP_M1"
    assert_status 2 "no --period" as viewer report --out "$T/x.html"
    assert_status 2 "a bad period" as viewer report --period 2026-13 --out "$T/x.html"
    assert_status 2 "--from after --period" as viewer report --period "$RP_M3" --from "$RP_M1" --out "$T/x.html"
    assert_status 2 "--min-cell without --public" as viewer report --period "$RP_M1" --min-cell 5 --out "$T/x.html"
    assert_status 2 "--min-cell 0" as viewer report --period "$RP_M1" --public --min-cell 0 --out "$T/x.html"
    assert_status 2 "an argument" as viewer report --period "$RP_M1" --out "$T/x.html" extra
    # a directory that does not exist: a local write error
    assert_status 2 "unwritable" as viewer report --period "$RP_M1" --out "$T/no/such/dir/r.html"
    assert_contains "$OUT" "r.html.part" "names the file"
    # the daemon away: 3, the old file untouched
    stop_daemon
    assert_status 3 "unreachable" as viewer --timeout 300 --retries 0 report --period "$RP_M1" --out "$T/keep.html"
    assert_eq old "$(cat "$T/keep.html")" "the old report stays"
    [ ! -e "$T/keep.html.part" ] || fail "no .part left when the daemon is away"
    # --pdf without a browser: a clear error, no file
    LEAMON_CHROMIUM=$T/no-chromium assert_status 2 "--pdf without Chromium" as viewer report --period "$RP_M1" --pdf "$T/r.pdf"
    assert_contains "$OUT" "headless Chromium, which is not installed" "says why"
    [ ! -e "$T/r.pdf" ] && [ ! -e "$T/r.pdf.part" ] || fail "no PDF without a browser"
    # the manual page
    assert_status 0 "help" "$LEAMON" report --help
    assert_contains "$OUT" "leamon report --period PERIOD --out FILE.html" "synopsis"
    assert_contains "$OUT" "EXIT STATUS" "exit status section"
}

# Chromium headless renders the report: as many <svg> in the DOM as the file holds (one
# line chart per indicator, a bar chart per indicator with wijk values), a screenshot that
# is not blank, and an A4 PDF of several pages. CI sets LEAMON_REQUIRE_CHROMIUM=1.
test_report_renders_in_a_browser() {
    local chromium=""
    if [ -x /usr/bin/chromium ]; then
        chromium=/usr/bin/chromium
    elif command -v chromium > /dev/null 2>&1; then
        chromium=$(command -v chromium)
    fi
    if [ -z "$chromium" ]; then
        [ -z "${LEAMON_REQUIRE_CHROMIUM:-}" ] ||
            fail "chromium is not installed and LEAMON_REQUIRE_CHROMIUM is set (apt-get install chromium)"
        local msg="CHROMIUM NOT INSTALLED: the browser test did not run (apt-get install chromium)"
        echo "$msg" >&2
        # run.sh keeps a passing test's output to itself, but prints its notice file
        echo "$msg" >> "$T/notice"
        return 0
    fi
    rp_setup
    rp_report "$T/r.html"
    local inds
    inds=$(as viewer catalog --format json | grep -o '"better":' | wc -l)
    [ "$inds" -ge 1 ] || fail "no indicators in the catalog"
    # a line chart each; bar charts: vve_bereik, vve_uren, vve_doelgroep_aandeel, vve_wachtlijst,
    # rijke_schooldag (the others have no value in any wijk)
    local want=$((inds + 5))
    assert_eq "$want" "$(grep -o '<svg' "$T/r.html" | wc -l)" "svg elements in the file"

    local ch=("$chromium" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage
        --hide-scrollbars --user-data-dir="$T/chromium" --window-size=1240,1754)
    HOME=$T timeout 120 "${ch[@]}" --dump-dom "file://$T/r.html" > "$T/dom.html" 2> "$T/chromium.log" ||
        fail "chromium --dump-dom: $(tail -n 5 "$T/chromium.log")"
    assert_eq "$want" "$(grep -o '<svg' "$T/dom.html" | wc -l)" "svg elements in the rendered DOM"
    assert_eq "$(grep -o '<circle' "$T/r.html" | wc -l)" "$(grep -o '<circle' "$T/dom.html" | wc -l)" "circles in the rendered DOM"
    grep -q '55,7%' "$T/dom.html" || fail "the DOM holds the figures"

    HOME=$T timeout 120 "${ch[@]}" --screenshot="$T/shot.png" "file://$T/r.html" >> "$T/chromium.log" 2>&1 ||
        fail "chromium --screenshot: $(tail -n 5 "$T/chromium.log")"
    printf '<!DOCTYPE html><html><body></body></html>\n' > "$T/blank.html"
    HOME=$T timeout 120 "${ch[@]}" --screenshot="$T/blank.png" "file://$T/blank.html" >> "$T/chromium.log" 2>&1 ||
        fail "chromium --screenshot of a blank page"
    local shot blank
    shot=$(stat -c %s "$T/shot.png")
    blank=$(stat -c %s "$T/blank.png")
    [ "$(head -c 8 "$T/shot.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "the screenshot is not a PNG"
    [ "$shot" -gt $((blank * 5)) ] && [ "$shot" -gt 40000 ] ||
        fail "the screenshot looks blank: $shot bytes, a blank page $blank"

    # leamon report --pdf prints it through the same browser
    HOME=$T LEAMON_CHROMIUM=$chromium rp_report "$T/r.html" --pdf "$T/r.pdf"
    assert_contains "$(cat "$T/report.out")" "report written to $T/r.html and $T/r.pdf" "both named"
    [ "$(head -c 4 "$T/r.pdf")" = "%PDF" ] && [ ! -e "$T/r.pdf.part" ] || fail "--pdf wrote no PDF"
    local pages
    pages=$(grep -a -o '/MediaBox \[0 0 59[45][.0-9]* 84[12][.0-9]*\]' "$T/r.pdf" | wc -l)
    [ "$pages" -ge 4 ] || fail "the PDF has $pages A4 pages: $(grep -a -o '/MediaBox[^]]*]' "$T/r.pdf" | sort | uniq -c)"
}
