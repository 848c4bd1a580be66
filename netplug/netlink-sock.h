/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Inside netplug's netlink layer only (netlink.c, netlink-ops.c): the
 * socket's state (netlink.h keeps it opaque) and its error helper. Nothing
 * above the layer includes this. */
#pragma once

#include <glib.h>

#include <netlink/netlink.h>

struct SpNetlink {
	struct nl_sock *sk;
	char ack_msg[256]; /* the kernel's extended-ACK text of the last error */
	/* name -> ifindex of the links this socket has seen (the dump, the links
	 * it created): a lookup is a round trip, a fifth of what a new VXLAN
	 * network costs. A stale entry only makes a request fail. */
	GHashTable *ifindex;
};

/* Set the error "<what>: <kernel's words> (<libnl's>)" for libnl error err,
 * what being fmt's text ("cannot create 'vxlan5001'"). */
void sp_netlink_fail(struct SpNetlink *nl, int err, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
