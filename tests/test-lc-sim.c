/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lc-sim: the load average against the kernel's, PlanetLab trace parsing and
 * its errors (tests/lcdata/), the generator's statistics, the simulator's
 * accounting on a scripted policy, cluster sizing. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "sim.h"
#include "sp-error.h"
#include "sp-test.h"

static void
test_loadavg_closed_form(void)
{
	/* 12 ticks of 5 s with constant n equal the closed form. */
	double cases[][2] = {{0, 3}, {5, 0}, {2.5, 2.5}, {10, 4}};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		double l = cases[i][0];

		for (guint t = 0; t < 12; t++)
			l = sim_loadavg_tick(l, cases[i][1]);
		CU_ASSERT_DOUBLE_EQUAL(sim_loadavg_minute(cases[i][0], cases[i][1]), l, 1e-12);
	}
	/* One minute from idle to 1 runnable task: 1 - (1884/2048)^12 = 0.632,
	 * the kernel's 1 - 1/e. */
	CU_ASSERT_DOUBLE_EQUAL(sim_loadavg_minute(0, 1), 0.6323, 1e-3);
}

static void
test_loadavg_kernel_fixed_point(void)
{
	/* The kernel's integer recurrence (FSHIFT 11, rounding as in
	 * calc_load) stays within 1 % of ours over an hour of changes. */
	unsigned long fixed = 0;
	double ours = 0;

	for (guint m = 0; m < 60; m++) {
		unsigned long active = (m / 7) % 5;

		for (guint t = 0; t < 12; t++) {
			unsigned long newload = fixed * 1884 + (active << 11) * (2048 - 1884);

			if (active << 11 >= fixed)
				newload += 2048 - 1;
			fixed = newload / 2048;
		}
		ours = sim_loadavg_minute(ours, (double) active);
		CU_ASSERT_DOUBLE_EQUAL(fixed / 2048.0, ours, 0.01 * MAX(ours, 1));
	}
}

static void
test_trace_parse(void)
{
	g_autofree char *text = sp_test_read("lcdata/small.csv");
	g_autoptr(SimTrace) t = sim_trace_planetlab_parse(text, "small.csv");

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(t->n_rows, 3);
	CU_ASSERT_EQUAL(t->n_samples, 4);
	CU_ASSERT_EQUAL(t->util[0 * 4 + 3], 40);
	CU_ASSERT_EQUAL(t->util[1 * 4 + 2], 100);
	CU_ASSERT_EQUAL(t->util[2 * 4 + 0], 7);
}

static void
test_trace_parse_errors(void)
{
	static const char *const cases[][2] = {
		{"lcdata/ragged.csv", "ragged.csv:2: 3 samples, the first line had 4"},
		{"lcdata/notnum.csv", "notnum.csv:1: sample 3 'x' is not a percentage 0-100"},
		{"lcdata/over100.csv", "over100.csv:1: sample 3 '130' is not a percentage 0-100"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *text = sp_test_read(cases[i][0]);
		g_autoptr(SimTrace) t =
			sim_trace_planetlab_parse(text, strchr(cases[i][0], '/') + 1);

		CU_ASSERT_PTR_NULL(t);
		CU_ASSERT_STRING_EQUAL(sp_error_message(), cases[i][1]);
		sp_error_clear();
	}
}

static void
test_trace_days(void)
{
	/* Two days: the following file in name order is appended. */
	g_autofree char *dir = sp_test_path("lcdata");
	g_autofree char *path = g_build_filename(dir, "notnum.csv", NULL);
	g_autofree char *small = g_build_filename(dir, "small.csv", NULL);
	g_autoptr(SimTrace) one = sim_trace_planetlab(dir, small, 1);
	g_autoptr(SimTrace) two = sim_trace_planetlab(dir, path, 1);

	CU_ASSERT_PTR_NOT_NULL(one);
	CU_ASSERT_PTR_NULL(two);
	sp_error_clear();
	{
		g_autoptr(SimTrace) missing = sim_trace_planetlab(dir, "19990101", 1);

		CU_ASSERT_PTR_NULL(missing);
		CU_ASSERT_PTR_NOT_NULL(strstr(sp_error_message(), "19990101"));
		sp_error_clear();
	}
}

/* More days than one: the day files after the first in name order, wrapping
 * around, hidden files and other suffixes left out; rows every day has. */
static void
test_trace_more_days(void)
{
	g_autofree char *dir = sp_test_tmpdir();
	static const char *const files[][2] = {
		{"20110301.csv", "a,1,2\nb,3,4\nc,5,6\n"},
		{"20110302.csv", "a,7,8\nb,9,10\n"},
		{"20110303.csv", "a,11,12\nb,13,14\nc,15,16\n"},
		{".20110302.csv", "a,99,99\nb,99,99\n"},
		{"20110302.csv~", "a,98,98\nb,98,98\n"},
	};
	g_autofree char *last = g_build_filename(dir, "20110303.csv", NULL);
	static const guint8 want[] = {11, 12, 1, 2, 7, 8, 13, 14, 3, 4, 9, 10};

	for (guint i = 0; i < G_N_ELEMENTS(files); i++) {
		g_autofree char *path = g_build_filename(dir, files[i][0], NULL);

		CU_ASSERT_TRUE_FATAL(g_file_set_contents(path, files[i][1], -1, NULL));
	}
	{
		g_autoptr(SimTrace) t = sim_trace_planetlab(dir, last, 3);

		CU_ASSERT_PTR_NOT_NULL_FATAL(t);
		CU_ASSERT_STRING_EQUAL(t->name, "planetlab:20110303");
		CU_ASSERT_EQUAL(t->n_rows, 2);
		CU_ASSERT_EQUAL_FATAL(t->n_samples, 6);
		CU_ASSERT_EQUAL(memcmp(t->util, want, sizeof(want)), 0);
	}
	sp_test_rmtree(dir);
}

static void
test_synthetic_statistics(void)
{
	g_autoptr(SimTrace) a = sim_trace_synthetic(3, 400, 1);
	g_autoptr(SimTrace) b = sim_trace_synthetic(3, 400, 1);
	gsize n = (gsize) a->n_rows * a->n_samples, zeros = 0;
	double sum = 0;
	g_autofree double *v = g_new(double, n);

	/* Seeded: the same seed gives the same trace. */
	CU_ASSERT_EQUAL(memcmp(a->util, b->util, n), 0);
	for (gsize i = 0; i < n; i++) {
		v[i] = a->util[i];
		sum += v[i];
		zeros += a->util[i] == 0;
	}
	/* Near the PlanetLab figures it is fitted to (mean 11, median 5,
	 * p95 43, 16 % zeros), with room for the bursts and daily cycle. */
	CU_ASSERT(sum / n > 6 && sum / n < 16);
	CU_ASSERT(sim_percentile(v, (guint) n, 50) >= 2 && sim_percentile(v, (guint) n, 50) <= 10);
	CU_ASSERT(sim_percentile(v, (guint) n, 95) >= 20 && sim_percentile(v, (guint) n, 95) <= 60);
	CU_ASSERT((double) zeros / n > 0.12 && (double) zeros / n < 0.25);
}

/* A scripted policy: at minute 1, VM 0 goes to host 1. */
static gpointer
script_create(const SimView *view, guint64 seed)
{
	return NULL;
}

static void
script_decide(gpointer state, const SimView *view, GArray *moves)
{
	SpLcMove m = {0, 0, 1, 0};

	if (view->minute == 1)
		g_array_append_val(moves, m);
}

static void
script_destroy(gpointer state)
{
}

static const SimPolicy script = {"script", "test", script_create, script_decide, script_destroy};

/* Two hosts of 4 cores, 10 minutes (two 5-minute samples):
 *   VM 0: 6 vCPUs at 75 % = 4.5 cores, 8 GB, on host 0
 *   VM 1: 2 vCPUs at 25 % = 0.5 cores, on host 1
 *   VM 2: 1 vCPU at 30 % = 0.3 cores, on host 0
 * Host 0 carries 4.8 cores at minutes 0 and 1 (overloaded, 0.8 unmet);
 * VM 0 starts moving at the end of minute 1 and lands at minute 2; host 1
 * then carries 5.0 cores at minutes 2..9 (overloaded, 1.0 unmet), a
 * cascade.  The copy: 8 GB at 1 GB/s with 0.01 + 0.05 x 4.5 = 0.235 GB/s
 * dirtied: 8 + 1.88 + 0.4418 + 0.103823 GB, as many seconds, during which
 * the VM loses 10 % of 4.5 cores. */
static void
test_sim_accounting(void)
{
	guint8 util[] = {75, 75, 25, 25, 30, 30};
	SimTrace trace = {(char *) "hand", 3, 2, util};
	SimVmSpec vms[] = {{6, 8, 0, 0}, {2, 4, 1, 0}, {1, 2, 2, 0}};
	guint placement[] = {0, 1, 0};
	SimCluster c = {.n_hosts = 2,
			.n_vms = 3,
			.cores = 4,
			.mem_gb = 64,
			.nic_gbps = 1,
			.scale = 1,
			.mean_load = 0,
			.minutes = 10,
			.vms = vms,
			.placement = placement,
			.trace = &trace};
	SimOptions o;
	g_autoptr(SimResult) none = NULL;
	g_autoptr(SimResult) r = NULL;
	double gb = 8 + 1.88 + 0.4418 + 0.103823;

	sim_options_init(&o);
	CU_ASSERT_DOUBLE_EQUAL(sim_vm_demand(&c, 0, 0), 4.5, 1e-9);

	none = sim_run(&c, &sim_policy_none, &o, 1);
	CU_ASSERT_DOUBLE_EQUAL(none->overload_host_minutes, 10, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(none->unmet_core_hours, 10 * 0.8 / 60, 1e-9);
	CU_ASSERT_EQUAL(none->episodes, 1);
	CU_ASSERT_DOUBLE_EQUAL(none->resolve_p50_min, 10, 1e-9);
	CU_ASSERT_EQUAL(none->migrations, 0);

	r = sim_run(&c, &script, &o, 1);
	CU_ASSERT_EQUAL(r->migrations, 1);
	CU_ASSERT_DOUBLE_EQUAL(r->gb_moved, gb, 1e-4);
	CU_ASSERT_DOUBLE_EQUAL(r->overload_host_minutes, 2 + 8, 1e-9);
	/* 0.5 (host 1 alone) and 0.3 (host 0 after) are not over 90 %. */
	CU_ASSERT_DOUBLE_EQUAL(r->overload90_host_minutes, 2 + 8, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(r->unmet_core_hours, (2 * 0.8 + 8 * 1.0 + 0.1 * 4.5 * gb / 60) / 60,
			       1e-6);
	CU_ASSERT_EQUAL(r->episodes, 2);
	CU_ASSERT_DOUBLE_EQUAL(r->cascade_rate, 1.0, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(r->pingpong_rate, 0, 1e-9);
	CU_ASSERT_EQUAL(g_array_index(r->migs, SimMigration, 0).start, 1);
	CU_ASSERT_EQUAL(g_array_index(r->migs, SimMigration, 0).end, 2);
}

static void
test_cluster_sizing(void)
{
	g_autoptr(SimTrace) t = sim_trace_synthetic(5, 120, 1);
	g_autoptr(SimCluster) c = sim_cluster_new(t, 4, 30, 0.6, 5);
	g_autofree double *mem = g_new0(double, c->n_hosts);
	g_autofree guint *count = g_new0(guint, c->n_hosts);

	CU_ASSERT_EQUAL(c->n_vms, 120);
	CU_ASSERT(fabs(c->mean_load - 0.6) < 0.03);
	for (guint i = 0; i < c->n_vms; i++) {
		mem[c->placement[i]] += c->vms[i].mem_gb;
		count[c->placement[i]]++;
	}
	for (guint h = 0; h < c->n_hosts; h++) {
		CU_ASSERT_EQUAL(count[h], 30);
		CU_ASSERT(mem[h] <= c->mem_gb);
	}
}

SP_TEST_MAIN("lc-sim", SP_TEST(test_loadavg_closed_form), SP_TEST(test_loadavg_kernel_fixed_point),
	     SP_TEST(test_trace_parse), SP_TEST(test_trace_parse_errors), SP_TEST(test_trace_days),
	     SP_TEST(test_trace_more_days), SP_TEST(test_synthetic_statistics),
	     SP_TEST(test_sim_accounting), SP_TEST(test_cluster_sizing))
