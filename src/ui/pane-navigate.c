/* pane-navigate.c - the Navigate pane: the keys of the meta group with
 * their values and session counts over the current path; drilling builds
 * the path. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rules/rules.h"
#include "ui/ui-int.h"

/* Values shown under an open key before the first draw knows the size. */
#define NAV_TOP		5

/* The default meta group: hunting keys first (SPEC §5). */
static const char *const nav_group[] = {
	"analysis.session", "analysis.service", "ioc", "boc", "eoc",
	"service", "ip.proto", "direction", "ip.src", "ip.dst",
	"tcp.dstport", "udp.dstport", "alias.host", "ipv6.src", "ipv6.dst",
	"icmp.type", "dns.querytype", "client", "server", "did",
};
/* The hunting keys lead the group; alert keys of other rules join them. */
#define NAV_HUNTING	5

static const char *const nav_sort_names[] = { "count", "value", "size",
    "packets" };

/* Sessions indexed per loop turn while warming. */
#define NAV_WARM_SLICE	50000

/* Add a key at position at (open unless it is the histogram). */
static struct nav_key *
nav_add_key(struct nav *n, int key, size_t at, bool hist)
{
	struct nav_key	*k;

	n->keys = xreallocarray(n->keys, n->nkeys + 1, sizeof *n->keys);
	memmove(&n->keys[at + 1], &n->keys[at], (n->nkeys - at) *
	    sizeof *n->keys);
	n->nkeys++;
	k = &n->keys[at];
	memset(k, 0, sizeof *k);
	k->key = key;
	k->open = !hist;
	k->hist = hist;
	k->mark = -1;
	n->nrows = 0;
	return (k);
}

/* The position of a key in the pane, or -1. */
static ssize_t
nav_find(const struct nav *n, int key, bool hist)
{
	size_t	 i;

	for (i = 0; i < n->nkeys; i++) {
		if (n->keys[i].key == key && n->keys[i].hist == hist)
			return ((ssize_t)i);
	}
	return (-1);
}

/* Set up the group's keys, all open, and the closed histogram last. */
void
nav_init(struct nav *n, size_t deflt)
{
	size_t	 i;
	int	 k;

	memset(n, 0, sizeof *n);
	n->fit = NAV_TOP;
	n->deflt = deflt;
	for (i = 0; i < nitems(nav_group); i++) {
		if ((k = meta_find(nav_group[i], strlen(nav_group[i]))) != -1)
			nav_add_key(n, k, n->nkeys, false);
	}
	if ((k = meta_find("time", 4)) != -1)
		nav_add_key(n, k, n->nkeys, true);
}

/* Show the alert keys the rules write (a user rule's own key) beside the
 * hunting keys. */
static void
nav_sync_alerts(struct ui *u)
{
	struct nav	*n = &u->nav;
	const struct ruleset *rs = u->rv.rs;
	size_t		 i, at;
	int		 key;

	for (i = 0; rs != NULL && i < rules_count(rs); i++) {
		key = rules_alert(rs, i);
		if (key < 0 || nav_find(n, key, false) >= 0)
			continue;
		for (at = 0; at < n->nkeys && at < NAV_HUNTING &&
		    (meta_key(n->keys[at].key)->flags & MK_HUNTING); at++)
			;
		while (at < n->nkeys && (meta_key(n->keys[at].key)->flags &
		    MK_DYNAMIC))
			at++;
		nav_add_key(n, key, at, false);
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
	nav_sync_alerts(u);
	u->warming = true;
}

/* Index the next slice; true when there was work. */
bool
nav_warm_step(struct ui *u)
{
	int	 keys[64];
	size_t	 i, n = 0;

	if (!u->warming || !hunt_loaded(u->h) || u->rv.applying ||
	    u->ex.running)
		return (false);
	for (i = 0; i < u->nav.nkeys && n < nitems(keys); i++) {
		if (!u->nav.keys[i].hist)
			keys[n++] = u->nav.keys[i].key;
	}
	if (view_sel_warm(&u->view, keys, n, NAV_WARM_SLICE)) {
		u->warming = false;
		ui_timing_cpu(u, "indexed", (ui_ms() - u->t0) * 1000,
		    ui_cpu_us());
	}
	return (true);
}

/* Forget one key's counts. */
static void
nav_forget(struct nav_key *k)
{
	free(k->v);
	k->v = NULL;
	k->n = k->total = 0;
	k->counted = false;
}

/* Forget every count (the set or the sort changed). */
void
nav_invalidate(struct nav *n)
{
	size_t	 i;

	for (i = 0; i < n->nkeys; i++)
		nav_forget(&n->keys[i]);
	n->nrows = 0;
}

/* Forget the counts made over another set of sessions than the path's
 * (unless the loading console holds them a while). */
void
nav_stale(struct ui *u)
{
	size_t	 i;

	for (i = 0; !u->nav.hold && i < u->nav.nkeys; i++) {
		if (u->nav.keys[i].gen != u->view.gen)
			nav_forget(&u->nav.keys[i]);
	}
	u->nav.nrows = 0;
}

/* Free the pane. */
void
nav_free(struct nav *n)
{
	nav_invalidate(n);
	free(n->keys);
	free(n->rows);
}

/* How many values a key lists (SIZE_MAX: all): console.values, or what a
 * page holds, once more per "more". */
static size_t
nav_limit(const struct nav *n, const struct nav_key *k)
{
	size_t	 base = n->deflt != 0 ? n->deflt : n->fit;

	if (k->all)
		return (SIZE_MAX);
	return (base * (k->pages + 1));
}

/* The histogram's buckets over the path, as counts with a time value. */
static void
nav_count_hist(struct ui *u, struct nav_key *k)
{
	struct store_hist	 h;
	char			*cause = NULL;
	size_t			 i;

	k->n = k->total = 0;
	k->v = NULL;
	if (!view_sel_histogram(&u->view, u->nav.fit, &h, &cause)) {
		free(cause);
		return;
	}
	k->v = xcalloc(h.n + 1, sizeof *k->v);
	for (i = 0; i < h.n; i++) {
		k->v[i].v.type = MT_TIME;
		k->v[i].v.prec = 9;
		k->v[i].v.u = h.first + i * h.bucket;
		k->v[i].sessions = h.count[i];
	}
	k->n = k->total = h.n;
	k->bucket = h.bucket;
	k->max = h.max;
	if (k->mark >= (ssize_t)k->n)
		k->mark = -1;
	free(h.count);
}

/* Count one key's values over the path when not done yet: as many as it
 * lists, and how many there are. */
static void
nav_count(struct ui *u, struct nav_key *k)
{
	size_t	 lim = nav_limit(&u->nav, k);
	size_t	 top = lim == SIZE_MAX ? 0 : lim;

	if (k->counted && (k->gen == u->view.gen || u->nav.hold) &&
	    (k->asked == 0 || (top != 0 && k->asked >= top) || k->hist))
		return;
	nav_forget(k);
	if (k->hist)
		nav_count_hist(u, k);
	else
		k->n = view_sel_count(&u->view, k->key, u->nav.sort, &top,
		    &k->v, &k->total);
	k->asked = top;
	k->gen = u->view.gen;
	k->counted = true;
}

/* The values a counted key shows. */
static size_t
nav_shown(const struct nav *n, const struct nav_key *k)
{
	size_t	 lim = nav_limit(n, k);

	return (k->hist || k->n < lim ? k->n : lim);
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
void
nav_rows(struct ui *u, size_t need)
{
	struct nav	*n = &u->nav;
	struct nav_key	*k;
	size_t		 i, j, lim;

	n->nrows = 0;
	for (i = 0; i < n->nkeys && n->nrows < need; i++) {
		k = &n->keys[i];
		nav_add_row(n, i, NAV_HEADER);
		if (!k->open)
			continue;
		nav_count(u, k);
		lim = nav_shown(n, k);
		for (j = 0; j < lim; j++)
			nav_add_row(n, i, (ssize_t)j);
		if (k->total > lim)
			nav_add_row(n, i, NAV_MORE);
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

/* The header of the histogram: what a bucket is and the keys to use. */
static void
nav_hist_header(struct ui *u, struct buf *b, const struct nav_key *k)
{
	if (!k->open) {
		buf_adds(b, "  sessions over time (h or o: open)");
		return;
	}
	if (k->n == 0 && u->view.failed != NULL) {
		buf_adds(b, "  (not counted: the store failed)");
		return;
	}
	if (!u->view.indexed) {
		buf_adds(b, "  (once the capture is read)");
		return;
	}
	if (k->n == 0) {
		buf_adds(b, "  (no sessions)");
		return;
	}
	buf_printf(b, "  %zu bucket%s of ", k->n, k->n == 1 ? "" : "s");
	buf_duration(b, k->bucket);	/* 1s, 5m, 2h, 1d ... */
	buf_adds(b, "  (Space: mark an end, Enter: drill the range)");
}

/* The width of the measure column: narrower in the compact layout. */
static int
nav_numw(void)
{
	return (draw_compact() ? 8 : 12);
}

/* Draw a key header row. */
static void
nav_draw_key(struct ui *u, int y, const struct nav_key *k, bool sel)
{
	struct buf	 b;

	buf_init(&b);
	buf_printf(&b, "%s%s %s", sel ? ">" : "", k->open ? (u->ascii ?
	    "-" : "\xe2\x96\xbe") : (u->ascii ? "+" : "\xe2\x96\xb8"),
	    meta_key(k->key)->name);
	if (k->hist)
		nav_hist_header(u, &b, k);
	else if (k->open && k->total == 0 && u->view.failed != NULL)
		buf_adds(&b, "  (not counted: the store failed)");
	else if (k->open && k->total == 0)
		buf_adds(&b, "  (no values)");
	else if (k->open)
		buf_printf(&b, "  %zu value%s%s", k->total, k->total == 1 ?
		    "" : "s", k->total > nav_shown(&u->nav, k) ?
		    "  (a: show all)" : "");
	if (sel)
		draw_fill(y, ROLE_SELECTED);
	draw_text(y, 0, COLS, sel ? ROLE_SELECTED : ROLE_KEY, b.s);
	buf_free(&b);
}

/* Draw the line under a key that offers more of its values. */
static void
nav_draw_more(struct ui *u, int y, const struct nav_key *k, bool sel)
{
	size_t	 shown = nav_shown(&u->nav, k);
	size_t	 step = nav_limit(&u->nav, k) / (k->pages + 1);
	char	 s[160];

	snprintf(s, sizeof s, "%s%*s%s %zu more  (Enter: %zu more, a: all)",
	    sel ? ">" : " ", nav_numw() + 1, "", u->ascii ? "..." :
	    "\xe2\x80\xa6", k->total - shown,
	    k->total - shown < step ? k->total - shown : step);
	if (sel)
		draw_fill(y, ROLE_SELECTED);
	draw_text(y, 0, COLS, sel ? ROLE_SELECTED : ROLE_DIM, s);
}

/* Draw a value row: measure, then the value. */
static void
nav_draw_value(struct ui *u, int y, const struct vcount *c, bool sel)
{
	struct buf	 b;
	uint64_t	 m = c->sessions;
	char		 num[32];
	int		 x;

	if (u->nav.sort == VSORT_SIZE)
		m = c->size;
	else if (u->nav.sort == VSORT_PACKETS)
		m = c->packets;
	snprintf(num, sizeof num, "%*llu  ", nav_numw(), (unsigned long long)m);
	x = 2 + (int)strlen(num);	/* a wider number pushes the value */
	buf_init(&b);
	nav_format_value(&b, &c->v);
	if (sel)
		draw_fill(y, ROLE_SELECTED);
	if (sel)
		draw_text(y, 0, 1, ROLE_SELECTED, ">");
	draw_text(y, 2, x - 2, sel ? ROLE_SELECTED : ROLE_COUNT, num);
	draw_text(y, x, COLS - x, sel ? ROLE_SELECTED : ROLE_VALUE, b.s);
	buf_free(&b);
}

/* Append a time in whole seconds as ISO 8601, quoted as a literal or not. */
static void
nav_iso(struct buf *b, uint64_t ns, bool quote)
{
	time_t		 t = (time_t)(ns / 1000000000ULL);
	struct tm	 tm;

	gmtime_r(&t, &tm);
	buf_printf(b, "%s%04d-%02d-%02dT%02d:%02d:%02dZ%s", quote ? "'" : "",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, quote ? "'" : "");
}

/* Draw a histogram bucket: its sessions, its start, and a bar; buckets
 * between the mark and the cursor are marked with '*'. */
static void
nav_draw_bucket(struct ui *u, int y, const struct nav_key *k, size_t v,
    bool sel, bool inrange)
{
	struct buf	 b;
	char		 num[32];
	int		 x = nav_numw() + 4, w = COLS - x - 22, len, i;

	snprintf(num, sizeof num, "%*llu  ", nav_numw(),
	    (unsigned long long)k->v[v].sessions);
	buf_init(&b);
	nav_iso(&b, k->v[v].v.u, false);
	if (sel)
		draw_fill(y, ROLE_SELECTED);
	draw_text(y, 0, 1, sel ? ROLE_SELECTED : ROLE_MARK, sel ? ">" :
	    inrange ? "*" : " ");
	draw_text(y, 2, x - 2, sel ? ROLE_SELECTED : ROLE_COUNT, num);
	draw_text(y, x, 22, sel ? ROLE_SELECTED : ROLE_VALUE, b.s);
	len = k->max == 0 || w < 1 ? 0 : (int)((k->v[v].sessions * (uint64_t)w +
	    k->max - 1) / k->max);
	buf_reset(&b);
	for (i = 0; i < len; i++)
		buf_adds(&b, u->ascii ? "#" : "\xe2\x96\x88");
	draw_text(y, x + 22, w, sel ? ROLE_SELECTED : ROLE_PROGRESS, b.s);
	buf_free(&b);
}

/* Whether value v of key k lies between its mark and the cursor. */
static bool
nav_in_range(const struct nav *n, const struct nav_key *k, size_t kidx,
    size_t v)
{
	const struct nav_row	*c;
	size_t			 lo, hi;

	if (!k->hist || k->mark < 0 || n->cur >= n->nrows)
		return (false);
	c = &n->rows[n->cur];
	hi = c->k == kidx && c->v >= 0 ? (size_t)c->v : (size_t)k->mark;
	lo = (size_t)k->mark < hi ? (size_t)k->mark : hi;
	hi = (size_t)k->mark > hi ? (size_t)k->mark : hi;
	return (v >= lo && v <= hi);
}

/* Draw one row. */
static void
nav_draw_row(struct ui *u, int y, size_t i)
{
	struct nav		*n = &u->nav;
	const struct nav_row	*r = &n->rows[i];
	struct nav_key		*k = &n->keys[r->k];

	if (r->v == NAV_HEADER)
		nav_draw_key(u, y, k, i == n->cur);
	else if (r->v == NAV_MORE)
		nav_draw_more(u, y, k, i == n->cur);
	else if (k->hist)
		nav_draw_bucket(u, y, k, (size_t)r->v, i == n->cur,
		    nav_in_range(n, k, r->k, (size_t)r->v));
	else
		nav_draw_value(u, y, &k->v[r->v], i == n->cur);
}

/* Draw the pane in h lines from line top. */
void
nav_draw(struct ui *u, int top, int h)
{
	struct nav	*n = &u->nav;
	char		 s[64];
	size_t		 i, fit;

	h--;
	/*
	 * A key's values, its header and its "more" line fill a page: the
	 * pane's height with a one-line message, so that a prompt or a
	 * message that wraps does not make the keys count again.
	 */
	fit = LINES - 5 > NAV_TOP + 2 ? (size_t)LINES - 7 : NAV_TOP;
	if (fit != n->fit) {
		n->fit = fit;
		n->nrows = 0;
	}
	snprintf(s, sizeof s, "  %*s  value   (sorted by %s; s: sort)",
	    nav_numw(), u->nav.sort == VSORT_SIZE ? "bytes" :
	    u->nav.sort == VSORT_PACKETS ? "packets" : "sessions",
	    nav_sort_names[n->sort]);
	draw_text(top, 0, COLS, ROLE_HEADER, s);
	top++;
	nav_rows(u, (n->cur > n->top + (size_t)h ? n->cur : n->top + (size_t)h)
	    + 1);
	if (n->cur >= n->nrows && n->nrows > 0)
		n->cur = n->nrows - 1;
	draw_scroll(&n->top, n->cur, n->cur, h);
	for (i = n->top; i < n->nrows && i < n->top + (size_t)h; i++)
		nav_draw_row(u, top + (int)(i - n->top), i);
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

/* Drill the histogram's buckets from the mark to v (or v alone): the
 * sessions that start in them, as a time range of whole seconds. */
static void
nav_drill_time(struct ui *u, struct nav_key *k, size_t v, bool negate)
{
	size_t		 lo = v, hi = v;
	struct buf	 b;

	if (k->mark >= 0) {
		lo = (size_t)k->mark < v ? (size_t)k->mark : v;
		hi = (size_t)k->mark > v ? (size_t)k->mark : v;
	}
	buf_init(&b);
	buf_printf(&b, "time %s ", negate ? "!=" : "=");
	nav_iso(&b, k->v[lo].v.u, true);
	buf_adds(&b, " - ");
	nav_iso(&b, k->v[hi].v.u + k->bucket - 1000000000ULL, true);
	if (ui_path_push(u, b.s)) {
		k->mark = -1;
		u->nav.cur = u->nav.top = 0;
	}
	buf_free(&b);
}

/* Enter: drill into the value (key = value, or != when negated), list more
 * values on a key's "more" line, or open and close a key on its header. */
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
	if (r->v == NAV_HEADER) {
		if (!negate)
			nav_toggle(u, false);
		return;
	}
	if (r->v == NAV_MORE) {
		k->pages++;
		n->nrows = 0;
		u->dirty |= DIRTY_SCREEN;
		return;
	}
	if (k->hist) {
		nav_drill_time(u, k, (size_t)r->v, negate);
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

	if (k->hist || strncmp(term, name, len) != 0)
		return (-1);
	rest = term + len;
	if (strncmp(rest, " = ", 3) == 0)
		rest += 3;
	else if (strncmp(rest, " != ", 4) == 0)
		rest += 4;
	else
		return (-1);
	nav_count(u, k);
	lim = nav_shown(&u->nav, k);
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

	nav_stale(u);
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

/* Put the cursor on key i's header. */
static void
nav_goto_key(struct ui *u, size_t i)
{
	struct nav	*n = &u->nav;
	size_t		 r, need;

	for (need = 64;; need *= 2) {
		nav_rows(u, need);
		for (r = 0; r < n->nrows; r++) {
			if (n->rows[r].k == i && n->rows[r].v == NAV_HEADER) {
				n->cur = n->top = r;
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
	if (all && !k->hist) {
		k->all = !k->all;
		k->pages = 0;
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
	nav_invalidate(&u->nav);
	u->dirty |= DIRTY_COUNTS | DIRTY_SCREEN;
	ui_message(u, ROLE_NORMAL, "values sorted by %s",
	    nav_sort_names[u->nav.sort]);
}

/* The key prompt's answer: move to that key, adding it when the pane does
 * not list it. */
static bool
nav_jump_line(struct ui *u, const char *line, void *arg)
{
	char	*name;
	size_t	 len;
	ssize_t	 i;
	int	 key;

	(void)arg;
	line += strspn(line, " \t");
	for (len = strlen(line); len > 0 && (line[len - 1] == ' ' ||
	    line[len - 1] == '\t'); len--)
		;
	if (len == 0)
		return (true);
	if ((key = meta_find(line, len)) == -1) {
		name = xstrndup(line, len);
		prompt_error(u, 0, "no key %s", esc_str(name));
		free(name);
		return (false);
	}
	if ((i = nav_find(&u->nav, key, false)) < 0) {
		i = (ssize_t)u->nav.nkeys;
		if (u->nav.nkeys > 0 && u->nav.keys[u->nav.nkeys - 1].hist)
			i--;
		nav_add_key(&u->nav, key, (size_t)i, false);
	}
	u->nav.keys[i].open = true;
	u->pane = PANE_NAV;
	nav_goto_key(u, (size_t)i);
	return (true);
}

/* Ask for a key's name and move to it. */
void
nav_jump(struct ui *u)
{
	prompt_ask(u, PROMPT_QUERY, "key: ", "", nav_jump_line, NULL);
}

/* Open the histogram and move to it. */
void
nav_hist(struct ui *u)
{
	ssize_t	 i = -1;
	size_t	 j;

	for (j = 0; j < u->nav.nkeys && i < 0; j++) {
		if (u->nav.keys[j].hist)
			i = (ssize_t)j;
	}
	if (i < 0)
		return;
	u->nav.keys[i].open = true;
	u->pane = PANE_NAV;
	nav_goto_key(u, (size_t)i);
}

/* Space on a histogram bucket: mark it as one end of the range to drill
 * (again: unmark). */
void
nav_mark(struct ui *u)
{
	struct nav	*n = &u->nav;
	struct nav_key	*k;

	if (n->cur >= n->nrows || n->rows[n->cur].v < 0)
		return;
	k = &n->keys[n->rows[n->cur].k];
	if (!k->hist)
		return;
	k->mark = k->mark == n->rows[n->cur].v ? -1 : n->rows[n->cur].v;
	u->dirty |= DIRTY_SCREEN;
}
