#!/usr/bin/env bash
# Runs every test_* function of tests/integration/t_*.sh, JOBS of them at a time, each in a
# subshell with its own temporary directory and its own ports, and prints each test's
# result whole when it ends (so the output of tests running side by side never mixes),
# then one closing line: "integration: N passed, M failed".
# Usage: [JOBS=N] tests/integration/run.sh [PATTERN...]   (a test runs if its name holds any PATTERN)
# JOBS: tests at a time; by default twice the cores, at most 8 (the tests mostly wait on
# sockets, sleeps and valgrind's start; on 2 cores more was hardly faster, and loads the
# tests that time the daemon more).
# A test defined right after a comment "# run.sh: alone" runs by itself, after the others.
# TEST_TIMEOUT: seconds after which a test still running is ended and fails (300).
# VALGRIND=1 runs every leamond the tests start under valgrind memcheck (see lib.sh).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
[ -x "$LEAMOND" ] && [ -x "$LEAMON" ] && [ -x "$LMRAW" ] ||
    { echo "build first: $LEAMOND, $LEAMON and $LMRAW are needed" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "the sqlite3 command is needed (make deps)" >&2; exit 2; }
command -v flock >/dev/null || { echo "the flock command is needed (util-linux)" >&2; exit 2; }
[ $((BASH_VERSINFO[0] * 100 + BASH_VERSINFO[1])) -ge 501 ] ||
    { echo "bash 5.1 or later is needed (wait -n -p)" >&2; exit 2; }

cores=$(nproc 2>/dev/null || echo 1)
default_jobs=$((2 * cores))
[ "$default_jobs" -le 8 ] || default_jobs=8
JOBS=${JOBS:-$default_jobs}
[[ $JOBS =~ ^[1-9][0-9]{0,2}$ ]] || { echo "JOBS must be a whole number from 1 to 999, not '$JOBS'" >&2; exit 2; }
TEST_TIMEOUT=${TEST_TIMEOUT:-300}
[[ $TEST_TIMEOUT =~ ^[1-9][0-9]*$ ]] || { echo "TEST_TIMEOUT must be a whole number of seconds, not '$TEST_TIMEOUT'" >&2; exit 2; }

patterns=("$@")
wanted() {
    [ ${#patterns[@]} -eq 0 ] && return 0
    local p
    for p in "${patterns[@]}"; do [[ "$1" == *$p* ]] && return 0; done
    return 1
}

# The tests in file order; those marked "# run.sh: alone" (in the comment lines right above
# their definition) apart.
tests=()
alone=()
declare -A known=()
for file in "$HERE"/t_*.sh; do
    . "$file"
    while read -r mark t; do
        known[$t]=1
        wanted "$t" || continue
        if [ "$mark" = alone ]; then alone+=("$t"); else tests+=("$t"); fi
    done < <(awk '/^# run\.sh: alone/ { a = 1 }
                  /^test_[a-z0-9_]*/ { match($0, /^test_[a-z0-9_]*/)
                                       print (a ? "alone " : "- ") substr($0, 1, RLENGTH) }
                  !/^#/ { a = 0 }' "$file")
done

# The longest tests first, by the times of the last run (kept in the build directory), so
# that no long one starts near the end while the others are done: a test without a time
# counts as long.
times_file="$TOP/$BUILD/integration-times${VALGRIND:+-valgrind}"
declare -A last_ms=()
if [ -r "$times_file" ]; then
    while read -r t ms; do last_ms[$t]=$ms; done < "$times_file"
fi
by_time() {
    local t
    for t in "$@"; do echo "${last_ms[$t]:-999999} $t"; done | sort -s -k1,1nr | cut -d' ' -f2
}
[ ${#tests[@]} -eq 0 ] || mapfile -t tests < <(by_time "${tests[@]}")

# Ports: this run takes 2000 of its own between 10000 and 31999 (a lock for each range, so
# that runs from other worktrees or builds take others), below Linux's ephemeral range
# (32768 and up) where the kernel picks the local port of every client socket: so neither
# another test's daemon nor a client connection of another test can hold a port a test
# was given. Each test gets ten of them for itself (TEST_PORTS, read by free_port).
port_base=""
for n in $(seq 0 10); do
    exec {port_lock}> "${TMPDIR:-/tmp}/leamon-it-ports.$n.lock" || continue
    if flock -n "$port_lock"; then
        port_base=$((10000 + n * 2000))
        break
    fi
    exec {port_lock}>&-
done
[ -n "$port_base" ] || { echo "all 11 port ranges are taken by other integration runs" >&2; exit 2; }

declare -A job_test=() job_dir=()
started=0
passed=0
failed=0
failures=()

# End process $1 and everything it started.
kill_tree() {
    local c
    kill -STOP "$1" 2>/dev/null # so that it starts nothing more meanwhile
    for c in $(ps -o pid= --ppid "$1" 2>/dev/null); do kill_tree "$c"; done
    kill -KILL "$1" 2>/dev/null
}

# Test $1 in directory $2 with ports $3, then what it left behind; its exit status.
run_test() {
    local t=$1 T=$2 TEST_PORTS=$3 start rc pid log
    start=$(date +%s%N)
    ( cd "$T" && "$t" ) > "$T/test.out" 2>&1 < /dev/null &
    local test_pid=$! watchdog
    # A test that hangs is ended, and fails, rather than holding up the run for good.
    (
        sleep "$TEST_TIMEOUT"
        echo "    FAIL: still running after $TEST_TIMEOUT s (TEST_TIMEOUT): ended" >> "$T/test.out"
        kill_tree "$test_pid"
    ) &
    watchdog=$!
    disown "$watchdog" # ended below: no notice of that
    wait "$test_pid" 2>/dev/null # (no notice if the watchdog ended it)
    rc=$?
    kill_tree "$watchdog"
    # Whatever the test left running goes now; under valgrind it is first asked to stop,
    # so that it exits through its cleanup and valgrind can count what leaked.
    if [ -f "$T/leamond.pid" ]; then
        pid=$(cat "$T/leamond.pid")
        if [ -n "${VALGRIND:-}" ] && kill -TERM "$pid" 2>/dev/null; then
            for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        fi
        kill -KILL "$pid" 2>/dev/null
    fi
    if [ -n "${VALGRIND:-}" ] && [ $rc -eq 0 ]; then
        for log in "$T"/valgrind.*.log; do
            if [ -s "$log" ]; then
                rc=1
                { echo "    valgrind reported:"; cat "$log"; } >> "$T/test.out"
            fi
        done
    fi
    echo $((($(date +%s%N) - start) / 1000000)) > "$T/ms"
    return $rc
}

# Start test $1 in the background, in a directory of its own, with ten ports of its own.
start_test() {
    local T first
    T=$(mktemp -d "${TMPDIR:-/tmp}/leamon-it.XXXXXX")
    first=$((port_base + started % 200 * 10))
    started=$((started + 1))
    run_test "$1" "$T" "$first $((first + 9))" &
    job_test[$!]=$1
    job_dir[$!]=$T
}

# Wait for any running test to end and print its result whole.
finish_test() {
    local pid rc=0 t T ms
    wait -n -p pid "${!job_test[@]}" || rc=$?
    t=${job_test[$pid]}
    T=${job_dir[$pid]}
    unset "job_test[$pid]" "job_dir[$pid]"
    ms=$(cat "$T/ms" 2>/dev/null) || ms=0
    last_ms[$t]=$ms
    if [ $rc -eq 0 ]; then
        passed=$((passed + 1))
        echo "ok   $t ($((ms / 1000)).$((ms % 1000 / 100))s)"
    else
        failed=$((failed + 1))
        failures+=("$t")
        {
            echo "FAIL $t ($((ms / 1000)).$((ms % 1000 / 100))s)"
            sed 's/^/    | /' "$T/test.out"
            echo "    | daemon log:"
            sed 's/^/    | /' "$T/leamond.log" 2>/dev/null | tail -n 20
        }
    fi
    # What a passing test still wants said (a part it could not run, say).
    [ ! -s "$T/notice" ] || sed 's/^/    /' "$T/notice"
    rm -rf "$T"
}

# Run tests $2... at most $1 at a time.
run_tests() {
    local jobs=$1 t
    shift
    for t in "$@"; do
        while [ ${#job_test[@]} -ge "$jobs" ]; do finish_test; done
        start_test "$t"
    done
    while [ ${#job_test[@]} -gt 0 ]; do finish_test; done
}

# Interrupted: end the running tests, the processes they started, and their daemons.
interrupted() {
    local pid
    trap - INT TERM
    disown -a # no "Killed" notice for each
    for pid in "${!job_test[@]}"; do
        [ ! -f "${job_dir[$pid]}/leamond.pid" ] || kill -KILL "$(cat "${job_dir[$pid]}/leamond.pid")" 2>/dev/null
        kill_tree "$pid"
        rm -rf "${job_dir[$pid]}"
    done
    echo "integration: interrupted" >&2
    exit 130
}
trap interrupted INT TERM

run_tests "$JOBS" ${tests[@]+"${tests[@]}"}
run_tests 1 ${alone[@]+"${alone[@]}"}
# This run's times, and the earlier ones of tests it did not run, for the next run.
{ for t in "${!last_ms[@]}"; do [ -z "${known[$t]:-}" ] || echo "$t ${last_ms[$t]}"; done |
    sort > "$times_file.$$" &&
    mv "$times_file.$$" "$times_file"; } 2>/dev/null || rm -f "$times_file.$$"
[ ${#failures[@]} -eq 0 ] || echo "failed: ${failures[*]}"
echo "integration: $passed passed, $failed failed"
[ $failed -eq 0 ] && [ $passed -gt 0 ]
