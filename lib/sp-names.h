/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Validators for names that end up in paths, in argv of helper programs or in
 * XML attributes. Input comes from domain XML and admin files, which a root
 * hook must treat as hostile: each validator accepts a conservative subset of
 * what the kernel, LVM or libvirt allow, so a name can never be an option
 * ("-rf"), a path ("../x"), or carry spaces or control characters.
 * Each returns TRUE, or FALSE with the error set to say what is wrong. */
#pragma once

#include <glib.h>

/* LVM volume group: [A-Za-z0-9+_.-], not starting with '-', not "." or "..",
 * at most 127 characters (LVM's own limits). */
gboolean sp_name_vg_valid(const char *name);
/* LVM logical volume: as a VG, and not one of LVM's reserved names or
 * suffixes ("snapshot", "pvmove", "_mlog", "_rimage", ...). */
gboolean sp_name_lv_valid(const char *name);
/* Network interface: 1 to 15 bytes (IFNAMSIZ - 1), [A-Za-z0-9_.-], not
 * starting with '-' or '.', not "." or "..". */
gboolean sp_name_ifname_valid(const char *name);
/* libvirt domain as Sparrow accepts it: 1 to 64 of [A-Za-z0-9_.+-], starting
 * with a letter or digit. */
gboolean sp_name_domain_valid(const char *name);
/* Policy, network and other admin-chosen names: [a-z0-9][a-z0-9_-]{0,max-1}. */
gboolean sp_name_simple_valid(const char *what, const char *name, int max);

/* device-mapper's name of LVM's vg/lv: the two joined by '-', a '-' inside
 * either doubled ("a-b"/"c" is "a--b-c"). */
char *sp_name_dm(const char *vg, const char *lv);
/* Split such a name into VG, LV and layer ("a--b-c-real": "a-b", "c",
 * "real"; *layer NULL when there is none); FALSE if it is not one (an empty
 * part, or more than three). */
gboolean sp_name_dm_split(const char *name, char **vg, char **lv, char **layer);

/* Is vg a volume group the caller manages? */
typedef gboolean (*SpVgManagedFn)(const char *vg, void *data);
/* Which LV a disk path names: /dev/VG/LV, or /dev/mapper/VG-LV (as
 * sp_name_dm_split() reads it). 1 when it is an LV of a managed VG (*vg and
 * *lv set, to free); 0 when the path is not on a managed VG (another device,
 * an unmanaged VG, a relative path); -1 with the error set (naming the path)
 * when it is on a managed VG but names no usable LV: an invalid or reserved
 * LV name, a deeper path, a device-mapper layer ("VG-LV-real"). The path is
 * read as text ("//", "." and ".." resolved, symlinks not followed). */
int sp_name_lv_from_path(const char *path, SpVgManagedFn managed, void *data, char **vg, char **lv)
	G_GNUC_WARN_UNUSED_RESULT;
/* Host in the cluster inventory (hosts.conf), as a host name may be: 1 to
 * 63 of [A-Za-z0-9_.-], starting with a letter or digit. */
gboolean sp_name_host_valid(const char *name);
