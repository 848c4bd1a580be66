/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Firewall policies as admins write them (/etc/sparrow/policies.d/NAME.policy)
 * and the bindings of policies to VMs (/etc/sparrow/firewall.conf).
 *
 * Policy language, one rule per line, '#' starts a comment:
 *   set NAME ADDRS
 *   ACTION DIR PROTO [port PORTS] [from ADDRS] [to ADDRS]
 * ACTION allow|drop|reject, DIR in|out (in = towards the VM), PROTO
 * tcp|udp|sctp|icmp|icmpv6|any, PORTS a comma list of ports and ranges,
 * ADDRS any, an address or CIDR (IPv4 or IPv6), @set, or a comma list of
 * these. "from" names the remote side of inbound traffic, "to" the remote
 * side of outbound traffic. A set belongs to its file and may be used on any
 * line of it, before or after the line that defines it. */
#pragma once

#include <glib.h>

#include "sp-diag.h"
#include "sp-inet.h"

#define SP_POLICY_NAME_MAX 40
/* Rules get priorities 100 + N, which must stay below 800 (outbound accept). */
#define SP_POLICY_MAX_RULES 650

typedef enum { SP_FW_ALLOW, SP_FW_DROP, SP_FW_REJECT } SpFwAction;
typedef enum { SP_FW_IN, SP_FW_OUT } SpFwDir;
typedef enum {
	SP_FW_TCP,
	SP_FW_UDP,
	SP_FW_SCTP,
	SP_FW_ICMP,
	SP_FW_ICMPV6,
	SP_FW_ANY,
} SpFwProto;

/* The words of the policy language, indexed by the enums above and
 * NULL-terminated (policy-words.c): one table for parsing, messages and
 * the XML. */
extern const char *const sp_fw_action_words[];
extern const char *const sp_fw_dir_words[];
extern const char *const sp_fw_proto_words[];
/* Index of w in words, or -1. */
int sp_fw_word_index(const char *const *words, const char *w);
/* libvirt's name of an action ("accept" for allow). */
const char *sp_fw_action_libvirt(SpFwAction action);

typedef struct {
	guint16 lo, hi;
} SpPortRange;

typedef struct {
	SpFwAction action;
	SpFwDir dir;
	SpFwProto proto;
	GArray *ports;   /* SpPortRange; empty: every port */
	GArray *remotes; /* SpCidr; empty: anywhere */
	int line;
} SpFwRule;

typedef struct {
	char *name;
	GPtrArray *rules; /* SpFwRule * */
} SpPolicy;

typedef struct {
	char *vm;
	GPtrArray *policies; /* char *, binding order */
	GArray *addresses;   /* SpCidr: the only sources the VM may send from;
			      * NULL: not checked (no addresses, or "any") */
	GArray *ethertypes;  /* guint16: frame types besides IPv4, IPv6 and ARP
			      * that a VM with addresses may send; NULL: none */
	gboolean router;     /* may send IPv6 router advertisements, redirects */
} SpBinding;

typedef struct {
	gboolean inbound_accept; /* [defaults] inbound = accept */
	GArray *dhcp_servers;    /* SpCidr, IPv4: where DHCP offers may come
				  * from; NULL: anywhere */
	GPtrArray *policies;     /* SpPolicy *, sorted by name */
	GPtrArray *bindings;     /* SpBinding *, file order */
	SpDiag *warnings;        /* FILE:LINE:COL: warning: ..., for the admin */
} SpFirewall;

/* Parse one policy's text; path is used in diagnostics. NULL if any error
 * (all of them are in diag). */
SpPolicy *sp_policy_parse(const char *name, const char *path, const char *text, SpDiag *diag)
	G_GNUC_WARN_UNUSED_RESULT;
void sp_policy_free(SpPolicy *policy);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SpPolicy, sp_policy_free)

/* Load CONFIG_DIR/firewall.conf and CONFIG_DIR/policies.d/ *.policy and check
 * them together (unknown policies in bindings, duplicate VMs...). NULL if
 * anything is wrong, with every problem in diag. */
SpFirewall *sp_firewall_load(const char *config_dir, SpDiag *diag) G_GNUC_WARN_UNUSED_RESULT;
void sp_firewall_free(SpFirewall *fw);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SpFirewall, sp_firewall_free)

const SpPolicy *sp_firewall_policy(const SpFirewall *fw, const char *name);

/* Whether some packet matches both rules (direction, protocol, ports,
 * address families and ranges). */
gboolean sp_fw_rules_overlap(const SpFwRule *a, const SpFwRule *b);
/* Whether libvirt could evaluate a rule of later (bound after earlier) at or
 * before a rule of earlier that it overlaps with the other verdict; if so,
 * the first such pair (earlier's rule, later's rule). See policy-order.c. */
gboolean sp_policy_order_conflict(const SpPolicy *earlier, const SpPolicy *later,
				  const SpFwRule **first, const SpFwRule **second);
