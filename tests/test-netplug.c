/* SPDX-License-Identifier: GPL-2.0-or-later */
/* netplug: networks.conf read and checked (tests/netplugdata/), the devices it
 * asks for, the names it derives and the link kinds' tables. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
				       sp_link_kind(d->kind)->name, d->name,
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

/* NAME.conf is refused with every error of NAME.err, exactly. */
static void
check_errors(const char *name)
{
	g_autofree char *conf = g_strdup_printf("%s.conf", name);
	g_autofree char *err = g_strdup_printf("netplugdata/%s.err", name);
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpNetConfig) cfg = load(conf, diag);
	g_autofree char *got = sp_test_diag_text(diag);

	CU_ASSERT_PTR_NULL(cfg);
	sp_test_golden(err, got);
}

static void
test_bad_config(void)
{
	check_errors("bad");
}

static void
test_names(void)
{
	check_errors("names");
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
		"n.conf:3:1: bond mode 'balance-rr' (0) is not safe under a bridge"));
}

/* The names netplug derives, from one function. */
static void
test_derived_names(void)
{
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpNetConfig) cfg = load("good.conf", diag);
	const SpNetwork *web, *backend;
	g_autofree char *vlan = NULL, *br = NULL, *vxlan = NULL, *vx = NULL, *none = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
	web = g_ptr_array_index(cfg->networks, 0);
	backend = g_ptr_array_index(cfg->networks, 1);
	vlan = sp_network_dev_name(web, cfg->bond, SP_NAME_LOWER);
	br = sp_network_dev_name(web, cfg->bond, SP_NAME_BRIDGE);
	vxlan = sp_network_dev_name(backend, NULL, SP_NAME_LOWER);
	vx = sp_network_dev_name(backend, NULL, SP_NAME_BRIDGE);
	none = sp_network_dev_name(web, NULL, SP_NAME_LOWER);
	CU_ASSERT_STRING_EQUAL(vlan, "bond0.1034");
	CU_ASSERT_STRING_EQUAL(br, "br1034");
	CU_ASSERT_STRING_EQUAL(vxlan, "vxlan5001");
	CU_ASSERT_STRING_EQUAL(vx, "vx5001");
	CU_ASSERT_PTR_NULL(none);
	CU_ASSERT_STRING_EQUAL(web->bridge, "br1034");
}

/* One table of bond modes parses and prints. */
static void
test_bond_modes(void)
{
	g_autofree char *safe = sp_bond_modes_safe_text();

	CU_ASSERT_EQUAL(sp_bond_mode_parse("802.3ad"), 4);
	CU_ASSERT_EQUAL(sp_bond_mode_parse("4"), 4);
	CU_ASSERT_EQUAL(sp_bond_mode_parse("balance-rr"), 0);
	CU_ASSERT_EQUAL(sp_bond_mode_parse("7"), -1);
	CU_ASSERT_EQUAL(sp_bond_mode_parse("lacp"), -1);
	for (int m = 0; m <= 6; m++)
		CU_ASSERT_EQUAL(sp_bond_mode_parse(sp_bond_mode_name(m)), m);
	CU_ASSERT_STRING_EQUAL(sp_bond_mode_name(9), "unknown");
	CU_ASSERT_TRUE(sp_bond_mode_safe(1));
	CU_ASSERT_FALSE(sp_bond_mode_safe(6));
	CU_ASSERT_STRING_EQUAL(safe, "active-backup, balance-xor or 802.3ad");
}

/* Every kind is in the table under its enum and its kernel name; the kinds a
 * network can be have what parsing and planning call. */
static void
test_link_kinds(void)
{
	for (SpDevKind k = SP_DEV_BOND; k <= SP_DEV_BRIDGE; k++) {
		const SpLinkKind *kind = sp_link_kind(k);

		CU_ASSERT_EQUAL(kind->kind, k);
		CU_ASSERT_PTR_EQUAL(sp_link_kind_by_name(kind->name), kind);
	}
	CU_ASSERT_PTR_NULL(sp_link_kind_by_name("tun"));
	for (const SpLinkKind *const *k = sp_link_kinds_lower(); *k; k++) {
		CU_ASSERT_PTR_NOT_NULL((*k)->id_key);
		CU_ASSERT_PTR_NOT_NULL((*k)->title);
		CU_ASSERT_TRUE((*k)->id_max > 0);
		CU_ASSERT_PTR_NOT_NULL((*k)->dev_name);
		CU_ASSERT_PTR_NOT_NULL((*k)->desire);
	}
}

SP_TEST_MAIN("netplug", SP_TEST(test_good_config), SP_TEST(test_bad_config), SP_TEST(test_names),
	     SP_TEST(test_vlan_name_length), SP_TEST(test_bond_mode_messages),
	     SP_TEST(test_derived_names), SP_TEST(test_bond_modes), SP_TEST(test_link_kinds))
