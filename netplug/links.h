/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The kernel side of netplug, over one rtnetlink socket (libnl-route):
 * read the links, carry out a plan all or nothing, take networks down. */
#pragma once

#include <glib.h>

#include "netplug.h"
#include "plan.h"

typedef struct SpNetlink SpNetlink;

SpNetlink *sp_netlink_open(void) G_GNUC_WARN_UNUSED_RESULT;
void sp_netlink_close(SpNetlink *nl);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SpNetlink, sp_netlink_close)

/* name -> SpLinkState * of every link in this network namespace. */
GHashTable *sp_netlink_read(SpNetlink *nl) G_GNUC_WARN_UNUSED_RESULT;

/* Carry out the CREATE and FIX steps in order (WARN steps are skipped). On
 * a failure, undo this run's changes newest first (delete what it created,
 * put fixed links' alias, group, MTU, up flag, master and VXLAN peers back)
 * and return -1 with the error set (with the
 * kernel's own extended-ACK message when it gave one). *changed counts the
 * steps done. A CONFLICT step refuses the whole plan before anything is done. */
int sp_netlink_execute(SpNetlink *nl, GPtrArray *steps, guint *changed) G_GNUC_WARN_UNUSED_RESULT;

/* Remove what sp_netplug_plan_down() says, after its checks. */
int sp_netlink_down(SpNetlink *nl, const SpNetConfig *cfg, const char *const *names, gboolean force,
		    gboolean dry_run, guint *removed) G_GNUC_WARN_UNUSED_RESULT;

/* Every run that changes links holds an exclusive flock on this file, so
 * that two runs (two VMs starting) never plan from the same old state. */
#define SP_NETPLUG_LOCK_DIR "/run/sparrow"
#define SP_NETPLUG_LOCK_TIMEOUT 30 /* seconds; SP_NETPLUG_LOCK_TIMEOUT overrides */

/* The lock's fd, or -1 with the error set (also after the timeout). */
int sp_netplug_lock(void) G_GNUC_WARN_UNUSED_RESULT;
void sp_netplug_unlock(int fd);

/* For the qemu hook: make sure the network whose bridge is `bridge` is up.
 * A library call, no subprocess; it never fails a VM start needlessly: 0
 * without a config file or when no network has that bridge; with config
 * errors, or conflicts or a kernel refusal on the path to it, 0 (and a
 * warning, nothing changed) if the bridge exists and is up, else -1; a
 * missing or busy bond slave is a warning while the bond can work. -1 with
 * the error set. */
int sp_netplug_ensure_bridge(const char *config_path, const char *bridge) G_GNUC_WARN_UNUSED_RESULT;
