/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The report: one self-contained HTML page (inline CSS and SVG, nothing
 * fetched) that a person who never heard of Sparrow can read: what ran,
 * what each program answered, and whether it matched what was asked of it.
 * Written with lib/sp-xml; HTML elements never end up empty (an empty
 * element is written <td/>, which HTML does not close), hence dash(). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "sp-error.h"

static const char css[] =
	"body{font-family:sans-serif;max-width:960px;margin:2em auto;color:#222;line-height:1.45}"
	"h1{font-size:1.7em;margin-bottom:.2em}h2{margin-top:1.8em;border-bottom:1px solid #ddd}"
	".lead{color:#444}.muted{color:#777;font-size:.9em}"
	"table{border-collapse:collapse;margin:.6em 0;font-size:.92em}"
	"th,td{border:1px solid #ddd;padding:.25em .6em;text-align:left;vertical-align:top}"
	"th{background:#f3f3f3}.ok{color:#1a7f37;font-weight:bold}.bad{color:#c62828;font-weight:bold}"
	".cards{display:flex;gap:.8em;flex-wrap:wrap;margin:1em 0}"
	".card{flex:1 1 200px;border:1px solid #ddd;border-radius:6px;padding:.6em .8em}"
	".card b{display:block;font-size:1.05em}"
	"pre{background:#f6f6f6;padding:.5em;white-space:pre-wrap;font-size:.85em;margin:0}"
	"code{background:#f3f3f3;padding:0 .2em}.num{white-space:nowrap}"
	".open{background:#e6f4ea}.filtered{background:#fdecea}.closed{background:#fff4e0}";

static const char *
dash(const char *s)
{
	return s && s[0] ? s : "\u2014";
}

static void
cell(SpXml *x, const char *tag, const char *cls, const char *s)
{
	sp_xml_start(x, tag);
	if (cls)
		sp_xml_attr(x, "class", cls);
	sp_xml_text(x, dash(s));
	sp_xml_end(x);
}

static void
para(SpXml *x, const char *cls, const char *s)
{
	cell(x, "p", cls, s);
}

static void
header_row(SpXml *x, const char *const *names)
{
	sp_xml_start(x, "tr");
	for (guint i = 0; names[i]; i++)
		cell(x, "th", NULL, names[i]);
	sp_xml_end(x);
}

static void
card(SpXml *x, const char *title, gboolean ok, const char *s)
{
	/* An act that did not run is neither a success nor a failure. */
	gboolean ran = !g_str_has_prefix(s, "not run");

	sp_xml_start(x, "div");
	sp_xml_attr(x, "class", "card");
	sp_xml_start(x, "b");
	sp_xml_attr(x, "class", !ran ? "muted" : ok ? "ok" : "bad");
	sp_xml_text(x, title);
	sp_xml_end(x);
	sp_xml_text(x, s);
	sp_xml_end(x);
}

static guint
count_ok(GPtrArray *lines, guint field, const char *want)
{
	guint n = 0;

	for (guint i = 0; i < lines->len; i++)
		n += strcmp(demo_field(g_ptr_array_index(lines, i), field), want) == 0;
	return n;
}

static void
section_summary(SpXml *x, const DemoRecord *r)
{
	g_autoptr(GPtrArray) probes = demo_lines(r, "probe");
	g_autoptr(GPtrArray) moves = demo_lines(r, "move");
	g_autoptr(GPtrArray) slvm = demo_lines(r, "slvm");
	g_autoptr(GPtrArray) clean = demo_lines(r, "clean");
	g_autoptr(GPtrArray) skipped = demo_lines(r, "skipped");
	g_autofree char *fw = NULL, *lc = NULL, *sl = NULL;
	guint matched = 0;
	gboolean lc_skipped = FALSE, slvm_skipped = FALSE;

	for (guint i = 0; i < probes->len; i++)
		matched += demo_probe_ok(g_ptr_array_index(probes, i));
	for (guint i = 0; i < skipped->len; i++) {
		const char *what = demo_field(g_ptr_array_index(skipped, i), 1);

		lc_skipped |= strcmp(what, "balance") == 0;
		slvm_skipped |= strcmp(what, "slvm") == 0;
	}
	sp_xml_start(x, "div");
	sp_xml_attr(x, "class", "cards");
	fw = g_strdup_printf("%u of %u probes answered exactly as the policy files say.", matched,
			     probes->len);
	card(x, "Firewall", probes->len > 0 && matched == probes->len, fw);
	lc = lc_skipped
		     ? g_strdup("not run: lc-migrated is not built in this tree.")
		     : g_strdup_printf("%u VM%s moved live off the busy host, %u by the decision "
				       "core's choice.",
				       moves->len, moves->len == 1 ? "" : "s",
				       count_ok(moves, 5, "yes"));
	card(x, "Load balancing",
	     !lc_skipped && moves->len > 0 && count_ok(moves, 5, "yes") == moves->len, lc);
	sl = slvm_skipped
		     ? g_strdup("not run: slvm-helper is not built in this tree.")
		     : g_strdup_printf(
			       "%u of %u steps on two hosts sharing one disk went as they should.",
			       count_ok(slvm, 3, "ok"), slvm->len);
	card(x, "Shared LVM",
	     !slvm_skipped && slvm->len > 0 && count_ok(slvm, 3, "ok") == slvm->len, sl);
	card(x, "Cleanup",
	     clean->len > 0 && strcmp(demo_field(g_ptr_array_index(clean, 0), 1), "yes") == 0,
	     clean->len && strcmp(demo_field(g_ptr_array_index(clean, 0), 1), "yes") == 0
		     ? "Nothing left behind: namespaces, processes, mounts, links, state folders."
		     : "Something was left behind (see the end of this page).");
	sp_xml_end(x);
}

static void
section_cluster(SpXml *x, const DemoRecord *r)
{
	static const char *const head[] = {"VM",         "started on host", "address",
					   "answers on", "policies",        NULL};
	g_autoptr(GPtrArray) vms = demo_lines(r, "vm");
	g_autoptr(GPtrArray) nets = demo_lines(r, "net");

	cell(x, "h2", NULL, "1. Three hosts, their networks and VMs");
	para(x, NULL,
	     "Each host is a Linux network namespace running its own libvirtd and QEMU, as a real "
	     "KVM host would; a switch joins them. netplug built two VXLAN networks (front and back) "
	     "from one networks.conf on hosts 1 and 2. Host 3 was left bare: sparrow-hook, which "
	     "libvirtd runs before every VM start, built its networks when db1 started there.");
	sp_xml_start(x, "table");
	header_row(x, head);
	for (guint i = 0; i < vms->len; i++) {
		char **l = g_ptr_array_index(vms, i);

		sp_xml_start(x, "tr");
		for (guint f = 1; f <= 5; f++)
			cell(x, "td", NULL, demo_field(l, f));
		sp_xml_end(x);
	}
	sp_xml_end(x);
	{
		static const char *const nhead[] = {"host",    "when",           "link", "kind",
						    "network", "netplug status", NULL};

		sp_xml_start(x, "table");
		header_row(x, nhead);
		for (guint i = 0; i < nets->len; i++) {
			char **l = g_ptr_array_index(nets, i);

			if (strcmp(demo_field(l, 1), "3") != 0)
				continue;
			sp_xml_start(x, "tr");
			cell(x, "td", NULL, demo_field(l, 1));
			cell(x, "td", NULL,
			     strcmp(demo_field(l, 2), "before") == 0 ? "before db1 started"
								     : "after db1 started");
			cell(x, "td", NULL, demo_field(l, 4));
			cell(x, "td", NULL, demo_field(l, 5));
			cell(x, "td", NULL, demo_field(l, 6));
			cell(x, "td", strcmp(demo_field(l, 3), "ok") == 0 ? "ok" : "bad",
			     demo_field(l, 3));
			sp_xml_end(x);
		}
		sp_xml_end(x);
	}
}

/* The answer of the same probe in the "after" phase, or NULL. */
static char **
probe_after(GPtrArray *probes, char **before)
{
	for (guint i = 0; i < probes->len; i++) {
		char **l = g_ptr_array_index(probes, i);

		if (strcmp(demo_field(l, 1), "after") == 0 && strcmp(l[2], before[2]) == 0 &&
		    strcmp(demo_field(l, 3), demo_field(before, 3)) == 0 &&
		    strcmp(demo_field(l, 4), demo_field(before, 4)) == 0 &&
		    strcmp(demo_field(l, 5), demo_field(before, 5)) == 0)
			return l;
	}
	return NULL;
}

static void
answer_cell(SpXml *x, char **l)
{
	g_autofree char *text = NULL;

	if (!l) {
		cell(x, "td", NULL, NULL);
		return;
	}
	text = g_strdup_printf("%s %s", demo_field(l, 9), demo_probe_ok(l) ? "\u2713" : "\u2717");
	cell(x, "td", demo_probe_ok(l) ? demo_field(l, 9) : "bad", text);
}

static void
section_probes(SpXml *x, const DemoRecord *r)
{
	static const char *const head[] = {"from",
					   "to",
					   "port",
					   "the policy files say",
					   "rule that decides",
					   "answer",
					   "answer after the moves",
					   NULL};
	g_autoptr(GPtrArray) probes = demo_lines(r, "probe");

	cell(x, "h2", NULL, "2. The firewall does what the policy files say");
	para(x, NULL,
	     "Three short policy files (web, admin-ssh, db), bound to VMs in firewall.conf, were "
	     "turned into libvirt nwfilters by nwfilter-gen and defined on every host. Then the "
	     "client (the office, 198.18.1.2) and the VMs themselves tried ports. open: a full "
	     "exchange with the VM's service; closed: refused at once; filtered: no answer (dropped). "
	     "The expectation is nwfilter-gen's own verdict on the policy files, with the rule that "
	     "decides ('default': no rule matched, so inbound is dropped and outbound allowed). The "
	     "same probes ran again after lc-migrated had moved VMs between hosts (section 3).");
	sp_xml_start(x, "table");
	header_row(x, head);
	for (guint i = 0; i < probes->len; i++) {
		char **l = g_ptr_array_index(probes, i);
		g_autofree char *port = NULL, *rule = NULL;

		if (strcmp(demo_field(l, 1), "before") != 0)
			continue;
		port = g_strdup_printf("%s %s", demo_field(l, 4), demo_field(l, 5));
		if (strcmp(demo_field(l, 6), "-") != 0)
			rule = g_strdup_printf("%s out: %s; %s in: %s", demo_field(l, 2),
					       demo_field(l, 6), demo_field(l, 3),
					       demo_field(l, 7));
		sp_xml_start(x, "tr");
		cell(x, "td", NULL, demo_field(l, 2));
		cell(x, "td", NULL, demo_field(l, 3));
		cell(x, "td", NULL, port);
		cell(x, "td", demo_field(l, 8), demo_field(l, 8));
		cell(x, "td", NULL, rule ? rule : demo_field(l, 7));
		answer_cell(x, l);
		answer_cell(x, probe_after(probes, l));
		sp_xml_end(x);
	}
	sp_xml_end(x);
}

static void
section_balance(SpXml *x, const DemoRecord *r)
{
	static const char *const head[] = {"VM",
					   "from host",
					   "to host",
					   "the decision core's reason",
					   "lcctl why VM, after the move",
					   NULL};
	g_autoptr(GPtrArray) moves = demo_lines(r, "move");

	cell(x, "h2", NULL, "3. Load balancing, live");
	para(x, NULL,
	     "lc-migrated ran on the client and sampled every host's VMs through libvirt once a round "
	     "(3 s here; a minute on a real cluster). Two busy VMs then started on host 1, each "
	     "keeping a whole CPU busy (each host counts 2 CPUs here, so host 1 went to about "
	     "100 %). Once host 1 stayed over the overload line for 3 rounds, Sparrow's decision "
	     "core chose which VM to move and where; lc-migrated moved it live (the VM kept "
	     "running) and then left things alone. The load is what the core sees: each VM's CPU "
	     "time plus the time it waited for a CPU, as a share of its host's CPUs.");
	demo_svg_loads(x, r);
	para(x, "muted",
	     "The loads are lc-migrated's own figures, smoothed over rounds: after a move they "
	     "settle over a few rounds. The vertical black line is the migration, labelled with "
	     "the VM and the hosts.");
	if (moves->len == 0) {
		para(x, "muted", "No VM was moved in this run.");
		return;
	}
	sp_xml_start(x, "table");
	header_row(x, head);
	for (guint i = 0; i < moves->len; i++) {
		char **l = g_ptr_array_index(moves, i);
		gboolean core = strcmp(demo_field(l, 5), "yes") == 0;

		sp_xml_start(x, "tr");
		cell(x, "td", NULL, demo_field(l, 2));
		cell(x, "td", NULL, demo_field(l, 3));
		cell(x, "td", NULL, demo_field(l, 4));
		cell(x, "td", core ? NULL : "bad",
		     core ? demo_field(l, 7) : "not a decision of the core (none was logged)");
		sp_xml_start(x, "td");
		cell(x, "pre", NULL, demo_field(l, 6));
		sp_xml_end(x);
		sp_xml_end(x);
	}
	sp_xml_end(x);
}

static void
section_slvm(SpXml *x, const DemoRecord *r)
{
	static const char *const head[] = {"step", "result", "took", "what the hosts answered",
					   NULL};
	g_autoptr(GPtrArray) slvm = demo_lines(r, "slvm");
	g_autoptr(GPtrArray) refusal = demo_lines(r, "slvm_refusal");
	g_autoptr(GString) refused = g_string_new(NULL);

	cell(x, "h2", NULL, "4. Shared LVM: two hosts, one disk");
	para(x, NULL,
	     "Hosts that share a SAN disk can share an LVM volume group on it. slvm-helper makes "
	     "that safe: an LV (a VM's disk) made or resized on one host is seen with its new size "
	     "on another when that host activates it, and a VM gets a lease on the shared disk "
	     "(through lvmlockd and sanlock), so that two hosts can never run it at once and write "
	     "its disk together.");
	para(x, "muted",
	     demo_meta(r, "slvm_where",
		       "This act runs two hosts that share one disk, as hosts share a SAN LUN."));
	if (slvm->len == 0) {
		para(x, "muted", "Not run in this tree (slvm-helper is not built).");
		return;
	}
	demo_svg_slvm(x, r);
	sp_xml_start(x, "table");
	header_row(x, head);
	for (guint i = 0; i < slvm->len; i++) {
		char **l = g_ptr_array_index(slvm, i);
		gboolean ok = strcmp(demo_field(l, 3), "ok") == 0;
		g_autofree char *took = g_strdup_printf("%.1f s", atof(demo_field(l, 2)) / 1000);

		sp_xml_start(x, "tr");
		cell(x, "td", NULL, demo_field(l, 1));
		cell(x, "td", ok ? "ok" : "bad", ok ? "\u2713" : "\u2717");
		cell(x, "td", "num", took);
		cell(x, "td", NULL, demo_field(l, 4));
		sp_xml_end(x);
	}
	sp_xml_end(x);
	if (refusal->len == 0)
		return;
	for (guint i = 0; i < refusal->len; i++)
		g_string_append_printf(refused, "%s%s", i ? "\n" : "",
				       demo_field(g_ptr_array_index(refusal, i), 1));
	para(x, NULL, "What the admin sees on host 2 when starting the VM that runs on host 1:");
	cell(x, "pre", NULL, refused->str);
}

int
demo_write_html(const DemoRecord *r, const char *path)
{
	g_autoptr(SpXml) x = sp_xml_new();
	g_autoptr(GPtrArray) left = demo_lines(r, "leftover");
	g_autofree char *text = NULL, *intro = NULL, *doc = NULL;
	g_autoptr(GError) gerr = NULL;
	double total = atof(demo_meta(r, "total_ms", "0")) / 1000;

	sp_xml_start(x, "html");
	sp_xml_attr(x, "lang", "en");
	sp_xml_start(x, "head");
	sp_xml_start(x, "meta");
	sp_xml_attr(x, "charset", "utf-8");
	sp_xml_end(x);
	cell(x, "title", NULL, "Sparrow demo report");
	cell(x, "style", NULL, css);
	sp_xml_end(x);
	sp_xml_start(x, "body");
	cell(x, "h1", NULL, "Sparrow: a small private KVM cloud, running on one machine");
	para(x, "lead",
	     "Sparrow is a set of small programs that turn plain KVM hosts running libvirt into a "
	     "private cloud, without a cluster stack: they plug into libvirt on every host and are "
	     "driven by a few files that admins edit (networks, firewall policies, shared disks). "
	     "This page is the record of one run of its demo, tools/dev demo: three hosts, their "
	     "networks, a firewall, VMs balanced live between hosts, and shared disks. Nothing "
	     "here is simulated: every result below is what libvirtd, QEMU and the Linux kernel "
	     "answered.");
	intro = g_strdup_printf("Run started %s on kernel %s%s; it took %.0f s%s.",
				demo_meta(r, "started", "?"), demo_meta(r, "kernel", "?"),
				strcmp(demo_meta(r, "quick", "0"), "1") == 0 ? " (quick version)"
									     : "",
				total,
				demo_meta(r, "interrupted", NULL) ? ", and was interrupted (Ctrl-C)"
								  : "");
	para(x, "muted", intro);
	section_summary(x, r);
	section_cluster(x, r);
	section_probes(x, r);
	section_balance(x, r);
	section_slvm(x, r);
	cell(x, "h2", NULL, "How long each step took");
	para(x, "muted",
	     "The shared-LVM steps (section 4, the last ones here) ran in their own VMs at the same "
	     "time as the others, from the demo's start.");
	demo_svg_steps(x, r);
	cell(x, "h2", NULL, "Cleanup");
	if (left->len == 0)
		para(x, NULL,
		     "After the run, nothing it started was left: no network namespace, process, "
		     "mount, network link or state folder of the demo remained (checked, not assumed).");
	for (guint i = 0; i < left->len; i++)
		para(x, "bad", demo_field(g_ptr_array_index(left, i), 1));
	if (sp_xml_finish(x, &text) < 0)
		return -1;
	/* The doctype is a fixed line, not content: the writer has no call
	 * for an HTML doctype. */
	doc = g_strconcat("<!DOCTYPE html>\n", text, NULL);
	if (!g_file_set_contents(path, doc, -1, &gerr)) {
		sp_error("cannot write '%s': %s", path, gerr->message);
		return -1;
	}
	return 0;
}
