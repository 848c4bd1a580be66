/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include <gio/gio.h>

#include "sp-error.h"
#include "sp-inet.h"

/* text without a prefix into out (prefix: the full length). */
static gboolean
parse_address(const char *text, SpCidr *out)
{
	g_autoptr(GInetAddress) a = g_inet_address_new_from_string(text);
	g_autofree char *canon = NULL;
	gsize len;

	if (!a)
		return FALSE;
	len = g_inet_address_get_native_size(a);
	memset(out, 0, sizeof(*out));
	out->family = g_inet_address_get_family(a) == G_SOCKET_FAMILY_IPV4 ? AF_INET : AF_INET6;
	out->prefix = (int) len * 8;
	memcpy(out->bytes, g_inet_address_to_bytes(a), len);
	canon = g_inet_address_to_string(a);
	g_strlcpy(out->addr, canon, sizeof(out->addr));
	return TRUE;
}

int
sp_inet_parse(const char *text, SpCidr *out)
{
	SpCidr c;

	if (!parse_address(text, &c)) {
		sp_error("'%s' is not an IPv4 or IPv6 address", text);
		return -1;
	}
	*out = c;
	return 0;
}

/* Decimal digits only (leading zeros allowed): GInetAddressMask would also
 * take "+24" and " 24". */
static gboolean
parse_prefix(const char *s, int max, int *out)
{
	int v = 0;

	if (!*s)
		return FALSE;
	for (const char *p = s; *p; p++) {
		if (!g_ascii_isdigit(*p))
			return FALSE;
		v = v * 10 + (*p - '0');
		if (v > max)
			return FALSE;
	}
	*out = v;
	return TRUE;
}

int
sp_cidr_parse(const char *text, SpCidr *out)
{
	g_autofree char *addr = g_strdup(text);
	char *slash = strchr(addr, '/');
	g_autoptr(GInetAddress) a = NULL;
	g_autoptr(GInetAddressMask) mask = NULL;
	SpCidr c;
	int prefix;

	if (slash)
		*slash = '\0';
	if (!parse_address(addr, &c)) {
		sp_error("'%s' is not an IPv4 or IPv6 address", text);
		return -1;
	}
	if (!slash) {
		*out = c;
		return 0;
	}
	if (!parse_prefix(slash + 1, c.prefix, &prefix)) {
		sp_error("bad prefix length in '%s' (0 to %d)", text, c.prefix);
		return -1;
	}
	a = g_inet_address_new_from_bytes(c.bytes, c.family == AF_INET ? G_SOCKET_FAMILY_IPV4
								       : G_SOCKET_FAMILY_IPV6);
	mask = g_inet_address_mask_new(a, (guint) prefix, NULL);
	if (!mask) {
		sp_error("'%s' has bits set after the /%d prefix", text, prefix);
		return -1;
	}
	c.prefix = prefix;
	*out = c;
	return 0;
}

gboolean
sp_cidr_overlap(const SpCidr *a, const SpCidr *b)
{
	int bits = MIN(a->prefix, b->prefix);

	if (a->family != b->family)
		return FALSE;
	if (memcmp(a->bytes, b->bytes, (size_t) (bits / 8)) != 0)
		return FALSE;
	if (bits % 8 == 0)
		return TRUE;
	return ((a->bytes[bits / 8] ^ b->bytes[bits / 8]) & (0xff << (8 - bits % 8))) == 0;
}

gboolean
sp_inet_is_multicast(const SpCidr *a)
{
	return a->family == AF_INET ? (a->bytes[0] & 0xf0) == 0xe0 : a->bytes[0] == 0xff;
}

gboolean
sp_inet_same(const char *a, const char *b)
{
	SpCidr x, y;

	if (!parse_address(a, &x) || !parse_address(b, &y))
		return strcmp(a, b) == 0;
	return x.family == y.family && memcmp(x.bytes, y.bytes, sizeof(x.bytes)) == 0;
}
