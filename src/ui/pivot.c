/* pivot.c - pivots: from a meta line of the Session pane or a cell of the
 * Events pane, drill on the session's values of that key (Enter), on
 * their negation (!), or make them a new path (p). */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdlib.h>
#include <string.h>

#include "ui/ui-int.h"

/*
 * Session id's values of key: into small (n of them) when they fit, else
 * into an array *v the caller frees when it is not small.  Returns how
 * many (0: none).
 */
size_t
pivot_values(struct ui *u, uint64_t id, int key, struct mval *small,
    size_t nsmall, struct mval **v)
{
	const struct meta_reader *r = view_sel_reader(&u->view);
	size_t		 n;

	*v = small;
	if ((n = r->values(r, id, key, small, nsmall)) > nsmall) {
		*v = xreallocarray(NULL, n, sizeof **v);
		n = r->values(r, id, key, *v, n);
	}
	return (n);
}

/* Append "KEY = V1,V2" (or !=) with session id's values of key, quoted
 * as the query prompt takes them; false when it has none. */
static bool
pivot_term(struct ui *u, struct buf *b, uint64_t id, int key, bool negate)
{
	struct mval	 small[32], *v;
	size_t		 n, i;

	if ((n = pivot_values(u, id, key, small, nitems(small), &v)) == 0)
		return (false);
	buf_printf(b, "%s %s ", meta_key(key)->name, negate ? "!=" : "=");
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(b, ',');
		nav_quote_value(b, &v[i], key);
	}
	if (v != small)
		free(v);
	return (true);
}

/*
 * Pivot on session id's values of key: how is PIVOT_DRILL (join the path),
 * PIVOT_NEGATE (join its negation) or PIVOT_NEW (the term alone as a new
 * path).  The Events pane then lists the path's sessions.
 */
void
pivot_go(struct ui *u, uint64_t id, int key, enum pivot_how how)
{
	struct buf	 b;
	bool		 ok;

	buf_init(&b);
	if (key < 0 || !pivot_term(u, &b, id, key, how == PIVOT_NEGATE)) {
		ui_message(u, ROLE_WARNING, "nothing to pivot on here");
		buf_free(&b);
		return;
	}
	ok = how == PIVOT_NEW ? ui_path_set(u, b.s) : ui_path_push(u, b.s);
	if (ok) {
		u->pane = PANE_EVENTS;
		u->ev.cur = u->ev.top = 0;
		ui_message(u, ROLE_NORMAL, "%s: %s", how == PIVOT_NEW ?
		    "new path" : "drilled", b.s);
	}
	buf_free(&b);
}
