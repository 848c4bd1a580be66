/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What one host's libvirtd says in one round, and the arithmetic that turns
 * two such samples into the core's input: demand per VM and the host's
 * load average. Pure: no libvirt here, so that it is unit-tested.
 *
 * The core was tuned on the kernel's 1-minute load average, which counts
 * tasks running and waiting to run. libvirt gives, per domain, the CPU time
 * its QEMU used (cpu.time) and the time its vCPU threads spent runnable but
 * waiting for a CPU (vcpu.N.delay, the guest's steal time; vcpu.N.wait on
 * libvirt versions that lack delay). Their sum over an interval, divided by
 * it, is how many CPUs the domain wanted: under contention it stays above
 * what the domain got, as the load average does. A host's demand is the sum
 * over its domains, plus (host_load) what the node used besides them; its
 * load average is that demand through the kernel's exponential average, with
 * the time constant of load_window rounds (one minute at the default
 * 60-second interval, as the kernel's). docs/LOAD-CONTROL.md has the
 * mapping. */
#pragma once

#include <glib.h>

#define LCD_UUID_LEN 37 /* VIR_UUID_STRING_BUFLEN */

typedef enum {
	LCD_JOB_NONE,
	LCD_JOB_MIGRATION_OUT, /* a migration of it leaves this host */
	LCD_JOB_OTHER,
} LcdJob;

typedef struct {
	char uuid[LCD_UUID_LEN];
	char *name;
	int state;  /* virDomainState */
	int reason; /* its reason */
	guint64 cpu_ns;
	guint64 wait_ns; /* summed over vCPUs */
	gboolean has_wait;
	guint vcpus;
	guint64 mem_kib;
	/* From the domain's <metadata> (lcd-domxml.h), when the worker has it. */
	gboolean pinned;
	char *group;
	/* Asked for only for VMs the daemon has a migration record of. */
	gboolean job_asked;
	LcdJob job;
	guint64 job_remaining; /* bytes */
	guint64 job_total;
} LcdDomSample;

typedef struct {
	gint64 mono_us; /* when it was taken */
	gboolean has_node;
	guint64 node_busy_ns; /* all CPUs: everything but idle and iowait */
	guint cpus;
	guint64 mem_kib;
	GArray *doms;        /* LcdDomSample */
	GHashTable *by_uuid; /* uuid -> index + 1, made by lcd_sample_find */
} LcdSample;

LcdSample *lcd_sample_new(void);
void lcd_sample_free(LcdSample *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(LcdSample, lcd_sample_free)
const LcdDomSample *lcd_sample_find(const LcdSample *s, const char *uuid);

/* libvirt's domain states the daemon cares about. */
gboolean lcd_dom_running(const LcdDomSample *d);
/* Paused as the target of an incoming migration. */
gboolean lcd_dom_incoming(const LcdDomSample *d);

/* One domain's rates between two samples of the same connection. */
typedef struct {
	double cpu;    /* CPUs used */
	double demand; /* CPUs wanted: used + waited for */
} LcdRate;

/* Rates of cur's i-th domain against prev (NULL, or a restarted domain
 * whose counters went back: FALSE, no rate). libvirt lists a host's domains
 * in the same order from one sample to the next: the same index in prev is
 * tried before a lookup. */
gboolean lcd_rate(const LcdSample *prev, const LcdSample *cur, guint i, LcdRate *out);
/* What the node used besides its domains (CPUs), or 0 when unknown. */
double lcd_host_own(const LcdSample *prev, const LcdSample *cur, double domains_cpu);
/* The kernel's load average carried over dt seconds toward demand n, with a
 * time constant of tau seconds: load * e^(-dt/tau) + n * (1 - e^(-dt/tau)).
 * With tau = 60 and dt = 5 this is the kernel's EXP_1 step. */
double lcd_load_step(double load, double n, double dt, double tau);
