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
