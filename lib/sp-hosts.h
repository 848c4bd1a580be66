/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The cluster inventory, /etc/sparrow/hosts.conf: one file names every host
 * and how to reach its libvirtd, for every program that talks to all of
 * them (lc-migrated; nwfilter-gen apply and diff without --connect).
 *
 *   [hosts]
 *   kvm1 = qemu+ssh://root@kvm1/system
 *   kvm2 = qemu+tls://kvm2/system
 *
 *   [host kvm1]                  # optional, per host
 *   cores = 30                   # instead of what libvirt reports
 *   memory = 250                 # GiB, instead of what libvirt reports
 *   migration_uri = tcp://10.0.0.1   # where migration data goes
 *   host_load = no               # its node CPU stats are not its own
 *
 * hosts.conf(5) says what each key means. */
#pragma once

#include <glib.h>

#include "sp-diag.h"

typedef struct {
	char *name;
	char *uri;
	double cores;        /* 0: what libvirt reports */
	double memory_gb;    /* 0: what libvirt reports */
	char *migration_uri; /* NULL: the hypervisor's choice */
	gboolean host_load;  /* count the host's own CPU use (default TRUE) */
} SpHost;

typedef struct {
	char *path;
	GPtrArray *hosts; /* SpHost *, in file order */
} SpHosts;

/* Load path (a trusted file, lib/sp-config). Every problem goes to diag,
 * and the whole file is refused (NULL). */
SpHosts *sp_hosts_load(const char *path, SpDiag *diag) G_GNUC_WARN_UNUSED_RESULT;
/* The same from text in memory (tests). */
SpHosts *sp_hosts_parse(const char *path, const char *text, SpDiag *diag) G_GNUC_WARN_UNUSED_RESULT;
void sp_hosts_free(SpHosts *hosts);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SpHosts, sp_hosts_free)

/* The host named name, or NULL. */
const SpHost *sp_hosts_find(const SpHosts *hosts, const char *name);
