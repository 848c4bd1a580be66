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

typedef struct {
	guint16 lo, hi;
} SpPortRange;

typedef struct {
	int family;    /* AF_INET or AF_INET6 */
	char addr[48]; /* canonical text of the network address */
	int prefix;
} SpCidr;

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
} SpBinding;

typedef struct {
	gboolean inbound_accept; /* [defaults] inbound = accept */
	GPtrArray *policies;     /* SpPolicy *, sorted by name */
	GPtrArray *bindings;     /* SpBinding *, file order */
	SpDiag *warnings;        /* FILE:LINE:COL: warning: ..., for the admin */
} SpFirewall;

/* Parse one policy's text; path is used in diagnostics. NULL if any error
 * (all of them are in diag). */
SpPolicy *sp_policy_parse(const char *name, const char *path, const char *text, SpDiag *diag)
	G_GNUC_WARN_UNUSED_RESULT;
void sp_policy_free(SpPolicy *policy);
/* Line and column (bytes, 1-based) of text[offset], for messages. */
void sp_text_position(const char *text, gsize offset, int *line, int *col);

/* "198.51.100.7", "203.0.113.0/24", "2001:db8::/32": the network address in
 * canonical form. FALSE with an error (sp_error) for anything else, and for
 * host bits set after the prefix (a typo, usually). */
gboolean sp_cidr_parse(const char *text, SpCidr *out);

/* One item of a comma list, with the column an error about it points at. */
typedef struct {
	char *text; /* trimmed; "" for an empty item */
	int col;    /* its first character; for an empty item the ',' before it
			 * (or after it, when it comes first) */
} SpListItem;

/* text's comma-separated items (SpListItem, freed with the array). The
 * column of text[i] is cols[i], or base + i when cols is NULL. */
GArray *sp_list_items(const char *text, const int *cols, int base);
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
