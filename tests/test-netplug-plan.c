/* SPDX-License-Identifier: GPL-2.0-or-later */
/* netplug's plan over hand-made link tables: what up creates, fixes or
 * refuses, what a fix remembers for its undo, what ensure tolerates, and what
 * down removes or refuses. No kernel. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "sp-error.h"
#include "sp-test.h"

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

/* good.conf, the devices it asks for (of the names given), the links a test
 * makes, and the plan over them. */
typedef struct {
	SpDiag *diag;
	SpNetConfig *cfg;
	GArray *devs;
	GHashTable *links;
	GPtrArray *steps;
} Bed;

static void
bed_init(Bed *b, const char *const *names)
{
	g_autofree char *text = sp_test_read("netplugdata/good.conf");

	b->diag = sp_diag_new();
	b->cfg = sp_netconfig_parse("good.conf", text, b->diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b->cfg);
	b->devs = sp_netplug_desired(b->cfg, names);
	b->links = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
					 (GDestroyNotify) sp_link_state_free);
}

static void
bed_clear(Bed *b)
{
	g_clear_pointer(&b->steps, g_ptr_array_unref);
	g_clear_pointer(&b->links, g_hash_table_unref);
	g_clear_pointer(&b->devs, g_array_unref);
	g_clear_pointer(&b->cfg, sp_netconfig_free);
	g_clear_pointer(&b->diag, sp_diag_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Bed, bed_clear)

/* Plan again over the links as they are now. */
static void
bed_plan(Bed *b, gboolean adopt)
{
	g_clear_pointer(&b->steps, g_ptr_array_unref);
	b->steps = sp_netplug_plan(b->devs, b->links, adopt);
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
	g_auto(Bed) b = {0};
	SpLinkState *l;

	bed_init(&b, NULL);
	/* eth0 enslaved already, eth1 free, eth2 absent (not needed: underlay). */
	link_state(b.links, "eth0", "", "", "bond0");
	link_state(b.links, "eth1", "", "", "");
	l = link_state(b.links, "bond0", "bond", "sparrow:netplug:uplink", "");
	l->bond_mode = 4;
	/* Killed between create and alias: only the group marks it ours. */
	l = link_state(b.links, "br1034", "bridge", "", "");
	l->group = SP_NETPLUG_GROUP;
	/* Ours but the wrong VLAN id: reported, never replaced. */
	l = link_state(b.links, "bond0.1034", "vlan", "sparrow:netplug:web", "br1034");
	l->vlan = 1099;
	g_strlcpy(l->link, "bond0", sizeof(l->link));
	/* Somebody else's bridge with our name. */
	link_state(b.links, "vx5001", "bridge", "lab", "");
	/* Ours and right, but down and out of its bridge. */
	l = backend_vxlan(b.links, NULL);
	l->master[0] = '\0';
	l->up = FALSE;

	bed_plan(&b, FALSE);
	CU_ASSERT_EQUAL(step_for(b.steps, "eth0")->kind, SP_STEP_OK);
	CU_ASSERT_EQUAL(step_for(b.steps, "eth1")->kind, SP_STEP_FIX);
	CU_ASSERT_EQUAL(step_for(b.steps, "bond0")->kind, SP_STEP_OK);
	CU_ASSERT_EQUAL(step_for(b.steps, "br1034")->kind, SP_STEP_FIX);
	CU_ASSERT_STRING_EQUAL(step_for(b.steps, "br1034")->why,
			       "alias is '', not 'sparrow:netplug:web'");
	CU_ASSERT_EQUAL(step_for(b.steps, "bond0.1034")->kind, SP_STEP_CONFLICT);
	CU_ASSERT_STRING_EQUAL(step_for(b.steps, "bond0.1034")->why,
			       "'bond0.1034' has VLAN id 1099, not 1034 (cannot change in place: "
			       "run 'netplug down web', then 'netplug up web')");
	CU_ASSERT_EQUAL(step_for(b.steps, "vx5001")->kind, SP_STEP_CONFLICT);
	CU_ASSERT_PTR_NOT_NULL(strstr(step_for(b.steps, "vx5001")->why, "was not made by netplug"));
	CU_ASSERT_EQUAL(step_for(b.steps, "vxlan5001")->kind, SP_STEP_FIX);
	CU_ASSERT_STRING_EQUAL(step_for(b.steps, "vxlan5001")->why,
			       "master is '', not 'vx5001'; it is down");
	CU_ASSERT_EQUAL(step_for(b.steps, "brmc")->kind, SP_STEP_CREATE);

	/* --adopt takes over the foreign bridge, by fixing its marks. */
	bed_plan(&b, TRUE);
	CU_ASSERT_EQUAL(step_for(b.steps, "vx5001")->kind, SP_STEP_FIX);
}

static void
test_plan_vxlan_peers(void)
{
	const char *names[] = {"backend", NULL};
	g_auto(Bed) b = {0};
	const char *const right[] = {"198.18.0.2", "198.18.0.3", NULL};
	const char *const drifted[] = {"198.18.0.2", "198.18.0.9", NULL};
	const SpStep *s;
	SpLinkState *l;

	bed_init(&b, names);
	link_state(b.links, "vx5001", "bridge", "sparrow:netplug:backend", "")->mtu = 1450;
	backend_vxlan(b.links, right);
	bed_plan(&b, FALSE);
	CU_ASSERT_EQUAL(step_for(b.steps, "vxlan5001")->kind, SP_STEP_OK);

	/* The config's second remote is missing, a stray one is there: fixed in
	 * place on our device, without touching the link itself. */
	g_hash_table_remove(b.links, "vxlan5001");
	backend_vxlan(b.links, drifted);
	bed_plan(&b, FALSE);
	s = step_for(b.steps, "vxlan5001");
	CU_ASSERT_EQUAL(s->kind, SP_STEP_FIX);
	CU_ASSERT_FALSE(s->fix_link);
	CU_ASSERT_EQUAL_FATAL(s->peers_add ? s->peers_add->len : 0, 1);
	CU_ASSERT_STRING_EQUAL(g_ptr_array_index(s->peers_add, 0), "198.18.0.3");
	CU_ASSERT_EQUAL_FATAL(s->peers_del ? s->peers_del->len : 0, 1);
	CU_ASSERT_STRING_EQUAL(g_ptr_array_index(s->peers_del, 0), "198.18.0.9");
	CU_ASSERT_STRING_EQUAL(s->why,
			       "peer '198.18.0.3' is missing; peer '198.18.0.9' is not configured");

	/* The remotes reordered in the config: the same peers, nothing to do. */
	g_hash_table_remove(b.links, "vxlan5001");
	l = backend_vxlan(b.links, right);
	g_strlcpy(l->remote, "198.18.0.3", sizeof(l->remote));
	bed_plan(&b, FALSE);
	CU_ASSERT_EQUAL(step_for(b.steps, "vxlan5001")->kind, SP_STEP_OK);

	/* Somebody else's device being adopted: its stray peer is not ours to drop. */
	g_hash_table_remove(b.links, "vxlan5001");
	backend_vxlan(b.links, drifted)->alias[0] = '\0';
	((SpLinkState *) g_hash_table_lookup(b.links, "vxlan5001"))->group = 0;
	bed_plan(&b, TRUE);
	s = step_for(b.steps, "vxlan5001");
	CU_ASSERT_EQUAL(s->kind, SP_STEP_CONFLICT);
	CU_ASSERT_PTR_NOT_NULL(
		strstr(s->why, "has a peer '198.18.0.9' that is not in the configuration"));
}

static void
test_plan_vxlan_identity(void)
{
	const char *names[] = {"backend", NULL};
	g_auto(Bed) b = {0};
	SpLinkState *l;

	bed_init(&b, names);
	link_state(b.links, "vx5001", "bridge", "sparrow:netplug:backend", "")->mtu = 1450;
	l = backend_vxlan(b.links, NULL);
	g_strlcpy(l->remote, "198.18.0.7", sizeof(l->remote));
	l->dstport = 8472;
	g_strlcpy(l->link, "eth9", sizeof(l->link));
	bed_plan(&b, FALSE);
	CU_ASSERT_EQUAL(step_for(b.steps, "vxlan5001")->kind, SP_STEP_CONFLICT);
	CU_ASSERT_STRING_EQUAL(step_for(b.steps, "vxlan5001")->why,
			       "'vxlan5001' sends to '198.18.0.7', not '198.18.0.2'; "
			       "'vxlan5001' uses UDP port 8472, not 4789; "
			       "'vxlan5001' has underlay 'eth9', not '' (cannot change in place: "
			       "run 'netplug down backend', then 'netplug up backend')");
}

static void
test_plan_vlan_identity(void)
{
	const char *names[] = {"web", NULL};
	g_auto(Bed) b = {0};
	SpLinkState *l;

	bed_init(&b, names);
	link_state(b.links, "eth0", "", "", "bond0");
	link_state(b.links, "eth1", "", "", "bond0");
	link_state(b.links, "bond0", "bond", "sparrow:netplug:uplink", "");
	link_state(b.links, "br1034", "bridge", "sparrow:netplug:web", "");
	l = link_state(b.links, "bond0.1034", "vlan", "sparrow:netplug:web", "br1034");
	l->vlan = 1034;
	l->vlan_proto = 0x88a8;
	g_strlcpy(l->link, "eth1", sizeof(l->link));
	bed_plan(&b, FALSE);
	CU_ASSERT_EQUAL(step_for(b.steps, "bond0.1034")->kind, SP_STEP_CONFLICT);
	CU_ASSERT_STRING_EQUAL(
		step_for(b.steps, "bond0.1034")->why,
		"'bond0.1034' sits on 'eth1', not 'bond0'; 'bond0.1034' has VLAN protocol "
		"0x88a8, not 802.1Q (cannot change in place: run 'netplug down web', "
		"then 'netplug up web')");
}

/* A fix remembers the link as it was, for the undo of a failed run; a stray
 * master is cleared (a fix that cannot clear it would repeat every run). */
static void
test_plan_fix_remembers(void)
{
	const char *names[] = {"mcast", NULL};
	g_auto(Bed) b = {0};
	const SpStep *s;
	SpLinkState *l;

	bed_init(&b, names);
	l = link_state(b.links, "brmc", "bridge", "lab bridge \xc3\xa9", "vrf1");
	l->ifindex = 7;
	l->mtu = 9000;
	l->group = 3;
	l->up = FALSE;
	bed_plan(&b, TRUE);
	s = step_for(b.steps, "brmc");
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
	CU_ASSERT_EQUAL(step_for(b.steps, "vxlan6000")->kind, SP_STEP_CREATE);
}

/* The hook starts a VM on a bond that still works with a slave missing. */
static void
test_tolerate_slaves(void)
{
	const char *names[] = {"web", NULL};
	g_auto(Bed) b = {0};

	bed_init(&b, names);
	/* No bond yet, eth0 free, eth1 absent: the bond gets eth0. */
	link_state(b.links, "eth0", "", "", "");
	bed_plan(&b, FALSE);
	CU_ASSERT_EQUAL(step_for(b.steps, "eth1")->kind, SP_STEP_CONFLICT);
	sp_netplug_plan_tolerate_slaves(b.steps);
	CU_ASSERT_EQUAL(step_for(b.steps, "eth1")->kind, SP_STEP_WARN);
	CU_ASSERT_EQUAL(step_for(b.steps, "eth0")->kind, SP_STEP_FIX);

	/* No bond and no usable slave: still a conflict. */
	g_hash_table_remove(b.links, "eth0");
	link_state(b.links, "eth0", "", "", "br0");
	bed_plan(&b, FALSE);
	sp_netplug_plan_tolerate_slaves(b.steps);
	CU_ASSERT_EQUAL(step_for(b.steps, "eth0")->kind, SP_STEP_CONFLICT);
	CU_ASSERT_EQUAL(step_for(b.steps, "eth1")->kind, SP_STEP_CONFLICT);

	/* The bond exists: its slaves are the admin's business, not the VM's. */
	link_state(b.links, "bond0", "bond", "sparrow:netplug:uplink", "");
	bed_plan(&b, FALSE);
	sp_netplug_plan_tolerate_slaves(b.steps);
	CU_ASSERT_EQUAL(step_for(b.steps, "eth0")->kind, SP_STEP_WARN);
	CU_ASSERT_EQUAL(step_for(b.steps, "eth1")->kind, SP_STEP_WARN);
	CU_ASSERT_EQUAL(step_for(b.steps, "bond0")->kind, SP_STEP_OK);
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
	g_auto(Bed) b = {0};
	g_autoptr(GPtrArray) gone = NULL;
	g_autofree char *text = NULL;
	const char *web[] = {"web", NULL};
	const char *nosuch[] = {"nosuch", NULL};
	SpLinkState *l;

	bed_init(&b, NULL);
	link_state(b.links, "eth0", "", "", "bond0");
	link_state(b.links, "bond0", "bond", "sparrow:netplug:uplink", "");
	link_state(b.links, "br1034", "bridge", "sparrow:netplug:web", "");
	l = link_state(b.links, "bond0.1034", "vlan", "sparrow:netplug:web", "br1034");
	g_strlcpy(l->link, "bond0", sizeof(l->link));
	link_state(b.links, "vx5001", "bridge", "sparrow:netplug:backend", "");
	backend_vxlan(b.links, NULL);
	link_state(b.links, "vxlan6000", "vxlan", "lab", "");

	gone = sp_netplug_plan_down(b.cfg, NULL, b.links, FALSE);
	CU_ASSERT_PTR_NOT_NULL_FATAL(gone);
	text = joined(g_steal_pointer(&gone));
	CU_ASSERT_STRING_EQUAL(text, "bond0.1034 br1034 vxlan5001 vx5001 bond0");
	CU_ASSERT_PTR_NULL(sp_netplug_plan_down(b.cfg, nosuch, b.links, FALSE));
	CU_ASSERT_STRING_EQUAL(sp_error_message(), "no network 'nosuch' in the configuration");

	/* The bridge's name changed in the config since: vxlan5001 still sits in
	 * the old bridge, which has a VM's tap. */
	g_strlcpy(((SpLinkState *) g_hash_table_lookup(b.links, "vxlan5001"))->master, "vxold",
		  sizeof(l->master));
	link_state(b.links, "vxold", "bridge", "sparrow:netplug:backend", "");
	link_state(b.links, "vnet0", "tun", "", "vxold");
	CU_ASSERT_PTR_NULL(sp_netplug_plan_down(b.cfg, NULL, b.links, FALSE));
	CU_ASSERT_STRING_EQUAL(sp_error_message(),
			       "'vxlan5001' is in bridge 'vxold', which still has "
			       "'vnet0' attached (a VM?); stop it first or use --force");
	gone = sp_netplug_plan_down(b.cfg, NULL, b.links, TRUE);
	CU_ASSERT_EQUAL(gone->len, 5);
	g_ptr_array_unref(g_steal_pointer(&gone));
	g_hash_table_remove(b.links, "vnet0");

	/* A tap on the configured bridge. */
	link_state(b.links, "vnet1", "tun", "", "br1034");
	CU_ASSERT_PTR_NULL(sp_netplug_plan_down(b.cfg, web, b.links, FALSE));
	CU_ASSERT_STRING_EQUAL(sp_error_message(),
			       "bridge 'br1034' still has 'vnet1' attached (a VM?); "
			       "stop it first or use --force");
	g_hash_table_remove(b.links, "vnet1");

	/* Only web: the bond stays, whatever sits on it. */
	gone = sp_netplug_plan_down(b.cfg, web, b.links, FALSE);
	text = (g_free(text), joined(g_steal_pointer(&gone)));
	CU_ASSERT_STRING_EQUAL(text, "bond0.1034 br1034");

	/* The bond carries a VLAN netplug did not make, or one of a network no
	 * longer configured: the bond stays unless forced. */
	l = link_state(b.links, "bond0.77", "vlan", "", "");
	g_strlcpy(l->link, "bond0", sizeof(l->link));
	CU_ASSERT_PTR_NULL(sp_netplug_plan_down(b.cfg, NULL, b.links, FALSE));
	CU_ASSERT_STRING_EQUAL(sp_error_message(),
			       "bond 'bond0' still carries 'bond0.77' (not made by "
			       "netplug); take that down first or use --force");
	l = link_state(b.links, "bond0.77", "vlan", "sparrow:netplug:old", "");
	g_strlcpy(l->link, "bond0", sizeof(l->link));
	CU_ASSERT_PTR_NULL(sp_netplug_plan_down(b.cfg, NULL, b.links, FALSE));
	CU_ASSERT_STRING_EQUAL(sp_error_message(),
			       "bond 'bond0' still carries 'bond0.77' (a network no "
			       "longer configured); take that down first or use --force");
	sp_error_clear();
}

/* A new VXLAN gets, after the link, the peers the kernel does not make with
 * it: every remote but the first; a multicast one none. */
static void
test_plan_create_peers(void)
{
	const char *names[] = {"backend", "mcast", NULL};
	g_auto(Bed) b = {0};
	const SpStep *s;

	bed_init(&b, names);
	bed_plan(&b, FALSE);
	s = step_for(b.steps, "vxlan5001");
	CU_ASSERT_EQUAL(s->kind, SP_STEP_CREATE);
	CU_ASSERT_EQUAL_FATAL(s->peers_add ? s->peers_add->len : 0, 1);
	CU_ASSERT_STRING_EQUAL(g_ptr_array_index(s->peers_add, 0), "198.18.0.3");
	s = step_for(b.steps, "vxlan6000");
	CU_ASSERT_EQUAL(s->kind, SP_STEP_CREATE);
	CU_ASSERT_PTR_NULL(s->peers_add);
	CU_ASSERT_PTR_NULL(step_for(b.steps, "vx5001")->peers_add);
}

/* A bond in another mode cannot change with slaves attached: a conflict,
 * the modes named from the one table, quoted. */
static void
test_plan_bond_identity(void)
{
	g_auto(Bed) b = {0};
	SpLinkState *l;

	bed_init(&b, NULL);
	l = link_state(b.links, "bond0", "bond", "sparrow:netplug:uplink", "");
	l->bond_mode = 1;
	bed_plan(&b, FALSE);
	CU_ASSERT_EQUAL(step_for(b.steps, "bond0")->kind, SP_STEP_CONFLICT);
	CU_ASSERT_TRUE(g_str_has_prefix(step_for(b.steps, "bond0")->why,
					"'bond0' is in bond mode 'active-backup', not '802.3ad' "
					"(cannot change in place"));
}

SP_TEST_MAIN("netplug-plan", SP_TEST(test_plan), SP_TEST(test_plan_vxlan_peers),
	     SP_TEST(test_plan_vxlan_identity), SP_TEST(test_plan_vlan_identity),
	     SP_TEST(test_plan_fix_remembers), SP_TEST(test_tolerate_slaves),
	     SP_TEST(test_plan_down), SP_TEST(test_plan_create_peers),
	     SP_TEST(test_plan_bond_identity))
