/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading a file we are about to obey. It is refused unless it is a regular
 * file owned by the user running us and writable only by its owner (a root
 * hook must not obey a file someone else can edit), and unless it is small:
 * admin files are, and anything larger is a mistake or an attack. */
#pragma once

#include <glib.h>

#include "sp-diag.h"

/* Admin files are small; anything larger is a mistake or an attack. */
#define SP_FILE_MAX_SIZE (4 * 1024 * 1024)

/* Open path for reading only if it is a regular file (checked before the
 * open: no FIFO or device is ever opened), owned by the user running us and
 * not writable by group or others: the fd, or -1 with the error set. */
int sp_file_open_trusted(const char *path) G_GNUC_WARN_UNUSED_RESULT;

/* The whole of a file opened with sp_file_open_trusted() (it may hold NUL
 * bytes: *len says how long it is), or NULL with the error set. */
char *sp_file_read_trusted(const char *path, gsize *len) G_GNUC_WARN_UNUSED_RESULT;

/* The same for a text file: NULL when it cannot be read or trusted (one
 * record for the file in diag) or holds a NUL byte (a record at its
 * position); the error is not left set. */
char *sp_file_read_text(const char *path, SpDiag *diag) G_GNUC_WARN_UNUSED_RESULT;

/* The names in folder dir that end with suffix and do not start with '.'
 * (editors' and tools' hidden files), in byte order so that whatever is
 * reported about them comes out the same way every time: a GPtrArray of
 * char *, or NULL with the error set. */
GPtrArray *sp_file_list_dir(const char *dir, const char *suffix) G_GNUC_WARN_UNUSED_RESULT;
