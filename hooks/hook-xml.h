/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The parts of a libvirt domain XML the hook acts on, read from untrusted
 * bytes (the hook runs as root; the XML is what any libvirt client defined).
 *
 * Read with libxml2: no network, no DTD (a document with a DOCTYPE is refused
 * before any entity is declared: libvirt never writes one, and a DTD is how
 * external entities and "billion laughs" come in), no entity substitution,
 * input taken as UTF-8 whatever it declares, and a size cap. Only elements
 * and attributes in no namespace count: <metadata> and <qemu:commandline>
 * children, comments and processing instructions are ignored. */
#pragma once

#include <stddef.h>
#include <glib.h>

/* libvirt's RPC refuses a string over 4 MiB (REMOTE_STRING_MAX in
 * remote_protocol.x), so no definition a client sends is larger; the XML the
 * hook gets is that definition formatted with what libvirt adds (addresses,
 * aliases, defaults), so twice as much is room enough. Parsing 8 MiB takes
 * well under a second and tens of MiB of memory in a process that lives for
 * one call. */
#define SP_DOMAIN_XML_MAX (8 * 1024 * 1024)

typedef struct {
	char *name;             /* <name>, or NULL */
	GPtrArray *block_paths; /* char *: <source dev> of every block disk and block
				  * backing store, document order */
	GPtrArray *bridges;     /* char *: <source bridge> of every bridge interface */
	gboolean has_lease;     /* a <lease> in <devices> */
} SpDomainInfo;

/* NULL with the error set when the bytes are not a domain XML we accept. */
SpDomainInfo *sp_domain_info_parse(const char *xml, size_t len) G_GNUC_WARN_UNUSED_RESULT;
void sp_domain_info_free(SpDomainInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SpDomainInfo, sp_domain_info_free)
