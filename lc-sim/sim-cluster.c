/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The simulated cluster: VM sizes, host capacity and initial placement.
 *
 * The trace gives CPU utilisation only.  Sizes are drawn reproducibly from a
 * GRand seeded with the cell's seed (the same sizes for every policy):
 *   vCPUs 1 / 2 / 4 / 8 with probability 40 / 35 / 20 / 5 %;
 *   memory 2 or 4 GB per vCPU (even odds).
 * VM i replays trace row i mod rows; the k-th copy of a row is rotated by
 * k x 37 samples (3 h 05) so that copies do not move in step.
 * Hosts are alike: cores chosen so that the mean demand over the run is the
 * requested share of capacity (then a scale factor on the trace fixes the
 * rounding); memory 30 % above the mean VM memory per host and at least the
 * fullest host at start, in 32 GB steps; a 10 Gbit/s link of which a
 * migration gets 1 GB/s.  Placement: a seeded shuffle, M VMs per host. */
#include "config.h"

#include <math.h>

#include "sim.h"

void
sim_cluster_free(SimCluster *c)
{
	if (!c)
		return;
	g_free(c->vms);
	g_free(c->placement);
	g_free(c);
}

double
sim_vm_demand(const SimCluster *c, guint vm, guint sample)
{
	const SimVmSpec *v = &c->vms[vm];
	const SimTrace *t = c->trace;
	guint s = (sample + v->shift) % t->n_samples;
	double u = t->util[(gsize) v->row * t->n_samples + s] / 100.0;

	return MIN(v->vcpus, u * c->scale * v->vcpus);
}

SimCluster *
sim_cluster_new(const SimTrace *trace, guint n_hosts, guint vms_per_host, double mean_load,
		guint64 seed)
{
	g_autoptr(SimCluster) c = g_new0(SimCluster, 1);
	g_autoptr(GRand) rand = g_rand_new_with_seed((guint32) (seed * 40503u + 0x5a11));
	g_autofree double *host_mem = g_new0(double, n_hosts);
	double total_mean = 0, total_mem = 0, max_mem = 0, max_vm_mem = 0, achieved = 0;

	c->n_hosts = n_hosts;
	c->n_vms = n_hosts * vms_per_host;
	c->trace = trace;
	c->minutes = trace->n_samples * SIM_SAMPLE_MIN;
	c->nic_gbps = 1.0;
	c->vms = g_new0(SimVmSpec, c->n_vms);
	c->placement = g_new(guint, c->n_vms);
	for (guint i = 0; i < c->n_vms; i++) {
		SimVmSpec *v = &c->vms[i];
		double p = g_rand_double(rand);
		double sum = 0;

		v->vcpus = p < 0.40 ? 1 : p < 0.75 ? 2 : p < 0.95 ? 4 : 8;
		v->mem_gb = v->vcpus * (g_rand_boolean(rand) ? 2 : 4);
		v->row = i % trace->n_rows;
		v->shift = (i / trace->n_rows) * 37 % trace->n_samples;
		for (guint s = 0; s < trace->n_samples; s++)
			sum += trace->util[(gsize) v->row * trace->n_samples + s];
		total_mean += sum / trace->n_samples / 100.0 * v->vcpus;
		total_mem += v->mem_gb;
		max_vm_mem = MAX(max_vm_mem, v->mem_gb);
		c->placement[i] = i / vms_per_host;
	}
	/* Fisher-Yates over the host slots. */
	for (guint i = c->n_vms; i > 1; i--) {
		guint j = (guint) g_rand_int_range(rand, 0, (gint32) i);
		guint tmp = c->placement[i - 1];

		c->placement[i - 1] = c->placement[j];
		c->placement[j] = tmp;
	}
	for (guint i = 0; i < c->n_vms; i++)
		host_mem[c->placement[i]] += c->vms[i].mem_gb;
	for (guint h = 0; h < n_hosts; h++)
		max_mem = MAX(max_mem, host_mem[h]);
	c->cores = MAX(2, round(total_mean / (n_hosts * mean_load)));
	c->scale = total_mean > 0 ? mean_load * n_hosts * c->cores / total_mean : 1;
	c->mem_gb = 32 * ceil(MAX(1.3 * total_mem / n_hosts, max_mem + max_vm_mem) / 32);
	/* The achieved mean after capping a VM at its vCPUs. */
	for (guint i = 0; i < c->n_vms; i++)
		for (guint s = 0; s < trace->n_samples; s++)
			achieved += sim_vm_demand(c, i, s);
	c->mean_load = achieved / trace->n_samples / (n_hosts * c->cores);
	return g_steal_pointer(&c);
}
