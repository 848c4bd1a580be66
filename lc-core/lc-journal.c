/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The decision journal: one entry per VM the core looked at (and per
 * overloaded host it left alone), and each entry as a sentence, so that an
 * operator can ask "why did (or didn't) vm X move?" and get an answer that
 * names the guard or the numbers.
 *
 * lc-choose.c records entries; callers of the core read and word them
 * (lc-core.h).  Calls nothing else of the core. */
#include "config.h"

#include "lc-journal.h"

void
sp_lc_journal_add(SpLcCore *core, const SpLcJournalEntry *e)
{
	if (core->keep_journal)
		g_array_append_vals(core->journal, e, 1);
}

/* Indexed by SpLcReason / SpLcRefusal; the names appear in logs. */
static const char *const reason_names[SP_LC_REASON_LAST] = {
	[SP_LC_MOVED] = "moved",
	[SP_LC_DRAINED] = "drained",
	[SP_LC_PINNED] = "pinned",
	[SP_LC_VM_COOLDOWN] = "vm-cooldown",
	[SP_LC_MIGRATING] = "migrating",
	[SP_LC_NO_TARGET] = "no-target",
	[SP_LC_NOT_NEEDED] = "not-needed",
	[SP_LC_TOO_SMALL] = "too-small",
	[SP_LC_HOST_COOLDOWN] = "host-cooldown",
	[SP_LC_HOST_LIMIT] = "host-limit",
	[SP_LC_CLUSTER_LIMIT] = "cluster-limit",
	[SP_LC_TRANSIENT] = "transient",
	[SP_LC_NO_CANDIDATES] = "no-candidates",
};

static const char *const refusal_names[SP_LC_REFUSE_LAST] = {
	[SP_LC_REFUSE_NONE] = "none",
	[SP_LC_REFUSE_MEMORY] = "memory",
	[SP_LC_REFUSE_OVERLOAD] = "would-overload",
	[SP_LC_REFUSE_AFFINITY] = "anti-affinity",
	[SP_LC_REFUSE_RETURN] = "return-blocked",
	[SP_LC_REFUSE_LIMIT] = "target-limit",
};

const char *
sp_lc_reason_name(SpLcReason r)
{
	return (guint) r < SP_LC_REASON_LAST ? reason_names[r] : "unknown";
}

const char *
sp_lc_refusal_name(SpLcRefusal r)
{
	return (guint) r < SP_LC_REFUSE_LAST ? refusal_names[r] : "unknown";
}

/* One sentence for both forms: vm, host and target are what stands for
 * them (a number or a name, quoted here), until the end of a cooldown. */
static char *
journal_words(const SpLcJournalEntry *e, const char *vm, const char *host, const char *target,
	      const char *until)
{
	int before = (int) (e->before * 100 + 0.5), after = (int) (e->after * 100 + 0.5);

	if (e->vm < 0) {
		switch (e->reason) {
		case SP_LC_HOST_COOLDOWN:
			return g_strdup_printf(
				"host '%s': overloaded (expected %d%%) but cooling down until %s",
				host, before, until);
		case SP_LC_TRANSIENT:
			return g_strdup_printf(
				"host '%s': load average high but its VMs' expected demand is %d%%: left alone",
				host, before);
		case SP_LC_NO_CANDIDATES:
			return g_strdup_printf(
				"host '%s': overloaded (expected %d%%) but no host is a target candidate",
				host, before);
		default:
			return g_strdup_printf("host '%s': %s (expected %d%%)", host,
					       sp_lc_reason_name(e->reason), before);
		}
	}
	switch (e->reason) {
	case SP_LC_MOVED:
	case SP_LC_DRAINED:
		return g_strdup_printf(
			"vm '%s' on host '%s': %s to host '%s', host '%s' expected load %d%% -> %d%%",
			vm, host, sp_lc_reason_name(e->reason), target, host, before, after);
	case SP_LC_VM_COOLDOWN:
		return g_strdup_printf("vm '%s' on host '%s': not moved, cooling down until %s", vm,
				       host, until);
	case SP_LC_NO_TARGET:
		return g_strdup_printf("vm '%s' on host '%s': not moved, no target (%s)", vm, host,
				       sp_lc_refusal_name(e->refusal));
	default:
		return g_strdup_printf("vm '%s' on host '%s': not moved (%s)", vm, host,
				       sp_lc_reason_name(e->reason));
	}
}

char *
sp_lc_journal_format(const SpLcJournalEntry *e)
{
	g_autofree char *vm = g_strdup_printf("%d", e->vm);
	g_autofree char *host = g_strdup_printf("%u", e->host);
	g_autofree char *target = g_strdup_printf("%d", e->target);
	g_autofree char *until = g_strdup_printf("minute %.0f", e->until);

	return journal_words(e, vm, host, target, until);
}

char *
sp_lc_journal_format_names(const SpLcJournalEntry *e, const char *vm, const char *host,
			   const char *target, const char *until)
{
	return journal_words(e, vm ? vm : "?", host ? host : "?", target ? target : "?",
			     until ? until : "later");
}
