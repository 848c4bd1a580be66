/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Loading the whole firewall configuration: firewall.conf (bindings and
 * defaults) and every policies.d/NAME.policy, checked together. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

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
	if (b->addresses)
		g_array_free(b->addresses, TRUE);
	g_free(b);
}

static gint
policy_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp((*(SpPolicy *const *) a)->name, (*(SpPolicy *const *) b)->name);
}

static void
load_policies(SpFirewall *fw, const char *config_dir, SpDiag *diag)
{
	g_autofree char *dir = g_build_filename(config_dir, "policies.d", NULL);
	/* Editors leave backups (web.policy~, .web.policy.swp): only
	 * NAME.policy counts, and a bad NAME is an error, not a skip. */
	g_autoptr(GPtrArray) entries = sp_file_list_dir(dir, ".policy");

	if (!entries) {
		sp_diag_add(diag, dir, 0, 0, "%s", sp_error_message());
		sp_error_clear();
		return;
	}
	for (guint i = 0; i < entries->len; i++) {
		const char *entry = g_ptr_array_index(entries, i);
		g_autofree char *path = g_build_filename(dir, entry, NULL);
		g_autofree char *name = g_strndup(entry, strlen(entry) - strlen(".policy"));
		g_autofree char *text = NULL;
		SpPolicy *policy;

		if (!sp_name_simple_valid("policy", name, SP_POLICY_NAME_MAX)) {
			sp_diag_add(diag, path, 0, 0, "%s", sp_error_message());
			sp_error_clear();
			continue;
		}
		text = sp_file_read_text(path, diag);
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

/* Policies bound to one VM must come out of libvirt in binding order where
 * it matters (policy-order.c). */
static void
check_order(SpFirewall *fw, const SpConfig *cfg, const char *group, GArray *items, SpDiag *diag)
{
	for (guint j = 1; j < items->len; j++) {
		const SpListItem *lj = &g_array_index(items, SpListItem, j);
		const SpPolicy *later = sp_firewall_policy(fw, lj->text);

		for (guint i = 0; later && i < j; i++) {
			const SpPolicy *earlier =
				sp_firewall_policy(fw, g_array_index(items, SpListItem, i).text);
			const SpFwRule *e, *l;

			if (!earlier || earlier == later ||
			    !sp_policy_order_conflict(earlier, later, &e, &l))
				continue;
			sp_config_diag_item(
				cfg, diag, group, "policies", lj,
				"policy '%s' is bound after '%s', but libvirt would evaluate its "
				"rule %s.policy:%d (%s) at or before %s.policy:%d (%s), and both "
				"match some of the same traffic: rules of different policies are "
				"ordered by their position in their file (see POLICY ORDER in "
				"nwfilter-gen(8))",
				later->name, earlier->name, later->name, l->line,
				sp_fw_action_words[l->action], earlier->name, e->line,
				sp_fw_action_words[e->action]);
		}
	}
}

/* The addresses a VM may send from. They are written into its root filter
 * as they are: a filter that takes them from the domain's IP parameter is
 * not instantiated at all until libvirt knows a value, and without one
 * libvirt learns it from the VM's traffic and leaves the VM unfiltered
 * until then (see BEFORE THE FIRST PACKET in nwfilter-gen(8)). */
static void
load_addresses(SpFirewall *fw, const SpConfig *cfg, const char *group, SpBinding *b, SpDiag *diag)
{
	g_autoptr(GArray) items = sp_config_get_items(cfg, group, "addresses");
	g_autoptr(GArray) addrs = g_array_new(FALSE, FALSE, sizeof(SpCidr));

	if (!items) {
		/* At the VM's name in "[vm NAME]", as the errors about it. */
		sp_diag_add(fw->warnings, sp_config_path(cfg), sp_config_line(cfg, group, NULL),
			    sp_config_col(cfg, group, NULL) + 3,
			    "warning: VM '%s' has no addresses: it may send from any IPv4 and IPv6 "
			    "address (list them, or say 'addresses = any')",
			    b->vm);
		return;
	}
	if (items->len == 0 || (items->len == 1 && !*g_array_index(items, SpListItem, 0).text)) {
		sp_config_diag(cfg, diag, group, "addresses",
			       "no addresses: list the VM's addresses, or say any");
		return;
	}
	for (guint i = 0; i < items->len; i++) {
		const SpListItem *it = &g_array_index(items, SpListItem, i);
		SpCidr cidr;

		if (!*it->text) {
			sp_config_diag_item(cfg, diag, group, "addresses", it,
					    "empty item after ',' in the list of addresses");
		} else if (strcmp(it->text, "any") == 0) {
			if (items->len > 1)
				sp_config_diag_item(cfg, diag, group, "addresses", it,
						    "'any' stands alone: it means the VM's source "
						    "addresses are not checked");
		} else if (sp_cidr_parse(it->text, &cidr) == 0) {
			g_array_append_val(addrs, cidr);
		} else {
			sp_config_diag_item(cfg, diag, group, "addresses", it, "%s",
					    sp_error_message());
			sp_error_clear();
		}
	}
	if (addrs->len > 0)
		b->addresses = g_steal_pointer(&addrs);
}

static void
load_binding(SpFirewall *fw, const SpConfig *cfg, const char *config_dir, const char *group,
	     SpDiag *diag)
{
	static const char *const vm_keys[] = {"policies", "addresses", NULL};
	const char *vm = group + 3;
	/* Columns inside "[vm NAME]": the name's own start, then its bytes. */
	int vm_col = sp_config_col(cfg, group, NULL) + 3;
	int line = sp_config_line(cfg, group, NULL);
	g_autoptr(GArray) items = NULL;
	SpBinding *b;

	sp_config_check_keys(cfg, group, vm_keys, diag);
	if (!sp_name_domain_valid(vm)) {
		sp_diag_add(diag, sp_config_path(cfg), line, vm_col, "%s", sp_error_message());
		sp_error_clear();
		return;
	}
	/* The filter's name must be an XML NCName (libvirt's schema), and '+'
	 * is the one character of a domain name that is not; a mapping would
	 * need an escape that can never collide with another VM's name. */
	if (strchr(vm, '+')) {
		sp_diag_add(diag, sp_config_path(cfg), line, vm_col + (int) (strchr(vm, '+') - vm),
			    "VM name '%s' contains '+', which libvirt does not allow in a filter "
			    "name ('sparrow-vm-%s'): nwfilter-gen cannot give this VM a filter",
			    vm, vm);
		return;
	}
	items = sp_config_get_items(cfg, group, "policies");
	b = g_new0(SpBinding, 1);
	b->vm = g_strdup(vm);
	b->policies = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; items && i < items->len; i++) {
		const SpListItem *it = &g_array_index(items, SpListItem, i);
		gboolean dup = FALSE;

		if (!*it->text) {
			sp_config_diag_item(cfg, diag, group, "policies", it,
					    "empty item after ',' in the list of policies");
			continue;
		}
		/* Before the file test: a name is never a path. */
		if (!sp_name_simple_valid("policy", it->text, SP_POLICY_NAME_MAX)) {
			sp_config_diag_item(cfg, diag, group, "policies", it, "%s",
					    sp_error_message());
			sp_error_clear();
			continue;
		}
		if (!policy_exists(fw, config_dir, it->text))
			sp_config_diag_item(cfg, diag, group, "policies", it,
					    "unknown policy '%s' (no policies.d/%s.policy)",
					    it->text, it->text);
		for (guint j = 0; j < b->policies->len; j++)
			dup |= strcmp(g_ptr_array_index(b->policies, j), it->text) == 0;
		if (dup)
			sp_config_diag_item(cfg, diag, group, "policies", it,
					    "policy '%s' is listed twice", it->text);
		g_ptr_array_add(b->policies, g_strdup(it->text));
	}
	if (items)
		check_order(fw, cfg, group, items, diag);
	load_addresses(fw, cfg, group, b, diag);
	g_ptr_array_add(fw->bindings, b);
}

static void
load_bindings(SpFirewall *fw, const char *config_dir, SpDiag *diag)
{
	static const char *const default_keys[] = {"inbound", NULL};
	g_autofree char *path = g_build_filename(config_dir, "firewall.conf", NULL);
	g_autoptr(SpConfig) cfg = sp_config_load(path, diag);

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
			load_binding(fw, cfg, config_dir, group, diag);
		} else {
			sp_config_diag(cfg, diag, group, NULL,
				       "unknown group [%s] (expected [defaults] or [vm NAME])",
				       group);
		}
	}
}

SpFirewall *
sp_firewall_load(const char *config_dir, SpDiag *diag)
{
	g_autoptr(SpFirewall) fw = g_new0(SpFirewall, 1);
	guint before = sp_diag_count(diag);

	fw->policies = g_ptr_array_new_with_free_func((GDestroyNotify) sp_policy_free);
	fw->bindings = g_ptr_array_new_with_free_func(binding_free);
	fw->warnings = sp_diag_new();
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
	sp_diag_free(fw->warnings);
	g_free(fw);
}

static int
name_vs_policy(const void *key, const void *elem)
{
	return strcmp(key, (*(SpPolicy *const *) elem)->name);
}

const SpPolicy *
sp_firewall_policy(const SpFirewall *fw, const char *name)
{
	/* policies is sorted by name once loaded (bindings are read after). */
	SpPolicy *const *found;

	/* An empty GPtrArray has no storage, and bsearch() must not get NULL. */
	if (fw->policies->len == 0)
		return NULL;
	found = bsearch(name, fw->policies->pdata, fw->policies->len, sizeof(gpointer),
			name_vs_policy);

	return found ? *found : NULL;
}
