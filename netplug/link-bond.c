/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The bond kind: the uplink's bond, and the one table of bond modes that
 * both parsing and printing use. Only what link-kind.h allows a kind: no
 * sending, no printing. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <linux/if_link.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>

#include "confkey.h"
#include "link-kind.h"

/* Under a bridge only modes that keep one MAC per guest on one port are safe:
 * balance-rr (0), broadcast (3), balance-tlb (5) and balance-alb (6) send a
 * guest's frames out of several ports or rewrite source MACs, so the switch
 * and the bridge learn guests on the wrong port (at+link hit this in
 * production). Indexed by the kernel's mode number. */
static const struct {
	const char *name;
	gboolean safe;
} modes[] = {
	{"balance-rr", FALSE},  {"active-backup", TRUE}, {"balance-xor", TRUE},
	{"broadcast", FALSE},   {"802.3ad", TRUE},       {"balance-tlb", FALSE},
	{"balance-alb", FALSE},
};

int
sp_bond_mode_parse(const char *text)
{
	for (int i = 0; i < (int) G_N_ELEMENTS(modes); i++) {
		char num[4];

		g_snprintf(num, sizeof(num), "%d", i);
		if (strcmp(text, modes[i].name) == 0 || strcmp(text, num) == 0)
			return i;
	}
	return -1;
}

const char *
sp_bond_mode_name(int mode)
{
	return mode >= 0 && mode < (int) G_N_ELEMENTS(modes) ? modes[mode].name : "unknown";
}

gboolean
sp_bond_mode_safe(int mode)
{
	return mode >= 0 && mode < (int) G_N_ELEMENTS(modes) && modes[mode].safe;
}

char *
sp_bond_modes_safe_text(void)
{
	const char *safe[G_N_ELEMENTS(modes)];
	guint n = 0;

	for (guint i = 0; i < G_N_ELEMENTS(modes); i++) {
		if (modes[i].safe)
			safe[n++] = modes[i].name;
	}
	return sp_confkey_join(safe, n, " or ");
}

/* The kernel shows the mode as "802.3ad 4" in sysfs; libnl does not parse
 * IFLA_BOND_MODE. */
static int
bond_read(struct rtnl_link *l, SpLinkState *s)
{
	g_autofree char *path = g_strdup_printf("/sys/class/net/%s/bonding/mode", s->name);
	g_autofree char *text = NULL;
	const char *sp;

	if (g_file_get_contents(path, &text, NULL, NULL) && (sp = strchr(text, ' ')))
		s->bond_mode = atoi(sp + 1);
	return rtnl_link_get_link(l);
}

/* The mode in the creating request itself: it cannot change once slaves are
 * attached. */
static int
bond_put(struct nl_msg *msg, const SpDevice *d, int lower)
{
	(void) lower;
	if (nla_put_u8(msg, IFLA_BOND_MODE, (uint8_t) d->mode) < 0 ||
	    nla_put_u32(msg, IFLA_BOND_MIIMON, 100) < 0)
		return -NLE_NOMEM;
	return 0;
}

static void
bond_identity(const SpDevice *d, const SpLinkState *l, GPtrArray *why)
{
	if (l->bond_mode >= 0 && l->bond_mode != d->mode)
		g_ptr_array_add(why, g_strdup_printf("'%s' is in bond mode '%s', not '%s'", d->name,
						     sp_bond_mode_name(l->bond_mode),
						     sp_bond_mode_name(d->mode)));
}

const SpLinkKind sp_link_bond = {
	.kind = SP_DEV_BOND,
	.name = "bond",
	.identity = bond_identity,
	.read = bond_read,
	.put = bond_put,
};
