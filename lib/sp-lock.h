/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One run at a time: an exclusive flock(2) on a file under /run/sparrow.
 *
 * netplug's runs (up, down, the hook's ensure), slvm-helper's changes to a
 * volume group and lc-migrated's single instance each take one, so that two
 * VMs starting at once never plan from the same old state and a second daemon
 * never starts. The kernel drops an flock when its holder dies, so a killed
 * run never leaves a stale lock behind; the file itself stays, empty.
 *
 * Waiting is polled, not blocked on: library code must not need SIGALRM to
 * give up, and a hook must never wait without bound. */
#pragma once

#include <glib.h>

#define SP_LOCK_DIR "/run/sparrow"

typedef struct SpLock SpLock;

/* Take the lock on path (created 0600 if missing, its directory 0755; never
 * through a symlink), waiting up to timeout_ms (0: try once). what names the
 * holder in the error ("another netplug run"). NULL with the error set. */
SpLock *sp_lock_take(const char *path, const char *what, int timeout_ms) G_GNUC_WARN_UNUSED_RESULT;
/* Release and free; NULL is a no-op. */
void sp_lock_release(SpLock *lock);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SpLock, sp_lock_release)
