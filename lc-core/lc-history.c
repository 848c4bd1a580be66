/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the core remembers across rounds: how long each host has stayed
 * above or below its thresholds (detection: a single spike is never
 * enough), a slow and a fast average of each VM's CPU with its variance
 * (expected demand: short spikes average out, a burst that lasts counts),
 * and each VM's recent moves (cooldown with backoff, return block).
 *
 * Called by lc-round.c (once per round) and lc-plan.c (a planned move);
 * calls nothing else of the core. */
#include "config.h"

#include <math.h>

#include "lc-history.h"

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

static void
hosts_update(SpLcCore *core, const SpLcHostIn *hosts, guint n_hosts)
{
	const SpLcConfig *cfg = &core->cfg;

	for (guint h = 0; h < n_hosts; h++) {
		SpLcHostState *hs = sp_lc_host_state(core, h);
		double util = hosts[h].load1 / MAX(hosts[h].cores, 1e-9);

		/* A host we cannot see keeps its windows: it has not been
		 * quiet, only silent. */
		if (!hosts[h].offline) {
			hs->above = util > cfg->high ? hs->above + 1 : 0;
			hs->below = util < cfg->low ? hs->below + 1 : 0;
		}
		hs->candidate =
			!hosts[h].maintenance && !hosts[h].offline && hs->below >= cfg->low_window;
		hs->in_flight = 0;
	}
}

void
sp_lc_vm_slot_init(SpLcVmState *vs, guint host)
{
	*vs = (SpLcVmState){.left_host = -1,
			    .target = -1,
			    .host = host,
			    .last_move = -INFINITY,
			    .cooldown_until = -INFINITY};
}

void
sp_lc_vm_slots_grow(SpLcCore *core, guint n, const SpLcVmIn *vms, guint host)
{
	guint old = core->vms->len;

	if (old >= n)
		return;
	g_array_set_size(core->vms, n);
	for (guint i = old; i < n; i++)
		sp_lc_vm_slot_init(sp_lc_vm_state(core, i), vms ? vms[i].host : host);
}

static void
vms_update(SpLcCore *core, const SpLcVmIn *vms, guint n_vms, guint n_hosts)
{
	const SpLcConfig *cfg = &core->cfg;

	sp_lc_vm_slots_grow(core, n_vms, vms, 0);
	for (guint i = 0; i < n_vms; i++) {
		SpLcVmState *vs = sp_lc_vm_state(core, i);
		const SpLcVmIn *v = &vms[i];

		/* Where it is not, nothing is learnt; it is judged again
		 * (a move we did not see included) when it is back. */
		if (v->host == SP_LC_NO_HOST)
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
			sp_lc_host_state(core, (guint) vs->target)->in_flight++;
			core->in_flight++;
			g_array_append_val(core->arriving, i);
		}
		if (v->migrating && v->host < n_hosts) {
			sp_lc_host_state(core, v->host)->in_flight++;
			if (vs->target < 0)
				core->in_flight++;
		}
	}
}

void
sp_lc_history_update(SpLcCore *core, const SpLcHostIn *hosts, guint n_hosts, const SpLcVmIn *vms,
		     guint n_vms)
{
	hosts_update(core, hosts, n_hosts);
	vms_update(core, vms, n_vms, n_hosts);
}
