/* SPDX-License-Identifier: GPL-2.0-or-later */
/* From policies and bindings to libvirt nwfilter XML.
 *
 *   sparrow-policy-NAME   the rules of one policy, with IPv6 twins where the
 *                         addresses allow both families
 *   sparrow-vm-NAME       the root filter a VM's interface references:
 *                         anti-spoofing, ARP, ESTABLISHED/RELATED, ICMPv6
 *                         (neighbour discovery), the policies, outbound
 *                         accept, then the inbound default
 *
 * Priorities (libvirt orders rules by priority across the whole tree):
 *   -400 established, -300 ICMPv6, 100 + N the Nth rule of a policy,
 *   800 outbound accept, 900 the inbound default. The outbound accept must
 *   stay below the inbound default: libvirt also puts an inbound drop into
 *   the chain of the VM's own traffic.
 *
 * Policy drop and reject rules carry state="NEW": without a state libvirt
 * instantiates them in both directions. The root's ESTABLISHED,RELATED
 * accept is <all> for IPv4 and tcp-ipv6, udp-ipv6, sctp-ipv6 for IPv6.
 * libvirt 9.0's schema has no state on any IPv6 element
 * (common-ipv6-attributes-p2), but its parser (COMMON_IP_PROPS) and the
 * ip6tables driver take it; so filters are defined without schema
 * validation (apply.c) and tested against the schema plus that attribute. */
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

SpFilter *sp_filter_for_policy(const SpPolicy *policy);
SpFilter *sp_filter_for_binding(const SpBinding *binding, gboolean inbound_accept);
/* Every filter of the configuration, children (policies) before parents. */
GPtrArray *sp_filters_generate(const SpFirewall *fw);
