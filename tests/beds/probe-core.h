/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
#include <stddef.h>
int probe_port(const char *proto, const char *addr, const char *port, int timeout_ms,
	       const char *send, char *out, size_t outlen);
