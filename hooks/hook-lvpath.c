/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Disk paths to VG/LV (see hook-lvpath.h). */
#include "config.h"

#include <string.h>

#include "hook-lvpath.h"
#include "sp-error.h"
#include "sp-names.h"

/* The components of an absolute path after "//", "." and ".." are resolved
 * as text; NULL for a relative path. */
static GPtrArray *
components(const char *path)
{
	g_auto(GStrv) parts = NULL;
	GPtrArray *out;

	if (path[0] != '/')
		return NULL;
	parts = g_strsplit(path, "/", -1);
	out = g_ptr_array_new_with_free_func(g_free);
	for (int i = 0; parts[i]; i++) {
		if (!*parts[i] || strcmp(parts[i], ".") == 0)
			continue;
		if (strcmp(parts[i], "..") == 0) {
			if (out->len)
				g_ptr_array_remove_index(out, out->len - 1);
			continue;
		}
		g_ptr_array_add(out, g_strdup(parts[i]));
	}
	return out;
}

static int
check_lv(const char *path, const char *vg, const char *lv, char **vg_out, char **lv_out)
{
	if (!sp_name_lv_valid(lv)) {
		sp_error_prefix("disk '%s' is on managed volume group '%s' but does not name a "
				"usable logical volume: ",
				path, vg);
		return -1;
	}
	*vg_out = g_strdup(vg);
	*lv_out = g_strdup(lv);
	return 1;
}

int
sp_hook_lv_from_path(const char *path, SpVgManagedFn managed, void *data, char **vg, char **lv)
{
	g_autoptr(GPtrArray) c = components(path);
	const char *first;

	if (!c || c->len < 2 || strcmp(g_ptr_array_index(c, 0), "dev") != 0)
		return 0;
	first = g_ptr_array_index(c, 1);
	if (strcmp(first, "mapper") == 0) {
		g_autofree char *dm_vg = NULL, *dm_lv = NULL, *layer = NULL;

		if (c->len != 3 ||
		    !sp_name_dm_split(g_ptr_array_index(c, 2), &dm_vg, &dm_lv, &layer) ||
		    !managed(dm_vg, data))
			return 0;
		if (layer) {
			sp_error(
				"disk '%s' is a device-mapper layer of a logical volume on managed "
				"volume group '%s', not a logical volume",
				path, dm_vg);
			return -1;
		}
		return check_lv(path, dm_vg, dm_lv, vg, lv);
	}
	if (!managed(first, data))
		return 0;
	if (c->len != 3) {
		sp_error("disk '%s' is on managed volume group '%s' but is not /dev/VG/LV", path,
			 first);
		return -1;
	}
	return check_lv(path, first, g_ptr_array_index(c, 2), vg, lv);
}
