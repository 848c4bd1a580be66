/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Inside netplug: the lock every run that changes links takes, and ensure
 * with a lock timeout of the caller's choice (netplug's --lock-timeout). */
#pragma once

#include <glib.h>

#include "netplug-ensure.h"
#include "sp-lock.h"

/* How long a run waits for another, by default: long enough for any run
 * netplug makes, short enough that a stuck one shows. */
#define SP_NETPLUG_LOCK_WAIT_MS 30000

/* The lock on SP_LOCK_DIR/netplug.lock, or NULL with the error set. */
SpLock *sp_netplug_lock(int timeout_ms) G_GNUC_WARN_UNUSED_RESULT;

/* sp_netplug_ensure_bridge() with another wait for the lock. */
int sp_netplug_ensure(const char *config_dir, const char *bridge, int lock_timeout_ms)
	G_GNUC_WARN_UNUSED_RESULT;
