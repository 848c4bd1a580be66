/* netplug's rtnetlink I/O: the socket with extended ACKs, the dump of the
 * links (and of the VXLAN head-end peers), and one function per request.
 * What a kind reads or puts is its own (link-kind.h); what to do, in which
 * order and how to undo it is not decided here. Never prints. */
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

#include "netlink.h"
#include "sp-error.h"
#include "sp-inet.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct SpNetlink {
	struct nl_sock *sk;
	char ack_msg[256]; /* the kernel's extended-ACK text of the last error */
	/* name -> ifindex of the links this socket has seen (the dump, the links
	 * it created): a lookup is a round trip, a fifth of what a new VXLAN
	 * network costs. A stale entry only makes a request fail. */
	GHashTable *ifindex;
};

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

static void set_nl_error(SpNetlink *nl, int err, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

/* "cannot create 'vxlan5001': <kernel's words> (<libnl's>)"; -1. */
static void
set_nl_error(SpNetlink *nl, int err, const char *fmt, ...)
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
		set_nl_error(nl, err, "cannot read the forwarding table of the VXLAN devices");
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
		set_nl_error(nl, err, "cannot read the forwarding table of the VXLAN devices");
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
		set_nl_error(nl, err, "cannot create '%s'", d->name);
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
		set_nl_error(nl, err, "cannot mark '%s'", name);
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
		set_nl_error(nl, err, "cannot %s '%s'", what, name);
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
		set_nl_error(nl, err, "cannot enslave '%s'", name);
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
		set_nl_error(nl, err, "cannot remove '%s'", name);
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
			set_nl_error(nl, err, "cannot add VXLAN peer '%s' to '%s'", remote, dev);
		else
			set_nl_error(nl, err, "cannot remove VXLAN peer '%s' from '%s'", remote,
				     dev);
		return -1;
	}
	return 0;
}
