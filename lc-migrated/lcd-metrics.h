/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Prometheus text format (version 0.0.4) over HTTP with libmicrohttpd:
 * GET /metrics on the [daemon] metrics address (127.0.0.1 by default). The
 * main thread renders the text after every round; the HTTP thread only
 * copies the last one, so a scrape never waits for a round or a host. */
#pragma once

#include "lcd.h"

typedef struct LcdMetrics LcdMetrics;

/* Listen on "ADDR:PORT"; NULL with the error set. */
LcdMetrics *lcd_metrics_start(const char *listen) G_GNUC_WARN_UNUSED_RESULT;
void lcd_metrics_stop(LcdMetrics *m);

/* Render lcd's metrics now and hand them to the server (if any). */
void lcd_metrics_update(Lcd *lcd);
char *lcd_metrics_render(Lcd *lcd);

/* A label value as the format wants it: \ " and newline escaped. */
void lcd_metrics_label(GString *out, const char *value);
