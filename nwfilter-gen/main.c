/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nwfilter-gen: admin firewall policies -> libvirt nwfilters on every host.
 *
 *   nwfilter-gen check [--config DIR]
 *   nwfilter-gen show  [--config DIR] [FILTER...]
 *   nwfilter-gen diff  [--config DIR] [--connect URI]...
 *   nwfilter-gen apply [--config DIR] [--connect URI]... [--dry-run] [--force]
 *   nwfilter-gen verdict [--config DIR] VM in|out PROTO [PORT] ADDRESS
 *
 * Exit status: 0 done, 1 the configuration has errors (nothing changed
 * anywhere), 2 usage, 3 a host could not be brought in line (that host is
 * left as it was; hosts before it in the list keep their new filters), 4 as
 * 3 but the host could not be put back completely (the message names the
 * filters left changed). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <libvirt/virterror.h>

#include "apply.h"
#include "generate.h"
#include "policy.h"
#include "sp-error.h"
#include "sp-hosts.h"
#include "sp-log.h"
#include "verdict.h"

#ifndef SP_SYSCONFDIR
#define SP_SYSCONFDIR "/etc"
#endif

static char *opt_config = NULL;
static char **opt_connect = NULL;
static gboolean opt_dry_run = FALSE;
static gboolean opt_force = FALSE;

static const GOptionEntry entries[] = {
	{"config", 'c', 0, G_OPTION_ARG_FILENAME, &opt_config,
	 "folder with firewall.conf and policies.d/ (default " SP_SYSCONFDIR "/sparrow)", "DIR"},
	{"connect", 'C', 0, G_OPTION_ARG_STRING_ARRAY, &opt_connect,
	 "libvirt URI of a host; repeat for several (default: every host of DIR/hosts.conf, "
	 "else qemu:///system)",
	 "URI"},
	{"dry-run", 'n', 0, G_OPTION_ARG_NONE, &opt_dry_run, "show what apply would do", NULL},
	{"force", 'f', 0, G_OPTION_ARG_NONE, &opt_force,
	 "define every filter, changed or not (repair a host)", NULL},
	{NULL},
};

static void
silent_libvirt_errors(void *data, virErrorPtr err)
{
	/* Errors are reported once, by us, with what we were doing. */
}

static SpFirewall *
load_or_report(void)
{
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autofree char *dir = g_strdup(opt_config ? opt_config : SP_SYSCONFDIR "/sparrow");
	SpFirewall *fw = sp_firewall_load(dir, diag);
	guint n = sp_diag_count(diag);

	if (fw) {
		/* FILE:LINE:COL: warning: ... lines, like the errors (nwfilter-gen
		 * always reports to a person, on stderr). */
		sp_log_diag("nwfilter.config", fw->warnings);
		return fw;
	}
	sp_log_diag("nwfilter.config", diag);
	if (n == 1)
		sp_error("1 error in the configuration; nothing was changed");
	else
		sp_error("%u errors in the configuration; nothing was changed", n);
	sp_log_last_error("nwfilter.config");
	return NULL;
}

/* What VM's binding does with the first packet of a connection: one line,
 * "ACTION POLICY.policy:LINE" for the rule that decides, "ACTION default"
 * when no rule does, "allow root" for ICMPv6 (always accepted). */
static int
cmd_verdict(const SpFirewall *fw, char **args)
{
	SpFwPacket packet;
	SpFwVerdict v;

	if (!args[0] || sp_fw_packet_parse(args + 1, &packet) < 0 ||
	    sp_firewall_verdict(fw, args[0], &packet, &v) < 0) {
		if (!args[0])
			sp_error("verdict needs VM in|out PROTO [PORT] ADDRESS");
		sp_log_last_error("nwfilter.usage");
		return 2;
	}
	if (v.rule)
		printf("%s %s.policy:%d\n", sp_fw_action_words[v.action], v.policy, v.rule->line);
	else
		printf("%s %s\n", sp_fw_action_words[v.action],
		       packet.proto == SP_FW_ICMPV6 ? "root" : "default");
	return 0;
}

static int
cmd_show(GPtrArray *filters, char **names)
{
	int missing = 0;

	for (guint i = 0; i < filters->len; i++) {
		const SpFilter *f = g_ptr_array_index(filters, i);

		if (!names || !names[0] || g_strv_contains((const char *const *) names, f->name))
			fputs(f->xml, stdout);
	}
	for (int i = 0; names && names[i]; i++) {
		gboolean found = FALSE;

		for (guint j = 0; j < filters->len && !found; j++)
			found = strcmp(((SpFilter *) g_ptr_array_index(filters, j))->name,
				       names[i]) == 0;
		if (!found) {
			sp_error("no generated filter named '%s'", names[i]);
			sp_log_last_error("nwfilter.show");
			missing++;
		}
	}
	return missing ? 1 : 0;
}

/* The hosts to bring in line: --connect's, else the cluster's inventory
 * (DIR/hosts.conf, lib/sp-hosts), else this host. An inventory that names no
 * host (the packaged sample, every line commented) counts as none: applying
 * to zero hosts would change nothing and look like success. NULL when
 * hosts.conf has errors (reported). */
static GStrv
hosts_to_sync(void)
{
	g_autofree char *path = g_build_filename(opt_config ? opt_config : SP_SYSCONFDIR "/sparrow",
						 "hosts.conf", NULL);
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpHosts) hosts = NULL;
	GPtrArray *uris;

	if (opt_connect)
		return g_strdupv(opt_connect);
	if (!g_file_test(path, G_FILE_TEST_EXISTS))
		return g_strsplit("qemu:///system", " ", -1);
	if (!(hosts = sp_hosts_load(path, diag))) {
		sp_log_diag("nwfilter.hosts", diag);
		(void) sp_diag_to_error(diag);
		sp_log_last_error("nwfilter.hosts");
		return NULL;
	}
	if (hosts->hosts->len == 0)
		return g_strsplit("qemu:///system", " ", -1);
	uris = g_ptr_array_new();
	for (guint i = 0; i < hosts->hosts->len; i++)
		g_ptr_array_add(uris,
				g_strdup(((SpHost *) g_ptr_array_index(hosts->hosts, i))->uri));
	g_ptr_array_add(uris, NULL);
	return (GStrv) g_ptr_array_free(uris, FALSE);
}

/* diff, apply and apply --dry-run, host by host. */
static int
cmd_sync(GPtrArray *filters, gboolean apply)
{
	g_auto(GStrv) uris = hosts_to_sync();
	int status = 0;

	if (!uris)
		return 1;

	virSetErrorFunc(NULL, silent_libvirt_errors);
	for (int h = 0; uris[h]; h++) {
		virConnectPtr conn = virConnectOpen(uris[h]);
		g_autoptr(GPtrArray) changes = NULL;

		if (!conn) {
			sp_error("cannot connect to '%s': %s", uris[h], virGetLastErrorMessage());
			sp_log_last_error("nwfilter.connect");
			status = 3;
			break;
		}
		changes = sp_nwfilter_plan(conn, filters, opt_force);
		if (!changes) {
			sp_error_prefix("%s: ", uris[h]);
			sp_log_last_error("nwfilter.plan");
			virConnectClose(conn);
			status = 3;
			break;
		}
		for (guint i = 0; i < changes->len; i++) {
			const SpChange *c = g_ptr_array_index(changes, i);

			printf("%s: %s %s\n", uris[h],
			       c->kind == SP_CHANGE_NEW ? "define" : "redefine", c->name);
		}
		if (apply && !opt_dry_run && changes->len > 0) {
			int rc = sp_nwfilter_apply(conn, changes);

			if (rc < 0) {
				sp_error_prefix("%s: ", uris[h]);
				sp_log_last_error("nwfilter.apply");
				virConnectClose(conn);
				status = rc == -1 ? 3 : 4;
				break;
			}
			sp_log_info("nwfilter.apply", "%s: defined %u filters", uris[h],
				    changes->len);
		}
		printf("%s: %u of %u filters %s\n", uris[h], changes->len, filters->len,
		       !apply        ? "differ"
		       : opt_dry_run ? "would be defined"
				     : "defined");
		virConnectClose(conn);
	}
	return status;
}

int
main(int argc, char **argv)
{
	g_autoptr(GOptionContext) ctx =
		g_option_context_new("check|show|diff|apply|verdict [FILTER...|VM PACKET]");
	g_autoptr(SpFirewall) fw = NULL;
	g_autoptr(GPtrArray) filters = NULL;
	const char *cmd;

	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_summary(ctx, "Turn Sparrow firewall policies into libvirt nwfilters.");
	sp_log_init("nwfilter-gen", SP_LOG_STDERR, SP_LOG_WARN);
	if (sp_options_parse(ctx, &argc, &argv) < 0) {
		sp_log_last_error("nwfilter.usage");
		return 2;
	}
	if (argc < 2) {
		sp_error("say check, show, diff, apply or verdict (see --help)");
		sp_log_last_error("nwfilter.usage");
		return 2;
	}
	cmd = argv[1];
	if (strcmp(cmd, "check") != 0 && strcmp(cmd, "show") != 0 && strcmp(cmd, "diff") != 0 &&
	    strcmp(cmd, "apply") != 0 && strcmp(cmd, "verdict") != 0) {
		sp_error("unknown command '%s' (check, show, diff, apply or verdict)", cmd);
		sp_log_last_error("nwfilter.usage");
		return 2;
	}
	if (strcmp(cmd, "show") != 0 && strcmp(cmd, "verdict") != 0 && argc > 2) {
		sp_error("unexpected argument '%s'", argv[2]);
		sp_log_last_error("nwfilter.usage");
		return 2;
	}
	fw = load_or_report();
	if (!fw)
		return 1;
	if (strcmp(cmd, "verdict") == 0)
		return cmd_verdict(fw, argv + 2);
	filters = sp_filters_generate(fw);
	if (strcmp(cmd, "check") == 0) {
		printf("%u policies, %u bindings: no errors\n", fw->policies->len,
		       fw->bindings->len);
		return 0;
	}
	if (strcmp(cmd, "show") == 0)
		return cmd_show(filters, argv + 2);
	return cmd_sync(filters, strcmp(cmd, "apply") == 0);
}
