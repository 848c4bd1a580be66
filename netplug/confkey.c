/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <stdlib.h>

#include "confkey.h"
#include "sp-error.h"
#include "sp-names.h"

gboolean
sp_confkey_int(const SpConfig *c, SpDiag *diag, const char *group, const char *key, long min,
	       long max, long *out)
{
	const char *v = sp_config_get(c, group, key);
	char *end;
	long n;

	if (!v)
		return FALSE;
	n = strtol(v, &end, 10);
	if (!*v || *end || n < min || n > max) {
		sp_config_diag(c, diag, group, key, "%s must be a number from %ld to %ld, not '%s'",
			       key, min, max, v);
		return FALSE;
	}
	*out = n;
	return TRUE;
}

GArray *
sp_confkey_list(const SpConfig *c, SpDiag *diag, const char *group, const char *key)
{
	GArray *items = sp_config_get_items(c, group, key);

	for (guint i = items ? items->len : 0; i-- > 0;) {
		const SpListItem *it = &g_array_index(items, SpListItem, i);

		if (*it->text)
			continue;
		if (diag)
			sp_config_diag_item(c, diag, group, key, it,
					    "empty item in the list of '%s'", key);
		g_array_remove_index(items, i);
	}
	return items;
}

void
sp_confkey_ifname(const SpConfig *c, SpDiag *diag, const char *group, const char *key,
		  const SpListItem *item, const char *name)
{
	if (sp_name_ifname_valid(name))
		return;
	if (item)
		sp_config_diag_item(c, diag, group, key, item, "%s", sp_error_message());
	else
		sp_config_diag(c, diag, group, key, "%s", sp_error_message());
	sp_error_clear();
}

char *
sp_confkey_join(const char *const *words, guint n, const char *last)
{
	GString *out = g_string_new(NULL);

	for (guint i = 0; i < n; i++)
		g_string_append_printf(out, "%s%s",
				       i == 0      ? ""
				       : i + 1 < n ? ", "
						   : last,
				       words[i]);
	return g_string_free(out, FALSE);
}
