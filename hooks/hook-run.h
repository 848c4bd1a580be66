/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Carrying out a plan within the hook's budget.
 *
 * The actions run in a worker process, forked for the purpose, while the
 * hook itself only watches the clock: an LVM call can wait for ever on a
 * lock or in uninterruptible I/O to a SAN path that is gone (at+link's
 * "storage suddenly invisible"), where no signal reaches it, and libvirtd
 * waits for the hook as long as the hook's stdout and stderr are open. When
 * the budget runs out the hook kills the worker's process group and exits
 * with one line; a worker stuck in the kernel dies when its I/O returns,
 * holding none of libvirtd's descriptors. The worker dies with the hook
 * (PR_SET_PDEATHSIG), so a hook killed from outside stops it too.
 *
 * Prepare undoes this run's activations, newest first, when a later action
 * fails. After a kill (budget or outside) nothing is undone here: libvirt
 * runs stopped end and release end after a failed prepare, and release
 * deactivates the VM's LVs. */
#pragma once

#include <glib.h>

#include "hook-ops.h"
#include "slvm.h"
#include "sp-log.h"

typedef struct {
	SpHookDo what;
	const char *domain;
	const char *config_dir;
	const SpSlvmConfig *slvm;
	GPtrArray *plan; /* SpAction * */
	gint64 deadline; /* g_get_monotonic_time() by which the run must end */
	int budget_s;    /* for messages */
	SpLogLevel log_level;
	/* Test kill point (--test-kill-at N): SIGKILL the hook and its worker
	 * just before action N (1-based; N = plan length + 1: after the
	 * last, before the hook reports); 0 never. */
	int kill_at;
} SpHookRun;

/* 0 when the plan was carried out; -1 with the error set (the action that
 * failed, or the one running when the budget ran out). Release returns 0
 * unless the budget ran out: a failed deactivation is logged and the rest go
 * on. */
int sp_hook_run(const SpHookRun *run) G_GNUC_WARN_UNUSED_RESULT;

/* Read fd until end of file, keeping at most max bytes in out (the rest is
 * read and dropped, *oversize then TRUE, so the writer never blocks); FALSE
 * if it did not end by the deadline (g_get_monotonic_time()). */
gboolean sp_hook_read_until(int fd, gint64 deadline, size_t max, GString *out, gboolean *oversize);
