#include "config.h"

#include <string.h>

#include "plan.h"

void
sp_step_free(SpStep *step)
{
	if (!step)
		return;
	g_free(step->why);
	g_free(step);
}

const char *
sp_step_kind_name(SpStepKind kind)
{
	static const char *const names[] = { "ok", "create", "fix", "conflict" };

	return names[kind];
}

gboolean
sp_link_is_ours(const SpLinkState *l)
{
	return g_str_has_prefix(l->alias, "sparrow:netplug:") || l->group == SP_NETPLUG_GROUP;
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

/* What cannot be changed in place: the kind and the identity (VLAN id, VNI,
 * bond mode while slaves are attached). Such a link is reported, never
 * silently replaced: it may carry traffic. */
static char *
identity_mismatch(const SpDevice *d, const SpLinkState *l)
{
	const char *want = sp_netplug_kind_name(d->kind);

	if (strcmp(l->kind, want) != 0)
		return g_strdup_printf("%s is a %s link, not a %s", d->name,
				       l->kind[0] ? l->kind : "plain", want);
	if (d->kind == SP_DEV_VLAN && l->vlan != d->vlan)
		return g_strdup_printf("%s has VLAN id %d, not %d", d->name, l->vlan, d->vlan);
	if (d->kind == SP_DEV_VXLAN && l->vni != d->vni)
		return g_strdup_printf("%s has VNI %u, not %u", d->name, l->vni, d->vni);
	if (d->kind == SP_DEV_BOND && l->bond_mode >= 0 && l->bond_mode != d->mode)
		return g_strdup_printf("%s is in bond mode %d, not %d", d->name, l->bond_mode, d->mode);
	return NULL;
}

/* What a run can set in place: master, up, MTU, the ownership marks. */
static char *
drift(const SpDevice *d, const SpLinkState *l)
{
	GString *why = g_string_new(NULL);

	if (strcmp(l->master, d->master) != 0)
		g_string_append_printf(why, "%smaster is '%s', not '%s'", why->len ? "; " : "",
				       l->master, d->master);
	if (!l->up)
		g_string_append_printf(why, "%sit is down", why->len ? "; " : "");
	if (d->mtu && l->mtu != d->mtu)
		g_string_append_printf(why, "%smtu is %d, not %d", why->len ? "; " : "", l->mtu, d->mtu);
	if (!d->is_slave && strcmp(l->alias, d->owner) != 0)
		g_string_append_printf(why, "%salias is '%s', not '%s'", why->len ? "; " : "",
				       l->alias, d->owner);
	if (!why->len) {
		g_string_free(why, TRUE);
		return NULL;
	}
	return g_string_free(why, FALSE);
}

GPtrArray *
sp_netplug_plan(GArray *desired, GHashTable *links, gboolean adopt)
{
	GPtrArray *steps = g_ptr_array_new_with_free_func((GDestroyNotify)sp_step_free);

	for (guint i = 0; i < desired->len; i++) {
		const SpDevice *d = &g_array_index(desired, SpDevice, i);
		const SpLinkState *l = g_hash_table_lookup(links, d->name);
		char *why;

		if (d->is_slave) {
			/* Slaves are the admin's NICs: netplug enslaves, never creates. */
			if (!l)
				g_ptr_array_add(steps, step(SP_STEP_CONFLICT, d,
					g_strdup_printf("bond slave %s does not exist", d->name)));
			else if (l->master[0] && strcmp(l->master, d->master) != 0)
				g_ptr_array_add(steps, step(SP_STEP_CONFLICT, d,
					g_strdup_printf("%s already belongs to %s", d->name, l->master)));
			else if ((why = drift(d, l)))
				g_ptr_array_add(steps, step(SP_STEP_FIX, d, why));
			else
				g_ptr_array_add(steps, step(SP_STEP_OK, d, NULL));
			continue;
		}
		if (!l) {
			g_ptr_array_add(steps, step(SP_STEP_CREATE, d, NULL));
		} else if (!sp_link_is_ours(l) && !adopt) {
			g_ptr_array_add(steps, step(SP_STEP_CONFLICT, d,
				g_strdup_printf("%s exists and was not made by netplug (alias '%s'); "
						"remove it, rename the network's device, or --adopt it",
						d->name, l->alias)));
		} else if ((why = identity_mismatch(d, l))) {
			g_ptr_array_add(steps, step(SP_STEP_CONFLICT, d, why));
		} else if ((why = drift(d, l))) {
			g_ptr_array_add(steps, step(SP_STEP_FIX, d, why));
		} else {
			g_ptr_array_add(steps, step(SP_STEP_OK, d, NULL));
		}
	}
	return steps;
}
