/*
 * order.c - the user's order file ($XDG_CONFIG_HOME/huntcon/rules/order):
 * lines "order=N name=NAME" and "disable name=NAME" that reorder and
 * disable rules by name without writing the files that hold them, so a
 * user who cannot write the bundled rules can still choose their order.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules-int.h"

/* The user's order file path. */
char *
rules_order_file(void)
{
	return (datadir_config("rules/order"));
}

/* Whether path is the user's order file. */
bool
rules_is_order_file(const char *path)
{
	char	*o = rules_order_file();
	bool	 is = strcmp(o, path) == 0;

	free(o);
	return (is);
}

/* Read name=VALUE at p (VALUE bare or "quoted" with \"); the end. */
static size_t
order_name(const char *p, size_t n, size_t i, char **name)
{
	struct buf	 b;

	buf_init(&b);
	if (i < n && p[i] == '"') {
		for (i++; i < n && p[i] != '"'; i++) {
			if (p[i] == '\\' && i + 1 < n && p[i + 1] == '"')
				i++;
			buf_addc(&b, p[i]);
		}
		if (i < n)
			i++;
	} else {
		for (; i < n && p[i] != ' ' && p[i] != '\t'; i++)
			buf_addc(&b, p[i]);
	}
	buf_addc(&b, '\0');
	free(*name);
	*name = buf_take(&b);
	return (i);
}

/* Keep one override. */
static void
order_add(struct ruleset *rs, size_t fi, unsigned line, char *name,
    bool has_order, uint64_t order, bool disable)
{
	struct rules_ovr	*o;

	rs->ovr = xreallocarray(rs->ovr, rs->novr + 1, sizeof *rs->ovr);
	o = &rs->ovr[rs->novr++];
	o->name = name;
	o->file = fi;
	o->line = line;
	o->has_order = has_order;
	o->order = order;
	o->disable = disable;
}

/* What one line of the order file says. */
struct order_words {
	char		*name;
	bool		 has_order;
	uint64_t	 order;
	bool		 disable;
};

/* Read the word at p[i..w) of an order line; returns where it ends. */
static size_t
order_word(struct ruleset *rs, size_t fi, unsigned line, const char *p,
    size_t n, size_t i, size_t w, struct order_words *ow)
{
	char	*end;

	if (w - i == 7 && strncmp(p + i, "disable", 7) == 0)
		ow->disable = true;
	else if (w - i > 6 && strncmp(p + i, "order=", 6) == 0) {
		errno = 0;
		ow->order = strtoull(p + i + 6, &end, 10);
		ow->has_order = errno == 0 && end == p + w;
		if (!ow->has_order)
			rules_diag_add(rs, fi, line, (unsigned)i + 1, true, -1,
			    "order= wants a number");
	} else if (w - i >= 5 && strncmp(p + i, "name=", 5) == 0)
		w = order_name(p, n, i + 5, &ow->name);
	else
		rules_diag_add(rs, fi, line, (unsigned)i + 1, false, -1,
		    "unknown word '%s' (kept, ignored)", esc_strn(p + i, w - i));
	return (w);
}

/* Read one line of the order file. */
void
rules_order_line(struct ruleset *rs, size_t fi, unsigned line,
    struct rules_line *l)
{
	const char		*p = l->raw;
	size_t			 n = l->len, i = 0, w;
	struct order_words	 ow = { NULL, false, 0, false };

	while (n > 0 && (p[n - 1] == '\n' || p[n - 1] == '\r'))
		n--;
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	if (i == n || p[i] == '#') {
		l->comment = i < n;
		return;
	}
	while (i < n) {
		for (w = i; w < n && p[w] != ' ' && p[w] != '\t'; w++)
			;
		w = order_word(rs, fi, line, p, n, i, w, &ow);
		for (i = w; i < n && (p[i] == ' ' || p[i] == '\t'); i++)
			;
	}
	if (ow.name == NULL || (!ow.has_order && !ow.disable)) {
		rules_diag_add(rs, fi, line, 0, true, -1, "an order line is "
		    "order=N name=NAME or disable name=NAME");
		free(ow.name);
		return;
	}
	order_add(rs, fi, line, ow.name, ow.has_order, ow.order, ow.disable);
}

/* Apply the overrides to the rules they name (before sorting); the
 * rules of the user's own file take their order from that file. */
void
rules_order_apply(struct ruleset *rs)
{
	const struct rules_ovr	*o;
	char			*user;
	size_t			 i, j, n;

	if (rs->novr == 0)
		return;
	user = rules_user_file();
	for (i = 0; i < rs->novr; i++) {
		o = &rs->ovr[i];
		for (j = n = 0; j < rs->nrules; j++) {
			if (rs->rules[j].name == NULL ||
			    strcmp(rs->rules[j].name, o->name) != 0 ||
			    strcmp(rs->files[rs->rules[j].file].path, user) == 0)
				continue;
			n++;
			if (o->has_order)
				rs->rules[j].order = o->order;
			if (o->disable)
				rs->rules[j].flags |= RULE_DISABLE;
		}
		if (n == 0)
			rules_diag_add(rs, o->file, o->line, 0, false, -1,
			    "no rule is named '%s'", esc_str(o->name));
		else if (n > 1)
			rules_diag_add(rs, o->file, o->line, 0, false, -1,
			    "the name '%s' matches %zu rules; all are changed",
			    esc_str(o->name), n);
	}
	free(user);
}
