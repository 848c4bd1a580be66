/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The small frame every CUnit test binary shares: a table of cases, golden
 * files under tests/, and one summary line that tools/dev adds up:
 *   SPTEST suite=NAME passed=N failed=M
 * Golden files are regenerated for review with SP_TEST_REGENERATE=1. */
#pragma once

#include <CUnit/CUnit.h>
#include <glib.h>

#include "sp-diag.h"

typedef struct {
	const char *name;
	CU_TestFunc fn;
} SpTestCase;

/* Run the cases as one suite; the exit status for main(). */
int sp_test_run(const char *suite, const SpTestCase *cases);

/* Absolute path of a file under tests/ (from SP_TEST_DATA, set by make). */
char *sp_test_path(const char *relative);
/* Whole file, or NULL (and a CUnit failure) if it cannot be read. */
char *sp_test_read(const char *relative);
/* Compare text with the golden file; with SP_TEST_REGENERATE=1 write it. */
void sp_test_golden(const char *relative, const char *actual);
/* Every diagnostic, one per line, as a golden file holds them. */
char *sp_test_diag_text(const SpDiag *diag);
/* The i-th diagnostic's line, "" when there is none; valid until the next
 * call (so that an assertion can take it inline). */
const char *sp_test_diag_line(const SpDiag *diag, guint i);
/* A fresh private directory under $TMPDIR; removed by sp_test_rmtree(). */
char *sp_test_tmpdir(void);
void sp_test_rmtree(const char *dir);

/* clang-format off: it splits a one-line braced initialiser in a macro. */
// clang-format off
#define SP_TEST(fn) { #fn, fn }
// clang-format on
#define SP_TEST_MAIN(suite, ...)                                               \
	int main(void)                                                         \
	{                                                                      \
		static const SpTestCase cases[] = {__VA_ARGS__, {NULL, NULL}}; \
		return sp_test_run((suite), cases);                            \
	}
