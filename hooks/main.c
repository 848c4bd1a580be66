/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sparrow-hook: Sparrow's libvirt qemu hook.
 *
 * libvirt runs it as the drop-in /etc/libvirt/hooks/qemu.d/sparrow with
 * DOMAIN OPERATION SUBOP EXTRA and the domain XML on stdin. Under that name
 * (any name but sparrow-hook) it takes no options, so that no domain name
 * can be taken for one; by its own name:
 *
 *   sparrow-hook [-c DIR] [--test-kill-at N] [--] DOMAIN OPERATION SUBOP [EXTRA]
 *   sparrow-hook --plan [-c DIR] [--] DOMAIN OPERATION SUBOP [EXTRA]
 *
 * Exit status: 0 done (always, for the calls that must not fail); 1 the call
 * fails (libvirt stops the start) or, with --plan, could not be planned; 2
 * usage. See sparrow-hook(8). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hook-call.h"
#include "hook-plan.h"
#include "hook-run.h"
#include "sp-error.h"
#include "sp-log.h"

#ifndef SP_SYSCONFDIR
#define SP_SYSCONFDIR "/etc"
#endif

#define IDENT "sparrow-hook"

static char *opt_config = NULL;
static gboolean opt_plan = FALSE;
static int opt_kill_at = 0;

static const GOptionEntry entries[] = {
	{"config", 'c', 0, G_OPTION_ARG_FILENAME, &opt_config,
	 "Configuration directory (default " SP_SYSCONFDIR "/sparrow)", "DIR"},
	{"plan", 0, 0, G_OPTION_ARG_NONE, &opt_plan,
	 "Print what the call would do, one action a line, and change nothing", NULL},
	/* Tests only: SIGKILL the hook just before action N of its plan, to
	 * prove that libvirt's release and a re-run converge from any point. */
	{"test-kill-at", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &opt_kill_at, NULL, "N"},
	{NULL},
};

static int
read_xml(SpHookCall *call, gint64 deadline, GString *xml)
{
	gboolean oversize;

	if (!sp_hook_read_until(STDIN_FILENO, deadline, SP_DOMAIN_XML_MAX, xml, &oversize)) {
		sp_error("the domain XML did not arrive on stdin within the budget of %d s",
			 call->cfg.budget_s);
		return -1;
	}
	if (oversize) {
		sp_error("domain XML is over the %d MiB this hook reads",
			 SP_DOMAIN_XML_MAX / (1024 * 1024));
		return -1;
	}
	return 0;
}

static char *
plan_text(const GPtrArray *plan, const char *sep)
{
	GString *out = g_string_new(NULL);

	for (guint i = 0; i < plan->len; i++) {
		g_autofree char *line = sp_action_describe(g_ptr_array_index(plan, i));

		g_string_append_printf(out, "%s%s", i ? sep : "", line);
	}
	return g_string_free(out, FALSE);
}

static int
run_plan(SpHookCall *call)
{
	g_autoptr(GString) xml = g_string_new(NULL);
	g_autofree char *text = NULL;
	gint64 deadline;

	if (sp_hook_call_configure(call) < 0)
		goto fail;
	deadline = g_get_monotonic_time() + (gint64) call->cfg.budget_s * G_USEC_PER_SEC;
	if (read_xml(call, deadline, xml) < 0 || sp_hook_call_plan(call, xml->str, xml->len) < 0)
		goto fail;
	text = plan_text(call->plan, "\n");
	printf("%s%s", text, call->plan->len ? "\n" : "");
	return 0;
fail:
	sp_log_last_error("hook.plan");
	return 1;
}

/* The end of a call that went wrong: a log line, and for a call that may
 * fail the one line libvirt shows in its error; a call that must not fail
 * succeeds. */
static int
hook_fail(const SpHookCall *call)
{
	if (!call->rule->may_fail) {
		sp_log_error("hook.fail", "domain '%s': %s %s: %s (this call never fails)",
			     call->domain, call->rule->op, call->rule->subop, sp_error_message());
		sp_error_clear();
		return 0;
	}
	sp_log_error("hook.fail", "domain '%s': %s %s refused: %s", call->domain, call->rule->op,
		     call->rule->subop, sp_error_message());
	sp_log_init(IDENT, SP_LOG_STDERR, call->cfg.log_level);
	sp_log_last_error("hook.fail");
	return 1;
}

static int
run_hook(SpHookCall *call, const char *op, const char *subop, gint64 start)
{
	g_autoptr(GString) xml = g_string_new(NULL);
	g_autofree char *text = NULL;
	SpHookRun run = {0};
	int null_fd;

	/* stdout stays empty (migrate and restore would take anything there
	 * for a new XML); stderr is for the one failure line only: logs go to
	 * syslog, and the worker gets neither of libvirtd's pipes. */
	null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null_fd < 0 || dup2(null_fd, STDOUT_FILENO) < 0)
		return call->rule->may_fail ? 1 : 0;
	sp_log_init(IDENT, SP_LOG_SYSLOG, SP_LOG_INFO);
	if (sp_hook_call_configure(call) < 0) {
		if (call->rule->may_fail)
			return hook_fail(call);
		sp_log_last_error("hook.config");
	}
	sp_log_init(IDENT, SP_LOG_SYSLOG, call->cfg.log_level);
	run.deadline = start + (gint64) call->cfg.budget_s * G_USEC_PER_SEC;
	sp_log_info("hook.call", "domain '%s': %s %s: %s: %s", call->domain, op, subop,
		    sp_hook_do_name(call->rule->what), call->rule->why);
	if (read_xml(call, run.deadline, xml) < 0)
		return hook_fail(call);
	dup2(null_fd, STDIN_FILENO);
	if (call->rule->what == SP_HOOK_DO_NOTHING)
		return 0;
	if (sp_hook_call_plan(call, xml->str, xml->len) < 0)
		return hook_fail(call);
	text = plan_text(call->plan, ", ");
	sp_log_info("hook.plan", "domain '%s': %s", call->domain,
		    call->plan->len ? text : "nothing to do");
	if (call->plan->len == 0)
		return 0;
	run.what = call->rule->what;
	run.domain = call->domain;
	run.config_dir = call->config_dir;
	run.slvm = call->slvm;
	run.plan = call->plan;
	run.budget_s = call->cfg.budget_s;
	run.log_level = call->cfg.log_level;
	run.kill_at = opt_kill_at;
	if (sp_hook_run(&run) < 0)
		return hook_fail(call);
	sp_log_info("hook.done", "domain '%s': %s %s: %u action(s) done in %.0f ms", call->domain,
		    op, subop, call->plan->len, (g_get_monotonic_time() - start) / 1000.0);
	return 0;
}

int
main(int argc, char **argv)
{
	gint64 start = g_get_monotonic_time();
	g_autofree char *self = g_path_get_basename(argv[0]);
	g_autoptr(GOptionContext) ctx =
		g_option_context_new("DOMAIN OPERATION SUBOP [EXTRA] < domain.xml");
	SpHookCall call = {0};
	int rc;

	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_summary(
		ctx, "Sparrow's libvirt qemu hook: shared-LVM volumes and bridges for a VM.");
	/* Options only by this program's own name: as libvirt's drop-in every
	 * argument is libvirt's, even a domain called "--plan". */
	sp_log_init(IDENT, SP_LOG_STDERR, SP_LOG_WARN);
	if (strcmp(self, IDENT) == 0 && sp_options_parse(ctx, &argc, &argv) < 0) {
		sp_log_last_error("hook.usage");
		return 2;
	}
	if (argc > 1 && strcmp(argv[1], "--") == 0 && strcmp(self, IDENT) == 0) {
		argv++;
		argc--;
	}
	if (argc < 4 || argc > 5 || (!opt_plan && argc != 5) || opt_kill_at < 0) {
		sp_error("usage: " IDENT " [--plan] [-c DIR] DOMAIN OPERATION SUBOP [EXTRA] < "
			 "domain.xml (see --help)");
		sp_log_last_error("hook.usage");
		return 2;
	}
	call.config_dir = opt_config ? opt_config : SP_SYSCONFDIR "/sparrow";
	call.domain = argv[1];
	call.rule = sp_hook_rule_find(argv[2], argv[3]);
	rc = opt_plan ? run_plan(&call) : run_hook(&call, argv[2], argv[3], start);
	sp_hook_call_clear(&call);
	return rc;
}
