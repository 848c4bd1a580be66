/* SPDX-License-Identifier: GPL-2.0-or-later */
/* netplug's one rtnetlink socket (libnl-route): the dump of the links and the
 * primitive operations on them, each one request and its ACK. A refusal is
 * set as the error with the kernel's own extended-ACK text. This layer
 * decides nothing (plan.c does), keeps no journal (execute.c does) and never
 * prints; libnl's types stay inside netlink.c. */
#pragma once

#include <glib.h>

#include "link-kind.h"

typedef struct SpNetlink SpNetlink;

SpNetlink *sp_netlink_open(void) G_GNUC_WARN_UNUSED_RESULT;
void sp_netlink_close(SpNetlink *nl);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SpNetlink, sp_netlink_close)

/* name -> SpLinkState * of every link in this network namespace: one
 * RTM_GETLINK dump, and one AF_BRIDGE RTM_GETNEIGH dump for the head-end
 * peers when there are VXLAN devices. */
GHashTable *sp_netlink_read(SpNetlink *nl) G_GNUC_WARN_UNUSED_RESULT;

/* The ifindex of a link (one round trip), 0 when name is "" or no link. */
int sp_netlink_ifindex(SpNetlink *nl, const char *name);

/* d, up, in its group and master, in one RTM_NEWLINK; the alias follows in
 * sp_netlink_set_alias() (the kernel takes no alias with a new link). */
int sp_netlink_create(SpNetlink *nl, const SpDevice *d) G_GNUC_WARN_UNUSED_RESULT;
/* By name: saves the lookup of the index. */
int sp_netlink_set_alias(SpNetlink *nl, const char *name, const char *alias)
	G_GNUC_WARN_UNUSED_RESULT;

/* What one sp_netlink_change() sets on an existing link. */
typedef struct {
	gboolean up;
	const char *alias; /* NULL: unchanged */
	gboolean set_group;
	guint32 group;
	int master; /* ifindex, 0: none, -1: unchanged */
	int mtu;    /* 0: unchanged */
} SpLinkChange;

/* what names the change in the error: "cannot <what> 'NAME': ...". */
int sp_netlink_change(SpNetlink *nl, const char *name, int ifindex, const SpLinkChange *chg,
		      const char *what) G_GNUC_WARN_UNUSED_RESULT;
int sp_netlink_set_up(SpNetlink *nl, const char *name, int ifindex, gboolean up)
	G_GNUC_WARN_UNUSED_RESULT;
/* The kernel enslaves only a link that is down. */
int sp_netlink_enslave(SpNetlink *nl, const char *name, int ifindex, int master)
	G_GNUC_WARN_UNUSED_RESULT;
int sp_netlink_delete(SpNetlink *nl, const char *name) G_GNUC_WARN_UNUSED_RESULT;
/* Append (add) or remove a head-end peer of a VXLAN device: an all-zero
 * forwarding entry to remote, as "bridge fdb append" and "bridge fdb del". */
int sp_netlink_peer(SpNetlink *nl, const char *dev, int ifindex, const char *remote, gboolean add)
	G_GNUC_WARN_UNUSED_RESULT;
