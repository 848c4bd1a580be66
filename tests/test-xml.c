/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "sp-error.h"
#include "sp-test.h"
#include "sp-xml.h"

/* Values are escaped by libxml2, whatever they hold. */
static void
test_memory_escaped(void)
{
	g_autoptr(SpXml) x = sp_xml_new();
	g_autofree char *text = NULL;

	sp_xml_start(x, "filter");
	sp_xml_attr(x, "name", "a&b<c\"d'e>");
	sp_xml_element(x, "uuid", "<&>");
	sp_xml_start(x, "rule");
	sp_xml_attr_int(x, "priority", -400);
	sp_xml_attr_printf(x, "points", "%.1f,%.1f", 1.25, 2.0);
	sp_xml_end(x);
	sp_xml_start(x, "note");
	sp_xml_text(x, "x < y & z");
	/* Left open: finishing closes it and the root. */
	CU_ASSERT_EQUAL_FATAL(sp_xml_finish(x, &text), 0);
	CU_ASSERT_STRING_EQUAL(text, "<filter name=\"a&amp;b&lt;c&quot;d'e&gt;\">\n"
				     "  <uuid>&lt;&amp;&gt;</uuid>\n"
				     "  <rule priority=\"-400\" points=\"1.2,2.0\"/>\n"
				     "  <note>x &lt; y &amp; z</note>\n"
				     "</filter>\n");
}

static void
test_file(void)
{
	g_autofree char *dir = sp_test_tmpdir();
	g_autofree char *path = g_build_filename(dir, "c.svg", NULL);
	g_autoptr(SpXml) x = sp_xml_new_file(path);
	g_autofree char *text = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	sp_xml_start(x, "svg");
	sp_xml_attr(x, "width", "100%");
	CU_ASSERT_EQUAL(sp_xml_finish(x, NULL), 0);
	CU_ASSERT_TRUE(g_file_get_contents(path, &text, NULL, NULL));
	CU_ASSERT_STRING_EQUAL(text, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
				     "<svg width=\"100%\"/>\n");
	sp_test_rmtree(dir);
}

static void
test_file_errors(void)
{
	g_autoptr(SpXml) x = sp_xml_new_file("/nonexistent/c.svg");
	g_autoptr(SpXml) full = NULL;

	CU_ASSERT_PTR_NULL(x);
	CU_ASSERT_STRING_EQUAL(sp_error_message(), "cannot write '/nonexistent/c.svg'");
	sp_error_clear();

	/* A device that refuses every write: the failure is reported once, at
	 * the end, not lost. */
	full = sp_xml_new_file("/dev/full");
	CU_ASSERT_PTR_NOT_NULL_FATAL(full);
	for (int i = 0; i < 2000; i++) {
		sp_xml_start(full, "line");
		sp_xml_attr(full, "stroke", "#1f77b4");
		sp_xml_end(full);
	}
	CU_ASSERT_EQUAL(sp_xml_finish(full, NULL), -1);
	CU_ASSERT_STRING_EQUAL(sp_error_message(), "cannot write '/dev/full'");
	sp_error_clear();
}

SP_TEST_MAIN("xml", SP_TEST(test_memory_escaped), SP_TEST(test_file), SP_TEST(test_file_errors))
