/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The kinds of link netplug builds (bond, VLAN, VXLAN, bridge), each one
 * table of operations in the manner of iproute2's struct link_util: what a
 * network of that kind reads from networks.conf, the names it derives, the
 * device it asks for, what of an existing link cannot change in place, how the
 * kernel's link is read and how a new one is described to the kernel. Config
 * parsing, planning, netlink and printing go through this table; none of them
 * switches on the kind. A new kind is one file and one line in link-kind.c.
 *
 * A kind's operations are pure or fill only the libnl objects they are
 * handed (the bond's mode is read from sysfs: libnl does not parse it): they
 * never send to the kernel, print, or call netconfig.c, plan.c or netlink.c
 * (those call them). libnl's types stay opaque here, so that
 * code without libnl's headers can include this. */
#pragma once

#include <glib.h>

#include "network.h"
#include "sp-config.h"
#include "sp-diag.h"

struct nl_msg;
struct rtnl_link;

typedef enum { SP_DEV_BOND, SP_DEV_VLAN, SP_DEV_VXLAN, SP_DEV_BRIDGE } SpDevKind;

/* netplug's links carry this device group from the moment they are created
 * (IFLA_GROUP is applied atomically with RTM_NEWLINK, unlike the alias), so
 * a run killed between "create" and "set alias" leaves a link that the next
 * run still recognises as its own; and the alias SP_NETPLUG_OWNER NETWORK
 * (the uplink: SP_NETPLUG_OWNER "uplink"). */
#define SP_NETPLUG_GROUP 0x5a11
#define SP_NETPLUG_OWNER "sparrow:netplug:"

/* A device as it should be. */
typedef struct {
	SpDevKind kind;
	char name[16];
	char owner[64];  /* alias marking it ours */
	char master[16]; /* bridge or bond it belongs to, "" for none */
	int vlan;
	char link[16]; /* VLAN's lower device, VXLAN's underlay */
	guint32 vni;
	char remote[48]; /* first unicast remote or the group */
	int dstport;
	int mode;
	int mtu;
	gboolean is_slave;    /* a bond slave: must exist, netplug only enslaves it */
	const SpNetwork *net; /* NULL for the uplink */
} SpDevice;

/* A link as the kernel has it. */
typedef struct {
	char name[16];
	char kind[16];   /* rtnl link type: "bridge", "vlan", "vxlan", "bond", "" */
	char alias[256]; /* IFALIASZ: the whole alias, never cut */
	char master[16]; /* "" when none */
	char link[16];   /* VLAN's lower device, VXLAN's underlay; "" when none */
	char remote[48]; /* VXLAN remote or group, "" when none */
	int ifindex;
	guint32 group;
	gboolean up;
	int mtu;
	int vlan;
	int vlan_proto; /* 0x8100 (802.1Q) or 0x88a8 (802.1ad); 0 unknown */
	guint32 vni;
	int dstport;
	int bond_mode;    /* -1 when unknown */
	GPtrArray *peers; /* VXLAN: destinations of its all-zero FDB entries (the
			   * head-end peers), char *; NULL when not read */
} SpLinkState;

void sp_link_state_free(SpLinkState *l);
gboolean sp_link_is_ours(const SpLinkState *l);

struct SpLinkKind {
	SpDevKind kind;
	const char *name; /* the kernel's IFLA_INFO_KIND, and what status shows */

	/* The kinds a network is made of (VLAN, VXLAN); NULL/0 for the others. */
	const char *title;       /* "VLAN": "a VLAN network" */
	const char *id_key;      /* the key that makes a network this kind: "vlan" */
	const char *id_meta;     /* what it holds, in messages: "ID" */
	const char *id_title;    /* "VLAN 1034 is already ...", "VNI 5001 ..." */
	guint32 id_max;          /* ids run from 1 to this */
	gboolean needs_uplink;   /* the lower device sits on the bond */
	const char *const *keys; /* its other keys, NULL-terminated */
	/* Read those keys of group into n; every problem into diag. */
	void (*parse)(SpNetwork *n, const SpConfig *c, const char *group, SpDiag *diag);
	/* sp_network_dev_name() for this kind (n->id set, bond given if needed). */
	char *(*dev_name)(const SpNetwork *n, const char *bond, SpNameRole role);
	/* Fill this kind's fields of d, n's lower device. */
	void (*desire)(SpDevice *d, const SpNetConfig *cfg, const SpNetwork *n);
	/* The head-end peers d must have (char *, owned by d->net), or NULL for a
	 * kind without them. */
	GPtrArray *(*peers)(const SpDevice *d);

	/* What of l, an existing link of this kind, differs from d and cannot
	 * change in place: one message each into why (char *). NULL: nothing. */
	void (*identity)(const SpDevice *d, const SpLinkState *l, GPtrArray *why);

	/* Read this kind's attributes of a dumped link; the lower device's
	 * ifindex (0: none). NULL: only IFLA_LINK. */
	int (*read)(struct rtnl_link *l, SpLinkState *s);
	/* Put this kind's IFLA_INFO_DATA of d into a creation request (lower:
	 * the ifindex of d->link, 0 when none); a negative libnl error. NULL:
	 * none. */
	int (*put)(struct nl_msg *msg, const SpDevice *d, int lower);
	gboolean lower_is_ifla_link; /* the lower device goes in IFLA_LINK */
};

/* The table of kind, and of an rtnl kind name (NULL: not one of ours). */
const SpLinkKind *sp_link_kind(SpDevKind kind);
const SpLinkKind *sp_link_kind_by_name(const char *name);
/* The kinds a network can be, in the order their keys are looked for;
 * NULL-terminated. */
const SpLinkKind *const *sp_link_kinds_lower(void);

extern const SpLinkKind sp_link_bond, sp_link_vlan, sp_link_vxlan;

/* Bond modes, one table for parsing and printing (link-bond.c): the mode of a name or number ("802.3ad", "4"), or -1. */
int sp_bond_mode_parse(const char *text);
/* "802.3ad"; "unknown" for a number that is no mode. */
const char *sp_bond_mode_name(int mode);
/* Whether a bridge may sit on a bond in mode (see link-bond.c). */
gboolean sp_bond_mode_safe(int mode);
/* The safe modes for a message: "active-backup, balance-xor or 802.3ad". */
char *sp_bond_modes_safe_text(void) G_GNUC_WARN_UNUSED_RESULT;
