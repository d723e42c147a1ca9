/*
 * packets.c - --packets (SPEC §6): one line per packet of the chosen
 * sessions, in capture order: sessionid, frame (the frame number Wireshark
 * shows for the packet's file; FILE:N with several inputs), time (UTC),
 * offset from the session's start, direction and length; --hex adds the
 * captured bytes in hex, --text the transport payload as escaped text,
 * --decoded what its DNS, HTTP or TLS hello says (parse_show()).
 * The helpers that name a packet are shared with the console's Session
 * pane, so that both say the same.
 */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "batch/batch.h"
#include "decode/decode.h"
#include "parse/show.h"

/* A wanted packet: its ordinal and its session. */
struct pkts_want {
	uint64_t	 ord;
	uint32_t	 id;
};

/* What one --packets run reads again. */
struct pkts_read {
	FILE			*f;
	struct capture		*c;
	const struct store	*st;
	struct pkts_want	*w;
	size_t			 n, at;
	int			 flags;
	struct decoder		*dec;
	struct buf		 b;
	bool			 ok;
};

/* Append the frame number Wireshark shows: FILE:N with several inputs. */
void
batch_pkt_frame(struct buf *b, const struct capture *c, uint64_t ordinal,
    uint16_t input)
{
	const struct capture_input	*in = capture_input(c, input);
	struct capture_ref		 ref;
	const char			*name, *slash;

	if (!capture_locate(c, ordinal, &ref)) {
		buf_printf(b, "%llu", (unsigned long long)(in != NULL ?
		    ordinal - in->first + 1 : ordinal + 1));
		return;
	}
	if (capture_ninputs(c) > 1 || capture_spooling(c)) {
		slash = strrchr(ref.path, '/');
		name = slash != NULL ? slash + 1 : ref.path;
		esc_text(b, name, strlen(name));
		buf_addc(b, ':');
	}
	buf_printf(b, "%llu", (unsigned long long)ref.frame);
}

/* Append a packet's time (UTC, the input's digits) and its offset from
 * the session's start, "+S.ffffff". */
void
batch_pkt_time(struct buf *b, uint64_t ts, uint64_t start, uint8_t prec,
    const char *sep)
{
	struct mval	 v;
	uint64_t	 off = ts >= start ? ts - start : 0;

	memset(&v, 0, sizeof v);
	v.type = MT_TIME;
	v.prec = prec == 9 ? 9 : 6;
	v.u = ts;
	mval_format(b, &v);
	buf_adds(b, sep);
	if (v.prec == 9)
		buf_printf(b, "%c%llu.%09llu", ts >= start ? '+' : '-',
		    (unsigned long long)(off / 1000000000ULL),
		    (unsigned long long)(off % 1000000000ULL));
	else
		buf_printf(b, "%c%llu.%06llu", ts >= start ? '+' : '-',
		    (unsigned long long)(off / 1000000000ULL),
		    (unsigned long long)(off % 1000000000ULL / 1000));
}

/* Which side sent a decoded packet: 0 the initiator (request), 1 the
 * responder (response). */
int
batch_pkt_side(const struct session *s, const struct decoded *d)
{
	int	 i = s->initiator < 0 ? 0 : s->initiator;
	size_t	 len = s->af == 4 ? 4 : 16;

	return (memcmp(d->src, s->addr[i], len) == 0 &&
	    d->sport == s->port[i] ? 0 : 1);
}

/* Order wanted packets by ordinal. */
static int
pkts_cmp(const void *a, const void *b)
{
	const struct pkts_want	*x = a, *y = b;

	return (x->ord < y->ord ? -1 : x->ord > y->ord);
}

/* The chosen sessions' packets, by ordinal. */
static void
pkts_collect(struct pkts_read *r, const uint32_t *ids, size_t n)
{
	struct session		 buf;
	const struct session	*s;
	size_t			 i, cap = 0;
	uint32_t		 pos;
	uint64_t		 ord;

	for (i = 0; i < n; i++) {
		if ((s = store_get(r->st, ids[i], &buf)) == NULL)
			continue;
		for (pos = 0; pktidx_next(&s->pkts, &pos, &ord);) {
			if (r->n == cap) {
				cap = cap == 0 ? 1024 : 2 * cap;
				r->w = xreallocarray(r->w, cap, sizeof *r->w);
			}
			r->w[r->n].ord = ord;
			r->w[r->n++].id = ids[i];
		}
	}
	if (r->n > 0)
		qsort(r->w, r->n, sizeof *r->w, pkts_cmp);
}

/* The first wanted ordinal at or after o (asked in increasing order). */
static uint64_t
pkts_select(uint64_t o, void *arg)
{
	struct pkts_read	*r = arg;

	while (r->at < r->n && r->w[r->at].ord < o)
		r->at++;
	return (r->at < r->n ? r->w[r->at].ord : UINT64_MAX);
}

/* The --decoded column: the lines, already escaped, joined by "\\n". */
static void
pkts_decoded(struct buf *b, const struct decoded *d)
{
	struct buf	 t;
	size_t		 i;

	buf_init(&t);
	parse_show(&t, d);
	for (i = 0; i < t.len; i++) {
		if (t.s[i] != '\n')
			buf_addc(b, t.s[i]);
		else if (i + 1 < t.len)
			buf_adds(b, "\\n");
	}
	buf_free(&t);
}

/* The --hex, --text and --decoded columns of a packet. */
static void
pkts_data(struct pkts_read *r, const struct capture_packet *p,
    const struct decoded *d, bool decoded)
{
	uint32_t	 i;

	if (r->flags & BATCH_PKT_HEX) {
		buf_addc(&r->b, '\t');
		for (i = 0; i < p->caplen; i++)
			buf_printf(&r->b, "%02x", p->data[i]);
	}
	if (r->flags & BATCH_PKT_TEXT) {
		buf_addc(&r->b, '\t');
		if (decoded && d->payload_caplen > 0)
			esc_text(&r->b, d->payload, d->payload_caplen);
	}
	if (r->flags & BATCH_PKT_DECODED) {
		buf_addc(&r->b, '\t');
		if (decoded)
			pkts_decoded(&r->b, d);
	}
}

/* One packet read again: its line. */
static bool
pkts_packet(const struct capture_packet *p, void *arg)
{
	struct pkts_read	*r = arg;
	struct pkt_ref		 ref = { p->ordinal, p->ts, p->wirelen,
				    p->input };
	struct session		 buf;
	const struct session	*s;
	struct decoded		 d;
	enum decode_reason	 why;
	bool			 decoded;
	int			 side = -1;

	if (pkts_select(p->ordinal, r) != p->ordinal ||
	    (s = store_get(r->st, r->w[r->at].id, &buf)) == NULL)
		return (true);
	decoded = decode_packet(r->dec, p->dlt, p->data, p->caplen, &ref, &d,
	    &why) == DECODE_OK;
	if (decoded)
		side = batch_pkt_side(s, &d);
	buf_reset(&r->b);
	buf_printf(&r->b, "%llu\t", (unsigned long long)s->id);
	batch_pkt_frame(&r->b, r->c, p->ordinal, p->input);
	buf_addc(&r->b, '\t');
	batch_pkt_time(&r->b, p->ts, s->t_first, p->prec, "\t");
	buf_printf(&r->b, "\t%s\t%u", side == 0 ? "request" : side == 1 ?
	    "response" : "-", p->wirelen);
	pkts_data(r, p, &d, decoded);
	buf_addc(&r->b, '\n');
	errno = 0;
	if (fwrite(r->b.s, 1, r->b.len, r->f) != r->b.len) {
		r->ok = false;
		return (false);
	}
	return (++r->at < r->n);
}

/*
 * --packets over chosen sessions (ascending ids): their packets read again
 * from the inputs in capture order, one line each.
 */
bool
batch_packets(FILE *f, struct capture *c, const struct store *st,
    const uint32_t *ids, size_t n, int flags, bool header)
{
	struct pkts_read	 r;

	memset(&r, 0, sizeof r);
	r.f = f;
	r.c = c;
	r.st = st;
	r.flags = flags;
	r.ok = true;
	errno = 0;
	if (header && fprintf(f, "sessionid\tframe\ttime\toffset\tdirection"
	    "\tlength%s%s%s\n", flags & BATCH_PKT_HEX ? "\thex" : "",
	    flags & BATCH_PKT_TEXT ? "\ttext" : "", flags & BATCH_PKT_DECODED ?
	    "\tdecoded" : "") < 0)
		return (false);
	pkts_collect(&r, ids, n);
	r.dec = decoder_new(NULL);
	buf_init(&r.b);
	if (r.n > 0)
		capture_reread(c, pkts_select, pkts_packet, &r);
	buf_free(&r.b);
	decoder_free(r.dec);
	free(r.w);
	return (r.ok);
}
