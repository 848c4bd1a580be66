/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "sp-error.h"
#include "sp-value.h"

/* The number at the start of text (C locale, no hex, no inf/nan); *end
 * after it. FALSE when there is none. */
static gboolean
number_prefix(const char *text, double *out, const char **end)
{
	char *e = NULL;
	double v;

	/* strtod would take "0x10", "inf" and leading blanks: not numbers an
	 * admin means. */
	if (!g_ascii_isdigit(text[0]) && !(text[0] == '.' && g_ascii_isdigit(text[1])) &&
	    !(text[0] == '-' && (g_ascii_isdigit(text[1]) || text[1] == '.')))
		return FALSE;
	if (strpbrk(text, "xX"))
		return FALSE;
	errno = 0;
	v = g_ascii_strtod(text, &e);
	if (errno || e == text || !isfinite(v))
		return FALSE;
	*out = v;
	*end = e;
	return TRUE;
}

static int
range_check(const char *text, const char *what, double v, double min, double max)
{
	if (v < min || v > max) {
		sp_error("'%s' is out of range for %s (%.10g to %.10g)", text, what, min, max);
		return -1;
	}
	return 0;
}

int
sp_value_double(const char *text, double min, double max, double *out)
{
	const char *end;
	double v;

	if (!number_prefix(text, &v, &end) || *end) {
		sp_error("'%s' is not a number", text);
		return -1;
	}
	if (range_check(text, "this value", v, min, max) < 0)
		return -1;
	*out = v;
	return 0;
}

int
sp_value_uint(const char *text, guint min, guint max, guint *out)
{
	guint64 v;

	if (!g_ascii_string_to_unsigned(text, 10, min, max, &v, NULL)) {
		sp_error("'%s' is not a whole number from %u to %u", text, min, max);
		return -1;
	}
	*out = (guint) v;
	return 0;
}

int
sp_value_bool(const char *text, gboolean *out)
{
	static const char *const yes[] = {"yes", "true", "on", "1", NULL};
	static const char *const no[] = {"no", "false", "off", "0", NULL};

	if (g_strv_contains(yes, text)) {
		*out = TRUE;
		return 0;
	}
	if (g_strv_contains(no, text)) {
		*out = FALSE;
		return 0;
	}
	sp_error("'%s' is not yes or no", text);
	return -1;
}

int
sp_value_duration(const char *text, double min_s, double max_s, double *out_s)
{
	static const struct {
		const char *unit;
		double s;
	} units[] = {{"", 1}, {"ms", 0.001}, {"s", 1}, {"m", 60}, {"h", 3600}, {"d", 86400}};
	const char *end;
	double v;

	if (number_prefix(text, &v, &end)) {
		for (guint i = 0; i < G_N_ELEMENTS(units); i++) {
			if (strcmp(end, units[i].unit) == 0) {
				v *= units[i].s;
				if (range_check(text, "a duration", v, min_s, max_s) < 0)
					return -1;
				*out_s = v;
				return 0;
			}
		}
	}
	sp_error("'%s' is not a duration (a number of seconds, or with a unit: 300ms, 30s, 5m, "
		 "2h, 1d)",
		 text);
	return -1;
}

int
sp_value_percent(const char *text, double min, double max, double *out)
{
	const char *end;
	double v;

	if (!number_prefix(text, &v, &end) || (*end && strcmp(end, "%") != 0)) {
		sp_error("'%s' is not a percentage (such as 90%%)", text);
		return -1;
	}
	v /= 100;
	if (v < min || v > max) {
		sp_error("'%s' is out of range (%g%% to %g%%)", text, min * 100, max * 100);
		return -1;
	}
	*out = v;
	return 0;
}
