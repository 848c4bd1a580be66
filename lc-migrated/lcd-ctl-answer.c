/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What lcctl gets back: status, why, and the operator's switches (pause,
 * drain), which are written to the state file before they are answered. */
#include "config.h"

#include <string.h>

#include "lcd-ctl-answer.h"
#include "lcd-host.h"
#include "sp-error.h"
#include "sp-json.h"
#include "sp-log.h"

static const char *
link_name(const LcdHost *h)
{
	if (h->removed)
		return "removed";
	if (!h->offline)
		return "up";
	if (h->link == LCD_LINK_UP)
		return h->load_set ? "silent" : "starting";
	return h->link == LCD_LINK_CONNECTING ? "connecting" : "down";
}

static void
json_kv_str(GString *out, const char *key, const char *value, gboolean comma)
{
	g_string_append_printf(out, "%s\"%s\": ", comma ? ", " : "", key);
	if (value)
		sp_json_append_string(out, value);
	else
		g_string_append(out, "null");
}

static char *
status_text(Lcd *lcd)
{
	GString *out = g_string_new(NULL);

	g_string_append_printf(out, "mode %s%s, round %" G_GUINT64_FORMAT ", every %g s\n",
			       lcd->conf->mode == LCD_MODE_ENFORCE ? "enforce" : "advise",
			       lcd->state->paused ? ", paused" : "", lcd->round,
			       lcd->conf->interval_s);
	g_string_append(out, "hosts:\n");
	for (guint i = 0; i < lcd->hosts->len; i++) {
		LcdHost *h = g_ptr_array_index(lcd->hosts, i);
		double cores = lcd_host_cores(h);

		g_string_append_printf(out,
				       "  %-16s %-10s load %6.2f of %g cores (%3.0f%%), %u vms%s",
				       h->name, link_name(h), h->load, cores,
				       cores > 0 ? 100 * h->load / cores : 0, h->vms,
				       lcd_state_drained(lcd->state, h->name) ? ", drained" : "");
		if (h->link == LCD_LINK_DOWN && h->link_error)
			g_string_append_printf(out, " (%s)", h->link_error);
		g_string_append_c(out, '\n');
	}
	g_string_append(out, "migrations:\n");
	for (guint i = 0; i < lcd->migrations->len; i++) {
		LcdMigration *m = g_ptr_array_index(lcd->migrations, i);

		if (!lcd_migration_is_running(m))
			continue;
		g_string_append_printf(out, "  %s from %s to %s, %s for %.0f s", m->rec.name,
				       m->src->name, m->dst->name,
				       m->adopted ? "adopted" : "running",
				       (double) (g_get_real_time() / G_USEC_PER_SEC -
						 m->rec.started));
		if (m->data_total)
			g_string_append_printf(out, ", %.1f of %.1f MiB left",
					       (double) m->data_remaining / 1048576.0,
					       (double) m->data_total / 1048576.0);
		g_string_append_c(out, '\n');
	}
	g_string_append_printf(out,
			       "done %" G_GUINT64_FORMAT ", failed %" G_GUINT64_FORMAT
			       ", aborted %" G_GUINT64_FORMAT ", refused %" G_GUINT64_FORMAT "\n",
			       lcd->migrations_done, lcd->migrations_failed,
			       lcd->migrations_aborted, lcd->migrations_refused);
	return g_string_free(out, FALSE);
}

static char *
status_json(Lcd *lcd)
{
	GString *out = g_string_new("{");

	json_kv_str(out, "mode", lcd->conf->mode == LCD_MODE_ENFORCE ? "enforce" : "advise", FALSE);
	g_string_append_printf(out,
			       ", \"paused\": %s, \"round\": %" G_GUINT64_FORMAT
			       ", \"interval\": %g, \"hosts\": [",
			       lcd->state->paused ? "true" : "false", lcd->round,
			       lcd->conf->interval_s);
	for (guint i = 0; i < lcd->hosts->len; i++) {
		LcdHost *h = g_ptr_array_index(lcd->hosts, i);

		g_string_append(out, i ? ", {" : "{");
		json_kv_str(out, "name", h->name, FALSE);
		json_kv_str(out, "state", link_name(h), TRUE);
		g_string_append_printf(out,
				       ", \"load\": %.4g, \"cores\": %g, \"demand\": %.4g, "
				       "\"vms\": %u, \"drained\": %s}",
				       h->load, lcd_host_cores(h), h->demand, h->vms,
				       lcd_state_drained(lcd->state, h->name) ? "true" : "false");
	}
	g_string_append(out, "], \"migrations\": [");
	for (guint i = 0, n = 0; i < lcd->migrations->len; i++) {
		LcdMigration *m = g_ptr_array_index(lcd->migrations, i);

		if (!lcd_migration_is_running(m))
			continue;
		g_string_append(out, n++ ? ", {" : "{");
		json_kv_str(out, "vm", m->rec.name, FALSE);
		json_kv_str(out, "source", m->src->name, TRUE);
		json_kv_str(out, "target", m->dst->name, TRUE);
		json_kv_str(out, "state", m->adopted ? "adopted" : "running", TRUE);
		g_string_append_printf(out, ", \"started\": %" G_GINT64_FORMAT "}", m->rec.started);
	}
	g_string_append_printf(out,
			       "], \"done\": %" G_GUINT64_FORMAT ", \"failed\": %" G_GUINT64_FORMAT
			       ", \"aborted\": %" G_GUINT64_FORMAT
			       ", \"refused\": %" G_GUINT64_FORMAT "}\n",
			       lcd->migrations_done, lcd->migrations_failed,
			       lcd->migrations_aborted, lcd->migrations_refused);
	return g_string_free(out, FALSE);
}

/* Why a VM nobody looked at was not moved: its host was never a source. */
static char *
why_not_looked_at(Lcd *lcd, LcdVm *vm)
{
	LcdHost *h = vm->host;
	double cores;

	if (!h)
		return g_strdup("it has not been seen running on any host");
	if (!vm->present)
		return g_strdup_printf("it is not running (last seen on host '%s')", h->name);
	if (h->offline)
		return g_strdup_printf("its host '%s' does not answer, so nothing on it moves",
				       h->name);
	cores = lcd_host_cores(h);
	return g_strdup_printf(
		"its host '%s' has not been overloaded: load %.0f%% of %g cores, and only a host "
		"over %.0f%% for %u rounds gives VMs away",
		h->name, cores > 0 ? 100 * h->load / cores : 0, cores, lcd->conf->core.high * 100,
		lcd->conf->core.high_window);
}

static char *
why_answer(Lcd *lcd, const LcdCtlRequest *r)
{
	LcdVm *vm = lcd_vm_by_name(lcd, r->arg);
	const LcdMoveRec *mv = NULL;
	g_autofree char *note = NULL;
	GString *out;

	if (vm)
		mv = lcd_state_last_move(lcd->state, vm->uuid);
	else
		for (guint i = lcd->state->moves->len; i > 0 && !mv; i--) {
			const LcdMoveRec *m = g_ptr_array_index(lcd->state->moves, i - 1);

			if (strcmp(m->name, r->arg) == 0)
				mv = m;
		}
	if (!vm && !mv) {
		sp_error("no vm '%s' is known", r->arg);
		return NULL;
	}
	if (vm && !vm->why)
		note = why_not_looked_at(lcd, vm);
	out = g_string_new(NULL);
	if (r->json) {
		g_string_append(out, "{");
		json_kv_str(out, "vm", r->arg, FALSE);
		json_kv_str(out, "host", vm && vm->host ? vm->host->name : NULL, TRUE);
		g_string_append(out, ", \"decision\": ");
		if (vm && vm->why) {
			g_string_append_printf(out,
					       "{\"round\": %" G_GUINT64_FORMAT
					       ", \"time\": %" G_GINT64_FORMAT,
					       vm->why_round, vm->why_time);
			json_kv_str(out, "reason", sp_lc_reason_name(vm->why_reason), TRUE);
			json_kv_str(out, "text", vm->why, TRUE);
			g_string_append_printf(out, ", \"advice\": %s}",
					       vm->why_advice ? "true" : "false");
		} else {
			g_string_append(out, "null");
		}
		json_kv_str(out, "note", note, TRUE);
		g_string_append(out, ", \"last_move\": ");
		if (mv) {
			g_string_append(out, "{");
			json_kv_str(out, "source", mv->source, FALSE);
			json_kv_str(out, "target", mv->target, TRUE);
			json_kv_str(out, "result", mv->result, TRUE);
			g_string_append_printf(out, ", \"time\": %" G_GINT64_FORMAT, mv->when);
			json_kv_str(out, "why", mv->why, TRUE);
			g_string_append(out, "}");
		} else {
			g_string_append(out, "null");
		}
		g_string_append(out, ", \"migrating\": ");
		g_string_append(out,
				vm && lcd_migration_is_running(vm->migration) ? "true" : "false");
		g_string_append(out, "}\n");
		return g_string_free(out, FALSE);
	}
	if (vm && vm->host)
		g_string_append_printf(out, "vm '%s' %s host '%s'\n", r->arg,
				       vm->present ? "runs on" : "last ran on", vm->host->name);
	if (vm && lcd_migration_is_running(vm->migration))
		g_string_append_printf(out, "migrating now from '%s' to '%s'\n",
				       vm->migration->src->name, vm->migration->dst->name);
	if (vm && vm->why) {
		g_autoptr(GDateTime) t = g_date_time_new_from_unix_local(vm->why_time);
		g_autofree char *when = g_date_time_format(t, "%F %T");

		g_string_append_printf(out, "last decision (round %" G_GUINT64_FORMAT ", %s): %s\n",
				       vm->why_round, when, vm->why);
	} else if (note) {
		g_string_append_printf(out, "no decision about it since lc-migrated started: %s\n",
				       note);
	}
	if (mv) {
		g_autoptr(GDateTime) t = g_date_time_new_from_unix_local(mv->when);
		g_autofree char *when = g_date_time_format(t, "%F %T");

		g_string_append_printf(out, "last move: from '%s' to '%s' at %s: %s%s%s\n",
				       mv->source, mv->target, when, mv->result,
				       *mv->why ? ": " : "", mv->why);
	}
	return g_string_free(out, FALSE);
}

static LcdHost *
host_known(Lcd *lcd, const char *name)
{
	LcdHost *h = g_hash_table_lookup(lcd->host_by_name, name);

	if (!h || h->removed) {
		sp_error("no host '%s' in hosts.conf", name);
		return NULL;
	}
	return h;
}

char *
lcd_ctl_answer(Lcd *lcd, const LcdCtlRequest *r)
{
	switch (r->verb) {
	case LCD_CTL_STATUS:
		return r->json ? status_json(lcd) : status_text(lcd);
	case LCD_CTL_WHY:
		return why_answer(lcd, r);
	case LCD_CTL_PAUSE:
	case LCD_CTL_RESUME:
		lcd->state->paused = r->verb == LCD_CTL_PAUSE;
		lcd_save(lcd);
		sp_log_info("lc.pause", "%s by lcctl",
			    lcd->state->paused ? "paused: no decisions until resume" : "resumed");
		return g_strdup(lcd->state->paused ? "paused\n" : "resumed\n");
	case LCD_CTL_DRAIN:
	case LCD_CTL_UNDRAIN:
		if (!host_known(lcd, r->arg))
			return NULL;
		lcd_state_set_drained(lcd->state, r->arg, r->verb == LCD_CTL_DRAIN);
		lcd_save(lcd);
		sp_log_info("host.drain", "host '%s': %s by lcctl", r->arg,
			    r->verb == LCD_CTL_DRAIN ? "drained (its VMs leave, none arrive)"
						     : "no longer drained");
		return g_strdup_printf("host '%s' %s\n", r->arg,
				       r->verb == LCD_CTL_DRAIN ? "drained" : "undrained");
	}
	sp_error("unknown request");
	return NULL;
}
