/* SPDX-License-Identifier: GPL-2.0-or-later */
/* netplug's rtnetlink I/O, second half: one function per request (a new
 * link, its alias, a change, enslaving, removal, a VXLAN peer), each one
 * request and its ACK. What a kind puts in a new link is its own
 * (link-kind.h); what to do, in which order and how to undo it is not
 * decided here (execute.c). Never prints. */
#include "config.h"

#include <net/if.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/if_link.h>
#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <netlink/route/neighbour.h>

#include "netlink-sock.h"
#include "netlink.h"
#include "sp-error.h"
#include "sp-inet.h"

int
sp_netlink_ifindex(SpNetlink *nl, const char *name)
{
	struct rtnl_link *l = NULL;
	gpointer known;
	int idx;

	if (!name[0])
		return 0;
	if (g_hash_table_lookup_extended(nl->ifindex, name, NULL, &known))
		return GPOINTER_TO_INT(known);
	if (rtnl_link_get_kernel(nl->sk, 0, name, &l) < 0)
		return 0;
	idx = rtnl_link_get_ifindex(l);
	rtnl_link_put(l);
	g_hash_table_insert(nl->ifindex, g_strdup(name), GINT_TO_POINTER(idx));
	return idx;
}

/* The request for a new link, in the manner of iproute2's: the common part
 * here, the kind's IFLA_INFO_DATA from its table (a bond's mode must be in
 * this request: it cannot change once slaves are attached). */
static int
build_create(struct nl_msg *msg, const SpDevice *d, int master, int lower)
{
	const SpLinkKind *kind = sp_link_kind(d->kind);
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC, .ifi_flags = IFF_UP, .ifi_change = IFF_UP};
	struct nlattr *info, *data;
	int err;

	if (nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0 ||
	    nla_put_string(msg, IFLA_IFNAME, d->name) < 0 ||
	    nla_put_u32(msg, IFLA_GROUP, SP_NETPLUG_GROUP) < 0 ||
	    (d->mtu && nla_put_u32(msg, IFLA_MTU, (uint32_t) d->mtu) < 0) ||
	    (master > 0 && nla_put_u32(msg, IFLA_MASTER, (uint32_t) master) < 0) ||
	    (kind->lower_is_ifla_link && nla_put_u32(msg, IFLA_LINK, (uint32_t) lower) < 0) ||
	    !(info = nla_nest_start(msg, IFLA_LINKINFO)) ||
	    nla_put_string(msg, IFLA_INFO_KIND, kind->name) < 0)
		return -NLE_NOMEM;
	if (kind->put) {
		if (!(data = nla_nest_start(msg, IFLA_INFO_DATA)))
			return -NLE_NOMEM;
		if ((err = kind->put(msg, d, lower)) < 0)
			return err;
		nla_nest_end(msg, data);
	}
	nla_nest_end(msg, info);
	return 0;
}

typedef struct {
	int ifindex; /* of the echoed link, 0 until seen */
	gboolean acked;
} Echo;

static int
on_echo(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *hdr = nlmsg_hdr(msg);
	Echo *echo = arg;

	if (hdr->nlmsg_type == RTM_NEWLINK && !echo->ifindex &&
	    nlmsg_datalen(hdr) >= (int) sizeof(struct ifinfomsg))
		echo->ifindex = ((struct ifinfomsg *) nlmsg_data(hdr))->ifi_index;
	return NL_OK;
}

static int
on_ack(struct nl_msg *msg, void *arg)
{
	Echo *echo = arg;

	(void) msg;
	echo->acked = TRUE;
	return NL_STOP;
}

/* Send a creation asking the kernel to echo the new link (kernels from 6.3
 * do; older ones only ACK), and read up to the ACK, as nl_send_sync() does
 * without an echo: *ifindex is the new link's index, or 0. */
static int
send_create(SpNetlink *nl, struct nl_msg *msg, int *ifindex)
{
	Echo echo = {0};
	struct nl_cb *cb, *base;
	int err = nl_send_auto(nl->sk, msg);

	nlmsg_free(msg);
	if (err < 0)
		return err;
	base = nl_socket_get_cb(nl->sk);
	cb = nl_cb_clone(base);
	nl_cb_put(base);
	if (!cb)
		return -NLE_NOMEM;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_echo, &echo);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, &echo);
	/* One call reads one datagram: the echo comes in its own, before the
	 * ACK. */
	do
		err = nl_recvmsgs(nl->sk, cb);
	while (err >= 0 && !echo.acked);
	nl_cb_put(cb);
	*ifindex = echo.ifindex;
	return err < 0 ? err : 0;
}

int
sp_netlink_create(SpNetlink *nl, const SpDevice *d)
{
	struct nl_msg *msg =
		nlmsg_alloc_simple(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ECHO);
	int master = sp_netlink_ifindex(nl, d->master);
	int lower = sp_netlink_ifindex(nl, d->link);
	int err, ifindex = 0;

	if (!msg || (err = build_create(msg, d, master, lower)) < 0) {
		nlmsg_free(msg);
		sp_error("out of memory");
		return -1;
	}
	if ((err = send_create(nl, msg, &ifindex)) < 0) {
		sp_netlink_fail(nl, err, "cannot create '%s'", d->name);
		return -1;
	}
	if (ifindex > 0)
		g_hash_table_insert(nl->ifindex, g_strdup(d->name), GINT_TO_POINTER(ifindex));
	else
		g_hash_table_remove(nl->ifindex, d->name);
	return 0;
}

int
sp_netlink_set_alias(SpNetlink *nl, const char *name, const char *alias)
{
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC};
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_NEWLINK, 0);
	int err;

	if (!msg || nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0 ||
	    nla_put_string(msg, IFLA_IFNAME, name) < 0 ||
	    nla_put_string(msg, IFLA_IFALIAS, alias) < 0) {
		nlmsg_free(msg);
		sp_error("out of memory");
		return -1;
	}
	if ((err = nl_send_sync(nl->sk, msg)) < 0) {
		sp_netlink_fail(nl, err, "cannot mark '%s'", name);
		return -1;
	}
	return 0;
}

/* A change request for a link we know: by index, as libnl's change wants. */
static int
send_change(SpNetlink *nl, const char *name, int ifindex, struct rtnl_link *chg, const char *what)
{
	struct rtnl_link *orig = rtnl_link_alloc();
	int err;

	rtnl_link_set_name(orig, name);
	rtnl_link_set_ifindex(orig, ifindex);
	err = rtnl_link_change(nl->sk, orig, chg, 0);
	rtnl_link_put(orig);
	rtnl_link_put(chg);
	if (err < 0) {
		sp_netlink_fail(nl, err, "cannot %s '%s'", what, name);
		return -1;
	}
	return 0;
}

int
sp_netlink_change(SpNetlink *nl, const char *name, int ifindex, const SpLinkChange *c,
		  const char *what)
{
	struct rtnl_link *chg = rtnl_link_alloc();

	if (c->up)
		rtnl_link_set_flags(chg, IFF_UP);
	else
		rtnl_link_unset_flags(chg, IFF_UP);
	if (c->alias)
		rtnl_link_set_ifalias(chg, c->alias);
	if (c->set_group)
		rtnl_link_set_group(chg, c->group);
	if (c->master >= 0)
		rtnl_link_set_master(chg, c->master);
	if (c->mtu)
		rtnl_link_set_mtu(chg, (unsigned) c->mtu);
	return send_change(nl, name, ifindex, chg, what);
}

int
sp_netlink_set_up(SpNetlink *nl, const char *name, int ifindex, gboolean up)
{
	SpLinkChange c = {.up = up, .master = -1};

	return sp_netlink_change(nl, name, ifindex, &c, up ? "set up" : "set down");
}

int
sp_netlink_enslave(SpNetlink *nl, const char *name, int ifindex, int master)
{
	int err = rtnl_link_enslave_ifindex(nl->sk, master, ifindex);

	if (err < 0) {
		sp_netlink_fail(nl, err, "cannot enslave '%s'", name);
		return -1;
	}
	return 0;
}

int
sp_netlink_delete(SpNetlink *nl, const char *name)
{
	struct rtnl_link *l = rtnl_link_alloc();
	int err;

	rtnl_link_set_name(l, name);
	err = rtnl_link_delete(nl->sk, l);
	rtnl_link_put(l);
	g_hash_table_remove(nl->ifindex, name);
	if (err < 0) {
		sp_netlink_fail(nl, err, "cannot remove '%s'", name);
		return -1;
	}
	return 0;
}

/* Built by hand: libnl's neighbour object rejects an AF_BRIDGE entry with an
 * IP destination. */
int
sp_netlink_peer(SpNetlink *nl, const char *dev, int ifindex, const char *remote, gboolean add)
{
	static const unsigned char zero_mac[6];
	struct ndmsg ndm = {.ndm_family = AF_BRIDGE,
			    .ndm_ifindex = ifindex,
			    .ndm_state = NUD_NOARP | NUD_PERMANENT,
			    .ndm_flags = NTF_SELF};
	SpCidr ip;
	struct nl_msg *msg;
	int err;

	if (sp_inet_parse(remote, &ip) < 0)
		return -1;
	msg = add ? nlmsg_alloc_simple(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_APPEND)
		  : nlmsg_alloc_simple(RTM_DELNEIGH, 0);
	if (!msg || nlmsg_append(msg, &ndm, sizeof(ndm), NLMSG_ALIGNTO) < 0 ||
	    nla_put(msg, NDA_LLADDR, sizeof(zero_mac), zero_mac) < 0 ||
	    nla_put(msg, NDA_DST, ip.family == AF_INET ? 4 : 16, ip.bytes) < 0) {
		nlmsg_free(msg);
		sp_error("out of memory");
		return -1;
	}
	if ((err = nl_send_sync(nl->sk, msg)) < 0) {
		if (add)
			sp_netlink_fail(nl, err, "cannot add VXLAN peer '%s' to '%s'", remote, dev);
		else
			sp_netlink_fail(nl, err, "cannot remove VXLAN peer '%s' from '%s'", remote,
					dev);
		return -1;
	}
	return 0;
}
