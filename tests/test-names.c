/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <string.h>

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

static void
test_dm_names(void)
{
	static const struct {
		const char *name, *vg, *lv, *layer;
	} cases[] = {
		{"vg0-web1", "vg0", "web1", NULL},
		{"a--b-c", "a-b", "c", NULL},
		{"a-b--c", "a", "b-c", NULL},
		{"vg--x-lv--y-real", "vg-x", "lv-y", "real"},
		{"HostVG-db.root", "HostVG", "db.root", NULL},
		{"nodash", NULL, NULL, NULL},
		{"-lv", NULL, NULL, NULL},
		{"vg-", NULL, NULL, NULL},
		{"vg-lv-layer-more", NULL, NULL, NULL},
		{"a----b-c", "a--b", "c", NULL},
		{"vg-lv--", "vg", "lv-", NULL},
		{"a--b", NULL, NULL, NULL},
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *vg = NULL;
		g_autofree char *lv = NULL;
		g_autofree char *layer = NULL;
		gboolean ok = sp_name_dm_split(cases[i].name, &vg, &lv, &layer);

		CU_ASSERT_EQUAL(ok, cases[i].vg != NULL);
		if (!ok || !cases[i].vg)
			continue;
		CU_ASSERT_STRING_EQUAL(vg, cases[i].vg);
		CU_ASSERT_STRING_EQUAL(lv, cases[i].lv);
		CU_ASSERT_EQUAL(layer == NULL, cases[i].layer == NULL);
		if (layer && cases[i].layer)
			CU_ASSERT_STRING_EQUAL(layer, cases[i].layer);
		if (!cases[i].layer) {
			g_autofree char *back = sp_name_dm(vg, lv);

			CU_ASSERT_STRING_EQUAL(back, cases[i].name);
		}
	}
}

typedef struct {
	const char *path;
	int rc;
	const char *vg, *lv, *message; /* message: a part of the error */
} PathCase;

static gboolean
test_vg_managed(const char *vg, void *data)
{
	return g_strv_contains((const char *const *) data, vg);
}

static void
test_lv_paths(void)
{
	static const char *const managed[] = {"vg0", "my-vg", "san.a", NULL};
	static const PathCase cases[] = {
		{"/dev/vg0/root", 1, "vg0", "root", NULL},
		{"/dev/mapper/vg0-root", 1, "vg0", "root", NULL},
		{"/dev/mapper/my--vg-data--1", 1, "my-vg", "data-1", NULL},
		{"/dev/my-vg/data-1", 1, "my-vg", "data-1", NULL},
		{"/dev/mapper/san.a-web01.root", 1, "san.a", "web01.root", NULL},
		{"//dev/./vg0/../vg0//root", 1, "vg0", "root", NULL},
		{"/dev/mapper/vg0-root-real", -1, NULL, NULL, "device-mapper layer"},
		{"/dev/mapper/vg0-root-cow", -1, NULL, NULL, "'/dev/mapper/vg0-root-cow'"},
		{"/dev/mapper/vg0-snapshot1", -1, NULL, NULL, "which LVM reserves"},
		{"/dev/vg0/snapshot0", -1, NULL, NULL, "disk '/dev/vg0/snapshot0' is on managed"},
		{"/dev/vg0/x_rimage_0", -1, NULL, NULL, "'_rimage'"},
		{"/dev/vg0/-rf", -1, NULL, NULL, "starts with '-'"},
		{"/dev/vg0/a/b", -1, NULL, NULL, "is not /dev/VG/LV"},
		{"/dev/vg0", -1, NULL, NULL, "is not /dev/VG/LV"},
		{"/dev/mapper/vg0-", 0, NULL, NULL, NULL},
		{"/dev/mapper/vg0-a-real-more", 0, NULL, NULL, NULL},
		{"/dev/vg1/root", 0, NULL, NULL, NULL},
		{"/dev/mapper/vg1-root", 0, NULL, NULL, NULL},
		{"/dev/mapper/vg0--root", 0, NULL, NULL, NULL},
		{"/dev/mapper/-vg0", 0, NULL, NULL, NULL},
		{"/dev/mapper/control", 0, NULL, NULL, NULL},
		{"/dev/mapper", 0, NULL, NULL, NULL},
		{"/dev/sda", 0, NULL, NULL, NULL},
		{"/dev/../etc/vg0/root", 0, NULL, NULL, NULL},
		{"vg0/root", 0, NULL, NULL, NULL},
		{"dev/vg0/root", 0, NULL, NULL, NULL},
		{"", 0, NULL, NULL, NULL},
		{NULL, 0, NULL, NULL, NULL},
	};

	for (const PathCase *c = cases; c->path; c++) {
		g_autofree char *vg = NULL, *lv = NULL;
		int rc = sp_name_lv_from_path(c->path, test_vg_managed, (void *) managed, &vg, &lv);

		if (rc != c->rc)
			fprintf(stderr, "'%s': got %d, expected %d (%s)\n", c->path, rc, c->rc,
				rc < 0 ? sp_error_message() : "");
		CU_ASSERT_EQUAL(rc, c->rc);
		if (rc == 1 && c->rc == 1) {
			CU_ASSERT_STRING_EQUAL(vg, c->vg);
			CU_ASSERT_STRING_EQUAL(lv, c->lv);
		}
		if (rc < 0 && c->message) {
			if (!strstr(sp_error_message(), c->message))
				fprintf(stderr, "'%s': message '%s' lacks '%s'\n", c->path,
					sp_error_message(), c->message);
			CU_ASSERT_PTR_NOT_NULL(strstr(sp_error_message(), c->message));
			CU_ASSERT_PTR_NOT_NULL(strstr(sp_error_message(), c->path));
		}
		sp_error_clear();
	}
}

SP_TEST_MAIN("names", SP_TEST(test_vg), SP_TEST(test_lv), SP_TEST(test_ifname),
	     SP_TEST(test_domain), SP_TEST(test_host), SP_TEST(test_simple), SP_TEST(test_messages),
	     SP_TEST(test_dm_names), SP_TEST(test_lv_paths))
