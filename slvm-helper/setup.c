/* SPDX-License-Identifier: GPL-2.0-or-later */
/* slvm-helper setup: what a host needs for each managed VG, one line a
 * check. Without --apply nothing changes; with it, the storage steps that
 * are missing are done (lockspace start, leases LV made, activated shared,
 * its index written). Daemons and the files of LVM and libvirt are left to
 * the admin (and to configuration management): the line says what to put
 * where, and a daemon must be restarted to read it anyway. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "slvm-admin.h"
#include "slvm-helper.h"
#include "slvm-int.h"
#include "sp-error.h"
#include "sp-log.h"
#include "sp-names.h"
#include "sp-subprocess.h"

#ifndef SP_LIBVIRT_LIBDIR
#define SP_LIBVIRT_LIBDIR "/usr/lib"
#endif
#define LIBVIRT_ETC "/etc/libvirt"

typedef struct {
	SpSlvm *slvm;
	const SpSlvmVg *vg;
	gboolean apply;
	int missing;
} Setup;

static void G_GNUC_PRINTF(3, 4) say(Setup *s, const char *verdict, const char *fmt, ...)
{
	g_autofree char *text = NULL;
	va_list ap;

	va_start(ap, fmt);
	text = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	printf("%-7s %s: %s\n", verdict, s->vg->name, text);
	if (strcmp(verdict, "ok") != 0 && strcmp(verdict, "done") != 0)
		s->missing++;
}

/* An LVM setting as the running configuration has it ("" when unset).
 * lvmconfig writes to stdout itself, not through liblvm2cmd's log
 * function, so this one runs as a program. */
static char *
lvm_setting(const char *path)
{
	const char *argv[] = {"/sbin/lvm", "config", "--typeconfig", "full", path, NULL};
	SpRunOptions opts = {.argv = argv};
	SpRunResult res;
	const char *key = strrchr(path, '/') + 1;
	g_auto(GStrv) lines = NULL;
	char *value = NULL;

	if (sp_run_ok(&opts, &res) < 0) {
		sp_log_warn("slvm.setup", "%s", sp_error_message());
		sp_error_clear();
		return g_strdup("");
	}
	lines = g_strsplit(res.out, "\n", -1);
	sp_run_result_clear(&res);
	for (int i = 0; lines[i] && !value; i++) {
		const char *l = g_strchug(lines[i]);

		if (g_str_has_prefix(l, key) && l[strlen(key)] == '=')
			value = g_strdup(l + strlen(key) + 1);
	}
	return value ? value : g_strdup("");
}

/* key = value in one of libvirt's configuration files (comments and
 * quotes dropped); NULL when the file or the key is not there. */
static char *
libvirt_setting(const char *file, const char *key)
{
	g_autofree char *path = g_build_filename(LIBVIRT_ETC, file, NULL);
	g_autofree char *text = NULL;
	g_auto(GStrv) lines = NULL;
	char *found = NULL;

	if (!g_file_get_contents(path, &text, NULL, NULL))
		return NULL;
	lines = g_strsplit(text, "\n", -1);
	for (int i = 0; lines[i]; i++) {
		char *l = g_strstrip(lines[i]);
		char *eq;

		if (!g_str_has_prefix(l, key) || !(eq = strchr(l, '=')))
			continue;
		*eq = '\0';
		if (strcmp(g_strstrip(l), key) != 0)
			continue;
		l = g_strstrip(eq + 1);
		l[strcspn(l, "#")] = '\0';
		g_strstrip(l);
		if (*l == '"' && strlen(l) >= 2 && l[strlen(l) - 1] == '"') {
			l[strlen(l) - 1] = '\0';
			l++;
		}
		g_free(found);
		found = g_strdup(l);
	}
	return found;
}

/* One report row on the VG (NULL with the error set: no such VG). */
static GHashTable *
vg_row(SpSlvm *slvm, const char *vg, const char *fields)
{
	const char *argv[] = {"vgs", SP_SLVM_REPORT, "-o", fields, vg, NULL};
	g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func(g_free);

	if (sp_slvm_lvm(slvm, rows, argv) < 0)
		return NULL;
	for (guint i = 0; i < rows->len; i++) {
		GHashTable *row = sp_slvm_report_row(g_ptr_array_index(rows, i));

		if (row)
			return row;
	}
	sp_error("LVM did not report on volume group '%s'", vg);
	return NULL;
}

static gboolean
run_lvm(Setup *s, const char *const *argv)
{
	if (sp_slvm_lvm(s->slvm, NULL, argv) == 0)
		return TRUE;
	say(s, "FAILED", "%s", sp_error_message());
	sp_error_clear();
	return FALSE;
}

static void
check_libvirt(Setup *s)
{
	g_autofree char *plugin =
		g_build_filename(SP_LIBVIRT_LIBDIR, "libvirt", "lock-driver", "sanlock.so", NULL);
	g_autofree char *manager = libvirt_setting("qemu.conf", "lock_manager");
	g_autofree char *auto_leases = libvirt_setting("qemu-sanlock.conf", "auto_disk_leases");

	if (g_file_test(plugin, G_FILE_TEST_EXISTS))
		say(s, "ok", "libvirt's sanlock lock manager is installed (%s)", plugin);
	else
		say(s, "MISSING",
		    "libvirt's sanlock lock manager (%s): install it (Debian: "
		    "libvirt-sanlock; Fedora: libvirt-lock-sanlock)",
		    plugin);
	if (g_strcmp0(manager, "sanlock") == 0)
		say(s, "ok",
		    "libvirt uses it (" LIBVIRT_ETC "/qemu.conf: lock_manager = \"sanlock\")");
	else
		say(s, "MISSING",
		    "libvirt does not use it: put lock_manager = \"sanlock\" in " LIBVIRT_ETC
		    "/qemu.conf and restart libvirtd");
	if (!auto_leases || strcmp(auto_leases, "0") == 0)
		say(s, "ok", "leases come from each VM's <lease> (auto_disk_leases = 0)");
	else
		say(s, "MISSING",
		    "auto_disk_leases = %s in " LIBVIRT_ETC "/qemu-sanlock.conf: "
		    "set it to 0 (the leases are the VMs' own, see slvm-helper lease)",
		    auto_leases);
}

static void
check_leases(Setup *s, gboolean have_lockspace)
{
	const char *vg = s->vg->name;
	g_autofree char *target = g_strdup_printf("%s/%s", vg, SP_SLVM_LEASES_LV);
	g_autofree char *dm_name = sp_name_dm(vg, SP_SLVM_LEASES_LV);
	g_autoptr(SpSlvmMeta) meta = sp_slvm_meta_read(s->slvm, vg, "lv_name=" SP_SLVM_LEASES_LV);
	SpDmDev *dev = NULL;
	int active, formatted;

	if (!meta) {
		say(s, "FAILED", "%s", sp_error_message());
		sp_error_clear();
		return;
	}
	if (sp_slvm_meta_lv_by_name(meta, SP_SLVM_LEASES_LV)) {
		say(s, "ok", "the VMs' leases LV %s exists", target);
	} else if (!s->apply || !have_lockspace) {
		say(s, "MISSING", "the VMs' leases LV %s (--apply makes it, 256 MiB: 254 VMs)",
		    target);
		return;
	} else {
		const char *argv[] = {"lvcreate",        "-q", "-an", "-Zn", "-L", "256M", "-n",
				      SP_SLVM_LEASES_LV, vg,   NULL};

		if (!run_lvm(s, argv))
			return;
		say(s, "done", "the VMs' leases LV %s made (256 MiB)", target);
	}
	if ((active = sp_dm_get(dm_name, &dev)) < 0) {
		say(s, "FAILED", "%s", sp_error_message());
		sp_error_clear();
		return;
	}
	sp_dm_dev_free(dev);
	if (active) {
		say(s, "ok", "%s is active here", target);
	} else if (!s->apply) {
		say(s, "MISSING", "%s is not active here (--apply: lvchange -asy %s)", target,
		    target);
		return;
	} else {
		const char *argv[] = {"lvchange", "-asy", target, NULL};

		if (!run_lvm(s, argv))
			return;
		say(s, "done", "%s activated shared", target);
	}
	if ((formatted = sp_slvm_leases_formatted(vg)) < 0) {
		say(s, "FAILED", "%s", sp_error_message());
		sp_error_clear();
	} else if (formatted) {
		say(s, "ok", "%s holds sanlock's lease index", target);
	} else if (!s->apply) {
		say(s, "MISSING", "%s holds no sanlock lease index (--apply writes one)", target);
	} else if (sp_slvm_leases_format(vg) < 0) {
		say(s, "FAILED", "%s", sp_error_message());
		sp_error_clear();
	} else {
		say(s, "done", "sanlock's lease index written on %s", target);
	}
}

static void
check_lvmlockd(Setup *s)
{
	g_autofree char *use = lvm_setting("global/use_lvmlockd");
	g_autofree char *host_id = lvm_setting("local/host_id");
	g_autofree char *state = NULL;
	g_autoptr(GHashTable) row = NULL;
	gboolean joined;

	if (strcmp(use, "1") == 0)
		say(s, "ok", "LVM uses lvmlockd (global/use_lvmlockd = 1)");
	else
		say(s, "MISSING",
		    "LVM does not use lvmlockd: put use_lvmlockd = 1 in the global "
		    "section of /etc/lvm/lvm.conf");
	if (*host_id && strcmp(host_id, "0") != 0)
		say(s, "ok", "this host's sanlock host_id is %s", host_id);
	else
		say(s, "MISSING",
		    "no host_id: give each host its own (1-2000) in the local section "
		    "of /etc/lvm/lvmlocal.conf");
	if (!(row = vg_row(s->slvm, s->vg->name, "vg_lock_type"))) {
		say(s, "FAILED", "%s", sp_error_message());
		sp_error_clear();
		return;
	}
	if (g_strcmp0(g_hash_table_lookup(row, "vg_lock_type"), "sanlock") == 0)
		say(s, "ok", "the VG is shared, its lock type sanlock");
	else
		say(s, "WRONG",
		    "the VG's lock type is '%s', not sanlock: make it with vgcreate "
		    "--shared (or vgchange --locktype sanlock), or say lock = none",
		    (const char *) g_hash_table_lookup(row, "vg_lock_type"));
	if (sp_slvm_lockspace_state(s->vg->name, &state) < 0) {
		say(s, "MISSING", "%s (start it: Debian runs it with -w 0)", sp_error_message());
		sp_error_clear();
		return;
	}
	joined = g_str_has_prefix(state, "joined");
	if (joined) {
		say(s, "ok", "lockspace lvm_%s %s", s->vg->name, state);
	} else if (!s->apply) {
		say(s, "MISSING", "lockspace lvm_%s %s (--apply: vgchange --lock-start %s)",
		    s->vg->name, state, s->vg->name);
	} else {
		const char *argv[] = {"vgchange", "-q", "--lock-start", s->vg->name, NULL};

		if (run_lvm(s, argv)) {
			say(s, "done", "lockspace lvm_%s joined", s->vg->name);
			joined = TRUE;
		}
	}
	check_leases(s, joined);
	check_libvirt(s);
}

static void
check_none(Setup *s)
{
	g_autoptr(GHashTable) row = vg_row(s->slvm, s->vg->name, "vg_lock_type,vg_systemid");
	g_autofree char *host = sp_slvm_host_name();
	const char *type, *sysid;

	if (!row) {
		say(s, "FAILED", "%s", sp_error_message());
		sp_error_clear();
		return;
	}
	type = g_hash_table_lookup(row, "vg_lock_type");
	sysid = g_hash_table_lookup(row, "vg_systemid");
	if (type && *type && strcmp(type, "none") != 0)
		say(s, "WRONG", "the VG's lock type is '%s': slvm.conf says lock = none", type);
	else
		say(s, "ok", "the VG has no lock type, as lock = none wants");
	if (sysid && *sysid)
		say(s, "WRONG",
		    "the VG belongs to system ID '%s': other hosts cannot activate its "
		    "LVs (vgchange --systemid '' %s)",
		    sysid, s->vg->name);
	else
		say(s, "ok", "the VG has no system ID: every host may activate its LVs");
	if (g_strcmp0(host, s->vg->writer) == 0)
		say(s, "ok", "this host (%s) is the writer: it alone changes the metadata", host);
	else
		say(s, "ok", "this host (%s) reads; the writer is %s", host, s->vg->writer);
}

int
sp_slvm_helper_setup(SpSlvm *slvm, const SpSlvmConfig *cfg, const char *only, gboolean apply)
{
	int missing = 0;
	guint n = 0;

	for (guint i = 0; sp_slvm_config_nth(cfg, i); i++) {
		Setup s = {slvm, sp_slvm_config_nth(cfg, i), apply, 0};

		if (only && strcmp(only, s.vg->name) != 0)
			continue;
		n++;
		if (s.vg->lock == SP_SLVM_LOCK_LVMLOCKD)
			check_lvmlockd(&s);
		else
			check_none(&s);
		missing += s.missing;
	}
	if (only && n == 0) {
		fprintf(stderr, "slvm-helper: volume group '%s' is not in slvm.conf\n", only);
		return 2;
	}
	if (n == 0)
		printf("no volume group in slvm.conf\n");
	return missing ? 3 : 0;
}
