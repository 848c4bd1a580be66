/* SPDX-License-Identifier: GPL-2.0-or-later */
/* networks.conf: parsing and checking it whole. Every problem goes into the
 * SpDiag and parsing goes on, so that an admin fixes all of them in one pass;
 * a file with any is refused. What a network's kind reads is its kind's
 * (link-kind.h); this file knows groups, names and what spans networks. It
 * never talks to the kernel and never prints. */
#include "config.h"

#include <string.h>

#include "confkey.h"
#include "link-kind.h"
#include "netconfig.h"
#include "sp-config.h"
#include "sp-error.h"
#include "sp-names.h"

static void
network_free(gpointer data)
{
	SpNetwork *n = data;

	g_free(n->name);
	g_ptr_array_free(n->remotes, TRUE);
	g_free(n->group);
	g_free(n->vxlan_dev);
	g_free(n->bridge);
	g_free(n);
}

void
sp_netconfig_free(SpNetConfig *cfg)
{
	if (!cfg)
		return;
	g_free(cfg->bond);
	if (cfg->slaves)
		g_ptr_array_free(cfg->slaves, TRUE);
	if (cfg->networks)
		g_ptr_array_free(cfg->networks, TRUE);
	g_free(cfg);
}

char *
sp_network_dev_name(const SpNetwork *n, const char *bond, SpNameRole role)
{
	return n->lower ? n->lower->dev_name(n, bond, role) : NULL;
}

static void
parse_bond_mode(SpNetConfig *cfg, const SpConfig *c, SpDiag *diag)
{
	const char *text = sp_config_get(c, "uplink", "mode");
	g_autofree char *safe = sp_bond_modes_safe_text();
	int mode;

	cfg->mode = sp_bond_mode_parse("active-backup");
	if (!text)
		return;
	if ((mode = sp_bond_mode_parse(text)) < 0) {
		sp_config_diag(c, diag, "uplink", "mode", "unknown bond mode '%s' (%s)", text,
			       safe);
		return;
	}
	cfg->mode = mode;
	if (!sp_bond_mode_safe(mode))
		sp_config_diag(c, diag, "uplink", "mode",
			       "bond mode '%s' (%d) is not safe under a bridge: it sends a guest's "
			       "frames through several ports or rewrites their MAC, so the bridge "
			       "and the switch learn guests on the wrong port; use %s",
			       sp_bond_mode_name(mode), mode, safe);
}

static void
parse_uplink(SpNetConfig *cfg, const SpConfig *c, SpDiag *diag)
{
	static const char *const keys[] = {"bond", "slaves", "mode", NULL};
	g_autoptr(GArray) slaves = sp_confkey_list(c, diag, "uplink", "slaves");
	const char *bond = sp_config_get(c, "uplink", "bond");

	sp_config_check_keys(c, "uplink", keys, diag);
	cfg->bond = g_strdup(bond ? bond : "bond0");
	sp_confkey_ifname(c, diag, "uplink", "bond", NULL, cfg->bond);
	if (!slaves || !slaves->len)
		sp_config_diag(c, diag, "uplink", slaves ? "slaves" : NULL,
			       "[uplink] needs 'slaves = IF, IF'");
	for (guint i = 0; slaves && i < slaves->len; i++) {
		const SpListItem *it = &g_array_index(slaves, SpListItem, i);

		sp_confkey_ifname(c, diag, "uplink", "slaves", it, it->text);
		g_ptr_array_add(cfg->slaves, g_strdup(it->text));
	}
	parse_bond_mode(cfg, c, diag);
}

/* The keys a [network] group may have: its own and every kind's. */
static GPtrArray *
network_keys(void)
{
	GPtrArray *keys = g_ptr_array_new();

	g_ptr_array_add(keys, (gpointer) "mtu");
	g_ptr_array_add(keys, (gpointer) "bridge");
	for (const SpLinkKind *const *k = sp_link_kinds_lower(); *k; k++) {
		g_ptr_array_add(keys, (gpointer) (*k)->id_key);
		for (const char *const *key = (*k)->keys; key && *key; key++)
			g_ptr_array_add(keys, (gpointer) *key);
	}
	g_ptr_array_add(keys, NULL);
	return keys;
}

/* "[network x] needs 'vlan = ID' or 'vxlan = VNI'" */
static void
report_no_kind(const SpConfig *c, SpDiag *diag, const char *group)
{
	g_autoptr(GPtrArray) forms = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *text = NULL;

	for (const SpLinkKind *const *k = sp_link_kinds_lower(); *k; k++)
		g_ptr_array_add(forms, g_strdup_printf("'%s = %s'", (*k)->id_key, (*k)->id_meta));
	text = sp_confkey_join((const char *const *) forms->pdata, forms->len, " or ");
	sp_config_diag(c, diag, group, NULL, "[%s] needs %s", group, text);
}

/* Keys of another kind than the network's: pointed at the first, the line to
 * delete. */
static void
check_foreign_keys(const SpNetwork *n, const SpConfig *c, SpDiag *diag, const char *group)
{
	for (const SpLinkKind *const *k = sp_link_kinds_lower(); *k; k++) {
		const char *const *keys = (*k)->keys;
		guint count = keys ? g_strv_length((char **) keys) : 0;

		for (guint i = 0; *k != n->lower && i < count; i++) {
			g_autofree char *text = NULL;

			if (!sp_config_get(c, group, keys[i]))
				continue;
			text = sp_confkey_join(keys, count, " and ");
			sp_config_diag(c, diag, group, keys[i], "%s are for %s networks", text,
				       (*k)->title);
			break;
		}
	}
}

/* A network is of the first kind whose key it has (vlan, vxlan). */
static void
parse_kind(SpNetwork *n, const SpConfig *c, SpDiag *diag, const char *group)
{
	for (const SpLinkKind *const *k = sp_link_kinds_lower(); *k; k++) {
		long v;

		if (!sp_config_get(c, group, (*k)->id_key))
			continue;
		if (n->lower) {
			sp_config_diag(c, diag, group, (*k)->id_key,
				       "a network is either a %s or a %s, not both",
				       n->lower->title, (*k)->title);
			continue;
		}
		n->lower = *k;
		if (sp_confkey_int(c, diag, group, (*k)->id_key, 1, (long) (*k)->id_max, &v))
			n->id = (guint32) v;
		if ((*k)->parse)
			(*k)->parse(n, c, group, diag);
	}
	if (!n->lower)
		report_no_kind(c, diag, group);
	else
		check_foreign_keys(n, c, diag, group);
}

static SpNetwork *
parse_network(const SpConfig *c, SpDiag *diag, const char *group)
{
	g_autoptr(GPtrArray) keys = network_keys();
	const char *name = group + strlen("network ");
	const char *bridge = sp_config_get(c, group, "bridge");
	SpNetwork *n = g_new0(SpNetwork, 1);
	long v;

	sp_config_check_keys(c, group, (const char *const *) keys->pdata, diag);
	n->name = g_strdup(name);
	n->remotes = g_ptr_array_new_with_free_func(g_free);
	n->line = sp_config_line(c, group, NULL);
	if (!sp_name_simple_valid("network", name, 32)) {
		sp_config_diag(c, diag, group, NULL, "%s", sp_error_message());
		sp_error_clear();
	}
	if (sp_confkey_int(c, diag, group, "mtu", 68, 65535, &v))
		n->mtu = (int) v;
	parse_kind(n, c, diag, group);
	n->bridge = bridge ? g_strdup(bridge) : sp_network_dev_name(n, NULL, SP_NAME_BRIDGE);
	if (n->bridge)
		sp_confkey_ifname(c, diag, group, "bridge", NULL, n->bridge);
	return n;
}

/* A device name the configuration implies, with the key that implies it. */
typedef struct {
	char *name;
	char *what; /* "the bridge of network 'web'" */
	char *group;
	const char *key;        /* NULL: the group header */
	const SpListItem *item; /* the name's place in key's list, or NULL */
	gboolean lower;         /* a network's VLAN or VXLAN device */
	gboolean default_bridge;
} NameUse;

static void
name_use_clear(gpointer data)
{
	NameUse *u = data;

	g_free(u->name);
	g_free(u->what);
	g_free(u->group);
}

static NameUse *
add_use(GArray *uses, char *name, char *what, const char *group, const char *key)
{
	NameUse u = {.name = name, .what = what, .group = g_strdup(group), .key = key};

	g_array_append_val(uses, u);
	return &g_array_index(uses, NameUse, uses->len - 1);
}

/* Every device name the file implies: the bond, its slaves (slaves: their
 * items, as parse_uplink() kept them), and per network the bridge and the
 * VLAN or VXLAN device under it. */
static GArray *
name_uses(const SpNetConfig *cfg, const SpConfig *c, const GArray *slaves)
{
	GArray *uses = g_array_new(FALSE, TRUE, sizeof(NameUse));

	g_array_set_clear_func(uses, name_use_clear);
	if (cfg->bond) {
		add_use(uses, g_strdup(cfg->bond), g_strdup("the bond"), "uplink",
			sp_config_get(c, "uplink", "bond") ? "bond" : NULL);
		for (guint i = 0; i < cfg->slaves->len; i++)
			add_use(uses, g_strdup(g_ptr_array_index(cfg->slaves, i)),
				g_strdup("a bond slave"), "uplink", "slaves")
				->item = &g_array_index(slaves, SpListItem, i);
	}
	for (guint i = 0; i < cfg->networks->len; i++) {
		const SpNetwork *n = g_ptr_array_index(cfg->networks, i);
		g_autofree char *group = g_strconcat("network ", n->name, NULL);
		gboolean explicit = sp_config_get(c, group, "bridge") != NULL;
		char *lower;

		/* A network already reported as broken would only echo here. */
		if (!n->lower || !n->id)
			continue;
		add_use(uses, g_strdup(n->bridge),
			g_strdup_printf("the bridge of network '%s'", n->name), group,
			explicit ? "bridge" : n->lower->id_key)
			->default_bridge = !explicit;
		if ((lower = sp_network_dev_name(n, cfg->bond, SP_NAME_LOWER)))
			add_use(uses, lower,
				g_strdup_printf("the %s device of network '%s'", n->lower->title,
						n->name),
				group, n->lower->id_key)
				->lower = TRUE;
	}
	return uses;
}

static int
key_line(const SpConfig *c, const char *group, const char *key)
{
	int line = key ? sp_config_line(c, group, key) : 0;

	return line ? line : sp_config_line(c, group, NULL);
}

/* One kernel name space: a bridge named like another network's VXLAN device,
 * the bond or a slave would make netplug treat one device as two. Two lower
 * devices, or two default bridges, collide only when their VLAN id or VNI
 * does, which is already reported. */
static void
check_names(const SpNetConfig *cfg, const SpConfig *c, SpDiag *diag)
{
	g_autoptr(GArray) slaves = sp_confkey_list(c, NULL, "uplink", "slaves");
	g_autoptr(GArray) uses = name_uses(cfg, c, slaves);

	for (guint i = 0; i < uses->len; i++) {
		const NameUse *a = &g_array_index(uses, NameUse, i);

		for (guint j = 0; j < i; j++) {
			const NameUse *b = &g_array_index(uses, NameUse, j);
			g_autofree char *text = NULL;

			if (strcmp(a->name, b->name) != 0 || (a->lower && b->lower) ||
			    (a->default_bridge && b->default_bridge))
				continue;
			if (strcmp(a->what, b->what) == 0)
				text = g_strdup_printf("'%s' is %s twice", a->name, a->what);
			else
				text = g_strdup_printf("'%s' would be both %s and %s (line %d)",
						       a->name, a->what, b->what,
						       key_line(c, b->group, b->key));
			if (a->item)
				sp_config_diag_item(c, diag, a->group, a->key, a->item, "%s", text);
			else
				sp_config_diag(c, diag, a->group, a->key, "%s", text);
			break;
		}
	}
}

/* What spans networks: two must not claim the same VLAN or VNI, a VLAN needs
 * the bond, the names derived must fit the kernel's and must not collide. */
static void
check_networks(const SpNetConfig *cfg, const SpConfig *c, SpDiag *diag)
{
	for (guint i = 0; i < cfg->networks->len; i++) {
		const SpNetwork *a = g_ptr_array_index(cfg->networks, i);
		g_autofree char *ga = g_strconcat("network ", a->name, NULL);
		g_autofree char *dev = NULL;

		/* A network already reported as broken would only echo here. */
		if (!a->lower || !a->id)
			continue;
		for (guint j = 0; j < i; j++) {
			const SpNetwork *b = g_ptr_array_index(cfg->networks, j);

			if (b->lower == a->lower && b->id == a->id)
				sp_config_diag(c, diag, ga, a->lower->id_key,
					       "%s %u is already network '%s' (line %d)",
					       a->lower->id_title, a->id, b->name, b->line);
		}
		if (a->lower->needs_uplink && !cfg->bond)
			sp_config_diag(c, diag, ga, a->lower->id_key,
				       "a %s network needs an [uplink]", a->lower->title);
		dev = sp_network_dev_name(a, cfg->bond, SP_NAME_LOWER);
		if (dev && strlen(dev) > 15)
			sp_config_diag(c, diag, ga, a->lower->id_key,
				       "%s device name '%s' is longer than 15 characters",
				       a->lower->title, dev);
	}
	check_names(cfg, c, diag);
}

static SpNetConfig *
from_config(const SpConfig *c, SpDiag *diag)
{
	g_autoptr(SpNetConfig) cfg = g_new0(SpNetConfig, 1);
	guint before = sp_diag_count(diag);

	cfg->slaves = g_ptr_array_new_with_free_func(g_free);
	cfg->networks = g_ptr_array_new_with_free_func(network_free);
	for (const char *const *g = sp_config_groups(c); *g; g++) {
		if (strcmp(*g, "uplink") == 0)
			parse_uplink(cfg, c, diag);
		else if (g_str_has_prefix(*g, "network "))
			g_ptr_array_add(cfg->networks, parse_network(c, diag, *g));
		else
			sp_config_diag(c, diag, *g, NULL,
				       "unknown group [%s] (expected [uplink] or [network NAME])",
				       *g);
	}
	check_networks(cfg, c, diag);
	return sp_diag_count(diag) == before ? g_steal_pointer(&cfg) : NULL;
}

SpNetConfig *
sp_netconfig_parse(const char *path, const char *text, SpDiag *diag)
{
	g_autoptr(SpConfig) c = sp_config_parse(path, text, diag);

	return c ? from_config(c, diag) : NULL;
}

SpNetConfig *
sp_netconfig_load(const char *path, SpDiag *diag)
{
	g_autoptr(SpConfig) c = sp_config_load(path, diag);

	return c ? from_config(c, diag) : NULL;
}

gboolean
sp_netconfig_wanted(const SpNetwork *n, const char *const *names)
{
	return !names || !names[0] || g_strv_contains(names, n->name);
}

int
sp_netconfig_check_names(const SpNetConfig *cfg, const char *const *names)
{
	for (int i = 0; names && names[i]; i++) {
		gboolean known = FALSE;

		for (guint j = 0; j < cfg->networks->len; j++)
			known |= strcmp(((SpNetwork *) g_ptr_array_index(cfg->networks, j))->name,
					names[i]) == 0;
		if (!known) {
			sp_error("no network '%s' in the configuration", names[i]);
			return -1;
		}
	}
	return 0;
}

const SpNetwork *
sp_netconfig_find_bridge(const SpNetConfig *cfg, const char *bridge)
{
	for (guint i = 0; i < cfg->networks->len; i++) {
		const SpNetwork *n = g_ptr_array_index(cfg->networks, i);

		if (n->bridge && strcmp(n->bridge, bridge) == 0)
			return n;
	}
	return NULL;
}
