#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sp-config.h"
#include "sp-error.h"
#include "sp-test.h"

static void
test_good_file(void)
{
	g_autofree char *text = sp_test_read("configdata/good.conf");
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpConfig) cfg = sp_config_parse("good.conf", text, diag);
	g_auto(GStrv) policies = NULL;
	const char *const *groups;
	static const char *const vm_keys[] = {"policies", "note", NULL};

	CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
	CU_ASSERT_EQUAL(sp_diag_count(diag), 0);
	CU_ASSERT_STRING_EQUAL(sp_config_get(cfg, "defaults", "inbound"), "drop");
	CU_ASSERT_STRING_EQUAL(sp_config_get(cfg, "vm web01", "note"),
			       "see https://wiki.example/fw#web01");
	CU_ASSERT_STRING_EQUAL(sp_config_get(cfg, "vm db01", "policies"), "db");
	CU_ASSERT_PTR_NULL(sp_config_get(cfg, "vm db01", "note"));
	CU_ASSERT_EQUAL(sp_config_line(cfg, "vm web01", NULL), 5);
	CU_ASSERT_EQUAL(sp_config_line(cfg, "vm web01", "policies"), 6);
	CU_ASSERT_EQUAL(sp_config_line(cfg, "vm web01", "nothing"), 0);

	groups = sp_config_groups(cfg);
	CU_ASSERT_STRING_EQUAL(groups[0], "defaults");
	CU_ASSERT_STRING_EQUAL(groups[1], "vm web01");
	CU_ASSERT_STRING_EQUAL(groups[2], "vm db01");
	CU_ASSERT_PTR_NULL(groups[3]);

	policies = sp_config_get_list(cfg, "vm web01", "policies", diag);
	CU_ASSERT_EQUAL_FATAL(g_strv_length(policies), 2);
	CU_ASSERT_STRING_EQUAL(policies[0], "web");
	CU_ASSERT_STRING_EQUAL(policies[1], "admin-ssh");

	sp_config_check_keys(cfg, "vm web01", vm_keys, diag);
	CU_ASSERT_EQUAL(sp_diag_count(diag), 0);
	sp_config_check_keys(cfg, "defaults", vm_keys, diag);
	CU_ASSERT_EQUAL_FATAL(sp_diag_count(diag), 1);
	CU_ASSERT_STRING_EQUAL(g_ptr_array_index(diag->lines, 0),
			       "good.conf:3: unknown key 'inbound' in [defaults]");
}

static void
test_every_error_reported(void)
{
	g_autofree char *text = sp_test_read("configdata/bad.conf");
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpConfig) cfg = sp_config_parse("bad.conf", text, diag);
	g_autofree char *got = NULL;

	CU_ASSERT_PTR_NULL(cfg);
	got = sp_test_diag_text(diag);
	sp_test_golden("configdata/bad.err", got);
	CU_ASSERT_EQUAL(sp_diag_to_error(diag), -1);
	CU_ASSERT_STRING_EQUAL(
		sp_error_message(),
		"8 errors; the first: bad.conf:1: key 'orphan' is outside any [group]");
	sp_error_clear();
}

static void
test_empty_list_item(void)
{
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpConfig) cfg = sp_config_parse("x.conf", "[vm a]\npolicies = web,,ssh\n", diag);
	g_auto(GStrv) items = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
	items = sp_config_get_list(cfg, "vm a", "policies", diag);
	CU_ASSERT_EQUAL_FATAL(sp_diag_count(diag), 1);
	CU_ASSERT_STRING_EQUAL(g_ptr_array_index(diag->lines, 0),
			       "x.conf:2: empty item in the list of 'policies'");
}

static void
test_binary_and_huge_refused(void)
{
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpConfig) cfg = sp_config_parse("x.conf", "[a]\nk = \xff\xfe\n", diag);

	CU_ASSERT_PTR_NULL(cfg);
	CU_ASSERT_STRING_EQUAL(g_ptr_array_index(diag->lines, 0),
			       "x.conf: file is not valid UTF-8 text");
}

/* Write a file with the given owner and mode, then try to load it. */
static char *
load_with(const char *dir, uid_t uid, mode_t mode, gboolean *loaded)
{
	g_autofree char *path = g_build_filename(dir, "t.conf", NULL);
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpConfig) cfg = NULL;

	unlink(path);
	CU_ASSERT_TRUE(g_file_set_contents(path, "[a]\nk = v\n", -1, NULL));
	CU_ASSERT_EQUAL(chmod(path, mode), 0);
	if (uid != geteuid())
		CU_ASSERT_EQUAL(chown(path, uid, (gid_t) -1), 0);
	cfg = sp_config_load(path, diag);
	*loaded = cfg != NULL;
	return sp_diag_count(diag) ? g_strdup(g_ptr_array_index(diag->lines, 0)) : NULL;
}

static void
test_trust_check(void)
{
	g_autofree char *dir = sp_test_tmpdir();
	g_autofree char *path = g_build_filename(dir, "t.conf", NULL);
	g_autofree char *expect = NULL;
	gboolean loaded = FALSE;
	char *msg;

	msg = load_with(dir, geteuid(), 0600, &loaded);
	CU_ASSERT_TRUE(loaded);
	CU_ASSERT_PTR_NULL(msg);
	g_free(msg);

	msg = load_with(dir, geteuid(), 0664, &loaded);
	CU_ASSERT_FALSE(loaded);
	expect = g_strdup_printf("%s: '%s' is writable by its group (mode 0664): refusing it; "
				 "run chmod go-w on it",
				 path, path);
	CU_ASSERT_STRING_EQUAL(msg, expect);
	g_free(msg);

	msg = load_with(dir, geteuid(), 0646, &loaded);
	CU_ASSERT_FALSE(loaded);
	CU_ASSERT_PTR_NOT_NULL(strstr(msg, "writable by others (mode 0646)"));
	g_free(msg);

	/* Owned by someone else: only root can hand a file away to test it. */
	if (geteuid() == 0) {
		msg = load_with(dir, 65534, 0644, &loaded);
		CU_ASSERT_FALSE(loaded);
		CU_ASSERT_PTR_NOT_NULL(strstr(msg, "is owned by uid 65534, not by uid 0"));
		g_free(msg);
	} else {
		fprintf(stderr, "not root: the foreign-owner case is not exercised\n");
	}
	sp_test_rmtree(dir);
	sp_error_clear();
}

static void
test_missing_file(void)
{
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpConfig) cfg = sp_config_load("/nonexistent/sparrow.conf", diag);

	CU_ASSERT_PTR_NULL(cfg);
	CU_ASSERT_STRING_EQUAL(
		g_ptr_array_index(diag->lines, 0),
		"/nonexistent/sparrow.conf: cannot open '/nonexistent/sparrow.conf': "
		"No such file or directory");
	sp_error_clear();
}

static void
test_fifo_and_device_refused(void)
{
	g_autofree char *dir = sp_test_tmpdir();
	g_autofree char *fifo = g_build_filename(dir, "f.conf", NULL);
	g_autofree char *expect = g_strdup_printf("%s: '%s' is not a regular file", fifo, fifo);
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpDiag) diag2 = sp_diag_new();
	g_autoptr(SpConfig) cfg = NULL;
	g_autoptr(SpConfig) cfg2 = NULL;

	/* A FIFO with no writer would block open() for ever: refused unopened. */
	CU_ASSERT_EQUAL_FATAL(mkfifo(fifo, 0600), 0);
	cfg = sp_config_load(fifo, diag);
	CU_ASSERT_PTR_NULL(cfg);
	CU_ASSERT_STRING_EQUAL(g_ptr_array_index(diag->lines, 0), expect);
	cfg2 = sp_config_load("/dev/null", diag2);
	CU_ASSERT_PTR_NULL(cfg2);
	CU_ASSERT_STRING_EQUAL(g_ptr_array_index(diag2->lines, 0),
			       "/dev/null: '/dev/null' is not a regular file");
	sp_test_rmtree(dir);
	sp_error_clear();
}

SP_TEST_MAIN("config", SP_TEST(test_good_file), SP_TEST(test_every_error_reported),
	     SP_TEST(test_empty_list_item), SP_TEST(test_binary_and_huge_refused),
	     SP_TEST(test_trust_check), SP_TEST(test_fifo_and_device_refused),
	     SP_TEST(test_missing_file))
