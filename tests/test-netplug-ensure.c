/* SPDX-License-Identifier: GPL-2.0-or-later */
/* netplug-ensure.h as the qemu hook sees it: included alone, without
 * netplug's private headers or libnl's, and its paths that need no kernel
 * (the kernel's are netplug-netns.test's and netplug-vm.test's). */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "netplug/netplug-ensure.h"
#include "sp-error.h"
#include "sp-test.h"

static void
test_not_netplugs(void)
{
	g_autofree char *dir = sp_test_tmpdir();
	g_autofree char *missing = g_build_filename(dir, "nosuch", NULL);
	g_autofree char *conf = g_build_filename(dir, "networks.conf", NULL);

	/* No networks.conf: not netplug's to make. */
	CU_ASSERT_EQUAL(sp_netplug_ensure_bridge(missing, "br1034"), 0);
	/* A bridge no network names: nor is this. */
	CU_ASSERT_TRUE_FATAL(g_file_set_contents(conf,
						 "[network a]\nvxlan = 7\nremote = 198.18.0.2\n",
						 -1, NULL));
	CU_ASSERT_EQUAL(g_chmod(conf, 0600), 0);
	CU_ASSERT_EQUAL(sp_netplug_ensure_bridge(dir, "virbr0"), 0);
	CU_ASSERT_PTR_NULL(sp_error_last());
	sp_test_rmtree(dir);
}

/* What the hook's plan asks: is this bridge one of networks.conf's? */
static void
test_bridge_configured(void)
{
	g_autofree char *dir = sp_test_tmpdir();
	g_autofree char *conf = g_build_filename(dir, "networks.conf", NULL);

	CU_ASSERT_EQUAL(sp_netplug_bridge_configured(dir, "vx7"), 0);
	CU_ASSERT_TRUE_FATAL(g_file_set_contents(conf,
						 "[network a]\nvxlan = 7\nremote = 198.18.0.2\n",
						 -1, NULL));
	CU_ASSERT_EQUAL(g_chmod(conf, 0600), 0);
	CU_ASSERT_EQUAL(sp_netplug_bridge_configured(dir, "vx7"), 1);
	CU_ASSERT_EQUAL(sp_netplug_bridge_configured(dir, "virbr0"), 0);
	CU_ASSERT_PTR_NULL(sp_error_last());
	CU_ASSERT_TRUE_FATAL(g_file_set_contents(conf, "[network a]\nvxlan = x\n", -1, NULL));
	CU_ASSERT_EQUAL(sp_netplug_bridge_configured(dir, "vx7"), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(sp_error_message(), "networks.conf:2"));
	sp_error_clear();
	sp_test_rmtree(dir);
}

SP_TEST_MAIN("netplug-ensure", SP_TEST(test_not_netplugs), SP_TEST(test_bridge_configured))
