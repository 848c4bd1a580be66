/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "sp-diag.h"
#include "sp-error.h"

typedef struct {
	SpDiagRecord r;
	guint file_rank; /* order in which its file was first named */
	guint seq;       /* order added: ties keep it */
} Record;

struct SpDiag {
	GArray *records;   /* Record */
	GHashTable *files; /* file -> rank + 1; the keys are the records' files */
	gboolean sorted;
};

static void
record_clear(gpointer data)
{
	g_free((char *) ((Record *) data)->r.message);
}

SpDiag *
sp_diag_new(void)
{
	SpDiag *diag = g_new0(SpDiag, 1);

	diag->records = g_array_new(FALSE, FALSE, sizeof(Record));
	g_array_set_clear_func(diag->records, record_clear);
	diag->files = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	diag->sorted = TRUE;
	return diag;
}

void
sp_diag_free(SpDiag *diag)
{
	if (!diag)
		return;
	g_array_free(diag->records, TRUE);
	g_hash_table_destroy(diag->files);
	g_free(diag);
}

void
sp_diag_add(SpDiag *diag, const char *file, int line, int col, const char *fmt, ...)
{
	va_list ap;
	gpointer key = NULL, rank = NULL;
	Record rec = {{0}};

	if (!g_hash_table_lookup_extended(diag->files, file, &key, &rank)) {
		key = g_strdup(file);
		rank = GUINT_TO_POINTER(g_hash_table_size(diag->files) + 1);
		g_hash_table_insert(diag->files, key, rank);
	}
	va_start(ap, fmt);
	rec.r.message = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	rec.r.file = key;
	rec.r.line = MAX(line, 0);
	rec.r.col = line > 0 ? MAX(col, 0) : 0;
	rec.file_rank = GPOINTER_TO_UINT(rank);
	rec.seq = diag->records->len;
	g_array_append_val(diag->records, rec);
	diag->sorted = FALSE;
}

guint
sp_diag_count(const SpDiag *diag)
{
	return diag->records->len;
}

static gint
record_cmp(gconstpointer pa, gconstpointer pb)
{
	const Record *a = pa, *b = pb;

	if (a->file_rank != b->file_rank)
		return a->file_rank < b->file_rank ? -1 : 1;
	if (a->r.line != b->r.line)
		return a->r.line < b->r.line ? -1 : 1;
	if (a->r.col != b->r.col)
		return a->r.col < b->r.col ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Reading order is a view: sorting in place changes nothing a caller can
 * observe through this API except that order. */
static const Record *
record_at(const SpDiag *diag, guint i)
{
	SpDiag *d = (SpDiag *) diag;

	if (!d->sorted) {
		g_array_sort(d->records, record_cmp);
		d->sorted = TRUE;
	}
	return &g_array_index(d->records, Record, i);
}

const SpDiagRecord *
sp_diag_get(const SpDiag *diag, guint i)
{
	g_return_val_if_fail(i < diag->records->len, NULL);
	return &record_at(diag, i)->r;
}

static void
append_line(GString *out, const SpDiagRecord *r)
{
	g_string_append(out, r->file);
	if (r->line > 0)
		g_string_append_printf(out, ":%d", r->line);
	if (r->line > 0 && r->col > 0)
		g_string_append_printf(out, ":%d", r->col);
	g_string_append(out, ": ");
	g_string_append(out, r->message);
}

char *
sp_diag_line(const SpDiag *diag, guint i)
{
	GString *out = g_string_new(NULL);

	append_line(out, sp_diag_get(diag, i));
	return g_string_free(out, FALSE);
}

char *
sp_diag_join(const SpDiag *diag, const char *sep)
{
	GString *out = g_string_new(NULL);

	for (guint i = 0; i < diag->records->len; i++) {
		if (i > 0)
			g_string_append(out, sep);
		append_line(out, &record_at(diag, i)->r);
	}
	return g_string_free(out, FALSE);
}

void
sp_diag_print(const SpDiag *diag, FILE *out)
{
	g_autofree char *text = NULL;

	if (diag->records->len == 0)
		return;
	text = sp_diag_join(diag, "\n");
	fprintf(out, "%s\n", text);
}

int
sp_diag_to_error(const SpDiag *diag)
{
	guint n = diag->records->len;
	g_autofree char *first = NULL;

	if (n == 0)
		return 0;
	first = sp_diag_line(diag, 0);
	if (n == 1)
		sp_error("%s", first);
	else
		sp_error("%u errors; the first: %s", n, first);
	return -1;
}

void
sp_text_position(const char *text, gsize offset, int *line, int *col)
{
	const char *start = text;

	*line = 1;
	for (const char *c = text; c < text + offset; c++) {
		if (*c == '\n') {
			(*line)++;
			start = c + 1;
		}
	}
	*col = (int) (text + offset - start) + 1;
}

gboolean
sp_diag_check_utf8(SpDiag *diag, const char *file, const char *text)
{
	const char *bad;
	int line, col;

	if (g_utf8_validate(text, -1, &bad))
		return TRUE;
	sp_text_position(text, (gsize) (bad - text), &line, &col);
	sp_diag_add(diag, file, line, col, "byte 0x%02x is not valid UTF-8 (the first one)",
		    (unsigned char) *bad);
	return FALSE;
}
