# t_secure.sh: CURVE identities end to end: real key pairs, the ZAP handler, and what each
# identity may do.

test_known_key_submits_as_its_organisation() {
    setup_secure
    start_daemon
    assert_status 0 "ko-a submits" as ko-a submit --period "$LAST_MONTH" vve.plaatsen=40
    assert_eq "ko-a|WK016402|40.0" "$(sql 'select reporter, area, value from observation')" "stored under the key's organisation"
    assert_contains "$(cat "$T/leamond.log")" "CURVE, 8 keys known" "secure mode in the log"
}

test_unknown_key_is_refused_at_the_handshake() {
    setup_secure
    start_daemon
    assert_status 1 "a key not in the partners file" as stranger ping
    assert_contains "$OUT" "refused this client's key" "client says why"
    wait_log 'refused a connection with unknown key'
    assert_status 0 "a known key still works" as viewer ping
}

test_key_cannot_claim_another_reporter() {
    setup_secure
    start_daemon
    local r
    r=$("$LMRAW" --server-key "$SERVER_KEY" --key "$T/keys/ko-a.key" "$EP" \
        "{\"v\":1,\"op\":\"submit\",\"id\":\"x1\",\"reporter\":\"rbl\",\"records\":[{\"metric\":\"rbl.thuiszitters\",\"period\":\"$LAST_MONTH\",\"value\":3}]}")
    assert_contains "$r" '"status":403' "claiming another reporter"
    assert_contains "$r" 'this key belongs to ko-a, not to reporter rbl' "reason"
    assert_eq 0 "$(sql 'select count(*) from observation')" "nothing stored"
}

test_partner_may_not_send_other_kinds_or_areas() {
    setup_secure
    start_daemon
    assert_status 1 "childcare sending a school metric" as ko-a submit --period "$LAST_MONTH" school.vsv=2
    assert_contains "$OUT" "metric_not_allowed" "metric refused"
    assert_status 1 "childcare in Hengelo sending for Enschede" as ko-a submit --period "$LAST_MONTH" --area WK015301 vve.plaatsen=4
    assert_contains "$OUT" "area_not_allowed" "area refused"
    # The regional RBL may report for both gemeenten it lists.
    assert_status 0 "RBL for Enschede" as rbl submit --period "$LAST_MONTH" --area GM0153 rbl.thuiszitters=4
    assert_status 0 "RBL for a wijk of Hengelo" as rbl submit --period "$LAST_MONTH" --area WK016401 rbl.thuiszitters=1
    assert_eq 2 "$(sql 'select count(*) from observation')" "only the RBL's figures stored"
}

test_staff_cannot_submit() {
    setup_secure
    start_daemon
    assert_status 1 "a viewer submitting" as viewer submit --period "$LAST_MONTH" vve.plaatsen=1
    assert_contains "$OUT" "only partner organisations submit" "reason"
}

test_partner_status_shows_only_its_own_figures() {
    setup_secure
    start_daemon
    assert_status 0 "ko-a" as ko-a submit --period "$LAST_MONTH" vve.plaatsen=40 vve.wachtlijst=2
    assert_status 0 "po-a" as po-a submit --period "$LAST_MONTH" school.leerlingen=300
    local r
    r=$(as ko-a --format json status)
    assert_contains "$r" '"observations":2' "partner sees its own two"
    assert_contains "$r" '"role":"partner"' "role"
    r=$(as viewer --format json status)
    assert_contains "$r" '"observations":3' "staff sees all three"
    assert_contains "$r" '"role":"viewer"' "staff role"
}

test_revoked_key_is_refused_after_reload() {
    setup_secure
    start_daemon
    assert_status 0 "before revocation" as ko-a ping
    REVOKE=ko-a write_partners keys
    assert_not_contains "$(cat "$T/partners.conf")" "$(grep -v '^#' "$T/keys/ko-a.pub")" "key removed from the file"
    kill -HUP "$DAEMON_PID"
    wait_log 'reloaded: .* 7 keys'
    assert_status 1 "after revocation" as ko-a ping
    assert_contains "$OUT" "refused" "refused at the handshake"
    assert_status 0 "others unaffected" as po-a ping
}

test_secret_key_file_must_be_private() {
    setup_secure
    chmod 0644 "$T/keys/server.key"
    assert_status 1 "leamond with a world-readable key" "$LEAMOND" -c "$T/leamond.conf"
    assert_contains "$OUT" "0644" "names the mode"
    assert_contains "$OUT" "server.key" "names the file"
    chmod 0600 "$T/keys/server.key"
    chmod 0644 "$T/keys/ko-a.key"
    start_daemon
    assert_status 2 "leamon with a world-readable key" as ko-a ping
    assert_contains "$OUT" "0644" "client names the mode"
}
