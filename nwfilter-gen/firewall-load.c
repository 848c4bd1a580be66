/* Loading the whole firewall configuration: firewall.conf (bindings and
 * defaults) and every policies.d/NAME.policy, checked together. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "policy.h"
#include "sp-config.h"
#include "sp-error.h"
#include "sp-names.h"

static void
binding_free(gpointer data)
{
	SpBinding *b = data;

	g_free(b->vm);
	g_ptr_array_free(b->policies, TRUE);
	g_free(b);
}

static gint
str_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static gint
policy_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp((*(SpPolicy *const *)a)->name, (*(SpPolicy *const *)b)->name);
}

/* Read a file we are about to obey: trusted owner and mode (lib/sp-config). */
static char *
read_trusted(const char *path, SpDiag *diag)
{
	gsize len = 0;
	char *text = sp_file_read_trusted(path, &len);

	if (!text) {
		sp_diag_add(diag, path, 0, 0, "%s", sp_error_message());
		sp_error_clear();
		return NULL;
	}
	if (memchr(text, '\0', len)) {
		sp_diag_add(diag, path, 0, 0, "file contains a NUL byte");
		g_free(text);
		return NULL;
	}
	return text;
}

static void
load_policies(SpFirewall *fw, const char *config_dir, SpDiag *diag)
{
	g_autofree char *dir = g_build_filename(config_dir, "policies.d", NULL);
	g_autoptr(GError) gerr = NULL;
	g_autoptr(GDir) d = g_dir_open(dir, 0, &gerr);
	g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func(g_free);
	const char *name_in_dir;

	if (!d) {
		sp_diag_add(diag, dir, 0, 0, "cannot read the folder: %s", gerr->message);
		return;
	}
	/* In name order, so that errors come out the same way every time. */
	while ((name_in_dir = g_dir_read_name(d)))
		g_ptr_array_add(entries, g_strdup(name_in_dir));
	g_ptr_array_sort(entries, str_cmp);
	for (guint i = 0; i < entries->len; i++) {
		const char *entry = g_ptr_array_index(entries, i);
		g_autofree char *path = NULL;
		g_autofree char *name = NULL;
		g_autofree char *text = NULL;
		SpPolicy *policy;

		/* Editors leave backups (web.policy~, .web.policy.swp): only
		 * NAME.policy counts, and a bad NAME is an error, not a skip. */
		if (!g_str_has_suffix(entry, ".policy") || entry[0] == '.')
			continue;
		path = g_build_filename(dir, entry, NULL);
		name = g_strndup(entry, strlen(entry) - strlen(".policy"));
		if (!sp_name_simple_valid("policy", name, SP_POLICY_NAME_MAX)) {
			sp_diag_add(diag, path, 0, 0, "%s", sp_error_message());
			sp_error_clear();
			continue;
		}
		text = read_trusted(path, diag);
		if (!text)
			continue;
		policy = sp_policy_parse(name, path, text, diag);
		if (policy)
			g_ptr_array_add(fw->policies, policy);
	}
	g_ptr_array_sort(fw->policies, policy_cmp);
}

static gboolean
policy_exists(SpFirewall *fw, const char *config_dir, const char *name)
{
	g_autofree char *file = g_strconcat(name, ".policy", NULL);
	g_autofree char *path = g_build_filename(config_dir, "policies.d", file, NULL);

	/* A policy that failed to parse is still known: one error is enough. */
	return sp_firewall_policy(fw, name) != NULL || g_file_test(path, G_FILE_TEST_EXISTS);
}

static void
load_bindings(SpFirewall *fw, const char *config_dir, SpDiag *diag)
{
	g_autofree char *path = g_build_filename(config_dir, "firewall.conf", NULL);
	g_autofree char *text = read_trusted(path, diag);
	g_autoptr(SpConfig) cfg = NULL;
	static const char *const default_keys[] = { "inbound", NULL };
	static const char *const vm_keys[] = { "policies", NULL };

	if (!text)
		return;
	cfg = sp_config_parse(path, text, diag);
	if (!cfg)
		return;
	for (const char *const *g = sp_config_groups(cfg); *g; g++) {
		const char *group = *g;

		if (strcmp(group, "defaults") == 0) {
			const char *inbound = sp_config_get(cfg, group, "inbound");

			sp_config_check_keys(cfg, group, default_keys, diag);
			if (inbound && strcmp(inbound, "accept") == 0)
				fw->inbound_accept = TRUE;
			else if (inbound && strcmp(inbound, "drop") != 0)
				sp_config_diag(cfg, diag, group, "inbound",
					       "inbound must be drop or accept, not '%s'", inbound);
		} else if (g_str_has_prefix(group, "vm ")) {
			const char *vm = group + 3;
			g_auto(GStrv) names = NULL;
			SpBinding *b;

			sp_config_check_keys(cfg, group, vm_keys, diag);
			if (!sp_name_domain_valid(vm)) {
				sp_config_diag(cfg, diag, group, NULL, "%s", sp_error_message());
				sp_error_clear();
				continue;
			}
			names = sp_config_get_list(cfg, group, "policies", diag);
			b = g_new0(SpBinding, 1);
			b->vm = g_strdup(vm);
			b->policies = g_ptr_array_new_with_free_func(g_free);
			for (int i = 0; names && names[i]; i++) {
				if (!policy_exists(fw, config_dir, names[i]))
					sp_config_diag(cfg, diag, group, "policies",
						       "unknown policy '%s' (no policies.d/%s.policy)",
						       names[i], names[i]);
				for (guint j = 0; j < b->policies->len; j++)
					if (strcmp(g_ptr_array_index(b->policies, j), names[i]) == 0)
						sp_config_diag(cfg, diag, group, "policies",
							       "policy '%s' is listed twice", names[i]);
				g_ptr_array_add(b->policies, g_strdup(names[i]));
			}
			g_ptr_array_add(fw->bindings, b);
		} else {
			sp_config_diag(cfg, diag, group, NULL,
				       "unknown group [%s] (expected [defaults] or [vm NAME])", group);
		}
	}
}

SpFirewall *
sp_firewall_load(const char *config_dir, SpDiag *diag)
{
	g_autoptr(SpFirewall) fw = g_new0(SpFirewall, 1);
	guint before = sp_diag_count(diag);

	fw->policies = g_ptr_array_new_with_free_func((GDestroyNotify)sp_policy_free);
	fw->bindings = g_ptr_array_new_with_free_func(binding_free);
	load_policies(fw, config_dir, diag);
	load_bindings(fw, config_dir, diag);
	return sp_diag_count(diag) == before ? g_steal_pointer(&fw) : NULL;
}

void
sp_firewall_free(SpFirewall *fw)
{
	if (!fw)
		return;
	if (fw->policies)
		g_ptr_array_free(fw->policies, TRUE);
	if (fw->bindings)
		g_ptr_array_free(fw->bindings, TRUE);
	g_free(fw);
}

static int
name_vs_policy(const void *key, const void *elem)
{
	return strcmp(key, (*(SpPolicy *const *)elem)->name);
}

const SpPolicy *
sp_firewall_policy(const SpFirewall *fw, const char *name)
{
	/* policies is sorted by name once loaded (bindings are read after). */
	SpPolicy *const *found;

	/* An empty GPtrArray has no storage, and bsearch() must not get NULL. */
	if (fw->policies->len == 0)
		return NULL;
	found = bsearch(name, fw->policies->pdata, fw->policies->len,
					 sizeof(gpointer), name_vs_policy);

	return found ? *found : NULL;
}
