/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <libvirt/libvirt.h>
#include <string.h>

#include "lcd-fake.h"
#include "sp-error.h"

#define FAKE_CPUS 32

typedef struct {
	char uuid[LCD_UUID_LEN];
	char name[32];
	guint host;
	double level; /* CPUs it wants, on average */
	double now;   /* CPUs it wants now */
	guint64 cpu_ns, wait_ns;
} FakeVm;

struct LcdFake {
	guint index;
	gint64 last_us;
};

/* The cluster all fake hosts share, as a real one shares its VMs; each
 * host's VMs in an array of their own, so a sample costs its host's VMs. */
static GMutex fake_lock;
static GPtrArray *fake_vms;   /* FakeVm *, all */
static GPtrArray *fake_hosts; /* GPtrArray * of FakeVm *, by host index */
static GRand *fake_rand;

static GPtrArray *
host_vms(guint index)
{
	while (fake_hosts->len <= index)
		g_ptr_array_add(fake_hosts, g_ptr_array_new());
	return g_ptr_array_index(fake_hosts, index);
}

LcdFake *
lcd_fake_open(const char *uri, guint index)
{
	guint64 n;
	LcdFake *f;

	if (!g_str_has_prefix(uri, "fake:") ||
	    !g_ascii_string_to_unsigned(uri + 5, 10, 0, 10000, &n, NULL)) {
		sp_error("'%s' is not a fake host (fake:VMS)", uri);
		return NULL;
	}
	g_mutex_lock(&fake_lock);
	if (!fake_vms) {
		fake_vms = g_ptr_array_new_with_free_func(g_free);
		fake_hosts = g_ptr_array_new();
		fake_rand = g_rand_new_with_seed(1);
	}
	for (guint i = 0; i < n; i++) {
		FakeVm *v = g_new0(FakeVm, 1);
		guint id = fake_vms->len;

		g_snprintf(v->uuid, sizeof(v->uuid), "fa4e0000-0000-4000-8000-%012x", id);
		g_snprintf(v->name, sizeof(v->name), "fake%u", id);
		v->host = index;
		/* Most VMs small, a few large: 0.1 to 2.5 CPUs, 0.9 on average:
		 * 30 of them load a host to 84 %, so that some hosts overload
		 * and the core has choices to make. */
		v->level = 0.1 + 2.4 * g_rand_double(fake_rand) * g_rand_double(fake_rand);
		v->now = v->level;
		g_ptr_array_add(fake_vms, v);
		g_ptr_array_add(host_vms(index), v);
	}
	g_mutex_unlock(&fake_lock);
	f = g_new0(LcdFake, 1);
	f->index = index;
	f->last_us = g_get_monotonic_time();
	return f;
}

void
lcd_fake_close(LcdFake *f)
{
	g_free(f);
}

LcdSample *
lcd_fake_sample(LcdFake *f, GPtrArray *jobs)
{
	LcdSample *s = lcd_sample_new();
	gint64 now = g_get_monotonic_time();
	double dt = (double) (now - f->last_us) / 1e6, want = 0, scale;
	GPtrArray *mine;

	(void) jobs;
	f->last_us = now;
	s->mono_us = now;
	s->cpus = FAKE_CPUS;
	s->mem_kib = 256ULL * 1024 * 1024;
	g_mutex_lock(&fake_lock);
	mine = host_vms(f->index);
	for (guint i = 0; i < mine->len; i++) {
		FakeVm *v = g_ptr_array_index(mine, i);

		/* A random walk around the level, with rare bursts. */
		v->now += 0.2 * (v->level - v->now) + 0.05 * (g_rand_double(fake_rand) - 0.5);
		if (g_rand_double(fake_rand) < 0.01)
			v->now *= 3;
		v->now = CLAMP(v->now, 0, 4);
		want += v->now;
	}
	/* What the host cannot give shows as waiting, as on a real one. */
	scale = want > FAKE_CPUS ? FAKE_CPUS / want : 1;
	for (guint i = 0; i < mine->len; i++) {
		FakeVm *v = g_ptr_array_index(mine, i);
		LcdDomSample *d;

		v->cpu_ns += (guint64) (v->now * scale * dt * 1e9);
		v->wait_ns += (guint64) (v->now * (1 - scale) * dt * 1e9);
		g_array_set_size(s->doms, s->doms->len + 1);
		d = &g_array_index(s->doms, LcdDomSample, s->doms->len - 1);
		g_strlcpy(d->uuid, v->uuid, sizeof(d->uuid));
		d->name = g_strdup(v->name);
		d->state = VIR_DOMAIN_RUNNING;
		d->cpu_ns = v->cpu_ns;
		d->wait_ns = v->wait_ns;
		d->has_wait = TRUE;
		d->vcpus = 4;
		d->mem_kib = 4ULL * 1024 * 1024;
	}
	g_mutex_unlock(&fake_lock);
	return s;
}

LcdMigResult
lcd_fake_migrate(guint src, guint dst, const char *uuid, double *seconds, char **error)
{
	LcdMigResult r = LCD_MIG_FAILED;

	g_usleep(G_USEC_PER_SEC);
	*seconds = 1;
	g_mutex_lock(&fake_lock);
	for (guint i = 0; i < fake_vms->len; i++) {
		FakeVm *v = g_ptr_array_index(fake_vms, i);

		if (strcmp(v->uuid, uuid) == 0 && v->host == src) {
			g_ptr_array_remove(host_vms(src), v);
			g_ptr_array_add(host_vms(dst), v);
			v->host = dst;
			r = LCD_MIG_DONE;
		}
	}
	g_mutex_unlock(&fake_lock);
	if (r != LCD_MIG_DONE)
		*error = g_strdup("no such fake vm on the source");
	return r;
}

void
lcd_fake_abort(const char *uuid)
{
	(void) uuid;
}
