/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One round, in the main thread: what the hosts said since the last round
 * -> where each VM runs and how much CPU it wants -> the core -> moves,
 * logs and the answers lcctl why gives. Then the next samples are asked
 * for, so a round decides on samples one interval old at most, and a host
 * that has not answered by then is offline for this round (never waited
 * for). */
#include "config.h"

#include <math.h>
#include <string.h>
#include <time.h>

#include "lcd-host.h"
#include "lcd-metrics.h"
#include "sp-error.h"
#include "sp-log.h"

/* Rounds without an answer before a host is logged as down (one missed
 * round is a slow answer on a busy machine). */
#define DOWN_AFTER 2
/* A VM on no host for this long (minutes) is forgotten, its slot reused. */
#define FORGET_MIN (24 * 60.0)

/* ---- what the worker threads hand over ---- */

void
lcd_on_sample(LcdHost *h, LcdSample *s, const char *error)
{
	h->sample_pending = FALSE;
	if (!s) {
		sp_log_debug("host.sample", "host '%s': no sample: %s", h->name,
			     error ? error : "unknown error");
		return;
	}
	lcd_sample_free(h->fresh);
	h->fresh = s;
}

void
lcd_on_link(LcdHost *h, gboolean up, const char *error)
{
	if (up) {
		/* The first connection is no news at 1,000 hosts; a return is. */
		if (h->link == LCD_LINK_DOWN)
			sp_log_info("host.up", "host '%s': connected", h->name);
		else if (h->link == LCD_LINK_CONNECTING)
			sp_log_debug("host.up", "host '%s': connected", h->name);
		h->link = LCD_LINK_UP;
		g_clear_pointer(&h->link_error, g_free);
		return;
	}
	if (h->link != LCD_LINK_DOWN) {
		sp_log_warn("host.down", "host '%s': down: %s", h->name, error ? error : "");
		h->down_since = g_get_monotonic_time();
	}
	h->link = LCD_LINK_DOWN;
	g_free(h->link_error);
	h->link_error = g_strdup(error);
}

/* ---- VMs ---- */

/* Where the VM was seen this round (reset lazily by round number). */
static LcdSeen *
seen_of(LcdVm *vm, guint64 round)
{
	if (vm->seen.round != round)
		vm->seen = (LcdSeen){.round = round};
	return &vm->seen;
}

/* One host's fresh sample into the VMs and the host's load. */
static void
host_absorb(Lcd *lcd, LcdHost *h)
{
	LcdSample *s = h->fresh, *prev = h->prev;
	double sum_demand = 0, sum_cpu = 0, dt, tau;
	gboolean rates = prev != NULL;
	guint n_vms = 0;

	h->cpus = s->cpus;
	h->mem_gb = h->conf.memory_gb > 0 ? h->conf.memory_gb : (double) s->mem_kib / 1048576.0;
	for (guint i = 0; i < s->doms->len; i++) {
		const LcdDomSample *d = &g_array_index(s->doms, LcdDomSample, i);
		LcdVm *vm = lcd_vm_get(lcd, d->uuid, d->name);
		LcdSeen *seen = seen_of(vm, lcd->round);
		LcdRate r;

		if (lcd_dom_incoming(d)) {
			seen->incoming = h;
			continue;
		}
		if (!lcd_dom_running(d))
			continue;
		if (seen->n_running < 2)
			seen->running[seen->n_running] = h;
		seen->n_running++;
		n_vms++;
		vm->vcpus = d->vcpus;
		vm->mem_gb = (double) d->mem_kib / 1048576.0;
		vm->pinned_meta = d->pinned;
		if (g_strcmp0(vm->group_meta, d->group) != 0) {
			g_free(vm->group_meta);
			vm->group_meta = g_strdup(d->group);
		}
		if (lcd_rate(prev, s, i, &r)) {
			vm->cpu = r.cpu;
			vm->demand = r.demand;
			vm->has_rate = TRUE;
		}
		/* A VM without a rate yet (it just arrived) weighs what it
		 * weighed where it came from. */
		sum_demand += vm->demand;
		sum_cpu += vm->cpu;
	}
	h->vms = n_vms;
	h->own = h->conf.host_load ? lcd_host_own(prev, s, sum_cpu) : 0;
	if (rates) {
		h->demand = sum_demand + h->own;
		dt = (double) (s->mono_us - prev->mono_us) / 1e6;
		tau = lcd->conf->load_window * lcd->conf->interval_s;
		/* Started at the first demand seen, not at 0: a daemon that
		 * restarts must not take minutes to see a hot host again. */
		h->load = h->load_set ? lcd_load_step(h->load, h->demand, dt, tau) : h->demand;
		h->load_set = TRUE;
	}
	lcd_sample_free(h->prev);
	h->prev = g_steal_pointer(&h->fresh);
}

static void
vm_place(Lcd *lcd, LcdVm *vm)
{
	LcdSeen *seen = seen_of(vm, lcd->round);

	vm->incoming = NULL;
	if (seen->n_running > 0) {
		/* Running twice: keep the host we knew if it is one of them. */
		if (seen->n_running == 1 ||
		    (vm->host != seen->running[0] && vm->host != seen->running[1]))
			vm->host = seen->running[0];
		vm->present = TRUE;
		if (seen->incoming && seen->incoming != vm->host)
			vm->incoming = seen->incoming;
	} else if (seen->incoming) {
		/* Paused on its target at the switch-over: it counts where it
		 * was, if we know. */
		if (!vm->host)
			vm->host = seen->incoming;
		vm->present = TRUE;
		vm->incoming = seen->incoming;
	} else {
		/* Not seen: where it was, if that host is silent this round. */
		vm->present = vm->host && vm->host->offline;
	}
	if (vm->present)
		vm->seen_round = lcd->round;
	if (seen->n_running >= 2) {
		vm->double_rounds++;
		/* Two rounds: the hosts are sampled a little apart, and one
		 * round may catch a migration on both sides of its end. */
		if (vm->double_rounds >= 2 && !vm->double_alarm) {
			vm->double_alarm = TRUE;
			lcd->double_total++;
			sp_log_error("vm.double",
				     "vm '%s' (%s) is running on two hosts, '%s' and '%s': it must "
				     "run once; lc-migrated leaves it alone until it does",
				     vm->name, vm->uuid, seen->running[0]->name,
				     seen->running[1]->name);
		}
	} else {
		if (vm->double_alarm && seen->n_running == 1)
			sp_log_info("vm.double", "vm '%s' runs on one host again ('%s')", vm->name,
				    vm->host->name);
		if (seen->n_running == 1)
			vm->double_alarm = FALSE;
		vm->double_rounds = 0;
	}
}

static gint
group_id(Lcd *lcd, const LcdVm *vm)
{
	const char *g = g_hash_table_lookup(lcd->conf->group_of, vm->name);
	gpointer id;

	/* The admin's file wins over the VM's own metadata. */
	if (!g)
		g = vm->group_meta;
	if (!g)
		return -1;
	if (!(id = g_hash_table_lookup(lcd->group_ids, g))) {
		id = GUINT_TO_POINTER(g_hash_table_size(lcd->group_ids) + 1);
		g_hash_table_insert(lcd->group_ids, g_strdup(g), id);
	}
	return (gint) GPOINTER_TO_UINT(id) - 1;
}

/* ---- the core's journal into logs and lcctl why ---- */

static LcdHost *
host_of(Lcd *lcd, gint index)
{
	return index >= 0 && (guint) index < lcd->hosts->len ? g_ptr_array_index(lcd->hosts, index)
							     : NULL;
}

static const char *
host_name_of(Lcd *lcd, gint index)
{
	LcdHost *h = host_of(lcd, index);

	return h ? h->name : NULL;
}

static void
journal_take(Lcd *lcd)
{
	guint n;
	const SpLcJournalEntry *j = sp_lc_core_journal(lcd->core, &n);
	gint64 now = g_get_real_time() / G_USEC_PER_SEC;

	for (guint i = 0; i < n; i++) {
		const SpLcJournalEntry *e = &j[i];
		LcdVm *vm = e->vm >= 0 && (guint) e->vm < lcd->vms->len
				    ? g_ptr_array_index(lcd->vms, e->vm)
				    : NULL;
		g_autoptr(GDateTime) t = g_date_time_new_from_unix_local((gint64) (e->until * 60));
		g_autofree char *until = t ? g_date_time_format(t, "%T") : NULL;
		g_autofree char *text =
			sp_lc_journal_format_names(e, vm ? vm->name : NULL,
						   host_name_of(lcd, (gint) e->host),
						   host_name_of(lcd, e->target), until);
		LcdHost *h = host_of(lcd, (gint) e->host);
		gboolean news = TRUE;
		/* What lcctl why shows says so too: "moved" alone would read
		 * as done. */
		const char *advice =
			lcd->conf->mode == LCD_MODE_ADVISE &&
					(e->reason == SP_LC_MOVED || e->reason == SP_LC_DRAINED)
				? " (advise mode: not carried out)"
				: "";

		if ((guint) e->reason < SP_LC_REASON_LAST)
			lcd->decisions[e->reason]++;
		if (vm) {
			/* One line per decision; the same "no" every round is
			 * one line, when it starts. */
			news = vm->why_reason != (int) e->reason || vm->why_target != e->target ||
			       (lcd->conf->mode == LCD_MODE_ENFORCE &&
				(e->reason == SP_LC_MOVED || e->reason == SP_LC_DRAINED));
			vm->why_target = e->target;
			g_free(vm->why);
			vm->why = g_strconcat(text, advice, NULL);
			vm->why_advice = *advice != '\0';
			vm->why_round = lcd->round;
			vm->why_time = now;
			vm->why_reason = (int) e->reason;
		} else if (h) {
			news = h->why_reason != (int) e->reason || h->why_round + 1 != lcd->round;
			h->why_reason = (int) e->reason;
			h->why_round = lcd->round;
		}
		sp_log(news ? SP_LOG_INFO : SP_LOG_DEBUG, "lc.decision", "%s%s", text, advice);
	}
}

/* ---- the round ---- */

/* Forget VMs gone for a day, so that their slots are reused. */
static void
vms_forget(Lcd *lcd)
{
	for (guint i = 0; i < lcd->vms->len; i++) {
		LcdVm *vm = g_ptr_array_index(lcd->vms, i);

		if (!vm || vm->present || vm->migration ||
		    (double) (lcd->round - vm->seen_round) * lcd->conf->interval_s / 60 <
			    FORGET_MIN)
			continue;
		g_hash_table_remove(lcd->vm_by_uuid, vm->uuid);
		sp_lc_core_vm_forget(lcd->core, vm->index);
		lcd->vms->pdata[i] = NULL;
		lcd_vm_free(vm);
	}
}

void
lcd_samples_request(Lcd *lcd)
{
	for (guint i = 0; i < lcd->hosts->len; i++) {
		LcdHost *h = g_ptr_array_index(lcd->hosts, i);
		g_autoptr(GPtrArray) jobs = NULL;

		if (h->removed || h->sample_pending)
			continue;
		/* The source of a migration whose end we must learn from the
		 * hosts is asked about its job. */
		for (guint k = 0; k < lcd->migrations->len; k++) {
			LcdMigration *m = g_ptr_array_index(lcd->migrations, k);

			if (m->src != h || !lcd_migration_is_running(m))
				continue;
			if (!jobs)
				jobs = g_ptr_array_new_with_free_func(g_free);
			g_ptr_array_add(jobs, g_strdup(m->rec.uuid));
		}
		lcd_host_request_sample(h, jobs);
		h->sample_pending = TRUE;
	}
}

/* Log when a host passes the core's high threshold, either way: where
 * detection starts (the core then waits high_window rounds). */
static void
host_heat(Lcd *lcd, LcdHost *h)
{
	double cores = lcd_host_cores(h), util = cores > 0 ? h->load / cores : 0;

	if (h->offline)
		return;
	if (!h->hot && util > lcd->conf->core.high) {
		h->hot = TRUE;
		h->hot_round = lcd->round;
		h->hot_mono = g_get_monotonic_time();
		sp_log_info("host.hot",
			    "host '%s': load %.0f%% of its %g cores, over high (%.0f%%)", h->name,
			    util * 100, cores, lcd->conf->core.high * 100);
	} else if (h->hot && util <= lcd->conf->core.high) {
		h->hot = FALSE;
		sp_log_info("host.cool", "host '%s': load %.0f%% of its %g cores, under high again",
			    h->name, util * 100, cores);
	}
}

static void
hosts_take(Lcd *lcd)
{
	for (guint i = 0; i < lcd->hosts->len; i++) {
		LcdHost *h = g_ptr_array_index(lcd->hosts, i);

		if (h->fresh && !h->removed) {
			host_absorb(lcd, h);
			h->offline = !h->load_set;
			host_heat(lcd, h);
			if (h->missed >= DOWN_AFTER)
				sp_log_info("host.up", "host '%s': answering again", h->name);
			h->missed = 0;
		} else {
			h->offline = TRUE;
			h->missed++;
			if (h->missed == DOWN_AFTER && !h->removed)
				sp_log_warn("host.down",
					    "host '%s': no answer for %u rounds: left out of the "
					    "decisions until it answers",
					    h->name, h->missed);
		}
	}
}

/* The main thread's own CPU time: what a round costs, whatever else runs on
 * the machine. */
static double
thread_cpu_s(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) < 0)
		return 0;
	return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

void
lcd_round(Lcd *lcd)
{
	gint64 t0 = g_get_monotonic_time();
	double cpu0 = thread_cpu_s();
	double now = lcd_now_min();
	g_autofree SpLcHostIn *hosts = NULL;
	g_autofree SpLcVmIn *vms = NULL;
	g_autoptr(GArray) moves = g_array_new(FALSE, FALSE, sizeof(SpLcMove));

	lcd->round++;
	hosts_take(lcd);
	for (guint i = 0; i < lcd->vms->len; i++) {
		LcdVm *vm = g_ptr_array_index(lcd->vms, i);

		if (vm)
			vm_place(lcd, vm);
	}
	lcd_migrations_watch(lcd);
	vms_forget(lcd);

	hosts = g_new0(SpLcHostIn, MAX(lcd->hosts->len, 1));
	for (guint i = 0; i < lcd->hosts->len; i++) {
		LcdHost *h = g_ptr_array_index(lcd->hosts, i);

		hosts[i] =
			(SpLcHostIn){.cores = lcd_host_cores(h),
				     .mem_gb = h->mem_gb,
				     .load1 = h->load,
				     .maintenance = lcd_state_drained(lcd->state, h->name),
				     .offline = h->offline || h->removed || lcd_host_cores(h) <= 0};
	}
	vms = g_new0(SpLcVmIn, MAX(lcd->vms->len, 1));
	for (guint i = 0; i < lcd->vms->len; i++) {
		LcdVm *vm = g_ptr_array_index(lcd->vms, i);

		/* Without a rate yet the core would start its averages at 0. */
		if (!vm || !vm->present || !vm->host || !vm->has_rate) {
			vms[i] = (SpLcVmIn){.host = SP_LC_NO_HOST, .group = -1};
			continue;
		}
		vms[i] = (SpLcVmIn){
			.host = vm->host->index,
			.vcpus = vm->vcpus,
			.mem_gb = vm->mem_gb,
			.cpu = vm->demand,
			/* libvirt has no dirty rate without a measurement
			 * job; lc-sim's model: a base plus a share of the
			 * CPU in use. */
			.dirty_gbps = 0.01 + 0.05 * vm->cpu,
			.group = group_id(lcd, vm),
			.pinned = vm->pinned_meta ||
				  g_hash_table_contains(lcd->conf->pinned, vm->name),
			.migrating = lcd_migration_is_running(vm->migration) || vm->incoming ||
				     vm->double_alarm || vm->double_rounds > 0,
		};
	}
	/* Paused: no decisions at all (the core's windows wait too), so that
	 * nothing it would have planned weighs on it after resume. */
	if (!lcd->state->paused) {
		if (sp_lc_core_round(lcd->core, now, hosts, lcd->hosts->len, vms, lcd->vms->len,
				     moves) < 0) {
			sp_log_last_error("lc.round");
			sp_error_clear();
		} else {
			journal_take(lcd);
		}
	}
	for (guint i = 0; i < moves->len; i++) {
		const SpLcMove *mv = &g_array_index(moves, SpLcMove, i);
		LcdVm *vm = g_ptr_array_index(lcd->vms, mv->vm);

		if (lcd->conf->mode == LCD_MODE_ENFORCE && !lcd->stopping)
			lcd_migration_start(lcd, vm, g_ptr_array_index(lcd->hosts, mv->source),
					    g_ptr_array_index(lcd->hosts, mv->target), vm->why);
	}
	lcd->last_round_s = (double) (g_get_monotonic_time() - t0) / 1e6;
	lcd->last_round_cpu_s = thread_cpu_s() - cpu0;
	lcd_metrics_update(lcd);
	lcd_samples_request(lcd);
}
