/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Which VM goes where.
 *
 * For each source (hosts in maintenance first, then overloaded hosts, the
 * worst first) the core simulates moving each of its VMs to the least
 * loaded target that can take it, and keeps the best move:
 *  - a move that brings the source's expected load under cfg.goal wins over
 *    one that does not; among those, the cheapest to migrate (pre-copy GB),
 *    with a penalty for overshooting the need: the biggest VM is what makes
 *    targets overload in turn (cascades);
 *  - otherwise the VM with the most relief per GB, ignoring VMs too small
 *    to matter.
 * The move is applied to the plan (lc-plan.c) and the search repeats while
 * the source still needs relief and the limits allow.
 *
 * A target is judged on the worse of its planned load and its load average
 * now, plus the worse of the VM's expected and current CPU: a target that is
 * busy right now, or a VM in the middle of a burst, make cascades.
 *
 * Called by lc-round.c once per round; calls lc-plan.c, lc-journal.c and
 * lc-precopy.c. */
#include "config.h"

#include <math.h>

#include "lc-choose.h"
#include "lc-journal.h"
#include "lc-plan.h"

typedef struct {
	SpLcReason reason;
	SpLcRefusal refusal;
	gint target;
	gboolean open; /* nothing of its own keeps it: the search decides */
} VmVerdict;

static gboolean
group_on_host(SpLcCore *core, const SpLcVmIn *vms, gint group, guint h)
{
	if (group < 0)
		return FALSE;
	for (guint i = core->index.first[h]; i < core->index.first[h + 1]; i++) {
		guint v = core->index.vms[i];

		/* A VM leaving this host no longer counts against it... */
		if (vms[v].group == group && sp_lc_vm_state(core, v)->target < 0)
			return TRUE;
	}
	/* ...and one arriving (planned this round or still migrating) does. */
	for (guint i = 0; i < core->arriving->len; i++) {
		guint v = g_array_index(core->arriving, guint, i);

		if (sp_lc_vm_state(core, v)->target == (gint) h && vms[v].group == group)
			return TRUE;
	}
	return FALSE;
}

/* The first (least loaded) target that can take VM v from s, or -1 with
 * the most telling refusal. */
static gint
target_find(SpLcCore *core, const SpLcHostIn *hosts, const SpLcVmIn *vms, guint v, guint s,
	    const guint *targets, guint n_targets, double limit, gboolean drain,
	    SpLcRefusal *refusal)
{
	const SpLcConfig *cfg = &core->cfg;
	const SpLcVmState *vs = sp_lc_vm_state(core, v);
	SpLcRefusal worst = SP_LC_REFUSE_NONE;

	for (guint i = 0; i < n_targets; i++) {
		guint t = targets[i];
		SpLcHostState *ts = sp_lc_host_state(core, t);
		SpLcRefusal r = SP_LC_REFUSE_NONE;

		if (t == s)
			continue;
		if (ts->cooldown_until > core->now || ts->in_flight >= cfg->max_per_host)
			r = SP_LC_REFUSE_LIMIT;
		else if ((MAX(ts->steady, ts->load_now) + MAX(vs->expected, vms[v].cpu)) /
					 MAX(hosts[t].cores, 1e-9) >
				 limit ||
			 ts->steady + MAX(vs->expected, vms[v].cpu) +
					 cfg->risk_z * sqrt(ts->var + vs->var) >
				 hosts[t].cores)
			r = SP_LC_REFUSE_OVERLOAD;
		else if (ts->mem_used + vms[v].mem_gb > hosts[t].mem_gb)
			r = SP_LC_REFUSE_MEMORY;
		/* Going back is ping-pong when balancing, not when the source
		 * must be emptied for maintenance. */
		else if (!drain && vs->left_host == (gint) t &&
			 core->now - vs->left_at < cfg->return_block_min)
			r = SP_LC_REFUSE_RETURN;
		else if (group_on_host(core, vms, vms[v].group, t))
			r = SP_LC_REFUSE_AFFINITY;
		if (r == SP_LC_REFUSE_NONE)
			return (gint) t;
		/* No early stop at the first "would overload": the list is sorted
		 * by the slow average, the refusal also weighs the load now and
		 * the host's own noise, so a busier-looking host may follow one
		 * that has room. */
		if (worst == SP_LC_REFUSE_NONE || r == SP_LC_REFUSE_MEMORY ||
		    r == SP_LC_REFUSE_AFFINITY)
			worst = r;
	}
	*refusal = worst == SP_LC_REFUSE_NONE ? SP_LC_REFUSE_OVERLOAD : worst;
	return -1;
}

static void
host_note(SpLcCore *core, guint h, SpLcReason reason, double before)
{
	SpLcJournalEntry e = {.vm = -1,
			      .host = h,
			      .target = -1,
			      .reason = reason,
			      .before = before,
			      .after = before,
			      .until = sp_lc_host_state(core, h)->cooldown_until};

	sp_lc_journal_add(core, &e);
}

/* Relieve (or drain) one source; FALSE once the cluster limit is reached. */
static gboolean
source_relieve(SpLcCore *core, const SpLcHostIn *hosts, const SpLcVmIn *vms, guint s,
	       guint *targets, guint *n_targets_io, GArray *moves)
{
	const SpLcConfig *cfg = &core->cfg;
	SpLcHostState *ss = sp_lc_host_state(core, s);
	gboolean drain = hosts[s].maintenance;
	double cores = MAX(hosts[s].cores, 1e-9);
	double before = ss->expected / cores;
	guint first = core->index.first[s], n = core->index.first[s + 1] - first;
	g_autofree VmVerdict *verdict = g_new0(VmVerdict, MAX(n, 1));
	gboolean go_on = TRUE;
	guint n_targets = *n_targets_io;

	if (!drain && ss->cooldown_until > core->now) {
		host_note(core, s, SP_LC_HOST_COOLDOWN, before);
		return TRUE;
	}
	if (!drain && before <= core->goal) {
		host_note(core, s, SP_LC_TRANSIENT, before);
		return TRUE;
	}
	if (n_targets == 0) {
		host_note(core, s, SP_LC_NO_CANDIDATES, before);
		return TRUE;
	}
	/* What keeps a VM where it is whatever the targets, judged once; the
	 * others are open to the search below. */
	for (guint k = 0; k < n; k++) {
		guint v = core->index.vms[first + k];
		const SpLcVmState *vs = sp_lc_vm_state(core, v);

		verdict[k].target = -1;
		verdict[k].open = FALSE;
		if (vms[v].migrating || vs->target >= 0)
			verdict[k].reason = SP_LC_MIGRATING;
		else if (vms[v].pinned)
			verdict[k].reason = SP_LC_PINNED;
		/* A drain does not wait for cooldowns, except the backoff of a
		 * move that did not happen (the VM is still on the host it
		 * left): tried again at once, it fails again. */
		else if (vs->cooldown_until > core->now &&
			 (!drain || vs->left_host == (gint) vms[v].host))
			verdict[k].reason = SP_LC_VM_COOLDOWN;
		else if (!drain && vs->expected < 0.02 * cores)
			verdict[k].reason = SP_LC_TOO_SMALL;
		else {
			verdict[k].reason = drain ? SP_LC_NO_TARGET : SP_LC_NOT_NEEDED;
			verdict[k].open = TRUE;
		}
	}

	for (;;) {
		double excess = ss->expected - core->goal * cores;
		double best_k1 = INFINITY, best_k2 = INFINITY, best_gb = 0;
		gint best = -1, best_t = -1;
		SpLcReason limit = SP_LC_REASON_LAST;

		if (!drain && excess <= 0)
			break;
		if (core->in_flight >= cfg->max_cluster) {
			limit = SP_LC_CLUSTER_LIMIT;
			go_on = FALSE;
		} else if (ss->in_flight >= cfg->max_per_host) {
			limit = SP_LC_HOST_LIMIT;
		}
		if (limit != SP_LC_REASON_LAST) {
			/* The VMs still open stay for this reason, not "not needed". */
			host_note(core, s, limit, before);
			for (guint k = 0; k < n; k++)
				if (verdict[k].open && verdict[k].target < 0 &&
				    verdict[k].refusal == SP_LC_REFUSE_NONE)
					verdict[k].reason = limit;
			break;
		}
		for (guint k = 0; k < n; k++) {
			guint v = core->index.vms[first + k];
			SpLcVmState *vs = sp_lc_vm_state(core, v);
			double e = vs->expected, gb, secs, k1, k2;
			SpLcRefusal refusal = SP_LC_REFUSE_NONE;
			gint t;

			if (!verdict[k].open || verdict[k].target >= 0)
				continue;
			t = target_find(core, hosts, vms, v, s, targets, n_targets,
					drain ? core->goal : core->target_max, drain, &refusal);
			if (t < 0) {
				verdict[k].reason = SP_LC_NO_TARGET;
				verdict[k].refusal = refusal;
				continue;
			}
			gb = sp_lc_precopy(vms[v].mem_gb, vms[v].dirty_gbps, cfg->bandwidth_gbps,
					   cfg->downtime_s, &secs);
			if (drain) {
				k1 = 0;
				k2 = gb;
			} else if (e >= excess) {
				k1 = 0;
				k2 = gb * (1 + 4 * (e - excess) / cores);
			} else {
				k1 = e >= 0.25 * excess ? 1 : 2;
				k2 = -e / MAX(gb, 1e-3);
			}
			if (k1 < best_k1 || (k1 == best_k1 && k2 < best_k2)) {
				best_k1 = k1;
				best_k2 = k2;
				best = (gint) k;
				best_t = t;
				best_gb = gb;
			}
		}
		if (best < 0)
			break;
		{
			guint v = core->index.vms[first + best];
			SpLcJournalEntry e = {.vm = (gint) v,
					      .host = s,
					      .target = best_t,
					      .reason = drain ? SP_LC_DRAINED : SP_LC_MOVED,
					      .before = ss->expected / cores};

			sp_lc_plan_move(core, vms, v, s, (guint) best_t, best_gb, moves);
			e.after = ss->expected / cores;
			e.until = sp_lc_vm_state(core, v)->cooldown_until;
			sp_lc_journal_add(core, &e);
			verdict[best].target = best_t;
			sp_lc_targets_update(core, hosts, targets, &n_targets, (guint) best_t);
			*n_targets_io = n_targets;
		}
	}
	for (guint k = 0; k < n; k++) {
		guint v = core->index.vms[first + k];
		SpLcJournalEntry e = {.vm = (gint) v,
				      .host = s,
				      .target = -1,
				      .reason = verdict[k].reason,
				      .refusal = verdict[k].refusal,
				      .before = before,
				      .after = ss->expected / cores,
				      .until = sp_lc_vm_state(core, v)->cooldown_until};

		if (verdict[k].target < 0)
			sp_lc_journal_add(core, &e);
	}
	return go_on;
}

typedef struct {
	const SpLcHostIn *hosts;
	const SpLcHostState *state;
} SourceCtx;

/* Maintenance first, then the most loaded. */
static gint
source_cmp(gconstpointer a, gconstpointer b, gpointer data)
{
	const SourceCtx *ctx = data;
	guint x = *(const guint *) a, y = *(const guint *) b;
	double lx, ly;

	if (ctx->hosts[x].maintenance != ctx->hosts[y].maintenance)
		return ctx->hosts[x].maintenance ? -1 : 1;
	lx = ctx->state[x].expected / MAX(ctx->hosts[x].cores, 1e-9);
	ly = ctx->state[y].expected / MAX(ctx->hosts[y].cores, 1e-9);
	if (lx != ly)
		return lx > ly ? -1 : 1;
	return x < y ? -1 : x > y;
}

void
sp_lc_choose(SpLcCore *core, const SpLcHostIn *hosts, guint n_hosts, const SpLcVmIn *vms,
	     GArray *moves)
{
	const SpLcConfig *cfg = &core->cfg;
	g_autofree guint *sources = g_new(guint, MAX(n_hosts, 1));
	g_autofree guint *all = NULL;
	guint n_sources = 0, n_all = 0;
	SourceCtx ctx = {hosts, (const SpLcHostState *) (gconstpointer) core->hosts->data};

	for (guint h = 0; h < n_hosts; h++)
		if (!hosts[h].offline &&
		    (hosts[h].maintenance || sp_lc_host_state(core, h)->above >= cfg->high_window))
			sources[n_sources++] = h;
	if (n_sources == 0)
		return;
	g_qsort_with_data(sources, n_sources, sizeof(guint), source_cmp, &ctx);
	for (guint i = 0; i < n_sources; i++) {
		guint s = sources[i];
		gboolean go_on;

		if (hosts[s].maintenance) {
			/* Draining may use any host with room, not only cool ones. */
			if (!all) {
				all = g_new(guint, n_hosts);
				n_all = sp_lc_targets_sorted(core, hosts, n_hosts, TRUE, all);
			}
			go_on = source_relieve(core, hosts, vms, s, all, &n_all, moves);
		} else {
			go_on = source_relieve(core, hosts, vms, s, core->candidates,
					       &core->n_candidates, moves);
		}
		if (!go_on)
			break;
	}
}
