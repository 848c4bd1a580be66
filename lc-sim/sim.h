/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lc-sim: a trace-driven cluster simulator for Load Control policies.
 *
 * Data flow: a trace (PlanetLab replay or the synthetic generator) gives
 * each VM a CPU utilisation every 5 minutes; sim-cluster.c gives VMs sizes
 * and hosts a capacity for the requested mean load; sim-run.c steps the
 * cluster one minute at a time (host demand, the kernel's 1-minute load
 * average, migrations in flight, metrics) and asks the policy for moves once
 * a minute; sim-report.c and sim-svg.c print what happened. */
#pragma once

#include <glib.h>
#include <stdio.h>

#include "lc-core.h"

#define SIM_SAMPLE_MIN 5 /* trace samples are 5 minutes apart */
#define SIM_SAMPLES_PER_DAY 288

typedef struct {
	char *name;   /* "planetlab:20110303" or "synthetic:7" */
	guint n_rows; /* distinct VM series */
	guint n_samples;
	guint8 *util; /* n_rows x n_samples, percent of the VM's vCPUs */
} SimTrace;

void sim_trace_free(SimTrace *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimTrace, sim_trace_free)

/* PlanetLab: "FILE" is a path or a day (20110303), the file
 * TRACES/planetlab/DAY.csv; days > 1 appends the following day files in
 * name order (wrapping).  Rows are matched across days by position. */
SimTrace *sim_trace_planetlab(const char *traces, const char *file, guint days)
	G_GNUC_WARN_UNUSED_RESULT;
/* Parse one day file's text. */
SimTrace *sim_trace_planetlab_parse(const char *text, const char *name) G_GNUC_WARN_UNUSED_RESULT;
SimTrace *sim_trace_synthetic(guint64 seed, guint n_rows, guint days);
/* Resolve a day name (in traces) or path to a file path. */
char *sim_trace_planetlab_path(const char *traces, const char *file) G_GNUC_WARN_UNUSED_RESULT;

typedef struct {
	double vcpus;
	double mem_gb;
	guint row;   /* trace series */
	guint shift; /* samples the series is rotated by (copies of a row) */
} SimVmSpec;

typedef struct {
	guint n_hosts;
	guint n_vms;
	double cores; /* every host alike */
	double mem_gb;
	double nic_gbps;  /* GB/s a migration may use on the link */
	double scale;     /* trace utilisation multiplier for the mean load */
	double mean_load; /* achieved mean demand / capacity */
	guint minutes;
	SimVmSpec *vms;
	guint *placement; /* initial host of each VM */
	const SimTrace *trace;
} SimCluster;

void sim_cluster_free(SimCluster *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimCluster, sim_cluster_free)
SimCluster *sim_cluster_new(const SimTrace *trace, guint n_hosts, guint vms_per_host,
			    double mean_load, guint64 seed);
/* CPU demand of a VM (cores) during trace sample s. */
double sim_vm_demand(const SimCluster *c, guint vm, guint sample);

/* The kernel's 1-minute load average: every 5 s,
 * load = load * EXP_1 + n * (1 - EXP_1) with EXP_1 = 1884/2048. */
#define SIM_EXP_1 (1884.0 / 2048.0)
double sim_loadavg_tick(double load, double n);
/* 12 ticks (one minute) of constant n, in closed form:
 * n + (load - n) * EXP_1^12. */
double sim_loadavg_minute(double load, double n);

/* What a policy sees each minute. */
typedef struct {
	double cores;
	double mem_gb;
	double load1;
	double mem_used; /* VMs on it plus VMs migrating to it */
	guint in_flight;
	gboolean maintenance;
} SimHostView;

typedef struct {
	guint host;
	double vcpus;
	double mem_gb;
	double cpu; /* cores used this minute */
	double dirty_gbps;
	gboolean migrating;
} SimVmView;

typedef struct {
	guint minute;
	guint n_hosts;
	guint n_vms;
	const SimHostView *hosts;
	const SimVmView *vms;
	double nic_gbps;
} SimView;

typedef struct {
	const char *name;
	const char *source; /* the published description it follows */
	gpointer (*create)(const SimView *view, guint64 seed);
	/* Append SpLcMove to moves. */
	void (*decide)(gpointer state, const SimView *view, GArray *moves);
	void (*destroy)(gpointer state);
} SimPolicy;

/* The least loaded host (load average / cores) other than except, not in
 * maintenance, with room for VM vm's memory, and loaded under below; -1 if
 * none. */
gint sim_target_least_loaded(const SimView *view, guint vm, guint except, double below);

extern const SimPolicy sim_policy_none, sim_policy_greedy, sim_policy_sandpiper, sim_policy_watcher,
	sim_policy_ovirt, sim_policy_proxmox, sim_policy_sparrow;
const SimPolicy *sim_policy_find(const char *name);
extern const SimPolicy *const sim_policies[];

typedef struct {
	guint vm, src, dst;
	guint start, end; /* minutes */
	double gb;
} SimMigration;

#define SIM_SVG_HOSTS 12

typedef struct {
	const char *policy;
	double overload_host_minutes;   /* demand > 100 % of cores */
	double overload90_host_minutes; /* demand > 90 % */
	double unmet_core_hours;
	guint migrations;
	double gb_moved;
	guint pingpongs;
	guint cascades;
	double pingpong_rate;
	double cascade_rate;
	double resolve_p50_min;
	double resolve_p95_min;
	guint episodes;
	double decision_p50_ms;
	double decision_p99_ms;
	double peak_rss_mb;
	GArray *migs; /* SimMigration */
	/* For the chart: per minute, the load average (% of cores) of the
	 * first SIM_SVG_HOSTS hosts, and the cluster's max and mean. */
	guint chart_hosts;
	float *chart; /* (chart_hosts + 2) x minutes */
} SimResult;

void sim_result_free(SimResult *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimResult, sim_result_free)

typedef struct {
	double vm_loss;        /* share of a migrating VM's CPU lost to dirty tracking */
	double dirty_base;     /* GB/s dirtied by an idle VM */
	double dirty_per_core; /* GB/s more per busy core */
	gboolean chart;
} SimOptions;

void sim_options_init(SimOptions *o);
SimResult *sim_run(const SimCluster *c, const SimPolicy *p, const SimOptions *o, guint64 seed);

/* Percentile (0..100) of values, sorted in place. */
double sim_percentile(double *v, guint n, double pct);
double sim_peak_rss_mb(void);

/* Output. */
void sim_report_table(FILE *out, const SimCluster *c, SimResult *const *r, guint n);
int sim_report_json(const char *path, const SimCluster *c, SimResult *const *r, guint n)
	G_GNUC_WARN_UNUSED_RESULT;
int sim_report_svg(const char *path, const SimCluster *c, SimResult *const *r, guint n)
	G_GNUC_WARN_UNUSED_RESULT;
