#!/usr/bin/env bash
# Runs every test_* function of tests/integration/t_*.sh, each in a subshell with its own
# temporary directory, and prints one closing line: "integration: N passed, M failed".
# Usage: tests/integration/run.sh [PATTERN...]   (a test runs if its name holds any PATTERN)
# VALGRIND=1 runs every leamond the tests start under valgrind memcheck (see lib.sh).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
[ -x "$LEAMOND" ] && [ -x "$LEAMON" ] && [ -x "$LMRAW" ] ||
    { echo "build first: $LEAMOND, $LEAMON and $LMRAW are needed" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "the sqlite3 command is needed (make deps)" >&2; exit 2; }

patterns=("$@")
wanted() {
    [ ${#patterns[@]} -eq 0 ] && return 0
    local p
    for p in "${patterns[@]}"; do [[ "$1" == *$p* ]] && return 0; done
    return 1
}
passed=0
failed=0
failures=()
for file in "$HERE"/t_*.sh; do
    . "$file"
    for t in $(grep -o '^test_[a-z0-9_]*' "$file"); do
        wanted "$t" || continue
        T=$(mktemp -d "${TMPDIR:-/tmp}/leamon-it.XXXXXX")
        start=$(date +%s%N)
        ( cd "$T" && "$t" ) > "$T/test.out" 2>&1
        rc=$?
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
        ms=$((($(date +%s%N) - start) / 1000000))
        took=$((ms / 1000)).$((ms % 1000 / 100))
        if [ $rc -eq 0 ]; then
            passed=$((passed + 1))
            echo "ok   $t (${took}s)"
            rm -rf "$T"
        else
            failed=$((failed + 1))
            failures+=("$t")
            echo "FAIL $t (${took}s)"
            sed 's/^/    | /' "$T/test.out"
            echo "    | daemon log:"
            sed 's/^/    | /' "$T/leamond.log" 2>/dev/null | tail -n 20
            rm -rf "$T"
        fi
    done
done
[ ${#failures[@]} -eq 0 ] || echo "failed: ${failures[*]}"
echo "integration: $passed passed, $failed failed"
[ $failed -eq 0 ] && [ $passed -gt 0 ]
