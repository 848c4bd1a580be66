#include "config.h"

#include <math.h>
#include <string.h>

#include "lc-core.h"
#include "sp-error.h"
#include "sp-test.h"

/* A small cluster the cases edit: 4 hosts of 10 cores and 64 GB. */
typedef struct {
	SpLcConfig cfg;
	SpLcCore *core;
	SpLcHostIn hosts[4];
	SpLcVmIn vms[16];
	guint n_hosts, n_vms;
	GArray *moves;
	double now;
} Bed;

static void
bed_init(Bed *b)
{
	memset(b, 0, sizeof(*b));
	sp_lc_config_init(&b->cfg);
	b->cfg.low_window = 1; /* targets count from the first round */
	b->cfg.spread = 1;     /* fixed goal and target limit, unless a case says */
	b->n_hosts = 4;
	for (guint h = 0; h < 4; h++)
		b->hosts[h] = (SpLcHostIn){.cores = 10, .mem_gb = 64};
	b->moves = g_array_new(FALSE, FALSE, sizeof(SpLcMove));
}

static guint
bed_vm(Bed *b, guint host, double cpu, double mem)
{
	b->vms[b->n_vms] = (SpLcVmIn){.host = host,
				      .vcpus = 8,
				      .mem_gb = mem,
				      .cpu = cpu,
				      .dirty_gbps = 0.01,
				      .group = -1};
	return b->n_vms++;
}

/* Load averages follow the VMs' CPU (a settled host). */
static void
bed_settle(Bed *b)
{
	for (guint h = 0; h < b->n_hosts; h++)
		b->hosts[h].load1 = 0;
	for (guint i = 0; i < b->n_vms; i++)
		b->hosts[b->vms[i].host].load1 += b->vms[i].cpu;
}

static guint
bed_round(Bed *b)
{
	if (!b->core)
		b->core = sp_lc_core_new(&b->cfg);
	g_array_set_size(b->moves, 0);
	CU_ASSERT_EQUAL_FATAL(sp_lc_core_round(b->core, b->now, b->hosts, b->n_hosts, b->vms,
					       b->n_vms, b->moves),
			      0);
	b->now += 1;
	return b->moves->len;
}

/* Carry out the moves of the last round (they land at once). */
static void
bed_apply(Bed *b)
{
	for (guint i = 0; i < b->moves->len; i++) {
		const SpLcMove *m = &g_array_index(b->moves, SpLcMove, i);

		b->vms[m->vm].host = m->target;
	}
	bed_settle(b);
}

static const SpLcMove *
bed_move(Bed *b, guint i)
{
	return &g_array_index(b->moves, SpLcMove, i);
}

/* The journal entry about vm (or host when vm is -1); reason
 * SP_LC_REASON_LAST when there is none. */
static SpLcJournalEntry
bed_entry(Bed *b, gint vm, guint host)
{
	guint n;
	const SpLcJournalEntry *j = sp_lc_core_journal(b->core, &n);
	SpLcJournalEntry none = {.vm = vm, .host = host, .reason = SP_LC_REASON_LAST};

	for (guint i = 0; i < n; i++)
		if (j[i].vm == vm && j[i].host == host)
			return j[i];
	return none;
}

static void
bed_free(Bed *b)
{
	sp_lc_core_free(b->core);
	g_array_free(b->moves, TRUE);
}

/* Host 0 at 95 % (excess over the 85 % goal: 1 core), hosts 1-3 cool. */
static void
bed_hot(Bed *b)
{
	bed_vm(b, 0, 0.5, 4); /* 0: too small to relieve alone */
	bed_vm(b, 0, 1.5, 4); /* 1: just enough: the right one */
	bed_vm(b, 0, 4.0, 4); /* 2: enough, but overshoots */
	bed_vm(b, 0, 3.5, 4); /* 3: enough, overshoots */
	bed_vm(b, 1, 2.0, 4);
	bed_vm(b, 2, 4.0, 4);
	bed_vm(b, 3, 6.0, 4);
	bed_settle(b);
}

static void
test_detection_sustained(void)
{
	Bed b;

	bed_init(&b);
	bed_hot(&b);
	/* high_window = 3: two rounds over the threshold are not enough. */
	CU_ASSERT_EQUAL(bed_round(&b), 0);
	CU_ASSERT_EQUAL(bed_round(&b), 0);
	CU_ASSERT_EQUAL(bed_round(&b), 1);
	bed_free(&b);
}

static void
test_detection_spike(void)
{
	Bed b;

	bed_init(&b);
	bed_hot(&b);
	CU_ASSERT_EQUAL(bed_round(&b), 0);
	CU_ASSERT_EQUAL(bed_round(&b), 0);
	b.hosts[0].load1 = 5; /* one quiet minute resets the window */
	CU_ASSERT_EQUAL(bed_round(&b), 0);
	bed_settle(&b);
	CU_ASSERT_EQUAL(bed_round(&b), 0);
	CU_ASSERT_EQUAL(bed_round(&b), 0);
	CU_ASSERT_EQUAL(bed_round(&b), 1);
	bed_free(&b);
}

static void
test_detection_target_window(void)
{
	Bed b;

	bed_init(&b);
	b.cfg.low_window = 5;
	bed_hot(&b);
	/* Targets must stay cool for 5 rounds before they count. */
	for (guint i = 0; i < 4; i++)
		CU_ASSERT_EQUAL(bed_round(&b), 0);
	CU_ASSERT_EQUAL(bed_round(&b), 1);
	bed_free(&b);
}

static void
test_choice_right_size(void)
{
	Bed b;

	bed_init(&b);
	bed_hot(&b);
	bed_round(&b);
	bed_round(&b);
	CU_ASSERT_EQUAL_FATAL(bed_round(&b), 1);
	/* Not the biggest (2), not the tiny one (0): the one that is enough. */
	CU_ASSERT_EQUAL(bed_move(&b, 0)->vm, 1);
	CU_ASSERT_EQUAL(bed_move(&b, 0)->source, 0);
	/* The least loaded target. */
	CU_ASSERT_EQUAL(bed_move(&b, 0)->target, 1);
	CU_ASSERT(bed_move(&b, 0)->gb >= 4);
	CU_ASSERT_EQUAL(bed_entry(&b, 1, 0).reason, SP_LC_MOVED);
	CU_ASSERT_EQUAL(bed_entry(&b, 2, 0).reason, SP_LC_NOT_NEEDED);
	bed_free(&b);
}

static void
test_choice_target_not_pushed_over(void)
{
	Bed b;

	bed_init(&b);
	b.n_hosts = 2;
	bed_vm(&b, 0, 3.0, 4);
	bed_vm(&b, 0, 6.5, 4);
	bed_vm(&b, 1, 5.0, 4); /* target at 50 %: +3 is 80 %, over 65 % */
	bed_settle(&b);
	bed_round(&b);
	bed_round(&b);
	CU_ASSERT_EQUAL(bed_round(&b), 0);
	CU_ASSERT_EQUAL(bed_entry(&b, 0, 0).reason, SP_LC_NO_TARGET);
	CU_ASSERT_EQUAL(bed_entry(&b, 0, 0).refusal, SP_LC_REFUSE_OVERLOAD);
	bed_free(&b);
}

static void
test_choice_cost(void)
{
	Bed b;

	bed_init(&b);
	bed_vm(&b, 0, 1.5, 32); /* enough, but 32 GB to copy */
	bed_vm(&b, 0, 1.6, 2);  /* enough and cheap */
	bed_vm(&b, 0, 6.4, 8);
	bed_vm(&b, 1, 2.0, 4);
	bed_settle(&b);
	bed_round(&b);
	bed_round(&b);
	CU_ASSERT_EQUAL_FATAL(bed_round(&b), 1);
	CU_ASSERT_EQUAL(bed_move(&b, 0)->vm, 1);
	bed_free(&b);
}

/* A cool cluster: the goal drops to the mean + spread, so a hot host is
 * evened out further than the fixed goal would. */
static void
test_choice_spread(void)
{
	for (guint with = 0; with < 2; with++) {
		Bed b;

		bed_init(&b);
		b.cfg.max_per_host = 10;
		if (with)
			b.cfg.spread = 0.15;
		for (guint i = 0; i < 5; i++)
			bed_vm(&b, 0, 1.84, 4);
		for (guint h = 1; h < 4; h++)
			bed_vm(&b, h, 1.0, 4);
		bed_settle(&b);
		bed_round(&b);
		bed_round(&b);
		/* 92 % on host 0, 10 % elsewhere: mean 30.5 %, goal 45.5 %. */
		CU_ASSERT_EQUAL(bed_round(&b), with ? 3 : 1);
		bed_free(&b);
	}
}

/* A target whose load swings (0 <-> 7 cores every minute) has a low mean
 * but no safe room: refused with the risk check, taken without. */
static void
test_choice_risk(void)
{
	for (guint with = 0; with < 2; with++) {
		Bed b;
		guint moved;

		bed_init(&b);
		b.n_hosts = 2;
		b.cfg.vm_ewma = 0.5; /* learn the swings within a few rounds */
		b.cfg.risk_z = with ? 2.5 : 0;
		bed_hot(&b); /* VMs 0-3 on host 0, VM 4 alone on host 1 */
		b.n_vms = 5; /* hosts 2 and 3 are gone */
		for (guint i = 0; i < 4; i++)
			b.vms[i].cpu /= 4;
		for (guint r = 0; r < 12; r++) {
			b.vms[4].cpu = r % 2 ? 7 : 0;
			bed_settle(&b);
			bed_round(&b);
		}
		for (guint i = 0; i < 4; i++)
			b.vms[i].cpu *= 4;
		moved = 0;
		for (guint r = 0; r < 6; r++) {
			b.vms[4].cpu = r % 2 ? 7 : 0;
			bed_settle(&b);
			b.hosts[1].load1 = 3.5; /* its load average sees the mean */
			moved += bed_round(&b);
		}
		CU_ASSERT_EQUAL(moved, with ? 0 : 1);
		bed_free(&b);
	}
}

static void
test_choice_transient(void)
{
	Bed b;

	bed_init(&b);
	bed_hot(&b);
	/* An hour of calm teaches the core what the VMs usually use. */
	for (guint i = 0; i < 4; i++)
		b.vms[i].cpu /= 4;
	bed_settle(&b);
	for (guint i = 0; i < 120; i++)
		bed_round(&b);
	for (guint i = 0; i < 4; i++)
		b.vms[i].cpu *= 4;
	bed_settle(&b);
	for (guint i = 0; i < 3; i++)
		CU_ASSERT_EQUAL(bed_round(&b), 0);
	CU_ASSERT_EQUAL(bed_entry(&b, -1, 0).reason, SP_LC_TRANSIENT);
	bed_free(&b);
}

static void
test_guard_pinned(void)
{
	Bed b;

	bed_init(&b);
	bed_hot(&b);
	b.vms[1].pinned = TRUE;
	bed_round(&b);
	bed_round(&b);
	CU_ASSERT_EQUAL_FATAL(bed_round(&b), 1);
	CU_ASSERT_NOT_EQUAL(bed_move(&b, 0)->vm, 1);
	CU_ASSERT_EQUAL(bed_entry(&b, 1, 0).reason, SP_LC_PINNED);
	bed_free(&b);
}

static void
test_guard_migrating(void)
{
	Bed b;

	bed_init(&b);
	bed_hot(&b);
	b.vms[1].migrating = TRUE;
	b.cfg.max_per_host = 2;
	bed_round(&b);
	bed_round(&b);
	CU_ASSERT_EQUAL_FATAL(bed_round(&b), 1);
	CU_ASSERT_NOT_EQUAL(bed_move(&b, 0)->vm, 1);
	CU_ASSERT_EQUAL(bed_entry(&b, 1, 0).reason, SP_LC_MIGRATING);
	bed_free(&b);
}

static void
test_guard_host_cooldown(void)
{
	Bed b;

	bed_init(&b);
	bed_hot(&b);
	b.vms[0].cpu = 3; /* 1.5 is no longer enough: two moves needed */
	b.cfg.max_per_host = 1;
	bed_settle(&b);
	bed_round(&b);
	bed_round(&b);
	CU_ASSERT_EQUAL_FATAL(bed_round(&b), 1);
	/* The move has not landed (load still high): the host waits. */
	b.vms[bed_move(&b, 0)->vm].migrating = TRUE;
	CU_ASSERT_EQUAL(bed_round(&b), 0);
	CU_ASSERT_EQUAL(bed_entry(&b, -1, 0).reason, SP_LC_HOST_COOLDOWN);
	bed_free(&b);
}

static void
test_guard_host_limit(void)
{
	Bed b;

	bed_init(&b);
	bed_hot(&b);
	b.vms[0].cpu = 4; /* excess 4.5 cores: more than one move */
	bed_settle(&b);
	b.cfg.max_per_host = 1;
	bed_round(&b);
	bed_round(&b);
	CU_ASSERT_EQUAL(bed_round(&b), 1);
	CU_ASSERT_EQUAL(bed_entry(&b, -1, 0).reason, SP_LC_HOST_LIMIT);
	bed_free(&b);

	bed_init(&b);
	bed_hot(&b);
	b.vms[0].cpu = 4;
	bed_settle(&b);
	b.cfg.max_per_host = 2;
	bed_round(&b);
	bed_round(&b);
	CU_ASSERT_EQUAL(bed_round(&b), 2);
	bed_free(&b);
}

static void
test_guard_cluster_limit(void)
{
	Bed b;

	bed_init(&b);
	bed_hot(&b);
	bed_vm(&b, 3, 3.5, 4); /* host 3 at 95 % too */
	bed_settle(&b);
	b.cfg.max_cluster = 1;
	bed_round(&b);
	bed_round(&b);
	CU_ASSERT_EQUAL(bed_round(&b), 1);
	CU_ASSERT_EQUAL(bed_entry(&b, -1, 3).reason, SP_LC_CLUSTER_LIMIT);
	bed_free(&b);
}

static void
test_guard_anti_affinity(void)
{
	Bed b;

	bed_init(&b);
	bed_hot(&b);
	b.vms[1].group = 7;
	b.vms[4].group = 7; /* on host 1, the least loaded */
	bed_round(&b);
	bed_round(&b);
	CU_ASSERT_EQUAL_FATAL(bed_round(&b), 1);
	CU_ASSERT_EQUAL(bed_move(&b, 0)->vm, 1);
	CU_ASSERT_EQUAL(bed_move(&b, 0)->target, 2);
	bed_free(&b);
}

/* A VM of the group still on its way to host 1 (chosen in an earlier
 * round, not landed) already counts there. */
static void
test_guard_anti_affinity_arriving(void)
{
	Bed b;

	bed_init(&b);
	b.cfg.host_cooldown_min = 0;
	b.cfg.max_per_host = 2;
	bed_vm(&b, 0, 1.5, 4); /* 0: group 7 */
	bed_vm(&b, 0, 1.5, 4); /* 1: group 7 */
	bed_vm(&b, 0, 3.5, 4);
	bed_vm(&b, 0, 3.5, 4);
	bed_vm(&b, 1, 2.0, 4);
	bed_vm(&b, 2, 4.0, 4);
	bed_vm(&b, 3, 6.0, 4);
	b.vms[0].group = b.vms[1].group = 7;
	b.vms[2].pinned = b.vms[3].pinned = TRUE;
	b.vms[1].pinned = TRUE; /* for now: one move in the first round */
	bed_settle(&b);
	bed_round(&b);
	bed_round(&b);
	/* 100 %: 2 cores over the goal. */
	CU_ASSERT_EQUAL_FATAL(bed_round(&b), 1);
	CU_ASSERT_EQUAL(bed_move(&b, 0)->vm, 0);
	CU_ASSERT_EQUAL(bed_move(&b, 0)->target, 1);
	b.vms[0].migrating = TRUE;
	b.vms[1].pinned = FALSE;
	/* Host 1 (35 % with VM 0) is still the least loaded, but VM 0 is
	 * arriving there: VM 1 goes to host 2. */
	CU_ASSERT_EQUAL_FATAL(bed_round(&b), 1);
	CU_ASSERT_EQUAL(bed_move(&b, 0)->vm, 1);
	CU_ASSERT_EQUAL(bed_move(&b, 0)->target, 2);
	bed_free(&b);
}

static void
test_guard_memory(void)
{
	Bed b;

	bed_init(&b);
	bed_hot(&b);
	b.hosts[1].mem_gb = 8; /* 4 GB used: no room for 4 + 4 more? 8 fits, 9 not */
	b.vms[1].mem_gb = 6;
	bed_round(&b);
	bed_round(&b);
	CU_ASSERT_EQUAL_FATAL(bed_round(&b), 1);
	if (bed_move(&b, 0)->vm == 1)
		CU_ASSERT_NOT_EQUAL(bed_move(&b, 0)->target, 1);
	bed_free(&b);
}

static void
test_guard_vm_cooldown_backoff(void)
{
	Bed b;
	SpLcJournalEntry e;
	double first, second;

	bed_init(&b);
	b.n_hosts = 2;
	b.cfg.return_block_min = 0; /* only the cooldown in this case */
	bed_vm(&b, 0, 9.2, 4);
	bed_vm(&b, 1, 0.5, 4);
	b.vms[1].pinned = TRUE;
	bed_settle(&b);
	b.cfg.goal = 0.85;
	b.cfg.target_max = 0.99;
	bed_round(&b);
	bed_round(&b);
	CU_ASSERT_EQUAL_FATAL(bed_round(&b), 1);
	e = bed_entry(&b, 0, 0);
	first = e.until - (b.now - 1);
	CU_ASSERT_DOUBLE_EQUAL(first, 60, 1e-9);
	bed_apply(&b);
	/* Host 1 is now hot and host 0 cool: the VM waits out its cooldown. */
	for (guint i = 0; i < 10; i++)
		CU_ASSERT_EQUAL(bed_round(&b), 0);
	CU_ASSERT_EQUAL(bed_entry(&b, 0, 1).reason, SP_LC_VM_COOLDOWN);
	b.now += 60;
	CU_ASSERT_EQUAL_FATAL(bed_round(&b), 1);
	e = bed_entry(&b, 0, 1);
	second = e.until - (b.now - 1);
	/* Backoff: the second move within hours waits about twice as long. */
	CU_ASSERT(second > 1.7 * first);
	bed_free(&b);
}

static void
test_guard_no_return(void)
{
	Bed b;

	bed_init(&b);
	b.n_hosts = 2;
	b.cfg.target_max = 0.99;
	bed_vm(&b, 0, 9.2, 4);
	bed_vm(&b, 1, 0.5, 4);
	b.vms[1].pinned = TRUE;
	bed_settle(&b);
	bed_round(&b);
	bed_round(&b);
	CU_ASSERT_EQUAL_FATAL(bed_round(&b), 1);
	bed_apply(&b);
	/* After the VM cooldown (60) but within the return block (120). */
	b.now += 70;
	for (guint i = 0; i < 3; i++)
		CU_ASSERT_EQUAL(bed_round(&b), 0);
	CU_ASSERT_EQUAL(bed_entry(&b, 0, 1).reason, SP_LC_NO_TARGET);
	CU_ASSERT_EQUAL(bed_entry(&b, 0, 1).refusal, SP_LC_REFUSE_RETURN);
	bed_free(&b);
}

static void
test_guard_maintenance(void)
{
	Bed b;

	bed_init(&b);
	b.cfg.max_per_host = 10;
	bed_vm(&b, 0, 1, 4);
	bed_vm(&b, 0, 1, 4);
	bed_vm(&b, 0, 1, 4); /* pinned: stays, and says so */
	bed_vm(&b, 1, 2, 4);
	b.vms[2].pinned = TRUE;
	b.hosts[0].maintenance = TRUE;
	bed_settle(&b);
	/* No sustained window needed to drain. */
	CU_ASSERT_EQUAL_FATAL(bed_round(&b), 2);
	for (guint i = 0; i < 2; i++)
		CU_ASSERT_NOT_EQUAL(bed_move(&b, i)->target, 0);
	CU_ASSERT_EQUAL(bed_entry(&b, 0, 0).reason, SP_LC_DRAINED);
	CU_ASSERT_EQUAL(bed_entry(&b, 2, 0).reason, SP_LC_PINNED);
	bed_free(&b);

	/* A host in maintenance is never a target (its own VMs leave). */
	bed_init(&b);
	bed_hot(&b);
	b.hosts[1].maintenance = TRUE;
	for (guint r = 0; r < 3; r++) {
		bed_round(&b);
		for (guint i = 0; i < b.moves->len; i++)
			CU_ASSERT_NOT_EQUAL(bed_move(&b, i)->target, 1);
	}
	bed_free(&b);
}

static void
test_choice_target_busy_now_skipped(void)
{
	Bed b;

	/* Sorted by their slow averages host 1 (busy now) comes before host 2
	 * (40 %): host 1's refusal must not hide host 2. */
	bed_init(&b);
	b.n_hosts = 3;
	bed_vm(&b, 0, 1.5, 4);
	bed_vm(&b, 0, 8.0, 4);
	bed_vm(&b, 1, 2.0, 4);
	bed_vm(&b, 2, 4.0, 4);
	bed_settle(&b);
	bed_round(&b);
	bed_round(&b);
	b.vms[2].cpu = 7.0;
	bed_settle(&b);
	CU_ASSERT_EQUAL_FATAL(bed_round(&b), 1);
	CU_ASSERT_EQUAL(bed_move(&b, 0)->vm, 0u);
	CU_ASSERT_EQUAL(bed_move(&b, 0)->target, 2u);
	bed_free(&b);
}

static void
test_journal_limit_reason(void)
{
	Bed b;
	guint limited = 0;

	/* One move allowed, more needed: the VMs left say why. */
	bed_init(&b);
	bed_hot(&b);
	b.vms[0].cpu = 4;
	bed_settle(&b);
	b.cfg.max_per_host = 1;
	bed_round(&b);
	bed_round(&b);
	CU_ASSERT_EQUAL_FATAL(bed_round(&b), 1);
	for (guint v = 0; v < 4; v++) {
		SpLcReason r = bed_entry(&b, (gint) v, 0).reason;

		if (v == bed_move(&b, 0)->vm)
			continue;
		CU_ASSERT_NOT_EQUAL(r, SP_LC_NOT_NEEDED);
		limited += r == SP_LC_HOST_LIMIT;
	}
	CU_ASSERT(limited >= 1);
	bed_free(&b);
}

static void
test_guard_cooldown_after_outside_move(void)
{
	Bed b;

	/* An operator moves VM 0 onto host 1 and overloads it: the VM's own
	 * cooldown holds it there, as after a move of ours. */
	bed_init(&b);
	b.n_hosts = 3;
	bed_vm(&b, 0, 5.0, 4);
	bed_vm(&b, 1, 4.5, 4);
	bed_vm(&b, 2, 1.0, 4);
	b.vms[1].pinned = TRUE;
	bed_settle(&b);
	bed_round(&b);
	b.vms[0].host = 1;
	bed_settle(&b);
	for (guint i = 0; i < 5; i++)
		CU_ASSERT_EQUAL(bed_round(&b), 0);
	CU_ASSERT_EQUAL(bed_entry(&b, 0, 1).reason, SP_LC_VM_COOLDOWN);
	bed_free(&b);
}

/* A host the caller cannot see is neither a target nor a source, and a
 * silent round does not reset the windows of one that is hot. */
static void
test_offline_host(void)
{
	Bed b;

	bed_init(&b);
	bed_hot(&b);
	b.hosts[1].offline = TRUE;
	bed_round(&b);
	bed_round(&b);
	b.hosts[0].offline = TRUE;
	CU_ASSERT_EQUAL(bed_round(&b), 0);
	b.hosts[0].offline = FALSE;
	CU_ASSERT_EQUAL_FATAL(bed_round(&b), 1);
	CU_ASSERT_EQUAL(bed_move(&b, 0)->vm, 1);
	CU_ASSERT_EQUAL(bed_move(&b, 0)->target, 2);
	bed_free(&b);

	bed_init(&b);
	bed_hot(&b);
	b.hosts[0].offline = TRUE;
	for (guint i = 0; i < 5; i++)
		CU_ASSERT_EQUAL(bed_round(&b), 0);
	bed_free(&b);
}

/* An absent VM is left out and keeps its history; where it comes back is
 * a move only if it was seen somewhere before. */
static void
test_absent_vm(void)
{
	Bed b;
	guint n;

	bed_init(&b);
	bed_hot(&b);
	b.vms[0].absent = TRUE;
	b.vms[0].host = 99; /* not looked at */
	bed_round(&b);
	bed_round(&b);
	CU_ASSERT_EQUAL_FATAL(bed_round(&b), 1);
	CU_ASSERT_EQUAL(bed_move(&b, 0)->vm, 1);
	(void) sp_lc_core_journal(b.core, &n);
	CU_ASSERT(n > 0);
	CU_ASSERT_EQUAL(bed_entry(&b, 0, 0).reason, SP_LC_REASON_LAST);
	bed_free(&b);

	/* First seen absent, then on host 0: no move, so no cooldown. */
	bed_init(&b);
	bed_hot(&b);
	b.vms[1].absent = TRUE;
	b.vms[1].host = 3;
	bed_round(&b);
	b.vms[1].absent = FALSE;
	b.vms[1].host = 0;
	bed_round(&b);
	CU_ASSERT_EQUAL_FATAL(bed_round(&b), 1);
	CU_ASSERT_EQUAL(bed_move(&b, 0)->vm, 1);
	bed_free(&b);
}

/* A move from before a restart holds the VM (cooldown), until forgotten. */
static void
test_note_move(void)
{
	Bed b;

	bed_init(&b);
	bed_hot(&b);
	b.core = sp_lc_core_new(&b.cfg);
	sp_lc_core_note_move(b.core, 1, 2, 0, -1);
	bed_round(&b);
	bed_round(&b);
	CU_ASSERT_EQUAL_FATAL(bed_round(&b), 1);
	CU_ASSERT_NOT_EQUAL(bed_move(&b, 0)->vm, 1);
	CU_ASSERT_EQUAL(bed_entry(&b, 1, 0).reason, SP_LC_VM_COOLDOWN);
	bed_free(&b);

	bed_init(&b);
	bed_hot(&b);
	b.core = sp_lc_core_new(&b.cfg);
	sp_lc_core_note_move(b.core, 1, 2, 0, -1);
	sp_lc_core_vm_forget(b.core, 1);
	bed_round(&b);
	bed_round(&b);
	CU_ASSERT_EQUAL_FATAL(bed_round(&b), 1);
	CU_ASSERT_EQUAL(bed_move(&b, 0)->vm, 1);
	bed_free(&b);
}

static void
test_set_config(void)
{
	Bed b;

	bed_init(&b);
	bed_hot(&b);
	bed_round(&b);
	bed_round(&b);
	b.cfg.high_window = 5;
	sp_lc_core_set_config(b.core, &b.cfg);
	CU_ASSERT_EQUAL(bed_round(&b), 0);
	CU_ASSERT_EQUAL(bed_round(&b), 0);
	CU_ASSERT_EQUAL(bed_round(&b), 1);
	bed_free(&b);
}

/* Advice leaves no trace: the same move is advised round after round. */
static void
test_advise(void)
{
	Bed b;

	bed_init(&b);
	bed_hot(&b);
	b.core = sp_lc_core_new(&b.cfg);
	sp_lc_core_set_advise(b.core, TRUE);
	bed_round(&b);
	bed_round(&b);
	CU_ASSERT_EQUAL_FATAL(bed_round(&b), 1);
	CU_ASSERT_EQUAL(bed_move(&b, 0)->vm, 1);
	CU_ASSERT_EQUAL_FATAL(bed_round(&b), 1);
	CU_ASSERT_EQUAL(bed_move(&b, 0)->vm, 1);
	CU_ASSERT_EQUAL(bed_move(&b, 0)->target, 1);
	/* Enforced, the move is taken as done: no second one. */
	sp_lc_core_set_advise(b.core, FALSE);
	CU_ASSERT_EQUAL_FATAL(bed_round(&b), 1);
	b.vms[1].migrating = TRUE;
	CU_ASSERT_EQUAL(bed_round(&b), 0);
	bed_free(&b);
}

/* A move that did not happen (the VM stayed where it was) holds the VM
 * through its backoff, even for a drain; a move that did does not. */
static void
test_drain_failed_move(void)
{
	Bed b;

	bed_init(&b);
	bed_vm(&b, 0, 1, 4);
	bed_vm(&b, 0, 1, 4);
	bed_settle(&b);
	b.core = sp_lc_core_new(&b.cfg);
	/* VM 0 failed to leave host 0 (it is back where it was); VM 1 came
	 * from host 2 a minute ago. */
	sp_lc_core_note_move(b.core, 0, 0, 0, -1);
	sp_lc_core_note_move(b.core, 1, 2, 0, -1);
	b.hosts[0].maintenance = TRUE;
	CU_ASSERT_EQUAL_FATAL(bed_round(&b), 1);
	CU_ASSERT_EQUAL(bed_move(&b, 0)->vm, 1);
	CU_ASSERT_EQUAL(bed_entry(&b, 0, 0).reason, SP_LC_VM_COOLDOWN);
	bed_free(&b);
}

/* Maintenance may send a VM back where it came from: the return block
 * is against ping-pong, and a drain is no balancing. */
static void
test_drain_may_return(void)
{
	Bed b;

	bed_init(&b);
	b.n_hosts = 2;
	bed_vm(&b, 0, 1, 4);
	bed_settle(&b);
	b.core = sp_lc_core_new(&b.cfg);
	sp_lc_core_note_move(b.core, 0, 1, 0, -70);
	b.hosts[0].maintenance = TRUE;
	CU_ASSERT_EQUAL_FATAL(bed_round(&b), 1);
	CU_ASSERT_EQUAL(bed_move(&b, 0)->target, 1);
	bed_free(&b);
}

static void
test_journal_names(void)
{
	SpLcJournalEntry moved = {.vm = 12,
				  .host = 3,
				  .target = 7,
				  .reason = SP_LC_MOVED,
				  .before = 0.97,
				  .after = 0.81};
	SpLcJournalEntry hot = {.vm = -1, .host = 3, .target = -1, .reason = SP_LC_NO_CANDIDATES};
	g_autofree char *a = sp_lc_journal_format_names(&moved, "web1", "kvm3", "kvm7", NULL);
	g_autofree char *b = sp_lc_journal_format_names(&hot, NULL, "kvm3", NULL, NULL);

	CU_ASSERT_STRING_EQUAL(
		a,
		"vm 'web1' on host 'kvm3': moved to host 'kvm7', host 'kvm3' expected load 97% -> 81%");
	CU_ASSERT_STRING_EQUAL(
		b, "host 'kvm3': overloaded (expected 0%) but no host is a target candidate");
}

static void
test_journal_words(void)
{
	SpLcJournalEntry moved = {.vm = 12,
				  .host = 3,
				  .target = 7,
				  .reason = SP_LC_MOVED,
				  .before = 0.97,
				  .after = 0.81};
	SpLcJournalEntry refused = {.vm = 5,
				    .host = 3,
				    .target = -1,
				    .reason = SP_LC_NO_TARGET,
				    .refusal = SP_LC_REFUSE_AFFINITY};
	g_autofree char *a = sp_lc_journal_format(&moved);
	g_autofree char *b = sp_lc_journal_format(&refused);

	CU_ASSERT_STRING_EQUAL(
		a, "vm 12 on host 3: moved to host 7, host 3 expected load 97% -> 81%.");
	CU_ASSERT_STRING_EQUAL(b, "vm 5 on host 3: not moved, no target (anti-affinity).");
	for (guint r = 0; r < SP_LC_REASON_LAST; r++)
		CU_ASSERT_STRING_NOT_EQUAL(sp_lc_reason_name(r), "unknown");
	CU_ASSERT_STRING_EQUAL(sp_lc_reason_name(SP_LC_REASON_LAST), "unknown");
}

static void
test_bad_input(void)
{
	Bed b;

	bed_init(&b);
	bed_vm(&b, 9, 1, 4);
	b.core = sp_lc_core_new(&b.cfg);
	CU_ASSERT_EQUAL(sp_lc_core_round(b.core, 0, b.hosts, b.n_hosts, b.vms, b.n_vms, b.moves),
			-1);
	CU_ASSERT_PTR_NOT_NULL(strstr(sp_error_message(), "host 9"));
	sp_error_clear();
	bed_free(&b);
}

static void
test_precopy(void)
{
	double secs;
	/* 8 GB at 1 GB/s dirtying 0.235 GB/s: 8 + 1.88 + 0.4418 + 0.10382 */
	double gb = sp_lc_precopy(8, 0.235, 1, 0.3, &secs);

	CU_ASSERT_DOUBLE_EQUAL(gb, 8 + 1.88 + 0.4418 + 0.103823, 1e-4);
	CU_ASSERT_DOUBLE_EQUAL(secs, gb, 1e-9);
	/* A guest dirtying faster than the link: bounded, not endless. */
	gb = sp_lc_precopy(4, 2, 1, 0.3, &secs);
	CU_ASSERT(gb <= 8 + 1e-9);
}

SP_TEST_MAIN("lc-core", SP_TEST(test_detection_sustained), SP_TEST(test_detection_spike),
	     SP_TEST(test_detection_target_window), SP_TEST(test_choice_right_size),
	     SP_TEST(test_choice_target_not_pushed_over),
	     SP_TEST(test_choice_target_busy_now_skipped), SP_TEST(test_choice_cost),
	     SP_TEST(test_choice_spread), SP_TEST(test_choice_risk), SP_TEST(test_choice_transient),
	     SP_TEST(test_guard_pinned), SP_TEST(test_guard_migrating),
	     SP_TEST(test_guard_host_cooldown), SP_TEST(test_guard_host_limit),
	     SP_TEST(test_guard_cluster_limit), SP_TEST(test_guard_anti_affinity),
	     SP_TEST(test_guard_anti_affinity_arriving), SP_TEST(test_guard_memory),
	     SP_TEST(test_guard_vm_cooldown_backoff), SP_TEST(test_guard_no_return),
	     SP_TEST(test_guard_maintenance), SP_TEST(test_journal_words),
	     SP_TEST(test_journal_limit_reason), SP_TEST(test_guard_cooldown_after_outside_move),
	     SP_TEST(test_bad_input), SP_TEST(test_precopy), SP_TEST(test_offline_host),
	     SP_TEST(test_absent_vm), SP_TEST(test_note_move), SP_TEST(test_set_config),
	     SP_TEST(test_journal_names), SP_TEST(test_advise), SP_TEST(test_drain_failed_move),
	     SP_TEST(test_drain_may_return))
