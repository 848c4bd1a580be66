/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Bringing one libvirt host's nwfilters in line with the generated ones:
 * only filters whose content differs are defined (with schema validation),
 * children before parents, and if any define fails every filter this run
 * changed is put back as it was, so a host is changed all or not at all.
 * Filters are never undefined: a running VM must not lose one it uses. */
#pragma once

#include <glib.h>
#include <libvirt/libvirt.h>

typedef enum { SP_CHANGE_NEW, SP_CHANGE_UPDATE } SpChangeKind;

typedef struct {
	SpChangeKind kind;
	char *name;
	char *old_xml;       /* libvirt's XML before, for rollback; NULL when new */
	const char *new_xml; /* borrowed from the generated filter */
} SpChange;

void sp_change_free(SpChange *c);

/* What differs on conn (SpChange *, in define order), or NULL with the error
 * set (also when a filter of ours exists under a UUID other than ours:
 * nothing could redefine it). filters: SpFilter *, children before parents.
 * all: every filter, even those already as generated. */
GPtrArray *sp_nwfilter_plan(virConnectPtr conn, GPtrArray *filters, gboolean all)
	G_GNUC_WARN_UNUSED_RESULT;
/* Define the changes. On failure roll back, set the error and return -1
 * when every change was undone, -2 when some could not be (the error names
 * each of them and why). */
int sp_nwfilter_apply(virConnectPtr conn, GPtrArray *changes) G_GNUC_WARN_UNUSED_RESULT;
/* Canonical form of filter XML for comparison (Canonical XML 1.0, text
 * trimmed): formatting, quotes and attribute order do not count; "" for
 * XML that is not well-formed. */
char *sp_nwfilter_canonical(const char *xml);
