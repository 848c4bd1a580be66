/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "sp-error.h"
#include "sp-log.h"

static const char *const level_names[] = {
	[SP_LOG_ERROR] = "error",
	[SP_LOG_WARN] = "warn",
	[SP_LOG_INFO] = "info",
	[SP_LOG_DEBUG] = "debug",
};

static const int level_priorities[] = {
	[SP_LOG_ERROR] = LOG_ERR,
	[SP_LOG_WARN] = LOG_WARNING,
	[SP_LOG_INFO] = LOG_INFO,
	[SP_LOG_DEBUG] = LOG_DEBUG,
};

static char log_ident[64] = "sparrow";
static SpLogTarget log_target = SP_LOG_STDERR;
static SpLogLevel log_level = SP_LOG_INFO;

void
sp_log_init(const char *ident, SpLogTarget target, SpLogLevel level)
{
	/* openlog() keeps the pointer: the copy must outlive every later call. */
	g_strlcpy(log_ident, ident, sizeof(log_ident));
	log_target = target;
	log_level = level;
	if (target == SP_LOG_SYSLOG)
		openlog(log_ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

int
sp_log_level_parse(const char *name, SpLogLevel *level)
{
	for (size_t i = 0; i < G_N_ELEMENTS(level_names); i++) {
		if (strcmp(name, level_names[i]) == 0) {
			*level = (SpLogLevel) i;
			return 0;
		}
	}
	sp_error("unknown log level '%s' (expected error, warn, info or debug)", name);
	return -1;
}

/* Write a message so that one event is always exactly one line and a value
 * coming from untrusted input cannot forge another key or another line, nor
 * drive a terminal: control characters (C0, DEL, C1), the Unicode line and
 * paragraph separators and bytes that are not UTF-8 (journald would store
 * the line as a blob) are escaped; in logfmt (quoted) '"' and '\\' too. */
static void
append_escaped(GString *out, const char *text, gboolean quoted)
{
	if (quoted)
		g_string_append_c(out, '"');
	for (const char *p = text; *p;) {
		unsigned char c = (unsigned char) *p;
		gunichar u = g_utf8_get_char_validated(p, -1);

		if (quoted && (c == '"' || c == '\\')) {
			g_string_append_printf(out, "\\%c", c);
		} else if (c == '\n') {
			g_string_append(out, "\\n");
		} else if (c < 0x20 || c == 0x7f || u == (gunichar) -1 || u == (gunichar) -2) {
			g_string_append_printf(out, "\\x%02x", c);
		} else if ((u >= 0x80 && u <= 0x9f) || u == 0x2028 || u == 0x2029) {
			g_string_append_printf(out, "\\u%04x", (unsigned) u);
			p = g_utf8_next_char(p);
			continue;
		} else if (c >= 0x80) {
			const char *next = g_utf8_next_char(p);

			g_string_append_len(out, p, next - p);
			p = next;
			continue;
		} else {
			g_string_append_c(out, (char) c);
		}
		p++;
	}
	if (quoted)
		g_string_append_c(out, '"');
}

static void
emit(SpLogLevel level, const char *event, const char *where, const char *message)
{
	g_autoptr(GString) line = g_string_new(NULL);

	g_string_append_printf(line, "level=%s event=%s", level_names[level], event);
	if (where)
		g_string_append_printf(line, " src=%s", where);
	g_string_append(line, " msg=");
	append_escaped(line, message, TRUE);

	if (log_target == SP_LOG_SYSLOG)
		syslog(level_priorities[level], "%s", line->str);
	else
		fprintf(stderr, "%s: %s\n", log_ident, line->str);
}

void
sp_log(SpLogLevel level, const char *event, const char *fmt, ...)
{
	va_list ap;
	g_autofree char *message = NULL;

	if (level > log_level)
		return;
	va_start(ap, fmt);
	message = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	emit(level, event, NULL, message);
}

void
sp_log_last_error(const char *event)
{
	const SpError *err = sp_error_last();
	g_autofree char *where = NULL;

	if (log_target == SP_LOG_STDERR) {
		g_autoptr(GString) line = g_string_new(NULL);

		append_escaped(line, sp_error_message(), FALSE);
		fprintf(stderr, "%s: %s\n", log_ident, line->str);
	} else {
		if (err)
			where = g_strdup_printf("%s:%d", err->file, err->line);
		emit(SP_LOG_ERROR, event, where, sp_error_message());
	}
	sp_error_clear();
}

void
sp_log_diag(const char *event, const SpDiag *diag)
{
	for (guint i = 0; i < sp_diag_count(diag); i++) {
		g_autofree char *line = sp_diag_line(diag, i);
		g_autoptr(GString) out = NULL;

		if (log_target == SP_LOG_SYSLOG) {
			emit(SP_LOG_ERROR, event, NULL, line);
			continue;
		}
		out = g_string_new(NULL);
		append_escaped(out, line, FALSE);
		fprintf(stderr, "%s\n", out->str);
	}
}
