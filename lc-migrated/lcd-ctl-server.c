/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The control socket in the main loop, and the answers to lcctl.
 *
 * Who may talk: the peer's credentials (SO_PEERCRED, from the kernel, not
 * from the peer) must be root's, or carry the configured socket_group
 * (its primary group, or a supplementary one from SO_PEERGROUPS). The file
 * mode says the same (0600, or 0660 with that group), but the check does
 * not rely on it. A request is read with a size cap and a time limit, one
 * per connection, and few connections are served at once: a client that
 * opens many and sends nothing must not use up the descriptors the host
 * connections need. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib-unix.h>

#include "lcd-ctl-answer.h"
#include "lcd-ctl-server.h"
#include "lcd-ctl.h"
#include "lcd-host.h"
#include "sp-error.h"
#include "sp-json.h"
#include "sp-log.h"

/* A client that sends nothing for this long is dropped. */
#define CLIENT_TIMEOUT_S 5
/* Connections served at once; more are answered "busy" and closed. */
#define CLIENTS_MAX 16

struct LcdCtl {
	Lcd *lcd;
	char *path;
	int fd;
	guint watch;
	guint clients;
};

typedef struct {
	LcdCtl *ctl;
	int fd;
	guint watch, timer;
	GString *buf;
	gboolean denied; /* its request is read (not parsed) and refused */
} Client;

static void
client_close(Client *c)
{
	c->ctl->clients--;
	if (c->watch)
		g_source_remove(c->watch);
	if (c->timer)
		g_source_remove(c->timer);
	close(c->fd);
	g_string_free(c->buf, TRUE);
	g_free(c);
}

static void
client_write(Client *c, const char *text)
{
	gsize len = strlen(text), done = 0;

	while (done < len) {
		ssize_t n = send(c->fd, text + done, len - done, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return; /* the client left, or stalled past SO_SNDTIMEO */
		done += (gsize) n;
	}
}

static gboolean
peer_allowed(LcdCtl *ctl, int fd, uid_t *uid_out)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	const LcdConf *conf = ctl->lcd->conf;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
		return FALSE;
	*uid_out = cred.uid;
	if (cred.uid == 0)
		return TRUE;
	if (!conf->socket_group_set)
		return FALSE;
	if (cred.gid == conf->socket_gid)
		return TRUE;
#ifdef SO_PEERGROUPS
	{
		gid_t groups[256];
		socklen_t glen = sizeof(groups);

		if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &glen) == 0)
			for (guint i = 0; i < glen / sizeof(gid_t); i++)
				if (groups[i] == conf->socket_gid)
					return TRUE;
	}
#endif
	return FALSE;
}

static void
client_handle(Client *c, const char *line, gsize len)
{
	LcdCtlRequest r = {0};
	g_autofree char *body = NULL;

	if (c->denied) {
		client_write(c, "error permission denied\n");
		return;
	}
	if (lcd_ctl_parse(line, len, &r) < 0 || !(body = lcd_ctl_answer(c->ctl->lcd, &r))) {
		g_autofree char *msg = g_strdup_printf("error %s\n", sp_error_message());

		sp_error_clear();
		client_write(c, msg);
	} else {
		client_write(c, "ok\n");
		client_write(c, body);
	}
	lcd_ctl_request_clear(&r);
}

static gboolean
on_client_timeout(gpointer data)
{
	Client *c = data;

	c->timer = 0;
	client_write(c, "error no request within " G_STRINGIFY(CLIENT_TIMEOUT_S) " s\n");
	client_close(c);
	return G_SOURCE_REMOVE;
}

static gboolean
on_client(int fd, GIOCondition cond, gpointer data)
{
	Client *c = data;
	char chunk[512];
	ssize_t n = read(fd, chunk, sizeof(chunk));
	const char *nl;

	(void) cond;
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return G_SOURCE_CONTINUE;
	if (n <= 0) {
		/* A request without its newline, then EOF, still counts. */
		if (c->buf->len)
			client_handle(c, c->buf->str, c->buf->len);
		goto done;
	}
	g_string_append_len(c->buf, chunk, n);
	if ((nl = memchr(c->buf->str, '\n', c->buf->len))) {
		client_handle(c, c->buf->str, (gsize) (nl - c->buf->str + 1));
		goto done;
	}
	if (c->buf->len > LCD_CTL_REQUEST_MAX) {
		client_write(c, "error request too long\n");
		goto done;
	}
	return G_SOURCE_CONTINUE;
done:
	c->watch = 0; /* GLib removes it as we return */
	client_close(c);
	return G_SOURCE_REMOVE;
}

static gboolean
on_accept(int fd, GIOCondition cond, gpointer data)
{
	LcdCtl *ctl = data;
	int cfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	struct timeval tv = {.tv_sec = CLIENT_TIMEOUT_S};
	uid_t uid = (uid_t) -1;
	Client *c;

	(void) cond;
	if (cfd < 0)
		return G_SOURCE_CONTINUE;
	if (ctl->clients >= CLIENTS_MAX) {
		static const char busy[] = "error busy: too many control connections\n";

		sp_log_warn("ctl.busy", "control socket: %u connections already; one refused",
			    ctl->clients);
		(void) send(cfd, busy, sizeof(busy) - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
		close(cfd);
		return G_SOURCE_CONTINUE;
	}
	c = g_new0(Client, 1);
	/* A peer we refuse still gets its answer after its request is in:
	 * closing on unread data would reset the connection before the
	 * client reads why. Its request is never parsed. */
	if (!peer_allowed(ctl, cfd, &uid)) {
		sp_log_warn("ctl.denied", "control socket: refused a client of uid %d", (int) uid);
		c->denied = TRUE;
	}
	/* Replies are written blocking, with a time limit: a reader that
	 * stalls costs the main loop CLIENT_TIMEOUT_S at most. */
	(void) fcntl(cfd, F_SETFL, fcntl(cfd, F_GETFL) & ~O_NONBLOCK);
	(void) setsockopt(cfd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	(void) setsockopt(cfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	c->ctl = ctl;
	ctl->clients++;
	c->fd = cfd;
	c->buf = g_string_new(NULL);
	c->watch = g_unix_fd_add(cfd, G_IO_IN | G_IO_HUP | G_IO_ERR, on_client, c);
	c->timer = g_timeout_add_seconds(CLIENT_TIMEOUT_S, on_client_timeout, c);
	return G_SOURCE_CONTINUE;
}

LcdCtl *
lcd_ctl_start(Lcd *lcd, const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct stat st;
	LcdCtl *ctl;
	mode_t old;
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		sp_error("socket path '%s' is too long", path);
		return NULL;
	}
	g_strlcpy(sa.sun_path, path, sizeof(sa.sun_path));
	/* We hold the single-instance lock: a socket left there is a dead
	 * instance's. Anything else is not ours to remove. */
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			sp_error("'%s' exists and is not a socket", path);
			return NULL;
		}
		(void) unlink(path);
	}
	{
		g_autofree char *dir = g_path_get_dirname(path);

		if (g_mkdir_with_parents(dir, 0755) < 0) {
			sp_error_errno(errno, "cannot create '%s'", dir);
			return NULL;
		}
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		sp_error_errno(errno, "cannot create a socket");
		return NULL;
	}
	old = umask(0177);
	if (bind(fd, (struct sockaddr *) &sa, sizeof(sa)) < 0) {
		umask(old);
		sp_error_errno(errno, "cannot bind '%s'", path);
		close(fd);
		return NULL;
	}
	umask(old);
	if (lcd->conf->socket_group_set &&
	    (chown(path, (uid_t) -1, lcd->conf->socket_gid) < 0 || chmod(path, 0660) < 0))
		sp_log_warn("ctl.socket", "cannot give '%s' to its group: %s", path,
			    g_strerror(errno));
	if (listen(fd, 16) < 0) {
		sp_error_errno(errno, "cannot listen on '%s'", path);
		close(fd);
		return NULL;
	}
	ctl = g_new0(LcdCtl, 1);
	ctl->lcd = lcd;
	ctl->path = g_strdup(path);
	ctl->fd = fd;
	ctl->watch = g_unix_fd_add(fd, G_IO_IN, on_accept, ctl);
	return ctl;
}

void
lcd_ctl_stop(LcdCtl *ctl)
{
	if (!ctl)
		return;
	g_source_remove(ctl->watch);
	close(ctl->fd);
	(void) unlink(ctl->path);
	g_free(ctl->path);
	g_free(ctl);
}
