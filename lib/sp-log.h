/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Logging: stderr when a person runs the program in the foreground, syslog
 * when libvirtd or a service manager does. One line per event, logfmt style
 * (level=... event=... msg="..."), so that grep and log shippers both read it.
 *
 * What each level is for:
 *   ERROR  something failed and an admin must act (a VM did not start, a
 *          filter was not applied). Anything at this level should not happen.
 *   WARN   something unexpected that Sparrow worked around.
 *   INFO   a change Sparrow made to the host (LV activated, filter defined,
 *          VM migrated): the audit trail.
 *   DEBUG  why a decision was taken; off unless asked for. */
#pragma once

#include <glib.h>

#include "sp-diag.h"

typedef enum {
	SP_LOG_ERROR = 0,
	SP_LOG_WARN,
	SP_LOG_INFO,
	SP_LOG_DEBUG,
} SpLogLevel;

typedef enum {
	SP_LOG_STDERR,
	SP_LOG_SYSLOG,
} SpLogTarget;

/* ident names the program in every line; level is the most verbose shown. */
void sp_log_init(const char *ident, SpLogTarget target, SpLogLevel level);
/* Parse "error", "warn", "info" or "debug"; -1 with the error set otherwise. */
int sp_log_level_parse(const char *name, SpLogLevel *level) G_GNUC_WARN_UNUSED_RESULT;

/* event: a short dotted name that does not change between releases
 * ("lv.activate"); the message is free text for people. */
void sp_log(SpLogLevel level, const char *event, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

#define sp_log_error(event, ...) sp_log(SP_LOG_ERROR, (event), __VA_ARGS__)
#define sp_log_warn(event, ...) sp_log(SP_LOG_WARN, (event), __VA_ARGS__)
#define sp_log_info(event, ...) sp_log(SP_LOG_INFO, (event), __VA_ARGS__)
#define sp_log_debug(event, ...) sp_log(SP_LOG_DEBUG, (event), __VA_ARGS__)

/* The one way a program reports the error that ends a command, once, from
 * main() or a hook's entry point: the current sp_error (sp-error.h), which
 * is then cleared. A person (SP_LOG_STDERR) reads "IDENT: message" on
 * stderr; syslog gets a logfmt ERROR line with the event and the place
 * that set the error: "level=error event=EVENT src=FILE:LINE msg=...". */
void sp_log_last_error(const char *event);
/* Input errors that end a command: every record of diag, to a person as
 * "FILE:LINE:COL: message" lines on stderr, to syslog as one logfmt ERROR
 * line each (msg="FILE:LINE:COL: message"). The caller then reports what
 * it did about them (sp_diag_to_error(), sp_log_last_error()). */
void sp_log_diag(const char *event, const SpDiag *diag);
