/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The daemon's life: start (state file, recovery, hosts, sockets), the
 * round timer, SIGHUP (reload, all or nothing) and SIGTERM (let running
 * migrations end, within their timeout; a second SIGTERM aborts them). */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <glib-unix.h>

#include "lcd-ctl-server.h"
#include "lcd-host.h"
#include "lcd-metrics.h"
#include "sp-error.h"
#include "sp-log.h"

/* After SIGTERM, give up waiting this long past the migration timeout: a
 * source that never answers must not keep us for ever (its migration is
 * in the state file, and the next start adopts it). */
#define STOP_GRACE_S 30

static const LcdHostEvents host_events = {
	.sample = lcd_on_sample,
	.link = lcd_on_link,
	.job = lcd_on_job_event,
};

static LcdHost *
host_add(Lcd *lcd, const SpHost *conf)
{
	LcdHost *h = lcd_host_new(lcd, lcd->hosts->len, conf, &host_events);

	lcd_host_set_keepalive(h, lcd->conf->keepalive_interval_s, lcd->conf->keepalive_count);
	g_ptr_array_add(lcd->hosts, h);
	g_hash_table_insert(lcd->host_by_name, h->name, h);
	return h;
}

Lcd *
lcd_new(const char *config_dir, LcdConf *conf, gboolean fake)
{
	Lcd *lcd = g_new0(Lcd, 1);

	lcd->config_dir = g_strdup(config_dir);
	lcd->conf = conf;
	lcd->fake = fake;
	lcd->ctx = g_main_context_default();
	lcd->loop = g_main_loop_new(lcd->ctx, FALSE);
	lcd->core = sp_lc_core_new(&conf->core);
	sp_lc_core_set_advise(lcd->core, conf->mode == LCD_MODE_ADVISE);
	lcd->hosts = g_ptr_array_new();
	lcd->host_by_name = g_hash_table_new(g_str_hash, g_str_equal);
	lcd->vms = g_ptr_array_new();
	lcd->vm_by_uuid = g_hash_table_new(g_str_hash, g_str_equal);
	lcd->group_ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	lcd->migrations = g_ptr_array_new();
	for (guint i = 0; i < conf->hosts->hosts->len; i++)
		host_add(lcd, g_ptr_array_index(conf->hosts->hosts, i));
	return lcd;
}

/* Hosts, VMs and migrations stay: a worker stuck in a call to a hung host
 * may still hold its LcdHost, and the process ends next anyway. */
void
lcd_free(Lcd *lcd)
{
	if (!lcd)
		return;
	lcd_ctl_stop(lcd->ctl);
	lcd_metrics_stop(lcd->metrics);
	sp_lc_core_free(lcd->core);
	lcd_state_free(lcd->state);
	lcd_conf_free(lcd->conf);
	g_main_loop_unref(lcd->loop);
	g_free(lcd->config_dir);
	g_free(lcd);
}

/* The state file into the daemon: drains and pause are in lcd->state
 * already; flights are adopted (their VMs count as migrating until the
 * hosts settle them); recent moves restart the core's cooldowns. */
static void
recover(Lcd *lcd)
{
	double now = lcd_now_min();

	for (guint i = 0; i < lcd->state->flights->len; i++)
		lcd_migration_adopt(lcd, g_ptr_array_index(lcd->state->flights, i));
	for (guint i = 0; i < lcd->state->moves->len; i++) {
		const LcdMoveRec *m = g_ptr_array_index(lcd->state->moves, i);
		LcdHost *src = g_hash_table_lookup(lcd->host_by_name, m->source);
		LcdHost *dst = g_hash_table_lookup(lcd->host_by_name, m->target);
		double when = (double) m->when / 60;
		LcdVm *vm;

		if (!src || !dst || now - when > lcd->conf->core.vm_cooldown_max * 4)
			continue;
		vm = lcd_vm_get(lcd, m->uuid, m->name);
		/* A move that did not happen still counts for the backoff,
		 * with the VM where it stayed. */
		if (strcmp(m->result, "done") == 0)
			sp_lc_core_note_move(lcd->core, vm->index, src->index, dst->index, when);
		else
			sp_lc_core_note_move(lcd->core, vm->index, src->index, src->index, when);
	}
	for (guint i = 0; i < lcd->migrations->len; i++) {
		LcdMigration *m = g_ptr_array_index(lcd->migrations, i);

		m->vm = lcd_vm_get(lcd, m->rec.uuid, m->rec.name);
		m->vm->migration = m;
	}
}

static void
state_open(Lcd *lcd)
{
	g_autoptr(SpDiag) diag = sp_diag_new();

	lcd->state = lcd_state_load(lcd->conf->state_dir, diag);
	if (lcd->state)
		return;
	/* Never refuse to start over it: the hosts are the truth, the file
	 * only saves asking them. Kept aside for a post-mortem. */
	sp_log_diag("config", diag);
	{
		g_autofree char *path = g_build_filename(lcd->conf->state_dir, "state", NULL);
		g_autofree char *aside = g_strdup_printf("%s.bad", path);

		if (rename(path, aside) == 0)
			sp_log_error("state.load",
				     "'%s' cannot be used: moved to '%s'; starting afresh", path,
				     aside);
	}
	lcd->state = lcd_state_new();
}

static gboolean
quit_if_done(Lcd *lcd)
{
	for (guint i = 0; i < lcd->migrations->len; i++) {
		LcdMigration *m = g_ptr_array_index(lcd->migrations, i);

		if (m->thread && !m->settled)
			return FALSE;
	}
	g_main_loop_quit(lcd->loop);
	return TRUE;
}

static gboolean
on_tick(gpointer data)
{
	Lcd *lcd = data;

	lcd_round(lcd);
	if (lcd->stopping)
		quit_if_done(lcd);
	return G_SOURCE_CONTINUE;
}

static void
timer_set(Lcd *lcd)
{
	if (lcd->round_timer)
		g_source_remove(lcd->round_timer);
	lcd->round_timer = g_timeout_add((guint) (lcd->conf->interval_s * 1000), on_tick, lcd);
}

static gboolean
on_stop_deadline(gpointer data)
{
	Lcd *lcd = data;

	sp_log_warn("lc.stop", "migrations still running after their timeout: leaving them to the "
			       "next start");
	g_main_loop_quit(lcd->loop);
	return G_SOURCE_REMOVE;
}

static gboolean
on_term(gpointer data)
{
	Lcd *lcd = data;

	if (!lcd->stopping) {
		lcd->stopping = TRUE;
		sp_log_info("lc.stop", "stopping: no new migrations; waiting for running ones to "
				       "end (a second signal aborts them)");
		g_timeout_add_seconds((guint) lcd->conf->timeout_s + STOP_GRACE_S, on_stop_deadline,
				      lcd);
	} else if (!lcd->abort_all) {
		lcd->abort_all = TRUE;
		for (guint i = 0; i < lcd->migrations->len; i++) {
			LcdMigration *m = g_ptr_array_index(lcd->migrations, i);

			if (m->thread && !m->settled)
				lcd_migration_abort(m, "lc-migrated is stopping");
		}
	}
	quit_if_done(lcd);
	return G_SOURCE_CONTINUE;
}

static void
reload_apply(Lcd *lcd, LcdConf *conf)
{
	LcdConf *old = lcd->conf;

	if (g_strcmp0(old->socket, conf->socket) != 0 || g_strcmp0(old->metrics, conf->metrics) ||
	    g_strcmp0(old->state_dir, conf->state_dir) || g_strcmp0(old->lock, conf->lock))
		sp_log_warn("config.reload",
			    "socket, metrics, state and lock take effect at the next start");
	for (guint i = 0; i < lcd->hosts->len; i++) {
		LcdHost *h = g_ptr_array_index(lcd->hosts, i);
		const SpHost *c = h->removed ? NULL : sp_hosts_find(conf->hosts, h->name);

		if (h->removed)
			continue;
		if (!c) {
			sp_log_info("host.removed", "host '%s': no longer in hosts.conf", h->name);
			h->removed = TRUE;
			g_hash_table_remove(lcd->host_by_name, h->name);
			lcd_host_stop(h);
			continue;
		}
		lcd_host_set_keepalive(h, conf->keepalive_interval_s, conf->keepalive_count);
		lcd_host_set_conf(h, c);
	}
	lcd->conf = conf;
	for (guint i = 0; i < conf->hosts->hosts->len; i++) {
		const SpHost *c = g_ptr_array_index(conf->hosts->hosts, i);

		if (!g_hash_table_contains(lcd->host_by_name, c->name)) {
			sp_log_info("host.added", "host '%s': added", c->name);
			lcd_host_start(host_add(lcd, c));
		}
	}
	sp_lc_core_set_config(lcd->core, &conf->core);
	sp_lc_core_set_advise(lcd->core, conf->mode == LCD_MODE_ADVISE);
	sp_log_init("lc-migrated", (SpLogTarget) lcd->log_target, conf->log_level);
	if (old->interval_s != conf->interval_s)
		timer_set(lcd);
	lcd_conf_free(old);
}

static gboolean
on_hup(gpointer data)
{
	Lcd *lcd = data;
	g_autoptr(SpDiag) diag = sp_diag_new();
	LcdConf *conf = lcd_conf_load(lcd->config_dir, diag);

	if (!conf) {
		sp_log_diag("config", diag);
		lcd->reload_failures++;
		sp_log_error("config.reload",
			     "the new configuration has errors: refused, the one in use is kept");
		lcd_metrics_update(lcd);
		return G_SOURCE_CONTINUE;
	}
	reload_apply(lcd, conf);
	lcd->reloads++;
	sp_log_info("config.reload", "configuration reloaded");
	lcd_metrics_update(lcd);
	return G_SOURCE_CONTINUE;
}

int
lcd_run(Lcd *lcd)
{
	gboolean real = FALSE;

	state_open(lcd);
	recover(lcd);
	for (guint i = 0; i < lcd->hosts->len; i++)
		real |= !((LcdHost *) g_ptr_array_index(lcd->hosts, i))->fake;
	if (real && lcd_libvirt_init() < 0)
		return -1;
	if (!(lcd->ctl = lcd_ctl_start(lcd, lcd->conf->socket)))
		return -1;
	if (lcd->conf->metrics && !(lcd->metrics = lcd_metrics_start(lcd->conf->metrics)))
		return -1;
	for (guint i = 0; i < lcd->hosts->len; i++)
		lcd_host_start(g_ptr_array_index(lcd->hosts, i));
	g_unix_signal_add(SIGHUP, on_hup, lcd);
	g_unix_signal_add(SIGTERM, on_term, lcd);
	g_unix_signal_add(SIGINT, on_term, lcd);
	sp_log_info("lc.start", "lc-migrated started: %u hosts, mode %s, a round every %g s%s",
		    lcd->hosts->len, lcd->conf->mode == LCD_MODE_ENFORCE ? "enforce" : "advise",
		    lcd->conf->interval_s, lcd->state->paused ? ", paused" : "");
	lcd_samples_request(lcd);
	lcd_metrics_update(lcd);
	timer_set(lcd);
	g_main_loop_run(lcd->loop);
	for (guint i = 0; i < lcd->hosts->len; i++)
		lcd_host_stop(g_ptr_array_index(lcd->hosts, i));
	sp_log_info("lc.stop", "lc-migrated stopped");
	return 0;
}
