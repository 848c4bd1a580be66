/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sp-error.h"
#include "sp-lock.h"
#include "sp-test.h"

static void
test_exclusive(void)
{
	g_autofree char *dir = sp_test_tmpdir();
	g_autofree char *path = g_build_filename(dir, "sub", "x.lock", NULL);
	g_autoptr(SpLock) first = sp_lock_take(path, "another run", 0);
	SpLock *second;
	gint64 t0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(first);
	/* flock conflicts between two open files even in one process. */
	second = sp_lock_take(path, "another run", 0);
	CU_ASSERT_PTR_NULL(second);
	CU_ASSERT_PTR_NOT_NULL(strstr(sp_error_message(), "another run holds"));
	t0 = g_get_monotonic_time();
	second = sp_lock_take(path, "another run", 50);
	CU_ASSERT_PTR_NULL(second);
	CU_ASSERT(g_get_monotonic_time() - t0 >= 50000);
	CU_ASSERT_PTR_NOT_NULL(strstr(sp_error_message(), "gave up waiting"));
	g_clear_pointer(&first, sp_lock_release);
	second = sp_lock_take(path, "another run", 0);
	CU_ASSERT_PTR_NOT_NULL(second);
	sp_lock_release(second);
	sp_lock_release(NULL);
	sp_test_rmtree(dir);
}

/* A holder killed with SIGKILL leaves no stale lock: the kernel drops it. */
static void
test_holder_killed(void)
{
	g_autofree char *dir = sp_test_tmpdir();
	g_autofree char *path = g_build_filename(dir, "x.lock", NULL);
	int ready[2];
	char c;
	pid_t pid;
	SpLock *lock;

	CU_ASSERT_EQUAL_FATAL(pipe(ready), 0);
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		SpLock *held = sp_lock_take(path, "the child", 0);

		if (write(ready[1], held ? "y" : "n", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	CU_ASSERT_EQUAL(read(ready[0], &c, 1), 1);
	CU_ASSERT_EQUAL(c, 'y');
	CU_ASSERT_PTR_NULL(sp_lock_take(path, "the child", 0));
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	lock = sp_lock_take(path, "the child", 1000);
	CU_ASSERT_PTR_NOT_NULL(lock);
	sp_lock_release(lock);
	close(ready[0]);
	close(ready[1]);
	sp_test_rmtree(dir);
}

/* Never through a symlink: a root program must not be steered to create or
 * open another file. */
static void
test_symlink_refused(void)
{
	g_autofree char *dir = sp_test_tmpdir();
	g_autofree char *target = g_build_filename(dir, "target", NULL);
	g_autofree char *path = g_build_filename(dir, "x.lock", NULL);

	CU_ASSERT_EQUAL_FATAL(symlink(target, path), 0);
	CU_ASSERT_PTR_NULL(sp_lock_take(path, "x", 0));
	CU_ASSERT_PTR_NOT_NULL(strstr(sp_error_message(), "cannot open lock file"));
	CU_ASSERT_FALSE(g_file_test(target, G_FILE_TEST_EXISTS));
	sp_test_rmtree(dir);
}

SP_TEST_MAIN("lock", SP_TEST(test_exclusive), SP_TEST(test_holder_killed),
	     SP_TEST(test_symlink_refused))
