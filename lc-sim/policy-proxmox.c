/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Proxmox VE cluster resource scheduler (CRS) automatic rebalancing, as the
 * issue and the Proxmox documentation describe it: the cluster's imbalance
 * is the coefficient of variation of the hosts' CPU load divided by
 * sqrt(n - 1) (so that it lies in [0, 1]); when it stays above 0.3 for 3
 * rounds, the scheduler considers moving one VM off the most loaded host to
 * the least loaded one that has the memory, and does the best such move only
 * if it improves the imbalance by at least 10 %; one move at a time (none
 * while a migration runs).  One round per minute. */
#include "config.h"

#include <math.h>

#include "sim.h"

#define PX_IMBALANCE 0.3
#define PX_HOLD 3
#define PX_MARGIN 0.10

typedef struct {
	guint held;
	double *u;
} Proxmox;

static gpointer
proxmox_create(const SimView *view, guint64 seed)
{
	Proxmox *p = g_new0(Proxmox, 1);

	p->u = g_new0(double, view->n_hosts);
	return p;
}

static double
imbalance(const double *u, guint n)
{
	double sum = 0, sq = 0, mean, sd;

	if (n < 2)
		return 0;
	for (guint h = 0; h < n; h++) {
		sum += u[h];
		sq += u[h] * u[h];
	}
	mean = sum / n;
	if (mean <= 0)
		return 0;
	sd = sqrt(MAX(0, sq / n - mean * mean));
	return sd / mean / sqrt(n - 1);
}

static void
proxmox_decide(gpointer state, const SimView *view, GArray *moves)
{
	Proxmox *p = state;
	guint n = view->n_hosts;
	gint hot = -1, cold = -1, best = -1;
	double now, best_imb, busy = 0;

	for (guint h = 0; h < n; h++) {
		p->u[h] = view->hosts[h].load1 / view->hosts[h].cores;
		busy += view->hosts[h].in_flight;
	}
	now = imbalance(p->u, n);
	p->held = now > PX_IMBALANCE ? p->held + 1 : 0;
	if (p->held < PX_HOLD || busy > 0)
		return;
	for (guint h = 0; h < n; h++) {
		if (hot < 0 || p->u[h] > p->u[hot])
			hot = (gint) h;
	}
	best_imb = now * (1 - PX_MARGIN);
	for (guint i = 0; i < view->n_vms; i++) {
		const SimVmView *v = &view->vms[i];
		double us, ut, imb;

		if (v->host != (guint) hot || v->migrating)
			continue;
		cold = sim_target_least_loaded(view, i, (guint) hot, G_MAXDOUBLE);
		if (cold < 0)
			continue;
		us = p->u[hot];
		ut = p->u[cold];
		p->u[hot] -= v->cpu / view->hosts[hot].cores;
		p->u[cold] += v->cpu / view->hosts[cold].cores;
		imb = imbalance(p->u, n);
		p->u[hot] = us;
		p->u[cold] = ut;
		if (imb < best_imb) {
			best_imb = imb;
			best = (gint) i;
		}
	}
	if (best >= 0) {
		SpLcMove m = {(guint) best, (guint) hot, 0, 0};

		/* The target the search above found for it. */
		m.target = (guint) sim_target_least_loaded(view, (guint) best, (guint) hot,
							   G_MAXDOUBLE);
		g_array_append_val(moves, m);
		p->held = 0;
	}
}

static void
proxmox_destroy(gpointer state)
{
	Proxmox *p = state;

	g_free(p->u);
	g_free(p);
}

const SimPolicy sim_policy_proxmox = {
	"proxmox",
	"Proxmox VE CRS auto-rebalance: CV/sqrt(n-1) > 0.3 for 3 rounds, 10 % margin",
	proxmox_create,
	proxmox_decide,
	proxmox_destroy,
};
