/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the core remembers across rounds (lc-history.c), for the round
 * driver and the planner above it. */
#pragma once

#include "lc-state.h"

/* Bring the across-rounds state up to date with this round's input: each
 * host's windows above and below its thresholds and whether it is a target
 * candidate, each VM's CPU averages, moves made by someone else, and the
 * migrations still running (counted per host and in core->arriving).
 * core->hosts must already hold n_hosts entries. */
void sp_lc_history_update(SpLcCore *core, const SpLcHostIn *hosts, guint n_hosts,
			  const SpLcVmIn *vms, guint n_vms);

/* Slots for VMs up to index n - 1; a new slot says its VM is on vms[i]'s
 * host, or on host when vms is NULL. */
void sp_lc_vm_slots_grow(SpLcCore *core, guint n, const SpLcVmIn *vms, guint host);
/* A slot as for a VM never seen, on host. */
void sp_lc_vm_slot_init(SpLcVmState *vs, guint host);

/* VM vs just left host from (moved by us or by someone else): cooldown with
 * backoff, and the return block, start now. */
void sp_lc_vm_note_move(SpLcCore *core, SpLcVmState *vs, guint from);
