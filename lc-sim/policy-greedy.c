/* SPDX-License-Identifier: GPL-2.0-or-later */
/* greedy: the naive balancer people write first.  Each minute, when the
 * hottest host's load average is over its core count, its largest VM (by
 * current CPU) goes to the least loaded host that has the memory.  One move
 * per minute; no history, no cooldown. */
#include "config.h"

#include "sim.h"

static gpointer
greedy_create(const SimView *view, guint64 seed)
{
	return NULL;
}

static void
greedy_decide(gpointer state, const SimView *view, GArray *moves)
{
	gint hot = -1, cold = -1, vm = -1;
	double hot_u = 1.0, vm_cpu = -1;

	for (guint h = 0; h < view->n_hosts; h++) {
		double u = view->hosts[h].load1 / view->hosts[h].cores;

		if (u > hot_u && view->hosts[h].in_flight == 0) {
			hot_u = u;
			hot = (gint) h;
		}
	}
	if (hot < 0)
		return;
	for (guint i = 0; i < view->n_vms; i++) {
		if (view->vms[i].host == (guint) hot && !view->vms[i].migrating &&
		    view->vms[i].cpu > vm_cpu) {
			vm_cpu = view->vms[i].cpu;
			vm = (gint) i;
		}
	}
	if (vm < 0)
		return;
	cold = sim_target_least_loaded(view, (guint) vm, (guint) hot, G_MAXDOUBLE);
	if (cold >= 0) {
		SpLcMove m = {(guint) vm, (guint) hot, (guint) cold, 0};

		g_array_append_val(moves, m);
	}
}

static void
greedy_destroy(gpointer state)
{
}

const SimPolicy sim_policy_greedy = {
	"greedy",       "hottest host gives its largest VM to the least loaded host",
	greedy_create,  greedy_decide,
	greedy_destroy,
};
