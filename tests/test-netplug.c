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

		g_string_append_printf(out, "%s %s%s master=%s owner=%s vlan=%d link=%s vni=%u "
				       "remote=%s dstport=%d mode=%d mtu=%d\n",
				       sp_netplug_kind_name(d->kind), d->name, d->is_slave ? " (slave)" : "",
				       d->master, d->owner, d->vlan, d->link, d->vni, d->remote,
				       d->dstport, d->mode, d->mtu);
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
	const char *names[] = { "backend", NULL };

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
	l->up = TRUE;
	l->mtu = 1500;
	l->bond_mode = -1;
	g_hash_table_insert(links, l->name, l);
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
	g_autoptr(GHashTable) links = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
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
	/* Somebody else's bridge with our name. */
	link_state(links, "vx5001", "bridge", "lab", "");
	/* Ours and right, but down and out of its bridge. */
	l = link_state(links, "vxlan5001", "vxlan", "sparrow:netplug:backend", "");
	l->vni = 5001;
	l->mtu = 1450;
	l->up = FALSE;

	steps = sp_netplug_plan(devs, links, FALSE);
	CU_ASSERT_EQUAL(step_for(steps, "eth0")->kind, SP_STEP_OK);
	CU_ASSERT_EQUAL(step_for(steps, "eth1")->kind, SP_STEP_FIX);
	CU_ASSERT_EQUAL(step_for(steps, "bond0")->kind, SP_STEP_OK);
	CU_ASSERT_EQUAL(step_for(steps, "br1034")->kind, SP_STEP_FIX);
	CU_ASSERT_STRING_EQUAL(step_for(steps, "br1034")->why,
			       "alias is '', not 'sparrow:netplug:web'");
	CU_ASSERT_EQUAL(step_for(steps, "bond0.1034")->kind, SP_STEP_CONFLICT);
	CU_ASSERT_STRING_EQUAL(step_for(steps, "bond0.1034")->why, "bond0.1034 has VLAN id 1099, not 1034");
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
		"n.conf", "[uplink]\nbond = uplinkbonds\nslaves = eth0\n[network a]\nvlan = 7\n", diag);
	g_autoptr(SpNetConfig) too_long = NULL;

	CU_ASSERT_PTR_NOT_NULL(fits);
	CU_ASSERT_EQUAL(sp_diag_count(diag), 0);
	too_long = sp_netconfig_parse(
		"n.conf", "[uplink]\nbond = uplinkbonds\nslaves = eth0\n[network a]\nvlan = 4094\n", diag);
	CU_ASSERT_PTR_NULL(too_long);
	CU_ASSERT_EQUAL_FATAL(sp_diag_count(diag), 1);
	CU_ASSERT_STRING_EQUAL(g_ptr_array_index(diag->lines, 0),
			       "n.conf:5: VLAN device name 'uplinkbonds.4094' is longer than 15 characters");
}

static void
test_bond_mode_messages(void)
{
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpNetConfig) cfg = sp_netconfig_parse(
		"n.conf", "[uplink]\nslaves = eth0\nmode = 0\n", diag);

	CU_ASSERT_PTR_NULL(cfg);
	CU_ASSERT_EQUAL_FATAL(sp_diag_count(diag), 1);
	CU_ASSERT_TRUE(g_str_has_prefix(g_ptr_array_index(diag->lines, 0),
					"n.conf:3: bond mode balance-rr (0) is not safe under a bridge"));
}

SP_TEST_MAIN("netplug",
	     SP_TEST(test_good_config),
	     SP_TEST(test_bad_config),
	     SP_TEST(test_plan),
	     SP_TEST(test_names),
	     SP_TEST(test_vlan_name_length),
	     SP_TEST(test_bond_mode_messages))
