/* Live migrations through libvirt (the threads' side; lcd.h has the main
 * thread's). */
#pragma once

#include <libvirt/libvirt.h>

#include "lcd.h"

/* How the call ended, as the main thread is told. */
typedef enum {
	LCD_MIG_DONE,
	LCD_MIG_FAILED,
	LCD_MIG_ABORTED,
	LCD_MIG_REFUSED, /* preflight: not tried */
	LCD_MIG_UNKNOWN, /* the connection went with it: ask the hosts */
} LcdMigResult;

/* NULL when the target can take the domain, else why not (lcd-preflight.c). */
char *lcd_preflight(virConnectPtr sconn, virConnectPtr dconn, const char *domxml);

const char *lcd_mig_result_name(LcdMigResult r);
