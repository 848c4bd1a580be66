/* The report's charts, as inline SVG written with lib/sp-xml: the hosts'
 * loads over the balancing act with each migration marked, and how long
 * each step of the demo took. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define W 900.0
#define LEFT 56.0
#define RIGHT 150.0

static const char *const host_colours[] = {"#d62728", "#1f77b4", "#2ca02c", "#9467bd"};

static const char *
host_colour(int h)
{
	return host_colours[(guint) (h > 0 ? h - 1 : 0) % G_N_ELEMENTS(host_colours)];
}

static void
text(SpXml *x, double tx, double ty, const char *anchor, const char *size, const char *fill,
     const char *s)
{
	sp_xml_start(x, "text");
	sp_xml_attr_printf(x, "x", "%.1f", tx);
	sp_xml_attr_printf(x, "y", "%.1f", ty);
	sp_xml_attr(x, "text-anchor", anchor);
	sp_xml_attr(x, "font-size", size);
	sp_xml_attr(x, "fill", fill);
	sp_xml_text(x, s);
	sp_xml_end(x);
}

static void
line(SpXml *x, double x1, double y1, double x2, double y2, const char *colour, double width,
     const char *dash)
{
	sp_xml_start(x, "line");
	sp_xml_attr_printf(x, "x1", "%.1f", x1);
	sp_xml_attr_printf(x, "y1", "%.1f", y1);
	sp_xml_attr_printf(x, "x2", "%.1f", x2);
	sp_xml_attr_printf(x, "y2", "%.1f", y2);
	sp_xml_attr(x, "stroke", colour);
	sp_xml_attr_printf(x, "stroke-width", "%.1f", width);
	if (dash)
		sp_xml_attr(x, "stroke-dasharray", dash);
	sp_xml_end(x);
}

static void
svg_open(SpXml *x, double h, const char *label)
{
	sp_xml_start(x, "svg");
	sp_xml_attr(x, "xmlns", "http://www.w3.org/2000/svg");
	sp_xml_attr(x, "role", "img");
	sp_xml_attr(x, "aria-label", label);
	sp_xml_attr_printf(x, "viewBox", "0 0 %.0f %.0f", W, h);
	sp_xml_attr_printf(x, "width", "%.0f", W);
	sp_xml_attr_printf(x, "height", "%.0f", h);
	sp_xml_attr(x, "font-family", "sans-serif");
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
	svg_open(x, height, "load of each host over time, with the migrations marked");
	sp_xml_start(x, "rect");
	sp_xml_attr_printf(x, "x", "%.1f", LEFT);
	sp_xml_attr_printf(x, "y", "%.1f", top);
	sp_xml_attr_printf(x, "width", "%.1f", W - LEFT - RIGHT);
	sp_xml_attr_printf(x, "height", "%.1f", ph);
	sp_xml_attr(x, "fill", "#fafafa");
	sp_xml_attr(x, "stroke", "#999");
	sp_xml_end(x);
	for (double p = 0; p <= ymax; p += 50) {
		g_autofree char *label = g_strdup_printf("%.0f %%", p);

		text(x, LEFT - 6, TY(p) + 4, "end", "11", "#555", label);
		if (p > 0 && p < ymax)
			line(x, LEFT, TY(p), W - RIGHT, TY(p), "#e4e4e4", 1, NULL);
	}
	line(x, LEFT, TY(90), W - RIGHT, TY(90), "#d62728", 1, "6,4");
	text(x, W - RIGHT + 6, TY(90) + 4, "start", "11", "#d62728", "overload line (90 %)");
	for (double s = 0; s <= (t1 - t0) / 1000; s += 10) {
		g_autofree char *label = g_strdup_printf("%.0f s", s);

		text(x, TX(t0 + s * 1000), top + ph + 16, "middle", "11", "#555", label);
	}
	text(x, LEFT + (W - LEFT - RIGHT) / 2, top + ph + 34, "middle", "12", "#333",
	     "time since lc-migrated started");
	for (guint i = 0; i < marks->len; i++) {
		char **l = g_ptr_array_index(marks, i);
		double mx = TX(CLAMP(atof(demo_field(l, 1)), t0, t1));

		line(x, mx, top, mx, top + ph, "#888", 1, "2,3");
		text(x, mx + 4, top + 12, "start", "11", "#555", demo_field(l, 2));
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
		sp_xml_start(x, "polyline");
		sp_xml_attr(x, "points", pts->str);
		sp_xml_attr(x, "fill", "none");
		sp_xml_attr(x, "stroke", host_colour(h));
		sp_xml_attr(x, "stroke-width", "2.5");
		sp_xml_end(x);
		line(x, W - RIGHT + 6, top + 30 + h * 18, W - RIGHT + 30, top + 30 + h * 18,
		     host_colour(h), 2.5, NULL);
		text(x, W - RIGHT + 36, top + 34 + h * 18, "start", "12", "#333", label);
	}
	for (guint i = 0; i < moves->len; i++) {
		char **l = g_ptr_array_index(moves, i);
		double mx = TX(CLAMP(atof(demo_field(l, 1)), t0, t1));
		g_autofree char *label = g_strdup_printf("%s: host %s \u2192 %s", demo_field(l, 2),
							 demo_field(l, 3), demo_field(l, 4));

		line(x, mx, top, mx, top + ph, "#000", 1.5, NULL);
		sp_xml_start(x, "circle");
		sp_xml_attr_printf(x, "cx", "%.1f", mx);
		sp_xml_attr_printf(x, "cy", "%.1f", top + 6);
		sp_xml_attr(x, "r", "5");
		sp_xml_attr(x, "fill", host_colour(atoi(demo_field(l, 4))));
		sp_xml_end(x);
		text(x, mx - 6, top + 28 + 16 * i, "end", "12", "#000", label);
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
	svg_open(x, height, "how long each step took");
	for (guint i = 0; i < steps->len; i++) {
		char **l = g_ptr_array_index(steps, i);
		double ms = atof(demo_field(l, 3)), y = i * row;
		double bw = MAX(1, ms / max * (W - label_w - 80));
		g_autofree char *secs = g_strdup_printf("%.1f s", ms / 1000);
		gboolean ok = strcmp(demo_field(l, 4), "ok") == 0;

		text(x, label_w - 8, y + 15, "end", "12", "#333", demo_field(l, 2));
		sp_xml_start(x, "rect");
		sp_xml_attr_printf(x, "x", "%.1f", label_w);
		sp_xml_attr_printf(x, "y", "%.1f", y + 4);
		sp_xml_attr_printf(x, "width", "%.1f", bw);
		sp_xml_attr_printf(x, "height", "%.1f", row - 8);
		sp_xml_attr(x, "fill", ok ? "#4c8bd6" : "#d62728");
		sp_xml_end(x);
		text(x, label_w + bw + 6, y + 15, "start", "12", "#333", secs);
	}
	sp_xml_end(x);
}
