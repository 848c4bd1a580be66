/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "sp-error.h"
#include "sp-lock.h"

struct SpLock {
	int fd;
	char *path;
};

/* Long enough not to spin on a busy machine, short enough that a hook
 * waiting behind another VM's start adds little to it. */
#define POLL_US 5000

SpLock *
sp_lock_take(const char *path, const char *what, int timeout_ms)
{
	g_autofree char *dir = g_path_get_dirname(path);
	gint64 deadline = g_get_monotonic_time() + (gint64) MAX(timeout_ms, 0) * 1000;
	SpLock *lock;
	int fd;

	if (g_mkdir_with_parents(dir, 0755) < 0) {
		sp_error_errno(errno, "cannot create '%s'", dir);
		return NULL;
	}
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0600);
	if (fd < 0) {
		sp_error_errno(errno, "cannot open lock file '%s'", path);
		return NULL;
	}
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			sp_error_errno(errno, "cannot lock '%s'", path);
			close(fd);
			return NULL;
		}
		if (g_get_monotonic_time() >= deadline) {
			if (timeout_ms > 0)
				sp_error(
					"%s has held '%s' for %d ms; gave up waiting (is one stuck?)",
					what, path, timeout_ms);
			else
				sp_error("%s holds '%s'", what, path);
			close(fd);
			return NULL;
		}
		g_usleep(POLL_US);
	}
	lock = g_new0(SpLock, 1);
	lock->fd = fd;
	lock->path = g_strdup(path);
	return lock;
}

void
sp_lock_release(SpLock *lock)
{
	if (!lock)
		return;
	close(lock->fd);
	g_free(lock->path);
	g_free(lock);
}
