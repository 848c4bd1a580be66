/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lc-migrated: moves VMs off hosts that stay overloaded (lc-migrated(8)).
 *
 *   lc-migrated [-c|--config DIR] [--foreground]
 *   lc-migrated [-c|--config DIR] --check-config
 *
 * Exit status: 0 stopped cleanly (or the configuration is valid); 1 the
 * configuration has errors; 2 usage; 3 could not start (another instance,
 * a socket, libvirt). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lcd-conf.h"
#include "lcd.h"
#include "sp-error.h"
#include "sp-lock.h"
#include "sp-log.h"

#ifndef SP_SYSCONFDIR
#define SP_SYSCONFDIR "/etc"
#endif

static char *opt_config = NULL;
static gboolean opt_foreground = FALSE, opt_check = FALSE, opt_fake = FALSE;

static const GOptionEntry entries[] = {
	{"config", 'c', 0, G_OPTION_ARG_FILENAME, &opt_config,
	 "Folder of lc.conf and hosts.conf (default " SP_SYSCONFDIR "/sparrow)", "DIR"},
	{"foreground", 'f', 0, G_OPTION_ARG_NONE, &opt_foreground,
	 "Stay in the foreground and log to stderr", NULL},
	{"check-config", 'n', 0, G_OPTION_ARG_NONE, &opt_check, "Check the configuration and exit",
	 NULL},
	{"fake", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &opt_fake,
	 "Accept fake:N hosts (benchmarks only)", NULL},
	{NULL},
};

/* Fake hosts only when asked for: a typo in a real inventory must not turn
 * a host into a simulation. */
static int
fake_check(const LcdConf *conf)
{
	for (guint i = 0; i < conf->hosts->hosts->len; i++) {
		const SpHost *h = g_ptr_array_index(conf->hosts->hosts, i);

		if (g_str_has_prefix(h->uri, "fake:") && !opt_fake) {
			sp_error("%s: host '%s': fake hosts are for benchmarks (--fake)",
				 conf->hosts->path, h->name);
			return -1;
		}
	}
	return 0;
}

int
main(int argc, char **argv)
{
	g_autoptr(GOptionContext) ctx = g_option_context_new("");
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpLock) lock = NULL;
	const char *dir;
	LcdConf *conf;
	Lcd *lcd;
	SpLogTarget target;
	int rc;

	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_summary(
		ctx, "Live-migrate VMs off hosts that stay overloaded (lc-migrated(8)).");
	sp_log_init("lc-migrated", SP_LOG_STDERR, SP_LOG_WARN);
	if (sp_options_parse(ctx, &argc, &argv) < 0) {
		sp_log_last_error("lc.usage");
		return 2;
	}
	if (argc != 1) {
		sp_error("unexpected argument '%s' (see --help)", argv[1]);
		sp_log_last_error("lc.usage");
		return 2;
	}
	dir = opt_config ? opt_config : SP_SYSCONFDIR "/sparrow";
	if (!(conf = lcd_conf_load(dir, diag))) {
		sp_log_diag("lc.config", diag);
		(void) sp_diag_to_error(diag);
		sp_log_last_error("lc.config");
		return 1;
	}
	if (fake_check(conf) < 0) {
		sp_log_last_error("lc.config");
		lcd_conf_free(conf);
		return 1;
	}
	if (opt_check) {
		printf("configuration OK: %u hosts\n", conf->hosts->hosts->len);
		lcd_conf_free(conf);
		return 0;
	}
	/* Under systemd, stderr goes to the journal: log through syslog so
	 * that each line keeps its priority. */
	target = opt_foreground && !getenv("JOURNAL_STREAM") ? SP_LOG_STDERR : SP_LOG_SYSLOG;
	if (!(lock = sp_lock_take(conf->lock, "another lc-migrated", 0))) {
		sp_log_last_error("lc.start");
		lcd_conf_free(conf);
		return 3;
	}
	if (!opt_foreground && daemon(0, 0) < 0) {
		sp_error_errno(errno, "cannot go to the background");
		sp_log_last_error("lc.start");
		lcd_conf_free(conf);
		return 3;
	}
	sp_log_init("lc-migrated", target, conf->log_level);
	lcd = lcd_new(dir, conf, opt_fake);
	lcd->log_target = target;
	rc = lcd_run(lcd) < 0 ? 3 : 0;
	if (rc)
		sp_log_last_error("lc.start");
	lcd_free(lcd);
	return rc;
}
