/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Raw Ethernet frames that a guest must not get through its firewall, sent
 * from an interface's own MAC address, and a counter of frames that carry a
 * marker (frames-core.h). Shared by the guest agent ("emit ...") and the
 * "frames" tool of the client and the hosts, so that a test sends the same
 * frame from a guest and from a trusted place, and sees on the far side
 * (the client's link, a guest's tap on its host) what got through.
 *
 *   vlan        802.1Q-tagged (VLAN 5) IPv4 UDP from 198.18.0.66 (no
 *               guest's address), to the broadcast MAC
 *   qinq        the same inside an 802.1ad tag (0x88a8, VLAN 6)
 *   ra          ICMPv6 router advertisement (type 134, lifetime 0: it makes
 *               no one's default router) from the link-local address of the
 *               MAC to ff02::1
 *   redirect    ICMPv6 redirect (type 137) from the same to ff02::1
 *   dhcp-offer  UDP from port 67 to port 68, from SRC to 255.255.255.255,
 *               broadcast MAC (what a DHCP server's offer looks like)
 * Each carries "sparrow-frame:" and the marker in its payload: the prefix
 * keeps the request that asks a guest to send them (which carries the
 * marker alone) from being counted. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "frames-core.h"

#define MARKER_MAX 64
#define MARKER_PREFIX "sparrow-frame:"

static size_t
put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t) (v >> 8);
	p[1] = (uint8_t) v;
	return 2;
}

static uint32_t
sum(const uint8_t *p, size_t n, uint32_t s)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t) (p[i] << 8 | p[i + 1]);
	if (n & 1)
		s += (uint32_t) (p[n - 1] << 8);
	return s;
}

static unsigned
fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return ~s & 0xffff;
}

/* IPv4 + UDP at p: returns its length. */
static size_t
ipv4_udp(uint8_t *p, const uint8_t src[4], unsigned sport, unsigned dport, const char *marker)
{
	size_t mlen = strlen(marker), udp_len = 8 + mlen, len = 20 + udp_len;

	memset(p, 0, len);
	p[0] = 0x45;
	put16(p + 2, (unsigned) len);
	p[8] = 64;
	p[9] = 17;
	memcpy(p + 12, src, 4);
	memset(p + 16, 0xff, 4);
	put16(p + 10, fold(sum(p, 20, 0)));
	put16(p + 20, sport);
	put16(p + 22, dport);
	put16(p + 24, (unsigned) udp_len);
	memcpy(p + 28, marker, mlen); /* UDP checksum 0: none */
	return len;
}

/* IPv6 + ICMPv6 of type at p, from the link-local address of mac. */
static size_t
ipv6_icmp(uint8_t *p, const uint8_t mac[6], int type, const char *marker)
{
	/* The marker rides in an option of an unassigned type (253, RFC 4727's
	 * experiment): receivers skip it. Options are counted in 8 bytes. */
	size_t mlen = strlen(marker), fixed = type == 134 ? 16 : 40;
	size_t opt = (2 + mlen + 7) / 8 * 8, icmp_len = fixed + opt;
	uint8_t *ic = p + 40;
	uint32_t s;

	memset(p, 0, 40 + icmp_len);
	p[0] = 0x60;
	put16(p + 4, (unsigned) icmp_len);
	p[6] = 58;
	p[7] = 255;
	p[8] = 0xfe, p[9] = 0x80;
	p[16] = mac[0] ^ 2, p[17] = mac[1], p[18] = mac[2], p[19] = 0xff;
	p[20] = 0xfe, p[21] = mac[3], p[22] = mac[4], p[23] = mac[5];
	p[24] = 0xff, p[25] = 0x02, p[39] = 1;
	ic[0] = (uint8_t) type;
	if (type == 134) {
		ic[4] = 64; /* current hop limit; router lifetime 0 */
	} else {
		memcpy(ic + 8, p + 8, 16); /* target: itself, destination: ff02::1 */
		memcpy(ic + 24, p + 24, 16);
	}
	ic[fixed] = 253;
	ic[fixed + 1] = (uint8_t) (opt / 8);
	memcpy(ic + fixed + 2, marker, mlen);
	s = sum(p + 8, 32, 0) + (uint32_t) icmp_len + 58;
	put16(ic + 2, fold(sum(ic, icmp_len, s)));
	return 40 + icmp_len;
}

static int
if_info(int fd, const char *ifname, int *index, uint8_t mac[6])
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	if (strlen(ifname) >= sizeof(ifr.ifr_name))
		return -1;
	strcpy(ifr.ifr_name, ifname);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		return -1;
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	*index = (int) if_nametoindex(ifname);
	return *index > 0 ? 0 : -1;
}

int
frames_send(const char *ifname, const char *kind, const char *src, const char *marker, int count)
{
	static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	static const uint8_t all_nodes[6] = {0x33, 0x33, 0, 0, 0, 1};
	static const uint8_t spoofed[4] = {198, 18, 0, 66};
	uint8_t f[256], mac[6], src4[4];
	char tagged[sizeof(MARKER_PREFIX) + MARKER_MAX];
	struct sockaddr_ll to = {.sll_family = AF_PACKET, .sll_halen = 6};
	size_t n;
	int fd, index;

	if (strlen(marker) > MARKER_MAX || count < 1 || count > 100)
		return -1;
	snprintf(tagged, sizeof(tagged), "%s%s", MARKER_PREFIX, marker);
	marker = tagged;
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (if_info(fd, ifname, &index, mac) < 0) {
		close(fd);
		return -1;
	}
	memcpy(f + 6, mac, 6);
	n = 12;
	if (strcmp(kind, "vlan") == 0 || strcmp(kind, "qinq") == 0) {
		memcpy(f, bcast, 6);
		if (strcmp(kind, "qinq") == 0) {
			n += put16(f + n, 0x88a8);
			n += put16(f + n, 6);
		}
		n += put16(f + n, 0x8100);
		n += put16(f + n, 5);
		n += put16(f + n, 0x0800);
		n += ipv4_udp(f + n, spoofed, 9, 9, marker);
	} else if (strcmp(kind, "ra") == 0 || strcmp(kind, "redirect") == 0) {
		memcpy(f, all_nodes, 6);
		n += put16(f + n, 0x86dd);
		n += ipv6_icmp(f + n, mac, strcmp(kind, "ra") == 0 ? 134 : 137, marker);
	} else if (strcmp(kind, "dhcp-offer") == 0 && src && inet_pton(AF_INET, src, src4) == 1) {
		memcpy(f, bcast, 6);
		n += put16(f + n, 0x0800);
		n += ipv4_udp(f + n, src4, 67, 68, marker);
	} else {
		close(fd);
		return -1;
	}
	to.sll_ifindex = index;
	memcpy(to.sll_addr, f, 6);
	for (int i = 0; i < count; i++) {
		if (sendto(fd, f, n, 0, (struct sockaddr *) &to, sizeof(to)) < 0) {
			close(fd);
			return -1;
		}
		usleep(100000);
	}
	close(fd);
	return 0;
}

static long
ms_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t0->tv_sec) * 1000 + (now.tv_nsec - t0->tv_nsec) / 1000000;
}

int
frames_count(const char *ifname, const char *const *markers, int n, int *counts, int ms,
	     int (*ready)(void))
{
	struct sockaddr_ll at = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL)};
	struct timespec t0;
	char tagged[16][sizeof(MARKER_PREFIX) + MARKER_MAX];
	int fd, i;

	if (n < 1 || n > 16)
		return -1;
	for (i = 0; i < n; i++) {
		if (!*markers[i] || strlen(markers[i]) > MARKER_MAX)
			return -1;
		snprintf(tagged[i], sizeof(tagged[i]), "%s%s", MARKER_PREFIX, markers[i]);
		counts[i] = 0;
	}
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (fd < 0)
		return -1;
	at.sll_ifindex = (int) if_nametoindex(ifname);
	if (at.sll_ifindex == 0 || bind(fd, (struct sockaddr *) &at, sizeof(at)) < 0 ||
	    (ready && ready() < 0)) {
		close(fd);
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (ms_since(&t0) < ms) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		uint8_t buf[2048];
		ssize_t len;

		if (poll(&p, 1, (int) (ms - ms_since(&t0))) <= 0)
			continue;
		len = recv(fd, buf, sizeof(buf), 0);
		for (i = 0; len > 0 && i < n; i++) {
			if (!memmem(buf, (size_t) len, tagged[i], strlen(tagged[i])))
				continue;
			/* The last marker's frames come last: the rest of them
			 * (0.1 s apart) is all there is still to wait for. */
			if (i == n - 1 && counts[i]++ == 0 && ms_since(&t0) + 500 < ms)
				ms = (int) ms_since(&t0) + 500;
			else if (i != n - 1)
				counts[i]++;
		}
	}
	close(fd);
	return 0;
}
