/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The policy-file parser: every error as FILE:LINE:COL, all of them, then
 * the whole file is refused. Two passes, so that a set may be used on a line
 * before the one that defines it. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "policy.h"
#include "sp-error.h"
#include "sp-list.h"
#include "sp-names.h"

#define MAX_LINE 4096

typedef struct {
	char *text;
	int col;      /* 1-based column of its first character */
	GArray *cols; /* int per byte of text: its column (lists are glued) */
} Token;

typedef struct {
	const char *path;
	int line;
	SpDiag *diag;
	GHashTable *sets;      /* name -> GArray of SpCidr */
	GHashTable *set_lines; /* name -> line defined */
	gboolean failed;
} Parser;

static void G_GNUC_PRINTF(3, 4) err(Parser *p, int col, const char *fmt, ...)
{
	va_list ap;
	g_autofree char *msg = NULL;

	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	sp_diag_add(p->diag, p->path, p->line, col, "%s", msg);
	p->failed = TRUE;
}

static void
token_clear(gpointer data)
{
	Token *t = data;

	g_free(t->text);
	if (t->cols)
		g_array_free(t->cols, TRUE);
}

static gboolean
is_keyword(const char *start, const char *end)
{
	static const char *const kw[] = {"port", "from", "to"};

	for (guint i = 0; i < G_N_ELEMENTS(kw); i++)
		if ((size_t) (end - start) == strlen(kw[i]) &&
		    strncmp(start, kw[i], (size_t) (end - start)) == 0)
			return TRUE;
	return FALSE;
}

static void
append_cols(GArray *cols, int first, gsize n)
{
	for (gsize i = 0; i < n; i++) {
		int c = first + (int) i;

		g_array_append_val(cols, c);
	}
}

/* Split on white space, then glue comma lists back together: "80, 443" and
 * "80 ,443" are one token "80,443" at the column of its first piece, and
 * every byte keeps its own column for messages about one item. A keyword
 * after a trailing comma ("port 80, from ...") is not glued: the list has an
 * empty item, reported at its comma. */
static GArray *
tokenize(const char *line)
{
	GArray *toks = g_array_new(FALSE, TRUE, sizeof(Token));
	const char *p = line;

	g_array_set_clear_func(toks, token_clear);
	while (*p) {
		const char *start;
		Token *last = toks->len > 0 ? &g_array_index(toks, Token, toks->len - 1) : NULL;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		start = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (last && (g_str_has_suffix(last->text, ",") || *start == ',') &&
		    !is_keyword(start, p)) {
			g_autofree char *piece = g_strndup(start, (gsize) (p - start));
			char *joined = g_strconcat(last->text, piece, NULL);

			g_free(last->text);
			last->text = joined;
			append_cols(last->cols, (int) (start - line) + 1, (gsize) (p - start));
		} else {
			Token t = {g_strndup(start, (gsize) (p - start)), (int) (start - line) + 1,
				   g_array_new(FALSE, FALSE, sizeof(int))};

			append_cols(t.cols, t.col, (gsize) (p - start));
			g_array_append_val(toks, t);
		}
	}
	return toks;
}

static GArray *
token_items(const Token *t)
{
	return sp_list_items(t->text, &g_array_index(t->cols, int, 0), 0);
}

static gboolean
parse_number(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (!g_ascii_isdigit(*s))
		return FALSE;
	v = strtol(s, &end, 10);
	if (*end || v < min || v > max)
		return FALSE;
	*out = v;
	return TRUE;
}

static void
parse_ports(Parser *p, const Token *t, GArray *ports)
{
	g_autoptr(GArray) items = token_items(t);

	for (guint i = 0; i < items->len; i++) {
		SpListItem *it = &g_array_index(items, SpListItem, i);
		char *dash = strchr(it->text, '-');
		long lo, hi;

		if (!*it->text) {
			err(p, it->col, "empty item after ',' in the port list");
			continue;
		}
		if (dash)
			*dash = '\0';
		if (!parse_number(it->text, 1, 65535, &lo) ||
		    (dash && !parse_number(dash + 1, 1, 65535, &hi))) {
			if (dash)
				*dash = '-';
			err(p, it->col, "bad port '%s' (ports are 1 to 65535, ranges LOW-HIGH)",
			    it->text);
			continue;
		}
		if (!dash)
			hi = lo;
		if (lo > hi) {
			err(p, it->col, "port range '%ld-%ld' runs backwards", lo, hi);
			continue;
		}
		g_array_append_val(ports, ((SpPortRange){(guint16) lo, (guint16) hi}));
	}
}

/* An address or network (lib/sp-inet): canonical, host bits clear. */
static gboolean
parse_cidr(Parser *p, int col, const char *text, SpCidr *out)
{
	if (sp_cidr_parse(text, out) < 0) {
		err(p, col, "%s", sp_error_message());
		sp_error_clear();
		return FALSE;
	}
	return TRUE;
}

/* icmp matches IPv4 only and icmpv6 IPv6 only: an address of the other
 * family is a mistake, reported at the address (or the set) that brings it. */
static gboolean
check_family(Parser *p, int col, int proto, const SpCidr *c)
{
	if ((proto == SP_FW_ICMP && c->family != AF_INET) ||
	    (proto == SP_FW_ICMPV6 && c->family != AF_INET6)) {
		err(p, col, "%s cannot match the %s address '%s/%d'", sp_fw_proto_words[proto],
		    c->family == AF_INET ? "IPv4" : "IPv6", c->addr, c->prefix);
		return FALSE;
	}
	return TRUE;
}

/* Returns FALSE for "any" (no restriction); sets are expanded in place.
 * proto: the rule's protocol, or -1 for a set's own addresses. */
static gboolean
parse_addrs(Parser *p, const Token *t, GArray *out, gboolean allow_sets, int proto)
{
	g_autoptr(GArray) items = token_items(t);
	gboolean any = FALSE;

	for (guint i = 0; i < items->len; i++) {
		const SpListItem *it = &g_array_index(items, SpListItem, i);
		SpCidr c;

		if (!*it->text) {
			err(p, it->col, "empty item after ',' in the address list");
		} else if (strcmp(it->text, "any") == 0) {
			any = TRUE;
		} else if (it->text[0] == '@') {
			GArray *set = g_hash_table_lookup(p->sets, it->text + 1);

			if (!allow_sets) {
				err(p, it->col, "a set cannot contain another set ('%s')",
				    it->text);
			} else if (!set) {
				err(p, it->col, "undefined set '%s'", it->text);
			} else {
				/* One message per set is enough. */
				for (guint j = 0; j < set->len; j++)
					if (!check_family(p, it->col, proto,
							  &g_array_index(set, SpCidr, j)))
						break;
				g_array_append_vals(out, set->data, set->len);
			}
		} else if (parse_cidr(p, it->col, it->text, &c)) {
			check_family(p, it->col, proto, &c);
			g_array_append_val(out, c);
		}
	}
	if (any && items->len > 1) {
		err(p, t->col, "'any' cannot be combined with other addresses");
		return TRUE;
	}
	return !any;
}

/* First pass: "set NAME ADDRS" lines. */
static void
parse_set(Parser *p, GArray *toks)
{
	Token *name;
	GArray *addrs;

	if (toks->len != 3) {
		err(p, toks->len < 3 ? 1 : g_array_index(toks, Token, 3).col,
		    toks->len < 3 ? "expected 'set NAME ADDRESSES'"
				  : "unexpected '%s' after the addresses of a set",
		    toks->len < 3 ? "" : g_array_index(toks, Token, 3).text);
		return;
	}
	name = &g_array_index(toks, Token, 1);
	if (!sp_name_simple_valid("set", name->text, SP_POLICY_NAME_MAX)) {
		err(p, name->col, "%s", sp_error_message());
		sp_error_clear();
		return;
	}
	if (g_hash_table_contains(p->set_lines, name->text)) {
		err(p, name->col, "set '%s' is already defined on line %d", name->text,
		    GPOINTER_TO_INT(g_hash_table_lookup(p->set_lines, name->text)));
		return;
	}
	addrs = g_array_new(FALSE, FALSE, sizeof(SpCidr));
	if (!parse_addrs(p, &g_array_index(toks, Token, 2), addrs, FALSE, -1))
		err(p, g_array_index(toks, Token, 2).col, "a set cannot be 'any'");
	g_hash_table_insert(p->sets, g_strdup(name->text), addrs);
	g_hash_table_insert(p->set_lines, g_strdup(name->text), GINT_TO_POINTER(p->line));
}

static void
rule_free(gpointer data)
{
	SpFwRule *r = data;

	g_array_free(r->ports, TRUE);
	g_array_free(r->remotes, TRUE);
	g_free(r);
}

/* Second pass: a rule line. */
static SpFwRule *
parse_rule(Parser *p, GArray *toks)
{
	g_autoptr(GArray) ports = g_array_new(FALSE, FALSE, sizeof(SpPortRange));
	g_autoptr(GArray) remotes = g_array_new(FALSE, FALSE, sizeof(SpCidr));
	gboolean failed_before = p->failed;
	int action = 0, dir = 0, proto = 0, port_col = 0;
	gboolean seen_port = FALSE, seen_from = FALSE, seen_to = FALSE;
	SpFwRule *rule;
	Token *t = &g_array_index(toks, Token, 0);

	p->failed = FALSE;
	if ((action = sp_fw_word_index(sp_fw_action_words, t->text)) < 0) {
		err(p, t->col, "unknown word '%s' (expected allow, drop, reject or set)", t->text);
		goto out;
	}
	if (toks->len < 3) {
		err(p, t->col, "expected '%s in|out PROTOCOL ...'", t->text);
		goto out;
	}
	t = &g_array_index(toks, Token, 1);
	if ((dir = sp_fw_word_index(sp_fw_dir_words, t->text)) < 0) {
		err(p, t->col, "unknown direction '%s' (expected in or out)", t->text);
		goto out;
	}
	t = &g_array_index(toks, Token, 2);
	if ((proto = sp_fw_word_index(sp_fw_proto_words, t->text)) < 0) {
		err(p, t->col,
		    "unknown protocol '%s' (expected tcp, udp, sctp, icmp, icmpv6 or any)",
		    t->text);
		goto out;
	}
	/* The root accepts all ICMPv6 before any policy (neighbour discovery
	 * needs it, and libvirt 9 does not instantiate ICMPv6 type matches): a
	 * drop would never see a packet. */
	if (proto == SP_FW_ICMPV6 && action != SP_FW_ALLOW)
		err(p, t->col,
		    "%s icmpv6 would never match: every ICMPv6 packet is accepted "
		    "before the policies (IPv6 neighbour discovery needs it)",
		    sp_fw_action_words[action]);
	for (guint i = 3; i < toks->len; i += 2) {
		Token *kw = &g_array_index(toks, Token, i);
		Token *val = i + 1 < toks->len ? &g_array_index(toks, Token, i + 1) : NULL;

		if (strcmp(kw->text, "port") != 0 && strcmp(kw->text, "from") != 0 &&
		    strcmp(kw->text, "to") != 0) {
			err(p, kw->col, "unknown word '%s' (expected port, from or to)", kw->text);
			break;
		}
		if (!val) {
			err(p, kw->col, "'%s' needs a value", kw->text);
			break;
		}
		if (strcmp(kw->text, "port") == 0) {
			if (seen_port)
				err(p, kw->col, "'port' given twice");
			seen_port = TRUE;
			port_col = kw->col;
			parse_ports(p, val, ports);
		} else {
			gboolean from = strcmp(kw->text, "from") == 0;

			if ((from && seen_from) || (!from && seen_to))
				err(p, kw->col, "'%s' given twice", kw->text);
			if (from && dir == SP_FW_OUT)
				err(p, kw->col,
				    "'from' is for inbound rules; outbound rules name the "
				    "remote side with 'to'");
			if (!from && dir == SP_FW_IN)
				err(p, kw->col,
				    "'to' is for outbound rules; inbound rules name the "
				    "remote side with 'from'");
			seen_from |= from;
			seen_to |= !from;
			parse_addrs(p, val, remotes, TRUE, proto);
		}
	}
	if (seen_port && proto != SP_FW_TCP && proto != SP_FW_UDP && proto != SP_FW_SCTP)
		err(p, port_col, "ports need tcp, udp or sctp, not '%s'", sp_fw_proto_words[proto]);
out:
	if (p->failed) {
		p->failed = TRUE;
		return NULL;
	}
	p->failed = failed_before;
	rule = g_new0(SpFwRule, 1);
	rule->action = (SpFwAction) action;
	rule->dir = (SpFwDir) dir;
	rule->proto = (SpFwProto) proto;
	rule->ports = g_steal_pointer(&ports);
	rule->remotes = g_steal_pointer(&remotes);
	rule->line = p->line;
	return rule;
}

static GPtrArray *
split_lines(Parser *p, const char *text)
{
	g_auto(GStrv) raw = g_strsplit(text, "\n", -1);
	GPtrArray *lines = g_ptr_array_new_with_free_func((GDestroyNotify) g_array_unref);

	for (int i = 0; raw[i]; i++) {
		char *hash = strchr(raw[i], '#');

		p->line = i + 1;
		if (hash)
			*hash = '\0';
		if (strlen(raw[i]) > MAX_LINE) {
			err(p, MAX_LINE, "line is longer than %d bytes", MAX_LINE);
			g_ptr_array_add(lines, g_array_new(FALSE, TRUE, sizeof(Token)));
			continue;
		}
		for (char *c = raw[i]; *c; c++) {
			if ((unsigned char) *c < 0x20 && *c != '\t' && *c != '\r') {
				err(p, (int) (c - raw[i]) + 1, "control character 0x%02x",
				    (unsigned char) *c);
				*c = ' ';
			} else if (*c == '\r') {
				*c = ' ';
			}
		}
		g_ptr_array_add(lines, tokenize(raw[i]));
	}
	return lines;
}

SpPolicy *
sp_policy_parse(const char *name, const char *path, const char *text, SpDiag *diag)
{
	Parser p = {.path = path, .diag = diag};
	g_autoptr(SpPolicy) policy = g_new0(SpPolicy, 1);
	g_autoptr(GPtrArray) lines = NULL;

	policy->name = g_strdup(name);
	policy->rules = g_ptr_array_new_with_free_func(rule_free);
	p.sets = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
				       (GDestroyNotify) g_array_unref);
	p.set_lines = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	if (!sp_diag_check_utf8(diag, path, text)) {
		p.failed = TRUE;
		goto done;
	}
	lines = split_lines(&p, text);

	for (guint i = 0; i < lines->len; i++) {
		GArray *toks = g_ptr_array_index(lines, i);

		p.line = (int) i + 1;
		if (toks->len > 0 && strcmp(g_array_index(toks, Token, 0).text, "set") == 0)
			parse_set(&p, toks);
	}
	for (guint i = 0; i < lines->len; i++) {
		GArray *toks = g_ptr_array_index(lines, i);
		SpFwRule *rule;

		p.line = (int) i + 1;
		if (toks->len == 0 || strcmp(g_array_index(toks, Token, 0).text, "set") == 0)
			continue;
		rule = parse_rule(&p, toks);
		if (rule && policy->rules->len == SP_POLICY_MAX_RULES)
			err(&p, 1, "more than %d rules in one policy", SP_POLICY_MAX_RULES);
		if (rule)
			g_ptr_array_add(policy->rules, rule);
	}
done:
	g_hash_table_destroy(p.sets);
	g_hash_table_destroy(p.set_lines);
	return p.failed ? NULL : g_steal_pointer(&policy);
}

void
sp_policy_free(SpPolicy *policy)
{
	if (!policy)
		return;
	g_free(policy->name);
	g_ptr_array_free(policy->rules, TRUE);
	g_free(policy);
}
