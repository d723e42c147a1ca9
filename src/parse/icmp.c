/* icmp.c - ICMP echo: tunnel and covert-channel indicators. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "parse/parse-int.h"

#define ICMP_RECENT	16	/* requests remembered for matching replies */
#define ICMP_SIZES	8	/* distinct payload sizes remembered */
#define ICMP_PATTERNS	8	/* distinct ping -p patterns remembered */
#define ICMP_PERIOD	16	/* longest fill pattern (ping -p's limit) */

/*
 * Thresholds (SPEC §9).  A ping (Linux, Windows, BSD) keeps one size, so
 * two sizes are allowed (two ping runs with different -s in one session);
 * a capture that starts between a request and its reply loses one request,
 * hence the share of unmatched replies.
 * (The thresholds are in the context, pc->conf: icmp.size_variants,
 * icmp.unmatched_replies, icmp.text_scan.)
 */

/* Per-session ICMP state: counters and the recent requests. */
struct icmp_state {
	uint32_t	 ses;		/* analysis.session bits (PI_*) */
	uint32_t	 requests, replies, unmatched, differs, nonstd;
	uint32_t	 sizes[ICMP_SIZES];
	uint8_t		 nsizes;
	uint8_t		 next;
	uint8_t		 npat;
	uint8_t		 patlen[ICMP_PATTERNS];
	uint8_t		 pat[ICMP_PATTERNS][ICMP_PERIOD];
	struct {
		bool		 used;
		uint32_t	 idseq;
		uint32_t	 len;
		uint64_t	 hash;
	} recent[ICMP_RECENT];
};

/* Bytes of a block of the context's icmp_states. */
const size_t icmp_state_size = sizeof(struct icmp_state);

static int	ik_pattern;

static const struct parse_key icmp_keys[] = {
	{ "icmp.pattern", &ik_pattern },
	{ NULL, NULL }
};

/* Protocol text that has no business inside an echo payload. */
static const char *const icmp_texts[] = {
	"HTTP/1.", "GET /", "POST /", "SSH-2.0-", "SSH-1.", "ESMTP",
	"EHLO ", "HELO ", "Host: ", "User-Agent:",
};

/*
 * Whether protocol text occurs in p: one pass over the bytes, comparing
 * only where a text's first byte is (on the thread that writes the
 * parsers' meta only).
 */
static bool
icmp_text(const uint8_t *p, size_t n)
{
	static uint16_t	 first[256];	/* bit per text starting so */
	static bool	 ready;
	size_t		 i, t, len;
	uint16_t	 m;

	if (!ready) {
		for (t = 0; t < nitems(icmp_texts); t++)
			first[(uint8_t)icmp_texts[t][0]] |= (uint16_t)(1 << t);
		ready = true;
	}
	for (i = 0; i < n; i++) {
		if ((m = first[p[i]]) == 0)
			continue;
		for (t = 0; m != 0; t++, m >>= 1) {
			len = strlen(icmp_texts[t]);
			if ((m & 1) && n - i >= len &&
			    memcmp(p + i, icmp_texts[t], len) == 0)
				return (true);
		}
	}
	return (false);
}

/* The shortest period (at most 16 bytes, twice over) with which bytes
 * [k, n) repeat, or 0. */
static size_t
icmp_repeats(const uint8_t *p, size_t n, size_t k)
{
	size_t	per, i;

	for (per = 1; per <= ICMP_PERIOD && k + 2 * per <= n; per++) {
		for (i = k + per; i < n && p[i] == p[i - per]; i++)
			;
		if (i == n)
			return (per);
	}
	return (0);
}

/* Whether bytes [k, n) count up by one (wrapping). */
static bool
icmp_increments(const uint8_t *p, size_t n, size_t k)
{
	size_t	i;

	for (i = k + 1; i < n; i++) {
		if (p[i] != (uint8_t)(p[i - 1] + 1))
			return (false);
	}
	return (true);
}

/*
 * Whether a payload is a usual ping fill: empty, Windows' alphabet, or
 * after a 0, 8 or 16-byte timestamp an incrementing run (Linux 0x10..,
 * BSD) or a short repeated pattern (ping -p, zeros, Cisco 0xabcd).
 */
static bool
icmp_standard(const uint8_t *p, size_t n)
{
	static const size_t	 skip[] = { 0, 8, 16 };
	size_t			 i;

	if (n <= 16)
		return (true);
	for (i = 0; i < n && p[i] == (uint8_t)('a' + i % 23); i++)
		;
	if (i == n)
		return (true);
	for (i = 0; i < nitems(skip); i++) {
		if (icmp_increments(p, n, skip[i]) ||
		    icmp_repeats(p, n, skip[i]) != 0)
			return (true);
	}
	return (false);
}

/*
 * Remember the fill pattern of a ping -p style payload: after a 0, 8 or
 * 16-byte timestamp, a pattern of up to 16 bytes repeated.  ping fills
 * from the payload's start and the timestamp overwrites the first bytes,
 * so the pattern is put back in phase with offset 0, as -p was given.
 * Zeros and Cisco's 0xabcd are the usual fills, not a chosen pattern.
 */
static void
icmp_pattern(struct icmp_state *is, const uint8_t *p, size_t n)
{
	static const size_t	 skip[] = { 0, 8, 16 };
	uint8_t			 pat[ICMP_PERIOD];
	size_t			 i, j, k, per = 0;

	for (i = 0, k = 0; i < nitems(skip); i++) {
		k = skip[i];
		if ((per = icmp_repeats(p, n, k)) != 0)
			break;
	}
	if (per == 0 || (per == 1 && p[k] == 0))
		return;
	for (j = 0; j < per; j++)
		pat[j] = p[k + (j + per - k % per) % per];
	if (per == 2 && pat[0] == 0xab && pat[1] == 0xcd)
		return;
	for (i = 0; i < is->npat; i++) {
		if (is->patlen[i] == per && memcmp(is->pat[i], pat, per) == 0)
			return;
	}
	if (is->npat == ICMP_PATTERNS)
		return;
	memcpy(is->pat[is->npat], pat, per);
	is->patlen[is->npat++] = (uint8_t)per;
}

/* Whether a tunnel tool's magic starts p: ptunnel's 0xd5200880 or
 * ptunnel-ng's 0xdeadc0de (either byte order). */
static bool
icmp_magic(const uint8_t *p, size_t n)
{
	static const uint8_t	 magic[][4] = {
		{ 0xd5, 0x20, 0x08, 0x80 }, { 0xde, 0xad, 0xc0, 0xde },
		{ 0xde, 0xc0, 0xad, 0xde }
	};
	size_t			 i;

	for (i = 0; n >= 4 && i < nitems(magic); i++) {
		if (memcmp(p, magic[i], 4) == 0)
			return (true);
	}
	return (false);
}

/* Whether a checksum-valid IPv4 header (or IPv6 header) starts p. */
static bool
icmp_inner_ip(const uint8_t *p, size_t n, uint32_t len)
{
	uint32_t	 sum = 0;
	size_t		 i, hl;

	if (n >= 40 && p[0] >> 4 == 6 &&
	    (uint32_t)(p[4] << 8 | p[5]) + 40 == len &&
	    (p[6] == 6 || p[6] == 17 || p[6] == 58))
		return (true);
	if (n < 20 || p[0] >> 4 != 4 || (hl = (size_t)(p[0] & 15) * 4) < 20 ||
	    hl > n || (uint32_t)(p[2] << 8 | p[3]) < hl ||
	    (uint32_t)(p[2] << 8 | p[3]) > len)
		return (false);
	for (i = 0; i < hl; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (sum == 0xffff);
}

/* Look at an echo payload for magic, protocol text and an odd fill. */
static void
icmp_payload(struct parse_ctx *pc, struct icmp_state *is, const uint8_t *p,
    size_t n, uint32_t len)
{
	size_t	scan;

	if (icmp_magic(p, n) || icmp_inner_ip(p, n, len))
		is->ses |= 1U << PI_ICMP_MAGIC;
	if (!icmp_standard(p, n))
		is->nonstd++;
	else if (n > 16)
		icmp_pattern(is, p, n);
	if (is->ses & (1U << PI_ICMP_TEXT))
		return;
	scan = n < pc->conf.icmp_text_scan ? n :
	    pc->conf.icmp_text_scan;
	if (icmp_text(p, scan))
		is->ses |= 1U << PI_ICMP_TEXT;
}

/* Remember an echo payload size. */
static void
icmp_size(struct icmp_state *is, uint32_t len)
{
	uint8_t	i;

	for (i = 0; i < is->nsizes; i++) {
		if (is->sizes[i] == len)
			return;
	}
	if (is->nsizes < ICMP_SIZES)
		is->sizes[is->nsizes++] = len;
}

/* Match a reply with the latest request of its id and sequence. */
static void
icmp_match(struct icmp_state *is, uint32_t idseq, uint32_t len,
    uint64_t hash)
{
	int	i, j;

	for (i = 0; i < ICMP_RECENT; i++) {
		j = (is->next + ICMP_RECENT - 1 - i) % ICMP_RECENT;
		if (!is->recent[j].used || is->recent[j].idseq != idseq)
			continue;
		if (is->recent[j].len != len || is->recent[j].hash != hash)
			is->differs++;
		return;
	}
	is->unmatched++;
}

/*
 * Look at an echo request or reply: h is its identifier and sequence
 * number followed by n bytes of payload (len on the wire), on the thread
 * that writes meta (icmp_bytes()).
 */
static void
icmp_echo(struct parse_ctx *pc, struct icmp_state *is, const uint8_t *h,
    size_t n, uint32_t len, bool reply)
{
	const uint8_t	*p = h + 4;
	uint32_t	 idseq;
	uint64_t	 hash;

	idseq = (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 |
	    (uint32_t)h[2] << 8 | h[3];
	hash = XXH3_64bits(p, n);
	icmp_size(is, len);
	icmp_payload(pc, is, p, n, len);
	if (reply) {
		is->replies++;
		icmp_match(is, idseq, len, hash);
		return;
	}
	is->requests++;
	is->recent[is->next].used = true;
	is->recent[is->next].idseq = idseq;
	is->recent[is->next].len = len;
	is->recent[is->next].hash = hash;
	is->next = (is->next + 1) % ICMP_RECENT;
}

/*
 * Look at one ICMP packet of a session: an echo request or reply is handed
 * over (its identifier, sequence and payload) to icmp_bytes().
 */
static enum parse_next
icmp_packet(struct parse_ctx *pc, struct session *s, struct parse_state *ps,
    const struct decoded *d, int side, struct parse_bytes *b)
{
	bool	req, rep;

	(void)side;
	req = d->icmp_type == (s->proto == 1 ? 8 : 128);
	rep = d->icmp_type == (s->proto == 1 ? 0 : 129);
	if (!d->has_icmp || (!req && !rep) || d->payload == NULL)
		return (PN_NOTHING);
	if (ps->icmp == NULL)
		ps->icmp = parse_block_get(&pc->icmp_states);
	/* The identifier and sequence: decode keeps the header. */
	b->state = ps->icmp;
	b->p = d->payload - 4;
	b->n = (uint32_t)d->payload_caplen + 4;
	b->wirelen = d->payload_len;
	b->flag = rep;
	return (PN_BYTES);
}

/* Read an echo icmp_packet() handed over. */
static void
icmp_bytes(struct parse_ctx *pc, struct session *s,
    const struct parse_bytes *b)
{
	(void)s;
	icmp_echo(pc, b->state, b->p, b->n - 4, b->wirelen, b->flag);
}

/* Write the fill patterns of a session's ping -p style payloads, in
 * hexadecimal as ping -p takes them. */
static void
icmp_write_patterns(struct session *s, const struct icmp_state *is)
{
	static const char	 hex[] = "0123456789abcdef";
	char			 t[2 * ICMP_PERIOD];
	size_t			 i, j;

	for (i = 0; i < is->npat; i++) {
		for (j = 0; j < is->patlen[i]; j++) {
			t[2 * j] = hex[is->pat[i][j] >> 4];
			t[2 * j + 1] = hex[is->pat[i][j] & 15];
		}
		parse_add_text(s, ik_pattern, t, 2 * j);
	}
}

/* Turn the counters into indicators when the session closes. */
static void
icmp_close(struct parse_ctx *pc, struct session *s, struct parse_state *ps)
{
	struct icmp_state	*is = ps->icmp;

	if (is == NULL)
		return;		/* no echo seen */
	ps->ses |= is->ses;
	if (is->npat > 0) {
		ps->ses |= 1U << PI_ICMP_PATTERN;
		icmp_write_patterns(s, is);
	}
	if (is->unmatched > 0 &&
	    (uint64_t)is->unmatched * 100 >= (uint64_t)is->replies *
	    pc->conf.icmp_unmatched)
		ps->ses |= 1U << PI_ICMP_NO_REQUEST;
	if (is->differs > 0)
		ps->ses |= 1U << PI_ICMP_DIFFERS;
	if (is->nonstd > 0)
		ps->ses |= 1U << PI_ICMP_NONSTD;
	if (pc->conf.icmp_size_variants > 0 &&
	    is->nsizes >= pc->conf.icmp_size_variants)
		ps->ses |= 1U << PI_ICMP_SIZES;
}

/* Give an ICMP state back (NULL is ignored). */
void
icmp_drop(struct parse_ctx *pc, void *is)
{
	parse_block_put(&pc->icmp_states, is);
}

const struct parse_ops icmp_ops = {
	.packet = icmp_packet, .bytes = icmp_bytes, .close = icmp_close,
	.keys = icmp_keys
};
