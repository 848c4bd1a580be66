#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

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
	char ack_msg[256];	/* the kernel's extended-ACK text of the last error */
};

/* libnl hands errors to this with the kernel's message attached when the
 * socket asked for extended ACKs: keep the text, it says what was wrong
 * ("A VXLAN device with the specified VNI already exists"). */
static int
on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	SpNetlink *nl = arg;
	struct nlmsghdr *hdr = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);

	nl->ack_msg[0] = '\0';
	if (hdr->nlmsg_flags & NLM_F_ACK_TLVS) {
		size_t off = sizeof(*e);
		struct nlattr *a;
		int len, rem;

		if (!(hdr->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - NLMSG_HDRLEN;
		len = (int)hdr->nlmsg_len - NLMSG_HDRLEN - (int)off;
		nla_for_each_attr(a, (struct nlattr *)((char *)e + off), len, rem) {
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

GHashTable *
sp_netlink_read(SpNetlink *nl)
{
	struct nl_cache *cache = NULL;
	GHashTable *links;
	int err = rtnl_link_alloc_cache(nl->sk, AF_UNSPEC, &cache);

	if (err < 0) {
		sp_error("cannot read the links: %s", nl_geterror(err));
		return NULL;
	}
	links = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
	for (struct nl_object *o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o)) {
		struct rtnl_link *l = (struct rtnl_link *)o;
		SpLinkState *s = g_new0(SpLinkState, 1);
		const char *type = rtnl_link_get_type(l);
		const char *alias = rtnl_link_get_ifalias(l);
		int master = rtnl_link_get_master(l);

		g_strlcpy(s->name, rtnl_link_get_name(l), sizeof(s->name));
		g_strlcpy(s->kind, type ? type : "", sizeof(s->kind));
		g_strlcpy(s->alias, alias ? alias : "", sizeof(s->alias));
		if (master > 0)
			rtnl_link_i2name(cache, master, s->master, sizeof(s->master));
		s->group = rtnl_link_get_group(l);
		s->up = (rtnl_link_get_flags(l) & IFF_UP) != 0;
		s->mtu = (int)rtnl_link_get_mtu(l);
		s->bond_mode = -1;
		if (strcmp(s->kind, "vlan") == 0)
			s->vlan = rtnl_link_vlan_get_id(l);
		else if (strcmp(s->kind, "vxlan") == 0)
			rtnl_link_vxlan_get_id(l, &s->vni);
		else if (strcmp(s->kind, "bond") == 0)
			s->bond_mode = bond_mode_of(s->name);
		g_hash_table_insert(links, s->name, s);
	}
	nl_cache_free(cache);
	return links;
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
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_flags = IFF_UP, .ifi_change = IFF_UP };
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
	    nla_put_u8(msg, IFLA_BOND_MODE, (uint8_t)d->mode) < 0 ||
	    nla_put_u32(msg, IFLA_BOND_MIIMON, 100) < 0) {
		nlmsg_free(msg);
		return -NLE_NOMEM;
	}
	nla_nest_end(msg, data);
	nla_nest_end(msg, info);
	err = nl_send_sync(nl->sk, msg);
	return err;
}

/* Extra unicast VXLAN peers: all-zero FDB entries, one per remote (the
 * kernel's head-end replication, as "bridge fdb append" does). */
static int
add_vxlan_peers(SpNetlink *nl, const SpDevice *d)
{
	const SpNetwork *n = d->net;
	/* Looked up only when there are extra peers: most VXLAN networks have
	 * one remote or a group, and a lookup per link costs a round trip. */
	int ifindex = n->remotes->len > 1 ? ifindex_of(nl, d->name) : 0;

	/* Built by hand: libnl's neighbour object rejects an AF_BRIDGE entry
	 * with an IP destination. */
	for (guint i = 1; i < n->remotes->len; i++) {
		const char *remote = g_ptr_array_index(n->remotes, i);
		struct ndmsg ndm = { .ndm_family = AF_BRIDGE, .ndm_ifindex = ifindex,
				     .ndm_state = NUD_NOARP | NUD_PERMANENT, .ndm_flags = NTF_SELF };
		static const unsigned char zero_mac[6];
		unsigned char ip[16];
		int alen = inet_pton(AF_INET, remote, ip) == 1 ? 4 : 16;
		struct nl_msg *msg = nlmsg_alloc_simple(RTM_NEWNEIGH,
							NLM_F_CREATE | NLM_F_APPEND);
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
			set_nl_error(nl, err, "add VXLAN peer to", d->name);
			return -1;
		}
	}
	return 0;
}

/* A change request names its link by index: libnl sends ifindex 0 and no
 * name for a link object that only has a name. */
static struct rtnl_link *
link_ref(SpNetlink *nl, const char *name)
{
	struct rtnl_link *l = rtnl_link_alloc();

	rtnl_link_set_name(l, name);
	rtnl_link_set_ifindex(l, ifindex_of(nl, name));
	return l;
}

/* The alias, by name: a link can be named in RTM_NEWLINK instead of by
 * index, which saves a lookup per link (libnl's change wants the index). */
static int
set_alias(SpNetlink *nl, const SpDevice *d)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
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
		rtnl_link_vxlan_set_port(l, (uint32_t)d->dstport);
		if (nl_addr_parse(d->remote, AF_UNSPEC, &a) == 0) {
			/* Takes IPv4 and IPv6 alike; a unicast "group" is the remote. */
			rtnl_link_vxlan_set_group(l, a);
			nl_addr_put(a);
		}
		if (d->link[0])
			rtnl_link_vxlan_set_link(l, (uint32_t)ifindex_of(nl, d->link));
		break;
	}
	}
	rtnl_link_set_name(l, d->name);
	rtnl_link_set_group(l, SP_NETPLUG_GROUP);
	rtnl_link_set_flags(l, IFF_UP);
	if (d->mtu)
		rtnl_link_set_mtu(l, (unsigned)d->mtu);
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

/* Set master, up, MTU and the ownership marks on an existing link. */
static int
fix(SpNetlink *nl, const SpDevice *d)
{
	struct rtnl_link *orig = link_ref(nl, d->name), *chg = rtnl_link_alloc();
	int err;

	if (d->is_slave) {
		/* The kernel enslaves only a link that is down. */
		int slave = ifindex_of(nl, d->name), bond = ifindex_of(nl, d->master);

		rtnl_link_unset_flags(chg, IFF_UP);
		err = rtnl_link_change(nl->sk, orig, chg, 0);
		if (err >= 0)
			err = rtnl_link_enslave_ifindex(nl->sk, bond, slave);
		rtnl_link_put(chg);
		chg = rtnl_link_alloc();
		rtnl_link_set_flags(chg, IFF_UP);
	} else {
		err = 0;
		rtnl_link_set_flags(chg, IFF_UP);
		rtnl_link_set_ifalias(chg, d->owner);
		rtnl_link_set_group(chg, SP_NETPLUG_GROUP);
		if (d->master[0])
			rtnl_link_set_master(chg, ifindex_of(nl, d->master));
		if (d->mtu)
			rtnl_link_set_mtu(chg, (unsigned)d->mtu);
	}
	if (err >= 0)
		err = rtnl_link_change(nl->sk, orig, chg, 0);
	rtnl_link_put(orig);
	rtnl_link_put(chg);
	if (err < 0) {
		set_nl_error(nl, err, "fix", d->name);
		return -1;
	}
	return 0;
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

	if (after && (guint)atoi(after) == done)
		raise(SIGKILL);
}

int
sp_netlink_execute(SpNetlink *nl, GPtrArray *steps, guint *changed)
{
	g_autoptr(GPtrArray) created = g_ptr_array_new();
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
		int rc = 0;

		if (s->kind == SP_STEP_CREATE) {
			rc = create(nl, &s->dev);
			if (rc == 0) {
				g_ptr_array_add(created, s->dev.name);
				maybe_die(++done);
				rc = set_alias(nl, &s->dev);
				if (rc == 0 && s->dev.kind == SP_DEV_VXLAN)
					rc = add_vxlan_peers(nl, &s->dev);
			}
		} else if (s->kind == SP_STEP_FIX) {
			rc = fix(nl, &s->dev);
			if (rc == 0)
				maybe_die(++done);
		} else {
			continue;
		}
		if (rc < 0) {
			g_autofree char *msg = g_strdup(sp_error_message());

			/* Undo this run's creations, newest first (uppers before lowers). */
			for (guint j = created->len; j-- > 0;) {
				if (delete_link(nl, g_ptr_array_index(created, j)) < 0)
					sp_log_warn("netplug.rollback", "%s", sp_error_message());
			}
			sp_error("%s; undid the %u link(s) this run had created", msg, created->len);
			return -1;
		}
		(*changed)++;
	}
	return 0;
}

static gboolean
wanted(const SpNetwork *n, const char *const *names)
{
	return !names || !names[0] || g_strv_contains(names, n->name);
}

int
sp_netlink_down(SpNetlink *nl, const SpNetConfig *cfg, const char *const *names, gboolean force,
		gboolean dry_run, guint *removed)
{
	g_autoptr(GHashTable) links = sp_netlink_read(nl);
	GHashTableIter it;
	gpointer value;

	if (!links)
		return -1;
	/* Check everything first: refuse before removing anything. */
	for (guint i = 0; i < cfg->networks->len; i++) {
		const SpNetwork *n = g_ptr_array_index(cfg->networks, i);
		SpLinkState *br = g_hash_table_lookup(links, n->bridge);

		if (!wanted(n, names) || !br || !sp_link_is_ours(br) || force)
			continue;
		g_hash_table_iter_init(&it, links);
		while (g_hash_table_iter_next(&it, NULL, &value)) {
			SpLinkState *port = value;

			if (strcmp(port->master, n->bridge) == 0 && !sp_link_is_ours(port)) {
				sp_error("bridge %s of network '%s' still has %s attached (a VM?); "
					 "stop it first or use --force", n->bridge, n->name, port->name);
				return -1;
			}
		}
	}
	for (guint i = 0; i < cfg->networks->len; i++) {
		const SpNetwork *n = g_ptr_array_index(cfg->networks, i);
		g_autofree char *low = n->vlan ? g_strdup_printf("%s.%d", cfg->bond, n->vlan) :
						 g_strdup_printf("vxlan%u", n->vni);
		const char *order[] = { low, n->bridge };

		if (!wanted(n, names))
			continue;
		for (int k = 0; k < 2; k++) {
			SpLinkState *l = g_hash_table_lookup(links, order[k]);

			if (!l || !sp_link_is_ours(l))
				continue;
			printf("remove %s\n", l->name);
			if (!dry_run && delete_link(nl, l->name) < 0)
				return -1;
			(*removed)++;
		}
	}
	if (cfg->bond && (!names || !names[0])) {
		SpLinkState *b = g_hash_table_lookup(links, cfg->bond);

		if (b && sp_link_is_ours(b)) {
			printf("remove %s\n", b->name);
			if (!dry_run && delete_link(nl, b->name) < 0)
				return -1;
			(*removed)++;
		}
	}
	return 0;
}

int
sp_netplug_ensure_bridge(const char *config_path, const char *bridge)
{
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpNetConfig) cfg = sp_netconfig_load(config_path, diag);
	g_autoptr(SpNetlink) nl = NULL;
	g_autoptr(GArray) desired = NULL;
	g_autoptr(GHashTable) links = NULL;
	g_autoptr(GPtrArray) steps = NULL;
	const char *names[2] = { NULL, NULL };
	guint changed = 0;

	if (!cfg)
		return sp_diag_to_error(diag);
	for (guint i = 0; i < cfg->networks->len && !names[0]; i++) {
		const SpNetwork *n = g_ptr_array_index(cfg->networks, i);

		if (strcmp(n->bridge, bridge) == 0)
			names[0] = n->name;
	}
	if (!names[0]) {
		sp_error("no network in '%s' has the bridge %s", config_path, bridge);
		return -1;
	}
	if (!(nl = sp_netlink_open()) || !(links = sp_netlink_read(nl)))
		return -1;
	desired = sp_netplug_desired(cfg, names);
	steps = sp_netplug_plan(desired, links, FALSE);
	return sp_netlink_execute(nl, steps, &changed);
}
