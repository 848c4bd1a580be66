/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "sp-json.h"

void
sp_json_append_string(GString *out, const char *s)
{
	g_autofree char *valid = g_utf8_make_valid(s ? s : "", -1);

	g_string_append_c(out, '"');
	for (const char *p = valid; *p; p++) {
		unsigned char c = (unsigned char) *p;

		if (c == '"' || c == '\\')
			g_string_append_printf(out, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			g_string_append_printf(out, "\\u%04x", c);
		else
			g_string_append_c(out, (char) c);
	}
	g_string_append_c(out, '"');
}
