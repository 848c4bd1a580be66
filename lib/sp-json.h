/* SPDX-License-Identifier: GPL-2.0-or-later */
/* JSON output (netplug status --json, lc-sim --json): written by hand, since
 * it is a few flat objects, but with strings escaped in one place. */
#pragma once

#include <glib.h>

/* Append s as a JSON string, quotes included. JSON text is UTF-8, and s may
 * be any bytes (a link alias someone set): what is not UTF-8 becomes U+FFFD,
 * then quotes, backslashes and control characters are escaped. */
void sp_json_append_string(GString *out, const char *s);
