/* pane-events.c - the Events pane: the sessions of the current path in a
 * sortable table, with marks. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "ui/ui-int.h"

/* Sort orders, cycled with s. */
enum { EV_TIME, EV_SIZE, EV_PACKETS, EV_SERVICE, EV_PROTO, EV_NSORT };
static const char *const events_sort_names[] = { "time", "size", "packets",
    "service", "proto" };

/* Free the pane. */
void
events_free(struct events *e)
{
	size_t	 i;

	for (i = 0; i < e->nopen; i++)
		free(e->open[i]);
	free(e->open);
	free(e->ids);
	free(e->marks);
	memset(e, 0, sizeof *e);
}

/* Whether a session is marked. */
bool
events_marked(const struct events *e, uint64_t id)
{
	return (id < e->markcap && (e->marks[id / 64] >> (id % 64) & 1));
}

/* The view's column of each sort order. */
static const enum view_col events_cols[] = { VIEW_COL_TIME, VIEW_COL_SIZE,
    VIEW_COL_PACKETS, VIEW_COL_SERVICE, VIEW_COL_PROTO };

/* Collect the matching ids, in the chosen order, when the set changed. */
static void
events_build(struct ui *u)
{
	struct events		*e = &u->ev;

	if (e->gen == u->view.gen && e->ids != NULL)
		return;
	free(e->ids);
	e->n = view_sel_list(&u->view, events_cols[e->sort], e->rev,
	    &e->ids);
	e->gen = u->view.gen;
	if (e->cur >= e->n)
		e->cur = e->n > 0 ? e->n - 1 : 0;
}

/* The reader rows are read through: the store's, or one open session's
 * while its row is made. */
static const struct meta_reader *
events_reader(struct ui *u)
{
	return (u->ev.rd != NULL ? u->ev.rd : view_sel_reader(&u->view));
}

/* Append the first values of a key, comma-joined. */
static void
events_values(struct ui *u, struct buf *b, uint64_t id, int key)
{
	const struct meta_reader *r = events_reader(u);
	struct mval	 v[8];
	size_t		 n, i;

	n = r->values(r, id, key, v, nitems(v));
	for (i = 0; i < n && i < nitems(v); i++) {
		if (i > 0)
			buf_addc(b, ',');
		mval_format(b, &v[i]);
	}
}

/* The cells of a row, pivots act on one: Left and Right choose it.  The
 * extra columns' cells are EC_N + j, shown before EC_ALERT. */
enum { EC_TIME, EC_SRC, EC_SPORT, EC_DST, EC_DPORT, EC_PROTO, EC_SERVICE,
    EC_SIZE, EC_PACKETS, EC_ALERT, EC_N };

/* Where each cell of a row is (bytes, from its start). */
struct events_cells {
	size_t		 at[EC_N + ENGINE_KEYS_MAX];
	size_t		 end[EC_N + ENGINE_KEYS_MAX];
};

/* The cell chosen (Left, Right move over the cells in screen order), or
 * -1 for none. */
static int
events_chosen(const struct ui *u)
{
	int	 pos = u->ev.col - 1, nx = (int)u->ev.nx;

	if (pos < 0)
		return (-1);
	if (pos < EC_ALERT)
		return (pos);
	if (pos < EC_ALERT + nx)
		return (EC_N + pos - EC_ALERT);
	return (EC_ALERT);
}

/* The width of extra column j: its key's name, 20 to 24 columns. */
static int
events_xw(const struct ui *u, size_t j)
{
	size_t	 n = strlen(meta_key(u->ev.xkeys[j])->name);

	return (n < 20 ? 20 : n > 24 ? 24 : (int)n);
}

/*
 * What a row shows.  Below 80 columns the least useful cells are left out
 * until the endpoints have 22 columns: size, proto, the date (the time of
 * day stays), packets, service; never the one sorted on.
 */
struct events_layout {
	bool		 shown[EC_N];
	bool		 date;
	int		 epw;		/* the endpoints' width */
};

/* Lay a row out for the screen's width. */
static void
events_layout(const struct ui *u, struct events_layout *l)
{
	static const int drop[] = { EC_SIZE, EC_PROTO, EC_TIME, EC_PACKETS,
	    EC_SERVICE };
	static const int dropw[] = { 11, 4, 11, 7, 6 };
	static const int sorted[] = { -1, EC_SIZE, EC_PACKETS, EC_SERVICE,
	    EC_PROTO };
	int		 fixed = 58, i;
	size_t		 j;

	/* The columns the analyst chose (C) take their room from the
	 * endpoints first, so that they show on the screen. */
	for (j = 0; j < u->ev.nx; j++)
		fixed += 1 + events_xw(u, j);
	for (i = 0; i < EC_N; i++)
		l->shown[i] = true;
	l->date = true;
	for (i = 0; i < (int)nitems(drop) && draw_compact() &&
	    COLS - fixed < 22; i++) {
		if (drop[i] == sorted[u->ev.sort])
			continue;
		if (drop[i] == EC_TIME)
			l->date = false;
		else
			l->shown[drop[i]] = false;
		fixed -= dropw[i];
	}
	l->epw = COLS - fixed;
	l->epw = l->epw > 44 ? 44 : l->epw < 20 ? 20 : l->epw;
}

/* The meta key of a cell of session id's row (-1: none). */
static int
events_cell_key(struct ui *u, uint64_t id, int col)
{
	const struct meta_reader *r = events_reader(u);
	struct mval	 v;
	bool		 dst = col == EC_DST || col == EC_DPORT;

	switch (col) {
	case EC_TIME: return (K_TIME);
	case EC_SRC:
	case EC_DST:
		if (r->values(r, id, dst ? K_IP_DST : K_IP_SRC, &v, 1) > 0)
			return (dst ? K_IP_DST : K_IP_SRC);
		return (dst ? K_IPV6_DST : K_IPV6_SRC);
	case EC_SPORT:
	case EC_DPORT:
		if (r->values(r, id, dst ? K_TCP_DSTPORT : K_TCP_SRCPORT, &v,
		    1) > 0)
			return (dst ? K_TCP_DSTPORT : K_TCP_SRCPORT);
		return (dst ? K_UDP_DSTPORT : K_UDP_SRCPORT);
	case EC_PROTO: return (K_IP_PROTO);
	case EC_SERVICE: return (K_SERVICE);
	case EC_SIZE: return (K_SIZE);
	case EC_PACKETS: return (K_PACKETS);
	case EC_ALERT: return (meta_find("analysis.session", 16));
	}
	if (col >= EC_N && col - EC_N < (int)u->ev.nx)
		return (u->ev.xkeys[col - EC_N]);
	return (-1);
}

/* The selected session (false: none) and the key of its chosen cell
 * (-1: no cell chosen), for y. */
bool
events_selected(struct ui *u, uint64_t *id, int *key)
{
	struct events	*e = &u->ev;
	int		 c = events_chosen(u);

	events_build(u);
	if (e->n == 0)
		return (false);
	*id = e->ids[e->cur];
	*key = c < 0 ? -1 : events_cell_key(u, *id, c);
	return (true);
}

/* Shorten an address to n columns (at least 4), its end shown as "~". */
static void
events_cut(struct buf *a, size_t n)
{
	if (n < 4)
		n = 4;
	if (a->len <= n)
		return;
	a->len = n - 1;
	a->s[a->len++] = '~';
	a->s[a->len] = '\0';
}

/*
 * Append the endpoints "src:port > dst:port" padded to the column's width,
 * noting where its four cells are.  When they do not fit, the addresses
 * are shortened (the destination's first) so that the ports stay.
 */
static void
events_ends(struct ui *u, struct buf *b, uint64_t id, struct events_cells *c)
{
	struct buf	 part[4];
	struct events_layout l;
	size_t		 base = b->len, w, len = 3, i;
	int		 col;

	events_layout(u, &l);
	w = (size_t)l.epw;
	for (i = 0; i < 4; i++) {
		buf_init(&part[i]);
		events_values(u, &part[i], id, events_cell_key(u, id,
		    EC_SRC + (int)i));
		len += part[i].len + (i % 2 == 1 && part[i].len > 0);
	}
	if (len > w)
		events_cut(&part[2], part[2].len > len - w ? part[2].len -
		    (len - w) : 0);
	for (len = 3, i = 0; i < 4; i++)
		len += part[i].len + (i % 2 == 1 && part[i].len > 0);
	if (len > w)
		events_cut(&part[0], part[0].len > len - w ? part[0].len -
		    (len - w) : 0);
	for (col = EC_SRC; col <= EC_DPORT; col++) {
		i = (size_t)(col - EC_SRC);
		if (col == EC_DST)
			buf_adds(b, " > ");
		if (i % 2 == 1 && part[i].len > 0)
			buf_addc(b, ':');
		c->at[col] = b->len;
		buf_add(b, part[i].s, part[i].len);
		c->end[col] = b->len;
		buf_free(&part[i]);
	}
	if (b->len > base + w)
		b->s[b->len = base + w] = '\0';
	while (b->len < base + w)
		buf_addc(b, ' ');
	for (col = EC_SRC; col <= EC_DPORT; col++) {
		c->at[col] = c->at[col] > base + w ? base + w : c->at[col];
		c->end[col] = c->end[col] > base + w ? base + w : c->end[col];
	}
}

/* Append one number cell, right-aligned in w columns, unless the layout
 * leaves it out. */
static void
events_num(struct buf *b, struct events_cells *c,
    const struct events_layout *l, int col, int w, unsigned long long n)
{
	c->at[col] = c->end[col] = b->len;
	if (!l->shown[col])
		return;
	buf_addc(b, ' ');
	c->at[col] = b->len;
	buf_printf(b, "%*llu", w, n);
	c->end[col] = b->len;
}

/*
 * Append extra column j: its key's first value and "+N" for N more, the
 * value cut with "~" to the column's width, padded to it.
 */
static void
events_extra(struct ui *u, struct buf *b, uint64_t id, size_t j,
    struct events_cells *c)
{
	const struct meta_reader *r = events_reader(u);
	struct mval	 v;
	struct buf	 t;
	char		 more[24] = "";
	size_t		 n, cell = EC_N + j;
	int		 w = events_xw(u, j), room;

	buf_init(&t);
	if ((n = r->values(r, id, u->ev.xkeys[j], &v, 1)) > 0)
		mval_format(&t, &v);
	if (n > 1)
		snprintf(more, sizeof more, "+%zu", n - 1);
	room = w - (int)strlen(more) > 2 ? w - (int)strlen(more) : 2;
	buf_addc(b, ' ');
	c->at[cell] = b->len;
	if (t.len > 0 && draw_width(t.s, t.len) > room) {
		buf_add(b, t.s, draw_fit(t.s, t.len, room - 1));
		buf_addc(b, '~');
	} else if (t.len > 0)
		buf_add(b, t.s, t.len);
	buf_adds(b, more);
	for (n = (size_t)draw_width(b->s + c->at[cell], b->len - c->at[cell]);
	    n < (size_t)w; n++)
		buf_addc(b, ' ');
	c->end[cell] = b->len;
	buf_free(&t);
}

/*
 * A row's text into b (item: a sessionid, or an open session through
 * u->ev.rd, then s is that session), noting where its cells are.
 */
static void
events_text(struct ui *u, struct buf *b, uint64_t id, const struct session *s,
    bool sel, struct events_cells *cells)
{
	struct events_cells c;
	struct events_layout l;
	struct buf	 t;
	int		 hk = meta_find("analysis.session", 16);
	size_t		 i;

	events_layout(u, &l);
	buf_init(&t);
	events_values(u, &t, id, K_TIME);
	if (t.len > 10)
		t.s[10] = ' ';
	if (u->ev.rd != NULL)
		buf_adds(b, "    open ");
	else
		buf_printf(b, "%c%c%6llu ", sel ? '>' : ' ',
		    events_marked(&u->ev, id) ? '*' : ' ',
		    (unsigned long long)view_sel_number(&u->view, id));
	c.at[EC_TIME] = b->len;
	if (l.date)
		buf_printf(b, "%-19.19s", t.s);
	else
		buf_printf(b, "%-8.8s", t.len > 11 ? t.s + 11 : t.s);
	c.end[EC_TIME] = b->len;
	buf_addc(b, ' ');
	events_ends(u, b, id, &c);
	events_num(b, &c, &l, EC_PROTO, 3, s->proto);
	events_num(b, &c, &l, EC_SERVICE, 5, s->service);
	events_num(b, &c, &l, EC_SIZE, 10, (unsigned long long)s->size);
	events_num(b, &c, &l, EC_PACKETS, 6, (unsigned long long)s->packets);
	for (i = 0; i < u->ev.nx; i++)
		events_extra(u, b, id, i, &c);
	buf_addc(b, ' ');
	c.at[EC_ALERT] = b->len;
	if (hk != -1)
		events_values(u, b, id, hk);
	c.end[EC_ALERT] = b->len > c.at[EC_ALERT] ? b->len : b->len + 1;
	buf_free(&t);
	if (cells != NULL)
		*cells = c;
}

/* Draw one session's row; the selected one shows its chosen cell. */
static void
events_row(struct ui *u, int y, uint64_t id, bool sel)
{
	struct session	 buf;
	const struct session *s = view_sel_get(&u->view, id, &buf);
	struct events_cells c;
	struct buf	 b;
	int		 col = events_chosen(u), x;

	if (s == NULL)
		return;
	buf_init(&b);
	events_text(u, &b, id, s, sel, &c);
	if (sel)
		draw_fill(y, ROLE_SELECTED);
	draw_text(y, 0, COLS, sel ? ROLE_SELECTED : events_marked(&u->ev,
	    id) ? ROLE_MARK : ROLE_VALUE, b.s);
	/* Cells are in bytes; the screen is in columns. */
	if (sel && col >= 0 && c.at[col] < b.len &&
	    (x = draw_width(b.s, c.at[col])) < COLS)
		draw_text(y, x, draw_width(b.s + c.at[col], c.end[col] -
		    c.at[col]), ROLE_NORMAL, b.s + c.at[col]);
	buf_free(&b);
}

/* The most open sessions listed. */
#define EV_OPEN_MAX	64

/* Walk state for the open sessions' rows. */
struct events_walk {
	struct ui		*u;
	struct meta_reader	 r;
	size_t			 n;
};

/* One open session: its row when it is on the path. */
static void
events_open_one(struct session *s, void *arg)
{
	struct events_walk	*w = arg;
	struct ui		*u = w->u;
	struct session		 c = *s;	/* read as if it closed now */
	uint64_t		 item = (uint64_t)(uintptr_t)&c;
	struct buf		 b;

	c.initiator = (int8_t)session_initiator(s);
	if (w->n >= EV_OPEN_MAX || !view_sel_match(&u->view, &w->r, item))
		return;
	buf_init(&b);
	events_text(u, &b, item, &c, false, NULL);
	u->ev.open[w->n++] = buf_take(&b);
}

/*
 * Make the rows of open sessions on the path (a live capture, the gate
 * held: the engine is quiet), or drop them once the capture ended.
 */
void
events_open_rows(struct ui *u)
{
	struct events_walk	 w = { u, { 0 }, 0 };
	size_t			 i;

	for (i = 0; i < u->ev.nopen; i++)
		free(u->ev.open[i]);
	u->ev.nopen = 0;
	if (!hunt_gate_held(u->h))
		return;
	if (u->ev.open == NULL)
		u->ev.open = xcalloc(EV_OPEN_MAX, sizeof *u->ev.open);
	session_reader_init(&w.r, view_sel_ctx(&u->view));
	u->ev.rd = &w.r;
	engine_open_walk(u->eng, events_open_one, &w, 4 * EV_OPEN_MAX);
	u->ev.rd = NULL;
	u->ev.nopen = w.n;
}

/* Append a header cell of w columns (negative: left-aligned) unless the
 * layout leaves its column out. */
static void
events_head(struct buf *b, const struct events_layout *l, int col, int w,
    const char *name)
{
	if (l->shown[col])
		buf_printf(b, " %*s", w, name);
}

/* The header: the columns with the sort's arrow. */
static void
events_header(struct ui *u, int y)
{
	static const char *const cols[] = { "time", "size", "pkts", "svc",
	    "pro" };
	bool		 up = (u->ev.sort == EV_TIME) != u->ev.rev;
	const char	*arrow = u->ascii ? (up ? "^" : "v") : (up ? "\u25b4" :
			    "\u25be");
	char		 name[EV_NSORT][16];
	int		 w[EV_NSORT] = { -19, 10, 6, 5, 3 }, i, xw;
	struct events_layout l;
	struct buf	 b;
	size_t		 j;
	const char	*xn;

	events_layout(u, &l);
	if (!l.date)
		w[EV_TIME] = -8;
	for (i = 0; i < EV_NSORT; i++) {
		snprintf(name[i], sizeof name[i], "%s%s", cols[i], i ==
		    u->ev.sort ? arrow : "");
		/* The arrow is one column, whatever its bytes. */
		if (i == u->ev.sort)
			w[i] += (w[i] < 0 ? -1 : 1) * (int)(strlen(arrow) - 1);
	}
	buf_init(&b);
	buf_printf(&b, "  %6s %*s %-*s", "id", w[EV_TIME], name[EV_TIME],
	    l.epw, "endpoints");
	events_head(&b, &l, EC_PROTO, w[EV_PROTO], name[EV_PROTO]);
	events_head(&b, &l, EC_SERVICE, w[EV_SERVICE], name[EV_SERVICE]);
	events_head(&b, &l, EC_SIZE, w[EV_SIZE], name[EV_SIZE]);
	events_head(&b, &l, EC_PACKETS, w[EV_PACKETS], name[EV_PACKETS]);
	/* The extra columns: each key's name, cut with "~" to fit. */
	for (j = 0; j < u->ev.nx; j++) {
		xn = meta_key(u->ev.xkeys[j])->name;
		xw = events_xw(u, j);
		if ((int)strlen(xn) > xw)
			buf_printf(&b, " %.*s~", xw - 1, xn);
		else
			buf_printf(&b, " %-*s", xw, xn);
	}
	buf_adds(&b, " analysis.session");
	draw_text(y, 0, COLS, ROLE_HEADER, b.s);
	buf_free(&b);
}

/* The pane's last line: where the cursor is ("row 3 of 18") and which
 * cell pivots act on. */
static void
events_where(struct ui *u, int y)
{
	struct buf	 b;
	int		 k = -1;

	buf_init(&b);
	if (u->ev.col > 0 && u->ev.n > 0 && (k = events_cell_key(u,
	    u->ev.ids[u->ev.cur], events_chosen(u))) >= 0)
		buf_printf(&b, " %s: Enter drills, ! its negation, p a new "
		    "path ", meta_key(k)->name);
	buf_printf(&b, " row %zu of %zu%s", u->ev.n > 0 ? u->ev.cur + 1 : 0,
	    u->ev.n, u->ev.n < u->view.nmatch && u->view.remote != NULL ?
	    " listed (Down: more)" : "");
	/* Too long (compact): the cell's key and the row only. */
	if (draw_width(b.s, b.len) > COLS && k >= 0) {
		buf_reset(&b);
		buf_printf(&b, " %s  row %zu of %zu", meta_key(k)->name,
		    u->ev.cur + 1, u->ev.n);
	}
	draw_text(y, COLS > (int)b.len ? COLS - (int)b.len : 0, (int)b.len,
	    ROLE_COUNT, b.s);
	buf_free(&b);
}

/* Draw the pane in h lines from line top. */
void
events_draw(struct ui *u, int top, int h)
{
	struct events	*e = &u->ev;
	size_t		 i;

	events_build(u);
	events_header(u, top);
	if (h > 3) {
		events_where(u, top + h - 1);
		h--;
	}
	h--;
	top++;
	/* Open sessions first, a third of the pane at most. */
	for (i = 0; i < e->nopen && (int)i < h / 3; i++)
		draw_text(top++, 0, COLS, ROLE_DIM, e->open[i]);
	h -= (int)i;
	if (e->n == 0) {
		draw_text(top, 2, COLS - 2, ROLE_DIM,
		    "no session matches the path");
		return;
	}
	draw_scroll(&e->top, e->cur, e->cur, h);
	for (i = e->top; i < e->n && i < e->top + (size_t)h; i++)
		events_row(u, top + (int)(i - e->top), e->ids[i], i == e->cur);
}

/* Move the cursor. */
void
events_move(struct ui *u, int d)
{
	struct events	*e = &u->ev;

	events_build(u);
	if (d > 0 && e->n > 0 && e->cur + (size_t)d >= e->n &&
	    view_sel_more(&u->view)) {	/* over a store: the next page */
		e->gen = 0;
		events_build(u);
	}
	if (d < 0)
		e->cur = (size_t)-d > e->cur ? 0 : e->cur - (size_t)-d;
	else if (e->n > 0)
		e->cur = e->cur + (size_t)d >= e->n ? e->n - 1 :
		    e->cur + (size_t)d;
	u->dirty |= DIRTY_SCREEN;
}

/* Mark or unmark the session under the cursor and step down. */
void
events_mark(struct ui *u)
{
	struct events	*e = &u->ev;
	uint64_t	 id, ncap;

	events_build(u);
	if (e->n == 0)
		return;
	id = e->ids[e->cur];
	if (id >= e->markcap) {
		ncap = (id + 4096) & ~(uint64_t)63;
		e->marks = xrealloc(e->marks, ncap / 8);
		memset((char *)e->marks + e->markcap / 8, 0,
		    (ncap - e->markcap) / 8);
		e->markcap = ncap;
	}
	e->marks[id / 64] ^= (uint64_t)1 << (id % 64);
	e->nmarks += events_marked(e, id) ? 1 : -1;
	events_move(u, 1);
}

/* Unmark every session. */
void
events_unmark_all(struct ui *u)
{
	struct events	*e = &u->ev;
	uint64_t	 n = e->nmarks;

	if (e->markcap > 0)
		memset(e->marks, 0, e->markcap / 8);
	e->nmarks = 0;
	ui_message(u, ROLE_NORMAL, "unmarked %llu session%s",
	    (unsigned long long)n, n == 1 ? "" : "s");
	u->dirty |= DIRTY_SCREEN;
}

/* How many marked sessions the path does not hold (a path change hid
 * them; they stay marked and are exported). */
uint64_t
events_marks_hidden(const struct ui *u)
{
	const struct events	*e = &u->ev;
	uint64_t		 w, bits, id, n = 0;

	if (e->nmarks == 0 || !u->view.indexed)
		return (0);
	for (w = 0; w < e->markcap / 64; w++) {
		for (bits = e->marks[w]; bits != 0; bits &= bits - 1) {
			id = w * 64 + (uint64_t)__builtin_ctzll(bits);
			n += !view_sel_has(&u->view, id);
		}
	}
	return (n);
}

/* Cycle the sort column. */
void
events_sort(struct ui *u)
{
	u->ev.sort = (u->ev.sort + 1) % EV_NSORT;
	u->ev.gen = 0;
	u->ev.cur = u->ev.top = 0;
	ui_message(u, ROLE_NORMAL, "sessions sorted by %s",
	    events_sort_names[u->ev.sort]);
}

/* Open a session in the Session pane (over a store, as it names it). */
static void
events_session(struct ui *u, uint64_t id)
{
	struct view_ref	 ref;

	if (u->view.remote == NULL)
		spane_open(u, id);
	else if (view_sel_ref(&u->view, id, &ref))
		spane_open_ref(u, u->view.remote, &ref);
}

/* Open the session under the cursor. */
void
events_open(struct ui *u)
{
	events_build(u);
	if (u->ev.n > 0)
		events_session(u, u->ev.ids[u->ev.cur]);
}

/* Sort the other way round (r). */
void
events_reverse(struct ui *u)
{
	u->ev.rev = !u->ev.rev;
	u->ev.gen = 0;
	u->ev.cur = u->ev.top = 0;
	ui_message(u, ROLE_NORMAL, "sessions sorted by %s, %s",
	    events_sort_names[u->ev.sort], u->ev.sort == EV_TIME ? (u->ev.rev ?
	    "newest first" : "oldest first") : u->ev.rev ? "smallest first" :
	    "largest first");
}

/* Choose the cell pivots act on (Left, Right); left of the first, none:
 * Enter opens the session again. */
void
events_cell(struct ui *u, int d)
{
	struct events	*e = &u->ev;
	struct events_layout l;

	events_layout(u, &l);
	e->col += d;
	while (e->col > 0 && e->col < EC_N && !l.shown[e->col - 1])
		e->col += d;	/* a cell the layout leaves out */
	if (e->col < 0)
		e->col = 0;
	if (e->col > EC_N + (int)e->nx)
		e->col = EC_N + (int)e->nx;
	u->dirty |= DIRTY_SCREEN;
}

/* Enter, ! or p in Events: pivot on the chosen cell, or (Enter, no cell
 * chosen) open the session. */
void
events_enter(struct ui *u, enum pivot_how how)
{
	struct events	*e = &u->ev;
	uint64_t	 id;

	events_build(u);
	if (e->n == 0)
		return;
	id = e->ids[e->cur];
	if (e->col == 0) {
		if (how == PIVOT_DRILL)
			events_session(u, id);
		else
			ui_message(u, ROLE_NORMAL, "choose a cell with Left and "
			    "Right to pivot on it");
		return;
	}
	pivot_go(u, id, events_cell_key(u, id, events_chosen(u)), how);
}

/* The extra columns' keys from console.columns (read when the settings
 * were, so only a key not there then could fail). */
void
events_columns_init(struct ui *u)
{
	const char	*v = u->opt->cfg->console_columns;
	size_t		 at;
	char		*cause;

	if (v != NULL && !engine_config_keys(v, u->ev.xkeys, &u->ev.nx, &at,
	    &cause)) {
		ui_message(u, ROLE_ERROR, "console.columns: %s", cause);
		free(cause);
		u->ev.nx = 0;
	}
}

/* The extra columns' key names joined by ","; caller frees. */
static char *
events_columns_text(const struct ui *u)
{
	struct buf	 b;
	size_t		 j;

	buf_init(&b);
	for (j = 0; j < u->ev.nx; j++) {
		if (j > 0)
			buf_addc(&b, ',');
		buf_adds(&b, meta_key(u->ev.xkeys[j])->name);
	}
	return (buf_take(&b));
}

/*
 * The columns prompt's answer: show those columns, and write them to the
 * config file as console.columns (when that fails, the message says why
 * and they are shown until the console ends).
 */
static bool
events_columns_line(struct ui *u, const char *line, void *arg)
{
	int	 keys[ENGINE_KEYS_MAX];
	size_t	 n, at;
	char	*cause, *text, *path;

	(void)arg;
	if (!engine_config_keys(line, keys, &n, &at, &cause)) {
		prompt_error(u, at + 1, "%s", cause);
		free(cause);
		return (false);
	}
	memcpy(u->ev.xkeys, keys, n * sizeof *keys);
	u->ev.nx = n;
	if (u->ev.col > EC_ALERT)
		u->ev.col = 0;
	text = events_columns_text(u);
	path = datadir_config("huntcon.conf");
	if (engine_config_save(path, "console.columns", text, &cause))
		ui_message(u, ROLE_NORMAL, "columns: %s (saved in %s)",
		    *text != '\0' ? text : "none", esc_str(path));
	else {
		ui_message(u, ROLE_ERROR, "columns not saved: %s (shown until "
		    "you quit)", cause);
		free(cause);
	}
	free(path);
	free(text);
	u->dirty |= DIRTY_SCREEN;
	return (true);
}

/* C in Events: choose the extra columns at a prompt (Tab completes). */
void
events_columns(struct ui *u)
{
	char	*text = events_columns_text(u);

	prompt_ask(u, PROMPT_KEYS, "columns: ", text, events_columns_line,
	    NULL);
	free(text);
}
