/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <string.h>

#include "sp-error.h"

/* Per thread, freed when the thread ends (GPrivate rather than a
 * _Thread_local, which would leak the message of an exiting thread). */
static void
error_free(gpointer data)
{
	SpError *err = data;

	g_free(err->message);
	g_free(err);
}

static GPrivate current = G_PRIVATE_INIT(error_free);

static SpError *
slot(void)
{
	SpError *err = g_private_get(&current);

	if (!err) {
		err = g_new0(SpError, 1);
		g_private_set(&current, err);
	}
	return err;
}

void
sp_error_set_full(const char *file, int line, const char *func, int errnum, const char *fmt, ...)
{
	va_list ap;
	g_autofree char *text = NULL;

	va_start(ap, fmt);
	text = g_strdup_vprintf(fmt, ap);
	va_end(ap);

	SpError *err = slot();

	g_free(err->message);
	if (errnum != 0)
		err->message = g_strdup_printf("%s: %s", text, g_strerror(errnum));
	else
		err->message = g_steal_pointer(&text);
	err->errnum = errnum;
	err->file = file;
	err->line = line;
	err->func = func;
}

const SpError *
sp_error_last(void)
{
	SpError *err = g_private_get(&current);

	return err && err->message ? err : NULL;
}

const char *
sp_error_message(void)
{
	const SpError *err = sp_error_last();

	return err ? err->message : "unknown error";
}

void
sp_error_clear(void)
{
	SpError *err = g_private_get(&current);

	if (err) {
		g_clear_pointer(&err->message, g_free);
		memset(err, 0, sizeof(*err));
	}
}

void
sp_error_prefix(const char *fmt, ...)
{
	va_list ap;
	g_autofree char *prefix = NULL;
	char *joined;

	SpError *err = g_private_get(&current);

	if (!err || !err->message)
		return;
	va_start(ap, fmt);
	prefix = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	joined = g_strconcat(prefix, err->message, NULL);
	g_free(err->message);
	err->message = joined;
}

char *
sp_error_voice(const char *text)
{
	GString *out = g_string_new(NULL);

	for (const char *p = text; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char_validated(p, -1);

		if (c == 0x201c || c == 0x201d || c == 0x2018 || c == 0x2019) {
			g_string_append_c(out, '\'');
		} else if (c == (gunichar) -1 || c == (gunichar) -2) {
			/* Not UTF-8: the rest as it is, for the log to escape. */
			g_string_append(out, p);
			break;
		} else {
			g_string_append_unichar(out, c);
		}
	}
	if (g_ascii_isupper(out->str[0]) && !g_ascii_isupper(out->str[1]) &&
	    !g_ascii_isdigit(out->str[1]))
		out->str[0] = g_ascii_tolower(out->str[0]);
	return g_string_free(out, FALSE);
}

int
sp_options_parse(GOptionContext *ctx, int *argc, char ***argv)
{
	g_autoptr(GError) gerr = NULL;
	g_autofree char *why = NULL;

	if (g_option_context_parse(ctx, argc, argv, &gerr))
		return 0;
	why = sp_error_voice(gerr->message);
	sp_error("%s (see --help)", why);
	return -1;
}
