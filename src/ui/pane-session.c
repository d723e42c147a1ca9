/* pane-session.c - the Session pane: all meta of one session, the other
 * fragments of a split conversation, and every packet with every byte:
 * its frame number in its file, date and time with the offset from the
 * session's start, direction and length, then a hex and ASCII dump, (t)
 * its payload as text or (d) what its DNS, HTTP head or TLS hello says
 * (parse_show(), as --packets --decoded); or (r) the request/response
 * text: the
 * initiator's payload, then the responder's, joined.  The view gives
 * the session and its packets (view/session.h), asked for lazily, a
 * window around the ones on screen; this file only formats them.  Every
 * byte is escaped. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <curses.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "batch/batch.h"
#include "rules/rules.h"
#include "ui/ui-int.h"
#include "view/session.h"

#define SV_WINDOW	512		/* packets formatted at a time */
#define SV_BEFORE	128		/* of them before the one asked for */
#define SV_FAR		1000000		/* a move this long: Home or End */
#define SV_UNREAD	(-2)		/* a packet's side until it is read */

static void	spane_count(struct buf *, uint64_t);

/* What the window's packets, as the view gives them, make. */
struct spane_read {
	struct ui		*u;
	size_t			 lo;		/* the window's first packet */
	struct spane_lines	*win;
	struct buf		 b;
	/*
	 * The request/response text: the window before this one is asked
	 * first (its packets come before lo) for the line its last packets
	 * began; then each side's line so far, whether a line ended (lf)
	 * and the window's last packet of each side (+1; 0: none).
	 */
	bool			 inwin;
	struct buf		 cur[2];
	bool			 lf[2];
	size_t			 last[2];
};

/* Free a block's lines. */
static void
spane_lines_free(struct spane_lines *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		free(l->line[i]);
	free(l->line);
	free(l->role);
	memset(l, 0, sizeof *l);
}

/* Add a line (already escaped) to a block. */
static void
spane_lines_add(struct spane_lines *l, enum ui_role role, const char *s)
{
	l->line = xreallocarray(l->line, l->n + 1, sizeof *l->line);
	l->role = xreallocarray(l->role, l->n + 1, sizeof *l->role);
	l->line[l->n] = xstrdup(s);
	l->role[l->n++] = (uint8_t)role;
}

/* Drop the window of formatted packets. */
static void
spane_window_free(struct spane *v)
{
	size_t	 i;

	for (i = 0; i < v->wn; i++)
		spane_lines_free(&v->win[i]);
	free(v->win);
	v->win = NULL;
	v->wlo = v->wn = 0;
}

/* Free everything. */
void
spane_free(struct spane *v)
{
	struct spane_lines	 head = { v->line, v->role, v->n, 0 };

	spane_lines_free(&head);
	spane_window_free(v);
	if (v->view != NULL)
		view_session_free(v->view, &v->vs);
	view_free(&v->own);
	free(v->hkey);
	memset(v, 0, sizeof *v);
}

/* Add a line (already escaped) to the head. */
static void
spane_add(struct spane *v, enum ui_role role, const char *s)
{
	struct spane_lines	 head = { v->line, v->role, v->n, 0 };

	spane_lines_add(&head, role, s);
	v->line = head.line;
	v->role = head.role;
	v->n = head.n;
	v->hkey = xreallocarray(v->hkey, v->n, sizeof *v->hkey);
	v->hkey[v->n - 1] = -1;
}

/* Every key that has values, with them. */
static void
spane_meta(struct ui *u)
{
	const struct meta_reader *r = u->sv.vs.r;
	uint64_t	 id = u->sv.vs.id;
	struct mval	 small[32], *v;
	struct buf	 b;
	size_t		 n, i;
	int		 k;

	buf_init(&b);
	for (k = 0; k < meta_nkeys(); k++) {
		if ((n = r->values(r, id, k, small, nitems(small))) == 0)
			continue;
		v = small;
		if (n > nitems(small)) {
			v = xreallocarray(NULL, n, sizeof *v);
			n = r->values(r, id, k, v, n);
		}
		buf_reset(&b);
		buf_printf(&b, "  %-20s ", meta_key(k)->name);
		for (i = 0; i < n; i++) {
			if (i > 0)
				buf_adds(&b, ", ");
			mval_format(&b, &v[i]);
		}
		spane_add(&u->sv, ROLE_VALUE, b.s);
		u->sv.hkey[u->sv.n - 1] = k;
		if (v != small)
			free(v);
	}
	buf_free(&b);
}

/* A figure of a group, "-" when it has none (NAN). */
static void
spane_figure(struct buf *b, const char *label, double x, const char *fmt)
{
	buf_adds(b, label);
	if (isnan(x))
		buf_addc(b, '-');
	else
		buf_printf(b, fmt, x);
}

/* One group that flagged the session: its rule and key values, then its
 * figures as --groups prints them. */
static void
spane_group(struct ui *u, struct buf *b, const struct corr_figures *g)
{
	const char	*rule = rules_name(u->reprs, g->rule);
	struct mval	 t;

	buf_reset(b);
	buf_adds(b, "  ");
	esc_text(b, rule, strlen(rule));
	buf_printf(b, ": %s", g->group);
	spane_add(&u->sv, ROLE_VALUE, b->s);
	buf_reset(b);
	buf_printf(b, "    sessions %llu  distinct %s  size %llu  payload %llu",
	    (unsigned long long)g->sessions, g->distinct[0] != '\0' ?
	    g->distinct : "-", (unsigned long long)g->size,
	    (unsigned long long)g->payload);
	spane_figure(b, "  rate ", g->rate, "%.2f");
	spane_figure(b, "  interval ", g->interval, "%.3f");
	spane_figure(b, "  cv ", g->cv, "%.4f");
	spane_add(&u->sv, ROLE_VALUE, b->s);
	memset(&t, 0, sizeof t);
	t.type = MT_TIME;
	t.u = g->first;
	buf_reset(b);
	buf_adds(b, "    from ");
	mval_format(b, &t);
	t.u = g->last;
	buf_adds(b, " to ");
	mval_format(b, &t);
	spane_add(&u->sv, ROLE_DIM, b->s);
}

/* The correlation groups that flagged the session, with their figures. */
static void
spane_groups(struct ui *u, uint64_t id)
{
	const struct corr_figures *g[64];
	struct buf	 b;
	size_t		 n, i;

	if (u->rep == NULL || (n = rules_report_groups(u->rep, id, g,
	    nitems(g))) == 0)
		return;
	spane_add(&u->sv, ROLE_HEADER, "correlation groups that flagged it "
	    "(rule: group; rate a minute, interval in seconds)");
	buf_init(&b);
	for (i = 0; i < n && i < nitems(g); i++)
		spane_group(u, &b, g[i]);
	buf_free(&b);
}

/* The other fragments of a split conversation. */
static void
spane_fragments(struct ui *u)
{
	const struct view_session	*vs = &u->sv.vs;
	const struct view_fragment	*f;
	struct buf			 b;
	size_t				 i;

	if (vs->frag == NULL)
		return;
	spane_add(&u->sv, ROLE_HEADER, "fragments of this conversation");
	buf_init(&b);
	for (i = 0; i < vs->nfrag; i++) {
		f = &vs->frag[i];
		buf_reset(&b);
		buf_printf(&b, "  %c session %llu  split %u  %llu bytes  %llu "
		    "packets", f->self ? '>' : ' ', (unsigned long long)f->id,
		    f->split, (unsigned long long)f->size,
		    (unsigned long long)f->packets);
		spane_add(&u->sv, ROLE_VALUE, b.s);
	}
	buf_free(&b);
}

/* A hex and ASCII dump of every captured byte, 16 a line. */
static void
spane_hex(struct spane_lines *l, const uint8_t *p, size_t n)
{
	size_t	 i, j;
	char	 line[96];
	int	 at;

	for (i = 0; i < n; i += 16) {
		at = snprintf(line, sizeof line, "    %04zx  ", i);
		for (j = 0; j < 16; j++)
			at += snprintf(line + at, sizeof line - (size_t)at,
			    i + j < n ? "%02x " : "   ", i + j < n ? p[i + j] :
			    0);
		line[at++] = ' ';
		for (j = 0; j < 16 && i + j < n; j++)
			line[at++] = p[i + j] >= 0x20 && p[i + j] < 0x7f ?
			    (char)p[i + j] : '.';
		line[at] = '\0';
		spane_lines_add(l, ROLE_VALUE, line);
	}
}

/* Add an escaped line in pieces of at most w columns, never cutting an
 * escape ("\\xNN", "\\n") or a UTF-8 character; every byte is kept. */
static void
spane_wrap(struct spane_lines *l, const char *s, size_t w)
{
	struct buf	 b;
	size_t		 n = strlen(s), i = 0, cols, unit;

	buf_init(&b);
	do {
		buf_reset(&b);
		buf_adds(&b, "    ");
		for (cols = 0; i < n; i += unit) {
			unit = 1;
			if (s[i] == '\\')
				unit = i + 1 < n && s[i + 1] == 'x' ? 4 : 2;
			else if ((s[i] & 0xc0) == 0xc0)
				while (i + unit < n && (s[i + unit] & 0xc0) ==
				    0x80)
					unit++;
			if (unit > n - i)
				unit = n - i;
			if (cols + ((s[i] & 0xc0) == 0xc0 ? 2 : unit) > w &&
			    cols > 0)
				break;
			buf_add(&b, s + i, unit);
			cols += (s[i] & 0xc0) == 0xc0 ?
			    (size_t)draw_width(s + i, unit) : unit;
		}
		spane_lines_add(l, ROLE_VALUE, b.s);
	} while (i < n);
	buf_free(&b);
}

/* What the payload says (parse_show()'s lines, escaped there), wrapped;
 * a dim line when nothing in it is known. */
static void
spane_decoded(struct spane_lines *l, struct buf *b,
    const struct view_packet *p)
{
	char	*line, *lf;

	buf_reset(b);
	if (!p->decoded || p->nshow == 0) {
		spane_lines_add(l, ROLE_DIM, !p->decoded || p->payload_caplen ==
		    0 ? "    (no payload)" : "    (nothing decoded: not DNS, "
		    "an HTTP head or a TLS hello)");
		return;
	}
	buf_adds(b, p->show);
	for (line = b->s; (lf = strchr(line, '\n')) != NULL; line = lf + 1) {
		*lf = '\0';
		spane_wrap(l, line, COLS > 24 ? (size_t)COLS - 5 : 20);
	}
}

/* The payload as text: split at LF, each line escaped. */
static void
spane_text(struct spane_lines *l, struct buf *b, const uint8_t *p, size_t n)
{
	size_t	 i, start = 0;

	if (n == 0) {
		spane_lines_add(l, ROLE_DIM, "    (no payload)");
		return;
	}
	for (i = 0; i <= n; i++) {
		if (i < n && p[i] != '\n')
			continue;
		if (i == n && start == n)
			break;
		buf_reset(b);
		esc_text(b, p + start, i - start);
		spane_wrap(l, b->s, COLS > 24 ? (size_t)COLS - 5 : 20);
		start = i + 1;
	}
}

/* One line of the request/response text, escaped and wrapped. */
static void
spane_line(struct spane_lines *l, struct buf *b, const void *p, size_t n)
{
	buf_reset(b);
	esc_text(b, p, n);
	spane_wrap(l, b->s, COLS > 24 ? (size_t)COLS - 5 : 20);
}

/* The window before: keep what follows the side's last line break. */
static void
spane_carry(struct spane_read *r, int s, const struct view_packet *d)
{
	const uint8_t	*nl = memrchr(d->payload, '\n', d->payload_caplen);
	size_t		 n = d->payload_caplen;

	if (d->payload_caplen < d->payload_len) {
		buf_reset(&r->cur[s]);	/* a cut packet ends its line */
		r->lf[s] = true;
	} else if (nl != NULL) {
		buf_reset(&r->cur[s]);
		buf_add(&r->cur[s], nl + 1, n - (size_t)(nl + 1 - d->payload));
		r->lf[s] = true;
	} else if (r->lf[s])
		buf_add(&r->cur[s], d->payload, n);
}

/* Into the window: a side's line carried in only when the window before
 * ended one (else it showed all its text itself). */
static void
spane_enter(struct spane_read *r)
{
	int	 s;

	if (r->inwin)
		return;
	for (s = 0; s < 2; s++) {
		if (!r->lf[s])
			buf_reset(&r->cur[s]);
		r->lf[s] = false;
	}
	r->inwin = true;
}

/* A packet's payload joined to its side's text: each line that ends in
 * it goes to its block; a cut payload ends the line and says so. */
static void
spane_join(struct spane_read *r, struct spane_lines *l, int s,
    const struct view_packet *d)
{
	struct buf	*c = &r->cur[s];
	size_t		 i, start = 0;
	char		*note;

	for (i = 0; i < d->payload_caplen; i++) {
		if (d->payload[i] != '\n')
			continue;
		buf_add(c, d->payload + start, i - start);
		spane_line(l, &r->b, c->s, c->len);
		buf_reset(c);
		r->lf[s] = true;
		start = i + 1;
	}
	buf_add(c, d->payload + start, d->payload_caplen - start);
	if (d->payload_caplen < d->payload_len) {
		if (c->len > 0)
			spane_line(l, &r->b, c->s, c->len);
		buf_reset(c);
		r->lf[s] = true;
		xasprintf(&note, "    (%u bytes not captured)",
		    d->payload_len - d->payload_caplen);
		spane_lines_add(l, ROLE_DIM, note);
		free(note);
	}
}

/* Say why a packet could not be read again (the view's phrase). */
static void
spane_unread(struct spane_lines *l, const struct view_packet *p)
{
	char	*s;

	xasprintf(&s, "  packet %zu: %s", p->k + 1, p->why);
	l->side = -1;
	spane_lines_add(l, ROLE_WARNING, s);
	free(s);
}

/* A packet given for the request/response text. */
static void
spane_stream(struct spane_read *r, const struct view_packet *p)
{
	struct spane_lines	*l;
	int			 side = p->side;

	if (p->k < r->lo) {
		if (p->state == VIEW_PKT_READ && side >= 0 &&
		    p->payload_caplen > 0)
			spane_carry(r, side, p);
		return;
	}
	l = &r->win[p->k - r->lo];
	if (p->state != VIEW_PKT_READ) {
		spane_unread(l, p);
		return;
	}
	spane_enter(r);
	l->side = side;
	if (side < 0 || p->payload_caplen == 0)
		return;
	r->last[side] = p->k - r->lo + 1;
	spane_join(r, l, side, p);
}

/* The window's end: a side's unfinished line shows at its last packet
 * when the session ends here or no line ended in the window; else the
 * next window shows it, joined to the rest. */
static void
spane_stream_end(struct spane_read *r, size_t wn, bool lastwin)
{
	struct spane_lines	*l;
	size_t			 i;
	int			 s;

	spane_enter(r);
	for (s = 0; s < 2; s++) {
		if (r->cur[s].len == 0 || (!lastwin && r->lf[s]))
			continue;
		l = r->last[s] > 0 ? &r->win[r->last[s] - 1] : NULL;
		for (i = 0; l == NULL && i < wn; i++) {
			if (r->win[i].n == 0 && r->win[i].side != SV_UNREAD)
				l = &r->win[i];	/* none of its side here */
		}
		if (l == NULL)
			continue;
		l->side = s;
		spane_line(l, &r->b, r->cur[s].s, r->cur[s].len);
	}
}

/* One packet given: its header line, then its bytes or text. */
static bool
spane_packet(const struct view_packet *p, void *arg)
{
	struct spane_read	*r = arg;
	struct spane		*v = &r->u->sv;
	struct spane_lines	*l;

	if (v->stream) {
		spane_stream(r, p);
		return (true);
	}
	l = &r->win[p->k - r->lo];
	if (p->state != VIEW_PKT_READ) {
		spane_unread(l, p);
		return (true);
	}
	l->side = p->side;
	buf_reset(&r->b);
	buf_printf(&r->b, "  frame %s  ", p->frame);
	batch_pkt_time(&r->b, p->ts, v->vs.t_first, p->prec, " ");
	buf_printf(&r->b, "  %s  %u bytes", p->side == 0 ? "request" :
	    p->side == 1 ? "response" : "-", p->wirelen);
	if (p->caplen < p->wirelen)
		buf_printf(&r->b, " (%u captured)", p->caplen);
	spane_lines_add(l, ROLE_KEY, r->b.s);
	if (v->decoded)
		spane_decoded(l, &r->b, p);
	else if (!v->text)
		spane_hex(l, p->data, p->caplen);
	else
		spane_text(l, &r->b, p->payload, p->payload_caplen);
	return (true);
}

/* Packets the view did not give (it failed): say so with its cause. */
static void
spane_failed(struct spane *v, const char *cause)
{
	char	*s;
	size_t	 i;

	for (i = 0; i < v->wn; i++) {
		if (v->win[i].side != SV_UNREAD)
			continue;
		xasprintf(&s, "  packet %zu: %s", v->wlo + i + 1,
		    cause != NULL ? cause : "could not be read again");
		v->win[i].side = -1;
		spane_lines_add(&v->win[i], ROLE_WARNING, s);
		free(s);
	}
}

/* Format the window of packets around packet k, asked of the view. */
static void
spane_load(struct ui *u, size_t k)
{
	struct spane		*v = &u->sv;
	struct spane_read	 r;
	size_t			 i, npre;
	char			*cause = NULL;

	spane_window_free(v);
	if (v->stream)		/* aligned: a packet's lines never change */
		v->wlo = k / SV_WINDOW * SV_WINDOW;
	else
		v->wlo = k > SV_BEFORE ? k - SV_BEFORE : 0;
	v->wn = v->nords - v->wlo < SV_WINDOW ? v->nords - v->wlo : SV_WINDOW;
	v->win = xcalloc(v->wn + 1, sizeof *v->win);
	for (i = 0; i < v->wn; i++)
		v->win[i].side = SV_UNREAD;
	memset(&r, 0, sizeof r);
	r.u = u;
	r.lo = v->wlo;
	npre = v->stream && v->wlo >= SV_WINDOW ? SV_WINDOW : 0;
	r.win = v->win;
	buf_init(&r.b);
	buf_init(&r.cur[0]);
	buf_init(&r.cur[1]);
	view_session_packets(v->view, &v->vs, v->wlo - npre, v->wn + npre,
	    v->decoded ? VIEW_PKT_SHOW : 0, spane_packet, &r, &cause);
	if (v->stream)
		spane_stream_end(&r, v->wn, v->wlo + v->wn == v->nords);
	spane_failed(v, cause);
	free(cause);
	buf_free(&r.cur[0]);
	buf_free(&r.cur[1]);
	buf_free(&r.b);
}

/* The last block. */
static size_t
spane_nblk(const struct spane *v)
{
	if (v->hpk >= v->n)
		return (0);	/* no packets yet */
	return (v->stream ? 2 * v->nords + 1 : v->nords);
}

/* The packet a block (1 or more) shows and the side it shows of it (-1:
 * any); SIZE_MAX for the response's title. */
static size_t
spane_pkt(const struct spane *v, size_t blk, int *side)
{
	*side = -1;
	if (!v->stream)
		return (blk - 1);
	if (blk <= v->nords) {
		*side = 0;
		return (blk - 1);
	}
	if (blk == v->nords + 1)
		return (SIZE_MAX);
	*side = 1;
	return (blk - v->nords - 2);
}

/* A block's lines: the head, or a packet's (formatted on demand), empty
 * for a packet of the other side; valid until the next call. */
static const struct spane_lines *
spane_block(struct ui *u, size_t blk)
{
	struct spane	*v = &u->sv;
	static struct spane_lines head, empty;
	static char	 rtitle[] = "response (the responder's payload)";
	static char	*tline[] = { rtitle };
	static uint8_t	 trole[] = { ROLE_HEADER };
	static struct spane_lines title = { tline, trole, 1, -1 };
	const struct spane_lines *l;
	size_t		 i;
	int		 side;

	if (blk == 0) {
		head.line = v->line;
		head.role = v->role;
		head.n = v->n;
		return (&head);
	}
	if ((i = spane_pkt(v, blk, &side)) == SIZE_MAX)
		return (&title);
	if (i < v->wlo || i >= v->wlo + v->wn)
		spane_load(u, i);
	l = &v->win[i - v->wlo];
	if ((side == 1 && l->side != 1) || (side == 0 && l->side == 1))
		return (&empty);
	return (l);
}

/* The head's title of the packets. */
static const char *
spane_ptitle(const struct spane *v)
{
	if (v->stream)
		return ("request (the initiator's payload, then the "
		    "responder's; r: packets)");
	return ("packets (t: hex or text; d: decoded; r: request/response "
	    "text; G: the last)");
}

/* On a live capture or a stream: how many of the session's packets left
 * the spool, said in the head. */
static void
spane_gone(struct spane *v)
{
	struct buf	 b;

	if (v->vs.ngone == 0)
		return;
	buf_init(&b);
	buf_adds(&b, "  ");
	spane_count(&b, v->vs.ngone);
	buf_adds(&b, " of ");
	spane_count(&b, v->nords);
	buf_printf(&b, " packet%s no longer in the spool", v->nords == 1 ?
	    "" : "s");
	spane_add(v, ROLE_WARNING, b.s);
	buf_free(&b);
}

/* The session's packets: the blocks after the head. */
static void
spane_packets(struct spane *v)
{
	v->nords = v->vs.npkts;
	spane_gone(v);
	v->hpk = v->n;
	spane_add(v, ROLE_HEADER, spane_ptitle(v));
}

/* The view the pane asks: the in-memory store, its packets read again
 * once the capture may be (the spool is locked while live). */
static void
spane_view(struct ui *u, struct view *vw)
{
	view_mem(vw, u->st);
	if (hunt_loaded(u->h) || u->live)
		view_mem_packets(vw, u->cap);
}

/* The head's title: the session, and over a fleet its sensor and run. */
static void
spane_title(struct spane *v, const struct view_ref *ref)
{
	char	*title;

	if (ref->sensor != NULL)
		xasprintf(&title, "session %llu  sensor %s  run %s",
		    (unsigned long long)ref->id, esc_str(ref->sensor),
		    esc_str(ref->run != NULL ? ref->run : ""));
	else
		xasprintf(&title, "session %llu", (unsigned long long)ref->id);
	spane_add(v, ROLE_TITLE, title);
	free(title);
}

/* Open a session of a view (own: the pane's, to free): build its head
 * and show the pane; false with *cause when the view does not give it. */
static bool
spane_start(struct ui *u, struct view *vw, bool own,
    const struct view_ref *ref, char **cause)
{
	struct view_session	 vs;
	bool			 text = u->sv.text, stream = u->sv.stream;
	bool			 decoded = u->sv.decoded;

	if (!view_session_open(vw, ref, &vs, cause))
		return (false);
	spane_free(&u->sv);
	if (own)
		u->sv.own = *vw;
	u->sv.view = own ? &u->sv.own : vw;
	u->sv.vs = vs;
	u->sv.id = ref->id;
	u->sv.text = text;
	u->sv.stream = stream;
	u->sv.decoded = decoded;
	u->sv.hpk = SIZE_MAX;
	spane_title(&u->sv, ref);
	spane_add(&u->sv, ROLE_HEADER, "meta");
	spane_meta(u);
	if (ref->sensor == NULL)	/* the groups are this run's */
		spane_groups(u, ref->id);
	spane_fragments(u);
	if (vs.packets)
		spane_packets(&u->sv);
	else
		spane_add(&u->sv, ROLE_DIM, ref->sensor != NULL ? "(packets "
		    "show once the settings say where the sensors keep them)" :
		    "(packets show once the capture is read)");
	u->pane = PANE_SESSION;
	u->dirty |= DIRTY_SCREEN;
	return (true);
}

/* Open a session of the capture: build its head and show the pane. */
void
spane_open(struct ui *u, uint64_t id)
{
	struct view_ref	 ref = { id, NULL, NULL };
	struct view	 vw;
	char		*cause = NULL;

	spane_view(u, &vw);
	if (!spane_start(u, &vw, true, &ref, &cause))
		view_free(&vw);
	free(cause);
}

/* Open a session of any view; say why not when it does not give it. */
void
spane_open_ref(struct ui *u, struct view *vw, const struct view_ref *ref)
{
	char	*cause = NULL;

	if (!spane_start(u, vw, false, ref, &cause))
		ui_message(u, ROLE_ERROR, "%s", cause);
	free(cause);
}

/* A count with thousands separators ("3,224"). */
static void
spane_count(struct buf *b, uint64_t n)
{
	char	 d[24];
	int	 len = snprintf(d, sizeof d, "%llu", (unsigned long long)n), i;

	for (i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf_addc(b, ',');
		buf_addc(b, d[i]);
	}
}

/* The meta key of the line at the top of the pane (the line pivots act
 * on), or -1 when it is not a meta line. */
static int
spane_selected(const struct spane *v)
{
	return (v->blk == 0 && v->off < v->n ? v->hkey[v->off] : -1);
}

/* Pivot on the meta line at the top of the pane. */
void
spane_pivot(struct ui *u, enum pivot_how how)
{
	struct spane	*v = &u->sv;

	if (v->n == 0)
		return;
	if (spane_selected(v) < 0) {
		ui_message(u, ROLE_NORMAL, "move a meta line to the top "
		    "(Up, Down) to pivot on it");
		return;
	}
	pivot_go(u, v->id, spane_selected(v), how);
}

/* The pane's first line: where the top of the pane is. */
static void
spane_where(struct ui *u, int y)
{
	struct spane	*v = &u->sv;
	struct buf	 b;
	size_t		 i;
	int		 side;

	buf_init(&b);
	buf_printf(&b, "session %llu: ", (unsigned long long)v->id);
	if (spane_selected(v) >= 0)
		buf_printf(&b, "meta %s  (Enter: drill, !: its negation, p: a "
		    "new path)", meta_key(spane_selected(v))->name);
	else if (v->blk == 0) {
		spane_count(&b, v->nords);
		buf_printf(&b, " packet%s", v->nords == 1 ? "" : "s");
	} else if ((i = spane_pkt(v, v->blk, &side)) == SIZE_MAX)
		buf_adds(&b, "response");
	else {
		buf_adds(&b, side == 0 ? "request, packet " : side == 1 ?
		    "response, packet " : "packet ");
		spane_count(&b, i + 1);
		buf_adds(&b, " of ");
		spane_count(&b, v->nords);
	}
	if (v->stream)
		buf_adds(&b, "  (request/response text)");
	else if (v->decoded)
		buf_adds(&b, "  (decoded)");
	else if (v->text)
		buf_adds(&b, "  (payload as text)");
	draw_text(y, 0, COLS, ROLE_BREADCRUMB, b.s);
	buf_free(&b);
}

/* Lines a meta line wraps to, at most. */
#define SPANE_WRAP	8

/* The column a meta line's wrapped values go on at: under the values,
 * or indented less under 60 columns. */
static int
spane_indent(void)
{
	return (COLS < 60 ? 4 : 23);
}

/* Draw the pane in h lines from line top; a long meta line wraps under
 * its values. */
void
spane_draw(struct ui *u, int top, int h)
{
	struct spane			*v = &u->sv;
	const struct spane_lines	*l;
	size_t				 blk = v->blk, off = v->off;
	int				 y = top + 1, n, i;
	int				 ind = spane_indent();

	if (v->n == 0) {
		draw_text(top, 2, COLS - 2, ROLE_DIM,
		    "no session open: Enter on a session in Events (2)");
		return;
	}
	spane_where(u, top);
	while (y < top + h && blk <= spane_nblk(v)) {
		l = spane_block(u, blk);
		if (blk == 0 && spane_selected(v) >= 0 && off < l->n) {
			n = draw_wrap_lines(1, ind, SPANE_WRAP,
			    l->line[off] + 1);
			for (i = 0; i < n && y + i < top + h; i++)
				draw_fill(y + i, ROLE_SELECTED);
			draw_text(y, 0, 1, ROLE_SELECTED, ">");
			y += draw_text_wrap_from(y, 1, ind, 0, top + h - y,
			    SPANE_WRAP, ROLE_SELECTED, l->line[off++] + 1);
		}
		for (; off < l->n && y < top + h; off++) {
			if (blk == 0 && v->hkey[off] >= 0)
				y += draw_text_wrap_from(y, 0, ind, 0,
				    top + h - y, SPANE_WRAP, l->role[off],
				    l->line[off]);
			else
				draw_text(y++, 0, COLS, l->role[off],
				    l->line[off]);
		}
		blk++;
		off = 0;
	}
}

/* Keep the top off empty blocks: forward to the next line, or back to
 * the last one at the end. */
static void
spane_settle(struct ui *u)
{
	struct spane	*v = &u->sv;
	size_t		 n;

	while (v->blk < spane_nblk(v) && spane_block(u, v->blk)->n == 0) {
		v->blk++;
		v->off = 0;
	}
	while (v->blk > 0 && (n = spane_block(u, v->blk)->n) <= v->off) {
		v->blk--;
		n = spane_block(u, v->blk)->n;
		v->off = n > 0 ? n - 1 : 0;
	}
}

/* Move the top down by d lines, reading packets as it goes. */
static void
spane_down(struct ui *u, size_t d)
{
	struct spane	*v = &u->sv;
	size_t		 n;

	while (d > 0) {
		n = spane_block(u, v->blk)->n;
		if (v->off + d < n) {
			v->off += d;
			return;
		}
		if (v->blk >= spane_nblk(v)) {
			v->off = n > 0 ? n - 1 : 0;
			return;
		}
		d -= n - v->off;
		v->blk++;
		v->off = 0;
	}
}

/* Move the top up by d lines, past empty blocks. */
static void
spane_up(struct ui *u, size_t d)
{
	struct spane	*v = &u->sv;
	size_t		 n;

	while (d > 0) {
		if (v->off >= d) {
			v->off -= d;
			return;
		}
		if (v->blk == 0) {
			v->off = 0;
			return;
		}
		d -= v->off + 1;
		do
			n = spane_block(u, --v->blk)->n;
		while (n == 0 && v->blk > 0);
		v->off = n > 0 ? n - 1 : 0;
	}
}

/*
 * The packets from the one at the top of the pane, whole, until h lines
 * are taken (y copies them): their lines as shown, escaped, each ended by
 * LF; the number of packets, 0 when the head is at the top.
 */
size_t
spane_copy_packets(struct ui *u, struct buf *b, size_t h)
{
	struct spane			*v = &u->sv;
	const struct spane_lines	*l;
	size_t				 blk, i, lines = 0, n = 0;

	if (v->n == 0 || v->blk == 0)
		return (0);
	for (blk = v->blk; blk <= spane_nblk(v) && lines < h; blk++) {
		l = spane_block(u, blk);
		for (i = 0; i < l->n; i++) {
			buf_adds(b, l->line[i]);
			buf_addc(b, '\n');
		}
		lines += l->n;
		n += l->n > 0;
	}
	return (n);
}

/* One line on from (blk, off), or back, past empty blocks, round the
 * end (counted in *laps); the head never is empty. */
static void
spane_step(struct ui *u, size_t *blk, size_t *off, bool back,
    unsigned *laps)
{
	size_t	 last = spane_nblk(&u->sv), n;

	if (!back && *off + 1 < spane_block(u, *blk)->n) {
		(*off)++;
		return;
	}
	if (back && *off > 0) {
		(*off)--;
		return;
	}
	do {
		if (!back)
			*blk = *blk == last ? 0 : *blk + 1;
		else
			*blk = *blk == 0 ? last : *blk - 1;
		if ((!back && *blk == 0) || (back && *blk == last))
			(*laps)++;
	} while ((n = spane_block(u, *blk)->n) == 0);
	*off = back ? n - 1 : 0;
}

/*
 * The next (or previous) line that holds the text, moved to the top of
 * the pane: 0 when no line does, 1 when found, 2 when found round the
 * end.  Packets are read again as the search goes through them.
 */
int
spane_find(struct ui *u, const char *t, bool back)
{
	struct spane			*v = &u->sv;
	const struct spane_lines	*l;
	size_t				 blk = v->blk, off = v->off;
	unsigned			 laps = 0;

	if (v->n == 0)
		return (0);
	while (laps < 2) {
		spane_step(u, &blk, &off, back, &laps);
		l = spane_block(u, blk);
		if (find_in(l->line[off], strlen(l->line[off]), t)) {
			v->blk = blk;
			v->off = off;
			u->dirty |= DIRTY_SCREEN;
			return (laps > 0 ? 2 : 1);
		}
		if (blk == v->blk && off == v->off)
			return (0);
	}
	return (0);
}

/* The screen lines the line at (blk, off) takes: a meta line wraps. */
static int
spane_height(struct ui *u, size_t blk, size_t off)
{
	const struct spane_lines *l = spane_block(u, blk);

	if (blk != 0 || off >= l->n || u->sv.hkey[off] < 0)
		return (1);
	return (draw_wrap_lines(0, spane_indent(), SPANE_WRAP, l->line[off]));
}

/*
 * Scroll by a page of d screen lines (d < 0: up): every line passed was on
 * the screen before, or is on it after, however the meta lines wrap.
 */
static void
spane_page(struct ui *u, int d)
{
	struct spane	*v = &u->sv;
	size_t		 blk, off;
	int		 rows = 0, n = d < 0 ? -d : d, h;

	while (rows < n) {
		blk = v->blk;
		off = v->off;
		if (d < 0) {
			spane_up(u, 1);
			spane_settle(u);
			if (v->blk == blk && v->off == off)
				break;
		}
		h = spane_height(u, v->blk, v->off);
		if (rows > 0 && rows + h > n) {
			v->blk = blk;	/* a line that would not show */
			v->off = off;
			break;
		}
		rows += h;
		if (d > 0) {
			spane_down(u, 1);
			spane_settle(u);
			if (v->blk == blk && v->off == off)
				break;
		}
	}
}

/* Scroll by d lines; a far move goes to the top or to the last packet. */
void
spane_move(struct ui *u, int d)
{
	struct spane	*v = &u->sv;

	if (v->n == 0)
		return;
	if (d <= -SV_FAR)
		v->blk = v->off = 0;
	else if (d >= SV_FAR) {
		v->blk = spane_nblk(v);
		v->off = 0;
	} else if (d < -1 || d > 1)
		spane_page(u, d);
	else if (d < 0)
		spane_up(u, 1);
	else
		spane_down(u, 1);
	spane_settle(u);
	u->dirty |= DIRTY_SCREEN;
}

/* After a change of what blocks hold: the packets read again, the top on
 * the same packet, the head's title of the packets said again. */
static void
spane_reshape(struct ui *u, size_t pkt)
{
	struct spane	*v = &u->sv;

	spane_window_free(v);
	if (v->hpk < v->n) {
		free(v->line[v->hpk]);
		v->line[v->hpk] = xstrdup(spane_ptitle(v));
	}
	if (v->blk > 0) {
		v->blk = pkt + 1;
		v->off = 0;
		spane_settle(u);
	}
	u->dirty |= DIRTY_SCREEN;
}

/* The packet at the top of the view (0: none), to keep in view when the
 * view changes shape. */
static size_t
spane_here(struct spane *v)
{
	size_t	 pkt;
	int	 side;

	pkt = v->blk > 0 ? spane_pkt(v, v->blk, &side) : 0;
	return (pkt == SIZE_MAX ? 0 : pkt);
}

/* Show the packets' payload as text, or their bytes in hex (t). */
void
spane_toggle_text(struct ui *u)
{
	struct spane	*v = &u->sv;
	size_t		 pkt = spane_here(v);

	v->text = v->stream || v->decoded ? true : !v->text;
	v->stream = v->decoded = false;
	spane_reshape(u, pkt);
}

/* Show the request/response text, or the packets again (r). */
void
spane_toggle_stream(struct ui *u)
{
	struct spane	*v = &u->sv;
	size_t		 pkt = spane_here(v);

	v->stream = !v->stream;
	v->decoded = false;
	spane_reshape(u, pkt);
}

/* Show what each packet's DNS, HTTP head or TLS hello says, or the
 * packets as before (d). */
void
spane_toggle_decoded(struct ui *u)
{
	struct spane	*v = &u->sv;
	size_t		 pkt = spane_here(v);

	v->decoded = !v->decoded;
	v->stream = false;
	spane_reshape(u, pkt);
}
