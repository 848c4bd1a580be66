/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <string.h>

#include "sp-list.h"

static void
item_clear(gpointer data)
{
	g_free(((SpListItem *) data)->text);
}

/* cols has one entry per byte of text: the end of text is one column
 * after its last byte. */
static int
col_of(const char *text, const char *at, const int *cols, int base)
{
	gsize i = (gsize) (at - text);

	if (!cols)
		return base + (int) i;
	if (at[0] == '\0' && i > 0)
		return cols[i - 1] + 1;
	return at[0] == '\0' ? base : cols[i];
}

GArray *
sp_list_items(const char *text, const int *cols, int base)
{
	GArray *items = g_array_new(FALSE, TRUE, sizeof(SpListItem));
	const char *p = text;

	g_array_set_clear_func(items, item_clear);
	for (;;) {
		const char *comma = strchr(p, ',');
		const char *end = comma ? comma : p + strlen(p);
		const char *s = p;
		SpListItem it;

		while (s < end && g_ascii_isspace(*s))
			s++;
		it.text = g_strstrip(g_strndup(s, (gsize) (end - s)));
		if (*it.text)
			it.col = col_of(text, s, cols, base);
		else if (p > text)
			it.col = col_of(text, p - 1, cols, base);
		else
			it.col = col_of(text, end, cols, base);
		g_array_append_val(items, it);
		if (!comma)
			break;
		p = comma + 1;
	}
	return items;
}
