/* SPDX-License-Identifier: GPL-2.0-or-later */
/* slvm-helper status: a VG as this host sees it. The metadata (seqno, lock
 * type), the LVs active here and who holds them open, devices and nodes
 * that are stale against the metadata, and the VG's lockspace. */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "slvm-admin.h"
#include "slvm-int.h"
#include "sp-error.h"
#include "sp-json.h"
#include "sp-names.h"

static void
lv_status_free(gpointer data)
{
	SpSlvmLvStatus *l = data;

	g_free(l->name);
	g_ptr_array_free(l->holders, TRUE);
	g_free(l);
}

void
sp_slvm_status_free(SpSlvmStatus *st)
{
	if (!st)
		return;
	g_free(st->vg);
	g_free(st->writer);
	g_free(st->error);
	g_free(st->lock_type);
	g_free(st->lockspace);
	g_ptr_array_free(st->lvs, TRUE);
	g_ptr_array_free(st->stale_nodes, TRUE);
	g_free(st);
}

/* QEMU names its guest in "-name guest=NAME,...": worth showing beside the
 * pid, since that is what an admin looks for. */
static char *
guest_of(const char *pid)
{
	g_autofree char *path = g_strdup_printf("/proc/%s/cmdline", pid);
	g_autofree char *cmdline = NULL;
	gsize len;

	if (!g_file_get_contents(path, &cmdline, &len, NULL))
		return NULL;
	for (gsize i = 0; i < len; i += strlen(cmdline + i) + 1) {
		const char *arg = cmdline + i;

		if (strcmp(arg, "-name") == 0 && i + strlen(arg) + 1 < len) {
			const char *v = arg + strlen(arg) + 1;

			if (g_str_has_prefix(v, "guest="))
				v += strlen("guest=");
			return g_strndup(v, strcspn(v, ","));
		}
	}
	return NULL;
}

/* Who on this host has the block device dev open: every process's open
 * descriptors, as the kernel shows them in /proc. */
static GPtrArray *
holders_of(dev_t dev)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	DIR *proc = opendir("/proc");
	struct dirent *p;

	if (!proc)
		return out;
	while ((p = readdir(proc))) {
		g_autofree char *fd_dir = NULL;
		DIR *fds;
		struct dirent *f;
		gboolean holds = FALSE;

		if (!g_ascii_isdigit(p->d_name[0]))
			continue;
		fd_dir = g_strdup_printf("/proc/%s/fd", p->d_name);
		if (!(fds = opendir(fd_dir)))
			continue;
		while (!holds && (f = readdir(fds))) {
			g_autofree char *fd_path = g_strdup_printf("%s/%s", fd_dir, f->d_name);
			struct stat st;

			holds = f->d_name[0] != '.' && stat(fd_path, &st) == 0 &&
				S_ISBLK(st.st_mode) && st.st_rdev == dev;
		}
		closedir(fds);
		if (holds) {
			g_autofree char *comm_path = g_strdup_printf("/proc/%s/comm", p->d_name);
			g_autofree char *comm = NULL;
			g_autofree char *guest = guest_of(p->d_name);

			if (!g_file_get_contents(comm_path, &comm, NULL, NULL))
				comm = g_strdup("?");
			g_strstrip(comm);
			g_ptr_array_add(out, guest ? g_strdup_printf("pid %s %s (guest %s)",
								     p->d_name, comm, guest)
						   : g_strdup_printf("pid %s %s", p->d_name, comm));
		}
	}
	closedir(proc);
	return out;
}

/* Seqno and lock type: a VG with no LV has no row in the LV report. */
static int
read_vg(SpSlvm *slvm, SpSlvmStatus *st)
{
	const char *argv[] = {"vgs", SP_SLVM_REPORT, "-o", "vg_seqno,vg_lock_type", st->vg, NULL};
	g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GHashTable) row = NULL;

	if (sp_slvm_lvm(slvm, rows, argv) < 0)
		return -1;
	if (rows->len != 1 || !(row = sp_slvm_report_row(g_ptr_array_index(rows, 0)))) {
		sp_error("LVM reported %u rows for volume group '%s'", rows->len, st->vg);
		return -1;
	}
	st->seqno = g_ascii_strtoull(g_hash_table_lookup(row, "vg_seqno") ?: "0", NULL, 10);
	st->lock_type = g_strdup(g_hash_table_lookup(row, "vg_lock_type"));
	if (!st->lock_type || !*st->lock_type) {
		g_free(st->lock_type);
		st->lock_type = g_strdup("none");
	}
	return 0;
}

SpSlvmStatus *
sp_slvm_status(SpSlvm *slvm, const char *vg)
{
	g_autoptr(SpSlvmStatus) st = g_new0(SpSlvmStatus, 1);
	const SpSlvmVg *v;
	g_autoptr(SpSlvmMeta) meta = NULL;
	g_autoptr(GPtrArray) devs = NULL;
	g_autofree char *host = NULL;

	if (!sp_name_vg_valid(vg))
		return NULL;
	if (!(v = sp_slvm_config_vg(slvm->cfg, vg))) {
		sp_error("volume group '%s' is not managed by Sparrow (no [vg %s] in slvm.conf)",
			 vg, vg);
		return NULL;
	}
	st->vg = g_strdup(vg);
	st->lock = v->lock;
	st->writer = g_strdup(v->writer);
	host = sp_slvm_host_name();
	st->this_is_writer = v->writer && g_strcmp0(host, v->writer) == 0;
	st->lvs = g_ptr_array_new_with_free_func(lv_status_free);
	st->stale_nodes = g_ptr_array_new_with_free_func(g_free);
	if (v->lock == SP_SLVM_LOCK_LVMLOCKD && sp_slvm_lockspace_state(vg, &st->lockspace) < 0) {
		st->lockspace = g_strdup(sp_error_message());
		sp_error_clear();
	}
	if (read_vg(slvm, st) < 0 || !(meta = sp_slvm_meta_read(slvm, vg, NULL)) ||
	    !(devs = sp_dm_list(vg))) {
		st->error = g_strdup(sp_error_message());
		sp_error_clear();
		return g_steal_pointer(&st);
	}
	for (guint i = 0; i < devs->len; i++) {
		const SpDmDev *dev = g_ptr_array_index(devs, i);
		const SpSlvmMetaLv *lv;
		SpSlvmLvStatus *l = g_new0(SpSlvmLvStatus, 1);

		l->state = sp_slvm_dev_state_name(sp_slvm_dev_judge(meta, dev, &lv));
		l->name = g_strdup(lv ? lv->name : dev->lv);
		l->meta_sectors = lv ? lv->sectors : 0;
		l->active = TRUE;
		l->dm_sectors = dev->sectors;
		l->open_count = dev->open_count;
		l->holders = dev->open_count ? holders_of(makedev(dev->major, dev->minor))
					     : g_ptr_array_new_with_free_func(g_free);
		g_ptr_array_add(st->lvs, l);
	}
	g_ptr_array_free(st->stale_nodes, TRUE);
	st->stale_nodes = sp_slvm_stale_nodes(slvm->dev_dir, vg, devs);
	st->seqno = meta->seqno ? meta->seqno : st->seqno;
	return g_steal_pointer(&st);
}

static const char *
lock_name(SpSlvmLock lock)
{
	return lock == SP_SLVM_LOCK_LVMLOCKD ? "lvmlockd" : "none";
}

void
sp_slvm_status_text(const SpSlvmStatus *st, GString *out)
{
	g_string_append_printf(out, "vg %s: lock %s", st->vg, lock_name(st->lock));
	if (st->writer)
		g_string_append_printf(out, ", writer %s%s", st->writer,
				       st->this_is_writer ? " (this host)" : "");
	if (st->lockspace)
		g_string_append_printf(out, ", lockspace %s", st->lockspace);
	if (st->error) {
		g_string_append_printf(out, "\n  cannot read it: %s\n", st->error);
		return;
	}
	g_string_append_printf(out, ", metadata seqno %" G_GUINT64_FORMAT ", VG lock type %s\n",
			       st->seqno, st->lock_type);
	if (st->lvs->len == 0)
		g_string_append(out, "  no LV active here\n");
	for (guint i = 0; i < st->lvs->len; i++) {
		const SpSlvmLvStatus *l = g_ptr_array_index(st->lvs, i);

		g_string_append_printf(out, "  lv %s: active, %s", l->name, l->state);
		if (strcmp(l->state, "stale") == 0)
			g_string_append_printf(out,
					       " (table %" G_GUINT64_FORMAT
					       " sectors, metadata %" G_GUINT64_FORMAT ")",
					       l->dm_sectors, l->meta_sectors);
		else
			g_string_append_printf(out, ", %" G_GUINT64_FORMAT " sectors",
					       l->dm_sectors);
		if (l->open_count == 0)
			g_string_append(out, ", not open");
		else
			g_string_append_printf(out, ", open %d", l->open_count);
		for (guint j = 0; j < l->holders->len; j++)
			g_string_append_printf(out, "%s%s", j ? ", " : ": ",
					       (const char *) g_ptr_array_index(l->holders, j));
		g_string_append_c(out, '\n');
	}
	for (guint i = 0; i < st->stale_nodes->len; i++)
		g_string_append_printf(out, "  stale node %s\n",
				       (const char *) g_ptr_array_index(st->stale_nodes, i));
}

static void
json_key_string(GString *out, const char *key, const char *value)
{
	g_string_append_printf(out, "\"%s\":", key);
	if (value)
		sp_json_append_string(out, value);
	else
		g_string_append(out, "null");
}

void
sp_slvm_status_json(const SpSlvmStatus *st, GString *out)
{
	g_string_append_c(out, '{');
	json_key_string(out, "vg", st->vg);
	g_string_append_c(out, ',');
	json_key_string(out, "lock", lock_name(st->lock));
	g_string_append_c(out, ',');
	json_key_string(out, "writer", st->writer);
	g_string_append_printf(out, ",\"this_is_writer\":%s,",
			       st->this_is_writer ? "true" : "false");
	json_key_string(out, "lockspace", st->lockspace);
	g_string_append_c(out, ',');
	json_key_string(out, "error", st->error);
	g_string_append_printf(out, ",\"seqno\":%" G_GUINT64_FORMAT ",", st->seqno);
	json_key_string(out, "lock_type", st->lock_type);
	g_string_append(out, ",\"lvs\":[");
	for (guint i = 0; st->lvs && i < st->lvs->len; i++) {
		const SpSlvmLvStatus *l = g_ptr_array_index(st->lvs, i);

		g_string_append(out, i ? ",{" : "{");
		json_key_string(out, "name", l->name);
		g_string_append_c(out, ',');
		json_key_string(out, "state", l->state);
		g_string_append_printf(out,
				       ",\"active\":%s,\"dm_sectors\":%" G_GUINT64_FORMAT
				       ",\"meta_sectors\":%" G_GUINT64_FORMAT
				       ",\"open_count\":%d,\"holders\":[",
				       l->active ? "true" : "false", l->dm_sectors, l->meta_sectors,
				       l->open_count);
		for (guint j = 0; j < l->holders->len; j++) {
			if (j)
				g_string_append_c(out, ',');
			sp_json_append_string(out, g_ptr_array_index(l->holders, j));
		}
		g_string_append(out, "]}");
	}
	g_string_append(out, "],\"stale_nodes\":[");
	for (guint i = 0; st->stale_nodes && i < st->stale_nodes->len; i++) {
		if (i)
			g_string_append_c(out, ',');
		sp_json_append_string(out, g_ptr_array_index(st->stale_nodes, i));
	}
	g_string_append(out, "]}");
}
