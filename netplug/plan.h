/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the kernel has, and the steps from there to what the config wants.
 * The plan is a pure function of both, so it is unit-tested without a kernel. */
#pragma once

#include <glib.h>

#include "netplug.h"

/* netplug's links carry this device group from the moment they are created
 * (IFLA_GROUP is applied atomically with RTM_NEWLINK, unlike the alias), so
 * a run killed between "create" and "set alias" leaves a link that the next
 * run still recognises as its own. */
#define SP_NETPLUG_GROUP 0x5a11

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

/* links: name -> SpLinkState *. adopt: take over links of the right kind
 * that are not marked as ours. */
GPtrArray *sp_netplug_plan(GArray *desired, GHashTable *links, gboolean adopt);
/* For the qemu hook, which must not fail a VM start needlessly: a bond slave
 * that is missing or in use elsewhere becomes a WARN step (skipped) when the
 * bond already exists or has another slave it can use. */
void sp_netplug_plan_tolerate_slaves(GPtrArray *steps);
/* The links `down` removes, in order (names, owned by links), or NULL with the
 * error set: an unknown network, or (unless force) a bridge that would lose
 * a VM's tap or a bond that carries devices of other networks or not ours. */
GPtrArray *sp_netplug_plan_down(const SpNetConfig *cfg, const char *const *names, GHashTable *links,
				gboolean force) G_GNUC_WARN_UNUSED_RESULT;
void sp_step_free(SpStep *step);
const char *sp_step_kind_name(SpStepKind kind);
/* status words: ok, missing, drift, conflict (warn for a tolerated slave). */
const char *sp_step_state_name(SpStepKind kind);
gboolean sp_link_is_ours(const SpLinkState *l);
