/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <string.h>

#include <libvirt/virterror.h>
#include <libxml/c14n.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "apply.h"
#include "generate.h"
#include "schema.h"
#include "sp-error.h"

void
sp_change_free(SpChange *c)
{
	if (!c)
		return;
	g_free(c->name);
	g_free(c->old_xml);
	g_free(c);
}

/* Formatting is not content: text that is only white space goes, other
 * text is trimmed. */
static void
drop_formatting(xmlNodePtr node)
{
	xmlNodePtr next;

	for (xmlNodePtr c = node->children; c; c = next) {
		next = c->next;
		if (c->type == XML_ELEMENT_NODE) {
			drop_formatting(c);
		} else if (c->type == XML_TEXT_NODE && c->content) {
			g_autofree char *t = g_strstrip(g_strdup((const char *) c->content));

			if (*t) {
				xmlNodeSetContent(c, BAD_CAST t);
			} else {
				xmlUnlinkNode(c);
				xmlFreeNode(c);
			}
		}
	}
}

char *
sp_nwfilter_canonical(const char *xml)
{
	xmlDocPtr doc = xmlReadMemory(xml, (int) strlen(xml), "filter.xml", NULL,
				      XML_PARSE_NONET | XML_PARSE_NOBLANKS);
	xmlChar *out = NULL;
	char *canon;
	int len = -1;

	/* Canonical XML (C14N 1.0, without comments) sorts the attributes and
	 * escapes every value and text, so no two documents meet by accident. */
	if (doc && xmlDocGetRootElement(doc)) {
		drop_formatting(xmlDocGetRootElement(doc));
		len = xmlC14NDocDumpMemory(doc, NULL, XML_C14N_1_0, NULL, 0, &out);
	}
	xmlFreeDoc(doc);
	canon = g_strdup(len >= 0 && out ? (const char *) out : "");
	xmlFree(out);
	return canon;
}

static const char *
virt_message(void)
{
	const char *m = virGetLastErrorMessage();

	return m ? m : "unknown libvirt error";
}

static void
free_filter(gpointer f)
{
	virNWFilterFree(f);
}

/* One filter of the plan: what libvirt has, and whether it is ours already. */
typedef struct {
	const SpFilter *f;
	virNWFilterPtr nf; /* NULL: not on the host */
	char *old;         /* libvirt's XML (malloc) */
	gboolean same;
	char *err; /* the read failed: why */
} Fetch;

typedef struct {
	Fetch *fetch;
	guint n, first, step;
} FetchSlice;

/* Reading 2,000 filters is 2,000 round trips: a few threads keep libvirtd
 * busy while we compare (libvirt connections may be shared by threads;
 * libvirtd serves up to max_client_requests = 5 calls of a client at once).
 * Errors stay in the slot: sp_error and libvirt's last error are per thread. */
#define FETCH_THREADS 4

/* Our XML is written as libvirt writes it back (same order, indentation
 * and escaping) but with double quotes: equal but for those is equal, and
 * saves parsing both documents for the canonical form, most of the cost of
 * a plan when nothing changed. Anything else is decided canonically. */
static gboolean
same_as_written(const char *ours, const char *libvirt)
{
	for (; *ours && *libvirt; ours++, libvirt++) {
		if (*ours != *libvirt && !(*ours == '"' && *libvirt == '\''))
			return FALSE;
	}
	return *ours == *libvirt;
}

static gpointer
fetch_slice(gpointer data)
{
	FetchSlice *s = data;

	for (guint i = s->first; i < s->n; i += s->step) {
		Fetch *x = &s->fetch[i];
		g_autofree char *a = NULL;
		g_autofree char *b = NULL;

		if (!x->nf)
			continue;
		x->old = virNWFilterGetXMLDesc(x->nf, 0);
		if (!x->old) {
			x->err = g_strdup(virt_message());
			continue;
		}
		if (same_as_written(x->f->xml, x->old)) {
			x->same = TRUE;
			continue;
		}
		a = sp_nwfilter_canonical(x->old);
		b = sp_nwfilter_canonical(x->f->xml);
		x->same = strcmp(a, b) == 0;
	}
	return NULL;
}

GPtrArray *
sp_nwfilter_plan(virConnectPtr conn, GPtrArray *filters, gboolean all)
{
	g_autoptr(GPtrArray) changes =
		g_ptr_array_new_with_free_func((GDestroyNotify) sp_change_free);
	/* name -> the filter object the listing returned: reading its XML
	 * through it saves a lookup round trip per filter. */
	g_autoptr(GHashTable) existing =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, free_filter);
	g_autofree Fetch *fetch = g_new0(Fetch, filters->len ? filters->len : 1);
	FetchSlice slices[FETCH_THREADS];
	GThread *threads[FETCH_THREADS];
	virNWFilterPtr *list = NULL;
	int n = virConnectListAllNWFilters(conn, &list, 0);
	gboolean failed = FALSE;

	if (n < 0) {
		sp_error("cannot list the nwfilters: %s", virt_message());
		return NULL;
	}
	for (int i = 0; i < n; i++)
		g_hash_table_insert(existing, g_strdup(virNWFilterGetName(list[i])), list[i]);
	free(list);

	for (guint i = 0; i < filters->len; i++) {
		const SpFilter *f = g_ptr_array_index(filters, i);
		virNWFilterPtr nf = g_hash_table_lookup(existing, f->name);
		g_autofree char *uuid = NULL;
		char have[VIR_UUID_STRING_BUFLEN];

		fetch[i].f = f;
		fetch[i].nf = nf;
		if (!nf)
			continue;
		/* libvirt refuses to redefine a name under another UUID, so such
		 * a filter would fail every apply, --force included. */
		uuid = sp_filter_uuid(f->name);
		if (virNWFilterGetUUIDString(nf, have) < 0) {
			sp_error("cannot read the UUID of nwfilter '%s': %s", f->name,
				 virt_message());
			return NULL;
		}
		if (g_ascii_strcasecmp(have, uuid) != 0) {
			sp_error(
				"nwfilter '%s' exists with UUID '%s', not '%s' as nwfilter-gen defines "
				"it: it was made by hand or by another tool, and libvirt will not "
				"redefine it under another UUID; nothing was changed on this host; if "
				"no VM uses it, remove it (virsh nwfilter-undefine %s) and apply again",
				f->name, have, uuid, f->name);
			return NULL;
		}
	}

	xmlInitParser(); /* once, before threads parse */
	for (guint t = 0; t < FETCH_THREADS; t++) {
		slices[t] = (FetchSlice){fetch, filters->len, t, FETCH_THREADS};
		threads[t] = g_thread_new("nwfilter-fetch", fetch_slice, &slices[t]);
	}
	for (guint t = 0; t < FETCH_THREADS; t++)
		g_thread_join(threads[t]);

	for (guint i = 0; i < filters->len; i++) {
		Fetch *x = &fetch[i];
		SpChange *c;

		if (x->err && !failed)
			sp_error("cannot read nwfilter '%s': %s", x->f->name, x->err);
		failed |= x->err != NULL;
		if (failed || (x->nf && x->same && !all))
			continue;
		c = g_new0(SpChange, 1);
		c->kind = x->nf ? SP_CHANGE_UPDATE : SP_CHANGE_NEW;
		c->name = g_strdup(x->f->name);
		c->old_xml = x->old ? g_strdup(x->old) : NULL;
		c->new_xml = x->f->xml;
		g_ptr_array_add(changes, c);
	}
	for (guint i = 0; i < filters->len; i++) {
		free(fetch[i].old);
		g_free(fetch[i].err);
	}
	return failed ? NULL : g_steal_pointer(&changes);
}

/* Without VIR_NWFILTER_DEFINE_VALIDATE: libvirt's schema (9.0) has no
 * state attribute on IPv6 rule elements, which its parser and ip6tables
 * driver honour and our filters need (see generate.h); sp_nwfilter_apply()
 * checks every filter against the schema plus that attribute first
 * (schema.h). Restores must not be checked: an old filter that a newer
 * schema refuses must still go back. */
static int
define(virConnectPtr conn, const char *xml)
{
	virNWFilterPtr nf = virNWFilterDefineXMLFlags(conn, xml, 0);

	if (!nf)
		return -1;
	virNWFilterFree(nf);
	return 0;
}

/* Put back what changes[0..done) changed, newest first: a parent goes back
 * before its children, so nothing references a filter that is missing.
 * Returns the filters that could not be put back, "'NAME' (why)", or NULL. */
static char *
rollback(virConnectPtr conn, GPtrArray *changes, guint done)
{
	g_autoptr(GPtrArray) failed = g_ptr_array_new_with_free_func(g_free);

	while (done-- > 0) {
		SpChange *c = g_ptr_array_index(changes, done);

		if (c->old_xml) {
			if (define(conn, c->old_xml) < 0)
				g_ptr_array_add(failed,
						g_strdup_printf("'%s' (cannot restore it: %s)",
								c->name, virt_message()));
		} else {
			virNWFilterPtr nf = virNWFilterLookupByName(conn, c->name);

			/* A filter this run created: nothing used it before. */
			if (!nf || virNWFilterUndefine(nf) < 0)
				g_ptr_array_add(failed,
						g_strdup_printf("'%s' (new, cannot remove it: %s)",
								c->name, virt_message()));
			if (nf)
				virNWFilterFree(nf);
		}
	}
	if (failed->len == 0)
		return NULL;
	g_ptr_array_add(failed, NULL);
	return g_strjoinv(", ", (char **) failed->pdata);
}

int
sp_nwfilter_apply(virConnectPtr conn, GPtrArray *changes)
{
	/* All checked before the first define: an invalid filter changes
	 * nothing on this host. */
	for (guint i = 0; i < changes->len; i++) {
		const SpChange *c = g_ptr_array_index(changes, i);

		if (sp_nwfilter_validate(c->name, c->new_xml) < 0) {
			sp_error_prefix("nothing was changed on this host: ");
			return -1;
		}
	}
	for (guint i = 0; i < changes->len; i++) {
		SpChange *c = g_ptr_array_index(changes, i);
		g_autofree char *why = NULL;
		g_autofree char *left = NULL;

		if (define(conn, c->new_xml) == 0)
			continue;
		why = g_strdup(virt_message());
		left = rollback(conn, changes, i);
		if (left) {
			sp_error(
				"cannot define nwfilter '%s': %s; and these filters changed on this "
				"host before it could not be put back: %s; this host is left "
				"half-applied: define those filters by hand or apply again",
				c->name, why, left);
			return -2;
		}
		sp_error("cannot define nwfilter '%s': %s; every filter changed on this host was "
			 "restored",
			 c->name, why);
		return -1;
	}
	return 0;
}
