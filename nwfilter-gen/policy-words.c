/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The words of the policy language and libvirt's names for them, one table
 * each: the parser, its messages and the generated XML all read these. */
#include "config.h"

#include <string.h>

#include "policy.h"

const char *const sp_fw_action_words[] =
	{[SP_FW_ALLOW] = "allow", [SP_FW_DROP] = "drop", [SP_FW_REJECT] = "reject", NULL};
const char *const sp_fw_dir_words[] = {[SP_FW_IN] = "in", [SP_FW_OUT] = "out", NULL};
const char *const sp_fw_proto_words[] = {[SP_FW_TCP] = "tcp",
					 [SP_FW_UDP] = "udp",
					 [SP_FW_SCTP] = "sctp",
					 [SP_FW_ICMP] = "icmp",
					 [SP_FW_ICMPV6] = "icmpv6",
					 [SP_FW_ANY] = "any",
					 NULL};

static const char *const action_libvirt[] =
	{[SP_FW_ALLOW] = "accept", [SP_FW_DROP] = "drop", [SP_FW_REJECT] = "reject"};

int
sp_fw_word_index(const char *const *words, const char *w)
{
	for (int i = 0; words[i]; i++)
		if (strcmp(words[i], w) == 0)
			return i;
	return -1;
}

const char *
sp_fw_action_libvirt(SpFwAction action)
{
	return action_libvirt[action];
}
