/* SPDX-License-Identifier: GPL-2.0-or-later */
/* OpenStack Watcher's workload_stabilization strategy
 * (watcher/decision_engine/strategy/strategies/workload_stabilization.py),
 * with its defaults: metrics instance_cpu_usage and instance_ram_usage,
 * thresholds 0.1 (standard deviation of the hosts' normalised load), weights
 * 1.0, host_choice "retry" with retry_count 1, periods of 600 s (hosts) and
 * 720 s (instances), mean aggregation.
 *  - Triggered when the standard deviation of any metric exceeds its
 *    threshold.
 *  - For every instance, simulate moving it to a host picked at random among
 *    those with room (retry: one try), and score the move by the weighted sum
 *    of the metrics' standard deviations after it.
 *  - Walk the simulated moves from the best score; take each one that still
 *    lowers the best weighted deviation so far (re-simulated on the updated
 *    loads), until one metric's deviation is under its threshold.
 * The audit runs every 10 minutes (a continuous audit at the host period). */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "sim.h"

#define W_THRESHOLD 0.1
#define W_PERIOD 10

typedef struct {
	GRand *rand;
	double *vm_sum; /* CPU summed since the last audit */
	guint minutes;
	double *cpu; /* host normalised CPU, this audit */
	double *ram;
} Watcher;

typedef struct {
	guint vm, dst;
	double score;
} Sim;

static gpointer
watcher_create(const SimView *view, guint64 seed)
{
	Watcher *w = g_new0(Watcher, 1);

	w->rand = g_rand_new_with_seed((guint32) seed ^ 0x3a7c);
	w->vm_sum = g_new0(double, view->n_vms);
	w->cpu = g_new0(double, view->n_hosts);
	w->ram = g_new0(double, view->n_hosts);
	return w;
}

typedef struct {
	double sum, sq;
	guint n;
} Moments;

static Moments
moments(const double *x, guint n)
{
	Moments m = {0, 0, n};

	for (guint i = 0; i < n; i++) {
		m.sum += x[i];
		m.sq += x[i] * x[i];
	}
	return m;
}

static double
moments_sd(Moments m)
{
	double mean = m.sum / m.n;

	return sqrt(MAX(0, m.sq / m.n - mean * mean));
}

/* Standard deviation after moving d_s off host s and d_t onto host t. */
static double
sd_after(Moments m, const double *x, guint s, guint t, double d_s, double d_t)
{
	double xs = x[s] - d_s, xt = x[t] + d_t;

	m.sq += xs * xs - x[s] * x[s] + xt * xt - x[t] * x[t];
	m.sum += d_t - d_s;
	return moments_sd(m);
}

static int
sim_cmp(const void *a, const void *b)
{
	const Sim *x = a, *y = b;

	if (x->score != y->score)
		return x->score < y->score ? -1 : 1;
	return x->vm < y->vm ? -1 : x->vm > y->vm;
}

static void
watcher_decide(gpointer state, const SimView *view, GArray *moves)
{
	Watcher *w = state;
	guint n = view->n_hosts;
	g_autoptr(GArray) sims = NULL;
	g_autofree double *vm_cpu = NULL;
	Moments mc, mr;
	double best;

	for (guint i = 0; i < view->n_vms; i++)
		w->vm_sum[i] += view->vms[i].cpu;
	if (++w->minutes < W_PERIOD)
		return;
	vm_cpu = g_new(double, view->n_vms);
	for (guint i = 0; i < view->n_vms; i++) {
		vm_cpu[i] = w->vm_sum[i] / w->minutes;
		w->vm_sum[i] = 0;
	}
	w->minutes = 0;
	for (guint h = 0; h < n; h++) {
		w->cpu[h] = 0;
		w->ram[h] = view->hosts[h].mem_used / view->hosts[h].mem_gb;
	}
	for (guint i = 0; i < view->n_vms; i++)
		w->cpu[view->vms[i].host] += vm_cpu[i] / view->hosts[view->vms[i].host].cores;
	mc = moments(w->cpu, n);
	mr = moments(w->ram, n);
	if (n < 2 || (moments_sd(mc) <= W_THRESHOLD && moments_sd(mr) <= W_THRESHOLD))
		return;

	sims = g_array_new(FALSE, FALSE, sizeof(Sim));
	for (guint i = 0; i < view->n_vms; i++) {
		const SimVmView *v = &view->vms[i];
		guint s = v->host, t;
		const SimHostView *tv;
		Sim sim;

		if (v->migrating)
			continue;
		/* "retry": one random host per instance, drawn among the others. */
		t = (guint) g_rand_int_range(w->rand, 0, (gint32) n - 1);
		t += t >= s;
		tv = &view->hosts[t];
		if (tv->maintenance || tv->mem_used + v->mem_gb > tv->mem_gb ||
		    (w->cpu[t] * tv->cores + vm_cpu[i]) > tv->cores)
			continue;
		sim.vm = i;
		sim.dst = t;
		sim.score = sd_after(mc, w->cpu, s, t, vm_cpu[i] / view->hosts[s].cores,
				     vm_cpu[i] / tv->cores) +
			    sd_after(mr, w->ram, s, t, v->mem_gb / view->hosts[s].mem_gb,
				     v->mem_gb / tv->mem_gb);
		g_array_append_val(sims, sim);
	}
	if (sims->len > 0) /* qsort() on a NULL array is undefined, even for 0 items */
		qsort(sims->data, sims->len, sizeof(Sim), sim_cmp);
	best = moments_sd(mc) + moments_sd(mr);
	for (guint k = 0; k < sims->len; k++) {
		const Sim *sim = &g_array_index(sims, Sim, k);
		const SimVmView *v = &view->vms[sim->vm];
		guint s = v->host, t = sim->dst;
		const SimHostView *sv = &view->hosts[s], *tv = &view->hosts[t];
		double dcs = vm_cpu[sim->vm] / sv->cores, dct = vm_cpu[sim->vm] / tv->cores;
		double drs = v->mem_gb / sv->mem_gb, drt = v->mem_gb / tv->mem_gb;
		double score =
			sd_after(mc, w->cpu, s, t, dcs, dct) + sd_after(mr, w->ram, s, t, drs, drt);
		SpLcMove m = {sim->vm, s, t, 0};

		if (score >= best || w->ram[t] + drt > 1)
			continue;
		best = score;
		g_array_append_val(moves, m);
		w->cpu[s] -= dcs;
		w->cpu[t] += dct;
		w->ram[s] -= drs;
		w->ram[t] += drt;
		mc = moments(w->cpu, n);
		mr = moments(w->ram, n);
		if (moments_sd(mc) < W_THRESHOLD || moments_sd(mr) < W_THRESHOLD)
			break;
	}
}

static void
watcher_destroy(gpointer state)
{
	Watcher *w = state;

	g_rand_free(w->rand);
	g_free(w->vm_sum);
	g_free(w->cpu);
	g_free(w->ram);
	g_free(w);
}

const SimPolicy sim_policy_watcher = {
	"watcher",
	"OpenStack Watcher workload_stabilization: sd threshold 0.1, retry host choice",
	watcher_create,
	watcher_decide,
	watcher_destroy,
};
