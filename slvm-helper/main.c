/* SPDX-License-Identifier: GPL-2.0-or-later */
/* slvm-helper: shared LVM volume groups on every host, without a cluster
 * stack (slvm-helper(8)).
 *
 *   slvm-helper [-c DIR] refresh VG
 *   slvm-helper [-c DIR] activate VG/LV [--shared]
 *   slvm-helper [-c DIR] deactivate VG/LV
 *   slvm-helper [-c DIR] status [VG] [--json]
 *   slvm-helper [-c DIR] lvcreate VG/LV SIZE | lvextend VG/LV SIZE | lvremove VG/LV
 *   slvm-helper [-c DIR] setup [VG] [--apply [--host-id N]]
 *   slvm-helper [-c DIR] lease VM [--vg VG] [--connect URI]
 *
 * Exit status: 0 done (status, setup: everything in order); 1 slvm.conf has
 * errors; 2 usage; 3 the operation failed, or status found something stale,
 * or setup found something missing. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slvm-admin.h"
#include "slvm-helper.h"
#include "sp-error.h"
#include "sp-json.h"
#include "sp-log.h"

#ifndef SP_SYSCONFDIR
#define SP_SYSCONFDIR "/etc"
#endif

#define IDENT "slvm-helper"

static char *opt_config = NULL, *opt_vg = NULL, *opt_connect = NULL, *opt_host_id = NULL;
static gboolean opt_json = FALSE, opt_shared = FALSE, opt_apply = FALSE, opt_verbose = FALSE;

static const GOptionEntry entries[] = {
	{"config", 'c', 0, G_OPTION_ARG_FILENAME, &opt_config,
	 "Configuration directory (default " SP_SYSCONFDIR "/sparrow)", "DIR"},
	{"json", 'j', 0, G_OPTION_ARG_NONE, &opt_json, "status: as JSON", NULL},
	{"shared", 's', 0, G_OPTION_ARG_NONE, &opt_shared,
	 "activate: shared (-asy) in an lvmlockd VG, as the hook does; else exclusive", NULL},
	{"apply", 0, 0, G_OPTION_ARG_NONE, &opt_apply,
	 "setup: do what is missing (LVM's and libvirt's keys, the hook's link, lock-start, "
	 "leases LV and index)",
	 NULL},
	{"host-id", 0, 0, G_OPTION_ARG_STRING, &opt_host_id,
	 "setup --apply: this host's sanlock host_id, if lvmlocal.conf has none (1-2000)", "N"},
	{"vg", 0, 0, G_OPTION_ARG_STRING, &opt_vg, "lease: the VG to hold the lease", "VG"},
	{"connect", 0, 0, G_OPTION_ARG_STRING, &opt_connect,
	 "lease: libvirt URI (default qemu:///system)", "URI"},
	{"verbose", 'v', 0, G_OPTION_ARG_NONE, &opt_verbose,
	 "Log why as well as what: LVM's commands and output", NULL},
	{NULL},
};

static int
fail(void)
{
	sp_log_last_error("slvm.fail");
	return 3;
}

/* VG/LV into its two names (checked by the library). */
static int
split_vg_lv(const char *arg, char **vg, char **lv)
{
	const char *slash = strchr(arg, '/');

	if (!slash || slash == arg || !slash[1] || strchr(slash + 1, '/')) {
		sp_error("'%s' is not VG/LV", arg);
		sp_log_last_error("slvm.usage");
		return -1;
	}
	*vg = g_strndup(arg, slash - arg);
	*lv = g_strdup(slash + 1);
	return 0;
}

static int
cmd_status(SpSlvm *slvm, const SpSlvmConfig *cfg, const char *only)
{
	g_autoptr(GString) out = g_string_new(opt_json ? "[" : NULL);
	gboolean trouble = FALSE;
	guint n = 0;

	for (guint i = 0; sp_slvm_config_nth(cfg, i); i++) {
		const SpSlvmVg *v = sp_slvm_config_nth(cfg, i);
		g_autoptr(SpSlvmStatus) st = NULL;

		if (only && strcmp(only, v->name) != 0)
			continue;
		if (!(st = sp_slvm_status(slvm, v->name)))
			return fail();
		trouble |= st->error != NULL || st->stale_nodes->len > 0;
		for (guint j = 0; j < st->lvs->len; j++)
			trouble |= strcmp(((SpSlvmLvStatus *) g_ptr_array_index(st->lvs, j))->state,
					  "current") != 0;
		if (opt_json) {
			g_string_append(out, n ? ",\n" : "\n");
			sp_slvm_status_json(st, out);
		} else {
			sp_slvm_status_text(st, out);
		}
		n++;
	}
	if (only && n == 0) {
		sp_error("volume group '%s' is not in slvm.conf", only);
		sp_log_last_error("slvm.usage");
		return 2;
	}
	if (opt_json)
		g_string_append(out, "\n]\n");
	else if (n == 0)
		g_string_append(out, "no volume group in slvm.conf\n");
	fputs(out->str, stdout);
	return trouble ? 3 : 0;
}

static int
cmd_lv(SpSlvm *slvm, const char *cmd, const char *arg, const char *size)
{
	g_autofree char *vg = NULL;
	g_autofree char *lv = NULL;
	int rc;

	if (split_vg_lv(arg, &vg, &lv) < 0)
		return 2;
	if (strcmp(cmd, "activate") == 0) {
		/* What the hook does: the metadata first, then the LV. */
		rc = sp_slvm_refresh(slvm, vg);
		if (rc == 0)
			rc = sp_slvm_activate(slvm, vg, lv, opt_shared);
	} else if (strcmp(cmd, "deactivate") == 0) {
		rc = sp_slvm_deactivate(slvm, vg, lv);
	} else if (strcmp(cmd, "lvcreate") == 0) {
		rc = sp_slvm_lv_create(slvm, vg, lv, size);
	} else if (strcmp(cmd, "lvextend") == 0) {
		rc = sp_slvm_lv_extend(slvm, vg, lv, size);
	} else {
		rc = sp_slvm_lv_remove(slvm, vg, lv);
	}
	return rc < 0 ? fail() : 0;
}

static int
usage(void)
{
	sp_error("say refresh VG, activate VG/LV, deactivate VG/LV, status [VG], lvcreate VG/LV "
		 "SIZE, lvextend VG/LV SIZE, lvremove VG/LV, setup [VG] or lease VM (see --help)");
	sp_log_last_error("slvm.usage");
	return 2;
}

/* 1 to 2000, sanlock's host_ids with 512-byte sectors. */
static gboolean
host_id_ok(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (g_ascii_isdigit(*s) && !*end && v >= 1 && v <= 2000)
		return TRUE;
	sp_error("--host-id takes 1 to 2000, not '%s'", s);
	sp_log_last_error("slvm.usage");
	return FALSE;
}

/* Which arguments each command takes, and which options go with it. */
static gboolean
args_ok(const char *cmd, int nargs)
{
	static const struct {
		const char *cmd;
		int min, max;
	} table[] = {
		{"refresh", 1, 1},  {"activate", 1, 1}, {"deactivate", 1, 1},
		{"status", 0, 1},   {"lvcreate", 2, 2}, {"lvextend", 2, 2},
		{"lvremove", 1, 1}, {"setup", 0, 1},    {"lease", 1, 1},
	};

	for (size_t i = 0; i < G_N_ELEMENTS(table); i++) {
		if (strcmp(cmd, table[i].cmd) == 0)
			return nargs >= table[i].min && nargs <= table[i].max;
	}
	return FALSE;
}

static gboolean
options_ok(const char *cmd)
{
	const char *bad = NULL;

	if (opt_json && strcmp(cmd, "status") != 0)
		bad = "--json";
	else if (opt_shared && strcmp(cmd, "activate") != 0)
		bad = "--shared";
	else if (opt_apply && strcmp(cmd, "setup") != 0)
		bad = "--apply";
	else if (opt_host_id && (strcmp(cmd, "setup") != 0 || !opt_apply))
		bad = "--host-id";
	else if ((opt_vg || opt_connect) && strcmp(cmd, "lease") != 0)
		bad = opt_vg ? "--vg" : "--connect";
	if (bad) {
		sp_error("%s does not go with %s%s", bad, cmd,
			 strcmp(bad, "--host-id") == 0 ? " (setup --apply --host-id N)" : "");
		sp_log_last_error("slvm.usage");
	}
	return bad == NULL;
}

int
main(int argc, char **argv)
{
	g_autoptr(GOptionContext) ctx = g_option_context_new(
		"refresh VG | activate VG/LV | deactivate VG/LV | status [VG] | lvcreate VG/LV "
		"SIZE | lvextend VG/LV SIZE | lvremove VG/LV | setup [VG] | lease VM");
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpSlvmConfig) cfg = NULL;
	g_autoptr(SpSlvm) slvm = NULL;
	const char *cmd, *dir;

	/* A parent may have left SIGCHLD ignored (busybox nc -e does); then
	 * no child of ours (lvmconfig, libvirt's) could be waited for. */
	signal(SIGCHLD, SIG_DFL);
	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_summary(
		ctx, "Shared LVM volume groups, current on every host, without a cluster stack.");
	sp_log_init(IDENT, SP_LOG_STDERR, SP_LOG_INFO);
	if (sp_options_parse(ctx, &argc, &argv) < 0) {
		sp_log_last_error("slvm.usage");
		return 2;
	}
	if (argc < 2 || !args_ok(argv[1], argc - 2))
		return usage();
	cmd = argv[1];
	if (!options_ok(cmd) || (opt_host_id && !host_id_ok(opt_host_id)))
		return 2;
	sp_log_init(IDENT, SP_LOG_STDERR, opt_verbose ? SP_LOG_DEBUG : SP_LOG_INFO);
	dir = opt_config ? opt_config : SP_SYSCONFDIR "/sparrow";
	if (!(cfg = sp_slvm_config_load(dir, diag))) {
		guint n = sp_diag_count(diag);

		sp_log_diag("slvm.config", diag);
		sp_error("%u error%s in the configuration; nothing was changed", n,
			 n == 1 ? "" : "s");
		sp_log_last_error("slvm.config");
		return 1;
	}
	if (strcmp(cmd, "lease") == 0)
		return sp_slvm_helper_lease(cfg, argv[2], opt_vg, opt_connect);
	if (!(slvm = sp_slvm_open(cfg)))
		return fail();
	if (strcmp(cmd, "refresh") == 0)
		return sp_slvm_refresh(slvm, argv[2]) < 0 ? fail() : 0;
	if (strcmp(cmd, "status") == 0)
		return cmd_status(slvm, cfg, argc > 2 ? argv[2] : NULL);
	if (strcmp(cmd, "setup") == 0)
		return sp_slvm_helper_setup(slvm, cfg, argc > 2 ? argv[2] : NULL, opt_apply,
					    opt_host_id);
	return cmd_lv(slvm, cmd, argv[2], argc > 3 ? argv[3] : NULL);
}
