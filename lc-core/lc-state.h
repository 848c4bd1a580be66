/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The state the core keeps, shared by its files only (never by callers):
 * lc-round.c's opening comment says which part lives how long and which
 * file writes it.  Data and two accessors only: no function of the core
 * is declared here, so that including this header says nothing about who
 * calls whom (each file's own header does). */
#pragma once

#include "lc-core.h"
#include "lc-index.h"

typedef struct {
	/* Across rounds (lc-history.c, lc-plan.c): */
	guint above; /* consecutive rounds over cfg.high */
	guint below; /* consecutive rounds under cfg.low */
	double cooldown_until;
	/* This round (lc-history.c's counts, then lc-plan.c): */
	gboolean candidate; /* a target for overloaded hosts */
	guint in_flight;    /* migrations touching it, planned ones added */
	double expected;    /* sum of its VMs' expected demand, planned moves applied */
	double steady;      /* the same with the slow averages only: targets are
			     * judged on it (plus their load now), so that the
			     * noise of their VMs does not hide room */
	double mem_used;    /* planned moves applied (both ends hold a moving VM) */
	double var;         /* sum of its VMs' CPU variances (cores^2) */
	double load_now;    /* load1, planned arrivals added at their current CPU */
} SpLcHostState;

/* Across rounds, every field (lc-history.c; a planned move in lc-plan.c). */
typedef struct {
	double expected; /* the larger of the two averages, in cores */
	double slow;     /* EWMA of cpu over about cfg.vm_ewma^-1 rounds */
	double fast;     /* and over cfg.vm_ewma_fast^-1 rounds */
	double var;      /* EWMA variance around slow */
	gboolean seen;
	double cooldown_until;
	double moves; /* recent moves, decays by half every vm_cooldown_max */
	double last_move;
	gint left_host; /* host it left last, -1 none */
	double left_at;
	gint target; /* target of the running migration, -1 none */
	guint host;  /* where the caller says it is, or the planned target */
} SpLcVmState;

struct _SpLcCore {
	SpLcConfig cfg;
	gboolean keep_journal;
	gboolean advise; /* sp_lc_core_set_advise() */
	/* Across rounds: one entry per host and per VM ever seen. */
	GArray *hosts; /* SpLcHostState */
	GArray *vms;   /* SpLcVmState */
	/* This round only, rebuilt by each sp_lc_core_round(): */
	double now;
	GArray *journal;     /* SpLcJournalEntry, what lc-journal.c records */
	GArray *arriving;    /* VMs on their way to a host we chose (this round or
			      * still migrating): they count for anti-affinity there */
	guint in_flight;     /* migrations in the cluster, planned ones added */
	SpLcHostIndex index; /* VMs of each host */
	/* Target candidates by ascending steady load (lc-plan.c). */
	guint *candidates;
	guint n_candidates;
	/* The goal and target limit: the configured ones, lowered toward the
	 * cluster's mean expected load plus cfg.spread when the cluster is
	 * cool (there is room to spread load further). */
	double goal;
	double target_max;
};

static inline SpLcHostState *
sp_lc_host_state(SpLcCore *core, guint h)
{
	return &g_array_index(core->hosts, SpLcHostState, h);
}

static inline SpLcVmState *
sp_lc_vm_state(SpLcCore *core, guint v)
{
	return &g_array_index(core->vms, SpLcVmState, v);
}
