/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Where a migration stands, from what its two hosts say now: the decision
 * behind adopting a migration after a restart (or after the connection that
 * started it was lost), pure so that every case is unit-tested.
 *
 * libvirt's view of a live migration: the source runs the domain with a job
 * whose operation is "migration out" until the end; the target holds it
 * paused (reason "migration") until it takes over, then runs it, and the
 * source's copy goes (with --undefinesource, for good). A migration that
 * failed leaves the domain running on the source without a job, and none on
 * the target (its libvirtd kills what it had, at once or when it starts
 * again). */
#pragma once

#include <glib.h>

#include "lcd-sample.h"

typedef struct {
	gboolean online;  /* it answered this round */
	gboolean present; /* the domain is active there */
	gboolean running; /* and running (not an incoming copy) */
	gboolean incoming;
	gboolean job_asked;
	LcdJob job;
} LcdEnd;

typedef enum {
	LCD_FLIGHT_GOING,     /* still in flight: wait, never start another */
	LCD_FLIGHT_DONE,      /* running on the target alone */
	LCD_FLIGHT_FAILED,    /* running on the source, nothing left elsewhere */
	LCD_FLIGHT_DOUBLE,    /* running on both: the alarm */
	LCD_FLIGHT_ELSEWHERE, /* running on a third host (someone moved it) */
	LCD_FLIGHT_LOST,      /* on neither, both answered, nowhere else */
	LCD_FLIGHT_UNKNOWN,   /* a host did not answer: ask again */
} LcdFlightVerdict;

LcdFlightVerdict lcd_flight_judge(const LcdEnd *src, const LcdEnd *dst, gboolean elsewhere);
const char *lcd_flight_verdict_name(LcdFlightVerdict v);
