/* SPDX-License-Identifier: GPL-2.0-or-later */
/* From what the configuration asks for and what the kernel has, the steps
 * between them. A pure function of both: it reads no kernel and prints
 * nothing, so every decision is unit-tested without one. */
#pragma once

#include <glib.h>

#include "link-kind.h"
#include "netconfig.h"

typedef enum {
	SP_STEP_OK, /* as desired */
	SP_STEP_CREATE,
	SP_STEP_FIX,      /* ours, but drifted: set master / up / mtu */
	SP_STEP_CONFLICT, /* exists and is not ours, or cannot be fixed in place */
	SP_STEP_WARN,     /* a conflict tolerated (ensure: a bond slave); skipped */
} SpStepKind;

typedef struct {
	SpStepKind kind;
	SpDevice dev;
	char *why;         /* for FIX, CONFLICT and WARN: what differs */
	gboolean fix_link; /* FIX: master, up, MTU or marks differ */
	/* VXLAN head-end peers to append (FIX; CREATE: those the kernel does not
	 * make itself with the link), and stray ones on our device to remove
	 * (FIX); char *. */
	GPtrArray *peers_add;
	GPtrArray *peers_del;
	/* The link as it was (peers not copied), to put back if the run fails. */
	char was_alias[256];
	char was_master[16];
	int was_ifindex;
	guint32 was_group;
	int was_mtu;
	gboolean was_up;
} SpStep;

/* The devices of the named networks (all when names is NULL or empty), in
 * creation order: uplink, then per network lower to upper. NULL with the
 * error set for an unknown network name. */
GArray *sp_netplug_desired(const SpNetConfig *cfg, const char *const *names)
	G_GNUC_WARN_UNUSED_RESULT;

/* links: name -> SpLinkState *. adopt: take over links of the right kind
 * that are not marked as ours. */
GPtrArray *sp_netplug_plan(GArray *desired, GHashTable *links, gboolean adopt);
/* For the qemu hook, which must not fail a VM start needlessly: a bond slave
 * that is missing or in use elsewhere becomes a WARN step (skipped) when the
 * bond already exists or has another slave it can use. */
void sp_netplug_plan_tolerate_slaves(GPtrArray *steps);
/* The links `down` removes, in order (names, owned by links), or NULL with the
 * error set: an unknown network, or (unless force) a bridge that would lose
 * a VM's tap or a bond that carries devices of other networks or not ours. */
GPtrArray *sp_netplug_plan_down(const SpNetConfig *cfg, const char *const *names, GHashTable *links,
				gboolean force) G_GNUC_WARN_UNUSED_RESULT;
void sp_step_free(SpStep *step);
/* What a plan does: ok, create, fix, conflict, warn. */
const char *sp_step_kind_name(SpStepKind kind);
/* What status says: ok, missing, drift, conflict (warn for a tolerated slave). */
const char *sp_step_state_name(SpStepKind kind);
