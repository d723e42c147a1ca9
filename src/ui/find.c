/*
 * find.c - f finds text in the pane, as less and NetWitness users expect:
 * n the next match, N the previous, wrapping round the end.  Navigate
 * matches the keys' names and the values listed (every open key counted),
 * Events the sessions any of whose meta values holds the text, the
 * Session view its lines (meta, and packets read again as the search goes
 * through them).  Matches ignore ASCII case and are made on the escaped
 * text the screen shows, so what is typed is what is seen.
 */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdlib.h>
#include <string.h>

#include "ui/ui-int.h"

/* Whether the n bytes at s hold the text t, ASCII case ignored. */
bool
find_in(const char *s, size_t n, const char *t)
{
	size_t	 tn = strlen(t), i;

	if (tn == 0)
		return (true);
	for (i = 0; i + tn <= n; i++) {
		if (fold_eq(s + i, tn, t, tn))
			return (true);
	}
	return (false);
}

/* Whether Navigate's row r shows the text. */
static bool
find_nav_row(struct ui *u, const struct nav_row *r, struct buf *b)
{
	const struct nav_key	*k = &u->nav.keys[r->k];

	if (r->v == NAV_HEADER) {
		buf_adds(b, meta_key(k->key)->name);
	} else if (r->v >= 0 && !k->hist)
		mval_format(b, &k->v[r->v].v);
	return (find_in(b->s != NULL ? b->s : "", b->len, u->find));
}

/* Navigate: the next (or previous) row that shows the text; its index
 * and whether the search went round the end, or -1. */
static ssize_t
find_nav(struct ui *u, bool back, bool *wrapped)
{
	struct nav	*n = &u->nav;
	struct buf	 b;
	size_t		 i, at;

	nav_rows(u, SIZE_MAX);
	if (n->nrows == 0)
		return (-1);
	buf_init(&b);
	for (i = 1; i <= n->nrows; i++) {
		at = back ? (n->cur + n->nrows - i) % n->nrows :
		    (n->cur + i) % n->nrows;
		buf_reset(&b);
		if (find_nav_row(u, &n->rows[at], &b)) {
			*wrapped = back ? at >= n->cur : at <= n->cur;
			n->cur = at;
			buf_free(&b);
			return ((ssize_t)at);
		}
	}
	buf_free(&b);
	return (-1);
}

/* Whether any of session id's meta values holds the text. */
static bool
find_session(struct ui *u, uint64_t id, struct buf *b)
{
	const struct meta_reader *r = view_sel_reader(&u->view);
	struct mval	 v[16];
	size_t		 n, i;
	int		 k;

	for (k = 0; k < meta_nkeys(); k++) {
		n = r->values(r, id, k, v, nitems(v));
		for (i = 0; i < n && i < nitems(v); i++) {
			buf_reset(b);
			mval_format(b, &v[i]);
			if (find_in(b->s, b->len, u->find))
				return (true);
		}
	}
	return (false);
}

/* Events: the next (or previous) session that matches, as for Navigate. */
static ssize_t
find_events(struct ui *u, bool back, bool *wrapped)
{
	struct events	*e = &u->ev;
	struct buf	 b;
	uint64_t	 id;
	size_t		 i, at;
	int		 key;

	if (!events_selected(u, &id, &key))
		return (-1);
	buf_init(&b);
	for (i = 1; i <= e->n; i++) {
		at = back ? (e->cur + e->n - i) % e->n : (e->cur + i) % e->n;
		if (find_session(u, e->ids[at], &b)) {
			*wrapped = back ? at >= e->cur : at <= e->cur;
			e->cur = at;
			buf_free(&b);
			return ((ssize_t)at);
		}
	}
	buf_free(&b);
	return (-1);
}

/* Find the text again in the pane, forward or back, and say where. */
static void
find_go(struct ui *u, bool back)
{
	ssize_t	 at = -1;
	bool	 wrapped = false;
	int	 r;

	if (u->pane == PANE_NAV)
		at = find_nav(u, back, &wrapped);
	else if (u->pane == PANE_EVENTS)
		at = find_events(u, back, &wrapped);
	else if (u->pane == PANE_SESSION) {
		r = spane_find(u, u->find, back);
		at = r > 0 ? 0 : -1;
		wrapped = r == 2;
	} else {
		ui_message(u, ROLE_NORMAL, "f finds in Navigate, Events and "
		    "the Session view");
		return;
	}
	u->dirty |= DIRTY_SCREEN;
	if (at < 0)
		ui_message(u, ROLE_WARNING, "not found: %s", esc_str(u->find));
	else if (u->pane == PANE_EVENTS)
		ui_message(u, ROLE_NORMAL, "found %s: row %zd of %zu%s",
		    esc_str(u->find), at + 1, u->ev.n, wrapped ?
		    " (from the other end)" : "");
	else
		ui_message(u, ROLE_NORMAL, "found %s%s (n: next, N: previous)",
		    esc_str(u->find), wrapped ? " (from the other end)" : "");
}

/* The text typed at the find prompt. */
static bool
find_line(struct ui *u, const char *line, void *arg)
{
	(void)arg;
	if (line[0] == '\0')
		return (true);
	free(u->find);
	u->find = xstrdup(line);
	find_go(u, false);
	return (true);
}

/* f: ask for the text and find it forward. */
void
find_open(struct ui *u)
{
	prompt_ask(u, PROMPT_TEXT, "find: ", u->find != NULL ? u->find : "",
	    find_line, NULL);
}

/* n: the next match. */
void
find_next(struct ui *u)
{
	if (u->find == NULL)
		ui_message(u, ROLE_NORMAL, "f first: the text to find");
	else
		find_go(u, false);
}

/* N: the previous match. */
void
find_prev(struct ui *u)
{
	if (u->find == NULL)
		ui_message(u, ROLE_NORMAL, "f first: the text to find");
	else
		find_go(u, true);
}
