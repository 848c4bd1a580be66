/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One host: its libvirt connection, owned by a worker thread (lcd.h says
 * who does what). The main thread asks for samples and learns about the
 * link through lcd_on_*() calls made in its own context. */
#pragma once

#include <libvirt/libvirt.h>

#include "lcd.h"
#include "sp-hosts.h"

/* What a host's worker tells the main thread, called there (the daemon
 * gives lcd_on_sample, lcd_on_link, lcd_on_job_event: the worker calls up
 * without depending on the files above it). */
typedef struct {
	void (*sample)(LcdHost *h, LcdSample *s, const char *error);
	void (*link)(LcdHost *h, gboolean up, const char *error);
	void (*job)(LcdHost *h, const char *uuid, guint iteration, gboolean completed,
		    guint64 data_total);
} LcdHostEvents;

struct LcdHost {
	/* Fixed. */
	Lcd *lcd;
	const LcdHostEvents *events;
	guint index;
	char *name;
	gboolean fake; /* a simulated host (lcd-fake.c), for benchmarks */

	/* Shared with the worker, libvirt's event thread and migration
	 * threads: under lock. */
	GMutex lock;
	SpHost conf; /* its hosts.conf entry (a reload replaces it) */
	virConnectPtr conn;
	guint gen; /* connection generation */
	int keepalive_interval;
	guint keepalive_count;

	/* The worker. */
	GThread *thread;
	GAsyncQueue *queue;

	/* Main thread only. */
	LcdLink link;
	char *link_error;
	gboolean removed;        /* no longer in hosts.conf */
	gboolean sample_pending; /* asked, not answered */
	guint missed;            /* rounds in a row without a sample */
	LcdSample *fresh;        /* arrived since the last round */
	LcdSample *prev;         /* the one before, for rates */
	double load;             /* the load average the core sees */
	gboolean load_set;
	double demand; /* this round's, in CPUs */
	double own;
	guint cpus;
	double mem_gb;
	gboolean offline; /* in the last round */
	gint64 down_since;
	guint vms;
	/* Over the core's high threshold since (the start of detection). */
	gboolean hot;
	guint64 hot_round;
	gint64 hot_mono;
	/* The core's last word about the host itself (logged when it changes). */
	int why_reason;
	guint64 why_round;
};

LcdHost *lcd_host_new(Lcd *lcd, guint index, const SpHost *conf, const LcdHostEvents *events);
/* The worker starts connecting. */
void lcd_host_start(LcdHost *h);
/* A reload: a new URI makes the worker reconnect. */
void lcd_host_set_conf(LcdHost *h, const SpHost *conf);
/* Keepalive for the next connection (a reload). */
void lcd_host_set_keepalive(LcdHost *h, double interval_s, guint count);
/* Ask for one sample; jobs: UUIDs whose migration job to ask about (may
 * be NULL). The answer comes as lcd_on_sample(). */
void lcd_host_request_sample(LcdHost *h, GPtrArray *jobs);
/* The worker ends after what it is doing; the host stays (offline). Not
 * joined: a worker stuck in a call to a hung libvirtd ends when it can. */
void lcd_host_stop(LcdHost *h);
/* A reference to the connection (virConnectClose() it), or NULL when the
 * host is not connected. Any thread. */
virConnectPtr lcd_host_conn(LcdHost *h);
/* The URI, migration URI (may be NULL), copies; any thread. */
void lcd_host_uris(LcdHost *h, char **uri, char **migration_uri);

/* Start libvirt's event loop thread (once). -1 with the error set. */
int lcd_libvirt_init(void) G_GNUC_WARN_UNUSED_RESULT;
