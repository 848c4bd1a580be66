/* SPDX-License-Identifier: GPL-2.0-or-later */
/* From policies and bindings to libvirt nwfilter XML.
 *
 *   sparrow-policy-NAME   the rules of one policy, with IPv6 twins where the
 *                         addresses allow both families
 *   sparrow-source-checks what every VM with addresses shares: the sources
 *                         of a host without an address yet, then the drops
 *   sparrow-vm-NAME       the root filter a VM's interface references:
 *                         MAC checks, no router advertisements (unless a
 *                         router), the source address checks (its own
 *                         addresses, and sparrow-source-checks, which drops
 *                         other frame types), ARP, ESTABLISHED/RELATED,
 *                         DHCP offers (from the listed servers), ICMPv6
 *                         (neighbour discovery), the policies, outbound
 *                         accept, then the inbound default
 *
 * The root filter uses no variable but $MAC (through libvirt's
 * no-mac-spoofing and no-arp-mac-spoofing): libvirt instantiates no part
 * of a filter tree until it has every variable of it, and without the
 * domain's IP parameter it learns $IP from the VM's traffic, leaving the
 * VM unfiltered until then. So the addresses are written into the filter.
 *
 * Priorities (libvirt orders rules by priority across the whole tree):
 *   ebtables (the VM's own frames): -800 MAC (libvirt's chain), -700/-690
 *   IPv4 sources, -610 router advertisements and redirects, -600/-590 IPv6
 *   sources, -520 ARP MAC (libvirt's chain), -515/-512 ARP sender
 *   addresses, -500 ARP accept (libvirt's chain), -460 the ethertypes a VM
 *   may send besides, -450 every other frame type;
 *   iptables: -400 established, -350 DHCP offers, -300 ICMPv6, 100 + N the
 *   Nth rule of a policy, 800 outbound accept, 900 the inbound default. The
 *   outbound accept must stay below the inbound default: libvirt also puts
 *   an inbound drop into the chain of the VM's own traffic.
 *
 * Policy drop and reject rules carry state="NEW": without a state libvirt
 * instantiates them in both directions. The root's ESTABLISHED,RELATED
 * accept is <all> for IPv4 and tcp-ipv6, udp-ipv6, sctp-ipv6 for IPv6.
 * libvirt 9.0's schema has no state on any IPv6 element
 * (common-ipv6-attributes-p2), but its parser (COMMON_IP_PROPS) and the
 * ip6tables driver take it; so filters are defined without schema
 * validation (apply.c) and tested against the schema plus that attribute
 * and arpsrcipmask (schema.c). */
#pragma once

#include <glib.h>

#include "policy.h"

typedef struct {
	char *name;
	char *xml;
	gboolean is_vm; /* a root filter (parents of the policy filters) */
} SpFilter;

void sp_filter_free(SpFilter *f);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SpFilter, sp_filter_free)

/* The stable UUID of a filter: a name-based (SHA-1, version 5) UUID, so
 * every run and every host gives a filter the same one. */
char *sp_filter_uuid(const char *filter_name);

/* Shared by every root filter of a VM with addresses: the drops of the
 * source checks (generate.c); defined only when some VM has addresses. */
#define SP_SOURCE_CHECKS_FILTER "sparrow-source-checks"

SpFilter *sp_filter_for_policy(const SpPolicy *policy);
SpFilter *sp_filter_source_checks(void);
SpFilter *sp_filter_for_binding(const SpBinding *binding, const SpFirewall *fw);
/* Every filter of the configuration, children (policies, then the source
 * checks) before parents. */
GPtrArray *sp_filters_generate(const SpFirewall *fw);
