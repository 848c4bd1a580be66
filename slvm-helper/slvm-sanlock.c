/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The VMs' sanlock leases, for lock = lvmlockd VGs.
 *
 * Where they live: lvmlockd already keeps a sanlock lockspace for each
 * shared VG ("lvm_VG", on the VG's hidden lvmlock LV), joined by every host
 * that ran vgchange --lock-start with its own host_id. A resource lease may
 * sit on any disk as long as its lockspace is joined, so the VMs' leases go
 * in that same lockspace, on an ordinary LV of the VG (sparrow-leases): one
 * host_id per host (lvmlocal.conf), one join per VG, one expiry rule. The
 * LV holds sanlock's resource index (rindex) at offset 0, its internal lease
 * at 1 MiB, then one 1 MiB lease per VM: sanlock allocates the slots itself
 * under that internal lease, so two hosts giving leases at once never take
 * the same one.
 *
 * What libvirt does with them: qemu.conf lock_manager = "sanlock" and the
 * <lease> in the domain XML (lockspace lvm_VG, key, path, offset); libvirt
 * holds the lease while the VM's QEMU runs, lets go when it pauses for the
 * end of a migration and takes it on the target before it resumes. */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include <sanlock.h>
#include <sanlock_admin.h>
#include <sanlock_rv.h>
#include <stdlib.h>
#include <string.h>

#include "slvm-admin.h"
#include "sp-error.h"
#include "sp-names.h"

char *
sp_slvm_lockspace_name(const char *vg)
{
	g_autofree char *name = g_strdup_printf("lvm_%s", vg);

	if (!sp_name_vg_valid(vg))
		return NULL;
	/* lvmlockd's own naming; sanlock names have 48 bytes. */
	if (strlen(name) >= SANLK_NAME_LEN) {
		sp_error("volume group name '%s' is too long for a sanlock lockspace (lvm_%s: at "
			 "most %d characters)",
			 vg, vg, SANLK_NAME_LEN - 1);
		return NULL;
	}
	return g_steal_pointer(&name);
}

char *
sp_slvm_leases_path(const char *vg)
{
	return g_strdup_printf("/dev/%s/%s", vg, SP_SLVM_LEASES_LV);
}

/* sanlock's own words for its errors, errno's for errno values. */
static void
error_sanlock(int rv, const char *what, const char *vg)
{
	if (rv > -200)
		sp_error_errno(-rv, "sanlock: cannot %s for volume group '%s'", what, vg);
	else
		sp_error("sanlock: cannot %s for volume group '%s': %s (%d)", what, vg,
			 sanlock_strerror(rv), rv);
}

int
sp_slvm_lockspace_state(const char *vg, char **state)
{
	g_autofree char *name = sp_slvm_lockspace_name(vg);
	struct sanlk_lockspace *lss = NULL;
	int count = 0, rv;

	if (!name)
		return -1;
	if ((rv = sanlock_get_lockspaces(&lss, &count, 0)) < 0 && rv != -ENOSPC) {
		error_sanlock(rv, "list lockspaces (is the sanlock daemon running?)", vg);
		free(lss);
		return -1;
	}
	*state = g_strdup("not joined");
	for (int i = 0; i < count; i++) {
		if (strncmp(lss[i].name, name, SANLK_NAME_LEN) != 0)
			continue;
		g_free(*state);
		if (lss[i].flags & SANLK_LSF_ADD)
			*state = g_strdup("joining");
		else if (lss[i].flags & SANLK_LSF_REM)
			*state = g_strdup("leaving");
		else
			*state = g_strdup_printf("joined (host_id %" G_GUINT64_FORMAT ")",
						 (guint64) lss[i].host_id);
	}
	free(lss);
	return 0;
}

static int
rindex_init(const char *vg, struct sanlk_rindex *rx)
{
	g_autofree char *name = sp_slvm_lockspace_name(vg);
	g_autofree char *path = sp_slvm_leases_path(vg);

	if (!name)
		return -1;
	memset(rx, 0, sizeof(*rx));
	memcpy(rx->lockspace_name, name, strlen(name));
	g_strlcpy(rx->disk.path, path, sizeof(rx->disk.path));
	rx->disk.offset = 0;
	return 0;
}

int
sp_slvm_leases_formatted(const char *vg)
{
	struct sanlk_rindex rx;
	struct sanlk_rentry re = {0};
	int rv;

	if (rindex_init(vg, &rx) < 0)
		return -1;
	/* No name, no offset: asks for the first free slot, which reads the
	 * index header first. */
	rv = sanlock_lookup_rindex(&rx, 0, &re);
	if (rv == SANLK_RINDEX_MAGIC || rv == SANLK_RINDEX_VERSION)
		return 0;
	if (rv < 0 && rv != -ENOENT && rv != -ENOSPC) {
		error_sanlock(rv, "read the leases' index", vg);
		return -1;
	}
	return 1;
}

int
sp_slvm_leases_format(const char *vg)
{
	struct sanlk_rindex rx;
	int rv;

	if (rindex_init(vg, &rx) < 0)
		return -1;
	if ((rv = sanlock_format_rindex(&rx, 0)) < 0) {
		error_sanlock(rv, "format the leases' index", vg);
		return -1;
	}
	return 0;
}

int
sp_slvm_lease_get(const char *vg, const char *key, guint64 *offset, gboolean *created)
{
	struct sanlk_rindex rx;
	struct sanlk_rentry re = {0};
	int rv;

	if (strlen(key) >= SANLK_NAME_LEN) {
		sp_error("lease key '%s' is longer than %d characters", key, SANLK_NAME_LEN - 1);
		return -1;
	}
	if (rindex_init(vg, &rx) < 0)
		return -1;
	memcpy(re.name, key, strlen(key));
	rv = sanlock_lookup_rindex(&rx, 0, &re);
	if (rv == 0 && re.offset) {
		*offset = re.offset;
		*created = FALSE;
		return 0;
	}
	if (rv < 0 && rv != -ENOENT) {
		error_sanlock(rv, "look a lease up in the leases' index", vg);
		return -1;
	}
	memset(&re, 0, sizeof(re));
	memcpy(re.name, key, strlen(key));
	if ((rv = sanlock_create_resource(&rx, 0, &re, 0, 0)) < 0) {
		error_sanlock(rv, "make a lease", vg);
		return -1;
	}
	*offset = re.offset;
	*created = TRUE;
	return 0;
}
