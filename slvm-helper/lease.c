/* SPDX-License-Identifier: GPL-2.0-or-later */
/* slvm-helper lease VM: give a VM its sanlock lease. The slot comes from
 * the VG's lease index (slvm-sanlock.c); the <lease> goes into the VM's
 * persistent definition through libvirt. slvm-helper is an admin command,
 * not the hook, so it may call libvirt.
 *
 * The key is the domain's UUID: it fits sanlock's 48-byte names (a domain
 * name may not), and it stays when the VM is renamed. Run on every host
 * that defines the VM: the key finds the same slot each time. */
#include "config.h"

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slvm-admin.h"
#include "slvm-helper.h"
#include "slvm-int.h"
#include "sp-error.h"
#include "sp-log.h"
#include "sp-names.h"

/* libvirt's own limit for a domain's XML is far below this. */
#define XML_MAX (16 * 1024 * 1024)

static int
fail(void)
{
	sp_log_last_error("slvm.lease");
	return 3;
}

static int
fail_virt(const char *what)
{
	const virError *e = virGetLastError();

	sp_error("%s: %s", what, e && e->message ? e->message : "libvirt gave no reason");
	return fail();
}

static int
lease_in_doc(const SpSlvmConfig *cfg, virConnectPtr conn, xmlDoc *doc, const char *vm,
	     const char *named_vg)
{
	g_autofree char *uuid = NULL;
	g_autofree char *lockspace = NULL;
	g_autofree char *path = NULL;
	const char *vg;
	guint64 offset;
	gboolean created;
	int have;

	if (sp_slvm_lease_target(cfg, doc, named_vg, &uuid, &vg) < 0 ||
	    !(lockspace = sp_slvm_lockspace_name(vg)))
		return fail();
	path = sp_slvm_leases_path(vg);
	if (sp_slvm_lease_get(vg, uuid, &offset, &created) < 0 ||
	    (have = sp_slvm_lease_put(doc, lockspace, uuid, path, offset)) < 0)
		return fail();
	printf("lease of '%s': lockspace %s, key %s, %s at offset %" G_GUINT64_FORMAT " (%s)\n", vm,
	       lockspace, uuid, path, offset, created ? "new slot" : "its slot");
	if (have) {
		printf("its definition has this <lease> already\n");
		return 0;
	}
	{
		xmlChar *xml = NULL;
		int len = 0;
		virDomainPtr dom;

		xmlDocDumpMemory(doc, &xml, &len);
		dom = xml ? virDomainDefineXML(conn, (const char *) xml) : NULL;
		xmlFree(xml);
		if (!dom)
			return fail_virt("cannot define the domain with its lease");
		virDomainFree(dom);
	}
	printf("<lease> added to the definition of '%s': it holds from the VM's next start\n", vm);
	return 0;
}

int
sp_slvm_helper_lease(const SpSlvmConfig *cfg, const char *vm, const char *vg, const char *uri)
{
	virConnectPtr conn;
	virDomainPtr dom;
	char *xml;
	xmlDoc *doc;
	int rc;

	if (!sp_name_domain_valid(vm)) {
		sp_log_last_error("slvm.lease");
		return 2;
	}
	if (!(conn = virConnectOpen(uri ? uri : "qemu:///system")))
		return fail_virt("cannot connect to libvirt");
	if (!(dom = virDomainLookupByName(conn, vm))) {
		rc = fail_virt("no such domain");
		virConnectClose(conn);
		return rc;
	}
	/* The persistent definition, secrets included: it is defined back. */
	xml = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_SECURE);
	virDomainFree(dom);
	if (!xml) {
		rc = fail_virt("cannot read the domain's definition");
		virConnectClose(conn);
		return rc;
	}
	doc = strlen(xml) < XML_MAX ? xmlReadMemory(xml, (int) strlen(xml), NULL, NULL,
						    XML_PARSE_NONET | XML_PARSE_NOBLANKS)
				    : NULL;
	free(xml);
	if (!doc) {
		sp_error("cannot parse the XML of domain '%s'", vm);
		virConnectClose(conn);
		return fail();
	}
	rc = lease_in_doc(cfg, conn, doc, vm, vg);
	xmlFreeDoc(doc);
	virConnectClose(conn);
	return rc;
}
