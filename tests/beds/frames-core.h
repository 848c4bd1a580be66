/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* Send count frames of kind (frames-core.c) from ifname's MAC, 0.1 s apart;
 * src is the IPv4 source of a dhcp-offer. 0, or -1 on bad input or error. */
int frames_send(const char *ifname, const char *kind, const char *src, const char *marker,
		int count);
/* Count into counts[i] the frames that carry markers[i] (up to 16) seen on
 * ifname, either way, for ms or until 0.5 s after the first frame of the
 * last marker (send it last); ready, if not NULL, is called once the
 * capture is in place. 0, or -1 on bad input or error. */
int frames_count(const char *ifname, const char *const *markers, int n, int *counts, int ms,
		 int (*ready)(void));
