/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The host-wide steps of "slvm-helper setup" that edit other packages' files:
 * one key of LVM's lvm.conf or lvmlocal.conf ("section { key = value }"), of
 * a libvirt file ("key = value" lines), and the hook's qemu.d link. Each step
 * is planned first (one line saying what would change, for the admin to read)
 * and written only when asked (--apply): the file is replaced atomically and
 * its version from before Sparrow's first change is kept as FILE.sparrow-orig.
 * A second run finds nothing to do. No daemon is restarted here: the caller's
 * line says which one must re-read what. */
#pragma once

#include <glib.h>

typedef struct {
	const char *path;    /* "/etc/lvm/lvm.conf" */
	const char *section; /* "global"; NULL for a file of key = value lines */
	const char *key;     /* "use_lvmlockd" */
	const char *value;   /* as the file writes it: 1, "sanlock" (quotes included) */
} SpSetupKey;

/* text with the key set to its value: NULL when it already is (*change
 * untouched); else the new text, and *change says what differs
 * ("use_lvmlockd = 1 (was 0)"). The key goes where it was, else right after
 * its commented default (LVM's and libvirt's files document each key that
 * way), else at the end of its section, else into a new section at the end. */
char *sp_setup_key_edit(const SpSetupKey *k, const char *text, char **change);

/* The key in its file (a missing file is an empty one): 0 set already; 1 not
 * (*change says what would change); with apply the file is written, 2 (*change
 * says what changed). -1 with the error set. */
int sp_setup_key(const SpSetupKey *k, gboolean apply, char **change) G_GNUC_WARN_UNUSED_RESULT;

/* The hook's drop-in link (libvirt runs every executable of qemu.d): 0 when
 * link points to target and target is executable; 1 when the link is
 * missing or points elsewhere (*change says so); with apply it is made, 2.
 * -1 with the error set: target is not an executable (the hook is not
 * installed), or link is not a link (an admin's own hook of that name is
 * never replaced). */
int sp_setup_hook_link(const char *link, const char *target, gboolean apply, char **change)
	G_GNUC_WARN_UNUSED_RESULT;
