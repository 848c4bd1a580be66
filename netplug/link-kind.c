/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The registry of link kinds, and the bridge kind, which has nothing of its
 * own to read, put or check. Only what link-kind.h allows a kind. */
#include "config.h"

#include <string.h>

#include "link-kind.h"

static const SpLinkKind sp_link_bridge = {
	.kind = SP_DEV_BRIDGE,
	.name = "bridge",
};

/* Indexed by SpDevKind. */
static const SpLinkKind *const kinds[] = {&sp_link_bond, &sp_link_vlan, &sp_link_vxlan,
					  &sp_link_bridge};

static const SpLinkKind *const lower_kinds[] = {&sp_link_vlan, &sp_link_vxlan, NULL};

const SpLinkKind *
sp_link_kind(SpDevKind kind)
{
	return kinds[kind];
}

const SpLinkKind *
sp_link_kind_by_name(const char *name)
{
	for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++) {
		if (strcmp(kinds[i]->name, name) == 0)
			return kinds[i];
	}
	return NULL;
}

const SpLinkKind *const *
sp_link_kinds_lower(void)
{
	return lower_kinds;
}

void
sp_link_state_free(SpLinkState *l)
{
	if (!l)
		return;
	if (l->peers)
		g_ptr_array_free(l->peers, TRUE);
	g_free(l);
}

gboolean
sp_link_is_ours(const SpLinkState *l)
{
	return g_str_has_prefix(l->alias, SP_NETPLUG_OWNER) || l->group == SP_NETPLUG_GROUP;
}
