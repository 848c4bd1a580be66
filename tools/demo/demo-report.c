/* SPDX-License-Identifier: GPL-2.0-or-later */
/* demo-report EVENTS.TSV REPORT.HTML SUMMARY.JSON: see report.h. */
#include "config.h"

#include "report.h"
#include "sp-error.h"
#include "sp-log.h"

int
main(int argc, char **argv)
{
	g_autoptr(DemoRecord) r = NULL;

	sp_log_init("demo-report", SP_LOG_STDERR, SP_LOG_WARN);
	if (argc != 4) {
		sp_error("usage: demo-report EVENTS.TSV REPORT.HTML SUMMARY.JSON");
		sp_log_last_error("demo.usage");
		return 2;
	}
	r = demo_record_load(argv[1]);
	if (!r || demo_write_html(r, argv[2]) < 0 || demo_write_summary(r, argv[3]) < 0) {
		sp_log_last_error("demo.report");
		return 1;
	}
	return 0;
}
