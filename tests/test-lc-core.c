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

SP_TEST_MAIN("lc-core", SP_TEST(test_journal_words), SP_TEST(test_journal_limit_reason),
	     SP_TEST(test_bad_input), SP_TEST(test_precopy), SP_TEST(test_host_index))
