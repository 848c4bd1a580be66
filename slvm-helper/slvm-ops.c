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

/* Bring vg's devices in line with meta (read just before). */
static int
sync_devices(SpSlvm *slvm, const SpSlvmMeta *meta, int *changed)
{
	g_autoptr(GPtrArray) devs = sp_dm_list(meta->vg);
	g_autoptr(GPtrArray) nodes = NULL;

	if (!devs)
		return -1;
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
	if (*changed) {
		g_ptr_array_free(devs, TRUE);
		if (!(devs = sp_dm_list(meta->vg)))
			return -1;
	}
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

int
sp_slvm_refresh(SpSlvm *slvm, const char *vg)
{
	g_autoptr(SpLock) lock = NULL;
	g_autoptr(SpSlvmMeta) meta = NULL;
	int changed = 0;

	if (!managed_vg(slvm, vg) || !(lock = vg_lock(vg)))
		return -1;
	if (!(meta = sp_slvm_meta_read(slvm, vg)) || sync_devices(slvm, meta, &changed) < 0)
		return -1;
	sp_log_debug("slvm.refresh", "%s: metadata seqno %" G_GUINT64_FORMAT ", %u LVs, %d fixed",
		     vg, meta->seqno, meta->lvs->len, changed);
	return 0;
}

int
sp_slvm_activate(SpSlvm *slvm, const char *vg, const char *lv, gboolean shared)
{
	const SpSlvmVg *v = managed_vg(slvm, vg);
	g_autoptr(SpLock) lock = NULL;
	g_autofree char *target = NULL;
	const char *mode;

	if (!v || !sp_name_lv_valid(lv) || !(lock = vg_lock(vg)))
		return -1;
	/* In an lvmlockd VG, -ay would mean -aey: say which. */
	if (v->lock == SP_SLVM_LOCK_LVMLOCKD)
		mode = shared ? "-asy" : "-aey";
	else
		mode = "-ay";
	target = g_strdup_printf("%s/%s", vg, lv);
	{
		/* -K: the VM asked for this LV by name, activation skip or not. */
		const char *argv[] = {"lvchange", mode, "-K", target, NULL};

		if (sp_slvm_lvm(slvm, NULL, argv) < 0)
			return -1;
	}
	sp_log_info("slvm.activate", "%s activated (%s)", target, mode);
	return 0;
}

int
sp_slvm_deactivate(SpSlvm *slvm, const char *vg, const char *lv)
{
	const SpSlvmVg *v = managed_vg(slvm, vg);
	g_autoptr(SpLock) lock = NULL;
	g_autofree char *target = NULL;
	g_autofree char *dm_name = NULL;
	g_autoptr(SpSlvmMeta) meta = NULL;
	SpDmDev *dev = NULL;
	int rc;

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
	if (!(meta = sp_slvm_meta_read(slvm, vg)))
		return -1;
	if (!sp_slvm_meta_lv_by_name(meta, lv)) {
		int changed = 0;

		/* Removed on another host while active here: LVM no longer
		 * knows it; its device goes as refresh would. */
		return rc == 0 ? 0 : sync_devices(slvm, meta, &changed);
	}
	{
		const char *argv[] = {"lvchange", "-an", target, NULL};

		if (sp_slvm_lvm(slvm, NULL, argv) < 0)
			return -1;
	}
	sp_log_info("slvm.deactivate", "%s deactivated", target);
	return 0;
}
