#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netplug.h"
#include "plan.h"
#include "sp-error.h"
#include "sp-test.h"

static SpNetConfig *
load(const char *name, SpDiag *diag)
{
	g_autofree char *rel = g_strdup_printf("netplugdata/%s", name);
	g_autofree char *text = sp_test_read(rel);

	return sp_netconfig_parse(rel, text, diag);
}

/* One line per desired device, in creation order. */
static char *
describe(GArray *devs)
{
	GString *out = g_string_new(NULL);

	for (guint i = 0; i < devs->len; i++) {
		const SpDevice *d = &g_array_index(devs, SpDevice, i);

		g_string_append_printf(out,
				       "%s %s%s master=%s owner=%s vlan=%d link=%s vni=%u "
				       "remote=%s dstport=%d mode=%d mtu=%d\n",
				       sp_netplug_kind_name(d->kind), d->name,
				       d->is_slave ? " (slave)" : "", d->master, d->owner, d->vlan,
				       d->link, d->vni, d->remote, d->dstport, d->mode, d->mtu);
	}
	return g_string_free(out, FALSE);
}

static void
test_good_config(void)
{
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpNetConfig) cfg = load("good.conf", diag);
	g_autoptr(GArray) all = NULL;
	g_autoptr(GArray) one = NULL;
	g_autofree char *text = NULL;
	const char *names[] = {"backend", NULL};

	sp_diag_print(diag, stderr);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
	all = sp_netplug_desired(cfg, NULL);
	text = describe(all);
	sp_test_golden("netplugdata/good.devices", text);
	/* Only a VXLAN network asked for: no uplink in the plan. */
	one = sp_netplug_desired(cfg, names);
	CU_ASSERT_EQUAL(one->len, 2);
	names[0] = "nosuch";
	CU_ASSERT_PTR_NULL(sp_netplug_desired(cfg, names));
	CU_ASSERT_STRING_EQUAL(sp_error_message(), "no network 'nosuch' in the configuration");
	sp_error_clear();
}

static void
test_bad_config(void)
{
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpNetConfig) cfg = load("bad.conf", diag);
	g_autofree char *got = sp_test_diag_text(diag);

	CU_ASSERT_PTR_NULL(cfg);
	sp_test_golden("netplugdata/bad.err", got);
}

static SpLinkState *
link_state(GHashTable *links, const char *name, const char *kind, const char *alias,
	   const char *master)
{
	SpLinkState *l = g_new0(SpLinkState, 1);

	g_strlcpy(l->name, name, sizeof(l->name));
	g_strlcpy(l->kind, kind, sizeof(l->kind));
	g_strlcpy(l->alias, alias, sizeof(l->alias));
	g_strlcpy(l->master, master, sizeof(l->master));
	/* netplug sets both marks; a test clears one to model a lost mark. */
	if (g_str_has_prefix(alias, "sparrow:netplug:"))
		l->group = SP_NETPLUG_GROUP;
	l->up = TRUE;
	l->mtu = 1500;
	l->bond_mode = -1;
	g_hash_table_insert(links, l->name, l);
	return l;
}

static GHashTable *
link_table(void)
{
	return g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
				     (GDestroyNotify) sp_link_state_free);
}

/* A VXLAN device as netplug made it for good.conf's network backend. */
static SpLinkState *
backend_vxlan(GHashTable *links, const char *const *peers)
{
	SpLinkState *l =
		link_state(links, "vxlan5001", "vxlan", "sparrow:netplug:backend", "vx5001");

	l->vni = 5001;
	l->mtu = 1450;
	l->dstport = 4789;
	g_strlcpy(l->remote, "198.18.0.2", sizeof(l->remote));
	/* NULL: the forwarding table was not read. */
	if (peers)
		l->peers = g_ptr_array_new_with_free_func(g_free);
	for (int i = 0; peers && peers[i]; i++)
		g_ptr_array_add(l->peers, g_strdup(peers[i]));
	return l;
}

static const SpStep *
step_for(GPtrArray *steps, const char *name)
{
	for (guint i = 0; i < steps->len; i++) {
		const SpStep *s = g_ptr_array_index(steps, i);

		if (strcmp(s->dev.name, name) == 0)
			return s;
	}
	fprintf(stderr, "no step for %s\n", name);
	abort();
}

static void
test_plan(void)
{
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpNetConfig) cfg = load("good.conf", diag);
	g_autoptr(GArray) devs = sp_netplug_desired(cfg, NULL);
	g_autoptr(GHashTable) links = link_table();
	g_autoptr(GPtrArray) steps = NULL;
	SpLinkState *l;

	/* eth0 enslaved already, eth1 free, eth2 absent (not needed: underlay). */
	link_state(links, "eth0", "", "", "bond0");
	link_state(links, "eth1", "", "", "");
	l = link_state(links, "bond0", "bond", "sparrow:netplug:uplink", "");
	l->bond_mode = 4;
	/* Killed between create and alias: only the group marks it ours. */
	l = link_state(links, "br1034", "bridge", "", "");
	l->group = SP_NETPLUG_GROUP;
	/* Ours but the wrong VLAN id: reported, never replaced. */
	l = link_state(links, "bond0.1034", "vlan", "sparrow:netplug:web", "br1034");
	l->vlan = 1099;
	g_strlcpy(l->link, "bond0", sizeof(l->link));
	/* Somebody else's bridge with our name. */
	link_state(links, "vx5001", "bridge", "lab", "");
	/* Ours and right, but down and out of its bridge. */
	l = backend_vxlan(links, NULL);
	l->master[0] = '\0';
	l->up = FALSE;

	steps = sp_netplug_plan(devs, links, FALSE);
	CU_ASSERT_EQUAL(step_for(steps, "eth0")->kind, SP_STEP_OK);
	CU_ASSERT_EQUAL(step_for(steps, "eth1")->kind, SP_STEP_FIX);
	CU_ASSERT_EQUAL(step_for(steps, "bond0")->kind, SP_STEP_OK);
	CU_ASSERT_EQUAL(step_for(steps, "br1034")->kind, SP_STEP_FIX);
	CU_ASSERT_STRING_EQUAL(step_for(steps, "br1034")->why,
			       "alias is '', not 'sparrow:netplug:web'");
	CU_ASSERT_EQUAL(step_for(steps, "bond0.1034")->kind, SP_STEP_CONFLICT);
	CU_ASSERT_STRING_EQUAL(step_for(steps, "bond0.1034")->why,
			       "bond0.1034 has VLAN id 1099, not 1034 (cannot change in place: "
			       "run 'netplug down web', then 'netplug up web')");
	CU_ASSERT_EQUAL(step_for(steps, "vx5001")->kind, SP_STEP_CONFLICT);
	CU_ASSERT_PTR_NOT_NULL(strstr(step_for(steps, "vx5001")->why, "was not made by netplug"));
	CU_ASSERT_EQUAL(step_for(steps, "vxlan5001")->kind, SP_STEP_FIX);
	CU_ASSERT_STRING_EQUAL(step_for(steps, "vxlan5001")->why,
			       "master is '', not 'vx5001'; it is down");
	CU_ASSERT_EQUAL(step_for(steps, "brmc")->kind, SP_STEP_CREATE);
	g_ptr_array_unref(g_steal_pointer(&steps));

	/* --adopt takes over the foreign bridge, by fixing its marks. */
	steps = sp_netplug_plan(devs, links, TRUE);
	CU_ASSERT_EQUAL(step_for(steps, "vx5001")->kind, SP_STEP_FIX);
}

static void
test_plan_vxlan_peers(void)
{
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpNetConfig) cfg = load("good.conf", diag);
	const char *names[] = {"backend", NULL};
	g_autoptr(GArray) devs = sp_netplug_desired(cfg, names);
	g_autoptr(GHashTable) links = link_table();
	g_autoptr(GPtrArray) steps = NULL;
	const char *const right[] = {"198.18.0.2", "198.18.0.3", NULL};
	const char *const drifted[] = {"198.18.0.2", "198.18.0.9", NULL};
	const SpStep *s;
	SpLinkState *l;

	link_state(links, "vx5001", "bridge", "sparrow:netplug:backend", "")->mtu = 1450;
	backend_vxlan(links, right);
	steps = sp_netplug_plan(devs, links, FALSE);
	CU_ASSERT_EQUAL(step_for(steps, "vxlan5001")->kind, SP_STEP_OK);
	g_ptr_array_unref(g_steal_pointer(&steps));

	/* The config's second remote is missing, a stray one is there: fixed in
	 * place on our device, without touching the link itself. */
	g_hash_table_remove(links, "vxlan5001");
	backend_vxlan(links, drifted);
	steps = sp_netplug_plan(devs, links, FALSE);
	s = step_for(steps, "vxlan5001");
	CU_ASSERT_EQUAL(s->kind, SP_STEP_FIX);
	CU_ASSERT_FALSE(s->fix_link);
	CU_ASSERT_EQUAL_FATAL(s->peers_add ? s->peers_add->len : 0, 1);
	CU_ASSERT_STRING_EQUAL(g_ptr_array_index(s->peers_add, 0), "198.18.0.3");
	CU_ASSERT_EQUAL_FATAL(s->peers_del ? s->peers_del->len : 0, 1);
	CU_ASSERT_STRING_EQUAL(g_ptr_array_index(s->peers_del, 0), "198.18.0.9");
	CU_ASSERT_STRING_EQUAL(s->why,
			       "peer 198.18.0.3 is missing; peer 198.18.0.9 is not configured");
	g_ptr_array_unref(g_steal_pointer(&steps));

	/* The remotes reordered in the config: the same peers, nothing to do. */
	g_hash_table_remove(links, "vxlan5001");
	l = backend_vxlan(links, right);
	g_strlcpy(l->remote, "198.18.0.3", sizeof(l->remote));
	steps = sp_netplug_plan(devs, links, FALSE);
	CU_ASSERT_EQUAL(step_for(steps, "vxlan5001")->kind, SP_STEP_OK);
	g_ptr_array_unref(g_steal_pointer(&steps));

	/* Somebody else's device being adopted: its stray peer is not ours to drop. */
	g_hash_table_remove(links, "vxlan5001");
	backend_vxlan(links, drifted)->alias[0] = '\0';
	((SpLinkState *) g_hash_table_lookup(links, "vxlan5001"))->group = 0;
	steps = sp_netplug_plan(devs, links, TRUE);
	s = step_for(steps, "vxlan5001");
	CU_ASSERT_EQUAL(s->kind, SP_STEP_CONFLICT);
	CU_ASSERT_PTR_NOT_NULL(
		strstr(s->why, "has a peer 198.18.0.9 that is not in the configuration"));
}

static void
test_plan_vxlan_identity(void)
{
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpNetConfig) cfg = load("good.conf", diag);
	const char *names[] = {"backend", NULL};
	g_autoptr(GArray) devs = sp_netplug_desired(cfg, names);
	g_autoptr(GHashTable) links = link_table();
	g_autoptr(GPtrArray) steps = NULL;
	SpLinkState *l;

	link_state(links, "vx5001", "bridge", "sparrow:netplug:backend", "")->mtu = 1450;
	l = backend_vxlan(links, NULL);
	g_strlcpy(l->remote, "198.18.0.7", sizeof(l->remote));
	l->dstport = 8472;
	g_strlcpy(l->link, "eth9", sizeof(l->link));
	steps = sp_netplug_plan(devs, links, FALSE);
	CU_ASSERT_EQUAL(step_for(steps, "vxlan5001")->kind, SP_STEP_CONFLICT);
	CU_ASSERT_STRING_EQUAL(step_for(steps, "vxlan5001")->why,
			       "vxlan5001 sends to '198.18.0.7', not '198.18.0.2'; "
			       "vxlan5001 uses UDP port 8472, not 4789; "
			       "vxlan5001 has underlay 'eth9', not '' (cannot change in place: "
			       "run 'netplug down backend', then 'netplug up backend')");
}

static void
test_plan_vlan_identity(void)
{
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpNetConfig) cfg = load("good.conf", diag);
	const char *names[] = {"web", NULL};
	g_autoptr(GArray) devs = sp_netplug_desired(cfg, names);
	g_autoptr(GHashTable) links = link_table();
	g_autoptr(GPtrArray) steps = NULL;
	SpLinkState *l;

	link_state(links, "eth0", "", "", "bond0");
	link_state(links, "eth1", "", "", "bond0");
	link_state(links, "bond0", "bond", "sparrow:netplug:uplink", "");
	link_state(links, "br1034", "bridge", "sparrow:netplug:web", "");
	l = link_state(links, "bond0.1034", "vlan", "sparrow:netplug:web", "br1034");
	l->vlan = 1034;
	l->vlan_proto = 0x88a8;
	g_strlcpy(l->link, "eth1", sizeof(l->link));
	steps = sp_netplug_plan(devs, links, FALSE);
	CU_ASSERT_EQUAL(step_for(steps, "bond0.1034")->kind, SP_STEP_CONFLICT);
	CU_ASSERT_STRING_EQUAL(
		step_for(steps, "bond0.1034")->why,
		"bond0.1034 sits on 'eth1', not 'bond0'; bond0.1034 has VLAN protocol "
		"0x88a8, not 802.1Q (cannot change in place: run 'netplug down web', "
		"then 'netplug up web')");
}

/* A fix remembers the link as it was, for the undo of a failed run; a stray
 * master is cleared (a fix that cannot clear it would repeat every run). */
static void
test_plan_fix_remembers(void)
{
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpNetConfig) cfg = load("good.conf", diag);
	const char *names[] = {"mcast", NULL};
	g_autoptr(GArray) devs = sp_netplug_desired(cfg, names);
	g_autoptr(GHashTable) links = link_table();
	g_autoptr(GPtrArray) steps = NULL;
	const SpStep *s;
	SpLinkState *l;

	l = link_state(links, "brmc", "bridge", "lab bridge \xc3\xa9", "vrf1");
	l->ifindex = 7;
	l->mtu = 9000;
	l->group = 3;
	l->up = FALSE;
	steps = sp_netplug_plan(devs, links, TRUE);
	s = step_for(steps, "brmc");
	CU_ASSERT_EQUAL(s->kind, SP_STEP_FIX);
	CU_ASSERT_TRUE(s->fix_link);
	CU_ASSERT_STRING_EQUAL(
		s->why,
		"master is 'vrf1', not ''; it is down; alias is "
		"'lab bridge \xc3\xa9', not 'sparrow:netplug:mcast'; group is 3, not 23057");
	CU_ASSERT_STRING_EQUAL(s->was_alias, "lab bridge \xc3\xa9");
	CU_ASSERT_STRING_EQUAL(s->was_master, "vrf1");
	CU_ASSERT_EQUAL(s->was_ifindex, 7);
	CU_ASSERT_EQUAL(s->was_mtu, 9000);
	CU_ASSERT_EQUAL(s->was_group, 3);
	CU_ASSERT_FALSE(s->was_up);
	CU_ASSERT_EQUAL(step_for(steps, "vxlan6000")->kind, SP_STEP_CREATE);
}

/* The hook starts a VM on a bond that still works with a slave missing. */
static void
test_tolerate_slaves(void)
{
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpNetConfig) cfg = load("good.conf", diag);
	const char *names[] = {"web", NULL};
	g_autoptr(GArray) devs = sp_netplug_desired(cfg, names);
	g_autoptr(GHashTable) links = link_table();
	g_autoptr(GPtrArray) steps = NULL;

	/* No bond yet, eth0 free, eth1 absent: the bond gets eth0. */
	link_state(links, "eth0", "", "", "");
	steps = sp_netplug_plan(devs, links, FALSE);
	CU_ASSERT_EQUAL(step_for(steps, "eth1")->kind, SP_STEP_CONFLICT);
	sp_netplug_plan_tolerate_slaves(steps);
	CU_ASSERT_EQUAL(step_for(steps, "eth1")->kind, SP_STEP_WARN);
	CU_ASSERT_EQUAL(step_for(steps, "eth0")->kind, SP_STEP_FIX);
	g_ptr_array_unref(g_steal_pointer(&steps));

	/* No bond and no usable slave: still a conflict. */
	g_hash_table_remove(links, "eth0");
	link_state(links, "eth0", "", "", "br0");
	steps = sp_netplug_plan(devs, links, FALSE);
	sp_netplug_plan_tolerate_slaves(steps);
	CU_ASSERT_EQUAL(step_for(steps, "eth0")->kind, SP_STEP_CONFLICT);
	CU_ASSERT_EQUAL(step_for(steps, "eth1")->kind, SP_STEP_CONFLICT);
	g_ptr_array_unref(g_steal_pointer(&steps));

	/* The bond exists: its slaves are the admin's business, not the VM's. */
	link_state(links, "bond0", "bond", "sparrow:netplug:uplink", "");
	steps = sp_netplug_plan(devs, links, FALSE);
	sp_netplug_plan_tolerate_slaves(steps);
	CU_ASSERT_EQUAL(step_for(steps, "eth0")->kind, SP_STEP_WARN);
	CU_ASSERT_EQUAL(step_for(steps, "eth1")->kind, SP_STEP_WARN);
	CU_ASSERT_EQUAL(step_for(steps, "bond0")->kind, SP_STEP_OK);
}

/* The names, space-separated; takes the array. */
static char *
joined(GPtrArray *names)
{
	g_autoptr(GPtrArray) owned = names;

	g_ptr_array_add(owned, NULL);
	return g_strjoinv(" ", (char **) owned->pdata);
}

static void
test_plan_down(void)
{
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpNetConfig) cfg = load("good.conf", diag);
	g_autoptr(GHashTable) links = link_table();
	g_autoptr(GPtrArray) gone = NULL;
	g_autofree char *text = NULL;
	const char *web[] = {"web", NULL};
	const char *nosuch[] = {"nosuch", NULL};
	SpLinkState *l;

	link_state(links, "eth0", "", "", "bond0");
	link_state(links, "bond0", "bond", "sparrow:netplug:uplink", "");
	link_state(links, "br1034", "bridge", "sparrow:netplug:web", "");
	l = link_state(links, "bond0.1034", "vlan", "sparrow:netplug:web", "br1034");
	g_strlcpy(l->link, "bond0", sizeof(l->link));
	link_state(links, "vx5001", "bridge", "sparrow:netplug:backend", "");
	backend_vxlan(links, NULL);
	link_state(links, "vxlan6000", "vxlan", "lab", "");

	gone = sp_netplug_plan_down(cfg, NULL, links, FALSE);
	CU_ASSERT_PTR_NOT_NULL_FATAL(gone);
	text = joined(g_steal_pointer(&gone));
	CU_ASSERT_STRING_EQUAL(text, "bond0.1034 br1034 vxlan5001 vx5001 bond0");
	CU_ASSERT_PTR_NULL(sp_netplug_plan_down(cfg, nosuch, links, FALSE));
	CU_ASSERT_STRING_EQUAL(sp_error_message(), "no network 'nosuch' in the configuration");

	/* The bridge's name changed in the config since: vxlan5001 still sits in
	 * the old bridge, which has a VM's tap. */
	g_strlcpy(((SpLinkState *) g_hash_table_lookup(links, "vxlan5001"))->master, "vxold",
		  sizeof(l->master));
	link_state(links, "vxold", "bridge", "sparrow:netplug:backend", "");
	link_state(links, "vnet0", "tun", "", "vxold");
	CU_ASSERT_PTR_NULL(sp_netplug_plan_down(cfg, NULL, links, FALSE));
	CU_ASSERT_STRING_EQUAL(sp_error_message(),
			       "vxlan5001 is in bridge vxold, which still has "
			       "vnet0 attached (a VM?); stop it first or use --force");
	gone = sp_netplug_plan_down(cfg, NULL, links, TRUE);
	CU_ASSERT_EQUAL(gone->len, 5);
	g_ptr_array_unref(g_steal_pointer(&gone));
	g_hash_table_remove(links, "vnet0");

	/* A tap on the configured bridge. */
	link_state(links, "vnet1", "tun", "", "br1034");
	CU_ASSERT_PTR_NULL(sp_netplug_plan_down(cfg, web, links, FALSE));
	CU_ASSERT_STRING_EQUAL(sp_error_message(),
			       "bridge br1034 still has vnet1 attached (a VM?); "
			       "stop it first or use --force");
	g_hash_table_remove(links, "vnet1");

	/* Only web: the bond stays, whatever sits on it. */
	gone = sp_netplug_plan_down(cfg, web, links, FALSE);
	text = (g_free(text), joined(g_steal_pointer(&gone)));
	CU_ASSERT_STRING_EQUAL(text, "bond0.1034 br1034");

	/* The bond carries a VLAN netplug did not make, or one of a network no
	 * longer configured: the bond stays unless forced. */
	l = link_state(links, "bond0.77", "vlan", "", "");
	g_strlcpy(l->link, "bond0", sizeof(l->link));
	CU_ASSERT_PTR_NULL(sp_netplug_plan_down(cfg, NULL, links, FALSE));
	CU_ASSERT_STRING_EQUAL(sp_error_message(), "bond bond0 still carries bond0.77 (not made by "
						   "netplug); take that down first or use --force");
	l = link_state(links, "bond0.77", "vlan", "sparrow:netplug:old", "");
	g_strlcpy(l->link, "bond0", sizeof(l->link));
	CU_ASSERT_PTR_NULL(sp_netplug_plan_down(cfg, NULL, links, FALSE));
	CU_ASSERT_STRING_EQUAL(sp_error_message(),
			       "bond bond0 still carries bond0.77 (a network no "
			       "longer configured); take that down first or use --force");
	sp_error_clear();
}

static void
test_names(void)
{
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpNetConfig) cfg = load("names.conf", diag);
	g_autofree char *got = sp_test_diag_text(diag);

	CU_ASSERT_PTR_NULL(cfg);
	sp_test_golden("netplugdata/names.err", got);
}

/* bond.VLAN must fit IFNAMSIZ: the real VLAN id's digits count. */
static void
test_vlan_name_length(void)
{
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpNetConfig) fits = sp_netconfig_parse(
		"n.conf", "[uplink]\nbond = uplinkbonds\nslaves = eth0\n[network a]\nvlan = 7\n",
		diag);
	g_autoptr(SpNetConfig) too_long = NULL;

	CU_ASSERT_PTR_NOT_NULL(fits);
	CU_ASSERT_EQUAL(sp_diag_count(diag), 0);
	too_long = sp_netconfig_parse(
		"n.conf", "[uplink]\nbond = uplinkbonds\nslaves = eth0\n[network a]\nvlan = 4094\n",
		diag);
	CU_ASSERT_PTR_NULL(too_long);
	CU_ASSERT_EQUAL_FATAL(sp_diag_count(diag), 1);
	CU_ASSERT_STRING_EQUAL(
		sp_test_diag_line(diag, 0),
		"n.conf:5:1: VLAN device name 'uplinkbonds.4094' is longer than 15 characters");
}

static void
test_bond_mode_messages(void)
{
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpNetConfig) cfg =
		sp_netconfig_parse("n.conf", "[uplink]\nslaves = eth0\nmode = 0\n", diag);

	CU_ASSERT_PTR_NULL(cfg);
	CU_ASSERT_EQUAL_FATAL(sp_diag_count(diag), 1);
	CU_ASSERT_TRUE(g_str_has_prefix(
		sp_test_diag_line(diag, 0),
		"n.conf:3:1: bond mode balance-rr (0) is not safe under a bridge"));
}

SP_TEST_MAIN("netplug", SP_TEST(test_good_config), SP_TEST(test_bad_config), SP_TEST(test_plan),
	     SP_TEST(test_plan_vxlan_peers), SP_TEST(test_plan_vxlan_identity),
	     SP_TEST(test_plan_vlan_identity), SP_TEST(test_plan_fix_remembers),
	     SP_TEST(test_tolerate_slaves), SP_TEST(test_plan_down), SP_TEST(test_names),
	     SP_TEST(test_vlan_name_length), SP_TEST(test_bond_mode_messages))
