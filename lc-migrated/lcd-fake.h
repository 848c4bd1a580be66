/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fake hosts, for the benchmark (tools/bench/lcd) only: hosts.conf URIs
 * "fake:VMS" (lc-migrated --fake) stand for a host of 32 CPUs running VMS
 * VMs whose CPU demand follows a seeded random walk with bursts, so that
 * the daemon's own cost per round (sampling arithmetic, the core, logs,
 * metrics, the state file) can be measured at 1,000 hosts without 1,000
 * libvirtds. A migration moves the VM after a simulated second. Nothing
 * of libvirt is used. */
#pragma once

#include "lcd-sample.h"
#include "lcd.h"

typedef struct LcdFake LcdFake;

/* NULL with the error set when uri is not "fake:N". */
LcdFake *lcd_fake_open(const char *uri, guint index);
void lcd_fake_close(LcdFake *f);
LcdSample *lcd_fake_sample(LcdFake *f, GPtrArray *jobs);
LcdMigResult lcd_fake_migrate(guint src, guint dst, const char *uuid, double *seconds,
			      char **error);
void lcd_fake_abort(const char *uuid);
