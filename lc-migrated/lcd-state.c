/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lcd-state.h"
#include "sp-file.h"
#include "sp-error.h"
#include "sp-names.h"

#define STATE_MAGIC "lc-migrated-state 1"
/* A why is one sentence; a longer one is cut, not refused. */
#define WHY_MAX 400

void
lcd_flight_rec_clear(LcdFlightRec *f)
{
	g_clear_pointer(&f->name, g_free);
	g_clear_pointer(&f->source, g_free);
	g_clear_pointer(&f->target, g_free);
}

static void
flight_free(gpointer data)
{
	lcd_flight_rec_clear(data);
	g_free(data);
}

static void
move_free(gpointer data)
{
	LcdMoveRec *m = data;

	g_free(m->name);
	g_free(m->source);
	g_free(m->target);
	g_free(m->result);
	g_free(m->why);
	g_free(m);
}

LcdState *
lcd_state_new(void)
{
	LcdState *st = g_new0(LcdState, 1);

	st->drained = g_ptr_array_new_with_free_func(g_free);
	st->flights = g_ptr_array_new_with_free_func(flight_free);
	st->moves = g_ptr_array_new_with_free_func(move_free);
	return st;
}

void
lcd_state_free(LcdState *st)
{
	if (!st)
		return;
	g_ptr_array_free(st->drained, TRUE);
	g_ptr_array_free(st->flights, TRUE);
	g_ptr_array_free(st->moves, TRUE);
	g_free(st);
}

LcdFlightRec *
lcd_state_flight(LcdState *st, const char *uuid)
{
	for (guint i = 0; i < st->flights->len; i++) {
		LcdFlightRec *f = g_ptr_array_index(st->flights, i);

		if (strcmp(f->uuid, uuid) == 0)
			return f;
	}
	return NULL;
}

void
lcd_state_flight_add(LcdState *st, const LcdFlightRec *f)
{
	LcdFlightRec *c = g_new0(LcdFlightRec, 1);

	lcd_state_flight_remove(st, f->uuid);
	*c = (LcdFlightRec){.name = g_strdup(f->name),
			    .source = g_strdup(f->source),
			    .target = g_strdup(f->target),
			    .started = f->started};
	g_strlcpy(c->uuid, f->uuid, sizeof(c->uuid));
	g_ptr_array_add(st->flights, c);
}

void
lcd_state_flight_remove(LcdState *st, const char *uuid)
{
	LcdFlightRec *f = lcd_state_flight(st, uuid);

	if (f)
		g_ptr_array_remove(st->flights, f);
}

void
lcd_state_move_add(LcdState *st, const LcdMoveRec *m)
{
	LcdMoveRec *c = g_new0(LcdMoveRec, 1);

	*c = (LcdMoveRec){.name = g_strdup(m->name),
			  .source = g_strdup(m->source),
			  .target = g_strdup(m->target),
			  .when = m->when,
			  .result = g_strdup(m->result),
			  .why = g_utf8_make_valid(m->why ? m->why : "", -1)};
	g_strlcpy(c->uuid, m->uuid, sizeof(c->uuid));
	/* One line per move: a why never breaks the format. */
	g_strdelimit(c->why, "\n\r\t", ' ');
	if (strlen(c->why) > WHY_MAX)
		c->why[WHY_MAX] = '\0';
	g_ptr_array_add(st->moves, c);
	if (st->moves->len > LCD_STATE_MOVES)
		g_ptr_array_remove_range(st->moves, 0, st->moves->len - LCD_STATE_MOVES);
}

const LcdMoveRec *
lcd_state_last_move(const LcdState *st, const char *uuid)
{
	for (guint i = st->moves->len; i > 0; i--) {
		const LcdMoveRec *m = g_ptr_array_index(st->moves, i - 1);

		if (strcmp(m->uuid, uuid) == 0)
			return m;
	}
	return NULL;
}

gboolean
lcd_state_drained(const LcdState *st, const char *host)
{
	for (guint i = 0; i < st->drained->len; i++)
		if (strcmp(g_ptr_array_index(st->drained, i), host) == 0)
			return TRUE;
	return FALSE;
}

void
lcd_state_set_drained(LcdState *st, const char *host, gboolean drained)
{
	for (guint i = 0; i < st->drained->len; i++) {
		if (strcmp(g_ptr_array_index(st->drained, i), host) == 0) {
			if (!drained)
				g_ptr_array_remove_index(st->drained, i);
			return;
		}
	}
	if (drained)
		g_ptr_array_add(st->drained, g_strdup(host));
}

gboolean
lcd_uuid_valid(const char *uuid)
{
	if (strlen(uuid) != LCD_UUID_LEN - 1)
		return FALSE;
	for (guint i = 0; i < LCD_UUID_LEN - 1; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (uuid[i] != '-')
				return FALSE;
		} else if (!g_ascii_isxdigit(uuid[i])) {
			return FALSE;
		}
	}
	return TRUE;
}

char *
lcd_state_format(const LcdState *st)
{
	GString *out = g_string_new(STATE_MAGIC "\n");

	g_string_append_printf(out, "paused %s\n", st->paused ? "yes" : "no");
	for (guint i = 0; i < st->drained->len; i++)
		g_string_append_printf(out, "drained %s\n",
				       (const char *) g_ptr_array_index(st->drained, i));
	for (guint i = 0; i < st->flights->len; i++) {
		const LcdFlightRec *f = g_ptr_array_index(st->flights, i);

		g_string_append_printf(out, "flight %s %s %s %s %" G_GINT64_FORMAT "\n", f->uuid,
				       f->name, f->source, f->target, f->started);
	}
	for (guint i = 0; i < st->moves->len; i++) {
		const LcdMoveRec *m = g_ptr_array_index(st->moves, i);

		g_string_append_printf(out, "move %s %s %s %s %" G_GINT64_FORMAT " %s %s\n",
				       m->uuid, m->name, m->source, m->target, m->when, m->result,
				       m->why);
	}
	return g_string_free(out, FALSE);
}

/* Fields of a flight or move line: UUID NAME SOURCE TARGET TIME, checked.
 * FALSE with a message in diag. */
static gboolean
fields_check(char **w, const char *path, int lineno, SpDiag *diag)
{
	gint64 t;

	if (!lcd_uuid_valid(w[1])) {
		sp_diag_add(diag, path, lineno, 0, "'%s' is not a UUID", w[1]);
		return FALSE;
	}
	if (!sp_name_domain_valid(w[2]) || !sp_name_host_valid(w[3]) || !sp_name_host_valid(w[4])) {
		sp_diag_add(diag, path, lineno, 0, "%s", sp_error_message());
		sp_error_clear();
		return FALSE;
	}
	if (!g_ascii_string_to_signed(w[5], 10, 0, G_MAXINT64, &t, NULL)) {
		sp_diag_add(diag, path, lineno, 0, "'%s' is not a time", w[5]);
		return FALSE;
	}
	return TRUE;
}

static void
line_parse(LcdState *st, char *line, const char *path, int lineno, SpDiag *diag)
{
	g_auto(GStrv) w = g_strsplit(line, " ", 8);
	guint n = g_strv_length(w);

	if (strcmp(w[0], "paused") == 0 && n == 2 &&
	    (strcmp(w[1], "yes") == 0 || strcmp(w[1], "no") == 0)) {
		st->paused = strcmp(w[1], "yes") == 0;
	} else if (strcmp(w[0], "drained") == 0 && n == 2) {
		if (!sp_name_host_valid(w[1])) {
			sp_diag_add(diag, path, lineno, 0, "%s", sp_error_message());
			sp_error_clear();
			return;
		}
		lcd_state_set_drained(st, w[1], TRUE);
	} else if (strcmp(w[0], "flight") == 0 && n == 6) {
		LcdFlightRec f = {.name = w[2], .source = w[3], .target = w[4]};

		if (!fields_check(w, path, lineno, diag))
			return;
		g_strlcpy(f.uuid, w[1], sizeof(f.uuid));
		f.started = g_ascii_strtoll(w[5], NULL, 10);
		lcd_state_flight_add(st, &f);
	} else if (strcmp(w[0], "move") == 0 && n >= 7) {
		static const char *const results[] = {"done",    "failed", "aborted",
						      "refused", "lost",   NULL};
		LcdMoveRec m = {.name = w[2],
				.source = w[3],
				.target = w[4],
				.result = w[6],
				.why = n > 7 ? w[7] : (char *) ""};

		if (!fields_check(w, path, lineno, diag))
			return;
		if (!g_strv_contains(results, w[6])) {
			sp_diag_add(diag, path, lineno, 0, "'%s' is not a result", w[6]);
			return;
		}
		g_strlcpy(m.uuid, w[1], sizeof(m.uuid));
		m.when = g_ascii_strtoll(w[5], NULL, 10);
		lcd_state_move_add(st, &m);
	} else {
		sp_diag_add(diag, path, lineno, 0, "unexpected line '%.40s'", line);
	}
}

LcdState *
lcd_state_parse(const char *path, const char *text, SpDiag *diag)
{
	g_autoptr(LcdState) st = lcd_state_new();
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	guint before = sp_diag_count(diag);

	if (!g_utf8_validate(text, -1, NULL)) {
		sp_diag_add(diag, path, 0, 0, "not UTF-8 text");
		return NULL;
	}
	if (!lines[0] || strcmp(lines[0], STATE_MAGIC) != 0) {
		sp_diag_add(diag, path, 1, 1, "not a state file of this version ('%s' expected)",
			    STATE_MAGIC);
		return NULL;
	}
	for (int i = 1; lines[i]; i++) {
		if (!*lines[i])
			continue;
		line_parse(st, lines[i], path, i + 1, diag);
	}
	return sp_diag_count(diag) > before ? NULL : g_steal_pointer(&st);
}

LcdState *
lcd_state_load(const char *dir, SpDiag *diag)
{
	g_autofree char *path = g_build_filename(dir, "state", NULL);
	g_autofree char *text = NULL;
	gsize len = 0;

	if (access(path, F_OK) < 0 && errno == ENOENT)
		return lcd_state_new();
	if (!(text = sp_file_read_trusted(path, &len))) {
		sp_diag_add(diag, path, 0, 0, "%s", sp_error_message());
		sp_error_clear();
		return NULL;
	}
	if (memchr(text, '\0', len)) {
		sp_diag_add(diag, path, 0, 0, "file contains a NUL byte");
		return NULL;
	}
	return lcd_state_parse(path, text, diag);
}

int
lcd_state_save(const LcdState *st, const char *dir)
{
	g_autofree char *path = g_build_filename(dir, "state", NULL);
	g_autofree char *tmp = g_build_filename(dir, "state.tmp", NULL);
	g_autofree char *text = lcd_state_format(st);
	gsize len = strlen(text), done = 0;
	int fd, dfd;

	if (g_mkdir_with_parents(dir, 0700) < 0) {
		sp_error_errno(errno, "cannot create '%s'", dir);
		return -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		sp_error_errno(errno, "cannot write '%s'", tmp);
		return -1;
	}
	while (done < len) {
		ssize_t n = write(fd, text + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			sp_error_errno(errno, "cannot write '%s'", tmp);
			close(fd);
			return -1;
		}
		done += (gsize) n;
	}
	if (fsync(fd) < 0 || close(fd) < 0) {
		sp_error_errno(errno, "cannot write '%s'", tmp);
		return -1;
	}
	if (rename(tmp, path) < 0) {
		sp_error_errno(errno, "cannot rename '%s' as '%s'", tmp, path);
		return -1;
	}
	/* The rename itself must reach the disk before we act on it. */
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		(void) fsync(dfd);
		close(dfd);
	}
	return 0;
}
