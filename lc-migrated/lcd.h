/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lc-migrated: the daemon that moves VMs off hosts that stay overloaded.
 *
 * Threads, and who owns what (read this first):
 *
 *  - The main thread runs a GLib main loop and owns every field of Lcd and
 *    of its LcdVm and LcdMigration records, and the main-thread fields of
 *    each LcdHost. Once per interval it runs a round (lcd-round.c): it takes
 *    the samples that came in since the last round, asks the core
 *    (lc-core.h) once, starts the migrations it returns and asks every host
 *    for its next sample. It never calls libvirt: libvirt calls block for as
 *    long as a host takes to answer, and one hung host must not stall the
 *    rounds of the others. It also serves the control socket (lcd-ctl-*.c)
 *    and handles signals (lcd-daemon.c).
 *  - libvirt's event loop (virEventRegisterDefaultImpl) runs in a thread of
 *    its own: it carries keepalives, close callbacks and domain events. Its
 *    callbacks never block: they hand what they learnt to the main thread
 *    (g_main_context_invoke) or to a host's worker (its queue).
 *  - One worker thread per host (lcd-host.c) owns that host's connection:
 *    it opens it (with backoff after failures), sets keepalive, samples when
 *    the main thread asks, and reconnects after a close. A host whose worker
 *    is stuck (libvirtd stopped: the open itself blocks) simply sends no
 *    samples, and the round counts it offline.
 *  - One thread per running migration (lcd-migrate.c): the preflight checks
 *    on the target, then virDomainMigrateToURI3 (peer-to-peer: the source's
 *    libvirtd drives it, so it goes on if we die), which blocks until the
 *    migration ends. A timeout in the main loop aborts it from a short-lived
 *    thread (virDomainAbortJob). Migration threads take their own reference
 *    on the hosts' connections (lcd_host_conn).
 *  - libmicrohttpd's thread serves /metrics from a text the main thread
 *    renders after each round (lcd-metrics.c), under a mutex.
 *
 * State that must survive a restart (operator pauses and drains, migrations
 * in flight, recent moves for the core's cooldowns) is written to
 * STATE/state before it matters (lcd-state.c); at start, and whenever a
 * host comes back, what each VM's hosts say settles the migrations in that
 * file (lcd-recover.c). */
#pragma once

#include <glib.h>

#include "lc-core.h"
#include "lcd-conf.h"
#include "lcd-sample.h"
#include "lcd-state.h"

typedef struct Lcd Lcd;
typedef struct LcdHost LcdHost;
typedef struct LcdMigration LcdMigration;

/* How a migration call ended, as its thread tells the main thread. */
typedef enum {
	LCD_MIG_DONE,
	LCD_MIG_FAILED,
	LCD_MIG_ABORTED,
	LCD_MIG_REFUSED, /* preflight: not tried */
	LCD_MIG_UNKNOWN, /* the connection went with it: ask the hosts */
} LcdMigResult;

typedef enum {
	LCD_LINK_CONNECTING, /* never connected yet */
	LCD_LINK_UP,
	LCD_LINK_DOWN,
} LcdLink;

/* Where a VM was seen in one round's samples. */
typedef struct {
	guint64 round;
	guint n_running;
	LcdHost *running[2];
	LcdHost *incoming;
} LcdSeen;

/* One VM as the daemon knows it, by UUID; index is its slot in the core. */
typedef struct {
	guint index;
	char uuid[LCD_UUID_LEN];
	char *name;
	LcdHost *host; /* where it runs (or last ran); NULL never seen */
	gboolean present;
	double cpu, demand;
	gboolean has_rate; /* cpu and demand measured once at least */
	guint vcpus;
	double mem_gb;
	gboolean pinned_meta;
	char *group_meta;
	guint64 seen_round;
	LcdSeen seen; /* this round's */
	/* Running on two hosts at once, outside a migration: rounds in a row. */
	guint double_rounds;
	gboolean double_alarm;
	/* Incoming on another host than ours (a migration we did not start). */
	LcdHost *incoming;
	LcdMigration *migration;
	/* The core's last word about it, for lcctl why. */
	char *why;
	guint64 why_round;
	gint64 why_time; /* unix seconds */
	int why_reason;
	gint why_target;
	gboolean why_advice; /* decided in advise mode: not carried out */
} LcdVm;

/* A migration that we started, or found running after a restart. */
struct LcdMigration {
	LcdFlightRec rec; /* as persisted */
	LcdVm *vm;
	LcdHost *src, *dst;
	gint64 detect_mono;       /* its source passed high (or the decision) */
	gint64 decided_mono;      /* the round that chose it */
	gint64 start_mono;        /* virDomainMigrateToURI3 called (or adopted) */
	gboolean thread;          /* our thread has not posted its end yet */
	gboolean adopted;         /* no thread of ours: watched through samples */
	gboolean running;         /* our thread is in the call */
	gboolean outcome_unknown; /* the call failed with the connection */
	gboolean abort_sent;
	guint failed_rounds; /* rounds in a row the hosts said it failed */
	gboolean settled;    /* the state file has its end */
	guint64 settled_round;
	guint timeout_id;
	guint iteration;
	guint64 data_total, data_remaining;
};

struct Lcd {
	char *config_dir;
	LcdConf *conf;
	GMainContext *ctx;
	GMainLoop *loop;
	SpLcCore *core;
	GPtrArray *hosts; /* LcdHost *, by core index; removed ones stay offline */
	GHashTable *host_by_name;
	GPtrArray *vms; /* LcdVm *, by core index; NULL for a free slot */
	GHashTable *vm_by_uuid;
	GHashTable *group_ids; /* group name -> id + 1 */
	LcdState *state;
	GPtrArray *migrations; /* LcdMigration *, not yet settled */
	guint64 round;
	guint round_timer;
	gboolean stopping;
	gboolean abort_all;
	gboolean fake;  /* fake: hosts allowed (benchmarks) */
	int log_target; /* SpLogTarget, for a reload's new level */
	/* Counters for the metrics. */
	guint64 migrations_done, migrations_failed, migrations_aborted, migrations_refused;
	guint64 decisions[SP_LC_REASON_LAST];
	guint64 double_total;
	guint64 reloads, reload_failures;
	double last_round_s, last_round_cpu_s;
	double last_migration_s, last_decision_to_start_s, last_detect_to_start_s;
	double migration_s_sum;
	struct LcdCtl *ctl;
	struct LcdMetrics *metrics;
};

/* lcd-daemon.c */
Lcd *lcd_new(const char *config_dir, LcdConf *conf, gboolean fake);
int lcd_run(Lcd *lcd) G_GNUC_WARN_UNUSED_RESULT;
void lcd_free(Lcd *lcd);

/* lcd-model.c: the records every part reads. */
/* Now as the core counts time: minutes of the wall clock, so that
 * cooldowns written to the state file mean the same after a restart. */
double lcd_now_min(void);
double lcd_host_cores(const LcdHost *h);
/* The VM of uuid, made (in a free slot of the core) if new. */
LcdVm *lcd_vm_get(Lcd *lcd, const char *uuid, const char *name);
LcdVm *lcd_vm_by_name(Lcd *lcd, const char *name);
void lcd_vm_free(LcdVm *vm);
/* Persist lcd->state now; a failure is logged (the daemon goes on: the
 * hosts remain the truth). */
void lcd_save(Lcd *lcd);
/* Not settled yet (the VM counts as migrating). */
gboolean lcd_migration_is_running(const LcdMigration *m);

/* lcd-round.c */
void lcd_round(Lcd *lcd);
/* Ask every host that is not still answering for its next sample. */
void lcd_samples_request(Lcd *lcd);
/* A host's worker hands over a sample (or why there is none), or says its
 * link went up or down: main thread (LcdHostEvents, lcd-host.h). */
void lcd_on_sample(LcdHost *h, LcdSample *s, const char *error);
void lcd_on_link(LcdHost *h, gboolean up, const char *error);

/* lcd-migrate.c (main thread side) */
void lcd_migration_start(Lcd *lcd, LcdVm *vm, LcdHost *src, LcdHost *dst, const char *why);
void lcd_migration_adopt(Lcd *lcd, const LcdFlightRec *rec);
/* Settle migrations from what this round's samples say. */
void lcd_migrations_watch(Lcd *lcd);
void lcd_migration_abort(LcdMigration *m, const char *why);
/* A job ended on h (VIR_DOMAIN_EVENT_ID_JOB_COMPLETED) or a migration
 * went on with its next pass (iteration > 0). */
void lcd_on_job_event(LcdHost *h, const char *uuid, guint iteration, gboolean completed,
		      guint64 data_total);
