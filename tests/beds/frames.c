/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Raw frames from the client or a host (frames-core.c):
 *
 *   frames send IFACE KIND MARKER [SRC]
 *   frames count IFACE MS READY_FILE MARKER...
 *
 * count prints "MARKER N" for each MARKER: how many frames with it crossed
 * IFACE within MS milliseconds, or until 0.5 s after the first frame of the
 * last MARKER. It creates READY_FILE once it captures, so that a test sends
 * only after. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frames-core.h"

static const char *ready_file;

static int
ready(void)
{
	int fd = open(ready_file, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);

	return fd < 0 ? -1 : close(fd);
}

int
main(int argc, char **argv)
{
	int counts[16];

	if (argc >= 5 && argc <= 6 && strcmp(argv[1], "send") == 0) {
		if (frames_send(argv[2], argv[3], argc > 5 ? argv[5] : NULL, argv[4], 3) == 0)
			return 0;
	} else if (argc >= 6 && argc <= 21 && strcmp(argv[1], "count") == 0) {
		ready_file = argv[4];
		if (frames_count(argv[2], (const char *const *) argv + 5, argc - 5, counts,
				 atoi(argv[3]), ready) == 0) {
			for (int i = 5; i < argc; i++)
				printf("%s %d\n", argv[i], counts[i - 5]);
			return 0;
		}
	}
	fprintf(stderr, "usage: frames send IFACE KIND MARKER [SRC] | "
			"frames count IFACE MS READY_FILE MARKER...\n");
	return 2;
}
