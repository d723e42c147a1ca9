/*
 * pane-rules.c - the rule editor pane (SPEC §5): the loaded rules in
 * evaluation order with the order check's findings beside them; add, edit,
 * delete, enable/disable, move, fix order, write back; saving the drill
 * path as a rule; re-applying the rules to the loaded sessions a slice at
 * a time.
 *
 * Every change goes through the library's rules_edit model and loads the
 * text again, so the findings shown are those of the text as it stands.
 */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"
#include "ui/ui-int.h"

/* Sessions re-applied per loop turn: keys are read between slices. */
#define RVIEW_SLICE	20000

static void	rpane_diag_text(struct buf *, const struct rules_diag *);
static void	rpane_load_errors(struct ui *);

/* Start with the rules main loaded (an empty set when none). */
void
rpane_init(struct ui *u)
{
	static const char *const none[] = { "none" };
	struct rpane	*rv = &u->rv;

	rv->rs = u->opt->cfg->rules;
	if (rv->rs == NULL) {
		rv->own = xcalloc(1, sizeof *rv->own);
		rv->own[rv->nown++] = rules_load(none, 1);
		rv->rs = rv->own[0];
	}
	rpane_load_errors(u);
}

/* Say on the message line that rules did not load, with the first error. */
static void
rpane_load_errors(struct ui *u)
{
	const struct ruleset	*rs = u->rv.rs;
	const struct rules_diag	*d, *first = NULL;
	size_t			 i, n = 0;
	struct buf		 b;

	for (i = 0; i < rules_ndiags(rs); i++) {
		d = rules_diag(rs, i);
		if (d->error && n++ == 0)
			first = d;
	}
	if (n == 0)
		return;
	buf_init(&b);
	rpane_diag_text(&b, first);
	ui_message(u, ROLE_ERROR, "rules: %zu error%s (4:Rules lists them): %s",
	    n, n == 1 ? "" : "s", b.s);
	buf_free(&b);
}

/* Free what the editor made. */
void
rpane_free(struct ui *u)
{
	struct rpane	*rv = &u->rv;
	size_t		 i;

	for (i = 0; i < rv->nown; i++)
		rules_free(rv->own[i]);
	free(rv->own);
	rules_edit_free(rv->ed);
	free(rv->name);
	free(rv->cond);
	free(rv->note);
}

/* Whether rule changes are not written yet. */
bool
rpane_dirty(const struct ui *u)
{
	return (u->rv.ed != NULL && rules_edit_dirty(u->rv.ed));
}

/* The edit model, made on the first change. */
static struct rules_edit *
rpane_ed(struct ui *u)
{
	if (u->rv.ed == NULL)
		u->rv.ed = rules_edit_new(u->rv.rs);
	return (u->rv.ed);
}

/*
 * Whether rules may change now: loading the edited text may add alert keys
 * to the meta registry and names to the value pool, which the reading
 * threads use without a lock, so changes wait until the capture is read,
 * or, live, for the gate (the engine quiet), which keys always hold.
 */
static bool
rpane_can_change(struct ui *u)
{
	if (hunt_indexable(u->h))
		return (true);
	ui_message(u, ROLE_WARNING, "rules can be changed once the capture is "
	    "read");
	return (false);
}

/* The rule under the cursor, or -1 when there are none. */
static long
rpane_rule(const struct ui *u)
{
	const struct rpane	*rv = &u->rv;

	if (rules_count(rv->rs) == 0)
		return (-1);
	return ((long)rules_sorted(rv->rs, rv->cur));
}

/* Load the edited text again; the cursor goes to file:line when given. */
static void
rpane_reload(struct ui *u, long file, unsigned line)
{
	struct rpane	*rv = &u->rv;
	struct ruleset	*rs = rules_edit_load(rv->ed);
	size_t		 k, ri, n = rules_count(rs);

	rv->own = xreallocarray(rv->own, rv->nown + 1, sizeof *rv->own);
	rv->own[rv->nown++] = rs;
	rv->rs = rs;
	for (k = 0; file != -1 && k < n; k++) {
		ri = rules_sorted(rs, k);
		if ((long)rules_fileidx(rs, ri) == file &&
		    rules_line(rs, ri) == line)
			rv->cur = k;
	}
	if (rv->cur >= n)
		rv->cur = n > 0 ? n - 1 : 0;
	u->dirty |= DIRTY_SCREEN;
}

/* Reload keeping the cursor on rule ri of the current set. */
static void
rpane_reload_at(struct ui *u, size_t ri)
{
	const struct ruleset	*rs = u->rv.rs;

	rpane_reload(u, (long)rules_fileidx(rs, ri), rules_line(rs, ri));
}

/* Count the findings of a rule (errors in *errors). */
static size_t
rpane_findings(const struct ruleset *rs, size_t ri, size_t *errors)
{
	const struct rules_diag	*d;
	size_t			 i, n = 0;

	*errors = 0;
	for (i = 0; i < rules_ndiags(rs); i++) {
		d = rules_diag(rs, i);
		if (d->rule != (long)ri)
			continue;
		n++;
		*errors += d->error;
	}
	return (n);
}

/* Count the rules that did not load. */
static size_t
rpane_nerrors(const struct ruleset *rs)
{
	size_t	 i, n = 0;

	for (i = 0; i < rules_count(rs); i++)
		n += (rules_flags(rs, i) & RULE_ERROR) != 0;
	return (n);
}

/* The file name without its directories. */
static const char *
rpane_base(const char *path)
{
	const char	*s = strrchr(path, '/');

	return (s != NULL && s[1] != '\0' ? s + 1 : path);
}

/* One line of the pane: a rule, its condition, or a part of a finding. */
struct rpane_row {
	size_t		 k;		/* evaluation position */
	long		 diag;		/* finding index, -1: the rule row */
	unsigned int	 part;		/* line of the wrapped finding */
	bool		 cond;		/* the condition line */
};

/* Lines a finding is wrapped to, at most. */
#define RVIEW_WRAP	4

/* A finding as text, FILE:LINE[:COL]: error|warning: MESSAGE, escaped. */
static void
rpane_diag_text(struct buf *b, const struct rules_diag *d)
{
	const char	*f = rpane_base(d->file);

	esc_text(b, f, strlen(f));
	if (d->line != 0)
		buf_printf(b, ":%u", d->line);
	if (d->col != 0)
		buf_printf(b, ":%u", d->col);
	buf_printf(b, ": %s: ", d->error ? "error" : "warning");
	esc_guard(b, d->msg, strlen(d->msg));
}

/* Lines the selected rule's condition is wrapped to, at most. */
#define RVIEW_COND	8

/* A rule's condition as text, escaped. */
static void
rpane_cond_text(struct buf *b, const struct ruleset *rs, size_t ri)
{
	const char	*c = rules_condition(rs, ri);

	esc_text(b, c != NULL ? c : "", c != NULL ? strlen(c) : 0);
}

/* The rows: whole-file findings, then each rule with its findings (the
 * selected one with its condition too). */
static size_t
rpane_rows(const struct ui *u, struct rpane_row **out)
{
	const struct ruleset	*rs = u->rv.rs;
	const struct rules_diag	*d;
	struct rpane_row	*rows = NULL;
	struct buf		 b;
	size_t			 n = 0, k, i, ri, cap = 0, off, len;
	unsigned int		 p;

	buf_init(&b);
#define ROW(kk, dd, pp, cc) do {					\
	if (n == cap) {							\
		cap = cap * 2 + 16;					\
		rows = xreallocarray(rows, cap, sizeof *rows);		\
	}								\
	rows[n].k = (kk); rows[n].diag = (dd); rows[n].part = (pp);	\
	rows[n++].cond = (cc);						\
} while (0)
#define DIAG(kk, ii) do {						\
	buf_reset(&b);							\
	rpane_diag_text(&b, rules_diag(rs, (ii)));			\
	for (p = 0; draw_wrap(b.s, COLS - 8, COLS - 8, p, RVIEW_WRAP,	\
	    &off, &len); p++)						\
		ROW((kk), (long)(ii), p, false);			\
} while (0)
	for (i = 0; i < rules_ndiags(rs); i++) {
		if (rules_diag(rs, i)->rule == -1)
			DIAG(0, i);
	}
	for (k = 0; k < rules_count(rs); k++) {
		ri = rules_sorted(rs, k);
		ROW(k, -1, 0, false);
		buf_reset(&b);
		rpane_cond_text(&b, rs, ri);
		for (p = 0; k == u->rv.cur && (p == 0 || draw_wrap(b.s,
		    COLS - 15, COLS - 15, p, RVIEW_COND, &off, &len)); p++)
			ROW(k, -1, p, true);
		for (i = 0; i < rules_ndiags(rs); i++) {
			d = rules_diag(rs, i);
			if (d->rule == (long)ri)
				DIAG(k, i);
		}
	}
#undef DIAG
#undef ROW
	buf_free(&b);
	*out = rows;
	return (n);
}

/* Draw one line of a wrapped finding. */
static void
rpane_draw_diag(const struct rules_diag *d, unsigned int part, int y)
{
	struct buf	 b;
	size_t		 off, len;
	char		*line;

	buf_init(&b);
	rpane_diag_text(&b, d);
	if (draw_wrap(b.s, COLS - 8, COLS - 8, part, RVIEW_WRAP, &off,
	    &len)) {
		line = xmalloc(len + 1);
		memcpy(line, b.s + off, len);
		line[len] = '\0';
		draw_text(y, part == 0 ? 6 : 8, COLS - (part == 0 ? 6 : 8),
		    d->error ? ROLE_ERROR : ROLE_WARNING, line);
		free(line);
	}
	buf_free(&b);
}

/* Draw one line of the selected rule's condition, wrapped under
 * "rule=". */
static void
rpane_draw_cond(const struct ui *u, size_t k, unsigned int part, int y)
{
	struct buf	 b;
	size_t		 off = 0, len = 0;
	char		*line;

	buf_init(&b);
	rpane_cond_text(&b, u->rv.rs, rules_sorted(u->rv.rs, k));
	draw_wrap(b.s, COLS - 15, COLS - 15, part, RVIEW_COND, &off, &len);
	line = xmalloc(len + 1);
	memcpy(line, b.s + off, len);
	line[len] = '\0';
	if (part == 0)
		draw_text(y, 10, 5, ROLE_DIM, "rule=");
	draw_text(y, 15, COLS - 15, ROLE_DIM, line);
	free(line);
	buf_free(&b);
}

/* Draw a rule's row. */
static void
rpane_draw_rule(const struct ui *u, size_t k, int y)
{
	const struct ruleset	*rs = u->rv.rs;
	const struct meta_key	*key;
	size_t			 ri = rules_sorted(rs, k), nerr, nf;
	bool			 sel = k == u->rv.cur;
	struct buf		 b;
	const char		*name = rules_name(rs, ri), *file;
	/* Compact: the name and the key:file share the width. */
	int			 wn = draw_compact() ? (COLS - 10) / 2 :
				    COLS - 56;

	nf = rpane_findings(rs, ri, &nerr);
	key = rules_alert(rs, ri) >= 0 ? meta_key(rules_alert(rs, ri)) : NULL;
	file = rpane_base(rules_file(rs, ri));
	buf_init(&b);
	buf_printf(&b, "%c%4zu %s ", sel ? '>' : ' ', k + 1,
	    (rules_flags(rs, ri) & RULE_ERROR) ? "err" :
	    rules_enabled(rs, ri) ? "[x]" : "[ ]");
	esc_text(&b, name != NULL ? name : "", name != NULL ? strlen(name) : 0);
	if (sel)
		draw_fill(y, ROLE_SELECTED);
	draw_text(y, 0, 10 + wn, sel ? ROLE_SELECTED : rules_enabled(rs, ri) ?
	    ROLE_NORMAL : ROLE_DIM, b.s);
	buf_reset(&b);
	buf_printf(&b, "%-17.17s ", key != NULL ? key->name : "?");
	esc_text(&b, file, strlen(file));
	buf_printf(&b, ":%u", rules_line(rs, ri));
	if (rules_order(rs, ri) != 0)
		buf_printf(&b, " o%llu", (unsigned long long)rules_order(rs, ri));
	draw_text(y, 11 + wn, COLS - 11 - wn, sel ? ROLE_SELECTED :
	    ROLE_VALUE, b.s);
	if (nf > 0 && !sel)
		draw_text(y, 9, 1, nerr > 0 ? ROLE_ERROR : ROLE_WARNING, "!");
	buf_free(&b);
}

/* Draw the pane. */
void
rpane_draw(struct ui *u, int top, int h)
{
	struct rpane		*rv = &u->rv;
	const struct ruleset	*rs = rv->rs;
	struct rpane_row	*rows;
	struct buf		 b;
	size_t			 n = rpane_rows(u, &rows), i, cur = 0, ri, last;
	int			 y = top + 1, body = h - 1;

	buf_init(&b);
	buf_printf(&b, "    #  on  rule (%zu, %zu active", rules_count(rs),
	    rules_active(rs));
	if ((ri = rpane_nerrors(rs)) > 0)
		buf_printf(&b, ", %zu with errors", ri);
	buf_printf(&b, "; Enter edit, a add, K/J move, f fix, w write)");
	draw_text(top, 0, COLS, ROLE_HEADER, b.s);
	/* Keep the selected rule in view with its condition and findings. */
	for (i = 0; i < n; i++) {
		if (rows[i].diag == -1 && !rows[i].cond && rows[i].k == rv->cur &&
		    rules_count(rs) > 0) {
			cur = i;
			break;
		}
	}
	for (last = cur; last + 1 < n && rows[last + 1].k == rv->cur &&
	    (rows[last + 1].cond || rows[last + 1].diag != -1); last++)
		;
	draw_scroll(&rv->top, cur, last, body);
	if (rules_count(rs) == 0 && n == 0)
		draw_text(y, 2, COLS - 2, ROLE_DIM, "no rules loaded (a: add "
		    "one; S in Navigate: save the drill path as a rule)");
	for (i = rv->top; i < n && y < top + h; i++, y++) {
		if (rows[i].diag != -1) {
			rpane_draw_diag(rules_diag(rs, (size_t)rows[i].diag),
			    rows[i].part, y);
		} else if (rows[i].cond)
			rpane_draw_cond(u, rows[i].k, rows[i].part, y);
		else
			rpane_draw_rule(u, rows[i].k, y);
	}
	buf_free(&b);
	free(rows);
}

/* Move the cursor. */
void
rpane_move(struct ui *u, int d)
{
	struct rpane	*rv = &u->rv;
	size_t		 n = rules_count(rv->rs);

	if (n == 0)
		return;
	if (d < 0 && (size_t)-d > rv->cur)
		rv->cur = 0;
	else if (d > 0 && rv->cur + (size_t)d >= n)
		rv->cur = n - 1;
	else
		rv->cur = (size_t)((long)rv->cur + d);
	u->dirty |= DIRTY_SCREEN;
}

/* The evaluation order as an array of rule indices (caller frees). */
static size_t *
rpane_seq(const struct ruleset *rs)
{
	size_t	 n = rules_count(rs), k;
	size_t	*seq = xreallocarray(NULL, n + 1, sizeof *seq);

	for (k = 0; k < n; k++)
		seq[k] = rules_sorted(rs, k);
	return (seq);
}

/* Move the rule under the cursor one place (d is -1 or 1): order= is
 * renumbered 10, 20, ... along the new order. */
static void
rpane_shift(struct ui *u, int d)
{
	struct rpane	*rv = &u->rv;
	size_t		 n = rules_count(rv->rs), *seq, t, ri;

	if (!rpane_can_change(u))
		return;
	if (n < 2 || (d < 0 && rv->cur == 0) || (d > 0 && rv->cur + 1 >= n))
		return;
	seq = rpane_seq(rv->rs);
	ri = seq[rv->cur];
	t = seq[rv->cur + d];
	seq[rv->cur + d] = ri;
	seq[rv->cur] = t;
	rules_edit_renumber(rpane_ed(u), rv->rs, seq, n);
	free(seq);
	rpane_reload_at(u, ri);
}

void rpane_up(struct ui *u) { rpane_shift(u, -1); }
void rpane_down(struct ui *u) { rpane_shift(u, 1); }

/* Put every rule in an order that satisfies its dependencies. */
void
rpane_fix(struct ui *u)
{
	struct rpane	*rv = &u->rv;
	size_t		 n = rules_count(rv->rs), *seq;
	long		 ri = rpane_rule(u);

	if (!rpane_can_change(u))
		return;
	if (n == 0)
		return;
	seq = xreallocarray(NULL, n + 1, sizeof *seq);
	rules_fix_order(rv->rs, seq);
	rules_edit_renumber(rpane_ed(u), rv->rs, seq, n);
	free(seq);
	rpane_reload_at(u, (size_t)ri);
	ui_message(u, ROLE_NORMAL, "order fixed: %zu rules renumbered 10 to "
	    "%zu0 (w writes the files)", n, n);
}

/* Enable or disable the rule under the cursor. */
void
rpane_toggle(struct ui *u)
{
	long	 ri = rpane_rule(u);

	if (!rpane_can_change(u))
		return;
	if (ri < 0)
		return;
	if (!rules_edit_enable(rpane_ed(u), u->rv.rs, (size_t)ri,
	    !rules_enabled(u->rv.rs, (size_t)ri))) {
		ui_message(u, ROLE_ERROR, "%s cannot be changed",
		    esc_str(rules_file(u->rv.rs, (size_t)ri)));
		return;
	}
	rpane_reload_at(u, (size_t)ri);
}

/* The answer to "delete rule?". */
static void
rpane_delete_answer(struct ui *u, int key)
{
	long	 ri = rpane_rule(u);

	if (key != 'y' || ri < 0)
		return;
	if (!rules_edit_delete(rpane_ed(u), u->rv.rs, (size_t)ri)) {
		ui_message(u, ROLE_ERROR, "%s cannot be changed",
		    esc_str(rules_file(u->rv.rs, (size_t)ri)));
		return;
	}
	rpane_reload(u, -1, 0);
	ui_message(u, ROLE_NORMAL, "rule deleted (w writes the files)");
}

/* Delete the rule under the cursor, after asking. */
void
rpane_delete(struct ui *u)
{
	long		 ri = rpane_rule(u);
	struct buf	 b;
	const char	*name;

	if (!rpane_can_change(u))
		return;
	if (ri < 0)
		return;
	name = rules_name(u->rv.rs, (size_t)ri);
	if (name == NULL)
		name = "";
	buf_init(&b);
	esc_text(&b, name, strlen(name));
	ui_ask(u, "yn", rpane_delete_answer, "delete rule '%s'? (y/n)", b.s);
	buf_free(&b);
}

/* Check a condition as the rule loader will; false with the error shown
 * under the prompt. */
static bool
rpane_cond_ok(struct ui *u, const char *line)
{
	struct query_error	 err;
	struct query		*q;

	if (line[strspn(line, " \t")] == '\0') {
		prompt_error(u, 0, "a rule needs a condition");
		return (false);
	}
	q = query_compile(line, strlen(line), 0, &err);
	if (q == NULL)
		prompt_error(u, err.col, "%s", err.msg);
	query_free(q);
	query_error_clear(&err);
	return (q != NULL);
}

/*
 * A rule the editor cannot write gets its new condition in a copy in the
 * user's file, placed just after the original, which the order file
 * disables; the evaluation order is renumbered so nothing else moves.
 */
static void
rpane_copy_cond(struct ui *u, size_t ri, const char *cond)
{
	struct rpane	*rv = &u->rv;
	char		*name = xstrdup(rules_name(rv->rs, ri) != NULL ?
			    rules_name(rv->rs, ri) : "");
	size_t		 at = rv->cur, n, k, *seq, c;
	unsigned	 lineno;
	long		 fi;

	if ((fi = rules_edit_copy_cond(rpane_ed(u), rv->rs, ri, cond,
	    &lineno)) == -1) {
		ui_message(u, ROLE_ERROR, "%s cannot be changed",
		    esc_str(rules_file(rv->rs, ri)));
		free(name);
		return;
	}
	rpane_reload(u, fi, lineno);
	n = rules_count(rv->rs);
	seq = rpane_seq(rv->rs);
	c = seq[rv->cur];
	if (rv->cur > at + 1) {
		for (k = rv->cur; k > at + 1; k--)
			seq[k] = seq[k - 1];
		seq[at + 1] = c;
	}
	rules_edit_renumber(rv->ed, rv->rs, seq, n);
	free(seq);
	rpane_reload(u, fi, lineno);
	ui_message(u, ROLE_NORMAL, "condition changed in a copy, %s:%u; the "
	    "original '%s' is disabled in the order file (w writes the files, "
	    "r applies)", esc_str(rpane_base(rules_file(rv->rs,
	    rules_sorted(rv->rs, rv->cur)))), lineno, esc_str(name));
	free(name);
}

/* The edit prompt's handler: the new condition. */
static bool
rpane_edit_line(struct ui *u, const char *line, void *arg)
{
	long	 ri = rpane_rule(u);

	(void)arg;
	if (ri < 0 || !rpane_cond_ok(u, line))
		return (ri < 0);
	if (!rules_edit_set_cond(rpane_ed(u), u->rv.rs, (size_t)ri, line)) {
		rpane_copy_cond(u, (size_t)ri, line);
		return (true);
	}
	rpane_reload_at(u, (size_t)ri);
	ui_message(u, ROLE_NORMAL, "condition changed (w writes the files, "
	    "r applies)");
	return (true);
}

/* Edit the condition of the rule under the cursor. */
void
rpane_edit(struct ui *u)
{
	long	 ri = rpane_rule(u);

	if (!rpane_can_change(u))
		return;
	if (ri < 0)
		return;
	prompt_ask(u, PROMPT_QUERY, "rule= ", rules_condition(u->rv.rs,
	    (size_t)ri), rpane_edit_line, NULL);
}

/* Whether a rule line loads on its own; false with the first error. */
static bool
rpane_line_loads(struct ui *u, const char *line)
{
	struct ruleset			*rs;
	const struct rules_diag		*d;
	size_t				 i;
	bool				 ok;

	rs = rules_load_buffer("user.nwr", line, strlen(line));
	ok = rules_count(rs) == 1 && (rules_flags(rs, 0) & RULE_ERROR) == 0;
	for (i = 0; i < rules_ndiags(rs); i++) {
		d = rules_diag(rs, i);
		if (!d->error)
			continue;
		ui_message(u, ROLE_ERROR, "not saved: the rule would not load "
		    "(column %u: %s)", d->col, d->msg);
		ok = false;
		break;
	}
	if (!ok && i == rules_ndiags(rs))
		ui_message(u, ROLE_ERROR, "not saved: the rule would not load");
	rules_free(rs);
	return (ok);
}

/*
 * Add the rule being made (rv->name, rv->cond) to the user's rule file,
 * with order= one above the highest of the rules it reads from; the check
 * runs at once.  When write (saving the drill path) the user's file is
 * written and the rules applied.
 */
static void
rpane_add_rule(struct ui *u, const char *alert, bool write)
{
	struct rpane	*rv = &u->rv;
	char		*user = rules_user_file(), *line, *cause = NULL;
	size_t		 fi, ri, k, nw, *w;
	uint64_t	 order = 0;
	unsigned	 lineno;
	long		 found = -1;

	line = rules_format_line(rv->name, rv->cond, alert, 0);
	if (!rpane_line_loads(u, line)) {
		free(line);
		free(user);
		return;
	}
	fi = rules_edit_append(rpane_ed(u), user, line, &lineno);
	free(line);
	rpane_reload(u, (long)fi, lineno);
	for (k = 0; k < rules_count(rv->rs); k++) {
		ri = rules_sorted(rv->rs, k);
		if (rules_fileidx(rv->rs, ri) == fi &&
		    rules_line(rv->rs, ri) == lineno)
			found = (long)ri;
	}
	if (found >= 0) {
		nw = rules_writers_of(rv->rs, (size_t)found, NULL, 0);
		w = xreallocarray(NULL, nw + 1, sizeof *w);
		rules_writers_of(rv->rs, (size_t)found, w, nw);
		for (k = 0; k < nw; k++) {
			if (rules_order(rv->rs, w[k]) + 1 > order)
				order = rules_order(rv->rs, w[k]) + 1;
		}
		free(w);
		if (order > 0) {
			rules_edit_set_order(rv->ed, rv->rs, (size_t)found,
			    order);
			rpane_reload(u, (long)fi, lineno);
		}
	}
	u->pane = PANE_RULES;
	if (write && !rules_edit_write(rv->ed, user, &cause)) {
		ui_message(u, ROLE_ERROR, "%s", cause);
		free(cause);
	} else if (write) {
		free(rv->note);
		xasprintf(&rv->note, "saved as %s:%u (order=%llu)",
		    esc_str(rpane_base(user)), lineno,
		    (unsigned long long)order);
		ui_message(u, ROLE_NORMAL, "%s", rv->note);
		rpane_apply(u);
	} else
		ui_message(u, ROLE_NORMAL, "rule added as %s:%u (w writes the "
		    "files)", esc_str(user), lineno);
	free(user);
}

/* The alert prompt's handler: arg is non-NULL when saving the path. */
static bool
rpane_alert_line(struct ui *u, const char *line, void *arg)
{
	const struct meta_key	*k;
	char			*a = xstrdup(line + strspn(line, " \t"));
	size_t			 n = strlen(a);
	int			 id;

	while (n > 0 && (a[n - 1] == ' ' || a[n - 1] == '\t'))
		a[--n] = '\0';
	if (n == 0)
		strcpy(a, "ioc");
	if (!rules_keyname_ok(a)) {
		prompt_error(u, 1, "alert= wants a key name (letters, digits, "
		    "'.', '_', '-')");
		free(a);
		return (false);
	}
	id = meta_find(a, strlen(a));
	if (id != -1 && (k = meta_key(id)) != NULL && k->type != MT_TEXT) {
		prompt_error(u, 1, "%s is a %s key; rules write text", a,
		    meta_type_name(k->type));
		free(a);
		return (false);
	}
	rpane_add_rule(u, a, arg != NULL);
	free(a);
	return (true);
}

/* Ask for the alert key (default ioc). */
static void
rpane_ask_alert(struct ui *u, void *arg)
{
	prompt_ask(u, PROMPT_TEXT, "alert key: ", "ioc", rpane_alert_line,
	    arg);
}

/* The condition prompt's handler (adding a rule in the editor). */
static bool
rpane_cond_line(struct ui *u, const char *line, void *arg)
{
	(void)arg;
	if (!rpane_cond_ok(u, line))
		return (false);
	free(u->rv.cond);
	u->rv.cond = xstrdup(line);
	rpane_ask_alert(u, NULL);
	return (true);
}

/* The name prompt's handler: arg is non-NULL when saving the path. */
static bool
rpane_name_line(struct ui *u, const char *line, void *arg)
{
	const struct ruleset	*rs = u->rv.rs;
	char			*name = xstrdup(line + strspn(line, " \t"));
	size_t			 n = strlen(name);
	long			 ri;
	char			*path;

	while (n > 0 && (name[n - 1] == ' ' || name[n - 1] == '\t'))
		name[--n] = '\0';
	if (n == 0) {
		prompt_error(u, 0, "a rule needs a name");
		free(name);
		return (false);
	}
	if (strcspn(name, "\"\\\r\n") != n) {
		prompt_error(u, strcspn(name, "\"\\\r\n") + 1 +
		    strspn(line, " \t"), "a rule name cannot hold '\"', '\\' "
		    "or a line break");
		free(name);
		return (false);
	}
	if ((ri = rules_find(rs, name)) >= 0) {
		prompt_error(u, 0, "rule '%s' exists (%s:%u); choose another "
		    "name", esc_str(name),
		    esc_str(rpane_base(rules_file(rs, (size_t)ri))),
		    rules_line(rs, (size_t)ri));
		free(name);
		return (false);
	}
	free(u->rv.name);
	u->rv.name = name;
	if (arg != NULL)
		rpane_ask_alert(u, arg);
	else {
		path = ui_path_text(&u->path);
		prompt_ask(u, PROMPT_QUERY, "rule= ", path, rpane_cond_line,
		    NULL);
		free(path);
	}
	return (true);
}

/* Add a rule: name, condition (the path to start from), alert key. */
void
rpane_add(struct ui *u)
{
	if (!rpane_can_change(u))
		return;
	prompt_ask(u, PROMPT_TEXT, "new rule name: ", "", rpane_name_line,
	    NULL);
}

/* Save the drill path as a rule in the user's rule file. */
void
rpane_save_path(struct ui *u)
{
	static int	 saving;

	if (!rpane_can_change(u))
		return;
	if (u->path.n == 0) {
		ui_message(u, ROLE_WARNING, "drill first: the path becomes the "
		    "rule's condition");
		return;
	}
	free(u->rv.cond);
	u->rv.cond = ui_path_text(&u->path);
	prompt_ask(u, PROMPT_TEXT, "save path as rule named: ", "",
	    rpane_name_line, &saving);
}

/* Write the changed rule files; then apply, or quit. */
void
rpane_write(struct ui *u, bool quit)
{
	char	*cause = NULL;
	size_t	 i, n = 0;

	if (u->rv.ed == NULL || !rules_edit_dirty(u->rv.ed)) {
		if (quit)
			u->quit = true;
		else
			ui_message(u, ROLE_NORMAL, "no rule changes to write");
		return;
	}
	for (i = 0; i < rules_edit_nfiles(u->rv.ed); i++)
		n += rules_edit_modified(u->rv.ed, i);
	if (!rules_edit_write(u->rv.ed, NULL, &cause)) {
		ui_message(u, ROLE_ERROR, "%s", cause);
		free(cause);
		return;
	}
	if (quit) {
		u->quit = true;
		return;
	}
	free(u->rv.note);
	xasprintf(&u->rv.note, "wrote %zu rule file%s", n, n == 1 ? "" : "s");
	ui_message(u, ROLE_NORMAL, "%s", u->rv.note);
	rpane_apply(u);
}

void rpane_write_key(struct ui *u) { rpane_write(u, false); }

/* Re-apply the shown rules to the loaded sessions (once loaded, and not
 * while sessions are being written out). */
void
rpane_apply(struct ui *u)
{
	struct rpane	*rv = &u->rv;

	if (!hunt_indexable(u->h) || u->ex.running) {
		rv->pending = true;
		return;
	}
	hunt_reapply_start(u->h, rv->rs);
	rv->pending = false;
	rv->applying = true;
	rv->t0 = ui_ms();
	u->dirty |= DIRTY_SCREEN;
}

/* Re-apply a slice; at the end rebuild the index and the counts.  True
 * when there was work. */
bool
rpane_step(struct ui *u)
{
	struct rpane	*rv = &u->rv;

	if (rv->pending && hunt_indexable(u->h) && !u->ex.running)
		rpane_apply(u);
	if (!rv->applying)
		return (false);
	if (hunt_reapply_step(u->h, RVIEW_SLICE)) {
		rv->applying = false;
		/* The index first: correlation selects through it, and it
		 * indexes again the keys it writes itself. */
		store_reindex(u->st);
		ui_correlate(u);
		nav_warm(u);
		ui_view_refresh(u);
		ui_message(u, ROLE_NORMAL, "%s%s%zu rules applied to %llu "
		    "sessions in %llu ms", rv->note != NULL ? rv->note : "",
		    rv->note != NULL ? "; " : "", rules_active(rv->rs),
		    (unsigned long long)store_count(u->st),
		    (unsigned long long)(ui_ms() - rv->t0));
		free(rv->note);
		rv->note = NULL;
	}
	u->dirty |= DIRTY_SCREEN;
	return (true);
}

/* How far re-applying is, in percent; -1 when not. */
int
rpane_progress(const struct ui *u)
{
	return (u->rv.applying ? hunt_reapply_progress(u->h) : -1);
}
