/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What sparrow-hook does for each libvirt qemu hook call, in one table.
 *
 * libvirt 9.0 calls the hook with OPERATION SUBOP: starting a VM runs
 * prepare begin, start begin, started begin; stopping it stopped end, release
 * end (also after a failed start); an incoming migration migrate begin, then
 * the start sequence; an outgoing one only stopped end and release end after
 * it succeeded; restoring a saved VM restore begin, then the start sequence;
 * a libvirtd restart reconnect begin for every running VM; attaching to a
 * QEMU libvirt did not start attach begin. */
#pragma once

#include <glib.h>

typedef enum {
	SP_HOOK_DO_NOTHING, /* exit 0 at once, print nothing */
	SP_HOOK_DO_PREPARE, /* refresh + activate the VM's LVs, ensure its bridges */
	SP_HOOK_DO_RELEASE, /* deactivate the VM's LVs here */
} SpHookDo;

typedef struct {
	const char *op;    /* NULL: the row for every call not in the table */
	const char *subop; /* "begin", "end" or "-" */
	SpHookDo what;
	/* TRUE only where our failure should stop libvirt's operation. Where
	 * it is FALSE the hook exits 0 whatever happens: a failed reconnect
	 * kills a running QEMU, and stopped/release cannot be undone. */
	gboolean may_fail;
	const char *why; /* logged with the decision */
} SpHookRule;

/* The row for op/subop; never NULL (unknown calls get the last row). */
const SpHookRule *sp_hook_rule_find(const char *op, const char *subop);
/* The whole table, the catch-all row last; *n is its length. */
const SpHookRule *sp_hook_rules(size_t *n);
const char *sp_hook_do_name(SpHookDo what);
