/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lcctl: talk to lc-migrated (lcctl(8)).
 *
 *   lcctl [-c DIR] [--socket PATH] [--json] status | why VM | pause | resume
 *                                          | drain HOST | undrain HOST
 *
 * Exit status: 0 done; 1 the daemon refused (the reason on stderr); 2 usage;
 * 3 no daemon to talk to. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "lcd-conf.h"
#include "lcd-ctl.h"
#include "sp-error.h"
#include "sp-log.h"

static char *opt_config = NULL, *opt_socket = NULL;
static gboolean opt_json = FALSE;

static const GOptionEntry entries[] = {
	{"config", 'c', 0, G_OPTION_ARG_FILENAME, &opt_config,
	 "Folder of lc.conf, for its socket (default /etc/sparrow)", "DIR"},
	{"socket", 's', 0, G_OPTION_ARG_FILENAME, &opt_socket,
	 "The daemon's control socket (default: lc.conf's, or " LCD_DEFAULT_SOCKET ")", "PATH"},
	{"json", 'j', 0, G_OPTION_ARG_NONE, &opt_json, "Answers as JSON", NULL},
	{NULL},
};

static int
talk(const char *path, const char *line, GString *reply)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct timeval tv = {.tv_sec = 30};
	char buf[65536];
	gsize len = strlen(line), done = 0;
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		sp_error("socket path '%s' is too long", path);
		return -1;
	}
	g_strlcpy(sa.sun_path, path, sizeof(sa.sun_path));
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *) &sa, sizeof(sa)) < 0) {
		sp_error_errno(errno, "cannot reach lc-migrated at '%s'", path);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	(void) setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	(void) setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	while (done < len) {
		ssize_t n = send(fd, line + done, len - done, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		/* The daemon may have answered and closed already (a refusal):
		 * its answer is what to show. */
		if (n <= 0 && (errno == EPIPE || errno == ECONNRESET))
			break;
		if (n <= 0) {
			sp_error_errno(errno, "cannot send to '%s'", path);
			close(fd);
			return -1;
		}
		done += (gsize) n;
	}
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == ECONNRESET && reply->len)
			break;
		if (n < 0) {
			sp_error_errno(errno, "cannot read the answer from '%s'", path);
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		if (reply->len + (gsize) n > LCD_CTL_REPLY_MAX) {
			sp_error("the answer is larger than %d bytes", LCD_CTL_REPLY_MAX);
			close(fd);
			return -1;
		}
		g_string_append_len(reply, buf, n);
	}
	close(fd);
	return 0;
}

int
main(int argc, char **argv)
{
	g_autoptr(GOptionContext) ctx = g_option_context_new(
		"status | why VM | pause | resume | drain HOST | undrain HOST");
	g_autoptr(GString) reply = g_string_new(NULL);
	g_autofree char *socket = NULL, *line = NULL, *error = NULL;
	const char *body = NULL;
	gboolean ok = FALSE;

	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_summary(ctx, "Ask or tell lc-migrated (lcctl(8)).");
	sp_log_init("lcctl", SP_LOG_STDERR, SP_LOG_WARN);
	if (sp_options_parse(ctx, &argc, &argv) < 0) {
		sp_log_last_error("lcctl.usage");
		return 2;
	}
	if (argc < 2) {
		sp_error(
			"say status, why VM, pause, resume, drain HOST or undrain HOST (see --help)");
		sp_log_last_error("lcctl.usage");
		return 2;
	}
	if (!(line = lcd_ctl_request_line((const char *const *) argv + 1, opt_json))) {
		sp_log_last_error("lcctl.usage");
		return 2;
	}
	socket = opt_socket ? g_strdup(opt_socket) : lcd_conf_socket_of(opt_config);
	if (talk(socket, line, reply) < 0 ||
	    lcd_ctl_reply_parse(reply->str, reply->len, &ok, &body, &error) < 0) {
		sp_log_last_error("lcctl.talk");
		return 3;
	}
	if (!ok) {
		sp_error("%s", error);
		sp_log_last_error("lcctl.refused");
		return 1;
	}
	fputs(body, stdout);
	return 0;
}
