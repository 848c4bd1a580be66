/* Stand-in for slvm-helper's library (slvm-helper/slvm.h) until that work
 * is merged; remove this file then. It reads slvm.conf so that plans and
 * refusals work, and refuses every LVM operation. */
#include "config.h"

#include <string.h>

#include "slvm.h"
#include "sp-config.h"
#include "sp-error.h"
#include "sp-names.h"

struct SpSlvmConfig {
	GPtrArray *vgs; /* SpSlvmVg * */
};

struct SpSlvm {
	int unused;
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

static SpSlvmConfig *
read_config(const SpConfig *c, SpDiag *diag)
{
	g_autoptr(SpSlvmConfig) cfg = g_new0(SpSlvmConfig, 1);
	const char *const *groups = sp_config_groups(c);
	guint before = sp_diag_count(diag);

	cfg->vgs = g_ptr_array_new_with_free_func(vg_free);
	for (int i = 0; groups[i]; i++) {
		const char *lock = sp_config_get(c, groups[i], "lock");
		SpSlvmVg *vg;

		if (!g_str_has_prefix(groups[i], "vg ") || !sp_name_vg_valid(groups[i] + 3)) {
			sp_config_diag(c, diag, groups[i], NULL, "expected [vg NAME]");
			sp_error_clear();
			continue;
		}
		vg = g_new0(SpSlvmVg, 1);
		vg->name = g_strdup(groups[i] + 3);
		vg->writer = g_strdup(sp_config_get(c, groups[i], "writer"));
		if (g_strcmp0(lock, "lvmlockd") == 0)
			vg->lock = SP_SLVM_LOCK_LVMLOCKD;
		else if (g_strcmp0(lock, "none") == 0 && vg->writer)
			vg->lock = SP_SLVM_LOCK_NONE;
		else
			sp_config_diag(c, diag, groups[i], "lock",
				       "lock must be lvmlockd, or none with writer = HOST");
		g_ptr_array_add(cfg->vgs, vg);
	}
	return sp_diag_count(diag) > before ? NULL : g_steal_pointer(&cfg);
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

SpSlvm *
sp_slvm_open(const SpSlvmConfig *cfg)
{
	sp_error("this build has no shared-LVM library yet (slvm-helper is not merged)");
	return NULL;
}

void
sp_slvm_close(SpSlvm *slvm)
{
	g_free(slvm);
}

int
sp_slvm_refresh(SpSlvm *slvm, const char *vg)
{
	sp_error("no shared-LVM library in this build");
	return -1;
}

int
sp_slvm_activate(SpSlvm *slvm, const char *vg, const char *lv, gboolean shared)
{
	sp_error("no shared-LVM library in this build");
	return -1;
}

int
sp_slvm_deactivate(SpSlvm *slvm, const char *vg, const char *lv)
{
	sp_error("no shared-LVM library in this build");
	return -1;
}
