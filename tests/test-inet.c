/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <stdio.h>
#include <sys/socket.h>

#include "sp-error.h"
#include "sp-inet.h"
#include "sp-test.h"

static void
test_parse_canonical(void)
{
	static const struct {
		const char *text, *addr;
		int family, prefix;
	} ok[] = {
		{"198.51.100.7", "198.51.100.7", AF_INET, 32},
		{"203.0.113.0/24", "203.0.113.0", AF_INET, 24},
		{"0.0.0.0/0", "0.0.0.0", AF_INET, 0},
		{"10.0.0.0/008", "10.0.0.0", AF_INET, 8},
		{"2001:0DB8:0::/32", "2001:db8::", AF_INET6, 32},
		{"::ffff:192.0.2.1", "::ffff:192.0.2.1", AF_INET6, 128},
	};

	for (guint i = 0; i < G_N_ELEMENTS(ok); i++) {
		SpCidr c;

		if (sp_cidr_parse(ok[i].text, &c) < 0) {
			fprintf(stderr, "'%s': %s\n", ok[i].text, sp_error_message());
			CU_FAIL("a good network was refused");
			continue;
		}
		CU_ASSERT_STRING_EQUAL(c.addr, ok[i].addr);
		CU_ASSERT_EQUAL(c.family, ok[i].family);
		CU_ASSERT_EQUAL(c.prefix, ok[i].prefix);
	}
}

/* What GLib alone would take ("+24", " 24") or what is a typo. */
static void
test_parse_refused(void)
{
	static const struct {
		const char *text, *message;
	} bad[] = {
		{"10.0.0.300", "'10.0.0.300' is not an IPv4 or IPv6 address"},
		{"10.1", "'10.1' is not an IPv4 or IPv6 address"},
		{"010.0.0.1", "'010.0.0.1' is not an IPv4 or IPv6 address"},
		{"fe80::1%eth0", "'fe80::1%eth0' is not an IPv4 or IPv6 address"},
		{" 192.0.2.1", "' 192.0.2.1' is not an IPv4 or IPv6 address"},
		{"192.0.2.1/24", "'192.0.2.1/24' has bits set after the /24 prefix"},
		{"192.0.2.0/33", "bad prefix length in '192.0.2.0/33' (0 to 32)"},
		{"192.0.2.0/+24", "bad prefix length in '192.0.2.0/+24' (0 to 32)"},
		{"192.0.2.0/ 24", "bad prefix length in '192.0.2.0/ 24' (0 to 32)"},
		{"192.0.2.0/", "bad prefix length in '192.0.2.0/' (0 to 32)"},
		{"2001:db8::/129", "bad prefix length in '2001:db8::/129' (0 to 128)"},
		{"2001:db8::/99999999999",
		 "bad prefix length in '2001:db8::/99999999999' (0 to 128)"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		SpCidr c = {0};

		CU_ASSERT_EQUAL(sp_cidr_parse(bad[i].text, &c), -1);
		CU_ASSERT_STRING_EQUAL(sp_error_message(), bad[i].message);
		CU_ASSERT_EQUAL(c.family, 0); /* untouched */
		sp_error_clear();
	}
	CU_ASSERT_EQUAL(sp_inet_parse("192.0.2.0/24", &(SpCidr){0}), -1);
	CU_ASSERT_STRING_EQUAL(sp_error_message(), "'192.0.2.0/24' is not an IPv4 or IPv6 address");
	sp_error_clear();
}

static void
test_overlap(void)
{
	static const struct {
		const char *a, *b;
		gboolean overlap;
	} cases[] = {
		{"10.0.0.0/9", "10.128.0.0/9", FALSE},
		{"10.0.0.0/9", "10.127.0.0/16", TRUE},
		{"2001:db8::/33", "2001:db8:8000::/33", FALSE},
		{"2001:db8::/32", "2001:db8:1::1", TRUE},
		{"0.0.0.0/0", "198.51.100.7", TRUE},
		{"192.0.2.0/24", "::ffff:192.0.2.1", FALSE},
		{"192.0.2.1", "192.0.2.1", TRUE},
		{"192.0.2.1", "192.0.2.2", FALSE},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		SpCidr a, b;

		CU_ASSERT_EQUAL_FATAL(sp_cidr_parse(cases[i].a, &a), 0);
		CU_ASSERT_EQUAL_FATAL(sp_cidr_parse(cases[i].b, &b), 0);
		CU_ASSERT_EQUAL(sp_cidr_overlap(&a, &b), cases[i].overlap);
		CU_ASSERT_EQUAL(sp_cidr_overlap(&b, &a), cases[i].overlap);
	}
}

static void
test_same_and_multicast(void)
{
	SpCidr c;

	CU_ASSERT_TRUE(sp_inet_same("2001:db8::2", "2001:0DB8:0::2"));
	CU_ASSERT_FALSE(sp_inet_same("2001:db8::2", "2001:db8::3"));
	CU_ASSERT_FALSE(sp_inet_same("192.0.2.1", "::ffff:192.0.2.1"));
	CU_ASSERT_TRUE(sp_inet_same("not-an-address", "not-an-address"));
	CU_ASSERT_FALSE(sp_inet_same("192.0.2.1", "192.0.2.01"));

	CU_ASSERT_EQUAL_FATAL(sp_inet_parse("239.1.1.1", &c), 0);
	CU_ASSERT_TRUE(sp_inet_is_multicast(&c));
	CU_ASSERT_EQUAL_FATAL(sp_inet_parse("240.0.0.1", &c), 0);
	CU_ASSERT_FALSE(sp_inet_is_multicast(&c));
	CU_ASSERT_EQUAL_FATAL(sp_inet_parse("ff02::1", &c), 0);
	CU_ASSERT_TRUE(sp_inet_is_multicast(&c));
	CU_ASSERT_EQUAL_FATAL(sp_inet_parse("2001:db8::1", &c), 0);
	CU_ASSERT_FALSE(sp_inet_is_multicast(&c));
}

SP_TEST_MAIN("inet", SP_TEST(test_parse_canonical), SP_TEST(test_parse_refused),
	     SP_TEST(test_overlap), SP_TEST(test_same_and_multicast))
