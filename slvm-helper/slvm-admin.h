/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What slvm-helper does beyond the hook's contract (slvm.h): status, the
 * writer-only metadata changes of lock = none, host setup checks and the
 * VMs' sanlock leases. Errors as in slvm.h. */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

#include "slvm.h"

/* One LV of a VG as this host sees it: in the metadata, in device-mapper,
 * or both. */
typedef struct {
	char *name;
	guint64 meta_sectors; /* 0: not in the metadata (gone) */
	gboolean active;      /* a device-mapper device here */
	guint64 dm_sectors;
	int open_count;
	const char *state;  /* sp_slvm_dev_state_name(), or "inactive" */
	GPtrArray *holders; /* char *: "pid 123 qemu-system-x86 (guest web1)" */
} SpSlvmLvStatus;

typedef struct {
	char *vg;
	SpSlvmLock lock;
	char *writer;
	gboolean this_is_writer;
	char *error; /* the VG could not be read: why (the rest is empty) */
	guint64 seqno;
	char *lock_type;        /* the VG's own, as LVM reports it: sanlock, none... */
	char *lockspace;        /* lvmlockd VGs: "joined (host_id N)", "not joined"... */
	GPtrArray *lvs;         /* SpSlvmLvStatus *: active ones, and hidden ones never */
	GPtrArray *stale_nodes; /* char * paths */
} SpSlvmStatus;

void sp_slvm_status_free(SpSlvmStatus *st);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SpSlvmStatus, sp_slvm_status_free)
/* How vg stands on this host. A VG LVM cannot read still gives a status,
 * with error set; NULL (error set) only for a VG slvm.conf does not name. */
SpSlvmStatus *sp_slvm_status(SpSlvm *slvm, const char *vg) G_GNUC_WARN_UNUSED_RESULT;
void sp_slvm_status_text(const SpSlvmStatus *st, GString *out);
void sp_slvm_status_json(const SpSlvmStatus *st, GString *out);

/* This host's name as writer = compares it (gethostname, up to the first
 * dot). */
char *sp_slvm_host_name(void);
/* Metadata changes through slvm-helper. In a lock = none VG only the writer
 * host may make them; elsewhere they are refused before LVM is asked.
 * size: LVM's -L argument ("10G", "+1G" for extend), checked. */
int sp_slvm_lv_create(SpSlvm *slvm, const char *vg, const char *lv, const char *size)
	G_GNUC_WARN_UNUSED_RESULT;
int sp_slvm_lv_extend(SpSlvm *slvm, const char *vg, const char *lv, const char *size)
	G_GNUC_WARN_UNUSED_RESULT;
int sp_slvm_lv_remove(SpSlvm *slvm, const char *vg, const char *lv) G_GNUC_WARN_UNUSED_RESULT;

/* sanlock, for lock = lvmlockd VGs. lvmlockd keeps one lockspace per VG,
 * "lvm_VG", joined at vgchange --lock-start; the VMs' leases live in it too
 * (no second host_id, no second join), on the LV SP_SLVM_LEASES_LV. */
char *sp_slvm_lockspace_name(const char *vg) G_GNUC_WARN_UNUSED_RESULT;
/* "joined (host_id N)", "joining", "leaving" or "not joined"; -1 with the
 * error set when sanlock cannot be asked. */
int sp_slvm_lockspace_state(const char *vg, char **state) G_GNUC_WARN_UNUSED_RESULT;
/* The leases LV's path, /dev/VG/sparrow-leases. */
char *sp_slvm_leases_path(const char *vg) G_GNUC_WARN_UNUSED_RESULT;
/* 1 when the leases LV holds a sanlock resource index, 0 when it holds
 * something else (or nothing), -1 when it cannot be read. */
int sp_slvm_leases_formatted(const char *vg) G_GNUC_WARN_UNUSED_RESULT;
/* Write a new, empty resource index on the leases LV. */
int sp_slvm_leases_format(const char *vg) G_GNUC_WARN_UNUSED_RESULT;
/* The offset of key's lease in vg's leases LV, made (a free slot taken under
 * sanlock's own index lease, so two hosts never take the same one) when it
 * does not exist yet; *created says which. */
int sp_slvm_lease_get(const char *vg, const char *key, guint64 *offset, gboolean *created)
	G_GNUC_WARN_UNUSED_RESULT;

/* A domain's XML (libvirt's, parsed by the caller) and its lease: the
 * domain's UUID (the lease's key) and the VG that holds the lease: named_vg,
 * else the one lock = lvmlockd VG its block disks are on, else the only
 * lock = lvmlockd VG of cfg. */
int sp_slvm_lease_target(const SpSlvmConfig *cfg, xmlDoc *doc, const char *named_vg, char **uuid,
			 const char **vg) G_GNUC_WARN_UNUSED_RESULT;
/* Add <lease><lockspace/><key/><target path offset/></lease> to the XML's
 * <devices>: 0 added, 1 the same lease is there already, -1 (error set)
 * when another lease is. */
int sp_slvm_lease_put(xmlDoc *doc, const char *lockspace, const char *key, const char *path,
		      guint64 offset) G_GNUC_WARN_UNUSED_RESULT;
