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
/* Host in the cluster inventory (hosts.conf), as a host name may be: 1 to
 * 63 of [A-Za-z0-9_.-], starting with a letter or digit. */
gboolean sp_name_host_valid(const char *name);
