/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <libvirt/libvirt.h>
#include <math.h>
#include <string.h>

#include "lcd-sample.h"

static void
dom_clear(gpointer data)
{
	LcdDomSample *d = data;

	g_free(d->name);
	g_free(d->group);
}

LcdSample *
lcd_sample_new(void)
{
	LcdSample *s = g_new0(LcdSample, 1);

	s->doms = g_array_new(FALSE, TRUE, sizeof(LcdDomSample));
	g_array_set_clear_func(s->doms, dom_clear);
	return s;
}

void
lcd_sample_free(LcdSample *s)
{
	if (!s)
		return;
	g_array_free(s->doms, TRUE);
	if (s->by_uuid)
		g_hash_table_destroy(s->by_uuid);
	g_free(s);
}

const LcdDomSample *
lcd_sample_find(const LcdSample *s, const char *uuid)
{
	LcdSample *w = (LcdSample *) s;
	guint i;

	/* Built once per sample, on first use: a sample is not changed after
	 * the worker hands it over. */
	if (!w->by_uuid) {
		w->by_uuid = g_hash_table_new(g_str_hash, g_str_equal);
		for (i = 0; i < s->doms->len; i++)
			g_hash_table_insert(w->by_uuid,
					    g_array_index(s->doms, LcdDomSample, i).uuid,
					    GUINT_TO_POINTER(i + 1));
	}
	i = GPOINTER_TO_UINT(g_hash_table_lookup(w->by_uuid, uuid));
	return i ? &g_array_index(s->doms, LcdDomSample, i - 1) : NULL;
}

gboolean
lcd_dom_running(const LcdDomSample *d)
{
	return d->state == VIR_DOMAIN_RUNNING ||
	       (d->state == VIR_DOMAIN_PAUSED && d->reason != VIR_DOMAIN_PAUSED_MIGRATION &&
		d->reason != VIR_DOMAIN_PAUSED_STARTING_UP);
}

gboolean
lcd_dom_incoming(const LcdDomSample *d)
{
	/* libvirt starts the target's QEMU paused for the incoming data. */
	return d->state == VIR_DOMAIN_PAUSED && (d->reason == VIR_DOMAIN_PAUSED_MIGRATION ||
						 d->reason == VIR_DOMAIN_PAUSED_STARTING_UP);
}

gboolean
lcd_rate(const LcdSample *prev, const LcdSample *cur, guint i, LcdRate *out)
{
	const LcdDomSample *d = &g_array_index(cur->doms, LcdDomSample, i), *p = NULL;
	double dt;

	if (!prev)
		return FALSE;
	if (i < prev->doms->len &&
	    strcmp(g_array_index(prev->doms, LcdDomSample, i).uuid, d->uuid) == 0)
		p = &g_array_index(prev->doms, LcdDomSample, i);
	else if (!(p = lcd_sample_find(prev, d->uuid)))
		return FALSE;
	dt = (double) (cur->mono_us - prev->mono_us) / 1e6;
	/* A domain restarted between the samples has counters from 0. */
	if (dt <= 0 || d->cpu_ns < p->cpu_ns ||
	    (d->has_wait && p->has_wait && d->wait_ns < p->wait_ns))
		return FALSE;
	out->cpu = (double) (d->cpu_ns - p->cpu_ns) / 1e9 / dt;
	out->demand = out->cpu;
	if (d->has_wait && p->has_wait)
		out->demand += (double) (d->wait_ns - p->wait_ns) / 1e9 / dt;
	return TRUE;
}

double
lcd_host_own(const LcdSample *prev, const LcdSample *cur, double domains_cpu)
{
	double dt;

	if (!prev || !prev->has_node || !cur->has_node || cur->node_busy_ns < prev->node_busy_ns)
		return 0;
	dt = (double) (cur->mono_us - prev->mono_us) / 1e6;
	if (dt <= 0)
		return 0;
	return MAX(0, (double) (cur->node_busy_ns - prev->node_busy_ns) / 1e9 / dt - domains_cpu);
}

double
lcd_load_step(double load, double n, double dt, double tau)
{
	double e = exp(-dt / MAX(tau, 1e-9));

	return load * e + n * (1 - e);
}
