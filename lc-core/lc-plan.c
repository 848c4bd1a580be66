/* SPDX-License-Identifier: GPL-2.0-or-later */
/* This round's plan: what each host is expected to carry once the moves
 * chosen so far are done, and the hosts that may take a VM.
 *
 * Expected loads come from the VMs' CPU averages (lc-history.c), not from
 * the load average: the load average says that a host is hot and has been
 * for a while; what a VM will use on its new host is best predicted by its
 * history.  A VM on its way out weighs on its target, and its memory is held
 * at both ends until the move is done.
 *
 * Called by lc-round.c (the start of the plan) and lc-choose.c (each move
 * and the target lists); calls lc-history.c for a planned move. */
#include "config.h"

#include <string.h>

#include "lc-history.h"
#include "lc-plan.h"

static void
loads_sum(SpLcCore *core, const SpLcHostIn *hosts, guint n_hosts, const SpLcVmIn *vms, guint n_vms)
{
	for (guint h = 0; h < n_hosts; h++) {
		SpLcHostState *hs = sp_lc_host_state(core, h);

		hs->expected = 0;
		hs->steady = 0;
		hs->var = 0;
		hs->load_now = hosts[h].load1;
		hs->mem_used = 0;
	}
	for (guint i = 0; i < n_vms; i++) {
		const SpLcVmState *vs = sp_lc_vm_state(core, i);
		SpLcHostState *hs;

		if (vms[i].host == SP_LC_NO_HOST)
			continue;
		hs = sp_lc_host_state(core, vms[i].host);

		hs->mem_used += vms[i].mem_gb;
		if (vs->target >= 0) {
			SpLcHostState *ts = sp_lc_host_state(core, (guint) vs->target);

			ts->expected += vs->expected;
			ts->steady += vs->expected;
			ts->var += vs->var;
			ts->mem_used += vms[i].mem_gb;
		} else {
			hs->expected += vs->expected;
			hs->steady += vs->slow;
			hs->var += vs->var;
		}
	}
}

/* The cluster's mean steady load plus cfg.spread caps the goal and the
 * target limit: in a cool cluster, a host far above the others is evened
 * out before its noise overloads it. */
static void
limits_set(SpLcCore *core, const SpLcHostIn *hosts, guint n_hosts)
{
	const SpLcConfig *cfg = &core->cfg;
	double exp_sum = 0, cores_sum = 0, mean;

	for (guint h = 0; h < n_hosts; h++) {
		if (hosts[h].maintenance || hosts[h].offline)
			continue;
		exp_sum += sp_lc_host_state(core, h)->steady;
		cores_sum += hosts[h].cores;
	}
	mean = cores_sum > 0 ? exp_sum / cores_sum : 0;
	core->goal = MIN(cfg->goal, mean + cfg->spread);
	core->target_max = MIN(cfg->target_max, mean + cfg->spread - 0.10);
}

void
sp_lc_plan_init(SpLcCore *core, const SpLcHostIn *hosts, guint n_hosts, const SpLcVmIn *vms,
		guint n_vms)
{
	loads_sum(core, hosts, n_hosts, vms, n_vms);
	limits_set(core, hosts, n_hosts);
	g_free(core->candidates);
	core->candidates = g_new(guint, MAX(n_hosts, 1));
	core->n_candidates = sp_lc_targets_sorted(core, hosts, n_hosts, FALSE, core->candidates);
}

typedef struct {
	const SpLcHostIn *hosts;
	const SpLcHostState *state;
} SortCtx;

static gint
candidate_cmp(gconstpointer a, gconstpointer b, gpointer data)
{
	const SortCtx *ctx = data;
	guint x = *(const guint *) a, y = *(const guint *) b;
	double lx = ctx->state[x].steady / MAX(ctx->hosts[x].cores, 1e-9);
	double ly = ctx->state[y].steady / MAX(ctx->hosts[y].cores, 1e-9);

	if (lx != ly)
		return lx < ly ? -1 : 1;
	return x < y ? -1 : x > y;
}

guint
sp_lc_targets_sorted(SpLcCore *core, const SpLcHostIn *hosts, guint n_hosts, gboolean all,
		     guint *out)
{
	SortCtx ctx = {hosts, (const SpLcHostState *) (gconstpointer) core->hosts->data};
	guint n = 0;

	for (guint h = 0; h < n_hosts; h++) {
		const SpLcHostState *hs = &ctx.state[h];

		/* Hosts cooling down or at their migration limit cannot take
		 * a VM this round: leaving them out keeps the search short. */
		if (!hosts[h].maintenance && !hosts[h].offline && (all || hs->candidate) &&
		    hs->cooldown_until <= core->now && hs->in_flight < core->cfg.max_per_host)
			out[n++] = h;
	}
	g_qsort_with_data(out, n, sizeof(guint), candidate_cmp, &ctx);
	return n;
}

void
sp_lc_plan_move(SpLcCore *core, const SpLcVmIn *vms, guint v, guint s, guint t, double gb,
		GArray *moves)
{
	const SpLcConfig *cfg = &core->cfg;
	SpLcVmState *vs = sp_lc_vm_state(core, v);
	SpLcHostState *ss = sp_lc_host_state(core, s), *ts = sp_lc_host_state(core, t);
	SpLcMove m = {v, s, t, gb};

	g_array_append_val(moves, m);
	sp_lc_vm_note_move(core, vs, s);
	vs->target = (gint) t;
	g_array_append_val(core->arriving, v);
	ss->expected -= vs->expected;
	ss->steady -= vs->slow;
	ts->expected += vs->expected;
	ts->steady += vs->expected;
	ts->var += vs->var;
	ss->var -= vs->var;
	ts->load_now += MAX(vs->expected, vms[v].cpu);
	ts->mem_used += vms[v].mem_gb;
	ss->in_flight++;
	ts->in_flight++;
	core->in_flight++;
	ss->cooldown_until = core->now + cfg->host_cooldown_min;
	ts->cooldown_until = core->now + cfg->host_cooldown_min;
}

void
sp_lc_targets_update(SpLcCore *core, const SpLcHostIn *hosts, guint *targets, guint *n, guint t)
{
	const SpLcHostState *ts = sp_lc_host_state(core, t);
	guint i = 0;

	while (i < *n && targets[i] != t)
		i++;
	if (i == *n)
		return;
	if (ts->cooldown_until > core->now || ts->in_flight >= core->cfg.max_per_host) {
		memmove(targets + i, targets + i + 1, sizeof(guint) * (*n - i - 1));
		(*n)--;
		return;
	}
	while (i + 1 < *n) {
		guint next = targets[i + 1];
		double lt = ts->steady / MAX(hosts[t].cores, 1e-9);
		double ln = sp_lc_host_state(core, next)->steady / MAX(hosts[next].cores, 1e-9);

		if (ln >= lt)
			break;
		targets[i] = next;
		targets[i + 1] = t;
		i++;
	}
}
