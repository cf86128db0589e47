# t_notices.sh: what reaches people. A real leamond with a mail receiver, whose sendmail is a
# script that keeps each mail it is given, and an exec receiver that keeps each JSON
# document: grouped mails, nothing for pending alerts, recoveries with their value, a late
# organisation holding back the alert on its own wijk, and the month leamond first started.

notices_months_ago() { # N -> YYYY-MM
    date -d "$(date +%Y-%m-15) -$1 month" +%Y-%m
}

# A sendmail that keeps its standard input as $T/mail/*.eml and its arguments beside it.
fake_sendmail() {
    mkdir -p "$T/mail"
    cat > "$T/sendmail" <<SH
#!/bin/sh
f=\$(mktemp "$T/mail/XXXXXX")
cat > "\$f.eml"
echo "\$@" > "\$f.args"
rm -f "\$f"
SH
    chmod +x "$T/sendmail"
}

# An exec receiver that keeps each notice's JSON as $T/json/*.json.
json_receiver() {
    mkdir -p "$T/json"
    cat > "$T/receive.sh" <<SH
#!/bin/sh
f=\$(mktemp "$T/json/XXXXXX")
cat > "\$f.json"
rm -f "\$f"
SH
    chmod +x "$T/receive.sh"
}

mails() { cat "$T"/mail/*.eml 2>/dev/null || true; }
n_mails() { find "$T/mail" -name '*.eml' 2>/dev/null | wc -l; }

wait_mails() { # count: wait up to 10 s for that many mails
    for _ in $(seq 1 200); do
        [ "$(n_mails)" -ge "$1" ] && return 0
        sleep 0.05
    done
    fail "expected $1 mails, got $(n_mails): $(mails)"
}

mail_settings() {
    fake_sendmail
    notices_conf "sendmail = \"$T/sendmail\"; mail_from = \"leamon@hengelo.nl\";
receivers = ( { name = \"beleid\"; mail = \"lea@hengelo.nl\"; } );
routes = ( { receiver = \"beleid\"; group_wait = 1; group_interval = 1; repeat_interval = 0; } );"
}

# Rewrite leamond.conf with extra settings (insecure mode). (Each t_*.sh is sourced into
# the same shell as the others: these helpers have names of their own.)
notices_conf() {
    write_conf "$1"
    LM_ARGS[1]=$EP
}

test_mail_groups_the_late_partners_then_tells_the_recovery() {
    setup_insecure
    mail_settings
    start_daemon
    # At the start four partners owe a year of figures: one mail lists all four.
    wait_mails 1
    sleep 1.5
    assert_eq 1 "$(n_mails)" "one mail for the four alerts of the start"
    local m
    m=$(mails)
    assert_contains "$m" "To: lea@hengelo.nl" "addressed"
    assert_contains "$m" "From: leamon@hengelo.nl" "from"
    assert_contains "$m" "Subject: leamon: 4 signalen" "subject counts the group"
    assert_contains "$m" "Open signalen (4)" "four listed"
    assert_contains "$m" "Kinderopvang A heeft" "ko-a named"
    assert_contains "$m" "RBL Twente heeft" "the RBL named"
    assert_eq "-t -i" "$(cat "$T"/mail/*.args)" "sendmail takes the recipients from the headers"
    # ko-a reports: the next mail tells its recovery beside what still fires.
    as ko-a submit --period "$(notices_months_ago 1)" vve.doelgroep.geplaatst=3 >/dev/null ||
        fail "ko-a submits"
    wait_mails 2
    local second
    second=$(ls -t "$T"/mail/*.eml | head -n1)
    m=$(cat "$second")
    assert_contains "$m" "Subject: leamon: 3 signalen, 1 opgelost" "second subject"
    assert_contains "$m" "Opgelost (1)" "recovery listed"
    assert_contains "$m" "Kinderopvang A heeft weer aangeleverd" "recovery in Dutch"
    sleep 1.5
    assert_eq 2 "$(n_mails)" "nothing more"
    stop_daemon
    assert_contains "$(cat "$T/leamond.log")" "notices: 2 sent, 0 failed, 0 dropped" "counted"
}

# Noord (WK016402): ggd's 10 toddlers, ko-a places $2 of them.
notices_noord() { # period placed
    as ggd submit --period "$1" --area WK016402 jgz.doelgroep.geindiceerd=10 >/dev/null ||
        fail "GGD figures for $1"
    as ko-a submit --period "$1" --area WK016402 vve.doelgroep.geplaatst="$2" >/dev/null ||
        fail "ko-a figures for $1"
}

test_no_mail_for_pending_nor_for_what_never_fired() {
    setup_insecure
    mail_settings
    start_daemon
    wait_mails 1 # the late partners of the start
    # 60% once: pending (the rule wants two months); then 80%: resolved without firing.
    notices_noord "$(notices_months_ago 6)" 6
    local state
    state=$(as admin alerts --state all --rule vve_bereik_wijk_laag --format json)
    assert_contains "$state" '"state":"pending"' "60% once: pending"
    notices_noord "$(notices_months_ago 5)" 8
    state=$(as admin alerts --state all --rule vve_bereik_wijk_laag --format json)
    assert_contains "$state" '"state":"resolved"' "the pending episode resolved"
    sleep 2.5
    assert_not_contains "$(mails)" "VVE-bereik in Noord" "no mail for pending, nor pending -> resolved"
    # Twice under 70%: firing, and mailed, with the value and since when.
    notices_noord "$(notices_months_ago 4)" 6
    notices_noord "$(notices_months_ago 3)" 5
    # (Noord also fell 20 points in a month: the slip rule's alert may come in a mail first.)
    for _ in $(seq 1 200); do
        grep -q "onder de drempel van 70,0%" "$T"/mail/*.eml 2>/dev/null && break
        sleep 0.05
    done
    local m
    m=$(grep -l "onder de drempel van 70,0%" "$T"/mail/*.eml | xargs cat)
    assert_contains "$m" "VVE-bereik in Noord" "Noord's alert mailed"
    assert_match "$m" "50,0% in [a-z]+ [0-9]{4}, onder" "the value and its month, in Dutch"
    assert_contains "$m" "onder de drempel van 70,0%" "the threshold"
    assert_not_contains "$(mails)" "pending" "no word of pending"
}

test_a_late_location_holds_back_the_alert_on_its_wijk() {
    setup_insecure
    json_receiver
    notices_conf "receivers = ( { name = \"chat\"; exec = \"$T/receive.sh\"; } );
routes = ( { receiver = \"chat\"; group_by = [\"alert\"]; group_wait = 1; group_interval = 1;
             repeat_interval = 0; } );"
    # Noord's rule judges a month with half its reporters in; a late month fires at once.
    sed -i -e 's/threshold = 70.0; clear = 75.0; for = 2; min_base = 10.0;/& min_reported = 0.5;/' \
        -e 's/days = 10; for = 2;/days = 10; for = 1;/' "$T/catalog.conf"
    start_daemon
    local m4 m3 m2
    m4=$(notices_months_ago 4) m3=$(notices_months_ago 3) m2=$(notices_months_ago 2)
    # ko-a and ko-c both place toddlers of Noord, then ko-c stops.
    for m in "$m4" "$m3"; do
        notices_noord "$m" 2
        as ko-c submit --period "$m" --area WK016402 vve.doelgroep.geplaatst=1 >/dev/null ||
            fail "ko-c figures for $m"
    done
    notices_noord "$m2" 3
    local listed
    listed=$(as admin alerts --state firing --format json)
    assert_contains "$listed" '"rule":"vve_bereik_wijk_laag"' "Noord's alert fires (judged, listed)"
    assert_contains "$listed" "\"organisation\":\"ko-c\"" "ko-c is late"
    sleep 2.5
    local sent
    sent=$(cat "$T"/json/*.json)
    assert_contains "$sent" '"organisation":"ko-c"' "ko-c's late alert is sent"
    assert_not_contains "$sent" '"rule":"vve_bereik_wijk_laag"' "Noord's alert is held back by it"
    wait_log "(vve_bereik_wijk_laag, WK016402) held back: inhibited by alert"
    # The listing says which alert holds it back.
    local late_id
    late_id=$(as admin alerts --state firing --rule opvang_niet_gemeld --format json |
        grep -o '"id":[0-9]*,"rule":"opvang_niet_gemeld"[^}]*"organisation":"ko-c"' | head -n1 |
        grep -o '^"id":[0-9]*' | cut -d: -f2)
    [ -n "$late_id" ] || fail "ko-c's late alert not listed"
    assert_contains "$(as admin alerts --state firing --rule vve_bereik_wijk_laag --format json)" \
        "\"inhibited_by\":$late_id" "Noord's alert names what inhibits it"
    assert_contains "$(as admin alerts --rule vve_bereik_wijk_laag)" "inhibited by alert $late_id" \
        "and the table says so"
    # ko-c sends its month: its alert resolves, and Noord's, complete now, resolves too.
    as ko-c submit --period "$m2" --area WK016402 vve.doelgroep.geplaatst=0 >/dev/null ||
        fail "ko-c figures for $m2"
    as admin alerts >/dev/null
    sleep 2.5
    sent=$(cat "$T"/json/*.json)
    assert_not_contains "$sent" '"rule":"vve_bereik_wijk_laag"' "never told, so no recovery either"
}

test_a_first_start_owes_no_months_before_it() {
    setup_insecure
    # The shipped catalogue, without the tests' owed_from: leamon goes live today.
    cp "$TOP/config/catalog.conf" "$T/catalog.conf"
    start_daemon
    local out
    out=$(as admin alerts --state all --format json)
    assert_not_contains "$out" '"rule":"opvang_niet_gemeld"' "no partner is late at the first start"
    assert_eq "$(date +%Y-%m)" "$(sql "select value from meta where key = 'first_start'")" \
        "the first start is remembered"
    # Set far back by hand, --check warns.
    echo 'owed_from = "2020-01";' >> "$T/catalog.conf"
    assert_status 0 "--check" "$LEAMOND" -c "$T/leamond.conf" --check
    assert_contains "$OUT" "warning: the catalogue's owed_from lies" "--check warns"
}
