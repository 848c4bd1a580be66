/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "lcd-host.h"
#include "lcd-metrics.h"
#include "sp-error.h"

struct LcdMetrics {
	struct MHD_Daemon *daemon;
	GMutex lock;
	char *text;
};

void
lcd_metrics_label(GString *out, const char *value)
{
	for (const char *p = value ? value : ""; *p; p++) {
		if (*p == '\\' || *p == '"')
			g_string_append_c(out, '\\');
		if (*p == '\n')
			g_string_append(out, "\\n");
		else
			g_string_append_c(out, *p);
	}
}

static void
head(GString *out, const char *name, const char *type, const char *help)
{
	g_string_append_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* name{key="value"} number */
static void
sample1(GString *out, const char *name, const char *key, const char *value, double v)
{
	g_string_append(out, name);
	if (key) {
		g_string_append_printf(out, "{%s=\"", key);
		lcd_metrics_label(out, value);
		g_string_append(out, "\"}");
	}
	g_string_append_printf(out, " %.6g\n", v);
}

static void
hosts_render(Lcd *lcd, GString *out)
{
	static const struct {
		const char *name, *help;
	} gauges[] = {
		{"lc_host_up", "1 when the host answered in the last round"},
		{"lc_host_connected", "1 while the connection to its libvirtd is open"},
		{"lc_host_load", "load average the core sees, in CPUs"},
		{"lc_host_demand", "CPUs its VMs (and the host) wanted in the last interval"},
		{"lc_host_cores", "CPUs the core counts for the host"},
		{"lc_host_vms", "VMs running on the host"},
		{"lc_host_drained", "1 while the host is drained (lcctl drain)"},
	};

	for (guint g = 0; g < G_N_ELEMENTS(gauges); g++) {
		head(out, gauges[g].name, "gauge", gauges[g].help);
		for (guint i = 0; i < lcd->hosts->len; i++) {
			LcdHost *h = g_ptr_array_index(lcd->hosts, i);
			double v = 0;

			if (h->removed)
				continue;
			switch (g) {
			case 0:
				v = !h->offline;
				break;
			case 1:
				v = h->link == LCD_LINK_UP;
				break;
			case 2:
				v = h->load;
				break;
			case 3:
				v = h->demand;
				break;
			case 4:
				v = lcd_host_cores(h);
				break;
			case 5:
				v = h->vms;
				break;
			default:
				v = lcd_state_drained(lcd->state, h->name);
				break;
			}
			sample1(out, gauges[g].name, "host", h->name, v);
		}
	}
}

static void
vms_render(Lcd *lcd, GString *out)
{
	head(out, "lc_vm_demand", "gauge",
	     "CPUs the VM wanted in the last interval (used + waited)");
	for (guint i = 0; i < lcd->vms->len; i++) {
		LcdVm *vm = g_ptr_array_index(lcd->vms, i);

		if (!vm || !vm->present || !vm->host)
			continue;
		g_string_append(out, "lc_vm_demand{vm=\"");
		lcd_metrics_label(out, vm->name);
		g_string_append(out, "\",host=\"");
		lcd_metrics_label(out, vm->host->name);
		g_string_append_printf(out, "\"} %.4g\n", vm->demand);
	}
	head(out, "lc_vm_double_active", "gauge", "1 for a VM running on two hosts (an alarm)");
	for (guint i = 0; i < lcd->vms->len; i++) {
		LcdVm *vm = g_ptr_array_index(lcd->vms, i);

		if (vm && vm->double_alarm)
			sample1(out, "lc_vm_double_active", "vm", vm->name, 1);
	}
	head(out, "lc_vm_double_active_total", "counter", "VMs ever seen running on two hosts");
	sample1(out, "lc_vm_double_active_total", NULL, NULL, (double) lcd->double_total);
}

static void
decisions_render(Lcd *lcd, GString *out)
{
	guint in_flight = 0;

	head(out, "lc_decisions_total", "counter", "journal entries of the core, by reason");
	for (guint r = 0; r < SP_LC_REASON_LAST; r++)
		sample1(out, "lc_decisions_total", "reason", sp_lc_reason_name(r),
			(double) lcd->decisions[r]);
	head(out, "lc_migrations_total", "counter", "migrations by how they ended");
	sample1(out, "lc_migrations_total", "result", "done", (double) lcd->migrations_done);
	sample1(out, "lc_migrations_total", "result", "failed", (double) lcd->migrations_failed);
	sample1(out, "lc_migrations_total", "result", "aborted", (double) lcd->migrations_aborted);
	sample1(out, "lc_migrations_total", "result", "refused", (double) lcd->migrations_refused);
	for (guint i = 0; i < lcd->migrations->len; i++)
		in_flight += lcd_migration_is_running(g_ptr_array_index(lcd->migrations, i));
	head(out, "lc_migrations_in_flight", "gauge", "migrations not yet settled");
	sample1(out, "lc_migrations_in_flight", NULL, NULL, in_flight);
	head(out, "lc_migration_seconds_last", "gauge", "duration of the last migration done");
	sample1(out, "lc_migration_seconds_last", NULL, NULL, lcd->last_migration_s);
	head(out, "lc_migration_seconds_sum", "counter", "time spent in migrations done");
	sample1(out, "lc_migration_seconds_sum", NULL, NULL, lcd->migration_s_sum);
	head(out, "lc_decision_to_start_seconds_last", "gauge",
	     "from the round that chose the last migration to its start");
	sample1(out, "lc_decision_to_start_seconds_last", NULL, NULL,
		lcd->last_decision_to_start_s);
	head(out, "lc_detection_to_start_seconds_last", "gauge",
	     "from its source passing high (or the decision, for a drain) to the last migration's "
	     "start");
	sample1(out, "lc_detection_to_start_seconds_last", NULL, NULL, lcd->last_detect_to_start_s);
}

char *
lcd_metrics_render(Lcd *lcd)
{
	GString *out = g_string_sized_new(4096);

	head(out, "lc_info", "gauge", "lc-migrated's mode");
	sample1(out, "lc_info", "mode", lcd->conf->mode == LCD_MODE_ENFORCE ? "enforce" : "advise",
		1);
	head(out, "lc_paused", "gauge", "1 while paused (lcctl pause)");
	sample1(out, "lc_paused", NULL, NULL, lcd->state->paused);
	head(out, "lc_rounds_total", "counter", "rounds run");
	sample1(out, "lc_rounds_total", NULL, NULL, (double) lcd->round);
	head(out, "lc_round_seconds", "gauge", "time the last round took in the main thread");
	sample1(out, "lc_round_seconds", NULL, NULL, lcd->last_round_s);
	head(out, "lc_round_cpu_seconds", "gauge",
	     "CPU time of the main thread in the last round (the core included)");
	sample1(out, "lc_round_cpu_seconds", NULL, NULL, lcd->last_round_cpu_s);
	head(out, "lc_config_reloads_total", "counter", "configuration reloads (SIGHUP)");
	sample1(out, "lc_config_reloads_total", "result", "ok", (double) lcd->reloads);
	sample1(out, "lc_config_reloads_total", "result", "refused", (double) lcd->reload_failures);
	hosts_render(lcd, out);
	vms_render(lcd, out);
	decisions_render(lcd, out);
	return g_string_free(out, FALSE);
}

void
lcd_metrics_update(Lcd *lcd)
{
	LcdMetrics *m = lcd->metrics;
	char *text;

	if (!m)
		return;
	text = lcd_metrics_render(lcd);
	g_mutex_lock(&m->lock);
	g_free(m->text);
	m->text = text;
	g_mutex_unlock(&m->lock);
}

static enum MHD_Result
handle(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
       const char *version, const char *upload_data, size_t *upload_size, void **con_cls)
{
	LcdMetrics *m = cls;
	struct MHD_Response *resp;
	enum MHD_Result ret;
	unsigned int status = MHD_HTTP_OK;

	(void) version;
	(void) upload_data;
	(void) con_cls;
	if (*upload_size)
		return MHD_NO; /* a GET has no body */
	g_mutex_lock(&m->lock);
	if (strcmp(method, "GET") != 0) {
		status = MHD_HTTP_METHOD_NOT_ALLOWED;
		resp = MHD_create_response_from_buffer(0, (void *) "", MHD_RESPMEM_PERSISTENT);
	} else if (strcmp(url, "/metrics") != 0) {
		status = MHD_HTTP_NOT_FOUND;
		resp = MHD_create_response_from_buffer(0, (void *) "", MHD_RESPMEM_PERSISTENT);
	} else {
		const char *text = m->text ? m->text : "";

		resp = MHD_create_response_from_buffer(strlen(text), (void *) text,
						       MHD_RESPMEM_MUST_COPY);
	}
	g_mutex_unlock(&m->lock);
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, "Content-Type", "text/plain; version=0.0.4; charset=utf-8");
	ret = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

LcdMetrics *
lcd_metrics_start(const char *listen)
{
	const char *colon = strrchr(listen, ':');
	g_autofree char *addr = g_strndup(listen, (gsize) (colon - listen));
	guint port = (guint) g_ascii_strtoull(colon + 1, NULL, 10);
	struct sockaddr_storage ss = {0};
	unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD;
	LcdMetrics *m;

	if (addr[0] == '[') {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *) &ss;

		addr[strlen(addr) - 1] = '\0';
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((guint16) port);
		if (inet_pton(AF_INET6, addr + 1, &s6->sin6_addr) != 1)
			goto bad;
		flags |= MHD_USE_IPv6;
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *) &ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons((guint16) port);
		if (inet_pton(AF_INET, addr, &s4->sin_addr) != 1)
			goto bad;
	}
	m = g_new0(LcdMetrics, 1);
	g_mutex_init(&m->lock);
	/* Few connections and a short timeout: a scraper, not the world. */
	m->daemon =
		MHD_start_daemon(flags, (guint16) port, NULL, NULL, handle, m, MHD_OPTION_SOCK_ADDR,
				 (struct sockaddr *) &ss, MHD_OPTION_CONNECTION_LIMIT,
				 (unsigned int) 16, MHD_OPTION_CONNECTION_TIMEOUT,
				 (unsigned int) 10, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
				 (size_t) 64 * 1024, MHD_OPTION_END);
	if (!m->daemon) {
		sp_error("cannot serve metrics on '%s' (address in use?)", listen);
		g_mutex_clear(&m->lock);
		g_free(m);
		return NULL;
	}
	return m;
bad:
	sp_error("'%s' is not an address to listen on", listen);
	return NULL;
}

void
lcd_metrics_stop(LcdMetrics *m)
{
	if (!m)
		return;
	MHD_stop_daemon(m->daemon);
	g_mutex_clear(&m->lock);
	g_free(m->text);
	g_free(m);
}
