/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The VXLAN kind: a network on a VXLAN segment (vxlan5001 under vx5001) to
 * unicast remotes, each an all-zero forwarding entry (head-end replication),
 * or to a multicast group over an underlay device (addresses: lib/sp-inet).
 * Only what link-kind.h allows a kind: no sending, no printing. */
#include "config.h"

#include <arpa/inet.h>
#include <string.h>

#include <linux/if_link.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <netlink/route/link/vxlan.h>

#include "confkey.h"
#include "link-kind.h"
#include "sp-error.h"
#include "sp-inet.h"

static void
vxlan_parse(SpNetwork *n, const SpConfig *c, const char *group, SpDiag *diag)
{
	g_autoptr(GArray) remotes = sp_confkey_list(c, diag, group, "remote");
	const char *mgroup = sp_config_get(c, group, "group");
	const char *dev = sp_config_get(c, group, "dev");
	SpCidr ip;
	long v;

	n->dstport = 4789; /* IANA's */
	if (sp_confkey_int(c, diag, group, "dstport", 1, 65535, &v))
		n->dstport = (int) v;
	for (guint i = 0; remotes && i < remotes->len; i++) {
		const SpListItem *it = &g_array_index(remotes, SpListItem, i);

		if (sp_inet_parse(it->text, &ip) < 0 || sp_inet_is_multicast(&ip))
			sp_config_diag_item(c, diag, group, "remote", it,
					    "'%s' is not a unicast IP address", it->text);
		else
			g_ptr_array_add(n->remotes, g_strdup(it->text));
		sp_error_clear();
	}
	if (mgroup) {
		if (sp_inet_parse(mgroup, &ip) < 0 || !sp_inet_is_multicast(&ip))
			sp_config_diag(c, diag, group, "group", "'%s' is not a multicast address",
				       mgroup);
		sp_error_clear();
		if (remotes)
			sp_config_diag(
				c, diag, group, "group",
				"give either remote (unicast peers) or group (multicast), not both");
		n->group = g_strdup(mgroup);
	}
	if (n->id && !remotes && !mgroup)
		sp_config_diag(c, diag, group, NULL,
			       "a VXLAN network needs 'remote = ...' or 'group = ...'");
	if (n->group && !dev && n->id)
		sp_config_diag(c, diag, group, "group", "a multicast VXLAN needs 'dev = UNDERLAY'");
	if (dev) {
		sp_confkey_ifname(c, diag, group, "dev", NULL, dev);
		n->vxlan_dev = g_strdup(dev);
	}
}

static char *
vxlan_dev_name(const SpNetwork *n, const char *bond, SpNameRole role)
{
	(void) bond;
	return g_strdup_printf(role == SP_NAME_BRIDGE ? "vx%u" : "vxlan%u", n->id);
}

static void
vxlan_desire(SpDevice *d, const SpNetConfig *cfg, const SpNetwork *n)
{
	(void) cfg;
	d->vni = n->id;
	d->dstport = n->dstport;
	g_strlcpy(d->remote, n->group ? n->group : g_ptr_array_index(n->remotes, 0),
		  sizeof(d->remote));
	if (n->vxlan_dev)
		g_strlcpy(d->link, n->vxlan_dev, sizeof(d->link));
}

/* Every remote (the kernel keeps the first as an all-zero FDB entry too) or
 * the group. */
static GPtrArray *
vxlan_peers(const SpDevice *d)
{
	GPtrArray *want = g_ptr_array_new();

	if (d->net->group)
		g_ptr_array_add(want, d->net->group);
	for (guint i = 0; !d->net->group && i < d->net->remotes->len; i++)
		g_ptr_array_add(want, g_ptr_array_index(d->net->remotes, i));
	return want;
}

/* The kernel's remote is one of the configured remotes (reordering them
 * changes nothing on the wire: every remote is a head-end peer), or the
 * group itself. */
static gboolean
remote_ok(const SpDevice *d, const SpLinkState *l)
{
	if (d->net && !d->net->group) {
		for (guint i = 0; i < d->net->remotes->len; i++) {
			if (sp_inet_same(g_ptr_array_index(d->net->remotes, i), l->remote))
				return TRUE;
		}
		return FALSE;
	}
	return sp_inet_same(l->remote, d->remote);
}

static void
vxlan_identity(const SpDevice *d, const SpLinkState *l, GPtrArray *why)
{
	if (l->vni != d->vni)
		g_ptr_array_add(why, g_strdup_printf("'%s' has VNI %u, not %u", d->name, l->vni,
						     d->vni));
	if (!remote_ok(d, l))
		g_ptr_array_add(why, g_strdup_printf("'%s' sends to '%s', not '%s'", d->name,
						     l->remote, d->remote));
	if (l->dstport != d->dstport)
		g_ptr_array_add(why, g_strdup_printf("'%s' uses UDP port %d, not %d", d->name,
						     l->dstport, d->dstport));
	if (strcmp(l->link, d->link) != 0)
		g_ptr_array_add(why, g_strdup_printf("'%s' has underlay '%s', not '%s'", d->name,
						     l->link, d->link));
}

static int
vxlan_read(struct rtnl_link *l, SpLinkState *s)
{
	struct nl_addr *a = NULL;
	uint32_t port = 0, lower = 0;

	rtnl_link_vxlan_get_id(l, &s->vni);
	if (rtnl_link_vxlan_get_port(l, &port) == 0)
		s->dstport = (int) port;
	if (rtnl_link_vxlan_get_group(l, &a) == 0) {
		inet_ntop(nl_addr_get_family(a), nl_addr_get_binary_addr(a), s->remote,
			  sizeof(s->remote));
		nl_addr_put(a);
	}
	/* Empty, not NULL: netlink.c reads the forwarding table into it. */
	s->peers = g_ptr_array_new_with_free_func(g_free);
	rtnl_link_vxlan_get_link(l, &lower);
	return (int) lower;
}

/* A unicast "group" is the remote: the kernel takes either in the same
 * attribute. */
static int
vxlan_put(struct nl_msg *msg, const SpDevice *d, int lower)
{
	SpCidr ip = {0};

	if (sp_inet_parse(d->remote, &ip) < 0)
		sp_error_clear(); /* checked when read: never here */
	if (nla_put_u32(msg, IFLA_VXLAN_ID, d->vni) < 0 ||
	    nla_put_u16(msg, IFLA_VXLAN_PORT, htons((uint16_t) d->dstport)) < 0 ||
	    (ip.family == AF_INET && nla_put(msg, IFLA_VXLAN_GROUP, 4, ip.bytes) < 0) ||
	    (ip.family == AF_INET6 && nla_put(msg, IFLA_VXLAN_GROUP6, 16, ip.bytes) < 0) ||
	    (lower > 0 && nla_put_u32(msg, IFLA_VXLAN_LINK, (uint32_t) lower) < 0))
		return -NLE_NOMEM;
	return 0;
}

static const char *const vxlan_keys[] = {"remote", "group", "dev", "dstport", NULL};

const SpLinkKind sp_link_vxlan = {
	.kind = SP_DEV_VXLAN,
	.name = "vxlan",
	.title = "VXLAN",
	.id_key = "vxlan",
	.id_meta = "VNI",
	.id_title = "VNI",
	.id_max = 16777215,
	.keys = vxlan_keys,
	.parse = vxlan_parse,
	.dev_name = vxlan_dev_name,
	.desire = vxlan_desire,
	.peers = vxlan_peers,
	.identity = vxlan_identity,
	.read = vxlan_read,
	.put = vxlan_put,
};
