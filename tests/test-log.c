#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sp-error.h"
#include "sp-log.h"
#include "sp-test.h"

/* Run fn with stderr sent to a temporary file and return what it wrote. */
static char *
capture_stderr(void (*fn)(void))
{
	char path[] = "/tmp/sparrow-log-XXXXXX";
	int fd = mkstemp(path);
	int saved = dup(STDERR_FILENO);
	char *text = NULL;

	fflush(stderr);
	dup2(fd, STDERR_FILENO);
	fn();
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(fd);
	g_file_get_contents(path, &text, NULL, NULL);
	unlink(path);
	return text;
}

static void
log_levels(void)
{
	sp_log_init("sp-test", SP_LOG_STDERR, SP_LOG_INFO);
	sp_log_info("lv.activate", "activated %s/%s", "vg0", "web01.root");
	sp_log_debug("lv.plan", "not shown at level info");
	sp_log_warn("vg.refresh", "took %d ms", 1500);
}

static void
test_format_and_levels(void)
{
	g_autofree char *out = capture_stderr(log_levels);

	CU_ASSERT_STRING_EQUAL(
		out, "sp-test: level=info event=lv.activate msg=\"activated vg0/web01.root\"\n"
		     "sp-test: level=warn event=vg.refresh msg=\"took 1500 ms\"\n");
}

static void
log_hostile(void)
{
	sp_log_init("sp-test", SP_LOG_STDERR, SP_LOG_DEBUG);
	/* A domain name with a newline and a quote must not forge a second line
	 * or a key. */
	sp_log_info("hook", "domain %s", "evil\"\nlevel=error event=forged\x01");
}

static void
test_one_line_per_event(void)
{
	g_autofree char *out = capture_stderr(log_hostile);

	CU_ASSERT_STRING_EQUAL(out,
			       "sp-test: level=info event=hook msg=\"domain evil\\\"\\nlevel=error "
			       "event=forged\\x01\"\n");
}

static void
log_non_ascii(void)
{
	sp_log_init("sp-test", SP_LOG_STDERR, SP_LOG_DEBUG);
	/* UTF-8 text passes; a byte that is not UTF-8, a C1 control (U+0085, a
	 * line break to some viewers) and U+2028 are escaped. */
	sp_log_info("hook", "%s", "caf\xc3\xa9 \xff \xc2\x85 \xe2\x80\xa8 \x9b");
}

static void
test_non_ascii_escaped(void)
{
	g_autofree char *out = capture_stderr(log_non_ascii);

	CU_ASSERT_STRING_EQUAL(out, "sp-test: level=info event=hook msg=\"caf\xc3\xa9 \\xff "
				    "\\u0085 \\u2028 \\x9b\"\n");
	CU_ASSERT_TRUE(g_utf8_validate(out, -1, NULL));
}

static void
log_error_location(void)
{
	sp_log_init("sp-test", SP_LOG_STDERR, SP_LOG_ERROR);
	sp_error("cannot activate '%s'", "vg0/x");
	sp_log_last_error("lv.activate");
	sp_error_clear();
}

static void
test_last_error_has_location(void)
{
	g_autofree char *out = capture_stderr(log_error_location);

	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CU_ASSERT_TRUE(g_str_has_prefix(out, "sp-test: level=error event=lv.activate src="));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "test-log.c:"));
	CU_ASSERT_TRUE(g_str_has_suffix(out, " msg=\"cannot activate 'vg0/x'\"\n"));
}

static void
test_level_parse(void)
{
	SpLogLevel level = SP_LOG_ERROR;

	CU_ASSERT_EQUAL(sp_log_level_parse("debug", &level), 0);
	CU_ASSERT_EQUAL(level, SP_LOG_DEBUG);
	CU_ASSERT_EQUAL(sp_log_level_parse("loud", &level), -1);
	CU_ASSERT_EQUAL(level, SP_LOG_DEBUG);
	CU_ASSERT_STRING_EQUAL(sp_error_message(),
			       "unknown log level 'loud' (expected error, warn, info or debug)");
	sp_error_clear();
}

SP_TEST_MAIN("log", SP_TEST(test_format_and_levels), SP_TEST(test_one_line_per_event),
	     SP_TEST(test_non_ascii_escaped), SP_TEST(test_last_error_has_location),
	     SP_TEST(test_level_parse))
