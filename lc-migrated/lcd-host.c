/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A host's worker thread and its libvirt connection.
 *
 * The worker is the only thread that opens, samples and closes the host's
 * connection, so a call that blocks (a hung libvirtd, a cut network) blocks
 * that host alone. Keepalive (virConnectSetKeepAlive) makes libvirt close a
 * connection whose peer stopped answering; the close callback then queues
 * a reconnect, which the worker tries with backoff. */
#include "config.h"

#include <string.h>

#include <libvirt/virterror.h>

#include "lcd-domxml.h"
#include "lcd-fake.h"
#include "lcd-host.h"
#include "sp-error.h"
#include "sp-log.h"

typedef enum {
	WORK_SAMPLE,
	WORK_META_DIRTY,
	WORK_RECONNECT,
	WORK_STOP,
} WorkKind;

typedef struct {
	WorkKind kind;
	guint gen; /* RECONNECT: of the connection that closed */
	char uuid[LCD_UUID_LEN];
	GPtrArray *jobs;
} Work;

/* What libvirt's callbacks get as opaque: the host and which connection. */
typedef struct {
	LcdHost *h;
	guint gen;
} ConnTag;

/* Worker-only state, kept out of LcdHost so no other thread is tempted. */
typedef struct {
	int cb_ids[3];
	guint n_cbs;
	gboolean close_cb;
	GHashTable *meta; /* uuid -> MetaCache, this connection's */
	LcdFake *fake;
} WorkerState;

typedef struct {
	gboolean pinned;
	char *group;
} MetaCache;

static void
work_free(gpointer data)
{
	Work *w = data;

	if (w->jobs)
		g_ptr_array_unref(w->jobs);
	g_free(w);
}

static void
work_push(LcdHost *h, WorkKind kind, guint gen, const char *uuid, GPtrArray *jobs)
{
	Work *w = g_new0(Work, 1);

	w->kind = kind;
	w->gen = gen;
	if (uuid)
		g_strlcpy(w->uuid, uuid, sizeof(w->uuid));
	w->jobs = jobs ? g_ptr_array_ref(jobs) : NULL;
	g_async_queue_push(h->queue, w);
}

static void
meta_cache_free(gpointer data)
{
	MetaCache *m = data;

	g_free(m->group);
	g_free(m);
}

/* ---- handing results to the main thread ---- */

typedef struct {
	LcdHost *h;
	LcdSample *sample;
	char *error;
	gboolean up;
	char uuid[LCD_UUID_LEN];
	guint iteration;
	gboolean completed;
	guint64 data_total;
} Post;

static void
post_free(gpointer data)
{
	Post *p = data;

	lcd_sample_free(p->sample);
	g_free(p->error);
	g_free(p);
}

static gboolean
post_sample(gpointer data)
{
	Post *p = data;

	p->h->events->sample(p->h, g_steal_pointer(&p->sample), p->error);
	return G_SOURCE_REMOVE;
}

static gboolean
post_link(gpointer data)
{
	Post *p = data;

	p->h->events->link(p->h, p->up, p->error);
	return G_SOURCE_REMOVE;
}

static gboolean
post_job(gpointer data)
{
	Post *p = data;

	p->h->events->job(p->h, p->uuid, p->iteration, p->completed, p->data_total);
	return G_SOURCE_REMOVE;
}

static void
post(LcdHost *h, GSourceFunc fn, Post *p)
{
	p->h = h;
	g_main_context_invoke_full(h->lcd->ctx, G_PRIORITY_DEFAULT, fn, p, post_free);
}

/* ---- libvirt's callbacks: the event thread; they never block ---- */

static void
tag_free(void *data)
{
	g_free(data);
}

static void
on_close(virConnectPtr conn, int reason, void *opaque)
{
	ConnTag *t = opaque;

	(void) conn;
	(void) reason;
	work_push(t->h, WORK_RECONNECT, t->gen, NULL, NULL);
}

static void
on_job_completed(virConnectPtr conn, virDomainPtr dom, virTypedParameterPtr params, int n,
		 void *opaque)
{
	ConnTag *t = opaque;
	Post *p = g_new0(Post, 1);
	unsigned long long total = 0;

	(void) conn;
	virDomainGetUUIDString(dom, p->uuid);
	(void) virTypedParamsGetULLong(params, n, VIR_DOMAIN_JOB_DATA_TOTAL, &total);
	p->completed = TRUE;
	p->data_total = total;
	post(t->h, post_job, p);
}

static void
on_iteration(virConnectPtr conn, virDomainPtr dom, int iteration, void *opaque)
{
	ConnTag *t = opaque;
	Post *p = g_new0(Post, 1);

	(void) conn;
	virDomainGetUUIDString(dom, p->uuid);
	p->iteration = (guint) MAX(iteration, 0);
	post(t->h, post_job, p);
}

static void
on_metadata(virConnectPtr conn, virDomainPtr dom, int type, const char *nsuri, void *opaque)
{
	ConnTag *t = opaque;
	char uuid[LCD_UUID_LEN];

	(void) conn;
	if (type != VIR_DOMAIN_METADATA_ELEMENT || !nsuri || strcmp(nsuri, LCD_META_NS) != 0)
		return;
	virDomainGetUUIDString(dom, uuid);
	work_push(t->h, WORK_META_DIRTY, 0, uuid, NULL);
}

static gpointer
event_loop_main(gpointer data)
{
	(void) data;
	for (;;) {
		if (virEventRunDefaultImpl() < 0)
			sp_log_warn("libvirt.event", "event loop: %s", virGetLastErrorMessage());
	}
	return NULL;
}

/* libvirt's errors are reported through its own last-error; the default
 * handler would also print each to stderr. */
static void
quiet_error(void *data, virErrorPtr err)
{
	(void) data;
	(void) err;
}

int
lcd_libvirt_init(void)
{
	static gsize done = 0;
	static int rc = 0;

	if (g_once_init_enter(&done)) {
		virSetErrorFunc(NULL, quiet_error);
		if (virInitialize() < 0 || virEventRegisterDefaultImpl() < 0) {
			sp_error("cannot start libvirt's event loop: %s", virGetLastErrorMessage());
			rc = -1;
		} else {
			g_thread_unref(g_thread_new("lcd-events", event_loop_main, NULL));
		}
		g_once_init_leave(&done, 1);
	}
	return rc;
}

/* ---- the worker ---- */

static void
host_disconnect(LcdHost *h, WorkerState *ws)
{
	virConnectPtr conn;

	g_mutex_lock(&h->lock);
	conn = h->conn;
	h->conn = NULL;
	g_mutex_unlock(&h->lock);
	g_clear_pointer(&ws->meta, g_hash_table_destroy);
	if (!conn)
		return;
	for (guint i = 0; i < ws->n_cbs; i++)
		(void) virConnectDomainEventDeregisterAny(conn, ws->cb_ids[i]);
	ws->n_cbs = 0;
	if (ws->close_cb)
		(void) virConnectUnregisterCloseCallback(conn, on_close);
	ws->close_cb = FALSE;
	virConnectClose(conn);
}

static int
event_register(LcdHost *h, WorkerState *ws, virConnectPtr conn, guint gen, int id,
	       virConnectDomainEventGenericCallback cb)
{
	ConnTag *t = g_new0(ConnTag, 1);
	int cb_id;

	t->h = h;
	t->gen = gen;
	cb_id = virConnectDomainEventRegisterAny(conn, NULL, id, cb, t, tag_free);
	if (cb_id < 0) {
		g_free(t);
		sp_error("cannot register for events: %s", virGetLastErrorMessage());
		return -1;
	}
	ws->cb_ids[ws->n_cbs++] = cb_id;
	return 0;
}

static int
host_connect(LcdHost *h, WorkerState *ws)
{
	g_autofree char *uri = NULL;
	virConnectPtr conn;
	virNodeInfo info;
	ConnTag *t;
	guint gen, ka_count;
	int ka_interval;

	lcd_host_uris(h, &uri, NULL);
	if (h->fake) {
		ws->fake = lcd_fake_open(uri, h->index);
		return ws->fake ? 0 : -1;
	}
	/* Blocks as long as the host takes: that is why we are a thread. */
	conn = virConnectOpen(uri);
	if (!conn) {
		sp_error("cannot connect to '%s': %s", uri, virGetLastErrorMessage());
		return -1;
	}
	g_mutex_lock(&h->lock);
	ka_interval = h->keepalive_interval;
	ka_count = h->keepalive_count;
	g_mutex_unlock(&h->lock);
	/* A peer silent for interval * (count + 1) s is dead: libvirt closes
	 * the connection, pending calls fail and on_close() queues a
	 * reconnect. */
	if (virConnectSetKeepAlive(conn, ka_interval, ka_count) < 0)
		sp_log_debug("host.keepalive", "host '%s': no keepalive: %s", h->name,
			     virGetLastErrorMessage());
	if (virNodeGetInfo(conn, &info) < 0) {
		sp_error("cannot read node info of '%s': %s", uri, virGetLastErrorMessage());
		virConnectClose(conn);
		return -1;
	}
	g_mutex_lock(&h->lock);
	gen = ++h->gen;
	h->conn = conn;
	g_mutex_unlock(&h->lock);
	ws->meta = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, meta_cache_free);
	t = g_new0(ConnTag, 1);
	t->h = h;
	t->gen = gen;
	if (virConnectRegisterCloseCallback(conn, on_close, t, tag_free) < 0)
		g_free(t);
	else
		ws->close_cb = TRUE;
	if (event_register(h, ws, conn, gen, VIR_DOMAIN_EVENT_ID_JOB_COMPLETED,
			   VIR_DOMAIN_EVENT_CALLBACK(on_job_completed)) < 0 ||
	    event_register(h, ws, conn, gen, VIR_DOMAIN_EVENT_ID_MIGRATION_ITERATION,
			   VIR_DOMAIN_EVENT_CALLBACK(on_iteration)) < 0 ||
	    event_register(h, ws, conn, gen, VIR_DOMAIN_EVENT_ID_METADATA_CHANGE,
			   VIR_DOMAIN_EVENT_CALLBACK(on_metadata)) < 0) {
		host_disconnect(h, ws);
		return -1;
	}
	return 0;
}

/* Node CPU time spent busy (user + kernel), all CPUs. */
static gboolean
node_busy(virConnectPtr conn, guint64 *busy)
{
	int n = 0;
	g_autofree virNodeCPUStatsPtr params = NULL;

	if (virNodeGetCPUStats(conn, VIR_NODE_CPU_STATS_ALL_CPUS, NULL, &n, 0) < 0 || n <= 0)
		return FALSE;
	params = g_new0(virNodeCPUStats, n);
	if (virNodeGetCPUStats(conn, VIR_NODE_CPU_STATS_ALL_CPUS, params, &n, 0) < 0)
		return FALSE;
	*busy = 0;
	for (int i = 0; i < n; i++)
		if (strcmp(params[i].field, VIR_NODE_CPU_STATS_USER) == 0 ||
		    strcmp(params[i].field, VIR_NODE_CPU_STATS_KERNEL) == 0)
			*busy += params[i].value;
	return TRUE;
}

static void
dom_fill(LcdDomSample *d, const virDomainStatsRecordPtr rec)
{
	guint64 delay = 0, wait = 0;
	gboolean has_delay = FALSE, has_wait = FALSE;

	for (int i = 0; i < rec->nparams; i++) {
		const virTypedParameter *p = &rec->params[i];
		const char *f = p->field;

		if (strcmp(f, "state.state") == 0 && p->type == VIR_TYPED_PARAM_INT)
			d->state = p->value.i;
		else if (strcmp(f, "state.reason") == 0 && p->type == VIR_TYPED_PARAM_INT)
			d->reason = p->value.i;
		else if (strcmp(f, "cpu.time") == 0 && p->type == VIR_TYPED_PARAM_ULLONG)
			d->cpu_ns = p->value.ul;
		else if (strcmp(f, "vcpu.current") == 0 && p->type == VIR_TYPED_PARAM_UINT)
			d->vcpus = p->value.ui;
		else if (strcmp(f, "balloon.maximum") == 0 && p->type == VIR_TYPED_PARAM_ULLONG)
			d->mem_kib = p->value.ul;
		else if (g_str_has_prefix(f, "vcpu.") && p->type == VIR_TYPED_PARAM_ULLONG) {
			/* delay: runnable but not running (libvirt >= 7.x,
			 * from schedstat); wait is the older field of the
			 * same kind, 0 without schedstats. */
			if (g_str_has_suffix(f, ".delay")) {
				delay += p->value.ul;
				has_delay = TRUE;
			} else if (g_str_has_suffix(f, ".wait")) {
				wait += p->value.ul;
				has_wait = TRUE;
			}
		}
	}
	d->has_wait = has_delay || has_wait;
	d->wait_ns = has_delay ? delay : wait;
}

static void
dom_meta(WorkerState *ws, virDomainPtr dom, LcdDomSample *d)
{
	MetaCache *m = g_hash_table_lookup(ws->meta, d->uuid);

	if (!m) {
		g_autofree char *xml = NULL;

		m = g_new0(MetaCache, 1);
		xml = virDomainGetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, LCD_META_NS, 0);
		if (xml && lcd_meta_parse(xml, &m->pinned, &m->group) < 0) {
			sp_log_warn("vm.metadata",
				    "vm '%s': its Load Control metadata is ignored: %s", d->name,
				    sp_error_message());
			sp_error_clear();
		}
		g_hash_table_insert(ws->meta, g_strdup(d->uuid), m);
	}
	d->pinned = m->pinned;
	d->group = g_strdup(m->group);
}

static void
dom_job(virDomainPtr dom, LcdDomSample *d)
{
	int type = VIR_DOMAIN_JOB_NONE, n = 0, op = 0;
	virTypedParameterPtr params = NULL;
	unsigned long long v;

	d->job_asked = TRUE;
	if (virDomainGetJobStats(dom, &type, &params, &n, 0) < 0)
		return;
	if (type != VIR_DOMAIN_JOB_NONE) {
		(void) virTypedParamsGetInt(params, n, VIR_DOMAIN_JOB_OPERATION, &op);
		d->job = op == VIR_DOMAIN_JOB_OPERATION_MIGRATION_OUT ? LCD_JOB_MIGRATION_OUT
								      : LCD_JOB_OTHER;
		if (virTypedParamsGetULLong(params, n, VIR_DOMAIN_JOB_DATA_REMAINING, &v) == 1)
			d->job_remaining = v;
		if (virTypedParamsGetULLong(params, n, VIR_DOMAIN_JOB_DATA_TOTAL, &v) == 1)
			d->job_total = v;
	}
	virTypedParamsFree(params, n);
}

static LcdSample *
host_sample(LcdHost *h, WorkerState *ws, GPtrArray *jobs)
{
	g_autoptr(LcdSample) s = lcd_sample_new();
	virConnectPtr conn = h->conn; /* only this thread changes it */
	virDomainStatsRecordPtr *recs = NULL;
	virNodeInfo info;
	int n;

	if (ws->fake)
		return lcd_fake_sample(ws->fake, jobs);
	s->mono_us = g_get_monotonic_time();
	if (virNodeGetInfo(conn, &info) < 0) {
		sp_error("%s", virGetLastErrorMessage());
		return NULL;
	}
	s->cpus = info.cpus;
	s->mem_kib = info.memory;
	s->has_node = node_busy(conn, &s->node_busy_ns);
	n = virConnectGetAllDomainStats(conn,
					VIR_DOMAIN_STATS_STATE | VIR_DOMAIN_STATS_CPU_TOTAL |
						VIR_DOMAIN_STATS_VCPU | VIR_DOMAIN_STATS_BALLOON,
					&recs,
					/* A domain in a migration job must not hold
					 * up the sample: what needs its monitor is
					 * left out, CPU times are not. */
					VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE |
						VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT);
	if (n < 0) {
		sp_error("%s", virGetLastErrorMessage());
		return NULL;
	}
	/* The stats cover the interval up to now, not up to the node call. */
	s->mono_us = g_get_monotonic_time();
	g_array_set_size(s->doms, (guint) n);
	for (int i = 0; i < n; i++) {
		LcdDomSample *d = &g_array_index(s->doms, LcdDomSample, i);

		virDomainGetUUIDString(recs[i]->dom, d->uuid);
		d->name = g_strdup(virDomainGetName(recs[i]->dom));
		dom_fill(d, recs[i]);
		dom_meta(ws, recs[i]->dom, d);
		if (jobs && g_ptr_array_find_with_equal_func(jobs, d->uuid, g_str_equal, NULL))
			dom_job(recs[i]->dom, d);
	}
	virDomainStatsRecordListFree(recs);
	return g_steal_pointer(&s);
}

static gpointer
worker_main(gpointer data)
{
	LcdHost *h = data;
	WorkerState ws = {0};
	gint64 next_connect = 0;
	double backoff = 1;
	gboolean connected = FALSE;

	for (;;) {
		Work *w;
		gint64 now = g_get_monotonic_time();

		if (!connected && now >= next_connect) {
			Post *p = g_new0(Post, 1);

			if (host_connect(h, &ws) == 0) {
				connected = TRUE;
				backoff = 1;
				p->up = TRUE;
			} else {
				/* Backoff: 1, 2, 4 ... 60 s between tries. */
				next_connect = g_get_monotonic_time() + (gint64) (backoff * 1e6);
				backoff = MIN(backoff * 2, 60);
				p->error = g_strdup(sp_error_message());
				sp_error_clear();
			}
			post(h, post_link, p);
		}
		if (connected)
			w = g_async_queue_pop(h->queue);
		else
			w = g_async_queue_timeout_pop(h->queue,
						      (guint64) MAX(next_connect - now, 1000));
		if (!w)
			continue;
		if (w->kind == WORK_STOP) {
			work_free(w);
			break;
		}
		switch (w->kind) {
		case WORK_RECONNECT: {
			Post *p;

			/* A late close of a connection already replaced. */
			if (!connected || (w->gen && w->gen != h->gen))
				break;
			host_disconnect(h, &ws);
			connected = FALSE;
			next_connect = g_get_monotonic_time() + (gint64) (backoff * 1e6);
			backoff = MIN(backoff * 2, 60);
			p = g_new0(Post, 1);
			p->error = g_strdup("the connection was closed");
			post(h, post_link, p);
			break;
		}
		case WORK_META_DIRTY:
			if (ws.meta)
				g_hash_table_remove(ws.meta, w->uuid);
			break;
		case WORK_SAMPLE: {
			Post *p = g_new0(Post, 1);

			if (!connected) {
				p->error = g_strdup("not connected");
			} else if (!(p->sample = host_sample(h, &ws, w->jobs))) {
				p->error = g_strdup(sp_error_message());
				sp_error_clear();
				/* A dead connection: start over. */
				if (!ws.fake && virConnectIsAlive(h->conn) != 1)
					work_push(h, WORK_RECONNECT, h->gen, NULL, NULL);
			}
			post(h, post_sample, p);
			break;
		}
		default:
			break;
		}
		work_free(w);
	}
	host_disconnect(h, &ws);
	lcd_fake_close(ws.fake);
	return NULL;
}

/* ---- the main thread's side ---- */

static void
conf_copy(SpHost *dst, const SpHost *src)
{
	g_free(dst->name);
	g_free(dst->uri);
	g_free(dst->migration_uri);
	*dst = *src;
	dst->name = g_strdup(src->name);
	dst->uri = g_strdup(src->uri);
	dst->migration_uri = g_strdup(src->migration_uri);
}

LcdHost *
lcd_host_new(Lcd *lcd, guint index, const SpHost *conf, const LcdHostEvents *events)
{
	LcdHost *h = g_new0(LcdHost, 1);

	h->lcd = lcd;
	h->events = events;
	h->index = index;
	h->name = g_strdup(conf->name);
	h->fake = g_str_has_prefix(conf->uri, "fake:");
	g_mutex_init(&h->lock);
	conf_copy(&h->conf, conf);
	h->queue = g_async_queue_new_full(work_free);
	h->link = LCD_LINK_CONNECTING;
	return h;
}

void
lcd_host_start(LcdHost *h)
{
	g_autofree char *name = g_strdup_printf("lcd-%.10s", h->name);

	h->thread = g_thread_new(name, worker_main, h);
}

void
lcd_host_set_conf(LcdHost *h, const SpHost *conf)
{
	gboolean reconnect;

	g_mutex_lock(&h->lock);
	reconnect = strcmp(h->conf.uri, conf->uri) != 0;
	conf_copy(&h->conf, conf);
	g_mutex_unlock(&h->lock);
	if (reconnect)
		work_push(h, WORK_RECONNECT, 0, NULL, NULL);
}

void
lcd_host_set_keepalive(LcdHost *h, double interval_s, guint count)
{
	g_mutex_lock(&h->lock);
	h->keepalive_interval = (int) interval_s;
	h->keepalive_count = count;
	g_mutex_unlock(&h->lock);
}

void
lcd_host_request_sample(LcdHost *h, GPtrArray *jobs)
{
	work_push(h, WORK_SAMPLE, 0, NULL, jobs);
}

void
lcd_host_stop(LcdHost *h)
{
	if (!h->thread)
		return;
	work_push(h, WORK_STOP, 0, NULL, NULL);
	g_thread_unref(g_steal_pointer(&h->thread));
}

virConnectPtr
lcd_host_conn(LcdHost *h)
{
	virConnectPtr conn;

	g_mutex_lock(&h->lock);
	conn = h->conn;
	if (conn)
		virConnectRef(conn);
	g_mutex_unlock(&h->lock);
	return conn;
}

void
lcd_host_uris(LcdHost *h, char **uri, char **migration_uri)
{
	g_mutex_lock(&h->lock);
	if (uri)
		*uri = g_strdup(h->conf.uri);
	if (migration_uri)
		*migration_uri = g_strdup(h->conf.migration_uri);
	g_mutex_unlock(&h->lock);
}
