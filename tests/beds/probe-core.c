/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One probe of a TCP or UDP port, shared by the client-side "probe" tool and
 * the guest agent (so a guest can probe another guest the same way).
 * Writes "open LINE", "closed" (RST or ICMP unreachable: a REJECT, or nothing
 * listening) or "filtered" (no answer before the timeout: a DROP) into out.
 * send, if not NULL, is sent first (TCP and UDP). Returns -1 on bad input. */
#define _GNU_SOURCE
#include <errno.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "probe-core.h"

static int
wait_for(int fd, short events, int timeout_ms)
{
	struct pollfd p = {.fd = fd, .events = events};

	return poll(&p, 1, timeout_ms) > 0 ? p.revents : 0;
}

static int
verdict(char *out, size_t outlen, int errnum)
{
	snprintf(out, outlen, "%s", errnum == ECONNREFUSED ? "closed" : "filtered");
	return 0;
}

int
probe_port(const char *proto, const char *addr, const char *port, int timeout_ms, const char *send,
	   char *out, size_t outlen)
{
	struct sockaddr_in v4 = {.sin_family = AF_INET};
	struct sockaddr_in6 v6 = {.sin6_family = AF_INET6};
	struct sockaddr *sa;
	socklen_t salen;
	int udp = strcmp(proto, "udp") == 0, fd, err = 0, rc, family;
	long portnum = strtol(port, NULL, 10);
	socklen_t elen = sizeof(err);
	char buf[256];
	ssize_t n = 0;

	if (!udp && strcmp(proto, "tcp") != 0)
		return -1;
	/* Numeric addresses only: no resolver (the agent is linked statically). */
	if (portnum < 1 || portnum > 65535)
		return -1;
	if (inet_pton(AF_INET, addr, &v4.sin_addr) == 1) {
		v4.sin_port = htons((unsigned short) portnum);
		family = AF_INET, sa = (struct sockaddr *) &v4, salen = sizeof(v4);
	} else if (inet_pton(AF_INET6, addr, &v6.sin6_addr) == 1) {
		v6.sin6_port = htons((unsigned short) portnum);
		family = AF_INET6, sa = (struct sockaddr *) &v6, salen = sizeof(v6);
	} else {
		return -1;
	}
	fd = socket(family, (udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	rc = fd < 0 ? -1 : connect(fd, sa, salen);
	if (fd < 0)
		return -1;
	if (rc < 0 && errno != EINPROGRESS) {
		close(fd);
		return verdict(out, outlen, errno);
	}
	if (!udp) {
		if (!(wait_for(fd, POLLOUT, timeout_ms) & (POLLOUT | POLLERR | POLLHUP)))
			err = ETIMEDOUT;
		else
			getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen);
		if (err) {
			close(fd);
			return verdict(out, outlen, err);
		}
	}
	/* A connected UDP socket reports ICMP port unreachable as ECONNREFUSED. */
	(void) !write(fd, send ? send : "ping\n", strlen(send ? send : "ping\n"));
	if (!(wait_for(fd, POLLIN, timeout_ms) & (POLLIN | POLLERR | POLLHUP))) {
		close(fd);
		return verdict(out, outlen, ETIMEDOUT);
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return verdict(out, outlen, errno);
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	snprintf(out, outlen, "open %s", buf);
	return 0;
}
