/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What LVM's metadata on the shared disk says about a VG's LVs: one report
 * per call (LVM re-reads the metadata area for every command; there is no
 * lvmetad cache to go stale in lvm2 2.03), fields that need no kernel query. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "slvm-int.h"
#include "sp-error.h"

static void
meta_lv_free(gpointer data)
{
	SpSlvmMetaLv *lv = data;

	g_free(lv->name);
	g_free(lv->uuid);
	g_free(lv);
}

void
sp_slvm_meta_free(SpSlvmMeta *meta)
{
	if (!meta)
		return;
	g_free(meta->vg);
	g_free(meta->vg_uuid);
	g_ptr_array_free(meta->lvs, TRUE);
	g_free(meta);
}

static char *
undash(const char *uuid)
{
	GString *s = g_string_new(NULL);

	for (const char *p = uuid; *p; p++) {
		if (*p != '-')
			g_string_append_c(s, *p);
	}
	return g_string_free(s, FALSE);
}

static gboolean
parse_u64(const char *s, guint64 *out)
{
	char *end;

	if (!s || !g_ascii_isdigit(*s))
		return FALSE;
	*out = g_ascii_strtoull(s, &end, 10);
	return *end == '\0';
}

SpSlvmMeta *
sp_slvm_meta_from_rows(const char *vg, GPtrArray *rows)
{
	g_autoptr(SpSlvmMeta) meta = g_new0(SpSlvmMeta, 1);

	meta->vg = g_strdup(vg);
	meta->lvs = g_ptr_array_new_with_free_func(meta_lv_free);
	for (guint i = 0; i < rows->len; i++) {
		g_autoptr(GHashTable) row = sp_slvm_report_row(g_ptr_array_index(rows, i));
		const char *name, *uuid, *vg_uuid;
		guint64 bytes, seqno;
		SpSlvmMetaLv *lv;

		if (!row)
			continue;
		name = g_hash_table_lookup(row, "lv_name");
		uuid = g_hash_table_lookup(row, "lv_uuid");
		vg_uuid = g_hash_table_lookup(row, "vg_uuid");
		if (!name || !uuid || !vg_uuid ||
		    !parse_u64(g_hash_table_lookup(row, "lv_size"), &bytes) ||
		    !parse_u64(g_hash_table_lookup(row, "vg_seqno"), &seqno)) {
			sp_error("LVM's report on volume group '%s' lacks a field: '%s'", vg,
				 (const char *) g_ptr_array_index(rows, i));
			return NULL;
		}
		if (!meta->vg_uuid)
			meta->vg_uuid = undash(vg_uuid);
		meta->seqno = seqno;
		lv = g_new0(SpSlvmMetaLv, 1);
		/* lvs -a shows hidden LVs as [name]. */
		if (name[0] == '[' && g_str_has_suffix(name, "]"))
			lv->name = g_strndup(name + 1, strlen(name) - 2);
		else
			lv->name = g_strdup(name);
		lv->uuid = undash(uuid);
		lv->sectors = bytes / 512;
		g_ptr_array_add(meta->lvs, lv);
	}
	return g_steal_pointer(&meta);
}

SpSlvmMeta *
sp_slvm_meta_read(SpSlvm *slvm, const char *vg, const char *select)
{
	const char *argv[] = {"lvs",
			      "-a",
			      SP_SLVM_REPORT,
			      "--units",
			      "b",
			      "--nosuffix",
			      "-o",
			      "vg_uuid,vg_seqno,lv_name,lv_uuid,lv_size",
			      vg,
			      select ? "-S" : NULL,
			      select,
			      NULL};
	g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func(g_free);

	if (sp_slvm_lvm(slvm, rows, argv) < 0)
		return NULL;
	return sp_slvm_meta_from_rows(vg, rows);
}

const SpSlvmMetaLv *
sp_slvm_meta_lv_by_uuid(const SpSlvmMeta *meta, const char *uuid)
{
	for (guint i = 0; i < meta->lvs->len; i++) {
		const SpSlvmMetaLv *lv = g_ptr_array_index(meta->lvs, i);

		if (strcmp(lv->uuid, uuid) == 0)
			return lv;
	}
	return NULL;
}

const SpSlvmMetaLv *
sp_slvm_meta_lv_by_name(const SpSlvmMeta *meta, const char *name)
{
	for (guint i = 0; i < meta->lvs->len; i++) {
		const SpSlvmMetaLv *lv = g_ptr_array_index(meta->lvs, i);

		if (strcmp(lv->name, name) == 0)
			return lv;
	}
	return NULL;
}

/* LVM's device-mapper uuid: "LVM-", the VG's uuid and the LV's (32
 * characters each, no dashes), then "-layer" for a layer device. */
#define DM_UUID_PREFIX "LVM-"
#define LVM_UUID_LEN 32

SpDevState
sp_slvm_dev_judge(const SpSlvmMeta *meta, const SpDmDev *dev, const SpSlvmMetaLv **lv)
{
	const char *u = dev->uuid;
	char lv_uuid[LVM_UUID_LEN + 1];
	const SpSlvmMetaLv *found;

	*lv = NULL;
	if (!u || !g_str_has_prefix(u, DM_UUID_PREFIX) ||
	    strlen(u) < strlen(DM_UUID_PREFIX) + 2 * LVM_UUID_LEN)
		return SP_DEV_NOT_LVM;
	u += strlen(DM_UUID_PREFIX);
	/* Another VG's device that merely has a name of ours (a VG renamed
	 * elsewhere): not ours to judge. */
	if (meta->vg_uuid && strncmp(u, meta->vg_uuid, LVM_UUID_LEN) != 0)
		return SP_DEV_NOT_LVM;
	memcpy(lv_uuid, u + LVM_UUID_LEN, LVM_UUID_LEN);
	lv_uuid[LVM_UUID_LEN] = '\0';
	found = sp_slvm_meta_lv_by_uuid(meta, lv_uuid);
	if (dev->layer || u[2 * LVM_UUID_LEN] != '\0')
		return SP_DEV_LAYER;
	if (!found)
		return dev->open_count > 0 ? SP_DEV_GONE_OPEN : SP_DEV_GONE;
	*lv = found;
	/* A renamed LV keeps its uuid: LVM's refresh renames the device. */
	if (dev->sectors != found->sectors || strcmp(dev->lv, found->name) != 0)
		return SP_DEV_STALE;
	return SP_DEV_CURRENT;
}

const char *
sp_slvm_dev_state_name(SpDevState state)
{
	switch (state) {
	case SP_DEV_CURRENT:
		return "current";
	case SP_DEV_STALE:
		return "stale";
	case SP_DEV_GONE:
		return "gone";
	case SP_DEV_GONE_OPEN:
		return "gone-open";
	case SP_DEV_LAYER:
		return "layer";
	case SP_DEV_NOT_LVM:
		return "not-lvm";
	}
	return "?";
}
