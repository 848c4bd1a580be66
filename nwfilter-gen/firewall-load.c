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
	if (b->addresses)
		g_array_free(b->addresses, TRUE);
	g_free(b);
}

static gint
str_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

static gint
policy_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp((*(SpPolicy *const *) a)->name, (*(SpPolicy *const *) b)->name);
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
		int line, col;

		sp_text_position(text, (gsize) ((char *) memchr(text, '\0', len) - text), &line,
				 &col);
		sp_diag_add(diag, path, line, col, "NUL byte (the file must be text)");
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

/* sp-config knows the line of a group or key, not the column: find it in
 * the text, so that every message we add names FILE:LINE:COL. */
typedef struct {
	const SpConfig *cfg;
	char **lines; /* the file's text, split */
	SpDiag *diag;
} Conf;

static const char *
conf_line(const Conf *c, int line)
{
	return line > 0 && line <= (int) g_strv_length(c->lines) ? c->lines[line - 1] : "";
}

static void G_GNUC_PRINTF(4, 5) conf_err(const Conf *c, int line, int col, const char *fmt, ...)
{
	va_list ap;
	g_autofree char *msg = NULL;

	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	sp_diag_add(c->diag, sp_config_path(c->cfg), line, col, "%s", msg);
}

/* Column of the group's name in "[NAME]" (plus skip characters into it). */
static int
group_col(const Conf *c, const char *group, int skip)
{
	const char *l = conf_line(c, sp_config_line(c->cfg, group, NULL));
	const char *b = strchr(l, '[');
	const char *name = b ? strstr(b, group) : NULL;

	return name ? (int) (name - l) + 1 + skip : 1;
}

static int
key_col(const Conf *c, const char *group, const char *key)
{
	const char *l = conf_line(c, sp_config_line(c->cfg, group, key));
	const char *k = strstr(l, key);

	return k ? (int) (k - l) + 1 : 1;
}

/* The value's comma-separated items with their columns (sp-config gives the
 * value trimmed and without its comment: find it after the '='). */
static GArray *
value_items(const Conf *c, const char *group, const char *key)
{
	const char *value = sp_config_get(c->cfg, group, key);
	const char *l = conf_line(c, sp_config_line(c->cfg, group, key));
	const char *eq = strchr(l, '=');
	const char *v = eq && value ? strstr(eq + 1, value) : NULL;

	if (!value || !*value)
		return g_array_new(FALSE, TRUE, sizeof(SpListItem)); /* no items at all */
	return sp_list_items(value, NULL, v ? (int) (v - l) + 1 : 1);
}

static void
check_keys(const Conf *c, const char *group, const char *const *allowed)
{
	g_auto(GStrv) keys = g_key_file_get_keys(sp_config_keyfile(c->cfg), group, NULL, NULL);

	for (int i = 0; keys && keys[i]; i++)
		if (!g_strv_contains(allowed, keys[i]))
			conf_err(c, sp_config_line(c->cfg, group, keys[i]),
				 key_col(c, group, keys[i]), "unknown key '%s' in [%s]", keys[i],
				 group);
}

static const char *const action_words[] = {"allow", "drop", "reject"};

/* Policies bound to one VM must come out of libvirt in binding order where
 * it matters (policy-order.c). */
static void
check_order(SpFirewall *fw, const Conf *c, int line, GArray *items)
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
			conf_err(c, line, lj->col,
				 "policy '%s' is bound after '%s', but libvirt would evaluate its "
				 "rule %s.policy:%d (%s) at or before %s.policy:%d (%s), and both "
				 "match some of the same traffic: rules of different policies are "
				 "ordered by their position in their file (see POLICY ORDER in "
				 "nwfilter-gen(8))",
				 later->name, earlier->name, later->name, l->line,
				 action_words[l->action], earlier->name, e->line,
				 action_words[e->action]);
		}
	}
}

/* The addresses a VM may send from. They are written into its root filter
 * as they are: a filter that takes them from the domain's IP parameter is
 * not instantiated at all until libvirt knows a value, and without one
 * libvirt learns it from the VM's traffic and leaves the VM unfiltered
 * until then (see BEFORE THE FIRST PACKET in nwfilter-gen(8)). */
static void
load_addresses(SpFirewall *fw, const Conf *c, const char *group, SpBinding *b)
{
	g_autoptr(GArray) items = NULL;
	int line = sp_config_line(c->cfg, group, "addresses");
	g_autoptr(GArray) addrs = g_array_new(FALSE, FALSE, sizeof(SpCidr));

	if (!sp_config_get(c->cfg, group, "addresses")) {
		sp_diag_add(fw->warnings, sp_config_path(c->cfg),
			    sp_config_line(c->cfg, group, NULL), group_col(c, group, 3),
			    "warning: VM '%s' has no addresses: it may send from any IPv4 and IPv6 "
			    "address (list them, or say 'addresses = any')",
			    b->vm);
		return;
	}
	items = value_items(c, group, "addresses");
	if (items->len == 0)
		conf_err(c, line, key_col(c, group, "addresses"),
			 "no addresses: list the VM's addresses, or say any");
	for (guint i = 0; i < items->len; i++) {
		const SpListItem *it = &g_array_index(items, SpListItem, i);
		SpCidr cidr;

		if (!*it->text) {
			conf_err(c, line, it->col, "empty item after ',' in the list of addresses");
		} else if (strcmp(it->text, "any") == 0) {
			if (items->len > 1)
				conf_err(
					c, line, it->col,
					"'any' stands alone: it means the VM's source addresses are "
					"not checked");
		} else if (sp_cidr_parse(it->text, &cidr)) {
			g_array_append_val(addrs, cidr);
		} else {
			conf_err(c, line, it->col, "%s", sp_error_message());
			sp_error_clear();
		}
	}
	if (addrs->len > 0)
		b->addresses = g_steal_pointer(&addrs);
}

static void
load_binding(SpFirewall *fw, const Conf *c, const char *config_dir, const char *group)
{
	static const char *const vm_keys[] = {"policies", "addresses", NULL};
	const char *vm = group + 3;
	g_autoptr(GArray) items = NULL;
	int line = sp_config_line(c->cfg, group, "policies");
	SpBinding *b;

	check_keys(c, group, vm_keys);
	if (!sp_name_domain_valid(vm)) {
		conf_err(c, sp_config_line(c->cfg, group, NULL), group_col(c, group, 3), "%s",
			 sp_error_message());
		sp_error_clear();
		return;
	}
	/* The filter's name must be an XML NCName (libvirt's schema), and '+'
	 * is the one character of a domain name that is not; a mapping would
	 * need an escape that can never collide with another VM's name. */
	if (strchr(vm, '+')) {
		conf_err(c, sp_config_line(c->cfg, group, NULL),
			 group_col(c, group, 3 + (int) (strchr(vm, '+') - vm)),
			 "VM name '%s' contains '+', which libvirt does not allow in a filter "
			 "name (sparrow-vm-%s): nwfilter-gen cannot give this VM a filter",
			 vm, vm);
		return;
	}
	items = value_items(c, group, "policies");
	b = g_new0(SpBinding, 1);
	b->vm = g_strdup(vm);
	b->policies = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < items->len; i++) {
		const SpListItem *it = &g_array_index(items, SpListItem, i);
		gboolean dup = FALSE;

		if (!*it->text) {
			conf_err(c, line, it->col, "empty item after ',' in the list of policies");
			continue;
		}
		/* Before the file test: a name is never a path. */
		if (!sp_name_simple_valid("policy", it->text, SP_POLICY_NAME_MAX)) {
			conf_err(c, line, it->col, "%s", sp_error_message());
			sp_error_clear();
			continue;
		}
		if (!policy_exists(fw, config_dir, it->text))
			conf_err(c, line, it->col, "unknown policy '%s' (no policies.d/%s.policy)",
				 it->text, it->text);
		for (guint j = 0; j < b->policies->len; j++)
			dup |= strcmp(g_ptr_array_index(b->policies, j), it->text) == 0;
		if (dup)
			conf_err(c, line, it->col, "policy '%s' is listed twice", it->text);
		g_ptr_array_add(b->policies, g_strdup(it->text));
	}
	check_order(fw, c, line, items);
	load_addresses(fw, c, group, b);
	g_ptr_array_add(fw->bindings, b);
}

static void
load_bindings(SpFirewall *fw, const char *config_dir, SpDiag *diag)
{
	g_autofree char *path = g_build_filename(config_dir, "firewall.conf", NULL);
	g_autofree char *text = read_trusted(path, diag);
	g_autoptr(SpConfig) cfg = NULL;
	g_auto(GStrv) lines = NULL;
	static const char *const default_keys[] = {"inbound", NULL};
	Conf c = {.diag = diag};

	if (!text)
		return;
	cfg = sp_config_parse(path, text, diag);
	if (!cfg)
		return;
	lines = g_strsplit(text, "\n", -1);
	c.cfg = cfg;
	c.lines = lines;
	for (const char *const *g = sp_config_groups(cfg); *g; g++) {
		const char *group = *g;

		if (strcmp(group, "defaults") == 0) {
			const char *inbound = sp_config_get(cfg, group, "inbound");

			check_keys(&c, group, default_keys);
			if (inbound && strcmp(inbound, "accept") == 0) {
				fw->inbound_accept = TRUE;
			} else if (inbound && strcmp(inbound, "drop") != 0) {
				g_autoptr(GArray) v = value_items(&c, group, "inbound");

				conf_err(&c, sp_config_line(cfg, group, "inbound"),
					 v->len ? g_array_index(v, SpListItem, 0).col : 1,
					 "inbound must be drop or accept, not '%s'", inbound);
			}
		} else if (g_str_has_prefix(group, "vm ")) {
			load_binding(fw, &c, config_dir, group);
		} else {
			conf_err(&c, sp_config_line(cfg, group, NULL), group_col(&c, group, 0),
				 "unknown group [%s] (expected [defaults] or [vm NAME])", group);
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
