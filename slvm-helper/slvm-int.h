/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Inside the slvm library: the liblvm2cmd handle, what LVM's metadata says
 * and what device-mapper has, and the judgement between the two. Not for
 * the hook (slvm.h is its contract) nor the program (slvm-admin.h). */
#pragma once

#include <glib.h>

#include "slvm.h"

struct SpSlvm {
	void *lvm; /* lvm2_init() */
	const SpSlvmConfig *cfg;
	/* While a report runs: its rows (LVM2_... lines), else NULL. */
	GPtrArray *rows;
	/* LVM's first error line of the running command. */
	char *first_error;
	/* Device directory, "/dev" (tests point it elsewhere). */
	char *dev_dir;
};

/* The words of every report (lvs, vgs) here: rows as LVM2_KEY='value', and
 * backup/backup=0: a report writes /etc/lvm/backup/VG whenever this host's
 * copy is older than the metadata (LVM's check_current_backup), which on a
 * shared VG is after every change another host made; a report only reads. */
#define SP_SLVM_REPORT "--noheadings", "--nameprefixes", "--config", "backup/backup=0"

/* Run one LVM command in-process. Each word goes to lvm2_run() as one
 * argument: it must be non-empty and hold no space, quote or leading '#'
 * (lvm2_run splits a line; names validated by sp-names never do). With rows
 * non-NULL every line LVM prints is added to it (a report's rows, with
 * --nameprefixes; lvmconfig's key=value lines). */
int sp_slvm_lvm(SpSlvm *slvm, GPtrArray *rows, const char *const *argv) G_GNUC_WARN_UNUSED_RESULT;
/* A --nameprefixes row, LVM2_KEY='value' ..., as key (without LVM2_, lower
 * case) -> value; NULL if the line is not one. */
GHashTable *sp_slvm_report_row(const char *line);

/* What the metadata says about the LVs of a VG (hidden ones included). */
typedef struct {
	char *name;
	char *uuid; /* dashes removed, as device-mapper's uuid has it */
	guint64 sectors;
} SpSlvmMetaLv;

typedef struct {
	char *vg;
	char *vg_uuid; /* dashes removed; NULL when the VG has no LV */
	guint64 seqno;
	GPtrArray *lvs; /* SpSlvmMetaLv * */
} SpSlvmMeta;

void sp_slvm_meta_free(SpSlvmMeta *meta);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SpSlvmMeta, sp_slvm_meta_free)
/* Read vg's metadata from the disk (one lvs): every LV, or those select
 * (LVM's -S, e.g. "lv_uuid=...||lv_uuid=...") picks. */
SpSlvmMeta *sp_slvm_meta_read(SpSlvm *slvm, const char *vg, const char *select)
	G_GNUC_WARN_UNUSED_RESULT;
/* The rows of a report on vg's LVs, turned into metadata. */
SpSlvmMeta *sp_slvm_meta_from_rows(const char *vg, GPtrArray *rows) G_GNUC_WARN_UNUSED_RESULT;
const SpSlvmMetaLv *sp_slvm_meta_lv_by_uuid(const SpSlvmMeta *meta, const char *uuid);
const SpSlvmMetaLv *sp_slvm_meta_lv_by_name(const SpSlvmMeta *meta, const char *name);

/* A device-mapper device of a VG, as the kernel has it. */
typedef struct {
	char *name;  /* dm name: VG-LV with '-' doubled inside each part */
	char *lv;    /* LV part of the name */
	char *layer; /* "-real", "-cow"... part, or NULL */
	char *uuid;  /* "LVM-" VGUUID LVUUID [-layer], or what else it has */
	guint64 sectors;
	int open_count;
	guint32 major, minor;
} SpDmDev;

void sp_dm_dev_free(SpDmDev *dev);
/* The kernel's devices whose name belongs to vg (SpDmDev *, by name). */
GPtrArray *sp_dm_list(const char *vg) G_GNUC_WARN_UNUSED_RESULT;
/* One device by dm name: 1 found (*dev set), 0 none, -1 error. */
int sp_dm_get(const char *name, SpDmDev **dev) G_GNUC_WARN_UNUSED_RESULT;
/* Remove a device that nothing holds open, and its /dev/mapper node. */
int sp_dm_remove(const char *name) G_GNUC_WARN_UNUSED_RESULT;

/* How a VG's device stands against the metadata. */
typedef enum {
	SP_DEV_CURRENT,   /* its LV, its size */
	SP_DEV_STALE,     /* its LV, but the table is not the metadata's */
	SP_DEV_GONE,      /* its LV is gone from the metadata */
	SP_DEV_GONE_OPEN, /* gone, and still open here */
	SP_DEV_LAYER,     /* a layer under an LV (snapshot, mirror...): left to LVM */
	SP_DEV_NOT_LVM,   /* named like the VG's, not made by LVM */
} SpDevState;

SpDevState sp_slvm_dev_judge(const SpSlvmMeta *meta, const SpDmDev *dev, const SpSlvmMetaLv **lv);
const char *sp_slvm_dev_state_name(SpDevState state);

/* Nodes under dev_dir/VG and dev_dir/mapper that name a device of vg the
 * kernel does not have (devs: sp_dm_list(vg)): paths, to be removed. */
GPtrArray *sp_slvm_stale_nodes(const char *dev_dir, const char *vg, const GPtrArray *devs);
