/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <string.h>

#include "lcd-ctl.h"
#include "sp-error.h"
#include "sp-names.h"

static const struct {
	const char *word;
	LcdCtlVerb verb;
	gboolean (*arg_valid)(const char *name); /* NULL: no argument */
} verbs[] = {
	{"status", LCD_CTL_STATUS, NULL},
	{"why", LCD_CTL_WHY, sp_name_domain_valid},
	{"pause", LCD_CTL_PAUSE, NULL},
	{"resume", LCD_CTL_RESUME, NULL},
	{"drain", LCD_CTL_DRAIN, sp_name_host_valid},
	{"undrain", LCD_CTL_UNDRAIN, sp_name_host_valid},
};

void
lcd_ctl_request_clear(LcdCtlRequest *r)
{
	g_clear_pointer(&r->arg, g_free);
}

int
lcd_ctl_parse(const char *line, gsize len, LcdCtlRequest *out)
{
	g_autofree char *text = NULL;
	g_auto(GStrv) w = NULL;
	guint n, first = 0;

	if (len > 0 && line[len - 1] == '\n')
		len--;
	if (len > LCD_CTL_REQUEST_MAX) {
		sp_error("request longer than %d bytes", LCD_CTL_REQUEST_MAX);
		return -1;
	}
	/* Printable ASCII only: a name never needs more, and nothing odd
	 * reaches a log line. */
	for (gsize i = 0; i < len; i++) {
		if (line[i] < ' ' || line[i] > '~') {
			sp_error("request holds the byte 0x%02x", (unsigned char) line[i]);
			return -1;
		}
	}
	text = g_strndup(line, len);
	w = g_strsplit(text, " ", 4);
	n = g_strv_length(w);
	if (n > 0 && strcmp(w[0], "json") == 0)
		first = 1;
	if (n <= first || !*w[first]) {
		sp_error("empty request");
		return -1;
	}
	for (guint i = 0; i < G_N_ELEMENTS(verbs); i++) {
		if (strcmp(w[first], verbs[i].word) != 0)
			continue;
		if (!verbs[i].arg_valid && n != first + 1) {
			sp_error("'%s' takes no argument", verbs[i].word);
			return -1;
		}
		if (verbs[i].arg_valid && n != first + 2) {
			sp_error("'%s' takes one name", verbs[i].word);
			return -1;
		}
		if (verbs[i].arg_valid && !verbs[i].arg_valid(w[first + 1]))
			return -1;
		*out = (LcdCtlRequest){.verb = verbs[i].verb,
				       .json = first == 1,
				       .arg = verbs[i].arg_valid ? g_strdup(w[first + 1]) : NULL};
		return 0;
	}
	sp_error("unknown request '%s' (status, why VM, pause, resume, drain HOST, undrain HOST)",
		 w[first]);
	return -1;
}

char *
lcd_ctl_request_line(const char *const *words, gboolean json)
{
	g_autofree char *joined = g_strjoinv(" ", (char **) words);
	g_autofree char *line = g_strconcat(json ? "json " : "", joined, NULL);
	LcdCtlRequest r;

	/* What the server would refuse is refused here, with the same words. */
	if (lcd_ctl_parse(line, strlen(line), &r) < 0)
		return NULL;
	lcd_ctl_request_clear(&r);
	return g_strconcat(line, "\n", NULL);
}

int
lcd_ctl_reply_parse(const char *text, gsize len, gboolean *ok, const char **body, char **error)
{
	const char *nl = memchr(text, '\n', len);

	if (len >= 3 && strncmp(text, "ok\n", 3) == 0) {
		*ok = TRUE;
		*body = text + 3;
		return 0;
	}
	if (nl && len > 6 && strncmp(text, "error ", 6) == 0) {
		*ok = FALSE;
		*error = g_strndup(text + 6, (gsize) (nl - text - 6));
		return 0;
	}
	sp_error("the daemon's reply is not one ('%.*s')", (int) MIN(len, 40), text);
	return -1;
}
