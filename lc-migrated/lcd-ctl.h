/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The control protocol between lcctl and lc-migrated, over a unix socket
 * (one request per connection):
 *
 *   request:  [json ]VERB[ ARG]\n         at most LCD_CTL_REQUEST_MAX bytes
 *             VERB: status | why VM | pause | resume | drain HOST | undrain HOST
 *   reply:    ok\n BODY                    or   error MESSAGE\n
 *
 * BODY is text for people, or one JSON document after "json". The server
 * checks the peer (SO_PEERCRED: root, or the configured group) before it
 * reads anything. Parsing is pure, and unit-tested. */
#pragma once

#include <glib.h>

#define LCD_CTL_REQUEST_MAX 1024
/* lcctl reads no more of a reply than this. */
#define LCD_CTL_REPLY_MAX (64 * 1024 * 1024)

typedef enum {
	LCD_CTL_STATUS,
	LCD_CTL_WHY,
	LCD_CTL_PAUSE,
	LCD_CTL_RESUME,
	LCD_CTL_DRAIN,
	LCD_CTL_UNDRAIN,
} LcdCtlVerb;

typedef struct {
	LcdCtlVerb verb;
	gboolean json;
	char *arg; /* VM or host name, validated; NULL for the others */
} LcdCtlRequest;

void lcd_ctl_request_clear(LcdCtlRequest *r);
/* One request line (with or without its newline; len bytes, which may hold
 * anything): 0, or -1 with the error set. */
int lcd_ctl_parse(const char *line, gsize len, LcdCtlRequest *out) G_GNUC_WARN_UNUSED_RESULT;
/* The line lcctl sends for argv-like words (verb first): NULL with the
 * error set when they do not make a request. */
char *lcd_ctl_request_line(const char *const *words, gboolean json) G_GNUC_WARN_UNUSED_RESULT;
/* A reply: *body points into text after "ok\n"; or FALSE and *error gets
 * the message. -1 with the error set when text is not a reply. */
int lcd_ctl_reply_parse(const char *text, gsize len, gboolean *ok, const char **body, char **error)
	G_GNUC_WARN_UNUSED_RESULT;
