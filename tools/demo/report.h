/* SPDX-License-Identifier: GPL-2.0-or-later */
/* demo-report: the demo's record (events.tsv, one tab-separated line per
 * result, written by tools/demo/ui.sh's rec) -> one self-contained HTML
 * report with inline SVG charts, and summary.json for the integration test.
 *
 *   demo-report EVENTS.TSV REPORT.HTML SUMMARY.JSON
 *
 * HTML and SVG are written with lib/sp-xml (libxml2's writer), never by
 * pasting markup; every value the programs printed is escaped there. */
#pragma once

#include <glib.h>

#include "sp-xml.h"

/* The record, split: each line a NULL-terminated array of fields (valid
 * UTF-8), field 0 the kind. */
typedef struct {
	GPtrArray *lines; /* char ** */
} DemoRecord;

DemoRecord *demo_record_load(const char *path) G_GNUC_WARN_UNUSED_RESULT;
void demo_record_free(DemoRecord *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DemoRecord, demo_record_free)

/* Field i of a line, "" when the line is shorter. */
const char *demo_field(char **line, guint i);
/* The lines of one kind, in order (a view: the strings stay the record's). */
GPtrArray *demo_lines(const DemoRecord *r, const char *kind);
/* The value of "meta KEY VALUE", or def. */
const char *demo_meta(const DemoRecord *r, const char *key, const char *def);
/* A probe line's expectation met: expected result == observed. */
gboolean demo_probe_ok(char **line);

/* The charts (report-svg.c, with lib/sp-svg): host loads over time with
 * every migration marked, and each step's time. */
void demo_svg_loads(SpXml *x, const DemoRecord *r);
void demo_svg_steps(SpXml *x, const DemoRecord *r);
/* The shared-LVM act: the LV's size as each host read it, the VM's lease. */
void demo_svg_slvm(SpXml *x, const DemoRecord *r);

int demo_write_html(const DemoRecord *r, const char *path) G_GNUC_WARN_UNUSED_RESULT;
int demo_write_summary(const DemoRecord *r, const char *path) G_GNUC_WARN_UNUSED_RESULT;
