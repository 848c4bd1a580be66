/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The policies lc-sim knows, in the order of its tables. */
#include "config.h"

#include <string.h>

#include "sim.h"

const SimPolicy *const sim_policies[] = {
	&sim_policy_sparrow, &sim_policy_none,  &sim_policy_greedy,  &sim_policy_sandpiper,
	&sim_policy_watcher, &sim_policy_ovirt, &sim_policy_proxmox, NULL,
};

const SimPolicy *
sim_policy_find(const char *name)
{
	for (guint i = 0; sim_policies[i]; i++)
		if (strcmp(sim_policies[i]->name, name) == 0)
			return sim_policies[i];
	return NULL;
}
