/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Typed values of networks.conf keys (a number in a range, an interface
 * name), for netconfig.c and the link kinds alike: each problem goes into the
 * SpDiag at the key's place, and the caller goes on to find the rest. */
#pragma once

#include <glib.h>

#include "sp-config.h"
#include "sp-diag.h"
#include "sp-list.h"

/* TRUE with *out set when key is present and a number from min to max;
 * FALSE when absent or (reported) not such a number. */
gboolean sp_confkey_int(const SpConfig *c, SpDiag *diag, const char *group, const char *key,
			long min, long max, long *out);
/* The items of a list key (SpListItem, with their columns), each empty one
 * reported into diag (when not NULL) and left out; NULL when the key is
 * absent. Free with g_array_unref(). */
GArray *sp_confkey_list(const SpConfig *c, SpDiag *diag, const char *group, const char *key)
	G_GNUC_WARN_UNUSED_RESULT;
/* Report name unless it is a valid interface name: at item, one of key's
 * list, or at key when item is NULL. */
void sp_confkey_ifname(const SpConfig *c, SpDiag *diag, const char *group, const char *key,
		       const SpListItem *item, const char *name);
/* Words for a message: "a, b or c" (last: " or " or " and "). */
char *sp_confkey_join(const char *const *words, guint n, const char *last)
	G_GNUC_WARN_UNUSED_RESULT;
