/* help.c: leamon's manual pages, printed by --help. The global options part
 * is generated from the settings table, so it cannot drift from opts.c. */
#include <string.h>

#include "leamon.h"

static const char exit_status[] =
    "EXIT STATUS\n"
    "    0  ok: stored (or already stored), dry run valid, flush delivered all\n"
    "    1  rejected by the daemon (4xx: invalid records, key refused, not\n"
    "       allowed, request id reused): nothing stored\n"
    "    2  usage or local input error (bad option, unreadable file, bad CSV\n"
    "       line, bad key file): nothing sent\n"
    "    3  daemon unreachable, or unavailable (5xx) after every retry: nothing\n"
    "       stored, not spooled; sending again with the same --id is safe\n"
    "    4  daemon unreachable: the submission was spooled; `leamon flush`\n"
    "       delivers it\n";

static void print_global_options(FILE *out)
{
    fputs("GLOBAL OPTIONS\n"
          "    Anywhere on the command line, before or after the command. Each can also\n"
          "    come from an environment variable or the config file; a flag beats the\n"
          "    environment, which beats the config file, which beats the default.\n\n",
          out);
    for (int i = 0; i < OPT_COUNT; i++) {
        const opt_spec *s = opts_spec((opt_id)i);
        char head[64];
        snprintf(head, sizeof head, "--%s %s", s->flag, s->arg);
        fprintf(out, "    %-22s %s\n", head, s->help);
        fprintf(out, "    %-22s env %s, config %s\n", "", s->env, s->key);
        if (s->def)
            fprintf(out, "    %-22s default %s\n", "", s->def);
    }
    fputs("    --config FILE          read this config file (environment LEAMON_CONFIG)\n"
          "    --format text|json     json: print each reply of the daemon as one JSON\n"
          "                           object per line instead of text\n"
          "    -h, --help             this page; `leamon COMMAND --help` for a command\n"
          "    --version              print the version\n",
          out);
}

static const char files[] =
    "FILES\n"
    "    ~/.config/leamon/leamon.conf, or else /etc/leamon/leamon.conf\n"
    "        read if it exists (--config FILE or LEAMON_CONFIG name another\n"
    "        one, which must then exist). libconfig syntax; relative paths in it\n"
    "        are taken from the file's own directory; an unknown setting is an\n"
    "        error:\n"
    "            endpoint   = \"tcp://leamon.gemeente.example:7710\";\n"
    "            server_key = \"/etc/leamon/leamond.pub\";   # or the 40-character key\n"
    "            key        = \"/etc/leamon/ko-zonnebloem.key\";\n"
    "            timeout_ms = 5000;\n"
    "            retries    = 3;\n"
    "            spool      = \"/var/spool/leamon\";\n"
    "    NAME.key, NAME.pub\n"
    "        CURVE key pair written by `leamon keygen NAME`; the .key file must be\n"
    "        mode 0600 or leamon refuses to use it.\n";

void help_main(FILE *out)
{
    fputs("NAME\n"
          "    leamon - report LEA figures to leamond and ask it how things stand\n"
          "\n"
          "SYNOPSIS\n"
          "    leamon [GLOBAL OPTIONS] COMMAND [OPTIONS] [ARGUMENTS]\n"
          "    leamon COMMAND --help\n"
          "\n"
          "DESCRIPTION\n"
          "    leamon is the command-line client of leamond, the daemon that collects the\n"
          "    monthly figures of a municipality's Lokale Educatieve Agenda. Partners\n"
          "    (childcare, schools, the RBL, the GGD) submit their aggregate counts with\n"
          "    it; staff and operators check the daemon with it.\n"
          "\n"
          "    Every request is retried when no reply comes within the timeout (the same\n"
          "    request id each time, so the daemon never stores a submission twice), and\n"
          "    leamon never waits forever.\n"
          "\n"
          "COMMANDS\n",
          out);
    for (const command_t *c = leamon_commands; c->name; c++)
        fprintf(out, "    %-9s %s\n", c->name, c->summary);
    fputc('\n', out);
    print_global_options(out);
    fputs("\nSECURITY\n"
          "    With a server key leamon talks CURVE: the daemon knows you by your key\n"
          "    (--key) and --reporter is not sent. Without one (insecure development\n"
          "    mode, loopback only) --reporter names the organisation you report for.\n"
          "    If the daemon refuses your key at the handshake leamon says so at once\n"
          "    and exits 1.\n\n",
          out);
    fputs(files, out);
    fputc('\n', out);
    fputs(exit_status, out);
    fputs("\nEXAMPLES\n"
          "    leamon keygen ko-zonnebloem\n"
          "    leamon --server-key leamond.pub --key ko-zonnebloem.key ping\n"
          "    leamon submit --period 2026-10 oktober.csv\n"
          "    leamon submit --period 2026-10 vve.peuters.geplaatst=42 vve.wachtlijst=3\n"
          "    leamon --reporter ko-zonnebloem submit --dry-run --period 2026-10 a.csv\n"
          "    leamon catalog --format json\n",
          out);
}

const char help_submit[] =
    "NAME\n"
    "    leamon submit - send figures to leamond in one atomic request\n"
    "\n"
    "SYNOPSIS\n"
    "    leamon submit [--period PERIOD] [--dry-run] [--id ID] [--spool DIR] FILE.csv\n"
    "    leamon submit --period PERIOD [--area AREA] [--dry-run] [--id ID]\n"
    "                  metric=value...\n"
    "\n"
    "DESCRIPTION\n"
    "    Sends the records of a CSV file (FILE - reads standard input) or of\n"
    "    metric=value arguments. The daemon stores all of them or none: if any record\n"
    "    is invalid, every problem is listed against its line and nothing is stored.\n"
    "    Input is checked locally first (numbers, columns, periods), so a typing\n"
    "    error costs no round trip.\n"
    "\n"
    "    CSV format: columns metric,area,value, one record a line, optionally under a\n"
    "    header line `metric,area,value`, or `metric,area,period,value` to give each\n"
    "    row its own period (--period then fills empty period cells and may be left\n"
    "    out). Blank lines and lines starting with # are skipped, fields are trimmed\n"
    "    and may be \"quoted\", CRLF line ends and a UTF-8 byte order mark are fine.\n"
    "    An empty area means the reporter's home area. If the first line contains\n"
    "    ';' (a Dutch Excel export), ';' separates the fields and a decimal comma is\n"
    "    accepted (16,5). Numbers have no thousands separators and no exponents.\n"
    "    At most 10000 records and 1 MiB per submission.\n"
    "\n"
    "        # Kinderopvang De Zonnebloem, oktober\n"
    "        metric;area;value\n"
    "        vve.peuters.geplaatst;WK016402;42\n"
    "        vve.uren.per_week;;16,5\n"
    "\n"
    "OPTIONS\n"
    "    --period PERIOD   the period of the figures: 2026-10 (month), 2026-Q4, 2026\n"
    "                      or 2025/26; required unless the CSV has a period column\n"
    "    --area AREA       area code for metric=value arguments (default: your home\n"
    "                      area)\n"
    "    --dry-run         the daemon validates everything and stores nothing\n"
    "    --id ID           request id (1-64 printable characters, no spaces);\n"
    "                      default 32 random hex characters. The daemon stores an\n"
    "                      id once: a cron job with a stable id (for example\n"
    "                      zonnebloem-2026-10) can be re-run without storing twice.\n"
    "                      The same id with different records is refused (409).\n"
    "    --spool DIR       if the daemon cannot be reached (after all retries) or\n"
    "                      stays unavailable, keep the request in DIR and exit 4;\n"
    "                      earlier spooled submissions are delivered first, in\n"
    "                      order, and a new one waits behind them while they\n"
    "                      cannot be delivered. Not used with --dry-run.\n"
    "    Global options (see leamon --help) may be given here too.\n"
    "\n"
    "OUTPUT\n"
    "    stored 12 records for 2026-10 (request 3f2a...)\n"
    "    already stored (request ...): 12 records          (a repeated --id)\n"
    "    valid: 12 records for 2026-10 (dry run, nothing stored)\n"
    "    oktober.csv:7: value: 1200 is above the maximum 1000 (out_of_range)\n"
    "        one line per error on standard error, at the CSV line (or `argument N`)\n"
    "        it came from, then a summary\n"
    "\n"
    "EXIT STATUS\n"
    "    0 stored, already stored, or (dry run) valid; 1 rejected by the daemon,\n"
    "    nothing stored; 2 local error in the input or the options, nothing sent;\n"
    "    3 daemon unreachable or unavailable, nothing stored; 4 spooled.\n"
    "\n"
    "EXAMPLES\n"
    "    leamon submit --period 2026-10 oktober.csv\n"
    "    leamon submit --dry-run --period 2026-10 - < oktober.csv\n"
    "    leamon submit --period 2026-10 --area WK016402 vve.plaatsen=48 \\\n"
    "        vve.wachtlijst=3\n"
    "    leamon submit --spool /var/spool/leamon --id zonnebloem-2026-10 \\\n"
    "        --period 2026-10 oktober.csv\n";

const char help_flush[] =
    "NAME\n"
    "    leamon flush - deliver spooled submissions\n"
    "\n"
    "SYNOPSIS\n"
    "    leamon flush --spool DIR\n"
    "\n"
    "DESCRIPTION\n"
    "    Sends the submissions that `leamon submit --spool DIR` kept while the daemon\n"
    "    was unreachable, oldest first (a later figure supersedes an earlier one).\n"
    "    Each goes with its original request id, so one that did arrive before is\n"
    "    reported as already stored and not stored again. A delivered file is\n"
    "    deleted; one the daemon rejects (4xx) is moved to DIR/rejected/ with the\n"
    "    reason in NAME.why. When the daemon is still unreachable, flush stops and\n"
    "    keeps that file and the rest, in order. Concurrent runs on one spool wait\n"
    "    for each other (DIR/.lock). Suited to cron: `*/15 * * * * leamon flush`.\n"
    "\n"
    "    Spool files are named <UTC yyyymmddThhmmssZ>-<seq>-<id>.req and hold the\n"
    "    encoded request exactly as it would have been sent.\n"
    "\n"
    "OPTIONS\n"
    "    --spool DIR   the spool directory (also LEAMON_SPOOL, or spool in the\n"
    "                  config file)\n"
    "\n"
    "EXIT STATUS\n"
    "    0 everything delivered (or nothing to do); 1 at least one submission was\n"
    "    rejected and moved to DIR/rejected/, or the daemon refused this client's\n"
    "    key; 2 local error; 4 the daemon is still unreachable: submissions remain\n"
    "    spooled.\n"
    "\n"
    "EXAMPLES\n"
    "    leamon flush --spool /var/spool/leamon\n";

const char help_keygen[] =
    "NAME\n"
    "    leamon keygen - make a CURVE key pair\n"
    "\n"
    "SYNOPSIS\n"
    "    leamon keygen NAME [--dir DIR]\n"
    "\n"
    "DESCRIPTION\n"
    "    Writes DIR/NAME.key (the secret key, mode 0600) and DIR/NAME.pub (the public\n"
    "    key, mode 0644) and prints the public key. Never overwrites an existing\n"
    "    key. NAME is letters, digits, '-', '_' and '.'.\n"
    "\n"
    "    A partner or staff member gives the public key to the daemon's operator, who\n"
    "    adds it to that organisation's entry in the partners file:\n"
    "        keys = [\"<public key>\"];\n"
    "    and then uses --key DIR/NAME.key. The daemon's own pair is made the same\n"
    "    way: its .key goes into leamond.conf (server_secret_key_file), its .pub to\n"
    "    every client as --server-key.\n"
    "\n"
    "OPTIONS\n"
    "    --dir DIR   where to write the files (default: the current directory)\n"
    "\n"
    "EXIT STATUS\n"
    "    0 written; 2 not written (a file exists, bad name, cannot write).\n"
    "\n"
    "EXAMPLES\n"
    "    leamon keygen ko-zonnebloem --dir /etc/leamon\n";

const char help_ping[] =
    "NAME\n"
    "    leamon ping - check that the daemon answers\n"
    "\n"
    "SYNOPSIS\n"
    "    leamon ping\n"
    "\n"
    "DESCRIPTION\n"
    "    Sends a ping and prints the daemon's version and the round-trip time, and\n"
    "    a warning if the daemon's clock is more than a minute off. With CURVE this\n"
    "    also proves the keys: a refused key is reported at once.\n"
    "\n"
    "EXIT STATUS\n"
    "    0 the daemon answered; 1 it refused (key, reporter); 2 usage error;\n"
    "    3 unreachable or unavailable.\n"
    "\n"
    "EXAMPLES\n"
    "    leamon --endpoint tcp://leamon.gemeente.example:7710 ping\n";

const char help_status[] =
    "NAME\n"
    "    leamon status - the daemon's state and who it thinks you are\n"
    "\n"
    "SYNOPSIS\n"
    "    leamon status\n"
    "\n"
    "DESCRIPTION\n"
    "    Prints the daemon's version and uptime, whether it runs with CURVE, your\n"
    "    identity and role as the daemon sees it, the number of observations and\n"
    "    submissions (a partner sees its own), and the last submission.\n"
    "\n"
    "EXIT STATUS\n"
    "    0 ok; 1 refused; 2 usage error; 3 unreachable or unavailable.\n"
    "\n"
    "EXAMPLES\n"
    "    leamon status\n"
    "    leamon status --format json\n";

const char help_catalog[] =
    "NAME\n"
    "    leamon catalog - the metrics and areas the daemon knows\n"
    "\n"
    "SYNOPSIS\n"
    "    leamon catalog\n"
    "\n"
    "DESCRIPTION\n"
    "    Prints the metric catalogue (code, unit, how months roll up, the valid\n"
    "    range, which partner kinds report it, label), the area tree, the first\n"
    "    period the daemon accepts and, for a partner, which metrics and areas it\n"
    "    may report. Use it to write a CSV file the daemon accepts.\n"
    "\n"
    "EXIT STATUS\n"
    "    0 ok; 1 refused; 2 usage error; 3 unreachable or unavailable.\n"
    "\n"
    "EXAMPLES\n"
    "    leamon --reporter ko-zonnebloem catalog\n"
    "    leamon catalog --format json\n";

void help_command(FILE *out, const command_t *cmd)
{
    fputs(cmd->help, out);
    fputs("\nSee leamon --help for the global options (endpoint, keys, timeout, retries,\n"
          "spool, config file) and their environment variables.\n",
          out);
}
