/* SPDX-License-Identifier: GPL-2.0-or-later */
/* slvm-helper setup's host-wide edits (slvm-helper/setup-host.c): keys set in
 * Debian's own lvm.conf, lvmlocal.conf and a libvirt file where their parsers
 * read them (golden files in tests/setupdata/), a second run changing
 * nothing, the files written atomically with their first version kept, and
 * the hook's qemu.d link. */
#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "setup-host.h"
#include "sp-error.h"
#include "sp-test.h"

/* Edit the data file NAME with k, compare with NAME-KEY.out, and check that
 * the result needs no second edit. */
static void
edit_golden(const char *name, const SpSetupKey *k, const char *want_change)
{
	g_autofree char *in_path = g_strdup_printf("setupdata/%s", name);
	g_autofree char *out_path = g_strdup_printf("setupdata/%s-%s.out", name, k->key);
	g_autofree char *text = sp_test_read(in_path);
	g_autofree char *change = NULL;
	g_autofree char *again = NULL;
	g_autofree char *edited = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	edited = sp_setup_key_edit(k, text, &change);
	CU_ASSERT_PTR_NOT_NULL_FATAL(edited);
	CU_ASSERT_STRING_EQUAL(change, want_change);
	sp_test_golden(out_path, edited);
	g_clear_pointer(&change, g_free);
	again = sp_setup_key_edit(k, edited, &change);
	CU_ASSERT_PTR_NULL(again);
	CU_ASSERT_PTR_NULL(change);
}

static void
test_lvm_conf(void)
{
	/* After the commented default of the global section, not in devices. */
	SpSetupKey k = {NULL, "global", "use_lvmlockd", "1"};

	edit_golden("lvm.conf", &k, "use_lvmlockd = 1 (was unset)");
}

static void
test_lvmlocal_conf(void)
{
	SpSetupKey k = {NULL, "local", "host_id", "3"};

	edit_golden("lvmlocal.conf", &k, "host_id = 3 (was unset)");
}

static void
test_qemu_conf(void)
{
	SpSetupKey k = {NULL, NULL, "lock_manager", "\"sanlock\""};

	edit_golden("qemu.conf", &k, "lock_manager = \"sanlock\" (was unset)");
}

static void
test_edit_cases(void)
{
	static const struct {
		const char *section, *value, *in, *out, *change;
	} cases[] = {
		/* A wrong value is replaced in place, its indentation kept. */
		{"global", "1", "global {\n    use_lvmlockd = 0 # off\n}\n",
		 "global {\n    use_lvmlockd = 1\n}\n", "use_lvmlockd = 1 (was 0)"},
		/* The right value, a comment after it: nothing to do. */
		{"global", "1", "global {\n\tuse_lvmlockd=1   # on\n}\n", NULL, NULL},
		/* A nested section's key and another section's are not ours. */
		{"global", "1",
		 "global {\n\tsub {\n\t\tuse_lvmlockd = 0\n\t}\n}\nlocal { use_lvmlockd = 0 }\n",
		 "global {\n\tsub {\n\t\tuse_lvmlockd = 0\n\t}\n\tuse_lvmlockd = 1\n}\nlocal { "
		 "use_lvmlockd = 0 }\n",
		 "use_lvmlockd = 1 (was unset)"},
		/* No section: a new one at the end, after a missing final newline. */
		{"global", "1", "devices {\n}", "devices {\n}\nglobal {\n\tuse_lvmlockd = 1\n}\n",
		 "use_lvmlockd = 1 (was unset)"},
		{"global", "1", "", "global {\n\tuse_lvmlockd = 1\n}\n",
		 "use_lvmlockd = 1 (was unset)"},
		/* key = value files: quotes hold a '#'; the last setting counts. */
		{NULL, "\"sanlock\"", "lock_manager = \"a#b\"\nlock_manager = \"sanlock\"\n", NULL,
		 NULL},
		{NULL, "0", "x = 1\n", "x = 1\nauto_disk_leases = 0\n",
		 "auto_disk_leases = 0 (was unset)"},
		/* A longer key that starts with ours is another key. */
		{NULL, "0", "auto_disk_leases_x = 0\n",
		 "auto_disk_leases_x = 0\nauto_disk_leases = 0\n",
		 "auto_disk_leases = 0 (was unset)"},
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		const char *key = cases[i].section                      ? "use_lvmlockd"
				  : strstr(cases[i].in, "lock_manager") ? "lock_manager"
									: "auto_disk_leases";
		SpSetupKey k = {NULL, cases[i].section, key, cases[i].value};
		g_autofree char *change = NULL;
		g_autofree char *out = sp_setup_key_edit(&k, cases[i].in, &change);

		if (!cases[i].out) {
			CU_ASSERT_PTR_NULL(out);
			continue;
		}
		CU_ASSERT_PTR_NOT_NULL_FATAL(out);
		CU_ASSERT_STRING_EQUAL(out, cases[i].out);
		CU_ASSERT_STRING_EQUAL(change, cases[i].change);
	}
}

static void
test_key_file(void)
{
	g_autofree char *dir = sp_test_tmpdir();
	g_autofree char *path = g_build_filename(dir, "lvm.conf", NULL);
	g_autofree char *orig = g_strconcat(path, ".sparrow-orig", NULL);
	g_autofree char *text = NULL;
	g_autofree char *change = NULL;
	SpSetupKey k = {path, "global", "use_lvmlockd", "1"};
	struct stat st;

	/* Missing: planned, not written; then written as a new file. */
	CU_ASSERT_EQUAL(sp_setup_key(&k, FALSE, &change), 1);
	CU_ASSERT_FALSE(g_file_test(path, G_FILE_TEST_EXISTS));
	g_clear_pointer(&change, g_free);
	CU_ASSERT_EQUAL(sp_setup_key(&k, TRUE, &change), 2);
	CU_ASSERT_TRUE(g_file_get_contents(path, &text, NULL, NULL));
	CU_ASSERT_STRING_EQUAL(text, "global {\n\tuse_lvmlockd = 1\n}\n");
	CU_ASSERT_FALSE(g_file_test(orig, G_FILE_TEST_EXISTS));
	g_clear_pointer(&change, g_free);
	CU_ASSERT_EQUAL(sp_setup_key(&k, TRUE, &change), 0);
	CU_ASSERT_PTR_NULL(change);

	/* An existing file: its mode kept, its first version kept beside it. */
	CU_ASSERT_TRUE(g_file_set_contents(path, "global {\n\tuse_lvmlockd = 0\n}\n", -1, NULL));
	CU_ASSERT_EQUAL(chmod(path, 0640), 0);
	CU_ASSERT_EQUAL(sp_setup_key(&k, TRUE, &change), 2);
	CU_ASSERT_STRING_EQUAL(change, "use_lvmlockd = 1 (was 0)");
	CU_ASSERT_EQUAL(stat(path, &st), 0);
	CU_ASSERT_EQUAL(st.st_mode & 07777, 0640);
	g_clear_pointer(&text, g_free);
	CU_ASSERT_TRUE(g_file_get_contents(orig, &text, NULL, NULL));
	CU_ASSERT_STRING_EQUAL(text, "global {\n\tuse_lvmlockd = 0\n}\n");
	g_clear_pointer(&change, g_free);
	k.value = "0";
	CU_ASSERT_EQUAL(sp_setup_key(&k, TRUE, &change), 2);
	g_clear_pointer(&text, g_free);
	CU_ASSERT_TRUE(g_file_get_contents(orig, &text, NULL, NULL));
	CU_ASSERT_STRING_EQUAL(text, "global {\n\tuse_lvmlockd = 0\n}\n");

	/* A file others may write is not obeyed, nor edited. */
	CU_ASSERT_EQUAL(chmod(path, 0666), 0);
	g_clear_pointer(&change, g_free);
	CU_ASSERT_EQUAL(sp_setup_key(&k, TRUE, &change), -1);
	CU_ASSERT_PTR_NULL(change);
	sp_error_clear();
	sp_test_rmtree(dir);
}

static void
test_hook_link(void)
{
	g_autofree char *dir = sp_test_tmpdir();
	g_autofree char *hook = g_build_filename(dir, "sparrow-hook", NULL);
	g_autofree char *link = g_build_filename(dir, "hooks", "qemu.d", "sparrow", NULL);
	g_autofree char *change = NULL;
	g_autofree char *now = NULL;

	/* The hook is not installed: nothing to link to. */
	CU_ASSERT_EQUAL(sp_setup_hook_link(link, hook, TRUE, &change), -1);
	sp_error_clear();
	CU_ASSERT_TRUE(g_file_set_contents(hook, "#!/bin/sh\n", -1, NULL));
	CU_ASSERT_EQUAL(chmod(hook, 0755), 0);

	CU_ASSERT_EQUAL(sp_setup_hook_link(link, hook, FALSE, &change), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(change, "(missing)"));
	CU_ASSERT_FALSE(g_file_test(link, G_FILE_TEST_EXISTS));
	g_clear_pointer(&change, g_free);
	CU_ASSERT_EQUAL(sp_setup_hook_link(link, hook, TRUE, &change), 2);
	now = g_file_read_link(link, NULL);
	CU_ASSERT_STRING_EQUAL(now, hook);
	g_clear_pointer(&change, g_free);
	CU_ASSERT_EQUAL(sp_setup_hook_link(link, hook, TRUE, &change), 0);

	/* Pointing elsewhere: put right. An admin's own file: left alone. */
	CU_ASSERT_EQUAL(unlink(link), 0);
	CU_ASSERT_EQUAL(symlink("/usr/sbin/sparrow-hook", link), 0);
	CU_ASSERT_EQUAL(sp_setup_hook_link(link, hook, TRUE, &change), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(change, "now -> /usr/sbin/sparrow-hook"));
	CU_ASSERT_EQUAL(unlink(link), 0);
	CU_ASSERT_TRUE(g_file_set_contents(link, "#!/bin/sh\n", -1, NULL));
	g_clear_pointer(&change, g_free);
	CU_ASSERT_EQUAL(sp_setup_hook_link(link, hook, TRUE, &change), -1);
	CU_ASSERT_PTR_NULL(change);
	sp_error_clear();
	sp_test_rmtree(dir);
}

SP_TEST_MAIN("setup-host", SP_TEST(test_lvm_conf), SP_TEST(test_lvmlocal_conf),
	     SP_TEST(test_qemu_conf), SP_TEST(test_edit_cases), SP_TEST(test_key_file),
	     SP_TEST(test_hook_link))
