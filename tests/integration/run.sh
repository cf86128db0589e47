#!/usr/bin/env bash
# Runs every test_* function of tests/integration/t_*.sh, each in a subshell with its own
# temporary directory, and prints one closing line: "integration: N passed, M failed".
# Usage: tests/integration/run.sh [PATTERN]   (PATTERN filters test names)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
[ -x "$LEAMOND" ] && [ -x "$LEAMON" ] && [ -x "$LMRAW" ] ||
    { echo "build first: $LEAMOND, $LEAMON and $LMRAW are needed" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "the sqlite3 command is needed (make deps)" >&2; exit 2; }

pattern=${1:-}
passed=0
failed=0
failures=()
for file in "$HERE"/t_*.sh; do
    . "$file"
    for t in $(grep -o '^test_[a-z0-9_]*' "$file"); do
        [ -z "$pattern" ] || [[ "$t" == *$pattern* ]] || continue
        T=$(mktemp -d "${TMPDIR:-/tmp}/leamon-it.XXXXXX")
        start=$(date +%s%N)
        ( cd "$T" && "$t" ) > "$T/test.out" 2>&1
        rc=$?
        # Whatever the test left running goes now.
        if [ -f "$T/leamond.pid" ]; then
            kill -KILL "$(cat "$T/leamond.pid")" 2>/dev/null
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
