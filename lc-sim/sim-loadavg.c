/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The kernel's load average (kernel/sched/loadavg.c), in floating point:
 * every LOAD_FREQ (5 s) avenrun = avenrun * EXP_1 + active * (1 - EXP_1),
 * EXP_1 = 1884 / 2048 = 1 / exp(5 s / 1 min) in 11-bit fixed point.
 * "active" is the number of runnable tasks; with fractional demand we use
 * the expected number, the VM's CPU demand in cores (demand above the
 * host's cores queues and shows as load above the core count).
 *
 * Demand only changes at minute boundaries in the simulator (trace samples
 * every 5 minutes, migrations land on the minute), so the 12 ticks of a
 * minute have a closed form: per host per minute, not per VM per tick. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "sim.h"

double
sim_loadavg_tick(double load, double n)
{
	return load * SIM_EXP_1 + n * (1 - SIM_EXP_1);
}

double
sim_loadavg_minute(double load, double n)
{
	/* EXP_1^12, computed once. */
	static double e12;

	if (e12 == 0)
		e12 = pow(SIM_EXP_1, 12);
	return n + (load - n) * e12;
}

static int
double_cmp(const void *a, const void *b)
{
	double x = *(const double *) a, y = *(const double *) b;

	return x < y ? -1 : x > y;
}

double
sim_percentile(double *v, guint n, double pct)
{
	double rank;
	guint lo;

	if (n == 0)
		return 0;
	qsort(v, n, sizeof(double), double_cmp);
	rank = pct / 100 * (n - 1);
	lo = (guint) floor(rank);
	if (lo + 1 >= n)
		return v[n - 1];
	return v[lo] + (rank - lo) * (v[lo + 1] - v[lo]);
}

double
sim_peak_rss_mb(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) < 0)
		return 0;
	return ru.ru_maxrss / 1024.0;
}
