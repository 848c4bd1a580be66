/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What lc-migrated reads from a domain's XML: its Load Control metadata,
 * and what a target must have for the domain to start there (the preflight
 * checks of lcd-preflight.c). Pure libxml2, unit-tested; the XML comes from
 * libvirt but is parsed as untrusted input: size caps, no DTD, no entity
 * expansion, no network.
 *
 * The metadata element (lc-migrated(8) documents it):
 *
 *   <metadata>
 *     <lc:loadcontrol xmlns:lc="http://sparrow.invalid/xmlns/loadcontrol/1">
 *       <lc:pinned/>
 *       <lc:anti-affinity group="web"/>
 *     </lc:loadcontrol>
 *   </metadata>
 *
 * set with virsh metadata DOMAIN http://sparrow.invalid/xmlns/loadcontrol/1
 * --key lc --set '<loadcontrol><pinned/></loadcontrol>'. */
#pragma once

#include <glib.h>

#define LCD_META_NS "http://sparrow.invalid/xmlns/loadcontrol/1"
#define LCD_META_MAX (64 * 1024)
#define LCD_DOMXML_MAX (4 * 1024 * 1024)

/* The <loadcontrol> element as virDomainGetMetadata() returns it: 0, or -1
 * with the error set (then nothing is taken from it). *group: NULL for
 * none. */
int lcd_meta_parse(const char *xml, gboolean *pinned, char **group) G_GNUC_WARN_UNUSED_RESULT;

typedef struct {
	GPtrArray *bridges;  /* <interface type='bridge'><source bridge=.../> */
	GPtrArray *networks; /* <interface type='network'><source network=.../> */
	GPtrArray *filters;  /* <filterref filter=.../> of every interface */
	char *cpu_xml;       /* <cpu> when it names a model (custom, host-model) */
	char *arch, *machine, *virttype, *emulator;
} LcdDomFacts;

LcdDomFacts *lcd_dom_facts(const char *xml) G_GNUC_WARN_UNUSED_RESULT;
void lcd_dom_facts_free(LcdDomFacts *f);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(LcdDomFacts, lcd_dom_facts_free)

/* The filters a filter XML references (<filterref filter=...>), appended to
 * out; -1 with the error set when it does not parse. */
int lcd_filter_children(const char *xml, GPtrArray *out) G_GNUC_WARN_UNUSED_RESULT;
