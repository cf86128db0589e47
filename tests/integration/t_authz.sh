# t_authz.sh: who may do what, end to end with real CURVE keys (setup_secure): the ZAP
# handler on the request socket and on the PUB socket, the identity a key stands for, and
# what each role may do with it (PROTOCOL.md §2, §5.2-§5.11).
#
# The whole matrix, and where each cell is tested. Roles: partner = ko-a (a kinderopvang
# in wijk Noord of Hengelo); viewer, admin = staff; unknown = a key in no partners file;
# revoked = a key removed from the partners file, then SIGHUP; anonymous = no reporter, in
# insecure mode only (no keys there).
#
#   [U] test_authz_unknown_key_is_refused_everywhere_and_never_served    (this file)
#   [P] test_authz_partner_matrix                                         (this file)
#   [S] test_authz_staff_matrix                                           (this file)
#   [R] test_authz_revoked_key_is_refused_from_then_on                    (this file)
#   s1 t_secure: test_known_key_submits_as_its_organisation   s2 test_unknown_key_is_refused_at_the_handshake
#   s3 t_secure: test_key_cannot_claim_another_reporter       s4 test_partner_may_not_send_other_kinds_or_areas
#   s5 t_secure: test_staff_cannot_submit                     s6 test_partner_status_shows_only_its_own_figures
#   s7 t_secure: test_revoked_key_is_refused_after_reload     c1 t_client: test_client_secure_keys
#   a1 t_alerts: test_ack_needs_admin_and_does_not_resolve    a2 test_silenced_changes_are_stored_not_published
#   a3 t_alerts: test_wijk_below_threshold_fires_once_then_resolves
#   q1 t_query:  test_partner_reads_only_its_own_completeness q2 test_snapshot_ratio_is_sum_over_sum and
#                the other t_query tests (they ask without a reporter)
#   d1 t_daemon: test_insecure_mode_says_so_and_serves        b  t_badinput: a row of the table
#   p1 t_partner_view: test_partner_lists_its_figures_with_a_correction_and_a_retraction
#   p2 t_partner_view: test_partner_cannot_read_another_organisations_figures
#   p3 t_partner_view: test_staff_read_a_partners_figures_with_org
#
# action                     | partner            | viewer            | admin             | unknown, revoked      | anonymous
# ---------------------------+--------------------+-------------------+-------------------+-----------------------+-------------
# connect (request socket)   | ok P s1            | ok S              | ok S              | refused at handshake, | -
#                            |                    |                   |                   | no reply, not served: |
#                            |                    |                   |                   | U R s2 s7 c1          |
# ping                       | ok U, inactive P   | ok (status S)     | ok (status S)     | refused U R s7        | ok d1
# catalog                    | ok, may_report of  | ok, no may_report | (as viewer)       | refused               | not covered
#                            | its kind/areas: P  | S                 |                   |                       |
# status                     | own figures s6     | all figures s6 S  | role admin S      | refused               | not covered
# submit, own areas          | 200 P s1           | 403 s5            | 403 S             | refused U c1          | 401 b
# submit, ko-b's wijk or the | 422 area_not_      | -                 | -                 | -                     | -
#   other gemeente           | allowed P s4       |                   |                   |                       |
# submit, reports_for areas  | (rbl) 200 s4       | -                 | -                 | -                     | -
# submit, a school metric    | 422 metric_not_    | -                 | -                 | -                     | -
#                            | allowed P s4       |                   |                   |                       |
# submit, inactive org (ko-c)| 403 P              | -                 | -                 | -                     | -
# claim another reporter     | 403 "this key      | 403 (as admin) S  | -                 | -                     | (the reporter
#                            | belongs to" P s3   |                   |                   |                       | is the identity)
# snapshot, series           | 403 P q1           | 200 S             | 200 S             | refused               | 200 q2
# completeness               | own rows, own      | every org S q1    | (as viewer)       | refused               | every org q2
#                            | kind's metrics P q1|                   |                   |                       |
# figures (own, another's)   | own 200, another's | 200 naming the    | (as viewer); 400  | refused               | as staff
#                            | 403, inactive: own | organisation S p3 | without one S     |                       | (unit test)
#                            | P p1 p2            |                   |                   |                       |
# alerts                     | 403 P a1           | 200 S R           | 200 S R           | refused R             | allowed b
# ack                        | 403 P              | 403 admin role S  | 200 S a1          | refused               | 403 b
#                            |                    | a1                |                   |                       |
# silence                    | 403 P              | 403 admin role S  | 200 S (a2:        | refused               | 403 b
#                            |                    | a2                | insecure)         |                       |
# watch (PUB socket)         | refused, exit 1 P  | events S; R       | events S a3; R    | refused, exit 1 U R   | not covered
# revoked key's subscription | -                  | cut off: the daemon binds its PUB socket anew on every reload, so
#   opened before the reload |                    | subscribers reconnect and pass the ZAP handler again (§2). Not covered
# revoked key, connection    | 401 "no longer known to the daemon" (§2): not reachable with leamon or lmraw, which
#   opened before the reload | connect anew for every request; not covered
# key put back + SIGHUP      | -                  | works again R     | -                 | -                     | -

az_pub() { # id -> its public key (Z85)
    grep -v '^#' "$T/keys/$1.pub" | head -n1 | tr -d ' \t'
}

az_wait_log() { # fixed string: wait up to 5 s for it in the daemon's log (Z85 keys hold ?, *, ^, ...)
    local _
    for _ in $(seq 1 100); do
        grep -qF -e "$1" "$T/leamond.log" && return 0
        sleep 0.05
    done
    fail "no log line with '$1': $(cat "$T/leamond.log")"
}

az_raw() { # id JSON [timeout ms] -> reply JSON (lmraw with that id's key)
    "$LMRAW" --timeout "${3:-5000}" --server-key "$SERVER_KEY" --key "$T/keys/$1.key" "$EP" "$2"
}

# The outcome lines the daemon logs for requests it served ("OP ID from WHO: STATUS",
# "submit ID from WHO ..."), for checking that a refused key got none.
az_served() {
    grep -E '^[-0-9T:.Z]* ?leamond: [a-z]+: ([a-z]+ [^ ]+ from [^ ]+: [0-9]{3}|submit [^ ]+ from )' "$T/leamond.log"
}

# One month of VVE figures for wijk Noord: the GGD's 10 indicated toddlers, ko-a places $2.
# Under 70 % this starts the vve_bereik_wijk_laag alert of Noord (pending): an event.
az_noord() { # period placed
    as ggd submit --period "$1" --area WK016402 jgz.doelgroep.geindiceerd=10 >/dev/null || fail "GGD figures for $1"
    as ko-a submit --period "$1" --area WK016402 vve.doelgroep.geplaatst="$2" >/dev/null || fail "ko-a figures for $1"
}

test_authz_unknown_key_is_refused_everywhere_and_never_served() {
    setup_secure
    start_daemon
    LM_ARGS+=(--publish "$PUB_EP")
    local served
    served=$(az_served | wc -l)
    assert_status 1 "stranger: submit" as stranger submit --period "$LAST_MONTH" vve.plaatsen=4
    assert_contains "$OUT" "the daemon refused this client's key (not in its partners file?)" "submit: the handshake message"
    assert_not_contains "$OUT" "retrying" "a refused key is not retried"
    assert_status 1 "stranger: alerts" as stranger alerts
    assert_contains "$OUT" "the daemon refused this client's key" "alerts: the handshake message"
    # Without a socket monitor (lmraw has none) a refused key just gets no reply.
    assert_status 3 "stranger: raw request" az_raw stranger '{"v":1,"op":"ping","id":"s1"}' 1000
    assert_contains "$OUT" "no reply within 1000 ms" "no reply at all"
    # The PUB socket refuses it too.
    assert_status 1 "stranger: watch" as stranger watch --idle 5
    assert_contains "$OUT" "refused this client's key" "watch: the handshake message"
    # The daemon named the key, and served none of its requests.
    az_wait_log "refused a connection with unknown key $(az_pub stranger)"
    assert_eq "$served" "$(az_served | wc -l)" "requests served to the stranger"
    assert_not_contains "$(az_served)" "s1" "the raw request was not served"
    assert_eq 0 "$(sql 'select count(*) from observation')" "nothing stored"
    # Known keys are unaffected.
    assert_status 0 "ko-a after the stranger" as ko-a ping
    assert_contains "$(az_served)" " from ko-a: 200" "ko-a's ping is logged as served"
}

test_authz_partner_matrix() {
    setup_secure
    # ko-c is inactive: it keeps its key, but may not submit.
    sed -i '/id = "ko-c"/s/area = "WK016401";/area = "WK016401"; active = false;/' "$T/partners.conf"
    assert_contains "$(grep 'id = "ko-c"' "$T/partners.conf")" "active = false;" "ko-c made inactive"
    start_daemon
    LM_ARGS+=(--publish "$PUB_EP")
    local r
    # catalog: what ko-a may report: kinderopvang metrics, for Hengelo and its wijken.
    r=$(az_raw ko-a '{"v":1,"op":"catalog","id":"c1"}')
    assert_contains "$r" '"may_report":{"metrics":["vve.doelgroep.geplaatst","vve.peuters.geplaatst","vve.plaatsen","vve.uitstroom","vve.uren.per_week","vve.wachtlijst","vve.warme_overdracht"],"areas":["GM0164","WK016401","WK016402","WK016404"]}' \
        "ko-a's may_report"
    # submit: its own home area, and another wijk of its gemeente (ko-c's), are allowed.
    assert_status 0 "ko-a: home area" as ko-a submit --period "$LAST_MONTH" vve.plaatsen=40
    assert_status 0 "ko-a: ko-c's wijk in the same gemeente" as ko-a submit --period "$LAST_MONTH" --area WK016401 vve.plaatsen=5
    # ... ko-b's wijk, or the other gemeente itself, are not.
    r=$(az_raw ko-a "{\"v\":1,\"op\":\"submit\",\"id\":\"x1\",\"records\":[{\"metric\":\"vve.plaatsen\",\"area\":\"WK015301\",\"period\":\"$LAST_MONTH\",\"value\":3},{\"metric\":\"vve.plaatsen\",\"area\":\"GM0153\",\"period\":\"$LAST_MONTH\",\"value\":3},{\"metric\":\"school.leerlingen\",\"period\":\"$LAST_MONTH\",\"value\":300}]}")
    assert_contains "$r" '"status":422' "other areas and another kind's metric"
    assert_contains "$r" '{"index":0,"field":"area","code":"area_not_allowed","message":"ko-a may not report for area WK015301; it reports for GM0164 and the areas below"}' "ko-b's area"
    assert_contains "$r" '{"index":1,"field":"area","code":"area_not_allowed","message":"ko-a may not report for area GM0153; it reports for GM0164 and the areas below"}' "another gemeente"
    assert_contains "$r" "{\"index\":2,\"field\":\"metric\",\"code\":\"metric_not_allowed\",\"message\":\"metric 'school.leerlingen' is reported by school_po, school_so, school_vo, mbo, not by a kinderopvang\"}" "a school metric"
    assert_status 1 "ko-a: a school metric through leamon" as ko-a submit --period "$LAST_MONTH" school.rijke_schooldag=12
    assert_contains "$OUT" "metric_not_allowed" "leamon shows the code"
    # ... nor in another organisation's name.
    r=$(az_raw ko-a "{\"v\":1,\"op\":\"submit\",\"id\":\"x2\",\"reporter\":\"ko-b\",\"records\":[{\"metric\":\"vve.plaatsen\",\"period\":\"$LAST_MONTH\",\"value\":9}]}")
    assert_contains "$r" '"status":403,"error":"this key belongs to ko-a, not to reporter ko-b"' "claiming ko-b"
    # An inactive organisation is known (it may ping) but may not submit.
    assert_status 0 "inactive ko-c: ping" as ko-c ping
    r=$(az_raw ko-c "{\"v\":1,\"op\":\"submit\",\"id\":\"x3\",\"records\":[{\"metric\":\"vve.plaatsen\",\"period\":\"$LAST_MONTH\",\"value\":9}]}")
    assert_contains "$r" '"status":403,"error":"organisation ko-c is inactive in the partners file"' "inactive ko-c: submit"
    assert_eq "ko-a|WK016401 ko-a|WK016402" "$(sql 'select reporter, area from observation order by area' | tr '\n' ' ' | sed 's/ $//')" \
        "only ko-a's two allowed figures stored"
    # Snapshots and series: staff only.
    r=$(az_raw ko-a "{\"v\":1,\"op\":\"snapshot\",\"id\":\"q1\",\"indicator\":\"vve_bereik\",\"period\":\"$LAST_MONTH\"}")
    assert_eq '{"v":1,"id":"q1","status":403,"error":"snapshots and series are for municipal staff; a partner reads its own completeness"}' "$r" "ko-a: snapshot"
    r=$(az_raw ko-a "{\"v\":1,\"op\":\"series\",\"id\":\"q2\",\"indicator\":\"vve_bereik\",\"from\":\"$TWO_MONTHS_AGO\",\"to\":\"$LAST_MONTH\"}")
    assert_eq '{"v":1,"id":"q2","status":403,"error":"snapshots and series are for municipal staff; a partner reads its own completeness"}' "$r" "ko-a: series"
    assert_status 1 "ko-a: leamon snapshot" as ko-a snapshot vve_bereik --period "$LAST_MONTH"
    assert_contains "$OUT" "municipal staff" "leamon says why"
    # Completeness: its own rows only, for its own kind's metrics.
    r=$(az_raw ko-a "{\"v\":1,\"op\":\"completeness\",\"id\":\"q3\",\"period\":\"$LAST_MONTH\"}")
    assert_contains "$r" '"status":200' "ko-a: completeness"
    assert_eq "ko-a" "$(grep -o '{"id":"[^"]*","name"' <<< "$r" | cut -d'"' -f4 | sort -u | tr '\n' ' ' | sed 's/ $//')" \
        "the only organisation in ko-a's completeness"
    assert_eq 7 "$(grep -o '"metric":"[^"]*"' <<< "$r" | wc -l)" "the 7 metrics of a kinderopvang"
    assert_eq 7 "$(grep -o '"metric":"vve\.[^"]*"' <<< "$r" | wc -l)" "all of them vve.*"
    assert_eq 7 "$(grep -o '"expected":1,' <<< "$r" | wc -l)" "each expects one organisation: ko-a"
    r=$(az_raw ko-a "{\"v\":1,\"op\":\"completeness\",\"id\":\"q4\",\"period\":\"$LAST_MONTH\",\"metric\":\"school.leerlingen\"}")
    assert_eq "{\"v\":1,\"id\":\"q4\",\"status\":200,\"period\":\"$LAST_MONTH\",\"grace_days\":10,\"organisation\":\"ko-a\",\"metrics\":[]}" "$r" \
        "another kind's metric: nothing"
    r=$(az_raw ko-c "{\"v\":1,\"op\":\"completeness\",\"id\":\"q5\",\"period\":\"$LAST_MONTH\",\"metric\":\"vve.plaatsen\"}")
    assert_contains "$r" '"expected":0,' "an inactive organisation: nobody"
    assert_contains "$r" '"organisations":[]' "an inactive organisation: no rows"
    # Figures: its own only; another's, by name, refused (and an inactive one reads its own).
    r=$(az_raw ko-a "{\"v\":1,\"op\":\"figures\",\"id\":\"f1\",\"period\":\"$LAST_MONTH\"}")
    assert_contains "$r" '"status":200,"organisation":"ko-a"' "ko-a: its figures"
    assert_eq 2 "$(grep -o '"metric":"vve.plaatsen"' <<< "$r" | wc -l)" "ko-a's two figures"
    r=$(az_raw ko-a "{\"v\":1,\"op\":\"figures\",\"id\":\"f2\",\"period\":\"$LAST_MONTH\",\"organisation\":\"ko-c\"}")
    assert_eq '{"v":1,"id":"f2","status":403,"error":"a partner reads its own figures, not those of ko-c"}' "$r" "ko-a: ko-c's figures"
    r=$(az_raw ko-a "{\"v\":1,\"op\":\"figures\",\"id\":\"f3\",\"reporter\":\"ko-c\",\"period\":\"$LAST_MONTH\"}")
    assert_eq '{"v":1,"id":"f3","status":403,"error":"this key belongs to ko-a, not to reporter ko-c"}' "$r" "ko-a claiming to be ko-c"
    r=$(az_raw ko-c "{\"v\":1,\"op\":\"figures\",\"id\":\"f4\",\"period\":\"$LAST_MONTH\",\"area\":\"WK016401\"}")
    assert_contains "$r" '"status":200,"organisation":"ko-c"' "inactive ko-c: its own figures"
    assert_contains "$r" '"figures":[]' "none of ko-a's figures in ko-c's wijk"
    r=$(az_raw ko-a "{\"v\":1,\"op\":\"completeness\",\"id\":\"f5\",\"period\":\"$LAST_MONTH\",\"organisation\":\"ko-c\"}")
    assert_eq '{"v":1,"id":"f5","status":403,"error":"a partner reads its own figures, not those of ko-c"}' "$r" "ko-a: ko-c's completeness"
    # Alerts: not for partners, neither reading nor acknowledging nor silencing.
    r=$(az_raw ko-a '{"v":1,"op":"alerts","id":"a1","state":"all"}')
    assert_eq '{"v":1,"id":"a1","status":403,"error":"alerts are for municipal staff"}' "$r" "ko-a: alerts"
    local id
    id=$(sql "select min(id) from alert")
    [ -n "$id" ] || fail "no alert at start (the late rules should have raised some)"
    r=$(az_raw ko-a "{\"v\":1,\"op\":\"ack\",\"id\":\"a2\",\"alert\":$id,\"note\":\"gezien\"}")
    assert_contains "$r" '"status":403' "ko-a: ack"
    r=$(az_raw ko-a "{\"v\":1,\"op\":\"silence\",\"id\":\"a3\",\"rule\":\"opvang_niet_gemeld\",\"area\":\"GM0164\",\"until\":$(($(date +%s) + 3600))}")
    assert_contains "$r" '"status":403' "ko-a: silence"
    assert_eq "|0" "$(sql "select ifnull(acked_by, ''), (select count(*) from silence) from alert where id = $id")" \
        "neither acknowledged nor silenced"
    # The PUB socket: organisations are refused at the handshake.
    assert_status 1 "ko-a: watch" as ko-a watch --idle 5
    assert_contains "$OUT" "only staff keys (role viewer or admin) may watch alerts" "watch says why"
    wait_log "refused an alert subscription by organisation ko-a"
}

test_authz_staff_matrix() {
    setup_secure
    start_daemon
    LM_ARGS+=(--publish "$PUB_EP")
    local r
    # Both staff keys subscribe to the PUB socket and see the next event.
    as viewer watch --format json --topic alert.critical.vve_bereik.WK016402 --count 1 --idle 20 \
        > "$T/watch.viewer" 2>&1 &
    local wv=$!
    as admin watch --format json --topic alert.critical.vve_bereik.WK016402 --count 1 --idle 20 \
        > "$T/watch.admin" 2>&1 &
    local wa=$!
    # Staff are known, read the catalogue without may_report, and do not submit.
    r=$(az_raw viewer '{"v":1,"op":"status","id":"s1"}')
    assert_contains "$r" '"you":{"id":"viewer","role":"viewer","name":"Raadsgriffie"}' "viewer: status"
    r=$(az_raw admin '{"v":1,"op":"status","id":"s2"}')
    assert_contains "$r" '"you":{"id":"admin","role":"admin","name":"Beleid"}' "admin: status"
    r=$(az_raw viewer '{"v":1,"op":"catalog","id":"c1"}')
    assert_contains "$r" '"status":200' "viewer: catalog"
    assert_not_contains "$r" '"may_report"' "staff have no may_report"
    r=$(az_raw admin "{\"v\":1,\"op\":\"submit\",\"id\":\"x1\",\"records\":[{\"metric\":\"vve.plaatsen\",\"period\":\"$LAST_MONTH\",\"value\":9}]}")
    assert_contains "$r" '"status":403,"error":"staff read figures; only partner organisations submit them"' "admin: submit"
    # A staff key cannot pass for another staff member (a viewer claiming admin's rights).
    r=$(az_raw viewer '{"v":1,"op":"ack","id":"x2","reporter":"admin","alert":1,"note":"gezien"}')
    assert_eq '{"v":1,"id":"x2","status":403,"error":"this key belongs to viewer, not to reporter admin"}' "$r" \
        "viewer claiming to be admin"
    # The subscriptions must reach the daemon first: connected, then the handshakes and the
    # subscriptions.
    wait_connected "${PUB_EP##*:}" 2
    sleep 1
    # The figures that raise an event for the watchers.
    az_noord "$LAST_MONTH" 5
    # Snapshots, series and completeness: both staff roles.
    r=$(az_raw viewer "{\"v\":1,\"op\":\"snapshot\",\"id\":\"q1\",\"indicator\":\"vve_bereik\",\"period\":\"$LAST_MONTH\",\"area\":\"WK016402\"}")
    assert_contains "$r" '"status":200' "viewer: snapshot"
    assert_contains "$r" '"value":50,"numerator":5,"denominator":10' "viewer: the figure"
    r=$(az_raw admin "{\"v\":1,\"op\":\"series\",\"id\":\"q2\",\"indicator\":\"vve_bereik\",\"from\":\"$TWO_MONTHS_AGO\",\"to\":\"$LAST_MONTH\",\"area\":\"WK016402\"}")
    assert_contains "$r" '"status":200' "admin: series"
    assert_contains "$r" "{\"period\":\"$LAST_MONTH\",\"value\":50," "admin: the point"
    r=$(az_raw viewer "{\"v\":1,\"op\":\"completeness\",\"id\":\"q3\",\"period\":\"$LAST_MONTH\",\"metric\":\"vve.doelgroep.geplaatst\"}")
    assert_eq "ko-a ko-b ko-c" "$(grep -o '{"id":"[^"]*","name"' <<< "$r" | cut -d'"' -f4 | tr '\n' ' ' | sed 's/ $//')" \
        "viewer: every organisation that reports the metric"
    # Figures: both staff roles, naming the organisation.
    r=$(az_raw viewer "{\"v\":1,\"op\":\"figures\",\"id\":\"f1\",\"period\":\"$LAST_MONTH\",\"organisation\":\"ko-a\"}")
    assert_contains "$r" '"status":200,"organisation":"ko-a"' "viewer: ko-a's figures"
    assert_contains "$r" '"metric":"vve.doelgroep.geplaatst","area":"WK016402","period":"'"$LAST_MONTH"'","value":5,' "viewer: the figure"
    r=$(az_raw admin "{\"v\":1,\"op\":\"figures\",\"id\":\"f2\",\"period\":\"$LAST_MONTH\"}")
    assert_eq '{"v":1,"id":"f2","status":400,"error":"staff name the organisation whose figures to list (organisation)"}' "$r" "admin: no organisation"
    # Alerts: both read them; only the admin acknowledges and silences.
    r=$(az_raw viewer '{"v":1,"op":"alerts","id":"a1","rule":"vve_bereik_wijk_laag","area":"WK016402"}')
    assert_contains "$r" '"status":200' "viewer: alerts"
    assert_contains "$r" '"state":"pending"' "viewer: the pending alert"
    local id
    id=$(grep -o '"alerts":\[{"id":[0-9]*' <<< "$r" | grep -o '[0-9]*$')
    [ -n "$id" ] || fail "no alert id in: $r"
    r=$(az_raw admin '{"v":1,"op":"alerts","id":"a2","state":"all"}')
    assert_contains "$r" '"status":200' "admin: alerts"
    r=$(az_raw viewer "{\"v\":1,\"op\":\"ack\",\"id\":\"a3\",\"alert\":$id,\"note\":\"gezien\"}")
    assert_eq '{"v":1,"id":"a3","status":403,"error":"acknowledging alerts needs the admin role"}' "$r" "viewer: ack"
    local until=$(($(date +%s) + 86400))
    r=$(az_raw viewer "{\"v\":1,\"op\":\"silence\",\"id\":\"a4\",\"rule\":\"vve_bereik_wijk_laag\",\"area\":\"WK016402\",\"until\":$until}")
    assert_eq '{"v":1,"id":"a4","status":403,"error":"silencing alerts needs the admin role"}' "$r" "viewer: silence"
    assert_eq "|0" "$(sql "select ifnull(acked_by, ''), (select count(*) from silence) from alert where id = $id")" \
        "the viewer changed nothing"
    r=$(az_raw admin "{\"v\":1,\"op\":\"ack\",\"id\":\"a5\",\"alert\":$id,\"note\":\"gezien\"}")
    assert_contains "$r" '"status":200' "admin: ack"
    assert_contains "$r" '"acked_by":"admin"' "acknowledged by the key's owner"
    r=$(az_raw admin "{\"v\":1,\"op\":\"silence\",\"id\":\"a6\",\"rule\":\"vve_bereik_wijk_laag\",\"area\":\"WK016402\",\"until\":$until,\"note\":\"verbouwing\"}")
    assert_contains "$r" '"status":200' "admin: silence"
    assert_contains "$r" "\"silence\":{\"rule\":\"vve_bereik_wijk_laag\",\"area\":\"WK016402\",\"until\":$until,\"by\":\"admin\",\"note\":\"verbouwing\"" \
        "silenced by the key's owner"
    assert_eq "admin|gezien|1" "$(sql "select acked_by, ack_note, (select count(*) from silence) from alert where id = $id")" \
        "stored"
    # Both watchers got the event.
    wait "$wv" || fail "viewer's watch exited $?: $(cat "$T/watch.viewer")"
    wait "$wa" || fail "admin's watch exited $?: $(cat "$T/watch.admin")"
    assert_contains "$(cat "$T/watch.viewer")" '"rule":"vve_bereik_wijk_laag"' "viewer's event"
    assert_contains "$(cat "$T/watch.viewer")" '"state":"pending"' "viewer's event: pending"
    assert_contains "$(cat "$T/watch.admin")" '"rule":"vve_bereik_wijk_laag"' "admin's event"
}

test_authz_revoked_key_is_refused_from_then_on() {
    setup_secure
    start_daemon
    LM_ARGS+=(--publish "$PUB_EP")
    local r
    # Before: the viewer reads alerts and may subscribe (3: connected, no event in 1 s).
    r=$(az_raw viewer '{"v":1,"op":"alerts","id":"a1"}')
    assert_contains "$r" '"status":200' "viewer before the revocation"
    assert_status 3 "viewer: watch before" as viewer watch --idle 1
    # The viewer's key leaves the partners file; the daemon reloads it.
    REVOKE=viewer write_partners keys
    assert_not_contains "$(cat "$T/partners.conf")" "$(az_pub viewer)" "key removed from the file"
    kill -HUP "$DAEMON_PID"
    wait_log 'reloaded: .* 7 keys'
    assert_status 1 "viewer: alerts after" as viewer alerts
    assert_contains "$OUT" "the daemon refused this client's key" "refused at the handshake"
    assert_status 3 "viewer: raw request after" az_raw viewer '{"v":1,"op":"ping","id":"gone"}' 1000
    assert_status 1 "viewer: watch after" as viewer watch --idle 5
    assert_contains "$OUT" "refused this client's key" "the PUB socket refuses it too"
    az_wait_log "refused a connection with unknown key $(az_pub viewer)"
    assert_eq 1 "$(az_served | grep -c ' from viewer: ')" "only the request before the revocation was served to the viewer"
    assert_not_contains "$(az_served)" " gone " "the raw request was not served"
    # Every other key keeps working, for each of its rights.
    assert_status 0 "admin: alerts" as admin alerts
    assert_status 3 "admin: watch" as admin watch --idle 1
    assert_status 0 "ko-a: submit" as ko-a submit --period "$LAST_MONTH" vve.plaatsen=40
    assert_eq "ko-a|40.0" "$(sql 'select reporter, value from observation')" "ko-a's figure stored"
    r=$(az_raw ko-a '{"v":1,"op":"alerts","id":"a2"}')
    assert_contains "$r" '"status":403' "ko-a still has no staff rights"
    # Putting the key back restores it.
    write_partners keys
    kill -HUP "$DAEMON_PID"
    wait_log 'reloaded: .* 8 keys'
    r=$(az_raw viewer '{"v":1,"op":"alerts","id":"a3"}')
    assert_contains "$r" '"status":200' "viewer after the key came back"
}
