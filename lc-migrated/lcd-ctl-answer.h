/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The answers to lcctl's requests (lcd-ctl-answer.c). */
#pragma once

#include "lcd-ctl.h"
#include "lcd.h"

/* The body of a reply to r, or NULL with the error set (main thread). */
char *lcd_ctl_answer(Lcd *lcd, const LcdCtlRequest *r);
