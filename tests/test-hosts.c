/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lib/sp-hosts: the cluster inventory, hosts.conf. */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include "sp-error.h"
#include "sp-hosts.h"
#include "sp-test.h"

static void
test_hosts_good(void)
{
	g_autofree char *text = sp_test_read("hostsdata/good.conf");
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpHosts) hosts = sp_hosts_parse("good.conf", text, diag);
	const SpHost *h;

	CU_ASSERT_PTR_NOT_NULL_FATAL(hosts);
	CU_ASSERT_EQUAL(sp_diag_count(diag), 0);
	CU_ASSERT_EQUAL_FATAL(hosts->hosts->len, 3);
	/* File order, for every program that walks the inventory. */
	CU_ASSERT_STRING_EQUAL(((SpHost *) g_ptr_array_index(hosts->hosts, 0))->name, "kvm1");
	CU_ASSERT_STRING_EQUAL(((SpHost *) g_ptr_array_index(hosts->hosts, 2))->name,
			       "kvm-03.rack2");
	h = sp_hosts_find(hosts, "kvm1");
	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	CU_ASSERT_STRING_EQUAL(h->uri, "qemu+ssh://root@kvm1/system");
	CU_ASSERT_DOUBLE_EQUAL(h->cores, 30, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(h->memory_gb, 250.5, 1e-9);
	CU_ASSERT_STRING_EQUAL(h->migration_uri, "tcp://10.0.0.1");
	CU_ASSERT_FALSE(h->host_load);
	h = sp_hosts_find(hosts, "kvm2");
	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	CU_ASSERT_STRING_EQUAL(h->uri, "qemu+tls://kvm2.example/system");
	CU_ASSERT_EQUAL(h->cores, 0);
	CU_ASSERT_PTR_NULL(h->migration_uri);
	CU_ASSERT_TRUE(h->host_load);
	CU_ASSERT_PTR_NULL(sp_hosts_find(hosts, "kvm9"));
}

/* Every error at its place, and nothing of the file taken. */
static void
test_hosts_bad(void)
{
	g_autofree char *text = sp_test_read("hostsdata/bad.conf");
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpHosts) hosts = sp_hosts_parse("bad.conf", text, diag);
	g_autofree char *got = sp_test_diag_text(diag);

	CU_ASSERT_PTR_NULL(hosts);
	sp_test_golden("hostsdata/bad.err", got);
}

static void
test_hosts_untrusted(void)
{
	g_autofree char *dir = sp_test_tmpdir();
	g_autofree char *path = g_build_filename(dir, "hosts.conf", NULL);
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpHosts) hosts = NULL;

	CU_ASSERT_TRUE_FATAL(
		g_file_set_contents(path, "[hosts]\nkvm1 = qemu:///system\n", -1, NULL));
	CU_ASSERT_EQUAL(chmod(path, 0666), 0);
	hosts = sp_hosts_load(path, diag);
	CU_ASSERT_PTR_NULL(hosts);
	CU_ASSERT_PTR_NOT_NULL(strstr(sp_test_diag_line(diag, 0), "writable by"));
	sp_test_rmtree(dir);
}

SP_TEST_MAIN("hosts", SP_TEST(test_hosts_good), SP_TEST(test_hosts_bad),
	     SP_TEST(test_hosts_untrusted))
