/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "sp-error.h"
#include "sp-test.h"

static void
test_set_and_clear(void)
{
	const SpError *err;

	sp_error_clear();
	CU_ASSERT_PTR_NULL(sp_error_last());
	CU_ASSERT_STRING_EQUAL(sp_error_message(), "unknown error");

	sp_error("cannot rename file '%s' as '%s'", "a", "b");
	err = sp_error_last();
	CU_ASSERT_PTR_NOT_NULL_FATAL(err);
	CU_ASSERT_STRING_EQUAL(err->message, "cannot rename file 'a' as 'b'");
	CU_ASSERT_EQUAL(err->errnum, 0);
	CU_ASSERT_TRUE(g_str_has_suffix(err->file, "test-error.c"));
	CU_ASSERT_TRUE(err->line > 0);
	CU_ASSERT_STRING_EQUAL(err->func, "test_set_and_clear");

	sp_error_clear();
	CU_ASSERT_PTR_NULL(sp_error_last());
}

static void
test_errno_text(void)
{
	sp_error_errno(ENOENT, "cannot open '%s'", "/nowhere");
	CU_ASSERT_STRING_EQUAL(sp_error_message(),
			       "cannot open '/nowhere': No such file or directory");
	CU_ASSERT_EQUAL(sp_error_last()->errnum, ENOENT);
	sp_error_clear();
}

static void
test_prefix_keeps_location(void)
{
	int line;

	line = __LINE__ + 1;
	sp_error("bad port '%s'", "0");
	sp_error_prefix("%s:%d: ", "web.policy", 3);
	CU_ASSERT_STRING_EQUAL(sp_error_message(), "web.policy:3: bad port '0'");
	CU_ASSERT_EQUAL(sp_error_last()->line, line);
	sp_error_clear();
	/* Without an error, a prefix must not invent one. */
	sp_error_prefix("x: ");
	CU_ASSERT_PTR_NULL(sp_error_last());
}

static gpointer
thread_sets_error(gpointer data)
{
	sp_error("from the thread");
	return g_strdup(sp_error_message());
}

static void
test_thread_local(void)
{
	GThread *t;
	g_autofree char *theirs = NULL;

	sp_error("from main");
	t = g_thread_new("err", thread_sets_error, NULL);
	theirs = g_thread_join(t);
	CU_ASSERT_STRING_EQUAL(theirs, "from the thread");
	CU_ASSERT_STRING_EQUAL(sp_error_message(), "from main");
	sp_error_clear();
}

/* GLib's option parser in our voice (the three programs' usage errors). */
static void
test_voice(void)
{
	static const char *const cases[][2] = {
		{"Unknown option --foo", "unknown option --foo"},
		{"Cannot parse integer value \u201cx\u201d for --hosts",
		 "cannot parse integer value 'x' for --hosts"},
		{"IPv6 is off", "IPv6 is off"},
		{"UUID differs", "UUID differs"},
		{"already lower", "already lower"},
		{"", ""},
		{"A", "a"},
		{"Bad \xff byte", "bad \xff byte"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *v = sp_error_voice(cases[i][0]);

		CU_ASSERT_STRING_EQUAL(v, cases[i][1]);
	}
}

/* A main()'s usage error, set as ours. */
static void
test_options_parse(void)
{
	static int n = 0;
	static const GOptionEntry entries[] = {{"n", 0, 0, G_OPTION_ARG_INT, &n, "a number", "N"},
					       {NULL}};
	g_autoptr(GOptionContext) ctx = g_option_context_new(NULL);
	char *args[] = {(char *) "prog", (char *) "--n", (char *) "x", NULL};
	char **argv = args;
	int argc = 3;

	g_option_context_add_main_entries(ctx, entries, NULL);
	CU_ASSERT_EQUAL(sp_options_parse(ctx, &argc, &argv), -1);
	CU_ASSERT_STRING_EQUAL(sp_error_message(),
			       "cannot parse integer value 'x' for --n (see --help)");
	sp_error_clear();
}

SP_TEST_MAIN("error", SP_TEST(test_set_and_clear), SP_TEST(test_errno_text),
	     SP_TEST(test_prefix_keeps_location), SP_TEST(test_thread_local), SP_TEST(test_voice),
	     SP_TEST(test_options_parse))
