/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lib/sp-value: the values admins write (numbers, yes/no, durations,
 * shares). */
#include "config.h"

#include "sp-error.h"
#include "sp-test.h"
#include "sp-value.h"

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

SP_TEST_MAIN("value", SP_TEST(test_value_numbers), SP_TEST(test_value_durations),
	     SP_TEST(test_value_percent))
