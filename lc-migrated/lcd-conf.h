/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lc-migrated's configuration: DIR/lc.conf (the daemon, the core's policy,
 * migrations, pinned VMs and anti-affinity groups) and DIR/hosts.conf (the
 * inventory, lib/sp-hosts). Both are read whole and checked whole: a file
 * with any error is refused and nothing of it is used (a reload keeps the
 * configuration it had). lc.conf(5) documents every key. */
#pragma once

#include <sys/types.h>

#include "lc-core.h"
#include "sp-diag.h"
#include "sp-hosts.h"
#include "sp-log.h"

typedef enum {
	LCD_MODE_ENFORCE,
	LCD_MODE_ADVISE,
} LcdMode;

typedef struct {
	/* [daemon] */
	LcdMode mode;
	double interval_s;
	char *socket;
	gboolean socket_group_set;
	gid_t socket_gid; /* members may use the socket besides root */
	char *metrics;    /* "ADDR:PORT", NULL when off */
	char *state_dir;
	char *lock;
	double keepalive_interval_s;
	guint keepalive_count;
	SpLogLevel log_level;
	/* [policy]: the core's settings in its own units (minutes, rounds,
	 * fractions), and how the load average is made. */
	SpLcConfig core;
	double load_window; /* rounds: the time constant of the load average */
	/* [migration] */
	guint bandwidth_mib; /* MiB/s, 0 unlimited */
	double timeout_s;
	/* Pinned VMs and anti-affinity groups by domain name. */
	GHashTable *pinned;   /* name -> name */
	GHashTable *group_of; /* name -> group name */
	SpHosts *hosts;
} LcdConf;

/* Defaults, and both files of dir read; NULL when any has an error (all of
 * them in diag). */
LcdConf *lcd_conf_load(const char *dir, SpDiag *diag) G_GNUC_WARN_UNUSED_RESULT;
/* The same from texts in memory (tests); hosts_text may be NULL. */
LcdConf *lcd_conf_parse(const char *lc_path, const char *lc_text, const char *hosts_path,
			const char *hosts_text, SpDiag *diag) G_GNUC_WARN_UNUSED_RESULT;
void lcd_conf_free(LcdConf *conf);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(LcdConf, lcd_conf_free)

/* Where lcctl finds the socket when not told: DIR/lc.conf's, if readable,
 * else the default. */
char *lcd_conf_socket_of(const char *dir);

#define LCD_DEFAULT_SOCKET "/run/sparrow/lc-migrated.sock"
