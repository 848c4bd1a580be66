/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Traces: the PlanetLab replay and the seeded synthetic generator.
 *
 * Synthetic statistics (docs/LOAD-CONTROL.md has the measured figures): the
 * marginal distribution is fitted to the PlanetLab/CoMon statistics of
 * shared/traces/planetlab/README.md (mean 11 %, median 5 %, p95 43 %, 16 %
 * of samples idle), and the time structure follows what Cortez et al.
 * ("Resource Central", SOSP 2017) report for Azure VMs: most VMs use little
 * CPU on average with a heavy tail across VMs, and a large share of them
 * (the interactive ones) follow a daily cycle.  Per VM:
 *   level ~ lognormal(median 6 %, sigma 0.9), the VM's own mean;
 *   half the VMs diurnal: x (1 + A sin(2 pi t / 24 h + phase)),
 *     A ~ U(0.2, 0.8), phase = cluster phase + N(0, 1 h);
 *   per 5-minute sample: x lognormal(0, 0.5) noise (PlanetLab's white noise),
 *     idle (0 %) with probability 0.16;
 *   bursts: enter with p = 0.005 per sample, leave with p = 0.15 (mean
 *     35 minutes), x 3 while in a burst: the sustained overloads a balancer
 *     is for. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "sp-error.h"
#include "sp-file.h"

void
sim_trace_free(SimTrace *t)
{
	if (!t)
		return;
	g_free(t->name);
	g_free(t->util);
	g_free(t);
}

SimTrace *
sim_trace_planetlab_parse(const char *text, const char *name)
{
	g_autoptr(SimTrace) t = g_new0(SimTrace, 1);
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	g_autoptr(GByteArray) data = g_byte_array_new();
	guint lineno = 0;

	t->name = g_strdup(name);
	for (char **l = lines; *l; l++) {
		g_auto(GStrv) fields = NULL;
		guint n;

		lineno++;
		g_strstrip(*l);
		if (**l == '\0')
			continue;
		fields = g_strsplit(*l, ",", -1);
		n = g_strv_length(fields);
		if (n < 2) {
			sp_error("%s:%u: expected 'name,v1,...,vN'", name, lineno);
			return NULL;
		}
		if (t->n_samples == 0)
			t->n_samples = n - 1;
		if (n - 1 != t->n_samples) {
			sp_error("%s:%u: %u samples, the first line had %u", name, lineno, n - 1,
				 t->n_samples);
			return NULL;
		}
		for (guint i = 1; i < n; i++) {
			char *end = NULL;
			long v;

			errno = 0;
			v = strtol(fields[i], &end, 10);
			if (errno || end == fields[i] || *end != '\0' || v < 0 || v > 100) {
				sp_error("%s:%u: sample %u '%s' is not a percentage 0-100", name,
					 lineno, i, fields[i]);
				return NULL;
			}
			{
				guint8 b = (guint8) v;

				g_byte_array_append(data, &b, 1);
			}
		}
		t->n_rows++;
	}
	if (t->n_rows == 0) {
		sp_error("%s: no VM lines", name);
		return NULL;
	}
	t->util = g_byte_array_steal(data, NULL);
	return g_steal_pointer(&t);
}

char *
sim_trace_planetlab_path(const char *traces, const char *file)
{
	g_autofree char *path = NULL;

	if (strchr(file, '/') || g_str_has_suffix(file, ".csv"))
		return g_strdup(file);
	path = g_strdup_printf("%s/planetlab/%s.csv", traces, file);
	if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
		sp_error("no PlanetLab day '%s': '%s' does not exist (see --traces)", file, path);
		return NULL;
	}
	return g_steal_pointer(&path);
}

/* The day files after path in name order, wrapping around: its folder's
 * NAME.csv files as lib lists a folder (hidden ones left out: an editor's or
 * a copy's leftovers are no day). An unreadable folder gives path alone. */
static GPtrArray *
days_list(const char *path, guint days)
{
	g_autofree char *dir = g_path_get_dirname(path);
	g_autofree char *base = g_path_get_basename(path);
	g_autoptr(GPtrArray) all = NULL;
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	guint at = 0;

	g_ptr_array_add(out, g_strdup(path));
	if (days <= 1)
		return out;
	if (!(all = sp_file_list_dir(dir, ".csv"))) {
		sp_error_clear();
		return out;
	}
	for (guint i = 0; i < all->len; i++)
		if (strcmp(all->pdata[i], base) == 0)
			at = i;
	for (guint k = 1; k < days && all->len > 0; k++)
		g_ptr_array_add(out, g_build_filename(dir, (char *) all->pdata[(at + k) % all->len],
						      NULL));
	return out;
}

SimTrace *
sim_trace_planetlab(const char *traces, const char *file, guint days)
{
	g_autofree char *path = sim_trace_planetlab_path(traces, file);
	g_autoptr(GPtrArray) files = NULL;
	g_autoptr(GPtrArray) parts =
		g_ptr_array_new_with_free_func((GDestroyNotify) sim_trace_free);
	g_autoptr(SimTrace) t = g_new0(SimTrace, 1);
	g_autofree char *stem = NULL;
	guint rows = G_MAXUINT;

	if (!path)
		return NULL;
	files = days_list(path, MAX(days, 1));
	for (guint i = 0; i < files->len; i++) {
		g_autofree char *text = NULL;
		g_autoptr(GError) err = NULL;
		SimTrace *part;

		if (!g_file_get_contents(files->pdata[i], &text, NULL, &err)) {
			sp_error("cannot read trace '%s': %s", (char *) files->pdata[i],
				 err->message);
			return NULL;
		}
		part = sim_trace_planetlab_parse(text, files->pdata[i]);
		if (!part)
			return NULL;
		rows = MIN(rows, part->n_rows);
		g_ptr_array_add(parts, part);
	}
	/* Days differ in VM count: keep the rows every day has. */
	stem = g_path_get_basename(path);
	if (g_str_has_suffix(stem, ".csv"))
		stem[strlen(stem) - 4] = '\0';
	t->name = g_strdup_printf("planetlab:%s", stem);
	t->n_rows = rows;
	for (guint i = 0; i < parts->len; i++)
		t->n_samples += ((SimTrace *) parts->pdata[i])->n_samples;
	t->util = g_new(guint8, (gsize) rows * t->n_samples);
	for (guint r = 0; r < rows; r++) {
		guint at = 0;

		for (guint i = 0; i < parts->len; i++) {
			const SimTrace *p = parts->pdata[i];

			memcpy(t->util + (gsize) r * t->n_samples + at,
			       p->util + (gsize) r * p->n_samples, p->n_samples);
			at += p->n_samples;
		}
	}
	return g_steal_pointer(&t);
}

static double
normal(GRand *rand)
{
	double u1 = g_rand_double_range(rand, 1e-12, 1), u2 = g_rand_double(rand);

	return sqrt(-2 * log(u1)) * cos(2 * G_PI * u2);
}

SimTrace *
sim_trace_synthetic(guint64 seed, guint n_rows, guint days)
{
	SimTrace *t = g_new0(SimTrace, 1);
	g_autoptr(GRand) rand = g_rand_new_with_seed((guint32) (seed * 2654435761u + 17));
	double cluster_phase = g_rand_double_range(rand, 0, 2 * G_PI);

	t->name = g_strdup_printf("synthetic:%" G_GUINT64_FORMAT, seed);
	t->n_rows = n_rows;
	t->n_samples = SIM_SAMPLES_PER_DAY * MAX(days, 1);
	t->util = g_new(guint8, (gsize) n_rows * t->n_samples);
	for (guint r = 0; r < n_rows; r++) {
		double level = 6 * exp(0.9 * normal(rand));
		gboolean diurnal = g_rand_boolean(rand);
		double amp = g_rand_double_range(rand, 0.2, 0.8);
		double phase = cluster_phase + normal(rand) * 2 * G_PI / 24;
		gboolean burst = FALSE;

		for (guint s = 0; s < t->n_samples; s++) {
			double u = level * exp(0.5 * normal(rand));

			if (burst ? g_rand_double(rand) < 0.15 : g_rand_double(rand) < 0.005)
				burst = !burst;
			if (diurnal)
				u *= 1 + amp * sin(2 * G_PI * s / SIM_SAMPLES_PER_DAY + phase);
			if (burst)
				u *= 3;
			if (g_rand_double(rand) < 0.16)
				u = 0;
			t->util[(gsize) r * t->n_samples + s] = (guint8) CLAMP(lround(u), 0, 100);
		}
	}
	return t;
}
