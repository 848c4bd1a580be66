/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Every filter nwfilter-gen defines is first checked against libvirt's own
 * nwfilter schema: libvirt's parser ignores attributes it does not know, so
 * a generator slip (a misspelt attribute) would otherwise weaken a firewall
 * without a word. The schema is libvirt's file with the two attributes it
 * lacks and libvirt's parser and drivers take: state on IPv6 rule elements
 * (see generate.h), and arpsrcipmask on arp (a network among a VM's
 * addresses). That is also why filters are not defined with
 * VIR_NWFILTER_DEFINE_VALIDATE: libvirt's unpatched schema refuses them. */
#pragma once

#include <glib.h>

#ifndef LIBVIRT_SCHEMA_DIR
#define LIBVIRT_SCHEMA_DIR "/usr/share/libvirt/schemas"
#endif

/* 0 when xml (the filter called name) is valid, else -1 with an error that
 * names the filter and the schema's first complaint. */
int sp_nwfilter_validate(const char *name, const char *xml) G_GNUC_WARN_UNUSED_RESULT;
