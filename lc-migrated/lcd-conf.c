/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading lc.conf and hosts.conf into one LcdConf, all or nothing. */
#include "config.h"

#include <arpa/inet.h>
#include <grp.h>
#include <stddef.h>
#include <string.h>

#include "lcd-conf.h"
#include "sp-config.h"
#include "sp-error.h"
#include "sp-names.h"
#include "sp-value.h"

#ifndef SP_SYSCONFDIR
#define SP_SYSCONFDIR "/etc"
#endif

/* How a [policy] key is read and where it goes. */
typedef enum {
	KIND_PERCENT,  /* "90%" -> 0.9 */
	KIND_UINT,     /* rounds, counts */
	KIND_DOUBLE,   /* a plain number */
	KIND_FRACTION, /* (0, 1], "1/60" allowed */
	KIND_MINUTES,  /* a duration, held in minutes (the core's time) */
	KIND_SECONDS,  /* a duration, held in seconds */
} Kind;

typedef struct {
	const char *key;
	Kind kind;
	gsize offset; /* in LcdConf */
	double min, max;
} PolicyKey;

#define CORE(field) offsetof(LcdConf, core) + offsetof(SpLcConfig, field)

static const PolicyKey policy_keys[] = {
	{"high", KIND_PERCENT, CORE(high), 0.01, 10},
	{"high_window", KIND_UINT, CORE(high_window), 1, 10000},
	{"low", KIND_PERCENT, CORE(low), 0, 10},
	{"low_window", KIND_UINT, CORE(low_window), 1, 10000},
	{"goal", KIND_PERCENT, CORE(goal), 0.01, 10},
	{"target_max", KIND_PERCENT, CORE(target_max), 0.01, 10},
	{"spread", KIND_PERCENT, CORE(spread), 0, 10},
	{"risk_z", KIND_DOUBLE, CORE(risk_z), 0, 10},
	{"vm_ewma", KIND_FRACTION, CORE(vm_ewma), 1e-6, 1},
	{"vm_ewma_fast", KIND_FRACTION, CORE(vm_ewma_fast), 1e-6, 1},
	{"vm_cooldown", KIND_MINUTES, CORE(vm_cooldown_min), 0, 30 * 86400},
	{"vm_cooldown_max", KIND_MINUTES, CORE(vm_cooldown_max), 0, 30 * 86400},
	{"return_block", KIND_MINUTES, CORE(return_block_min), 0, 30 * 86400},
	{"host_cooldown", KIND_MINUTES, CORE(host_cooldown_min), 0, 30 * 86400},
	{"max_per_host", KIND_UINT, CORE(max_per_host), 1, 10000},
	{"max_cluster", KIND_UINT, CORE(max_cluster), 1, 100000},
	{"downtime", KIND_SECONDS, CORE(downtime_s), 0.001, 3600},
	{"load_window", KIND_DOUBLE, offsetof(LcdConf, load_window), 0.01, 10000},
};

void
lcd_conf_free(LcdConf *conf)
{
	if (!conf)
		return;
	g_free(conf->socket);
	g_free(conf->metrics);
	g_free(conf->state_dir);
	g_free(conf->lock);
	if (conf->pinned)
		g_hash_table_destroy(conf->pinned);
	if (conf->group_of)
		g_hash_table_destroy(conf->group_of);
	sp_hosts_free(conf->hosts);
	g_free(conf);
}

static LcdConf *
conf_defaults(void)
{
	LcdConf *c = g_new0(LcdConf, 1);

	c->mode = LCD_MODE_ENFORCE;
	c->interval_s = 60;
	c->socket = g_strdup(LCD_DEFAULT_SOCKET);
	c->metrics = g_strdup("127.0.0.1:9468");
	c->state_dir = g_strdup("/var/lib/sparrow/lc-migrated");
	c->lock = g_strdup("/run/sparrow/lc-migrated.lock");
	c->keepalive_interval_s = 5;
	c->keepalive_count = 3;
	c->log_level = SP_LOG_INFO;
	sp_lc_config_init(&c->core);
	c->load_window = 1;
	c->timeout_s = 600;
	c->pinned = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	c->group_of = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	return c;
}

/* The current sp_error as a diagnostic at key, then cleared. */
static void
diag_error(const SpConfig *cfg, SpDiag *diag, const char *group, const char *key)
{
	sp_config_diag(cfg, diag, group, key, "%s: %s", key, sp_error_message());
	sp_error_clear();
}

static int
fraction_parse(const char *v, double min, double max, double *out)
{
	const char *slash = strchr(v, '/');
	g_autofree char *num = NULL;
	double a, b;

	if (!slash)
		return sp_value_double(v, min, max, out);
	num = g_strndup(v, (gsize) (slash - v));
	if (sp_value_double(num, 0, 1e9, &a) < 0 || sp_value_double(slash + 1, 1e-9, 1e9, &b) < 0) {
		sp_error("'%s' is not a fraction (such as 1/60, or 0.0167)", v);
		return -1;
	}
	if (a / b < min || a / b > max) {
		sp_error("'%s' is out of range (%g to %g)", v, min, max);
		return -1;
	}
	*out = a / b;
	return 0;
}

static void
policy_read(const SpConfig *cfg, LcdConf *c, SpDiag *diag)
{
	const char *v;

	for (guint i = 0; i < G_N_ELEMENTS(policy_keys); i++) {
		const PolicyKey *k = &policy_keys[i];
		gpointer field = (char *) c + k->offset;
		double d;
		guint u;
		int rc = 0;

		if (!(v = sp_config_get(cfg, "policy", k->key)))
			continue;
		switch (k->kind) {
		case KIND_PERCENT:
			rc = sp_value_percent(v, k->min, k->max, &d);
			break;
		case KIND_UINT:
			rc = sp_value_uint(v, (guint) k->min, (guint) k->max, &u);
			break;
		case KIND_DOUBLE:
			rc = sp_value_double(v, k->min, k->max, &d);
			break;
		case KIND_FRACTION:
			rc = fraction_parse(v, k->min, k->max, &d);
			break;
		case KIND_MINUTES:
		case KIND_SECONDS:
			rc = sp_value_duration(v, k->min, k->max, &d);
			if (k->kind == KIND_MINUTES)
				d /= 60;
			break;
		}
		if (rc < 0) {
			diag_error(cfg, diag, "policy", k->key);
			continue;
		}
		if (k->kind == KIND_UINT)
			*(guint *) field = u;
		else
			*(double *) field = d;
	}
	/* Settings that contradict each other would make the core move VMs
	 * back and forth, or never. */
	if (c->core.low >= c->core.high)
		sp_config_diag(cfg, diag, "policy",
			       sp_config_get(cfg, "policy", "low") ? "low" : "high",
			       "low (%g%%) must be under high (%g%%)", c->core.low * 100,
			       c->core.high * 100);
	if (c->core.goal > c->core.high)
		sp_config_diag(cfg, diag, "policy", "goal",
			       "goal (%g%%) must not be over high (%g%%)", c->core.goal * 100,
			       c->core.high * 100);
	if (c->core.vm_cooldown_min > c->core.vm_cooldown_max)
		sp_config_diag(cfg, diag, "policy", "vm_cooldown",
			       "vm_cooldown must not be longer than vm_cooldown_max");
}

static void
names_read(const SpConfig *cfg, LcdConf *c, SpDiag *diag)
{
	g_autoptr(GArray) pinned = sp_config_get_items(cfg, "policy", "pinned");
	const char *const *groups = sp_config_keys(cfg, "anti-affinity");

	for (guint i = 0; pinned && i < pinned->len; i++) {
		const SpListItem *it = &g_array_index(pinned, SpListItem, i);

		if (!sp_name_domain_valid(it->text)) {
			sp_config_diag_item(cfg, diag, "policy", "pinned", it, "%s",
					    sp_error_message());
			sp_error_clear();
			continue;
		}
		g_hash_table_add(c->pinned, g_strdup(it->text));
	}
	for (guint g = 0; groups[g]; g++) {
		g_autoptr(GArray) vms = NULL;

		if (!sp_name_simple_valid("anti-affinity group", groups[g], 64)) {
			diag_error(cfg, diag, "anti-affinity", groups[g]);
			continue;
		}
		vms = sp_config_get_items(cfg, "anti-affinity", groups[g]);
		for (guint i = 0; vms && i < vms->len; i++) {
			const SpListItem *it = &g_array_index(vms, SpListItem, i);
			const char *other;

			if (!sp_name_domain_valid(it->text)) {
				sp_config_diag_item(cfg, diag, "anti-affinity", groups[g], it, "%s",
						    sp_error_message());
				sp_error_clear();
				continue;
			}
			/* The core knows one group per VM. */
			if ((other = g_hash_table_lookup(c->group_of, it->text))) {
				if (strcmp(other, groups[g]) == 0)
					sp_config_diag_item(cfg, diag, "anti-affinity", groups[g],
							    it, "vm '%s' appears twice", it->text);
				else
					sp_config_diag_item(cfg, diag, "anti-affinity", groups[g],
							    it,
							    "vm '%s' is already in group '%s' (one "
							    "group per vm)",
							    it->text, other);
				continue;
			}
			g_hash_table_insert(c->group_of, g_strdup(it->text), g_strdup(groups[g]));
		}
	}
}

static void
path_read(const SpConfig *cfg, SpDiag *diag, const char *key, char **field)
{
	const char *v = sp_config_get(cfg, "daemon", key);

	if (!v)
		return;
	if (!g_path_is_absolute(v) || strlen(v) > 100) {
		/* 108 bytes is all a unix socket address holds. */
		sp_config_diag(cfg, diag, "daemon", key,
			       "%s '%s' must be an absolute path of at most 100 bytes", key, v);
		return;
	}
	g_free(*field);
	*field = g_strdup(v);
}

/* "127.0.0.1:9468", "[::1]:9468": checked here, bound by the daemon. */
static int
listen_check(const char *v)
{
	const char *colon = strrchr(v, ':');
	g_autofree char *addr = NULL;
	guchar bytes[16];
	guint port;

	if (!colon) {
		sp_error("'%s' is not ADDRESS:PORT (such as 127.0.0.1:9468)", v);
		return -1;
	}
	addr = g_strndup(v, (gsize) (colon - v));
	if (addr[0] == '[' && addr[strlen(addr) - 1] == ']') {
		memmove(addr, addr + 1, strlen(addr));
		addr[strlen(addr) - 1] = '\0';
		if (inet_pton(AF_INET6, addr, bytes) == 1)
			return sp_value_uint(colon + 1, 1, 65535, &port);
	} else if (strchr(addr, ':')) {
		sp_error("'%s': an IPv6 address goes in brackets ([::1]:9468)", v);
		return -1;
	}
	if (inet_pton(AF_INET, addr, bytes) != 1) {
		sp_error("'%s' is not an IP address", addr);
		return -1;
	}
	return sp_value_uint(colon + 1, 1, 65535, &port);
}

static void
daemon_read(const SpConfig *cfg, LcdConf *c, SpDiag *diag)
{
	const char *v;
	double d;

	if ((v = sp_config_get(cfg, "daemon", "mode"))) {
		if (strcmp(v, "enforce") == 0)
			c->mode = LCD_MODE_ENFORCE;
		else if (strcmp(v, "advise") == 0)
			c->mode = LCD_MODE_ADVISE;
		else
			sp_config_diag(cfg, diag, "daemon", "mode",
				       "mode '%s' is not enforce or advise", v);
	}
	if ((v = sp_config_get(cfg, "daemon", "interval"))) {
		if (sp_value_duration(v, 1, 3600, &c->interval_s) < 0)
			diag_error(cfg, diag, "daemon", "interval");
	}
	path_read(cfg, diag, "socket", &c->socket);
	path_read(cfg, diag, "state", &c->state_dir);
	path_read(cfg, diag, "lock", &c->lock);
	if ((v = sp_config_get(cfg, "daemon", "socket_group")) && *v) {
		struct group *gr = getgrnam(v);

		if (!gr)
			sp_config_diag(cfg, diag, "daemon", "socket_group",
				       "socket_group '%s' is not a group of this system", v);
		else {
			c->socket_group_set = TRUE;
			c->socket_gid = gr->gr_gid;
		}
	}
	if ((v = sp_config_get(cfg, "daemon", "metrics"))) {
		g_clear_pointer(&c->metrics, g_free);
		if (*v && listen_check(v) < 0)
			diag_error(cfg, diag, "daemon", "metrics");
		else if (*v)
			c->metrics = g_strdup(v);
	}
	if ((v = sp_config_get(cfg, "daemon", "keepalive_interval"))) {
		if (sp_value_duration(v, 1, 600, &c->keepalive_interval_s) < 0)
			diag_error(cfg, diag, "daemon", "keepalive_interval");
	}
	if ((v = sp_config_get(cfg, "daemon", "keepalive_count")) &&
	    sp_value_uint(v, 1, 100, &c->keepalive_count) < 0)
		diag_error(cfg, diag, "daemon", "keepalive_count");
	if ((v = sp_config_get(cfg, "daemon", "log_level")) &&
	    sp_log_level_parse(v, &c->log_level) < 0)
		diag_error(cfg, diag, "daemon", "log_level");
	if ((v = sp_config_get(cfg, "migration", "bandwidth")) &&
	    sp_value_uint(v, 0, 1000000, &c->bandwidth_mib) < 0)
		diag_error(cfg, diag, "migration", "bandwidth");
	if ((v = sp_config_get(cfg, "migration", "timeout"))) {
		if (sp_value_duration(v, 1, 86400, &d) < 0)
			diag_error(cfg, diag, "migration", "timeout");
		else
			c->timeout_s = d;
	}
	/* The cost model weighs moves by the bandwidth they will get. */
	if (c->bandwidth_mib)
		c->core.bandwidth_gbps = c->bandwidth_mib / 1024.0;
}

static void
lc_read(const SpConfig *cfg, LcdConf *c, SpDiag *diag)
{
	static const char *const daemon_keys[] = {
		"mode", "interval",           "socket",          "socket_group", "metrics", "state",
		"lock", "keepalive_interval", "keepalive_count", "log_level",    NULL};
	static const char *const migration_keys[] = {"bandwidth", "timeout", NULL};
	const char *const *groups = sp_config_groups(cfg);
	g_autoptr(GPtrArray) policy_names = g_ptr_array_new();

	for (guint i = 0; i < G_N_ELEMENTS(policy_keys); i++)
		g_ptr_array_add(policy_names, (gpointer) policy_keys[i].key);
	g_ptr_array_add(policy_names, (gpointer) "pinned");
	g_ptr_array_add(policy_names, NULL);
	for (guint i = 0; groups[i]; i++) {
		static const char *const known[] = {"daemon", "policy", "migration",
						    "anti-affinity", NULL};

		if (!g_strv_contains(known, groups[i]))
			sp_config_diag(cfg, diag, groups[i], NULL,
				       "unknown group [%s] (expected [daemon], [policy], "
				       "[migration] or [anti-affinity])",
				       groups[i]);
	}
	sp_config_check_keys(cfg, "daemon", daemon_keys, diag);
	sp_config_check_keys(cfg, "migration", migration_keys, diag);
	sp_config_check_keys(cfg, "policy", (const char *const *) policy_names->pdata, diag);
	daemon_read(cfg, c, diag);
	policy_read(cfg, c, diag);
	names_read(cfg, c, diag);
}

LcdConf *
lcd_conf_parse(const char *lc_path, const char *lc_text, const char *hosts_path,
	       const char *hosts_text, SpDiag *diag)
{
	g_autoptr(LcdConf) c = conf_defaults();
	g_autoptr(SpConfig) cfg = sp_config_parse(lc_path, lc_text, diag);
	guint before = sp_diag_count(diag);

	if (cfg)
		lc_read(cfg, c, diag);
	if (hosts_text)
		c->hosts = sp_hosts_parse(hosts_path, hosts_text, diag);
	if (!cfg || sp_diag_count(diag) > before)
		return NULL;
	if (!c->hosts) {
		c->hosts = g_new0(SpHosts, 1);
		c->hosts->hosts = g_ptr_array_new();
	}
	return g_steal_pointer(&c);
}

LcdConf *
lcd_conf_load(const char *dir, SpDiag *diag)
{
	g_autofree char *lc_path = g_build_filename(dir, "lc.conf", NULL);
	g_autofree char *hosts_path = g_build_filename(dir, "hosts.conf", NULL);
	g_autoptr(LcdConf) c = conf_defaults();
	g_autoptr(SpConfig) cfg = NULL;
	guint before = sp_diag_count(diag);

	/* Both files are read even when the first has errors: the admin
	 * fixes everything in one pass. */
	if ((cfg = sp_config_load(lc_path, diag)))
		lc_read(cfg, c, diag);
	c->hosts = sp_hosts_load(hosts_path, diag);
	if (!cfg || !c->hosts || sp_diag_count(diag) > before)
		return NULL;
	return g_steal_pointer(&c);
}

char *
lcd_conf_socket_of(const char *dir)
{
	g_autofree char *path =
		g_build_filename(dir ? dir : SP_SYSCONFDIR "/sparrow", "lc.conf", NULL);
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpConfig) cfg = sp_config_load(path, diag);
	const char *v = cfg ? sp_config_get(cfg, "daemon", "socket") : NULL;

	sp_error_clear();
	return g_strdup(v && *v ? v : LCD_DEFAULT_SOCKET);
}
