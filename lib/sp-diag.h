/* Diagnostics for input files: a parser reports every problem it finds as
 * "FILE:LINE[:COL]: message" and goes on, so that an admin fixes all of them
 * in one pass (OpenBSD parse.y style); the caller then refuses the whole
 * input if there was any. */
#pragma once

#include <stdio.h>
#include <glib.h>

typedef struct {
	GPtrArray *lines; /* char *, in the order found */
} SpDiag;

SpDiag *sp_diag_new(void);
void sp_diag_free(SpDiag *diag);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SpDiag, sp_diag_free)

/* line or col 0: left out of the prefix. */
void sp_diag_add(SpDiag *diag, const char *file, int line, int col, const char *fmt, ...)
	G_GNUC_PRINTF(5, 6);
guint sp_diag_count(const SpDiag *diag);
void sp_diag_print(const SpDiag *diag, FILE *out);
/* Turn diagnostics into the current sp_error ("3 errors; first: ...") and
 * return -1, or return 0 when there are none. */
int sp_diag_to_error(const SpDiag *diag);
