/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading the demo's record, and the summary the integration test checks. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "sp-error.h"
#include "sp-json.h"

/* The record of a full run is a few hundred lines; a cap keeps a runaway
 * writer from costing more than a moment. */
#define RECORD_MAX (8 * 1024 * 1024)

DemoRecord *
demo_record_load(const char *path)
{
	g_autofree char *text = NULL;
	g_autoptr(GError) gerr = NULL;
	g_auto(GStrv) lines = NULL;
	gsize len = 0;
	DemoRecord *r;

	if (!g_file_get_contents(path, &text, &len, &gerr)) {
		sp_error("cannot read '%s': %s", path, gerr->message);
		return NULL;
	}
	if (len > RECORD_MAX) {
		sp_error("'%s' is larger than %d bytes", path, RECORD_MAX);
		return NULL;
	}
	r = g_new0(DemoRecord, 1);
	r->lines = g_ptr_array_new_with_free_func((GDestroyNotify) g_strfreev);
	lines = g_strsplit(text, "\n", -1);
	for (guint i = 0; lines[i]; i++) {
		g_autofree char *valid = NULL;

		if (!lines[i][0])
			continue;
		valid = g_utf8_make_valid(lines[i], -1);
		g_ptr_array_add(r->lines, g_strsplit(valid, "\t", -1));
	}
	return r;
}

void
demo_record_free(DemoRecord *r)
{
	if (!r)
		return;
	g_ptr_array_free(r->lines, TRUE);
	g_free(r);
}

const char *
demo_field(char **line, guint i)
{
	for (guint k = 0; k <= i; k++)
		if (!line[k])
			return "";
	return line[i];
}

GPtrArray *
demo_lines(const DemoRecord *r, const char *kind)
{
	GPtrArray *out = g_ptr_array_new();

	for (guint i = 0; i < r->lines->len; i++) {
		char **l = g_ptr_array_index(r->lines, i);

		if (strcmp(l[0], kind) == 0)
			g_ptr_array_add(out, l);
	}
	return out;
}

const char *
demo_meta(const DemoRecord *r, const char *key, const char *def)
{
	const char *v = def;

	for (guint i = 0; i < r->lines->len; i++) {
		char **l = g_ptr_array_index(r->lines, i);

		if (strcmp(l[0], "meta") == 0 && strcmp(demo_field(l, 1), key) == 0)
			v = demo_field(l, 2);
	}
	return v;
}

/* probe PHASE FROM TO PROTO PORT OUT_VERDICT IN_VERDICT EXPECTED SEEN */
gboolean
demo_probe_ok(char **l)
{
	return demo_field(l, 8)[0] && strcmp(demo_field(l, 8), demo_field(l, 9)) == 0;
}

static void
key(GString *s, const char *k)
{
	g_string_append(s, "  ");
	sp_json_append_string(s, k);
	g_string_append(s, ": ");
}

int
demo_write_summary(const DemoRecord *r, const char *path)
{
	g_autoptr(GString) s = g_string_new("{\n");
	g_autoptr(GPtrArray) probes = demo_lines(r, "probe");
	g_autoptr(GPtrArray) moves = demo_lines(r, "move");
	g_autoptr(GPtrArray) where = demo_lines(r, "where");
	g_autoptr(GPtrArray) steps = demo_lines(r, "step");
	g_autoptr(GPtrArray) slvm = demo_lines(r, "slvm");
	g_autoptr(GPtrArray) sizes = demo_lines(r, "slvm_size");
	g_autoptr(GPtrArray) refusal = demo_lines(r, "slvm_refusal");
	g_autoptr(GPtrArray) skipped = demo_lines(r, "skipped");
	g_autoptr(GPtrArray) left = demo_lines(r, "leftover");
	g_autoptr(GPtrArray) clean = demo_lines(r, "clean");
	g_autoptr(GError) gerr = NULL;
	guint matched = 0, slvm_ok = 0;

	key(s, "exit");
	g_string_append_printf(s, "%d,\n", atoi(demo_meta(r, "exit", "1")));
	key(s, "interrupted");
	g_string_append_printf(s, "%s,\n", demo_meta(r, "interrupted", NULL) ? "true" : "false");
	key(s, "quick");
	g_string_append_printf(s, "%s,\n",
			       strcmp(demo_meta(r, "quick", "0"), "1") == 0 ? "true" : "false");
	key(s, "total_s");
	g_string_append_printf(s, "%.1f,\n", atof(demo_meta(r, "total_ms", "0")) / 1000);
	key(s, "steps");
	g_string_append(s, "[");
	for (guint i = 0; i < steps->len; i++) {
		char **l = g_ptr_array_index(steps, i);

		g_string_append_printf(s, "%s\n    {\"act\": %d, \"title\": ", i ? "," : "",
				       atoi(demo_field(l, 1)));
		sp_json_append_string(s, demo_field(l, 2));
		g_string_append_printf(s, ", \"s\": %.1f, \"result\": ",
				       atof(demo_field(l, 3)) / 1000);
		sp_json_append_string(s, demo_field(l, 4));
		g_string_append(s, "}");
	}
	g_string_append(s, "\n  ],\n");
	for (guint i = 0; i < probes->len; i++)
		matched += demo_probe_ok(g_ptr_array_index(probes, i));
	key(s, "probes");
	g_string_append_printf(s, "{\"total\": %u, \"matched\": %u, \"mismatched\": [", probes->len,
			       matched);
	for (guint i = 0, n = 0; i < probes->len; i++) {
		char **l = g_ptr_array_index(probes, i);
		g_autofree char *what = NULL;

		if (demo_probe_ok(l))
			continue;
		what = g_strdup_printf("%s: %s -> %s %s %s: expected %s, seen %s", l[1],
				       demo_field(l, 2), demo_field(l, 3), demo_field(l, 4),
				       demo_field(l, 5), demo_field(l, 8), demo_field(l, 9));
		g_string_append(s, n++ ? ", " : "");
		sp_json_append_string(s, what);
	}
	g_string_append(s, "]},\n");
	key(s, "migrations");
	g_string_append(s, "[");
	for (guint i = 0; i < moves->len; i++) {
		char **l = g_ptr_array_index(moves, i);
		const char *runs_on = "";

		for (guint k = 0; k < where->len; k++) {
			char **w = g_ptr_array_index(where, k);

			if (strcmp(demo_field(w, 1), demo_field(l, 2)) == 0)
				runs_on = demo_field(w, 2);
		}
		g_string_append_printf(s, "%s\n    {\"vm\": ", i ? "," : "");
		sp_json_append_string(s, demo_field(l, 2));
		g_string_append(s, ", \"from\": ");
		sp_json_append_string(s, demo_field(l, 3));
		g_string_append(s, ", \"to\": ");
		sp_json_append_string(s, demo_field(l, 4));
		g_string_append_printf(s, ", \"core\": %s, \"runs_on\": ",
				       strcmp(demo_field(l, 5), "yes") == 0 ? "true" : "false");
		sp_json_append_string(s, runs_on);
		g_string_append(s, ", \"decision\": ");
		sp_json_append_string(s, demo_field(l, 7));
		g_string_append(s, ", \"why\": ");
		sp_json_append_string(s, demo_field(l, 6));
		g_string_append(s, "}");
	}
	g_string_append(s, "\n  ],\n");
	for (guint i = 0; i < slvm->len; i++)
		slvm_ok += strcmp(demo_field(g_ptr_array_index(slvm, i), 3), "ok") == 0;
	key(s, "slvm");
	g_string_append_printf(s, "{\"steps\": %u, \"ok\": %u, \"sizes\": [", slvm->len, slvm_ok);
	for (guint i = 0; i < sizes->len; i++) {
		char **l = g_ptr_array_index(sizes, i);

		g_string_append_printf(s, "%s{\"host\": %d, \"when\": ", i ? ", " : "",
				       atoi(demo_field(l, 1)));
		sp_json_append_string(s, demo_field(l, 2));
		g_string_append_printf(s, ", \"bytes\": %" G_GUINT64_FORMAT "}",
				       g_ascii_strtoull(demo_field(l, 3), NULL, 10));
	}
	g_string_append(s, "], \"refusal\": ");
	{
		g_autoptr(GString) text = g_string_new(NULL);

		for (guint i = 0; i < refusal->len; i++)
			g_string_append_printf(text, "%s%s", i ? "\n" : "",
					       demo_field(g_ptr_array_index(refusal, i), 1));
		sp_json_append_string(s, text->str);
	}
	g_string_append(s, "},\n");
	key(s, "skipped");
	g_string_append(s, "{");
	for (guint i = 0; i < skipped->len; i++) {
		char **l = g_ptr_array_index(skipped, i);

		g_string_append(s, i ? ", " : "");
		sp_json_append_string(s, demo_field(l, 1));
		g_string_append(s, ": ");
		sp_json_append_string(s, demo_field(l, 2));
	}
	g_string_append(s, "},\n");
	key(s, "clean");
	g_string_append_printf(s, "%s,\n",
			       clean->len && strcmp(demo_field(g_ptr_array_index(clean,
										 clean->len - 1),
							       1),
						    "yes") == 0
				       ? "true"
				       : "false");
	key(s, "leftovers");
	g_string_append(s, "[");
	for (guint i = 0; i < left->len; i++) {
		g_string_append(s, i ? ", " : "");
		sp_json_append_string(s, demo_field(g_ptr_array_index(left, i), 1));
	}
	g_string_append(s, "]\n}\n");
	if (!g_file_set_contents(path, s->str, (gssize) s->len, &gerr)) {
		sp_error("cannot write '%s': %s", path, gerr->message);
		return -1;
	}
	return 0;
}
