/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The VLAN kind: a network on a VLAN of the uplink's bond (bond0.1034 under
 * br1034). Only what link-kind.h allows a kind: no sending, no printing. */
#include "config.h"

#include <arpa/inet.h>
#include <string.h>

#include <linux/if_link.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <netlink/route/link/vlan.h>

#include "link-kind.h"

static char *
vlan_dev_name(const SpNetwork *n, const char *bond, SpNameRole role)
{
	if (role == SP_NAME_BRIDGE)
		return g_strdup_printf("br%04u", n->id);
	return bond ? g_strdup_printf("%s.%u", bond, n->id) : NULL;
}

static void
vlan_desire(SpDevice *d, const SpNetConfig *cfg, const SpNetwork *n)
{
	d->vlan = (int) n->id;
	g_strlcpy(d->link, cfg->bond, sizeof(d->link));
}

static void
vlan_identity(const SpDevice *d, const SpLinkState *l, GPtrArray *why)
{
	if (l->vlan != d->vlan)
		g_ptr_array_add(why, g_strdup_printf("'%s' has VLAN id %d, not %d", d->name,
						     l->vlan, d->vlan));
	if (strcmp(l->link, d->link) != 0)
		g_ptr_array_add(why, g_strdup_printf("'%s' sits on '%s', not '%s'", d->name,
						     l->link, d->link));
	if (l->vlan_proto && l->vlan_proto != 0x8100)
		g_ptr_array_add(why, g_strdup_printf("'%s' has VLAN protocol 0x%04x, not 802.1Q",
						     d->name, (unsigned) l->vlan_proto));
}

static int
vlan_read(struct rtnl_link *l, SpLinkState *s)
{
	s->vlan = rtnl_link_vlan_get_id(l);
	s->vlan_proto = ntohs((uint16_t) rtnl_link_vlan_get_protocol(l));
	return rtnl_link_get_link(l);
}

static int
vlan_put(struct nl_msg *msg, const SpDevice *d, int lower)
{
	(void) lower; /* in IFLA_LINK */
	return nla_put_u16(msg, IFLA_VLAN_ID, (uint16_t) d->vlan) < 0 ? -NLE_NOMEM : 0;
}

const SpLinkKind sp_link_vlan = {
	.kind = SP_DEV_VLAN,
	.name = "vlan",
	.title = "VLAN",
	.id_key = "vlan",
	.id_meta = "ID",
	.id_title = "VLAN",
	.id_max = 4094,
	.needs_uplink = TRUE,
	.dev_name = vlan_dev_name,
	.desire = vlan_desire,
	.identity = vlan_identity,
	.read = vlan_read,
	.put = vlan_put,
	.lower_is_ifla_link = TRUE,
};
