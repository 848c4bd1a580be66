/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <glib/gstdio.h>

#include "sp-test.h"

int
sp_test_run(const char *suite_name, const SpTestCase *cases)
{
	CU_pSuite suite;
	unsigned failed, run;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 99;
	suite = CU_add_suite(suite_name, NULL, NULL);
	for (const SpTestCase *c = cases; c->name; c++)
		CU_add_test(suite, c->name, c->fn);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = CU_get_number_of_tests_failed();
	run = CU_get_number_of_tests_run();
	printf("SPTEST suite=%s passed=%u failed=%u\n", suite_name, run - failed, failed);
	CU_cleanup_registry();
	return failed ? 1 : 0;
}

char *
sp_test_path(const char *relative)
{
	const char *top = g_getenv("SP_TEST_DATA");

	return g_build_filename(top ? top : "tests", relative, NULL);
}

char *
sp_test_read(const char *relative)
{
	g_autofree char *path = sp_test_path(relative);
	g_autoptr(GError) err = NULL;
	char *text = NULL;

	if (!g_file_get_contents(path, &text, NULL, &err)) {
		fprintf(stderr, "cannot read %s: %s\n", path, err->message);
		CU_FAIL("cannot read a test data file");
		return NULL;
	}
	return text;
}

void
sp_test_golden(const char *relative, const char *actual)
{
	g_autofree char *path = sp_test_path(relative);
	g_autofree char *expected = NULL;

	if (g_strcmp0(g_getenv("SP_TEST_REGENERATE"), "1") == 0) {
		CU_ASSERT_TRUE(g_file_set_contents(path, actual, -1, NULL));
		return;
	}
	if (!g_file_get_contents(path, &expected, NULL, NULL)) {
		fprintf(stderr, "missing golden file %s (run with SP_TEST_REGENERATE=1)\n", path);
		CU_FAIL("golden file missing");
		return;
	}
	if (strcmp(expected, actual) != 0) {
		fprintf(stderr, "--- %s (expected)\n%s\n+++ actual\n%s\n", path, expected, actual);
		CU_FAIL("output differs from the golden file");
	}
}

char *
sp_test_diag_text(const SpDiag *diag)
{
	g_autofree char *lines = sp_diag_join(diag, "\n");

	return sp_diag_count(diag) ? g_strconcat(lines, "\n", NULL) : g_strdup("");
}

const char *
sp_test_diag_line(const SpDiag *diag, guint i)
{
	static char *last;

	g_free(last);
	last = i < sp_diag_count(diag) ? sp_diag_line(diag, i) : g_strdup("");
	return last;
}

char *
sp_test_tmpdir(void)
{
	g_autoptr(GError) err = NULL;
	char *dir = g_dir_make_tmp("sparrow-test-XXXXXX", &err);

	if (!dir) {
		fprintf(stderr, "cannot make a temporary directory: %s\n", err->message);
		abort();
	}
	return dir;
}

void
sp_test_rmtree(const char *dir)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const char *name;

	while (d && (name = g_dir_read_name(d))) {
		g_autofree char *child = g_build_filename(dir, name, NULL);

		if (g_file_test(child, G_FILE_TEST_IS_DIR) &&
		    !g_file_test(child, G_FILE_TEST_IS_SYMLINK))
			sp_test_rmtree(child);
		else
			g_unlink(child);
	}
	g_rmdir(dir);
}
