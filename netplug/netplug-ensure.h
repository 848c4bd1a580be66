/* SPDX-License-Identifier: GPL-2.0-or-later */
/* netplug as a library call, for the qemu hook: make sure the bridge a VM is
 * about to plug into exists, before libvirtd starts or migrates it in.
 *
 * Self-contained: it includes only GLib and needs no libnl in its includer;
 * link netplug/libnetplug.a, lib/libsparrow.a and libnl-route-3.
 *
 * sp_netplug_ensure_bridge() reads config_dir/networks.conf and brings up the
 * one network whose bridge is `bridge`, its uplink included, and nothing
 * else, while holding /run/sparrow/netplug.lock (waiting up to 30 s for
 * another netplug run), so two VMs starting at once never undo each other's
 * work. No subprocess.
 *
 * It never fails a VM start needlessly:
 *   - no networks.conf, or no network with that bridge: 0, nothing done
 *     (logged at debug level: the bridge is not netplug's);
 *   - networks.conf has errors: nothing is changed; 0 with a warning naming
 *     every error if the bridge exists and is up, else -1;
 *   - a conflict on the path to the bridge (a link of the wrong kind or
 *     identity, one netplug did not make): nothing is changed; 0 with a
 *     warning if the bridge is up, else -1;
 *   - the kernel refuses a step: the run's changes are undone; 0 with a
 *     warning if the bridge was up before, else -1;
 *   - a bond slave that is missing or in another bond: a warning, and the
 *     rest is built, when the bond exists or has another slave it can use.
 * -1 comes with the error set (sp_error_message()). Warnings and the changes
 * made go to sp_log (events netplug.ensure, netplug.conflict, netplug.slave),
 * as the caller set it up: a hook's only channel besides its exit status. */
#pragma once

#include <glib.h>

int sp_netplug_ensure_bridge(const char *config_dir, const char *bridge) G_GNUC_WARN_UNUSED_RESULT;

/* Whether config_dir/networks.conf has a network whose bridge is bridge, the
 * one sp_netplug_ensure_bridge() would bring up (for the hook's plan): 1 yes,
 * 0 no (no file, or no such network), -1 with the error set when the file
 * cannot be read or has errors (ensure then succeeds only if the bridge is
 * up). Reads the file only: no lock, no netlink. */
int sp_netplug_bridge_configured(const char *config_dir, const char *bridge)
	G_GNUC_WARN_UNUSED_RESULT;
