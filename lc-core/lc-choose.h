/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Which VM goes where (lc-choose.c), for the round driver. */
#pragma once

#include "lc-state.h"

/* Decide this round's moves once the history is up to date and the plan
 * started (lc-plan.h); appends SpLcMove to moves and records the journal. */
void sp_lc_choose(SpLcCore *core, const SpLcHostIn *hosts, guint n_hosts, const SpLcVmIn *vms,
		  GArray *moves);
