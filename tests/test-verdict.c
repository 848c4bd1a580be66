/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nwfilter-gen's verdict: what a binding does with the first packet of a
 * connection, in libvirt's order (rule N of every bound policy before rule
 * N + 1 of any), with the defaults, ICMPv6 always let in by the root, a VM
 * without a binding, and bad packets refused with a message. */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "sp-error.h"
#include "sp-test.h"
#include "verdict.h"

static void
put(const char *dir, const char *name, const char *text)
{
	g_autofree char *path = g_build_filename(dir, name, NULL);

	g_file_set_contents(path, text, -1, NULL);
	chmod(path, 0600);
}

static SpFirewall *
load(const char *dir, const char *conf)
{
	g_autofree char *pdir = g_build_filename(dir, "policies.d", NULL);
	g_autoptr(SpDiag) diag = sp_diag_new();
	SpFirewall *fw;

	g_mkdir(pdir, 0700);
	put(dir, "firewall.conf", conf);
	put(dir, "policies.d/web.policy",
	    "set office 198.51.100.0/24, 2001:db8:1::/48\n"
	    "allow in tcp port 80,443\n"
	    "allow in tcp port 22 from @office\n"
	    "reject in tcp port 3306\n"
	    "drop out tcp port 25\n");
	put(dir, "policies.d/late.policy",
	    "allow in udp port 53\n"
	    "allow in tcp port 8000-8100\n");
	fw = sp_firewall_load(dir, diag);
	CU_ASSERT_EQUAL(sp_diag_count(diag), 0);
	return fw;
}

/* "VM PACKET..." -> the line nwfilter-gen verdict prints, or "error". */
static char *
verdict_text(const SpFirewall *fw, const char *query)
{
	g_auto(GStrv) w = g_strsplit(query, " ", -1);
	SpFwPacket p;
	SpFwVerdict v;

	if (sp_fw_packet_parse(w + 1, &p) < 0 || sp_firewall_verdict(fw, w[0], &p, &v) < 0) {
		sp_error_clear();
		return g_strdup("error");
	}
	if (!v.rule)
		return g_strdup_printf("%s %s", sp_fw_action_words[v.action],
				       p.proto == SP_FW_ICMPV6 ? "root" : "default");
	return g_strdup_printf("%s %s:%d", sp_fw_action_words[v.action], v.policy, v.rule->line);
}

static void
test_verdicts(void)
{
	static const struct {
		const char *query, *want;
	} cases[] = {
		{"web01 in tcp 80 203.0.113.9", "allow web:2"},
		{"web01 in tcp 443 2001:db8:9::1", "allow web:2"},
		{"web01 in tcp 22 198.51.100.7", "allow web:3"},
		{"web01 in tcp 22 2001:db8:1:2::3", "allow web:3"},
		{"web01 in tcp 22 203.0.113.9", "drop default"},
		{"web01 in tcp 3306 198.51.100.7", "reject web:4"},
		{"web01 in udp 53 198.51.100.7", "allow late:1"},
		{"web01 in tcp 8080 198.51.100.7", "allow late:2"},
		{"web01 in udp 80 198.51.100.7", "drop default"},
		{"web01 out tcp 25 198.51.100.7", "drop web:5"},
		{"web01 out tcp 587 198.51.100.7", "allow default"},
		{"web01 in icmp 198.51.100.7", "drop default"},
		{"web01 in icmpv6 2001:db8::1", "allow root"},
		{"other in tcp 80 198.51.100.7", "drop default"},
		{"other out udp 53 198.51.100.7", "allow default"},
		{"web01 in tcp 0 198.51.100.7", "error"},
		{"web01 in tcp 65536 198.51.100.7", "error"},
		{"web01 in tcp 80", "error"},
		{"web01 in tcp 80 198.51.100.7 extra", "error"},
		{"web01 sideways tcp 80 198.51.100.7", "error"},
		{"web01 in any 80 198.51.100.7", "error"},
		{"web01 in icmp 2001:db8::1", "error"},
		{"web01 in tcp 80 198.51.100.0/24", "error"},
		{"bad/name in tcp 80 198.51.100.7", "error"},
	};
	g_autofree char *dir = sp_test_tmpdir();
	g_autoptr(SpFirewall) fw = load(dir, "[vm web01]\npolicies = web, late\n");

	CU_ASSERT_PTR_NOT_NULL_FATAL(fw);
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *got = verdict_text(fw, cases[i].query);

		if (strcmp(got, cases[i].want) != 0)
			fprintf(stderr, "%s: want '%s', got '%s'\n", cases[i].query, cases[i].want,
				got);
		CU_ASSERT_STRING_EQUAL(got, cases[i].want);
	}
	sp_test_rmtree(dir);
}

/* inbound = accept: what no rule decides is let in; reject still rejects. */
static void
test_inbound_accept(void)
{
	g_autofree char *dir = sp_test_tmpdir();
	g_autoptr(SpFirewall) fw =
		load(dir, "[defaults]\ninbound = accept\n[vm web01]\npolicies = web\n");
	g_autofree char *open = NULL, *rej = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(fw);
	open = verdict_text(fw, "web01 in tcp 9999 203.0.113.9");
	rej = verdict_text(fw, "web01 in tcp 3306 203.0.113.9");
	CU_ASSERT_STRING_EQUAL(open, "allow default");
	CU_ASSERT_STRING_EQUAL(rej, "reject web:4");
	sp_test_rmtree(dir);
}

SP_TEST_MAIN("verdict", SP_TEST(test_verdicts), SP_TEST(test_inbound_accept))
