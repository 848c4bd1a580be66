/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The decision table of sparrow-hook (see hook-ops.h for libvirt's order of
 * calls). Every call that is not a row does nothing and succeeds: a future
 * libvirt operation must never fail a VM because this hook does not know it. */
#include "config.h"

#include <string.h>

#include "hook-ops.h"

static const SpHookRule rules[] = {
	{"prepare", "begin", SP_HOOK_DO_PREPARE, TRUE,
	 "the VM is about to start or arrive here: its LVs and bridges must be ready"},
	{"start", "begin", SP_HOOK_DO_NOTHING, FALSE, "prepare begin made everything ready"},
	{"started", "begin", SP_HOOK_DO_NOTHING, FALSE, "the VM runs"},
	{"stopped", "end", SP_HOOK_DO_NOTHING, FALSE,
	 "QEMU is gone but libvirt still holds its resources; release end follows"},
	{"release", "end", SP_HOOK_DO_RELEASE, FALSE,
	 "the VM has left this host: deactivate its LVs here"},
	{"migrate", "begin", SP_HOOK_DO_NOTHING, FALSE,
	 "incoming migration: the XML stays as it is (prepare begin follows)"},
	{"restore", "begin", SP_HOOK_DO_NOTHING, FALSE,
	 "restore from a save file: the XML stays as it is (prepare begin follows)"},
	{"reconnect", "begin", SP_HOOK_DO_NOTHING, FALSE,
	 "libvirtd restarted with the VM running: its LVs are in use, nothing to do"},
	{"attach", "begin", SP_HOOK_DO_NOTHING, FALSE,
	 "libvirt attached to a QEMU it did not start: nothing to do"},
	{NULL, NULL, SP_HOOK_DO_NOTHING, FALSE, "not an operation this hook acts on"},
};

const SpHookRule *
sp_hook_rule_find(const char *op, const char *subop)
{
	size_t i;

	for (i = 0; rules[i].op; i++) {
		if (strcmp(rules[i].op, op) == 0 && strcmp(rules[i].subop, subop) == 0)
			break;
	}
	return &rules[i];
}

const SpHookRule *
sp_hook_rules(size_t *n)
{
	*n = G_N_ELEMENTS(rules);
	return rules;
}

const char *
sp_hook_do_name(SpHookDo what)
{
	switch (what) {
	case SP_HOOK_DO_PREPARE:
		return "prepare";
	case SP_HOOK_DO_RELEASE:
		return "release";
	case SP_HOOK_DO_NOTHING:
		break;
	}
	return "nothing";
}
