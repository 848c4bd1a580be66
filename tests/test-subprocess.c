/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sp-error.h"
#include "sp-subprocess.h"
#include "sp-test.h"

static int
run_sh(const char *script, int timeout_ms, SpRunResult *res)
{
	const char *argv[] = {"/bin/sh", "-c", script, NULL};
	SpRunOptions opts = {.argv = argv, .timeout_ms = timeout_ms, .grace_ms = 300};

	return sp_run(&opts, res);
}

static void
test_output_and_status(void)
{
	SpRunResult res;

	CU_ASSERT_EQUAL_FATAL(run_sh("echo out; echo err >&2; exit 3", 0, &res), 0);
	CU_ASSERT_TRUE(res.exited);
	CU_ASSERT_EQUAL(res.exit_status, 3);
	CU_ASSERT_STRING_EQUAL(res.out, "out\n");
	CU_ASSERT_STRING_EQUAL(res.err, "err\n");
	CU_ASSERT_FALSE(res.timed_out);
	sp_run_result_clear(&res);
}

static void
test_input(void)
{
	const char *argv[] = {"/bin/cat", NULL};
	g_autofree char *big = g_strnfill(1 << 20, 'x');
	SpRunOptions opts = {.argv = argv, .input = big, .input_len = 1 << 20};
	SpRunResult res;

	/* A megabyte in and out: both pipes fill up, so this only finishes if
	 * reading and writing interleave. */
	CU_ASSERT_EQUAL_FATAL(sp_run(&opts, &res), 0);
	CU_ASSERT_EQUAL(res.exit_status, 0);
	CU_ASSERT_EQUAL(res.out_len, (size_t) 1 << 20);
	CU_ASSERT_EQUAL(memcmp(res.out, big, 1 << 20), 0);
	sp_run_result_clear(&res);
}

static void
test_input_not_read(void)
{
	const char *argv[] = {"/bin/true", NULL};
	g_autofree char *big = g_strnfill(1 << 20, 'x');
	SpRunOptions opts = {.argv = argv, .input = big, .input_len = 1 << 20};
	SpRunResult res;

	/* The child exits without reading: EPIPE, not a SIGPIPE that kills us. */
	CU_ASSERT_EQUAL_FATAL(sp_run(&opts, &res), 0);
	CU_ASSERT_EQUAL(res.exit_status, 0);
	sp_run_result_clear(&res);
}

static void
test_clean_environment(void)
{
	const char *argv[] = {"/usr/bin/env", NULL};
	SpRunOptions opts = {.argv = argv};
	SpRunResult res;

	g_setenv("SPARROW_SECRET", "leak", TRUE);
	CU_ASSERT_EQUAL_FATAL(sp_run(&opts, &res), 0);
	CU_ASSERT_STRING_EQUAL(res.out, "PATH=/usr/sbin:/usr/bin:/sbin:/bin\nLC_ALL=C\n");
	sp_run_result_clear(&res);
	g_unsetenv("SPARROW_SECRET");
}

static void
test_no_fd_leak(void)
{
	SpRunResult res;
	int leaked = dup(STDOUT_FILENO); /* not CLOEXEC on purpose */

	/* The shell lists its own descriptors: only 0, 1 and 2 may be there
	 * (and 255 or 10, which dash opens for itself, are not ours). */
	CU_ASSERT_EQUAL_FATAL(run_sh("ls /proc/$$/fd", 0, &res), 0);
	CU_ASSERT_STRING_EQUAL(res.out, "0\n1\n2\n");
	sp_run_result_clear(&res);
	close(leaked);
}

static void
test_relative_path_refused(void)
{
	const char *argv[] = {"sh", "-c", "true", NULL};
	SpRunOptions opts = {.argv = argv};
	SpRunResult res;

	CU_ASSERT_EQUAL(sp_run(&opts, &res), -1);
	CU_ASSERT_STRING_EQUAL(sp_error_message(), "program 'sh' must be given by absolute path");
	sp_error_clear();
}

static void
test_missing_program(void)
{
	const char *argv[] = {"/nonexistent/lvm", NULL};
	SpRunOptions opts = {.argv = argv};
	SpRunResult res;

	CU_ASSERT_EQUAL(sp_run(&opts, &res), -1);
	CU_ASSERT_STRING_EQUAL(sp_error_message(),
			       "cannot execute '/nonexistent/lvm': No such file or directory");
	sp_error_clear();
}

static void
test_timeout_kills(void)
{
	SpRunResult res;

	CU_ASSERT_EQUAL_FATAL(run_sh("echo started; exec sleep 30", 200, &res), 0);
	CU_ASSERT_TRUE(res.timed_out);
	CU_ASSERT_FALSE(res.exited);
	CU_ASSERT_EQUAL(res.term_signal, SIGTERM);
	CU_ASSERT_STRING_EQUAL(res.out, "started\n");
	CU_ASSERT_TRUE(res.elapsed_s < 5.0);
	sp_run_result_clear(&res);
}

static void
test_sigterm_ignored(void)
{
	SpRunResult res;

	/* The helper ignores SIGTERM: after the grace period it gets SIGKILL. */
	CU_ASSERT_EQUAL_FATAL(run_sh("trap '' TERM; while :; do sleep 0.05; done", 200, &res), 0);
	CU_ASSERT_TRUE(res.timed_out);
	CU_ASSERT_EQUAL(res.term_signal, SIGKILL);
	CU_ASSERT_TRUE(res.elapsed_s >= 0.45);
	CU_ASSERT_TRUE(res.elapsed_s < 5.0);
	sp_run_result_clear(&res);
}

/* The test becomes a subreaper so that orphaned grandchildren come back to
 * it: it can then tell for sure whether they were killed. */
static void
assert_killed_and_reaped(pid_t pid)
{
	int status = 0;

	CU_ASSERT_EQUAL(waitpid(pid, &status, 0), pid);
	CU_ASSERT_TRUE(WIFSIGNALED(status));
	if (WIFSIGNALED(status))
		CU_ASSERT_EQUAL(WTERMSIG(status), SIGKILL);
}

static void
test_grandchild_holding_pipe(void)
{
	SpRunResult res;
	pid_t grandchild;

	prctl(PR_SET_CHILD_SUBREAPER, 1);
	/* The child exits at once, its background grandchild keeps stdout open:
	 * the call must return now, with the output, and kill the grandchild. */
	CU_ASSERT_EQUAL_FATAL(run_sh("sleep 30 & echo $!", 10000, &res), 0);
	CU_ASSERT_EQUAL(res.exit_status, 0);
	CU_ASSERT_FALSE(res.timed_out);
	CU_ASSERT_TRUE(res.elapsed_s < 5.0);
	grandchild = (pid_t) atoi(res.out);
	CU_ASSERT_TRUE_FATAL(grandchild > 0);
	assert_killed_and_reaped(grandchild);
	sp_run_result_clear(&res);
	prctl(PR_SET_CHILD_SUBREAPER, 0);
}

static void
test_timeout_kills_whole_group(void)
{
	SpRunResult res;
	g_autofree char *dir = sp_test_tmpdir();
	g_autofree char *pidfile = g_build_filename(dir, "pid", NULL);
	g_autofree char *script = g_strdup_printf("sleep 30 & echo $! > %s; wait", pidfile);
	g_autofree char *text = NULL;

	prctl(PR_SET_CHILD_SUBREAPER, 1);
	/* On a loaded machine sh may not have written the pid before the
	 * timeout kills it: then nothing was started, and a longer timeout is
	 * tried (a whole line, so that a kill between open and write is seen). */
	for (int timeout = 300;; timeout *= 2) {
		CU_ASSERT_EQUAL_FATAL(run_sh(script, timeout, &res), 0);
		CU_ASSERT_TRUE(res.timed_out);
		if (g_file_get_contents(pidfile, &text, NULL, NULL) && strchr(text, '\n'))
			break;
		CU_ASSERT_FATAL(timeout < 20000);
		g_clear_pointer(&text, g_free);
		sp_run_result_clear(&res);
	}
	/* sleep got SIGTERM with its group; either way it must be gone. */
	{
		int status = 0;
		pid_t pid = (pid_t) atoi(text);

		CU_ASSERT_EQUAL(waitpid(pid, &status, 0), pid);
		CU_ASSERT_TRUE(WIFSIGNALED(status));
	}
	sp_run_result_clear(&res);
	sp_test_rmtree(dir);
	prctl(PR_SET_CHILD_SUBREAPER, 0);
}

static void
test_output_cap(void)
{
	const char *argv[] = {"/usr/bin/head", "-c", "100000", "/dev/zero", NULL};
	SpRunOptions opts = {.argv = argv, .max_output = 1000};
	SpRunResult res;

	CU_ASSERT_EQUAL_FATAL(sp_run(&opts, &res), 0);
	CU_ASSERT_EQUAL(res.out_len, 1000u);
	CU_ASSERT_TRUE(res.truncated);
	sp_run_result_clear(&res);
}

static void
test_run_ok_messages(void)
{
	const char *fail[] = {"/bin/sh", "-c", "echo 'Volume group \"vg9\" not found' >&2; exit 5",
			      NULL};
	const char *slow[] = {"/bin/sleep", "10", NULL};
	SpRunOptions opts = {.argv = fail};
	SpRunResult res = {0};

	CU_ASSERT_EQUAL(sp_run_ok(&opts, &res), -1);
	CU_ASSERT_STRING_EQUAL(
		sp_error_message(),
		"'/bin/sh' failed with exit status 5: Volume group \"vg9\" not found");
	CU_ASSERT_PTR_NULL(res.out);
	opts = (SpRunOptions){.argv = slow, .timeout_ms = 100};
	CU_ASSERT_EQUAL(sp_run_ok(&opts, &res), -1);
	CU_ASSERT_STRING_EQUAL(sp_error_message(),
			       "'/bin/sleep' did not finish within 100 ms and was killed");
	sp_error_clear();
}

static void
test_empty_input(void)
{
	const char *argv[] = {"/bin/cat", NULL};
	SpRunOptions opts = {.argv = argv, .input = "", .input_len = 0, .timeout_ms = 5000};
	SpRunResult res;

	/* An empty buffer is end of file at once, not a wait for the timeout. */
	CU_ASSERT_EQUAL_FATAL(sp_run(&opts, &res), 0);
	CU_ASSERT_FALSE(res.timed_out);
	CU_ASSERT_EQUAL(res.exit_status, 0);
	CU_ASSERT_EQUAL(res.out_len, 0u);
	CU_ASSERT_TRUE(res.elapsed_s < 2.0);
	sp_run_result_clear(&res);
}

static void
test_stdin_closed_in_parent(void)
{
	const char *argv[] = {"/bin/cat", NULL};
	SpRunOptions opts = {.argv = argv, .input = "hello\n", .input_len = 6};
	SpRunResult res;
	int saved = dup(STDIN_FILENO);

	/* With fd 0 closed the input pipe lands on 0 in the parent: the child
	 * must still get it as its stdin. */
	CU_ASSERT_TRUE_FATAL(saved >= 0);
	close(STDIN_FILENO);
	CU_ASSERT_EQUAL(sp_run(&opts, &res), 0);
	dup2(saved, STDIN_FILENO);
	close(saved);
	CU_ASSERT_EQUAL(res.exit_status, 0);
	CU_ASSERT_STRING_EQUAL(res.out, "hello\n");
	sp_run_result_clear(&res);
}

static void
test_sigchld_ignored_refused(void)
{
	const char *argv[] = {"/bin/true", NULL};
	SpRunOptions opts = {.argv = argv};
	SpRunResult res;
	struct sigaction ign = {.sa_handler = SIG_IGN}, old;

	sigaction(SIGCHLD, &ign, &old);
	CU_ASSERT_EQUAL(sp_run(&opts, &res), -1);
	sigaction(SIGCHLD, &old, NULL);
	CU_ASSERT_STRING_EQUAL(sp_error_message(),
			       "cannot run '/bin/true': this process ignores SIGCHLD, so its "
			       "children cannot be waited for");
	sp_error_clear();
}

SP_TEST_MAIN("subprocess", SP_TEST(test_output_and_status), SP_TEST(test_input),
	     SP_TEST(test_input_not_read), SP_TEST(test_empty_input),
	     SP_TEST(test_stdin_closed_in_parent), SP_TEST(test_sigchld_ignored_refused),
	     SP_TEST(test_clean_environment), SP_TEST(test_no_fd_leak),
	     SP_TEST(test_relative_path_refused), SP_TEST(test_missing_program),
	     SP_TEST(test_timeout_kills), SP_TEST(test_sigterm_ignored),
	     SP_TEST(test_grandchild_holding_pipe), SP_TEST(test_timeout_kills_whole_group),
	     SP_TEST(test_output_cap), SP_TEST(test_run_ok_messages))
