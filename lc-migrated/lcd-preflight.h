/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Before a migration: what would make the domain fail to start on the
 * target (lcd-preflight.c says what is checked). */
#pragma once

#include <libvirt/libvirt.h>

/* NULL when the target can take the domain (its XML domxml, from the
 * source), else why not (caller frees). */
char *lcd_preflight(virConnectPtr sconn, virConnectPtr dconn, const char *domxml);
