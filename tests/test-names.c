/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "sp-error.h"
#include "sp-names.h"
#include "sp-test.h"

typedef struct {
	const char *name;
	gboolean valid;
} NameCase;

static void
check_table(gboolean (*fn)(const char *), const NameCase *cases)
{
	for (const NameCase *c = cases; c->name; c++) {
		gboolean got = fn(c->name);

		if (got != c->valid)
			fprintf(stderr, "name '%s': expected %s\n", c->name,
				c->valid ? "valid" : "invalid");
		CU_ASSERT_EQUAL(got, c->valid);
		if (!got)
			CU_ASSERT_PTR_NOT_NULL(sp_error_last());
		sp_error_clear();
	}
}

static void
test_vg(void)
{
	static const NameCase cases[] = {
		{"vg0", TRUE},          {"san-a.lun_1+x", TRUE}, {"-vg", FALSE},
		{".", FALSE},           {"..", FALSE},           {"", FALSE},
		{"vg/../etc", FALSE},   {"vg 0", FALSE},         {"vg\n0", FALSE},
		{"vg$(reboot)", FALSE}, {"mapper", FALSE},       {"mapper0", TRUE},
		{NULL, FALSE},
	};

	check_table(sp_name_vg_valid, cases);
}

static void
test_lv(void)
{
	static const NameCase cases[] = {
		{"web01.root", TRUE},  {"vm65.swap", TRUE},   {"snapshot0", FALSE},
		{"pvmove1", FALSE},    {"x_mlog", FALSE},     {"data_rimage_0", FALSE},
		{"root_imeta", FALSE}, {"root_iorig", FALSE}, {"--help", FALSE},
		{NULL, FALSE},
	};

	check_table(sp_name_lv_valid, cases);
}

static void
test_ifname(void)
{
	static const NameCase cases[] = {
		{"br1034", TRUE},
		{"bond0.1034", TRUE},
		{"vx5001", TRUE},
		{"abcdefghijklmno", TRUE},
		{"abcdefghijklmnop", FALSE},
		{"eth0:1", FALSE},
		{"a/b", FALSE},
		{".hidden", FALSE},
		{"-x", FALSE},
		{"", FALSE},
		{"a b", FALSE},
		{NULL, FALSE},
	};

	check_table(sp_name_ifname_valid, cases);
}

static void
test_domain(void)
{
	static const NameCase cases[] = {
		{"web01", TRUE}, {"db-2.prod", TRUE},         {"_x", FALSE}, {"a;b", FALSE},
		{"a'b", FALSE},  {"../../etc/passwd", FALSE}, {NULL, FALSE},
	};

	check_table(sp_name_domain_valid, cases);
}

static void
test_host(void)
{
	static const NameCase cases[] = {
		{"kvm1", TRUE},
		{"kvm-01.rack2", TRUE},
		{"KVM_3", TRUE},
		{".kvm", FALSE},
		{"-kvm", FALSE},
		{"kvm 1", FALSE},
		{"kvm/1", FALSE},
		{"a23456789012345678901234567890123456789012345678901234567890123", TRUE},
		{"a234567890123456789012345678901234567890123456789012345678901234", FALSE},
		{NULL, FALSE},
	};

	check_table(sp_name_host_valid, cases);
}

static gboolean
policy_valid(const char *name)
{
	return sp_name_simple_valid("policy", name, 40);
}

static void
test_simple(void)
{
	static const NameCase cases[] = {
		{"web", TRUE},
		{"admin-ssh", TRUE},
		{"0day_x", TRUE},
		{"Web", FALSE},
		{"-web", FALSE},
		{"_web", FALSE},
		{"web.x", FALSE},
		{"a234567890123456789012345678901234567890", TRUE},
		{"a2345678901234567890123456789012345678901", FALSE},
		{NULL, FALSE},
	};

	check_table(policy_valid, cases);
}

static void
test_messages(void)
{
	CU_ASSERT_FALSE(sp_name_ifname_valid("eth0:1"));
	CU_ASSERT_STRING_EQUAL(
		sp_error_message(),
		"interface name 'eth0:1' contains ':' (allowed: letters, digits and '_.-')");
	CU_ASSERT_FALSE(sp_name_vg_valid("vg\x1b[2J"));
	CU_ASSERT_STRING_EQUAL(sp_error_message(),
			       "volume group name contains the non-printable byte 0x1b");
	CU_ASSERT_FALSE(sp_name_lv_valid("snapshot1"));
	CU_ASSERT_STRING_EQUAL(
		sp_error_message(),
		"logical volume name 'snapshot1' starts with 'snapshot', which LVM reserves");
	sp_error_clear();
}

SP_TEST_MAIN("names", SP_TEST(test_vg), SP_TEST(test_lv), SP_TEST(test_ifname),
	     SP_TEST(test_domain), SP_TEST(test_host), SP_TEST(test_simple), SP_TEST(test_messages))
