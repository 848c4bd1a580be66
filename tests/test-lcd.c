/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lc-migrated's parts that need no libvirt: its configuration, the sampling
 * arithmetic, the state file, the decisions behind adopting a migration,
 * the control protocol, the domain XML it reads and the metrics' text. */
#include "config.h"

#include <libvirt/libvirt.h>
#include <math.h>
#include <string.h>

#include "lcd-conf.h"
#include "lcd-ctl.h"
#include "lcd-domxml.h"
#include "lcd-metrics.h"
#include "lcd-recover.h"
#include "lcd-sample.h"
#include "lcd-state.h"
#include "sp-error.h"
#include "sp-test.h"

/* ---- configuration ---- */

static LcdConf *
conf_of(const char *lc, SpDiag *diag)
{
	g_autofree char *text = sp_test_read(lc);
	g_autofree char *hosts = sp_test_read("lcddata/hosts.conf");

	return lcd_conf_parse("lc.conf", text, "hosts.conf", hosts, diag);
}

static void
test_conf_good(void)
{
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(LcdConf) c = conf_of("lcddata/good.conf", diag);

	CU_ASSERT_EQUAL(sp_diag_count(diag), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(c->mode, LCD_MODE_ADVISE);
	CU_ASSERT_DOUBLE_EQUAL(c->interval_s, 5, 1e-9);
	CU_ASSERT_STRING_EQUAL(c->socket, "/run/test/lc.sock");
	CU_ASSERT_STRING_EQUAL(c->metrics, "[::1]:9100");
	CU_ASSERT_EQUAL(c->keepalive_count, 4);
	/* The core's units: fractions, rounds, minutes, seconds. */
	CU_ASSERT_DOUBLE_EQUAL(c->core.high, 0.95, 1e-9);
	CU_ASSERT_EQUAL(c->core.high_window, 4);
	CU_ASSERT_DOUBLE_EQUAL(c->core.low, 0.70, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(c->core.spread, 0, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(c->core.vm_ewma, 1.0 / 30, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(c->core.vm_cooldown_min, 30, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(c->core.vm_cooldown_max, 240, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(c->core.host_cooldown_min, 1.5, 1e-9);
	CU_ASSERT_EQUAL(c->core.max_per_host, 2);
	CU_ASSERT_DOUBLE_EQUAL(c->core.downtime_s, 0.5, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(c->load_window, 2, 1e-9);
	/* The cost model gets the bandwidth migrations will have. */
	CU_ASSERT_EQUAL(c->bandwidth_mib, 512);
	CU_ASSERT_DOUBLE_EQUAL(c->core.bandwidth_gbps, 0.5, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(c->timeout_s, 900, 1e-9);
	CU_ASSERT_TRUE(g_hash_table_contains(c->pinned, "db2"));
	CU_ASSERT_STRING_EQUAL(g_hash_table_lookup(c->group_of, "web3"), "web");
	CU_ASSERT_STRING_EQUAL(g_hash_table_lookup(c->group_of, "ns1"), "dns");
	CU_ASSERT_EQUAL(c->hosts->hosts->len, 2);
}

static void
test_conf_defaults(void)
{
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(LcdConf) c = lcd_conf_parse("lc.conf", "", NULL, NULL, diag);
	SpLcConfig core;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	sp_lc_config_init(&core);
	CU_ASSERT_EQUAL(c->mode, LCD_MODE_ENFORCE);
	CU_ASSERT_DOUBLE_EQUAL(c->interval_s, 60, 1e-9);
	CU_ASSERT_STRING_EQUAL(c->socket, LCD_DEFAULT_SOCKET);
	CU_ASSERT_STRING_EQUAL(c->metrics, "127.0.0.1:9468");
	CU_ASSERT_DOUBLE_EQUAL(c->core.high, core.high, 1e-12);
	CU_ASSERT_EQUAL(c->core.high_window, core.high_window);
	CU_ASSERT_DOUBLE_EQUAL(c->core.vm_cooldown_min, core.vm_cooldown_min, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(c->core.bandwidth_gbps, core.bandwidth_gbps, 1e-12);
	CU_ASSERT_EQUAL(c->core.max_cluster, core.max_cluster);
	CU_ASSERT_DOUBLE_EQUAL(c->load_window, 1, 1e-9);
	CU_ASSERT_EQUAL(c->hosts->hosts->len, 0);
	/* An empty metrics turns them off. */
	{
		g_autoptr(LcdConf) off =
			lcd_conf_parse("lc.conf", "[daemon]\nmetrics =\n", NULL, NULL, diag);

		CU_ASSERT_PTR_NOT_NULL_FATAL(off);
		CU_ASSERT_PTR_NULL(off->metrics);
	}
}

/* Every error, each at its place; the file refused whole. */
static void
test_conf_bad(void)
{
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(LcdConf) c = conf_of("lcddata/bad.conf", diag);
	g_autofree char *got = sp_test_diag_text(diag);

	CU_ASSERT_PTR_NULL(c);
	sp_test_golden("lcddata/bad.err", got);
}

/* ---- sampling arithmetic ---- */

static LcdSample *
sample_at(double t, guint64 node_busy_ns)
{
	LcdSample *s = lcd_sample_new();

	s->mono_us = (gint64) (t * 1e6);
	s->has_node = TRUE;
	s->node_busy_ns = node_busy_ns;
	return s;
}

static void
dom_add(LcdSample *s, const char *uuid, double cpu_s, double wait_s, gboolean has_wait)
{
	LcdDomSample d = {.state = VIR_DOMAIN_RUNNING,
			  .cpu_ns = (guint64) (cpu_s * 1e9),
			  .wait_ns = (guint64) (wait_s * 1e9),
			  .has_wait = has_wait,
			  .vcpus = 2};

	g_strlcpy(d.uuid, uuid, sizeof(d.uuid));
	d.name = g_strdup(uuid);
	g_array_append_val(s->doms, d);
}

static void
test_sample_rates(void)
{
	g_autoptr(LcdSample) a = sample_at(100, 0);
	g_autoptr(LcdSample) b = sample_at(110, (guint64) 50e9);
	LcdRate r;

	dom_add(a, "vm-a", 10, 5, TRUE);
	dom_add(a, "vm-b", 100, 0, FALSE);
	dom_add(a, "vm-c", 50, 0, TRUE);
	dom_add(b, "vm-b", 110, 0, FALSE); /* no wait counter: demand = use */
	dom_add(b, "vm-a", 18, 11, TRUE);  /* 0.8 used + 0.6 waited */
	dom_add(b, "vm-c", 1, 0, TRUE);    /* restarted: counters went back */
	dom_add(b, "vm-d", 5, 0, TRUE);    /* new */
	CU_ASSERT_TRUE(lcd_rate(a, b, 1, &r));
	CU_ASSERT_DOUBLE_EQUAL(r.cpu, 0.8, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(r.demand, 1.4, 1e-9);
	/* Not at the same place in both samples: found by its UUID. */
	CU_ASSERT_TRUE(lcd_rate(a, b, 0, &r));
	CU_ASSERT_DOUBLE_EQUAL(r.demand, 1.0, 1e-9);
	CU_ASSERT_FALSE(lcd_rate(a, b, 2, &r));
	CU_ASSERT_FALSE(lcd_rate(a, b, 3, &r));
	CU_ASSERT_FALSE(lcd_rate(NULL, b, 1, &r));
	CU_ASSERT_PTR_NULL(lcd_sample_find(b, "vm-e"));
	/* The node used 5 CPUs; its domains 1.8: the host's own 3.2. */
	CU_ASSERT_DOUBLE_EQUAL(lcd_host_own(a, b, 1.8), 3.2, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(lcd_host_own(a, b, 9), 0, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(lcd_host_own(NULL, b, 1), 0, 1e-9);
}

/* The load average is the kernel's: every 5 s, load = load * EXP_1 + n *
 * (1 - EXP_1) with EXP_1 = 1884 / 2048 (kernel/sched/loadavg.c). */
static void
test_sample_load(void)
{
	double kernel = 0, ours = 0;

	for (guint tick = 0; tick < 24; tick++) {
		kernel = kernel * 1884.0 / 2048 + 3.0 * (1 - 1884.0 / 2048);
		ours = lcd_load_step(ours, 3.0, 5, 60);
		CU_ASSERT_DOUBLE_EQUAL(ours, kernel, 0.002 * 3);
	}
	/* Demand above the cores stays visible: it is not capped. */
	CU_ASSERT(lcd_load_step(0, 12, 600, 60) > 11.99);
	/* One step of any length is the closed form. */
	CU_ASSERT_DOUBLE_EQUAL(lcd_load_step(1, 2, 60, 60), 2 + (1 - 2) * exp(-1), 1e-12);
}

static void
test_dom_states(void)
{
	LcdDomSample d = {.state = VIR_DOMAIN_RUNNING};

	CU_ASSERT_TRUE(lcd_dom_running(&d));
	CU_ASSERT_FALSE(lcd_dom_incoming(&d));
	d = (LcdDomSample){.state = VIR_DOMAIN_PAUSED, .reason = VIR_DOMAIN_PAUSED_MIGRATION};
	CU_ASSERT_FALSE(lcd_dom_running(&d));
	CU_ASSERT_TRUE(lcd_dom_incoming(&d));
	/* Paused by someone: it still runs there (and holds its memory). */
	d = (LcdDomSample){.state = VIR_DOMAIN_PAUSED, .reason = VIR_DOMAIN_PAUSED_USER};
	CU_ASSERT_TRUE(lcd_dom_running(&d));
	d = (LcdDomSample){.state = VIR_DOMAIN_SHUTOFF};
	CU_ASSERT_FALSE(lcd_dom_running(&d));
}

/* ---- the state file ---- */

static void
test_state_round_trip(void)
{
	g_autofree char *text = sp_test_read("lcddata/state.good");
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(LcdState) st = lcd_state_parse("state", text, diag);
	g_autofree char *again = NULL;
	const LcdMoveRec *m;

	CU_ASSERT_EQUAL(sp_diag_count(diag), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	CU_ASSERT_TRUE(st->paused);
	CU_ASSERT_TRUE(lcd_state_drained(st, "h2"));
	CU_ASSERT_FALSE(lcd_state_drained(st, "h1"));
	CU_ASSERT_PTR_NOT_NULL_FATAL(lcd_state_flight(st, "4b6f2a10-0000-4000-8000-000000000001"));
	CU_ASSERT_STRING_EQUAL(lcd_state_flight(st, "4b6f2a10-0000-4000-8000-000000000001")->target,
			       "h2");
	m = lcd_state_last_move(st, "4b6f2a10-0000-4000-8000-000000000002");
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_STRING_EQUAL(m->result, "done");
	CU_ASSERT_PTR_NOT_NULL(strstr(m->why, "97% -> 81%"));
	again = lcd_state_format(st);
	CU_ASSERT_STRING_EQUAL(again, text);
}

static void
test_state_bad(void)
{
	g_autofree char *text = sp_test_read("lcddata/state.bad");
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(LcdState) st = lcd_state_parse("state", text, diag);
	g_autofree char *got = sp_test_diag_text(diag);

	CU_ASSERT_PTR_NULL(st);
	sp_test_golden("lcddata/state.err", got);
	sp_diag_free(g_steal_pointer(&diag));
	diag = sp_diag_new();
	CU_ASSERT_PTR_NULL(lcd_state_parse("state", "paused no\n", diag));
}

static void
test_state_edits(void)
{
	g_autoptr(LcdState) st = lcd_state_new();
	g_autofree char *dir = sp_test_tmpdir();
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(LcdState) back = NULL;
	LcdFlightRec f = {.name = (char *) "web1",
			  .source = (char *) "h1",
			  .target = (char *) "h2",
			  .started = 5};
	LcdMoveRec m = {.name = (char *) "web1",
			.source = (char *) "h1",
			.target = (char *) "h2",
			.result = (char *) "done",
			.why = (char *) "two\nlines\tand a tab"};

	g_strlcpy(f.uuid, "4b6f2a10-0000-4000-8000-000000000001", sizeof(f.uuid));
	g_strlcpy(m.uuid, f.uuid, sizeof(m.uuid));
	lcd_state_flight_add(st, &f);
	lcd_state_flight_add(st, &f); /* the same VM once */
	CU_ASSERT_EQUAL(st->flights->len, 1);
	for (guint i = 0; i < LCD_STATE_MOVES + 5; i++) {
		m.when = i;
		lcd_state_move_add(st, &m);
	}
	/* Only the recent ones are kept; a why stays on its line. */
	CU_ASSERT_EQUAL(st->moves->len, LCD_STATE_MOVES);
	CU_ASSERT_EQUAL(((LcdMoveRec *) g_ptr_array_index(st->moves, 0))->when, 5);
	CU_ASSERT_STRING_EQUAL(lcd_state_last_move(st, f.uuid)->why, "two lines and a tab");
	lcd_state_set_drained(st, "h3", TRUE);
	lcd_state_set_drained(st, "h3", TRUE);
	CU_ASSERT_EQUAL(st->drained->len, 1);
	CU_ASSERT_EQUAL(lcd_state_save(st, dir), 0);
	back = lcd_state_load(dir, diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(back);
	CU_ASSERT_EQUAL(back->moves->len, LCD_STATE_MOVES);
	CU_ASSERT_TRUE(lcd_state_drained(back, "h3"));
	lcd_state_flight_remove(st, f.uuid);
	CU_ASSERT_PTR_NULL(lcd_state_flight(st, f.uuid));
	sp_test_rmtree(dir);
	/* No file yet: an empty state. */
	lcd_state_free(g_steal_pointer(&back));
	back = lcd_state_load("/nonexistent-lcd-state", diag);
	CU_ASSERT_PTR_NOT_NULL(back);
}

/* ---- adopting a migration ---- */

static void
test_flight_judge(void)
{
	static const LcdEnd off = {0}, gone = {.online = TRUE};
	static const LcdEnd running = {.online = TRUE, .present = TRUE, .running = TRUE};
	static const LcdEnd running_asked = {.online = TRUE,
					     .present = TRUE,
					     .running = TRUE,
					     .job_asked = TRUE};
	static const LcdEnd migrating = {.online = TRUE,
					 .present = TRUE,
					 .running = TRUE,
					 .job_asked = TRUE,
					 .job = LCD_JOB_MIGRATION_OUT};
	static const LcdEnd paused_out = {.online = TRUE,
					  .present = TRUE,
					  .job_asked = TRUE,
					  .job = LCD_JOB_MIGRATION_OUT};
	static const LcdEnd incoming = {.online = TRUE, .present = TRUE, .incoming = TRUE};
	static const struct {
		const LcdEnd *src, *dst;
		gboolean elsewhere;
		LcdFlightVerdict v;
	} cases[] = {
		{&migrating, &incoming, FALSE, LCD_FLIGHT_GOING},
		{&paused_out, &incoming, FALSE, LCD_FLIGHT_GOING}, /* the switch-over */
		{&migrating, &off, FALSE, LCD_FLIGHT_GOING},
		{&off, &incoming, FALSE, LCD_FLIGHT_GOING},
		{&gone, &running, FALSE, LCD_FLIGHT_DONE},
		{&off, &running, FALSE, LCD_FLIGHT_DONE},
		{&running_asked, &gone, FALSE, LCD_FLIGHT_FAILED},
		/* Not failed without both hosts' word, or without the job asked. */
		{&running_asked, &off, FALSE, LCD_FLIGHT_UNKNOWN},
		{&running, &gone, FALSE, LCD_FLIGHT_UNKNOWN},
		{&running, &running, FALSE, LCD_FLIGHT_DOUBLE},
		{&gone, &gone, TRUE, LCD_FLIGHT_ELSEWHERE},
		{&gone, &gone, FALSE, LCD_FLIGHT_LOST},
		{&off, &gone, FALSE, LCD_FLIGHT_UNKNOWN},
		{&off, &off, FALSE, LCD_FLIGHT_UNKNOWN},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		LcdFlightVerdict v =
			lcd_flight_judge(cases[i].src, cases[i].dst, cases[i].elsewhere);

		if (v != cases[i].v)
			fprintf(stderr, "case %u: %s, expected %s\n", i, lcd_flight_verdict_name(v),
				lcd_flight_verdict_name(cases[i].v));
		CU_ASSERT_EQUAL(v, cases[i].v);
	}
}

/* ---- the control protocol ---- */

static void
test_ctl_parse(void)
{
	static const struct {
		const char *line;
		int rc;
		LcdCtlVerb verb;
		gboolean json;
		const char *arg;
	} cases[] = {
		{"status\n", 0, LCD_CTL_STATUS, FALSE, NULL},
		{"json status\n", 0, LCD_CTL_STATUS, TRUE, NULL},
		{"why web1", 0, LCD_CTL_WHY, FALSE, "web1"},
		{"json why db-2.prod\n", 0, LCD_CTL_WHY, TRUE, "db-2.prod"},
		{"pause\n", 0, LCD_CTL_PAUSE, FALSE, NULL},
		{"resume\n", 0, LCD_CTL_RESUME, FALSE, NULL},
		{"drain kvm3\n", 0, LCD_CTL_DRAIN, FALSE, "kvm3"},
		{"undrain kvm3\n", 0, LCD_CTL_UNDRAIN, FALSE, "kvm3"},
		{"", -1, 0, FALSE, NULL},
		{"\n", -1, 0, FALSE, NULL},
		{"json\n", -1, 0, FALSE, NULL},
		{"status now\n", -1, 0, FALSE, NULL},
		{"why\n", -1, 0, FALSE, NULL},
		{"why a b\n", -1, 0, FALSE, NULL},
		{"why ../etc\n", -1, 0, FALSE, NULL},
		{"drain -h1\n", -1, 0, FALSE, NULL},
		{"drain h1\r\n", -1, 0, FALSE, NULL},
		{"Status\n", -1, 0, FALSE, NULL},
		{"why  web1\n", -1, 0, FALSE, NULL},
		{"reboot all\n", -1, 0, FALSE, NULL},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		LcdCtlRequest r = {0};
		int rc = lcd_ctl_parse(cases[i].line, strlen(cases[i].line), &r);

		CU_ASSERT_EQUAL(rc, cases[i].rc);
		if (rc == 0 && cases[i].rc == 0) {
			CU_ASSERT_EQUAL(r.verb, cases[i].verb);
			CU_ASSERT_EQUAL(r.json, cases[i].json);
			CU_ASSERT_STRING_EQUAL(r.arg ? r.arg : "-",
					       cases[i].arg ? cases[i].arg : "-");
		}
		lcd_ctl_request_clear(&r);
		sp_error_clear();
	}
}

static void
test_ctl_limits(void)
{
	g_autofree char *longname = g_strnfill(LCD_CTL_REQUEST_MAX, 'a');
	g_autofree char *line = g_strconcat("why ", longname, "\n", NULL);
	const char nul[] = "why w\0eb1\n";
	LcdCtlRequest r = {0};

	CU_ASSERT_EQUAL(lcd_ctl_parse(line, strlen(line), &r), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(sp_error_message(), "longer than"));
	/* The length is the caller's: a NUL inside is refused, not cut. */
	CU_ASSERT_EQUAL(lcd_ctl_parse(nul, sizeof(nul) - 1, &r), -1);
	CU_ASSERT_EQUAL(lcd_ctl_parse("why \xc3\xa9t\xc3\xa9\n", 10, &r), -1);
	sp_error_clear();
}

static void
test_ctl_lines(void)
{
	static const char *const why[] = {"why", "web1", NULL};
	static const char *const bad[] = {"drain", NULL};
	g_autofree char *a = lcd_ctl_request_line(why, TRUE);
	g_autofree char *b = lcd_ctl_request_line(bad, FALSE);
	const char *body = NULL;
	g_autofree char *err = NULL;
	gboolean ok = FALSE;

	CU_ASSERT_STRING_EQUAL(a, "json why web1\n");
	CU_ASSERT_PTR_NULL(b);
	CU_ASSERT_EQUAL(lcd_ctl_reply_parse("ok\nhello\n", 9, &ok, &body, &err), 0);
	CU_ASSERT_TRUE(ok);
	CU_ASSERT_STRING_EQUAL(body, "hello\n");
	CU_ASSERT_EQUAL(lcd_ctl_reply_parse("ok\n", 3, &ok, &body, &err), 0);
	CU_ASSERT_STRING_EQUAL(body, "");
	CU_ASSERT_EQUAL(lcd_ctl_reply_parse("error no vm 'x' is known\n", 25, &ok, &body, &err), 0);
	CU_ASSERT_FALSE(ok);
	CU_ASSERT_STRING_EQUAL(err, "no vm 'x' is known");
	CU_ASSERT_EQUAL(lcd_ctl_reply_parse("HTTP/1.0 200\n", 13, &ok, &body, &err), -1);
	CU_ASSERT_EQUAL(lcd_ctl_reply_parse("", 0, &ok, &body, &err), -1);
	sp_error_clear();
}

/* ---- domain XML ---- */

static void
test_meta(void)
{
	gboolean pinned = FALSE;
	g_autofree char *group = NULL;
	g_autofree char *big = NULL;

	CU_ASSERT_EQUAL(lcd_meta_parse("<loadcontrol><pinned/><anti-affinity group='web'/>"
				       "</loadcontrol>",
				       &pinned, &group),
			0);
	CU_ASSERT_TRUE(pinned);
	CU_ASSERT_STRING_EQUAL(group, "web");
	g_clear_pointer(&group, g_free);
	/* As stored with a prefix: the local names count. */
	CU_ASSERT_EQUAL(lcd_meta_parse("<lc:loadcontrol xmlns:lc='" LCD_META_NS "'>"
				       "<lc:anti-affinity group='db'/></lc:loadcontrol>",
				       &pinned, &group),
			0);
	CU_ASSERT_FALSE(pinned);
	CU_ASSERT_STRING_EQUAL(group, "db");
	CU_ASSERT_EQUAL(lcd_meta_parse("<loadcontrol><pin/></loadcontrol>", &pinned, &group), -1);
	CU_ASSERT_EQUAL(lcd_meta_parse("<loadcontrol><anti-affinity/></loadcontrol>", &pinned,
				       &group),
			-1);
	CU_ASSERT_EQUAL(lcd_meta_parse("<loadcontrol><anti-affinity group='a b'/></loadcontrol>",
				       &pinned, &group),
			-1);
	CU_ASSERT_EQUAL(lcd_meta_parse("<other/>", &pinned, &group), -1);
	CU_ASSERT_EQUAL(lcd_meta_parse("<loadcontrol>", &pinned, &group), -1);
	/* No DTD, so no entity to expand (a billion laughs stays one). */
	CU_ASSERT_EQUAL(lcd_meta_parse("<!DOCTYPE l [<!ENTITY a 'aaaa'>]><loadcontrol>&a;"
				       "</loadcontrol>",
				       &pinned, &group),
			-1);
	CU_ASSERT_PTR_NOT_NULL(strstr(sp_error_message(), "document type"));
	big = g_strnfill(LCD_META_MAX + 1, ' ');
	CU_ASSERT_EQUAL(lcd_meta_parse(big, &pinned, &group), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(sp_error_message(), "larger than"));
	sp_error_clear();
}

static void
test_dom_facts(void)
{
	g_autofree char *xml = sp_test_read("lcddata/dom.xml");
	g_autoptr(LcdDomFacts) f = lcd_dom_facts(xml);
	g_autoptr(GPtrArray) children = g_ptr_array_new_with_free_func(g_free);

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL_FATAL(f->bridges->len, 1); /* once, though two interfaces */
	CU_ASSERT_STRING_EQUAL(g_ptr_array_index(f->bridges, 0), "br1034");
	CU_ASSERT_EQUAL_FATAL(f->networks->len, 1);
	CU_ASSERT_STRING_EQUAL(g_ptr_array_index(f->networks, 0), "default");
	CU_ASSERT_EQUAL_FATAL(f->filters->len, 1);
	CU_ASSERT_STRING_EQUAL(g_ptr_array_index(f->filters, 0), "sparrow-vm-web1");
	CU_ASSERT_STRING_EQUAL(f->arch, "x86_64");
	CU_ASSERT_STRING_EQUAL(f->machine, "pc-q35-7.2");
	CU_ASSERT_STRING_EQUAL(f->virttype, "kvm");
	CU_ASSERT_STRING_EQUAL(f->emulator, "/usr/bin/qemu-system-x86_64");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f->cpu_xml);
	CU_ASSERT_PTR_NOT_NULL(strstr(f->cpu_xml, "Skylake-Server"));
	CU_ASSERT_EQUAL(lcd_filter_children("<filter name='sparrow-vm-web1'>"
					    "<filterref filter='sparrow-policy-web'/>"
					    "<filterref filter='sparrow-policy-ssh'/></filter>",
					    children),
			0);
	CU_ASSERT_EQUAL(children->len, 2);
	CU_ASSERT_PTR_NULL(lcd_dom_facts("<domain>"));
	sp_error_clear();
}

static void
test_metrics_label(void)
{
	g_autoptr(GString) out = g_string_new(NULL);

	lcd_metrics_label(out, "a\"b\\c\nd");
	CU_ASSERT_STRING_EQUAL(out->str, "a\\\"b\\\\c\\nd");
}

SP_TEST_MAIN("lcd", SP_TEST(test_conf_good), SP_TEST(test_conf_defaults), SP_TEST(test_conf_bad),
	     SP_TEST(test_sample_rates), SP_TEST(test_sample_load), SP_TEST(test_dom_states),
	     SP_TEST(test_state_round_trip), SP_TEST(test_state_bad), SP_TEST(test_state_edits),
	     SP_TEST(test_flight_judge), SP_TEST(test_ctl_parse), SP_TEST(test_ctl_limits),
	     SP_TEST(test_ctl_lines), SP_TEST(test_meta), SP_TEST(test_dom_facts),
	     SP_TEST(test_metrics_label))
