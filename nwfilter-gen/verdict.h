/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What a binding does with one packet that starts a connection: the answer
 * nwfilter-gen's "verdict" command gives, so that a probe's result can be
 * checked against the policy files through the same reading of them that
 * generates the filters (the demo does; so can an admin asking "would the
 * office reach web01 on 22?"). */
#pragma once

#include "policy.h"

typedef struct {
	SpFwDir dir;
	SpFwProto proto; /* one protocol, not SP_FW_ANY */
	guint16 port;    /* 0 for icmp and icmpv6 */
	SpCidr remote;   /* the other side: source if in, target if out */
} SpFwPacket;

typedef struct {
	SpFwAction action;
	const char *policy; /* NULL: the binding's default (no rule matched) */
	const SpFwRule *rule;
} SpFwVerdict;

/* Parse "in|out PROTO [PORT] ADDR" words into a packet: 0, or -1 with the
 * error set. */
int sp_fw_packet_parse(char **words, SpFwPacket *out) G_GNUC_WARN_UNUSED_RESULT;

/* The verdict of VM's binding on the packet (a VM without a binding gets
 * the defaults): 0, or -1 with the error set when vm is not a valid name. */
int sp_firewall_verdict(const SpFirewall *fw, const char *vm, const SpFwPacket *packet,
			SpFwVerdict *out) G_GNUC_WARN_UNUSED_RESULT;
