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
 *     LVM's argv only after sp_name_vg_valid()/sp_name_lv_valid(). */
#pragma once

#include <glib.h>

#include "sp-diag.h"

#define SP_SLVM_CONFIG_FILE "slvm.conf"

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

typedef struct SpSlvm SpSlvm;

/* The process's liblvm2cmd handle (lvm2_init), LVM's output routed to
 * sp_log. NULL with the error set. */
SpSlvm *sp_slvm_open(const SpSlvmConfig *cfg) G_GNUC_WARN_UNUSED_RESULT;
void sp_slvm_close(SpSlvm *slvm);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SpSlvm, sp_slvm_close)

/* Re-read vg's metadata from the disk; reload device-mapper tables of active
 * LVs that are stale against it; remove device nodes of LVs that are gone. */
int sp_slvm_refresh(SpSlvm *slvm, const char *vg) G_GNUC_WARN_UNUSED_RESULT;
/* Activate vg/lv on this host (shared: -asy in an lvmlockd VG); done already
 * is success. */
int sp_slvm_activate(SpSlvm *slvm, const char *vg, const char *lv, gboolean shared)
	G_GNUC_WARN_UNUSED_RESULT;
/* Deactivate vg/lv here; not active or not there is success. */
int sp_slvm_deactivate(SpSlvm *slvm, const char *vg, const char *lv) G_GNUC_WARN_UNUSED_RESULT;
