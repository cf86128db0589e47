#!/bin/sh
# Runs each cmocka test program given, showing its output, and counts the tests in them
# from cmocka's summaries ("[  PASSED  ] N test(s).", "[  FAILED  ] N test(s), ..."):
# one closing line for the lot, "unit: N passed, M failed". A program that runs no test,
# stops in the middle of a group, or exits non-zero while its summaries name no failed
# test (a crash, a sanitizer's report at exit) counts as one failed test more.
out=$(mktemp "${TMPDIR:-/tmp}/leamon-unit.XXXXXX") || exit 2
trap 'rm -f "$out"' EXIT
passed=0
failed=0
skipped=0
programs=0
broken=""

# The sum of N over the lines of $out that read "[  WORD  ] N test(s)..." ($1 the word,
# padded as cmocka does).
count() {
    sed -n "s/^\[ *$1 *\] \([0-9][0-9]*\) test(s).*/\1/p" "$out" | awk '{ n += $1 } END { print n + 0 }'
}

for t in "$@"; do
    programs=$((programs + 1))
    rc=0
    "$t" > "$out" 2>&1 || rc=$?
    cat "$out"
    p=$(count PASSED)
    f=$(count FAILED)
    s=$(count SKIPPED)
    began=$(grep -c '^\[==========\] Running [0-9][0-9]* test(s)\.' "$out")
    ended=$(grep -c '^\[==========\] [0-9][0-9]* test(s) run\.' "$out")
    why=""
    if [ "$began" -eq 0 ]; then
        why="ran no cmocka test (exit status $rc)"
    elif [ "$began" -ne "$ended" ]; then
        why="stopped in the middle of a group of tests (exit status $rc)"
    elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        why="exited with status $rc though no test failed"
    fi
    passed=$((passed + p))
    failed=$((failed + f))
    skipped=$((skipped + s))
    if [ -n "$why" ]; then
        failed=$((failed + 1))
        broken="$broken
FAILED: $t $why"
    elif [ "$f" -ne 0 ]; then
        broken="$broken
FAILED: $t: $f test(s)"
    fi
done
[ -z "$broken" ] || echo "$broken" | sed '/^$/d'
if [ "$programs" -eq 1 ]; then echo "unit: 1 program"; else echo "unit: $programs programs"; fi
if [ "$skipped" -eq 0 ]; then
    echo "unit: $passed passed, $failed failed"
else
    echo "unit: $passed passed, $failed failed, $skipped skipped"
fi
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
