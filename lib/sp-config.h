/* Admin-written INI files (firewall.conf, networks.conf, lc-migrated.conf).
 *
 * GKeyFile holds the values; around it this adds what admins need and GKeyFile
 * lacks: every error names FILE:LINE, "# comments" may follow a value, a
 * duplicated group or key is an error rather than a silent override, and the
 * file is refused unless it is owned by us and writable only by its owner
 * (a root hook must not obey a file someone else can edit). */
#pragma once

#include <glib.h>

#include "sp-diag.h"

typedef struct SpConfig SpConfig;

/* Open path for reading only if it is a regular file (checked before the
 * open: no FIFO or device is ever opened), owned by the user running us and
 * not writable by group or others: the fd, or -1 with the error set. */
int sp_file_open_trusted(const char *path) G_GNUC_WARN_UNUSED_RESULT;

/* The whole of a file opened with sp_file_open_trusted() (it may hold NUL
 * bytes: *len says how long it is), or NULL with the error set. */
char *sp_file_read_trusted(const char *path, gsize *len) G_GNUC_WARN_UNUSED_RESULT;

/* Load path. Syntax problems go to diag (every one of them) and give NULL;
 * an unreadable or untrusted file gives NULL with the error set and one line
 * in diag. */
SpConfig *sp_config_load(const char *path, SpDiag *diag) G_GNUC_WARN_UNUSED_RESULT;
/* The same from text already in memory (tests, stdin); no trust check. */
SpConfig *sp_config_parse(const char *path, const char *text, SpDiag *diag)
	G_GNUC_WARN_UNUSED_RESULT;
void sp_config_free(SpConfig *cfg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SpConfig, sp_config_free)

const char *sp_config_path(const SpConfig *cfg);
GKeyFile *sp_config_keyfile(const SpConfig *cfg);
/* Groups in file order (owned by cfg). */
const char *const *sp_config_groups(const SpConfig *cfg);
/* Line of a key, or of the group header when key is NULL; 0 if absent. */
int sp_config_line(const SpConfig *cfg, const char *group, const char *key);

/* The value (owned by cfg), or NULL when the key is absent. */
const char *sp_config_get(const SpConfig *cfg, const char *group, const char *key);
/* A comma-separated list, items trimmed, empty items refused into diag.
 * NULL when the key is absent; free with g_strfreev(). */
char **sp_config_get_list(const SpConfig *cfg, const char *group, const char *key, SpDiag *diag);
/* Report (into diag) every key of group that is not in allowed. */
void sp_config_check_keys(const SpConfig *cfg, const char *group, const char *const *allowed,
			  SpDiag *diag);
/* Add "FILE:LINE: message" for a key (or the group when key is NULL). */
void sp_config_diag(const SpConfig *cfg, SpDiag *diag, const char *group, const char *key,
		    const char *fmt, ...) G_GNUC_PRINTF(5, 6);
