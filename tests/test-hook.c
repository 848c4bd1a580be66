/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sparrow-hook: the decision table, the domain XML reader (real and hostile
 * XML), disk paths to LVs, hook.conf, and the plan of each call. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "hook-call.h"
#include "hook-ops.h"
#include "hook-plan.h"
#include "hook-run.h"
#include "hook-xml.h"
#include "sp-subprocess.h"
#include "sp-error.h"
#include "sp-log.h"
#include "sp-names.h"
#include "sp-test.h"

/* Every operation and subop libvirt 9.0 passes to a qemu hook
 * (src/util/virhook.c), and what the hook must do with each pair. */
static void
test_decision_table(void)
{
	static const char *const ops[] = {"start",   "stopped",    "prepare",   "release",
					  "migrate", "started",    "reconnect", "attach",
					  "restore", "frobnicate", "",          NULL};
	static const char *const subops[] = {"begin", "end", "-", "middle", NULL};
	static const struct {
		const char *op, *subop;
		SpHookDo what;
		gboolean may_fail;
	} expected[] = {
		{"prepare", "begin", SP_HOOK_DO_PREPARE, TRUE},
		{"release", "end", SP_HOOK_DO_RELEASE, FALSE},
	};
	size_t n;
	const SpHookRule *rules = sp_hook_rules(&n);

	for (int o = 0; ops[o]; o++) {
		for (int s = 0; subops[s]; s++) {
			const SpHookRule *r = sp_hook_rule_find(ops[o], subops[s]);
			SpHookDo what = SP_HOOK_DO_NOTHING;
			gboolean may_fail = FALSE;

			for (size_t e = 0; e < G_N_ELEMENTS(expected); e++) {
				if (strcmp(expected[e].op, ops[o]) == 0 &&
				    strcmp(expected[e].subop, subops[s]) == 0) {
					what = expected[e].what;
					may_fail = expected[e].may_fail;
				}
			}
			if (r->what != what || r->may_fail != may_fail)
				fprintf(stderr, "'%s %s': got %s\n", ops[o], subops[s],
					sp_hook_do_name(r->what));
			CU_ASSERT_EQUAL(r->what, what);
			CU_ASSERT_EQUAL(r->may_fail, may_fail);
			CU_ASSERT_PTR_NOT_NULL(r->why);
		}
	}
	/* The catch-all is the last row, and only prepare may fail a call:
	 * a failed reconnect kills a running QEMU. */
	CU_ASSERT_PTR_NULL(rules[n - 1].op);
	for (size_t i = 0; i < n; i++)
		CU_ASSERT_EQUAL(rules[i].may_fail, rules[i].what == SP_HOOK_DO_PREPARE);
	CU_ASSERT_EQUAL(sp_hook_rule_find("reconnect", "begin")->may_fail, FALSE);
}

static gboolean
test_vg_managed(const char *vg, void *data)
{
	return g_strv_contains((const char *const *) data, vg);
}

/* A private copy of tests/hookdata/etc: the hook trusts only files of its
 * own user that nobody else can write, whatever the checkout's modes. */
static char *
config_dir(void)
{
	char *dir = sp_test_tmpdir();
	static const char *const files[] = {"slvm.conf", "networks.conf", NULL};

	for (int i = 0; files[i]; i++) {
		g_autofree char *rel = g_build_filename("hookdata/etc", files[i], NULL);
		g_autofree char *text = sp_test_read(rel);
		g_autofree char *path = g_build_filename(dir, files[i], NULL);

		CU_ASSERT_TRUE(g_file_set_contents(path, text, -1, NULL));
		g_chmod(path, 0600);
	}
	return dir;
}

static void
append_plan(GString *out, const char *dir, const char *domain, const char *op, const char *subop,
	    const char *xml)
{
	SpHookCall call = {.config_dir = dir, .domain = domain};

	call.rule = sp_hook_rule_find(op, subop);
	g_string_append_printf(out, "== %s %s\n", op, subop);
	if (sp_hook_call_plan(&call, xml, strlen(xml)) < 0) {
		g_string_append_printf(out, "error: %s\n", sp_error_message());
		sp_error_clear();
	} else {
		for (guint i = 0; i < call.plan->len; i++) {
			g_autofree char *line = sp_action_describe(g_ptr_array_index(call.plan, i));

			g_string_append_printf(out, "%s\n", line);
		}
	}
	sp_hook_call_clear(&call);
}

/* Each XML of tests/hookdata: what the reader found, and the plans. */
static void
test_domain_files(void)
{
	static const char *const names[] = {
		"libvirt-disk-backing-chains",
		"libvirt-lease",
		"libvirt-qemu-ns",
		"libvirt-net-portgroup",
		"libvirt-net-mtu",
		"sparrow-all-types",
		"sparrow-lvmlockd",
		"sparrow-lvmlockd-no-lease",
		"sparrow-bad-lv",
		"sparrow-layer",
		"bed-guest-live",
		NULL,
	};
	g_autofree char *dir = config_dir();

	for (int i = 0; names[i]; i++) {
		g_autofree char *rel = g_strdup_printf("hookdata/%s.xml", names[i]);
		g_autofree char *golden = g_strdup_printf("hookdata/%s.out", names[i]);
		g_autofree char *xml = sp_test_read(rel);
		g_autoptr(GString) out = g_string_new(NULL);
		g_autoptr(SpDomainInfo) info = NULL;

		if (!xml)
			continue;
		info = sp_domain_info_parse(xml, strlen(xml));
		CU_ASSERT_PTR_NOT_NULL_FATAL(info);
		g_string_append_printf(out, "name %s\nlease %s\n", info->name ? info->name : "-",
				       info->has_lease ? "yes" : "no");
		for (guint j = 0; j < info->block_paths->len; j++)
			g_string_append_printf(out, "block %s\n",
					       (char *) g_ptr_array_index(info->block_paths, j));
		for (guint j = 0; j < info->bridges->len; j++)
			g_string_append_printf(out, "bridge %s\n",
					       (char *) g_ptr_array_index(info->bridges, j));
		append_plan(out, dir, info->name, "prepare", "begin", xml);
		append_plan(out, dir, info->name, "release", "end", xml);
		append_plan(out, dir, info->name, "migrate", "begin", xml);
		sp_test_golden(golden, out->str);
	}
	sp_test_rmtree(dir);
}

typedef struct {
	const char *what;
	const char *xml;
	const char *message; /* a part of the error */
} HostileCase;

static void
check_refused(const char *what, const char *xml, size_t len, const char *message)
{
	g_autoptr(SpDomainInfo) info = sp_domain_info_parse(xml, len);

	if (info)
		fprintf(stderr, "%s: accepted\n", what);
	CU_ASSERT_PTR_NULL(info);
	if (!info && !strstr(sp_error_message(), message))
		fprintf(stderr, "%s: '%s' lacks '%s'\n", what, sp_error_message(), message);
	CU_ASSERT_PTR_NOT_NULL(strstr(sp_error_message(), message));
	/* One line: it ends up on stderr, in libvirt's error. */
	CU_ASSERT_PTR_NULL(strchr(sp_error_message(), '\n'));
	sp_error_clear();
}

static void
test_hostile_xml(void)
{
	static const HostileCase cases[] = {
		{"external entity",
		 "<?xml version='1.0'?>\n<!DOCTYPE domain [<!ENTITY x SYSTEM "
		 "'file:///etc/shadow'>]>\n<domain><name>&x;</name></domain>",
		 "DOCTYPE"},
		{"external DTD", "<!DOCTYPE domain SYSTEM 'http://198.18.0.1/domain.dtd'><domain/>",
		 "DOCTYPE"},
		{"billion laughs",
		 "<!DOCTYPE d [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'>"
		 "<!ENTITY c '&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;'><!ENTITY d "
		 "'&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;'><!ENTITY e '&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;'>"
		 "<!ENTITY f '&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;'><!ENTITY g "
		 "'&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;'>]><domain><name>&g;</name></domain>",
		 "DOCTYPE"},
		{"parameter entity",
		 "<!DOCTYPE domain [<!ENTITY % p SYSTEM 'http://198.18.0.1/p'> %p;]><domain/>",
		 "DOCTYPE"},
		{"undefined entity", "<domain><name>&nosuch;</name></domain>", "domain XML line 1"},
		{"truncated",
		 "<domain type='kvm'>\n  <name>web01</name>\n  <devices>\n    <disk type='block'>\n"
		 "      <source dev='/dev/HostVG/we",
		 "domain XML line 5"},
		{"empty", "", "domain XML"},
		{"not UTF-8", "<domain><name>\xff\xfe</name></domain>", "domain XML line 1"},
		{"Latin-1 declared",
		 "<?xml version='1.0' encoding='ISO-8859-1'?><domain><name>caf\xe9</name></domain>",
		 "domain XML line 1"},
		{"another root", "<network><name>default</name></network>",
		 "<network>, not <domain>"},
		{"namespaced root", "<x:domain xmlns:x='urn:x'/>", "is in a namespace"},
		{"default namespace", "<domain xmlns='http://libvirt.org/schemas/domain'/>",
		 "is in a namespace"},
		{"two roots", "<domain/><domain/>", "domain XML line 1"},
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++)
		check_refused(cases[i].what, cases[i].xml, strlen(cases[i].xml), cases[i].message);
}

/* Sizes around the cap, a NUL byte, and nesting deeper than libxml2's limit
 * (no XML_PARSE_HUGE). */
static void
test_hostile_sizes(void)
{
	static const char head[] = "<domain><name>big</name><!--";
	static const char tail[] = "--></domain>";
	g_autofree char *big = g_malloc(SP_DOMAIN_XML_MAX + 2);
	g_autoptr(SpDomainInfo) info = NULL;
	GString *deep = g_string_new(NULL);
	static const char nul[] = "<domain><name>a\0b</name></domain>";
	size_t len = SP_DOMAIN_XML_MAX;

	memset(big, 'x', len);
	memcpy(big, head, strlen(head));
	memcpy(big + len - strlen(tail), tail, strlen(tail));
	info = sp_domain_info_parse(big, len);
	CU_ASSERT_PTR_NOT_NULL(info);
	if (info)
		CU_ASSERT_STRING_EQUAL(info->name, "big");
	memcpy(big + len + 1 - strlen(tail), tail, strlen(tail));
	big[len - strlen(tail)] = 'x';
	check_refused("one byte over the cap", big, len + 1, "over the 8 MiB");

	check_refused("NUL byte", nul, sizeof(nul) - 1, "domain XML line 1");

	g_string_append(deep, "<domain><devices>");
	for (int i = 0; i < 100000; i++)
		g_string_append(deep, "<backingStore type='block'>");
	check_refused("deep nesting", deep->str, deep->len, "domain XML line 1");
	g_string_free(deep, TRUE);
}

/* What libvirt never writes but a client may send: XInclude is not
 * processed, and a character reference puts a newline in a path (the
 * program's test shows it stays on one line in the message). */
#define XML_NEWLINE                                                                    \
	"<domain><name>x</name><devices><xi:include "                                  \
	"xmlns:xi='http://www.w3.org/2001/XInclude' href='/etc/passwd' parse='text'/>" \
	"<disk type='block'><source dev='/dev/vg0/a&#10;level=error'/></disk>"         \
	"</devices></domain>"

static void
test_hostile_content(void)
{
	static const char *const managed[] = {"vg0", NULL};
	g_autoptr(SpDomainInfo) info = sp_domain_info_parse(XML_NEWLINE, strlen(XML_NEWLINE));
	g_autofree char *vg = NULL, *lv = NULL;
	const char *path;

	CU_ASSERT_PTR_NOT_NULL_FATAL(info);
	CU_ASSERT_EQUAL(info->block_paths->len, 1);
	path = g_ptr_array_index(info->block_paths, 0);
	CU_ASSERT_STRING_EQUAL(path, "/dev/vg0/a\nlevel=error");
	CU_ASSERT_EQUAL(sp_name_lv_from_path(path, test_vg_managed, (void *) managed, &vg, &lv),
			-1);
	sp_error_clear();
}

static void
test_hook_config(void)
{
	/* where: FILE:LINE (a column may follow); message: a part of the text. */
	static const struct {
		const char *text;
		int rc;
		int budget;
		const char *where, *message;
	} cases[] = {
		{"", 0, SP_HOOK_BUDGET_DEFAULT, NULL, NULL},
		{"[hook]\nbudget = 5\nlog-level = debug\n", 0, 5, NULL, NULL},
		{"[hook]\nbudget = 3600 # an hour\n", 0, 3600, NULL, NULL},
		{"[hook]\nbudget = 0\n", -1, 0, "hook.conf:2",
		 "budget must be a number of seconds"},
		{"[hook]\nbudget = 3601\n", -1, 0, "hook.conf:2", "from 1 to 3600"},
		{"[hook]\nbudget = 30s\n", -1, 0, "hook.conf:2", "30s"},
		{"[hook]\nlog-level = loud\n", -1, 0, "hook.conf:2", "unknown log level"},
		{"[hook]\nbudgte = 5\n", -1, 0, "hook.conf:2", "budgte"},
		{"[hooks]\nbudget = 5\n", -1, 0, "hook.conf:1", "unknown section [hooks]"},
		{"[hook]\nbudget = 5\nbudget = 6\n", -1, 0, "hook.conf:3", "budget"},
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(SpDiag) diag = sp_diag_new();
		g_autofree char *text = NULL;
		SpHookConfig cfg;
		int rc = sp_hook_config_parse("hook.conf", cases[i].text, &cfg, diag);

		CU_ASSERT_EQUAL(rc, cases[i].rc);
		if (rc == 0) {
			CU_ASSERT_EQUAL(cfg.budget_s, cases[i].budget);
			continue;
		}
		CU_ASSERT_EQUAL(cfg.budget_s, SP_HOOK_BUDGET_DEFAULT);
		text = sp_test_diag_text(diag);
		if (!g_str_has_prefix(text, cases[i].where) || !strstr(text, cases[i].message))
			fprintf(stderr, "case %zu: '%s' lacks '%s' or '%s'\n", i, text,
				cases[i].where, cases[i].message);
		CU_ASSERT_TRUE(g_str_has_prefix(text, cases[i].where));
		CU_ASSERT_PTR_NOT_NULL(strstr(text, cases[i].message));
	}
}

/* The plan's promises, whatever the XML: a VG's refresh before its first
 * activate, an LV once, shared activation exactly on lvmlockd VGs. */
static void
test_plan_order(void)
{
	static const char xml[] =
		"<domain><name>o</name><devices><lease/>"
		"<disk type='block'><source dev='/dev/vg0/a'/></disk>"
		"<disk type='block'><source dev='/dev/HostVG/b'/></disk>"
		"<disk type='block'><source dev='/dev/mapper/vg0-a'/></disk>"
		"<disk type='file'><backingStore type='block'><source dev='/dev/vg0/c'/>"
		"</backingStore></disk>"
		"<disk type='block'><source dev='/dev/HostVG/b'/></disk>"
		"</devices></domain>";
	static const char *const expected[] = {
		"refresh vg0",       "activate vg0/a", "refresh HostVG",
		"activate HostVG/b", "activate vg0/c", NULL,
	};
	g_autofree char *dir = config_dir();
	SpHookCall call = {.config_dir = dir, .domain = "o"};

	call.rule = sp_hook_rule_find("prepare", "begin");
	CU_ASSERT_EQUAL_FATAL(sp_hook_call_plan(&call, xml, strlen(xml)), 0);
	CU_ASSERT_EQUAL(call.plan->len, g_strv_length((char **) expected));
	for (guint i = 0; i < call.plan->len && expected[i]; i++) {
		const SpAction *a = g_ptr_array_index(call.plan, i);
		g_autofree char *line = sp_action_describe(a);

		CU_ASSERT_STRING_EQUAL(line, expected[i]);
		if (a->kind == SP_ACTION_ACTIVATE)
			CU_ASSERT_EQUAL(a->shared, strcmp(a->vg, "vg0") == 0);
	}
	sp_hook_call_clear(&call);
	sp_test_rmtree(dir);
}

/* Config errors: slvm.conf matters only to a VM with block disks. */
static void
test_plan_config_errors(void)
{
	static const char with_disk[] = "<domain><name>d</name><devices><disk type='block'>"
					"<source dev='/dev/vg0/a'/></disk></devices></domain>";
	static const char without[] = "<domain><name>n</name><devices/></domain>";
	g_autofree char *dir = sp_test_tmpdir();
	g_autofree char *path = g_build_filename(dir, "slvm.conf", NULL);
	SpHookCall call = {.config_dir = dir, .domain = "d"};

	CU_ASSERT_TRUE(g_file_set_contents(path, "[vg vg0]\nlock = sometimes\n", -1, NULL));
	g_chmod(path, 0600);
	call.rule = sp_hook_rule_find("prepare", "begin");
	CU_ASSERT_EQUAL(sp_hook_call_plan(&call, with_disk, strlen(with_disk)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(sp_error_message(), "slvm.conf:2"));
	sp_error_clear();
	sp_hook_call_clear(&call);
	CU_ASSERT_EQUAL(sp_hook_call_plan(&call, without, strlen(without)), 0);
	CU_ASSERT_EQUAL(call.plan->len, 0);
	sp_hook_call_clear(&call);
	/* A file others may write is not obeyed. */
	CU_ASSERT_TRUE(g_file_set_contents(path, "[vg vg0]\nlock = lvmlockd\n", -1, NULL));
	g_chmod(path, 0622);
	CU_ASSERT_EQUAL(sp_hook_call_plan(&call, with_disk, strlen(with_disk)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(sp_error_message(), "writable by others"));
	sp_error_clear();
	sp_hook_call_clear(&call);
	sp_test_rmtree(dir);
}

/* sp_hook_run in a child of the test: --test-kill-at kills the hook itself. */
static int
run_in_child(const SpHookRun *run)
{
	int status = 0;
	pid_t pid = fork();

	if (pid == 0)
		_exit(sp_hook_run(run) == 0 ? 0 : 1);
	CU_ASSERT_EQUAL(waitpid(pid, &status, 0), pid);
	return status;
}

static guint
open_fds(void)
{
	g_autoptr(GDir) dir = g_dir_open("/proc/self/fd", 0, NULL);
	guint n = 0;

	while (dir && g_dir_read_name(dir))
		n++;
	return n;
}

/* A plan with one ensure-bridge that netplug does not manage (no
 * networks.conf): no LVM and no kernel change, but the real worker. */
static void
test_run(void)
{
	g_autofree char *dir = sp_test_tmpdir();
	g_autoptr(GPtrArray) plan = g_ptr_array_new();
	SpAction ensure = {.kind = SP_ACTION_ENSURE_BRIDGE, .bridge = (char *) "brnone"};
	SpHookRun run = {.what = SP_HOOK_DO_PREPARE,
			 .domain = "t",
			 .config_dir = dir,
			 .plan = plan,
			 .budget_s = 30,
			 .log_level = SP_LOG_WARN};
	int status;

	guint fds = open_fds();

	g_ptr_array_add(plan, &ensure);
	run.deadline = g_get_monotonic_time() + 30 * G_USEC_PER_SEC;
	CU_ASSERT_EQUAL(sp_hook_run(&run), 0);
	/* Nothing left behind: the worker is reaped, the pipe closed. */
	errno = 0;
	CU_ASSERT_EQUAL(waitpid(-1, NULL, WNOHANG), -1);
	CU_ASSERT_EQUAL(errno, ECHILD);
	CU_ASSERT_EQUAL(open_fds(), fds);
	/* Kill points: before action 1, and after the last (2); 3 is never
	 * reached. */
	for (int at = 1; at <= 3; at++) {
		run.kill_at = at;
		status = run_in_child(&run);
		if (at <= 2) {
			CU_ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
		} else {
			CU_ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		}
	}
	/* A budget already spent: the worker is killed, the error says so. */
	run.kill_at = 0;
	run.deadline = g_get_monotonic_time() - 1;
	CU_ASSERT_EQUAL(sp_hook_run(&run), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(sp_error_message(), "gave up after the budget of 30 s"));
	CU_ASSERT_EQUAL(open_fds(), fds);
	sp_error_clear();
	sp_test_rmtree(dir);
}

/* The program as libvirtd and admins run it: exit status, and exactly what
 * reaches stdout and stderr. (Only calls that change nothing: no LVM here.) */
typedef struct {
	const char *name;
	const char *argv[9]; /* after the program; "DIR": the config dir */
	const char *input;   /* a tests/ file, or text after "=" */
	gboolean dropin;     /* run as .../qemu.d/sparrow, a link to it */
	int status;
	const char *out;
	const char *err; /* the whole of stderr, or a part of it after "~" */
} ProgramCase;

static void
check_program(const ProgramCase *c, const char *dir)
{
	g_autofree char *program = g_canonicalize_filename("hooks/sparrow-hook", NULL);
	g_autofree char *link = g_build_filename(dir, "sparrow", NULL);
	g_autofree char *input = NULL;
	const char *argv[12] = {c->dropin ? link : program};
	SpRunOptions opts = {.argv = argv, .timeout_ms = 60000};
	SpRunResult res;
	int n = 1;

	for (int i = 0; c->argv[i]; i++)
		argv[n++] = strcmp(c->argv[i], "DIR") == 0 ? dir : c->argv[i];
	input = c->input[0] == '=' ? g_strdup(c->input + 1) : sp_test_read(c->input);
	opts.input = input;
	opts.input_len = strlen(input);
	if (c->dropin && !g_file_test(link, G_FILE_TEST_IS_SYMLINK))
		CU_ASSERT_EQUAL(symlink(program, link), 0);
	CU_ASSERT_EQUAL_FATAL(sp_run(&opts, &res), 0);
	if (!res.exited || res.exit_status != c->status || strcmp(res.out, c->out) != 0 ||
	    (c->err[0] == '~' ? !strstr(res.err, c->err + 1) : strcmp(res.err, c->err) != 0))
		fprintf(stderr, "%s: exit %d\n--- stdout\n%s--- stderr\n%s---\n", c->name,
			res.exit_status, res.out, res.err);
	CU_ASSERT_TRUE(res.exited);
	CU_ASSERT_EQUAL(res.exit_status, c->status);
	CU_ASSERT_STRING_EQUAL(res.out, c->out);
	if (c->err[0] == '~') {
		CU_ASSERT_PTR_NOT_NULL(strstr(res.err, c->err + 1));
		/* One line, whatever the XML held. */
		CU_ASSERT_TRUE(strchr(res.err, '\n') == res.err + res.err_len - 1);
	} else {
		CU_ASSERT_STRING_EQUAL(res.err, c->err);
	}
	sp_run_result_clear(&res);
}

static void
test_program(void)
{
	static const ProgramCase cases[] = {
		{"plan",
		 {"--plan", "-c", "DIR", "ga", "prepare", "begin", "-"},
		 "hookdata/bed-guest-live.xml",
		 FALSE,
		 0,
		 "refresh HostVG\nactivate HostVG/ga.root\nensure-bridge br1034\n",
		 ""},
		{"plan without EXTRA",
		 {"--plan", "-c", "DIR", "ga", "release", "end"},
		 "hookdata/bed-guest-live.xml",
		 FALSE,
		 0,
		 "deactivate HostVG/ga.root\n",
		 ""},
		{"plan of a call that does nothing",
		 {"--plan", "-c", "DIR", "ga", "migrate", "begin"},
		 "hookdata/bed-guest-live.xml",
		 FALSE,
		 0,
		 "",
		 ""},
		{"plan refused",
		 {"--plan", "-c", "DIR", "db02", "prepare", "begin", "-"},
		 "hookdata/sparrow-lvmlockd-no-lease.xml",
		 FALSE,
		 1,
		 "",
		 "sparrow-hook: domain 'db02' has disks on lvmlockd volume group 'vg0' but no "
		 "<lease> that keeps it from running on two hosts: run 'slvm-helper lease db02'\n"},
		{"plan: a newline from the XML stays escaped",
		 {"--plan", "-c", "DIR", "x", "prepare", "begin", "-"},
		 "=" XML_NEWLINE,
		 FALSE,
		 1,
		 "",
		 "~sparrow-hook: disk '/dev/vg0/a\\nlevel=error' is on managed volume group"},
		{"a domain named like an option, after --",
		 {"--plan", "-c", "DIR", "--", "-x", "prepare", "begin"},
		 "hookdata/sparrow-lvmlockd-no-lease.xml",
		 FALSE,
		 1,
		 "",
		 "~run 'slvm-helper lease -x'"},
		{"hook: migrate begin prints nothing",
		 {"-c", "DIR", "ga", "migrate", "begin", "-"},
		 "hookdata/bed-guest-live.xml",
		 FALSE,
		 0,
		 "",
		 ""},
		{"hook: restore begin prints nothing",
		 {"-c", "DIR", "ga", "restore", "begin", "-"},
		 "hookdata/bed-guest-live.xml",
		 FALSE,
		 0,
		 "",
		 ""},
		{"hook: release never fails",
		 {"-c", "DIR", "ga", "release", "end", "-"},
		 "=<domain><devices",
		 FALSE,
		 0,
		 "",
		 ""},
		{"hook: reconnect never fails",
		 {"-c", "DIR", "ga", "reconnect", "begin", "-"},
		 "=<!DOCTYPE x SYSTEM 'http://198.18.0.1/'><domain/>",
		 FALSE,
		 0,
		 "",
		 ""},
		{"hook: prepare refused",
		 {"-c", "DIR", "db02", "prepare", "begin", "-"},
		 "hookdata/sparrow-lvmlockd-no-lease.xml",
		 FALSE,
		 1,
		 "",
		 "~sparrow-hook: domain 'db02' has disks on lvmlockd volume group 'vg0'"},
		{"hook: broken XML fails prepare",
		 {"-c", "DIR", "x", "prepare", "begin", "-"},
		 "=<domain>",
		 FALSE,
		 1,
		 "",
		 "~sparrow-hook: domain XML line 1:"},
		{"drop-in: every argument is libvirt's",
		 {"-c", "DIR", "prepare", "begin"},
		 "=<domain/>",
		 TRUE,
		 0,
		 "",
		 ""},
		{"drop-in: three arguments", {"x", "prepare", "begin"}, "=", TRUE, 2, "", "~usage"},
		{"usage: too few", {"--plan", "x", "prepare"}, "=", FALSE, 2, "", "~usage"},
		{"usage: unknown option",
		 {"--frobnicate", "x", "prepare", "begin", "-"},
		 "=",
		 FALSE,
		 2,
		 "",
		 "~frobnicate"},
		{"usage: --test-kill-at below 0",
		 {"--test-kill-at", "-1", "x", "prepare", "begin", "-"},
		 "=",
		 FALSE,
		 2,
		 "",
		 "~usage"},
	};
	g_autofree char *dir = config_dir();

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++)
		check_program(&cases[i], dir);
	sp_test_rmtree(dir);
}

SP_TEST_MAIN("hook", SP_TEST(test_decision_table), SP_TEST(test_domain_files),
	     SP_TEST(test_hostile_xml), SP_TEST(test_hostile_sizes), SP_TEST(test_hostile_content),
	     SP_TEST(test_hook_config), SP_TEST(test_plan_order), SP_TEST(test_plan_config_errors),
	     SP_TEST(test_run), SP_TEST(test_program))
