/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <string.h>

#include "sp-error.h"
#include "sp-names.h"

/* Check length and alphabet; extra is the punctuation allowed besides
 * letters and digits. Printable names are quoted in errors; others are not
 * echoed, so the message itself stays one clean line. */
static gboolean
check_chars(const char *what, const char *name, size_t max, const char *extra)
{
	size_t len;

	if (!name || !*name) {
		sp_error("%s name is empty", what);
		return FALSE;
	}
	len = strlen(name);
	for (const char *p = name; *p; p++) {
		if (!g_ascii_isalnum(*p) && !strchr(extra, *p)) {
			if (g_ascii_isprint(*p))
				sp_error(
					"%s name '%s' contains '%c' (allowed: letters, digits and '%s')",
					what, len <= max ? name : "(too long)", *p, extra);
			else
				sp_error("%s name contains the non-printable byte 0x%02x", what,
					 (unsigned char) *p);
			return FALSE;
		}
	}
	if (len > max) {
		sp_error("%s name '%.20s...' is %zu characters long (at most %zu)", what, name, len,
			 max);
		return FALSE;
	}
	if (name[0] == '-') {
		sp_error("%s name '%s' starts with '-'", what, name);
		return FALSE;
	}
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
		sp_error("%s name '%s' is not allowed", what, name);
		return FALSE;
	}
	return TRUE;
}

gboolean
sp_name_vg_valid(const char *name)
{
	if (!check_chars("volume group", name, 127, "+_.-"))
		return FALSE;
	/* /dev/mapper/X is device-mapper's, not a volume group's /dev/VG/LV:
	 * taking "mapper" for a VG would reach any mapped device. */
	if (strcmp(name, "mapper") == 0) {
		sp_error(
			"volume group name 'mapper' is not allowed: /dev/mapper is device-mapper's "
			"own directory");
		return FALSE;
	}
	return TRUE;
}

gboolean
sp_name_lv_valid(const char *name)
{
	/* lvm2's lib/misc/lvm-string.c: names it keeps for its own volumes. */
	static const char *const reserved_prefix[] = {"snapshot", "pvmove", NULL};
	static const char *const reserved_part[] = {
		"_cdata", "_cmeta",  "_corig", "_cpool",   "_cvol",   "_imeta",
		"_iorig", "_mimage", "_mlog",  "_pmspare", "_rimage", "_rmeta",
		"_tdata", "_tmeta",  "_vdata", "_vorigin", "_wcorig", NULL,
	};

	if (!check_chars("logical volume", name, 127, "+_.-"))
		return FALSE;
	for (int i = 0; reserved_prefix[i]; i++) {
		if (g_str_has_prefix(name, reserved_prefix[i])) {
			sp_error("logical volume name '%s' starts with '%s', which LVM reserves",
				 name, reserved_prefix[i]);
			return FALSE;
		}
	}
	for (int i = 0; reserved_part[i]; i++) {
		if (strstr(name, reserved_part[i])) {
			sp_error("logical volume name '%s' contains '%s', which LVM reserves", name,
				 reserved_part[i]);
			return FALSE;
		}
	}
	return TRUE;
}

gboolean
sp_name_ifname_valid(const char *name)
{
	if (!check_chars("interface", name, 15, "_.-"))
		return FALSE;
	if (name[0] == '.') {
		sp_error("interface name '%s' starts with '.'", name);
		return FALSE;
	}
	return TRUE;
}

gboolean
sp_name_domain_valid(const char *name)
{
	if (!check_chars("domain", name, 64, "_.+-"))
		return FALSE;
	if (!g_ascii_isalnum(name[0])) {
		sp_error("domain name '%s' must start with a letter or a digit", name);
		return FALSE;
	}
	return TRUE;
}

gboolean
sp_name_simple_valid(const char *what, const char *name, int max)
{
	if (!check_chars(what, name, (size_t) max, "_-"))
		return FALSE;
	for (const char *p = name; *p; p++) {
		if (g_ascii_isupper(*p)) {
			sp_error(
				"%s name '%s' has an upper-case letter (use a-z, 0-9, '_' and '-')",
				what, name);
			return FALSE;
		}
	}
	if (!g_ascii_isalnum(name[0])) {
		sp_error("%s name '%s' must start with a letter or a digit", what, name);
		return FALSE;
	}
	return TRUE;
}

/* One '-'-separated part of a dm name, "--" read as '-': the part, and
 * *rest after its separator (NULL at the end). */
static char *
name_part(const char *s, const char **rest)
{
	GString *part = g_string_new(NULL);

	*rest = NULL;
	for (const char *p = s; *p; p++) {
		if (*p == '-' && p[1] == '-') {
			g_string_append_c(part, '-');
			p++;
		} else if (*p == '-') {
			*rest = p + 1;
			break;
		} else {
			g_string_append_c(part, *p);
		}
	}
	return g_string_free(part, FALSE);
}

gboolean
sp_name_dm_split(const char *name, char **vg, char **lv, char **layer)
{
	const char *rest;
	g_autofree char *v = name_part(name, &rest);
	g_autofree char *l = NULL;
	g_autofree char *y = NULL;

	if (!rest || !*v)
		return FALSE;
	l = name_part(rest, &rest);
	if (!*l)
		return FALSE;
	if (rest) {
		y = name_part(rest, &rest);
		if (!*y || rest)
			return FALSE;
	}
	*vg = g_steal_pointer(&v);
	*lv = g_steal_pointer(&l);
	*layer = g_steal_pointer(&y);
	return TRUE;
}

static void
append_quoted(GString *s, const char *part)
{
	for (const char *p = part; *p; p++) {
		if (*p == '-')
			g_string_append_c(s, '-');
		g_string_append_c(s, *p);
	}
}

char *
sp_name_dm(const char *vg, const char *lv)
{
	GString *s = g_string_new(NULL);

	append_quoted(s, vg);
	g_string_append_c(s, '-');
	append_quoted(s, lv);
	return g_string_free(s, FALSE);
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
sp_name_lv_from_path(const char *path, SpVgManagedFn managed, void *data, char **vg, char **lv)
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

gboolean
sp_name_host_valid(const char *name)
{
	if (!check_chars("host", name, 63, "_.-"))
		return FALSE;
	if (!g_ascii_isalnum(name[0])) {
		sp_error("host name '%s' must start with a letter or a digit", name);
		return FALSE;
	}
	return TRUE;
}
