/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The worker and the clock (see hook-run.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <syslog.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hook-plan.h"
#include "hook-run.h"
#include "netplug-ensure.h"
#include "sp-error.h"
#include "sp-log.h"

/* The worker tells the hook, one line each: "step N COUNT" as it starts
 * actions N to N + COUNT - 1, "fail MESSAGE" when the run failed. */
#define REPORT_FD 3

static void report(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

static void
report(const char *fmt, ...)
{
	va_list ap;
	g_autofree char *line = NULL;
	size_t off = 0, len;

	va_start(ap, fmt);
	line = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	len = strlen(line);
	while (off < len) {
		ssize_t n = write(REPORT_FD, line + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		off += (size_t) n;
	}
}

static void
kill_point(const SpHookRun *run, guint step)
{
	if (run->kill_at <= 0 || (guint) run->kill_at != step)
		return;
	sp_log_warn("hook.kill", "domain '%s': killed at step %u (--test-kill-at)", run->domain,
		    step);
	/* As a kill from outside would: the hook first, then the worker. */
	kill(getppid(), SIGKILL);
	raise(SIGKILL);
}

static int
do_action(const SpHookRun *run, SpSlvm **slvm, const SpAction *a)
{
	if (a->kind == SP_ACTION_ENSURE_BRIDGE)
		return sp_netplug_ensure_bridge(run->config_dir, a->bridge);
	if (!*slvm && !(*slvm = sp_slvm_open(run->slvm)))
		return -1;
	switch (a->kind) {
	case SP_ACTION_REFRESH:
		return sp_slvm_refresh(*slvm, a->vg);
	case SP_ACTION_ACTIVATE:
		return sp_slvm_activate(*slvm, a->vg, a->lv, a->shared);
	case SP_ACTION_DEACTIVATE:
		return sp_slvm_deactivate(*slvm, a->vg, a->lv);
	case SP_ACTION_ENSURE_BRIDGE:
		break;
	}
	return 0;
}

/* Deactivate what this run activated, newest first. */
static void
undo(const SpHookRun *run, SpSlvm *slvm, GPtrArray *activated)
{
	for (guint i = activated->len; i-- > 0;) {
		const SpAction *a = g_ptr_array_index(activated, i);

		if (sp_slvm_deactivate(slvm, a->vg, a->lv) < 0) {
			sp_log_error("hook.undo", "domain '%s': cannot deactivate %s/%s: %s",
				     run->domain, a->vg, a->lv, sp_error_message());
			sp_error_clear();
		} else {
			sp_log_info("hook.undo", "domain '%s': deactivated %s/%s again",
				    run->domain, a->vg, a->lv);
		}
	}
}

/* How many actions from i on make one step: consecutive activations in one
 * VG go to LVM as one command (LVM reads the VG's metadata once a command,
 * most of an activation's time in a VG of many LVs), cut where a kill point
 * falls, so that "killed before action N" keeps its meaning. */
static guint
step_len(const SpHookRun *run, guint i)
{
	const SpAction *first = g_ptr_array_index(run->plan, i);
	guint n = 1;

	if (first->kind != SP_ACTION_ACTIVATE)
		return 1;
	while (i + n < run->plan->len) {
		const SpAction *a = g_ptr_array_index(run->plan, i + n);

		if (a->kind != SP_ACTION_ACTIVATE || strcmp(a->vg, first->vg) != 0 ||
		    a->shared != first->shared || run->kill_at == (int) (i + n + 1))
			break;
		n++;
	}
	return n;
}

static int
do_step(const SpHookRun *run, SpSlvm **slvm, guint i, guint n)
{
	const SpAction *first = g_ptr_array_index(run->plan, i);
	g_autofree const char **lvs = NULL;

	if (n == 1)
		return do_action(run, slvm, first);
	if (!*slvm && !(*slvm = sp_slvm_open(run->slvm)))
		return -1;
	lvs = g_new0(const char *, n + 1);
	for (guint k = 0; k < n; k++)
		lvs[k] = ((const SpAction *) g_ptr_array_index(run->plan, i + k))->lv;
	return sp_slvm_activate_lvs(*slvm, first->vg, lvs, first->shared);
}

/* "activate VG/A, activate VG/B": the plan's lines of a step. */
static char *
step_text(const SpHookRun *run, guint i, guint n)
{
	GString *out = g_string_new(NULL);

	for (guint k = i; k < i + n && k < run->plan->len; k++) {
		g_autofree char *line = sp_action_describe(g_ptr_array_index(run->plan, k));

		g_string_append_printf(out, "%s%s", k > i ? ", " : "", line);
	}
	return g_string_free(out, FALSE);
}

/* The worker's whole life: every step in order; 0 or -1 (reported). */
static int
work(const SpHookRun *run)
{
	g_autoptr(SpSlvm) slvm = NULL;
	g_autoptr(GPtrArray) activated = g_ptr_array_new();
	guint n;

	for (guint i = 0; i < run->plan->len; i += n) {
		g_autofree char *what = NULL, *message = NULL;
		gint64 t0 = g_get_monotonic_time();
		int rc;

		n = step_len(run, i);
		what = step_text(run, i, n);
		kill_point(run, i + 1);
		report("step %u %u\n", i + 1, n);
		rc = do_step(run, &slvm, i, n);
		/* A failed activation of several LVs may have left some
		 * active: undo takes them all (not active is fine). */
		for (guint k = i; k < i + n && (rc == 0 || run->what == SP_HOOK_DO_PREPARE); k++) {
			const SpAction *a = g_ptr_array_index(run->plan, k);

			if (a->kind == SP_ACTION_ACTIVATE)
				g_ptr_array_add(activated, (gpointer) a);
		}
		if (rc == 0) {
			sp_log_info("hook.action", "domain '%s': %s: done in %.0f ms", run->domain,
				    what, (g_get_monotonic_time() - t0) / 1000.0);
			continue;
		}
		if (run->what == SP_HOOK_DO_RELEASE) {
			sp_log_warn("hook.action", "domain '%s': %s: %s; going on", run->domain,
				    what, sp_error_message());
			sp_error_clear();
			continue;
		}
		sp_error_prefix("%s: ", what);
		message = g_strdelimit(g_strdup(sp_error_message()), "\n", ' ');
		report("fail %s\n", message);
		if (slvm)
			undo(run, slvm, activated);
		return -1;
	}
	kill_point(run, run->plan->len + 1);
	return 0;
}

/* In the forked child: neither of libvirtd's pipes (the hook's stdout and
 * stderr) may stay open here, or libvirtd would wait for this process too. */
static void G_GNUC_NORETURN
worker_main(const SpHookRun *run, pid_t hook, int report_fd)
{
	int null_fd;

	setpgid(0, 0);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != hook)
		_exit(1);
	/* Closed on exec: LVM may start a daemon (dmeventd) that must not
	 * hold the pipe. /dev/null opened after, so it cannot be fd 3. */
	if (dup2(report_fd, REPORT_FD) < 0 || fcntl(REPORT_FD, F_SETFD, FD_CLOEXEC) < 0 ||
	    (null_fd = open("/dev/null", O_RDWR)) < 0)
		_exit(1);
	for (int fd = 0; fd < 3; fd++)
		dup2(null_fd, fd);
	closelog();
	close_range(REPORT_FD + 1, ~0U, 0);
	sp_log_init("sparrow-hook", SP_LOG_SYSLOG, run->log_level);
	_exit(work(run) < 0 ? 1 : 0);
}

/* The worker's reports: the last step it started (its first action and how
 * many), and its failure. */
static void
parse_reports(const char *text, guint *step, guint *count, char **failure)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

	for (int i = 0; lines[i]; i++) {
		char *end;

		if (g_str_has_prefix(lines[i], "step ")) {
			*step = (guint) g_ascii_strtoull(lines[i] + 5, &end, 10);
			*count = (guint) g_ascii_strtoull(end, NULL, 10);
		}
		if (g_str_has_prefix(lines[i], "fail ") && !*failure)
			*failure = g_strdup(lines[i] + 5);
	}
}

gboolean
sp_hook_read_until(int fd, gint64 deadline, size_t max, GString *out, gboolean *oversize)
{
	char chunk[65536];

	*oversize = FALSE;
	for (;;) {
		gint64 left_ms = (deadline - g_get_monotonic_time()) / 1000;
		struct pollfd p = {.fd = fd, .events = POLLIN};
		ssize_t n;
		int rc;

		if (left_ms <= 0)
			return FALSE;
		rc = poll(&p, 1, (int) MIN(left_ms, 1000));
		if (rc < 0 && errno != EINTR)
			return TRUE;
		if (rc <= 0)
			continue;
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			return TRUE;
		if (out->len + (size_t) n > max)
			*oversize = TRUE;
		else
			g_string_append_len(out, chunk, n);
	}
}

/* Wait for the worker to exit, by the deadline (FALSE if it did not),
 * collecting its reports. Its exit is what counts, not the end of the pipe:
 * were a process it started to keep the pipe open, the hook would still end
 * on time. */
static gboolean
wait_worker(pid_t pid, int fd, gint64 deadline, GString *reports, int *status)
{
	gboolean eof = FALSE, oversize;

	for (;;) {
		gint64 now = g_get_monotonic_time();
		pid_t got;

		if (!eof)
			eof = sp_hook_read_until(fd, MIN(deadline, now + 20000), 65536, reports,
						 &oversize);
		else
			g_usleep(2000);
		got = waitpid(pid, status, WNOHANG);
		if (got == pid)
			break;
		if ((got < 0 && errno != EINTR) || g_get_monotonic_time() >= deadline)
			return FALSE;
	}
	/* What it wrote just before it exited. */
	if (!eof)
		(void) sp_hook_read_until(fd, g_get_monotonic_time() + 10000, 65536, reports,
					  &oversize);
	return TRUE;
}

int
sp_hook_run(const SpHookRun *run)
{
	g_autoptr(GString) reports = g_string_new(NULL);
	g_autofree char *failure = NULL, *during = NULL;
	int fds[2], status = 0;
	pid_t hook = getpid(), pid;
	gboolean done;
	guint step = 0, count = 1;

	if (pipe2(fds, O_CLOEXEC) < 0) {
		sp_error_errno(errno, "cannot make a pipe");
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		sp_error_errno(errno, "cannot fork a worker");
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0)
		worker_main(run, hook, fds[1]);
	close(fds[1]);
	setpgid(pid, pid);
	done = wait_worker(pid, fds[0], run->deadline, reports, &status);
	close(fds[0]);
	parse_reports(reports->str, &step, &count, &failure);
	during = step ? step_text(run, step - 1, MAX(count, 1)) : g_strdup("starting");
	if (!done) {
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
		sp_error("gave up after the budget of %d s, during '%s': the worker was killed "
			 "(hook.conf sets the budget)",
			 run->budget_s, during);
		return -1;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (failure) {
		sp_error("%s", failure);
		return -1;
	}
	if (WIFSIGNALED(status))
		sp_error("the worker was killed by signal %d during '%s'", WTERMSIG(status),
			 during);
	else
		sp_error("the worker failed during '%s' with exit status %d", during,
			 WEXITSTATUS(status));
	return -1;
}
