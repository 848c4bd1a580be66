/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sp-error.h"
#include "sp-log.h"
#include "sp-test.h"

/* Run fn with stderr sent to a temporary file and return what it wrote. */
static char *
capture_stderr(void (*fn)(void))
{
	char path[] = "/tmp/sparrow-log-XXXXXX";
	int fd = mkstemp(path);
	int saved = dup(STDERR_FILENO);
	char *text = NULL;

	fflush(stderr);
	dup2(fd, STDERR_FILENO);
	fn();
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(fd);
	g_file_get_contents(path, &text, NULL, NULL);
	unlink(path);
	return text;
}

static void
log_levels(void)
{
	sp_log_init("sp-test", SP_LOG_STDERR, SP_LOG_INFO);
	sp_log_info("lv.activate", "activated %s/%s", "vg0", "web01.root");
	sp_log_debug("lv.plan", "not shown at level info");
	sp_log_warn("vg.refresh", "took %d ms", 1500);
}

static void
test_format_and_levels(void)
{
	g_autofree char *out = capture_stderr(log_levels);

	CU_ASSERT_STRING_EQUAL(
		out, "sp-test: level=info event=lv.activate msg=\"activated vg0/web01.root\"\n"
		     "sp-test: level=warn event=vg.refresh msg=\"took 1500 ms\"\n");
}

static void
log_hostile(void)
{
	sp_log_init("sp-test", SP_LOG_STDERR, SP_LOG_DEBUG);
	/* A domain name with a newline and a quote must not forge a second line
	 * or a key. */
	sp_log_info("hook", "domain %s", "evil\"\nlevel=error event=forged\x01");
}

static void
test_one_line_per_event(void)
{
	g_autofree char *out = capture_stderr(log_hostile);

	CU_ASSERT_STRING_EQUAL(out,
			       "sp-test: level=info event=hook msg=\"domain evil\\\"\\nlevel=error "
			       "event=forged\\x01\"\n");
}

static void
log_non_ascii(void)
{
	sp_log_init("sp-test", SP_LOG_STDERR, SP_LOG_DEBUG);
	/* UTF-8 text passes; a byte that is not UTF-8, a C1 control (U+0085, a
	 * line break to some viewers) and U+2028 are escaped. */
	sp_log_info("hook", "%s", "caf\xc3\xa9 \xff \xc2\x85 \xe2\x80\xa8 \x9b");
}

static void
test_non_ascii_escaped(void)
{
	g_autofree char *out = capture_stderr(log_non_ascii);

	CU_ASSERT_STRING_EQUAL(out, "sp-test: level=info event=hook msg=\"caf\xc3\xa9 \\xff "
				    "\\u0085 \\u2028 \\x9b\"\n");
	CU_ASSERT_TRUE(g_utf8_validate(out, -1, NULL));
}

static void
log_last_error_foreground(void)
{
	sp_log_init("sp-test", SP_LOG_STDERR, SP_LOG_ERROR);
	sp_error("cannot activate '%s'", "vg0/x\x1b[2J");
	sp_log_last_error("lv.activate");
}

/* A person reads "PROG: message", control characters escaped; the error
 * is reported once, then cleared. */
static void
test_last_error_foreground(void)
{
	g_autofree char *out = capture_stderr(log_last_error_foreground);

	CU_ASSERT_STRING_EQUAL(out, "sp-test: cannot activate 'vg0/x\\x1b[2J'\n");
	CU_ASSERT_PTR_NULL(sp_error_last());
}

static void
log_diag_foreground(void)
{
	g_autoptr(SpDiag) diag = sp_diag_new();

	sp_log_init("sp-test", SP_LOG_STDERR, SP_LOG_ERROR);
	sp_diag_add(diag, "a.conf", 3, 2, "second");
	sp_diag_add(diag, "a.conf", 1, 5, "first \x07");
	sp_log_diag("config", diag);
}

static void
test_diag_foreground(void)
{
	g_autofree char *out = capture_stderr(log_diag_foreground);

	CU_ASSERT_STRING_EQUAL(out, "a.conf:1:5: first \\x07\na.conf:3:2: second\n");
}

/* In a child with a private mount namespace and a private /dev, read what
 * syslog(3) sends to /dev/log and write it to fd. Exit 77 when the
 * namespace cannot be had (not root, or no mount rights). */
static void G_GNUC_NORETURN
syslog_child(int fd)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	char buf[1024];
	ssize_t n;
	int s;

	if (unshare(CLONE_NEWNS) < 0 || mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("tmpfs", "/dev", "tmpfs", 0, "size=64k") < 0)
		_exit(77);
	g_strlcpy(addr.sun_path, "/dev/log", sizeof(addr.sun_path));
	s = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (s < 0 || bind(s, (struct sockaddr *) &addr, sizeof(addr)) < 0)
		_exit(78);
	sp_log_init("sp-test", SP_LOG_SYSLOG, SP_LOG_ERROR);
	sp_error("cannot activate '%s'", "vg0/x");
	sp_log_last_error("lv.activate");
	n = recv(s, buf, sizeof(buf) - 1, 0);
	if (n <= 0 || write(fd, buf, (size_t) n) != n)
		_exit(79);
	_exit(sp_error_last() ? 80 : 0);
}

/* Under libvirtd or a service manager: one logfmt ERROR line to syslog,
 * with the event and the place that set the error. Through the real
 * syslog(3) and a real socket, in a namespace of the test's own. */
static void
test_last_error_to_syslog(void)
{
	int fds[2], status = 0;
	char buf[1024] = "";
	ssize_t n;
	pid_t pid;

	CU_ASSERT_EQUAL_FATAL(pipe(fds), 0);
	fflush(NULL);
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		syslog_child(fds[1]);
	}
	close(fds[1]);
	n = read(fds[0], buf, sizeof(buf) - 1);
	close(fds[0]);
	waitpid(pid, &status, 0);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 77) {
		fprintf(stderr, "no private mount namespace (not root?): syslog case not run\n");
		return;
	}
	CU_ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CU_ASSERT_TRUE_FATAL(n > 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, " sp-test["));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "]: level=error event=lv.activate src="));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "test-log.c:"));
	CU_ASSERT_TRUE(g_str_has_suffix(buf, " msg=\"cannot activate 'vg0/x'\""));
}

static void
test_level_parse(void)
{
	SpLogLevel level = SP_LOG_ERROR;

	CU_ASSERT_EQUAL(sp_log_level_parse("debug", &level), 0);
	CU_ASSERT_EQUAL(level, SP_LOG_DEBUG);
	CU_ASSERT_EQUAL(sp_log_level_parse("loud", &level), -1);
	CU_ASSERT_EQUAL(level, SP_LOG_DEBUG);
	CU_ASSERT_STRING_EQUAL(sp_error_message(),
			       "unknown log level 'loud' (expected error, warn, info or debug)");
	sp_error_clear();
}

SP_TEST_MAIN("log", SP_TEST(test_format_and_levels), SP_TEST(test_one_line_per_event),
	     SP_TEST(test_non_ascii_escaped), SP_TEST(test_last_error_foreground),
	     SP_TEST(test_diag_foreground), SP_TEST(test_last_error_to_syslog),
	     SP_TEST(test_level_parse))
