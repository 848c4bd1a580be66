/* SPDX-License-Identifier: GPL-2.0-or-later */
/* slvm: volume groups on a shared LUN, used by many hosts, without a cluster
 * stack. The library behind slvm-helper and sparrow-hook.
 *
 * Contract between the two (the slvm-helper work owns this file and may
 * refine it; the hook codes against it):
 *   - slvm.conf says which VGs Sparrow manages and how each is locked;
 *   - the hook calls refresh, then activate, for each LV of a starting VM on
 *     a managed VG, and deactivate when the VM has left the host;
 *   - everything runs in-process through one liblvm2cmd handle; names reach
 *     LVM's argv only after sp_name_vg_valid()/sp_name_lv_valid().
 *
 * Link with SLVM_LIBS (slvm-helper/Makefile.inc). Every function that can
 * fail returns -1 (or NULL) with the error set once (sp-error.h). Calls on
 * one VG from several processes of this host (two VMs starting at once)
 * take turns on /run/sparrow/slvm-VG.lock. */
#pragma once

#include <glib.h>

#include "sp-diag.h"

#define SP_SLVM_CONFIG_FILE "slvm.conf"
/* In a lock = lvmlockd VG: the LV that holds the VMs' sanlock leases (a
 * sanlock resource index, then one 1 MiB lease per VM). */
#define SP_SLVM_LEASES_LV "sparrow-leases"

typedef enum {
	/* lvmlockd + sanlock: metadata changes under lvmlockd's VG lock from
	 * any host; LVs active shared where a VM runs; "one host at a time" is
	 * the libvirt sanlock lease of each VM. */
	SP_SLVM_LOCK_LVMLOCKD,
	/* One writer host changes metadata; every host re-reads it before it
	 * activates. Nothing stops a VM being started twice by hand. */
	SP_SLVM_LOCK_NONE,
} SpSlvmLock;

typedef struct {
	char *name; /* the VG */
	SpSlvmLock lock;
	char *writer; /* SP_SLVM_LOCK_NONE: the one host that changes metadata */
} SpSlvmVg;

typedef struct SpSlvmConfig SpSlvmConfig;

/* DIR/slvm.conf. Every problem goes to diag as FILE:LINE:COL and gives NULL;
 * a missing file is a configuration that manages no VG. */
SpSlvmConfig *sp_slvm_config_load(const char *dir, SpDiag *diag) G_GNUC_WARN_UNUSED_RESULT;
SpSlvmConfig *sp_slvm_config_parse(const char *path, const char *text, SpDiag *diag)
	G_GNUC_WARN_UNUSED_RESULT;
void sp_slvm_config_free(SpSlvmConfig *cfg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SpSlvmConfig, sp_slvm_config_free)
/* The managed VG called vg, or NULL when Sparrow does not manage it. */
const SpSlvmVg *sp_slvm_config_vg(const SpSlvmConfig *cfg, const char *vg);
/* The i-th managed VG in file order, or NULL past the last. */
const SpSlvmVg *sp_slvm_config_nth(const SpSlvmConfig *cfg, guint i);

typedef struct SpSlvm SpSlvm;

/* The process's liblvm2cmd handle (lvm2_init), LVM's output routed to
 * sp_log. NULL with the error set. One per process: liblvm2cmd's log
 * function is process-wide. */
SpSlvm *sp_slvm_open(const SpSlvmConfig *cfg) G_GNUC_WARN_UNUSED_RESULT;
void sp_slvm_close(SpSlvm *slvm);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SpSlvm, sp_slvm_close)

/* Bring this host's devices of vg in line with its metadata on the disk:
 * reload device-mapper tables of active LVs that are stale against it,
 * remove devices of LVs that are gone (one still open here is left, and an
 * error), remove nodes no device is behind. With no device of vg here the
 * metadata is not read: nothing can be stale, and an activation builds its
 * table from the metadata as it is then. */
int sp_slvm_refresh(SpSlvm *slvm, const char *vg) G_GNUC_WARN_UNUSED_RESULT;
/* Activate vg/lv on this host (shared: -asy in an lvmlockd VG, else -aey;
 * ignored in a lock = none VG); done already is success. */
int sp_slvm_activate(SpSlvm *slvm, const char *vg, const char *lv, gboolean shared)
	G_GNUC_WARN_UNUSED_RESULT;
/* The same for several LVs of vg (NULL-terminated) in one LVM command:
 * LVM reads the VG's metadata once per command, which for a VG of 1,000
 * LVs is most of an activation's time. On failure some may be active. */
int sp_slvm_activate_lvs(SpSlvm *slvm, const char *vg, const char *const *lvs, gboolean shared)
	G_GNUC_WARN_UNUSED_RESULT;
/* Deactivate vg/lv here; not active or not there is success. */
int sp_slvm_deactivate(SpSlvm *slvm, const char *vg, const char *lv) G_GNUC_WARN_UNUSED_RESULT;
