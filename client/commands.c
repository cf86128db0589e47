/* commands.c: the table of leamon's commands and their own options. */
#include <stdbool.h>
#include <string.h>

#include "help.h"
#include "leamon.h"

static const cmd_opt submit_opts[] = {
    {"period", true}, {"area", true}, {"dry-run", false}, {"id", true}, {"map", true},
    {NULL, false}};
static const cmd_opt keygen_opts[] = {{"dir", true}, {NULL, false}};
static const cmd_opt snapshot_opts[] = {
    {"period", true}, {"area", true}, {"by-area", false}, {"by-reporter", false},
    {"as-of", true},  {NULL, false}};
static const cmd_opt series_opts[] = {{"from", true}, {"to", true}, {"area", true}, {NULL, false}};
static const cmd_opt completeness_opts[] = {
    {"period", true}, {"metric", true}, {"missing", false}, {"org", true}, {NULL, false}};
static const cmd_opt figures_opts[] = {
    {"period", true}, {"from", true}, {"to", true},  {"metric", true},
    {"area", true},   {"org", true},  {NULL, false}};
static const cmd_opt alerts_opts[] = {
    {"state", true}, {"since", true}, {"rule", true}, {"area", true}, {NULL, false}};
static const cmd_opt ack_opts[] = {{"note", true}, {NULL, false}};
static const cmd_opt silence_opts[] = {
    {"rule", true},  {"indicator", true}, {"area", true}, {"org", true}, {"severity", true},
    {"until", true}, {"starts", true},    {"note", true}, {NULL, false}};
static const cmd_opt silences_opts[] = {{"all", false}, {NULL, false}};
/* --timeout SECONDS is the global --timeout, read as seconds (cmd_watch). */
static const cmd_opt watch_opts[] = {
    {"topic", true}, {"count", true}, {"idle", true}, {NULL, false}};
/* --publish is taken: the global option for the PUB endpoint (opts.c). */
static const cmd_opt report_opts[] = {
    {"period", true}, {"out", true},      {"public", false}, {"from", true},
    {"area", true},   {"min-cell", true}, {"pdf", true},     {NULL, false}};
static const cmd_opt retract_opts[] = {{"period", true}, {"for", true}, {NULL, false}};
static const cmd_opt note_opts[] = {{"note", true}, {NULL, false}};
static const cmd_opt no_opts[] = {{NULL, false}};

const command_t leamon_commands[] = {
    {"submit", "send figures: a CSV file or metric=value arguments", submit_opts, cmd_submit,
     help_submit, false},
    {"flush", "deliver submissions spooled while the daemon was unreachable", no_opts, cmd_flush,
     help_flush, false},
    {"keygen", "make a CURVE key pair (NAME.key, NAME.pub)", keygen_opts, cmd_keygen, help_keygen,
     false},
    {"ping", "check that the daemon answers", no_opts, cmd_ping, help_ping, false},
    {"status", "the daemon's state and who it thinks you are", no_opts, cmd_status, help_status,
     false},
    {"catalog", "metrics, indicators and areas the daemon knows; what you may report", no_opts,
     cmd_catalog, help_catalog, false},
    {"snapshot", "an indicator's value for one period, against its target", snapshot_opts,
     cmd_snapshot, help_snapshot, true},
    {"series", "an indicator period by period, with its trend", series_opts, cmd_series,
     help_series, true},
    {"completeness", "who has reported a period's figures, who is late or missing",
     completeness_opts, cmd_completeness, help_completeness, true},
    {"figures", "your figures as the daemon holds them, with their corrections and retractions",
     figures_opts, cmd_figures, help_figures, true},
    {"alerts", "the alerts the daemon's rules have raised, and the silences", alerts_opts,
     cmd_alerts, help_alerts, true},
    {"ack", "acknowledge an alert: someone is on it (admin)", ack_opts, cmd_ack, help_ack, false},
    {"silence", "stop publishing the alerts a silence's matchers match, for a while (admin)",
     silence_opts, cmd_silence, help_silence, false},
    {"silences", "the silences in force, to start, and recently ended", silences_opts,
     cmd_silences, help_silences, true},
    {"unsilence", "end a silence now (admin)", no_opts, cmd_unsilence, help_unsilence, false},
    {"watch", "print alert changes as they happen", watch_opts, cmd_watch, help_watch, false},
    {"backup", "a consistent copy of the daemon's database, taken while it runs (admin)",
     no_opts, cmd_backup, help_backup, false},
    {"report", "an HTML report for the council: indicators, wijken, delivery, alerts",
     report_opts, cmd_report, help_report, false},
    {"retract", "take back a figure sent by mistake, as if it had never been sent",
     retract_opts, cmd_retract, help_retract, false},
    {"close", "close a period whose figures are agreed: later figures are refused (admin)",
     note_opts, cmd_close, help_close, false},
    {"reopen", "reopen a closed period, with the reason (admin)", note_opts, cmd_reopen,
     help_reopen, false},
    {NULL, NULL, NULL, NULL, NULL, false}};

const command_t *leamon_find_command(const char *name)
{
    for (const command_t *c = leamon_commands; c->name; c++)
        if (!strcmp(c->name, name))
            return c;
    return NULL;
}
