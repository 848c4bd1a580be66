/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What lc-migrated keeps across restarts, in STATE/state (one small text
 * file, replaced atomically on every change):
 *
 *   lc-migrated-state 1
 *   paused no
 *   drained kvm3
 *   flight UUID NAME SOURCE TARGET STARTED
 *   move UUID NAME SOURCE TARGET WHEN RESULT WHY...
 *
 * "flight" is written before a migration starts and removed once the hosts
 * say how it ended: after a crash it tells the next start which VMs may
 * still be on their way (never a second migration of those) and where to
 * look. "move" lines are the recent moves and failures, so that the core's
 * cooldowns and backoff (and lcctl why) survive a restart. Times are unix
 * seconds. The file is ours; a line that does not parse makes the whole
 * file refused (it is then set aside, and the hosts are asked instead). */
#pragma once

#include <glib.h>

#include "lcd-sample.h"
#include "sp-diag.h"

/* Moves kept: enough for the longest cooldown of a busy cluster. */
#define LCD_STATE_MOVES 2000

typedef struct {
	char uuid[LCD_UUID_LEN];
	char *name;
	char *source;
	char *target;
	gint64 started;
} LcdFlightRec;

typedef struct {
	char uuid[LCD_UUID_LEN];
	char *name;
	char *source;
	char *target;
	gint64 when;
	char *result; /* done, failed, aborted, refused, lost */
	char *why;    /* the core's sentence, or the failure */
} LcdMoveRec;

typedef struct {
	gboolean paused;
	GPtrArray *drained; /* char * host names */
	GPtrArray *flights; /* LcdFlightRec * */
	GPtrArray *moves;   /* LcdMoveRec *, oldest first */
} LcdState;

LcdState *lcd_state_new(void);
void lcd_state_free(LcdState *st);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(LcdState, lcd_state_free)

void lcd_flight_rec_clear(LcdFlightRec *f);
LcdFlightRec *lcd_state_flight(LcdState *st, const char *uuid);
void lcd_state_flight_add(LcdState *st, const LcdFlightRec *f);
void lcd_state_flight_remove(LcdState *st, const char *uuid);
/* Append a move (a copy), dropping the oldest beyond LCD_STATE_MOVES. */
void lcd_state_move_add(LcdState *st, const LcdMoveRec *m);
/* The last move of uuid, or NULL. */
const LcdMoveRec *lcd_state_last_move(const LcdState *st, const char *uuid);
gboolean lcd_state_drained(const LcdState *st, const char *host);
void lcd_state_set_drained(LcdState *st, const char *host, gboolean drained);

char *lcd_state_format(const LcdState *st);
/* Every problem into diag; NULL if any. */
LcdState *lcd_state_parse(const char *path, const char *text, SpDiag *diag)
	G_GNUC_WARN_UNUSED_RESULT;
/* dir/state; a missing file is an empty state. NULL with diag filled when
 * it cannot be read or parsed. */
LcdState *lcd_state_load(const char *dir, SpDiag *diag) G_GNUC_WARN_UNUSED_RESULT;
/* Written to dir/state.tmp, synced, renamed over dir/state: a crash leaves
 * the old or the new file, never half of one. -1 with the error set. */
int lcd_state_save(const LcdState *st, const char *dir) G_GNUC_WARN_UNUSED_RESULT;

gboolean lcd_uuid_valid(const char *uuid);
