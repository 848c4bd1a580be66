/* VMs per host as one flat array (counting sort), for policies that walk a
 * host's VMs: rebuilding it costs one pass over the VMs, walking all VMs
 * for each hot host would cost hosts x VMs. */
#include "config.h"

#include "sim.h"

void
sim_index_build(const SimView *view, guint **first, guint **list)
{
	guint *f = g_new0(guint, view->n_hosts + 1);
	guint *l = g_new(guint, MAX(view->n_vms, 1));
	g_autofree guint *fill = NULL;

	for (guint i = 0; i < view->n_vms; i++)
		f[view->vms[i].host + 1]++;
	for (guint h = 0; h < view->n_hosts; h++)
		f[h + 1] += f[h];
	fill = g_memdup2(f, sizeof(guint) * (view->n_hosts + 1));
	for (guint i = 0; i < view->n_vms; i++)
		l[fill[view->vms[i].host]++] = i;
	*first = f;
	*list = l;
}
