/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <libxml/xmlwriter.h>

#include "sp-error.h"
#include "sp-xml.h"

struct SpXml {
	xmlTextWriterPtr w;
	xmlBufferPtr buf; /* NULL when writing to a file */
	char *path;
	gboolean failed;
};

static SpXml *
setup(SpXml *x)
{
	xmlTextWriterSetIndent(x->w, 1);
	xmlTextWriterSetIndentString(x->w, BAD_CAST "  ");
	return x;
}

SpXml *
sp_xml_new(void)
{
	SpXml *x = g_new0(SpXml, 1);

	x->buf = xmlBufferCreate();
	x->w = xmlNewTextWriterMemory(x->buf, 0);
	return setup(x);
}

SpXml *
sp_xml_new_file(const char *path)
{
	SpXml *x;
	xmlTextWriterPtr w = xmlNewTextWriterFilename(path, 0);

	if (!w) {
		sp_error("cannot write '%s'", path);
		return NULL;
	}
	x = g_new0(SpXml, 1);
	x->w = w;
	x->path = g_strdup(path);
	setup(x);
	if (xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL) < 0)
		x->failed = TRUE;
	return x;
}

void
sp_xml_free(SpXml *x)
{
	if (!x)
		return;
	if (x->w)
		xmlFreeTextWriter(x->w);
	if (x->buf)
		xmlBufferFree(x->buf);
	g_free(x->path);
	g_free(x);
}

static void
check(SpXml *x, int rc)
{
	if (rc < 0)
		x->failed = TRUE;
}

void
sp_xml_start(SpXml *x, const char *element)
{
	check(x, xmlTextWriterStartElement(x->w, BAD_CAST element));
}

void
sp_xml_attr(SpXml *x, const char *name, const char *value)
{
	check(x, xmlTextWriterWriteAttribute(x->w, BAD_CAST name, BAD_CAST value));
}

void
sp_xml_attr_int(SpXml *x, const char *name, int value)
{
	char text[16];

	g_snprintf(text, sizeof(text), "%d", value);
	sp_xml_attr(x, name, text);
}

void
sp_xml_attr_printf(SpXml *x, const char *name, const char *fmt, ...)
{
	va_list ap;
	g_autofree char *value = NULL;

	va_start(ap, fmt);
	value = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	sp_xml_attr(x, name, value);
}

void
sp_xml_text(SpXml *x, const char *text)
{
	check(x, xmlTextWriterWriteString(x->w, BAD_CAST text));
}

void
sp_xml_element(SpXml *x, const char *name, const char *text)
{
	check(x, xmlTextWriterWriteElement(x->w, BAD_CAST name, BAD_CAST text));
}

void
sp_xml_end(SpXml *x)
{
	check(x, xmlTextWriterEndElement(x->w));
}

int
sp_xml_finish(SpXml *x, char **text)
{
	/* Ending the document closes what is open and flushes the output. */
	check(x, xmlTextWriterEndDocument(x->w));
	xmlFreeTextWriter(x->w);
	x->w = NULL;
	if (x->failed && x->path) {
		sp_error("cannot write '%s'", x->path);
		return -1;
	}
	if (x->failed) {
		sp_error("cannot write an XML document in memory");
		return -1;
	}
	if (text)
		*text = x->buf ? g_strdup((const char *) xmlBufferContent(x->buf)) : NULL;
	return 0;
}
