/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lc-core's detection and choice: when a host becomes a source or a
 * target, and which of its VMs goes where. */
#include "config.h"

#include "lc-bed.h"
#include "sp-test.h"

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

SP_TEST_MAIN("lc-choice", SP_TEST(test_detection_sustained), SP_TEST(test_detection_spike),
	     SP_TEST(test_detection_target_window), SP_TEST(test_choice_right_size),
	     SP_TEST(test_choice_target_not_pushed_over),
	     SP_TEST(test_choice_target_busy_now_skipped), SP_TEST(test_choice_cost),
	     SP_TEST(test_choice_spread), SP_TEST(test_choice_risk), SP_TEST(test_choice_transient))
