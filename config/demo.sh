#!/usr/bin/env bash
# make demo: leamond with CURVE keys on an embedded SQLite file in demo/, a month of
# figures from several partners of the Hengelo demo municipality submitted with the real
# leamon, a rejected and a retried submission, and what ended up in the database.
# Leaves nothing running.
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
sed "s/^first_period = .*/first_period = \"$SY_START\";/" "$TOP/config/catalog.conf" > "$DEMO/catalog.conf"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 7710)
cat > "$DEMO/leamond.conf" <<CONF
listen = "tcp://127.0.0.1:$PORT";
database = "leamon.db";
catalog = "catalog.conf";
partners = "partners.conf";
server_secret_key_file = "keys/server.key";
grace_days = 10;
log_level = "info";
CONF

say "2. Start leamond (CURVE, database demo/leamon.db)"
"$LEAMOND" -c "$DEMO/leamond.conf" 2> "$DEMO/leamond.log" &
DAEMON=$!
trap 'kill -TERM $DAEMON 2>/dev/null || true; wait $DAEMON 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
    grep -q 'listening on' "$DEMO/leamond.log" && break
    kill -0 $DAEMON 2>/dev/null || { cat "$DEMO/leamond.log"; exit 1; }
    sleep 0.05
done
sed 's/^/  /' "$DEMO/leamond.log"

SERVER_KEY=$(grep -v '^#' "$DEMO/keys/server.pub" | head -n1)
as() { local who=$1; shift; "$LEAMON" --endpoint "tcp://127.0.0.1:$PORT" --server-key "$SERVER_KEY" --key "$DEMO/keys/$who.key" "$@"; }

say "3. The school year so far: each partner sends its earlier months in one file"
# Deterministic figures: VVE-bereik climbing slowly through the school year. leamon went
# live at the start of the school year: figures are owed from then on (first_period).
for id in ggd-twente ko-zonnebloem ko-klimop ko-esrand rbl-twente; do
    printf 'metric,area,period,value\n' > "$DEMO/figures/history-$id.csv"
done
m=$SY_START
step=0
while [ "$m" != "$MONTH" ]; do
    for w in 0 1 2 3 4 5 6 7 8 9; do
        printf 'jgz.doelgroep.geindiceerd,WK01640%s,%s,%s\n' "$w" "$m" "$(echo "1 12 24 3 26 2 2 1 1 1" | cut -d' ' -f$((w + 1)))" >> "$DEMO/figures/history-ggd-twente.csv"
    done
    printf 'vve.peuters.geplaatst,WK016402,%s,44\nvve.doelgroep.geplaatst,WK016402,%s,%s\nvve.uren.per_week,WK016402,%s,16\n' \
        "$m" "$m" $((17 + step)) "$m" >> "$DEMO/figures/history-ko-zonnebloem.csv"
    printf 'vve.peuters.geplaatst,WK016404,%s,36\nvve.doelgroep.geplaatst,WK016404,%s,%s\nvve.uren.per_week,WK016404,%s,15\n' \
        "$m" "$m" $((19 + step)) "$m" >> "$DEMO/figures/history-ko-klimop.csv"
    printf 'vve.peuters.geplaatst,WK016401,%s,40\nvve.doelgroep.geplaatst,WK016401,%s,%s\nvve.uren.per_week,WK016401,%s,16\n' \
        "$m" "$m" $((7 + step)) "$m" >> "$DEMO/figures/history-ko-esrand.csv"
    printf 'rbl.leerplichtigen,GM0164,%s,11850\nrbl.thuiszitters,GM0164,%s,%s\n' \
        "$m" "$m" $((16 - step)) >> "$DEMO/figures/history-rbl-twente.csv"
    step=$((step + 1))
    m=$(date -d "$m-15 +1 month" +%Y-%m)
done
for id in ggd-twente ko-zonnebloem ko-klimop ko-esrand rbl-twente; do
    as "$id" submit "$DEMO/figures/history-$id.csv" >/dev/null
    echo "  $id: $(($(wc -l < "$DEMO/figures/history-$id.csv") - 1)) figures, $SY_START to the month before $MONTH"
done

say "4. Partners submit their figures for $MONTH"
cat > "$DEMO/figures/ko-zonnebloem.csv" <<CSV
# Kinderopvang De Zonnebloem, $MONTH
metric,area,value
vve.peuters.geplaatst,WK016402,46
vve.doelgroep.geplaatst,WK016402,19
vve.uren.per_week,WK016402,16
vve.plaatsen,WK016402,48
vve.wachtlijst,WK016402,3
CSV
show as ko-zonnebloem submit --period "$MONTH" "$DEMO/figures/ko-zonnebloem.csv"
# A Dutch Excel export: semicolons and a decimal comma.
printf 'metric;area;value\r\nvve.peuters.geplaatst;WK016404;38\r\nvve.doelgroep.geplaatst;WK016404;21\r\nvve.uren.per_week;WK016404;15,5\r\n' > "$DEMO/figures/ko-klimop.csv"
show as ko-klimop submit --period "$MONTH" "$DEMO/figures/ko-klimop.csv"
show as ko-esrand submit --period "$MONTH" vve.peuters.geplaatst=40 vve.doelgroep.geplaatst=9 vve.uren.per_week=16
cat > "$DEMO/figures/ggd-twente.csv" <<CSV
metric,area,value
jgz.doelgroep.geindiceerd,WK016400,1
jgz.doelgroep.geindiceerd,WK016401,12
jgz.doelgroep.geindiceerd,WK016402,24
jgz.doelgroep.geindiceerd,WK016403,3
jgz.doelgroep.geindiceerd,WK016404,26
jgz.doelgroep.geindiceerd,WK016405,2
jgz.doelgroep.geindiceerd,WK016406,2
jgz.doelgroep.geindiceerd,WK016407,1
jgz.doelgroep.geindiceerd,WK016408,1
jgz.doelgroep.geindiceerd,WK016409,1
jgz.indicaties.nieuw,GM0164,14
CSV
show as ggd-twente submit --period "$MONTH" "$DEMO/figures/ggd-twente.csv"
show as rbl-twente submit --period "$MONTH" --area GM0164 rbl.leerplichtigen=11850 rbl.thuiszitters=14 rbl.verzuim.relatief=61 rbl.vrijstellingen=38
show as po-driene submit --period "$MONTH" school.leerlingen=312 school.rijke_schooldag=140
show as gemeente-hengelo submit --period "$MONTH" --area GM0164 gemeente.peuters=1020

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

say "11. How it moved this school year against the 85% path"
show as beleid series vve_bereik --from "$SY_START" --to "$MONTH"

say "12. Which locations have not reported $MONTH (VVE placements)"
show as beleid completeness --period "$MONTH" --metric vve.doelgroep.geplaatst

say "13. The alerts the rules raised, and one acknowledged"
show as beleid alerts --state all
first=$(as beleid alerts --format json | grep -o '"id":[0-9]*' | head -n1 | cut -d: -f2)
[ -z "$first" ] || show as beleid ack "$first" --note "Besproken in het LEA-overleg"

say "14. Stop leamond (SIGTERM: answer what arrived, commit, exit 0)"
kill -TERM $DAEMON
rc=0; wait $DAEMON || rc=$?
trap - EXIT
tail -n 4 "$DEMO/leamond.log" | sed 's/^/  /'
echo "  leamond exited with $rc; the database, keys and figures are in demo/"
