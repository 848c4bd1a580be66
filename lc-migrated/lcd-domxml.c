/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

#include "lcd-domxml.h"
#include "sp-error.h"
#include "sp-names.h"

/* Parse untrusted XML: no DTD (so no entities to expand), no network. */
static xmlDocPtr
xml_read(const char *xml, gsize max, const char *what)
{
	gsize len = strlen(xml);
	xmlDocPtr doc;

	if (len > max) {
		sp_error("%s is larger than %zu bytes", what, (size_t) max);
		return NULL;
	}
	doc = xmlReadMemory(xml, (int) len, what, NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!doc || !xmlDocGetRootElement(doc)) {
		sp_error("%s is not well-formed XML", what);
		xmlFreeDoc(doc);
		return NULL;
	}
	if (doc->intSubset || doc->extSubset) {
		sp_error("%s has a document type declaration, which is not accepted", what);
		xmlFreeDoc(doc);
		return NULL;
	}
	return doc;
}

int
lcd_meta_parse(const char *xml, gboolean *pinned, char **group)
{
	xmlDocPtr doc = xml_read(xml, LCD_META_MAX, "the loadcontrol metadata");
	xmlNodePtr root;
	gboolean p = FALSE;
	g_autofree char *g = NULL;
	int rc = -1;

	if (!doc)
		return -1;
	root = xmlDocGetRootElement(doc);
	/* libvirt hands back the element under the name it was stored with;
	 * only its local name and ours are compared. */
	if (strcmp((const char *) root->name, "loadcontrol") != 0) {
		sp_error("the metadata element is <%s>, not <loadcontrol>", root->name);
		goto out;
	}
	for (xmlNodePtr c = root->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (strcmp((const char *) c->name, "pinned") == 0) {
			p = TRUE;
		} else if (strcmp((const char *) c->name, "anti-affinity") == 0) {
			xmlChar *v = xmlGetProp(c, (const xmlChar *) "group");

			if (!v ||
			    !sp_name_simple_valid("anti-affinity group", (const char *) v, 64)) {
				if (!v)
					sp_error("<anti-affinity> has no group attribute");
				xmlFree(v);
				goto out;
			}
			if (g) {
				xmlFree(v);
				sp_error("more than one <anti-affinity> (one group per vm)");
				goto out;
			}
			g = g_strdup((const char *) v);
			xmlFree(v);
		} else {
			sp_error("unknown element <%s> in <loadcontrol>", c->name);
			goto out;
		}
	}
	*pinned = p;
	*group = g_steal_pointer(&g);
	rc = 0;
out:
	xmlFreeDoc(doc);
	return rc;
}

void
lcd_dom_facts_free(LcdDomFacts *f)
{
	if (!f)
		return;
	g_ptr_array_free(f->bridges, TRUE);
	g_ptr_array_free(f->networks, TRUE);
	g_ptr_array_free(f->filters, TRUE);
	g_free(f->cpu_xml);
	g_free(f->arch);
	g_free(f->machine);
	g_free(f->virttype);
	g_free(f->emulator);
	g_free(f);
}

/* Every value of an XPath to attributes or text, once each. */
static void
collect(xmlXPathContextPtr ctx, const char *path, GPtrArray *out)
{
	xmlXPathObjectPtr obj = xmlXPathEvalExpression((const xmlChar *) path, ctx);

	if (!obj)
		return;
	for (int i = 0; obj->nodesetval && i < obj->nodesetval->nodeNr; i++) {
		xmlChar *v = xmlNodeGetContent(obj->nodesetval->nodeTab[i]);

		if (v && *v && !g_ptr_array_find_with_equal_func(out, v, g_str_equal, NULL))
			g_ptr_array_add(out, g_strdup((const char *) v));
		xmlFree(v);
	}
	xmlXPathFreeObject(obj);
}

static char *
first(xmlXPathContextPtr ctx, const char *path)
{
	g_autoptr(GPtrArray) v = g_ptr_array_new_with_free_func(g_free);

	collect(ctx, path, v);
	return v->len ? g_strdup(g_ptr_array_index(v, 0)) : NULL;
}

LcdDomFacts *
lcd_dom_facts(const char *xml)
{
	xmlDocPtr doc = xml_read(xml, LCD_DOMXML_MAX, "the domain XML");
	xmlXPathContextPtr ctx;
	xmlXPathObjectPtr cpu;
	LcdDomFacts *f;

	if (!doc)
		return NULL;
	ctx = xmlXPathNewContext(doc);
	f = g_new0(LcdDomFacts, 1);
	f->bridges = g_ptr_array_new_with_free_func(g_free);
	f->networks = g_ptr_array_new_with_free_func(g_free);
	f->filters = g_ptr_array_new_with_free_func(g_free);
	collect(ctx, "/domain/devices/interface[@type='bridge']/source/@bridge", f->bridges);
	collect(ctx, "/domain/devices/interface[@type='network']/source/@network", f->networks);
	collect(ctx, "/domain/devices/interface/filterref/@filter", f->filters);
	f->arch = first(ctx, "/domain/os/type/@arch");
	f->machine = first(ctx, "/domain/os/type/@machine");
	f->virttype = first(ctx, "/domain/@type");
	f->emulator = first(ctx, "/domain/devices/emulator");
	/* host-passthrough needs the same CPU, which no comparison of a model
	 * proves; a <cpu> without a model asks for nothing to compare. */
	cpu = xmlXPathEvalExpression((const xmlChar *) "/domain/cpu[model]", ctx);
	if (cpu && cpu->nodesetval && cpu->nodesetval->nodeNr > 0) {
		xmlBufferPtr buf = xmlBufferCreate();

		if (xmlNodeDump(buf, doc, cpu->nodesetval->nodeTab[0], 0, 0) > 0)
			f->cpu_xml = g_strdup((const char *) xmlBufferContent(buf));
		xmlBufferFree(buf);
	}
	xmlXPathFreeObject(cpu);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return f;
}

int
lcd_filter_children(const char *xml, GPtrArray *out)
{
	xmlDocPtr doc = xml_read(xml, LCD_DOMXML_MAX, "the filter XML");
	xmlXPathContextPtr ctx;

	if (!doc)
		return -1;
	ctx = xmlXPathNewContext(doc);
	collect(ctx, "/filter/filterref/@filter", out);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return 0;
}
