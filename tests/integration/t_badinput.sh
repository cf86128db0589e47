# t_badinput.sh: hostile and malformed requests against one real leamond, as a table.
#
# Each row is (expected status, expected text, request). The rows are sent one after the
# other, each on a fresh connection with lmraw, with nothing else in between. A reply
# must carry the row's status and contain its text: an exact error message, or for a 422
# one record error as {"index":I,"field":F,"code":C,"message":M}. Its id must be the
# request's, or "" when the daemon cannot read the id (PROTOCOL.md §3, steps 1-3). A
# failing row prints its number, the request and the reply; every row is tried, then the
# test fails if any did. After the table a valid ping and a valid submission must
# succeed, nothing of the table may be stored, and the daemon must still be running
# (with SAN=1: and have written no sanitizer report).
#
# Request forms (the third column):
#   JSON            lmraw's JSON subset (NaN and Infinity allowed)
#   --hex HEX       raw bytes, for what JSON cannot say: not msgpack, bin strings, a key
#                   twice, non-string keys, float 32, 2^64 - 1
#   --size N        lmraw's ping with an N-byte padding field (28 bytes of overhead)
# "id":"@" in JSON and _ID_ in HEX become the id rN (N = the row number), and the reply
# must echo it. Without one, the reply's id must be "" unless the row gives another.
# Status "none": no reply at all (lmraw times out).
#
# The rows are built without subshells (forks are slow on a busy machine): the helpers
# leave their result in BI_OUT, and rec/subrow collect the records of a submission.

bi_s() { # ASCII/bytes -> msgpack str (fixstr or str 8) as hex, in BI_OUT
    local LC_ALL=C
    local s=$1 i c out
    if [ ${#s} -lt 32 ]; then printf -v out '%02x' $((0xa0 + ${#s})); else printf -v out 'd9%02x' ${#s}; fi
    for ((i = 0; i < ${#s}; i++)); do
        printf -v c '%02x' "'${s:i:1}"
        out+=$c
    done
    BI_OUT=$out
}

bi_xs() { # N -> N times "x", in BI_OUT
    local s=x
    while [ ${#s} -lt "$1" ]; do s+=$s; done
    BI_OUT=${s:0:$1}
}

BI_STATUS=()
BI_TEXT=()
BI_REQ=()
BI_ID=()

bi_row() { # STATUS TEXT REQUEST [REPLY-ID, "-" for ""]
    BI_STATUS+=("$1")
    BI_TEXT+=("$2")
    BI_REQ+=("$3")
    BI_ID+=("${4-}")
}

bi_jping() { # STATUS TEXT JSON-MEMBERS: a ping with these members added
    bi_row "$1" "$2" "{\"v\":1,\"op\":\"ping\",\"id\":\"@\",$3}"
}

bi_hping() { # STATUS TEXT [KEY-HEX VALUE-HEX]...: the same in msgpack
    local st=$1 tx=$2 out
    shift 2
    printf -v out '%02x%s' $((0x83 + $# / 2)) "$BI_PING"
    printf -v out '%s%s' "$out" "$@"
    bi_row "$st" "$tx" "--hex $out"
}

BI_RECS=""
bi_rec() { # metric period value [area]: add a record (JSON) to the next submission
    BI_RECS+="${BI_RECS:+,}{\"metric\":\"$1\",${4:+\"area\":\"$4\",}\"period\":\"$2\",\"value\":$3}"
}

bi_subrow() { # STATUS TEXT: a row submitting the records collected so far, as ko-a
    bi_row "$1" "$2" "{\"v\":1,\"op\":\"submit\",\"id\":\"@\",\"reporter\":\"ko-a\",\"records\":[$BI_RECS]}"
    BI_RECS=""
}

bi_hrec() { # metric value-hex: a record {"metric","period": last month,"value"} as hex, in BI_OUT
    local m
    bi_s "$1"
    m=$BI_OUT
    BI_OUT="83${BI_K[metric]}$m${BI_K[period]}${BI_K[lm]}${BI_K[value]}$2"
}

bi_hsubrow() { # STATUS TEXT RECORD-HEX: a row submitting that one record, as ko-a, in msgpack
    bi_row "$1" "$2" "--hex $BI_SUBMIT$3"
}

declare -A BI_K
bi_table() {
    local lm=$LAST_MONTH nm=$NEXT_MONTH f n w x65 x100k deep40
    BI_STATUS=() BI_TEXT=() BI_REQ=() BI_ID=() BI_RECS=""
    for w in v op id ping submit reporter ko-a records metric period value note alert as_of since until x; do
        bi_s "$w"
        BI_K[$w]=$BI_OUT
    done
    bi_s "$lm"
    BI_K[lm]=$BI_OUT
    BI_PING="${BI_K[v]}01${BI_K[op]}${BI_K[ping]}${BI_K[id]}_ID_"     # map header added by bi_hping
    BI_SUBMIT="85${BI_K[v]}01${BI_K[op]}${BI_K[submit]}${BI_K[id]}_ID_${BI_K[reporter]}${BI_K[ko-a]}${BI_K[records]}91"
    printf -v deep40 '91%.0s' {1..40}
    bi_xs 65
    x65=$BI_OUT
    bi_xs 100000
    x100k=$BI_OUT

    # --- Not msgpack, truncated, not a map, trailing bytes, too deep: id "" ---
    bi_row 400 "not a msgpack message (byte 0xc1 at offset 0)" "--hex c1c1c1c1c1c1c1c1"
    bi_row 400 "truncated msgpack message" "--hex deadbeefcafebabe0badf00d" # map 16 of 0xadbe pairs
    bi_row 400 "truncated msgpack message" "--hex " # an empty frame (§1)
    bi_row 400 "truncated msgpack message" "--hex 83a17601a26f70a470696e67"
    bi_row 400 "truncated msgpack message" "--hex 83a17601a26f70a470696e67a26964d9ff6162"
    bi_row 400 "a request must be a msgpack map, got an array" '[1,2,3]'
    bi_row 400 "a request must be a msgpack map, got a string" '"ping"'
    bi_row 400 "a request must be a msgpack map, got an integer" "--hex 0102"
    bi_row 400 "bytes after the end of the request map" "--hex 83${BI_PING/_ID_/${BI_K[x]}}00"
    bi_row 400 "nested deeper than 32 levels" "--hex ${deep40}01"
    bi_row 400 "nested deeper than 32 levels" "--hex 84${BI_PING}${BI_K[x]}${deep40}01" -
    bi_row 400 "nested deeper than 32 levels" "--hex ${BI_SUBMIT}${deep40}01" -

    # --- Size: the protocol limit is 1 MiB exactly; beyond 2 MiB ZeroMQ drops it ---
    bi_row 413 "message of 1100028 bytes; the limit is 1048576" "--size 1100000"
    bi_row 413 "message of 1048577 bytes; the limit is 1048576" "--size 1048549"
    bi_row 400 "unknown field 'pad'" "--size 1048548" big # 1048576 bytes: read, then refused
    bi_row none "" "--size 2200000"

    # --- Map keys: unknown, twice, not strings (§3 step 4) ---
    bi_jping 400 "unknown field 'extra'" '"extra":true'
    bi_s r0
    bi_hping 400 "field 'id' appears twice" "${BI_K[id]}" "$BI_OUT"
    bi_hping 400 "field 'v' appears twice" "${BI_K[v]}" 02
    bi_hping 400 "field 'op' appears twice" "${BI_K[op]}" "${BI_K[submit]}"
    bi_hping 400 "map keys must be strings, got an integer" 01 01
    bi_hping 400 "map keys must be strings, got binary" c40178 01

    # --- The order of checks (§3): id, keys, v, op, reporter, dry_run, the query fields
    #     in a fixed order, the integers, note, the op's own fields, records ---
    bi_row 400 "id must be a string, got an integer" '{"extra":1,"v":"x","id":5}'
    bi_row 400 "unknown field 'extra'" '{"extra":1,"v":"x","op":7,"id":"@"}'
    bi_row 400 "v must be a positive integer, got a string" '{"op":7,"reporter":8,"v":"1","id":"@"}'
    bi_jping 400 "reporter must be a string, got an integer" '"dry_run":0,"reporter":8'
    bi_jping 400 "indicator must be a string, got an integer" '"rule":1,"metric":2,"indicator":3'
    bi_jping 400 "as_of must be a time in unix seconds, got a string" '"note":1,"alert":"x","until":"y","as_of":"z"'
    bi_row 400 "snapshot needs indicator" '{"v":1,"op":"snapshot","id":"@","period":"2026-10","records":[1]}'

    # --- The wrong type, length or form for every top-level field ---
    bi_row 400 "v must be a positive integer, got a string" '{"v":"1","op":"ping","id":"@"}'
    bi_row 400 "v must be a positive integer, got a float" '{"v":1.0,"op":"ping","id":"@"}'
    bi_row 400 "v must be a positive integer" '{"v":-1,"op":"ping","id":"@"}'
    bi_row 400 "v (protocol version) is missing" '{"op":"ping","id":"@"}'
    bi_row 400 "unsupported protocol version 2: this server speaks version 1" '{"v":2,"op":"ping","id":"@"}'
    bi_row 400 "unsupported protocol version 0: this server speaks version 1" '{"v":0,"op":"ping","id":"@"}'
    bi_row 400 "unsupported protocol version 18446744073709551615: this server speaks version 1" \
        "--hex 83${BI_K[v]}cfffffffffffffffff${BI_K[op]}${BI_K[ping]}${BI_K[id]}_ID_"
    bi_row 400 "op must be a string, got an integer" '{"v":1,"op":1,"id":"@"}'
    bi_row 400 "op must be a string, got binary" "--hex 83${BI_K[v]}01${BI_K[op]}c40470696e67${BI_K[id]}_ID_"
    bi_row 400 "op is missing" '{"v":1,"id":"@"}'
    bi_row 404 "unknown op 'reboot': this server knows ping, submit, status, catalog, snapshot, series, completeness, alerts, ack, silence" \
        '{"v":1,"op":"reboot","id":"@"}'
    bi_row 404 "unknown op '': this server knows ping," '{"v":1,"op":"","id":"@"}'
    bi_row 404 "unknown op 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...': this server knows" \
        "{\"v\":1,\"op\":\"$x100k\",\"id\":\"@\"}"
    bi_row 400 "id must be a string, got an integer" '{"v":1,"op":"ping","id":5}'
    bi_row 400 "id must be a string, got binary" "--hex 83${BI_K[v]}01${BI_K[op]}${BI_K[ping]}${BI_K[id]}c40174"
    bi_row 400 "id is missing" '{"v":1,"op":"ping"}'
    bi_row 400 "id must be 1 to 64 characters, got 0" '{"v":1,"op":"ping","id":""}'
    bi_row 400 "id must be 1 to 64 characters, got 65" "{\"v\":1,\"op\":\"ping\",\"id\":\"$x65\"}"
    bi_row 400 "id must be 1 to 64 characters, got 100000" "{\"v\":1,\"op\":\"ping\",\"id\":\"$x100k\"}"
    bi_row 400 "id must be printable ASCII without spaces" '{"v":1,"op":"ping","id":"a b"}'
    bi_jping 400 "reporter must be a string, got an integer" '"reporter":7'
    bi_hping 400 "reporter must be a string, got binary" "${BI_K[reporter]}" c4046b6f2d61
    bi_jping 400 "reporter must be 1 to 64 characters, got 0" '"reporter":""'
    bi_jping 400 "reporter must be 1 to 64 characters, got 65" "\"reporter\":\"$x65\""
    bi_jping 400 "reporter must be printable ASCII without spaces" '"reporter":"ko a"'
    bi_jping 401 "unknown reporter 'nobody': not an organisation or staff id in the partners file" '"reporter":"nobody"'
    bi_jping 400 "dry_run must be a boolean, got an integer" '"dry_run":1'
    bi_rec vve.plaatsen "$lm" 1
    bi_row 400 "records must be an array, got a map" "{\"v\":1,\"op\":\"submit\",\"id\":\"@\",\"reporter\":\"ko-a\",\"records\":$BI_RECS}"
    BI_RECS=""
    bi_row 400 "records must be an array, got a string" '{"v":1,"op":"submit","id":"@","reporter":"ko-a","records":"x"}'
    bi_row 400 "records is empty: nothing to submit" '{"v":1,"op":"submit","id":"@","reporter":"ko-a","records":[]}'
    bi_row 400 "records is missing" '{"v":1,"op":"submit","id":"@","reporter":"ko-a"}'
    bi_jping 400 "records belong to op submit only" '"records":[]'
    bi_row 400 "records belong to op submit only" "{\"v\":1,\"op\":\"completeness\",\"id\":\"@\",\"period\":\"$lm\",\"records\":[{}]}"
    # The query fields: strings of 1 to their limit in bytes, 0x21-0x7E.
    for f in indicator:64 metric:64 period:16 from:16 to:16 area:32 by:15 state:15 rule:64; do
        n=${f#*:} f=${f%:*}
        bi_xs $((n + 1))
        bi_jping 400 "$f must be a string, got an integer" "\"$f\":1"
        bi_jping 400 "$f must be 1 to $n characters, got $((n + 1))" "\"$f\":\"$BI_OUT\""
    done
    bi_jping 400 "indicator must be 1 to 64 characters, got 100000" "\"indicator\":\"$x100k\""
    bi_jping 400 "area must be a string, got an array" '"area":["GM0164"]'
    bi_jping 400 "by must be printable ASCII without spaces" '"by":"a b"'
    bi_jping 400 "period must be 1 to 16 characters, got 0" '"period":""'
    bi_hping 400 "period must be a string, got binary" "${BI_K[period]}" "c407${BI_K[lm]:2}"
    # note: 1 to 500 bytes of UTF-8 without control characters.
    bi_jping 400 "note must be a string, got an integer" '"note":1'
    bi_jping 400 "note must be 1 to 500 bytes, got 501" "\"note\":\"${x100k:0:501}\""
    bi_jping 400 "note must be 1 to 500 bytes, got 0" '"note":""'
    bi_hping 400 "note must be UTF-8 text without control characters" "${BI_K[note]}" a3610a62 # LF
    bi_hping 400 "note must be UTF-8 text without control characters" "${BI_K[note]}" a261c3   # cut
    bi_hping 400 "note must be UTF-8 text without control characters" "${BI_K[note]}" a2c080   # overlong
    # The integers: Unix seconds and alert ids, 0 to 2^63 - 1.
    for f in as_of since until; do
        bi_jping 400 "$f must be a time in unix seconds, got a string" "\"$f\":\"1794308400\""
    done
    bi_jping 400 "as_of must be a time in unix seconds, got a float" '"as_of":1794308400.5'
    bi_jping 400 "until must be a time in unix seconds, got a negative integer" '"until":-3'
    bi_hping 400 "as_of must be a time in unix seconds" "${BI_K[as_of]}" cf8000000000000000
    bi_jping 400 "alert must be an alert id (an integer), got a string" '"alert":"3"'
    bi_jping 400 "alert must be an alert id (an integer), got a negative integer" '"alert":-1'
    bi_hping 400 "alert must be an alert id (an integer)" "${BI_K[alert]}" cfffffffffffffffff

    # --- Fields an op needs, and queries that cannot be answered ---
    bi_row 400 "snapshot needs period" '{"v":1,"op":"snapshot","id":"@","indicator":"vve_bereik"}'
    bi_row 400 "series needs to" '{"v":1,"op":"series","id":"@","indicator":"vve_bereik","from":"2026-01"}'
    bi_row 400 "completeness needs period" '{"v":1,"op":"completeness","id":"@"}'
    bi_row 400 "ack needs note" '{"v":1,"op":"ack","id":"@","reporter":"admin","alert":1}'
    bi_row 400 "silence needs until" '{"v":1,"op":"silence","id":"@","reporter":"admin","rule":"vve_bereik_wijk_laag"}'
    bi_row 400 "unsilence needs silence_id" '{"v":1,"op":"unsilence","id":"@","reporter":"admin"}'
    bi_row 400 "period '2026-13' is not a period (2026-10, 2026-Q4, 2026 or 2025/26)" \
        '{"v":1,"op":"snapshot","id":"@","indicator":"vve_bereik","period":"2026-13"}'
    bi_row 400 "a series holds at most 120 periods" \
        '{"v":1,"op":"series","id":"@","indicator":"vve_bereik","from":"2016-10","to":"2026-10"}'
    bi_row 400 "period $nm has not begun: nothing is due yet" "{\"v\":1,\"op\":\"completeness\",\"id\":\"@\",\"period\":\"$nm\"}"
    bi_row 400 "state must be open, pending, firing, resolved or all" '{"v":1,"op":"alerts","id":"@","state":"burning"}'
    bi_row 404 "unknown area 'WK999999' (leamon catalog lists them)" \
        "{\"v\":1,\"op\":\"snapshot\",\"id\":\"@\",\"indicator\":\"vve_bereik\",\"period\":\"$lm\",\"area\":\"WK999999\"}"
    bi_row 404 "unknown indicator 'vve-bereik' (leamon catalog lists them)" \
        "{\"v\":1,\"op\":\"snapshot\",\"id\":\"@\",\"indicator\":\"vve-bereik\",\"period\":\"$lm\"}"
    bi_row 404 "unknown metric 'vve.nope' (leamon catalog lists them)" \
        "{\"v\":1,\"op\":\"completeness\",\"id\":\"@\",\"period\":\"$lm\",\"metric\":\"vve.nope\"}"
    bi_row 404 "unknown area 'WK999999' (leamon catalog lists them)" '{"v":1,"op":"alerts","id":"@","area":"WK999999"}'
    bi_row 404 "unknown rule 'nope'" '{"v":1,"op":"alerts","id":"@","rule":"nope"}'
    bi_row 404 "no alert 999999" '{"v":1,"op":"ack","id":"@","reporter":"admin","alert":999999,"note":"x"}'
    bi_row 403 "acknowledging alerts needs the admin role" '{"v":1,"op":"ack","id":"@","alert":1,"note":"x"}'
    bi_row 403 "silencing alerts needs the admin role" \
        '{"v":1,"op":"silence","id":"@","rule":"vve_bereik_wijk_laag","area":"GM0164","until":1}'
    bi_row 401 "a submission must name its reporter in insecure mode (leamon --reporter ID)" \
        "{\"v\":1,\"op\":\"submit\",\"id\":\"@\",\"records\":[{\"metric\":\"vve.plaatsen\",\"period\":\"$lm\",\"value\":1}]}"

    # --- Too many records: 10 000 is the limit (empty records keep the frame small) ---
    printf -v BI_RECS '{},%.0s' {1..10000}
    BI_RECS+="{}"
    bi_subrow 413 "10001 records in one submission; the limit is 10000"
    printf -v BI_RECS '{},%.0s' {1..9999}
    BI_RECS+="{}"
    bi_subrow 422 "30000 errors in a submission of 10000 records (the first 1000 listed); nothing was stored"

    # --- Record errors (§6): 422, naming the record's index and the field ---
    bi_rec vve.plaatsen "$lm" -1
    bi_subrow 422 '{"index":0,"field":"value","code":"out_of_range","message":"-1 is outside 0..1000 for vve.plaatsen"}'
    bi_rec vve.plaatsen "$lm" 1
    bi_rec vve.wachtlijst "$lm" 2
    bi_rec vve.plaatsen "$lm" -7 WK016401
    bi_subrow 422 '{"index":2,"field":"value","code":"out_of_range","message":"-7 is outside 0..1000 for vve.plaatsen"}'
    bi_rec vve.plaatsen "$lm" 2.5
    bi_subrow 422 '{"index":0,"field":"value","code":"not_integer","message":"2.5 is not a whole number; vve.plaatsen is a count"}'
    bi_rec vve.plaatsen "$lm" 1
    bi_rec vve.wachtlijst "$lm" -2.5
    bi_subrow 422 '{"index":1,"field":"value","code":"not_integer","message":"-2.5 is not a whole number; vve.wachtlijst is a count"}'
    bi_rec vve.uren.per_week "$lm" 40.5
    bi_subrow 422 '{"index":0,"field":"value","code":"out_of_range","message":"40.5 is outside 0..40 for vve.uren.per_week"}'
    bi_hrec vve.plaatsen d38000000000000000 # int 64: -2^63
    bi_hsubrow 422 '{"index":0,"field":"value","code":"out_of_range","message":"-9.22337e+18 is outside 0..1000 for vve.plaatsen"}' "$BI_OUT"
    # NaN and the infinities: float 64, float 32, and through lmraw's JSON.
    bi_hrec vve.uren.per_week cb7ff8000000000000 # NaN
    bi_hsubrow 422 '{"index":0,"field":"value","code":"not_finite","message":"value must be a finite number"}' "$BI_OUT"
    bi_hrec vve.uren.per_week cb7ff0000000000000 # +inf
    bi_hsubrow 422 '{"index":0,"field":"value","code":"not_finite","message":"value must be a finite number"}' "$BI_OUT"
    bi_hrec vve.uren.per_week cbfff0000000000000 # -inf
    bi_hsubrow 422 '{"index":0,"field":"value","code":"not_finite","message":"value must be a finite number"}' "$BI_OUT"
    bi_hrec vve.plaatsen ca7fc00000 # float 32 NaN
    bi_hsubrow 422 '{"index":0,"field":"value","code":"not_finite","message":"value must be a finite number"}' "$BI_OUT"
    bi_rec vve.plaatsen "$lm" 1
    bi_rec vve.uren.per_week "$lm" NaN
    bi_subrow 422 '{"index":1,"field":"value","code":"not_finite","message":"value must be a finite number"}'
    # Periods: the future, before first_period, not a month, not a period.
    bi_rec vve.plaatsen "$nm" 1
    bi_subrow 422 "{\"index\":0,\"field\":\"period\",\"code\":\"future_period\",\"message\":\"$nm is in the future: a month can be reported once it has begun\"}"
    bi_rec vve.plaatsen 2019-12 1
    bi_subrow 422 '{"index":0,"field":"period","code":"period_too_early","message":"2019-12 is before 2020-01, the first month this municipality monitors"}'
    bi_rec vve.plaatsen 2026-Q3 1
    bi_subrow 422 "{\"index\":0,\"field\":\"period\",\"code\":\"not_a_month\",\"message\":\"'2026-Q3' is a quarter; figures are reported per month, like 2026-10\"}"
    bi_rec vve.plaatsen 2026-13 1
    bi_subrow 422 "{\"index\":0,\"field\":\"period\",\"code\":\"bad_period\",\"message\":\"'2026-13' is not a period; figures are reported per month, like 2026-10\"}"
    # Areas and metrics: unknown, or not the sender's.
    bi_rec vve.plaatsen "$lm" 1 WK999999
    bi_subrow 422 "{\"index\":0,\"field\":\"area\",\"code\":\"unknown_area\",\"message\":\"unknown area 'WK999999' (leamon catalog lists the areas)\"}"
    bi_rec vve.plaatsen "$lm" 1 WK015301
    bi_subrow 422 '{"index":0,"field":"area","code":"area_not_allowed","message":"ko-a may not report for area WK015301; it reports for GM0164 and the areas below"}'
    bi_rec vve.nope "$lm" 1
    bi_subrow 422 "{\"index\":0,\"field\":\"metric\",\"code\":\"unknown_metric\",\"message\":\"unknown metric 'vve.nope' (leamon catalog lists the metrics)\"}"
    bi_rec school.leerlingen "$lm" 1
    bi_subrow 422 "{\"index\":0,\"field\":\"metric\",\"code\":\"metric_not_allowed\",\"message\":\"metric 'school.leerlingen' is reported by school_po, school_so, school_vo, mbo, not by a kinderopvang\"}"
    # A record's form: not a map, wrong types, missing, too long, twice, unknown.
    BI_RECS=5
    bi_subrow 422 '{"index":0,"field":"record","code":"type","message":"record must be a map, got an integer"}'
    BI_RECS='[]'
    bi_subrow 422 '{"index":0,"field":"record","code":"type","message":"record must be a map, got an array"}'
    bi_rec vve.plaatsen "$lm" '"12"'
    bi_subrow 422 '{"index":0,"field":"value","code":"type","message":"value must be a number, got a string"}'
    bi_hrec vve.plaatsen c40131
    bi_hsubrow 422 '{"index":0,"field":"value","code":"type","message":"value must be a number, got binary"}' "$BI_OUT"
    BI_RECS="{\"metric\":1,\"period\":\"$lm\",\"value\":1}"
    bi_subrow 422 '{"index":0,"field":"metric","code":"type","message":"metric must be a string, got an integer"}'
    bi_s vve.plaatsen
    bi_hsubrow 422 '{"index":0,"field":"metric","code":"type","message":"metric must be a string, got binary"}' \
        "83${BI_K[metric]}c40c${BI_OUT:2}${BI_K[period]}${BI_K[lm]}${BI_K[value]}01"
    BI_RECS="{\"metric\":\"vve.plaatsen\",\"period\":\"$lm\"}"
    bi_subrow 422 '{"index":0,"field":"value","code":"missing","message":"value is missing"}'
    BI_RECS="{\"period\":\"$lm\",\"value\":1}"
    bi_subrow 422 '{"index":0,"field":"metric","code":"missing","message":"metric is missing"}'
    BI_RECS="{\"metric\":\"vve.plaatsen\",\"area\":\"\",\"period\":\"$lm\",\"value\":1}"
    bi_subrow 422 "{\"index\":0,\"field\":\"area\",\"code\":\"missing\",\"message\":\"area must be 1 to 32 characters, got 0 ('')\"}"
    bi_rec "$x65" "$lm" 1
    bi_subrow 422 "{\"index\":0,\"field\":\"metric\",\"code\":\"too_long\",\"message\":\"metric must be 1 to 64 characters, got 65 ('xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...')\"}"
    bi_rec "$x100k" "$lm" 1
    bi_subrow 422 '{"index":0,"field":"metric","code":"too_long","message":"metric must be 1 to 64 characters, got 100000'
    bi_rec vve.plaatsen "$lm" 1 "${x65:0:33}"
    bi_subrow 422 "{\"index\":0,\"field\":\"area\",\"code\":\"too_long\",\"message\":\"area must be 1 to 32 characters, got 33 ('${x65:0:33}')\"}"
    bi_rec vve.plaatsen "${x65:0:17}" 1
    bi_subrow 422 "{\"index\":0,\"field\":\"period\",\"code\":\"too_long\",\"message\":\"period must be 1 to 16 characters, got 17 ('${x65:0:17}')\"}"
    bi_s vve.plaatsen
    bi_hsubrow 422 '{"index":0,"field":"period","code":"bad_chars","message":"period must not contain a NUL byte"}' \
        "83${BI_K[metric]}$BI_OUT${BI_K[period]}a3320030${BI_K[value]}01"
    BI_RECS="{\"metric\":\"vve.plaatsen\",\"period\":\"$lm\",\"value\":1,\"period\":\"$lm\"}"
    bi_subrow 422 '{"index":0,"field":"period","code":"duplicate_field","message":"period appears twice in the record"}'
    bi_hrec vve.plaatsen 01
    bi_hsubrow 422 '{"index":0,"field":"value","code":"duplicate_field","message":"value appears twice in the record"}' \
        "84${BI_OUT:2}${BI_K[value]}02"
    BI_RECS="{\"metric\":\"vve.plaatsen\",\"period\":\"$lm\",\"value\":1,\"note\":\"x\"}"
    bi_subrow 422 "{\"index\":0,\"field\":\"note\",\"code\":\"unknown_field\",\"message\":\"unknown field 'note': a record has metric, area, period and value\"}"
    bi_hrec vve.plaatsen 01
    bi_hsubrow 422 "{\"index\":0,\"field\":\"(an integer)\",\"code\":\"unknown_field\"" "84${BI_OUT:2}0101"
    bi_rec vve.plaatsen "$lm" 1
    bi_rec vve.plaatsen "$lm" 2 WK016402
    bi_subrow 422 '{"index":1,"field":"record","code":"duplicate_record","message":"same metric, area and period as record 0"}'
}

test_malformed_requests_table() {
    setup_insecure
    start_daemon
    bi_table
    local i req reply rc want_id timeout problem failed=0
    local -a args
    for i in "${!BI_REQ[@]}"; do
        req=${BI_REQ[$i]}
        want_id=""
        case $req in
            --hex\ *)
                [[ $req != *_ID_* ]] || want_id=r$i
                bi_s "r$i"
                args=(--hex "${req#--hex }")
                args[1]=${args[1]//_ID_/$BI_OUT}
                ;;
            --size\ *) args=(--size "${req#--size }") ;;
            *)
                [[ $req != *'"id":"@"'* ]] || want_id=r$i
                args=("${req//\"id\":\"@\"/\"id\":\"r$i\"}")
                ;;
        esac
        case ${BI_ID[$i]} in
            "") ;;
            -) want_id="" ;;
            *) want_id=${BI_ID[$i]} ;;
        esac
        timeout=10000
        [ "${BI_STATUS[$i]}" != none ] || timeout=1000
        rc=0
        # The client need not look for its own leaks (LeakSanitizer at exit is slow in SAN=1).
        reply=$(ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
            "$LMRAW" --timeout "$timeout" "$EP" "${args[@]}" 2>&1) || rc=$?
        problem=""
        if [ "${BI_STATUS[$i]}" = none ]; then
            [ "$rc" = 3 ] || problem="expected no reply (lmraw exit 3), got exit $rc"
        elif [ "$rc" != 0 ]; then
            problem="lmraw exit $rc"
        elif [[ $reply != "{\"v\":1,\"id\":\"$want_id\",\"status\":${BI_STATUS[$i]},\"error\":\""* ]]; then
            problem="expected id \"$want_id\" and status ${BI_STATUS[$i]}"
        elif [[ $reply != *"${BI_TEXT[$i]}"* ]]; then
            problem="expected text not in the reply: ${BI_TEXT[$i]}"
        fi
        if [ -n "$problem" ]; then
            failed=$((failed + 1))
            echo "    row $i: $problem" >&2
            req=${args[*]}
            echo "      request (${#req} bytes): ${req:0:300}$([ ${#req} -le 300 ] || echo ...)" >&2
            echo "      reply: ${reply:0:600}" >&2
        fi
    done
    echo "    ${#BI_REQ[@]} rows, $failed failed"
    [ "$failed" = 0 ] || fail "$failed of ${#BI_REQ[@]} rows of the table failed (listed above)"

    # The daemon is still there and serves the next, valid, requests.
    kill -0 "$DAEMON_PID" 2>/dev/null || fail "leamond died during the table"
    assert_eq "0|0" "$(sql 'select (select count(*) from observation), (select count(*) from submission)')" \
        "nothing of the table was stored"
    local r
    r=$("$LMRAW" --timeout 5000 "$EP" '{"v":1,"op":"ping","id":"after-table"}')
    assert_contains "$r" '{"v":1,"id":"after-table","status":200,"server":"leamond ' "ping after the table"
    r=$("$LMRAW" --timeout 5000 "$EP" "{\"v\":1,\"op\":\"submit\",\"id\":\"after-table\",\"reporter\":\"ko-a\",\"records\":[{\"metric\":\"vve.uren.per_week\",\"period\":\"$LAST_MONTH\",\"value\":16.5}]}")
    assert_eq '{"v":1,"id":"after-table","status":200,"accepted":1,"duplicate":false,"dry_run":false}' "$r" \
        "submission after the table"
    assert_eq "ko-a|vve.uren.per_week|WK016402|$LAST_MONTH|16.5" \
        "$(sql 'select reporter, metric, area, period, value from observation')" "stored"
    kill -0 "$DAEMON_PID" 2>/dev/null || fail "leamond died"
    assert_not_contains "$(cat "$T/leamond.log")" "Sanitizer" "sanitizer report in the daemon's log"
    assert_not_contains "$(cat "$T/leamond.log")" "runtime error:" "UBSan report in the daemon's log"
    stop_daemon
    assert_eq 0 "$DAEMON_RC" "clean exit after the table"
}
