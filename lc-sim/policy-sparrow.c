/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sparrow: lc-migrated's own policy, the decision core of lc-core/
 * unchanged (lc-core.h), fed the same view as every baseline. */
#include "config.h"

#include "sim.h"
#include "sp-error.h"
#include "sp-log.h"

typedef struct {
	SpLcCore *core;
	SpLcHostIn *hosts;
	SpLcVmIn *vms;
} Sparrow;

static gpointer
sparrow_create(const SimView *view, guint64 seed)
{
	Sparrow *s = g_new0(Sparrow, 1);
	SpLcConfig cfg;

	sp_lc_config_init(&cfg);
	cfg.bandwidth_gbps = view->nic_gbps;
	s->core = sp_lc_core_new(&cfg);
	/* The journal costs time at 30,000 VMs and nobody reads it here. */
	sp_lc_core_set_journal(s->core, FALSE);
	s->hosts = g_new0(SpLcHostIn, view->n_hosts);
	s->vms = g_new0(SpLcVmIn, view->n_vms);
	return s;
}

static void
sparrow_decide(gpointer state, const SimView *view, GArray *moves)
{
	Sparrow *s = state;

	for (guint h = 0; h < view->n_hosts; h++) {
		s->hosts[h].cores = view->hosts[h].cores;
		s->hosts[h].mem_gb = view->hosts[h].mem_gb;
		s->hosts[h].load1 = view->hosts[h].load1;
		s->hosts[h].maintenance = view->hosts[h].maintenance;
	}
	for (guint i = 0; i < view->n_vms; i++) {
		const SimVmView *v = &view->vms[i];

		s->vms[i] = (SpLcVmIn){.host = v->host,
				       .vcpus = v->vcpus,
				       .mem_gb = v->mem_gb,
				       .cpu = v->cpu,
				       .dirty_gbps = v->dirty_gbps,
				       .group = -1,
				       .migrating = v->migrating};
	}
	if (sp_lc_core_round(s->core, view->minute, s->hosts, view->n_hosts, s->vms, view->n_vms,
			     moves) < 0)
		sp_log_warn("lcsim.sparrow", "round refused: %s", sp_error_message());
}

static void
sparrow_destroy(gpointer state)
{
	Sparrow *s = state;

	sp_lc_core_free(s->core);
	g_free(s->hosts);
	g_free(s->vms);
	g_free(s);
}

const SimPolicy sim_policy_sparrow = {
	"sparrow",       "lc-migrated decision core (docs/LOAD-CONTROL.md)",
	sparrow_create,  sparrow_decide,
	sparrow_destroy,
};
