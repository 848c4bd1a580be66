/* SPDX-License-Identifier: GPL-2.0-or-later */
/* netplug: the networks of /etc/sparrow/networks.conf as kernel links.
 *
 *   VLAN network:   [uplink] bond (slaves)  ->  bond.VLAN  ->  bridge (br%04d)
 *   VXLAN network:  vxlanVNI (remotes or a multicast group)  ->  bridge (vx%d)
 *
 * Everything netplug creates carries the alias "sparrow:netplug:NETWORK" (the
 * uplink: "sparrow:netplug:uplink"); a device it did not create is never
 * changed or removed unless the admin asks it to adopt it. */
#pragma once

#include <glib.h>

#include "sp-diag.h"

typedef enum { SP_DEV_BOND, SP_DEV_VLAN, SP_DEV_VXLAN, SP_DEV_BRIDGE } SpDevKind;

typedef struct {
	char *name;         /* network name */
	int vlan;           /* 0 when a VXLAN network */
	guint32 vni;        /* 0 when a VLAN network */
	GPtrArray *remotes; /* char *, unicast VXLAN peers */
	char *group;        /* multicast VXLAN group, or NULL */
	char *vxlan_dev;    /* underlay device for VXLAN, or NULL */
	int dstport;        /* VXLAN UDP port */
	int mtu;            /* 0: kernel default */
	char *bridge;
	int line;
} SpNetwork;

typedef struct {
	char *bond;          /* NULL when there is no [uplink] */
	GPtrArray *slaves;   /* char * */
	int mode;            /* kernel bond mode number */
	GPtrArray *networks; /* SpNetwork *, file order */
} SpNetConfig;

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

typedef enum {
	SP_STEP_OK, /* as desired */
	SP_STEP_CREATE,
	SP_STEP_FIX,      /* ours, but drifted: set master / up / mtu */
	SP_STEP_CONFLICT, /* exists and is not ours, or cannot be fixed in place */
	SP_STEP_WARN,     /* a conflict tolerated (ensure: a bond slave); skipped */
} SpStepKind;

typedef struct {
	SpStepKind kind;
	SpDevice dev;
	char *why; /* for FIX, CONFLICT and WARN: what differs */
	/* FIX only: */
	gboolean fix_link;    /* master, up, MTU or marks differ */
	GPtrArray *peers_add; /* VXLAN head-end peers to append, char * */
	GPtrArray *peers_del; /* stray peers on our VXLAN device to remove */
	/* The link as it was (peers not copied), to put back if the run fails. */
	char was_alias[256];
	char was_master[16];
	int was_ifindex;
	guint32 was_group;
	int was_mtu;
	gboolean was_up;
} SpStep;

SpNetConfig *sp_netconfig_parse(const char *path, const char *text, SpDiag *diag)
	G_GNUC_WARN_UNUSED_RESULT;
SpNetConfig *sp_netconfig_load(const char *path, SpDiag *diag) G_GNUC_WARN_UNUSED_RESULT;
void sp_netconfig_free(SpNetConfig *cfg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SpNetConfig, sp_netconfig_free)

/* 0, or -1 with the error set when a name is not a network of cfg. */
int sp_netconfig_check_names(const SpNetConfig *cfg, const char *const *names)
	G_GNUC_WARN_UNUSED_RESULT;
/* The network whose bridge is named bridge, or NULL. */
const SpNetwork *sp_netconfig_find_bridge(const SpNetConfig *cfg, const char *bridge);

/* The devices of the named networks (all when names is NULL or empty), in
 * creation order: uplink, then per network lower to upper. NULL with the
 * error set for an unknown network name. */
GArray *sp_netplug_desired(const SpNetConfig *cfg, const char *const *names)
	G_GNUC_WARN_UNUSED_RESULT;
const char *sp_netplug_kind_name(SpDevKind kind);
