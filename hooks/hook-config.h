/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hook.conf: the hook's own settings, in its config dir.
 *
 *   [hook]
 *   budget = 30        # seconds one call may take, all included
 *   log-level = info   # error, warn, info or debug */
#pragma once

#include <glib.h>

#include "sp-diag.h"
#include "sp-log.h"

#define SP_HOOK_CONFIG_FILE "hook.conf"
#define SP_HOOK_BUDGET_DEFAULT 30
#define SP_HOOK_BUDGET_MAX 3600

typedef struct {
	int budget_s;
	SpLogLevel log_level;
} SpHookConfig;

/* Fill cfg from DIR/hook.conf (defaults when there is none). Every problem
 * goes to diag as FILE:LINE and gives -1, cfg then holding the defaults. */
int sp_hook_config_load(const char *dir, SpHookConfig *cfg, SpDiag *diag) G_GNUC_WARN_UNUSED_RESULT;
/* The same from text (tests). */
int sp_hook_config_parse(const char *path, const char *text, SpHookConfig *cfg, SpDiag *diag)
	G_GNUC_WARN_UNUSED_RESULT;
