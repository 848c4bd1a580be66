/* lib/sp-hosts (the cluster inventory) and lib/sp-value (the values admins
 * write: numbers, durations, shares). */
#include "config.h"

#include <math.h>
#include <string.h>
#include <sys/stat.h>

#include "sp-error.h"
#include "sp-hosts.h"
#include "sp-test.h"
#include "sp-value.h"

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

static void
test_value_numbers(void)
{
	double d = -1;
	guint u = 0;
	gboolean b = FALSE;

	CU_ASSERT_EQUAL(sp_value_double("2.5", 0, 10, &d), 0);
	CU_ASSERT_DOUBLE_EQUAL(d, 2.5, 1e-12);
	/* What strtod takes and no admin means. */
	CU_ASSERT_EQUAL(sp_value_double("0x10", 0, 100, &d), -1);
	CU_ASSERT_EQUAL(sp_value_double("inf", 0, 100, &d), -1);
	CU_ASSERT_EQUAL(sp_value_double(" 1", 0, 100, &d), -1);
	CU_ASSERT_EQUAL(sp_value_double("1,5", 0, 100, &d), -1);
	CU_ASSERT_EQUAL(sp_value_double("11", 0, 10, &d), -1);
	CU_ASSERT_STRING_EQUAL(sp_error_message(), "'11' is out of range for this value (0 to 10)");
	CU_ASSERT_EQUAL(sp_value_uint("16", 1, 100, &u), 0);
	CU_ASSERT_EQUAL(u, 16);
	CU_ASSERT_EQUAL(sp_value_uint("-1", 0, 100, &u), -1);
	CU_ASSERT_EQUAL(sp_value_uint("1.5", 0, 100, &u), -1);
	CU_ASSERT_EQUAL(sp_value_bool("off", &b), 0);
	CU_ASSERT_FALSE(b);
	CU_ASSERT_EQUAL(sp_value_bool("yes", &b), 0);
	CU_ASSERT_TRUE(b);
	CU_ASSERT_EQUAL(sp_value_bool("Yes please", &b), -1);
	sp_error_clear();
}

static void
test_value_durations(void)
{
	static const struct {
		const char *text;
		double s; /* < 0: refused */
	} cases[] = {
		{"90", 90},     {"90s", 90},  {"5m", 300},   {"2h", 7200}, {"1d", 86400},
		{"300ms", 0.3}, {"1.5m", 90}, {"5 m", -1},   {"5min", -1}, {"m", -1},
		{"", -1},       {"-5s", -1},  {"1e2s", 100},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		double s = -1;
		int rc = sp_value_duration(cases[i].text, 0, 1e6, &s);

		if (cases[i].s < 0) {
			CU_ASSERT_EQUAL(rc, -1);
		} else {
			CU_ASSERT_EQUAL(rc, 0);
			CU_ASSERT_DOUBLE_EQUAL(s, cases[i].s, 1e-9);
		}
	}
	sp_error_clear();
}

static void
test_value_percent(void)
{
	double v = 0;

	CU_ASSERT_EQUAL(sp_value_percent("90%", 0, 10, &v), 0);
	CU_ASSERT_DOUBLE_EQUAL(v, 0.9, 1e-12);
	CU_ASSERT_EQUAL(sp_value_percent("75", 0, 10, &v), 0);
	CU_ASSERT_DOUBLE_EQUAL(v, 0.75, 1e-12);
	CU_ASSERT_EQUAL(sp_value_percent("90 %", 0, 10, &v), -1);
	CU_ASSERT_EQUAL(sp_value_percent("0.9", 0.01, 10, &v), -1);
	CU_ASSERT_STRING_EQUAL(sp_error_message(), "'0.9' is out of range (1% to 1000%)");
	sp_error_clear();
}

SP_TEST_MAIN("hosts", SP_TEST(test_hosts_good), SP_TEST(test_hosts_bad),
	     SP_TEST(test_hosts_untrusted), SP_TEST(test_value_numbers),
	     SP_TEST(test_value_durations), SP_TEST(test_value_percent))
