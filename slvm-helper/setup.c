/* SPDX-License-Identifier: GPL-2.0-or-later */
/* slvm-helper setup: what a host needs, one line a check: first the host's
 * own (the hook's qemu.d link; for lock = lvmlockd VGs LVM's use_lvmlockd
 * and host_id, sanlock, libvirt's lock manager), then each managed VG's.
 * Without --apply nothing changes. With it, what is missing is done: the
 * files of LVM and libvirt get their key (setup-host.c: the first version
 * kept as FILE.sparrow-orig; the line says which daemon must re-read it),
 * the hook's link is made, and the storage steps run (lockspace started,
 * leases LV made, activated shared, its index written). A daemon is never
 * started or restarted here; a host_id is never made up (--host-id N). */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "slvm-admin.h"
#include "slvm-helper.h"
#include "slvm-int.h"
#include "setup-host.h"
#include "sp-error.h"
#include "sp-log.h"
#include "sp-names.h"
#include "sp-subprocess.h"

#ifndef SP_LIBVIRT_LIBDIR
#define SP_LIBVIRT_LIBDIR "/usr/lib"
#endif
#define LIBVIRT_ETC "/etc/libvirt"

#ifndef SP_HOOK_PATH
#define SP_HOOK_PATH "/usr/libexec/sparrow/sparrow-hook"
#endif
#define HOOK_LINK LIBVIRT_ETC "/hooks/qemu.d/sparrow"

typedef struct {
	SpSlvm *slvm;
	const SpSlvmVg *vg; /* NULL: the host's own checks */
	gboolean apply;
	const char *host_id; /* --host-id, or NULL */
	int missing;
} Setup;

static void G_GNUC_PRINTF(3, 4) say(Setup *s, const char *verdict, const char *fmt, ...)
{
	g_autofree char *text = NULL;
	va_list ap;

	va_start(ap, fmt);
	text = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	printf("%-7s %s: %s\n", verdict, s->vg ? s->vg->name : "host", text);
	if (strcmp(verdict, "ok") != 0 && strcmp(verdict, "done") != 0)
		s->missing++;
}

/* A key of LVM's or libvirt's files: set, or (--apply) set now. what says
 * it for the ok line; after says who must re-read the file. */
static void
check_key(Setup *s, const SpSetupKey *k, const char *what, const char *after)
{
	g_autofree char *change = NULL;
	int rc = sp_setup_key(k, s->apply, &change);

	if (rc < 0) {
		say(s, "FAILED", "%s", sp_error_message());
		sp_error_clear();
	} else if (rc == 0) {
		say(s, "ok", "%s (%s: %s = %s)", what, k->path, k->key, k->value);
	} else if (rc == 1) {
		say(s, "MISSING", "%s: %s (--apply writes it)", k->path, change);
	} else {
		say(s, "done", "%s: %s%s%s", k->path, change, after ? "; " : "",
		    after ? after : "");
	}
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
	static const SpSetupKey manager = {LIBVIRT_ETC "/qemu.conf", NULL, "lock_manager",
					   "\"sanlock\""};
	static const SpSetupKey leases = {LIBVIRT_ETC "/qemu-sanlock.conf", NULL,
					  "auto_disk_leases", "0"};
	g_autofree char *plugin =
		g_build_filename(SP_LIBVIRT_LIBDIR, "libvirt", "lock-driver", "sanlock.so", NULL);

	if (g_file_test(plugin, G_FILE_TEST_EXISTS))
		say(s, "ok", "libvirt's sanlock lock manager is installed (%s)", plugin);
	else
		say(s, "MISSING",
		    "libvirt's sanlock lock manager (%s): install it (Debian: "
		    "libvirt-sanlock; Fedora: libvirt-daemon-plugin-sanlock)",
		    plugin);
	check_key(s, &manager, "libvirt uses it", "restart libvirtd");
	check_key(s, &leases, "leases come from each VM's <lease>", "restart libvirtd");
}

/* libvirt runs every executable of qemu.d: the hook's link, or an admin's
 * own script there of that name (sparrow-hook(8) shows one for -c DIR). */
static void
check_hook(Setup *s)
{
	g_autofree char *change = NULL;
	struct stat st;
	int rc;

	if (lstat(HOOK_LINK, &st) == 0 && S_ISREG(st.st_mode) && access(HOOK_LINK, X_OK) == 0) {
		say(s, "ok", "libvirt runs %s, a script of the admin's (left alone)", HOOK_LINK);
		return;
	}
	rc = sp_setup_hook_link(HOOK_LINK, SP_HOOK_PATH, s->apply, &change);
	if (rc < 0) {
		say(s, "FAILED", "%s", sp_error_message());
		sp_error_clear();
	} else if (rc == 0) {
		say(s, "ok", "libvirt runs the hook (%s -> %s)", HOOK_LINK, SP_HOOK_PATH);
	} else if (rc == 1) {
		say(s, "MISSING", "the hook's link: %s (--apply makes it)", change);
	} else {
		say(s, "done",
		    "the hook's link: %s; restart libvirtd (it looks for hooks when it "
		    "starts)",
		    change);
	}
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

/* What every lock = lvmlockd VG needs of the host, once. */
static void
check_host_lvmlockd(Setup *s)
{
	static const SpSetupKey use = {"/etc/lvm/lvm.conf", "global", "use_lvmlockd", "1"};
	g_autofree char *use_now = lvm_setting("global/use_lvmlockd");
	g_autofree char *host_id = lvm_setting("local/host_id");

	/* What LVM runs with (lvmlocal.conf and all), not one file's text. */
	if (strcmp(use_now, "1") == 0)
		say(s, "ok", "LVM uses lvmlockd (global/use_lvmlockd = 1)");
	else
		check_key(s, &use, "LVM uses lvmlockd", "start lvmlockd if it is not running");
	if (*host_id && strcmp(host_id, "0") != 0) {
		say(s, "ok", "this host's sanlock host_id is %s", host_id);
	} else if (!s->host_id) {
		say(s, "MISSING",
		    "no host_id: give each host its own, 1-2000 (--apply --host-id N "
		    "writes it in /etc/lvm/lvmlocal.conf)");
	} else {
		const SpSetupKey id = {"/etc/lvm/lvmlocal.conf", "local", "host_id", s->host_id};

		check_key(s, &id, "this host's sanlock host_id", "restart lvmlockd");
	}
	check_libvirt(s);
}

static void
check_lvmlockd(Setup *s)
{
	g_autofree char *state = NULL;
	g_autoptr(GHashTable) row = NULL;
	gboolean joined;

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
sp_slvm_helper_setup(SpSlvm *slvm, const SpSlvmConfig *cfg, const char *only, gboolean apply,
		     const char *host_id)
{
	Setup host = {slvm, NULL, apply, host_id, 0};
	int missing = 0;
	guint n = 0, lvmlockd = 0;

	for (guint i = 0; sp_slvm_config_nth(cfg, i); i++) {
		const SpSlvmVg *v = sp_slvm_config_nth(cfg, i);

		if (only && strcmp(only, v->name) != 0)
			continue;
		n++;
		lvmlockd += v->lock == SP_SLVM_LOCK_LVMLOCKD;
	}
	if (only && n == 0) {
		sp_error("volume group '%s' is not in slvm.conf", only);
		sp_log_last_error("slvm.setup");
		return 2;
	}
	check_hook(&host);
	if (lvmlockd)
		check_host_lvmlockd(&host);
	missing += host.missing;
	for (guint i = 0; sp_slvm_config_nth(cfg, i); i++) {
		Setup s = {slvm, sp_slvm_config_nth(cfg, i), apply, host_id, 0};

		if (only && strcmp(only, s.vg->name) != 0)
			continue;
		if (s.vg->lock == SP_SLVM_LOCK_LVMLOCKD)
			check_lvmlockd(&s);
		else
			check_none(&s);
		missing += s.missing;
	}
	if (n == 0)
		printf("no volume group in slvm.conf\n");
	return missing ? 3 : 0;
}
