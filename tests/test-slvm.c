/* SPDX-License-Identifier: GPL-2.0-or-later */
/* slvm's pure parts: slvm.conf, LVM's report rows, device-mapper names,
 * how a device stands against the metadata, stale nodes; and the refusals
 * that come before LVM is asked (argument words, the writer-only rule). */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "slvm-admin.h"
#include "slvm-int.h"
#include "sp-error.h"
#include "sp-test.h"

static SpSlvmConfig *
load(const char *name, SpDiag *diag)
{
	g_autofree char *rel = g_strdup_printf("slvmdata/%s", name);
	g_autofree char *text = sp_test_read(rel);

	return sp_slvm_config_parse(rel, text, diag);
}

static void
test_config_good(void)
{
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpSlvmConfig) cfg = load("good.conf", diag);
	const SpSlvmVg *v;

	sp_diag_print(diag, stderr);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
	v = sp_slvm_config_vg(cfg, "vg0");
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_EQUAL(v->lock, SP_SLVM_LOCK_LVMLOCKD);
	CU_ASSERT_PTR_NULL(v->writer);
	v = sp_slvm_config_vg(cfg, "HostVG");
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_EQUAL(v->lock, SP_SLVM_LOCK_NONE);
	CU_ASSERT_STRING_EQUAL(v->writer, "host1");
	CU_ASSERT_PTR_NULL(sp_slvm_config_vg(cfg, "hostvg"));
	CU_ASSERT_STRING_EQUAL(sp_slvm_config_nth(cfg, 0)->name, "vg0");
	CU_ASSERT_STRING_EQUAL(sp_slvm_config_nth(cfg, 1)->name, "HostVG");
	CU_ASSERT_PTR_NULL(sp_slvm_config_nth(cfg, 2));
}

static void
test_config_bad(void)
{
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpSlvmConfig) cfg = load("bad.conf", diag);
	g_autofree char *got = sp_test_diag_text(diag);

	CU_ASSERT_PTR_NULL(cfg);
	sp_test_golden("slvmdata/bad.err", got);
}

static void
test_config_missing(void)
{
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autofree char *dir = sp_test_tmpdir();
	g_autoptr(SpSlvmConfig) cfg = sp_slvm_config_load(dir, diag);

	/* No slvm.conf: Sparrow manages no VG, and that is no error. */
	CU_ASSERT_PTR_NOT_NULL(cfg);
	CU_ASSERT_EQUAL(sp_diag_count(diag), 0);
	CU_ASSERT_PTR_NULL(sp_slvm_config_nth(cfg, 0));
	sp_test_rmtree(dir);
}

static void
test_report_row(void)
{
	g_autoptr(GHashTable) row = sp_slvm_report_row(
		"  LVM2_VG_UUID='abc-def' LVM2_LV_NAME='web1.root' LVM2_LV_SIZE='8388608'");
	g_autoptr(GHashTable) empty = sp_slvm_report_row("LVM2_LV_ATTR=''");

	CU_ASSERT_PTR_NOT_NULL_FATAL(row);
	CU_ASSERT_STRING_EQUAL(g_hash_table_lookup(row, "vg_uuid"), "abc-def");
	CU_ASSERT_STRING_EQUAL(g_hash_table_lookup(row, "lv_name"), "web1.root");
	CU_ASSERT_STRING_EQUAL(g_hash_table_lookup(row, "lv_size"), "8388608");
	CU_ASSERT_PTR_NOT_NULL_FATAL(empty);
	CU_ASSERT_STRING_EQUAL(g_hash_table_lookup(empty, "lv_attr"), "");
	/* Warnings and other text among a report's lines are not rows. */
	CU_ASSERT_PTR_NULL(sp_slvm_report_row("  WARNING: Not using device /dev/vdb."));
	CU_ASSERT_PTR_NULL(sp_slvm_report_row("LVM2_LV_NAME='unterminated"));
	CU_ASSERT_PTR_NULL(sp_slvm_report_row("LVM2_LV_NAME=x"));
	CU_ASSERT_PTR_NULL(sp_slvm_report_row(""));
}

#define VGU "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define LV1 "11111111111111111111111111111111"
#define LV2 "22222222222222222222222222222222"
#define LV3 "33333333333333333333333333333333"

static SpSlvmMeta *
meta_fixture(void)
{
	g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func(g_free);
	SpSlvmMeta *meta;

	/* As lvs -a --nameprefixes prints them, warnings and all. */
	g_ptr_array_add(rows, g_strdup("  WARNING: something LVM wanted to say"));
	g_ptr_array_add(rows, g_strdup("  LVM2_VG_UUID='aaaaaa-aaaa-aaaa-aaaa-aaaa-aaaa-aaaaaa' "
				       "LVM2_VG_SEQNO='17' LVM2_LV_NAME='web1' "
				       "LVM2_LV_UUID='111111-1111-1111-1111-1111-1111-111111' "
				       "LVM2_LV_SIZE='8388608'"));
	g_ptr_array_add(rows, g_strdup("  LVM2_VG_UUID='aaaaaa-aaaa-aaaa-aaaa-aaaa-aaaa-aaaaaa' "
				       "LVM2_VG_SEQNO='17' LVM2_LV_NAME='[lvmlock]' "
				       "LVM2_LV_UUID='222222-2222-2222-2222-2222-2222-222222' "
				       "LVM2_LV_SIZE='268435456'"));
	meta = sp_slvm_meta_from_rows("vg0", rows);
	CU_ASSERT_PTR_NOT_NULL_FATAL(meta);
	return meta;
}

static void
test_meta_rows(void)
{
	g_autoptr(SpSlvmMeta) meta = meta_fixture();
	g_autoptr(GPtrArray) bad = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(SpSlvmMeta) none = NULL;

	CU_ASSERT_STRING_EQUAL(meta->vg_uuid, VGU);
	CU_ASSERT_EQUAL(meta->seqno, 17);
	CU_ASSERT_EQUAL(meta->lvs->len, 2);
	CU_ASSERT_STRING_EQUAL(sp_slvm_meta_lv_by_uuid(meta, LV1)->name, "web1");
	CU_ASSERT_EQUAL(sp_slvm_meta_lv_by_name(meta, "web1")->sectors, 16384);
	/* Hidden LVs come in brackets; they are LVs all the same. */
	CU_ASSERT_PTR_NOT_NULL(sp_slvm_meta_lv_by_name(meta, "lvmlock"));
	CU_ASSERT_PTR_NULL(sp_slvm_meta_lv_by_name(meta, "nosuch"));
	g_ptr_array_add(bad, g_strdup("  LVM2_VG_UUID='x' LVM2_LV_NAME='a' LVM2_LV_SIZE='big'"));
	none = sp_slvm_meta_from_rows("vg0", bad);
	CU_ASSERT_PTR_NULL(none);
	CU_ASSERT_PTR_NOT_NULL(strstr(sp_error_message(), "lacks a field"));
	sp_error_clear();
}

static void
test_dev_judge(void)
{
	static const struct {
		const char *lv, *layer, *uuid;
		guint64 sectors;
		int open;
		SpDevState want;
	} cases[] = {
		{"web1", NULL, "LVM-" VGU LV1, 16384, 1, SP_DEV_CURRENT},
		/* Extended on another host: the table still has the old size. */
		{"web1", NULL, "LVM-" VGU LV1, 8192, 1, SP_DEV_STALE},
		/* Renamed on another host: the uuid stayed. */
		{"old", NULL, "LVM-" VGU LV1, 16384, 0, SP_DEV_STALE},
		/* Removed on another host. */
		{"gone", NULL, "LVM-" VGU LV3, 16384, 0, SP_DEV_GONE},
		{"gone", NULL, "LVM-" VGU LV3, 16384, 2, SP_DEV_GONE_OPEN},
		{"web1", "real", "LVM-" VGU LV1 "-real", 16384, 1, SP_DEV_LAYER},
		{"x", NULL, "CRYPT-LUKS2-abc", 16, 0, SP_DEV_NOT_LVM},
		{"x", NULL, NULL, 16, 0, SP_DEV_NOT_LVM},
		/* Another VG's device under a name of ours. */
		{"web1", NULL, "LVM-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" LV1, 16384, 0,
		 SP_DEV_NOT_LVM},
	};
	g_autoptr(SpSlvmMeta) meta = meta_fixture();

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		SpDmDev dev = {
			.name = (char *) "vg0-x",
			.lv = (char *) cases[i].lv,
			.layer = (char *) cases[i].layer,
			.uuid = (char *) cases[i].uuid,
			.sectors = cases[i].sectors,
			.open_count = cases[i].open,
		};
		const SpSlvmMetaLv *lv;
		SpDevState got = sp_slvm_dev_judge(meta, &dev, &lv);

		if (got != cases[i].want)
			fprintf(stderr, "case %zu: %s, want %s\n", i, sp_slvm_dev_state_name(got),
				sp_slvm_dev_state_name(cases[i].want));
		CU_ASSERT_EQUAL(got, cases[i].want);
		CU_ASSERT_EQUAL(lv != NULL, got == SP_DEV_CURRENT || got == SP_DEV_STALE);
	}
}

/* A link to target, or an empty file when target is NULL. */
static int
make_node(const char *dir, const char *name, const char *target)
{
	g_autofree char *path = g_build_filename(dir, name, NULL);

	if (target)
		return symlink(target, path);
	return g_file_set_contents(path, "", 0, NULL) ? 0 : -1;
}

static void
test_stale_nodes(void)
{
	g_autofree char *dir = sp_test_tmpdir();
	g_autofree char *vgdir = g_build_filename(dir, "vg-0", NULL);
	g_autofree char *mapper = g_build_filename(dir, "mapper", NULL);
	g_autoptr(GPtrArray) devs = g_ptr_array_new_with_free_func((GDestroyNotify) sp_dm_dev_free);
	g_autoptr(GPtrArray) stale = NULL;
	SpDmDev *dev = g_new0(SpDmDev, 1);
	g_autoptr(GString) got = g_string_new(NULL);

	g_mkdir_with_parents(vgdir, 0755);
	g_mkdir_with_parents(mapper, 0755);
	dev->name = g_strdup("vg--0-web1");
	g_ptr_array_add(devs, dev);
	/* LVM's links: one to a device that is there, one to a device that is
	 * gone; a plain file is not LVM's and stays. */
	CU_ASSERT_EQUAL(make_node(vgdir, "web1", "../dm-0"), 0);
	CU_ASSERT_EQUAL(make_node(vgdir, "old", "../dm-1"), 0);
	CU_ASSERT_EQUAL(make_node(vgdir, "notes", NULL), 0);
	/* In mapper, only block devices of this VG would go: a plain file of
	 * its name is not one. */
	CU_ASSERT_EQUAL(make_node(mapper, "vg--0-old", NULL), 0);
	CU_ASSERT_EQUAL(make_node(mapper, "other-x", NULL), 0);
	stale = sp_slvm_stale_nodes(dir, "vg-0", devs);
	for (guint i = 0; i < stale->len; i++)
		g_string_append_printf(got, "%s\n",
				       (const char *) g_ptr_array_index(stale, i) + strlen(dir));
	CU_ASSERT_STRING_EQUAL(got->str, "/vg-0/old\n");
	sp_test_rmtree(dir);
}

/* What is refused before LVM runs: words LVM would split, and metadata
 * changes on a host that is not the VG's writer. */
static void
test_refusals(void)
{
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpSlvmConfig) cfg =
		sp_slvm_config_parse("t.conf", "[vg vgx]\nlock = none\nwriter = nosuch-host\n",
				     diag);
	g_autoptr(SpSlvm) slvm = NULL;
	const char *spaced[] = {"lvs", "vg0 --config x", NULL};
	const char *quoted[] = {"lvs", "it's", NULL};
	const char *comment[] = {"lvs", "#x", NULL};
	const char *empty[] = {"lvs", "", NULL};

	CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
	slvm = sp_slvm_open(cfg);
	CU_ASSERT_PTR_NOT_NULL_FATAL(slvm);
	CU_ASSERT_EQUAL(sp_slvm_lvm(slvm, NULL, spaced), -1);
	CU_ASSERT_STRING_EQUAL(sp_error_message(),
			       "refusing to pass 'vg0 --config x' to LVM as one argument");
	CU_ASSERT_EQUAL(sp_slvm_lvm(slvm, NULL, quoted), -1);
	CU_ASSERT_EQUAL(sp_slvm_lvm(slvm, NULL, comment), -1);
	CU_ASSERT_EQUAL(sp_slvm_lvm(slvm, NULL, empty), -1);
	CU_ASSERT_EQUAL(sp_slvm_lv_create(slvm, "vgx", "web1", "1G"), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(sp_error_message(), "only its writer 'nosuch-host'"));
	CU_ASSERT_EQUAL(sp_slvm_lv_extend(slvm, "vgx", "web1", "+1G"), -1);
	CU_ASSERT_EQUAL(sp_slvm_lv_remove(slvm, "vgx", "web1"), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(sp_error_message(), "refusing to remove vgx/web1"));
	CU_ASSERT_EQUAL(sp_slvm_lv_create(slvm, "vgy", "web1", "1G"), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(sp_error_message(), "not managed by Sparrow"));
	CU_ASSERT_EQUAL(sp_slvm_activate(slvm, "vgx", "../etc", TRUE), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(sp_error_message(), "contains '/'"));
	/* One handle per process: liblvm2cmd's log function is process-wide. */
	CU_ASSERT_PTR_NULL(sp_slvm_open(cfg));
	sp_error_clear();
}

static xmlDoc *
doc_of(const char *xml)
{
	xmlDoc *doc = xmlReadMemory(xml, (int) strlen(xml), NULL, NULL, XML_PARSE_NONET);

	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	return doc;
}

#define DOMAIN(disks)                                                                \
	"<domain><name>web1</name><uuid>e694aa37-abf2-4c91-8442-da4841aeccdf</uuid>" \
	"<devices>" disks "</devices></domain>"
#define BLOCK(path) "<disk type='block'><source dev='" path "'/></disk>"

/* Which VG holds a VM's lease, and the <lease> put into its XML once. */
static void
test_lease_xml(void)
{
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpSlvmConfig) two =
		sp_slvm_config_parse("t.conf",
				     "[vg vg0]\nlock = lvmlockd\n[vg vg-1]\nlock = lvmlockd\n",
				     diag);
	g_autoptr(SpSlvmConfig) one = sp_slvm_config_parse(
		"t.conf", "[vg vg0]\nlock = lvmlockd\n[vg n]\nlock = none\nwriter = h1\n", diag);
	g_autofree char *uuid = NULL;
	g_autofree char *again = NULL;
	xmlChar *out = NULL;
	const char *vg = NULL;
	xmlDoc *doc;
	int len;

	CU_ASSERT_PTR_NOT_NULL_FATAL(two);
	CU_ASSERT_PTR_NOT_NULL_FATAL(one);
	/* The VG of its disks, named either way; a lock = none VG's are not. */
	doc = doc_of(DOMAIN(BLOCK("/dev/mapper/vg--1-web1.root") BLOCK("/dev/n/x")));
	CU_ASSERT_EQUAL(sp_slvm_lease_target(two, doc, NULL, &uuid, &vg), 0);
	CU_ASSERT_STRING_EQUAL(vg, "vg-1");
	CU_ASSERT_STRING_EQUAL(uuid, "e694aa37-abf2-4c91-8442-da4841aeccdf");
	xmlFreeDoc(doc);
	/* Disks on two lvmlockd VGs: say which. */
	doc = doc_of(DOMAIN(BLOCK("/dev/vg0/a") BLOCK("/dev/vg-1/b")));
	CU_ASSERT_EQUAL(sp_slvm_lease_target(two, doc, NULL, &again, &vg), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(sp_error_message(), "with --vg"));
	CU_ASSERT_EQUAL(sp_slvm_lease_target(two, doc, "vg0", &again, &vg), 0);
	CU_ASSERT_STRING_EQUAL(vg, "vg0");
	g_clear_pointer(&again, g_free);
	CU_ASSERT_EQUAL(sp_slvm_lease_target(two, doc, "n", &again, &vg), -1);
	xmlFreeDoc(doc);
	/* No disk of its own yet: the one lvmlockd VG there is. */
	doc = doc_of(DOMAIN(""));
	CU_ASSERT_EQUAL(sp_slvm_lease_target(one, doc, NULL, &again, &vg), 0);
	CU_ASSERT_STRING_EQUAL(vg, "vg0");
	g_clear_pointer(&again, g_free);
	CU_ASSERT_EQUAL(sp_slvm_lease_target(two, doc, NULL, &again, &vg), -1);

	/* Put once; the same again is no change; another is refused. */
	CU_ASSERT_EQUAL(sp_slvm_lease_put(doc, "lvm_vg0", uuid, "/dev/vg0/sparrow-leases", 3145728),
			0);
	CU_ASSERT_EQUAL(sp_slvm_lease_put(doc, "lvm_vg0", uuid, "/dev/vg0/sparrow-leases", 3145728),
			1);
	CU_ASSERT_EQUAL(sp_slvm_lease_put(doc, "lvm_vg0", uuid, "/dev/vg0/sparrow-leases", 4194304),
			-1);
	CU_ASSERT_PTR_NOT_NULL(strstr(sp_error_message(), "not where the index has it"));
	CU_ASSERT_EQUAL(sp_slvm_lease_put(doc, "lvm_vg0", "other", "/dev/vg0/sparrow-leases", 1),
			-1);
	CU_ASSERT_PTR_NOT_NULL(strstr(sp_error_message(), "has a lease already"));
	xmlDocDumpMemory(doc, &out, &len);
	CU_ASSERT_PTR_NOT_NULL(
		strstr((const char *) out,
		       "<lease><lockspace>lvm_vg0</lockspace><key>e694aa37-abf2-4c91-"
		       "8442-da4841aeccdf</key><target path=\"/dev/vg0/sparrow-leases\" "
		       "offset=\"3145728\"/></lease>"));
	xmlFree(out);
	xmlFreeDoc(doc);
	sp_error_clear();
}

SP_TEST_MAIN("slvm", SP_TEST(test_config_good), SP_TEST(test_config_bad),
	     SP_TEST(test_config_missing), SP_TEST(test_report_row), SP_TEST(test_meta_rows),
	     SP_TEST(test_dev_judge), SP_TEST(test_stale_nodes), SP_TEST(test_refusals),
	     SP_TEST(test_lease_xml))
