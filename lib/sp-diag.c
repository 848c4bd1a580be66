#include "config.h"

#include "sp-diag.h"
#include "sp-error.h"

SpDiag *
sp_diag_new(void)
{
	SpDiag *diag = g_new0(SpDiag, 1);

	diag->lines = g_ptr_array_new_with_free_func(g_free);
	return diag;
}

void
sp_diag_free(SpDiag *diag)
{
	if (!diag)
		return;
	g_ptr_array_free(diag->lines, TRUE);
	g_free(diag);
}

void
sp_diag_add(SpDiag *diag, const char *file, int line, int col, const char *fmt, ...)
{
	va_list ap;
	g_autofree char *text = NULL;
	GString *msg = g_string_new(file);

	va_start(ap, fmt);
	text = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	if (line > 0)
		g_string_append_printf(msg, ":%d", line);
	if (line > 0 && col > 0)
		g_string_append_printf(msg, ":%d", col);
	g_string_append_printf(msg, ": %s", text);
	g_ptr_array_add(diag->lines, g_string_free(msg, FALSE));
}

guint
sp_diag_count(const SpDiag *diag)
{
	return diag->lines->len;
}

void
sp_diag_print(const SpDiag *diag, FILE *out)
{
	for (guint i = 0; i < diag->lines->len; i++)
		fprintf(out, "%s\n", (const char *) g_ptr_array_index(diag->lines, i));
}

int
sp_diag_to_error(const SpDiag *diag)
{
	guint n = diag->lines->len;

	if (n == 0)
		return 0;
	if (n == 1)
		sp_error("%s", (const char *) g_ptr_array_index(diag->lines, 0));
	else
		sp_error("%u errors; the first: %s", n,
			 (const char *) g_ptr_array_index(diag->lines, 0));
	return -1;
}
