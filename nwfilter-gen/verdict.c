/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The verdict of a binding on the first packet of a connection, in the order
 * libvirt evaluates the generated filters (generate.c): the root's ICMPv6
 * accept, then the policies' rules by priority (rule N of every bound policy
 * has priority 100 + N, so rule 0 of each policy in binding order, then rule
 * 1 of each...), then the outbound accept and the inbound default. Rules of
 * equal priority have no defined order in libvirt, but check refuses a
 * binding where two of them decide differently on a common packet
 * (policy-order.c), so taking them in binding order gives libvirt's answer.
 * A rule matches the packet when sp_fw_rules_overlap() says a one-packet
 * rule meets it: the one definition of "a rule matches". */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "sp-error.h"
#include "sp-names.h"
#include "verdict.h"

int
sp_fw_packet_parse(char **words, SpFwPacket *out)
{
	SpFwPacket p = {0};
	int dir, proto, i = 0;

	if (!words[0] || !words[1]) {
		sp_error("a packet is: in|out PROTO [PORT] ADDRESS");
		return -1;
	}
	dir = sp_fw_word_index(sp_fw_dir_words, words[i++]);
	if (dir < 0) {
		sp_error("direction '%s' is not in or out", words[0]);
		return -1;
	}
	proto = sp_fw_word_index(sp_fw_proto_words, words[i++]);
	if (proto < 0 || proto == SP_FW_ANY) {
		sp_error("protocol '%s' is not tcp, udp, sctp, icmp or icmpv6", words[1]);
		return -1;
	}
	p.dir = dir;
	p.proto = proto;
	if (proto != SP_FW_ICMP && proto != SP_FW_ICMPV6) {
		char *end = NULL;
		long port = words[i] ? strtol(words[i], &end, 10) : 0;

		if (!words[i] || *end || end == words[i] || port < 1 || port > 65535) {
			sp_error("port '%s' is not a number from 1 to 65535",
				 words[i] ? words[i] : "");
			return -1;
		}
		p.port = (guint16) port;
		i++;
	}
	if (!words[i] || words[i + 1]) {
		sp_error("a packet is: in|out PROTO [PORT] ADDRESS");
		return -1;
	}
	if (sp_inet_parse(words[i], &p.remote) < 0)
		return -1;
	if ((proto == SP_FW_ICMP && p.remote.family != AF_INET) ||
	    (proto == SP_FW_ICMPV6 && p.remote.family != AF_INET6)) {
		sp_error("'%s' is not an address of %s", words[i], words[1]);
		return -1;
	}
	*out = p;
	return 0;
}

static const SpBinding *
binding_of(const SpFirewall *fw, const char *vm)
{
	for (guint i = 0; i < fw->bindings->len; i++) {
		const SpBinding *b = g_ptr_array_index(fw->bindings, i);

		if (strcmp(b->vm, vm) == 0)
			return b;
	}
	return NULL;
}

int
sp_firewall_verdict(const SpFirewall *fw, const char *vm, const SpFwPacket *packet,
		    SpFwVerdict *out)
{
	const SpBinding *b;
	SpPortRange range = {packet->port, packet->port};
	g_autoptr(GArray) ports = g_array_new(FALSE, FALSE, sizeof(SpPortRange));
	g_autoptr(GArray) remotes = g_array_new(FALSE, FALSE, sizeof(SpCidr));
	SpFwRule one = {.dir = packet->dir,
			.proto = packet->proto,
			.ports = ports,
			.remotes = remotes};
	guint depth = 0;

	if (!sp_name_domain_valid(vm))
		return -1;
	if (packet->port)
		g_array_append_val(ports, range);
	g_array_append_val(remotes, packet->remote);
	*out = (SpFwVerdict){.action = SP_FW_ALLOW};
	/* The root accepts every ICMPv6 packet before any policy. */
	if (packet->proto == SP_FW_ICMPV6)
		return 0;
	b = binding_of(fw, vm);
	for (guint i = 0; b && i < b->policies->len; i++)
		depth = MAX(depth,
			    sp_firewall_policy(fw, g_ptr_array_index(b->policies, i))->rules->len);
	for (guint n = 0; n < depth; n++) {
		for (guint i = 0; i < b->policies->len; i++) {
			const SpPolicy *p =
				sp_firewall_policy(fw, g_ptr_array_index(b->policies, i));
			const SpFwRule *r =
				n < p->rules->len ? g_ptr_array_index(p->rules, n) : NULL;

			if (r && sp_fw_rules_overlap(r, &one)) {
				*out = (SpFwVerdict){.action = r->action,
						     .policy = p->name,
						     .rule = r};
				return 0;
			}
		}
	}
	if (packet->dir == SP_FW_IN && !fw->inbound_accept)
		out->action = SP_FW_DROP;
	return 0;
}
