/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ensure: what the qemu hook calls before a VM starts (netplug-ensure.h).
 * The policy of never failing a VM start needlessly lives here and only
 * here; reading, planning and carrying out are the other files'. Its
 * warnings go to sp_log, the hook's channel; it never prints. */
#include "config.h"

#include "ensure.h"
#include "execute.h"
#include "netconfig.h"
#include "netlink.h"
#include "plan.h"
#include "sp-error.h"
#include "sp-log.h"

SpLock *
sp_netplug_lock(int timeout_ms)
{
	return sp_lock_take(SP_LOCK_DIR "/netplug.lock", "another netplug run", timeout_ms);
}

/* The configuration has errors, so nothing is changed; a VM whose bridge
 * already works still starts. */
static int
ensure_with_bad_config(const char *path, const char *bridge, const SpDiag *diag)
{
	/* "a.conf:3:1: ...; a.conf:9:5: ..." */
	g_autofree char *errors = sp_diag_join(diag, "; ");
	g_autoptr(SpNetlink) nl = sp_netlink_open();
	g_autoptr(GHashTable) links = nl ? sp_netlink_read(nl) : NULL;
	const SpLinkState *br = links ? g_hash_table_lookup(links, bridge) : NULL;

	if (br && br->up) {
		sp_log_warn("netplug.ensure",
			    "'%s' has errors, so netplug changed nothing; bridge '%s' exists and "
			    "is up, so the VM may start: %s",
			    path, bridge, errors);
		return 0;
	}
	sp_error("'%s' has errors, so netplug cannot make bridge '%s': %s", path, bridge, errors);
	return -1;
}

/* Conflicts on the path to a bridge that already works: nothing is changed
 * (all or nothing) and the VM starts; the admin reads why in the log. */
static gboolean
tolerate_conflicts(const SpNetwork *n, GPtrArray *steps, gboolean working)
{
	gboolean any = FALSE;

	for (guint i = 0; i < steps->len && working; i++) {
		const SpStep *s = g_ptr_array_index(steps, i);

		if (s->kind != SP_STEP_CONFLICT)
			continue;
		any = TRUE;
		sp_log_warn("netplug.conflict",
			    "network '%s': %s; bridge '%s' is up, so netplug changed nothing and "
			    "the VM may start",
			    n->name, s->why, n->bridge);
	}
	return any;
}

static int
ensure_network(const SpNetConfig *cfg, const SpNetwork *n)
{
	g_autoptr(SpNetlink) nl = NULL;
	g_autoptr(GArray) desired = NULL;
	g_autoptr(GHashTable) links = NULL;
	g_autoptr(GPtrArray) steps = NULL;
	const char *names[2] = {n->name, NULL};
	const SpLinkState *br;
	gboolean working;
	guint changed = 0;

	if (!(nl = sp_netlink_open()) || !(links = sp_netlink_read(nl)) ||
	    !(desired = sp_netplug_desired(cfg, names)))
		return -1;
	br = g_hash_table_lookup(links, n->bridge);
	working = br && br->up;
	steps = sp_netplug_plan(desired, links, FALSE);
	sp_netplug_plan_tolerate_slaves(steps);
	for (guint i = 0; i < steps->len; i++) {
		const SpStep *s = g_ptr_array_index(steps, i);

		if (s->kind == SP_STEP_WARN)
			sp_log_warn("netplug.slave", "network '%s': %s; the bond works without it",
				    n->name, s->why);
	}
	if (tolerate_conflicts(n, steps, working))
		return 0;
	if (sp_netplug_execute(nl, steps, NULL, NULL, &changed) < 0) {
		if (!working)
			return -1;
		/* Undone already: the bridge is as it was, and it was up. */
		sp_log_warn("netplug.ensure", "%s; bridge '%s' was up before, so the VM may start",
			    sp_error_message(), n->bridge);
		sp_error_clear();
		return 0;
	}
	if (changed)
		sp_log_info("netplug.ensure", "network '%s': %u change(s) made for bridge '%s'",
			    n->name, changed, n->bridge);
	return 0;
}

/* The network of config_dir's networks.conf whose bridge is bridge: 1
 * (*cfg, to free, and *n set), 0 when there is none (no file, or no such
 * network), -1 when the file cannot be read or has errors (in diag). */
static int
find_network(const char *path, const char *bridge, SpDiag *diag, SpNetConfig **cfg,
	     const SpNetwork **n)
{
	if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
		sp_log_debug("netplug.ensure", "no '%s': bridge '%s' is not managed by netplug",
			     path, bridge);
		return 0;
	}
	if (!(*cfg = sp_netconfig_load(path, diag)))
		return -1;
	if (!(*n = sp_netconfig_find_bridge(*cfg, bridge))) {
		sp_log_debug("netplug.ensure", "no network in '%s' has bridge '%s': not netplug's",
			     path, bridge);
		return 0;
	}
	return 1;
}

int
sp_netplug_ensure(const char *config_dir, const char *bridge, int lock_timeout_ms)
{
	g_autofree char *path = g_build_filename(config_dir, SP_NETCONFIG_FILE, NULL);
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpNetConfig) cfg = NULL;
	g_autoptr(SpLock) lock = NULL;
	const SpNetwork *n = NULL;
	int found = find_network(path, bridge, diag, &cfg, &n);

	if (found < 0)
		return ensure_with_bad_config(path, bridge, diag);
	if (found == 0)
		return 0;
	/* Two VMs starting at once: the second must see what the first made,
	 * never undo it. */
	if (!(lock = sp_netplug_lock(lock_timeout_ms)))
		return -1;
	return ensure_network(cfg, n);
}

int
sp_netplug_bridge_configured(const char *config_dir, const char *bridge)
{
	g_autofree char *path = g_build_filename(config_dir, SP_NETCONFIG_FILE, NULL);
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpNetConfig) cfg = NULL;
	const SpNetwork *n = NULL;
	int found = find_network(path, bridge, diag, &cfg, &n);

	if (found < 0 && sp_diag_to_error(diag) == 0)
		sp_error("cannot read '%s'", path);
	return found;
}

int
sp_netplug_ensure_bridge(const char *config_dir, const char *bridge)
{
	return sp_netplug_ensure(config_dir, bridge, SP_NETPLUG_LOCK_WAIT_MS);
}
