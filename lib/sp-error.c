#include "config.h"

#include <string.h>

#include "sp-error.h"

static _Thread_local SpError last_error;
static _Thread_local gboolean have_error;

void
sp_error_set_full(const char *file, int line, const char *func, int errnum,
		  const char *fmt, ...)
{
	va_list ap;
	g_autofree char *text = NULL;

	va_start(ap, fmt);
	text = g_strdup_vprintf(fmt, ap);
	va_end(ap);

	g_free(last_error.message);
	if (errnum != 0)
		last_error.message = g_strdup_printf("%s: %s", text, g_strerror(errnum));
	else
		last_error.message = g_steal_pointer(&text);
	last_error.errnum = errnum;
	last_error.file = file;
	last_error.line = line;
	last_error.func = func;
	have_error = TRUE;
}

const SpError *
sp_error_last(void)
{
	return have_error ? &last_error : NULL;
}

const char *
sp_error_message(void)
{
	return have_error ? last_error.message : "unknown error";
}

void
sp_error_clear(void)
{
	g_clear_pointer(&last_error.message, g_free);
	memset(&last_error, 0, sizeof(last_error));
	have_error = FALSE;
}

void
sp_error_prefix(const char *fmt, ...)
{
	va_list ap;
	g_autofree char *prefix = NULL;
	char *joined;

	if (!have_error)
		return;
	va_start(ap, fmt);
	prefix = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	joined = g_strconcat(prefix, last_error.message, NULL);
	g_free(last_error.message);
	last_error.message = joined;
}
