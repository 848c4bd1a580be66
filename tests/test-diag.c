/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "sp-diag.h"
#include "sp-error.h"
#include "sp-test.h"

/* Added out of order (a parser with two passes, two files): shown by file
 * in the order the files were first named, then by line and column; equal
 * positions keep the order they were added in. */
static void
test_reading_order(void)
{
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autofree char *all = NULL;
	const SpDiagRecord *r;

	sp_diag_add(diag, "b.policy", 7, 3, "late line");
	sp_diag_add(diag, "a.conf", 2, 9, "first of a.conf, second column");
	sp_diag_add(diag, "b.policy", 2, 0, "whole line");
	sp_diag_add(diag, "a.conf", 2, 1, "first of a.conf");
	sp_diag_add(diag, "b.policy", 7, 3, "same place, added later");
	sp_diag_add(diag, "b.policy", 0, 5, "whole file (its column is dropped)");
	CU_ASSERT_EQUAL(sp_diag_count(diag), 6);
	all = sp_diag_join(diag, "\n");
	CU_ASSERT_STRING_EQUAL(all, "b.policy: whole file (its column is dropped)\n"
				    "b.policy:2: whole line\n"
				    "b.policy:7:3: late line\n"
				    "b.policy:7:3: same place, added later\n"
				    "a.conf:2:1: first of a.conf\n"
				    "a.conf:2:9: first of a.conf, second column");
	r = sp_diag_get(diag, 2);
	CU_ASSERT_STRING_EQUAL(r->file, "b.policy");
	CU_ASSERT_EQUAL(r->line, 7);
	CU_ASSERT_EQUAL(r->col, 3);
	CU_ASSERT_STRING_EQUAL(r->message, "late line");

	/* A record added after a read is placed too. */
	sp_diag_add(diag, "b.policy", 1, 1, "earliest");
	g_free(all);
	all = sp_diag_line(diag, 1);
	CU_ASSERT_STRING_EQUAL(all, "b.policy:1:1: earliest");
}

static void
test_to_error_names_the_first(void)
{
	g_autoptr(SpDiag) diag = sp_diag_new();

	CU_ASSERT_EQUAL(sp_diag_to_error(diag), 0);
	CU_ASSERT_PTR_NULL(sp_error_last());
	sp_diag_add(diag, "x.conf", 9, 2, "second");
	CU_ASSERT_EQUAL(sp_diag_to_error(diag), -1);
	CU_ASSERT_STRING_EQUAL(sp_error_message(), "x.conf:9:2: second");
	sp_diag_add(diag, "x.conf", 3, 4, "first");
	CU_ASSERT_EQUAL(sp_diag_to_error(diag), -1);
	CU_ASSERT_STRING_EQUAL(sp_error_message(), "2 errors; the first: x.conf:3:4: first");
	sp_error_clear();
}

static void
test_print(void)
{
	g_autoptr(SpDiag) diag = sp_diag_new();
	char buf[256] = "";
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	sp_diag_print(diag, f); /* nothing at all, not an empty line */
	sp_diag_add(diag, "f", 2, 1, "b");
	sp_diag_add(diag, "f", 1, 1, "a");
	sp_diag_print(diag, f);
	fclose(f);
	CU_ASSERT_STRING_EQUAL(buf, "f:1:1: a\nf:2:1: b\n");
}

/* Columns count bytes from 1: a tab is one, 'é' two. */
static void
test_text_position(void)
{
	const char *text = "ab\n\tcaf\xc3\xa9=x\n";
	int line, col;

	sp_text_position(text, 0, &line, &col);
	CU_ASSERT_EQUAL(line, 1);
	CU_ASSERT_EQUAL(col, 1);
	sp_text_position(text, 2, &line, &col); /* the first '\n' */
	CU_ASSERT_EQUAL(line, 1);
	CU_ASSERT_EQUAL(col, 3);
	sp_text_position(text, (gsize) (strchr(text, '=') - text), &line, &col);
	CU_ASSERT_EQUAL(line, 2);
	CU_ASSERT_EQUAL(col, 7);
}

static void
test_utf8_checked_at_its_byte(void)
{
	g_autoptr(SpDiag) diag = sp_diag_new();

	CU_ASSERT_TRUE(sp_diag_check_utf8(diag, "t", "caf\xc3\xa9\n"));
	CU_ASSERT_FALSE(sp_diag_check_utf8(diag, "t", "a\n\tcaf\xc3\xa9 \xe9t\xff\n"));
	CU_ASSERT_EQUAL_FATAL(sp_diag_count(diag), 1);
	CU_ASSERT_STRING_EQUAL(sp_test_diag_line(diag, 0),
			       "t:2:8: byte 0xe9 is not valid UTF-8 (the first one)");
}

SP_TEST_MAIN("diag", SP_TEST(test_reading_order), SP_TEST(test_to_error_names_the_first),
	     SP_TEST(test_print), SP_TEST(test_text_position),
	     SP_TEST(test_utf8_checked_at_its_byte))
