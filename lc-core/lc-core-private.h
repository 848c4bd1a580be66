/* The state the core keeps between rounds, shared by its files only. */
#pragma once

#include "lc-core.h"

typedef struct {
	guint above; /* consecutive rounds over cfg.high */
	guint below; /* consecutive rounds under cfg.low */
	double cooldown_until;
	/* This round: */
	double expected; /* sum of its VMs' expected demand, planned moves applied */
	double steady;   /* the same with the slow averages only: targets are
			 * judged on it (plus their load now), so that the
			 * noise of their VMs does not hide room */
	double mem_used; /* planned moves applied (both ends hold a moving VM) */
	double var;      /* sum of its VMs' CPU variances (cores^2) */
	double load_now; /* load1, planned arrivals added at their current CPU */
	guint in_flight;
	gboolean candidate;
} SpLcHostState;

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
	GArray *hosts;    /* SpLcHostState */
	GArray *vms;      /* SpLcVmState */
	GArray *journal;  /* SpLcJournalEntry */
	GArray *arriving; /* VMs on their way to a host we chose (this round or
				 * still migrating): they count for anti-affinity there */
	gboolean keep_journal;
	gboolean advise;
	/* Per-round index: VMs of each host (CSR), candidates by expected load. */
	guint *host_first;
	guint *host_vms;
	guint *candidates;
	guint n_candidates;
	guint in_flight;
	double now;
	/* This round's goal and target limit: the configured ones, lowered
	 * toward the cluster's mean expected load plus cfg.spread when the
	 * cluster is cool (there is room to spread load further). */
	double goal;
	double target_max;
};

void sp_lc_journal_add(SpLcCore *core, const SpLcJournalEntry *e);

/* VM vs just left host from (moved by us or by someone else): cooldown with
 * backoff, and the return block, start now. */
void sp_lc_vm_note_move(SpLcCore *core, SpLcVmState *vs, guint from);
/* Decide the moves of this round once the state is up to date. */
void sp_lc_choose(SpLcCore *core, const SpLcHostIn *hosts, guint n_hosts, const SpLcVmIn *vms,
		  guint n_vms, GArray *moves);
guint sp_lc_targets_sorted(SpLcCore *core, const SpLcHostIn *hosts, guint n_hosts, gboolean all,
			   guint *out);
