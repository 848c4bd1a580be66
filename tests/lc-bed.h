/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A small cluster that the lc-core tests edit and run rounds on: 4 hosts of
 * 10 cores and 64 GB, up to 16 VMs, one round per minute.  Shared by
 * test-lc-choice, test-lc-guards and test-lc-core. */
#pragma once

#include "lc-core.h"

typedef struct {
	SpLcConfig cfg;
	SpLcCore *core;
	SpLcHostIn hosts[4];
	SpLcVmIn vms[16];
	guint n_hosts, n_vms;
	GArray *moves;
	double now;
} Bed;

void bed_init(Bed *b);
/* Add a VM of 8 vCPUs; returns its index. */
guint bed_vm(Bed *b, guint host, double cpu, double mem);
/* Load averages follow the VMs' CPU (a settled host). */
void bed_settle(Bed *b);
/* One round (asserted to succeed); returns the number of moves. */
guint bed_round(Bed *b);
/* Carry out the moves of the last round (they land at once). */
void bed_apply(Bed *b);
const SpLcMove *bed_move(Bed *b, guint i);
/* The journal entry about vm (or host when vm is -1); reason
 * SP_LC_REASON_LAST when there is none. */
SpLcJournalEntry bed_entry(Bed *b, gint vm, guint host);
void bed_free(Bed *b);
/* Host 0 at 95 % (excess over the 85 % goal: 1 core), hosts 1-3 cool. */
void bed_hot(Bed *b);
