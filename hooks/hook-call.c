/* SPDX-License-Identifier: GPL-2.0-or-later */
/* From a call's arguments and XML to its plan (see hook-call.h). */
#include "config.h"

#include "hook-call.h"
#include "hook-plan.h"
#include "netplug-ensure.h"
#include "sp-error.h"
#include "sp-log.h"

void
sp_hook_call_clear(SpHookCall *call)
{
	sp_domain_info_free(call->info);
	sp_slvm_config_free(call->slvm);
	if (call->plan)
		g_ptr_array_free(call->plan, TRUE);
	call->info = NULL;
	call->slvm = NULL;
	call->plan = NULL;
	call->nets_broken = FALSE;
}

int
sp_hook_call_configure(SpHookCall *call)
{
	g_autoptr(SpDiag) diag = sp_diag_new();

	if (sp_hook_config_load(call->config_dir, &call->cfg, diag) < 0) {
		sp_log_diag("hook.config", diag);
		return sp_diag_to_error(diag);
	}
	return 0;
}

static const SpSlvmVg *
vg_find(const char *vg, void *data)
{
	const SpHookCall *call = data;

	return call->slvm ? sp_slvm_config_vg(call->slvm, vg) : NULL;
}

/* networks.conf with errors does not fail the call: netplug's ensure
 * succeeds when the bridge is up anyway, so every bridge goes to it. */
static gboolean
bridge_managed(const char *bridge, void *data)
{
	SpHookCall *call = data;
	int rc;

	if (call->nets_broken)
		return TRUE;
	if ((rc = sp_netplug_bridge_configured(call->config_dir, bridge)) >= 0)
		return rc == 1;
	call->nets_broken = TRUE;
	sp_log_warn("hook.config", "%s; every bridge goes to netplug's ensure", sp_error_message());
	sp_error_clear();
	return TRUE;
}

int
sp_hook_call_plan(SpHookCall *call, const char *xml, size_t len)
{
	SpPlanEnv env = {.vg_find = vg_find, .bridge_managed = bridge_managed, .data = call};

	if (call->rule->what == SP_HOOK_DO_NOTHING) {
		call->plan = g_ptr_array_new();
		return 0;
	}
	if (!(call->info = sp_domain_info_parse(xml, len)))
		return -1;
	/* A VM without block disks (or bridges) does not depend on slvm.conf
	 * (or networks.conf): an error there must not stop it. */
	if (call->info->block_paths->len) {
		g_autoptr(SpDiag) diag = sp_diag_new();

		if (!(call->slvm = sp_slvm_config_load(call->config_dir, diag))) {
			sp_log_diag("hook.config", diag);
			if (sp_diag_to_error(diag) == 0)
				sp_error("cannot read %s in '%s'", SP_SLVM_CONFIG_FILE,
					 call->config_dir);
			return -1;
		}
	}
	call->plan = sp_hook_plan(call->rule->what, call->domain, call->info, &env);
	return call->plan ? 0 : -1;
}
