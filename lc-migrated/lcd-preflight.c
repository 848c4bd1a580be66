/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Before a migration: what would make the domain fail to start on the
 * target, checked on the target itself, so that the journal says why a
 * move was not tried instead of libvirt failing half-way:
 *  - every bridge the domain plugs into exists there (interface driver);
 *  - every libvirt network it uses exists and is active there;
 *  - every nwfilter its interfaces reference (sparrow-vm-NAME, and what
 *    those reference in turn) exists there and is the same as on the
 *    source (nwfilter-gen defines them with the same UUIDs everywhere; a
 *    different one means an apply that did not reach the target);
 *  - the CPU model it asks for runs there (virConnectCompareHypervisorCPU).
 * A check libvirt cannot make (a driver not loaded) is skipped, with a
 * debug line: libvirt's own checks during the migration remain. */
#include "config.h"

#include <string.h>

#include <libvirt/virterror.h>

#include "apply.h"
#include "lcd-domxml.h"
#include "lcd-preflight.h"
#include "sp-log.h"

/* A filter tree is shallow; more is a loop or an attack. */
#define FILTERS_MAX 64

static gboolean
unsupported(void)
{
	virErrorPtr e = virGetLastError();

	return e && (e->code == VIR_ERR_NO_SUPPORT || e->code == VIR_ERR_OPERATION_UNSUPPORTED);
}

/* The canonical form without the UUID: hand-defined filters differ in it
 * alone, and libvirt does not care. */
static char *
filter_canon(virNWFilterPtr f)
{
	g_autofree char *xml = virNWFilterGetXMLDesc(f, 0);
	g_autofree char *canon = NULL;
	char *u, *e;

	if (!xml)
		return NULL;
	canon = sp_nwfilter_canonical(xml);
	if ((u = strstr(canon, "<uuid>")) && (e = strstr(u, "</uuid>")))
		memmove(u, e + strlen("</uuid>"), strlen(e + strlen("</uuid>")) + 1);
	return g_steal_pointer(&canon);
}

static char *
filters_check(virConnectPtr sconn, virConnectPtr dconn, GPtrArray *todo)
{
	g_autoptr(GHashTable) done = g_hash_table_new(g_str_hash, g_str_equal);

	for (guint i = 0; i < todo->len; i++) {
		const char *name = g_ptr_array_index(todo, i);
		virNWFilterPtr sf, df;
		g_autofree char *s = NULL, *d = NULL;

		if (g_hash_table_contains(done, name))
			continue;
		if (todo->len > FILTERS_MAX)
			return g_strdup_printf("more than %d nwfilters to compare", FILTERS_MAX);
		g_hash_table_add(done, (gpointer) name);
		if (!(df = virNWFilterLookupByName(dconn, name))) {
			if (unsupported()) {
				sp_log_debug("preflight.skip", "no nwfilter check: %s",
					     virGetLastErrorMessage());
				return NULL;
			}
			return g_strdup_printf("nwfilter '%s' is missing on the target", name);
		}
		d = filter_canon(df);
		virNWFilterFree(df);
		/* The source's copy is the reference; without one there is
		 * nothing to compare (libvirt needed it to start the VM). */
		if (!(sf = virNWFilterLookupByName(sconn, name)))
			continue;
		s = filter_canon(sf);
		if (s) {
			g_autofree char *xml = virNWFilterGetXMLDesc(sf, 0);

			if (xml && lcd_filter_children(xml, todo) < 0)
				sp_log_debug("preflight.filter", "filter '%s': %s", name,
					     virGetLastErrorMessage());
		}
		virNWFilterFree(sf);
		if (s && d && strcmp(s, d) != 0)
			return g_strdup_printf(
				"nwfilter '%s' on the target differs from the source's (was nwfilter-gen "
				"apply run on every host?)",
				name);
	}
	return NULL;
}

char *
lcd_preflight(virConnectPtr sconn, virConnectPtr dconn, const char *domxml)
{
	g_autoptr(LcdDomFacts) f = lcd_dom_facts(domxml);
	g_autoptr(GPtrArray) filters = NULL;
	char *why;

	if (!f)
		return g_strdup("its domain XML does not parse");
	for (guint i = 0; i < f->bridges->len; i++) {
		const char *br = g_ptr_array_index(f->bridges, i);
		virInterfacePtr iface = virInterfaceLookupByName(dconn, br);

		if (iface) {
			virInterfaceFree(iface);
			continue;
		}
		if (unsupported()) {
			sp_log_debug("preflight.skip", "no bridge check: %s",
				     virGetLastErrorMessage());
			break;
		}
		return g_strdup_printf("bridge '%s' is missing on the target", br);
	}
	for (guint i = 0; i < f->networks->len; i++) {
		const char *name = g_ptr_array_index(f->networks, i);
		virNetworkPtr net = virNetworkLookupByName(dconn, name);
		int active;

		if (!net) {
			if (unsupported())
				break;
			return g_strdup_printf("network '%s' is missing on the target", name);
		}
		active = virNetworkIsActive(net);
		virNetworkFree(net);
		if (active == 0)
			return g_strdup_printf("network '%s' is not active on the target", name);
	}
	filters = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < f->filters->len; i++)
		g_ptr_array_add(filters, g_strdup(g_ptr_array_index(f->filters, i)));
	if ((why = filters_check(sconn, dconn, filters)))
		return why;
	if (f->cpu_xml) {
		int r = virConnectCompareHypervisorCPU(dconn, f->emulator, f->arch, f->machine,
						       f->virttype, f->cpu_xml, 0);

		if (r == VIR_CPU_COMPARE_INCOMPATIBLE)
			return g_strdup("the target's hypervisor cannot provide the CPU model the "
					"domain asks for");
		if (r < 0 && !unsupported())
			return g_strdup_printf(
				"cannot compare the domain's CPU with the target's: %s",
				virGetLastErrorMessage());
	}
	return NULL;
}
