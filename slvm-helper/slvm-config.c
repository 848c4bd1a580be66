/* SPDX-License-Identifier: GPL-2.0-or-later */
/* slvm.conf: which volume groups Sparrow manages, and how each is locked.
 *
 *   [vg vg0]
 *   lock = lvmlockd
 *
 *   [vg HostVG]
 *   lock = none
 *   writer = host1
 */
#include "config.h"

#include <string.h>

#include "slvm.h"
#include "sp-config.h"
#include "sp-error.h"
#include "sp-names.h"

struct SpSlvmConfig {
	GPtrArray *vgs; /* SpSlvmVg *, file order */
};

static void
vg_free(gpointer data)
{
	SpSlvmVg *vg = data;

	g_free(vg->name);
	g_free(vg->writer);
	g_free(vg);
}

void
sp_slvm_config_free(SpSlvmConfig *cfg)
{
	if (!cfg)
		return;
	g_ptr_array_free(cfg->vgs, TRUE);
	g_free(cfg);
}

static SpSlvmVg *
parse_vg(const SpConfig *c, SpDiag *diag, const char *group)
{
	static const char *const keys[] = {"lock", "writer", NULL};
	const char *name = group + strlen("vg ");
	const char *lock = sp_config_get(c, group, "lock");
	const char *writer = sp_config_get(c, group, "writer");
	SpSlvmVg *vg = g_new0(SpSlvmVg, 1);

	vg->name = g_strdup(name);
	if (!sp_name_vg_valid(name)) {
		/* At the name itself, after "[vg ". */
		sp_config_diag_group_at(c, diag, group, (int) strlen("vg "), "%s",
					sp_error_message());
		sp_error_clear();
	}
	if (!lock) {
		sp_config_diag(c, diag, group, NULL,
			       "[%s] needs 'lock = lvmlockd' or 'lock = none' with 'writer = HOST'",
			       group);
	} else if (strcmp(lock, "lvmlockd") == 0) {
		vg->lock = SP_SLVM_LOCK_LVMLOCKD;
		if (writer)
			sp_config_diag(c, diag, group, "writer",
				       "writer is for lock = none: under lvmlockd any host may "
				       "change the metadata");
	} else if (strcmp(lock, "none") == 0) {
		vg->lock = SP_SLVM_LOCK_NONE;
		if (!writer)
			sp_config_diag(c, diag, group, "lock",
				       "lock = none needs 'writer = HOST', the one host that "
				       "changes the metadata");
	} else {
		sp_config_diag(c, diag, group, "lock", "unknown lock '%s' (lvmlockd or none)",
			       lock);
	}
	/* A host name as hosts.conf takes it (lib's one rule); the message
	 * stays this file's own, about the writer. */
	if (writer && !sp_name_host_valid(writer)) {
		sp_error_clear();
		sp_config_diag(c, diag, group, "writer",
			       "writer '%s' is not a host name (letters, digits, '-', '.', '_')",
			       writer);
	}
	vg->writer = g_strdup(writer);
	sp_config_check_keys(c, group, keys, diag);
	return vg;
}

static SpSlvmConfig *
read_config(const SpConfig *c, SpDiag *diag)
{
	g_autoptr(SpSlvmConfig) cfg = g_new0(SpSlvmConfig, 1);
	const char *const *groups = sp_config_groups(c);
	guint before = sp_diag_count(diag);

	cfg->vgs = g_ptr_array_new_with_free_func(vg_free);
	for (int i = 0; groups[i]; i++) {
		SpSlvmVg *vg;

		if (!g_str_has_prefix(groups[i], "vg ")) {
			sp_config_diag(c, diag, groups[i], NULL,
				       "unknown group [%s] (expected [vg NAME])", groups[i]);
			continue;
		}
		vg = parse_vg(c, diag, groups[i]);
		g_ptr_array_add(cfg->vgs, vg);
	}
	if (sp_diag_count(diag) > before)
		return NULL;
	return g_steal_pointer(&cfg);
}

SpSlvmConfig *
sp_slvm_config_parse(const char *path, const char *text, SpDiag *diag)
{
	g_autoptr(SpConfig) c = sp_config_parse(path, text, diag);

	return c ? read_config(c, diag) : NULL;
}

SpSlvmConfig *
sp_slvm_config_load(const char *dir, SpDiag *diag)
{
	g_autofree char *path = g_build_filename(dir, SP_SLVM_CONFIG_FILE, NULL);
	g_autoptr(SpConfig) c = NULL;

	if (!g_file_test(path, G_FILE_TEST_EXISTS))
		return sp_slvm_config_parse(path, "", diag);
	if (!(c = sp_config_load(path, diag)))
		return NULL;
	return read_config(c, diag);
}

const SpSlvmVg *
sp_slvm_config_vg(const SpSlvmConfig *cfg, const char *vg)
{
	for (guint i = 0; i < cfg->vgs->len; i++) {
		const SpSlvmVg *v = g_ptr_array_index(cfg->vgs, i);

		if (strcmp(v->name, vg) == 0)
			return v;
	}
	return NULL;
}

const SpSlvmVg *
sp_slvm_config_nth(const SpSlvmConfig *cfg, guint i)
{
	return i < cfg->vgs->len ? g_ptr_array_index(cfg->vgs, i) : NULL;
}
