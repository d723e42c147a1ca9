/*
 * record.c - a closed session as a compact record of bytes, and back.
 *
 * A struct session is about 300 bytes, most of them fixed-size room that a
 * closed session rarely fills (16-byte addresses, per-side MACs, three
 * small sets, 64-bit counters).  The store keeps each closed session as a
 * record of bytes instead (110 on average on the standard capture):
 *
 *   flags proto prec medium seen tcp_flags initiator bits       8 bytes
 *     (bits: has_eth per side, 0x4 closed at session.max_open)
 *   t_first                                                      8 bytes
 *   varints: t_last - t_first, size, payload[0], payload[1], packets,
 *            port[0], port[1], service, eth_type
 *   [PK_SPLIT]  varints: id - first_id, split
 *   addresses                                            8 or 32 bytes
 *   [PK_ETH]    pool id of both sides' MACs                      4 bytes
 *   [PK_VLAN] [PK_ICMP] [PK_INPUTS]  varint n, pad to 2, n x uint16
 *   varint pkts.len, the packet index's bytes
 *   [PK_EXTRA]  varint n, the extra meta's n values packed (extra.c)
 *
 * Packing writes at most record_bound() bytes.  Unpacking fills a
 * struct session whose packet index, extra meta and larger sets point into
 * the record: a read-only view, never freed.
 */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdlib.h>
#include <string.h>

#include "store/record.h"

#define PK_V6		0x01
#define PK_ETH		0x02
#define PK_SPLIT	0x04
#define PK_VLAN		0x08
#define PK_ICMP		0x10
#define PK_INPUTS	0x20	/* inputs other than exactly {0} */
#define PK_EXTRA	0x40
/* 0x80 is RECORD_FREE_BIT, the owner's. */
#define PK_MAX_OPEN	0x04	/* in the bits byte (h[7]) */

/* A writer into room the caller sized with record_bound(). */
struct packer {
	uint8_t		*p;
	size_t		 n;
};

static inline void
put_bytes(struct packer *w, const void *b, size_t n)
{
	if (n > 0)
		memcpy(w->p + w->n, b, n);
	w->n += n;
}

static inline void
put_varint(struct packer *w, uint64_t v)
{
	w->n += varint_put(w->p + w->n, v);
}

static void
put_pad(struct packer *w, size_t align)
{
	while (w->n % align != 0)
		w->p[w->n++] = 0;
}

static void
put_set(struct packer *w, const struct u16set *set)
{
	put_varint(w, set->n);
	put_pad(w, 2);
	put_bytes(w, set->cap == 0 ? set->v.in : set->v.heap,
	    (size_t)set->n * sizeof(uint16_t));
}

/* Whether the inputs set is exactly {0}, the usual case. */
static bool
inputs_default(const struct u16set *set)
{
	return (set->n == 1 && set->cap == 0 && set->v.in[0] == 0);
}

/* Most bytes the record of s takes. */
size_t
record_bound(const struct session *s)
{
	/* Header, t_first, 11 varints, addresses, MACs, three sets (n,
	 * padding, values), the packet index, the extra meta. */
	return (8 + 8 + 11 * 10 + sizeof s->addr + 4 +
	    3 * (3 + 1) + 2 * ((size_t)s->vlan.n + s->icmp.n + s->inputs.n) +
	    5 + s->pkts.len + session_meta_pack_bound(s));
}

/* Write the record of a closed session at p; returns its size. */
size_t
record_pack(const struct session *s, uint8_t *p)
{
	struct packer	 w = { p, 0 };
	uint8_t		 h[8];
	uint32_t	 eth;

	h[0] = (s->af == 6 ? PK_V6 : 0) |
	    (s->has_eth[0] || s->has_eth[1] ? PK_ETH : 0) |
	    (s->first_id != 0 ? PK_SPLIT : 0) |
	    (s->vlan.n > 0 ? PK_VLAN : 0) | (s->icmp.n > 0 ? PK_ICMP : 0) |
	    (!inputs_default(&s->inputs) ? PK_INPUTS : 0) |
	    (session_meta_count(s) > 0 ? PK_EXTRA : 0);
	h[1] = s->proto;
	h[2] = s->prec;
	h[3] = s->medium;
	h[4] = s->seen;
	h[5] = s->tcp_flags;
	h[6] = (uint8_t)s->initiator;
	h[7] = (uint8_t)(s->has_eth[0] | s->has_eth[1] << 1 |
	    (s->closed_by == SCR_MAX_OPEN ? PK_MAX_OPEN : 0));
	put_bytes(&w, h, sizeof h);
	put_bytes(&w, &s->t_first, sizeof s->t_first);
	put_varint(&w, s->t_last - s->t_first);
	put_varint(&w, s->size);
	put_varint(&w, s->payload[0]);
	put_varint(&w, s->payload[1]);
	put_varint(&w, s->packets);
	put_varint(&w, s->port[0]);
	put_varint(&w, s->port[1]);
	put_varint(&w, s->service);
	put_varint(&w, s->eth_type);
	if (h[0] & PK_SPLIT) {
		put_varint(&w, s->id - s->first_id);
		put_varint(&w, s->split);
	}
	if (s->af == 6)
		put_bytes(&w, s->addr, sizeof s->addr);
	else {
		put_bytes(&w, s->addr[0], 4);
		put_bytes(&w, s->addr[1], 4);
	}
	if (h[0] & PK_ETH) {
		/* Few distinct MAC pairs on a link: pooled. */
		eth = s->eth_pool != 0 ? s->eth_pool - 1 :
		    meta_pool_put(s->eth, sizeof s->eth);
		put_bytes(&w, &eth, sizeof eth);
	}
	if (h[0] & PK_VLAN)
		put_set(&w, &s->vlan);
	if (h[0] & PK_ICMP)
		put_set(&w, &s->icmp);
	if (h[0] & PK_INPUTS)
		put_set(&w, &s->inputs);
	put_varint(&w, s->pkts.len);
	put_bytes(&w, pktidx_bytes(&s->pkts), s->pkts.len);
	if (h[0] & PK_EXTRA)
		w.n += session_meta_pack(s, p + w.n);
	return (w.n);
}

/* A reader over a record (written by pack(), so trusted). */
struct unpacker {
	const uint8_t	*b, *p;
};

static inline uint64_t
get_varint(struct unpacker *r)
{
	return (varint_read(&r->p));
}

static void
get_pad(struct unpacker *r, size_t align)
{
	r->p += (align - (size_t)(r->p - r->b) % align) % align;
}

static void
get_set(struct unpacker *r, struct u16set *set)
{
	set->n = (uint16_t)get_varint(r);
	get_pad(r, 2);
	if (set->n <= nitems(set->v.in)) {
		set->cap = 0;
		memcpy(set->v.in, r->p, (size_t)set->n * sizeof(uint16_t));
	} else {
		set->cap = set->n;
		set->v.heap = (uint16_t *)(uintptr_t)r->p;
	}
	r->p += (size_t)set->n * sizeof(uint16_t);
}

/*
 * Put in the value pool what packing s will need, so that the packing
 * itself writes nothing there (the pool has one writer at a time).
 */
void
record_prepare(struct session *s)
{
	if (s->has_eth[0] || s->has_eth[1])
		s->eth_pool = meta_pool_put(s->eth, sizeof s->eth) + 1;
}

/*
 * Fill s from the record at b of session id: a read-only view whose packet
 * index, extra meta and larger sets point into the record.
 */
void
record_unpack(const uint8_t *b, uint64_t id, struct session *s)
{
	struct unpacker	 r = { b, b + 8 };
	uint32_t	 eth;
	uint32_t	 n;

	memset(s, 0, sizeof *s);
	s->id = id;
	s->af = (b[0] & PK_V6) ? 6 : 4;
	s->proto = b[1];
	s->prec = b[2];
	s->medium = b[3];
	s->seen = b[4];
	s->tcp_flags = b[5];
	s->initiator = (int8_t)b[6];
	s->has_eth[0] = b[7] & 1;
	s->has_eth[1] = (b[7] >> 1) & 1;
	s->closed_by = b[7] & PK_MAX_OPEN ? SCR_MAX_OPEN : SCR_OPEN;
	memcpy(&s->t_first, r.p, sizeof s->t_first);
	r.p += sizeof s->t_first;
	s->t_last = s->t_first + get_varint(&r);
	s->size = get_varint(&r);
	s->payload[0] = get_varint(&r);
	s->payload[1] = get_varint(&r);
	s->packets = get_varint(&r);
	s->port[0] = (uint16_t)get_varint(&r);
	s->port[1] = (uint16_t)get_varint(&r);
	s->service = (uint16_t)get_varint(&r);
	s->eth_type = (uint16_t)get_varint(&r);
	if (b[0] & PK_SPLIT) {
		s->first_id = id - get_varint(&r);
		s->split = (uint32_t)get_varint(&r);
	}
	if (s->af == 6) {
		memcpy(s->addr, r.p, sizeof s->addr);
		r.p += sizeof s->addr;
	} else {
		memcpy(s->addr[0], r.p, 4);
		memcpy(s->addr[1], r.p + 4, 4);
		r.p += 8;
	}
	if (b[0] & PK_ETH) {
		memcpy(&eth, r.p, sizeof eth);
		r.p += sizeof eth;
		memcpy(s->eth, meta_pool_get(eth, &n), sizeof s->eth);
		s->eth_pool = eth + 1;
	}
	if (b[0] & PK_VLAN)
		get_set(&r, &s->vlan);
	if (b[0] & PK_ICMP)
		get_set(&r, &s->icmp);
	if (b[0] & PK_INPUTS)
		get_set(&r, &s->inputs);
	else
		s->inputs.n = 1;	/* {0} */
	s->pkts.len = s->pkts.cap = (uint32_t)get_varint(&r);
	s->pkts.buf = (uint8_t *)(uintptr_t)r.p;
	r.p += s->pkts.len;
	if (b[0] & PK_EXTRA)
		session_meta_view(s, r.p);
}
