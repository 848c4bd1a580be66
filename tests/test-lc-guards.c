/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lc-core's guards: what keeps a VM or a host from moving (pinned,
 * migrating, cooldowns, limits, anti-affinity, memory, return block,
 * maintenance). */
#include "config.h"

#include "lc-bed.h"
#include "sp-test.h"

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

/* A move that did not happen (the VM stayed where it was) holds the VM
 * through its backoff, even for a drain; a move that did does not. */
static void
test_guard_drain_failed_move(void)
{
	Bed b;

	bed_init(&b);
	bed_vm(&b, 0, 1, 4);
	bed_vm(&b, 0, 1, 4);
	bed_settle(&b);
	b.core = sp_lc_core_new(&b.cfg);
	/* VM 0 failed to leave host 0; VM 1 came from host 2 a minute ago. */
	sp_lc_core_note_move(b.core, 0, 0, 0, -1);
	sp_lc_core_note_move(b.core, 1, 2, 0, -1);
	b.hosts[0].maintenance = TRUE;
	CU_ASSERT_EQUAL_FATAL(bed_round(&b), 1);
	CU_ASSERT_EQUAL(bed_move(&b, 0)->vm, 1);
	CU_ASSERT_EQUAL(bed_entry(&b, 0, 0).reason, SP_LC_VM_COOLDOWN);
	bed_free(&b);
}

/* Maintenance may send a VM back where it came from: the return block is
 * against ping-pong, and a drain is no balancing. */
static void
test_guard_drain_may_return(void)
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

SP_TEST_MAIN("lc-guards", SP_TEST(test_guard_drain_failed_move),
	     SP_TEST(test_guard_drain_may_return), SP_TEST(test_guard_pinned),
	     SP_TEST(test_guard_migrating), SP_TEST(test_guard_host_cooldown),
	     SP_TEST(test_guard_host_limit), SP_TEST(test_guard_cluster_limit),
	     SP_TEST(test_guard_anti_affinity), SP_TEST(test_guard_anti_affinity_arriving),
	     SP_TEST(test_guard_memory), SP_TEST(test_guard_vm_cooldown_backoff),
	     SP_TEST(test_guard_no_return), SP_TEST(test_guard_cooldown_after_outside_move),
	     SP_TEST(test_guard_maintenance))
