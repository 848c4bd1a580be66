/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>
#include <libxml/parser.h>

#include "apply.h"
#include "generate.h"
#include "policy.h"
#include "schema.h"
#include "sp-error.h"
#include "sp-test.h"

/* Through the same check apply makes before any define (schema.h). */
static void
assert_valid(const char *xml)
{
	int rc = sp_nwfilter_validate("under-test", xml);

	if (rc != 0)
		fprintf(stderr, "invalid nwfilter XML (%s):\n%s\n", sp_error_message(), xml);
	CU_ASSERT_EQUAL(rc, 0);
	sp_error_clear();
}

/* The patched schema still refuses what libvirt's would: an attribute
 * libvirt does not know, and state or arpsrcipmask where the patch did not
 * add it. */
static void
test_schema_strict(void)
{
	const char *bad[] = {
		"<filter name='x' chain='root'><rule action='drop' direction='in' priority='1'>"
		"<tcp-ipv6 bogus='1'/></rule></filter>",
		"<filter name='x' chain='root'><rule action='drop' direction='in' priority='1'>"
		"<tcp-ipv6 state='SOMETIMES'/></rule></filter>",
		"<filter name='x' chain='root'><rule action='drop' direction='out' priority='1'>"
		"<ip arpsrcipmask='24'/></rule></filter>",
		"<filter name='web+1' chain='root'/>",
	};

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		CU_ASSERT_EQUAL(sp_nwfilter_validate("x", bad[i]), -1);
		CU_ASSERT_TRUE(g_str_has_prefix(
			sp_error_message(),
			"generated nwfilter 'x' does not match libvirt's schema: "));
		sp_error_clear();
	}
}

/* NAME.policy -> NAME.xml (the policy's filter), validated. */
static void
check_policy_golden(const char *name)
{
	g_autofree char *in = g_strdup_printf("nwfilterdata/%s.policy", name);
	g_autofree char *out = g_strdup_printf("nwfilterdata/%s.xml", name);
	g_autofree char *text = sp_test_read(in);
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpPolicy) policy = sp_policy_parse(name, in, text, diag);
	g_autoptr(SpFilter) f = NULL;

	if (sp_diag_count(diag))
		sp_diag_print(diag, stderr);
	CU_ASSERT_PTR_NOT_NULL_FATAL(policy);
	f = sp_filter_for_policy(policy);
	sp_test_golden(out, f->xml);
	assert_valid(f->xml);
}

/* NAME.policy -> NAME.err: every error, exactly. */
static void
check_policy_errors(const char *name)
{
	g_autofree char *in = g_strdup_printf("nwfilterdata/%s.policy", name);
	g_autofree char *out = g_strdup_printf("nwfilterdata/%s.err", name);
	g_autofree char *text = sp_test_read(in);
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpPolicy) policy = sp_policy_parse(name, in, text, diag);
	g_autofree char *got = sp_test_diag_text(diag);

	CU_ASSERT_PTR_NULL(policy);
	sp_test_golden(out, got);
}

#define POLICY_CASE(name)                    \
	static void test_policy_##name(void) \
	{                                    \
		check_policy_golden(#name);  \
	}
#define ERROR_CASE(name)                     \
	static void test_errors_##name(void) \
	{                                    \
		check_policy_errors(#name);  \
	}

POLICY_CASE(example)
POLICY_CASE(set_after_use)
POLICY_CASE(every_proto)
POLICY_CASE(empty)
ERROR_CASE(bad_words)
ERROR_CASE(bad_values)
ERROR_CASE(bad_utf8)

/* Copy a config folder to a private one (mode 0600 files, as an admin's
 * would be), so the trust check passes whatever the checkout's umask. */
static char *
private_copy(const char *relative)
{
	g_autofree char *src = sp_test_path(relative);
	char *dst = sp_test_tmpdir();
	g_autofree char *pdir = g_build_filename(dst, "policies.d", NULL);
	g_autofree char *spdir = g_build_filename(src, "policies.d", NULL);
	g_autoptr(GDir) d = g_dir_open(spdir, 0, NULL);
	const char *name;
	const char *files[] = {"firewall.conf", NULL};

	g_mkdir(pdir, 0700);
	for (int i = 0; files[i]; i++) {
		g_autofree char *a = g_build_filename(src, files[i], NULL);
		g_autofree char *b = g_build_filename(dst, files[i], NULL);
		g_autofree char *text = NULL;

		g_file_get_contents(a, &text, NULL, NULL);
		g_file_set_contents(b, text, -1, NULL);
		chmod(b, 0600);
	}
	while (d && (name = g_dir_read_name(d))) {
		g_autofree char *a = g_build_filename(spdir, name, NULL);
		g_autofree char *b = g_build_filename(pdir, name, NULL);
		g_autofree char *text = NULL;
		gsize len = 0;

		/* With its length: a test file may hold a NUL byte. */
		g_file_get_contents(a, &text, &len, NULL);
		g_file_set_contents(b, text, (gssize) len, NULL);
		chmod(b, 0600);
	}
	return dst;
}

/* Paths in diagnostics name the private copy: make them relative again. */
static char *
strip_dir(const char *text, const char *dir)
{
	g_auto(GStrv) parts = g_strsplit(text, dir, -1);
	g_autofree char *joined = g_strjoinv("CONFIG", parts);

	return g_steal_pointer(&joined);
}

/* A root filter must not wait for anything: libvirt does not instantiate a
 * filter tree until it has every variable the tree uses, and without the
 * domain's IP parameter it learns $IP from the VM's own traffic and leaves
 * the VM unfiltered until then. So no variable in any filter of ours, and
 * references only to filters whose variables libvirt always has ($MAC) or
 * that have none. */
static void
assert_waits_for_nothing(const SpFilter *f)
{
	static const char *const allowed[] = {"no-mac-spoofing", "no-arp-mac-spoofing", "allow-arp",
					      SP_SOURCE_CHECKS_FILTER, NULL};
	xmlDocPtr doc = xmlReadMemory(f->xml, (int) strlen(f->xml), "f.xml", NULL, XML_PARSE_NONET);

	CU_ASSERT_PTR_NULL(strchr(f->xml, '$'));
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	for (xmlNodePtr n = xmlDocGetRootElement(doc)->children; n; n = n->next) {
		g_autofree xmlChar *ref = NULL;

		if (n->type != XML_ELEMENT_NODE || strcmp((const char *) n->name, "filterref") != 0)
			continue;
		ref = xmlGetProp(n, BAD_CAST "filter");
		CU_ASSERT_TRUE(g_strv_contains(allowed, (const char *) ref) ||
			       g_str_has_prefix((const char *) ref, "sparrow-policy-"));
	}
	xmlFreeDoc(doc);
}

static void
test_config_ok(void)
{
	g_autofree char *dir = private_copy("nwfilterdata/conf-ok");
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpFirewall) fw = sp_firewall_load(dir, diag);
	g_autoptr(GPtrArray) filters = NULL;
	GString *all = g_string_new(NULL);
	g_autofree char *text = NULL;
	g_autofree char *raw = NULL;
	g_autofree char *warnings = NULL;

	sp_diag_print(diag, stderr);
	CU_ASSERT_PTR_NOT_NULL_FATAL(fw);
	/* The VM without addresses, at its name in [vm NAME]. */
	raw = sp_test_diag_text(fw->warnings);
	warnings = strip_dir(raw, dir);
	sp_test_golden("nwfilterdata/conf-ok.warn", warnings);
	filters = sp_filters_generate(fw);
	/* Children first: both policies, the source checks, then the five VMs. */
	CU_ASSERT_EQUAL_FATAL(filters->len, 8);
	for (guint i = 0; i < filters->len; i++) {
		SpFilter *f = g_ptr_array_index(filters, i);

		CU_ASSERT_EQUAL(f->is_vm, i >= 3);
		g_string_append(all, f->xml);
		assert_valid(f->xml);
		assert_waits_for_nothing(f);
	}
	text = g_string_free(all, FALSE);
	sp_test_golden("nwfilterdata/conf-ok.xml", text);
	sp_test_rmtree(dir);
}

/* A configuration of the previous version loads as it did, with a
 * warning at each default that changed or still waits for a choice. */
static void
test_config_upgrade(void)
{
	g_autofree char *dir = private_copy("nwfilterdata/conf-upgrade");
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpFirewall) fw = sp_firewall_load(dir, diag);
	g_autofree char *raw = NULL;
	g_autofree char *warnings = NULL;

	sp_diag_print(diag, stderr);
	CU_ASSERT_PTR_NOT_NULL_FATAL(fw);
	CU_ASSERT_PTR_NULL(fw->dhcp_servers);
	raw = sp_test_diag_text(fw->warnings);
	warnings = strip_dir(raw, dir);
	sp_test_golden("nwfilterdata/conf-upgrade.warn", warnings);
	sp_test_rmtree(dir);
}

/* A configuration folder that must be refused: every error, exactly. */
static void
check_config_errors(const char *name)
{
	g_autofree char *in = g_strdup_printf("nwfilterdata/%s", name);
	g_autofree char *out = g_strdup_printf("nwfilterdata/%s.err", name);
	g_autofree char *dir = private_copy(in);
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpFirewall) fw = sp_firewall_load(dir, diag);
	g_autofree char *raw = sp_test_diag_text(diag);
	g_autofree char *got = strip_dir(raw, dir);

	CU_ASSERT_PTR_NULL(fw);
	sp_test_golden(out, got);
	sp_test_rmtree(dir);
}

static void
test_config_errors(void)
{
	check_config_errors("conf-bad");
}
static void
test_config_order(void)
{
	check_config_errors("conf-order");
}

/* No policy at all: the lookup of a bound one must say "unknown", not crash
 * (UBSan caught bsearch() on the empty array's NULL storage). */
static void
test_no_policies(void)
{
	g_autofree char *dir = sp_test_tmpdir();
	g_autofree char *pdir = g_build_filename(dir, "policies.d", NULL);
	g_autofree char *conf = g_build_filename(dir, "firewall.conf", NULL);
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpFirewall) fw = NULL;

	g_mkdir(pdir, 0700);
	g_file_set_contents(conf, "[vm a]\npolicies = web\n", -1, NULL);
	chmod(conf, 0600);
	fw = sp_firewall_load(dir, diag);
	CU_ASSERT_PTR_NULL(fw);
	CU_ASSERT_EQUAL_FATAL(sp_diag_count(diag), 1);
	CU_ASSERT_TRUE(g_str_has_suffix(
		sp_test_diag_line(diag, 0),
		"firewall.conf:2:12: unknown policy 'web' (no policies.d/web.policy)"));
	sp_test_rmtree(dir);
}

/* Whether two rules can match one packet: the heart of the binding-order
 * check, at the edges (prefixes not on a byte boundary, ranges touching). */
static void
test_rules_overlap(void)
{
	static const struct {
		const char *a, *b;
		gboolean overlap;
	} cases[] = {
		{"drop in tcp from 10.0.0.0/9", "allow in tcp from 10.128.0.0/9", FALSE},
		{"drop in tcp from 10.0.0.0/9", "allow in tcp from 10.127.0.0/16", TRUE},
		{"drop in tcp from 2001:db8::/33", "allow in tcp from 2001:db8:8000::/33", FALSE},
		{"drop in tcp from 2001:db8::/32", "allow in any from 2001:db8:1::1", TRUE},
		{"drop in tcp port 20-30", "allow in tcp port 31,1-19", FALSE},
		{"drop in tcp port 20-30", "allow in tcp port 30-40", TRUE},
		{"drop in any", "allow in icmp", TRUE},
		{"drop in icmp", "allow in any from 2001:db8::/32", FALSE},
		{"drop in udp", "allow in tcp", FALSE},
		{"drop in sctp port 1", "allow in any from 192.0.2.1", TRUE},
		{"drop out any", "allow in any", FALSE},
		{"drop in tcp from 192.0.2.0/24", "allow in tcp from 2001:db8::/32", FALSE},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *text = g_strdup_printf("%s\n%s\n", cases[i].a, cases[i].b);
		g_autoptr(SpDiag) diag = sp_diag_new();
		g_autoptr(SpPolicy) p = sp_policy_parse("t", "t.policy", text, diag);

		CU_ASSERT_PTR_NOT_NULL_FATAL(p);
		if (sp_fw_rules_overlap(g_ptr_array_index(p->rules, 0),
					g_ptr_array_index(p->rules, 1)) != cases[i].overlap)
			fprintf(stderr, "overlap wrong for '%s' / '%s'\n", cases[i].a, cases[i].b);
		CU_ASSERT_EQUAL(sp_fw_rules_overlap(g_ptr_array_index(p->rules, 0),
						    g_ptr_array_index(p->rules, 1)),
				cases[i].overlap);
		CU_ASSERT_EQUAL(sp_fw_rules_overlap(g_ptr_array_index(p->rules, 1),
						    g_ptr_array_index(p->rules, 0)),
				cases[i].overlap);
	}
}

static void
test_uuid_stable(void)
{
	g_autofree char *a = sp_filter_uuid("sparrow-vm-web01");
	g_autofree char *b = sp_filter_uuid("sparrow-vm-web01");
	g_autofree char *c = sp_filter_uuid("sparrow-vm-web02");

	CU_ASSERT_STRING_EQUAL(a, b);
	CU_ASSERT_STRING_NOT_EQUAL(a, c);
	CU_ASSERT_EQUAL(strlen(a), 36u);
	CU_ASSERT_EQUAL(a[14], '5'); /* version 5, name-based */
}

static void
test_canonical(void)
{
	g_autofree char *a = sp_nwfilter_canonical(
		"<filter name='x' chain='root'>\n  <rule action='accept' direction='in' priority='1'>"
		"<tcp dstportstart='80' srcipaddr='1.2.3.4'/></rule></filter>");
	g_autofree char *b = sp_nwfilter_canonical(
		"<filter chain=\"root\" name=\"x\"><rule priority=\"1\" direction=\"in\" "
		"action=\"accept\">\n<tcp srcipaddr=\"1.2.3.4\" dstportstart=\"80\"/>\n</rule>\n</filter>");
	g_autofree char *c = sp_nwfilter_canonical(
		"<filter chain='root' name='x'><rule priority='2' direction='in' action='accept'>"
		"<tcp srcipaddr='1.2.3.4' dstportstart='80'/></rule></filter>");

	CU_ASSERT_STRING_EQUAL(a, b);
	CU_ASSERT_STRING_NOT_EQUAL(a, c);
}

/* Attribute values and text are escaped in the canonical form: before
 * libxml2's canonicalisation, a value holding markup could read as another
 * attribute or element, and two different filters compared equal (so a
 * changed filter was not redefined). */
static void
test_canonical_escapes(void)
{
	static const char *const pairs[][2] = {
		{"<r><e a='&amp;'/><e b='2'/></r>", "<r><e a='&amp;&gt;&lt;/e&gt;&lt;e b=2'/></r>"},
		{"<e a='1&quot;' b='&quot;2'/>", "<e a='1&quot; b=&quot;2'/>"},
		{"<u>a</u>", "<u>a&lt;/u&gt;</u>"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(pairs); i++) {
		g_autofree char *a = sp_nwfilter_canonical(pairs[i][0]);
		g_autofree char *b = sp_nwfilter_canonical(pairs[i][1]);

		CU_ASSERT_STRING_NOT_EQUAL(a, b);
	}
}

/* A policy's columns count bytes, as every config error does (sp-diag.h):
 * a tab is one column, 'é' two. */
static void
test_policy_columns_in_bytes(void)
{
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpPolicy) p =
		sp_policy_parse("t", "t.policy", "\tallow in tcp from @caf\xc3\xa9, 10.0.0.300\n",
				diag);
	g_autofree char *all = sp_test_diag_text(diag);

	CU_ASSERT_PTR_NULL(p);
	CU_ASSERT_STRING_EQUAL(all, "t.policy:1:20: undefined set '@caf\xc3\xa9'\n"
				    "t.policy:1:28: '10.0.0.300' is not an IPv4 or IPv6 address\n");
}

SP_TEST_MAIN("nwfilter", SP_TEST(test_policy_example), SP_TEST(test_policy_set_after_use),
	     SP_TEST(test_policy_every_proto), SP_TEST(test_policy_empty),
	     SP_TEST(test_errors_bad_words), SP_TEST(test_errors_bad_values),
	     SP_TEST(test_errors_bad_utf8), SP_TEST(test_config_ok), SP_TEST(test_config_upgrade),
	     SP_TEST(test_config_errors), SP_TEST(test_config_order), SP_TEST(test_no_policies),
	     SP_TEST(test_rules_overlap), SP_TEST(test_uuid_stable), SP_TEST(test_canonical),
	     SP_TEST(test_canonical_escapes), SP_TEST(test_policy_columns_in_bytes),
	     SP_TEST(test_schema_strict))
