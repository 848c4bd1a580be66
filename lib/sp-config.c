/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <string.h>

#include "sp-config.h"

typedef struct {
	char *name;
	int line, col;
	char *value; /* trimmed, without its comment */
	int value_col;
} Key;

typedef struct {
	char *name;
	int line, col;
	GPtrArray *keys;      /* Key *, file order */
	GPtrArray *key_names; /* borrowed from keys, NULL-terminated */
	GHashTable *index;    /* name -> Key * */
} Group;

struct SpConfig {
	char *path;
	GPtrArray *groups; /* Group *, file order */
	GPtrArray *names;  /* borrowed from groups, NULL-terminated */
	GHashTable *index; /* name -> Group * */
};

/* One line of the text being read: [start, end), without its '\n'. */
typedef struct {
	const char *start, *end;
	int lineno;
} Line;

static void
key_free(gpointer data)
{
	Key *k = data;

	g_free(k->name);
	g_free(k->value);
	g_free(k);
}

static void
group_free(gpointer data)
{
	Group *g = data;

	g_free(g->name);
	g_ptr_array_free(g->key_names, TRUE);
	g_ptr_array_free(g->keys, TRUE);
	g_hash_table_destroy(g->index);
	g_free(g);
}

static int
col_of(const Line *l, const char *p)
{
	return (int) (p - l->start) + 1;
}

static const char *
skip_space(const char *p, const char *end)
{
	while (p < end && g_ascii_isspace(*p))
		p++;
	return p;
}

static const char *
trim_end(const char *start, const char *end)
{
	while (end > start && g_ascii_isspace(end[-1]))
		end--;
	return end;
}

/* Where the text from p stops being a value: at a '#' that starts it or
 * follows white space (an inline comment), else at end; trailing white
 * space dropped. */
static const char *
value_end(const char *p, const char *end)
{
	for (const char *c = p; c < end; c++) {
		if (*c == '#' && (c == p || g_ascii_isspace(c[-1])))
			return trim_end(p, c);
	}
	return trim_end(p, end);
}

static char *
line_text(const Line *l)
{
	const char *s = skip_space(l->start, l->end);

	return g_strndup(s, (gsize) (trim_end(s, l->end) - s));
}

static gboolean
key_name_valid(const char *key)
{
	if (!*key)
		return FALSE;
	for (const char *p = key; *p; p++) {
		if (!g_ascii_isalnum(*p) && *p != '_' && *p != '-' && *p != '.')
			return FALSE;
	}
	return TRUE;
}

/* "[name]": the new group, or NULL (reported) when the header is bad;
 * *repeated when it names a group seen before. */
static Group *
read_group(SpConfig *cfg, const Line *l, const char *open, SpDiag *diag, gboolean *repeated)
{
	const char *close = memchr(open, ']', (gsize) (l->end - open));
	const char *name_start, *name_end, *rest;
	g_autofree char *name = NULL;
	Group *g, *first;

	rest = close ? skip_space(close + 1, l->end) : NULL;
	if (!close || (rest < l->end && *rest != '#')) {
		g_autofree char *text = g_strndup(open, (gsize) (value_end(open, l->end) - open));

		sp_diag_add(diag, cfg->path, l->lineno, col_of(l, open),
			    "malformed group header '%s' (expected [name])", text);
		return NULL;
	}
	name_start = skip_space(open + 1, close);
	name_end = trim_end(name_start, close);
	if (name_start == name_end) {
		g_autofree char *text = g_strndup(open, (gsize) (close + 1 - open));

		sp_diag_add(diag, cfg->path, l->lineno, col_of(l, open),
			    "malformed group header '%s' (expected [name])", text);
		return NULL;
	}
	name = g_strndup(name_start, (gsize) (name_end - name_start));
	if (strchr(name, '[')) {
		g_autofree char *text = g_strndup(open, (gsize) (close + 1 - open));

		sp_diag_add(diag, cfg->path, l->lineno, col_of(l, open),
			    "malformed group header '%s' (a name has no '[' or ']')", text);
		return NULL;
	}
	for (const char *c = name_start; c < name_end; c++) {
		if ((unsigned char) *c < 0x20 || *c == 0x7f) {
			sp_diag_add(diag, cfg->path, l->lineno, col_of(l, c),
				    "control character 0x%02x in a group name", (unsigned char) *c);
			return NULL;
		}
	}
	first = g_hash_table_lookup(cfg->index, name);
	if (first) {
		sp_diag_add(diag, cfg->path, l->lineno, col_of(l, name_start),
			    "group [%s] appears again (first on line %d)", name, first->line);
		*repeated = TRUE;
		return NULL;
	}
	g = g_new0(Group, 1);
	g->name = g_steal_pointer(&name);
	g->line = l->lineno;
	g->col = col_of(l, name_start);
	g->keys = g_ptr_array_new_with_free_func(key_free);
	g->key_names = g_ptr_array_new();
	g_ptr_array_add(g->key_names, NULL);
	g->index = g_hash_table_new(g_str_hash, g_str_equal);
	g_ptr_array_add(cfg->groups, g);
	g_ptr_array_index(cfg->names, cfg->names->len - 1) = g->name;
	g_ptr_array_add(cfg->names, NULL);
	g_hash_table_insert(cfg->index, g->name, g);
	return g;
}

/* "key = value" at s (its first non-blank byte), in group (NULL: none, or
 * in_repeated: a repeated group, already reported, whose keys are dropped). */
static void
read_key(SpConfig *cfg, Group *group, gboolean in_repeated, const Line *l, const char *s,
	 SpDiag *diag)
{
	const char *eq = memchr(s, '=', (gsize) (l->end - s));
	const char *vstart, *vend;
	g_autofree char *name = NULL;
	Key *k, *first;

	if (!eq) {
		g_autofree char *text = line_text(l);

		sp_diag_add(diag, cfg->path, l->lineno, col_of(l, s),
			    "expected 'key = value' or '[group]', found '%s'", text);
		return;
	}
	name = g_strndup(s, (gsize) (trim_end(s, eq) - s));
	if (!key_name_valid(name)) {
		sp_diag_add(diag, cfg->path, l->lineno, col_of(l, s), "invalid key name '%s'",
			    name);
		return;
	}
	if (!group) {
		if (!in_repeated)
			sp_diag_add(diag, cfg->path, l->lineno, col_of(l, s),
				    "key '%s' is outside any [group]", name);
		return;
	}
	first = g_hash_table_lookup(group->index, name);
	if (first) {
		sp_diag_add(diag, cfg->path, l->lineno, col_of(l, s),
			    "key '%s' appears again in [%s] (first on line %d)", name, group->name,
			    first->line);
		return;
	}
	vstart = skip_space(eq + 1, l->end);
	vend = value_end(vstart, l->end);
	k = g_new0(Key, 1);
	k->name = g_steal_pointer(&name);
	k->line = l->lineno;
	k->col = col_of(l, s);
	k->value = g_strndup(vstart, (gsize) (vend - vstart));
	k->value_col = col_of(l, vstart);
	g_ptr_array_add(group->keys, k);
	g_ptr_array_index(group->key_names, group->key_names->len - 1) = k->name;
	g_ptr_array_add(group->key_names, NULL);
	g_hash_table_insert(group->index, k->name, k);
}

static void
read_lines(SpConfig *cfg, const char *text, SpDiag *diag)
{
	Group *group = NULL;
	gboolean repeated = FALSE;
	Line l = {text, NULL, 0};

	for (; l.start; l.start = *l.end ? l.end + 1 : NULL) {
		const char *s;

		l.end = strchr(l.start, '\n');
		if (!l.end)
			l.end = l.start + strlen(l.start);
		l.lineno++;
		s = skip_space(l.start, l.end);
		if (s == l.end || *s == '#' || *s == ';')
			continue;
		/* After a bad header the group is unknown: its keys are reported
		 * as outside any group. After a repeated one they are in a group
		 * that the one error already refuses. */
		if (*s == '[') {
			repeated = FALSE;
			group = read_group(cfg, &l, s, diag, &repeated);
		} else {
			read_key(cfg, group, repeated, &l, s, diag);
		}
	}
}

SpConfig *
sp_config_parse(const char *path, const char *text, SpDiag *diag)
{
	g_autoptr(SpConfig) cfg = g_new0(SpConfig, 1);
	guint before = sp_diag_count(diag);

	cfg->path = g_strdup(path);
	cfg->groups = g_ptr_array_new_with_free_func(group_free);
	cfg->names = g_ptr_array_new();
	g_ptr_array_add(cfg->names, NULL);
	cfg->index = g_hash_table_new(g_str_hash, g_str_equal);

	if (strlen(text) > SP_FILE_MAX_SIZE) {
		sp_diag_add(diag, path, 0, 0, "file is larger than %d bytes", SP_FILE_MAX_SIZE);
		return NULL;
	}
	if (!sp_diag_check_utf8(diag, path, text))
		return NULL;
	read_lines(cfg, text, diag);
	return sp_diag_count(diag) == before ? g_steal_pointer(&cfg) : NULL;
}

SpConfig *
sp_config_load(const char *path, SpDiag *diag)
{
	g_autofree char *text = sp_file_read_text(path, diag);

	return text ? sp_config_parse(path, text, diag) : NULL;
}

void
sp_config_free(SpConfig *cfg)
{
	if (!cfg)
		return;
	g_free(cfg->path);
	if (cfg->index)
		g_hash_table_destroy(cfg->index);
	if (cfg->names)
		g_ptr_array_free(cfg->names, TRUE);
	if (cfg->groups)
		g_ptr_array_free(cfg->groups, TRUE);
	g_free(cfg);
}

const char *
sp_config_path(const SpConfig *cfg)
{
	return cfg->path;
}

const char *const *
sp_config_groups(const SpConfig *cfg)
{
	return (const char *const *) cfg->names->pdata;
}

static const Group *
group_of(const SpConfig *cfg, const char *group)
{
	return g_hash_table_lookup(cfg->index, group);
}

static const Key *
key_of(const SpConfig *cfg, const char *group, const char *key)
{
	const Group *g = group_of(cfg, group);

	return g ? g_hash_table_lookup(g->index, key) : NULL;
}

const char *const *
sp_config_keys(const SpConfig *cfg, const char *group)
{
	static const char *const none[] = {NULL};
	const Group *g = group_of(cfg, group);

	return g ? (const char *const *) g->key_names->pdata : none;
}

const char *
sp_config_get(const SpConfig *cfg, const char *group, const char *key)
{
	const Key *k = key_of(cfg, group, key);

	return k ? k->value : NULL;
}

GArray *
sp_config_get_items(const SpConfig *cfg, const char *group, const char *key)
{
	const Key *k = key_of(cfg, group, key);

	if (!k)
		return NULL;
	if (!*k->value)
		return g_array_new(FALSE, TRUE, sizeof(SpListItem));
	return sp_list_items(k->value, NULL, k->value_col);
}

char **
sp_config_get_list(const SpConfig *cfg, const char *group, const char *key, SpDiag *diag)
{
	g_autoptr(GArray) items = sp_config_get_items(cfg, group, key);
	GPtrArray *out;

	if (!items)
		return NULL;
	out = g_ptr_array_new();
	for (guint i = 0; i < items->len; i++) {
		SpListItem *it = &g_array_index(items, SpListItem, i);

		if (!*it->text)
			sp_config_diag_item(cfg, diag, group, key, it,
					    "empty item in the list of '%s'", key);
		g_ptr_array_add(out, g_steal_pointer(&it->text));
	}
	g_ptr_array_add(out, NULL);
	return (char **) g_ptr_array_free(out, FALSE);
}

/* Where the key's name starts, or the group's when key is NULL. */
static gboolean
place_of(const SpConfig *cfg, const char *group, const char *key, int *line, int *col)
{
	const Group *g = group_of(cfg, group);
	const Key *k = key ? key_of(cfg, group, key) : NULL;

	if (key ? !k : !g)
		return FALSE;
	*line = k ? k->line : g->line;
	*col = k ? k->col : g->col;
	return TRUE;
}

int
sp_config_line(const SpConfig *cfg, const char *group, const char *key)
{
	int line = 0, col = 0;

	return place_of(cfg, group, key, &line, &col) ? line : 0;
}

int
sp_config_col(const SpConfig *cfg, const char *group, const char *key)
{
	int line = 0, col = 0;

	return place_of(cfg, group, key, &line, &col) ? col : 0;
}

int
sp_config_value_col(const SpConfig *cfg, const char *group, const char *key)
{
	const Key *k = key_of(cfg, group, key);

	return k ? k->value_col : 0;
}

void
sp_config_check_keys(const SpConfig *cfg, const char *group, const char *const *allowed,
		     SpDiag *diag)
{
	for (const char *const *k = sp_config_keys(cfg, group); *k; k++) {
		if (!g_strv_contains(allowed, *k))
			sp_config_diag(cfg, diag, group, *k, "unknown key '%s' in [%s]", *k, group);
	}
}

/* At the key (col: one of its items, or 0), else at the group. */
static void
diag_at(const SpConfig *cfg, SpDiag *diag, const char *group, const char *key, int col,
	const char *fmt, va_list ap)
{
	g_autofree char *text = g_strdup_vprintf(fmt, ap);
	int line = 0, at = 0;

	if (key && place_of(cfg, group, key, &line, &at))
		at = col ? col : at;
	else
		place_of(cfg, group, NULL, &line, &at);
	sp_diag_add(diag, cfg->path, line, at, "%s", text);
}

void
sp_config_diag(const SpConfig *cfg, SpDiag *diag, const char *group, const char *key,
	       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_at(cfg, diag, group, key, 0, fmt, ap);
	va_end(ap);
}

void
sp_config_diag_item(const SpConfig *cfg, SpDiag *diag, const char *group, const char *key,
		    const SpListItem *item, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_at(cfg, diag, group, key, item->col, fmt, ap);
	va_end(ap);
}

void
sp_config_diag_group_at(const SpConfig *cfg, SpDiag *diag, const char *group, int offset,
			const char *fmt, ...)
{
	g_autofree char *text = NULL;
	int line = 0, col = 0;
	va_list ap;

	va_start(ap, fmt);
	text = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	if (place_of(cfg, group, NULL, &line, &col))
		col += offset;
	sp_diag_add(diag, cfg->path, line, col, "%s", text);
}
