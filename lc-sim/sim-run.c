/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One policy over one cluster, minute by minute.
 *
 * Each minute: new trace sample every 5 minutes (host demand recomputed),
 * migrations that finished land on their target, each host's load average
 * advances one minute, the metrics are counted, then the policy decides
 * (timed) and its moves start.
 *
 * Accounting (all per host per minute, demand = sum of its VMs' CPU demand):
 *  - overload: demand > cores (and > 0.9 x cores for the 90 % figure);
 *  - unmet: demand - cores when positive, plus vm_loss of a migrating VM's
 *    demand for the length of its copy (dirty-page tracking and the final
 *    pause slow the guest);
 *  - a migrating VM runs on its source and its memory is held by both hosts
 *    until it lands; its duration is the pre-copy model's with the link
 *    shared by the migrations already running on either host;
 *  - an overload episode is a run of overloaded minutes on one host; its
 *    length is the time to resolve it;
 *  - ping-pong: a VM lands on a host it left at most 30 minutes before;
 *  - cascade: a target is overloaded within 10 minutes of receiving a VM. */
#include "config.h"

#include <math.h>
#include <string.h>
#include <time.h>

#include "sim.h"

#define PINGPONG_MIN 30
#define CASCADE_MIN 10

void
sim_options_init(SimOptions *o)
{
	*o = (SimOptions){
		.vm_loss = 0.10,
		.dirty_base = 0.01,
		.dirty_per_core = 0.05,
		.chart = FALSE,
	};
}

void
sim_result_free(SimResult *r)
{
	if (!r)
		return;
	if (r->migs)
		g_array_free(r->migs, TRUE);
	g_free(r->chart);
	g_free(r);
}

/* Decision time is the CPU time of this thread: on a shared machine the
 * wall clock also counts whoever else got the core, which says nothing about
 * the policy.  (A decision does no I/O, so on an idle host both agree.) */
static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

typedef struct {
	const SimCluster *c;
	const SimOptions *o;
	SimHostView *hosts;
	SimVmView *vms;
	double *demand; /* per host */
	guint *mig_of;  /* per VM: index in migs + 1, 0 when not migrating */
	SimResult *r;
	guint8 *over;       /* hosts x minutes */
	guint first_active; /* migrations before it have all landed */
	double *unmet;      /* core-minutes */
} Run;

static void
sample_load(Run *run, guint sample)
{
	const SimCluster *c = run->c;

	memset(run->demand, 0, sizeof(double) * c->n_hosts);
	for (guint i = 0; i < c->n_vms; i++) {
		SimVmView *v = &run->vms[i];

		v->cpu = sim_vm_demand(c, i, sample);
		v->dirty_gbps = run->o->dirty_base + run->o->dirty_per_core * v->cpu;
		run->demand[v->host] += v->cpu;
	}
}

static void
migrations_land(Run *run, guint minute)
{
	GArray *migs = run->r->migs;

	/* Migrations are short: only a short tail of the log is in flight. */
	while (run->first_active < migs->len &&
	       run->mig_of[g_array_index(migs, SimMigration, run->first_active).vm] !=
		       run->first_active + 1)
		run->first_active++;
	for (guint i = run->first_active; i < migs->len; i++) {
		SimMigration *m = &g_array_index(migs, SimMigration, i);
		SimVmView *v = &run->vms[m->vm];

		if (m->end != minute || !v->migrating)
			continue;
		v->migrating = FALSE;
		v->host = m->dst;
		run->mig_of[m->vm] = 0;
		run->demand[m->src] -= v->cpu;
		run->demand[m->dst] += v->cpu;
		run->hosts[m->src].mem_used -= v->mem_gb;
		run->hosts[m->src].in_flight--;
		run->hosts[m->dst].in_flight--;
	}
}

static void
moves_start(Run *run, guint minute, GArray *moves)
{
	const SimCluster *c = run->c;

	for (guint i = 0; i < moves->len; i++) {
		const SpLcMove *mv = &g_array_index(moves, SpLcMove, i);
		SimVmView *v;
		SimHostView *src, *dst;
		SimMigration m;
		double secs, bw;

		if (mv->vm >= c->n_vms || mv->target >= c->n_hosts)
			continue;
		v = &run->vms[mv->vm];
		/* A policy cannot break physics: refused moves are dropped. */
		if (v->migrating || v->host == mv->target || run->hosts[mv->target].maintenance ||
		    run->hosts[mv->target].mem_used + v->mem_gb > run->hosts[mv->target].mem_gb)
			continue;
		src = &run->hosts[v->host];
		dst = &run->hosts[mv->target];
		bw = c->nic_gbps / (1 + MAX(src->in_flight, dst->in_flight));
		m.vm = mv->vm;
		m.src = v->host;
		m.dst = mv->target;
		m.start = minute;
		m.gb = sp_lc_precopy(v->mem_gb, v->dirty_gbps, bw, 0.3, &secs);
		m.end = minute + MAX(1, (guint) ceil(secs / 60));
		/* The guest is slowed for the length of the copy. */
		*run->unmet += run->o->vm_loss * v->cpu * secs / 60;
		v->migrating = TRUE;
		dst->mem_used += v->mem_gb;
		src->in_flight++;
		dst->in_flight++;
		g_array_append_val(run->r->migs, m);
		run->mig_of[m.vm] = run->r->migs->len;
	}
}

/* Ping-pong and cascades from the migration log and the overload map. */
static void
migrations_judge(Run *run)
{
	const SimCluster *c = run->c;
	GArray *migs = run->r->migs;
	g_autofree gint *last = g_new(gint, c->n_vms);
	g_autofree gint *prev = g_new(gint, MAX(migs->len, 1));

	for (guint i = 0; i < c->n_vms; i++)
		last[i] = -1;
	for (guint i = 0; i < migs->len; i++) {
		const SimMigration *m = &g_array_index(migs, SimMigration, i);

		/* Earlier moves of the same VM (a chain per VM): did it
		 * leave m->dst lately? */
		for (gint j = last[m->vm]; j >= 0; j = prev[j]) {
			const SimMigration *p = &g_array_index(migs, SimMigration, j);

			if (p->end + PINGPONG_MIN < m->end)
				break;
			if (p->src == m->dst) {
				run->r->pingpongs++;
				break;
			}
		}
		prev[i] = last[m->vm];
		last[m->vm] = (gint) i;
		for (guint t = m->end; t < m->end + CASCADE_MIN && t < c->minutes; t++) {
			if (run->over[(gsize) m->dst * c->minutes + t]) {
				run->r->cascades++;
				break;
			}
		}
	}
}

SimResult *
sim_run(const SimCluster *c, const SimPolicy *p, const SimOptions *o, guint64 seed)
{
	g_autoptr(SimResult) r = g_new0(SimResult, 1);
	g_autofree SimHostView *hosts = g_new0(SimHostView, c->n_hosts);
	g_autofree SimVmView *vms = g_new0(SimVmView, c->n_vms);
	g_autofree double *demand = g_new0(double, c->n_hosts);
	g_autofree guint *mig_of = g_new0(guint, c->n_vms);
	g_autofree guint8 *over = g_new0(guint8, (gsize) c->n_hosts * c->minutes);
	g_autofree gint *episode = g_new(gint, c->n_hosts);
	g_autoptr(GArray) episodes = g_array_new(FALSE, FALSE, sizeof(double));
	g_autoptr(GArray) times = g_array_sized_new(FALSE, FALSE, sizeof(double), c->minutes);
	g_autoptr(GArray) moves = g_array_new(FALSE, FALSE, sizeof(SpLcMove));
	SimView view = {0, c->n_hosts, c->n_vms, hosts, vms, c->nic_gbps};
	gpointer state;
	double unmet = 0;
	Run run = {c, o, hosts, vms, demand, mig_of, r, over, 0, &unmet};

	r->policy = p->name;
	r->migs = g_array_new(FALSE, FALSE, sizeof(SimMigration));
	if (o->chart) {
		r->chart_hosts = MIN(c->n_hosts, SIM_SVG_HOSTS);
		r->chart = g_new0(float, (gsize) (r->chart_hosts + 2) * c->minutes);
	}
	for (guint h = 0; h < c->n_hosts; h++) {
		hosts[h].cores = c->cores;
		hosts[h].mem_gb = c->mem_gb;
		episode[h] = -1;
	}
	for (guint i = 0; i < c->n_vms; i++) {
		vms[i].host = c->placement[i];
		vms[i].vcpus = c->vms[i].vcpus;
		vms[i].mem_gb = c->vms[i].mem_gb;
		hosts[vms[i].host].mem_used += vms[i].mem_gb;
	}
	sample_load(&run, 0);
	/* Start in steady state: the load average equals the first demand. */
	for (guint h = 0; h < c->n_hosts; h++)
		hosts[h].load1 = demand[h];
	state = p->create(&view, seed);

	for (guint minute = 0; minute < c->minutes; minute++) {
		double t0, max = 0, sum = 0;

		if (minute % SIM_SAMPLE_MIN == 0 && minute > 0)
			sample_load(&run, minute / SIM_SAMPLE_MIN);
		migrations_land(&run, minute);
		for (guint h = 0; h < c->n_hosts; h++) {
			double util = demand[h] / c->cores;

			hosts[h].load1 = sim_loadavg_minute(hosts[h].load1, demand[h]);
			if (util > 1) {
				r->overload_host_minutes++;
				unmet += demand[h] - c->cores;
				over[(gsize) h * c->minutes + minute] = 1;
				if (episode[h] < 0)
					episode[h] = (gint) minute;
			} else if (episode[h] >= 0) {
				double len = minute - episode[h];

				g_array_append_val(episodes, len);
				episode[h] = -1;
			}
			if (util > 0.9)
				r->overload90_host_minutes++;
			if (r->chart) {
				double l = hosts[h].load1 / c->cores * 100;

				if (h < r->chart_hosts)
					r->chart[(gsize) h * c->minutes + minute] = (float) l;
				max = MAX(max, l);
				sum += l;
			}
		}
		if (r->chart) {
			r->chart[(gsize) r->chart_hosts * c->minutes + minute] = (float) max;
			r->chart[(gsize) (r->chart_hosts + 1) * c->minutes + minute] =
				(float) (sum / c->n_hosts);
		}

		view.minute = minute;
		g_array_set_size(moves, 0);
		t0 = now_ms();
		p->decide(state, &view, moves);
		t0 = now_ms() - t0;
		g_array_append_val(times, t0);
		moves_start(&run, minute, moves);
	}
	/* Episodes still open at the end count with their length so far. */
	for (guint h = 0; h < c->n_hosts; h++) {
		if (episode[h] >= 0) {
			double len = c->minutes - episode[h];

			g_array_append_val(episodes, len);
		}
	}
	p->destroy(state);

	migrations_judge(&run);
	r->migrations = r->migs->len;
	for (guint i = 0; i < r->migs->len; i++)
		r->gb_moved += g_array_index(r->migs, SimMigration, i).gb;
	r->unmet_core_hours = unmet / 60;
	r->pingpong_rate = r->migrations ? (double) r->pingpongs / r->migrations : 0;
	r->cascade_rate = r->migrations ? (double) r->cascades / r->migrations : 0;
	r->episodes = episodes->len;
	r->resolve_p50_min =
		sim_percentile((double *) (gpointer) episodes->data, episodes->len, 50);
	r->resolve_p95_min =
		sim_percentile((double *) (gpointer) episodes->data, episodes->len, 95);
	r->decision_p50_ms = sim_percentile((double *) (gpointer) times->data, times->len, 50);
	r->decision_p99_ms = sim_percentile((double *) (gpointer) times->data, times->len, 99);
	r->peak_rss_mb = sim_peak_rss_mb();
	return g_steal_pointer(&r);
}
