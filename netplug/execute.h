/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Carrying out a plan: its steps in order over the netlink primitives, each
 * change written in an undo journal, and on the first failure the journal
 * replayed newest first, so that a run is all or nothing. Decides nothing
 * (the plan did) and never prints: what happened comes back as counts and as
 * the error. */
#pragma once

#include <glib.h>

#include "netlink.h"
#include "plan.h"

/* A test seam, not an environment variable: called after each change made
 * to the kernel with the number made so far (netplug's hidden
 * --test-kill-after N kills the process there, to prove a re-run converges
 * from any point). */
typedef void (*SpExecHook)(guint done, gpointer data);

/* Carry out the CREATE and FIX steps in order (WARN steps are skipped). On a
 * failure, undo this run's changes newest first (delete what it created, put
 * fixed links' alias, group, MTU, up flag, master and VXLAN peers back) and
 * return -1 with the error set: the kernel's own message, what was undone,
 * and what could not be. *changed counts the steps done. A CONFLICT step
 * refuses the whole plan before anything is done. hook may be NULL. */
int sp_netplug_execute(SpNetlink *nl, GPtrArray *steps, SpExecHook hook, gpointer hook_data,
		       guint *changed) G_GNUC_WARN_UNUSED_RESULT;

/* Remove the links that sp_netplug_plan_down() gave, in order; stops at the
 * first refusal. *removed counts those gone. */
int sp_netplug_remove(SpNetlink *nl, GPtrArray *names, guint *removed) G_GNUC_WARN_UNUSED_RESULT;
