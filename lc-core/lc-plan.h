/* SPDX-License-Identifier: GPL-2.0-or-later */
/* This round's plan (lc-plan.c): the loads each host is expected to carry
 * once the moves chosen so far are done, for the round driver (which
 * starts it) and the choice (which adds moves to it). */
#pragma once

#include "lc-state.h"

/* Start the plan from the input and the history: every host's expected
 * and steady load, variance, memory and load now, with migrations still
 * running counted on their target; this round's goal and target limit;
 * the target candidates in core->candidates.  Needs core->index. */
void sp_lc_plan_init(SpLcCore *core, const SpLcHostIn *hosts, guint n_hosts, const SpLcVmIn *vms,
		     guint n_vms);

/* Hosts (all but those in maintenance, or only target candidates) that can
 * take a VM this round, in ascending steady load: the first that fits is
 * the least loaded.  out has room for n_hosts; returns how many. */
guint sp_lc_targets_sorted(SpLcCore *core, const SpLcHostIn *hosts, guint n_hosts, gboolean all,
			   guint *out);

/* Plan VM v's move from s to t (gb to send): appended to moves, its loads
 * and memory shifted to t, both hosts and the VM cooling down from now. */
void sp_lc_plan_move(SpLcCore *core, const SpLcVmIn *vms, guint v, guint s, guint t, double gb,
		     GArray *moves);

/* After a move to t: drop t from targets when it can take no more this
 * round (cooldown, limit), else move it to keep the list sorted. */
void sp_lc_targets_update(SpLcCore *core, const SpLcHostIn *hosts, guint *targets, guint *n,
			  guint t);
