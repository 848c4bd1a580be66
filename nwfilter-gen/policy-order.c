/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Binding order against libvirt's order. libvirt sorts the rules of a VM's
 * whole filter tree by priority alone, and a policy filter is shared by every
 * VM bound to it (incremental apply depends on that), so its rules carry one
 * priority each, 100 + their position in the file, whatever the binding. A
 * binding "a, b" is therefore honoured exactly unless a rule of b comes at or
 * before a rule of a (equal priorities have no defined order) and the two
 * decide differently (accept against drop or reject) on some packet both
 * match. That is what check refuses; allow-only policies and rules that
 * cannot meet are never refused. */
#include "config.h"

#include <sys/socket.h>

#include "policy.h"

static gboolean
has_family(const SpFwRule *r, int family)
{
	if ((r->proto == SP_FW_ICMP && family != AF_INET) ||
	    (r->proto == SP_FW_ICMPV6 && family != AF_INET6))
		return FALSE;
	if (r->remotes->len == 0)
		return TRUE;
	for (guint i = 0; i < r->remotes->len; i++)
		if (g_array_index(r->remotes, SpCidr, i).family == family)
			return TRUE;
	return FALSE;
}

static gboolean
remotes_overlap(const SpFwRule *a, const SpFwRule *b, int family)
{
	if (!has_family(a, family) || !has_family(b, family))
		return FALSE;
	if (a->remotes->len == 0 || b->remotes->len == 0)
		return TRUE;
	for (guint i = 0; i < a->remotes->len; i++)
		for (guint j = 0; j < b->remotes->len; j++)
			if (sp_cidr_overlap(&g_array_index(a->remotes, SpCidr, i),
					    &g_array_index(b->remotes, SpCidr, j)))
				return TRUE;
	return FALSE;
}

static gboolean
ports_overlap(const SpFwRule *a, const SpFwRule *b)
{
	/* No port list: every port (or a protocol without ports). */
	if (a->ports->len == 0 || b->ports->len == 0)
		return TRUE;
	for (guint i = 0; i < a->ports->len; i++) {
		const SpPortRange *p = &g_array_index(a->ports, SpPortRange, i);

		for (guint j = 0; j < b->ports->len; j++) {
			const SpPortRange *q = &g_array_index(b->ports, SpPortRange, j);

			if (p->lo <= q->hi && q->lo <= p->hi)
				return TRUE;
		}
	}
	return FALSE;
}

gboolean
sp_fw_rules_overlap(const SpFwRule *a, const SpFwRule *b)
{
	if (a->dir != b->dir)
		return FALSE;
	if (a->proto != b->proto && a->proto != SP_FW_ANY && b->proto != SP_FW_ANY)
		return FALSE;
	return ports_overlap(a, b) &&
	       (remotes_overlap(a, b, AF_INET) || remotes_overlap(a, b, AF_INET6));
}

gboolean
sp_policy_order_conflict(const SpPolicy *earlier, const SpPolicy *later, const SpFwRule **first,
			 const SpFwRule **second)
{
	for (guint i = 0; i < earlier->rules->len; i++) {
		const SpFwRule *e = g_ptr_array_index(earlier->rules, i);

		/* Rule N of a policy has priority 100 + N (generate.c). */
		for (guint j = 0; j <= i && j < later->rules->len; j++) {
			const SpFwRule *l = g_ptr_array_index(later->rules, j);

			if ((e->action == SP_FW_ALLOW) != (l->action == SP_FW_ALLOW) &&
			    sp_fw_rules_overlap(e, l)) {
				*first = e;
				*second = l;
				return TRUE;
			}
		}
	}
	return FALSE;
}
