/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What gets through to a guest port, seen from the client namespace:
 *
 *   probe tcp|udp ADDR PORT [TIMEOUT_MS [LINE]]
 *
 * prints "open ANSWER", "closed" or "filtered" (see probe-core.c). With LINE,
 * that line is sent first: "probe tcp|udp ADDR PORT" sent to a guest agent's
 * TCP port makes the guest itself probe ADDR (guest-to-guest traffic). */
#include <stdio.h>
#include <stdlib.h>

#include "probe-core.h"

int
main(int argc, char **argv)
{
	char out[512];

	if (argc < 4 || argc > 6 ||
	    probe_port(argv[1], argv[2], argv[3], argc > 4 ? atoi(argv[4]) : 1500,
		       argc > 5 ? argv[5] : NULL, out, sizeof(out)) < 0) {
		fprintf(stderr, "usage: probe tcp|udp ADDR PORT [TIMEOUT_MS [LINE]]\n");
		return 2;
	}
	puts(out);
	return 0;
}
