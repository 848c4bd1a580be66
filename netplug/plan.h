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
	char kind[16];		/* rtnl link type: "bridge", "vlan", "vxlan", "bond", "" */
	char alias[64];
	char master[16];	/* "" when none */
	guint32 group;
	gboolean up;
	int mtu;
	int vlan;
	guint32 vni;
	int bond_mode;		/* -1 when unknown */
} SpLinkState;

/* links: name -> SpLinkState *. adopt: take over links of the right kind
 * that are not marked as ours. */
GPtrArray *sp_netplug_plan(GArray *desired, GHashTable *links, gboolean adopt);
void sp_step_free(SpStep *step);
const char *sp_step_kind_name(SpStepKind kind);
gboolean sp_link_is_ours(const SpLinkState *l);
