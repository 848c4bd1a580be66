/* SPDX-License-Identifier: GPL-2.0-or-later */
/* oVirt's evenly_distributed balancing policy (ovirt-engine
 * EvenDistributionBalancePolicyUnit, scheduling policy "evenly_distributed",
 * with its defaults): a host is over-utilised when its CPU stays above
 * HighUtilization = 75 % for CpuOverCommitDurationMinutes = 2; the
 * balancer takes the most loaded such host, migrates the VM with the lowest
 * CPU use (the cheapest to move), to a host under 60 % CPU (the least
 * loaded with the memory); one migration per balancing run (every minute). */
#include "config.h"

#include "sim.h"

#define OV_HIGH 0.75
#define OV_MINUTES 2
#define OV_DEST 0.60

typedef struct {
	guint *above;
} Ovirt;

static gpointer
ovirt_create(const SimView *view, guint64 seed)
{
	Ovirt *o = g_new0(Ovirt, 1);

	o->above = g_new0(guint, view->n_hosts);
	return o;
}

static void
ovirt_decide(gpointer state, const SimView *view, GArray *moves)
{
	Ovirt *o = state;
	gint src = -1, dst = -1, vm = -1;
	double src_u = 0, vm_cpu = G_MAXDOUBLE;

	for (guint h = 0; h < view->n_hosts; h++) {
		double u = view->hosts[h].load1 / view->hosts[h].cores;

		o->above[h] = u > OV_HIGH ? o->above[h] + 1 : 0;
		if (o->above[h] >= OV_MINUTES && u > src_u && view->hosts[h].in_flight == 0) {
			src_u = u;
			src = (gint) h;
		}
	}
	if (src < 0)
		return;
	for (guint i = 0; i < view->n_vms; i++) {
		const SimVmView *v = &view->vms[i];

		if (v->host == (guint) src && !v->migrating && v->cpu < vm_cpu) {
			vm_cpu = v->cpu;
			vm = (gint) i;
		}
	}
	if (vm < 0)
		return;
	dst = sim_target_least_loaded(view, (guint) vm, (guint) src, OV_DEST);
	if (dst >= 0) {
		SpLcMove m = {(guint) vm, (guint) src, (guint) dst, 0};

		g_array_append_val(moves, m);
	}
}

static void
ovirt_destroy(gpointer state)
{
	Ovirt *o = state;

	g_free(o->above);
	g_free(o);
}

const SimPolicy sim_policy_ovirt = {
	"ovirt",       "oVirt evenly_distributed: HighUtilization 75, 2 min, lowest-CPU VM",
	ovirt_create,  ovirt_decide,
	ovirt_destroy,
};
