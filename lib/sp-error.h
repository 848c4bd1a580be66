/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Error reporting, libvirt style: an error is recorded once, where it happens,
 * with its source location; callers only return -1 (or NULL) upwards and the
 * top level (main(), a hook entry point) logs or prints it once.
 *
 * The error lives in thread-local storage, so a thread never sees another's.
 * Setting a new error replaces the previous one: the first failure sets it and
 * callers must not overwrite it with vaguer text. */
#pragma once

#include <glib.h>

typedef struct {
	char *message;    /* a whole sentence, values quoted */
	int errnum;       /* errno behind it, or 0 */
	const char *file; /* where it was set (string literal) */
	int line;
	const char *func;
} SpError;

void sp_error_set_full(const char *file, int line, const char *func, int errnum, const char *fmt,
		       ...) G_GNUC_PRINTF(5, 6);

/* sp_error(fmt, ...): record an error without errno. */
#define sp_error(...) sp_error_set_full(__FILE__, __LINE__, G_STRFUNC, 0, __VA_ARGS__)
/* sp_error_errno(errnum, fmt, ...): the message gets ": strerror(errnum)". */
#define sp_error_errno(errnum, ...) \
	sp_error_set_full(__FILE__, __LINE__, G_STRFUNC, (errnum), __VA_ARGS__)

/* The current error, or NULL when none is set. */
const SpError *sp_error_last(void);
/* Its message, or "unknown error" so that callers can always print it. */
const char *sp_error_message(void);
void sp_error_clear(void);
/* Prepend context ("FILE: ") to the current error, keeping its location. */
void sp_error_prefix(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

/* Another library's message that starts one of ours (GLib's option parser:
 * "Unknown option --x", "Cannot parse integer value “x” for --n") in our
 * voice: the first letter in lower case unless the first word is an acronym
 * ("IPv6", "UUID"), and curly quotes as '. Caller frees. */
char *sp_error_voice(const char *text) G_GNUC_WARN_UNUSED_RESULT;

/* g_option_context_parse() for a main(): a usage error becomes the current
 * error, in our voice and pointing at --help ("unknown option --x (see
 * --help)"), and -1. */
int sp_options_parse(GOptionContext *ctx, int *argc, char ***argv) G_GNUC_WARN_UNUSED_RESULT;
