/* SPDX-License-Identifier: GPL-2.0-or-later */
/* none: no balancing at all, the floor every policy must beat. */
#include "config.h"

#include "sim.h"

static gpointer
none_create(const SimView *view, guint64 seed)
{
	return NULL;
}

static void
none_decide(gpointer state, const SimView *view, GArray *moves)
{
}

static void
none_destroy(gpointer state)
{
}

const SimPolicy sim_policy_none = {
	"none", "no balancing", none_create, none_decide, none_destroy,
};
