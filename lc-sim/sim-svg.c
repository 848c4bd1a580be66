/* SPDX-License-Identifier: GPL-2.0-or-later */
/* An SVG chart a person can read: one panel per policy, the same scales.
 * In each panel: the 1-minute load average (% of cores) of the first hosts
 * as thin coloured lines, the cluster's hottest host (red) and mean (black),
 * the 100 % line, and a tick under the time axis for every migration (on the
 * source host's colour when that host is drawn).  Written with lib/sp-xml
 * (libxml2's writer), never by pasting markup. */
#include "config.h"

#include <math.h>

#include "sim.h"
#include "sp-error.h"
#include "sp-svg.h"
#include "sp-xml.h"

#define W 1000.0
#define PANEL 200.0
#define LEFT 60.0
#define TOP 50.0

static const char *const colours[] = {
	"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2",
	"#7f7f7f", "#bcbd22", "#17becf", "#aec7e8", "#ffbb78", "#98df8a",
};

static void
series(SpXml *w, const float *v, guint minutes, double y0, double ymax, const char *colour,
       double width, double opacity)
{
	g_autoptr(GString) pts = g_string_new(NULL);
	guint step = MAX(1, minutes / 1000);

	for (guint m = 0; m < minutes; m += step) {
		double x = LEFT + m * (W - LEFT - 20) / minutes;
		double y = y0 + PANEL - MIN(v[m], ymax) / ymax * PANEL;

		g_string_append_printf(pts, "%.1f,%.1f ", x, y);
	}
	sp_svg_polyline(w, pts->str, colour, width, opacity);
}

int
sim_report_svg(const char *path, const SimCluster *c, SimResult *const *r, guint n)
{
	g_autoptr(SpXml) w = sp_xml_new_file(path);
	double height = TOP + n * (PANEL + 60) + 20, ymax = 150;
	guint minutes = c->minutes;

	if (!w)
		return -1;
	for (guint i = 0; i < n; i++)
		if (r[i]->chart)
			for (guint m = 0; m < minutes; m++)
				ymax = MAX(ymax,
					   r[i]->chart[(gsize) r[i]->chart_hosts * minutes + m]);
	ymax = MIN(ceil(ymax / 50) * 50, 400);
	sp_svg_open(w, W, height, NULL);
	sp_svg_rect(w, 0, 0, W, height, "white", NULL);
	{
		g_autofree char *title = g_strdup_printf(
			"%s, %u hosts x %u VMs, mean load %.0f %%: 1-minute load average (%% of cores) over %u h",
			c->trace->name, c->n_hosts, c->n_vms / MAX(c->n_hosts, 1),
			c->mean_load * 100, minutes / 60);

		sp_svg_text(w, LEFT, 20, "start", 12, NULL, title);
		sp_svg_text(
			w, LEFT, 36, "start", 12, NULL,
			"thin lines: the first hosts; red: the hottest host; black: the cluster mean; "
			"ticks under a panel: migrations (in the source host's colour)");
	}
	for (guint i = 0; i < n; i++) {
		const SimResult *res = r[i];
		double y0 = TOP + i * (PANEL + 60) + 20;
		g_autofree char *label =
			g_strdup_printf("%s: %u migrations, %.0f overloaded host-minutes",
					res->policy, res->migrations, res->overload_host_minutes);

		sp_svg_text(w, LEFT, y0 - 6, "start", 12, NULL, label);
		sp_svg_rect(w, LEFT, y0, W - LEFT - 20, PANEL, NULL, "#444");
		for (double p = 0; p <= ymax; p += 50) {
			g_autofree char *l = g_strdup_printf("%.0f%%", p);
			double y = y0 + PANEL - p / ymax * PANEL;

			sp_svg_text(w, LEFT - 4, y + 4, "end", 12, NULL, l);
			if (p == 100)
				sp_svg_line(w, LEFT, y, W - 20, y, "#d62728", 1, "6,4");
		}
		for (guint hour = 0; hour <= minutes / 60; hour += MAX(1, minutes / 60 / 12)) {
			g_autofree char *l = g_strdup_printf("%uh", hour);

			sp_svg_text(w, LEFT + hour * 60.0 * (W - LEFT - 20) / minutes,
				    y0 + PANEL + 28, "middle", 12, NULL, l);
		}
		if (!res->chart)
			continue;
		for (guint h = 0; h < res->chart_hosts; h++)
			series(w, res->chart + (gsize) h * minutes, minutes, y0, ymax,
			       colours[h % G_N_ELEMENTS(colours)], 1, 0.6);
		series(w, res->chart + (gsize) res->chart_hosts * minutes, minutes, y0, ymax,
		       "#d62728", 1.5, 0.9);
		series(w, res->chart + (gsize) (res->chart_hosts + 1) * minutes, minutes, y0, ymax,
		       "#000000", 2, 1);
		for (guint k = 0; k < res->migs->len; k++) {
			const SimMigration *m = &g_array_index(res->migs, SimMigration, k);
			double x = LEFT + m->start * (W - LEFT - 20) / minutes;
			const char *colour = m->src < res->chart_hosts
						     ? colours[m->src % G_N_ELEMENTS(colours)]
						     : "#555";

			sp_svg_line(w, x, y0 + PANEL + 2, x, y0 + PANEL + 12, colour, 1, NULL);
		}
	}
	return sp_xml_finish(w, NULL);
}
