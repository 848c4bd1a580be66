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

/* Carry out the CREATE and FIX steps in order. On a failure, delete what
 * this run created, newest first, and return -1 with the error set (with the
 * kernel's own extended-ACK message when it gave one). *changed counts the
 * steps done. A CONFLICT step refuses the whole plan before anything is done. */
int sp_netlink_execute(SpNetlink *nl, GPtrArray *steps, guint *changed) G_GNUC_WARN_UNUSED_RESULT;

/* Remove the named networks' bridge and lower device (all networks and the
 * bond when names is empty), only links that are ours. A bridge with other
 * ports (VM taps) is refused unless force. */
int sp_netlink_down(SpNetlink *nl, const SpNetConfig *cfg, const char *const *names,
		    gboolean force, gboolean dry_run, guint *removed) G_GNUC_WARN_UNUSED_RESULT;

/* For the qemu hook: make sure the network whose bridge is `bridge` is up.
 * A library call, no subprocess; -1 with the error set. */
int sp_netplug_ensure_bridge(const char *config_path, const char *bridge) G_GNUC_WARN_UNUSED_RESULT;
