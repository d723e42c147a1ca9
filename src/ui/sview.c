/* sview.c - the Session pane: all meta of one session, its packets with a
 * hex and ASCII dump, the request and response text of TCP, and the other
 * fragments of a split conversation.  Every byte is escaped. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"
#include "ui/ui-int.h"

#define SV_MAXPACKETS	500		/* packets dumped */
#define SV_MAXDUMP	512		/* bytes dumped per packet */
#define SV_MAXTEXT	16384		/* bytes of text per direction */

/* What a reread collects. */
struct sview_read {
	struct ui		*u;
	const struct session	*s;
	uint64_t		*ords;
	size_t			 nords;
	size_t			 seen;
	struct decoder		*dec;
	struct buf		 text[2];	/* request, response */
	struct buf		 dump;		/* lines, NUL separated */
};

/* Free the lines. */
void
sview_free(struct sview *v)
{
	size_t	 i;

	for (i = 0; i < v->n; i++)
		free(v->line[i]);
	free(v->line);
	free(v->role);
	memset(v, 0, sizeof *v);
}

/* Add a line (already escaped). */
static void
sview_add(struct sview *v, enum ui_role role, const char *s)
{
	v->line = xreallocarray(v->line, v->n + 1, sizeof *v->line);
	v->role = xreallocarray(v->role, v->n + 1, sizeof *v->role);
	v->line[v->n] = xstrdup(s);
	v->role[v->n++] = (uint8_t)role;
}

/* Every key that has values, with them. */
static void
sview_meta(struct ui *u, uint64_t id)
{
	const struct meta_reader *r = store_reader(u->st);
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
		sview_add(&u->sv, ROLE_VALUE, b.s);
		if (v != small)
			free(v);
	}
	buf_free(&b);
}

/* The other fragments of a split conversation. */
static void
sview_fragments(struct ui *u, const struct session *s)
{
	uint64_t		 id, end = store_end(u->st);
	struct session		 obuf;
	const struct session	*o;
	struct buf		 b;

	if (s->first_id == 0)
		return;
	sview_add(&u->sv, ROLE_HEADER, "fragments of this conversation");
	buf_init(&b);
	for (id = s->first_id; id < end; id++) {
		if ((o = store_get(u->st, id, &obuf)) == NULL || (o->id !=
		    s->first_id && o->first_id != s->first_id))
			continue;
		buf_reset(&b);
		buf_printf(&b, "  %c session %llu  split %u  %llu bytes  %llu "
		    "packets", o->id == s->id ? '>' : ' ',
		    (unsigned long long)o->id, o->first_id == 0 ? 0 : o->split,
		    (unsigned long long)o->size,
		    (unsigned long long)o->packets);
		sview_add(&u->sv, ROLE_VALUE, b.s);
	}
	buf_free(&b);
}

/* The session's first ordinal at or after o (sorted array). */
static uint64_t
sview_select(uint64_t o, void *arg)
{
	struct sview_read	*r = arg;
	size_t			 lo = 0, hi = r->nords, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (r->ords[mid] < o)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo < r->nords ? r->ords[lo] : UINT64_MAX);
}

/* Append a hex and ASCII dump of a frame, 16 bytes a line. */
static void
sview_hex(struct sview_read *r, const uint8_t *p, size_t n)
{
	size_t	 i, j;
	char	 line[96];
	int	 at;

	if (n > SV_MAXDUMP)
		n = SV_MAXDUMP;
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
		buf_add(&r->dump, line, (size_t)at + 1);
	}
}

/* Which side (0 initiator, 1 responder) sent a decoded packet. */
static int
sview_side(const struct session *s, const struct decoded *d)
{
	int	 i = s->initiator < 0 ? 0 : s->initiator;
	size_t	 len = s->af == 4 ? 4 : 16;

	return (memcmp(d->src, s->addr[i], len) == 0 &&
	    d->sport == s->port[i] ? 0 : 1);
}

/* One reread packet: a header line, the dump, and TCP payload. */
static bool
sview_packet(const struct capture_packet *p, void *arg)
{
	struct sview_read	*r = arg;
	struct pkt_ref		 ref = { p->ordinal, p->ts, p->wirelen,
				    p->input };
	struct decoded		 d;
	enum decode_reason	 why;
	char			 line[128];
	int			 side = -1, n;

	if (decode_packet(r->dec, p->dlt, p->data, p->caplen, &ref, &d,
	    &why) == DECODE_OK)
		side = sview_side(r->s, &d);
	n = snprintf(line, sizeof line, "  #%llu  %llu.%09llu  %u bytes%s",
	    (unsigned long long)p->ordinal,
	    (unsigned long long)(p->ts / 1000000000ULL),
	    (unsigned long long)(p->ts % 1000000000ULL), p->wirelen,
	    side == 0 ? "  request" : side == 1 ? "  response" : "");
	buf_add(&r->dump, line, (size_t)n + 1);
	sview_hex(r, p->data, p->caplen);
	if (side >= 0 && d.proto == 6 && d.payload_caplen > 0 &&
	    r->text[side].len < SV_MAXTEXT)
		buf_add(&r->text[side], d.payload, d.payload_caplen >
		    SV_MAXTEXT - r->text[side].len ? SV_MAXTEXT -
		    r->text[side].len : d.payload_caplen);
	return (++r->seen < r->nords && r->seen < SV_MAXPACKETS);
}

/* Add raw text as lines: split at LF, each line escaped. */
static void
sview_text(struct sview *v, const char *title, const struct buf *t)
{
	struct buf	 b;
	size_t		 i, start = 0;

	sview_add(v, ROLE_HEADER, title);
	buf_init(&b);
	for (i = 0; i <= t->len; i++) {
		if (i < t->len && t->s[i] != '\n')
			continue;
		buf_reset(&b);
		buf_adds(&b, "  ");
		esc_text(&b, t->s + start, i - start);
		sview_add(v, ROLE_VALUE, b.s);
		start = i + 1;
	}
	buf_free(&b);
}

/* Order ordinals. */
static int
sview_ordcmp(const void *a, const void *b)
{
	uint64_t	 x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x < y ? -1 : x > y);
}

/* Re-read the session's packets from the capture. */
static void
sview_packets(struct ui *u, const struct session *s)
{
	struct sview_read	 r;
	uint32_t		 pos = 0;
	uint64_t		 o;
	size_t			 i;

	memset(&r, 0, sizeof r);
	r.u = u;
	r.s = s;
	while (pktidx_next(&s->pkts, &pos, &o) && r.nords < SV_MAXPACKETS) {
		r.ords = xreallocarray(r.ords, r.nords + 1, sizeof *r.ords);
		r.ords[r.nords++] = o;
	}
	qsort(r.ords, r.nords, sizeof *r.ords, sview_ordcmp);
	r.dec = decoder_new(NULL);
	buf_init(&r.dump);
	buf_init(&r.text[0]);
	buf_init(&r.text[1]);
	capture_reread(u->cap, sview_select, sview_packet, &r);
	if (s->proto == 6) {
		sview_text(&u->sv, "request (initiator's TCP payload)", &r.text[0]);
		sview_text(&u->sv, "response (responder's TCP payload)",
		    &r.text[1]);
	}
	sview_add(&u->sv, ROLE_HEADER, "packets");
	for (i = 0; i < r.dump.len; i += strlen(r.dump.s + i) + 1)
		sview_add(&u->sv, r.dump.s[i + 2] == '#' ? ROLE_KEY : ROLE_VALUE,
		    r.dump.s + i);
	buf_free(&r.dump);
	buf_free(&r.text[0]);
	buf_free(&r.text[1]);
	decoder_free(r.dec);
	free(r.ords);
}

/* Open a session: build its lines and show the pane. */
void
sview_open(struct ui *u, uint64_t id)
{
	struct session		 buf;
	const struct session	*s = store_get(u->st, id, &buf);
	char			*title;

	if (s == NULL)
		return;
	sview_free(&u->sv);
	u->sv.id = id;
	xasprintf(&title, "session %llu", (unsigned long long)id);
	sview_add(&u->sv, ROLE_TITLE, title);
	free(title);
	sview_add(&u->sv, ROLE_HEADER, "meta");
	sview_meta(u, id);
	sview_fragments(u, s);
	if (atomic_load(&u->loaded))
		sview_packets(u, s);
	else
		sview_add(&u->sv, ROLE_DIM, "(packets show once the capture "
		    "is read)");
	u->pane = PANE_SESSION;
	u->dirty |= DIRTY_SCREEN;
}

/* Draw the pane in h lines from line top. */
void
sview_draw(struct ui *u, int top, int h)
{
	struct sview	*v = &u->sv;
	size_t		 i;

	if (v->n == 0) {
		draw_text(top, 2, COLS - 2, ROLE_DIM,
		    "no session open: Enter on a session in Events (2)");
		return;
	}
	if (v->top >= v->n)
		v->top = v->n - 1;
	for (i = v->top; i < v->n && i < v->top + (size_t)h; i++)
		draw_text(top + (int)(i - v->top), 0, COLS, v->role[i],
		    v->line[i]);
}

/* Scroll by d lines. */
void
sview_move(struct ui *u, int d)
{
	struct sview	*v = &u->sv;

	if (d < 0)
		v->top = (size_t)-d > v->top ? 0 : v->top - (size_t)-d;
	else if (v->n > 0)
		v->top = v->top + (size_t)d >= v->n ? v->n - 1 :
		    v->top + (size_t)d;
	u->dirty |= DIRTY_SCREEN;
}
