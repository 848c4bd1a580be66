/* SPDX-License-Identifier: GPL-2.0-or-later */
/* netplug: bond -> VLAN -> bridge and VXLAN -> bridge networks over netlink.
 *
 *   netplug [--config FILE] [--dry-run] [--adopt] up [NETWORK...]
 *   netplug [--config FILE] [--dry-run] [--force] down [NETWORK...]
 *   netplug [--config FILE] [--json] status [NETWORK...]
 *   netplug [--config FILE] ensure BRIDGE
 *
 * Exit status: 0 done (or, for status, everything as configured); 1 the
 * configuration has errors; 2 usage (also an unknown network); 3 the kernel
 * refused or a conflict (up: what this run changed was undone; --dry-run: up
 * would fail), down refused, or status found drift or conflicts. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "links.h"
#include "netplug.h"
#include "plan.h"
#include "sp-error.h"
#include "sp-json.h"
#include "sp-log.h"

#ifndef SP_SYSCONFDIR
#define SP_SYSCONFDIR "/etc"
#endif

static char *opt_config = NULL;
static gboolean opt_dry_run = FALSE, opt_json = FALSE, opt_force = FALSE, opt_adopt = FALSE;

static const GOptionEntry entries[] = {
	{"config", 'c', 0, G_OPTION_ARG_FILENAME, &opt_config,
	 "networks.conf to use (default " SP_SYSCONFDIR "/sparrow/networks.conf)", "FILE"},
	{"dry-run", 'n', 0, G_OPTION_ARG_NONE, &opt_dry_run, "Print the plan, change nothing",
	 NULL},
	{"json", 'j', 0, G_OPTION_ARG_NONE, &opt_json, "status as JSON", NULL},
	{"force", 'f', 0, G_OPTION_ARG_NONE, &opt_force, "down: even with VM taps attached", NULL},
	{"adopt", 'a', 0, G_OPTION_ARG_NONE, &opt_adopt,
	 "up: take over existing links of the right kind that netplug did not create", NULL},
	{NULL},
};

/* status says what the links are (ok, missing, drift, conflict); a plan
 * (--dry-run, up) says what it does (ok, create, fix, conflict). */
static void
print_steps(GPtrArray *steps, gboolean as_status)
{
	if (opt_json) {
		g_autoptr(GString) out = g_string_new("[");

		for (guint i = 0; i < steps->len; i++) {
			const SpStep *s = g_ptr_array_index(steps, i);

			g_string_append_printf(out, "%s\n  {\"device\": ", i ? "," : "");
			sp_json_append_string(out, s->dev.name);
			g_string_append(out, ", \"kind\": ");
			sp_json_append_string(out, sp_netplug_kind_name(s->dev.kind));
			g_string_append(out, ", \"network\": ");
			sp_json_append_string(out, s->dev.net ? s->dev.net->name : "uplink");
			g_string_append(out, ", \"state\": ");
			sp_json_append_string(out, as_status ? sp_step_state_name(s->kind)
							     : sp_step_kind_name(s->kind));
			g_string_append(out, ", \"detail\": ");
			sp_json_append_string(out, s->why ? s->why : "");
			g_string_append_c(out, '}');
		}
		g_string_append(out, "\n]\n");
		fputs(out->str, stdout);
		return;
	}
	for (guint i = 0; i < steps->len; i++) {
		const SpStep *s = g_ptr_array_index(steps, i);

		printf("%-8s %-15s %-6s %s%s%s\n",
		       as_status ? sp_step_state_name(s->kind) : sp_step_kind_name(s->kind),
		       s->dev.name, sp_netplug_kind_name(s->dev.kind),
		       s->dev.net ? s->dev.net->name : "uplink", s->why ? ": " : "",
		       s->why ? s->why : "");
	}
}

static int
run(const char *cmd, const SpNetConfig *cfg, const char *const *names)
{
	g_autoptr(SpNetlink) nl = NULL;
	g_autoptr(GArray) desired = NULL;
	g_autoptr(GHashTable) links = NULL;
	g_autoptr(GPtrArray) steps = NULL;
	guint changed = 0, pending = 0, conflicts = 0;

	if (!(nl = sp_netlink_open())) {
		fprintf(stderr, "netplug: %s\n", sp_error_message());
		return 3;
	}
	if (strcmp(cmd, "down") == 0) {
		if (sp_netlink_down(nl, cfg, names, opt_force, opt_dry_run, &changed) < 0) {
			fprintf(stderr, "netplug: %s\n", sp_error_message());
			return 3;
		}
		printf("%u link(s) %s\n", changed, opt_dry_run ? "would be removed" : "removed");
		return 0;
	}
	if (!(links = sp_netlink_read(nl)) || !(desired = sp_netplug_desired(cfg, names))) {
		fprintf(stderr, "netplug: %s\n", sp_error_message());
		return 3;
	}
	steps = sp_netplug_plan(desired, links, opt_adopt);
	for (guint i = 0; i < steps->len; i++) {
		SpStepKind kind = ((SpStep *) g_ptr_array_index(steps, i))->kind;

		pending += kind != SP_STEP_OK;
		conflicts += kind == SP_STEP_CONFLICT;
	}
	if (strcmp(cmd, "status") == 0) {
		print_steps(steps, TRUE);
		return pending ? 3 : 0;
	}
	if (opt_dry_run) {
		/* The exit status up would have: a conflict makes it fail. */
		print_steps(steps, FALSE);
		return conflicts ? 3 : 0;
	}
	if (pending == 0) {
		printf("all %u link(s) as configured; nothing to do\n", steps->len);
		return 0;
	}
	print_steps(steps, FALSE);
	if (sp_netlink_execute(nl, steps, &changed) < 0) {
		fprintf(stderr, "netplug: %s\n", sp_error_message());
		return 3;
	}
	printf("%u change(s) made\n", changed);
	return 0;
}

/* What the qemu hook does before a VM starts, for admins and tests: the
 * library call, with its warnings on stderr. */
static int
ensure(const char *config, const char *bridge)
{
	if (sp_netplug_ensure_bridge(config, bridge) < 0) {
		fprintf(stderr, "netplug: %s\n", sp_error_message());
		return 3;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	g_autoptr(GOptionContext) ctx =
		g_option_context_new("up|down|status [NETWORK...] | ensure BRIDGE");
	g_autoptr(GError) gerr = NULL;
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpNetConfig) cfg = NULL;
	const char *config;
	const char *const *names;
	const char *cmd;
	int lock = -1, rc;

	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_summary(ctx, "Build Sparrow's bridged networks over netlink.");
	if (!g_option_context_parse(ctx, &argc, &argv, &gerr)) {
		fprintf(stderr, "netplug: %s\n", gerr->message);
		return 2;
	}
	sp_log_init("netplug", SP_LOG_STDERR, SP_LOG_WARN);
	config = opt_config ? opt_config : SP_SYSCONFDIR "/sparrow/networks.conf";
	if (argc == 3 && strcmp(argv[1], "ensure") == 0)
		return ensure(config, argv[2]);
	if (argc < 2 || (strcmp(argv[1], "up") != 0 && strcmp(argv[1], "down") != 0 &&
			 strcmp(argv[1], "status") != 0)) {
		fprintf(stderr, "netplug: say up, down, status or ensure BRIDGE (see --help)\n");
		return 2;
	}
	cmd = argv[1];
	names = (const char *const *) argv + 2;
	cfg = sp_netconfig_load(config, diag);
	sp_diag_print(diag, stderr);
	if (!cfg) {
		fprintf(stderr, "netplug: the configuration has errors; nothing was changed\n");
		return 1;
	}
	if (sp_netconfig_check_names(cfg, names) < 0) {
		fprintf(stderr, "netplug: %s\n", sp_error_message());
		return 2;
	}
	/* Runs that change links take turns; status and --dry-run only read. */
	if (strcmp(cmd, "status") != 0 && !opt_dry_run && (lock = sp_netplug_lock()) < 0) {
		fprintf(stderr, "netplug: %s\n", sp_error_message());
		return 3;
	}
	rc = run(cmd, cfg, names);
	sp_netplug_unlock(lock);
	return rc;
}
