/* networks.conf: parsing, checking, and the devices it asks for. */
#include "config.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "netplug.h"
#include "sp-config.h"
#include "sp-error.h"
#include "sp-names.h"

/* Bond modes by name and number. Under a bridge only modes that keep one MAC
 * per guest on one port are safe: balance-rr (0), broadcast (3), balance-tlb
 * (5) and balance-alb (6) send a guest's frames out of several ports or
 * rewrite source MACs, so the switch and the bridge learn guests on the
 * wrong port (at+link hit this in production). */
static const struct {
	const char *name;
	int mode;
	gboolean safe;
} bond_modes[] = {
	{"balance-rr", 0, FALSE},  {"active-backup", 1, TRUE}, {"balance-xor", 2, TRUE},
	{"broadcast", 3, FALSE},   {"802.3ad", 4, TRUE},       {"balance-tlb", 5, FALSE},
	{"balance-alb", 6, FALSE},
};

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

static gboolean
get_int(const SpConfig *c, SpDiag *diag, const char *group, const char *key, long min, long max,
	long *out)
{
	const char *v = sp_config_get(c, group, key);
	char *end;

	if (!v)
		return FALSE;
	*out = strtol(v, &end, 10);
	if (!*v || *end || *out < min || *out > max) {
		sp_config_diag(c, diag, group, key, "%s must be a number from %ld to %ld, not '%s'",
			       key, min, max, v);
		return FALSE;
	}
	return TRUE;
}

/* item: the name's place in the key's list, or NULL. */
static void
check_ifname(const SpConfig *c, SpDiag *diag, const char *group, const char *key, const char *name,
	     const SpListItem *item)
{
	if (!sp_name_ifname_valid(name)) {
		if (item)
			sp_config_diag_item(c, diag, group, key, item, "%s", sp_error_message());
		else
			sp_config_diag(c, diag, group, key, "%s", sp_error_message());
		sp_error_clear();
	}
}

static void
parse_uplink(SpNetConfig *cfg, const SpConfig *c, SpDiag *diag)
{
	static const char *const keys[] = {"bond", "slaves", "mode", NULL};
	const char *mode = sp_config_get(c, "uplink", "mode");
	g_auto(GStrv) slaves = sp_config_get_list(c, "uplink", "slaves", diag);
	g_autoptr(GArray) items = sp_config_get_items(c, "uplink", "slaves");
	const char *bond = sp_config_get(c, "uplink", "bond");

	sp_config_check_keys(c, "uplink", keys, diag);
	cfg->bond = g_strdup(bond ? bond : "bond0");
	check_ifname(c, diag, "uplink", "bond", cfg->bond, NULL);
	if (!slaves || !slaves[0])
		sp_config_diag(c, diag, "uplink", NULL, "[uplink] needs 'slaves = IF, IF'");
	for (int i = 0; slaves && slaves[i]; i++) {
		check_ifname(c, diag, "uplink", "slaves", slaves[i],
			     &g_array_index(items, SpListItem, i));
		g_ptr_array_add(cfg->slaves, g_strdup(slaves[i]));
	}
	cfg->mode = 1;
	if (mode) {
		gboolean found = FALSE;

		for (size_t i = 0; i < G_N_ELEMENTS(bond_modes); i++) {
			char num[4];

			g_snprintf(num, sizeof(num), "%d", bond_modes[i].mode);
			if (strcmp(mode, bond_modes[i].name) != 0 && strcmp(mode, num) != 0)
				continue;
			found = TRUE;
			cfg->mode = bond_modes[i].mode;
			if (!bond_modes[i].safe)
				sp_config_diag(
					c, diag, "uplink", "mode",
					"bond mode %s (%d) is not safe under a bridge: it sends a "
					"guest's frames through several ports or rewrites their "
					"MAC, so the bridge and the switch learn guests on the wrong "
					"port; use active-backup, balance-xor or 802.3ad",
					bond_modes[i].name, bond_modes[i].mode);
		}
		if (!found)
			sp_config_diag(
				c, diag, "uplink", "mode",
				"unknown bond mode '%s' (active-backup, balance-xor or 802.3ad)",
				mode);
	}
}

static gboolean
valid_ip(const char *s, gboolean *multicast)
{
	unsigned char b[16];

	if (inet_pton(AF_INET, s, b) == 1) {
		*multicast = b[0] >= 224 && b[0] <= 239;
		return TRUE;
	}
	if (inet_pton(AF_INET6, s, b) == 1) {
		*multicast = b[0] == 0xff;
		return TRUE;
	}
	return FALSE;
}

static SpNetwork *
parse_network(const SpConfig *c, SpDiag *diag, const char *group)
{
	static const char *const keys[] = {"vlan",    "vxlan", "remote", "group", "dev",
					   "dstport", "mtu",   "bridge", NULL};
	const char *name = group + strlen("network ");
	g_autofree char *default_bridge = NULL;
	g_auto(GStrv) remotes = sp_config_get_list(c, group, "remote", diag);
	g_autoptr(GArray) items = sp_config_get_items(c, group, "remote");
	const char *mgroup = sp_config_get(c, group, "group");
	const char *bridge = sp_config_get(c, group, "bridge");
	const char *dev = sp_config_get(c, group, "dev");
	SpNetwork *n = g_new0(SpNetwork, 1);
	long v;
	gboolean mc;

	sp_config_check_keys(c, group, keys, diag);
	n->name = g_strdup(name);
	n->remotes = g_ptr_array_new_with_free_func(g_free);
	n->line = sp_config_line(c, group, NULL);
	n->dstport = 4789;
	if (!sp_name_simple_valid("network", name, 32)) {
		sp_config_diag(c, diag, group, NULL, "%s", sp_error_message());
		sp_error_clear();
	}
	if (get_int(c, diag, group, "vlan", 1, 4094, &v))
		n->vlan = (int) v;
	if (get_int(c, diag, group, "vxlan", 1, 16777215, &v))
		n->vni = (guint32) v;
	if (get_int(c, diag, group, "mtu", 68, 65535, &v))
		n->mtu = (int) v;
	if (get_int(c, diag, group, "dstport", 1, 65535, &v))
		n->dstport = (int) v;
	if (!sp_config_get(c, group, "vlan") && !sp_config_get(c, group, "vxlan"))
		sp_config_diag(c, diag, group, NULL, "[%s] needs 'vlan = ID' or 'vxlan = VNI'",
			       group);
	if (sp_config_get(c, group, "vlan") && sp_config_get(c, group, "vxlan"))
		sp_config_diag(c, diag, group, "vxlan",
			       "a network is either a VLAN or a VXLAN, not both");
	if (sp_config_get(c, group, "vlan")) {
		static const char *const vxlan_only[] = {"remote", "group", "dev", "dstport"};

		/* Pointed at the first such key: that is the line to delete. */
		for (size_t i = 0; i < G_N_ELEMENTS(vxlan_only); i++) {
			if (sp_config_get(c, group, vxlan_only[i])) {
				sp_config_diag(
					c, diag, group, vxlan_only[i],
					"remote, group, dev and dstport are for VXLAN networks");
				break;
			}
		}
	}
	for (int i = 0; remotes && remotes[i]; i++) {
		if (!valid_ip(remotes[i], &mc) || mc)
			sp_config_diag_item(c, diag, group, "remote",
					    &g_array_index(items, SpListItem, i),
					    "'%s' is not a unicast IP address", remotes[i]);
		else
			g_ptr_array_add(n->remotes, g_strdup(remotes[i]));
	}
	if (mgroup) {
		if (!valid_ip(mgroup, &mc) || !mc)
			sp_config_diag(c, diag, group, "group", "'%s' is not a multicast address",
				       mgroup);
		if (remotes)
			sp_config_diag(
				c, diag, group, "group",
				"give either remote (unicast peers) or group (multicast), not both");
		n->group = g_strdup(mgroup);
	}
	if (n->vni && !remotes && !mgroup)
		sp_config_diag(c, diag, group, NULL,
			       "a VXLAN network needs 'remote = ...' or 'group = ...'");
	if (n->group && !dev && n->vni)
		sp_config_diag(c, diag, group, "group", "a multicast VXLAN needs 'dev = UNDERLAY'");
	if (dev) {
		check_ifname(c, diag, group, "dev", dev, NULL);
		n->vxlan_dev = g_strdup(dev);
	}
	if (n->vlan)
		default_bridge = g_strdup_printf("br%04d", n->vlan);
	else
		default_bridge = g_strdup_printf("vx%u", n->vni);
	n->bridge = g_strdup(bridge ? bridge : default_bridge);
	check_ifname(c, diag, group, "bridge", n->bridge, NULL);
	return n;
}

/* A device name the configuration implies, with the key that implies it. */
typedef struct {
	char *name;
	char *what; /* "the bridge of network 'web'" */
	char *group;
	const char *key; /* NULL: the group header */
	gboolean lower;  /* a network's VLAN or VXLAN device */
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

static void
add_use(GArray *uses, char *name, char *what, const char *group, const char *key)
{
	NameUse u = {.name = name, .what = what, .group = g_strdup(group), .key = key};

	g_array_append_val(uses, u);
}

/* Every device name the file implies: the bond, its slaves, and per network
 * the bridge and the VLAN or VXLAN device under it. */
static GArray *
name_uses(const SpNetConfig *cfg, const SpConfig *c)
{
	GArray *uses = g_array_new(FALSE, TRUE, sizeof(NameUse));

	g_array_set_clear_func(uses, name_use_clear);
	if (cfg->bond) {
		add_use(uses, g_strdup(cfg->bond), g_strdup("the bond"), "uplink",
			sp_config_get(c, "uplink", "bond") ? "bond" : NULL);
		for (guint i = 0; i < cfg->slaves->len; i++)
			add_use(uses, g_strdup(g_ptr_array_index(cfg->slaves, i)),
				g_strdup("a bond slave"), "uplink", "slaves");
	}
	for (guint i = 0; i < cfg->networks->len; i++) {
		const SpNetwork *n = g_ptr_array_index(cfg->networks, i);
		g_autofree char *group = g_strconcat("network ", n->name, NULL);
		gboolean explicit = sp_config_get(c, group, "bridge") != NULL;
		const char *id_key = n->vlan ? "vlan" : "vxlan";
		NameUse *u;

		/* A network already reported as broken would only echo here. */
		if (!n->vlan && !n->vni)
			continue;
		add_use(uses, g_strdup(n->bridge),
			g_strdup_printf("the bridge of network '%s'", n->name), group,
			explicit ? "bridge" : id_key);
		g_array_index(uses, NameUse, uses->len - 1).default_bridge = !explicit;
		if (n->vlan && cfg->bond)
			add_use(uses, g_strdup_printf("%s.%d", cfg->bond, n->vlan),
				g_strdup_printf("the VLAN device of network '%s'", n->name), group,
				"vlan");
		else if (!n->vlan)
			add_use(uses, g_strdup_printf("vxlan%u", n->vni),
				g_strdup_printf("the VXLAN device of network '%s'", n->name), group,
				"vxlan");
		else
			continue;
		u = &g_array_index(uses, NameUse, uses->len - 1);
		u->lower = TRUE;
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
	g_autoptr(GArray) uses = name_uses(cfg, c);

	for (guint i = 0; i < uses->len; i++) {
		const NameUse *a = &g_array_index(uses, NameUse, i);

		for (guint j = 0; j < i; j++) {
			const NameUse *b = &g_array_index(uses, NameUse, j);

			if (strcmp(a->name, b->name) != 0 || (a->lower && b->lower) ||
			    (a->default_bridge && b->default_bridge))
				continue;
			if (strcmp(a->what, b->what) == 0)
				sp_config_diag(c, diag, a->group, a->key, "'%s' is %s twice",
					       a->name, a->what);
			else
				sp_config_diag(c, diag, a->group,
					       a->key && sp_config_line(c, a->group, a->key)
						       ? a->key
						       : NULL,
					       "'%s' would be both %s and %s (line %d)", a->name,
					       a->what, b->what, key_line(c, b->group, b->key));
			break;
		}
	}
}

/* Two networks must not claim the same VLAN or VNI. */
static void
check_unique(const SpNetConfig *cfg, const SpConfig *c, SpDiag *diag)
{
	for (guint i = 0; i < cfg->networks->len; i++) {
		const SpNetwork *a = g_ptr_array_index(cfg->networks, i);
		g_autofree char *ga = g_strconcat("network ", a->name, NULL);

		for (guint j = 0; j < i; j++) {
			const SpNetwork *b = g_ptr_array_index(cfg->networks, j);

			/* A network already reported as broken would only echo here. */
			if ((!a->vlan && !a->vni) || (!b->vlan && !b->vni))
				continue;
			if (a->vlan && a->vlan == b->vlan)
				sp_config_diag(c, diag, ga, "vlan",
					       "VLAN %d is already network '%s' (line %d)", a->vlan,
					       b->name, b->line);
			if (a->vni && a->vni == b->vni)
				sp_config_diag(c, diag, ga, "vxlan",
					       "VNI %u is already network '%s' (line %d)", a->vni,
					       b->name, b->line);
		}
		if (a->vlan && !cfg->bond)
			sp_config_diag(c, diag, ga, "vlan", "a VLAN network needs an [uplink]");
		if (a->vlan && cfg->bond) {
			g_autofree char *dev = g_strdup_printf("%s.%d", cfg->bond, a->vlan);

			if (strlen(dev) > 15)
				sp_config_diag(c, diag, ga, "vlan",
					       "VLAN device name '%s' is longer than 15 characters",
					       dev);
		}
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
	check_unique(cfg, c, diag);
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

const char *
sp_netplug_kind_name(SpDevKind kind)
{
	static const char *const names[] = {"bond", "vlan", "vxlan", "bridge"};

	return names[kind];
}

static void
add(GArray *out, SpDevice *d)
{
	g_array_append_val(out, *d);
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

		if (strcmp(n->bridge, bridge) == 0)
			return n;
	}
	return NULL;
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

		if (n->vlan && (!names || !names[0] || g_strv_contains(names, n->name)))
			need_uplink = TRUE;
	}
	if (need_uplink) {
		SpDevice bond = {.kind = SP_DEV_BOND, .mode = cfg->mode};

		g_strlcpy(bond.name, cfg->bond, sizeof(bond.name));
		g_strlcpy(bond.owner, "sparrow:netplug:uplink", sizeof(bond.owner));
		add(out, &bond);
		for (guint i = 0; i < cfg->slaves->len; i++) {
			SpDevice s = {.kind = SP_DEV_BOND, .is_slave = TRUE};

			g_strlcpy(s.name, g_ptr_array_index(cfg->slaves, i), sizeof(s.name));
			g_strlcpy(s.master, cfg->bond, sizeof(s.master));
			add(out, &s);
		}
	}
	for (guint j = 0; j < cfg->networks->len; j++) {
		const SpNetwork *n = g_ptr_array_index(cfg->networks, j);
		SpDevice br = {.kind = SP_DEV_BRIDGE, .mtu = n->mtu, .net = n};
		SpDevice low = {.mtu = n->mtu, .net = n};

		if (names && names[0] && !g_strv_contains(names, n->name))
			continue;
		g_snprintf(br.owner, sizeof(br.owner), "sparrow:netplug:%s", n->name);
		g_strlcpy(low.owner, br.owner, sizeof(low.owner));
		g_strlcpy(br.name, n->bridge, sizeof(br.name));
		if (n->vlan) {
			low.kind = SP_DEV_VLAN;
			low.vlan = n->vlan;
			g_snprintf(low.name, sizeof(low.name), "%s.%d", cfg->bond, n->vlan);
			g_strlcpy(low.link, cfg->bond, sizeof(low.link));
		} else {
			low.kind = SP_DEV_VXLAN;
			low.vni = n->vni;
			low.dstport = n->dstport;
			g_snprintf(low.name, sizeof(low.name), "vxlan%u", n->vni);
			g_strlcpy(low.remote,
				  n->group ? n->group : g_ptr_array_index(n->remotes, 0),
				  sizeof(low.remote));
			if (n->vxlan_dev)
				g_strlcpy(low.link, n->vxlan_dev, sizeof(low.link));
		}
		g_strlcpy(low.master, br.name, sizeof(low.master));
		add(out, &br);
		add(out, &low);
	}
	return g_steal_pointer(&out);
}
