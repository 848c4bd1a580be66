/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "lcd-recover.h"

LcdFlightVerdict
lcd_flight_judge(const LcdEnd *src, const LcdEnd *dst, gboolean elsewhere)
{
	if (src->running && dst->running)
		return LCD_FLIGHT_DOUBLE;
	/* The target runs it only once the source let go: done, even if the
	 * source does not answer now (a copy there would show as DOUBLE when
	 * it does). */
	if (dst->running)
		return LCD_FLIGHT_DONE;
	if (src->present && src->job == LCD_JOB_MIGRATION_OUT)
		return LCD_FLIGHT_GOING;
	if (dst->incoming)
		return LCD_FLIGHT_GOING;
	/* Failed only with both hosts' word: the source without a job (asked
	 * in this very sample), the target without a copy. */
	if (src->running && src->job_asked && src->job != LCD_JOB_MIGRATION_OUT && dst->online &&
	    !dst->present)
		return LCD_FLIGHT_FAILED;
	if (elsewhere && !src->running)
		return LCD_FLIGHT_ELSEWHERE;
	if (src->online && dst->online && !src->present && !dst->present && !elsewhere)
		return LCD_FLIGHT_LOST;
	return LCD_FLIGHT_UNKNOWN;
}

const char *
lcd_flight_verdict_name(LcdFlightVerdict v)
{
	static const char *const names[] = {"going",     "done", "failed", "double",
					    "elsewhere", "lost", "unknown"};

	return (guint) v < G_N_ELEMENTS(names) ? names[v] : "unknown";
}
