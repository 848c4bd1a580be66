/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Building the plan (see hook-plan.h). */
#include "config.h"

#include <string.h>

#include "hook-plan.h"
#include "sp-error.h"
#include "sp-log.h"
#include "sp-names.h"

static void
action_free(gpointer data)
{
	SpAction *a = data;

	g_free(a->vg);
	g_free(a->lv);
	g_free(a->bridge);
	g_free(a);
}

static SpAction *
action_add(GPtrArray *plan, SpActionKind kind, const char *vg, const char *lv)
{
	SpAction *a = g_new0(SpAction, 1);

	a->kind = kind;
	a->vg = g_strdup(vg);
	a->lv = g_strdup(lv);
	g_ptr_array_add(plan, a);
	return a;
}

static gboolean
vg_managed(const char *vg, void *data)
{
	const SpPlanEnv *env = data;

	return env->vg_find(vg, env->data) != NULL;
}

/* The LVs of the VM's disks on managed VGs, once each, in document order:
 * "VG/LV" -> nothing, with vgs[] and lvs[] in order. Release skips what it
 * cannot read; prepare refuses it. */
static int
collect_lvs(SpHookDo what, const SpDomainInfo *info, const SpPlanEnv *env, GPtrArray *vgs,
	    GPtrArray *lvs)
{
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	for (guint i = 0; i < info->block_paths->len; i++) {
		const char *path = g_ptr_array_index(info->block_paths, i);
		g_autofree char *vg = NULL, *lv = NULL;
		int rc = sp_name_lv_from_path(path, vg_managed, (void *) env, &vg, &lv);

		if (rc < 0 && what == SP_HOOK_DO_PREPARE)
			return -1;
		if (rc < 0) {
			sp_log_warn("hook.skip", "%s; not deactivated", sp_error_message());
			sp_error_clear();
			continue;
		}
		if (rc == 0)
			continue;
		if (!g_hash_table_add(seen, g_strdup_printf("%s/%s", vg, lv)))
			continue;
		g_ptr_array_add(vgs, g_steal_pointer(&vg));
		g_ptr_array_add(lvs, g_steal_pointer(&lv));
	}
	return 0;
}

/* lvmlockd makes metadata safe to change from any host, but only the
 * VM's sanlock lease (libvirt's lock manager) keeps it from running on two
 * hosts at once: shared activation lets both open the LV. */
static int
check_lease(const char *domain, const SpDomainInfo *info, const SpPlanEnv *env, GPtrArray *vgs)
{
	if (info->has_lease)
		return 0;
	for (guint i = 0; i < vgs->len; i++) {
		const SpSlvmVg *vg = env->vg_find(g_ptr_array_index(vgs, i), env->data);

		if (vg->lock == SP_SLVM_LOCK_LVMLOCKD) {
			sp_error(
				"domain '%s' has disks on lvmlockd volume group '%s' but no <lease> "
				"that keeps it from running on two hosts: run 'slvm-helper lease %s'",
				domain, vg->name, domain);
			return -1;
		}
	}
	return 0;
}

static void
plan_bridges(const SpDomainInfo *info, const SpPlanEnv *env, GPtrArray *plan)
{
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);

	for (guint i = 0; i < info->bridges->len; i++) {
		const char *bridge = g_ptr_array_index(info->bridges, i);

		if (!g_hash_table_add(seen, (gpointer) bridge) ||
		    !env->bridge_managed(bridge, env->data))
			continue;
		action_add(plan, SP_ACTION_ENSURE_BRIDGE, NULL, NULL)->bridge = g_strdup(bridge);
	}
}

GPtrArray *
sp_hook_plan(SpHookDo what, const char *domain, const SpDomainInfo *info, const SpPlanEnv *env)
{
	g_autoptr(GPtrArray) plan = g_ptr_array_new_with_free_func(action_free);
	g_autoptr(GPtrArray) vgs = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) lvs = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GHashTable) refreshed = g_hash_table_new(g_str_hash, g_str_equal);

	if (what == SP_HOOK_DO_NOTHING)
		return g_steal_pointer(&plan);
	if (collect_lvs(what, info, env, vgs, lvs) < 0)
		return NULL;
	if (what == SP_HOOK_DO_RELEASE) {
		for (guint i = 0; i < vgs->len; i++)
			action_add(plan, SP_ACTION_DEACTIVATE, g_ptr_array_index(vgs, i),
				   g_ptr_array_index(lvs, i));
		return g_steal_pointer(&plan);
	}
	if (check_lease(domain, info, env, vgs) < 0)
		return NULL;
	for (guint i = 0; i < vgs->len; i++) {
		const char *vg = g_ptr_array_index(vgs, i);

		/* Metadata may have changed on another host since this one
		 * last looked: re-read it before the first activation. */
		if (g_hash_table_add(refreshed, (gpointer) vg))
			action_add(plan, SP_ACTION_REFRESH, vg, NULL);
		action_add(plan, SP_ACTION_ACTIVATE, vg, g_ptr_array_index(lvs, i))->shared =
			env->vg_find(vg, env->data)->lock == SP_SLVM_LOCK_LVMLOCKD;
	}
	plan_bridges(info, env, plan);
	return g_steal_pointer(&plan);
}

char *
sp_action_describe(const SpAction *a)
{
	switch (a->kind) {
	case SP_ACTION_REFRESH:
		return g_strdup_printf("refresh %s", a->vg);
	case SP_ACTION_ACTIVATE:
		return g_strdup_printf("activate %s/%s", a->vg, a->lv);
	case SP_ACTION_DEACTIVATE:
		return g_strdup_printf("deactivate %s/%s", a->vg, a->lv);
	case SP_ACTION_ENSURE_BRIDGE:
		break;
	}
	return g_strdup_printf("ensure-bridge %s", a->bridge);
}
