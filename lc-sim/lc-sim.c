/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lc-sim: replay a load trace on a simulated cluster under each policy and
 * compare them.  main() only parses arguments; the work is in liblcsim. */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "sp-error.h"
#include "sp-log.h"

static char *opt_trace = NULL;
static char *opt_traces = NULL;
static gint opt_hosts = 32;
static gint opt_vms = 30;
static gdouble opt_load = 60;
static gint opt_days = 1;
static char *opt_policy = NULL;
static char *opt_json = NULL;
static char *opt_svg = NULL;
static gboolean opt_quiet = FALSE;

static const GOptionEntry entries[] =
	{{"trace", 't', 0, G_OPTION_ARG_STRING, &opt_trace,
	  "planetlab:FILE (a .csv path or a day such as 20110303) or synthetic:SEED", "TRACE"},
	 {"traces", 0, 0, G_OPTION_ARG_FILENAME, &opt_traces,
	  "where days are found: DIR/planetlab/DAY.csv (" SP_TRACES_DIR ")", "DIR"},
	 {"hosts", 'n', 0, G_OPTION_ARG_INT, &opt_hosts, "number of hosts (32)", "N"},
	 {"vms-per-host", 'm', 0, G_OPTION_ARG_INT, &opt_vms, "VMs per host (30)", "M"},
	 {"mean-load", 'l', 0, G_OPTION_ARG_DOUBLE, &opt_load,
	  "mean CPU load in % of capacity (60)", "PCT"},
	 {"days", 'd', 0, G_OPTION_ARG_INT, &opt_days, "days to replay (1)", "D"},
	 {"policy", 'p', 0, G_OPTION_ARG_STRING, &opt_policy,
	  "comma-separated policies or 'all' (sparrow,none,greedy,sandpiper,watcher,ovirt,proxmox)",
	  "NAME,..."},
	 {"json", 'j', 0, G_OPTION_ARG_FILENAME, &opt_json,
	  "write the results as JSON ('-': stdout)", "FILE"},
	 {"svg", 's', 0, G_OPTION_ARG_FILENAME, &opt_svg, "write a chart of host loads over time",
	  "FILE"},
	 {"quiet", 'q', 0, G_OPTION_ARG_NONE, &opt_quiet, "no table on stdout", NULL},
	 {NULL}};

static GPtrArray *
policies_parse(const char *spec)
{
	g_autoptr(GPtrArray) out = g_ptr_array_new();
	g_auto(GStrv) names = NULL;

	if (!spec || strcmp(spec, "all") == 0) {
		for (guint i = 0; sim_policies[i]; i++)
			g_ptr_array_add(out, (gpointer) sim_policies[i]);
		return g_steal_pointer(&out);
	}
	names = g_strsplit(spec, ",", -1);
	for (char **n = names; *n; n++) {
		const SimPolicy *p = sim_policy_find(g_strstrip(*n));

		if (!p) {
			sp_error("unknown policy '%s'", *n);
			return NULL;
		}
		g_ptr_array_add(out, (gpointer) p);
	}
	return g_steal_pointer(&out);
}

static SimTrace *
trace_open(const char *spec, const char *traces, guint days, guint n_vms, guint64 *seed)
{
	guint64 s;
	char *end = NULL;

	if (!spec)
		spec = "synthetic:1";
	if (g_str_has_prefix(spec, "planetlab:")) {
		*seed = 1;
		return sim_trace_planetlab(traces, spec + strlen("planetlab:"), days);
	}
	if (g_str_has_prefix(spec, "synthetic:")) {
		s = g_ascii_strtoull(spec + strlen("synthetic:"), &end, 10);
		if (end && *end == '\0' && end != spec + strlen("synthetic:")) {
			*seed = s;
			/* Up to 1,500 distinct series like a PlanetLab day; more
			 * VMs reuse them rotated, as the replay does. */
			return sim_trace_synthetic(s, MIN(n_vms, 1500), days);
		}
	}
	sp_error("trace '%s' is neither planetlab:FILE nor synthetic:SEED", spec);
	return NULL;
}

/* The limits keep a run within memory (10 million VMs) and the trace
 * arithmetic within its types. */
static int
options_check(int argc, char **argv)
{
	if (argc > 1) {
		sp_error("unexpected argument '%s' (see --help)", argv[1]);
		return -1;
	}
	if (opt_hosts < 1) {
		sp_error("--hosts '%d' is not at least 1", opt_hosts);
		return -1;
	}
	if (opt_vms < 1) {
		sp_error("--vms-per-host '%d' is not at least 1", opt_vms);
		return -1;
	}
	if ((gint64) opt_hosts * opt_vms > 10000000) {
		sp_error("%d hosts x %d VMs per host are more than 10000000 VMs", opt_hosts,
			 opt_vms);
		return -1;
	}
	if (opt_days < 1 || opt_days > 30) {
		sp_error("--days '%d' is not between 1 and 30", opt_days);
		return -1;
	}
	if (opt_load <= 0 || opt_load > 200) {
		sp_error("--mean-load '%g' is not above 0 and at most 200", opt_load);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	g_autoptr(GOptionContext) ctx =
		g_option_context_new("- compare Load Control policies on a trace");
	g_autoptr(GPtrArray) policies = NULL;
	g_autoptr(SimTrace) trace = NULL;
	g_autoptr(SimCluster) cluster = NULL;
	g_autoptr(GPtrArray) results =
		g_ptr_array_new_with_free_func((GDestroyNotify) sim_result_free);
	SimOptions opts;
	guint64 seed = 1;

	setlocale(LC_ALL, "");
	/* Numbers for programs: SVG coordinates, the table that tools/bench
	 * reads. A decimal comma would break both. */
	setlocale(LC_NUMERIC, "C");
	sp_log_init("lc-sim", SP_LOG_STDERR, SP_LOG_WARN);
	g_option_context_add_main_entries(ctx, entries, NULL);
	if (sp_options_parse(ctx, &argc, &argv) < 0) {
		sp_log_last_error("lcsim.usage");
		return 2;
	}
	if (options_check(argc, argv) < 0) {
		sp_log_last_error("lcsim.usage");
		return 2;
	}
	policies = policies_parse(opt_policy);
	if (!policies) {
		sp_log_last_error("lcsim.usage");
		return 2;
	}
	trace = trace_open(opt_trace, opt_traces ? opt_traces : SP_TRACES_DIR, (guint) opt_days,
			   (guint) (opt_hosts * opt_vms), &seed);
	if (!trace) {
		sp_log_last_error("lcsim.trace");
		return 1;
	}
	cluster = sim_cluster_new(trace, (guint) opt_hosts, (guint) opt_vms, opt_load / 100, seed);
	sim_options_init(&opts);
	opts.chart = opt_svg != NULL;
	for (guint i = 0; i < policies->len; i++)
		g_ptr_array_add(results, sim_run(cluster, policies->pdata[i], &opts, seed));
	/* JSON on stdout is for a program: no table in front of it. */
	if (!opt_quiet && !(opt_json && strcmp(opt_json, "-") == 0))
		sim_report_table(stdout, cluster, (SimResult *const *) results->pdata,
				 results->len);
	if (opt_json && sim_report_json(opt_json, cluster, (SimResult *const *) results->pdata,
					results->len) < 0) {
		sp_log_last_error("lcsim.json");
		return 1;
	}
	if (opt_svg && sim_report_svg(opt_svg, cluster, (SimResult *const *) results->pdata,
				      results->len) < 0) {
		sp_log_last_error("lcsim.svg");
		return 1;
	}
	g_free(opt_trace);
	g_free(opt_traces);
	g_free(opt_policy);
	g_free(opt_json);
	g_free(opt_svg);
	return 0;
}
