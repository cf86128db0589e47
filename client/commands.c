/* commands.c: the table of leamon's commands and their own options. */
#include <string.h>

#include "leamon.h"

static const cmd_opt submit_opts[] = {
    {"period", true}, {"area", true}, {"dry-run", false}, {"id", true}, {NULL, false}};
static const cmd_opt keygen_opts[] = {{"dir", true}, {NULL, false}};
static const cmd_opt no_opts[] = {{NULL, false}};

const command_t leamon_commands[] = {
    {"submit", "send figures: a CSV file or metric=value arguments", submit_opts, cmd_submit,
     help_submit},
    {"flush", "deliver submissions spooled while the daemon was unreachable", no_opts, cmd_flush,
     help_flush},
    {"keygen", "make a CURVE key pair (NAME.key, NAME.pub)", keygen_opts, cmd_keygen, help_keygen},
    {"ping", "check that the daemon answers", no_opts, cmd_ping, help_ping},
    {"status", "the daemon's state and who it thinks you are", no_opts, cmd_status, help_status},
    {"catalog", "metrics and areas the daemon knows, and what you may report", no_opts,
     cmd_catalog, help_catalog},
    {NULL, NULL, NULL, NULL, NULL}};

const command_t *leamon_find_command(const char *name)
{
    for (const command_t *c = leamon_commands; c->name; c++)
        if (!strcmp(c->name, name))
            return c;
    return NULL;
}
