/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The target most baselines pick: the least loaded host that can take a VM.
 * Used by the greedy, ovirt and proxmox policies; calls nothing of theirs. */
#include "config.h"

#include "sim.h"

gint
sim_target_least_loaded(const SimView *view, guint vm, guint except, double below)
{
	double mem = view->vms[vm].mem_gb, best_u = G_MAXDOUBLE;
	gint best = -1;

	for (guint h = 0; h < view->n_hosts; h++) {
		const SimHostView *t = &view->hosts[h];
		double u = t->load1 / t->cores;

		/* Strictly less: ties go to the lowest index. */
		if (h != except && !t->maintenance && u < below && u < best_u &&
		    t->mem_used + mem <= t->mem_gb) {
			best_u = u;
			best = (gint) h;
		}
	}
	return best;
}
