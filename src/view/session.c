/*
 * session.c - one session of a view (session.h): the calls any store
 * answers, and the in-memory store's answers, its packets read again
 * from the capture by ordinal and decoded here.
 */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdlib.h>
#include <string.h>

#include "capture/capture.h"
#include "decode/decode.h"
#include "export/export.h"
#include "parse/show.h"
#include "util/util.h"
#include "view/session.h"
#include "view/view-int.h"

/* A reread of packets [from, from + n) of a session in memory. */
struct msread {
	const struct session	*s;		/* NULL: it left the store */
	struct capture		*c;
	const uint64_t		*ords;		/* the session's, from on */
	size_t			 from, n;
	size_t			 at, done;	/* next wanted, next given */
	struct view_pktdec	 pd;
	struct buf		 frame;
	view_packet_fn		 fn;
	void			*arg;
	bool			 stop;
};

/* A packet decoder for a session whose initiator is at addr, port. */
void
view_pktdec_init(struct view_pktdec *pd, int flags, uint8_t af,
    const uint8_t *addr, uint16_t port)
{
	memset(pd, 0, sizeof *pd);
	pd->dec = decoder_new(NULL);
	buf_init(&pd->show);
	pd->flags = flags;
	pd->af = af;
	if (addr != NULL)
		memcpy(pd->addr, addr, af == 4 ? 4 : 16);
	pd->port = port;
}

void
view_pktdec_free(struct view_pktdec *pd)
{
	decoder_free(pd->dec);
	buf_free(&pd->show);
}

/* What a packet read again says: side, payload and, asked, parse_show's
 * lines (the side as batch_pkt_side() finds it). */
void
view_pktdec(struct view_pktdec *pd, int dlt, uint64_t ordinal,
    uint16_t input, struct view_packet *vp)
{
	struct pkt_ref		 ref = { ordinal, vp->ts, vp->wirelen, input };
	struct decoded		 d;
	enum decode_reason	 why;

	vp->side = -1;
	if (decode_packet(pd->dec, dlt, vp->data, vp->caplen, &ref, &d,
	    &why) != DECODE_OK)
		return;
	vp->decoded = true;
	vp->side = memcmp(d.src, pd->addr, pd->af == 4 ? 4 : 16) == 0 &&
	    d.sport == pd->port ? 0 : 1;
	vp->payload = d.payload;
	vp->payload_len = d.payload_len;
	vp->payload_caplen = d.payload_caplen;
	if (pd->flags & VIEW_PKT_SHOW) {
		buf_reset(&pd->show);
		vp->nshow = parse_show(&pd->show, &d);
		vp->show = pd->show.s;
	}
}

/* One session's meta, fragments and packet count. */
bool
view_session_open(struct view *v, const struct view_ref *ref,
    struct view_session *vs, char **cause)
{
	memset(vs, 0, sizeof *vs);
	*cause = NULL;
	if (v->ops->session == NULL) {
		xasprintf(cause, "the %s store does not give sessions",
		    v->ops->name);
		return (false);
	}
	return (v->ops->session(v->impl, ref, vs, cause));
}

/* Packets [from, from + n) of a session, to fn in order. */
bool
view_session_packets(struct view *v, struct view_session *vs, size_t from,
    size_t n, int flags, view_packet_fn fn, void *arg, char **cause)
{
	*cause = NULL;
	if (from >= vs->npkts || n == 0)
		return (true);
	if (n > vs->npkts - from)
		n = vs->npkts - from;
	return (v->ops->packets(v->impl, vs, from, n, flags, fn, arg,
	    cause));
}

void
view_session_free(struct view *v, struct view_session *vs)
{
	free(vs->frag);
	if (vs->own != NULL)
		v->ops->session_free(v->impl, vs);
	memset(vs, 0, sizeof *vs);
}

/* The fragments of s's split conversation, from the store. */
static void
memsession_fragments(const struct store *st, const struct session *s,
    struct view_session *vs)
{
	uint64_t		 id, end = store_end(st);
	struct session		 obuf;
	const struct session	*o;
	struct view_fragment	*f;

	if (s->first_id == 0)
		return;
	for (id = s->first_id; id < end; id++) {
		if ((o = store_get(st, id, &obuf)) == NULL || (o->id !=
		    s->first_id && o->first_id != s->first_id))
			continue;
		vs->frag = xreallocarray(vs->frag, vs->nfrag + 1,
		    sizeof *vs->frag);
		f = &vs->frag[vs->nfrag++];
		f->id = o->id;
		f->split = o->first_id == 0 ? 0 : o->split;
		f->size = o->size;
		f->packets = o->packets;
		f->self = o->id == s->id;
	}
}

/* Order ordinals. */
static int
memsession_ordcmp(const void *a, const void *b)
{
	uint64_t	 x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x < y ? -1 : x > y);
}

/* The session's packets by ordinal (own), and on a live capture how
 * many of them the spool no longer keeps. */
static void
memsession_ords(struct capture *c, const struct session *s,
    struct view_session *vs)
{
	uint64_t	*ords = NULL, o;
	uint32_t	 pos = 0;
	size_t		 cap = 0;

	while (pktidx_next(&s->pkts, &pos, &o)) {
		if (vs->npkts == cap) {
			cap = cap == 0 ? 64 : 2 * cap;
			ords = xreallocarray(ords, cap, sizeof *ords);
		}
		ords[vs->npkts++] = o;
	}
	if (vs->npkts > 1)
		qsort(ords, vs->npkts, sizeof *ords, memsession_ordcmp);
	vs->own = ords;
	if (capture_live(c))
		vs->ngone = export_missing(s, c);
}

/* One session in memory; its packets only when the capture is known. */
bool
memsession_open(const struct store *st, struct capture *c,
    const struct view_ref *ref, struct view_session *vs, char **cause)
{
	struct session		 buf;
	const struct session	*s = store_get(st, ref->id, &buf);

	if (s == NULL) {
		xasprintf(cause, "session %llu is not stored",
		    (unsigned long long)ref->id);
		return (false);
	}
	vs->id = ref->id;
	vs->r = store_reader(st);
	vs->t_first = s->t_first;
	memsession_fragments(st, s, vs);
	if (c != NULL) {
		vs->packets = true;
		memsession_ords(c, s, vs);
	}
	return (true);
}

/* Give packet k (the session's) as not read again, and why. */
static void
memsession_unread(struct msread *r, size_t k)
{
	struct view_packet	 vp;
	struct capture_ref	 ref;

	memset(&vp, 0, sizeof vp);
	vp.k = k;
	vp.side = -1;
	if (!capture_locate(r->c, r->ords[k - r->from], &ref)) {
		vp.state = VIEW_PKT_NEVER;
		vp.why = "never kept (no spool, or the spool could not write "
		    "it)";
	} else if (ref.gone) {
		vp.state = VIEW_PKT_GONE;
		vp.why = "no longer in the spool (its spool file was deleted "
		    "to keep the spool under its size)";
	} else {
		vp.state = VIEW_PKT_CHANGED;
		vp.why = "could not be read again (its file changed)";
	}
	if (!r->fn(&vp, r->arg))
		r->stop = true;
}

/* Give the packets before position upto that were not read. */
static void
memsession_skipped(struct msread *r, size_t upto)
{
	while (!r->stop && r->done < upto)
		memsession_unread(r, r->from + r->done++);
}

/* The next wanted ordinal at or after o (asked in increasing order). */
static uint64_t
memsession_select(uint64_t o, void *arg)
{
	struct msread	*r = arg;

	if (r->stop)
		return (UINT64_MAX);
	while (r->at < r->n && r->ords[r->at] < o)
		r->at++;
	return (r->at < r->n ? r->ords[r->at] : UINT64_MAX);
}

/* One packet read again, given with the ones skipped before it. */
static bool
memsession_packet(const struct capture_packet *p, void *arg)
{
	struct msread		*r = arg;
	struct view_packet	 vp;

	if (memsession_select(p->ordinal, r) != p->ordinal)
		return (!r->stop);
	memsession_skipped(r, r->at);
	if (r->stop)
		return (false);
	memset(&vp, 0, sizeof vp);
	vp.k = r->from + r->at;
	vp.state = VIEW_PKT_READ;
	buf_reset(&r->frame);
	batch_pkt_frame(&r->frame, r->c, p->ordinal, p->input);
	vp.frame = r->frame.s;
	vp.ts = p->ts;
	vp.prec = p->prec;
	vp.wirelen = p->wirelen;
	vp.caplen = p->caplen;
	vp.data = p->data;
	view_pktdec(&r->pd, p->dlt, p->ordinal, p->input, &vp);
	r->done = ++r->at;
	if (!r->fn(&vp, r->arg))
		r->stop = true;
	return (!r->stop && r->at < r->n);
}

/* Packets [from, from + n) of a session in memory, read again. */
bool
memsession_packets(const struct store *st, struct capture *c,
    struct view_session *vs, size_t from, size_t n, int flags,
    view_packet_fn fn, void *arg)
{
	struct msread	 r;
	struct session	 buf;
	int		 i;

	memset(&r, 0, sizeof r);
	r.s = store_get(st, vs->id, &buf);
	i = r.s == NULL || r.s->initiator < 0 ? 0 : r.s->initiator;
	view_pktdec_init(&r.pd, flags, r.s != NULL ? r.s->af : 4,
	    r.s != NULL ? r.s->addr[i] : NULL, r.s != NULL ? r.s->port[i] : 0);
	r.c = c;
	r.ords = (const uint64_t *)vs->own + from;
	r.from = from;
	r.n = n;
	r.fn = fn;
	r.arg = arg;
	buf_init(&r.frame);
	if (r.s != NULL)
		capture_reread(c, memsession_select, memsession_packet, &r);
	memsession_skipped(&r, n);
	buf_free(&r.frame);
	view_pktdec_free(&r.pd);
	return (true);
}
