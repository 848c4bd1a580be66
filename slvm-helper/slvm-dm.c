/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What device-mapper has: a VG's devices, their tables' sizes, who holds
 * them open; removing a device whose LV is gone; the nodes under /dev. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <libdevmapper.h>
#include <string.h>
#include <sys/stat.h>

#include "slvm-int.h"
#include "sp-error.h"
#include "sp-names.h"

void
sp_dm_dev_free(SpDmDev *dev)
{
	if (!dev)
		return;
	g_free(dev->name);
	g_free(dev->lv);
	g_free(dev->layer);
	g_free(dev->uuid);
	g_free(dev);
}

/* Whether a device called name exists (asking for the table of one that
 * does not is an error to libdevmapper; asking for its info is not). */
static int
dm_exists(const char *name, gboolean *exists)
{
	struct dm_task *dmt = dm_task_create(DM_DEVICE_INFO);
	struct dm_info info;
	int rc = -1;

	if (!dmt) {
		sp_error("cannot talk to device-mapper (dm_task_create failed)");
		return -1;
	}
	if (dm_task_set_name(dmt, name) && dm_task_run(dmt) && dm_task_get_info(dmt, &info)) {
		*exists = info.exists;
		rc = 0;
	} else {
		sp_error("cannot read device-mapper device '%s'", name);
	}
	dm_task_destroy(dmt);
	return rc;
}

/* Table, uuid and open count of the device called name. */
static int
dm_query(const char *name, SpDmDev *dev, gboolean *exists)
{
	struct dm_task *dmt;
	struct dm_info info;
	void *next = NULL;
	int rc = -1;

	*exists = FALSE;
	if (dm_exists(name, exists) < 0)
		return -1;
	if (!*exists)
		return 0;
	*exists = FALSE;
	if (!(dmt = dm_task_create(DM_DEVICE_TABLE))) {
		sp_error("cannot talk to device-mapper (dm_task_create failed)");
		return -1;
	}
	if (!dm_task_set_name(dmt, name) || !dm_task_run(dmt) || !dm_task_get_info(dmt, &info)) {
		sp_error("cannot read device-mapper device '%s'", name);
		goto out;
	}
	rc = 0;
	if (!info.exists)
		goto out;
	*exists = TRUE;
	dev->open_count = info.open_count;
	dev->major = info.major;
	dev->minor = info.minor;
	dev->uuid = g_strdup(dm_task_get_uuid(dmt));
	do {
		uint64_t start, length;
		char *type, *params;

		next = dm_get_next_target(dmt, next, &start, &length, &type, &params);
		if (type)
			dev->sectors += length;
	} while (next);
out:
	dm_task_destroy(dmt);
	return rc;
}

int
sp_dm_get(const char *name, SpDmDev **out)
{
	g_autofree char *vg = NULL;
	g_autofree char *lv = NULL;
	g_autofree char *layer = NULL;
	SpDmDev *dev;
	gboolean exists;
	int rc;

	*out = NULL;
	if (!sp_name_dm_split(name, &vg, &lv, &layer)) {
		sp_error("'%s' is not an LVM device name", name);
		return -1;
	}
	dev = g_new0(SpDmDev, 1);
	rc = dm_query(name, dev, &exists);
	if (rc < 0 || !exists) {
		sp_dm_dev_free(dev);
		return rc;
	}
	dev->name = g_strdup(name);
	dev->lv = g_steal_pointer(&lv);
	dev->layer = g_steal_pointer(&layer);
	*out = dev;
	return 1;
}

static gint
dev_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp((*(SpDmDev *const *) a)->name, (*(SpDmDev *const *) b)->name);
}

GPtrArray *
sp_dm_list(const char *vg)
{
	g_autoptr(GPtrArray) devs = g_ptr_array_new_with_free_func((GDestroyNotify) sp_dm_dev_free);
	struct dm_task *dmt = dm_task_create(DM_DEVICE_LIST);
	struct dm_names *names;
	unsigned next = 0;
	g_autoptr(GPtrArray) ours = g_ptr_array_new_with_free_func(g_free);

	if (!dmt || !dm_task_run(dmt) || !(names = dm_task_get_names(dmt))) {
		sp_error("cannot list device-mapper devices");
		if (dmt)
			dm_task_destroy(dmt);
		return NULL;
	}
	if (names->dev) {
		do {
			g_autofree char *v = NULL;
			g_autofree char *l = NULL;
			g_autofree char *y = NULL;

			names = (struct dm_names *) ((char *) names + next);
			if (sp_name_dm_split(names->name, &v, &l, &y) && strcmp(v, vg) == 0)
				g_ptr_array_add(ours, g_strdup(names->name));
			next = names->next;
		} while (next);
	}
	dm_task_destroy(dmt);
	for (guint i = 0; i < ours->len; i++) {
		SpDmDev *dev;
		int rc = sp_dm_get(g_ptr_array_index(ours, i), &dev);

		if (rc < 0)
			return NULL;
		if (rc > 0)
			g_ptr_array_add(devs, dev);
	}
	g_ptr_array_sort(devs, dev_cmp);
	return g_steal_pointer(&devs);
}

int
sp_dm_remove(const char *name)
{
	struct dm_task *dmt = dm_task_create(DM_DEVICE_REMOVE);
	uint32_t cookie = 0;
	int ok;

	if (!dmt) {
		sp_error("cannot talk to device-mapper (dm_task_create failed)");
		return -1;
	}
	/* The cookie makes libdevmapper wait for udev to drop the node, or
	 * drop it itself where udev does not run. */
	ok = dm_task_set_name(dmt, name) && dm_task_set_cookie(dmt, &cookie, 0) && dm_task_run(dmt);
	if (cookie)
		(void) dm_udev_wait(cookie);
	dm_task_destroy(dmt);
	if (!ok) {
		sp_error("cannot remove device-mapper device '%s'", name);
		return -1;
	}
	return 0;
}

static gint
path_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/* Only what LVM or device-mapper would have made there: a link in
 * /dev/VG, a block device in /dev/mapper. */
static gboolean
node_kind_ok(const char *path, mode_t kind)
{
	struct stat st;

	return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == kind;
}

static gboolean
have_dev(const GPtrArray *devs, const char *dm_name)
{
	for (guint i = 0; i < devs->len; i++) {
		if (strcmp(((const SpDmDev *) g_ptr_array_index(devs, i))->name, dm_name) == 0)
			return TRUE;
	}
	return FALSE;
}

GPtrArray *
sp_slvm_stale_nodes(const char *dev_dir, const char *vg, const GPtrArray *devs)
{
	GPtrArray *stale = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *vg_dir = g_build_filename(dev_dir, vg, NULL);
	g_autofree char *mapper = g_build_filename(dev_dir, "mapper", NULL);
	DIR *d;
	struct dirent *e;

	/* /dev/VG/LV: LVM's links to the devices of active LVs. */
	if ((d = opendir(vg_dir))) {
		while ((e = readdir(d))) {
			g_autofree char *dm_name = NULL;
			g_autofree char *path = NULL;

			if (e->d_name[0] == '.')
				continue;
			dm_name = sp_name_dm(vg, e->d_name);
			path = g_build_filename(vg_dir, e->d_name, NULL);
			if (!have_dev(devs, dm_name) && node_kind_ok(path, S_IFLNK))
				g_ptr_array_add(stale, g_steal_pointer(&path));
		}
		closedir(d);
	}
	/* /dev/mapper/VG-LV: the device nodes themselves (udev's, or
	 * libdevmapper's where udev does not run). */
	if ((d = opendir(mapper))) {
		while ((e = readdir(d))) {
			g_autofree char *v = NULL;
			g_autofree char *l = NULL;
			g_autofree char *y = NULL;
			g_autofree char *path = NULL;

			if (e->d_name[0] == '.' || !sp_name_dm_split(e->d_name, &v, &l, &y) ||
			    strcmp(v, vg) != 0)
				continue;
			path = g_build_filename(mapper, e->d_name, NULL);
			if (!have_dev(devs, e->d_name) && node_kind_ok(path, S_IFBLK))
				g_ptr_array_add(stale, g_steal_pointer(&path));
		}
		closedir(d);
	}
	g_ptr_array_sort(stale, path_cmp);
	return stale;
}
