/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Loading the whole firewall configuration: firewall.conf (bindings and
 * defaults) and every policies.d/NAME.policy, checked together. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "policy.h"
#include "sp-config.h"
#include "sp-error.h"
#include "sp-names.h"
#include "sp-value.h"

static void
binding_free(gpointer data)
{
	SpBinding *b = data;

	g_free(b->vm);
	g_ptr_array_free(b->policies, TRUE);
	if (b->addresses)
		g_array_free(b->addresses, TRUE);
	if (b->ethertypes)
		g_array_free(b->ethertypes, TRUE);
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

/* An address listed for some VM, and where: VMs whose addresses overlap
 * may send from each other's. */
typedef struct {
	const char *vm; /* owned by its binding */
	SpCidr cidr;
	char text[64]; /* as written */
	int line, col;
	gboolean warned;
} SeenAddress;

static gboolean
cidr_same(const SpCidr *a, const SpCidr *b)
{
	return a->family == b->family && a->prefix == b->prefix &&
	       memcmp(a->bytes, b->bytes, sizeof(a->bytes)) == 0;
}

static int
seen_cmp(gconstpointer pa, gconstpointer pb)
{
	const SeenAddress *a = pa, *b = pb;
	int c = a->cidr.family - b->cidr.family;

	if (c == 0)
		c = memcmp(a->cidr.bytes, b->cidr.bytes, sizeof(a->cidr.bytes));
	return c ? c : a->cidr.prefix - b->cidr.prefix;
}

/* Whether network a (sorted before b) contains b's first address. */
static gboolean
seen_contains(const SeenAddress *a, const SeenAddress *b)
{
	int bits = a->cidr.family == AF_INET ? 32 : 128;
	guint8 last[16];

	memcpy(last, a->cidr.bytes, sizeof(last));
	for (int i = a->cidr.prefix; i < bits; i++)
		last[i / 8] |= (guint8) (0x80 >> (i % 8));
	return a->cidr.family == b->cidr.family && memcmp(last, b->cidr.bytes, sizeof(last)) >= 0;
}

/* The warning goes to whichever of the two comes later in the file, once. */
static void
warn_overlap(SpFirewall *fw, const SpConfig *cfg, SeenAddress *a, SeenAddress *b)
{
	gboolean a_first = a->line < b->line || (a->line == b->line && a->col < b->col);
	SeenAddress *later = a_first ? b : a, *earlier = a_first ? a : b;

	if (later->warned)
		return;
	later->warned = TRUE;
	sp_diag_add(fw->warnings, sp_config_path(cfg), later->line, later->col,
		    "warning: address '%s' overlaps '%s' of VM '%s' (line %d, column %d): each "
		    "of the two may send from the other's addresses in it",
		    later->text, earlier->text, earlier->vm, earlier->line, earlier->col);
}

/* Addresses of different VMs that overlap. Two networks either nest or do
 * not meet, so in address order a network overlaps exactly those still
 * open before it (nested, a stack): n log n for thousands of VMs, where
 * comparing every pair would be n squared. */
static void
check_overlaps(SpFirewall *fw, const SpConfig *cfg, GArray *seen)
{
	g_autoptr(GPtrArray) open = g_ptr_array_new();

	g_array_sort(seen, seen_cmp);
	for (guint i = 0; i < seen->len; i++) {
		SeenAddress *cur = &g_array_index(seen, SeenAddress, i);

		while (open->len > 0 && !seen_contains(g_ptr_array_index(open, open->len - 1), cur))
			g_ptr_array_remove_index(open, open->len - 1);
		for (guint j = open->len; j-- > 0;) {
			SeenAddress *o = g_ptr_array_index(open, j);

			if (strcmp(o->vm, cur->vm) != 0) {
				warn_overlap(fw, cfg, o, cur);
				break;
			}
		}
		g_ptr_array_add(open, cur);
	}
}

/* The addresses a VM may send from. They are written into its root filter
 * as they are: a filter that takes them from the domain's IP parameter is
 * not instantiated at all until libvirt knows a value, and without one
 * libvirt learns it from the VM's traffic and leaves the VM unfiltered
 * until then (see BEFORE THE FIRST PACKET in nwfilter-gen(8)). */
static void
load_addresses(SpFirewall *fw, const SpConfig *cfg, const char *group, SpBinding *b, GArray *seen,
	       SpDiag *diag)
{
	g_autoptr(GArray) items = sp_config_get_items(cfg, group, "addresses");
	g_autoptr(GArray) addrs = g_array_new(FALSE, FALSE, sizeof(SpCidr));

	if (!items) {
		sp_config_diag_group_at(
			cfg, fw->warnings, group, 3,
			"warning: VM '%s' has no addresses: it may send from any "
			"IPv4 and IPv6 address (list them, or say 'addresses = any')",
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
			SeenAddress here = {.vm = b->vm,
					    .cidr = cidr,
					    .line = sp_config_line(cfg, group, "addresses"),
					    .col = it->col};
			gboolean dup = FALSE;

			for (guint j = 0; j < addrs->len; j++)
				dup |= cidr_same(&g_array_index(addrs, SpCidr, j), &cidr);
			if (dup) {
				sp_config_diag_item(cfg, diag, group, "addresses", it,
						    "address '%s' is listed twice", it->text);
				continue;
			}
			g_strlcpy(here.text, it->text, sizeof(here.text));
			g_array_append_val(addrs, cidr);
			g_array_append_val(seen, here);
		} else {
			sp_config_diag_item(cfg, diag, group, "addresses", it, "%s",
					    sp_error_message());
			sp_error_clear();
		}
	}
	if (addrs->len > 0)
		b->addresses = g_steal_pointer(&addrs);
}

/* Frame types other than IPv4, IPv6 and ARP that a VM with addresses may
 * send: everything else is dropped, since the source checks cannot see
 * inside them (a VLAN tag, say). */
static void
load_ethertypes(const SpConfig *cfg, const char *group, SpBinding *b, SpDiag *diag)
{
	g_autoptr(GArray) items = sp_config_get_items(cfg, group, "ethertypes");
	g_autoptr(GArray) types = g_array_new(FALSE, FALSE, sizeof(guint16));

	if (!items)
		return;
	if (!b->addresses) {
		sp_config_diag(cfg, diag, group, "ethertypes",
			       "ethertypes needs addresses: a VM whose source addresses are not "
			       "checked may send frames of every type already");
		return;
	}
	for (guint i = 0; i < items->len; i++) {
		const SpListItem *it = &g_array_index(items, SpListItem, i);
		guint64 v = 0;
		guint16 type;
		gboolean dup = FALSE;

		if (!*it->text) {
			sp_config_diag_item(cfg, diag, group, "ethertypes", it,
					    "empty item after ',' in the list of ethertypes");
			continue;
		}
		if (strlen(it->text) != 6 || !g_str_has_prefix(it->text, "0x") ||
		    !g_ascii_string_to_unsigned(it->text + 2, 16, 0x0600, 0xffff, &v, NULL)) {
			sp_config_diag_item(cfg, diag, group, "ethertypes", it,
					    "'%s' is not an ethertype (four hex digits from 0x0600 "
					    "to 0xffff, as 0x88cc)",
					    it->text);
			continue;
		}
		if (v == 0x0800 || v == 0x0806 || v == 0x86dd) {
			sp_config_diag_item(cfg, diag, group, "ethertypes", it,
					    "'%s' is IPv4, ARP or IPv6, which the source checks "
					    "handle: list only other types",
					    it->text);
			continue;
		}
		for (guint j = 0; j < types->len; j++)
			dup |= g_array_index(types, guint16, j) == v;
		if (dup) {
			sp_config_diag_item(cfg, diag, group, "ethertypes", it,
					    "ethertype '%s' is listed twice", it->text);
			continue;
		}
		type = (guint16) v;
		g_array_append_val(types, type);
	}
	if (types->len > 0)
		b->ethertypes = g_steal_pointer(&types);
}

/* A VM that is no router may not send router advertisements or redirects,
 * which steer other hosts' IPv6 traffic. "addresses = any" was this
 * program's advice for routers before the key existed: such a VM without
 * the key gets a warning, as it loses both with the upgrade. */
static void
load_router(SpFirewall *fw, const SpConfig *cfg, const char *group, SpBinding *b, SpDiag *diag)
{
	const char *value = sp_config_get(cfg, group, "router");

	if (!value) {
		if (g_strcmp0(sp_config_get(cfg, group, "addresses"), "any") == 0)
			sp_config_diag(cfg, fw->warnings, group, "addresses",
				       "warning: VM '%s' has 'addresses = any' but no 'router' "
				       "key: it may not send IPv6 router advertisements or "
				       "redirects (say 'router = yes' if it routes, 'router = no' "
				       "if not)",
				       b->vm);
		return;
	}
	if (sp_value_bool(value, &b->router) < 0) {
		sp_config_diag(cfg, diag, group, "router", "router must be yes or no, not '%s'",
			       value);
		sp_error_clear();
	}
}

static void
load_binding(SpFirewall *fw, const SpConfig *cfg, const char *config_dir, const char *group,
	     GArray *seen, SpDiag *diag)
{
	static const char *const vm_keys[] = {"policies", "addresses", "ethertypes", "router",
					      NULL};
	const char *vm = group + 3;
	g_autoptr(GArray) items = NULL;
	SpBinding *b;

	sp_config_check_keys(cfg, group, vm_keys, diag);
	if (!sp_name_domain_valid(vm)) {
		sp_config_diag_group_at(cfg, diag, group, 3, "%s", sp_error_message());
		sp_error_clear();
		return;
	}
	/* The filter's name must be an XML NCName (libvirt's schema), and '+'
	 * is the one character of a domain name that is not; a mapping would
	 * need an escape that can never collide with another VM's name. */
	if (strchr(vm, '+')) {
		sp_config_diag_group_at(
			cfg, diag, group, 3 + (int) (strchr(vm, '+') - vm),
			"VM name '%s' contains '+', which libvirt does not allow in "
			"a filter name ('sparrow-vm-%s'): nwfilter-gen cannot give "
			"this VM a filter",
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
	load_addresses(fw, cfg, group, b, seen, diag);
	load_ethertypes(cfg, group, b, diag);
	load_router(fw, cfg, group, b, diag);
	g_ptr_array_add(fw->bindings, b);
}

/* [defaults] dhcp-servers: the IPv4 addresses (or networks: relays) DHCP
 * offers may come from; "any" for every source. TRUE if the key is there. */
static gboolean
load_dhcp_servers(SpFirewall *fw, const SpConfig *cfg, SpDiag *diag)
{
	g_autoptr(GArray) items = sp_config_get_items(cfg, "defaults", "dhcp-servers");
	g_autoptr(GArray) servers = g_array_new(FALSE, FALSE, sizeof(SpCidr));

	if (!items)
		return FALSE;
	if (items->len == 0 || (items->len == 1 && !*g_array_index(items, SpListItem, 0).text)) {
		sp_config_diag(cfg, diag, "defaults", "dhcp-servers",
			       "no DHCP servers: list their addresses, or say any");
		return TRUE;
	}
	for (guint i = 0; i < items->len; i++) {
		const SpListItem *it = &g_array_index(items, SpListItem, i);
		SpCidr cidr;

		if (!*it->text) {
			sp_config_diag_item(cfg, diag, "defaults", "dhcp-servers", it,
					    "empty item after ',' in the list of DHCP servers");
		} else if (strcmp(it->text, "any") == 0) {
			if (items->len > 1)
				sp_config_diag_item(cfg, diag, "defaults", "dhcp-servers", it,
						    "'any' stands alone: it means DHCP offers may "
						    "come from any address");
		} else if (sp_cidr_parse(it->text, &cidr) < 0) {
			sp_config_diag_item(cfg, diag, "defaults", "dhcp-servers", it, "%s",
					    sp_error_message());
			sp_error_clear();
		} else if (cidr.family != AF_INET) {
			sp_config_diag_item(
				cfg, diag, "defaults", "dhcp-servers", it,
				"DHCP server '%s' is not an IPv4 address (DHCPv6 is left "
				"to the policies)",
				it->text);
		} else {
			g_array_append_val(servers, cidr);
		}
	}
	if (servers->len > 0)
		fw->dhcp_servers = g_steal_pointer(&servers);
	return TRUE;
}

static void
load_bindings(SpFirewall *fw, const char *config_dir, SpDiag *diag)
{
	static const char *const default_keys[] = {"inbound", "dhcp-servers", NULL};
	g_autofree char *path = g_build_filename(config_dir, "firewall.conf", NULL);
	g_autoptr(SpConfig) cfg = sp_config_load(path, diag);
	g_autoptr(GArray) seen = g_array_new(FALSE, FALSE, sizeof(SeenAddress));
	const char *first_vm = NULL;
	gboolean dhcp_given = FALSE;

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
			dhcp_given = load_dhcp_servers(fw, cfg, diag);
		} else if (g_str_has_prefix(group, "vm ")) {
			first_vm = first_vm ? first_vm : group;
			load_binding(fw, cfg, config_dir, group, seen, diag);
		} else {
			sp_config_diag(cfg, diag, group, NULL,
				       "unknown group [%s] (expected [defaults] or [vm NAME])",
				       group);
		}
	}
	check_overlaps(fw, cfg, seen);
	/* Earlier versions let offers in from anywhere, and still do without
	 * the key: an admin is told, at [defaults] (or the first VM). */
	if (!dhcp_given && first_vm)
		sp_config_diag(cfg, fw->warnings,
			       sp_config_line(cfg, "defaults", NULL) ? "defaults" : first_vm, NULL,
			       "warning: DHCP offers reach every VM from any address: say which "
			       "servers send them ('dhcp-servers = ADDR, ...' in [defaults]), or "
			       "'dhcp-servers = any'");
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
	if (fw->dhcp_servers)
		g_array_free(fw->dhcp_servers, TRUE);
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
