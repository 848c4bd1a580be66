/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The VMs of each host as one flat array, for the core and for lc-sim's
 * policies: both walk the VMs of a few hosts per round, and walking all VMs
 * for each of them would cost hosts x VMs.
 *
 * The VMs of host h are vms[first[h]] .. vms[first[h + 1] - 1], in
 * ascending VM order.  Built in one counting sort over the caller's own VM
 * records (any struct with a guint host field), so nothing is copied. */
#pragma once

#include <glib.h>

typedef struct {
	guint *first; /* n_hosts + 1 entries */
	guint *vms;   /* VM indexes grouped by host */
} SpLcHostIndex;

/* Rebuild idx over n_vms records of stride bytes from vms, each with its
 * host at byte offset host_at (G_STRUCT_OFFSET).  A VM whose host is not
 * below n_hosts is left out.  Frees what idx held before. */
void sp_lc_host_index_build(SpLcHostIndex *idx, guint n_hosts, gconstpointer vms, guint n_vms,
			    gsize stride, gsize host_at);
void sp_lc_host_index_clear(SpLcHostIndex *idx);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(SpLcHostIndex, sp_lc_host_index_clear)
