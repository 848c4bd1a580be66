/* SPDX-License-Identifier: GPL-2.0-or-later */
/* networks.conf: the networks netplug builds, read and checked whole.
 *
 *   VLAN network:   [uplink] bond (slaves)  ->  bond.VLAN  ->  bridge (br%04d)
 *   VXLAN network:  vxlanVNI (remotes or a multicast group)  ->  bridge (vx%d)
 *
 * A file with any error gives no configuration: every error goes to the
 * SpDiag with its place, and nothing is built from half a file. This layer
 * only reads: it never talks to the kernel and never prints. */
#pragma once

#include <glib.h>

#include "network.h"
#include "sp-diag.h"

/* What the configuration lives in, under the directory of -c (default
 * SP_SYSCONFDIR/sparrow). */
#define SP_NETCONFIG_FILE "networks.conf"

SpNetConfig *sp_netconfig_parse(const char *path, const char *text, SpDiag *diag)
	G_GNUC_WARN_UNUSED_RESULT;
SpNetConfig *sp_netconfig_load(const char *path, SpDiag *diag) G_GNUC_WARN_UNUSED_RESULT;
void sp_netconfig_free(SpNetConfig *cfg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SpNetConfig, sp_netconfig_free)

/* 0, or -1 with the error set when a name is not a network of cfg. */
int sp_netconfig_check_names(const SpNetConfig *cfg, const char *const *names)
	G_GNUC_WARN_UNUSED_RESULT;
/* The network whose bridge is named bridge, or NULL. */
const SpNetwork *sp_netconfig_find_bridge(const SpNetConfig *cfg, const char *bridge);
/* Whether n is among names (all networks when names is NULL or empty). */
gboolean sp_netconfig_wanted(const SpNetwork *n, const char *const *names);

/* The device names netplug derives, from this one function (bond: the
 * uplink's, NULL when there is none). NULL when n has no kind or a VLAN
 * network has no bond; may be longer than a kernel name: the checks say so. */
char *sp_network_dev_name(const SpNetwork *n, const char *bond, SpNameRole role)
	G_GNUC_WARN_UNUSED_RESULT;
