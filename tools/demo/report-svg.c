/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The report's charts, as inline SVG written with lib/sp-xml: the hosts'
 * loads over the balancing act with each migration marked, and how long
 * each step of the demo took. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "sp-svg.h"

#define W 900.0
#define LEFT 56.0
#define RIGHT 150.0

static const char *const host_colours[] = {"#d62728", "#1f77b4", "#2ca02c", "#9467bd"};

static const char *
host_colour(int h)
{
	return host_colours[(guint) (h > 0 ? h - 1 : 0) % G_N_ELEMENTS(host_colours)];
}

void
demo_svg_loads(SpXml *x, const DemoRecord *r)
{
	g_autoptr(GPtrArray) loads = demo_lines(r, "load");
	g_autoptr(GPtrArray) moves = demo_lines(r, "move");
	g_autoptr(GPtrArray) marks = demo_lines(r, "mark");
	const double top = 20, ph = 240, height = top + ph + 50;
	double t0 = G_MAXDOUBLE, t1 = 0, ymax = 150;
	int nhosts = 0;

	for (guint i = 0; i < loads->len; i++) {
		char **l = g_ptr_array_index(loads, i);
		double t = atof(demo_field(l, 1));

		t0 = MIN(t0, t);
		t1 = MAX(t1, t);
		ymax = MAX(ymax, atof(demo_field(l, 3)));
		nhosts = MAX(nhosts, atoi(demo_field(l, 2)));
	}
	if (loads->len == 0 || t1 <= t0)
		return;
	ymax = ceil(ymax / 50) * 50;
#define TX(t) (LEFT + ((t) -t0) / (t1 - t0) * (W - LEFT - RIGHT))
#define TY(v) (top + ph - MIN((v), ymax) / ymax * ph)
	sp_svg_open(x, W, height, "load of each host over time, with the migrations marked");
	sp_svg_rect(x, LEFT, top, W - LEFT - RIGHT, ph, "#fafafa", "#999");
	for (double p = 0; p <= ymax; p += 50) {
		g_autofree char *label = g_strdup_printf("%.0f %%", p);

		sp_svg_text(x, LEFT - 6, TY(p) + 4, "end", 11, "#555", label);
		if (p > 0 && p < ymax)
			sp_svg_line(x, LEFT, TY(p), W - RIGHT, TY(p), "#e4e4e4", 1, NULL);
	}
	sp_svg_line(x, LEFT, TY(90), W - RIGHT, TY(90), "#d62728", 1, "6,4");
	sp_svg_text(x, W - RIGHT + 6, TY(90) + 4, "start", 11, "#d62728", "overload line (90 %)");
	for (double s = 0; s <= (t1 - t0) / 1000; s += 10) {
		g_autofree char *label = g_strdup_printf("%.0f s", s);

		sp_svg_text(x, TX(t0 + s * 1000), top + ph + 16, "middle", 11, "#555", label);
	}
	sp_svg_text(x, LEFT + (W - LEFT - RIGHT) / 2, top + ph + 34, "middle", 12, "#333",
		    "time since lc-migrated started");
	sp_svg_text(
		x, LEFT, top - 6, "start", 11, "#555",
		"load of each host: its VMs' demand as lc-migrated sees it, % of the host's CPUs");
	for (guint i = 0; i < marks->len; i++) {
		char **l = g_ptr_array_index(marks, i);
		double mx = TX(CLAMP(atof(demo_field(l, 1)), t0, t1));

		sp_svg_line(x, mx, top, mx, top + ph, "#888", 1, "2,3");
		sp_svg_text(x, mx + 4, top + 12, "start", 11, "#555", demo_field(l, 2));
	}
	for (int h = 1; h <= nhosts; h++) {
		g_autoptr(GString) pts = g_string_new(NULL);
		g_autofree char *label = g_strdup_printf("host %d", h);

		for (guint i = 0; i < loads->len; i++) {
			char **l = g_ptr_array_index(loads, i);

			if (atoi(demo_field(l, 2)) == h)
				g_string_append_printf(pts, "%.1f,%.1f ",
						       TX(atof(demo_field(l, 1))),
						       TY(atof(demo_field(l, 3))));
		}
		sp_svg_polyline(x, pts->str, host_colour(h), 2.5, 1);
		sp_svg_line(x, W - RIGHT + 6, top + 30 + h * 18, W - RIGHT + 30, top + 30 + h * 18,
			    host_colour(h), 2.5, NULL);
		sp_svg_text(x, W - RIGHT + 36, top + 34 + h * 18, "start", 12, "#333", label);
	}
	for (guint i = 0; i < moves->len; i++) {
		char **l = g_ptr_array_index(moves, i);
		double mx = TX(CLAMP(atof(demo_field(l, 1)), t0, t1));
		g_autofree char *label = g_strdup_printf("%s: host %s \u2192 %s", demo_field(l, 2),
							 demo_field(l, 3), demo_field(l, 4));

		sp_svg_line(x, mx, top, mx, top + ph, "#000", 1.5, NULL);
		sp_xml_start(x, "circle");
		sp_xml_attr_printf(x, "cx", "%.1f", mx);
		sp_xml_attr_printf(x, "cy", "%.1f", top + 6);
		sp_xml_attr(x, "r", "5");
		sp_xml_attr(x, "fill", host_colour(atoi(demo_field(l, 4))));
		sp_xml_end(x);
		sp_svg_text(x, mx - 6, top + 28 + 16 * i, "end", 12, "#000", label);
	}
	sp_xml_end(x);
#undef TX
#undef TY
}

void
demo_svg_steps(SpXml *x, const DemoRecord *r)
{
	g_autoptr(GPtrArray) steps = demo_lines(r, "step");
	const double row = 22, label_w = 400;
	double max = 1, height = steps->len * row + 30;

	if (steps->len == 0)
		return;
	for (guint i = 0; i < steps->len; i++)
		max = MAX(max, atof(demo_field(g_ptr_array_index(steps, i), 3)));
	sp_svg_open(x, W, height, "how long each step took");
	for (guint i = 0; i < steps->len; i++) {
		char **l = g_ptr_array_index(steps, i);
		double ms = atof(demo_field(l, 3)), y = i * row;
		double bw = MAX(1, ms / max * (W - label_w - 80));
		g_autofree char *secs = g_strdup_printf("%.1f s", ms / 1000);
		gboolean ok = strcmp(demo_field(l, 4), "ok") == 0;

		sp_svg_text(x, label_w - 8, y + 15, "end", 12, "#333", demo_field(l, 2));
		sp_svg_rect(x, label_w, y + 4, bw, row - 8, ok ? "#4c8bd6" : "#d62728", NULL);
		sp_svg_text(x, label_w + bw + 6, y + 15, "start", 12, "#333", secs);
	}
	sp_xml_end(x);
}

/* The shared-LVM act: the LV's size as each host read it (host 1 after it
 * made and extended the LV, host 2 when it activated it), and where the VM
 * on it could run. */
void
demo_svg_slvm(SpXml *x, const DemoRecord *r)
{
	g_autoptr(GPtrArray) sizes = demo_lines(r, "slvm_size");
	g_autoptr(GPtrArray) refusal = demo_lines(r, "slvm_refusal");
	const double row = 26, label_w = 330, bar_max = W - label_w - 120;
	double max = 1, height = sizes->len * row + (refusal->len ? 2 * row + 20 : 0) + 10;

	if (sizes->len == 0)
		return;
	for (guint i = 0; i < sizes->len; i++)
		max = MAX(max, atof(demo_field(g_ptr_array_index(sizes, i), 3)));
	sp_svg_open(x, W, height,
		    "the shared LV's size as each host read it, and where its VM ran");
	for (guint i = 0; i < sizes->len; i++) {
		char **l = g_ptr_array_index(sizes, i);
		int h = atoi(demo_field(l, 1));
		double bytes = atof(demo_field(l, 3)), y = i * row;
		const char *when = demo_field(l, 2);
		gboolean made = strcmp(when, "made") == 0;
		g_autofree char *label =
			h == 1 ? g_strdup_printf("host 1, right after %s",
						 made ? "lvcreate" : "lvextend")
			       : g_strdup_printf("host %d, activating it after the %s", h,
						 made ? "lvcreate" : "lvextend");
		g_autofree char *mib = g_strdup_printf("%.0f MiB", bytes / 1048576);
		double bw = MAX(1, bytes / max * bar_max);

		sp_svg_text(x, label_w - 8, y + 17, "end", 12, "#333", label);
		sp_svg_rect(x, label_w, y + 5, bw, row - 10, host_colour(h + 1), NULL);
		sp_svg_text(x, label_w + bw + 6, y + 17, "start", 12, "#333", mib);
	}
	if (refusal->len) {
		double y = sizes->len * row + 16;

		sp_svg_text(x, label_w - 8, y + 17, "end", 12, "#333",
			    "VM web1 on this LV, host 1");
		sp_svg_rect(x, label_w, y + 3, bar_max, row - 6, "#e6f4ea", "#1a7f37");
		sp_svg_text(x, label_w + 8, y + 17, "start", 12, "#1a7f37",
			    "running: host 1 holds its lease on the shared disk");
		y += row;
		sp_svg_text(x, label_w - 8, y + 17, "end", 12, "#333", "the same VM, host 2");
		sp_svg_rect(x, label_w, y + 3, bar_max, row - 6, "#fdecea", "#c62828");
		sp_svg_text(x, label_w + 8, y + 17, "start", 12, "#c62828",
			    "refused: the lease is held by another host");
	}
	sp_xml_end(x);
}
