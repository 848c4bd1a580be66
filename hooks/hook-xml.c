/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading the domain XML (see hook-xml.h for what is refused and why). */
#include "config.h"

#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>

#include "hook-xml.h"
#include "sp-error.h"

#define PARSE_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

void
sp_domain_info_free(SpDomainInfo *info)
{
	if (!info)
		return;
	g_free(info->name);
	g_ptr_array_free(info->block_paths, TRUE);
	g_ptr_array_free(info->bridges, TRUE);
	g_free(info);
}

/* libxml2 calls this for any <!DOCTYPE>, before it reads a declaration in
 * it: stopping here means no entity is ever declared, so none can expand or
 * fetch anything. */
static void
refuse_doctype(void *data, const xmlChar *name, const xmlChar *external_id,
	       const xmlChar *system_id)
{
	xmlParserCtxtPtr ctxt = data;

	*(gboolean *) ctxt->_private = TRUE;
	xmlStopParser(ctxt);
}

static gboolean
is_element(const xmlNode *node, const char *name)
{
	return node->type == XML_ELEMENT_NODE && !node->ns &&
	       strcmp((const char *) node->name, name) == 0;
}

/* An attribute in no namespace, or NULL. */
static char *
attr(const xmlNode *node, const char *name)
{
	xmlChar *v = xmlGetNoNsProp(node, (const xmlChar *) name);
	char *copy = g_strdup((const char *) v);

	xmlFree(v);
	return copy;
}

static const xmlNode *
child(const xmlNode *node, const char *name)
{
	for (const xmlNode *c = node->children; c; c = c->next) {
		if (is_element(c, name))
			return c;
	}
	return NULL;
}

/* A <disk> or <backingStore>: its own source if it is a block device, then
 * its backing chain (a file disk may sit on a block base and the other way
 * round). A <backingStore/> without type ends the chain. */
static void
read_storage(const xmlNode *node, GPtrArray *paths)
{
	g_autofree char *type = attr(node, "type");
	const xmlNode *source = child(node, "source");

	if (g_strcmp0(type, "block") == 0 && source) {
		char *dev = attr(source, "dev");

		if (dev && *dev)
			g_ptr_array_add(paths, dev);
		else
			g_free(dev);
	}
	for (const xmlNode *c = node->children; c; c = c->next) {
		if (is_element(c, "backingStore"))
			read_storage(c, paths);
	}
}

static void
read_interface(const xmlNode *node, GPtrArray *bridges)
{
	g_autofree char *type = attr(node, "type");
	const xmlNode *source = child(node, "source");
	char *bridge;

	if (g_strcmp0(type, "bridge") != 0 || !source)
		return;
	bridge = attr(source, "bridge");
	if (bridge && *bridge)
		g_ptr_array_add(bridges, bridge);
	else
		g_free(bridge);
}

static void
read_domain(const xmlNode *root, SpDomainInfo *info)
{
	for (const xmlNode *c = root->children; c; c = c->next) {
		if (is_element(c, "name") && !info->name) {
			xmlChar *text = xmlNodeGetContent(c);

			info->name = g_strdup((const char *) text);
			xmlFree(text);
		}
		if (!is_element(c, "devices"))
			continue;
		for (const xmlNode *d = c->children; d; d = d->next) {
			if (is_element(d, "disk"))
				read_storage(d, info->block_paths);
			else if (is_element(d, "interface"))
				read_interface(d, info->bridges);
			else if (is_element(d, "lease"))
				info->has_lease = TRUE;
		}
	}
}

/* libxml2's message for the first error, first line only (some go on with
 * the bytes at fault on a second line). */
static void
set_parse_error(xmlParserCtxtPtr ctxt)
{
	const xmlError *err = xmlCtxtGetLastError(ctxt);
	g_autofree char *msg = NULL;

	if (!err || !err->message) {
		sp_error("domain XML is not well-formed");
		return;
	}
	msg = g_strdup(err->message);
	msg[strcspn(msg, "\n")] = '\0';
	sp_error("domain XML line %d: %s", err->line, msg);
}

static xmlDocPtr
parse(const char *xml, size_t len)
{
	xmlParserCtxtPtr ctxt = xmlCreateMemoryParserCtxt(xml, (int) len);
	gboolean doctype = FALSE;
	xmlDocPtr doc;

	if (!ctxt) {
		sp_error("cannot allocate an XML parser");
		return NULL;
	}
	/* The context owns its SAX table: nothing global changes. */
	ctxt->_private = &doctype;
	ctxt->sax->internalSubset = refuse_doctype;
	/* UTF-8 whatever the XML declaration says (libvirt only writes UTF-8;
	 * a declared legacy encoding would make libxml2 convert). */
	xmlCtxtUseOptions(ctxt, PARSE_OPTIONS | XML_PARSE_IGNORE_ENC);
	xmlParseDocument(ctxt);
	doc = ctxt->myDoc;
	ctxt->myDoc = NULL;
	if (doctype)
		sp_error("domain XML has a DOCTYPE, which libvirt never writes: refused (no DTD "
			 "or entity is ever read)");
	else if (!ctxt->wellFormed || !doc)
		set_parse_error(ctxt);
	if (doc && (doctype || !ctxt->wellFormed)) {
		xmlFreeDoc(doc);
		doc = NULL;
	}
	xmlFreeParserCtxt(ctxt);
	return doc;
}

SpDomainInfo *
sp_domain_info_parse(const char *xml, size_t len)
{
	g_autoptr(SpDomainInfo) info = NULL;
	xmlDocPtr doc;
	const xmlNode *root;

	if (len > SP_DOMAIN_XML_MAX) {
		sp_error("domain XML is %zu bytes, over the %d MiB this hook reads", len,
			 SP_DOMAIN_XML_MAX / (1024 * 1024));
		return NULL;
	}
	if (len == 0) {
		sp_error("domain XML is empty");
		return NULL;
	}
	if (!(doc = parse(xml, len)))
		return NULL;
	root = xmlDocGetRootElement(doc);
	if (root && root->ns) {
		sp_error("domain XML's root element <%.40s> is in a namespace; libvirt's <domain> "
			 "is in none",
			 (const char *) root->name);
		xmlFreeDoc(doc);
		return NULL;
	}
	if (!root || !is_element(root, "domain")) {
		sp_error("domain XML has root element <%.40s>, not <domain>",
			 root ? (const char *) root->name : "");
		xmlFreeDoc(doc);
		return NULL;
	}
	info = g_new0(SpDomainInfo, 1);
	info->block_paths = g_ptr_array_new_with_free_func(g_free);
	info->bridges = g_ptr_array_new_with_free_func(g_free);
	read_domain(root, info);
	xmlFreeDoc(doc);
	return g_steal_pointer(&info);
}
