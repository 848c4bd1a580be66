/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The hook's plan: what one call will do, decided before anything is done,
 * so that `sparrow-hook --plan` prints exactly what the hook would carry
 * out, and a refusal happens before the first change. */
#pragma once

#include <glib.h>

#include "hook-ops.h"
#include "hook-xml.h"
#include "slvm.h"

typedef enum {
	SP_ACTION_REFRESH,       /* vg */
	SP_ACTION_ACTIVATE,      /* vg, lv, shared */
	SP_ACTION_DEACTIVATE,    /* vg, lv */
	SP_ACTION_ENSURE_BRIDGE, /* bridge */
} SpActionKind;

typedef struct {
	SpActionKind kind;
	char *vg;
	char *lv;
	gboolean shared; /* activate shared: the VG is lock = lvmlockd */
	char *bridge;
} SpAction;

/* What the planner needs to know about the host's configuration. */
typedef struct {
	/* The managed VG called vg, or NULL. */
	const SpSlvmVg *(*vg_find)(const char *vg, void *data);
	/* Does networks.conf define bridge (TRUE as well when the file has
	 * errors: netplug's ensure then decides, tolerantly)? */
	gboolean (*bridge_managed)(const char *bridge, void *data);
	void *data;
} SpPlanEnv;

/* The actions for what (a GPtrArray of SpAction *, maybe empty), or NULL
 * with the error set when the VM must not start: an LV path on a managed VG
 * that names no usable LV, or LVs on an lvmlockd VG and no <lease>. Release
 * never refuses: a bad path there is logged and skipped. Order: each VG's
 * refresh before its first activate, LVs once each in document order, then
 * bridges once each. */
GPtrArray *sp_hook_plan(SpHookDo what, const char *domain, const SpDomainInfo *info,
			const SpPlanEnv *env) G_GNUC_WARN_UNUSED_RESULT;

/* "refresh VG", "activate VG/LV", "deactivate VG/LV", "ensure-bridge NAME":
 * one line of --plan's output. */
char *sp_action_describe(const SpAction *action);
