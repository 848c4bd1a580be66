/* The decision journal in words: one sentence per VM the core looked at, so
 * that an operator can ask "why did (or didn't) vm X move?" and get an
 * answer that names the guard or the numbers. */
#include "config.h"

#include "lc-core.h"

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
 * them ("12", or "'web1'"); dot ends the sentence or not. */
static char *
journal_words(const SpLcJournalEntry *e, const char *vm, const char *host, const char *target,
	      const char *until, const char *dot)
{
	int before = (int) (e->before * 100 + 0.5), after = (int) (e->after * 100 + 0.5);

	if (e->vm < 0) {
		switch (e->reason) {
		case SP_LC_HOST_COOLDOWN:
			return g_strdup_printf(
				"host %s: overloaded (expected %d%%) but cooling down until %s%s",
				host, before, until, dot);
		case SP_LC_TRANSIENT:
			return g_strdup_printf(
				"host %s: load average high but its VMs' expected demand is %d%%: left alone%s",
				host, before, dot);
		case SP_LC_NO_CANDIDATES:
			return g_strdup_printf(
				"host %s: overloaded (expected %d%%) but no host is a target candidate%s",
				host, before, dot);
		default:
			return g_strdup_printf("host %s: %s (expected %d%%)%s", host,
					       sp_lc_reason_name(e->reason), before, dot);
		}
	}
	switch (e->reason) {
	case SP_LC_MOVED:
	case SP_LC_DRAINED:
		return g_strdup_printf(
			"vm %s on host %s: %s to host %s, host %s expected load %d%% "
			"-> %d%%%s",
			vm, host, sp_lc_reason_name(e->reason), target, host, before, after, dot);
	case SP_LC_VM_COOLDOWN:
		return g_strdup_printf("vm %s on host %s: not moved, cooling down until %s%s", vm,
				       host, until, dot);
	case SP_LC_NO_TARGET:
		return g_strdup_printf("vm %s on host %s: not moved, no target (%s)%s", vm, host,
				       sp_lc_refusal_name(e->refusal), dot);
	default:
		return g_strdup_printf("vm %s on host %s: not moved (%s)%s", vm, host,
				       sp_lc_reason_name(e->reason), dot);
	}
}

char *
sp_lc_journal_format(const SpLcJournalEntry *e)
{
	g_autofree char *vm = g_strdup_printf("%d", e->vm);
	g_autofree char *host = g_strdup_printf("%u", e->host);
	g_autofree char *target = g_strdup_printf("%d", e->target);
	g_autofree char *until = g_strdup_printf("minute %.0f", e->until);

	return journal_words(e, vm, host, target, until, ".");
}

char *
sp_lc_journal_format_names(const SpLcJournalEntry *e, const char *vm, const char *host,
			   const char *target, const char *until)
{
	g_autofree char *v = g_strdup_printf("'%s'", vm ? vm : "?");
	g_autofree char *h = g_strdup_printf("'%s'", host ? host : "?");
	g_autofree char *t = g_strdup_printf("'%s'", target ? target : "?");

	return journal_words(e, v, h, t, until ? until : "later", "");
}
