/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Carrying out the core's moves: one thread per migration (lcd.h), and the
 * main thread's record of each until the hosts confirm where the VM is.
 *
 * Order of things for one move: the flight is written to the state file
 * (a crash from here on is recovered from it); the thread runs the
 * preflight checks on the target, then virDomainMigrateToURI3 with
 * VIR_MIGRATE_PEER2PEER (the source's libvirtd drives the migration and
 * goes on if we die), LIVE, PERSIST_DEST and UNDEFINE_SOURCE, with the
 * configured bandwidth; a timer aborts it (virDomainAbortJob, from a thread
 * of its own: the source may not answer) once the timeout is over. The
 * result settles the flight: done (a move record), failed, aborted or
 * refused (a record too: the core's backoff applies), or unknown when the
 * connection to the source went down with the call: then the flight stays
 * and the hosts' samples settle it (lcd-recover.h), as after a restart. */
#include "config.h"

#include <string.h>

#include <libvirt/virterror.h>

#include "lcd-fake.h"
#include "lcd-host.h"
#include "lcd-preflight.h"
#include "lcd-recover.h"
#include "sp-error.h"
#include "sp-log.h"

/* Rounds a settled migration keeps its VM "migrating" for the core, so that
 * the samples asked after the end are the ones it sees. */
#define SETTLE_ROUNDS 2

typedef struct {
	Lcd *lcd;
	LcdMigration *m; /* the thread touches only the copies below */
	char uuid[LCD_UUID_LEN];
	char *name;
	LcdHost *src, *dst;
	guint bandwidth_mib;
	/* Result. */
	gboolean started; /* a "started" post, not the end */
	LcdMigResult result;
	char *error;
	double seconds;
} Job;

static void
job_free(gpointer data)
{
	Job *j = data;

	g_free(j->name);
	g_free(j->error);
	g_free(j);
}

static gboolean on_job_post(gpointer data);

static void
job_post(Job *j)
{
	Job *c = g_new0(Job, 1);

	*c = *j;
	c->name = g_strdup(j->name);
	c->error = g_strdup(j->error);
	g_main_context_invoke_full(j->lcd->ctx, G_PRIORITY_DEFAULT, on_job_post, c, job_free);
}

static void
job_end(Job *j, LcdMigResult r, const char *error)
{
	j->started = FALSE;
	j->result = r;
	g_free(j->error);
	j->error = g_strdup(error);
	job_post(j);
}

static void
job_run_libvirt(Job *j)
{
	virConnectPtr sconn = lcd_host_conn(j->src), dconn = lcd_host_conn(j->dst);
	virDomainPtr dom = NULL;
	virTypedParameterPtr params = NULL;
	int nparams = 0, maxparams = 0;
	g_autofree char *dst_uri = NULL, *mig_uri = NULL, *xml = NULL, *why = NULL;
	unsigned int flags = VIR_MIGRATE_LIVE | VIR_MIGRATE_PEER2PEER | VIR_MIGRATE_PERSIST_DEST |
			     VIR_MIGRATE_UNDEFINE_SOURCE;
	gint64 t0;

	if (!sconn || !dconn) {
		job_end(j, LCD_MIG_REFUSED,
			!sconn ? "the source is not connected" : "the target is not connected");
		goto out;
	}
	if (!(dom = virDomainLookupByUUIDString(sconn, j->uuid))) {
		job_end(j, LCD_MIG_REFUSED, "the domain is no longer on the source");
		goto out;
	}
	if (!(xml = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_MIGRATABLE))) {
		job_end(j, LCD_MIG_REFUSED, virGetLastErrorMessage());
		goto out;
	}
	if ((why = lcd_preflight(sconn, dconn, xml))) {
		job_end(j, LCD_MIG_REFUSED, why);
		goto out;
	}
	lcd_host_uris(j->dst, &dst_uri, &mig_uri);
	if (mig_uri)
		virTypedParamsAddString(&params, &nparams, &maxparams, VIR_MIGRATE_PARAM_URI,
					mig_uri);
	if (j->bandwidth_mib)
		virTypedParamsAddULLong(&params, &nparams, &maxparams, VIR_MIGRATE_PARAM_BANDWIDTH,
					j->bandwidth_mib);
	j->started = TRUE;
	job_post(j);
	t0 = g_get_monotonic_time();
	if (virDomainMigrateToURI3(dom, dst_uri, params, (unsigned int) nparams, flags) == 0) {
		j->seconds = (double) (g_get_monotonic_time() - t0) / 1e6;
		job_end(j, LCD_MIG_DONE, NULL);
	} else {
		/* Taken before the next call, which resets libvirt's error. */
		virErrorPtr e = virSaveLastError();
		LcdMigResult r = LCD_MIG_FAILED;

		j->seconds = (double) (g_get_monotonic_time() - t0) / 1e6;
		if (virConnectIsAlive(sconn) != 1)
			r = LCD_MIG_UNKNOWN;
		else if (e && e->code == VIR_ERR_OPERATION_ABORTED)
			r = LCD_MIG_ABORTED;
		job_end(j, r, e && e->message ? e->message : "unknown libvirt error");
		virFreeError(e);
	}
	virTypedParamsFree(params, nparams);
out:
	if (dom)
		virDomainFree(dom);
	if (sconn)
		virConnectClose(sconn);
	if (dconn)
		virConnectClose(dconn);
}

static gpointer
job_thread(gpointer data)
{
	Job *j = data;

	if (j->src->fake) {
		g_autofree char *err = NULL;
		LcdMigResult r;

		j->started = TRUE;
		job_post(j);
		r = lcd_fake_migrate(j->src->index, j->dst->index, j->uuid, &j->seconds, &err);
		job_end(j, r, err);
	} else {
		job_run_libvirt(j);
	}
	job_free(j);
	return NULL;
}

typedef struct {
	LcdHost *src;
	char uuid[LCD_UUID_LEN];
	char *name;
} Abort;

static gpointer
abort_thread(gpointer data)
{
	Abort *a = data;
	virConnectPtr conn;
	virDomainPtr dom = NULL;

	if (a->src->fake) {
		lcd_fake_abort(a->uuid);
	} else if ((conn = lcd_host_conn(a->src))) {
		if ((dom = virDomainLookupByUUIDString(conn, a->uuid)) &&
		    virDomainAbortJob(dom) < 0)
			sp_log_warn("migration.abort", "vm '%s': abort failed: %s", a->name,
				    virGetLastErrorMessage());
		if (dom)
			virDomainFree(dom);
		virConnectClose(conn);
	}
	g_free(a->name);
	g_free(a);
	return NULL;
}

void
lcd_migration_abort(LcdMigration *m, const char *why)
{
	Abort *a;

	if (m->abort_sent)
		return;
	m->abort_sent = TRUE;
	sp_log_warn("migration.abort", "vm '%s': aborting its migration from '%s' to '%s': %s",
		    m->rec.name, m->src->name, m->dst->name, why);
	a = g_new0(Abort, 1);
	a->src = m->src;
	g_strlcpy(a->uuid, m->rec.uuid, sizeof(a->uuid));
	a->name = g_strdup(m->rec.name);
	g_thread_unref(g_thread_new("lcd-abort", abort_thread, a));
}

static gboolean
on_timeout(gpointer data)
{
	LcdMigration *m = data;

	m->timeout_id = 0;
	lcd_migration_abort(m, "timeout");
	return G_SOURCE_REMOVE;
}

static LcdMigration *
migration_find(Lcd *lcd, const char *uuid)
{
	for (guint i = 0; i < lcd->migrations->len; i++) {
		LcdMigration *m = g_ptr_array_index(lcd->migrations, i);

		if (strcmp(m->rec.uuid, uuid) == 0)
			return m;
	}
	return NULL;
}

static void
migration_free(LcdMigration *m)
{
	if (m->timeout_id)
		g_source_remove(m->timeout_id);
	lcd_flight_rec_clear(&m->rec);
	g_free(m);
}

/* The end, as far as the state file and the metrics go; the record stays
 * SETTLE_ROUNDS more rounds (lcd_migrations_watch). */
static void
migration_settle(Lcd *lcd, LcdMigration *m, const char *result, const char *why)
{
	LcdMoveRec mv = {.name = m->rec.name,
			 .source = m->src->name,
			 .target = m->dst->name,
			 .when = g_get_real_time() / G_USEC_PER_SEC,
			 .result = (char *) result,
			 .why = (char *) why};

	g_strlcpy(mv.uuid, m->rec.uuid, sizeof(mv.uuid));
	lcd_state_flight_remove(lcd->state, m->rec.uuid);
	lcd_state_move_add(lcd->state, &mv);
	lcd_save(lcd);
	m->running = FALSE;
	m->adopted = FALSE;
	m->outcome_unknown = FALSE;
	m->settled = TRUE;
	m->settled_round = lcd->round;
	if (m->timeout_id) {
		g_source_remove(m->timeout_id);
		m->timeout_id = 0;
	}
}

static gboolean
settled(const LcdMigration *m)
{
	return m->settled;
}

static gboolean
on_job_post(gpointer data)
{
	Job *j = data;
	Lcd *lcd = j->lcd;
	LcdMigration *m = j->m;

	if (j->started) {
		m->running = TRUE;
		m->start_mono = g_get_monotonic_time();
		lcd->last_decision_to_start_s = (double) (m->start_mono - m->decided_mono) / 1e6;
		lcd->last_detect_to_start_s = (double) (m->start_mono - m->detect_mono) / 1e6;
		m->timeout_id = g_timeout_add((guint) (lcd->conf->timeout_s * 1000), on_timeout, m);
		sp_log_info(
			"migration.start",
			"vm '%s': migrating from '%s' to '%s' (%.2f s after the decision, %.1f s "
			"after its host passed high)",
			m->rec.name, m->src->name, m->dst->name, lcd->last_decision_to_start_s,
			lcd->last_detect_to_start_s);
		return G_SOURCE_REMOVE;
	}
	m->thread = FALSE;
	switch (j->result) {
	case LCD_MIG_DONE:
		lcd->migrations_done++;
		lcd->last_migration_s = j->seconds;
		lcd->migration_s_sum += j->seconds;
		sp_log_info("migration.done", "vm '%s': migrated from '%s' to '%s' in %.2f s",
			    m->rec.name, m->src->name, m->dst->name, j->seconds);
		migration_settle(lcd, m, "done", m->vm && m->vm->why ? m->vm->why : "");
		break;
	case LCD_MIG_FAILED:
	case LCD_MIG_ABORTED:
		if (j->result == LCD_MIG_ABORTED || m->abort_sent) {
			lcd->migrations_aborted++;
			sp_log_warn("migration.aborted",
				    "vm '%s': migration from '%s' to '%s' aborted after %.2f s: %s",
				    m->rec.name, m->src->name, m->dst->name, j->seconds, j->error);
			migration_settle(lcd, m, "aborted", j->error);
		} else {
			lcd->migrations_failed++;
			sp_log_warn(
				"migration.failed",
				"vm '%s': migration from '%s' to '%s' failed: %s; it stays on '%s'",
				m->rec.name, m->src->name, m->dst->name, j->error, m->src->name);
			migration_settle(lcd, m, "failed", j->error);
		}
		break;
	case LCD_MIG_REFUSED:
		lcd->migrations_refused++;
		sp_log_warn("migration.refused", "vm '%s': not migrated from '%s' to '%s': %s",
			    m->rec.name, m->src->name, m->dst->name, j->error);
		migration_settle(lcd, m, "refused", j->error);
		break;
	case LCD_MIG_UNKNOWN:
		/* The connection went down with the call: the source's libvirtd
		 * may still be migrating. The hosts will tell. */
		sp_log_warn("migration.unknown",
			    "vm '%s': lost the connection during its migration from '%s' to '%s' "
			    "(%s); waiting for the hosts to say how it ended",
			    m->rec.name, m->src->name, m->dst->name, j->error);
		m->running = FALSE;
		m->adopted = TRUE;
		m->outcome_unknown = TRUE;
		break;
	}
	return G_SOURCE_REMOVE;
}

void
lcd_migration_start(Lcd *lcd, LcdVm *vm, LcdHost *src, LcdHost *dst, const char *why)
{
	LcdMigration *m = g_new0(LcdMigration, 1);
	Job *j = g_new0(Job, 1);

	(void) why;
	g_strlcpy(m->rec.uuid, vm->uuid, sizeof(m->rec.uuid));
	m->rec.name = g_strdup(vm->name);
	m->rec.source = g_strdup(src->name);
	m->rec.target = g_strdup(dst->name);
	m->rec.started = g_get_real_time() / G_USEC_PER_SEC;
	m->vm = vm;
	m->src = src;
	m->dst = dst;
	m->decided_mono = g_get_monotonic_time();
	m->detect_mono = src->hot ? src->hot_mono : m->decided_mono;
	m->thread = TRUE;
	vm->migration = m;
	g_ptr_array_add(lcd->migrations, m);
	/* On disk before anything happens: a crash from here on is found. */
	lcd_state_flight_add(lcd->state, &m->rec);
	lcd_save(lcd);

	j->lcd = lcd;
	j->m = m;
	g_strlcpy(j->uuid, vm->uuid, sizeof(j->uuid));
	j->name = g_strdup(vm->name);
	j->src = src;
	j->dst = dst;
	j->bandwidth_mib = lcd->conf->bandwidth_mib;
	g_thread_unref(g_thread_new("lcd-migrate", job_thread, j));
}

void
lcd_migration_adopt(Lcd *lcd, const LcdFlightRec *rec)
{
	LcdHost *src = g_hash_table_lookup(lcd->host_by_name, rec->source);
	LcdHost *dst = g_hash_table_lookup(lcd->host_by_name, rec->target);
	LcdMigration *m;

	if (!src || !dst) {
		sp_log_warn(
			"migration.adopt",
			"vm '%s': its migration from '%s' to '%s' names a host that is no longer "
			"in hosts.conf; forgotten",
			rec->name, rec->source, rec->target);
		lcd_state_flight_remove(lcd->state, rec->uuid);
		return;
	}
	m = g_new0(LcdMigration, 1);
	m->rec = (LcdFlightRec){.name = g_strdup(rec->name),
				.source = g_strdup(rec->source),
				.target = g_strdup(rec->target),
				.started = rec->started};
	g_strlcpy(m->rec.uuid, rec->uuid, sizeof(m->rec.uuid));
	m->src = src;
	m->dst = dst;
	m->adopted = TRUE;
	m->decided_mono = m->start_mono = g_get_monotonic_time();
	g_ptr_array_add(lcd->migrations, m);
	sp_log_info(
		"migration.adopt",
		"vm '%s': a migration from '%s' to '%s' started before this run; the hosts will "
		"say where it stands",
		rec->name, rec->source, rec->target);
}

/* Both ends of m as this round's samples show them. */
static void
ends_of(Lcd *lcd, LcdMigration *m, LcdEnd *src, LcdEnd *dst, gboolean *elsewhere)
{
	LcdHost *hs[2] = {m->src, m->dst};
	LcdEnd *es[2] = {src, dst};

	*elsewhere = FALSE;
	for (guint k = 0; k < 2; k++) {
		const LcdSample *s = hs[k]->offline ? NULL : hs[k]->prev;
		const LcdDomSample *d = s ? lcd_sample_find(s, m->rec.uuid) : NULL;

		*es[k] = (LcdEnd){.online = s != NULL};
		if (d) {
			es[k]->present = TRUE;
			es[k]->running = lcd_dom_running(d);
			es[k]->incoming = lcd_dom_incoming(d);
			es[k]->job_asked = d->job_asked;
			es[k]->job = d->job;
			if (k == 0 && d->job_total) {
				m->data_total = d->job_total;
				m->data_remaining = d->job_remaining;
			}
		}
	}
	for (guint i = 0; i < lcd->hosts->len; i++) {
		LcdHost *h = g_ptr_array_index(lcd->hosts, i);
		const LcdDomSample *d;

		if (h == m->src || h == m->dst || h->offline || !h->prev)
			continue;
		if ((d = lcd_sample_find(h->prev, m->rec.uuid)) && lcd_dom_running(d))
			*elsewhere = TRUE;
	}
}

static void
watch_one(Lcd *lcd, LcdMigration *m)
{
	LcdEnd src, dst;
	gboolean elsewhere;
	LcdFlightVerdict v;
	double age = (double) (g_get_real_time() / G_USEC_PER_SEC - m->rec.started);

	ends_of(lcd, m, &src, &dst, &elsewhere);
	v = lcd_flight_judge(&src, &dst, elsewhere);
	sp_log_debug("migration.watch", "vm '%s': %s", m->rec.name, lcd_flight_verdict_name(v));
	m->failed_rounds = v == LCD_FLIGHT_FAILED ? m->failed_rounds + 1 : 0;
	switch (v) {
	case LCD_FLIGHT_GOING:
	case LCD_FLIGHT_UNKNOWN:
		/* The same timeout as our own, from the recorded start. */
		if (age > lcd->conf->timeout_s && src.online)
			lcd_migration_abort(m, "timeout (a migration found running)");
		break;
	case LCD_FLIGHT_DONE:
		lcd->migrations_done++;
		sp_log_info("migration.done", "vm '%s': its migration from '%s' to '%s' is done",
			    m->rec.name, m->src->name, m->dst->name);
		migration_settle(lcd, m, "done", "found running on the target");
		break;
	case LCD_FLIGHT_FAILED:
		/* Twice in a row: the source's job and the target's domain
		 * list are read a little apart. */
		if (m->failed_rounds < 2)
			break;
		lcd->migrations_failed++;
		sp_log_warn("migration.failed",
			    "vm '%s': its migration from '%s' to '%s' ended without it; it runs on "
			    "'%s'",
			    m->rec.name, m->src->name, m->dst->name, m->src->name);
		migration_settle(lcd, m, m->abort_sent ? "aborted" : "failed",
				 "found running on the source, no migration job");
		break;
	case LCD_FLIGHT_DOUBLE:
		/* The alarm is raised by the round (a VM running twice); the
		 * record stays so that nothing moves it meanwhile. */
		break;
	case LCD_FLIGHT_ELSEWHERE:
		sp_log_warn("migration.elsewhere",
			    "vm '%s': found running on another host than '%s' or '%s'", m->rec.name,
			    m->src->name, m->dst->name);
		migration_settle(lcd, m, "failed", "found running on a third host");
		break;
	case LCD_FLIGHT_LOST:
		sp_log_error("migration.lost",
			     "vm '%s': runs on no host after its migration from '%s' to '%s'",
			     m->rec.name, m->src->name, m->dst->name);
		migration_settle(lcd, m, "lost", "running on no host");
		break;
	}
}

void
lcd_migrations_watch(Lcd *lcd)
{
	for (guint i = 0; i < lcd->migrations->len;) {
		LcdMigration *m = g_ptr_array_index(lcd->migrations, i);

		if (!settled(m) && m->adopted)
			watch_one(lcd, m);
		if (settled(m) && lcd->round >= m->settled_round + SETTLE_ROUNDS) {
			if (m->vm && m->vm->migration == m)
				m->vm->migration = NULL;
			g_ptr_array_remove_index(lcd->migrations, i);
			migration_free(m);
			continue;
		}
		i++;
	}
}

/* The job events of a host: progress for status, and the end of a
 * migration seen from the source, which asks for fresh samples. */
void
lcd_on_job_event(LcdHost *h, const char *uuid, guint iteration, gboolean completed,
		 guint64 data_total)
{
	LcdMigration *m = migration_find(h->lcd, uuid);

	if (!m || settled(m))
		return;
	if (iteration)
		m->iteration = iteration;
	if (completed) {
		if (data_total)
			m->data_total = data_total;
		m->data_remaining = 0;
		sp_log_debug("migration.event", "vm '%s': job completed on '%s'", m->rec.name,
			     h->name);
	}
}
