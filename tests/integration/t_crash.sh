# t_crash.sh: crash safety (PROTOCOL.md §7, §8). leamond is killed with SIGKILL, again and
# again, while partners submit, and restarted on the same database each time. Nothing it
# acknowledged may be missing or changed, no submission may be stored in part, the database
# must pass PRAGMA integrity_check, and a retry (same request id, same figures) must find
# what is stored instead of storing it twice.

CRASH_KILLS=5 # SIGKILLs in test_kill_9_loses_nothing_acknowledged
CRASH_AREAS=(GM0164 WK016401 WK016402 WK016404)

# The months from 2020-01 (the catalogue's first_period) up to LAST_MONTH.
crash_months() {
    echo $(((${LAST_MONTH%-*} - 2020) * 12 + 10#${LAST_MONTH#*-}))
}

# Wait until the running daemon has committed $1 batches with writes (at most 15 s).
crash_wait_commits() {
    local i
    for i in $(seq 1 300); do
        [ "$(grep -c 'stored [1-9][0-9]* submissions\?, .* in one transaction' "$T/leamond.log")" -ge "$1" ] && return 0
        sleep 0.05
    done
    fail "leamond committed fewer than $1 batches in 15 s: $(tail -n 5 "$T/leamond.log")"
}

crash_sleep_ms() {
    sleep "$(($1 / 1000)).$(printf '%03d' $(($1 % 1000)))"
}

# Send submission ID of REPORTER, the records of $T/sub/ID.csv (metric,area,period,value),
# with leamon (options: the further arguments), and write down what became of it, by
# leamon's exit code:
#   0, a 200 (stored or already stored): its records to $T/ack-REPORTER, as
#      reporter,id,metric,area,period,value; "already stored" also to $T/dupack-REPORTER
#   3, no reply: the id to $T/lost-REPORTER (nothing is known; retried at the end)
#   anything else: $T/clienterr-REPORTER (the test fails)
crash_send() { # reporter id leamon-options...
    local r=$1 id=$2 rc=0 out line
    shift 2
    out=$("$LEAMON" "${LM_ARGS[@]}" "$@" --reporter "$r" submit --id "$id" "$T/sub/$id.csv" 2>&1) || rc=$?
    case $rc in
        0)
            { read -r line; while read -r line; do echo "$r,$id,$line"; done; } \
                < "$T/sub/$id.csv" >> "$T/ack-$r"
            case $out in *"already stored"*) echo "$id" >> "$T/dupack-$r" ;; esac
            ;;
        3) echo "$id" >> "$T/lost-$r" ;;
        1)
            # A daemon killed during the ZMTP handshake resets the connection, and leamon
            # takes that for a refused handshake: exit 1, "the handshake with the daemon
            # ... failed (Connection reset by peer)", and no retry. Nothing is known then (an
            # earlier attempt may have been stored), so it is retried like a lost one.
            case $out in
                *"handshake with the daemon"*"failed ("*)
                    echo "$id" >> "$T/lost-$r"
                    echo "$id: $out" >> "$T/handshake-$r"
                    ;;
                *) echo "$id: exit $rc: $out" >> "$T/clienterr-$r" ;;
            esac
            ;;
        *) echo "$id: exit $rc: $out" >> "$T/clienterr-$r" ;;
    esac
}

# One partner submitting without pause until $T/stop exists. Submission n (request id
# REPORTER-n) holds two records, METRIC1 = n and METRIC2 = v2(n), for area n % 4 and month
# n / 4: every submission has (reporter, metric, area, period) keys of its own and never
# replaces another's value. Every id goes to $T/sent-REPORTER (reporter,id,records) first.
crash_client() { # reporter metric1 metric2 kind-of-v2 leamon-options...
    local r=$1 m1=$2 m2=$3 kind=$4
    shift 4
    local n=0 cap=$((4 * $(crash_months))) deadline=$((SECONDS + 60)) id period v2
    while [ ! -e "$T/stop" ] && [ $n -lt $cap ] && [ $SECONDS -lt $deadline ]; do
        id="$r-$n"
        printf -v period '%04d-%02d' $((2020 + n / 48)) $((n / 4 % 12 + 1))
        case $kind in
            frac) v2="$((n % 400 / 10)).$((n % 10))" ;; # hours, 0.0-39.9: not whole numbers
            down) v2=$((999 - n)) ;;
            *) v2=$((3 * n + 7)) ;;
        esac
        printf 'metric,area,period,value\n%s,%s,%s,%s\n%s,%s,%s,%s\n' \
            "$m1" "${CRASH_AREAS[n % 4]}" "$period" "$n" "$m2" "${CRASH_AREAS[n % 4]}" "$period" "$v2" \
            > "$T/sub/$id.csv"
        echo "$r,$id,2" >> "$T/sent-$r"
        crash_send "$r" "$id" "$@"
        n=$((n + 1))
    done
}

# A large submission in the background, so that a kill can land while the daemon stores
# it: the RBL's 500 records (request id rbl-K), keys of their own for each K (2, 4).
crash_big() { # K
    local id="rbl-$1" n from=$((($1 / 2 - 1) * 500))
    local metrics=(rbl.leerplichtigen rbl.verzuim.relatief rbl.verzuim.absoluut rbl.verzuim.luxe
        rbl.thuiszitters rbl.vrijstellingen rbl.vsv)
    local areas=(GM0164 WK016401 WK016402 WK016404 GM0153 WK015301)
    {
        echo metric,area,period,value
        for ((n = from; n < from + 500; n++)); do
            printf '%s,%s,%04d-%02d,%d\n' "${metrics[n % 7]}" "${areas[n / 7 % 6]}" \
                $((2020 + n / 42 / 12)) $((n / 42 % 12 + 1)) $n
        done
    } > "$T/sub/$id.csv"
    echo "rbl,$id,500" >> "$T/sent-rbl"
    crash_send rbl "$id" --timeout 1000 --retries 0 &
    CRASH_CLIENTS+=($!)
}

# Wait (at most ~3 s) until the daemon's log says it has read request $1.
crash_wait_received() {
    local i
    for i in $(seq 1 1500); do
        grep -q "received submit $1 " "$T/leamond.log" && return 0
    done
}

# Where a daemon's log ($1) stops: "between batches" (every submission it read was answered,
# that is handed to ZeroMQ, which may not have sent it yet), "before commit" (one read and
# not committed), "after commit, before reply" (committed, not answered).
crash_where() {
    awk '$3 == "received" && $4 == "submit" { k = $5 " " $7; sub(/:$/, "", k); open[k] = 1; r = NR }
        $3 == "stored" && $NF == "transaction" { c = NR }
        $3 == "submit" { k = $4 " " $6; sub(/:$/, "", k); delete open[k] }
        END { n = 0; for (k in open) n++
              print (n == 0 ? "between batches" : (c > r ? "after commit, before reply" : "before commit")) }' "$1"
}

# Acknowledged records (the ack-* files) that database $1 does not hold with their exact
# value under their request id, one "reporter,id,metric,area,period,value" line each.
crash_missing_acks() { # database
    cat "$T"/ack-* > "$T/all-acks.csv" 2>/dev/null
    sqlite3 -batch :memory: <<SQL
CREATE TABLE ack(reporter TEXT, request_id TEXT, metric TEXT, area TEXT, period TEXT, value REAL);
.mode csv
.import $T/all-acks.csv ack
ATTACH '$1' AS d;
SELECT a.* FROM ack a WHERE NOT EXISTS (
  SELECT 1 FROM d.submission s JOIN d.observation o ON o.submission = s.id
  WHERE s.reporter = a.reporter AND s.request_id = a.request_id AND o.reporter = a.reporter
    AND o.metric = a.metric AND o.area = a.area AND o.period = a.period AND o.value = a.value);
SQL
}

# Submissions in database $1 whose observations are not exactly their records: stored in part.
crash_partial() { # database
    sqlite3 -batch "$1" 'SELECT s.reporter, s.request_id, s.records, count(o.metric)
        FROM submission s LEFT JOIN observation o ON o.submission = s.id
        GROUP BY s.id HAVING count(o.metric) != s.records'
}

crash_stop_clients() {
    touch "$T/stop"
    local p
    for p in ${CRASH_CLIENTS[@]+"${CRASH_CLIENTS[@]}"}; do wait "$p"; done
    CRASH_CLIENTS=()
}

test_kill_9_loses_nothing_acknowledged() {
    setup_insecure
    : > "$T/empty.conf"
    export LEAMON_CONFIG="$T/empty.conf" # no user config, so no spool: exit 0 means a 200
    unset LEAMON_SPOOL
    mkdir "$T/sub"
    CRASH_CLIENTS=()
    trap crash_stop_clients EXIT
    start_daemon
    # Two partners give up when no reply comes (their submissions in flight at a kill are
    # retried at the end); two retry by themselves and reach the restarted daemon.
    local once=(--timeout 1000 --retries 0) again=(--timeout 700 --retries 3)
    crash_client ko-a vve.plaatsen vve.wachtlijst down "${once[@]}" &
    CRASH_CLIENTS+=($!)
    crash_client ko-c vve.peuters.geplaatst vve.uren.per_week frac "${once[@]}" &
    CRASH_CLIENTS+=($!)
    crash_client ggd jgz.doelgroep.geindiceerd jgz.indicaties.nieuw up "${again[@]}" &
    CRASH_CLIENTS+=($!)
    crash_client po-a school.leerlingen school.rijke_schooldag up "${again[@]}" &
    CRASH_CLIENTS+=($!)

    local k ms rc bad where wheres=()
    for k in $(seq 1 $CRASH_KILLS); do
        crash_wait_commits 3 # this incarnation is taking submissions, however slowly
        ms=$((200 + RANDOM % 801))
        crash_sleep_ms $ms
        # Odd kills at that random moment; even ones as soon as the daemon has read a
        # submission of 500 records: while it checks and stores them, or commits.
        if [ $((k % 2)) = 0 ]; then
            crash_big $k
            crash_wait_received "rbl-$k"
        fi
        kill -KILL "$DAEMON_PID"
        rc=0
        wait "$DAEMON_PID" 2>/dev/null || rc=$?
        assert_eq 137 "$rc" "leamond's exit status after SIGKILL $k"
        cp "$T/leamond.log" "$T/leamond.log.$k"
        where=$(crash_where "$T/leamond.log.$k")
        wheres+=("$k: $where")
        # The database exactly as the kill left it (with its WAL), checked in a copy so that
        # the restarted daemon does its own recovery.
        mkdir "$T/kill$k"
        cp "$T/leamon.db" "$T/kill$k/"
        [ ! -e "$T/leamon.db-wal" ] || cp "$T/leamon.db-wal" "$T/kill$k/"
        assert_eq ok "$(sqlite3 -batch "$T/kill$k/leamon.db" 'pragma integrity_check')" \
            "integrity after SIGKILL $k ($where)"
        bad=$(crash_missing_acks "$T/kill$k/leamon.db")
        [ -z "$bad" ] || fail "after SIGKILL $k ($where), acknowledged but not in the database: $bad"
        bad=$(crash_partial "$T/kill$k/leamon.db")
        [ -z "$bad" ] || fail "after SIGKILL $k ($where), stored in part: $bad"
        start_daemon
    done
    crash_wait_commits 3
    crash_stop_clients
    trap - EXIT
    stop_daemon
    assert_eq 0 "$DAEMON_RC" "clean exit after the crashes"
    [ -z "$(cat "$T"/clienterr-* 2>/dev/null)" ] ||
        fail "a submission neither answered 200 nor unanswered: $(cat "$T"/clienterr-*)"
    local acked
    acked=$(cat "$T"/ack-* | cut -d, -f1,2 | sort -u | wc -l)
    [ "$acked" -ge 10 ] || fail "only $acked acknowledged submissions: the test did not test much"
    bad=$(crash_missing_acks "$T/leamon.db")
    [ -z "$bad" ] || fail "after the last restart, acknowledged but not in the database: $bad"

    # Retry every submission that got no reply, and a few acknowledged ones, with the same
    # id and figures. What the database held before decides the answer: stored before, a
    # duplicate; not stored, stored now; either way stored once.
    cat "$T"/lost-* > "$T/all-lost" 2>/dev/null
    local id r out retried=0 committed_unanswered=0
    local -a retries=()
    while read -r id; do retries+=("$id"); done < "$T/all-lost"
    for r in ko-a ko-c ggd po-a rbl; do
        while read -r id; do retries+=("$id"); done < <(cut -d, -f2 "$T/ack-$r" 2>/dev/null | sort -u | shuf -n 2)
    done
    local -A had=()
    for id in "${retries[@]}"; do
        had[$id]=$(sql "select count(*) from submission where reporter = '${id%-*}' and request_id = '$id'")
    done
    start_daemon
    for id in "${retries[@]}"; do
        r=${id%-*}
        rc=0
        # One attempt, however slow (a sanitizer build under load): a second attempt of
        # leamon's own would find the first one stored.
        out=$("$LEAMON" "${LM_ARGS[@]}" --timeout 20000 --retries 0 --reporter "$r" --format json \
            submit --id "$id" "$T/sub/$id.csv" 2>&1) || rc=$?
        assert_eq 0 "$rc" "exit code of the retry of $id: $out"
        assert_contains "$out" '"status":200' "retry of $id"
        if [ "${had[$id]}" = 1 ]; then
            assert_contains "$out" '"duplicate":true' "retry of $id, which was stored before"
            if grep -qx "$id" "$T/all-lost"; then committed_unanswered=$((committed_unanswered + 1)); fi
        elif grep -qx "$id" "$T/all-lost"; then
            assert_eq 0 "${had[$id]}" "submission rows of $id before its retry"
            assert_contains "$out" '"duplicate":false' "retry of $id, which was not stored"
        else
            fail "$id was acknowledged but not stored before its retry"
        fi
        assert_eq 1 "$(sql "select count(*) from submission where reporter = '$r' and request_id = '$id'")" \
            "submission rows of $r/$id after its retry"
        retried=$((retried + 1))
    done
    stop_daemon
    assert_eq 0 "$DAEMON_RC" "clean exit after the retries"

    assert_eq ok "$(sql 'pragma integrity_check')" "integrity at the end"
    bad=$(crash_missing_acks "$T/leamon.db")
    [ -z "$bad" ] || fail "acknowledged but not in the database: $bad"
    bad=$(crash_partial "$T/leamon.db")
    [ -z "$bad" ] || fail "stored in part: $bad"
    # Everything sent is now stored, once, whole: the submissions are exactly the ids sent,
    # with their record counts, and no value was ever replaced (every key was sent once).
    cat "$T"/sent-* > "$T/all-sent.csv"
    bad=$(sqlite3 -batch :memory: <<SQL
CREATE TABLE sent(reporter TEXT, request_id TEXT, records INTEGER);
.mode csv
.import $T/all-sent.csv sent
ATTACH '$T/leamon.db' AS d;
SELECT 'stored, not as sent: ' || reporter || '/' || request_id || ' ' || records FROM
  (SELECT reporter, request_id, records FROM d.submission EXCEPT SELECT * FROM sent);
SELECT 'sent, not stored so: ' || reporter || '/' || request_id || ' ' || records FROM
  (SELECT * FROM sent EXCEPT SELECT reporter, request_id, records FROM d.submission);
SQL
)
    [ -z "$bad" ] || fail "the submissions stored are not those sent: $bad"
    assert_eq "$(wc -l < "$T/all-sent.csv")" "$(sql 'select count(*) from submission')" "submissions"
    assert_eq "" "$(sql 'select reporter, request_id from submission group by 1, 2 having count(*) > 1')" \
        "request ids stored more than once"
    assert_eq "$(sql 'select sum(records) from submission')" "$(sql 'select count(*) from observation')" \
        "observations"
    assert_eq 0 "$(sql 'select count(*) from observation_audit')" "values replaced"

    local lost_n resets dup_acks
    lost_n=$(wc -l < "$T/all-lost")
    resets=$(cat "$T"/handshake-* 2>/dev/null | wc -l)
    dup_acks=$(cat "$T"/dupack-* 2>/dev/null | wc -l)
    echo "crash: kills at: ${wheres[*]}"
    echo "crash: $acked acknowledged; $lost_n unanswered ($resets of them handshake resets," \
        "$committed_unanswered stored before their retry); $dup_acks answered 'already stored'" \
        "by leamon's own retry; $retried retried"
}

# The deterministic half: SIGKILL right after a 200, then the same id again after the
# restart (a duplicate, nothing written; other figures under it, a 409); and a submission
# sent while the daemon is dead, delivered once by leamon's own retries.
test_kill_9_retry_after_restart_is_stored_once() {
    setup_insecure
    : > "$T/empty.conf"
    export LEAMON_CONFIG="$T/empty.conf"
    unset LEAMON_SPOOL
    start_daemon
    assert_status 0 "submit" as ko-a --timeout 20000 --retries 0 --format json submit --id k1 \
        --period "$LAST_MONTH" vve.plaatsen=40 vve.uren.per_week=15,5
    assert_contains "$OUT" '"duplicate":false' "first submission"
    kill -KILL "$DAEMON_PID"
    wait "$DAEMON_PID" 2>/dev/null
    assert_eq ok "$(sql 'pragma integrity_check')" "integrity after the kill"
    assert_eq "vve.plaatsen|40.0
vve.uren.per_week|15.5" "$(sql "select o.metric, o.value from observation o join submission s on o.submission = s.id where s.request_id = 'k1' order by 1")" \
        "acknowledged figures survive SIGKILL"
    start_daemon
    assert_status 0 "retry after the restart" as ko-a --format json submit --id k1 \
        --period "$LAST_MONTH" vve.plaatsen=40 vve.uren.per_week=15,5
    assert_contains "$OUT" '"duplicate":true' "the retry finds the stored submission"
    assert_contains "$OUT" '"accepted":2' "and its record count"
    assert_status 0 "retry, text output" as ko-a submit --id k1 --period "$LAST_MONTH" \
        vve.plaatsen=40 vve.uren.per_week=15,5
    assert_contains "$OUT" "already stored (request k1): 2 records" "leamon says so"
    assert_status 1 "same id, other figures" as ko-a submit --id k1 --period "$LAST_MONTH" \
        vve.plaatsen=41 vve.uren.per_week=15,5
    assert_eq "1|2|0" "$(sql "select count(*), sum(records), (select count(*) from observation_audit) from submission where request_id = 'k1'")" \
        "one submission, nothing replaced"
    assert_eq 40.0 "$(sql "select value from observation where metric = 'vve.plaatsen'")" "value kept"

    # A submission sent while the daemon is dead: leamon's own retries (same id) reach the
    # restarted daemon and the figures are stored once.
    kill -KILL "$DAEMON_PID"
    wait "$DAEMON_PID" 2>/dev/null
    as ko-a --timeout 500 --retries 4 submit --id k2 --period "$LAST_MONTH" vve.wachtlijst=3 \
        > "$T/k2.out" 2>&1 &
    local client=$!
    sleep 0.7
    start_daemon
    local rc=0
    wait "$client" || rc=$?
    assert_eq 0 "$rc" "leamon across the crash: $(cat "$T/k2.out")"
    # "already stored" if an attempt that timed out had arrived after all (a slow start).
    case $(cat "$T/k2.out") in
        *"stored 1 record for $LAST_MONTH (request k2)"* | *"already stored (request k2): 1 record"*) ;;
        *) fail "k2 not stored after the restart: $(cat "$T/k2.out")" ;;
    esac
    assert_eq "1|3.0" "$(sql "select count(*), max(o.value) from submission s join observation o on o.submission = s.id where s.request_id = 'k2'")" \
        "k2 stored once"
    stop_daemon
    assert_eq 0 "$DAEMON_RC" "clean exit"
    assert_eq ok "$(sql 'pragma integrity_check')" "integrity at the end"
    assert_eq 2 "$(sql 'select count(*) from submission')" "two submissions in all"
}
