/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <string.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/tree.h>

#include "schema.h"
#include "sp-error.h"

/* Add <optional><attribute name=ATTR><ref name=TYPE/></attribute></optional>
 * to the <interleave> of the schema's <define name=DEFINE>. */
static gboolean
add_attribute(xmlDocPtr doc, const char *define, const char *attr_name, const char *type)
{
	for (xmlNodePtr n = xmlDocGetRootElement(doc)->children; n; n = n->next) {
		g_autofree xmlChar *name = NULL;
		xmlNodePtr inter, opt, attr, ref;

		if (n->type != XML_ELEMENT_NODE || strcmp((const char *) n->name, "define") != 0)
			continue;
		name = xmlGetProp(n, BAD_CAST "name");
		if (!name || strcmp((const char *) name, define) != 0 ||
		    !(inter = xmlFirstElementChild(n)) ||
		    strcmp((const char *) inter->name, "interleave") != 0)
			continue;
		opt = xmlNewChild(inter, inter->ns, BAD_CAST "optional", NULL);
		attr = xmlNewChild(opt, inter->ns, BAD_CAST "attribute", NULL);
		ref = xmlNewChild(attr, inter->ns, BAD_CAST "ref", NULL);
		xmlSetProp(attr, BAD_CAST "name", BAD_CAST attr_name);
		xmlSetProp(ref, BAD_CAST "name", BAD_CAST type);
		return TRUE;
	}
	return FALSE;
}

/* libvirt's schema plus two attributes its parser and drivers take but its
 * schema (9.0) lacks: state in the group of attributes every IPv6 rule
 * element has, and arpsrcipmask on arp (documented since libvirt 1.2.3). */
static xmlRelaxNGPtr
schema_load(void)
{
	const char *path = LIBVIRT_SCHEMA_DIR "/nwfilter.rng";
	xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
	xmlRelaxNGParserCtxtPtr pctx;
	xmlRelaxNGPtr schema;

	if (!doc) {
		sp_error(
			"cannot read libvirt's nwfilter schema '%s' (package libvirt0 or libvirt-libs)",
			path);
		return NULL;
	}
	if (!add_attribute(doc, "common-ipv6-attributes-p2", "state", "stateflags-type") ||
	    !add_attribute(doc, "arp-attributes", "arpsrcipmask", "addrMask")) {
		xmlFreeDoc(doc);
		sp_error("libvirt's nwfilter schema '%s' has no common-ipv6-attributes-p2 or "
			 "arp-attributes: a libvirt this version of nwfilter-gen does not know",
			 path);
		return NULL;
	}
	pctx = xmlRelaxNGNewDocParserCtxt(doc);
	schema = xmlRelaxNGParse(pctx);
	xmlRelaxNGFreeParserCtxt(pctx);
	xmlFreeDoc(doc);
	if (!schema)
		sp_error("cannot compile libvirt's nwfilter schema '%s'", path);
	return schema;
}

static void
keep_first(void *data, xmlErrorPtr err)
{
	char **first = data;

	if (!*first && err && err->message)
		*first = g_strchomp(g_strdup(err->message));
}

int
sp_nwfilter_validate(const char *name, const char *xml)
{
	/* Loaded once per process: compiling it costs more than a check. */
	static xmlRelaxNGPtr schema;
	g_autofree char *first = NULL;
	xmlRelaxNGValidCtxtPtr vctx;
	xmlDocPtr doc;
	int rc;

	if (!schema && !(schema = schema_load()))
		return -1;
	doc = xmlReadMemory(xml, (int) strlen(xml), "filter.xml", NULL, XML_PARSE_NONET);
	if (!doc) {
		sp_error("generated nwfilter '%s' is not well-formed XML", name);
		return -1;
	}
	vctx = xmlRelaxNGNewValidCtxt(schema);
	xmlRelaxNGSetValidStructuredErrors(vctx, keep_first, &first);
	rc = xmlRelaxNGValidateDoc(vctx, doc);
	xmlRelaxNGFreeValidCtxt(vctx);
	xmlFreeDoc(doc);
	if (rc != 0) {
		sp_error("generated nwfilter '%s' does not match libvirt's schema: %s", name,
			 first ? first : "invalid");
		return -1;
	}
	return 0;
}
