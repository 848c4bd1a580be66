/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The per-host VM index (lc-index.h): the core's round driver and lc-sim's
 * policies build it; it calls nothing of theirs.  Rebuilt every round
 * rather than kept up to date: one pass over the VMs is cheaper than
 * keeping lists right through moves. */
#include "config.h"

#include "lc-index.h"

static guint
vm_host(gconstpointer vms, gsize stride, gsize host_at, guint i)
{
	return *(const guint *) (gconstpointer) ((const guint8 *) vms + (gsize) i * stride +
						 host_at);
}

void
sp_lc_host_index_build(SpLcHostIndex *idx, guint n_hosts, gconstpointer vms, guint n_vms,
		       gsize stride, gsize host_at)
{
	g_autofree guint *fill = NULL;

	sp_lc_host_index_clear(idx);
	idx->first = g_new0(guint, n_hosts + 1);
	idx->vms = g_new(guint, MAX(n_vms, 1));
	for (guint i = 0; i < n_vms; i++) {
		guint h = vm_host(vms, stride, host_at, i);

		if (h < n_hosts)
			idx->first[h + 1]++;
	}
	for (guint h = 0; h < n_hosts; h++)
		idx->first[h + 1] += idx->first[h];
	fill = g_memdup2(idx->first, sizeof(guint) * (n_hosts + 1));
	for (guint i = 0; i < n_vms; i++) {
		guint h = vm_host(vms, stride, host_at, i);

		if (h < n_hosts)
			idx->vms[fill[h]++] = i;
	}
}

void
sp_lc_host_index_clear(SpLcHostIndex *idx)
{
	g_clear_pointer(&idx->first, g_free);
	g_clear_pointer(&idx->vms, g_free);
}
