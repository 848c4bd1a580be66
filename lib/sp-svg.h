/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The few SVG shapes Sparrow's charts draw (lc-sim's report, the demo's
 * report), on lib/sp-xml's writer: numbers with one decimal whatever the
 * locale, every text escaped by libxml2. */
#pragma once

#include "sp-xml.h"

/* <svg> of width x height user units (1:1 viewBox); label, when not NULL,
 * is its accessible name (role img). Close it with sp_xml_end(). */
void sp_svg_open(SpXml *x, double width, double height, const char *label);

/* Text at (tx, ty), font-size size, anchored start, middle or end; fill
 * NULL is SVG's default (black). */
void sp_svg_text(SpXml *x, double tx, double ty, const char *anchor, int size, const char *fill,
		 const char *s);

/* A line; dash NULL for a solid one, else a stroke-dasharray ("6,4"). */
void sp_svg_line(SpXml *x, double x1, double y1, double x2, double y2, const char *colour,
		 double width, const char *dash);

/* A rectangle; fill and stroke NULL for none. */
void sp_svg_rect(SpXml *x, double rx, double ry, double w, double h, const char *fill,
		 const char *stroke);

/* A polyline through points ("x,y x,y ..."), not filled; opacity below 1
 * is written as stroke-opacity. */
void sp_svg_polyline(SpXml *x, const char *points, const char *colour, double width,
		     double opacity);
