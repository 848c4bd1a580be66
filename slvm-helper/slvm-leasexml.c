/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The <lease> in a domain's XML, for slvm-helper lease: which VG holds a
 * VM's lease, and the element itself (libxml2's tree API, never pasted
 * text). No libvirt here: the program reads and defines the XML. */
#include "config.h"

#include <string.h>

#include "slvm-admin.h"
#include "sp-error.h"
#include "sp-names.h"

static xmlNode *
child(xmlNode *parent, const char *name)
{
	for (xmlNode *n = parent ? parent->children : NULL; n; n = n->next) {
		if (n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, BAD_CAST name) == 0)
			return n;
	}
	return NULL;
}

static char *
text_of(xmlNode *n)
{
	xmlChar *t = n ? xmlNodeGetContent(n) : NULL;
	char *s = g_strdup(t ? (const char *) t : "");

	xmlFree(t);
	return g_strstrip(s);
}

static gboolean
lvmlockd_vg(const char *vg, void *data)
{
	const SpSlvmVg *v = sp_slvm_config_vg(data, vg);

	return v && v->lock == SP_SLVM_LOCK_LVMLOCKD;
}

/* The managed lvmlockd VG of a block disk's path, or NULL (a path there
 * that names no usable LV is the hook's to refuse, not a lease's VG). */
static const SpSlvmVg *
disk_vg(const SpSlvmConfig *cfg, const char *path)
{
	g_autofree char *vg = NULL;
	g_autofree char *lv = NULL;

	if (sp_name_lv_from_path(path, lvmlockd_vg, (void *) cfg, &vg, &lv) != 1) {
		sp_error_clear();
		return NULL;
	}
	return sp_slvm_config_vg(cfg, vg);
}

/* Which VG holds the lease: the one named, or the one lvmlockd VG the
 * VM's disks are on, or the one lvmlockd VG there is. */
static const char *
choose_vg(const SpSlvmConfig *cfg, xmlNode *devices, const char *named)
{
	const SpSlvmVg *found = NULL, *only = NULL;
	guint lvmlockd = 0;

	if (named) {
		const SpSlvmVg *v = sp_slvm_config_vg(cfg, named);

		if (!v || v->lock != SP_SLVM_LOCK_LVMLOCKD) {
			sp_error("volume group '%s' is not a lock = lvmlockd VG of slvm.conf",
				 named);
			return NULL;
		}
		return v->name;
	}
	for (xmlNode *d = devices ? devices->children : NULL; d; d = d->next) {
		g_autofree char *dev = NULL;
		xmlChar *p;
		const SpSlvmVg *v;

		if (d->type != XML_ELEMENT_NODE || xmlStrcmp(d->name, BAD_CAST "disk") != 0 ||
		    !child(d, "source") || !(p = xmlGetProp(child(d, "source"), BAD_CAST "dev")))
			continue;
		dev = g_strdup((const char *) p);
		xmlFree(p);
		if (!(v = disk_vg(cfg, dev)))
			continue;
		if (found && found != v) {
			sp_error(
				"the VM's disks are on volume groups '%s' and '%s': say which holds "
				"its lease with --vg",
				found->name, v->name);
			return NULL;
		}
		found = v;
	}
	if (found)
		return found->name;
	for (guint i = 0; sp_slvm_config_nth(cfg, i); i++) {
		if (sp_slvm_config_nth(cfg, i)->lock == SP_SLVM_LOCK_LVMLOCKD) {
			only = sp_slvm_config_nth(cfg, i);
			lvmlockd++;
		}
	}
	if (lvmlockd == 1)
		return only->name;
	sp_error("%s: say which volume group holds the lease with --vg",
		 lvmlockd ? "several lock = lvmlockd VGs in slvm.conf"
			  : "no lock = lvmlockd VG in slvm.conf");
	return NULL;
}

/* An existing <lease> of ours: 1 the same, 0 none, -1 another (error). */
static int
existing_lease(xmlNode *devices, const char *lockspace, const char *key, guint64 offset,
	       const char *path)
{
	for (xmlNode *l = devices->children; l; l = l->next) {
		g_autofree char *ls = NULL;
		g_autofree char *k = NULL;
		xmlChar *tpath, *toff;
		gboolean same;

		if (l->type != XML_ELEMENT_NODE || xmlStrcmp(l->name, BAD_CAST "lease") != 0)
			continue;
		ls = text_of(child(l, "lockspace"));
		k = text_of(child(l, "key"));
		if (strcmp(k, key) != 0) {
			sp_error("the VM has a lease already (lockspace '%s', key '%s'): remove it "
				 "from its definition first",
				 ls, k);
			return -1;
		}
		tpath = child(l, "target") ? xmlGetProp(child(l, "target"), BAD_CAST "path") : NULL;
		toff = child(l, "target") ? xmlGetProp(child(l, "target"), BAD_CAST "offset")
					  : NULL;
		same = strcmp(ls, lockspace) == 0 && tpath &&
		       strcmp((const char *) tpath, path) == 0 && toff &&
		       g_ascii_strtoull((const char *) toff, NULL, 10) == offset;
		xmlFree(tpath);
		xmlFree(toff);
		if (!same) {
			sp_error(
				"the VM's lease (key '%s') is not where the index has it (lockspace "
				"'%s', '%s' at %" G_GUINT64_FORMAT
				"): remove it from its definition "
				"and run this again",
				key, lockspace, path, offset);
			return -1;
		}
		return 1;
	}
	return 0;
}

static void
add_lease(xmlNode *devices, const char *lockspace, const char *key, const char *path,
	  guint64 offset)
{
	char off[32];
	xmlNode *lease = xmlNewChild(devices, NULL, BAD_CAST "lease", NULL);
	xmlNode *target;

	g_snprintf(off, sizeof(off), "%" G_GUINT64_FORMAT, offset);
	xmlNewTextChild(lease, NULL, BAD_CAST "lockspace", BAD_CAST lockspace);
	xmlNewTextChild(lease, NULL, BAD_CAST "key", BAD_CAST key);
	target = xmlNewChild(lease, NULL, BAD_CAST "target", NULL);
	xmlNewProp(target, BAD_CAST "path", BAD_CAST path);
	xmlNewProp(target, BAD_CAST "offset", BAD_CAST off);
}

int
sp_slvm_lease_target(const SpSlvmConfig *cfg, xmlDoc *doc, const char *named_vg, char **uuid,
		     const char **vg)
{
	xmlNode *root = xmlDocGetRootElement(doc);
	xmlNode *devices = child(root, "devices");
	g_autofree char *u = text_of(child(root, "uuid"));

	if (!devices || strlen(u) != 36) {
		sp_error("the domain's XML has no <devices> or no <uuid>");
		return -1;
	}
	if (!(*vg = choose_vg(cfg, devices, named_vg)))
		return -1;
	*uuid = g_steal_pointer(&u);
	return 0;
}

int
sp_slvm_lease_put(xmlDoc *doc, const char *lockspace, const char *key, const char *path,
		  guint64 offset)
{
	xmlNode *devices = child(xmlDocGetRootElement(doc), "devices");
	int have;

	if (!devices) {
		sp_error("the domain's XML has no <devices>");
		return -1;
	}
	if ((have = existing_lease(devices, lockspace, key, offset, path)) != 0)
		return have;
	add_lease(devices, lockspace, key, path, offset);
	return 0;
}
