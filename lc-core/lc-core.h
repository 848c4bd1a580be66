/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The Load Control decision core: pure computation, no libvirt, no clock.
 *
 * The caller (lc-migrated's daemon, or lc-sim) gives one round of input per
 * minute: every host's capacity and kernel 1-minute load average, every VM's
 * size, CPU use, host and constraints.  The core keeps the little history it
 * needs (how long each host has stayed above/below its thresholds, a slow
 * average of each VM's CPU, who moved when) and answers with zero or more
 * migrations, plus a journal that says why each VM it looked at did or did
 * not move.  The same code runs in the daemon and in the simulator, so what
 * the benchmark measures is what the cluster runs.
 *
 * Units: CPU in cores (1.0 = one busy core), memory in GB, rates in GB/s,
 * time in minutes since any fixed origin.
 *
 * How it works inside, and which file does what: lc-round.c's opening
 * comment. */
#pragma once

#include <glib.h>

typedef struct {
	/* Detection: overloaded when load1/cores > high for high_window
	 * consecutive rounds; a target candidate when load1/cores < low for
	 * low_window rounds.  A single spike is never enough. */
	double high;
	guint high_window;
	double low;
	guint low_window;
	/* Choice: relieve the source until its expected load is under goal;
	 * never plan a target above target_max of its cores. */
	double goal;
	double target_max;
	/* In a cool cluster, aim lower: goal = min(goal, mean + spread) and
	 * target_max = min(target_max, mean + spread - 0.1), so that a host far
	 * above the others is evened out before its noise overloads it. */
	double spread;
	/* Weight of a VM's CPU history: the per-round EWMA factor.  Short
	 * spikes average out; a VM's expected demand is what matters. */
	double vm_ewma;
	/* A faster EWMA: the expected demand is the larger of both, so that a
	 * burst that lasts (tens of minutes) counts and a 5-minute spike not. */
	double vm_ewma_fast;
	/* A target must also keep its expected load plus risk_z standard
	 * deviations (its VMs' and the newcomer's, taken as independent) under
	 * its cores: a host of few noisy VMs has less room than its mean says.
	 * 0 turns the check off. */
	double risk_z;
	/* Guards. */
	double vm_cooldown_min; /* after a move; doubles per recent move */
	double vm_cooldown_max;
	double return_block_min;  /* a VM may not go back to a host it left */
	double host_cooldown_min; /* after a host gave or took a VM */
	guint max_per_host;       /* concurrent migrations touching one host */
	guint max_cluster;        /* concurrent migrations in the cluster */
	/* Cost model used to weigh candidates. */
	double bandwidth_gbps; /* GB/s available to one migration */
	double downtime_s;     /* pre-copy stops when the rest fits in this */
} SpLcConfig;

typedef struct {
	double cores;
	double mem_gb;
	double load1;         /* kernel 1-minute load average */
	gboolean maintenance; /* drain it, never a target */
	/* Unreachable this round (its daemon is down or did not answer in
	 * time): neither a source nor a target, its detection windows frozen
	 * until it is back; its VMs still count where they were. */
	gboolean offline;
} SpLcHostIn;

/* SpLcVmIn.host of a VM that runs on no host this round (shut off, or on a
 * host the caller no longer counts): left out, its history kept. */
#define SP_LC_NO_HOST G_MAXUINT

typedef struct {
	guint host;
	double vcpus;
	double mem_gb;
	double cpu;        /* cores used over the last round */
	double dirty_gbps; /* memory dirtying rate, for the cost model */
	gint group;        /* anti-affinity group, -1 for none */
	gboolean pinned;
	gboolean migrating; /* a migration of it is still running */
} SpLcVmIn;

typedef struct {
	guint vm;
	guint source;
	guint target;
	double gb; /* estimated transfer */
} SpLcMove;

typedef enum {
	SP_LC_MOVED,
	SP_LC_DRAINED, /* moved off a host in maintenance */
	SP_LC_PINNED,
	SP_LC_VM_COOLDOWN,
	SP_LC_MIGRATING,
	SP_LC_NO_TARGET,     /* no host can take it (detail: why) */
	SP_LC_NOT_NEEDED,    /* source already relieved by other moves */
	SP_LC_TOO_SMALL,     /* moving it would not relieve the source */
	SP_LC_HOST_COOLDOWN, /* the overloaded host itself is cooling down */
	SP_LC_HOST_LIMIT,    /* K concurrent migrations on the host */
	SP_LC_CLUSTER_LIMIT, /* K concurrent migrations in the cluster */
	SP_LC_TRANSIENT,     /* load high, but its VMs' expected demand is not */
	SP_LC_NO_CANDIDATES, /* no host is a target candidate */
	SP_LC_REASON_LAST
} SpLcReason;

/* Why one target was refused for one VM, the most telling kept. */
typedef enum {
	SP_LC_REFUSE_NONE,
	SP_LC_REFUSE_MEMORY,
	SP_LC_REFUSE_OVERLOAD,
	SP_LC_REFUSE_AFFINITY,
	SP_LC_REFUSE_RETURN,
	SP_LC_REFUSE_LIMIT,
	SP_LC_REFUSE_LAST
} SpLcRefusal;

typedef struct {
	gint vm; /* -1 for an entry about a host */
	guint host;
	gint target; /* -1 when it did not move */
	SpLcReason reason;
	SpLcRefusal refusal; /* for SP_LC_NO_TARGET */
	double before;       /* source expected load / cores before, after */
	double after;
	double until; /* end of a cooldown, in minutes */
} SpLcJournalEntry;

typedef struct _SpLcCore SpLcCore;

void sp_lc_config_init(SpLcConfig *cfg);

SpLcCore *sp_lc_core_new(const SpLcConfig *cfg);
void sp_lc_core_free(SpLcCore *core);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SpLcCore, sp_lc_core_free)

/* Settings for the next rounds (a configuration reload); the history is
 * kept. */
void sp_lc_core_set_config(SpLcCore *core, const SpLcConfig *cfg);
/* Advise only: rounds still return moves and journal them, but the core
 * does not take them as done (no cooldown, no planned target), so that the
 * next round advises from the same state, as an operator who did not follow
 * the advice left it. */
void sp_lc_core_set_advise(SpLcCore *core, gboolean advise);

/* A move the core did not see happen: vm went from host from to host to at
 * time when (before a restart of the caller, which keeps its own record;
 * from == to for a move that failed: its backoff holds). Its cooldown with
 * backoff and the return block start then, as after a move the core
 * planned. May be called before the first round; vm and the hosts are
 * indexes as in sp_lc_core_round(). */
void sp_lc_core_note_move(SpLcCore *core, guint vm, guint from, guint to, double when);
/* Forget everything about a VM: its index may then stand for a new VM. */
void sp_lc_core_vm_forget(SpLcCore *core, guint vm);

/* One round: update the history from the input, then decide.  Appends
 * SpLcMove to moves (the caller starts them and reports them as migrating
 * in later rounds).  The counts of hosts and VMs may change between rounds
 * only by appending; indexes are identities. */
int sp_lc_core_round(SpLcCore *core, double now, const SpLcHostIn *hosts, guint n_hosts,
		     const SpLcVmIn *vms, guint n_vms, GArray *moves) G_GNUC_WARN_UNUSED_RESULT;

/* The entries of the last round, valid until the next round. */
const SpLcJournalEntry *sp_lc_core_journal(const SpLcCore *core, guint *n);
/* Keep the journal (default) or not (large simulations). */
void sp_lc_core_set_journal(SpLcCore *core, gboolean keep);
/* The expected demand the core holds for a VM (cores). */
double sp_lc_core_vm_expected(const SpLcCore *core, guint vm);

/* One journal entry as a sentence, e.g. "vm '12' on host '3': moved to
 * host '7', host '3' expected load 97% -> 81%". */
char *sp_lc_journal_format(const SpLcJournalEntry *e);
/* The same with names for the numbers (the daemon's log and lcctl why):
 * "vm 'web1' on host 'kvm3': moved to host 'kvm7', host 'kvm3' expected
 * load 97% -> 81%". target may be NULL when the entry has none; until is
 * the end of a cooldown as the caller tells time ("12:05:00"). */
char *sp_lc_journal_format_names(const SpLcJournalEntry *e, const char *vm, const char *host,
				 const char *target, const char *until);
const char *sp_lc_reason_name(SpLcReason r);
const char *sp_lc_refusal_name(SpLcRefusal r);

/* Pre-copy live migration: memory copied once, then what was dirtied during
 * each copy, until the rest fits in the downtime or it stops converging.
 * Returns GB sent; *seconds gets the duration. */
double sp_lc_precopy(double mem_gb, double dirty_gbps, double bandwidth_gbps, double downtime_s,
		     double *seconds);
