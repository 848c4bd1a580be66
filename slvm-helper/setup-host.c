/* SPDX-License-Identifier: GPL-2.0-or-later */
/* slvm-helper setup's edits of LVM's and libvirt's files (setup-host.h).
 * The files are read as lines: a key is found only where its parser would
 * find it (in its section, outside nested ones, before a comment), and every
 * other byte is written back as it was. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "setup-host.h"
#include "sp-error.h"
#include "sp-file.h"

/* Cut a "# comment" that is not inside double quotes. */
static void
cut_comment(char *v)
{
	gboolean quoted = FALSE;

	for (char *p = v; *p; p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (*p == '#' && !quoted) {
			*p = '\0';
			return;
		}
	}
}

/* The value t gives key ("key = value", blanks allowed around '='), or NULL
 * when t does not set key. */
static char *
assigned_value(const char *t, const char *key)
{
	size_t n = strlen(key);
	const char *p;
	char *v;

	t += strspn(t, " \t");
	if (strncmp(t, key, n) != 0)
		return NULL;
	p = t + n + strspn(t + n, " \t");
	if (*p != '=')
		return NULL;
	v = g_strdup(p + 1);
	cut_comment(v);
	return g_strstrip(v);
}

/* How much t changes the depth of LVM's { } sections. */
static int
brace_delta(const char *t)
{
	gboolean quoted = FALSE;
	int d = 0;

	for (; *t && (quoted || *t != '#'); t++) {
		if (*t == '"')
			quoted = !quoted;
		else if (!quoted && *t == '{')
			d++;
		else if (!quoted && *t == '}')
			d--;
	}
	return d;
}

static gboolean
opens_section(const char *t, const char *section)
{
	size_t n = strlen(section);

	return strncmp(t, section, n) == 0 && t[n + strspn(t + n, " \t")] == '{';
}

char *
sp_setup_key_edit(const SpSetupKey *k, const char *text, char **change)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	guint n = g_strv_length(lines);
	int depth = 0, active = -1, commented = -1, end = -1, at = -1;
	gboolean in = k->section == NULL, seen = FALSE;
	g_autofree char *old = NULL;
	const char *indent;
	GString *out;

	for (guint i = 0; i < n; i++) {
		const char *t = lines[i] + strspn(lines[i], " \t");
		char *v;

		if (!in) {
			if (!seen && depth == 0 && opens_section(t, k->section)) {
				in = seen = TRUE;
				depth = 1;
			} else {
				depth += brace_delta(t);
			}
			continue;
		}
		if (k->section) {
			depth += brace_delta(t);
			if (depth <= 0) {
				end = (int) i;
				in = FALSE;
				depth = 0;
				continue;
			}
			if (depth > 1)
				continue;
		}
		if ((v = assigned_value(t, k->key))) {
			active = (int) i;
			g_free(old);
			old = v;
		} else if (*t == '#' && (v = assigned_value(t + 1, k->key))) {
			commented = (int) i;
			g_free(v);
		}
	}
	if (active >= 0 && strcmp(old, k->value) == 0)
		return NULL;

	*change = g_strdup_printf("%s = %s (was %s)", k->key, k->value, old ? old : "unset");
	at = active >= 0 ? active : commented >= 0 ? commented + 1 : end;
	/* The new line is indented like the one it replaces or follows. */
	indent = active >= 0      ? lines[active]
		 : commented >= 0 ? lines[commented]
		 : k->section     ? "\t"
				  : "";
	out = g_string_new(NULL);
	for (guint i = 0; i < n; i++) {
		if ((int) i == at) {
			g_string_append_printf(out, "%.*s%s = %s\n", (int) strspn(indent, " \t"),
					       indent, k->key, k->value);
			if (active >= 0)
				continue;
		}
		g_string_append(out, lines[i]);
		if (i + 1 < n)
			g_string_append_c(out, '\n');
	}
	if (at < 0) {
		if (out->len > 0 && out->str[out->len - 1] != '\n')
			g_string_append_c(out, '\n');
		if (k->section)
			g_string_append_printf(out, "%s {\n\t%s = %s\n}\n", k->section, k->key,
					       k->value);
		else
			g_string_append_printf(out, "%s = %s\n", k->key, k->value);
	}
	return g_string_free(out, FALSE);
}

/* Replace path with text in one rename, keeping mode and owner; the first
 * time, its old version stays as path.sparrow-orig (a second link to it). */
static int
write_replacing(const char *path, const char *text, const struct stat *old)
{
	g_autofree char *tmp = g_strconcat(path, ".sparrow-new", NULL);
	g_autofree char *orig = g_strconcat(path, ".sparrow-orig", NULL);
	size_t len = strlen(text), done = 0;
	int fd, err = 0;

	(void) unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  old ? old->st_mode & 07777 : 0644);
	if (fd < 0) {
		sp_error_errno(errno, "cannot write '%s'", tmp);
		return -1;
	}
	while (done < len && !err) {
		ssize_t w = write(fd, text + done, len - done);

		if (w < 0 && errno != EINTR)
			err = errno;
		else if (w > 0)
			done += (size_t) w;
	}
	if (!err && old && fchown(fd, old->st_uid, old->st_gid) < 0)
		err = errno;
	if (!err && fsync(fd) < 0)
		err = errno;
	if (close(fd) < 0 && !err)
		err = errno;
	if (!err && old && link(path, orig) < 0 && errno != EEXIST)
		err = errno;
	if (!err && rename(tmp, path) < 0)
		err = errno;
	if (err) {
		(void) unlink(tmp);
		sp_error_errno(err, "cannot replace '%s'", path);
		return -1;
	}
	return 0;
}

int
sp_setup_key(const SpSetupKey *k, gboolean apply, char **change)
{
	g_autofree char *text = NULL;
	g_autofree char *edited = NULL;
	struct stat st;
	gboolean exists = stat(k->path, &st) == 0;
	gsize len = 0;

	if (!exists && errno != ENOENT) {
		sp_error_errno(errno, "cannot read '%s'", k->path);
		return -1;
	}
	if (exists) {
		if (!(text = sp_file_read_trusted(k->path, &len)))
			return -1;
		if (strlen(text) != len) {
			sp_error("'%s' holds a NUL byte: it is not a configuration file", k->path);
			return -1;
		}
	}
	if (!(edited = sp_setup_key_edit(k, text ? text : "", change)))
		return 0;
	if (!apply)
		return 1;
	if (write_replacing(k->path, edited, exists ? &st : NULL) < 0) {
		g_clear_pointer(change, g_free);
		return -1;
	}
	return 2;
}

int
sp_setup_hook_link(const char *link, const char *target, gboolean apply, char **change)
{
	g_autofree char *dir = g_path_get_dirname(link);
	g_autofree char *parent = g_path_get_dirname(dir);
	g_autofree char *base = g_path_get_basename(link);
	g_autofree char *tmp = NULL;
	g_autofree char *now = NULL;
	struct stat st;

	if (access(target, X_OK) < 0) {
		sp_error_errno(errno, "the hook '%s' is not installed", target);
		return -1;
	}
	if (lstat(link, &st) == 0) {
		if (!S_ISLNK(st.st_mode)) {
			sp_error("'%s' is not a link: a hook of that name that is not Sparrow's "
				 "is left alone",
				 link);
			return -1;
		}
		now = g_file_read_link(link, NULL);
		if (g_strcmp0(now, target) == 0)
			return 0;
	} else if (errno != ENOENT) {
		sp_error_errno(errno, "cannot look at '%s'", link);
		return -1;
	}
	*change = g_strdup_printf("%s -> %s (%s%s)", link, target, now ? "now -> " : "missing",
				  now ? now : "");
	if (!apply)
		return 1;
	/* Made beside qemu.d, not in it: libvirt runs whatever is there. */
	tmp = g_strdup_printf("%s/.%s.sparrow-new", parent, base);
	(void) unlink(tmp);
	if (g_mkdir_with_parents(dir, 0755) < 0 || symlink(target, tmp) < 0 ||
	    rename(tmp, link) < 0) {
		int err = errno;

		(void) unlink(tmp);
		g_clear_pointer(change, g_free);
		sp_error_errno(err, "cannot make the link '%s'", link);
		return -1;
	}
	return 2;
}
