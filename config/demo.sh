#!/usr/bin/env bash
# make demo: leamond with CURVE keys on an embedded SQLite file in demo/; two school years
# of monthly figures from the partners of a demo municipality based on Hengelo, each
# partner with its own key, submitted with the real leamon (config/demo-sim.awk makes
# them up, seeded); this month's figures in every form leamon takes, a rejected and a
# retried submission; then what staff see: the indicators, the alerts, the report.
# Leaves nothing running. DEMO=DIR puts it elsewhere than demo/.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
LEAMOND="$TOP/$BUILD/leamond"
LEAMON="$TOP/$BUILD/leamon"
DEMO=${DEMO:-$TOP/demo}
MONTH=$(date -d "$(date +%Y-%m-15) -1 month" +%Y-%m)

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
show() { printf '$ %s\n' "$*" | sed "s|$TOP/||g"; "$@" 2>&1 | sed "s|$TOP/||g"; }
show_rc() { printf '$ %s\n' "$*" | sed "s|$TOP/||g"; local rc=0; "$@" 2>&1 | sed "s|$TOP/||g" || rc=${PIPESTATUS[0]}; echo "(exit code $rc)"; }

rm -rf "$DEMO"
mkdir -p "$DEMO/keys" "$DEMO/figures"

say "1. Keys: one CURVE key pair for the daemon and one per partner"
orgs=$(grep -o 'id = "[^"]*"' "$TOP/config/partners-hengelo.conf" | cut -d'"' -f2)
for id in server $orgs; do
    "$LEAMON" keygen "$id" --dir "$DEMO/keys" >/dev/null
done
ls "$DEMO/keys" | head -n 6 | sed 's/^/  /'
echo "  ... ($(ls "$DEMO/keys" | wc -l) files; secret keys are mode 0600)"

# The partners file of the demo: Hengelo's, with each partner's public key added.
cp "$TOP/config/partners-hengelo.conf" "$DEMO/partners.conf"
for id in $orgs; do
    pub=$(grep -v '^#' "$DEMO/keys/$id.pub" | head -n1)
    # Z85 keys hold characters sed and awk's sub() treat specially: splice by position.
    awk -v id="$id" -v pub="$pub" '{
        if (index($0, "id = \"" id "\";")) {
            i = index($0, " }")
            $0 = substr($0, 1, i - 1) " keys = [\"" pub "\"]; }" substr($0, i + 2)
        }
        print
    }' "$DEMO/partners.conf" > "$DEMO/partners.tmp" && mv "$DEMO/partners.tmp" "$DEMO/partners.conf"
done
SY_START=$(date -d "$MONTH-15" +%Y)-08
[ "$(date -d "$MONTH-15" +%m)" -ge 8 ] || SY_START=$(( $(date -d "$MONTH-15" +%Y) - 1 ))-08
# leamon went live two school years ago: figures are owed from then on (first_period).
START=$(( ${SY_START%-08} - 2 ))-08
{ sed "s/^first_period = .*/first_period = \"$START\";/" "$TOP/config/catalog.conf"; echo "owed_from = \"$START\";"; } > "$DEMO/catalog.conf"
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null ||
        echo $((20000 + RANDOM % 40000))
}
PORT=$(free_port)
PUB_PORT=$(free_port)
cat > "$DEMO/leamond.conf" <<CONF
listen = "tcp://127.0.0.1:$PORT";
publish = "tcp://127.0.0.1:$PUB_PORT";
database = "leamon.db";
catalog = "catalog.conf";
partners = "partners.conf";
server_secret_key_file = "keys/server.key";
grace_days = 10;
log_level = "info";
# The policy officer's mail, one per rule, a minute after an alert fires (by then the
# history the partners send first is in), and a weekly reminder of what still fires. The
# demo's sendmail keeps each mail in demo/mail/ instead of sending it; leamond sends what
# waits when it stops.
sendmail = "$DEMO/sendmail.sh";
mail_from = "leamon@hengelo.example";
receivers = ( { name = "beleid"; mail = "lea@hengelo.example"; } );
routes = ( { receiver = "beleid"; group_by = ["rule"]; group_wait = "1m"; group_interval = "5m";
             repeat_interval = "1w"; } );
CONF
mkdir -p "$DEMO/mail"
cat > "$DEMO/sendmail.sh" <<'SH'
#!/bin/sh
# A stand-in for the MTA: each mail into demo/mail/, named by the time it came (several
# may come at once).
cat > "$(dirname "$0")/mail/$(date +%Y%m%d-%H%M%S-%N).eml"
SH
chmod +x "$DEMO/sendmail.sh"

say "2. Start leamond (CURVE, database demo/leamon.db)"
"$LEAMOND" -c "$DEMO/leamond.conf" 2> "$DEMO/leamond.log" &
DAEMON=$!
trap 'kill -TERM $DAEMON 2>/dev/null || true; wait $DAEMON 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
    grep -q 'publishing alerts on' "$DEMO/leamond.log" && break
    kill -0 $DAEMON 2>/dev/null || { cat "$DEMO/leamond.log"; exit 1; }
    sleep 0.05
done
grep -q 'publishing alerts on' "$DEMO/leamond.log" || { echo "leamond did not start:"; cat "$DEMO/leamond.log"; exit 1; }
sed 's/^/  /' "$DEMO/leamond.log"

SERVER_KEY=$(grep -v '^#' "$DEMO/keys/server.pub" | head -n1)
as() { local who=$1; shift; "$LEAMON" --endpoint "tcp://127.0.0.1:$PORT" --server-key "$SERVER_KEY" --key "$DEMO/keys/$who.key" "$@"; }

say "3. Two school years of monthly figures, $START to the month before $MONTH"
months=""
m=$START
while :; do months="$months $m"; [ "$m" = "$MONTH" ] && break; m=$(date -d "$m-15 +1 month" +%Y-%m); done
awk -v seed=7 -v months="$months" -v out="$DEMO/figures" -f "$TOP/config/demo-sim.awk" "$DEMO/partners.conf"
# Up to last July each partner sends its months in one file with a period column, as a
# partner joining leamon sends its history; from August on, month by month.
submit_all() { # period (or "" for the history files) files...
    local period=$1 f pids=()
    shift
    for f in "$@"; do
        as "$(basename "$f" .csv)" submit ${period:+--period "$period"} "$f" >/dev/null &
        pids+=($!)
    done
    wait "${pids[@]}" # (not a bare wait: leamond is a child too)
}
mkdir -p "$DEMO/figures/history"
for m in $months; do
    [ "$m" = "$SY_START" ] && break
    for f in "$DEMO/figures/$m"/*.csv; do
        h="$DEMO/figures/history/$(basename "$f")"
        [ -e "$h" ] || echo "metric,area,period,value" > "$h"
        awk -F, -v p="$m" 'NR > 1 { print $1 "," $2 "," p "," $3 }' "$f" >> "$h"
    done
done
submit_all "" "$DEMO/figures/history"/*.csv
echo "  $START to $(date -d "$SY_START-15 -1 month" +%Y-%m): $(ls "$DEMO/figures/history" | wc -l) partners sent their history, $(cat "$DEMO/figures/history"/*.csv | grep -vc '^metric') figures"
for m in $months; do
    [[ "$m" < "$SY_START" ]] && continue
    [ "$m" = "$MONTH" ] && break
    submit_all "$m" "$DEMO/figures/$m"/*.csv
    echo "  $m: $(ls "$DEMO/figures/$m" | wc -l) partners, $(cat "$DEMO/figures/$m"/*.csv | grep -vc '^metric') figures"
done
echo "  (ko-berflo has sent nothing since August; Groot Driene's VVE-bereik slipped last year)"

say "4. Partners submit their figures for $MONTH, in every form leamon takes"
F="$DEMO/figures/$MONTH"
cat "$F/ko-zonnebloem.csv"
show as ko-zonnebloem submit --period "$MONTH" "$F/ko-zonnebloem.csv"
# A Dutch Excel export: semicolons, CRLF and a decimal comma.
sed 's/,/;/g; s/;16$/;16,0/; s/$/\r/' "$F/ko-klimop.csv" > "$DEMO/figures/ko-klimop-excel.csv"
show as ko-klimop submit --period "$MONTH" "$DEMO/figures/ko-klimop-excel.csv"
# metric=value arguments, as a cron job might pass them.
show as ko-esrand submit --period "$MONTH" $(awk -F, 'NR > 1 { printf "%s=%s ", $1, $3 }' "$F/ko-esrand.csv")
submit_all "$MONTH" $(ls "$F"/*.csv | grep -v -e /ko-zonnebloem.csv -e /ko-klimop.csv -e /ko-esrand.csv)
echo "  ... and $(($(ls "$F" | wc -l) - 3)) more partners, silently"

say "5. A file with mistakes is refused as a whole, every mistake named by line"
cat > "$DEMO/figures/mistakes.csv" <<CSV
metric,area,value
vve.peuters.geplaatst,WK016402,47
vve.doelgroep.geplaatst,WK016402,19.5
school.vsv,WK016402,1
vve.plaatsen,GM0153,40
CSV
show_rc as ko-zonnebloem submit --period "$MONTH" "$DEMO/figures/mistakes.csv"

say "6. A retry with the same request id stores nothing twice"
show as po-driene submit --period "$MONTH" --id "po-driene-$MONTH" school.zomerschool=25
show as po-driene submit --period "$MONTH" --id "po-driene-$MONTH" school.zomerschool=25

say "7. A correction supersedes the old figure; the old one stays in the audit table"
show as ko-zonnebloem submit --period "$MONTH" vve.wachtlijst=2

say "8. An unknown key is refused at the handshake"
"$LEAMON" keygen stranger --dir "$DEMO/keys" >/dev/null
show_rc as stranger ping

say "9. What the daemon stored"
show as beleid status
sqlite3 -header -column "$DEMO/leamon.db" \
  "SELECT reporter, count(*) AS figures, min(period) AS first, max(period) AS last FROM observation GROUP BY reporter;"
echo
sqlite3 -header -column "$DEMO/leamon.db" \
  "SELECT reporter, metric, area, period, old_value, new_value FROM observation_audit;"

say "10. What staff see: VVE-bereik per wijk this month, and how complete it is"
show as beleid snapshot vve_bereik --period "$MONTH" --by-area

say "11. How it moved these two school years against the 85% path"
show as beleid series vve_bereik --from "$START" --to "$MONTH"
show as beleid series vve_bereik --from "$SY_START" --to "$MONTH" --area WK016404

say "12. Which locations have not reported $MONTH (VVE placements)"
show as beleid completeness --period "$MONTH" --metric vve.doelgroep.geplaatst

say "13. The alerts that are open, and one acknowledged"
show as beleid alerts
first=$(as beleid alerts --format json --rule vve_bereik_wijk_laag | grep -o '"id":[0-9]*' | head -n1 | cut -d: -f2)
[ -z "$first" ] || show as beleid ack "$first" --note "Besproken in het LEA-overleg"

say "14. The report for the council: one HTML file, charts and all"
show as beleid report --period "$MONTH" --out "$DEMO/report.html"
show as beleid report --period "$MONTH" --out "$DEMO/report-public.html" --public
echo "  open demo/report.html in a browser (or print it: A4)"

say "15. Stop leamond (SIGTERM: answer what arrived, send the alert mails still waiting, commit, exit 0)"
kill -TERM $DAEMON
rc=0; wait $DAEMON || rc=$?
trap - EXIT
tail -n 4 "$DEMO/leamond.log" | sed 's/^/  /'
echo "  leamond exited with $rc; the database, keys and figures are in demo/"

say "16. What the policy officer found in the mail"
for f in "$DEMO/mail"/*.eml; do
    [ -e "$f" ] || continue
    printf '  %s\n' "$(grep -m1 '^Subject: ' "$f" | cut -c10-)"
done
echo "  ($(ls "$DEMO/mail" | wc -l) mails for two school years, each alert once; the first one:)"
first_mail=$(ls "$DEMO/mail"/*.eml 2>/dev/null | head -n1)
[ -z "$first_mail" ] || sed -n '/^Subject/p; /^$/,$p' "$first_mail" | sed 's/^/  | /'

