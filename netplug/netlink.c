/* SPDX-License-Identifier: GPL-2.0-or-later */
/* netplug's rtnetlink I/O, first half: the socket with extended ACKs and
 * its errors, and the dump of the links (and of the VXLAN head-end peers);
 * the requests are netlink-ops.c's. What a kind reads is its own
 * (link-kind.h); nothing is decided or changed here. Never prints. */
#include "config.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <stdarg.h>
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

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* libnl hands errors to this with the kernel's message attached when the
 * socket asked for extended ACKs: keep the text, it says what was wrong
 * ("A VXLAN device with the specified VNI already exists"). */
static int
on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	SpNetlink *nl = arg;
	struct nlmsghdr *hdr = (struct nlmsghdr *) ((char *) e - NLMSG_HDRLEN);

	(void) nla;
	nl->ack_msg[0] = '\0';
	if (hdr->nlmsg_flags & NLM_F_ACK_TLVS) {
		size_t off = sizeof(*e);
		struct nlattr *a;
		int len, rem;

		if (!(hdr->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - NLMSG_HDRLEN;
		len = (int) hdr->nlmsg_len - NLMSG_HDRLEN - (int) off;
		nla_for_each_attr (a, (struct nlattr *) ((char *) e + off), len, rem) {
			if (nla_type(a) == NLMSGERR_ATTR_MSG)
				g_strlcpy(nl->ack_msg, nla_get_string(a), sizeof(nl->ack_msg));
		}
	}
	return -nl_syserr2nlerr(e->error);
}

SpNetlink *
sp_netlink_open(void)
{
	g_autofree SpNetlink *nl = g_new0(SpNetlink, 1);
	int one = 1, err;

	nl->sk = nl_socket_alloc();
	if (!nl->sk) {
		sp_error("cannot allocate a netlink socket");
		return NULL;
	}
	if ((err = nl_connect(nl->sk, NETLINK_ROUTE)) < 0) {
		sp_error("cannot open rtnetlink: %s", nl_geterror(err));
		nl_socket_free(nl->sk);
		return NULL;
	}
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	/* An ACK without a copy of the request, and one recvmsg per message
	 * instead of a peek to size it first: with a request and an ACK per
	 * link, these system calls are a third of what netplug costs. The
	 * kernel never puts more than 32 KiB in one dump message batch. */
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	nl_socket_disable_msg_peek(nl->sk);
	if ((err = nl_socket_set_msg_buf_size(nl->sk, 64 * 1024)) < 0) {
		sp_error("cannot size the netlink buffer: %s", nl_geterror(err));
		nl_socket_free(nl->sk);
		return NULL;
	}
	nl_socket_modify_err_cb(nl->sk, NL_CB_CUSTOM, on_error, nl);
	nl->ifindex = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	return g_steal_pointer(&nl);
}

void
sp_netlink_close(SpNetlink *nl)
{
	if (!nl)
		return;
	nl_socket_free(nl->sk);
	g_hash_table_unref(nl->ifindex);
	g_free(nl);
}

void
sp_netlink_fail(SpNetlink *nl, int err, const char *fmt, ...)
{
	g_autofree char *what = NULL;
	va_list ap;

	va_start(ap, fmt);
	what = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	if (nl->ack_msg[0])
		sp_error("%s: %s (%s)", what, nl->ack_msg, nl_geterror(err));
	else
		sp_error("%s: %s", what, nl_geterror(err));
	nl->ack_msg[0] = '\0';
}

static SpLinkState *
link_state_of(struct nl_cache *cache, struct rtnl_link *l)
{
	SpLinkState *s = g_new0(SpLinkState, 1);
	const char *type = rtnl_link_get_type(l);
	const char *alias = rtnl_link_get_ifalias(l);
	const SpLinkKind *kind = type ? sp_link_kind_by_name(type) : NULL;
	int master = rtnl_link_get_master(l), lower;

	g_strlcpy(s->name, rtnl_link_get_name(l), sizeof(s->name));
	g_strlcpy(s->kind, type ? type : "", sizeof(s->kind));
	g_strlcpy(s->alias, alias ? alias : "", sizeof(s->alias));
	if (master > 0)
		rtnl_link_i2name(cache, master, s->master, sizeof(s->master));
	s->ifindex = rtnl_link_get_ifindex(l);
	s->group = rtnl_link_get_group(l);
	s->up = (rtnl_link_get_flags(l) & IFF_UP) != 0;
	s->mtu = (int) rtnl_link_get_mtu(l);
	s->bond_mode = -1;
	lower = kind && kind->read ? kind->read(l, s) : rtnl_link_get_link(l);
	if (lower > 0)
		rtnl_link_i2name(cache, lower, s->link, sizeof(s->link));
	return s;
}

/* One all-zero FDB entry of a VXLAN device: a head-end peer. */
static int
on_fdb_entry(struct nl_msg *msg, void *arg)
{
	static const unsigned char zero_mac[6];
	GHashTable *by_index = arg;
	struct nlmsghdr *hdr = nlmsg_hdr(msg);
	struct nlattr *tb[NDA_MAX + 1];
	struct ndmsg *ndm;
	SpLinkState *s;
	char ip[INET6_ADDRSTRLEN];
	int alen;

	if (hdr->nlmsg_type != RTM_NEWNEIGH ||
	    nlmsg_parse(hdr, sizeof(*ndm), tb, NDA_MAX, NULL) < 0)
		return NL_OK;
	ndm = nlmsg_data(hdr);
	s = g_hash_table_lookup(by_index, GINT_TO_POINTER(ndm->ndm_ifindex));
	if (!s || !s->peers || !tb[NDA_LLADDR] || !tb[NDA_DST] ||
	    nla_len(tb[NDA_LLADDR]) != sizeof(zero_mac) ||
	    memcmp(nla_data(tb[NDA_LLADDR]), zero_mac, sizeof(zero_mac)) != 0)
		return NL_OK;
	alen = nla_len(tb[NDA_DST]);
	if ((alen == 4 || alen == 16) &&
	    inet_ntop(alen == 4 ? AF_INET : AF_INET6, nla_data(tb[NDA_DST]), ip, sizeof(ip)))
		g_ptr_array_add(s->peers, g_strdup(ip));
	return NL_OK;
}

/* The head-end peers of every link a kind gave a peer list (VXLAN): one
 * RTM_GETNEIGH dump of the AF_BRIDGE table (libnl's neighbour cache drops
 * entries whose destination is an IP address). */
static int
read_peers(SpNetlink *nl, GHashTable *links)
{
	g_autoptr(GHashTable) by_index = g_hash_table_new(NULL, NULL);
	struct ndmsg ndm = {.ndm_family = AF_BRIDGE};
	struct nl_cb *cb, *base;
	GHashTableIter it;
	gpointer value;
	int err;

	g_hash_table_iter_init(&it, links);
	while (g_hash_table_iter_next(&it, NULL, &value)) {
		SpLinkState *s = value;

		if (s->peers)
			g_hash_table_insert(by_index, GINT_TO_POINTER(s->ifindex), s);
	}
	/* Most hosts have no VXLAN: no dump, no cost. */
	if (g_hash_table_size(by_index) == 0)
		return 0;
	if ((err = nl_send_simple(nl->sk, RTM_GETNEIGH, NLM_F_DUMP, &ndm, sizeof(ndm))) < 0) {
		sp_netlink_fail(nl, err, "cannot read the forwarding table of the VXLAN devices");
		return -1;
	}
	/* A copy of the socket's callbacks (extended-ACK text included), with
	 * ours for the entries. */
	base = nl_socket_get_cb(nl->sk);
	cb = nl_cb_clone(base);
	nl_cb_put(base);
	if (!cb) {
		sp_error("out of memory");
		return -1;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_fdb_entry, by_index);
	err = nl_recvmsgs(nl->sk, cb);
	nl_cb_put(cb);
	if (err < 0) {
		sp_netlink_fail(nl, err, "cannot read the forwarding table of the VXLAN devices");
		return -1;
	}
	return 0;
}

GHashTable *
sp_netlink_read(SpNetlink *nl)
{
	struct nl_cache *cache = NULL;
	g_autoptr(GHashTable) links = NULL;
	int err = rtnl_link_alloc_cache(nl->sk, AF_UNSPEC, &cache);

	if (err < 0) {
		sp_error("cannot read the links: %s", nl_geterror(err));
		return NULL;
	}
	links = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
				      (GDestroyNotify) sp_link_state_free);
	for (struct nl_object *o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o)) {
		SpLinkState *s = link_state_of(cache, (struct rtnl_link *) o);

		g_hash_table_insert(links, s->name, s);
		g_hash_table_insert(nl->ifindex, g_strdup(s->name), GINT_TO_POINTER(s->ifindex));
	}
	nl_cache_free(cache);
	if (read_peers(nl, links) < 0)
		return NULL;
	return g_steal_pointer(&links);
}
