/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Values as admins write them in config files: numbers, yes/no, durations
 * ("90s", "5m", "2h", "300ms"; a bare number is seconds) and shares ("90%",
 * or "90" meaning the same). Each returns 0, or -1 with the error set to a
 * message about the text alone ("'5x' is not a duration: ..."), which the
 * caller puts at the value's position. */
#pragma once

#include <glib.h>

/* A finite number within [min, max]. */
int sp_value_double(const char *text, double min, double max, double *out)
	G_GNUC_WARN_UNUSED_RESULT;
/* A whole number within [min, max]. */
int sp_value_uint(const char *text, guint min, guint max, guint *out) G_GNUC_WARN_UNUSED_RESULT;
/* yes/no, true/false, on/off, 1/0. */
int sp_value_bool(const char *text, gboolean *out) G_GNUC_WARN_UNUSED_RESULT;
/* A duration in seconds within [min_s, max_s]. */
int sp_value_duration(const char *text, double min_s, double max_s, double *out_s)
	G_GNUC_WARN_UNUSED_RESULT;
/* A share as a fraction ("90%" -> 0.9) within [min, max] (fractions). */
int sp_value_percent(const char *text, double min, double max, double *out)
	G_GNUC_WARN_UNUSED_RESULT;
