/* events.c - the Events pane: the sessions of the current path in a
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

/* The sort measure of a session. */
static uint64_t
events_measure(const struct session *s, int sort)
{
	switch (sort) {
	case EV_SIZE: return (s->size);
	case EV_PACKETS: return (s->packets);
	case EV_SERVICE: return (s->service);
	case EV_PROTO: return (s->proto);
	default: return (s->t_first);
	}
}

/* A session to sort: the chosen column's measure and its id. */
struct events_key {
	uint64_t	 m, id;
};

/* Compare by the chosen column (largest first but time), then id. */
static int
events_cmp(const void *a, const void *b, void *arg)
{
	const struct events_key	*x = a, *y = b;
	const struct ui		*u = arg;

	if (x->m != y->m) {
		if (u->ev.sort == EV_TIME)
			return (x->m < y->m ? -1 : 1);
		return (x->m > y->m ? -1 : 1);
	}
	return (x->id < y->id ? -1 : x->id > y->id);
}

/* Collect the matching ids when the set changed. */
static void
events_build(struct ui *u)
{
	struct events		*e = &u->ev;
	struct events_key	*k;
	struct session		 buf;
	const struct session	*s;
	uint64_t		 id;
	size_t			 i, n = 0;

	if (e->gen == u->view.gen && e->ids != NULL)
		return;
	/* Each session is unpacked once, not at every comparison. */
	k = xreallocarray(NULL, u->view.nmatch + 1, sizeof *k);
	for (id = 1; id < u->view.cap && n < u->view.nmatch; id++) {
		if (ui_view_has(&u->view, id) &&
		    (s = store_get(u->st, id, &buf)) != NULL) {
			k[n].m = events_measure(s, e->sort);
			k[n++].id = id;
		}
	}
	qsort_r(k, n, sizeof *k, events_cmp, u);
	e->ids = xreallocarray(e->ids, n + 1, sizeof *e->ids);
	for (i = 0; i < n; i++)
		e->ids[i] = k[i].id;
	e->n = n;
	free(k);
	e->gen = u->view.gen;
	if (e->cur >= e->n)
		e->cur = e->n > 0 ? e->n - 1 : 0;
}

/* Append the first values of a key, comma-joined. */
static void
events_values(struct ui *u, struct buf *b, uint64_t id, int key)
{
	const struct meta_reader *r = store_reader(u->st);
	struct mval	 v[8];
	size_t		 n, i;

	n = r->values(r, id, key, v, nitems(v));
	for (i = 0; i < n && i < nitems(v); i++) {
		if (i > 0)
			buf_addc(b, ',');
		mval_format(b, &v[i]);
	}
}

/* Append "addr:port" of one end (src or dst). */
static void
events_end(struct ui *u, struct buf *b, uint64_t id, bool dst)
{
	size_t	 at = b->len;

	events_values(u, b, id, dst ? K_IP_DST : K_IP_SRC);
	if (b->len == at)
		events_values(u, b, id, dst ? K_IPV6_DST : K_IPV6_SRC);
	at = b->len;
	buf_addc(b, ':');
	events_values(u, b, id, dst ? K_TCP_DSTPORT : K_TCP_SRCPORT);
	if (b->len == at + 1)
		events_values(u, b, id, dst ? K_UDP_DSTPORT : K_UDP_SRCPORT);
	if (b->len == at + 1)
		b->s[--b->len] = '\0';
}

/* Width of the endpoints column. */
static int
events_epw(void)
{
	int	 w = COLS - 46;

	return (w > 44 ? 44 : w < 20 ? 20 : w);
}

/* Draw one session's row. */
static void
events_row(struct ui *u, int y, uint64_t id, bool sel)
{
	struct session	 buf;
	const struct session *s = store_get(u->st, id, &buf);
	struct buf	 b, t;
	int		 hk = meta_find("analysis.session", 16);

	buf_init(&b);
	buf_init(&t);
	events_values(u, &t, id, K_TIME);
 	buf_printf(&b, "%c%c%6llu %-8.8s ", sel ? '>' : ' ',
	    events_marked(&u->ev, id) ? '*' : ' ', (unsigned long long)id, t.s + (t.len > 11 ? 11 : 0));
	buf_reset(&t);
	events_end(u, &t, id, false);
	buf_adds(&t, " > ");
	events_end(u, &t, id, true);
	buf_printf(&b, "%-*.*s %3u %5u %10llu %6llu ", events_epw(), events_epw(),
	    t.s, s->proto,
	    s->service, (unsigned long long)s->size,
	    (unsigned long long)s->packets);
	if (hk != -1)
		events_values(u, &b, id, hk);
	if (sel)
		draw_fill(y, ROLE_SELECTED);
	draw_text(y, 0, COLS, sel ? ROLE_SELECTED : events_marked(&u->ev,
	    id) ? ROLE_MARK : ROLE_VALUE, b.s);
	buf_free(&t);
	buf_free(&b);
}

/* Draw the pane in h lines from line top. */
void
events_draw(struct ui *u, int top, int h)
{
	struct events	*e = &u->ev;
	char		 s[160];
	size_t		 i;

	events_build(u);
	snprintf(s, sizeof s, "  %6s %-8s %-*s %3s %5s %10s %6s %s",
	    "id", "time", events_epw(), "endpoints", "pro", "svc", "size", "pkts",
	    "analysis.session");
	draw_text(top, 0, COLS, ROLE_HEADER, s);
	h--;
	top++;
	if (e->n == 0) {
		draw_text(top, 2, COLS - 2, ROLE_DIM,
		    "no session matches the path");
		return;
	}
	if (e->cur < e->top)
		e->top = e->cur;
	if (e->cur >= e->top + (size_t)h)
		e->top = e->cur - (size_t)h + 1;
	for (i = e->top; i < e->n && i < e->top + (size_t)h; i++)
		events_row(u, top + (int)(i - e->top), e->ids[i], i == e->cur);
}

/* Move the cursor. */
void
events_move(struct ui *u, int d)
{
	struct events	*e = &u->ev;

	events_build(u);
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
	size_t			 lo, hi, mid;

	if (e->nmarks == 0 || !u->view.indexed)
		return (0);
	for (w = 0; w < e->markcap / 64; w++) {
		for (bits = e->marks[w]; bits != 0; bits &= bits - 1) {
			id = w * 64 + (uint64_t)__builtin_ctzll(bits);
			for (lo = 0, hi = u->view.nids; lo < hi;) {
				mid = (lo + hi) / 2;
				if (u->view.ids[mid] < id)
					lo = mid + 1;
				else
					hi = mid;
			}
			n += lo == u->view.nids || u->view.ids[lo] != id;
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

/* Open the session under the cursor. */
void
events_open(struct ui *u)
{
	events_build(u);
	if (u->ev.n > 0)
		sview_open(u, u->ev.ids[u->ev.cur]);
}
