#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include <libxml/xmlwriter.h>

#include "generate.h"

/* ebtables, the VM's own traffic (libvirt's chains: mac -800, arp-mac -520,
 * arp -500): MAC first, then the source address checks of each family. */
#define PRIO_IPV4_SOURCE -700
#define PRIO_IPV4_OTHER -690
#define PRIO_IPV6_SOURCE -600
#define PRIO_IPV6_OTHER -590
#define PRIO_ARP_SOURCE -515
#define PRIO_ARP_OTHER -512
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

/* The streaming writer rather than a tree: the same escaping guarantees,
 * without building and freeing 2,000 trees (generation was 64 % tree work). */
static xmlTextWriterPtr
new_filter(xmlBufferPtr buf, const char *name)
{
	xmlTextWriterPtr w = xmlNewTextWriterMemory(buf, 0);
	g_autofree char *uuid = sp_filter_uuid(name);

	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterSetIndentString(w, BAD_CAST "  ");
	xmlTextWriterStartElement(w, BAD_CAST "filter");
	xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST name);
	xmlTextWriterWriteAttribute(w, BAD_CAST "chain", BAD_CAST "root");
	xmlTextWriterWriteElement(w, BAD_CAST "uuid", BAD_CAST uuid);
	return w;
}

static void
set_int(xmlTextWriterPtr w, const char *attr, int value)
{
	xmlTextWriterWriteFormatAttribute(w, BAD_CAST attr, "%d", value);
}

/* Opens <rule action= direction= priority=[ statematch=]><PROTO; the caller
 * adds attributes to the protocol element and calls end_rule(). */
static void
start_rule(xmlTextWriterPtr w, const char *action, const char *dir, int prio, const char *proto,
	   gboolean no_statematch)
{
	xmlTextWriterStartElement(w, BAD_CAST "rule");
	xmlTextWriterWriteAttribute(w, BAD_CAST "action", BAD_CAST action);
	xmlTextWriterWriteAttribute(w, BAD_CAST "direction", BAD_CAST dir);
	set_int(w, "priority", prio);
	if (no_statematch)
		xmlTextWriterWriteAttribute(w, BAD_CAST "statematch", BAD_CAST "false");
	xmlTextWriterStartElement(w, BAD_CAST proto);
}

static void
end_rule(xmlTextWriterPtr w)
{
	xmlTextWriterEndElement(w);
	xmlTextWriterEndElement(w);
}

static void
add_rule(xmlTextWriterPtr w, const char *action, const char *dir, int prio, const char *proto)
{
	start_rule(w, action, dir, prio, proto, FALSE);
	end_rule(w);
}

static char *
finish(xmlTextWriterPtr w, xmlBufferPtr buf)
{
	char *out;

	xmlTextWriterEndElement(w);
	xmlTextWriterEndDocument(w);
	xmlFreeTextWriter(w);
	out = g_strdup((const char *) xmlBufferContent(buf));
	xmlBufferFree(buf);
	return out;
}

static const char *const action_names[] = {"accept", "drop", "reject"};

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
add_policy_rule(xmlTextWriterPtr w, const SpFwRule *r, int prio)
{
	const char *action = action_names[r->action];
	const char *dir = r->dir == SP_FW_IN ? "in" : "out";
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
			start_rule(w, action, dir, prio, elem, FALSE);
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
				xmlTextWriterWriteAttribute(w, BAD_CAST "state", BAD_CAST "NEW");
			if (c) {
				xmlTextWriterWriteAttribute(w, BAD_CAST addr_attr,
							    BAD_CAST c->addr);
				set_int(w, mask_attr, c->prefix);
			}
			if (r->ports->len) {
				const SpPortRange *pr = &g_array_index(r->ports, SpPortRange, p);

				set_int(w, "dstportstart", pr->lo);
				if (pr->hi != pr->lo)
					set_int(w, "dstportend", pr->hi);
			}
			end_rule(w);
		}
	}
}

SpFilter *
sp_filter_for_policy(const SpPolicy *policy)
{
	xmlBufferPtr buf = xmlBufferCreate();
	SpFilter *f = g_new0(SpFilter, 1);
	xmlTextWriterPtr w;

	f->name = g_strconcat("sparrow-policy-", policy->name, NULL);
	w = new_filter(buf, f->name);
	for (guint i = 0; i < policy->rules->len; i++)
		add_policy_rule(w, g_ptr_array_index(policy->rules, i), PRIO_POLICY_BASE + (int) i);
	f->xml = finish(w, buf);
	return f;
}

static void
add_filterref(xmlTextWriterPtr w, const char *name)
{
	xmlTextWriterStartElement(w, BAD_CAST "filterref");
	xmlTextWriterWriteAttribute(w, BAD_CAST "filter", BAD_CAST name);
	xmlTextWriterEndElement(w);
}

static const char *const established_protos[] = {"all", "tcp-ipv6", "udp-ipv6", "sctp-ipv6"};

/* One "return" rule of the source checks: the packet may go on. */
static void
add_source_rule(xmlTextWriterPtr w, int prio, const char *proto, const char *addr_attr,
		const char *mask_attr, const char *addr, int prefix, const char *l4)
{
	start_rule(w, "return", "out", prio, proto, FALSE);
	xmlTextWriterWriteAttribute(w, BAD_CAST addr_attr, BAD_CAST addr);
	set_int(w, mask_attr, prefix);
	if (l4)
		xmlTextWriterWriteAttribute(w, BAD_CAST "protocol", BAD_CAST l4);
	end_rule(w);
}

/* Anti-spoofing with the addresses of firewall.conf, written into the
 * filter: nothing here waits for libvirt to learn a variable, so the whole
 * filter is in force before the VM's first packet. The VM's IPv4, IPv6 and
 * ARP packets from a listed address pass on here; the rest meet the drops
 * of sparrow-source-checks. */
static void
add_source_checks(xmlTextWriterPtr w, const GArray *addrs)
{
	static const struct {
		int family, prio;
		const char *proto, *addr_attr, *mask_attr;
	} kinds[] = {
		{AF_INET, PRIO_IPV4_SOURCE, "ip", "srcipaddr", "srcipmask"},
		{AF_INET6, PRIO_IPV6_SOURCE, "ipv6", "srcipaddr", "srcipmask"},
		{AF_INET, PRIO_ARP_SOURCE, "arp", "arpsrcipaddr", "arpsrcipmask"},
	};

	add_filterref(w, SP_SOURCE_CHECKS_FILTER);
	for (guint k = 0; k < G_N_ELEMENTS(kinds); k++) {
		for (guint i = 0; i < addrs->len; i++) {
			const SpCidr *c = &g_array_index(addrs, SpCidr, i);

			if (c->family == kinds[k].family)
				add_source_rule(w, kinds[k].prio, kinds[k].proto,
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
	xmlBufferPtr buf = xmlBufferCreate();
	SpFilter *f = g_new0(SpFilter, 1);
	xmlTextWriterPtr w;

	f->name = g_strdup(SP_SOURCE_CHECKS_FILTER);
	w = new_filter(buf, f->name);
	start_rule(w, "return", "out", PRIO_IPV4_SOURCE, "ip", FALSE);
	xmlTextWriterWriteAttribute(w, BAD_CAST "srcipaddr", BAD_CAST "0.0.0.0");
	xmlTextWriterWriteAttribute(w, BAD_CAST "protocol", BAD_CAST "udp");
	set_int(w, "srcportstart", 68);
	set_int(w, "dstportstart", 67);
	end_rule(w);
	add_rule(w, "drop", "out", PRIO_IPV4_OTHER, "ip");
	add_source_rule(w, PRIO_IPV6_SOURCE, "ipv6", "srcipaddr", "srcipmask", "fe80::", 10, NULL);
	add_source_rule(w, PRIO_IPV6_SOURCE, "ipv6", "srcipaddr", "srcipmask", "::", 128, "icmpv6");
	add_rule(w, "drop", "out", PRIO_IPV6_OTHER, "ipv6");
	add_source_rule(w, PRIO_ARP_SOURCE, "arp", "arpsrcipaddr", "arpsrcipmask", "0.0.0.0", 32,
			NULL);
	add_rule(w, "drop", "out", PRIO_ARP_OTHER, "arp");
	f->xml = finish(w, buf);
	return f;
}

SpFilter *
sp_filter_for_binding(const SpBinding *b, gboolean inbound_accept)
{
	xmlBufferPtr buf = xmlBufferCreate();
	SpFilter *f = g_new0(SpFilter, 1);
	const char *in_default = inbound_accept ? "accept" : "drop";
	xmlTextWriterPtr w;

	f->name = g_strconcat("sparrow-vm-", b->vm, NULL);
	f->is_vm = TRUE;
	w = new_filter(buf, f->name);
	/* Nothing of this filter may depend on $IP: a filter that needs it is
	 * not instantiated until libvirt has it, and without the domain's IP
	 * parameter libvirt learns it from the VM's own traffic and leaves the
	 * VM unfiltered until then (a silent VM stays open). So libvirt's
	 * no-ip-spoofing and no-arp-ip-spoofing are not used, only its checks
	 * of the MAC (from $MAC, which libvirt always knows), and the source
	 * addresses come from firewall.conf. clean-traffic is not used either:
	 * it drops all IPv6. */
	add_filterref(w, "no-mac-spoofing");
	add_filterref(w, "no-arp-mac-spoofing");
	if (b->addresses)
		add_source_checks(w, b->addresses);
	add_filterref(w, "allow-arp");
	/* Replies and related traffic first, both ways, for both families:
	 * no policy rule may cut the VM's own connections. all-ipv6 takes no
	 * state, so IPv6 gets one rule per protocol that carries connections
	 * (ICMPv6 is accepted whole just below). */
	for (guint i = 0; i < G_N_ELEMENTS(established_protos); i++) {
		start_rule(w, "accept", "inout", PRIO_ESTABLISHED, established_protos[i], FALSE);
		xmlTextWriterWriteAttribute(w, BAD_CAST "state", BAD_CAST "ESTABLISHED,RELATED");
		end_rule(w);
	}
	/* A DHCP server's offer answers a broadcast from 0.0.0.0: conntrack
	 * cannot match it to the request, so it is let in by its ports (libvirt
	 * let it through while learning the address from it). DHCPv6 is left to
	 * the policies: its replies never passed a default drop. */
	start_rule(w, "accept", "in", PRIO_DHCP, "udp", FALSE);
	set_int(w, "srcportstart", 67);
	set_int(w, "dstportstart", 68);
	end_rule(w);
	/* Neighbour discovery must pass both ways and without state matching,
	 * or no IPv6 works at all; libvirt 9 does not instantiate ICMPv6 type
	 * matches, so all of ICMPv6 is let through (RFC 4890 asks for most of it). */
	start_rule(w, "accept", "inout", PRIO_ICMPV6, "icmpv6", TRUE);
	end_rule(w);
	for (guint i = 0; i < b->policies->len; i++) {
		g_autofree char *name =
			g_strconcat("sparrow-policy-",
				    (const char *) g_ptr_array_index(b->policies, i), NULL);

		add_filterref(w, name);
	}
	add_rule(w, "accept", "out", PRIO_OUT_ACCEPT, "all");
	add_rule(w, "accept", "out", PRIO_OUT_ACCEPT, "all-ipv6");
	add_rule(w, in_default, "in", PRIO_IN_DEFAULT, "all");
	add_rule(w, in_default, "in", PRIO_IN_DEFAULT, "all-ipv6");
	f->xml = finish(w, buf);
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
		g_ptr_array_add(out, sp_filter_for_binding(g_ptr_array_index(fw->bindings, i),
							   fw->inbound_accept));
	return out;
}
