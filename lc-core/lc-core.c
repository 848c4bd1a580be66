/* The decision core: round input, history, detection.  The choice of moves
 * is in lc-choose.c, the journal's words in lc-journal.c.
 *
 * Everything here is O(hosts + VMs) per round with flat arrays, so that a
 * round over 1,000 hosts and 30,000 VMs takes well under a millisecond
 * before the choice, and the state is a few MB. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "lc-core-private.h"
#include "sp-error.h"

void
sp_lc_config_init(SpLcConfig *cfg)
{
	*cfg = (SpLcConfig){
		.high = 0.90,
		.high_window = 3,
		.low = 0.75,
		.low_window = 5,
		.goal = 0.80,
		.target_max = 0.65,
		.spread = 0.25,
		.vm_ewma = 1.0 / 60,
		.vm_ewma_fast = 1.0 / 10,
		.risk_z = 3.0,
		.vm_cooldown_min = 60,
		.vm_cooldown_max = 480,
		.return_block_min = 120,
		.host_cooldown_min = 5,
		.max_per_host = 1,
		.max_cluster = 16,
		.bandwidth_gbps = 1.0,
		.downtime_s = 0.3,
	};
}

SpLcCore *
sp_lc_core_new(const SpLcConfig *cfg)
{
	SpLcCore *core = g_new0(SpLcCore, 1);

	core->cfg = *cfg;
	core->hosts = g_array_new(FALSE, TRUE, sizeof(SpLcHostState));
	core->vms = g_array_new(FALSE, TRUE, sizeof(SpLcVmState));
	core->journal = g_array_new(FALSE, FALSE, sizeof(SpLcJournalEntry));
	core->arriving = g_array_new(FALSE, FALSE, sizeof(guint));
	core->keep_journal = TRUE;
	return core;
}

void
sp_lc_core_free(SpLcCore *core)
{
	if (!core)
		return;
	g_array_free(core->hosts, TRUE);
	g_array_free(core->vms, TRUE);
	g_array_free(core->journal, TRUE);
	g_array_free(core->arriving, TRUE);
	g_free(core->host_first);
	g_free(core->host_vms);
	g_free(core->candidates);
	g_free(core);
}

void
sp_lc_core_set_config(SpLcCore *core, const SpLcConfig *cfg)
{
	core->cfg = *cfg;
}

void
sp_lc_core_set_advise(SpLcCore *core, gboolean advise)
{
	core->advise = advise;
}

void
sp_lc_core_set_journal(SpLcCore *core, gboolean keep)
{
	core->keep_journal = keep;
}

const SpLcJournalEntry *
sp_lc_core_journal(const SpLcCore *core, guint *n)
{
	*n = core->journal->len;
	return (const SpLcJournalEntry *) (gconstpointer) core->journal->data;
}

double
sp_lc_core_vm_expected(const SpLcCore *core, guint vm)
{
	if (vm >= core->vms->len)
		return 0;
	return g_array_index(core->vms, SpLcVmState, vm).expected;
}

void
sp_lc_journal_add(SpLcCore *core, const SpLcJournalEntry *e)
{
	if (core->keep_journal)
		g_array_append_vals(core->journal, e, 1);
}

void
sp_lc_vm_note_move(SpLcCore *core, SpLcVmState *vs, guint from)
{
	const SpLcConfig *cfg = &core->cfg;
	double decay =
		isfinite(vs->last_move)
			? pow(0.5, (core->now - vs->last_move) / MAX(cfg->vm_cooldown_max, 1))
			: 0;

	/* Backoff: each recent move doubles the next wait. */
	vs->moves = vs->moves * decay + 1;
	vs->cooldown_until =
		core->now + MIN(cfg->vm_cooldown_max, cfg->vm_cooldown_min * pow(2, vs->moves - 1));
	vs->last_move = core->now;
	vs->left_host = (gint) from;
	vs->left_at = core->now;
}

/* A VM the core knows nothing about, on host. */
static void
vm_slot_init(SpLcVmState *vs, guint host)
{
	*vs = (SpLcVmState){.left_host = -1,
			    .target = -1,
			    .host = host,
			    .last_move = -INFINITY,
			    .cooldown_until = -INFINITY};
}

/* Slots up to index vm exist; new ones say their VM is on host. */
static void
vm_slots_grow(SpLcCore *core, guint n, const SpLcVmIn *vms, guint host)
{
	guint old = core->vms->len;

	if (old >= n)
		return;
	g_array_set_size(core->vms, n);
	for (guint i = old; i < n; i++)
		vm_slot_init(&g_array_index(core->vms, SpLcVmState, i),
			     vms && !vms[i].absent ? vms[i].host : host);
}

void
sp_lc_core_note_move(SpLcCore *core, guint vm, guint from, guint to, double when)
{
	SpLcVmState *vs;
	double now = core->now;

	vm_slots_grow(core, vm + 1, NULL, to);
	vs = &g_array_index(core->vms, SpLcVmState, vm);
	core->now = when;
	sp_lc_vm_note_move(core, vs, from);
	core->now = now;
	vs->host = to;
	vs->target = -1;
}

void
sp_lc_core_vm_forget(SpLcCore *core, guint vm)
{
	if (vm < core->vms->len)
		vm_slot_init(&g_array_index(core->vms, SpLcVmState, vm), 0);
}

static void
vms_update(SpLcCore *core, const SpLcVmIn *vms, guint n_vms, guint n_hosts)
{
	const SpLcConfig *cfg = &core->cfg;

	vm_slots_grow(core, n_vms, vms, 0);
	for (guint i = 0; i < n_vms; i++) {
		SpLcVmState *vs = &g_array_index(core->vms, SpLcVmState, i);
		const SpLcVmIn *v = &vms[i];

		/* Where it is not, nothing is learnt; it is judged again
		 * (a move we did not see included) when it is back. */
		if (v->absent)
			continue;
		if (!vs->seen) {
			vs->slow = vs->fast = v->cpu;
			vs->seen = TRUE;
			/* Where a VM first shows up is no move, unless the
			 * caller told of a move before (sp_lc_core_note_move). */
			if (!isfinite(vs->last_move))
				vs->host = v->host;
		} else {
			double d = v->cpu - vs->slow;

			/* West's incremental EWMA variance. */
			vs->var = (1 - cfg->vm_ewma) * (vs->var + cfg->vm_ewma * d * d);
			vs->slow += cfg->vm_ewma * d;
			vs->fast += cfg->vm_ewma_fast * (v->cpu - vs->fast);
		}
		/* A burst that lasts is real demand; noise is not. */
		vs->expected = MAX(vs->slow, vs->fast);
		/* A migration we did not start (an operator's virsh migrate)
		 * still counts for ping-pong, cooldown and backoff. */
		if (v->host != vs->host && (gint) v->host != vs->target)
			sp_lc_vm_note_move(core, vs, vs->host);
		if (!v->migrating)
			vs->target = -1;
		vs->host = v->host;
		if (v->migrating && vs->target >= 0 && (guint) vs->target < n_hosts) {
			g_array_index(core->hosts, SpLcHostState, vs->target).in_flight++;
			core->in_flight++;
			g_array_append_val(core->arriving, i);
		}
		if (v->migrating && v->host < n_hosts) {
			g_array_index(core->hosts, SpLcHostState, v->host).in_flight++;
			if (vs->target < 0)
				core->in_flight++;
		}
	}
}

/* VMs of each host as one flat array (counting sort), rebuilt every round:
 * cheaper than keeping lists right through moves. */
static void
index_build(SpLcCore *core, const SpLcVmIn *vms, guint n_vms, guint n_hosts)
{
	guint *fill;

	g_free(core->host_first);
	g_free(core->host_vms);
	core->host_first = g_new0(guint, n_hosts + 1);
	core->host_vms = g_new(guint, MAX(n_vms, 1));
	for (guint i = 0; i < n_vms; i++)
		if (!vms[i].absent && vms[i].host < n_hosts)
			core->host_first[vms[i].host + 1]++;
	for (guint h = 0; h < n_hosts; h++)
		core->host_first[h + 1] += core->host_first[h];
	fill = g_memdup2(core->host_first, sizeof(guint) * (n_hosts + 1));
	for (guint i = 0; i < n_vms; i++)
		if (!vms[i].absent && vms[i].host < n_hosts)
			core->host_vms[fill[vms[i].host]++] = i;
	g_free(fill);
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

/* Hosts (all but those in maintenance, or only target candidates) in
 * ascending expected load: the first that fits is the least loaded. */
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

int
sp_lc_core_round(SpLcCore *core, double now, const SpLcHostIn *hosts, guint n_hosts,
		 const SpLcVmIn *vms, guint n_vms, GArray *moves)
{
	const SpLcConfig *cfg = &core->cfg;

	for (guint i = 0; i < n_vms; i++) {
		if (!vms[i].absent && vms[i].host >= n_hosts) {
			sp_error("VM %u is on host %u, but there are %u hosts.", i, vms[i].host,
				 n_hosts);
			return -1;
		}
	}
	if (core->hosts->len > n_hosts || core->vms->len > n_vms) {
		sp_error("Hosts or VMs were removed between rounds (%u -> %u hosts, %u -> %u VMs).",
			 core->hosts->len, n_hosts, core->vms->len, n_vms);
		return -1;
	}
	core->now = now;
	g_array_set_size(core->journal, 0);
	g_array_set_size(core->arriving, 0);
	g_array_set_size(core->hosts, n_hosts);
	core->in_flight = 0;
	for (guint h = 0; h < n_hosts; h++) {
		SpLcHostState *hs = &g_array_index(core->hosts, SpLcHostState, h);
		double util = hosts[h].load1 / MAX(hosts[h].cores, 1e-9);

		/* A host we cannot see keeps its windows: it has not been
		 * quiet, only silent. */
		if (!hosts[h].offline) {
			hs->above = util > cfg->high ? hs->above + 1 : 0;
			hs->below = util < cfg->low ? hs->below + 1 : 0;
		}
		hs->expected = 0;
		hs->steady = 0;
		hs->var = 0;
		hs->load_now = hosts[h].load1;
		hs->mem_used = 0;
		hs->in_flight = 0;
	}
	vms_update(core, vms, n_vms, n_hosts);
	index_build(core, vms, n_vms, n_hosts);

	for (guint i = 0; i < n_vms; i++) {
		const SpLcVmState *vs = &g_array_index(core->vms, SpLcVmState, i);
		SpLcHostState *hs;

		if (vms[i].absent)
			continue;
		hs = &g_array_index(core->hosts, SpLcHostState, vms[i].host);

		/* A VM on its way out already weighs on its target, and its
		 * memory is held at both ends until the move is done. */
		hs->mem_used += vms[i].mem_gb;
		if (vs->target >= 0) {
			SpLcHostState *ts = &g_array_index(core->hosts, SpLcHostState, vs->target);

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

	{
		double exp_sum = 0, cores_sum = 0, mean;

		for (guint h = 0; h < n_hosts; h++) {
			if (hosts[h].maintenance || hosts[h].offline)
				continue;
			exp_sum += g_array_index(core->hosts, SpLcHostState, h).steady;
			cores_sum += hosts[h].cores;
		}
		mean = cores_sum > 0 ? exp_sum / cores_sum : 0;
		core->goal = MIN(cfg->goal, mean + cfg->spread);
		core->target_max = MIN(cfg->target_max, mean + cfg->spread - 0.10);
	}
	for (guint h = 0; h < n_hosts; h++) {
		SpLcHostState *hs = &g_array_index(core->hosts, SpLcHostState, h);

		hs->candidate =
			!hosts[h].maintenance && !hosts[h].offline && hs->below >= cfg->low_window;
	}
	g_free(core->candidates);
	core->candidates = g_new(guint, MAX(n_hosts, 1));
	core->n_candidates = sp_lc_targets_sorted(core, hosts, n_hosts, FALSE, core->candidates);

	if (core->advise) {
		/* The choice writes cooldowns and targets into the history:
		 * keep a copy to put back. */
		g_autoptr(GArray) hosts_kept = g_array_copy(core->hosts);
		g_autoptr(GArray) vms_kept = g_array_copy(core->vms);

		sp_lc_choose(core, hosts, n_hosts, vms, n_vms, moves);
		g_array_free(core->hosts, TRUE);
		g_array_free(core->vms, TRUE);
		core->hosts = g_steal_pointer(&hosts_kept);
		core->vms = g_steal_pointer(&vms_kept);
		return 0;
	}
	sp_lc_choose(core, hosts, n_hosts, vms, n_vms, moves);
	return 0;
}
