# t_man.sh: the man pages, made from the programs as built, render without a warning and
# say what the programs say: every setting, every command.

test_man_pages_render_without_warnings() {
    "$TOP/config/mkman.sh" "$BUILD" "$T/man" || fail "mkman.sh"
    local page err
    for page in leamon.1 leamond.8 leamond.conf.5 leamon-catalog.5 leamon-partners.5; do
        [ -s "$T/man/$page" ] || fail "$page not made"
        err=$(MANWIDTH=80 man --warnings -E UTF-8 -l "$T/man/$page" 2>&1 >/dev/null)
        assert_eq "" "$err" "warnings rendering $page"
    done
    local conf
    conf=$(MANWIDTH=80 man -E UTF-8 -l "$T/man/leamond.conf.5" 2>/dev/null)
    # Every setting leamond knows is in leamond.conf(5).
    local name names
    names=$("$LEAMOND" --help | awk '/^Settings of the configuration file/ { on = 1; next }
                                      on && /^$/ { exit } on { print $1 }')
    [ "$(wc -w <<< "$names")" -ge 15 ] || fail "leamond --help lists too few settings: $names"
    for name in $names; do
        grep -q "^       $name\b" <<< "$conf" || fail "leamond.conf(5) has no entry for $name"
    done
    # Every command has its section in leamon(1).
    local one
    one=$(MANWIDTH=80 man -E UTF-8 -l "$T/man/leamon.1" 2>/dev/null)
    for name in submit flush keygen snapshot series completeness alerts silences unsilence \
        backup report retract close reopen; do
        grep -q "^   $name\$" <<< "$one" || fail "leamon(1) has no section for $name"
    done
    assert_contains "$(MANWIDTH=80 man -l "$T/man/leamon-catalog.5" 2>/dev/null)" "first_period" \
        "the catalogue's settings"
}
