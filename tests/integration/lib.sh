# lib.sh: helpers for integration tests. Each test runs in its own subshell with a fresh
# directory $T (config, keys, database) and drives a real leamond with the real leamon.
#
#   setup_insecure              config without keys: requests name their reporter
#   setup_secure                server key + a key per organisation/staff (in $T/keys)
#   start_daemon [ARGS]         start leamond on $T/leamond.conf, wait until it listens
#   stop_daemon                 SIGTERM, wait; sets DAEMON_RC
#   lm ARGS                     run leamon against the daemon ($LM_ARGS are added)
#   submit_as WHO PERIOD AREA m=v...   submit figures as WHO, or fail the test
#   sql QUERY                   query the test database
#   metrics_value / wait_metric / wait_metric_at_least   read the metrics file $T/metrics.prom
#   fail MSG / assert_eq / assert_contains / assert_not_contains / assert_status

BUILD=${BUILD:-build}
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LEAMOND="$TOP/$BUILD/leamond"
LEAMON="$TOP/$BUILD/leamon"
LMRAW="$TOP/$BUILD/tools/lmraw"
LMCONNS="$TOP/$BUILD/tools/lmconns"

fail() {
    echo "    FAIL: $*" >&2
    exit 1
}

assert_eq() { # expected actual what
    [ "$1" = "$2" ] || fail "$3: expected '$1', got '$2'"
}

assert_contains() { # haystack needle what
    case "$1" in *"$2"*) ;; *) fail "$3: '$2' not found in: $1" ;; esac
}

assert_match() { # text extended-regex what
    [[ "$1" =~ $2 ]] || fail "$3: '$1' does not match /$2/"
}

assert_not_contains() { # haystack needle what
    case "$1" in *"$2"*) fail "$3: '$2' unexpectedly found in: $1" ;; esac
}

assert_status() { # expected-exit-code what -- command...
    local want=$1 what=$2
    shift 2
    local rc=0
    OUT=$("$@" 2>&1) || rc=$?
    [ "$rc" = "$want" ] || fail "$what: exit code $rc, expected $want; output: $OUT"
}

# A port for a daemon of this test. Under run.sh the test has ports of its own
# (TEST_PORTS="FIRST LAST", which no other test is given and no client socket's local port
# can be): the next of them that nothing listens on (a daemon left by an interrupted run
# might). Otherwise a port the kernel picks for a moment.
free_port() {
    if [ -n "${TEST_PORTS:-}" ]; then
        local p last=${TEST_PORTS#* }
        p=$(cat "$T/.next_port" 2>/dev/null) || p=${TEST_PORTS% *}
        for ((; p <= last; p++)); do
            if ! (: < "/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
                echo $((p + 1)) > "$T/.next_port"
                echo "$p"
                return 0
            fi
        done
        echo "free_port: every port of this test ($TEST_PORTS) is taken" >&2
        return 1
    fi
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null ||
        echo $((20000 + RANDOM % 40000))
}

write_conf() { # extra settings appended
    local pub
    PORT=$(free_port) && pub=$(free_port) || fail "no free port"
    EP="tcp://127.0.0.1:$PORT"
    PUB_EP="tcp://127.0.0.1:$pub"
    # Figures are owed from 2020 on, as if leamon had run since: the tests judge late rules
    # over past months.
    { cat "$TOP/config/catalog.conf"; echo 'owed_from = "2020-01";'; } > "$T/catalog.conf"
    cat > "$T/leamond.conf" <<CONF
listen = "$EP";
database = "leamon.db";
catalog = "catalog.conf";
partners = "partners.conf";
log_level = "debug";
publish = "$PUB_EP";
$1
CONF
}

# Areas and organisations used by every test: a gemeente with three wijken, a second
# gemeente, three childcare locations (two in Hengelo), the GGD, a school, the RBL, and two
# staff members.
write_partners() { # $1: "keys" to add keys = [...] from $T/keys/<id>.pub, except $REVOKE's
    local with_keys=$1
    key() {
        if [ "$with_keys" = keys ] && [ "$1" != "${REVOKE:-}" ]; then printf 'keys = ["%s"];' "$(grep -v '^#' "$T/keys/$1.pub" | head -n1)"; fi
    }
    cat > "$T/partners.conf" <<CONF
areas = (
  { code = "GM0164"; name = "Hengelo"; level = "gemeente"; },
  { code = "WK016401"; name = "Hengelose Es"; level = "wijk"; parent = "GM0164"; },
  { code = "WK016402"; name = "Noord"; level = "wijk"; parent = "GM0164"; },
  { code = "WK016404"; name = "Groot Driene"; level = "wijk"; parent = "GM0164"; },
  { code = "GM0153"; name = "Enschede"; level = "gemeente"; },
  { code = "WK015301"; name = "Centrum"; level = "wijk"; parent = "GM0153"; }
);
organisations = (
  { id = "ko-a"; name = "Kinderopvang A"; kind = "kinderopvang"; area = "WK016402";
    reports_for = ["GM0164"]; $(key ko-a) },
  { id = "ko-b"; name = "Kinderopvang B"; kind = "kinderopvang"; area = "WK015301"; $(key ko-b) },
  { id = "ko-c"; name = "Kinderopvang C"; kind = "kinderopvang"; area = "WK016401";
    reports_for = ["GM0164"]; $(key ko-c) },
  { id = "ggd"; name = "GGD Twente"; kind = "ggd"; area = "GM0164"; $(key ggd) },
  { id = "po-a"; name = "Basisschool A"; kind = "school_po"; area = "WK016404";
    reports_for = ["GM0164"]; $(key po-a) },
  { id = "rbl"; name = "RBL Twente"; kind = "rbl"; area = "GM0164"; reports_for = ["GM0164", "GM0153"]; $(key rbl) }
);
staff = (
  { id = "viewer"; name = "Raadsgriffie"; role = "viewer"; $(key viewer) },
  { id = "admin"; name = "Beleid"; role = "admin"; $(key admin) }
);
CONF
}

setup_insecure() {
    write_conf ""
    write_partners ""
    LM_ARGS=(--endpoint "$EP" --timeout 2000 --retries 1)
}

setup_secure() {
    mkdir -p "$T/keys"
    local id
    for id in server ko-a ko-b ko-c ggd po-a rbl viewer admin stranger; do
        "$LEAMON" keygen "$id" --dir "$T/keys" >/dev/null || fail "keygen $id"
    done
    write_conf "server_secret_key_file = \"keys/server.key\";"
    write_partners keys
    SERVER_KEY=$(grep -v '^#' "$T/keys/server.pub" | head -n1)
    LM_ARGS=(--endpoint "$EP" --server-key "$SERVER_KEY" --timeout 2000 --retries 1)
}

# leamon as identity $1 in secure mode (its key file), or as reporter $1 in insecure mode.
as() {
    local who=$1
    shift
    if [ -n "${SERVER_KEY:-}" ]; then
        "$LEAMON" "${LM_ARGS[@]}" --key "$T/keys/$who.key" "$@"
    else
        "$LEAMON" "${LM_ARGS[@]}" --reporter "$who" "$@"
    fi
}

submit_as() { # reporter period area metric=value...: stored, or the test fails
    local who=$1 period=$2 area=$3
    shift 3
    as "$who" submit --period "$period" --area "$area" "$@" >/dev/null ||
        fail "submit as $who for $period: $*"
}

lm() {
    "$LEAMON" "${LM_ARGS[@]}" "$@"
}

# VALGRIND=1: every daemon started here runs under valgrind memcheck; an error or a leak
# makes it exit 99, which stop_daemon turns into a failure.
VALGRIND_CMD=(valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect
    --errors-for-leak-kinds=definite,indirect --track-fds=no)

start_daemon() {
    : > "$T/leamond.log"
    if [ -n "${VALGRIND:-}" ]; then
        "${VALGRIND_CMD[@]}" --log-file="$T/valgrind.%p.log" "$LEAMOND" -c "$T/leamond.conf" "$@" \
            2>> "$T/leamond.log" &
    else
        "$LEAMOND" -c "$T/leamond.conf" "$@" 2>> "$T/leamond.log" &
    fi
    DAEMON_PID=$!
    echo "$DAEMON_PID" > "$T/leamond.pid"
    local i
    local tries=100
    [ -z "${VALGRIND:-}" ] || tries=600 # valgrind starts slowly
    for i in $(seq 1 "$tries"); do
        if grep -q -e 'listening on' -e 'INSECURE MODE' "$T/leamond.log" 2>/dev/null; then
            return 0
        fi
        kill -0 "$DAEMON_PID" 2>/dev/null || fail "leamond exited at start: $(cat "$T/leamond.log")"
        sleep 0.05
    done
    fail "leamond did not start listening within 5 s: $(cat "$T/leamond.log")"
}

stop_daemon() {
    DAEMON_RC=0
    [ -n "${DAEMON_PID:-}" ] || return 0
    kill -TERM "$DAEMON_PID" 2>/dev/null
    wait "$DAEMON_PID" || DAEMON_RC=$?
    DAEMON_PID=
    rm -f "$T/leamond.pid"
    if [ -n "${VALGRIND:-}" ] && [ "$DAEMON_RC" = 99 ]; then
        fail "valgrind found errors or leaks in leamond: $(cat "$T"/valgrind.*.log)"
    fi
    # A sanitizer that reports and goes on (ThreadSanitizer) still fails the test.
    if grep -q "WARNING: ThreadSanitizer" "$T/leamond.log" 2>/dev/null; then
        fail "ThreadSanitizer found a data race in leamond: $(cat "$T/leamond.log")"
    fi
}

# Wait up to 5 s for a line matching $1 in the daemon's log.
wait_log() {
    local i
    for i in $(seq 1 100); do
        grep -q -e "$1" "$T/leamond.log" && return 0
        sleep 0.05
    done
    fail "no log line matching '$1': $(cat "$T/leamond.log")"
}

# Wait up to 10 s until at least $2 client connections to port $1 are established. The
# kernel completes them even while leamond is stopped (SIGSTOP) and before it has read a
# byte: clients started in the background have then come as far as they can by themselves.
wait_connected() { # port count
    local _ n=0 hex
    printf -v hex '%04X' "$1"
    for _ in $(seq 1 200); do
        n=$(awk -v p=":$hex" '$3 ~ p "$" && $4 == "01"' /proc/net/tcp | wc -l)
        [ "$n" -ge "$2" ] && return 0
        sleep 0.05
    done
    fail "$2 client connections to port $1 expected within 10 s, $n there"
}

metrics_value() { # name-with-labels -> its value in metrics.prom ("" when absent)
    awk -v k="$1" '$1 == k { print $2 }' "$T/metrics.prom" 2>/dev/null
}

wait_metric() { # name-with-labels value: wait up to 5 s for the file (metrics.prom) to say so
    for _ in $(seq 1 100); do
        [ "$(metrics_value "$1")" = "$2" ] && return 0
        sleep 0.05
    done
    fail "$1: expected $2, got '$(metrics_value "$1")' in: $(cat "$T/metrics.prom" 2>/dev/null)"
}

wait_metric_at_least() { # name-with-labels value: wait up to 5 s for at least that value
    local v
    for _ in $(seq 1 100); do
        v=$(metrics_value "$1")
        [ -n "$v" ] && [ "$v" -ge "$2" ] && return 0
        sleep 0.05
    done
    fail "$1: expected at least $2, got '$v' in: $(cat "$T/metrics.prom" 2>/dev/null)"
}

sql() { # waits up to 5 s for leamond's write lock (a test's own write may meet a refresh)
    sqlite3 -batch -cmd ".timeout 5000" "$T/leamon.db" "$1"
}

# The current month and the one before, for figures that must not lie in the future.
THIS_MONTH=$(date +%Y-%m)
LAST_MONTH=$(date -d "$(date +%Y-%m-15) -1 month" +%Y-%m)
NEXT_MONTH=$(date -d "$(date +%Y-%m-15) +1 month" +%Y-%m)
TWO_MONTHS_AGO=$(date -d "$(date +%Y-%m-15) -2 month" +%Y-%m)
