/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Running a helper program (lvm, ip, ...) safely from code that runs as root.
 *
 * - argv + execve only: no shell, no PATH search (argv[0] must be absolute),
 *   so no string ever becomes a command line.
 * - A clean environment unless one is given: nothing of libvirtd's leaks in.
 * - No descriptor leaks: the child gets stdin/stdout/stderr and nothing else.
 * - A wall-clock timeout kills the whole process group (SIGTERM, then SIGKILL
 *   after a grace period), and when the child exits, whatever it left behind in
 *   its group is killed too, so a grandchild holding the pipe open cannot make
 *   us hang and no process outlives the call. (A process that moves itself
 *   out of the group with setsid() escapes this; none of our helpers do.) */
#pragma once

#include <stddef.h>
#include <glib.h>

typedef struct {
	const char *const *argv; /* argv[0]: absolute path */
	const char *const *envp; /* NULL: PATH and LC_ALL=C only */
	int timeout_ms;          /* 0: SP_RUN_DEFAULT_TIMEOUT_MS */
	int grace_ms;            /* SIGTERM -> SIGKILL; 0: 1000 */
	const char *input;       /* stdin data, or NULL for /dev/null */
	size_t input_len;
	size_t max_output; /* per stream; 0: 16 MiB, the rest dropped */
} SpRunOptions;

#define SP_RUN_DEFAULT_TIMEOUT_MS 30000

typedef struct {
	int exit_status; /* when exited */
	int term_signal; /* when killed by a signal, else 0 */
	gboolean exited;
	gboolean timed_out;
	gboolean truncated; /* an output stream hit max_output */
	char *out;          /* NUL-terminated, never NULL after sp_run() */
	size_t out_len;
	char *err;
	size_t err_len;
	double elapsed_s;
} SpRunResult;

/* Run and wait. Returns 0 when the program ran (whatever its exit status or
 * timeout: look at *result), -1 with the error set when it could not be run.
 * result is filled only on success; release it with sp_run_result_clear(). */
int sp_run(const SpRunOptions *opts, SpRunResult *result) G_GNUC_WARN_UNUSED_RESULT;

/* sp_run() and insist on exit status 0: otherwise -1 with an error that names
 * the program, the status (or signal, or timeout) and its first stderr line. */
int sp_run_ok(const SpRunOptions *opts, SpRunResult *result) G_GNUC_WARN_UNUSED_RESULT;

void sp_run_result_clear(SpRunResult *result);
