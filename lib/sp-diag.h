/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Diagnostics for input files: a parser reports every problem it finds as a
 * record (file, line, column, message) and goes on, so that an admin fixes
 * all of them in one pass (OpenBSD parse.y style); the caller then refuses
 * the whole input if there was any.
 *
 * Records are kept as they are added and shown in reading order: files in
 * the order they were first named, then by line, then by column (a parser
 * with two passes need not sort), each as "FILE:LINE:COL: message".
 *
 * A column counts bytes from 1 on its line: a tab is one column, 'é' two.
 * Line 0 means the whole file (unreadable, too large), column 0 the whole
 * line; either is left out of the prefix. */
#pragma once

#include <stdio.h>
#include <glib.h>

typedef struct SpDiag SpDiag;

typedef struct {
	const char *file; /* owned by the SpDiag */
	int line;
	int col;
	const char *message; /* owned by the SpDiag */
} SpDiagRecord;

SpDiag *sp_diag_new(void);
void sp_diag_free(SpDiag *diag);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SpDiag, sp_diag_free)

void sp_diag_add(SpDiag *diag, const char *file, int line, int col, const char *fmt, ...)
	G_GNUC_PRINTF(5, 6);
guint sp_diag_count(const SpDiag *diag);
/* The i-th record in reading order (i < sp_diag_count()); valid until the
 * next sp_diag_add() or sp_diag_free(). */
const SpDiagRecord *sp_diag_get(const SpDiag *diag, guint i);
/* The i-th record as its line, "FILE:LINE:COL: message" (caller frees). */
char *sp_diag_line(const SpDiag *diag, guint i);
/* Every line, with sep between two of them. */
char *sp_diag_join(const SpDiag *diag, const char *sep);
void sp_diag_print(const SpDiag *diag, FILE *out);
/* Turn diagnostics into the current sp_error ("3 errors; the first: ...",
 * the first in reading order) and return -1, or return 0 when there are
 * none. */
int sp_diag_to_error(const SpDiag *diag);

/* Line and column of text[offset], counted as above. */
void sp_text_position(const char *text, gsize offset, int *line, int *col);
/* Whether text is UTF-8; if not, a record for file at its first byte that is
 * not. */
gboolean sp_diag_check_utf8(SpDiag *diag, const char *file, const char *text);
