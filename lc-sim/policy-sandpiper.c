/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Sandpiper (T. Wood, P. Shenoy, A. Venkataramani, M. Yousif, "Black-box and
 * Gray-box Strategies for Virtual Machine Migration", NSDI 2007), black-box
 * hotspot mitigation as the paper describes it:
 *  - detection: a host is a hotspot when at least k of its last n
 *    observations exceed the threshold (k = 3, n = 5, threshold 75 %, the
 *    paper's evaluation settings); we observe once a minute;
 *  - volume = 1/(1-cpu) x 1/(1-net) x 1/(1-mem) (utilisations of the
 *    host's capacity; the trace has no network, so that factor is 1);
 *    volume-to-size ratio VSR = volume / memory size;
 *  - hotspots in decreasing volume order; their VMs in decreasing VSR; each
 *    goes to the least loaded (lowest volume) host that can house it
 *    (under the threshold after the move, memory fits), until the hotspot
 *    is under the threshold.  Swaps (the paper's fallback) are not done.
 * Not modelled: the paper's forecasting of the next observation. */
#include "config.h"

#include <stdlib.h>

#include "lc-index.h"
#include "sim.h"

#define SP_K 3
#define SP_N 5
#define SP_THRESHOLD 0.75

typedef struct {
	guint8 *hist; /* n_hosts x SP_N: 1 when over the threshold */
	guint pos;
	double *cpu; /* planned host CPU (cores) this round */
	double *mem;
} Sandpiper;

static gpointer
sandpiper_create(const SimView *view, guint64 seed)
{
	Sandpiper *s = g_new0(Sandpiper, 1);

	s->hist = g_new0(guint8, (gsize) view->n_hosts * SP_N);
	s->cpu = g_new0(double, view->n_hosts);
	s->mem = g_new0(double, view->n_hosts);
	return s;
}

static double
volume(double cpu, double mem)
{
	cpu = CLAMP(cpu, 0, 0.99);
	mem = CLAMP(mem, 0, 0.99);
	return 1 / (1 - cpu) / (1 - mem);
}

typedef struct {
	guint idx;
	double key;
} Ranked;

static int
ranked_desc(const void *a, const void *b)
{
	const Ranked *x = a, *y = b;

	if (x->key != y->key)
		return x->key > y->key ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static void
sandpiper_decide(gpointer state, const SimView *view, GArray *moves)
{
	Sandpiper *s = state;
	g_autoptr(GArray) hot = g_array_new(FALSE, FALSE, sizeof(Ranked));
	g_autoptr(GArray) vms = g_array_new(FALSE, FALSE, sizeof(Ranked));
	g_auto(SpLcHostIndex) index = {NULL, NULL};

	for (guint h = 0; h < view->n_hosts; h++) {
		const SimHostView *hv = &view->hosts[h];
		double u = hv->load1 / hv->cores;
		guint over = 0;

		s->hist[(gsize) h * SP_N + s->pos] = u > SP_THRESHOLD;
		for (guint k = 0; k < SP_N; k++)
			over += s->hist[(gsize) h * SP_N + k];
		s->cpu[h] = hv->load1;
		s->mem[h] = hv->mem_used;
		if (over >= SP_K && hv->in_flight == 0) {
			Ranked r = {h, volume(u, hv->mem_used / hv->mem_gb)};

			g_array_append_val(hot, r);
		}
	}
	s->pos = (s->pos + 1) % SP_N;
	if (hot->len == 0)
		return;
	qsort(hot->data, hot->len, sizeof(Ranked), ranked_desc);
	sp_lc_host_index_build(&index, view->n_hosts, view->vms, view->n_vms, sizeof(SimVmView),
			       G_STRUCT_OFFSET(SimVmView, host));
	for (guint i = 0; i < hot->len; i++) {
		guint h = g_array_index(hot, Ranked, i).idx;
		const SimHostView *hv = &view->hosts[h];

		g_array_set_size(vms, 0);
		for (guint j = index.first[h]; j < index.first[h + 1]; j++) {
			guint v = index.vms[j];
			const SimVmView *vm = &view->vms[v];

			if (!vm->migrating) {
				Ranked r = {v,
					    volume(vm->cpu / hv->cores, vm->mem_gb / hv->mem_gb) /
						    vm->mem_gb};

				g_array_append_val(vms, r);
			}
		}
		if (vms->len > 0) /* qsort() on a NULL array is undefined */
			qsort(vms->data, vms->len, sizeof(Ranked), ranked_desc);
		for (guint k = 0; k < vms->len && s->cpu[h] / hv->cores > SP_THRESHOLD; k++) {
			const SimVmView *vm = &view->vms[g_array_index(vms, Ranked, k).idx];
			gint best = -1;
			double best_vol = G_MAXDOUBLE;

			for (guint t = 0; t < view->n_hosts; t++) {
				const SimHostView *tv = &view->hosts[t];
				double vol;

				if (t == h || tv->maintenance ||
				    (s->cpu[t] + vm->cpu) / tv->cores > SP_THRESHOLD ||
				    s->mem[t] + vm->mem_gb > tv->mem_gb)
					continue;
				vol = volume(s->cpu[t] / tv->cores, s->mem[t] / tv->mem_gb);
				if (vol < best_vol) {
					best_vol = vol;
					best = (gint) t;
				}
			}
			if (best >= 0) {
				SpLcMove m = {g_array_index(vms, Ranked, k).idx, h, (guint) best,
					      0};

				g_array_append_val(moves, m);
				s->cpu[h] -= vm->cpu;
				s->cpu[best] += vm->cpu;
				s->mem[best] += vm->mem_gb;
			}
		}
	}
}

static void
sandpiper_destroy(gpointer state)
{
	Sandpiper *s = state;

	g_free(s->hist);
	g_free(s->cpu);
	g_free(s->mem);
	g_free(s);
}

const SimPolicy sim_policy_sandpiper = {
	"sandpiper",       "Wood et al., NSDI 2007: k-of-n hotspots, volume-to-size ratio",
	sandpiper_create,  sandpiper_decide,
	sandpiper_destroy,
};
