/* SPDX-License-Identifier: GPL-2.0-or-later */
/* netplug: bond -> VLAN -> bridge and VXLAN -> bridge networks over netlink.
 *
 *   netplug [-c DIR] [--dry-run] [--adopt] up [NETWORK...]
 *   netplug [-c DIR] [--dry-run] [--force] down [NETWORK...]
 *   netplug [-c DIR] [--json] status [NETWORK...]
 *   netplug [-c DIR] ensure BRIDGE
 *
 * The command line and everything netplug prints; the work is the library's
 * (netconfig, plan, execute, ensure), which returns what happened.
 *
 * Exit status: 0 done (or, for status, everything as configured); 1 the
 * configuration has errors; 2 usage (also an unknown network); 3 the kernel
 * refused or a conflict (up: what this run changed was undone; --dry-run: up
 * would fail), down refused, the lock was not had in time, or status found
 * drift or conflicts. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "ensure.h"
#include "execute.h"
#include "netconfig.h"
#include "netlink.h"
#include "plan.h"
#include "sp-error.h"
#include "sp-json.h"
#include "sp-log.h"

#ifndef SP_SYSCONFDIR
#define SP_SYSCONFDIR "/etc"
#endif

static char *opt_config = NULL;
static gboolean opt_dry_run = FALSE, opt_json = FALSE, opt_force = FALSE, opt_adopt = FALSE;
static int opt_lock_timeout = SP_NETPLUG_LOCK_WAIT_MS / 1000;
static int opt_kill_after = 0;

static const GOptionEntry entries[] = {
	{"config", 'c', 0, G_OPTION_ARG_FILENAME, &opt_config,
	 "read " SP_NETCONFIG_FILE " in DIR (default " SP_SYSCONFDIR "/sparrow)", "DIR"},
	{"dry-run", 'n', 0, G_OPTION_ARG_NONE, &opt_dry_run, "print the plan, change nothing",
	 NULL},
	{"json", 'j', 0, G_OPTION_ARG_NONE, &opt_json, "status as JSON", NULL},
	{"force", 'f', 0, G_OPTION_ARG_NONE, &opt_force, "down: even with VM taps attached", NULL},
	{"adopt", 'a', 0, G_OPTION_ARG_NONE, &opt_adopt,
	 "up: take over existing links of the right kind that netplug did not create", NULL},
	{"lock-timeout", 0, 0, G_OPTION_ARG_INT, &opt_lock_timeout,
	 "wait at most SECONDS for another netplug run (default 30)", "SECONDS"},
	/* Tests only: SIGKILL after the Nth change to the kernel, to prove a
	 * re-run converges from any point. */
	{"test-kill-after", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &opt_kill_after, NULL, "N"},
	{NULL},
};

/* The current error ends the command, reported the one way (lib/sp-log);
 * code is the exit status. */
static int
fail(const char *event, int code)
{
	sp_log_last_error(event);
	return code;
}

static void
kill_after(guint done, gpointer data)
{
	if (done == GPOINTER_TO_UINT(data))
		raise(SIGKILL);
}

static const char *
network_of(const SpStep *s)
{
	return s->dev.net ? s->dev.net->name : "uplink";
}

static void
print_steps_json(GPtrArray *steps, gboolean as_status)
{
	g_autoptr(GString) out = g_string_new("[");

	for (guint i = 0; i < steps->len; i++) {
		const SpStep *s = g_ptr_array_index(steps, i);

		g_string_append_printf(out, "%s\n  {\"device\": ", i ? "," : "");
		sp_json_append_string(out, s->dev.name);
		g_string_append(out, ", \"kind\": ");
		sp_json_append_string(out, sp_link_kind(s->dev.kind)->name);
		g_string_append(out, ", \"network\": ");
		sp_json_append_string(out, network_of(s));
		g_string_append(out, ", \"state\": ");
		sp_json_append_string(out, as_status ? sp_step_state_name(s->kind)
						     : sp_step_kind_name(s->kind));
		g_string_append(out, ", \"detail\": ");
		sp_json_append_string(out, s->why ? s->why : "");
		g_string_append_c(out, '}');
	}
	g_string_append(out, "\n]\n");
	fputs(out->str, stdout);
}

/* status says what the links are (ok, missing, drift, conflict); a plan
 * (--dry-run, up) says what it does (ok, create, fix, conflict). */
static void
print_steps(GPtrArray *steps, gboolean as_status)
{
	if (opt_json) {
		print_steps_json(steps, as_status);
		return;
	}
	for (guint i = 0; i < steps->len; i++) {
		const SpStep *s = g_ptr_array_index(steps, i);

		printf("%-8s %-15s %-6s %s%s%s\n",
		       as_status ? sp_step_state_name(s->kind) : sp_step_kind_name(s->kind),
		       s->dev.name, sp_link_kind(s->dev.kind)->name, network_of(s),
		       s->why ? ": " : "", s->why ? s->why : "");
	}
}

static int
down(SpNetlink *nl, const SpNetConfig *cfg, const char *const *names)
{
	g_autoptr(GHashTable) links = sp_netlink_read(nl);
	g_autoptr(GPtrArray) removing = NULL;
	guint removed = 0;
	int rc = 0;

	if (!links || !(removing = sp_netplug_plan_down(cfg, names, links, opt_force)))
		return fail("netplug.down", 3);
	if (opt_dry_run)
		removed = removing->len;
	else
		rc = sp_netplug_remove(nl, removing, &removed);
	for (guint i = 0; i < removed; i++)
		printf("remove %s\n", (const char *) g_ptr_array_index(removing, i));
	if (rc < 0)
		return fail("netplug.down", 3);
	printf("%u link(s) %s\n", removed, opt_dry_run ? "would be removed" : "removed");
	return 0;
}

static int
run(const char *cmd, const SpNetConfig *cfg, const char *const *names)
{
	g_autoptr(SpNetlink) nl = NULL;
	g_autoptr(GArray) desired = NULL;
	g_autoptr(GHashTable) links = NULL;
	g_autoptr(GPtrArray) steps = NULL;
	guint changed = 0, pending = 0, conflicts = 0;

	if (!(nl = sp_netlink_open()))
		return fail("netplug.netlink", 3);
	if (strcmp(cmd, "down") == 0)
		return down(nl, cfg, names);
	if (!(links = sp_netlink_read(nl)) || !(desired = sp_netplug_desired(cfg, names)))
		return fail("netplug.netlink", 3);
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
	if (sp_netplug_execute(nl, steps, opt_kill_after > 0 ? kill_after : NULL,
			       GUINT_TO_POINTER((guint) opt_kill_after), &changed) < 0)
		return fail("netplug.up", 3);
	printf("%u change(s) made\n", changed);
	return 0;
}

int
main(int argc, char **argv)
{
	g_autoptr(GOptionContext) ctx =
		g_option_context_new("up|down|status [NETWORK...] | ensure BRIDGE");
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpNetConfig) cfg = NULL;
	g_autoptr(SpLock) lock = NULL;
	g_autofree char *path = NULL;
	const char *dir, *cmd;
	const char *const *names;

	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_summary(ctx, "Build Sparrow's bridged networks over netlink.");
	sp_log_init("netplug", SP_LOG_STDERR, SP_LOG_WARN);
	if (sp_options_parse(ctx, &argc, &argv) < 0) {
		return fail("netplug.usage", 2);
	}
	if (opt_lock_timeout < 0 || opt_lock_timeout > 3600) {
		sp_error("--lock-timeout takes 0 to 3600 seconds, not %d", opt_lock_timeout);
		return fail("netplug.usage", 2);
	}
	dir = opt_config ? opt_config : SP_SYSCONFDIR "/sparrow";
	if (argc == 3 && strcmp(argv[1], "ensure") == 0) {
		/* What the qemu hook does before a VM starts, for admins and tests:
		 * the library call, with its warnings on stderr. */
		if (sp_netplug_ensure(dir, argv[2], opt_lock_timeout * 1000) < 0)
			return fail("netplug.ensure", 3);
		return 0;
	}
	if (argc < 2 || (strcmp(argv[1], "up") != 0 && strcmp(argv[1], "down") != 0 &&
			 strcmp(argv[1], "status") != 0)) {
		sp_error("say up, down, status or ensure BRIDGE (see --help)");
		return fail("netplug.usage", 2);
	}
	cmd = argv[1];
	names = (const char *const *) argv + 2;
	path = g_build_filename(dir, SP_NETCONFIG_FILE, NULL);
	if (!(cfg = sp_netconfig_load(path, diag))) {
		guint n = sp_diag_count(diag);

		sp_log_diag("netplug.config", diag);
		sp_error("%u error%s in the configuration; nothing was changed", n,
			 n == 1 ? "" : "s");
		return fail("netplug.config", 1);
	}
	if (sp_netconfig_check_names(cfg, names) < 0)
		return fail("netplug.usage", 2);
	/* Runs that change links take turns; status and --dry-run only read. */
	if (strcmp(cmd, "status") != 0 && !opt_dry_run &&
	    !(lock = sp_netplug_lock(opt_lock_timeout * 1000)))
		return fail("netplug.lock", 3);
	return run(cmd, cfg, names);
}
