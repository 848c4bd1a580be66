/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The tiny guest's only program besides busybox: it answers on the TCP and
 * UDP ports it is told to (so a firewall test can tell what got through) and
 * burns a chosen share of one CPU (for load-control tests).
 *
 *   guest-agent NAME TCP_PORTS UDP_PORTS BURN_PERCENT
 *
 * Ports are comma lists or "-". Every answer is one line:
 *   sparrow-guest NAME tcp|udp PORT UPTIME_SECONDS
 * except when a TCP client sends "probe tcp|udp ADDR PORT" first: then the
 * guest probes ADDR itself and answers with the verdict (probe-core.c), so
 * tests can check guest-to-guest and outbound traffic. "emit KIND MARKER
 * [SRC]" makes it send raw frames of that kind from eth0 (frames-core.c)
 * and answer "sent KIND", so tests can check what the firewall lets out.
 * It is linked statically into the initramfs, so it runs without a root
 * file system. */
#define _GNU_SOURCE
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "frames-core.h"
#include "probe-core.h"

#define MAX_SOCKS 64

static const char *name;

static double
uptime_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (double) ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
open_socket(int type, int port)
{
	struct sockaddr_in6 addr = {.sin6_family = AF_INET6,
				    .sin6_port = htons(port),
				    .sin6_addr = IN6ADDR_ANY_INIT};
	int one = 1, zero = 0;
	int fd = socket(AF_INET6, type, 0);

	if (fd < 0)
		return -1;
	/* One dual-stack socket answers IPv4 and IPv6 alike. */
	setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *) &addr, sizeof(addr)) < 0 ||
	    (type == SOCK_STREAM && listen(fd, 16) < 0)) {
		perror("bind/listen");
		close(fd);
		return -1;
	}
	return fd;
}

static void
burn(int percent)
{
	/* Duty cycle in 100 ms periods: busy for percent ms of each 100. */
	for (;;) {
		struct timespec start, now;

		clock_gettime(CLOCK_MONOTONIC, &start);
		do
			clock_gettime(CLOCK_MONOTONIC, &now);
		while ((now.tv_sec - start.tv_sec) * 1000 +
			       (now.tv_nsec - start.tv_nsec) / 1000000 <
		       percent);
		if (percent < 100)
			usleep((useconds_t) (100 - percent) * 1000);
	}
}

/* The prober sends "ping\n" or a probe request; wait briefly for it. */
static void
answer_tcp(int c, const char *banner, int len)
{
	struct pollfd p = {.fd = c, .events = POLLIN};
	char req[256], proto[8], addr[64], port[8], out[300], kind[16], marker[65], src[64];
	int words;
	ssize_t n = 0;

	if (poll(&p, 1, 300) > 0)
		n = read(c, req, sizeof(req) - 1);
	if (n > 0) {
		req[n] = '\0';
		if (sscanf(req, "probe %7s %63s %7s", proto, addr, port) == 3) {
			if (probe_port(proto, addr, port, 1500, NULL, out, sizeof(out)) < 0)
				snprintf(out, sizeof(out), "error bad probe request");
			len = snprintf(req, sizeof(req), "%s\n", out);
			(void) !write(c, req, (size_t) len);
			return;
		}
		words = sscanf(req, "emit %15s %64s %63s", kind, marker, src);
		if (words >= 2) {
			int rc = frames_send("eth0", kind, words == 3 ? src : NULL, marker, 3);

			len = snprintf(req, sizeof(req), "%s %s\n", rc == 0 ? "sent" : "error",
				       kind);
			(void) !write(c, req, (size_t) len);
			return;
		}
	}
	(void) !write(c, banner, (size_t) len);
}

int
main(int argc, char **argv)
{
	struct pollfd fds[MAX_SOCKS];
	int ports[MAX_SOCKS], types[MAX_SOCKS], n = 0;

	if (argc != 5) {
		fprintf(stderr, "usage: guest-agent NAME TCP_PORTS UDP_PORTS BURN_PERCENT\n");
		return 2;
	}
	name = argv[1];
	for (int kind = 0; kind < 2; kind++) {
		char *list = strdup(argv[2 + kind]), *save = NULL;

		for (char *tok = strtok_r(list, ",", &save); tok;
		     tok = strtok_r(NULL, ",", &save)) {
			int port = atoi(tok);
			int type = kind == 0 ? SOCK_STREAM : SOCK_DGRAM;
			int fd;

			if (port <= 0 || port > 65535 || n == MAX_SOCKS)
				continue;
			fd = open_socket(type, port);
			if (fd < 0)
				continue;
			fds[n] = (struct pollfd){.fd = fd, .events = POLLIN};
			ports[n] = port;
			types[n++] = type;
		}
		free(list);
	}
	if (atoi(argv[4]) > 0 && fork() == 0)
		burn(atoi(argv[4]) > 100 ? 100 : atoi(argv[4]));
	/* On the console: a test can wait for this line instead of probing,
	 * which would make the guest answer (and so speak) before it is asked. */
	printf("sparrow-guest %s ready\n", name);
	fflush(stdout);

	for (;;) {
		if (poll(fds, (nfds_t) n, -1) < 0)
			continue;
		for (int i = 0; i < n; i++) {
			char line[256], buf[512];
			struct sockaddr_in6 peer;
			socklen_t plen = sizeof(peer);
			int len;

			if (!(fds[i].revents & POLLIN))
				continue;
			len = snprintf(line, sizeof(line), "sparrow-guest %s %s %d %.1f\n", name,
				       types[i] == SOCK_STREAM ? "tcp" : "udp", ports[i],
				       uptime_s());
			if (types[i] == SOCK_STREAM) {
				int c = accept(fds[i].fd, NULL, NULL);

				if (c >= 0) {
					answer_tcp(c, line, len);
					close(c);
				}
			} else if (recvfrom(fds[i].fd, buf, sizeof(buf), 0,
					    (struct sockaddr *) &peer, &plen) >= 0) {
				sendto(fds[i].fd, line, (size_t) len, 0, (struct sockaddr *) &peer,
				       plen);
			}
		}
	}
}
