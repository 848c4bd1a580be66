/* Disk paths to VG/LV (see hook-lvpath.h). */
#include "config.h"

#include <string.h>

#include "hook-lvpath.h"
#include "sp-error.h"
#include "sp-names.h"

/* Undouble "--" into "-" in s[0..len). */
static char *
undouble(const char *s, size_t len)
{
	GString *out = g_string_sized_new(len);

	for (size_t i = 0; i < len; i++) {
		g_string_append_c(out, s[i]);
		if (s[i] == '-' && i + 1 < len && s[i + 1] == '-')
			i++;
	}
	return g_string_free(out, FALSE);
}

/* Index of the first '-' that is not half of a "--", or -1. */
static gssize
single_dash(const char *s)
{
	for (size_t i = 0; s[i]; i++) {
		if (s[i] != '-')
			continue;
		if (s[i + 1] == '-') {
			i++;
			continue;
		}
		return (gssize) i;
	}
	return -1;
}

gboolean
sp_hook_dm_name_split(const char *name, char **vg, char **lv, gboolean *extra)
{
	gssize cut = single_dash(name);
	const char *rest;

	if (cut <= 0)
		return FALSE;
	rest = name + cut + 1;
	*extra = single_dash(rest) >= 0;
	*vg = undouble(name, (size_t) cut);
	*lv = *extra ? g_strdup(rest) : undouble(rest, strlen(rest));
	return TRUE;
}

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
		g_autofree char *dm_vg = NULL, *dm_lv = NULL;
		gboolean extra = FALSE;

		if (c->len != 3 ||
		    !sp_hook_dm_name_split(g_ptr_array_index(c, 2), &dm_vg, &dm_lv, &extra) ||
		    !managed(dm_vg, data))
			return 0;
		if (extra) {
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
