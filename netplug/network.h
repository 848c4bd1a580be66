/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What a network is, as networks.conf gives it: the types that the reading
 * of the file (netconfig.h) and the link kinds (link-kind.h) share, kept
 * apart so that neither header needs the other. Types only. */
#pragma once

#include <glib.h>

/* A kind of link (link-kind.h); a network's kind is that of its lower device. */
typedef struct SpLinkKind SpLinkKind;

typedef struct {
	char *name;              /* network name */
	const SpLinkKind *lower; /* VLAN or VXLAN; NULL when the group names neither */
	guint32 id;              /* VLAN id or VNI; 0 when it was not valid */
	GPtrArray *remotes;      /* char *, unicast VXLAN peers */
	char *group;             /* multicast VXLAN group, or NULL */
	char *vxlan_dev;         /* underlay device for VXLAN, or NULL */
	int dstport;             /* VXLAN UDP port */
	int mtu;                 /* 0: kernel default */
	char *bridge;            /* NULL only when lower is NULL */
	int line;
} SpNetwork;

typedef struct {
	char *bond;          /* NULL when there is no [uplink] */
	GPtrArray *slaves;   /* char * */
	int mode;            /* kernel bond mode number */
	GPtrArray *networks; /* SpNetwork *, file order */
} SpNetConfig;

typedef enum {
	SP_NAME_LOWER,  /* the network's VLAN or VXLAN device: "bond0.1034", "vxlan5001" */
	SP_NAME_BRIDGE, /* its bridge when the file names none: "br1034", "vx5001" */
} SpNameRole;
