/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The plan: the devices the configuration asks for, then per device what is
 * to be done about the link the kernel has (nothing, create, fix in place,
 * or a conflict that refuses the run), and what `down` removes and when it
 * refuses. Pure: it reads no kernel, changes nothing and prints nothing;
 * what a kind checks is its own (link-kind.h). */
#include "config.h"

#include <string.h>

#include "plan.h"
#include "sp-error.h"
#include "sp-inet.h"

void
sp_step_free(SpStep *step)
{
	if (!step)
		return;
	g_free(step->why);
	if (step->peers_add)
		g_ptr_array_free(step->peers_add, TRUE);
	if (step->peers_del)
		g_ptr_array_free(step->peers_del, TRUE);
	g_free(step);
}

const char *
sp_step_kind_name(SpStepKind kind)
{
	static const char *const names[] = {"ok", "create", "fix", "conflict", "warn"};

	return names[kind];
}

const char *
sp_step_state_name(SpStepKind kind)
{
	static const char *const names[] = {"ok", "missing", "drift", "conflict", "warn"};

	return names[kind];
}

static SpStep *
step(SpStepKind kind, const SpDevice *d, char *why)
{
	SpStep *s = g_new0(SpStep, 1);

	s->kind = kind;
	s->dev = *d;
	s->why = why;
	return s;
}

static gboolean
has_ip(GPtrArray *list, const char *ip)
{
	for (guint i = 0; list && i < list->len; i++) {
		if (sp_inet_same(g_ptr_array_index(list, i), ip))
			return TRUE;
	}
	return FALSE;
}

static void append_why(GString *why, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static void
append_why(GString *why, const char *fmt, ...)
{
	va_list ap;

	if (why->len)
		g_string_append(why, "; ");
	va_start(ap, fmt);
	g_string_append_vprintf(why, fmt, ap);
	va_end(ap);
}

static char *
why_or_null(GString *why)
{
	if (!why->len) {
		g_string_free(why, TRUE);
		return NULL;
	}
	return g_string_free(why, FALSE);
}

/* What cannot be changed in place: the kind and the identity (VLAN id and
 * lower device, VNI, remote or group, UDP port, underlay; bond mode while
 * slaves are attached). Such a link is reported, never silently replaced or
 * accepted: it may carry traffic. */
static char *
identity_mismatch(const SpDevice *d, const SpLinkState *l)
{
	const SpLinkKind *kind = sp_link_kind(d->kind);
	g_autoptr(GPtrArray) why = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *text = NULL;

	if (strcmp(l->kind, kind->name) != 0)
		return g_strdup_printf("'%s' is a %s link, not a %s", d->name,
				       l->kind[0] ? l->kind : "plain", kind->name);
	if (kind->identity)
		kind->identity(d, l, why);
	if (!why->len)
		return NULL;
	g_ptr_array_add(why, NULL);
	text = g_strjoinv("; ", (char **) why->pdata);
	if (d->net)
		return g_strdup_printf("%s (cannot change in place: run 'netplug down %s', then "
				       "'netplug up %s')",
				       text, d->net->name, d->net->name);
	return g_strdup_printf("%s (cannot change in place: run 'netplug down', then 'netplug up')",
			       text);
}

/* What a run can set in place: master, up, MTU, the ownership marks. */
static void
link_drift(const SpDevice *d, const SpLinkState *l, GString *why)
{
	if (strcmp(l->master, d->master) != 0)
		append_why(why, "master is '%s', not '%s'", l->master, d->master);
	if (!l->up)
		append_why(why, "it is down");
	if (d->mtu && l->mtu != d->mtu)
		append_why(why, "mtu is %d, not %d", l->mtu, d->mtu);
	if (!d->is_slave && strcmp(l->alias, d->owner) != 0)
		append_why(why, "alias is '%s', not '%s'", l->alias, d->owner);
	if (!d->is_slave && l->group != SP_NETPLUG_GROUP)
		append_why(why, "group is %u, not %u", l->group, SP_NETPLUG_GROUP);
}

/* Missing peers are appended; stray ones on our own device removed. On a
 * device being adopted a stray peer is somebody's: *conflict says so. */
static void
peer_drift(SpStep *s, const SpLinkState *l, GString *why, char **conflict)
{
	const SpLinkKind *kind = sp_link_kind(s->dev.kind);
	g_autoptr(GPtrArray) want = NULL;

	if (!kind->peers || !s->dev.net || !l->peers)
		return;
	want = kind->peers(&s->dev);
	for (guint i = 0; i < want->len; i++) {
		const char *ip = g_ptr_array_index(want, i);

		if (has_ip(l->peers, ip))
			continue;
		if (!s->peers_add)
			s->peers_add = g_ptr_array_new_with_free_func(g_free);
		g_ptr_array_add(s->peers_add, g_strdup(ip));
		append_why(why, "peer '%s' is missing", ip);
	}
	for (guint i = 0; i < l->peers->len; i++) {
		const char *ip = g_ptr_array_index(l->peers, i);

		if (has_ip(want, ip))
			continue;
		if (!sp_link_is_ours(l)) {
			*conflict = g_strdup_printf(
				"'%s' has a peer '%s' that is not in the configuration "
				"and the device is not netplug's; remove the peer "
				"(bridge fdb del 00:00:00:00:00:00 dev %s dst %s) or "
				"the device",
				s->dev.name, ip, s->dev.name, ip);
			return;
		}
		if (!s->peers_del)
			s->peers_del = g_ptr_array_new_with_free_func(g_free);
		g_ptr_array_add(s->peers_del, g_strdup(ip));
		append_why(why, "peer '%s' is not configured", ip);
	}
}

/* The step for a device that exists and may be ours: OK, FIX or CONFLICT. */
static SpStep *
existing_step(const SpDevice *d, const SpLinkState *l)
{
	SpStep *s = step(SP_STEP_OK, d, NULL);
	GString *why = g_string_new(NULL);
	char *conflict = NULL;

	link_drift(d, l, why);
	s->fix_link = why->len > 0;
	peer_drift(s, l, why, &conflict);
	g_strlcpy(s->was_alias, l->alias, sizeof(s->was_alias));
	g_strlcpy(s->was_master, l->master, sizeof(s->was_master));
	s->was_ifindex = l->ifindex;
	s->was_group = l->group;
	s->was_mtu = l->mtu;
	s->was_up = l->up;
	if (conflict) {
		g_string_free(why, TRUE);
		s->kind = SP_STEP_CONFLICT;
		s->why = conflict;
	} else if ((s->why = why_or_null(why))) {
		s->kind = SP_STEP_FIX;
	}
	return s;
}

static SpStep *
slave_step(const SpDevice *d, const SpLinkState *l)
{
	if (!l)
		return step(SP_STEP_CONFLICT, d,
			    g_strdup_printf("bond slave '%s' does not exist", d->name));
	if (l->master[0] && strcmp(l->master, d->master) != 0)
		return step(SP_STEP_CONFLICT, d,
			    g_strdup_printf("'%s' already belongs to '%s'", d->name, l->master));
	return existing_step(d, l);
}

/* A new VXLAN gets the peers the kernel does not make with it: the kernel
 * makes the first remote's (or the group's) entry itself. */
static SpStep *
create_step(const SpDevice *d)
{
	const SpLinkKind *kind = sp_link_kind(d->kind);
	SpStep *s = step(SP_STEP_CREATE, d, NULL);
	g_autoptr(GPtrArray) want = kind->peers && d->net ? kind->peers(d) : NULL;

	for (guint i = 0; want && i < want->len; i++) {
		const char *ip = g_ptr_array_index(want, i);

		if (sp_inet_same(ip, d->remote))
			continue;
		if (!s->peers_add)
			s->peers_add = g_ptr_array_new_with_free_func(g_free);
		g_ptr_array_add(s->peers_add, g_strdup(ip));
	}
	return s;
}

GArray *
sp_netplug_desired(const SpNetConfig *cfg, const char *const *names)
{
	g_autoptr(GArray) out = g_array_new(FALSE, TRUE, sizeof(SpDevice));
	gboolean need_uplink = FALSE;

	if (sp_netconfig_check_names(cfg, names) < 0)
		return NULL;
	for (guint j = 0; j < cfg->networks->len; j++) {
		const SpNetwork *n = g_ptr_array_index(cfg->networks, j);

		need_uplink |= n->lower->needs_uplink && sp_netconfig_wanted(n, names);
	}
	if (need_uplink) {
		SpDevice bond = {.kind = SP_DEV_BOND, .mode = cfg->mode};

		g_strlcpy(bond.name, cfg->bond, sizeof(bond.name));
		g_strlcpy(bond.owner, SP_NETPLUG_OWNER "uplink", sizeof(bond.owner));
		g_array_append_val(out, bond);
		for (guint i = 0; i < cfg->slaves->len; i++) {
			SpDevice s = {.kind = SP_DEV_BOND, .is_slave = TRUE};

			g_strlcpy(s.name, g_ptr_array_index(cfg->slaves, i), sizeof(s.name));
			g_strlcpy(s.master, cfg->bond, sizeof(s.master));
			g_array_append_val(out, s);
		}
	}
	for (guint j = 0; j < cfg->networks->len; j++) {
		const SpNetwork *n = g_ptr_array_index(cfg->networks, j);
		SpDevice br = {.kind = SP_DEV_BRIDGE, .mtu = n->mtu, .net = n};
		SpDevice low = {.kind = n->lower->kind, .mtu = n->mtu, .net = n};
		g_autofree char *name = sp_network_dev_name(n, cfg->bond, SP_NAME_LOWER);

		if (!sp_netconfig_wanted(n, names))
			continue;
		g_snprintf(br.owner, sizeof(br.owner), SP_NETPLUG_OWNER "%s", n->name);
		g_strlcpy(br.name, n->bridge, sizeof(br.name));
		g_strlcpy(low.owner, br.owner, sizeof(low.owner));
		g_strlcpy(low.name, name, sizeof(low.name));
		g_strlcpy(low.master, br.name, sizeof(low.master));
		n->lower->desire(&low, cfg, n);
		g_array_append_val(out, br);
		g_array_append_val(out, low);
	}
	return g_steal_pointer(&out);
}

GPtrArray *
sp_netplug_plan(GArray *desired, GHashTable *links, gboolean adopt)
{
	GPtrArray *steps = g_ptr_array_new_with_free_func((GDestroyNotify) sp_step_free);

	for (guint i = 0; i < desired->len; i++) {
		const SpDevice *d = &g_array_index(desired, SpDevice, i);
		const SpLinkState *l = g_hash_table_lookup(links, d->name);
		char *why;

		/* Slaves are the admin's NICs: netplug enslaves, never creates. */
		if (d->is_slave)
			g_ptr_array_add(steps, slave_step(d, l));
		else if (!l)
			g_ptr_array_add(steps, create_step(d));
		else if (!sp_link_is_ours(l) && !adopt)
			g_ptr_array_add(
				steps,
				step(SP_STEP_CONFLICT, d,
				     g_strdup_printf(
					     "'%s' exists and was not made by netplug (alias '%s'); "
					     "remove it, rename the network's device, or --adopt it",
					     d->name, l->alias)));
		else if ((why = identity_mismatch(d, l)))
			g_ptr_array_add(steps, step(SP_STEP_CONFLICT, d, why));
		else
			g_ptr_array_add(steps, existing_step(d, l));
	}
	return steps;
}

void
sp_netplug_plan_tolerate_slaves(GPtrArray *steps)
{
	gboolean bond_usable = FALSE;

	for (guint i = 0; i < steps->len; i++) {
		const SpStep *s = g_ptr_array_index(steps, i);

		if (s->dev.kind == SP_DEV_BOND && !s->dev.is_slave && s->kind != SP_STEP_CREATE)
			bond_usable = TRUE;
		else if (s->dev.is_slave && s->kind != SP_STEP_CONFLICT)
			bond_usable = TRUE;
	}
	for (guint i = 0; i < steps->len && bond_usable; i++) {
		SpStep *s = g_ptr_array_index(steps, i);

		if (s->dev.is_slave && s->kind == SP_STEP_CONFLICT)
			s->kind = SP_STEP_WARN;
	}
}

/* A link that is not being removed and hangs on dev: with ports, a port of
 * bridge dev that netplug did not make (a VM's tap); else any device stacked
 * on bond dev (a VLAN of another network, of an older configuration, or not
 * ours). */
static const SpLinkState *
staying_on(GHashTable *links, const char *dev, gboolean ports, GPtrArray *removing)
{
	GHashTableIter it;
	gpointer value;

	g_hash_table_iter_init(&it, links);
	while (g_hash_table_iter_next(&it, NULL, &value)) {
		const SpLinkState *l = value;

		if (strcmp(ports ? l->master : l->link, dev) == 0 &&
		    !(ports && sp_link_is_ours(l)) &&
		    !g_ptr_array_find_with_equal_func(removing, l->name, g_str_equal, NULL))
			return l;
	}
	return NULL;
}

static void
add_removal(GPtrArray *removing, GHashTable *links, const char *name)
{
	const SpLinkState *l = g_hash_table_lookup(links, name);

	if (l && sp_link_is_ours(l))
		g_ptr_array_add(removing, (gpointer) l->name);
}

/* The bridge whose ports lose their network when l goes: l itself, or the
 * bridge the kernel has it in (not the one the configuration names now). */
static int
check_ports(GHashTable *links, const SpLinkState *l, GPtrArray *removing)
{
	const char *bridge =
		strcmp(l->kind, sp_link_kind(SP_DEV_BRIDGE)->name) == 0 ? l->name : l->master;
	const SpLinkState *port;

	/* A bridge being removed too is checked as itself. */
	if (!bridge[0] || (bridge != l->name &&
			   g_ptr_array_find_with_equal_func(removing, bridge, g_str_equal, NULL)))
		return 0;
	if (!(port = staying_on(links, bridge, TRUE, removing)))
		return 0;
	if (bridge == l->name)
		sp_error(
			"bridge '%s' still has '%s' attached (a VM?); stop it first or use --force",
			bridge, port->name);
	else
		sp_error(
			"'%s' is in bridge '%s', which still has '%s' attached (a VM?); stop it first "
			"or use --force",
			l->name, bridge, port->name);
	return -1;
}

GPtrArray *
sp_netplug_plan_down(const SpNetConfig *cfg, const char *const *names, GHashTable *links,
		     gboolean force)
{
	g_autoptr(GPtrArray) removing = g_ptr_array_new();
	gboolean all = !names || !names[0];
	const SpLinkState *up;

	if (sp_netconfig_check_names(cfg, names) < 0)
		return NULL;
	for (guint i = 0; i < cfg->networks->len; i++) {
		const SpNetwork *n = g_ptr_array_index(cfg->networks, i);
		g_autofree char *low = sp_network_dev_name(n, cfg->bond, SP_NAME_LOWER);

		if (!sp_netconfig_wanted(n, names))
			continue;
		add_removal(removing, links, low);
		add_removal(removing, links, n->bridge);
	}
	if (cfg->bond && all)
		add_removal(removing, links, cfg->bond);
	if (force)
		return g_steal_pointer(&removing);
	/* Check everything first: refuse before removing anything. */
	for (guint i = 0; i < removing->len; i++) {
		if (check_ports(links, g_hash_table_lookup(links, g_ptr_array_index(removing, i)),
				removing) < 0)
			return NULL;
	}
	if (cfg->bond && all &&
	    g_ptr_array_find_with_equal_func(removing, cfg->bond, g_str_equal, NULL) &&
	    (up = staying_on(links, cfg->bond, FALSE, removing))) {
		sp_error("bond '%s' still carries '%s' (%s); take that down first or use --force",
			 cfg->bond, up->name,
			 sp_link_is_ours(up) ? "a network no longer configured"
					     : "not made by netplug");
		return NULL;
	}
	return g_steal_pointer(&removing);
}
