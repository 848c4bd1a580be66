/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Pre-copy live migration cost (as in QEMU): round 0 sends all memory; each
 * later round sends what the guest dirtied while the previous one was sent;
 * the last round is sent with the guest paused once it fits in the downtime
 * (QEMU's downtime-limit, 300 ms by default).  A guest dirtying faster than
 * the link never converges: after 30 rounds, or when a round stops
 * shrinking, the rest goes in one stop-and-copy.
 *
 * Used by lc-choose.c to weigh candidates and by lc-sim to time its
 * migrations; calls nothing. */
#include "config.h"

#include "lc-core.h"

double
sp_lc_precopy(double mem_gb, double dirty_gbps, double bandwidth_gbps, double downtime_s,
	      double *seconds)
{
	double left = mem_gb, sent = 0, t = 0;

	if (bandwidth_gbps <= 0)
		bandwidth_gbps = 1e-3;
	for (int round = 0; round < 30; round++) {
		double dt = left / bandwidth_gbps;
		double dirtied = MIN(mem_gb, dirty_gbps * dt);

		sent += left;
		t += dt;
		if (dirtied <= bandwidth_gbps * downtime_s || dirtied >= left) {
			left = dirtied;
			break;
		}
		left = dirtied;
	}
	sent += left;
	t += left / bandwidth_gbps;
	if (seconds)
		*seconds = t;
	return sent;
}
