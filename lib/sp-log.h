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

/* Log the current sp_error at ERROR level with the location that set it. */
void sp_log_last_error(const char *event);
