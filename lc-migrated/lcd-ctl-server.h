/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The control socket in the daemon's main loop (lcd-ctl-server.c). */
#pragma once

#include "lcd.h"

typedef struct LcdCtl LcdCtl;

/* Listen on path (a stale socket of a dead instance is replaced: the caller
 * holds the single-instance lock); NULL with the error set. */
LcdCtl *lcd_ctl_start(Lcd *lcd, const char *path) G_GNUC_WARN_UNUSED_RESULT;
void lcd_ctl_stop(LcdCtl *ctl);
