/* Stand-in for netplug's public netplug/netplug-ensure.h until it is on main
 * (the shape-netplug work); remove this file then. */
#pragma once

#include "links.h"

static inline int
sp_hook_netplug_ensure(const char *config_dir, const char *bridge)
{
	g_autofree char *path = g_build_filename(config_dir, "networks.conf", NULL);

	return sp_netplug_ensure_bridge(path, bridge);
}
#define sp_netplug_ensure_bridge(dir, bridge) sp_hook_netplug_ensure((dir), (bridge))
