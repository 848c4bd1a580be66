/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One call of the hook, from its arguments and the domain XML to the plan:
 * everything but carrying it out, shared by the hook and --plan so that
 * --plan shows exactly what the hook would do. */
#pragma once

#include <glib.h>

#include "hook-config.h"
#include "hook-ops.h"
#include "hook-xml.h"
#include "slvm.h"

typedef struct {
	const char *config_dir;
	const char *domain;
	const SpHookRule *rule;
	SpHookConfig cfg;
	SpDomainInfo *info;
	SpSlvmConfig *slvm;   /* read only when the VM has block disks */
	gboolean nets_broken; /* networks.conf has errors: netplug's ensure decides */
	GPtrArray *plan;      /* SpAction * */
} SpHookCall;

/* Read DIR/hook.conf into call->cfg (defaults, and -1 with the error set,
 * on errors). */
int sp_hook_call_configure(SpHookCall *call) G_GNUC_WARN_UNUSED_RESULT;
/* Read the XML and the configuration it needs, and make call->plan; -1
 * with the error set when the call must fail (or, for calls that may not
 * fail, cannot be carried out). */
int sp_hook_call_plan(SpHookCall *call, const char *xml, size_t len) G_GNUC_WARN_UNUSED_RESULT;
void sp_hook_call_clear(SpHookCall *call);
