/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "sp-json.h"
#include "sp-test.h"

static void
test_escapes(void)
{
	g_autoptr(GString) out = g_string_new(NULL);

	sp_json_append_string(out, "a\"b\\c\nd\x7f"
				   "caf\xc3\xa9");
	CU_ASSERT_STRING_EQUAL(out->str, "\"a\\\"b\\\\c\\u000ad\\u007fcaf\xc3\xa9\"");
}

static void
test_not_utf8(void)
{
	g_autoptr(GString) out = g_string_new(NULL);

	/* A byte that is not UTF-8 (an alias cut mid-character, say). */
	sp_json_append_string(out, "x\xffy");
	CU_ASSERT_STRING_EQUAL(out->str, "\"x\xef\xbf\xbdy\"");
	CU_ASSERT_TRUE(g_utf8_validate(out->str, -1, NULL));
	g_string_truncate(out, 0);
	sp_json_append_string(out, NULL);
	CU_ASSERT_STRING_EQUAL(out->str, "\"\"");
}

SP_TEST_MAIN("json", SP_TEST(test_escapes), SP_TEST(test_not_utf8))
