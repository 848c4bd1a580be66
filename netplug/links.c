#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/if_link.h>
#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <netlink/route/link/vlan.h>
#include <netlink/route/link/vxlan.h>
#include <netlink/route/neighbour.h>

#include "links.h"
#include "sp-error.h"
#include "sp-log.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct SpNetlink {
	struct nl_sock *sk;
	char ack_msg[256]; /* the kernel's extended-ACK text of the last error */
};

/* libnl hands errors to this with the kernel's message attached when the
 * socket asked for extended ACKs: keep the text, it says what was wrong
 * ("A VXLAN device with the specified VNI already exists"). */
static int
on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	SpNetlink *nl = arg;
	struct nlmsghdr *hdr = (struct nlmsghdr *) ((char *) e - NLMSG_HDRLEN);

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
	return g_steal_pointer(&nl);
}

void
sp_netlink_close(SpNetlink *nl)
{
	if (!nl)
		return;
	nl_socket_free(nl->sk);
	g_free(nl);
}

/* "cannot create vxlan5001: <kernel's words or libnl's>". */
static void
set_nl_error(SpNetlink *nl, int err, const char *what, const char *name)
{
	if (nl->ack_msg[0])
		sp_error("cannot %s %s: %s (%s)", what, name, nl->ack_msg, nl_geterror(err));
	else
		sp_error("cannot %s %s: %s", what, name, nl_geterror(err));
	nl->ack_msg[0] = '\0';
}

static int
bond_mode_of(const char *name)
{
	g_autofree char *path = g_strdup_printf("/sys/class/net/%s/bonding/mode", name);
	g_autofree char *text = NULL;
	const char *sp;

	if (!g_file_get_contents(path, &text, NULL, NULL))
		return -1;
	sp = strchr(text, ' ');
	return sp ? atoi(sp + 1) : -1;
}

/* The lower device: a VLAN's (IFLA_LINK), a VXLAN's underlay (its own
 * attribute); "" when none. */
static void
read_lower(struct nl_cache *cache, struct rtnl_link *l, SpLinkState *s)
{
	uint32_t idx = 0;

	if (strcmp(s->kind, "vxlan") == 0)
		rtnl_link_vxlan_get_link(l, &idx);
	else
		idx = (uint32_t) rtnl_link_get_link(l);
	if (idx > 0)
		rtnl_link_i2name(cache, (int) idx, s->link, sizeof(s->link));
}

static void
read_vxlan(struct rtnl_link *l, SpLinkState *s)
{
	struct nl_addr *a = NULL;
	uint32_t port = 0;

	rtnl_link_vxlan_get_id(l, &s->vni);
	if (rtnl_link_vxlan_get_port(l, &port) == 0)
		s->dstport = (int) port;
	if (rtnl_link_vxlan_get_group(l, &a) == 0) {
		inet_ntop(nl_addr_get_family(a), nl_addr_get_binary_addr(a), s->remote,
			  sizeof(s->remote));
		nl_addr_put(a);
	}
	s->peers = g_ptr_array_new_with_free_func(g_free);
}

static SpLinkState *
link_state_of(struct nl_cache *cache, struct rtnl_link *l)
{
	SpLinkState *s = g_new0(SpLinkState, 1);
	const char *type = rtnl_link_get_type(l);
	const char *alias = rtnl_link_get_ifalias(l);
	int master = rtnl_link_get_master(l);

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
	read_lower(cache, l, s);
	if (strcmp(s->kind, "vlan") == 0) {
		s->vlan = rtnl_link_vlan_get_id(l);
		s->vlan_proto = ntohs((uint16_t) rtnl_link_vlan_get_protocol(l));
	} else if (strcmp(s->kind, "vxlan") == 0) {
		read_vxlan(l, s);
	} else if (strcmp(s->kind, "bond") == 0) {
		s->bond_mode = bond_mode_of(s->name);
	}
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

/* The head-end peers of every VXLAN device: one RTM_GETNEIGH dump of the
 * AF_BRIDGE table (libnl's neighbour cache drops entries whose destination
 * is an IP address). */
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
		set_nl_error(nl, err, "read the forwarding table of", "the VXLAN devices");
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
		set_nl_error(nl, err, "read the forwarding table of", "the VXLAN devices");
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
	}
	nl_cache_free(cache);
	if (read_peers(nl, links) < 0)
		return NULL;
	return g_steal_pointer(&links);
}

static int
ifindex_of(SpNetlink *nl, const char *name)
{
	struct rtnl_link *l = NULL;
	int idx;

	if (!name[0] || rtnl_link_get_kernel(nl->sk, 0, name, &l) < 0)
		return 0;
	idx = rtnl_link_get_ifindex(l);
	rtnl_link_put(l);
	return idx;
}

/* A bond with its mode set in the same RTM_NEWLINK (libnl has no setter for
 * IFLA_BOND_MODE, and the mode cannot change once slaves are attached). */
static int
create_bond(SpNetlink *nl, const SpDevice *d)
{
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC, .ifi_flags = IFF_UP, .ifi_change = IFF_UP};
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	struct nlattr *info, *data;
	int err;

	if (!msg)
		return -NLE_NOMEM;
	if (nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0 ||
	    nla_put_string(msg, IFLA_IFNAME, d->name) < 0 ||
	    nla_put_u32(msg, IFLA_GROUP, SP_NETPLUG_GROUP) < 0 ||
	    !(info = nla_nest_start(msg, IFLA_LINKINFO)) ||
	    nla_put_string(msg, IFLA_INFO_KIND, "bond") < 0 ||
	    !(data = nla_nest_start(msg, IFLA_INFO_DATA)) ||
	    nla_put_u8(msg, IFLA_BOND_MODE, (uint8_t) d->mode) < 0 ||
	    nla_put_u32(msg, IFLA_BOND_MIIMON, 100) < 0) {
		nlmsg_free(msg);
		return -NLE_NOMEM;
	}
	nla_nest_end(msg, data);
	nla_nest_end(msg, info);
	err = nl_send_sync(nl->sk, msg);
	return err;
}

/* A head-end peer of a VXLAN device: an all-zero FDB entry (the kernel's
 * head-end replication, as "bridge fdb append" and "bridge fdb del" do).
 * Built by hand: libnl's neighbour object rejects an AF_BRIDGE entry with an
 * IP destination. */
static int
peer_change(SpNetlink *nl, const char *dev, int ifindex, const char *remote, gboolean add)
{
	static const unsigned char zero_mac[6];
	struct ndmsg ndm = {.ndm_family = AF_BRIDGE,
			    .ndm_ifindex = ifindex,
			    .ndm_state = NUD_NOARP | NUD_PERMANENT,
			    .ndm_flags = NTF_SELF};
	unsigned char ip[16];
	int alen = inet_pton(AF_INET, remote, ip) == 1 ? 4 : 16;
	struct nl_msg *msg = add ? nlmsg_alloc_simple(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_APPEND)
				 : nlmsg_alloc_simple(RTM_DELNEIGH, 0);
	int err;

	if (alen == 16)
		inet_pton(AF_INET6, remote, ip);
	if (!msg || nlmsg_append(msg, &ndm, sizeof(ndm), NLMSG_ALIGNTO) < 0 ||
	    nla_put(msg, NDA_LLADDR, sizeof(zero_mac), zero_mac) < 0 ||
	    nla_put(msg, NDA_DST, alen, ip) < 0) {
		nlmsg_free(msg);
		sp_error("out of memory");
		return -1;
	}
	err = nl_send_sync(nl->sk, msg);
	if (err < 0) {
		g_autofree char *what =
			g_strdup_printf("%s VXLAN peer %s %s", add ? "add" : "remove", remote,
					add ? "to" : "from");

		set_nl_error(nl, err, what, dev);
		return -1;
	}
	return 0;
}

/* The remotes after the first of a VXLAN just created (the kernel made the
 * first one's entry itself). */
static int
add_vxlan_peers(SpNetlink *nl, const SpDevice *d)
{
	const SpNetwork *n = d->net;
	/* Looked up only when there are extra peers: most VXLAN networks have
	 * one remote or a group, and a lookup per link costs a round trip. */
	int ifindex = n->remotes->len > 1 ? ifindex_of(nl, d->name) : 0;

	for (guint i = 1; i < n->remotes->len; i++) {
		if (peer_change(nl, d->name, ifindex, g_ptr_array_index(n->remotes, i), TRUE) < 0)
			return -1;
	}
	return 0;
}

/* The alias, by name: a link can be named in RTM_NEWLINK instead of by
 * index, which saves a lookup per link (libnl's change wants the index). */
static int
set_alias(SpNetlink *nl, const SpDevice *d)
{
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC};
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_NEWLINK, 0);
	int err;

	if (!msg || nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0 ||
	    nla_put_string(msg, IFLA_IFNAME, d->name) < 0 ||
	    nla_put_string(msg, IFLA_IFALIAS, d->owner) < 0) {
		nlmsg_free(msg);
		sp_error("out of memory");
		return -1;
	}
	err = nl_send_sync(nl->sk, msg);
	if (err < 0)
		set_nl_error(nl, err, "mark", d->name);
	return err < 0 ? -1 : 0;
}

static int
create(SpNetlink *nl, const SpDevice *d)
{
	struct rtnl_link *l = NULL;
	int err, master = d->master[0] ? ifindex_of(nl, d->master) : 0;

	switch (d->kind) {
	case SP_DEV_BOND:
		err = create_bond(nl, d);
		goto created;
	case SP_DEV_BRIDGE:
		l = rtnl_link_alloc();
		rtnl_link_set_type(l, "bridge");
		break;
	case SP_DEV_VLAN:
		l = rtnl_link_vlan_alloc();
		rtnl_link_vlan_set_id(l, d->vlan);
		rtnl_link_set_link(l, ifindex_of(nl, d->link));
		break;
	case SP_DEV_VXLAN: {
		struct nl_addr *a = NULL;

		l = rtnl_link_vxlan_alloc();
		rtnl_link_vxlan_set_id(l, d->vni);
		rtnl_link_vxlan_set_port(l, (uint32_t) d->dstport);
		if (nl_addr_parse(d->remote, AF_UNSPEC, &a) == 0) {
			/* Takes IPv4 and IPv6 alike; a unicast "group" is the remote. */
			rtnl_link_vxlan_set_group(l, a);
			nl_addr_put(a);
		}
		if (d->link[0])
			rtnl_link_vxlan_set_link(l, (uint32_t) ifindex_of(nl, d->link));
		break;
	}
	}
	rtnl_link_set_name(l, d->name);
	rtnl_link_set_group(l, SP_NETPLUG_GROUP);
	rtnl_link_set_flags(l, IFF_UP);
	if (d->mtu)
		rtnl_link_set_mtu(l, (unsigned) d->mtu);
	if (master > 0)
		rtnl_link_set_master(l, master);
	err = rtnl_link_add(nl->sk, l, NLM_F_CREATE | NLM_F_EXCL);
	rtnl_link_put(l);
created:
	if (err < 0) {
		set_nl_error(nl, err, "create", d->name);
		return -1;
	}
	return 0;
}

/* A change request for a link we know: by index, as libnl's change wants. */
static struct rtnl_link *
known_ref(const char *name, int ifindex)
{
	struct rtnl_link *l = rtnl_link_alloc();

	rtnl_link_set_name(l, name);
	rtnl_link_set_ifindex(l, ifindex);
	return l;
}

static int
change(SpNetlink *nl, const char *name, int ifindex, struct rtnl_link *chg, const char *what)
{
	struct rtnl_link *orig = known_ref(name, ifindex);
	int err = rtnl_link_change(nl->sk, orig, chg, 0);

	rtnl_link_put(orig);
	rtnl_link_put(chg);
	if (err < 0) {
		set_nl_error(nl, err, what, name);
		return -1;
	}
	return 0;
}

static int
set_up(SpNetlink *nl, const char *name, int ifindex, gboolean up)
{
	struct rtnl_link *chg = rtnl_link_alloc();

	if (up)
		rtnl_link_set_flags(chg, IFF_UP);
	else
		rtnl_link_unset_flags(chg, IFF_UP);
	return change(nl, name, ifindex, chg, up ? "set up" : "set down");
}

/* A slave into its bond: the kernel enslaves only a link that is down. */
static int
fix_slave(SpNetlink *nl, const SpStep *s)
{
	const SpDevice *d = &s->dev;
	int err;

	if (strcmp(s->was_master, d->master) != 0) {
		if (set_up(nl, d->name, s->was_ifindex, FALSE) < 0)
			return -1;
		err = rtnl_link_enslave_ifindex(nl->sk, ifindex_of(nl, d->master), s->was_ifindex);
		if (err < 0) {
			set_nl_error(nl, err, "enslave", d->name);
			return -1;
		}
	}
	return set_up(nl, d->name, s->was_ifindex, TRUE);
}

/* Master (a stray one cleared), up, MTU and the ownership marks on an
 * existing link, in one request. */
static int
fix_link(SpNetlink *nl, const SpStep *s)
{
	const SpDevice *d = &s->dev;
	struct rtnl_link *chg;

	if (d->is_slave)
		return fix_slave(nl, s);
	chg = rtnl_link_alloc();
	rtnl_link_set_flags(chg, IFF_UP);
	rtnl_link_set_ifalias(chg, d->owner);
	rtnl_link_set_group(chg, SP_NETPLUG_GROUP);
	if (d->master[0])
		rtnl_link_set_master(chg, ifindex_of(nl, d->master));
	else if (s->was_master[0])
		rtnl_link_set_master(chg, 0);
	if (d->mtu)
		rtnl_link_set_mtu(chg, (unsigned) d->mtu);
	return change(nl, d->name, s->was_ifindex, chg, "fix");
}

/* Undo of a fix: the link's alias, group, MTU, up flag and master as they
 * were, so that a failed --adopt leaves the device as it found it. */
static int
restore_link(SpNetlink *nl, const SpStep *s)
{
	struct rtnl_link *chg = rtnl_link_alloc();

	if (s->was_up)
		rtnl_link_set_flags(chg, IFF_UP);
	else
		rtnl_link_unset_flags(chg, IFF_UP);
	if (!s->dev.is_slave) {
		rtnl_link_set_ifalias(chg, s->was_alias);
		rtnl_link_set_group(chg, s->was_group);
		rtnl_link_set_mtu(chg, (unsigned) s->was_mtu);
	}
	if (strcmp(s->was_master, s->dev.master) != 0) {
		int master = s->was_master[0] ? ifindex_of(nl, s->was_master) : 0;

		/* A bond takes a slave back only while it is down. */
		if (s->dev.is_slave && master > 0 &&
		    set_up(nl, s->dev.name, s->was_ifindex, FALSE) < 0) {
			rtnl_link_put(chg);
			return -1;
		}
		rtnl_link_set_master(chg, master);
	}
	return change(nl, s->dev.name, s->was_ifindex, chg, "restore");
}

static int
delete_link(SpNetlink *nl, const char *name)
{
	struct rtnl_link *l = rtnl_link_alloc();
	int err;

	rtnl_link_set_name(l, name);
	err = rtnl_link_delete(nl->sk, l);
	rtnl_link_put(l);
	if (err < 0)
		set_nl_error(nl, err, "remove", name);
	return err < 0 ? -1 : 0;
}

/* Testing only: SP_NETPLUG_KILL_AFTER=N sends this process SIGKILL after its
 * Nth change to the kernel, to prove a re-run converges from any point. */
static void
maybe_die(guint done)
{
	const char *after = g_getenv("SP_NETPLUG_KILL_AFTER");

	if (after && (guint) atoi(after) == done)
		raise(SIGKILL);
}

/* What a run did, to be undone newest first if a later step fails. */
typedef enum { UNDO_CREATE, UNDO_FIX, UNDO_PEER_ADDED, UNDO_PEER_REMOVED } UndoKind;

typedef struct {
	UndoKind kind;
	const SpStep *step;
	const char *peer;
} Undo;

static void
journal(GArray *undo, UndoKind kind, const SpStep *s, const char *peer)
{
	Undo u = {.kind = kind, .step = s, .peer = peer};

	g_array_append_val(undo, u);
}

static void
undo_all(SpNetlink *nl, GArray *undo)
{
	for (guint i = undo->len; i-- > 0;) {
		const Undo *u = &g_array_index(undo, Undo, i);
		const SpStep *s = u->step;
		int rc = 0;

		switch (u->kind) {
		case UNDO_CREATE:
			rc = delete_link(nl, s->dev.name);
			break;
		case UNDO_FIX:
			rc = restore_link(nl, s);
			break;
		case UNDO_PEER_ADDED:
			rc = peer_change(nl, s->dev.name, s->was_ifindex, u->peer, FALSE);
			break;
		case UNDO_PEER_REMOVED:
			rc = peer_change(nl, s->dev.name, s->was_ifindex, u->peer, TRUE);
			break;
		}
		if (rc < 0)
			sp_log_warn("netplug.rollback", "%s", sp_error_message());
	}
}

static int
do_create(SpNetlink *nl, const SpStep *s, GArray *undo, guint *done)
{
	if (create(nl, &s->dev) < 0)
		return -1;
	journal(undo, UNDO_CREATE, s, NULL);
	maybe_die(++*done);
	if (set_alias(nl, &s->dev) < 0)
		return -1;
	return s->dev.kind == SP_DEV_VXLAN ? add_vxlan_peers(nl, &s->dev) : 0;
}

static int
do_fix(SpNetlink *nl, const SpStep *s, GArray *undo, guint *done)
{
	if (s->fix_link) {
		if (fix_link(nl, s) < 0)
			return -1;
		journal(undo, UNDO_FIX, s, NULL);
	}
	for (guint i = 0; s->peers_add && i < s->peers_add->len; i++) {
		const char *peer = g_ptr_array_index(s->peers_add, i);

		if (peer_change(nl, s->dev.name, s->was_ifindex, peer, TRUE) < 0)
			return -1;
		journal(undo, UNDO_PEER_ADDED, s, peer);
	}
	for (guint i = 0; s->peers_del && i < s->peers_del->len; i++) {
		const char *peer = g_ptr_array_index(s->peers_del, i);

		if (peer_change(nl, s->dev.name, s->was_ifindex, peer, FALSE) < 0)
			return -1;
		journal(undo, UNDO_PEER_REMOVED, s, peer);
	}
	maybe_die(++*done);
	return 0;
}

int
sp_netlink_execute(SpNetlink *nl, GPtrArray *steps, guint *changed)
{
	g_autoptr(GArray) undo = g_array_new(FALSE, FALSE, sizeof(Undo));
	guint done = 0;

	for (guint i = 0; i < steps->len; i++) {
		SpStep *s = g_ptr_array_index(steps, i);

		if (s->kind == SP_STEP_CONFLICT) {
			sp_error("%s", s->why);
			return -1;
		}
	}
	for (guint i = 0; i < steps->len; i++) {
		SpStep *s = g_ptr_array_index(steps, i);
		int rc;

		if (s->kind == SP_STEP_CREATE)
			rc = do_create(nl, s, undo, &done);
		else if (s->kind == SP_STEP_FIX)
			rc = do_fix(nl, s, undo, &done);
		else
			continue;
		if (rc < 0) {
			g_autofree char *msg = g_strdup(sp_error_message());
			guint n = undo->len;

			undo_all(nl, undo);
			sp_error("%s; undid the %u change(s) this run had made", msg, n);
			return -1;
		}
		(*changed)++;
	}
	return 0;
}

int
sp_netlink_down(SpNetlink *nl, const SpNetConfig *cfg, const char *const *names, gboolean force,
		gboolean dry_run, guint *removed)
{
	g_autoptr(GHashTable) links = sp_netlink_read(nl);
	g_autoptr(GPtrArray) removing = NULL;

	if (!links || !(removing = sp_netplug_plan_down(cfg, names, links, force)))
		return -1;
	for (guint i = 0; i < removing->len; i++) {
		const char *name = g_ptr_array_index(removing, i);

		printf("remove %s\n", name);
		if (!dry_run && delete_link(nl, name) < 0)
			return -1;
		(*removed)++;
	}
	return 0;
}

int
sp_netplug_lock(void)
{
	const char *t = g_getenv("SP_NETPLUG_LOCK_TIMEOUT");
	int timeout = t ? atoi(t) : SP_NETPLUG_LOCK_TIMEOUT;
	gint64 deadline = g_get_monotonic_time() + (gint64) timeout * G_USEC_PER_SEC;
	int fd;

	if (g_mkdir_with_parents(SP_NETPLUG_LOCK_DIR, 0755) < 0) {
		sp_error_errno(errno, "cannot create '%s'", SP_NETPLUG_LOCK_DIR);
		return -1;
	}
	fd = open(SP_NETPLUG_LOCK_DIR "/netplug.lock", O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
		  0600);
	if (fd < 0) {
		sp_error_errno(errno, "cannot open '%s'", SP_NETPLUG_LOCK_DIR "/netplug.lock");
		return -1;
	}
	/* Polled rather than blocked on: a library call must not need SIGALRM
	 * to give up, and the hook must not wait without bound. */
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			sp_error_errno(errno, "cannot lock '%s'",
				       SP_NETPLUG_LOCK_DIR "/netplug.lock");
			close(fd);
			return -1;
		}
		if (g_get_monotonic_time() >= deadline) {
			sp_error("another netplug run has held '%s' for %d s; gave up waiting "
				 "(is one stuck?)",
				 SP_NETPLUG_LOCK_DIR "/netplug.lock", timeout);
			close(fd);
			return -1;
		}
		g_usleep(5000);
	}
	return fd;
}

void
sp_netplug_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}

/* The configuration has errors, so nothing is changed; a VM whose bridge
 * already works still starts. */
static int
ensure_with_bad_config(const char *config_path, const char *bridge, const SpDiag *diag)
{
	/* "a.conf:3:1: ...; a.conf:9:5: ..." */
	g_autofree char *errors = sp_diag_join(diag, "; ");
	g_autoptr(SpNetlink) nl = sp_netlink_open();
	g_autoptr(GHashTable) links = nl ? sp_netlink_read(nl) : NULL;
	const SpLinkState *br = links ? g_hash_table_lookup(links, bridge) : NULL;

	if (br && br->up) {
		sp_log_warn("netplug.ensure",
			    "%s has errors, so netplug changed nothing; bridge %s "
			    "exists and is up, so the VM may start: %s",
			    config_path, bridge, errors);
		return 0;
	}
	sp_error("%s has errors, so netplug cannot make bridge %s: %s", config_path, bridge,
		 errors);
	return -1;
}

/* Conflicts on the path to a bridge that already works: nothing is changed
 * (all or nothing) and the VM starts; the admin reads why in the log. */
static gboolean
tolerate_conflicts(const SpNetwork *n, GPtrArray *steps, gboolean working)
{
	gboolean any = FALSE;

	for (guint i = 0; i < steps->len && working; i++) {
		const SpStep *s = g_ptr_array_index(steps, i);

		if (s->kind != SP_STEP_CONFLICT)
			continue;
		any = TRUE;
		sp_log_warn("netplug.conflict",
			    "network '%s': %s; bridge %s is up, so netplug changed "
			    "nothing and the VM may start",
			    n->name, s->why, n->bridge);
	}
	return any;
}

static int
ensure_network(const SpNetConfig *cfg, const SpNetwork *n)
{
	g_autoptr(SpNetlink) nl = NULL;
	g_autoptr(GArray) desired = NULL;
	g_autoptr(GHashTable) links = NULL;
	g_autoptr(GPtrArray) steps = NULL;
	const char *names[2] = {n->name, NULL};
	const SpLinkState *br;
	gboolean working;
	guint changed = 0;

	if (!(nl = sp_netlink_open()) || !(links = sp_netlink_read(nl)) ||
	    !(desired = sp_netplug_desired(cfg, names)))
		return -1;
	br = g_hash_table_lookup(links, n->bridge);
	working = br && br->up;
	steps = sp_netplug_plan(desired, links, FALSE);
	sp_netplug_plan_tolerate_slaves(steps);
	for (guint i = 0; i < steps->len; i++) {
		const SpStep *s = g_ptr_array_index(steps, i);

		if (s->kind == SP_STEP_WARN)
			sp_log_warn("netplug.slave", "network '%s': %s; the bond works without it",
				    n->name, s->why);
	}
	if (tolerate_conflicts(n, steps, working))
		return 0;
	if (sp_netlink_execute(nl, steps, &changed) < 0) {
		if (!working)
			return -1;
		/* Undone already: the bridge is as it was, and it was up. */
		sp_log_warn("netplug.ensure", "%s; bridge %s was up before, so the VM may start",
			    sp_error_message(), n->bridge);
		sp_error_clear();
		return 0;
	}
	if (changed)
		sp_log_info("netplug.ensure", "network '%s': %u change(s) made for bridge %s",
			    n->name, changed, n->bridge);
	return 0;
}

int
sp_netplug_ensure_bridge(const char *config_path, const char *bridge)
{
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpNetConfig) cfg = NULL;
	const SpNetwork *n;
	int lock, rc;

	if (!g_file_test(config_path, G_FILE_TEST_EXISTS)) {
		sp_log_debug("netplug.ensure", "no %s: bridge %s is not managed by netplug",
			     config_path, bridge);
		return 0;
	}
	if (!(cfg = sp_netconfig_load(config_path, diag)))
		return ensure_with_bad_config(config_path, bridge, diag);
	if (!(n = sp_netconfig_find_bridge(cfg, bridge))) {
		sp_log_debug("netplug.ensure", "no network in %s has bridge %s: not netplug's",
			     config_path, bridge);
		return 0;
	}
	/* Two VMs starting at once: the second must see what the first made,
	 * never undo it. */
	if ((lock = sp_netplug_lock()) < 0)
		return -1;
	rc = ensure_network(cfg, n);
	sp_netplug_unlock(lock);
	return rc;
}
