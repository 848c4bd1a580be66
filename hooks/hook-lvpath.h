/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Which logical volume a disk path names: /dev/VG/LV, or /dev/mapper/VG-LV
 * with device-mapper's escaping (a '-' inside a VG or LV name is doubled;
 * the single '-' separates them). */
#pragma once

#include <glib.h>

/* Is vg a volume group Sparrow manages? */
typedef gboolean (*SpVgManagedFn)(const char *vg, void *data);

/* 1 when path names an LV of a managed VG (*vg and *lv set, to free), 0
 * when it is not on a managed VG (another device, an unmanaged VG, a
 * relative path), -1 with the error set (naming the path) when it is on a
 * managed VG but does not name a usable LV: a reserved or invalid LV name, a
 * deeper path, or a device-mapper layer of an LV ("VG-LV-real"). The path
 * is read lexically ("//", "." and ".." resolved, symlinks not followed). */
int sp_hook_lv_from_path(const char *path, SpVgManagedFn managed, void *data, char **vg, char **lv)
	G_GNUC_WARN_UNUSED_RESULT;
