#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sp-config.h"
#include "sp-error.h"

/* Admin files are small; anything larger is a mistake or an attack. */
#define MAX_CONFIG_SIZE (4 * 1024 * 1024)

struct SpConfig {
	char *path;
	GKeyFile *kf;
	GPtrArray *groups;  /* char *, file order, NULL-terminated */
	GHashTable *lines;  /* "group\nkey" or "group\n" -> line */
	GHashTable *values; /* "group\nkey" -> value, as written */
};

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
	if (st->st_size > MAX_CONFIG_SIZE) {
		sp_error("'%s' is larger than %d bytes", path, MAX_CONFIG_SIZE);
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

static char *
line_key(const char *group, const char *key)
{
	return g_strconcat(group, "\n", key ? key : "", NULL);
}

/* "value   # comment" -> "value": a '#' that follows white space starts a
 * comment, so values may still contain '#' (a URL fragment, say). */
static void
strip_inline_comment(char *value)
{
	for (char *p = value; *p; p++) {
		if (*p == '#' && (p == value || g_ascii_isspace(p[-1]))) {
			*p = '\0';
			break;
		}
	}
	g_strstrip(value);
}

static gboolean
key_name_valid(const char *key)
{
	if (!*key)
		return FALSE;
	for (const char *p = key; *p; p++) {
		if (!g_ascii_isalnum(*p) && *p != '_' && *p != '-' && *p != '.')
			return FALSE;
	}
	return TRUE;
}

/* Our own pass over the lines: it knows line numbers and catches what
 * GKeyFile would accept silently. It rebuilds a clean text for GKeyFile. */
static gboolean
scan_lines(SpConfig *cfg, const char *text, SpDiag *diag, GString *clean)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	const char *group = NULL;
	guint before = sp_diag_count(diag);

	for (int i = 0; lines[i]; i++) {
		int lineno = i + 1;
		g_autofree char *line = g_strstrip(g_strdup(lines[i]));
		char *eq;

		if (!*line || line[0] == '#' || line[0] == ';') {
			g_string_append_c(clean, '\n');
			continue;
		}
		if (line[0] == '[') {
			char *end = strchr(line, ']');
			g_autofree char *name = NULL;
			g_autofree char *k = NULL;

			if (end)
				strip_inline_comment(end + 1);
			if (!end || end[1] != '\0' || end == line + 1) {
				sp_diag_add(diag, cfg->path, lineno, 0,
					    "malformed group header '%s' (expected [name])", line);
				group = NULL;
				g_string_append_c(clean, '\n');
				continue;
			}
			name = g_strstrip(g_strndup(line + 1, (gsize) (end - line - 1)));
			/* GKeyFile refuses these, but without a line number. */
			if (strpbrk(name, "[]") || !*name) {
				sp_diag_add(
					diag, cfg->path, lineno, 0,
					"malformed group header '%s' (a name has no '[' or ']')",
					line);
				group = NULL;
				g_string_append_c(clean, '\n');
				continue;
			}
			k = line_key(name, NULL);
			if (g_hash_table_contains(cfg->lines, k)) {
				sp_diag_add(diag, cfg->path, lineno, 0,
					    "group [%s] appears again (first on line %d)", name,
					    GPOINTER_TO_INT(g_hash_table_lookup(cfg->lines, k)));
				group = NULL;
				g_string_append_c(clean, '\n');
				continue;
			}
			g_hash_table_insert(cfg->lines, g_steal_pointer(&k),
					    GINT_TO_POINTER(lineno));
			g_ptr_array_add(cfg->groups, g_strdup(name));
			group = g_ptr_array_index(cfg->groups, cfg->groups->len - 1);
			g_string_append_printf(clean, "[%s]\n", name);
			continue;
		}
		eq = strchr(line, '=');
		if (!eq) {
			sp_diag_add(diag, cfg->path, lineno, 0,
				    "expected 'key = value' or '[group]', found '%s'", line);
			g_string_append_c(clean, '\n');
			continue;
		}
		*eq = '\0';
		g_strstrip(line);
		strip_inline_comment(eq + 1);
		if (!key_name_valid(line)) {
			sp_diag_add(diag, cfg->path, lineno, 0, "invalid key name '%s'", line);
		} else if (!group) {
			sp_diag_add(diag, cfg->path, lineno, 0, "key '%s' is outside any [group]",
				    line);
		} else {
			g_autofree char *k = line_key(group, line);

			if (g_hash_table_contains(cfg->lines, k)) {
				sp_diag_add(diag, cfg->path, lineno, 0,
					    "key '%s' appears again in [%s] (first on line %d)",
					    line, group,
					    GPOINTER_TO_INT(g_hash_table_lookup(cfg->lines, k)));
			} else {
				g_hash_table_insert(cfg->values, g_strdup(k), g_strdup(eq + 1));
				g_hash_table_insert(cfg->lines, g_steal_pointer(&k),
						    GINT_TO_POINTER(lineno));
				/* GKeyFile keeps leading spaces and '\' escapes; values here
				 * are plain text, so escape the backslashes. */
				g_autofree char *escaped = g_strescape(eq + 1, NULL);

				g_string_append_printf(clean, "%s=%s\n", line, escaped);
				continue;
			}
		}
		g_string_append_c(clean, '\n');
	}
	return sp_diag_count(diag) == before;
}

SpConfig *
sp_config_parse(const char *path, const char *text, SpDiag *diag)
{
	g_autoptr(SpConfig) cfg = g_new0(SpConfig, 1);
	g_autoptr(GString) clean = g_string_new(NULL);
	g_autoptr(GError) gerr = NULL;

	cfg->path = g_strdup(path);
	cfg->groups = g_ptr_array_new_with_free_func(g_free);
	cfg->lines = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	cfg->values = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	cfg->kf = g_key_file_new();

	if (strlen(text) > MAX_CONFIG_SIZE) {
		sp_diag_add(diag, path, 0, 0, "file is larger than %d bytes", MAX_CONFIG_SIZE);
		return NULL;
	}
	if (!g_utf8_validate(text, -1, NULL)) {
		sp_diag_add(diag, path, 0, 0, "file is not valid UTF-8 text");
		return NULL;
	}
	if (!scan_lines(cfg, text, diag, clean))
		return NULL;
	if (!g_key_file_load_from_data(cfg->kf, clean->str, clean->len, G_KEY_FILE_NONE, &gerr)) {
		sp_diag_add(diag, path, 0, 0, "%s", gerr->message);
		return NULL;
	}
	g_ptr_array_add(cfg->groups, NULL);
	return g_steal_pointer(&cfg);
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

SpConfig *
sp_config_load(const char *path, SpDiag *diag)
{
	gsize len = 0;
	g_autofree char *text = sp_file_read_trusted(path, &len);

	if (!text) {
		sp_diag_add(diag, path, 0, 0, "%s", sp_error_message());
		return NULL;
	}
	if (memchr(text, '\0', len)) {
		sp_diag_add(diag, path, 0, 0, "file contains a NUL byte");
		return NULL;
	}
	return sp_config_parse(path, text, diag);
}

void
sp_config_free(SpConfig *cfg)
{
	if (!cfg)
		return;
	g_free(cfg->path);
	if (cfg->kf)
		g_key_file_free(cfg->kf);
	if (cfg->groups)
		g_ptr_array_free(cfg->groups, TRUE);
	if (cfg->lines)
		g_hash_table_destroy(cfg->lines);
	if (cfg->values)
		g_hash_table_destroy(cfg->values);
	g_free(cfg);
}

const char *
sp_config_path(const SpConfig *cfg)
{
	return cfg->path;
}

GKeyFile *
sp_config_keyfile(const SpConfig *cfg)
{
	return cfg->kf;
}

const char *const *
sp_config_groups(const SpConfig *cfg)
{
	return (const char *const *) cfg->groups->pdata;
}

int
sp_config_line(const SpConfig *cfg, const char *group, const char *key)
{
	g_autofree char *k = line_key(group, key);

	return GPOINTER_TO_INT(g_hash_table_lookup(cfg->lines, k));
}

const char *
sp_config_get(const SpConfig *cfg, const char *group, const char *key)
{
	g_autofree char *k = line_key(group, key);

	return g_hash_table_lookup(cfg->values, k);
}

char **
sp_config_get_list(const SpConfig *cfg, const char *group, const char *key, SpDiag *diag)
{
	const char *value = sp_config_get(cfg, group, key);
	g_auto(GStrv) items = NULL;

	if (!value)
		return NULL;
	items = g_strsplit(value, ",", -1);
	for (int i = 0; items[i]; i++) {
		g_strstrip(items[i]);
		if (!*items[i]) {
			sp_config_diag(cfg, diag, group, key, "empty item in the list of '%s'",
				       key);
			break;
		}
	}
	return g_steal_pointer(&items);
}

void
sp_config_check_keys(const SpConfig *cfg, const char *group, const char *const *allowed,
		     SpDiag *diag)
{
	g_auto(GStrv) keys = g_key_file_get_keys(cfg->kf, group, NULL, NULL);

	for (int i = 0; keys && keys[i]; i++) {
		if (!g_strv_contains(allowed, keys[i]))
			sp_config_diag(cfg, diag, group, keys[i], "unknown key '%s' in [%s]",
				       keys[i], group);
	}
}

void
sp_config_diag(const SpConfig *cfg, SpDiag *diag, const char *group, const char *key,
	       const char *fmt, ...)
{
	va_list ap;
	g_autofree char *text = NULL;

	va_start(ap, fmt);
	text = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	sp_diag_add(diag, cfg->path, sp_config_line(cfg, group, key), 0, "%s", text);
}
