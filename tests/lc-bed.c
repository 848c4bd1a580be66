/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The lc-core tests' small cluster (lc-bed.h). */
#include "config.h"

#include <string.h>

#include "lc-bed.h"
#include "sp-test.h"

void
bed_init(Bed *b)
{
	memset(b, 0, sizeof(*b));
	sp_lc_config_init(&b->cfg);
	b->cfg.low_window = 1; /* targets count from the first round */
	b->cfg.spread = 1;     /* fixed goal and target limit, unless a case says */
	b->n_hosts = 4;
	for (guint h = 0; h < 4; h++)
		b->hosts[h] = (SpLcHostIn){.cores = 10, .mem_gb = 64};
	b->moves = g_array_new(FALSE, FALSE, sizeof(SpLcMove));
}

guint
bed_vm(Bed *b, guint host, double cpu, double mem)
{
	b->vms[b->n_vms] = (SpLcVmIn){.host = host,
				      .vcpus = 8,
				      .mem_gb = mem,
				      .cpu = cpu,
				      .dirty_gbps = 0.01,
				      .group = -1};
	return b->n_vms++;
}

void
bed_settle(Bed *b)
{
	for (guint h = 0; h < b->n_hosts; h++)
		b->hosts[h].load1 = 0;
	for (guint i = 0; i < b->n_vms; i++)
		b->hosts[b->vms[i].host].load1 += b->vms[i].cpu;
}

guint
bed_round(Bed *b)
{
	if (!b->core)
		b->core = sp_lc_core_new(&b->cfg);
	g_array_set_size(b->moves, 0);
	CU_ASSERT_EQUAL_FATAL(sp_lc_core_round(b->core, b->now, b->hosts, b->n_hosts, b->vms,
					       b->n_vms, b->moves),
			      0);
	b->now += 1;
	return b->moves->len;
}

void
bed_apply(Bed *b)
{
	for (guint i = 0; i < b->moves->len; i++) {
		const SpLcMove *m = &g_array_index(b->moves, SpLcMove, i);

		b->vms[m->vm].host = m->target;
	}
	bed_settle(b);
}

const SpLcMove *
bed_move(Bed *b, guint i)
{
	return &g_array_index(b->moves, SpLcMove, i);
}

SpLcJournalEntry
bed_entry(Bed *b, gint vm, guint host)
{
	guint n;
	const SpLcJournalEntry *j = sp_lc_core_journal(b->core, &n);
	SpLcJournalEntry none = {.vm = vm, .host = host, .reason = SP_LC_REASON_LAST};

	for (guint i = 0; i < n; i++)
		if (j[i].vm == vm && j[i].host == host)
			return j[i];
	return none;
}

void
bed_free(Bed *b)
{
	sp_lc_core_free(b->core);
	g_array_free(b->moves, TRUE);
}

void
bed_hot(Bed *b)
{
	bed_vm(b, 0, 0.5, 4); /* 0: too small to relieve alone */
	bed_vm(b, 0, 1.5, 4); /* 1: just enough: the right one */
	bed_vm(b, 0, 4.0, 4); /* 2: enough, but overshoots */
	bed_vm(b, 0, 3.5, 4); /* 3: enough, overshoots */
	bed_vm(b, 1, 2.0, 4);
	bed_vm(b, 2, 4.0, 4);
	bed_vm(b, 3, 6.0, 4);
	bed_settle(b);
}
