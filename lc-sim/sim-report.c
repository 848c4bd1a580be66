/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The comparison as a table for people and as JSON for scripts.  The JSON
 * keys are the issue's; numbers go through g_ascii_formatd so that a
 * locale never turns a decimal point into a comma. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>

#include "sim.h"
#include "sp-error.h"
#include "sp-json.h"

void
sim_report_table(FILE *out, const SimCluster *c, SimResult *const *r, guint n)
{
	fprintf(out, "# %s: %u hosts x %u VMs (%g cores, %g GB each), mean load %.1f %%, %u min\n",
		c->trace->name, c->n_hosts, c->n_vms / MAX(c->n_hosts, 1), c->cores, c->mem_gb,
		c->mean_load * 100, c->minutes);
	fprintf(out, "%-10s %9s %9s %9s %6s %8s %6s %6s %6s %6s %8s %8s %6s\n", "policy", "over100",
		"over90", "unmet_ch", "migr", "GB", "pp%", "casc%", "res50", "res95", "dec50ms",
		"dec99ms", "rssMB");
	for (guint i = 0; i < n; i++)
		fprintf(out,
			"%-10s %9.0f %9.0f %9.1f %6u %8.1f %6.2f %6.2f %6.0f %6.0f %8.3f %8.3f %6.1f\n",
			r[i]->policy, r[i]->overload_host_minutes, r[i]->overload90_host_minutes,
			r[i]->unmet_core_hours, r[i]->migrations, r[i]->gb_moved,
			r[i]->pingpong_rate * 100, r[i]->cascade_rate * 100, r[i]->resolve_p50_min,
			r[i]->resolve_p95_min, r[i]->decision_p50_ms, r[i]->decision_p99_ms,
			r[i]->peak_rss_mb);
}

static void
json_num(GString *s, const char *key, double v, gboolean comma)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];

	/* Counts print whole (Sandpiper moves near a million VMs a day: %g
	 * would round them); other figures keep 6 significant digits. */
	const char *fmt = (v == floor(v) && fabs(v) < 1e15) ? "%.0f" : "%.6g";

	g_string_append_printf(s, "\"%s\": %s%s", key, g_ascii_formatd(buf, sizeof(buf), fmt, v),
			       comma ? ", " : "");
}

static void
json_str(GString *s, const char *key, const char *v, gboolean comma)
{
	g_string_append_printf(s, "\"%s\": ", key);
	sp_json_append_string(s, v);
	if (comma)
		g_string_append(s, ", ");
}

int
sim_report_json(const char *path, const SimCluster *c, SimResult *const *r, guint n)
{
	g_autoptr(GString) s = g_string_new("{");
	g_autoptr(GError) err = NULL;

	json_str(s, "trace", c->trace->name, TRUE);
	json_num(s, "hosts", c->n_hosts, TRUE);
	json_num(s, "vms", c->n_vms, TRUE);
	json_num(s, "host_cores", c->cores, TRUE);
	json_num(s, "host_mem_gb", c->mem_gb, TRUE);
	json_num(s, "mean_load", c->mean_load * 100, TRUE);
	json_num(s, "minutes", c->minutes, TRUE);
	g_string_append(s, "\n\"policies\": [\n");
	for (guint i = 0; i < n; i++) {
		g_string_append(s, "  {");
		json_str(s, "policy", r[i]->policy, TRUE);
		json_num(s, "overload_host_minutes", r[i]->overload_host_minutes, TRUE);
		json_num(s, "overload90_host_minutes", r[i]->overload90_host_minutes, TRUE);
		json_num(s, "unmet_demand", r[i]->unmet_core_hours, TRUE);
		json_num(s, "migrations", r[i]->migrations, TRUE);
		json_num(s, "gb_moved", r[i]->gb_moved, TRUE);
		json_num(s, "pingpong_rate", r[i]->pingpong_rate, TRUE);
		json_num(s, "cascade_rate", r[i]->cascade_rate, TRUE);
		json_num(s, "resolve_p50_min", r[i]->resolve_p50_min, TRUE);
		json_num(s, "resolve_p95_min", r[i]->resolve_p95_min, TRUE);
		json_num(s, "decision_p50_ms", r[i]->decision_p50_ms, TRUE);
		json_num(s, "decision_p99_ms", r[i]->decision_p99_ms, TRUE);
		json_num(s, "peak_rss_mb", r[i]->peak_rss_mb, FALSE);
		g_string_append_printf(s, "}%s\n", i + 1 < n ? "," : "");
	}
	g_string_append(s, "]}\n");
	if (g_strcmp0(path, "-") == 0) {
		fputs(s->str, stdout);
		return 0;
	}
	if (!g_file_set_contents(path, s->str, (gssize) s->len, &err)) {
		sp_error("cannot write '%s': %s", path, err->message);
		return -1;
	}
	return 0;
}
