/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Comma lists as admins write them ("web, admin-ssh", "80,443, 8000-8010"):
 * the one splitter behind config values (sp-config) and policy rules
 * (nwfilter-gen), so an item's column is found the same way everywhere. */
#pragma once

#include <glib.h>

/* One item of a comma list, with the column an error about it points at. */
typedef struct {
	char *text; /* trimmed of white space; "" for an empty item */
	int col;    /* its first character; for an empty item the ',' before it
		     * (or after it, when it comes first) */
} SpListItem;

/* text's comma-separated items (SpListItem, freed with the array); always at
 * least one, "" giving one empty item. The column of text[i] is cols[i], or
 * base + i when cols is NULL (text was one piece of its line). */
GArray *sp_list_items(const char *text, const int *cols, int base);
