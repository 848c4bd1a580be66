/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sp-error.h"
#include "sp-file.h"

/* Owner, mode and size of the file described by st (named path in errors). */
static int
stat_trusted(const struct stat *st, const char *path)
{
	if (!S_ISREG(st->st_mode)) {
		sp_error("'%s' is not a regular file", path);
		return -1;
	}
	if (st->st_uid != geteuid()) {
		sp_error(
			"'%s' is owned by uid %u, not by uid %u that runs this program: refusing it",
			path, (unsigned) st->st_uid, (unsigned) geteuid());
		return -1;
	}
	if (st->st_mode & (S_IWGRP | S_IWOTH)) {
		sp_error("'%s' is writable by %s (mode %04o): refusing it; run chmod go-w on it",
			 path, (st->st_mode & S_IWOTH) ? "others" : "its group",
			 (unsigned) (st->st_mode & 07777));
		return -1;
	}
	if (st->st_size > SP_FILE_MAX_SIZE) {
		sp_error("'%s' is larger than %d bytes", path, SP_FILE_MAX_SIZE);
		return -1;
	}
	return 0;
}

int
sp_file_open_trusted(const char *path)
{
	struct stat before, st;
	int fd, flags;

	/* Look before opening: opening a FIFO would block a hook for ever, and
	 * opening some devices has effects of its own (a watchdog starts). */
	if (stat(path, &before) < 0) {
		sp_error_errno(errno, "cannot open '%s'", path);
		return -1;
	}
	if (!S_ISREG(before.st_mode)) {
		sp_error("'%s' is not a regular file", path);
		return -1;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		sp_error_errno(errno, "cannot open '%s'", path);
		return -1;
	}
	/* What was opened must be what was looked at, and trusted: the owner
	 * and mode are judged on the open file, not on the name. */
	if (fstat(fd, &st) < 0 || st.st_dev != before.st_dev || st.st_ino != before.st_ino) {
		sp_error("'%s' changed while it was being opened", path);
		close(fd);
		return -1;
	}
	if (stat_trusted(&st, path) < 0) {
		close(fd);
		return -1;
	}
	flags = fcntl(fd, F_GETFL);
	if (flags >= 0)
		(void) fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
	return fd;
}

char *
sp_file_read_trusted(const char *path, gsize *len)
{
	g_autoptr(GIOChannel) ch = NULL;
	g_autoptr(GError) gerr = NULL;
	char *text = NULL;
	int fd = sp_file_open_trusted(path);

	if (fd < 0)
		return NULL;
	/* Read through the descriptor we checked, not the name: the file cannot
	 * be swapped between the check and the read. */
	ch = g_io_channel_unix_new(fd);
	g_io_channel_set_close_on_unref(ch, TRUE);
	g_io_channel_set_encoding(ch, NULL, NULL);
	if (g_io_channel_read_to_end(ch, &text, len, &gerr) != G_IO_STATUS_NORMAL) {
		sp_error("cannot read '%s': %s", path, gerr->message);
		return NULL;
	}
	return text;
}

char *
sp_file_read_text(const char *path, SpDiag *diag)
{
	gsize len = 0;
	g_autofree char *text = sp_file_read_trusted(path, &len);
	const char *nul;

	if (!text) {
		sp_diag_add(diag, path, 0, 0, "%s", sp_error_message());
		sp_error_clear();
		return NULL;
	}
	nul = memchr(text, '\0', len);
	if (nul) {
		int line, col;

		sp_text_position(text, (gsize) (nul - text), &line, &col);
		sp_diag_add(diag, path, line, col, "NUL byte (the file must be text)");
		return NULL;
	}
	return g_steal_pointer(&text);
}

static gint
name_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

GPtrArray *
sp_file_list_dir(const char *dir, const char *suffix)
{
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	DIR *d = opendir(dir);
	struct dirent *e;

	/* opendir() rather than g_dir_open(): GLib's message is its own
	 * ("Error opening directory “DIR”: ..."), errno's text is ours. */
	if (!d) {
		sp_error_errno(errno, "cannot read the folder '%s'", dir);
		return NULL;
	}
	while ((errno = 0, e = readdir(d))) {
		if (e->d_name[0] != '.' && g_str_has_suffix(e->d_name, suffix))
			g_ptr_array_add(names, g_strdup(e->d_name));
	}
	if (errno) {
		sp_error_errno(errno, "cannot read the folder '%s'", dir);
		closedir(d);
		return NULL;
	}
	closedir(d);
	g_ptr_array_sort(names, name_cmp);
	return g_steal_pointer(&names);
}
