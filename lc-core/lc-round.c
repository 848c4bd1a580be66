/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Load Control's decision core: start reading here.
 *
 * The caller (the lc-migrated daemon, or lc-sim's sparrow policy) makes one
 * SpLcCore and calls sp_lc_core_round() once a minute with every host and
 * VM; the answer is zero or more moves and a journal.  A round runs down
 * through the files of this folder, each calling only files below it:
 *
 *   lc-round.c    this file: the core object; a round checks its input and
 *    |            runs the four steps below in order
 *    |-- lc-history.c  1. what is remembered across rounds is brought up to
 *    |                    date: host windows, VM averages, moves seen
 *    |-- lc-index.c    2. the VMs of each host, one flat array
 *    |-- lc-plan.c     3. the plan starts: each host's expected load, this
 *    |                    round's goal and target limit, the candidates
 *    `-- lc-choose.c   4. which VM goes where; each move goes into the
 *                         plan (lc-plan.c, which tells lc-history.c)
 *   at the bottom: lc-journal.c (records why each VM moved or not),
 *   lc-precopy.c (what a migration sends), lc-index.c
 *
 * What state lives where (lc-state.h):
 *  - Across rounds, per host: how many rounds in a row its load average
 *    has been above cfg.high and below cfg.low, and until when it cools
 *    down after it gave or took a VM.  Per VM: a slow and a fast CPU
 *    average and the variance, its recent moves (cooldown with backoff),
 *    the host it left last and when (return block), the target of a
 *    migration the core chose (until the caller no longer reports it as
 *    migrating), and where the caller last said it was.  Hosts and VMs are
 *    their indexes in the caller's arrays: they may be appended between
 *    rounds, never removed.
 *  - One round only, rebuilt from the input and the state above each
 *    round, so that no round inherits a half-applied plan: the round's time,
 *    the migrations in flight per host and in the cluster, the VMs arriving
 *    on each host, the index, each host's planned load and memory, the goal
 *    and target limit, the target candidates, and the journal (which the
 *    caller may read until the next round).
 *  - Nothing else: no clock (the caller's "now" is the only time), no I/O,
 *    no callbacks, no globals.  The same code runs in the daemon and in the
 *    simulator, so what the benchmark measures is what the cluster runs.
 *
 * Everything is O(hosts + VMs) per round with flat arrays, so that a round
 * over 1,000 hosts and 30,000 VMs takes well under a millisecond before the
 * choice, and the state is a few MB. */
#include "config.h"

#include "lc-choose.h"
#include "lc-history.h"
#include "lc-plan.h"
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
	sp_lc_host_index_clear(&core->index);
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
sp_lc_core_note_move(SpLcCore *core, guint vm, guint from, guint to, double when)
{
	SpLcVmState *vs;
	double now = core->now;

	sp_lc_vm_slots_grow(core, vm + 1, NULL, to);
	vs = sp_lc_vm_state(core, vm);
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
		sp_lc_vm_slot_init(sp_lc_vm_state(core, vm), 0);
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

int
sp_lc_core_round(SpLcCore *core, double now, const SpLcHostIn *hosts, guint n_hosts,
		 const SpLcVmIn *vms, guint n_vms, GArray *moves)
{
	for (guint i = 0; i < n_vms; i++) {
		if (vms[i].host >= n_hosts && vms[i].host != SP_LC_NO_HOST) {
			sp_error("vm '%u' is on host '%u', but there are %u hosts", i, vms[i].host,
				 n_hosts);
			return -1;
		}
	}
	if (core->hosts->len > n_hosts || core->vms->len > n_vms) {
		sp_error("hosts or VMs were removed between rounds (%u -> %u hosts, %u -> %u VMs)",
			 core->hosts->len, n_hosts, core->vms->len, n_vms);
		return -1;
	}
	core->now = now;
	g_array_set_size(core->journal, 0);
	g_array_set_size(core->arriving, 0);
	g_array_set_size(core->hosts, n_hosts);
	core->in_flight = 0;

	sp_lc_history_update(core, hosts, n_hosts, vms, n_vms);
	sp_lc_host_index_build(&core->index, n_hosts, vms, n_vms, sizeof(SpLcVmIn),
			       G_STRUCT_OFFSET(SpLcVmIn, host));
	sp_lc_plan_init(core, hosts, n_hosts, vms, n_vms);
	if (core->advise) {
		/* The choice writes cooldowns and targets into the history:
		 * a copy is put back. */
		g_autoptr(GArray) hosts_kept = g_array_copy(core->hosts);
		g_autoptr(GArray) vms_kept = g_array_copy(core->vms);

		sp_lc_choose(core, hosts, n_hosts, vms, moves);
		g_array_free(core->hosts, TRUE);
		g_array_free(core->vms, TRUE);
		core->hosts = g_steal_pointer(&hosts_kept);
		core->vms = g_steal_pointer(&vms_kept);
		return 0;
	}
	sp_lc_choose(core, hosts, n_hosts, vms, moves);
	return 0;
}
