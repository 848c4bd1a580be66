/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lc-core's edges: the journal and its words, bad input to a round, the
 * pre-copy cost model, the per-host VM index. */
#include "config.h"

#include <string.h>

#include "lc-bed.h"
#include "lc-index.h"
#include "sp-error.h"
#include "sp-test.h"

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
		a, "vm '12' on host '3': moved to host '7', host '3' expected load 97% -> 81%");
	CU_ASSERT_STRING_EQUAL(b, "vm '5' on host '3': not moved, no target (anti-affinity)");
	for (guint r = 0; r < SP_LC_REASON_LAST; r++)
		CU_ASSERT_STRING_NOT_EQUAL(sp_lc_reason_name(r), "unknown");
	CU_ASSERT_STRING_EQUAL(sp_lc_reason_name(SP_LC_REASON_LAST), "unknown");
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
test_bad_input(void)
{
	Bed b;

	bed_init(&b);
	bed_vm(&b, 9, 1, 4);
	b.core = sp_lc_core_new(&b.cfg);
	CU_ASSERT_EQUAL(sp_lc_core_round(b.core, 0, b.hosts, b.n_hosts, b.vms, b.n_vms, b.moves),
			-1);
	CU_ASSERT_PTR_NOT_NULL(strstr(sp_error_message(), "host '9'"));
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

/* The per-host index over any record with a host field: VMs grouped by
 * host in ascending order, hosts without VMs empty, out-of-range hosts left
 * out; a rebuild replaces the old one. */
static void
test_host_index(void)
{
	typedef struct {
		double pad;
		guint host;
	} Rec;
	static const Rec recs[] = {{0, 2}, {0, 0}, {0, 7}, {0, 2}, {0, 0}};
	static const guint first[] = {0, 2, 2, 4};
	static const guint vms[] = {1, 4, 0, 3};
	g_auto(SpLcHostIndex) idx = {NULL, NULL};

	sp_lc_host_index_build(&idx, 3, recs, G_N_ELEMENTS(recs), sizeof(Rec),
			       G_STRUCT_OFFSET(Rec, host));
	CU_ASSERT_EQUAL(memcmp(idx.first, first, sizeof(first)), 0);
	CU_ASSERT_EQUAL(memcmp(idx.vms, vms, sizeof(vms)), 0);
	sp_lc_host_index_build(&idx, 1, recs, 0, sizeof(Rec), G_STRUCT_OFFSET(Rec, host));
	CU_ASSERT_EQUAL(idx.first[0], 0);
	CU_ASSERT_EQUAL(idx.first[1], 0);
}

/* What the daemon needs of the core (lc-migrated): hosts it cannot see,
 * VMs that run nowhere, moves from before a restart, reloads, advice. */

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

/* A VM on no host is left out and keeps its history; where it comes back
 * is a move only if it was seen somewhere before. */
static void
test_vm_on_no_host(void)
{
	Bed b;
	guint n;

	bed_init(&b);
	bed_hot(&b);
	b.vms[0].host = SP_LC_NO_HOST;
	bed_round(&b);
	bed_round(&b);
	CU_ASSERT_EQUAL_FATAL(bed_round(&b), 1);
	CU_ASSERT_EQUAL(bed_move(&b, 0)->vm, 1);
	(void) sp_lc_core_journal(b.core, &n);
	CU_ASSERT(n > 0);
	CU_ASSERT_EQUAL(bed_entry(&b, 0, 0).reason, SP_LC_REASON_LAST);
	bed_free(&b);

	/* First seen nowhere, then on host 0: no move, so no cooldown. */
	bed_init(&b);
	bed_hot(&b);
	b.vms[1].host = SP_LC_NO_HOST;
	bed_round(&b);
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

static void
test_journal_names(void)
{
	SpLcJournalEntry moved = {.vm = 12,
				  .host = 3,
				  .target = 7,
				  .reason = SP_LC_MOVED,
				  .before = 0.97,
				  .after = 0.81};
	SpLcJournalEntry cool = {.vm = 12, .host = 3, .target = -1, .reason = SP_LC_VM_COOLDOWN};
	g_autofree char *a = sp_lc_journal_format_names(&moved, "web1", "kvm3", "kvm7", NULL);
	g_autofree char *b = sp_lc_journal_format_names(&cool, "web1", "kvm3", NULL, "12:05:00");

	CU_ASSERT_STRING_EQUAL(
		a,
		"vm 'web1' on host 'kvm3': moved to host 'kvm7', host 'kvm3' expected load 97% -> 81%");
	CU_ASSERT_STRING_EQUAL(b,
			       "vm 'web1' on host 'kvm3': not moved, cooling down until 12:05:00");
}

SP_TEST_MAIN("lc-core", SP_TEST(test_offline_host), SP_TEST(test_vm_on_no_host),
	     SP_TEST(test_note_move), SP_TEST(test_set_config), SP_TEST(test_advise),
	     SP_TEST(test_journal_names), SP_TEST(test_journal_words),
	     SP_TEST(test_journal_limit_reason), SP_TEST(test_bad_input), SP_TEST(test_precopy),
	     SP_TEST(test_host_index))
