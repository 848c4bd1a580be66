/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "generate.h"
#include "sp-xml.h"

/* ebtables, the VM's own traffic (libvirt's chains: mac -800, arp-mac -520,
 * arp -500): MAC first, then the source address checks of each family. */
#define PRIO_IPV6_ROUTER -610
#define PRIO_IPV4_SOURCE -700
#define PRIO_IPV4_OTHER -690
#define PRIO_IPV6_SOURCE -600
#define PRIO_IPV6_OTHER -590
#define PRIO_ARP_SOURCE -515
#define PRIO_ARP_OTHER -512
#define PRIO_ETHERTYPE -460
#define PRIO_ETHERTYPE_OTHER -450
/* iptables and ip6tables. */
#define PRIO_ESTABLISHED -400
#define PRIO_DHCP -350
#define PRIO_ICMPV6 -300
#define PRIO_POLICY_BASE 100
#define PRIO_OUT_ACCEPT 800
#define PRIO_IN_DEFAULT 900

void
sp_filter_free(SpFilter *f)
{
	if (!f)
		return;
	g_free(f->name);
	g_free(f->xml);
	g_free(f);
}

char *
sp_filter_uuid(const char *filter_name)
{
	/* RFC 4122 name-based UUID under a namespace of our own. */
	static const guint8 ns[16] = {0x5a, 0x11, 0xf0, 0x0d, 0x6e, 0x77, 0x4f, 0x1e,
				      0x9a, 0x5b, 0x73, 0x70, 0x61, 0x72, 0x72, 0x77};
	g_autoptr(GChecksum) sha = g_checksum_new(G_CHECKSUM_SHA1);
	guint8 d[20];
	gsize len = sizeof(d);

	g_checksum_update(sha, ns, sizeof(ns));
	g_checksum_update(sha, (const guchar *) filter_name, (gssize) strlen(filter_name));
	g_checksum_get_digest(sha, d, &len);
	d[6] = (guint8) ((d[6] & 0x0f) | 0x50);
	d[8] = (guint8) ((d[8] & 0x3f) | 0x80);
	return g_strdup_printf("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
			       "%02x%02x%02x%02x%02x%02x",
			       d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10],
			       d[11], d[12], d[13], d[14], d[15]);
}

static SpXml *
new_filter(const char *name)
{
	SpXml *x = sp_xml_new();
	g_autofree char *uuid = sp_filter_uuid(name);

	sp_xml_start(x, "filter");
	sp_xml_attr(x, "name", name);
	sp_xml_attr(x, "chain", "root");
	sp_xml_element(x, "uuid", uuid);
	return x;
}

/* Opens <rule action= direction= priority=[ statematch=]><PROTO; the caller
 * adds attributes to the protocol element and calls end_rule(). */
static void
start_rule(SpXml *x, const char *action, const char *dir, int prio, const char *proto,
	   gboolean no_statematch)
{
	sp_xml_start(x, "rule");
	sp_xml_attr(x, "action", action);
	sp_xml_attr(x, "direction", dir);
	sp_xml_attr_int(x, "priority", prio);
	if (no_statematch)
		sp_xml_attr(x, "statematch", "false");
	sp_xml_start(x, proto);
}

static void
end_rule(SpXml *x)
{
	sp_xml_end(x);
	sp_xml_end(x);
}

static void
add_rule(SpXml *x, const char *action, const char *dir, int prio, const char *proto)
{
	start_rule(x, action, dir, prio, proto, FALSE);
	end_rule(x);
}

/* In memory nothing can fail but allocation, which GLib aborts on. */
static char *
finish(SpXml *x)
{
	g_autoptr(SpXml) owned = x;
	char *out = NULL;

	if (sp_xml_finish(owned, &out) < 0)
		g_error("%s", "cannot write an nwfilter in memory");
	return out;
}

static const char *
proto_element(SpFwProto proto, int family)
{
	static const char *const v4[] = {"tcp", "udp", "sctp", "icmp", NULL, "all"};
	static const char *const v6[] = {"tcp-ipv6", "udp-ipv6", "sctp-ipv6",
					 NULL,       "icmpv6",   "all-ipv6"};

	return family == AF_INET ? v4[proto] : v6[proto];
}

/* One nwfilter rule per (family or remote address) x (port range). */
static void
add_policy_rule(SpXml *x, const SpFwRule *r, int prio)
{
	const char *action = sp_fw_action_libvirt(r->action);
	const char *dir = sp_fw_dir_words[r->dir];
	/* Inbound: the remote is the packet's source; outbound, its target. */
	const char *addr_attr = r->dir == SP_FW_IN ? "srcipaddr" : "dstipaddr";
	const char *mask_attr = r->dir == SP_FW_IN ? "srcipmask" : "dstipmask";
	guint nremote = r->remotes->len ? r->remotes->len : 2;
	guint nports = r->ports->len ? r->ports->len : 1;

	for (guint a = 0; a < nremote; a++) {
		const SpCidr *c = r->remotes->len ? &g_array_index(r->remotes, SpCidr, a) : NULL;
		int family = c ? c->family : (a == 0 ? AF_INET : AF_INET6);
		const char *elem = proto_element(r->proto, family);

		if (!elem) /* icmp has no IPv6 twin, icmpv6 no IPv4 one */
			continue;
		for (guint p = 0; p < nports; p++) {
			start_rule(x, action, dir, prio, elem, FALSE);
			/* libvirt instantiates a drop or reject rule without a
			 * state match in the chains of both directions (source
			 * and target swapped): "drop out any" would drop inbound
			 * traffic too. With an explicit state it builds only the
			 * chain of the rule's own direction
			 * (iptablesCreateRuleInstanceStateCtrl). NEW is enough:
			 * the root accepts ESTABLISHED and RELATED before any
			 * policy, for IPv4 and IPv6, and accept rules never let
			 * INVALID through. */
			if (r->action != SP_FW_ALLOW)
				sp_xml_attr(x, "state", "NEW");
			if (c) {
				sp_xml_attr(x, addr_attr, c->addr);
				sp_xml_attr_int(x, mask_attr, c->prefix);
			}
			if (r->ports->len) {
				const SpPortRange *pr = &g_array_index(r->ports, SpPortRange, p);

				sp_xml_attr_int(x, "dstportstart", pr->lo);
				if (pr->hi != pr->lo)
					sp_xml_attr_int(x, "dstportend", pr->hi);
			}
			end_rule(x);
		}
	}
}

SpFilter *
sp_filter_for_policy(const SpPolicy *policy)
{
	SpFilter *f = g_new0(SpFilter, 1);
	SpXml *x;

	f->name = g_strconcat("sparrow-policy-", policy->name, NULL);
	x = new_filter(f->name);
	for (guint i = 0; i < policy->rules->len; i++)
		add_policy_rule(x, g_ptr_array_index(policy->rules, i), PRIO_POLICY_BASE + (int) i);
	f->xml = finish(x);
	return f;
}

static void
add_filterref(SpXml *x, const char *name)
{
	sp_xml_start(x, "filterref");
	sp_xml_attr(x, "filter", name);
	sp_xml_end(x);
}

static const char *const established_protos[] = {"all", "tcp-ipv6", "udp-ipv6", "sctp-ipv6"};

/* One "return" rule of the source checks: the packet may go on. */
static void
add_source_rule(SpXml *x, int prio, const char *proto, const char *addr_attr, const char *mask_attr,
		const char *addr, int prefix, const char *l4)
{
	start_rule(x, "return", "out", prio, proto, FALSE);
	sp_xml_attr(x, addr_attr, addr);
	sp_xml_attr_int(x, mask_attr, prefix);
	if (l4)
		sp_xml_attr(x, "protocol", l4);
	end_rule(x);
}

/* Anti-spoofing with the addresses of firewall.conf, written into the
 * filter: nothing here waits for libvirt to learn a variable, so the whole
 * filter is in force before the VM's first packet. The VM's IPv4, IPv6 and
 * ARP packets from a listed address pass on here; the rest meet the drops
 * of sparrow-source-checks. */
static void
add_source_checks(SpXml *x, const GArray *addrs, const GArray *ethertypes)
{
	static const struct {
		int family, prio;
		const char *proto, *addr_attr, *mask_attr;
	} kinds[] = {
		{AF_INET, PRIO_IPV4_SOURCE, "ip", "srcipaddr", "srcipmask"},
		{AF_INET6, PRIO_IPV6_SOURCE, "ipv6", "srcipaddr", "srcipmask"},
		{AF_INET, PRIO_ARP_SOURCE, "arp", "arpsrcipaddr", "arpsrcipmask"},
	};

	add_filterref(x, SP_SOURCE_CHECKS_FILTER);
	for (guint i = 0; ethertypes && i < ethertypes->len; i++) {
		start_rule(x, "accept", "out", PRIO_ETHERTYPE, "mac", FALSE);
		sp_xml_attr_printf(x, "protocolid", "0x%04x",
				   g_array_index(ethertypes, guint16, i));
		end_rule(x);
	}
	for (guint k = 0; k < G_N_ELEMENTS(kinds); k++) {
		for (guint i = 0; i < addrs->len; i++) {
			const SpCidr *c = &g_array_index(addrs, SpCidr, i);

			if (c->family == kinds[k].family)
				add_source_rule(x, kinds[k].prio, kinds[k].proto,
						kinds[k].addr_attr, kinds[k].mask_attr, c->addr,
						c->prefix, NULL);
		}
	}
}

/* What every VM with addresses shares: the sources a host without an
 * address yet uses (DHCP from 0.0.0.0, IPv6 link-local, duplicate address
 * detection from ::, ARP probes from 0.0.0.0), then a drop for every other
 * IPv4, IPv6 and ARP packet the VM sends. Its rules join the root chain of
 * each VM by priority, after the VM's own addresses (same priority) and
 * after libvirt's MAC checks. */
SpFilter *
sp_filter_source_checks(void)
{
	SpFilter *f = g_new0(SpFilter, 1);
	SpXml *x;

	f->name = g_strdup(SP_SOURCE_CHECKS_FILTER);
	x = new_filter(f->name);
	start_rule(x, "return", "out", PRIO_IPV4_SOURCE, "ip", FALSE);
	sp_xml_attr(x, "srcipaddr", "0.0.0.0");
	sp_xml_attr(x, "protocol", "udp");
	sp_xml_attr_int(x, "srcportstart", 68);
	sp_xml_attr_int(x, "dstportstart", 67);
	end_rule(x);
	add_rule(x, "drop", "out", PRIO_IPV4_OTHER, "ip");
	add_source_rule(x, PRIO_IPV6_SOURCE, "ipv6", "srcipaddr", "srcipmask", "fe80::", 10, NULL);
	add_source_rule(x, PRIO_IPV6_SOURCE, "ipv6", "srcipaddr", "srcipmask", "::", 128, "icmpv6");
	add_rule(x, "drop", "out", PRIO_IPV6_OTHER, "ipv6");
	add_source_rule(x, PRIO_ARP_SOURCE, "arp", "arpsrcipaddr", "arpsrcipmask", "0.0.0.0", 32,
			NULL);
	add_rule(x, "drop", "out", PRIO_ARP_OTHER, "arp");
	/* Every other frame type: the checks above cannot see inside them, and
	 * a VLAN-tagged frame (0x8100, 0x88a8) carries IPv4 and IPv6 from any
	 * address past them (ebtables matches the tag's type, iptables does
	 * not see the frame). Everything IPv4, IPv6 or ARP met a rule above. */
	sp_xml_start(x, "rule");
	sp_xml_attr(x, "action", "drop");
	sp_xml_attr(x, "direction", "out");
	sp_xml_attr_int(x, "priority", PRIO_ETHERTYPE_OTHER);
	sp_xml_end(x);
	f->xml = finish(x);
	return f;
}

SpFilter *
sp_filter_for_binding(const SpBinding *b, const SpFirewall *fw)
{
	SpFilter *f = g_new0(SpFilter, 1);
	const char *in_default = fw->inbound_accept ? "accept" : "drop";
	guint nservers = fw->dhcp_servers ? fw->dhcp_servers->len : 1;
	SpXml *x;

	f->name = g_strconcat("sparrow-vm-", b->vm, NULL);
	f->is_vm = TRUE;
	x = new_filter(f->name);
	/* Nothing of this filter may depend on $IP: a filter that needs it is
	 * not instantiated until libvirt has it, and without the domain's IP
	 * parameter libvirt learns it from the VM's own traffic and leaves the
	 * VM unfiltered until then (a silent VM stays open). So libvirt's
	 * no-ip-spoofing and no-arp-ip-spoofing are not used, only its checks
	 * of the MAC (from $MAC, which libvirt always knows), and the source
	 * addresses come from firewall.conf. clean-traffic is not used either:
	 * it drops all IPv6. */
	add_filterref(x, "no-mac-spoofing");
	add_filterref(x, "no-arp-mac-spoofing");
	/* Router advertisements and redirects steer other hosts' IPv6 traffic
	 * and come from a link-local address, which the source checks let
	 * through: only a router may send them. ebtables, because libvirt's
	 * ip6tables rules take no ICMPv6 type. */
	if (!b->router) {
		static const int router_types[] = {134, 137};

		for (guint i = 0; i < G_N_ELEMENTS(router_types); i++) {
			start_rule(x, "drop", "out", PRIO_IPV6_ROUTER, "ipv6", FALSE);
			sp_xml_attr(x, "protocol", "icmpv6");
			sp_xml_attr_int(x, "type", router_types[i]);
			end_rule(x);
		}
	}
	if (b->addresses)
		add_source_checks(x, b->addresses, b->ethertypes);
	add_filterref(x, "allow-arp");
	/* Replies and related traffic first, both ways, for both families:
	 * no policy rule may cut the VM's own connections. all-ipv6 takes no
	 * state, so IPv6 gets one rule per protocol that carries connections
	 * (ICMPv6 is accepted whole just below). */
	for (guint i = 0; i < G_N_ELEMENTS(established_protos); i++) {
		start_rule(x, "accept", "inout", PRIO_ESTABLISHED, established_protos[i], FALSE);
		sp_xml_attr(x, "state", "ESTABLISHED,RELATED");
		end_rule(x);
	}
	/* A DHCP server's offer answers a broadcast from 0.0.0.0: conntrack
	 * cannot match it to the request, so it is let in by its ports (libvirt
	 * let it through while learning the address from it); only from the
	 * servers firewall.conf lists, if it does, so that no other VM can
	 * hand this one an address, gateway or DNS server. DHCPv6 is left to
	 * the policies: its replies never passed a default drop. */
	for (guint i = 0; i < nservers; i++) {
		start_rule(x, "accept", "in", PRIO_DHCP, "udp", FALSE);
		if (fw->dhcp_servers) {
			const SpCidr *c = &g_array_index(fw->dhcp_servers, SpCidr, i);

			sp_xml_attr(x, "srcipaddr", c->addr);
			sp_xml_attr_int(x, "srcipmask", c->prefix);
		}
		sp_xml_attr_int(x, "srcportstart", 67);
		sp_xml_attr_int(x, "dstportstart", 68);
		end_rule(x);
	}
	/* Neighbour discovery must pass both ways and without state matching,
	 * or no IPv6 works at all; libvirt 9 does not instantiate ICMPv6 type
	 * matches, so all of ICMPv6 is let through (RFC 4890 asks for most of it). */
	start_rule(x, "accept", "inout", PRIO_ICMPV6, "icmpv6", TRUE);
	end_rule(x);
	for (guint i = 0; i < b->policies->len; i++) {
		g_autofree char *name =
			g_strconcat("sparrow-policy-",
				    (const char *) g_ptr_array_index(b->policies, i), NULL);

		add_filterref(x, name);
	}
	add_rule(x, "accept", "out", PRIO_OUT_ACCEPT, "all");
	add_rule(x, "accept", "out", PRIO_OUT_ACCEPT, "all-ipv6");
	add_rule(x, in_default, "in", PRIO_IN_DEFAULT, "all");
	add_rule(x, in_default, "in", PRIO_IN_DEFAULT, "all-ipv6");
	f->xml = finish(x);
	return f;
}

GPtrArray *
sp_filters_generate(const SpFirewall *fw)
{
	GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify) sp_filter_free);
	gboolean any_addresses = FALSE;

	for (guint i = 0; i < fw->policies->len; i++)
		g_ptr_array_add(out, sp_filter_for_policy(g_ptr_array_index(fw->policies, i)));
	for (guint i = 0; i < fw->bindings->len; i++)
		any_addresses |=
			((SpBinding *) g_ptr_array_index(fw->bindings, i))->addresses != NULL;
	if (any_addresses)
		g_ptr_array_add(out, sp_filter_source_checks());
	for (guint i = 0; i < fw->bindings->len; i++)
		g_ptr_array_add(out, sp_filter_for_binding(g_ptr_array_index(fw->bindings, i), fw));
	return out;
}
