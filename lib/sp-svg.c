/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "sp-svg.h"

void
sp_svg_open(SpXml *x, double width, double height, const char *label)
{
	sp_xml_start(x, "svg");
	sp_xml_attr(x, "xmlns", "http://www.w3.org/2000/svg");
	if (label) {
		sp_xml_attr(x, "role", "img");
		sp_xml_attr(x, "aria-label", label);
	}
	sp_xml_attr_printf(x, "viewBox", "0 0 %.0f %.0f", width, height);
	sp_xml_attr_printf(x, "width", "%.0f", width);
	sp_xml_attr_printf(x, "height", "%.0f", height);
	sp_xml_attr(x, "font-family", "sans-serif");
}

void
sp_svg_text(SpXml *x, double tx, double ty, const char *anchor, int size, const char *fill,
	    const char *s)
{
	sp_xml_start(x, "text");
	sp_xml_attr_printf(x, "x", "%.1f", tx);
	sp_xml_attr_printf(x, "y", "%.1f", ty);
	sp_xml_attr(x, "text-anchor", anchor);
	sp_xml_attr_int(x, "font-size", size);
	if (fill)
		sp_xml_attr(x, "fill", fill);
	sp_xml_text(x, s);
	sp_xml_end(x);
}

void
sp_svg_line(SpXml *x, double x1, double y1, double x2, double y2, const char *colour, double width,
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

void
sp_svg_rect(SpXml *x, double rx, double ry, double w, double h, const char *fill,
	    const char *stroke)
{
	sp_xml_start(x, "rect");
	sp_xml_attr_printf(x, "x", "%.1f", rx);
	sp_xml_attr_printf(x, "y", "%.1f", ry);
	sp_xml_attr_printf(x, "width", "%.1f", w);
	sp_xml_attr_printf(x, "height", "%.1f", h);
	sp_xml_attr(x, "fill", fill ? fill : "none");
	if (stroke)
		sp_xml_attr(x, "stroke", stroke);
	sp_xml_end(x);
}

void
sp_svg_polyline(SpXml *x, const char *points, const char *colour, double width, double opacity)
{
	sp_xml_start(x, "polyline");
	sp_xml_attr(x, "points", points);
	sp_xml_attr(x, "fill", "none");
	sp_xml_attr(x, "stroke", colour);
	sp_xml_attr_printf(x, "stroke-width", "%.1f", width);
	if (opacity < 1)
		sp_xml_attr_printf(x, "stroke-opacity", "%.2f", opacity);
	sp_xml_end(x);
}
