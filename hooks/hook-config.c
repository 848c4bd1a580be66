/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hook.conf (see hook-config.h). */
#include "config.h"

#include <stdlib.h>

#include "hook-config.h"
#include "sp-config.h"
#include "sp-error.h"

static void
defaults(SpHookConfig *cfg)
{
	cfg->budget_s = SP_HOOK_BUDGET_DEFAULT;
	cfg->log_level = SP_LOG_INFO;
}

static int
read_config(const SpConfig *c, SpHookConfig *cfg, SpDiag *diag)
{
	static const char *const keys[] = {"budget", "log-level", NULL};
	const char *const *groups = sp_config_groups(c);
	guint before = sp_diag_count(diag);
	SpHookConfig got;
	const char *v;

	defaults(&got);
	for (int i = 0; groups[i]; i++) {
		if (g_strcmp0(groups[i], "hook") != 0)
			sp_config_diag(c, diag, groups[i], NULL,
				       "unknown section [%s] (hook.conf has only [hook])",
				       groups[i]);
	}
	sp_config_check_keys(c, "hook", keys, diag);
	if ((v = sp_config_get(c, "hook", "budget"))) {
		char *end;
		long n = strtol(v, &end, 10);

		if (!*v || *end || n < 1 || n > SP_HOOK_BUDGET_MAX)
			sp_config_diag(c, diag, "hook", "budget",
				       "budget must be a number of seconds from 1 to %d, not '%s'",
				       SP_HOOK_BUDGET_MAX, v);
		else
			got.budget_s = (int) n;
	}
	if ((v = sp_config_get(c, "hook", "log-level")) &&
	    sp_log_level_parse(v, &got.log_level) < 0) {
		sp_config_diag(c, diag, "hook", "log-level", "%s", sp_error_message());
		sp_error_clear();
	}
	if (sp_diag_count(diag) > before)
		return -1;
	*cfg = got;
	return 0;
}

int
sp_hook_config_parse(const char *path, const char *text, SpHookConfig *cfg, SpDiag *diag)
{
	g_autoptr(SpConfig) c = sp_config_parse(path, text, diag);

	defaults(cfg);
	return c ? read_config(c, cfg, diag) : -1;
}

int
sp_hook_config_load(const char *dir, SpHookConfig *cfg, SpDiag *diag)
{
	g_autofree char *path = g_build_filename(dir, SP_HOOK_CONFIG_FILE, NULL);
	g_autoptr(SpConfig) c = NULL;

	defaults(cfg);
	if (!g_file_test(path, G_FILE_TEST_EXISTS))
		return 0;
	if (!(c = sp_config_load(path, diag)))
		return -1;
	return read_config(c, cfg, diag);
}
