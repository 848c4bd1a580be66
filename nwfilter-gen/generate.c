#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include <libxml/tree.h>

#include "generate.h"

#define PRIO_ESTABLISHED -400
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
	static const guint8 ns[16] = { 0x5a, 0x11, 0xf0, 0x0d, 0x6e, 0x77, 0x4f, 0x1e,
				       0x9a, 0x5b, 0x73, 0x70, 0x61, 0x72, 0x72, 0x77 };
	g_autoptr(GChecksum) sha = g_checksum_new(G_CHECKSUM_SHA1);
	guint8 d[20];
	gsize len = sizeof(d);

	g_checksum_update(sha, ns, sizeof(ns));
	g_checksum_update(sha, (const guchar *)filter_name, (gssize)strlen(filter_name));
	g_checksum_get_digest(sha, d, &len);
	d[6] = (guint8)((d[6] & 0x0f) | 0x50);
	d[8] = (guint8)((d[8] & 0x3f) | 0x80);
	return g_strdup_printf("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
			       "%02x%02x%02x%02x%02x%02x",
			       d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9],
			       d[10], d[11], d[12], d[13], d[14], d[15]);
}

static xmlNodePtr
new_filter(xmlDocPtr doc, const char *name)
{
	xmlNodePtr root = xmlNewNode(NULL, BAD_CAST "filter");
	g_autofree char *uuid = sp_filter_uuid(name);

	xmlDocSetRootElement(doc, root);
	xmlNewProp(root, BAD_CAST "name", BAD_CAST name);
	xmlNewProp(root, BAD_CAST "chain", BAD_CAST "root");
	xmlNewTextChild(root, NULL, BAD_CAST "uuid", BAD_CAST uuid);
	return root;
}

static void
set_int(xmlNodePtr node, const char *attr, int value)
{
	char buf[16];

	g_snprintf(buf, sizeof(buf), "%d", value);
	xmlNewProp(node, BAD_CAST attr, BAD_CAST buf);
}

/* <rule action= direction= priority=> with one protocol child, returned. */
static xmlNodePtr
add_rule(xmlNodePtr filter, const char *action, const char *dir, int prio, const char *proto)
{
	xmlNodePtr rule = xmlNewChild(filter, NULL, BAD_CAST "rule", NULL);

	xmlNewProp(rule, BAD_CAST "action", BAD_CAST action);
	xmlNewProp(rule, BAD_CAST "direction", BAD_CAST dir);
	set_int(rule, "priority", prio);
	return xmlNewChild(rule, NULL, BAD_CAST proto, NULL);
}

static char *
dump(xmlDocPtr doc)
{
	xmlChar *mem = NULL;
	int size = 0;
	char *out;
	const char *body;

	xmlDocDumpFormatMemoryEnc(doc, &mem, &size, "UTF-8", 1);
	/* Drop the XML declaration: libvirt neither needs nor prints it. */
	body = strstr((const char *)mem, "?>\n");
	out = g_strdup(body ? body + 3 : (const char *)mem);
	xmlFree(mem);
	return out;
}

static const char *const action_names[] = { "accept", "drop", "reject" };

static const char *
proto_element(SpFwProto proto, int family)
{
	static const char *const v4[] = { "tcp", "udp", "sctp", "icmp", NULL, "all" };
	static const char *const v6[] = { "tcp-ipv6", "udp-ipv6", "sctp-ipv6", NULL, "icmpv6",
					  "all-ipv6" };

	return family == AF_INET ? v4[proto] : v6[proto];
}

/* One nwfilter rule per (family or remote address) x (port range). */
static void
add_policy_rule(xmlNodePtr filter, const SpFwRule *r, int prio)
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

		if (!elem)	/* icmp has no IPv6 twin, icmpv6 no IPv4 one */
			continue;
		for (guint p = 0; p < nports; p++) {
			xmlNodePtr m = add_rule(filter, action, dir, prio, elem);

			if (c) {
				xmlNewProp(m, BAD_CAST addr_attr, BAD_CAST c->addr);
				set_int(m, mask_attr, c->prefix);
			}
			if (r->ports->len) {
				const SpPortRange *pr = &g_array_index(r->ports, SpPortRange, p);

				set_int(m, "dstportstart", pr->lo);
				if (pr->hi != pr->lo)
					set_int(m, "dstportend", pr->hi);
			}
		}
	}
}

SpFilter *
sp_filter_for_policy(const SpPolicy *policy)
{
	xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
	SpFilter *f = g_new0(SpFilter, 1);
	xmlNodePtr root;

	f->name = g_strconcat("sparrow-policy-", policy->name, NULL);
	root = new_filter(doc, f->name);
	for (guint i = 0; i < policy->rules->len; i++)
		add_policy_rule(root, g_ptr_array_index(policy->rules, i),
				PRIO_POLICY_BASE + (int)i);
	f->xml = dump(doc);
	xmlFreeDoc(doc);
	return f;
}

static void
add_filterref(xmlNodePtr root, const char *name)
{
	xmlNodePtr ref = xmlNewChild(root, NULL, BAD_CAST "filterref", NULL);

	xmlNewProp(ref, BAD_CAST "filter", BAD_CAST name);
}

SpFilter *
sp_filter_for_binding(const SpBinding *b, gboolean inbound_accept)
{
	xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
	SpFilter *f = g_new0(SpFilter, 1);
	const char *in_default = inbound_accept ? "accept" : "drop";
	xmlNodePtr root, m;

	f->name = g_strconcat("sparrow-vm-", b->vm, NULL);
	f->is_vm = TRUE;
	root = new_filter(doc, f->name);
	/* libvirt's own anti-spoofing (MAC, IPv4 from the learned $IP, ARP) and
	 * ARP itself; clean-traffic is not used because it drops all IPv6. */
	add_filterref(root, "no-mac-spoofing");
	add_filterref(root, "no-ip-spoofing");
	add_filterref(root, "no-arp-spoofing");
	add_filterref(root, "allow-arp");
	m = add_rule(root, "accept", "inout", PRIO_ESTABLISHED, "all");
	xmlNewProp(m, BAD_CAST "state", BAD_CAST "ESTABLISHED,RELATED");
	/* Neighbour discovery must pass both ways and without state matching,
	 * or no IPv6 works at all; libvirt 9 does not instantiate ICMPv6 type
	 * matches, so all of ICMPv6 is let through (RFC 4890 asks for most of it). */
	add_rule(root, "accept", "inout", PRIO_ICMPV6, "icmpv6");
	xmlNewProp(root->last, BAD_CAST "statematch", BAD_CAST "false");
	for (guint i = 0; i < b->policies->len; i++) {
		g_autofree char *name = g_strconcat("sparrow-policy-",
						    (const char *)g_ptr_array_index(b->policies, i),
						    NULL);

		add_filterref(root, name);
	}
	add_rule(root, "accept", "out", PRIO_OUT_ACCEPT, "all");
	add_rule(root, "accept", "out", PRIO_OUT_ACCEPT, "all-ipv6");
	add_rule(root, in_default, "in", PRIO_IN_DEFAULT, "all");
	add_rule(root, in_default, "in", PRIO_IN_DEFAULT, "all-ipv6");
	f->xml = dump(doc);
	xmlFreeDoc(doc);
	return f;
}

GPtrArray *
sp_filters_generate(const SpFirewall *fw)
{
	GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)sp_filter_free);

	for (guint i = 0; i < fw->policies->len; i++)
		g_ptr_array_add(out, sp_filter_for_policy(g_ptr_array_index(fw->policies, i)));
	for (guint i = 0; i < fw->bindings->len; i++)
		g_ptr_array_add(out, sp_filter_for_binding(g_ptr_array_index(fw->bindings, i),
							   fw->inbound_accept));
	return out;
}
