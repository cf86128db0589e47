#!/usr/bin/env bash
# mkman.sh BUILD OUTDIR: the man pages, made from what the programs and the example files
# say of themselves (--help, the settings table, the comments of the catalogue and the
# partners file), so that a page cannot drift from the program it describes.
#   leamon(1)  leamond(8)  leamond.conf(5)  leamon-catalog(5)  leamon-partners(5)
set -euo pipefail
BUILD=$1
OUT=$2
TOP=$(cd "$(dirname "$0")/.." && pwd)
VERSION=$("$TOP/$BUILD/leamond" --version | awk '{ print $NF }')
DATE=$(date -u -d "@${SOURCE_DATE_EPOCH:-$(git -C "$TOP" log -1 --format=%ct 2>/dev/null || date +%s)}" +%Y-%m-%d)
mkdir -p "$OUT"

# Text as troff: backslashes escaped, lines that would read as requests protected.
esc() { sed -e 's/\\/\\e/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"; }
# Preformatted text (keeps the programs' own layout).
pre() { echo ".nf"; esc; echo ".fi"; }
head_() { # name section title
    printf '.TH %s %s %s "leamon %s" "%s"\n' "$(echo "$1" | tr a-z A-Z)" "$2" "$DATE" "$VERSION" "$3"
}

# leamon(1): leamon --help is laid out as a man page already (NAME, SYNOPSIS, ... at the
# margin, text indented by four); then each command's own --help.
{
    head_ leamon 1 "User Commands"
    "$TOP/$BUILD/leamon" --help | awk '
        /^[A-Z][A-Z ]+$/ { if (open) print ".fi"; print ".SH " $0; open = 0; sect = $0; next }
        sect == "NAME" && NF { sub(/^ +/, ""); sub(/ - /, " \\- "); print; next }
        { if (!open) { print ".nf"; open = 1 } sub(/^    /, ""); gsub(/\\/, "\\e");
          if ($0 ~ /^[.\x27]/) $0 = "\\&" $0; print }
        END { if (open) print ".fi" }'
    echo ".SH COMMAND DETAILS"
    for cmd in $("$TOP/$BUILD/leamon" --help | awk '/^COMMANDS$/ { on = 1; next } /^[A-Z]/ { on = 0 } on && /^    [a-z]/ { print $1 }'); do
        echo ".SS $cmd"
        "$TOP/$BUILD/leamon" "$cmd" --help 2>&1 | pre
    done
    printf '.SH SEE ALSO\n.BR leamond (8),\n.BR leamond.conf (5),\n.BR leamon-catalog (5),\n.BR leamon-partners (5)\n'
} > "$OUT/leamon.1"

# leamond(8): its --help, which carries the settings, the signals and the exit status.
{
    head_ leamond 8 "System Administration"
    printf '.SH NAME\nleamond \\- the daemon of leamon: receives, stores and judges the figures of a Lokale Educatieve Agenda\n'
    printf '.SH SYNOPSIS\n.B leamond\n[\\fB\\-c\\fR \\fIFILE\\fR] [\\fB\\-\\-check\\fR] [\\fB\\-\\-database\\fR \\fIPATH\\fR] [\\fB\\-\\-listen\\fR \\fIENDPOINT\\fR] [\\fB\\-v\\fR]\n'
    echo ".SH DESCRIPTION"
    "$TOP/$BUILD/leamond" --help | sed 1,2d | pre
    cat <<'EOF'
.SH CONFIGURATION
After the package is installed, leamond waits for its configuration; the unit starts it
once /etc/leamon/server.key exists.
.IP 1. 4
The areas, the reporting organisations and the staff: edit /etc/leamon/partners.conf (see
.BR leamon-partners (5)).
.IP 2. 4
The daemon's key pair: \fBleamon keygen server \-\-dir /etc/leamon\fR writes server.key
(mode 0600) and server.pub. Give server.pub to every partner; add each partner's and staff
member's public key (from their own \fBleamon keygen\fR) to its entry as
\fBkeys = ["..."];\fR.
.IP 3. 4
The settings: /etc/leamon/leamond.conf (see
.BR leamond.conf (5)):
who is told of alerts (\fBreceivers\fR, \fBroutes\fR), the metrics file for Prometheus
(\fBmetrics_file\fR), the limits per organisation. The catalogue, /etc/leamon/catalog.conf,
holds the standard LEA metrics, targets and alert rules; set \fBowed_from\fR there if the
partners send their history.
.IP 4. 4
Check, then start: \fBleamond \-\-check \-c /etc/leamon/leamond.conf\fR (under systemd the
key is handed over as a credential), then \fBsystemctl start leamond\fR. After a change of
the partners file or the catalogue: \fBsystemctl reload leamond\fR.
.PP
Backups: \fBleamon backup FILE\fR (an admin key) takes a consistent copy while leamond runs.
EOF
    printf '.SH FILES\n.TP\n.I /etc/leamon/leamond.conf\nthe settings, see\n.BR leamond.conf (5)\n.TP\n.I /etc/leamon/catalog.conf\nthe metric catalogue, see\n.BR leamon-catalog (5)\n.TP\n.I /etc/leamon/partners.conf\nareas, organisations and staff, see\n.BR leamon-partners (5)\n.TP\n.I /var/lib/leamon/leamon.db\nthe database (SQLite, WAL)\n'
    printf '.SH SEE ALSO\n.BR leamon (1),\n.BR leamond.conf (5),\n.BR systemctl (1);\nREADME.md and PROTOCOL.md in /usr/share/doc/leamon\n'
} > "$OUT/leamond.8"

# leamond.conf(5): the settings table, one entry each, and the alert delivery lists.
{
    head_ leamond.conf 5 "File Formats"
    printf '.SH NAME\nleamond.conf \\- settings of leamond\n'
    printf '.SH DESCRIPTION\nlibconfig syntax: \\fBname = value;\\fR, strings in double quotes, lists in\nparentheses. Relative paths are taken from the directory of the file.\n\\fBleamond \\-\\-check \\-c FILE\\fR checks a file and prints the effective settings; an\nunknown setting is refused with its file and line.\n.SH SETTINGS\n'
    # (awk reads to the end: leamond would die of SIGPIPE writing the rest, and pipefail
    # would fail the script)
    "$TOP/$BUILD/leamond" --help | awk '
        /^Settings of the configuration file/ { on = 1; next }
        on && /^$/ { on = 0; next }
        on { name = $1; $1 = ""; sub(/^ +/, ""); gsub(/\\/, "\\e"); print ".TP\n.B " name; print }'
    cat <<'EOF'
.SH ALERT DELIVERY
.TP
.B receivers
a list of groups: \fB{ name = "beleid"; mail = "a@x, b@y"; }\fR sends a Dutch mail through
\fBsendmail \-t \-i\fR; \fB{ name = "chat"; exec = "COMMAND"; }\fR runs COMMAND by /bin/sh with
the notice as JSON on its standard input. The \fBalert_hook\fR is the receiver \fBhook\fR.
.TP
.B routes
a list of groups, tried in order: \fBreceiver\fR, the matchers \fBseverity\fR, \fBrule\fR,
\fBindicator\fR, \fBarea\fR (and below), \fBorganisation\fR and \fBstate\fR, then
\fBgroup_by\fR (a list of rule, area, indicator, organisation, severity, alert),
\fBgroup_wait\fR (30s), \fBgroup_interval\fR (5m), \fBrepeat_interval\fR (1w; 0: none) and
\fBcontinue\fR (false). Durations are seconds or "30s", "5m", "4h", "7d", "1w".
.TP
.B inhibit
a list of groups \fB{ source = "RULE"; targets = ["RULE", ...]; }\fR: while an alert of the
source fires, the target alerts it explains are not sent. Without it every late rule
inhibits the alerts on the incomplete figures of the areas its organisation reports for.
.SH EXAMPLE
.nf
listen = "tcp://*:7710";
database = "/var/lib/leamon/leamon.db";
server_secret_key_file = "/etc/leamon/server.key";
mail_from = "leamon@gemeente.example";
receivers = ( { name = "beleid"; mail = "beleid\-lea@gemeente.example"; } );
routes = ( { receiver = "beleid"; group_by = ["rule"]; group_wait = "5m"; } );
.fi
.SH SEE ALSO
.BR leamond (8),
.BR leamon-catalog (5),
.BR leamon-partners (5)
EOF
} > "$OUT/leamond.conf.5"

# The catalogue and the partners file: the comments of the shipped examples say it all.
comments() { sed -n 's/^# \{0,1\}//p' "$1"; }
{
    head_ leamon-catalog 5 "File Formats"
    printf '.SH NAME\nleamon-catalog \\- the metric catalogue of leamond: metrics, indicators, targets, checks and alert rules\n'
    printf '.SH DESCRIPTION\nThe file named by the \\fBcatalog\\fR setting of\n.BR leamond.conf (5),\nin libconfig syntax. What follows are the notes of the shipped catalogue,\n/usr/share/leamon/examples/catalog.conf, which holds the standard LEA metrics.\n.SH FORMAT\n'
    comments "$TOP/config/catalog.conf" | pre
    printf '.SH SEE ALSO\n.BR leamond (8),\n.BR leamon-partners (5);\ncatalogue.md, indicators.md and alert-rules.md in /usr/share/doc/leamon\n'
} > "$OUT/leamon-catalog.5"
{
    head_ leamon-partners 5 "File Formats"
    printf '.SH NAME\nleamon-partners \\- the areas, reporting organisations and staff of a leamond\n'
    printf '.SH DESCRIPTION\nThe file named by the \\fBpartners\\fR setting of\n.BR leamond.conf (5),\nin libconfig syntax. leamond reads it at start and on SIGHUP.\n.SH FORMAT\n'
    # (its first paragraph is about the example municipality)
    comments "$TOP/config/partners-hengelo.conf" | sed '1,/^$/d' | pre
    echo ".SH EXAMPLE"
    { grep -v '^#' "$TOP/config/partners-hengelo.conf" | sed -n '/^areas/,/^);/p' | head -n 4
      echo "  ..."; echo ");"; } | pre
    printf '.SH SEE ALSO\n.BR leamon (1)\n(keygen),\n.BR leamond (8),\n.BR leamon-catalog (5)\n'
} > "$OUT/leamon-partners.5"
