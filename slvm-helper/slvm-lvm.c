/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The process's liblvm2cmd handle: LVM commands run in-process (no lvm
 * process per call: the handle keeps its configuration and device cache),
 * their output goes to sp_log, reports come back as rows. */
#include "config.h"

#include <libdevmapper.h>
#include <lvm2cmd.h>
#include <stdarg.h>
#include <string.h>

#include "slvm-int.h"
#include "sp-error.h"
#include "sp-log.h"

/* liblvm2cmd's log function is process-wide and takes no user pointer: it
 * reaches the one open handle through this. */
static SpSlvm *current;

static void
lvm_log(int level, const char *file, int line, int dm_errno, const char *message)
{
	SpSlvm *slvm = current;

	if (level > LVM2_LOG_PRINT || !message)
		return;
	/* A report's rows, lvmconfig's lines: what the caller asked for
	 * (warnings among them are skipped by the caller's parser). */
	if (slvm && slvm->rows && level == LVM2_LOG_PRINT)
		g_ptr_array_add(slvm->rows, g_strdup(message));
	if (level <= LVM2_LOG_ERROR) {
		if (slvm && !slvm->first_error)
			slvm->first_error = g_strdup(g_strstrip(g_strdup(message)));
		sp_log_warn("lvm.error", "%s", message);
	} else if (strstr(message, "WARNING")) {
		sp_log_warn("lvm.warning", "%s", message);
	} else if (!slvm || !slvm->rows) {
		sp_log_debug("lvm.output", "%s", message);
	}
}

/* libdevmapper's messages (our own dm calls, and LVM's): never on stderr,
 * which is libvirt's channel for the hook's one failure line. */
static void G_GNUC_PRINTF(5, 6)
	dm_log(int level, const char *file, int line, int dm_errno_or_class, const char *f, ...)
{
	g_autofree char *message = NULL;
	va_list ap;

	va_start(ap, f);
	message = g_strdup_vprintf(f, ap);
	va_end(ap);
	lvm_log(level & 7, file, line, dm_errno_or_class, message);
}

SpSlvm *
sp_slvm_open(const SpSlvmConfig *cfg)
{
	g_autoptr(SpSlvm) slvm = g_new0(SpSlvm, 1);
	gint64 start;

	if (current) {
		sp_error("an slvm handle is open already in this process (liblvm2cmd allows one)");
		return NULL;
	}
	slvm->cfg = cfg;
	slvm->dev_dir = g_strdup("/dev");
	current = slvm;
	lvm2_log_fn(lvm_log);
	start = g_get_monotonic_time();
	if (!(slvm->lvm = lvm2_init())) {
		sp_error("cannot initialise liblvm2cmd (lvm2_init failed)");
		return NULL;
	}
	sp_log_debug("lvm.init", "liblvm2cmd ready in %.0f ms",
		     (g_get_monotonic_time() - start) / 1000.0);
	/* Each call runs LVM's own activation; dmeventd monitors nothing we
	 * make (linear LVs) and would be one more daemon for a hook to wait on. */
	lvm2_disable_dmeventd_monitoring(slvm->lvm);
	dm_log_with_errno_init(dm_log);
	return g_steal_pointer(&slvm);
}

void
sp_slvm_close(SpSlvm *slvm)
{
	if (!slvm)
		return;
	if (slvm->lvm)
		lvm2_exit(slvm->lvm);
	if (current == slvm) {
		lvm2_log_fn(NULL);
		dm_log_with_errno_init(NULL);
		current = NULL;
	}
	g_free(slvm->first_error);
	g_free(slvm->dev_dir);
	g_free(slvm);
}

static gboolean
word_ok(const char *w)
{
	if (!*w || *w == '#')
		return FALSE;
	for (const char *p = w; *p; p++) {
		if (g_ascii_isspace(*p) || *p == '\'' || *p == '"' || !g_ascii_isprint(*p))
			return FALSE;
	}
	return TRUE;
}

int
sp_slvm_lvm(SpSlvm *slvm, GPtrArray *rows, const char *const *argv)
{
	g_autofree char *line = NULL;
	gint64 start;
	int rc;

	for (int i = 0; argv[i]; i++) {
		if (!word_ok(argv[i])) {
			sp_error("refusing to pass '%s' to LVM as one argument", argv[i]);
			return -1;
		}
	}
	line = g_strjoinv(" ", (char **) argv);
	g_clear_pointer(&slvm->first_error, g_free);
	slvm->rows = rows;
	start = g_get_monotonic_time();
	rc = lvm2_run(slvm->lvm, line);
	slvm->rows = NULL;
	sp_log_debug("lvm.run", "%s: %.0f ms", line, (g_get_monotonic_time() - start) / 1000.0);
	if (rc != LVM2_COMMAND_SUCCEEDED) {
		if (slvm->first_error)
			sp_error("'lvm %s' failed: %s", line, slvm->first_error);
		else
			sp_error("'lvm %s' failed (status %d)", line, rc);
		return -1;
	}
	return 0;
}

GHashTable *
sp_slvm_report_row(const char *line)
{
	g_autoptr(GHashTable) row = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	const char *p = line;

	while (*p == ' ')
		p++;
	while (*p) {
		const char *eq = strchr(p, '=');
		const char *end;
		char *key;

		if (!g_str_has_prefix(p, "LVM2_") || !eq || eq[1] != '\'')
			return NULL;
		if (!(end = strchr(eq + 2, '\'')))
			return NULL;
		key = g_ascii_strdown(p + 5, eq - p - 5);
		g_hash_table_replace(row, key, g_strndup(eq + 2, end - eq - 2));
		p = end + 1;
		while (*p == ' ')
			p++;
	}
	return g_hash_table_size(row) ? g_steal_pointer(&row) : NULL;
}
