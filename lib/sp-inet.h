/* SPDX-License-Identifier: GPL-2.0-or-later */
/* IP addresses and networks as admins write them ("198.51.100.7",
 * "203.0.113.0/24", "2001:db8::/32"). GLib's GInetAddress parses them
 * strictly (no "10.1" shorthand, no leading zeros, no zone) and
 * GInetAddressMask checks the prefix; the result is plain bytes, so an
 * array of networks costs no objects and compares with memcmp. */
#pragma once

#include <glib.h>

typedef struct {
	int family;       /* AF_INET or AF_INET6 */
	int prefix;       /* 0 to 32 or 128; the full length for one address */
	guint8 bytes[16]; /* the network address; IPv4 uses the first 4 */
	char addr[48];    /* its canonical text: "2001:db8::", "192.0.2.0" */
} SpCidr;

/* An address, or a network ADDR/PREFIX whose host bits are zero (set ones
 * are a typo, usually): 0, or -1 with the error set. */
int sp_cidr_parse(const char *text, SpCidr *out) G_GNUC_WARN_UNUSED_RESULT;
/* One address, without a prefix: 0, or -1 with the error set. */
int sp_inet_parse(const char *text, SpCidr *out) G_GNUC_WARN_UNUSED_RESULT;

/* Whether some address is in both networks (never across families). */
gboolean sp_cidr_overlap(const SpCidr *a, const SpCidr *b);
gboolean sp_inet_is_multicast(const SpCidr *a);
/* Whether a and b are the same address however spelt ("2001:db8::2",
 * "2001:0DB8::2"); texts that are not addresses compare as text. */
gboolean sp_inet_same(const char *a, const char *b);
