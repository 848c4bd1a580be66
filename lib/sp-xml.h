/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Writing XML (nwfilters, SVG charts) with libxml2's streaming writer,
 * never by pasting markup: every value is escaped by libxml2. The writer is
 * chosen over a tree for speed: nwfilter-gen writes 2,000 filters a run,
 * and building trees was most of that time.
 *
 * Calls cannot fail one by one: the first write that fails is remembered
 * and sp_xml_finish() reports it, so a caller checks once. */
#pragma once

#include <glib.h>

typedef struct SpXml SpXml;

/* A document in memory, without an XML declaration, indented by two
 * spaces (as libvirt writes XML). */
SpXml *sp_xml_new(void);
/* A document written to path, with <?xml version="1.0" encoding="UTF-8"?>,
 * indented the same way; NULL with the error set. */
SpXml *sp_xml_new_file(const char *path) G_GNUC_WARN_UNUSED_RESULT;
void sp_xml_free(SpXml *x);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SpXml, sp_xml_free)

void sp_xml_start(SpXml *x, const char *element);
void sp_xml_attr(SpXml *x, const char *name, const char *value);
void sp_xml_attr_int(SpXml *x, const char *name, int value);
void sp_xml_attr_printf(SpXml *x, const char *name, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
void sp_xml_text(SpXml *x, const char *text);
/* <name>text</name> */
void sp_xml_element(SpXml *x, const char *name, const char *text);
/* Close the innermost open element (<a/> when it has no content). */
void sp_xml_end(SpXml *x);

/* Close every open element and end the document. For a document in memory
 * *text gets it (caller frees; text may be NULL for a file). 0, or -1 with
 * the error set when a write failed. */
int sp_xml_finish(SpXml *x, char **text) G_GNUC_WARN_UNUSED_RESULT;
