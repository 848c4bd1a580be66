/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Carrying out a plan with its undo journal (execute.h). Talks to the kernel
 * only through netlink.h, never prints, and never chooses: a step the plan
 * did not make is never taken. */
#include "config.h"

#include <string.h>

#include "execute.h"
#include "sp-error.h"

/* What a run did, to be undone newest first if a later step fails. */
typedef enum { UNDO_CREATE, UNDO_FIX, UNDO_PEER_ADDED, UNDO_PEER_REMOVED } UndoKind;

typedef struct {
	UndoKind kind;
	const SpStep *step;
	const char *peer;
} Undo;

typedef struct {
	SpNetlink *nl;
	GArray *undo; /* Undo */
	SpExecHook hook;
	gpointer hook_data;
	guint done; /* changes made, for the hook */
} Run;

static void
journal(Run *run, UndoKind kind, const SpStep *s, const char *peer)
{
	Undo u = {.kind = kind, .step = s, .peer = peer};

	g_array_append_val(run->undo, u);
}

static void
changed_one(Run *run)
{
	run->done++;
	if (run->hook)
		run->hook(run->done, run->hook_data);
}

/* A slave into its bond: the kernel enslaves only a link that is down. */
static int
fix_slave(SpNetlink *nl, const SpStep *s)
{
	const SpDevice *d = &s->dev;

	if (strcmp(s->was_master, d->master) != 0 &&
	    (sp_netlink_set_up(nl, d->name, s->was_ifindex, FALSE) < 0 ||
	     sp_netlink_enslave(nl, d->name, s->was_ifindex, sp_netlink_ifindex(nl, d->master)) <
		     0))
		return -1;
	return sp_netlink_set_up(nl, d->name, s->was_ifindex, TRUE);
}

/* Master (a stray one cleared), up, MTU and the ownership marks on an
 * existing link, in one request. */
static int
fix_link(SpNetlink *nl, const SpStep *s)
{
	const SpDevice *d = &s->dev;
	SpLinkChange c = {.up = TRUE,
			  .alias = d->owner,
			  .set_group = TRUE,
			  .group = SP_NETPLUG_GROUP,
			  .master = -1,
			  .mtu = d->mtu};

	if (d->is_slave)
		return fix_slave(nl, s);
	if (d->master[0])
		c.master = sp_netlink_ifindex(nl, d->master);
	else if (s->was_master[0])
		c.master = 0;
	return sp_netlink_change(nl, d->name, s->was_ifindex, &c, "fix");
}

/* Undo of a fix: the link's alias, group, MTU, up flag and master as they
 * were, so that a failed --adopt leaves the device as it found it. */
static int
restore_link(SpNetlink *nl, const SpStep *s)
{
	SpLinkChange c = {.up = s->was_up, .master = -1};

	if (!s->dev.is_slave) {
		c.alias = s->was_alias;
		c.set_group = TRUE;
		c.group = s->was_group;
		c.mtu = s->was_mtu;
	}
	if (strcmp(s->was_master, s->dev.master) != 0) {
		c.master = sp_netlink_ifindex(nl, s->was_master);
		/* A bond takes a slave back only while it is down. */
		if (s->dev.is_slave && c.master > 0 &&
		    sp_netlink_set_up(nl, s->dev.name, s->was_ifindex, FALSE) < 0)
			return -1;
	}
	return sp_netlink_change(nl, s->dev.name, s->was_ifindex, &c, "restore");
}

/* Newest first; what cannot be undone is said in *failed ("; "-joined). */
static guint
undo_all(Run *run, GString *failed)
{
	guint undone = 0;

	for (guint i = run->undo->len; i-- > 0;) {
		const Undo *u = &g_array_index(run->undo, Undo, i);
		const SpStep *s = u->step;
		int rc = 0;

		switch (u->kind) {
		case UNDO_CREATE:
			rc = sp_netlink_delete(run->nl, s->dev.name);
			break;
		case UNDO_FIX:
			rc = restore_link(run->nl, s);
			break;
		case UNDO_PEER_ADDED:
		case UNDO_PEER_REMOVED:
			rc = sp_netlink_peer(run->nl, s->dev.name, s->was_ifindex, u->peer,
					     u->kind == UNDO_PEER_REMOVED);
			break;
		}
		if (rc == 0)
			undone++;
		else
			g_string_append_printf(failed, "%s%s", failed->len ? "; " : "",
					       sp_error_message());
	}
	return undone;
}

/* A new link's peers go with it when it is deleted: not journaled. */
static int
do_create(Run *run, const SpStep *s)
{
	int ifindex;

	if (sp_netlink_create(run->nl, &s->dev) < 0)
		return -1;
	journal(run, UNDO_CREATE, s, NULL);
	changed_one(run);
	if (sp_netlink_set_alias(run->nl, s->dev.name, s->dev.owner) < 0)
		return -1;
	if (!s->peers_add)
		return 0;
	/* Looked up only when there are extra peers: most VXLAN networks have
	 * one remote or a group, and a lookup per link costs a round trip. */
	ifindex = sp_netlink_ifindex(run->nl, s->dev.name);
	for (guint i = 0; i < s->peers_add->len; i++) {
		if (sp_netlink_peer(run->nl, s->dev.name, ifindex,
				    g_ptr_array_index(s->peers_add, i), TRUE) < 0)
			return -1;
	}
	return 0;
}

static int
do_fix(Run *run, const SpStep *s)
{
	if (s->fix_link) {
		if (fix_link(run->nl, s) < 0)
			return -1;
		journal(run, UNDO_FIX, s, NULL);
	}
	for (guint i = 0; s->peers_add && i < s->peers_add->len; i++) {
		const char *peer = g_ptr_array_index(s->peers_add, i);

		if (sp_netlink_peer(run->nl, s->dev.name, s->was_ifindex, peer, TRUE) < 0)
			return -1;
		journal(run, UNDO_PEER_ADDED, s, peer);
	}
	for (guint i = 0; s->peers_del && i < s->peers_del->len; i++) {
		const char *peer = g_ptr_array_index(s->peers_del, i);

		if (sp_netlink_peer(run->nl, s->dev.name, s->was_ifindex, peer, FALSE) < 0)
			return -1;
		journal(run, UNDO_PEER_REMOVED, s, peer);
	}
	changed_one(run);
	return 0;
}

/* The run failed with the current error: undo, and say what was undone. */
static void
roll_back(Run *run)
{
	g_autofree char *msg = g_strdup(sp_error_message());
	g_autoptr(GString) failed = g_string_new(NULL);
	guint n = run->undo->len, undone = undo_all(run, failed);

	if (undone == n)
		sp_error("%s; undid the %u change(s) this run had made", msg, n);
	else
		sp_error("%s; undid %u of the %u change(s) this run had made, could not undo "
			 "the rest: %s",
			 msg, undone, n, failed->str);
}

int
sp_netplug_execute(SpNetlink *nl, GPtrArray *steps, SpExecHook hook, gpointer hook_data,
		   guint *changed)
{
	g_autoptr(GArray) undo = g_array_new(FALSE, FALSE, sizeof(Undo));
	Run run = {.nl = nl, .undo = undo, .hook = hook, .hook_data = hook_data};

	for (guint i = 0; i < steps->len; i++) {
		SpStep *s = g_ptr_array_index(steps, i);

		if (s->kind == SP_STEP_CONFLICT) {
			sp_error("%s", s->why);
			return -1;
		}
	}
	for (guint i = 0; i < steps->len; i++) {
		SpStep *s = g_ptr_array_index(steps, i);
		int rc;

		if (s->kind == SP_STEP_CREATE)
			rc = do_create(&run, s);
		else if (s->kind == SP_STEP_FIX)
			rc = do_fix(&run, s);
		else
			continue;
		if (rc < 0) {
			roll_back(&run);
			return -1;
		}
		(*changed)++;
	}
	return 0;
}

int
sp_netplug_remove(SpNetlink *nl, GPtrArray *names, guint *removed)
{
	for (guint i = 0; i < names->len; i++) {
		if (sp_netlink_delete(nl, g_ptr_array_index(names, i)) < 0)
			return -1;
		(*removed)++;
	}
	return 0;
}
