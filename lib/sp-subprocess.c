/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sp-error.h"
#include "sp-subprocess.h"

#define DEFAULT_MAX_OUTPUT (16u * 1024 * 1024)
#define DEFAULT_GRACE_MS 1000

static const char *const clean_env[] = {
	"PATH=/usr/sbin:/usr/bin:/sbin:/bin",
	"LC_ALL=C",
	NULL,
};

typedef struct {
	int fd;
	GByteArray *buf;
	gboolean truncated;
} Stream;

static gint64
now_ms(void)
{
	return g_get_monotonic_time() / 1000;
}

static void
close_fd(int *fd)
{
	if (*fd >= 0) {
		close(*fd);
		*fd = -1;
	}
}

/* In the child, between fork and exec: only async-signal-safe calls.
 * max_fd: the descriptor limit, read before fork (sysconf is not safe here). */
static G_GNUC_NORETURN void
child_exec(const SpRunOptions *opts, int in_fd, int out_fd, int err_fd, int report_fd, int max_fd)
{
	const char *const *envp = opts->envp ? opts->envp : clean_env;
	int std_fds[3] = {in_fd, out_fd, err_fd};
	sigset_t all;
	int errnum;

	/* Its own process group, so a timeout can kill everything it spawns. */
	setpgid(0, 0);
	/* Signal state is inherited across exec: give the helper a normal one. */
	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);

	/* A parent started with 0, 1 or 2 closed gets pipes there: move all
	 * four above 2 first, so no dup2() overwrites one still needed and none
	 * is already in place with its close-on-exec flag still set. */
	if (report_fd < 3 && (report_fd = fcntl(report_fd, F_DUPFD_CLOEXEC, 3)) < 0)
		_exit(127);
	for (int i = 0; i < 3; i++) {
		if ((std_fds[i] = fcntl(std_fds[i], F_DUPFD_CLOEXEC, 3)) < 0)
			goto fail;
	}
	for (int i = 0; i < 3; i++) {
		if (dup2(std_fds[i], i) < 0)
			goto fail;
	}
	/* Every other descriptor of ours (libvirt connections, netlink sockets)
	 * must not reach the helper; report_fd is CLOEXEC and closes on exec.
	 * close_range() covers any limit; the loop is for kernels before 5.9. */
	if ((report_fd > 3 && close_range(3, (unsigned) report_fd - 1, 0) < 0) ||
	    close_range((unsigned) report_fd + 1, ~0U, 0) < 0) {
		for (int fd = 3; fd < max_fd; fd++) {
			if (fd != report_fd && fcntl(fd, F_GETFD) >= 0)
				close(fd);
		}
	}
	execve(opts->argv[0], (char *const *) opts->argv, (char *const *) envp);
fail:
	errnum = errno;
	(void) !write(report_fd, &errnum, sizeof(errnum));
	_exit(127);
}

/* Read what is there; FALSE at end of file. */
static gboolean
stream_read(Stream *s, size_t max_output)
{
	char chunk[4096];
	ssize_t n = read(s->fd, chunk, sizeof(chunk));

	if (n < 0)
		return errno == EINTR || errno == EAGAIN;
	if (n == 0)
		return FALSE;
	if (s->buf->len + (size_t) n > max_output) {
		n = (ssize_t) (max_output - s->buf->len);
		s->truncated = TRUE;
	}
	g_byte_array_append(s->buf, (const guint8 *) chunk, (guint) n);
	return TRUE;
}

/* Write the next part of stdin without dying of SIGPIPE if the child closed
 * it: block SIGPIPE for this thread and swallow the pending one. */
static ssize_t
write_input(int fd, const char *data, size_t len)
{
	sigset_t pipe_set, old;
	struct timespec zero = {0, 0};
	ssize_t n;

	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
	n = write(fd, data, len > 65536 ? 65536 : len);
	if (n < 0 && errno == EPIPE)
		sigtimedwait(&pipe_set, NULL, &zero);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return n;
}

static int
wait_child(pid_t pid, int *status)
{
	while (waitpid(pid, status, 0) < 0) {
		if (errno != EINTR) {
			sp_error_errno(errno, "cannot wait for process %d", (int) pid);
			return -1;
		}
	}
	return 0;
}

/* Has the child exited? Asked without reaping it, so that its pid stays
 * reserved (and its group signalable) until we are done. */
static gboolean
child_exited(pid_t pid)
{
	siginfo_t info = {0};

	return waitid(P_PID, (id_t) pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
	       info.si_pid == pid;
}

/* Without a pidfd (kernels before 5.3, as on RHEL 8, or valgrind) exit is
 * noticed by polling this often. */
#define NO_PIDFD_POLL_MS 10

/* Wait up to ms for the child to exit, reading output meanwhile so it cannot
 * block on a full pipe. TRUE once it has exited (not yet reaped). */
static gboolean
pump(pid_t pid, int pidfd, Stream *streams, size_t max_output, const char **input,
     size_t *input_left, int *in_fd, gint64 deadline)
{
	for (;;) {
		struct pollfd fds[4];
		int nfds = 0, in_idx = -1, wait_ms;
		gint64 left = deadline - now_ms();

		if (pidfd < 0 && child_exited(pid))
			return TRUE;
		if (left <= 0)
			return FALSE;
		wait_ms = left > 1000000 ? 1000000 : (int) left;
		if (pidfd < 0 && wait_ms > NO_PIDFD_POLL_MS)
			wait_ms = NO_PIDFD_POLL_MS;

		fds[nfds++] = (struct pollfd){.fd = pidfd, .events = POLLIN};
		for (int i = 0; i < 2; i++)
			fds[nfds++] = (struct pollfd){.fd = streams[i].fd, .events = POLLIN};
		if (*in_fd >= 0) {
			in_idx = nfds;
			fds[nfds++] = (struct pollfd){.fd = *in_fd, .events = POLLOUT};
		}
		if (poll(fds, (nfds_t) nfds, wait_ms) < 0) {
			if (errno == EINTR)
				continue;
			return FALSE;
		}
		for (int i = 0; i < 2; i++) {
			if (streams[i].fd >= 0 && (fds[1 + i].revents & (POLLIN | POLLHUP)) &&
			    !stream_read(&streams[i], max_output))
				close_fd(&streams[i].fd);
		}
		if (in_idx >= 0 && !(fds[in_idx].revents & POLLOUT) && fds[in_idx].revents) {
			/* POLLERR or POLLHUP alone: the child closed its stdin. */
			close_fd(in_fd);
		} else if (in_idx >= 0 && fds[in_idx].revents) {
			ssize_t n = write_input(*in_fd, *input, *input_left);

			if (n < 0 && errno != EAGAIN && errno != EINTR) {
				close_fd(in_fd);
			} else if (n > 0) {
				*input += n;
				*input_left -= (size_t) n;
				if (*input_left == 0)
					close_fd(in_fd);
			}
		}
		if (pidfd >= 0 && (fds[0].revents & POLLIN))
			return TRUE;
	}
}

/* After the child is gone: collect what is already in the pipes, without
 * waiting for writers that may never close them. */
static void
drain(Stream *streams, size_t max_output)
{
	for (int i = 0; i < 2; i++) {
		if (streams[i].fd < 0)
			continue;
		struct pollfd pfd = {.fd = streams[i].fd, .events = POLLIN};

		while (poll(&pfd, 1, 0) > 0 && (pfd.revents & POLLIN) &&
		       stream_read(&streams[i], max_output))
			;
		close_fd(&streams[i].fd);
	}
}

static char *
steal_text(GByteArray *buf, size_t *len)
{
	*len = buf->len;
	g_byte_array_append(buf, (const guint8 *) "", 1);
	return (char *) g_byte_array_free(buf, FALSE);
}

int
sp_run(const SpRunOptions *opts, SpRunResult *result)
{
	int in_pipe[2] = {-1, -1}, out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1};
	int report[2] = {-1, -1};
	int pidfd = -1, status = 0, child_errno = 0, ret = -1;
	size_t max_output = opts->max_output ? opts->max_output : DEFAULT_MAX_OUTPUT;
	int timeout_ms = opts->timeout_ms > 0 ? opts->timeout_ms : SP_RUN_DEFAULT_TIMEOUT_MS;
	int grace_ms = opts->grace_ms > 0 ? opts->grace_ms : DEFAULT_GRACE_MS;
	const char *input = opts->input;
	size_t input_left = opts->input ? opts->input_len : 0;
	Stream streams[2] = {{-1, NULL, FALSE}, {-1, NULL, FALSE}};
	gboolean exited, timed_out = FALSE;
	gint64 start = now_ms();
	struct sigaction chld;
	long max_fd;
	ssize_t n;
	pid_t pid;

	if (!opts->argv || !opts->argv[0] || opts->argv[0][0] != '/') {
		sp_error("program '%s' must be given by absolute path",
			 opts->argv && opts->argv[0] ? opts->argv[0] : "(null)");
		return -1;
	}
	/* With SIGCHLD ignored the kernel reaps the child at once: its pid (and
	 * group) could be reused before we signal it, and it cannot be waited
	 * for. Refuse rather than change the caller's process-wide setting. */
	if (sigaction(SIGCHLD, NULL, &chld) == 0 &&
	    (chld.sa_handler == SIG_IGN || (chld.sa_flags & SA_NOCLDWAIT))) {
		sp_error("cannot run '%s': this process ignores SIGCHLD, so its children "
			 "cannot be waited for",
			 opts->argv[0]);
		return -1;
	}
	max_fd = (long) sysconf(_SC_OPEN_MAX);
	if (max_fd < 0 || max_fd > INT_MAX)
		max_fd = 65536;

	if (opts->input) {
		if (pipe2(in_pipe, O_CLOEXEC) < 0)
			goto pipe_error;
	} else {
		in_pipe[0] = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (in_pipe[0] < 0)
			goto pipe_error;
	}
	if (pipe2(out_pipe, O_CLOEXEC) < 0 || pipe2(err_pipe, O_CLOEXEC) < 0 ||
	    pipe2(report, O_CLOEXEC) < 0)
		goto pipe_error;

	pid = fork();
	if (pid < 0) {
		sp_error_errno(errno, "cannot fork to run '%s'", opts->argv[0]);
		goto cleanup;
	}
	if (pid == 0)
		child_exec(opts, in_pipe[0], out_pipe[1], err_pipe[1], report[1], (int) max_fd);

	/* Also here, so the group exists before we might signal it. */
	setpgid(pid, pid);
	close_fd(&in_pipe[0]);
	close_fd(&out_pipe[1]);
	close_fd(&err_pipe[1]);
	close_fd(&report[1]);

	/* The report pipe closes on a successful exec, or carries its errno. */
	do
		n = read(report[0], &child_errno, sizeof(child_errno));
	while (n < 0 && errno == EINTR);
	close_fd(&report[0]);
	if (n == (ssize_t) sizeof(child_errno)) {
		(void) wait_child(pid, &status);
		sp_error_errno(child_errno, "cannot execute '%s'", opts->argv[0]);
		goto cleanup;
	}

	pidfd = (int) syscall(SYS_pidfd_open, pid, 0);
	if (in_pipe[1] >= 0)
		fcntl(in_pipe[1], F_SETFL, O_NONBLOCK);
	/* Empty input: end of file at once (a 0-byte write would never close it). */
	if (input_left == 0)
		close_fd(&in_pipe[1]);

	streams[0] = (Stream){out_pipe[0], g_byte_array_new(), FALSE};
	streams[1] = (Stream){err_pipe[0], g_byte_array_new(), FALSE};
	out_pipe[0] = err_pipe[0] = -1;

	exited = pump(pid, pidfd, streams, max_output, &input, &input_left, &in_pipe[1],
		      start + timeout_ms);
	if (!exited) {
		timed_out = TRUE;
		kill(-pid, SIGTERM);
		exited = pump(pid, pidfd, streams, max_output, &input, &input_left, &in_pipe[1],
			      now_ms() + grace_ms);
	}
	/* The child is gone or overdue: nothing of its group may outlive us. */
	kill(-pid, SIGKILL);
	if (wait_child(pid, &status) < 0)
		goto cleanup;
	drain(streams, max_output);

	memset(result, 0, sizeof(*result));
	result->exited = WIFEXITED(status);
	result->exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	result->term_signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	result->timed_out = timed_out;
	result->truncated = streams[0].truncated || streams[1].truncated;
	result->out = steal_text(streams[0].buf, &result->out_len);
	result->err = steal_text(streams[1].buf, &result->err_len);
	streams[0].buf = streams[1].buf = NULL;
	result->elapsed_s = (double) (now_ms() - start) / 1000.0;
	ret = 0;
	goto cleanup;

pipe_error:
	sp_error_errno(errno, "cannot create pipes to run '%s'", opts->argv[0]);
cleanup:
	for (int i = 0; i < 2; i++) {
		close_fd(&streams[i].fd);
		if (streams[i].buf)
			g_byte_array_free(streams[i].buf, TRUE);
		close_fd(&in_pipe[i]);
		close_fd(&out_pipe[i]);
		close_fd(&err_pipe[i]);
		close_fd(&report[i]);
	}
	close_fd(&pidfd);
	return ret;
}

static char *
first_line(const char *text)
{
	const char *end = strchr(text, '\n');

	return end ? g_strndup(text, (gsize) (end - text)) : g_strdup(text);
}

int
sp_run_ok(const SpRunOptions *opts, SpRunResult *result)
{
	SpRunResult res;
	g_autofree char *line = NULL;

	if (sp_run(opts, &res) < 0)
		return -1;
	if (res.exited && res.exit_status == 0 && !res.timed_out) {
		*result = res;
		return 0;
	}
	line = first_line(res.err);
	if (res.timed_out)
		sp_error("'%s' did not finish within %d ms and was killed", opts->argv[0],
			 opts->timeout_ms > 0 ? opts->timeout_ms : SP_RUN_DEFAULT_TIMEOUT_MS);
	else if (!res.exited)
		sp_error("'%s' was killed by signal %d: %s", opts->argv[0], res.term_signal, line);
	else
		sp_error("'%s' failed with exit status %d: %s", opts->argv[0], res.exit_status,
			 line);
	sp_run_result_clear(&res);
	return -1;
}

void
sp_run_result_clear(SpRunResult *result)
{
	g_clear_pointer(&result->out, g_free);
	g_clear_pointer(&result->err, g_free);
}
