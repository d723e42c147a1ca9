/* nav.c - the Navigate pane: the keys of the meta group with their values
 * and session counts over the current path; drilling builds the path. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui/ui-int.h"

/* Values shown under an open key unless all are asked for. */
#define NAV_TOP		5

/* The default meta group: hunting keys first (SPEC §5). */
static const char *const nav_group[] = {
	"analysis.session", "analysis.service", "ioc", "boc", "eoc",
	"service", "ip.proto", "direction", "ip.src", "ip.dst",
	"tcp.dstport", "udp.dstport", "alias.host", "ipv6.src", "ipv6.dst",
	"icmp.type", "dns.querytype", "client", "server", "did",
};

static const char *const nav_sort_names[] = { "count", "value", "size",
    "packets" };

/* Sessions indexed per loop turn while warming. */
#define NAV_WARM_SLICE	50000

/* Set up the group's keys, all open. */
void
nav_init(struct nav *n)
{
	size_t	 i;
	int	 k;

	memset(n, 0, sizeof *n);
	n->keys = xcalloc(nitems(nav_group), sizeof *n->keys);
	for (i = 0; i < nitems(nav_group); i++) {
		if ((k = meta_find(nav_group[i], strlen(nav_group[i]))) == -1)
			continue;
		n->keys[n->nkeys].key = k;
		n->keys[n->nkeys++].open = true;
	}
}

/*
 * Index the group's keys in one pass over the sessions, a slice per loop
 * turn, once the capture is read and after rules are re-applied: the
 * first drill then finds them indexed.
 */
void
nav_warm(struct ui *u)
{
	u->warming = true;
}

/* Index the next slice; true when there was work. */
bool
nav_warm_step(struct ui *u)
{
	int	 keys[64];
	size_t	 i, n = 0;

	if (!u->warming || !atomic_load(&u->loaded) || u->rv.applying ||
	    u->ex.running)
		return (false);
	for (i = 0; i < u->nav.nkeys && n < nitems(keys); i++)
		keys[n++] = u->nav.keys[i].key;
	if (store_warm(u->st, keys, n, NAV_WARM_SLICE)) {
		u->warming = false;
		ui_timing(u, "indexed", ui_ms() - u->t0);
	}
	return (true);
}

/* Forget every count (the set or the sort changed). */
void
nav_invalidate(struct nav *n)
{
	size_t	 i;

	for (i = 0; i < n->nkeys; i++) {
		free(n->keys[i].v);
		n->keys[i].v = NULL;
		n->keys[i].n = 0;
		n->keys[i].counted = false;
	}
	n->nrows = 0;
}

/* Free the pane. */
void
nav_free(struct nav *n)
{
	nav_invalidate(n);
	free(n->keys);
	free(n->rows);
}

/* The keep function over the match set. */
static bool
nav_keep(uint64_t id, void *arg)
{
	return (ui_view_has(arg, id));
}

/* Count one key's values over the path when not done yet. */
static void
nav_count(struct ui *u, struct nav_key *k)
{
	if (k->counted)
		return;
	if (u->view.indexed)
		k->n = store_count_ids(u->st, k->key, u->view.ids,
		    u->view.nids, u->nav.sort, &k->v);
	else
		k->n = store_count_values(u->st, k->key, nav_keep, &u->view,
		    u->nav.sort, &k->v);
	k->counted = true;
}

/* Add a row. */
static void
nav_add_row(struct nav *n, size_t k, ssize_t v)
{
	n->rows = xreallocarray(n->rows, n->nrows + 1, sizeof *n->rows);
	n->rows[n->nrows].k = k;
	n->rows[n->nrows++].v = v;
}

/* Build rows (counting keys as they come) until there are at least need. */
static void
nav_rows(struct ui *u, size_t need)
{
	struct nav	*n = &u->nav;
	struct nav_key	*k;
	size_t		 i, j, lim;

	n->nrows = 0;
	for (i = 0; i < n->nkeys && n->nrows < need; i++) {
		k = &n->keys[i];
		nav_add_row(n, i, -1);
		if (!k->open)
			continue;
		nav_count(u, k);
		lim = k->all || k->n < NAV_TOP ? k->n : NAV_TOP;
		for (j = 0; j < lim; j++)
			nav_add_row(n, i, (ssize_t)j);
	}
}

/* Append the printable form of a value (escaped). */
void
nav_format_value(struct buf *b, const struct mval *v)
{
	mval_format(b, v);
}

/* Append a value as a query literal: text quoted, addresses bare. */
void
nav_quote_value(struct buf *b, const struct mval *v, int key)
{
	static const char *const mon[] = { "jan", "feb", "mar", "apr", "may",
	    "jun", "jul", "aug", "sep", "oct", "nov", "dec" };
	static const char hex[] = "0123456789abcdef";
	time_t		 t;
	struct tm	 tm;
	uint32_t	 i;
	unsigned char	 c;

	(void)key;
	switch (v->type) {
	case MT_TEXT:
		buf_addc(b, '\'');
		for (i = 0; i < v->text.n; i++) {
			c = (unsigned char)v->text.p[i];
			if (c == '\'' || c == '\\') {
				buf_addc(b, '\\');
				buf_addc(b, (char)c);
			} else if (c < 0x20 || c >= 0x7f) {
				buf_add(b, "\\x", 2);
				buf_addc(b, hex[c >> 4]);
				buf_addc(b, hex[c & 15]);
			} else
				buf_addc(b, (char)c);
		}
		buf_addc(b, '\'');
		break;
	case MT_TIME:
		t = (time_t)(v->u / 1000000000ULL);
		gmtime_r(&t, &tm);
		buf_printf(b, "'%04d-%s-%02d %02d:%02d:%02d'", tm.tm_year + 1900,
		    mon[tm.tm_mon], tm.tm_mday, tm.tm_hour, tm.tm_min,
		    tm.tm_sec);
		break;
	default:
		mval_format(b, v);
		break;
	}
}

/* Draw a key header row. */
static void
nav_draw_key(struct ui *u, int y, const struct nav_key *k, bool sel)
{
	struct buf	 b;

	buf_init(&b);
	buf_printf(&b, "%s%s %s", sel ? ">" : "", k->open ? (u->ascii ? "-" : "\xe2\x96\xbe") :
	    (u->ascii ? "+" : "\xe2\x96\xb8"), meta_key(k->key)->name);
	if (k->open && k->n == 0)
		buf_adds(&b, "  (no values)");
	else if (k->open)
		buf_printf(&b, "  %zu value%s%s", k->n, k->n == 1 ? "" : "s",
		    !k->all && k->n > NAV_TOP ? "  (a: show all)" : "");
	if (sel)
		draw_fill(y, ROLE_SELECTED);
	draw_text(y, 0, COLS, sel ? ROLE_SELECTED : ROLE_KEY, b.s);
	buf_free(&b);
}

/* Draw a value row: measure, then the value. */
static void
nav_draw_value(struct ui *u, int y, const struct vcount *c, bool sel)
{
	struct buf	 b;
	uint64_t	 m = c->sessions;
	char		 num[32];

	if (u->nav.sort == VSORT_SIZE)
		m = c->size;
	else if (u->nav.sort == VSORT_PACKETS)
		m = c->packets;
	snprintf(num, sizeof num, "%12llu  ", (unsigned long long)m);
	buf_init(&b);
	nav_format_value(&b, &c->v);
	if (sel)
		draw_fill(y, ROLE_SELECTED);
	if (sel)
		draw_text(y, 0, 1, ROLE_SELECTED, ">");
	draw_text(y, 2, 14, sel ? ROLE_SELECTED : ROLE_COUNT, num);
	draw_text(y, 16, COLS - 16, sel ? ROLE_SELECTED : ROLE_VALUE, b.s);
	buf_free(&b);
}

/* Draw the pane in h lines from line top. */
void
nav_draw(struct ui *u, int top, int h)
{
	struct nav	*n = &u->nav;
	const struct nav_row *r;
	char		 s[64];
	size_t		 i;

	h--;
	snprintf(s, sizeof s, "  %12s  value   (sorted by %s; s: sort)",
	    u->nav.sort == VSORT_SIZE ? "bytes" : u->nav.sort == VSORT_PACKETS ?
	    "packets" : "sessions", nav_sort_names[n->sort]);
	draw_text(top, 0, COLS, ROLE_HEADER, s);
	top++;
	nav_rows(u, (n->cur > n->top + (size_t)h ? n->cur : n->top + (size_t)h)
	    + 1);
	if (n->cur >= n->nrows && n->nrows > 0)
		n->cur = n->nrows - 1;
	if (n->cur < n->top)
		n->top = n->cur;
	if (n->cur >= n->top + (size_t)h)
		n->top = n->cur - (size_t)h + 1;
	for (i = n->top; i < n->nrows && i < n->top + (size_t)h; i++) {
		r = &n->rows[i];
		if (r->v < 0)
			nav_draw_key(u, top + (int)(i - n->top), &n->keys[r->k],
			    i == n->cur);
		else
			nav_draw_value(u, top + (int)(i - n->top),
			    &n->keys[r->k].v[r->v], i == n->cur);
	}
}

/* Move the cursor by d rows (large d: a page). */
void
nav_move(struct ui *u, int d)
{
	struct nav	*n = &u->nav;

	nav_rows(u, n->cur + (d > 0 ? (size_t)d : 0) + 1);
	if (d < 0)
		n->cur = (size_t)-d > n->cur ? 0 : n->cur - (size_t)-d;
	else if (n->nrows > 0)
		n->cur = n->cur + (size_t)d >= n->nrows ? n->nrows - 1 :
		    n->cur + (size_t)d;
	u->dirty |= DIRTY_SCREEN;
}

/* Enter: drill into the value (key = value, or != when negated), or open
 * and close a key on its header. */
void
nav_enter(struct ui *u, bool negate)
{
	struct nav	*n = &u->nav;
	const struct nav_row *r;
	struct nav_key	*k;
	struct buf	 b;

	if (n->cur >= n->nrows)
		return;
	r = &n->rows[n->cur];
	k = &n->keys[r->k];
	if (r->v < 0) {
		if (!negate)
			nav_toggle(u, false);
		return;
	}
	buf_init(&b);
	buf_printf(&b, "%s %s ", meta_key(k->key)->name, negate ? "!=" : "=");
	nav_quote_value(&b, &k->v[r->v].v, k->key);
	if (ui_path_push(u, b.s))
		n->cur = n->top = 0;
	buf_free(&b);
}

/* The value index of key k a path term drilled (key = or != value), or
 * -1. */
static ssize_t
nav_term_value(struct ui *u, struct nav_key *k, const char *term)
{
	const char	*name = meta_key(k->key)->name, *rest;
	size_t		 len = strlen(name), j, lim;
	ssize_t		 found = -1;
	struct buf	 b;

	if (strncmp(term, name, len) != 0)
		return (-1);
	rest = term + len;
	if (strncmp(rest, " = ", 3) == 0)
		rest += 3;
	else if (strncmp(rest, " != ", 4) == 0)
		rest += 4;
	else
		return (-1);
	nav_count(u, k);
	lim = k->all || k->n < NAV_TOP ? k->n : NAV_TOP;
	buf_init(&b);
	for (j = 0; j < lim && found < 0; j++) {
		buf_reset(&b);
		nav_quote_value(&b, &k->v[j].v, k->key);
		if (strcmp(b.s, rest) == 0)
			found = (ssize_t)j;
	}
	buf_free(&b);
	return (found);
}

/* After a step back: put the cursor on the row of the value the dropped
 * term drilled, when that value is listed. */
void
nav_land(struct ui *u, const char *term)
{
	struct nav	*n = &u->nav;
	size_t		 i, r, need;
	ssize_t		 v = -1;

	nav_invalidate(n);
	for (i = 0; i < n->nkeys && v < 0; i++) {
		if (n->keys[i].open)
			v = nav_term_value(u, &n->keys[i], term);
	}
	if (v < 0)
		return;
	i--;
	for (need = 64;; need *= 2) {
		nav_rows(u, need);
		for (r = 0; r < n->nrows; r++) {
			if (n->rows[r].k == i && n->rows[r].v == v) {
				n->cur = r;
				u->dirty |= DIRTY_SCREEN;
				return;
			}
		}
		if (n->nrows < need)
			return;
	}
}

/* Open or close the key under the cursor, or show all of its values. */
void
nav_toggle(struct ui *u, bool all)
{
	struct nav	*n = &u->nav;
	struct nav_key	*k;
	size_t		 i;

	if (n->cur >= n->nrows)
		return;
	k = &n->keys[n->rows[n->cur].k];
	if (all) {
		k->all = !k->all;
		k->open = true;
	} else
		k->open = !k->open;
	for (i = 0; i < n->nrows && n->rows[i].k != n->rows[n->cur].k; i++)
		;
	n->cur = i;
	n->nrows = 0;
	u->dirty |= DIRTY_SCREEN;
}

/* Cycle the order: count, value, size, packets. */
void
nav_sort(struct ui *u)
{
	u->nav.sort = (u->nav.sort + 1) % 4;
	u->dirty |= DIRTY_COUNTS | DIRTY_SCREEN;
	ui_message(u, ROLE_NORMAL, "values sorted by %s",
	    nav_sort_names[u->nav.sort]);
}
