/* checkpointer.h: the WAL checkpoints, on a thread and a database connection of their own.
 *
 * SQLite no longer copies the WAL into the database inside a commit (store_manual_checkpoints):
 * a request would wait for it. Nor does the derive thread, which answers the queries: at
 * millions of figures a checkpoint takes tens of milliseconds, and SQLite cannot split it.
 * This thread copies the WAL beside the commits under a steady load (once it holds
 * CHECKPOINT_FRAMES pages, at most every CHECKPOINT_GAP_MS), and all of it, emptying the
 * file, once no commit has come for CHECKPOINT_QUIET_MS. It sleeps while there is nothing to
 * copy: an idle daemon uses no CPU. */
#ifndef LEAMON_CHECKPOINTER_H
#define LEAMON_CHECKPOINTER_H

#include "error.h"
#include "log.h"
#include "store.h"

#define CHECKPOINT_FRAMES 4000      /* about 16 MB of pages */
#define CHECKPOINT_GAP_MS 50
#define CHECKPOINT_QUIET_MS 1000
#define CHECKPOINT_RETRY_MS 1000    /* after a checkpoint that failed or could not finish */

typedef struct checkpointer checkpointer;

/* Open the thread's connection to primary's database (path) and start it. Before any other
 * thread commits on the database: it hooks into every commit (store_on_commit). 0, or -1
 * with err. */
int checkpointer_start(checkpointer **out, const char *path, store *primary,
                       const log_ctx *log, lm_error *err);

/* Stop and free it, once no other thread commits on the database any more; the last
 * checkpoint empties the WAL. */
void checkpointer_stop(checkpointer **c, store *primary);

#endif
