/* SPDX-License-Identifier: GPL-2.0-or-later */
/* refresh, activate, deactivate: what the hook does for a VM's LVs.
 *
 * The disk is shared and other hosts change its metadata, so this host's
 * device-mapper state may lag behind it: an LV extended elsewhere keeps its
 * old table here (the guest sees the old size, and writes past it land in
 * whatever the LV's new extents are not: Proxmox's corruption bug, fixed in
 * pve-storage 628a921 by a refresh before use), an LV removed elsewhere
 * keeps its device. refresh brings device-mapper in line with the metadata
 * just read; activate and deactivate are LVM's own, in-process. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "slvm-int.h"
#include "sp-error.h"
#include "sp-lock.h"
#include "sp-log.h"
#include "sp-names.h"

/* Two VMs starting at once on this host must not refresh and activate the
 * same VG in between each other (one removing a device the other is about
 * to use); LVM's own VG lock covers single commands only. */
#define VG_LOCK_TIMEOUT_MS 20000

static SpLock *
vg_lock(const char *vg)
{
	g_autofree char *path = g_strdup_printf(SP_LOCK_DIR "/slvm-%s.lock", vg);
	g_autofree char *what = g_strdup_printf("another slvm call on volume group '%s'", vg);

	return sp_lock_take(path, what, VG_LOCK_TIMEOUT_MS);
}

static const SpSlvmVg *
managed_vg(SpSlvm *slvm, const char *vg)
{
	const SpSlvmVg *v;

	if (!sp_name_vg_valid(vg))
		return NULL;
	if (!slvm->cfg || !(v = sp_slvm_config_vg(slvm->cfg, vg))) {
		sp_error("volume group '%s' is not managed by Sparrow (no [vg %s] in slvm.conf)",
			 vg, vg);
		return NULL;
	}
	return v;
}

static int
refresh_lv(SpSlvm *slvm, const char *vg, const char *lv)
{
	g_autofree char *target = g_strdup_printf("%s/%s", vg, lv);
	const char *argv[] = {"lvchange", "--refresh", target, NULL};

	return sp_slvm_lvm(slvm, NULL, argv);
}

/* Bring vg's devices (devs, listed just before) in line with meta (read
 * just before), and remove the nodes no device is behind. */
static int
sync_devices(SpSlvm *slvm, const SpSlvmMeta *meta, GPtrArray *devs, int *changed)
{
	g_autoptr(GPtrArray) now = NULL;
	g_autoptr(GPtrArray) nodes = NULL;

	for (guint i = 0; i < devs->len; i++) {
		const SpDmDev *dev = g_ptr_array_index(devs, i);
		const SpSlvmMetaLv *lv;

		switch (sp_slvm_dev_judge(meta, dev, &lv)) {
		case SP_DEV_STALE:
			if (refresh_lv(slvm, meta->vg, lv->name) < 0)
				return -1;
			sp_log_info("slvm.reload",
				    "%s/%s: device-mapper table reloaded (%" G_GUINT64_FORMAT
				    " -> %" G_GUINT64_FORMAT " sectors%s%s)",
				    meta->vg, lv->name, dev->sectors, lv->sectors,
				    strcmp(dev->lv, lv->name) ? ", was " : "",
				    strcmp(dev->lv, lv->name) ? dev->lv : "");
			(*changed)++;
			break;
		case SP_DEV_GONE:
			if (sp_dm_remove(dev->name) < 0)
				return -1;
			sp_log_info("slvm.remove", "%s/%s: device of a removed LV removed",
				    meta->vg, dev->lv);
			(*changed)++;
			break;
		case SP_DEV_GONE_OPEN:
			sp_error("logical volume %s/%s is gone from the metadata but its device "
				 "is open here (%d): stop what uses it, then refresh again",
				 meta->vg, dev->lv, dev->open_count);
			return -1;
		case SP_DEV_CURRENT:
		case SP_DEV_LAYER:
		case SP_DEV_NOT_LVM:
			break;
		}
	}
	if (*changed && !(devs = now = sp_dm_list(meta->vg)))
		return -1;
	nodes = sp_slvm_stale_nodes(slvm->dev_dir, meta->vg, devs);
	for (guint i = 0; i < nodes->len; i++) {
		const char *path = g_ptr_array_index(nodes, i);

		if (unlink(path) < 0 && errno != ENOENT) {
			sp_error_errno(errno, "cannot remove stale node '%s'", path);
			return -1;
		}
		sp_log_info("slvm.node", "stale node '%s' removed", path);
		(*changed)++;
	}
	return 0;
}

/* What the metadata says about the LVs behind devs: LVM reads the whole
 * metadata either way, but a report's rows are what costs (0.15-0.5 s for
 * 1,000 LVs under TCG), so only the devices' LVs are asked for, by uuid
 * (a renamed LV keeps it), unless there are many. */
#define SELECT_MAX 32

static SpSlvmMeta *
meta_for(SpSlvm *slvm, const char *vg, const GPtrArray *devs)
{
	g_autoptr(GString) sel = g_string_new(NULL);

	for (guint i = 0; i < devs->len && devs->len <= SELECT_MAX; i++) {
		const char *u = ((const SpDmDev *) g_ptr_array_index(devs, i))->uuid;
		const char *lv;

		/* LVM-, the VG's 32 characters, the LV's 32: 6-4-4-4-4-4-6. */
		if (!u || !g_str_has_prefix(u, "LVM-") || strlen(u) < 4 + 64)
			continue;
		lv = u + 4 + 32;
		g_string_append_printf(sel, "%slv_uuid=%.6s-%.4s-%.4s-%.4s-%.4s-%.4s-%.6s",
				       sel->len ? "||" : "", lv, lv + 6, lv + 10, lv + 14, lv + 18,
				       lv + 22, lv + 26);
	}
	return sp_slvm_meta_read(slvm, vg, devs->len <= SELECT_MAX && sel->len ? sel->str : NULL);
}

int
sp_slvm_refresh(SpSlvm *slvm, const char *vg)
{
	g_autoptr(SpLock) lock = NULL;
	g_autoptr(SpSlvmMeta) meta = NULL;
	g_autoptr(GPtrArray) devs = NULL;
	int changed = 0;

	if (!managed_vg(slvm, vg) || !(lock = vg_lock(vg)) || !(devs = sp_dm_list(vg)))
		return -1;
	/* No device of the VG here: none can be stale, and an activation
	 * builds its table from the metadata as it is on the disk now. */
	if (devs->len == 0) {
		g_autoptr(SpSlvmMeta) none = g_new0(SpSlvmMeta, 1);

		none->vg = g_strdup(vg);
		none->lvs = g_ptr_array_new();
		return sync_devices(slvm, none, devs, &changed);
	}
	if (!(meta = meta_for(slvm, vg, devs)) || sync_devices(slvm, meta, devs, &changed) < 0)
		return -1;
	sp_log_debug("slvm.refresh",
		     "%s: metadata seqno %" G_GUINT64_FORMAT ", %u devices, %d fixed", vg,
		     meta->seqno, devs->len, changed);
	return 0;
}

int
sp_slvm_activate_lvs(SpSlvm *slvm, const char *vg, const char *const *lvs, gboolean shared)
{
	const SpSlvmVg *v = managed_vg(slvm, vg);
	g_autoptr(SpLock) lock = NULL;
	g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *names = NULL;
	const char *mode;

	if (!v || !lvs[0])
		return v ? 0 : -1;
	for (int i = 0; lvs[i]; i++) {
		if (!sp_name_lv_valid(lvs[i]))
			return -1;
	}
	if (!(lock = vg_lock(vg)))
		return -1;
	/* In an lvmlockd VG, -ay would mean -aey: say which. */
	if (v->lock == SP_SLVM_LOCK_LVMLOCKD)
		mode = shared ? "-asy" : "-aey";
	else
		mode = "-ay";
	/* -K: the VM asked for these LVs by name, activation skip or not. */
	g_ptr_array_add(argv, g_strdup("lvchange"));
	g_ptr_array_add(argv, g_strdup(mode));
	g_ptr_array_add(argv, g_strdup("-K"));
	for (int i = 0; lvs[i]; i++)
		g_ptr_array_add(argv, g_strdup_printf("%s/%s", vg, lvs[i]));
	g_ptr_array_add(argv, NULL);
	if (sp_slvm_lvm(slvm, NULL, (const char *const *) argv->pdata) < 0)
		return -1;
	names = g_strjoinv(", ", (char **) lvs);
	sp_log_info("slvm.activate", "%s: %s activated (%s)", vg, names, mode);
	return 0;
}

int
sp_slvm_activate(SpSlvm *slvm, const char *vg, const char *lv, gboolean shared)
{
	const char *lvs[] = {lv, NULL};

	return sp_slvm_activate_lvs(slvm, vg, lvs, shared);
}

int
sp_slvm_deactivate(SpSlvm *slvm, const char *vg, const char *lv)
{
	const SpSlvmVg *v = managed_vg(slvm, vg);
	g_autoptr(SpLock) lock = NULL;
	g_autofree char *target = NULL;
	g_autofree char *dm_name = NULL;
	g_autofree char *why = NULL;
	g_autoptr(GPtrArray) devs = NULL;
	g_autoptr(SpSlvmMeta) meta = NULL;
	SpDmDev *dev = NULL;
	int rc, changed = 0;

	if (!v || !sp_name_lv_valid(lv) || !(lock = vg_lock(vg)))
		return -1;
	target = g_strdup_printf("%s/%s", vg, lv);
	dm_name = sp_name_dm(vg, lv);
	if ((rc = sp_dm_get(dm_name, &dev)) < 0)
		return -1;
	sp_dm_dev_free(dev);
	/* Without a device there is nothing to undo, except under lvmlockd,
	 * where a start killed between lock and device may hold the LV's
	 * lock: lvchange -an drops it. */
	if (rc == 0 && v->lock != SP_SLVM_LOCK_LVMLOCKD)
		return 0;
	{
		const char *argv[] = {"lvchange", "-an", target, NULL};

		if (sp_slvm_lvm(slvm, NULL, argv) == 0) {
			sp_log_info("slvm.deactivate", "%s deactivated", target);
			return 0;
		}
	}
	if (rc == 0) {
		/* No device, and LVM knows no such LV (or could not drop a
		 * lock it may not hold): nothing is active here. */
		sp_log_debug("slvm.deactivate", "%s: %s", target, sp_error_message());
		sp_error_clear();
		return 0;
	}
	/* Removed on another host while active here: LVM no longer knows it,
	 * and its device goes as a refresh would remove it. */
	why = g_strdup(sp_error_message());
	if (!(devs = sp_dm_list(vg)) || !(meta = meta_for(slvm, vg, devs)) ||
	    sync_devices(slvm, meta, devs, &changed) < 0)
		return -1;
	if (sp_dm_get(dm_name, &dev) != 0) {
		sp_dm_dev_free(dev);
		sp_error("%s", why);
		return -1;
	}
	return 0;
}
