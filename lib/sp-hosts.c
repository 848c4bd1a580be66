/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <string.h>

#include "sp-config.h"
#include "sp-error.h"
#include "sp-hosts.h"
#include "sp-names.h"
#include "sp-value.h"

/* Far above any real host, far below what overflows a calculation. */
#define MAX_CORES 100000
#define MAX_MEMORY_GB 1000000.0

static void
host_free(gpointer data)
{
	SpHost *h = data;

	g_free(h->name);
	g_free(h->uri);
	g_free(h->migration_uri);
	g_free(h);
}

void
sp_hosts_free(SpHosts *hosts)
{
	if (!hosts)
		return;
	g_free(hosts->path);
	g_ptr_array_free(hosts->hosts, TRUE);
	g_free(hosts);
}

const SpHost *
sp_hosts_find(const SpHosts *hosts, const char *name)
{
	for (guint i = 0; i < hosts->hosts->len; i++) {
		const SpHost *h = g_ptr_array_index(hosts->hosts, i);

		if (strcmp(h->name, name) == 0)
			return h;
	}
	return NULL;
}

/* libvirt parses the URI itself; here only what would make it something
 * else than one URI: a scheme libvirt knows the shape of, no blanks or
 * control characters. */
static gboolean
uri_plausible(const char *uri)
{
	const char *colon = strchr(uri, ':');

	if (!colon || colon == uri || !g_ascii_isalpha(uri[0]))
		return FALSE;
	for (const char *p = uri; p < colon; p++)
		if (!g_ascii_isalnum(*p) && *p != '+' && *p != '-' && *p != '.')
			return FALSE;
	for (const char *p = uri; *p; p++)
		if ((guchar) *p <= ' ' || *p == 0x7f)
			return FALSE;
	return TRUE;
}

static void
host_options(const SpConfig *cfg, SpHost *h, SpDiag *diag)
{
	static const char *const allowed[] = {"cores", "memory", "migration_uri", "host_load",
					      NULL};
	g_autofree char *group = g_strdup_printf("host %s", h->name);
	const char *v;

	sp_config_check_keys(cfg, group, allowed, diag);
	if ((v = sp_config_get(cfg, group, "cores")) &&
	    sp_value_double(v, 0.01, MAX_CORES, &h->cores) < 0) {
		sp_config_diag(cfg, diag, group, "cores", "cores: %s", sp_error_message());
		sp_error_clear();
	}
	if ((v = sp_config_get(cfg, group, "memory")) &&
	    sp_value_double(v, 0.01, MAX_MEMORY_GB, &h->memory_gb) < 0) {
		sp_config_diag(cfg, diag, group, "memory", "memory (GiB): %s", sp_error_message());
		sp_error_clear();
	}
	if ((v = sp_config_get(cfg, group, "migration_uri"))) {
		if (!uri_plausible(v))
			sp_config_diag(cfg, diag, group, "migration_uri",
				       "migration_uri '%s' is not a URI (such as tcp://10.0.0.1)",
				       v);
		else
			h->migration_uri = g_strdup(v);
	}
	if ((v = sp_config_get(cfg, group, "host_load")) && sp_value_bool(v, &h->host_load) < 0) {
		sp_config_diag(cfg, diag, group, "host_load", "host_load: %s", sp_error_message());
		sp_error_clear();
	}
}

static SpHosts *
hosts_read(const SpConfig *cfg, SpDiag *diag)
{
	g_autoptr(SpHosts) hosts = g_new0(SpHosts, 1);
	const char *const *names = sp_config_keys(cfg, "hosts");
	const char *const *groups = sp_config_groups(cfg);
	guint before = sp_diag_count(diag);

	hosts->path = g_strdup(sp_config_path(cfg));
	hosts->hosts = g_ptr_array_new_with_free_func(host_free);
	for (guint i = 0; groups[i]; i++) {
		const char *g = groups[i];

		if (strcmp(g, "hosts") == 0)
			continue;
		if (!g_str_has_prefix(g, "host ")) {
			sp_config_diag(cfg, diag, g, NULL,
				       "unknown group [%s] (expected [hosts] or [host NAME])", g);
			continue;
		}
		if (!g_strv_contains(names, g + strlen("host ")))
			sp_config_diag(cfg, diag, g, NULL, "host '%s' is not listed in [hosts]",
				       g + strlen("host "));
	}
	for (guint i = 0; names[i]; i++) {
		SpHost *h;
		const char *uri = sp_config_get(cfg, "hosts", names[i]);

		if (!sp_name_host_valid(names[i])) {
			sp_config_diag(cfg, diag, "hosts", names[i], "%s", sp_error_message());
			sp_error_clear();
			continue;
		}
		if (!uri || !uri_plausible(uri)) {
			sp_config_diag(cfg, diag, "hosts", names[i],
				       "host '%s': '%s' is not a libvirt URI (such as "
				       "qemu+ssh://root@%s/system)",
				       names[i], uri ? uri : "", names[i]);
			continue;
		}
		h = g_new0(SpHost, 1);
		h->name = g_strdup(names[i]);
		h->uri = g_strdup(uri);
		h->host_load = TRUE;
		host_options(cfg, h, diag);
		g_ptr_array_add(hosts->hosts, h);
	}
	if (sp_diag_count(diag) > before)
		return NULL;
	return g_steal_pointer(&hosts);
}

SpHosts *
sp_hosts_parse(const char *path, const char *text, SpDiag *diag)
{
	g_autoptr(SpConfig) cfg = sp_config_parse(path, text, diag);

	return cfg ? hosts_read(cfg, diag) : NULL;
}

SpHosts *
sp_hosts_load(const char *path, SpDiag *diag)
{
	g_autoptr(SpConfig) cfg = sp_config_load(path, diag);

	return cfg ? hosts_read(cfg, diag) : NULL;
}
