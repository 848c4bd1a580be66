/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Admin-written INI files (firewall.conf, networks.conf, slvm.conf, lc.conf).
 *
 *   # a comment line (or ; ...)
 *   [group name]          # a comment may follow, after white space
 *   key = value, may be a list   # ...
 *
 * One reader of our own, in one pass, because GKeyFile keeps no positions:
 * every group, key, value and list item keeps its line and column, so that
 * every error of every program reads FILE:LINE:COL: message (sp-diag.h says
 * how a column is counted: bytes from 1). A duplicated group or key is an
 * error rather than a silent override; a value is the text after '=',
 * trimmed, up to a '#' that follows white space ('#' inside a value stays:
 * a URL fragment, say); nothing is unescaped. sp_config_load() reads the
 * file only if it can be trusted (sp-file.h).
 *
 * Where errors point: an error about a group points at its name (after the
 * '['), an error about a key at the key's name, whatever part of the line it
 * judges, and an error about one item of a list at that item. */
#pragma once

#include <glib.h>

#include "sp-diag.h"
#include "sp-file.h"
#include "sp-list.h"

typedef struct SpConfig SpConfig;

/* Load path (trusted, text, no larger than SP_FILE_MAX_SIZE). Every problem
 * goes to diag, with its position, and gives NULL. */
SpConfig *sp_config_load(const char *path, SpDiag *diag) G_GNUC_WARN_UNUSED_RESULT;
/* The same from text already in memory (tests, stdin); no trust check. */
SpConfig *sp_config_parse(const char *path, const char *text, SpDiag *diag)
	G_GNUC_WARN_UNUSED_RESULT;
void sp_config_free(SpConfig *cfg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SpConfig, sp_config_free)

/* The path given to load or parse: the FILE of every record. */
const char *sp_config_path(const SpConfig *cfg);
/* Groups in file order (owned by cfg, NULL-terminated). */
const char *const *sp_config_groups(const SpConfig *cfg);
/* The keys of group in file order (owned by cfg, NULL-terminated; empty
 * when there is no such group). */
const char *const *sp_config_keys(const SpConfig *cfg, const char *group);

/* The value (owned by cfg), or NULL when the key is absent. */
const char *sp_config_get(const SpConfig *cfg, const char *group, const char *key);
/* A comma-separated list, items trimmed; every empty item is reported into
 * diag at its column. NULL when the key is absent, no items when the value
 * is empty; free with g_strfreev(). */
char **sp_config_get_list(const SpConfig *cfg, const char *group, const char *key, SpDiag *diag);
/* The same list with each item's column (SpListItem, sp-list.h), empty
 * items kept as "" for the caller to judge; the line is the key's. NULL when
 * the key is absent; free with g_array_unref(). */
GArray *sp_config_get_items(const SpConfig *cfg, const char *group, const char *key);

/* Line of a key, or of the group header when key is NULL; 0 if absent. */
int sp_config_line(const SpConfig *cfg, const char *group, const char *key);
/* Column of the key's name, or of the group's name when key is NULL; 0 if
 * absent. */
int sp_config_col(const SpConfig *cfg, const char *group, const char *key);
/* Column of the key's value (of the end of the line when the value is
 * empty); 0 if absent. */
int sp_config_value_col(const SpConfig *cfg, const char *group, const char *key);

/* Report (into diag, at each key) every key of group that is not in
 * allowed. */
void sp_config_check_keys(const SpConfig *cfg, const char *group, const char *const *allowed,
			  SpDiag *diag);
/* Add "FILE:LINE:COL: message" at a key's name, or at the group's name when
 * key is NULL or absent from the group. */
void sp_config_diag(const SpConfig *cfg, SpDiag *diag, const char *group, const char *key,
		    const char *fmt, ...) G_GNUC_PRINTF(5, 6);
/* The same at one item of the key's list (from sp_config_get_items()). */
void sp_config_diag_item(const SpConfig *cfg, SpDiag *diag, const char *group, const char *key,
			 const SpListItem *item, const char *fmt, ...) G_GNUC_PRINTF(6, 7);
/* The same at byte offset within the group's name: a group "vm NAME" (or
 * "vg NAME") reports about its NAME at offset 3, about a character of NAME
 * at 3 plus its offset in NAME. */
void sp_config_diag_group_at(const SpConfig *cfg, SpDiag *diag, const char *group, int offset,
			     const char *fmt, ...) G_GNUC_PRINTF(5, 6);
