/* quic.c - QUIC client Initials: the ClientHello's SNI, ALPN, version. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "parse/parse-int.h"

/*
 * Bytes of the client's CRYPTO stream kept: a ClientHello with a
 * post-quantum key share is about 1,800 bytes, over two Initials.
 */
#define QUIC_CRYPTO_MAX	4096
/*
 * Long-header datagrams of the client looked at before giving up on the
 * hello (a short header ends the handshake at once).
 */
#define QUIC_DATAGRAMS	8
/* Bytes of an Initial packet's header decrypted with (token included). */
#define QUIC_HEADER_MAX	1024

/* The keys of the client's Initials. */
struct quic_keys {
	uint8_t		 key[16], iv[12], hp[16];
};

/*
 * Per-session state (engine thread: the Initials are decrypted as they
 * come; quic_close(pc, ) reads the hello wherever the meta is written).
 */
struct quic_state {
	uint8_t		 version;	/* index into quic_versions */
	uint8_t		 side;		/* the client's side */
	uint8_t		 datagrams;	/* client datagrams looked at */
	bool		 done;		/* the hello is whole, or given up */
	/*
	 * Keys from the first Initial's destination connection ID: they
	 * stay when the server gives the client another (RFC 9001 §5.2).
	 */
	bool		 keyed;
	struct quic_keys keys;
	uint32_t	 contig;	/* stream bytes from 0 without a gap */
	uint8_t		 buf[QUIC_CRYPTO_MAX];
	uint8_t		 map[QUIC_CRYPTO_MAX / 8];
};

/* Initial salts: RFC 9001, RFC 9369, drafts 22, 23 and 29, Google's T050
   and T051 (as Wireshark has them). */
static const uint8_t quic_salt_v1[20] = {
	0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17,
	0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a
};
static const uint8_t quic_salt_v2[20] = {
	0x0d, 0xed, 0xe3, 0xde, 0xf7, 0x00, 0xa6, 0xdb, 0x81, 0x93,
	0x81, 0xbe, 0x6e, 0x26, 0x9d, 0xcb, 0xf9, 0xbd, 0x2e, 0xd9
};
static const uint8_t quic_salt_d22[20] = {
	0x7f, 0xbc, 0xdb, 0x0e, 0x7c, 0x66, 0xbb, 0xe9, 0x19, 0x3a,
	0x96, 0xcd, 0x21, 0x51, 0x9e, 0xbd, 0x7a, 0x02, 0x64, 0x4a
};
static const uint8_t quic_salt_d23[20] = {
	0xc3, 0xee, 0xf7, 0x12, 0xc7, 0x2e, 0xbb, 0x5a, 0x11, 0xa7,
	0xd2, 0x43, 0x2b, 0xb4, 0x63, 0x65, 0xbe, 0xf9, 0xf5, 0x02
};
static const uint8_t quic_salt_d29[20] = {
	0xaf, 0xbf, 0xec, 0x28, 0x99, 0x93, 0xd2, 0x4c, 0x9e, 0x97,
	0x86, 0xf1, 0x9c, 0x61, 0x11, 0xe0, 0x43, 0x90, 0xa8, 0x99
};
static const uint8_t quic_salt_t50[20] = {
	0x7f, 0xf5, 0x79, 0xe5, 0xac, 0xd0, 0x72, 0x91, 0x55, 0x80,
	0x30, 0x4c, 0x43, 0xa2, 0x36, 0x7c, 0x60, 0x48, 0x83, 0x10
};
static const uint8_t quic_salt_t51[20] = {
	0x7a, 0x4e, 0xde, 0xf4, 0xe7, 0xcc, 0xee, 0x5f, 0xa4, 0x50,
	0x6c, 0x19, 0x12, 0x4f, 0xc8, 0xcc, 0xda, 0x6e, 0x03, 0x3d
};

/* The versions whose Initials are read, with the TLS handshake. */
static const struct quic_version {
	uint32_t	 number;
	uint8_t		 type;		/* long-header type of an Initial */
	uint8_t		 crypto;	/* frame type of CRYPTO */
	const char	*label;		/* prefix of the key labels */
	const char	*name;		/* the value of version */
	const uint8_t	*salt;
} quic_versions[] = {
	{ 0x00000001, 0, 6, "quic ", "quic v1", quic_salt_v1 },
	{ 0x6b3343cf, 1, 6, "quicv2 ", "quic v2", quic_salt_v2 },
	{ 0xff000022, 0, 6, "quic ", "quic draft-34", quic_salt_v1 },
	{ 0xff000021, 0, 6, "quic ", "quic draft-33", quic_salt_v1 },
	{ 0xff000020, 0, 6, "quic ", "quic draft-32", quic_salt_d29 },
	{ 0xff00001f, 0, 6, "quic ", "quic draft-31", quic_salt_d29 },
	{ 0xff00001e, 0, 6, "quic ", "quic draft-30", quic_salt_d29 },
	{ 0xff00001d, 0, 6, "quic ", "quic draft-29", quic_salt_d29 },
	{ 0xff00001c, 0, 6, "quic ", "quic draft-28", quic_salt_d23 },
	{ 0xff00001b, 0, 6, "quic ", "quic draft-27", quic_salt_d23 },
	{ 0xff00001a, 0, 6, "quic ", "quic draft-26", quic_salt_d23 },
	{ 0xff000019, 0, 6, "quic ", "quic draft-25", quic_salt_d23 },
	{ 0xff000018, 0, 6, "quic ", "quic draft-24", quic_salt_d23 },
	{ 0xff000017, 0, 6, "quic ", "quic draft-23", quic_salt_d23 },
	{ 0xff000016, 0, 6, "quic ", "quic draft-22", quic_salt_d22 },
	{ 0xfaceb001, 0, 6, "quic ", "quic mvfst draft-22", quic_salt_d22 },
	{ 0xfaceb002, 0, 6, "quic ", "quic mvfst draft-27", quic_salt_d23 },
	{ 0xfaceb00e, 0, 6, "quic ", "quic mvfst exp", quic_salt_d23 },
	{ 0x54303530, 0, 8, "quic ", "quic t050", quic_salt_t50 },
	{ 0x54303531, 0, 8, "quic ", "quic t051", quic_salt_t51 },
};


/* A bounded reader over a packet or a frame list. */
struct quic_rd {
	const uint8_t	*p;
	size_t		 n, off;
	bool		 bad;
};

/* Read a variable-length integer (RFC 9000 §16); bad when short. */
static uint64_t
quic_varint(struct quic_rd *r)
{
	uint64_t	v;
	size_t		l, i;

	if (r->bad || r->off >= r->n) {
		r->bad = true;
		return (0);
	}
	l = (size_t)1 << (r->p[r->off] >> 6);
	if (l > r->n - r->off) {
		r->bad = true;
		return (0);
	}
	v = r->p[r->off] & 0x3f;
	for (i = 1; i < l; i++)
		v = v << 8 | r->p[r->off + i];
	r->off += l;
	return (v);
}

/* Skip n bytes; bad when there are fewer. */
static void
quic_skip(struct quic_rd *r, uint64_t n)
{
	if (r->bad || n > r->n - r->off)
		r->bad = true;
	else
		r->off += (size_t)n;
}

/* The version of a long-header packet's first bytes, or NULL. */
static const struct quic_version *
quic_version_of(const uint8_t *p, size_t n)
{
	uint32_t	v;
	size_t		i;

	if (n < 7 || (p[0] & 0xc0) != 0xc0)
		return (NULL);
	v = (uint32_t)p[1] << 24 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 8 | p[4];
	for (i = 0; i < nitems(quic_versions); i++) {
		if (quic_versions[i].number == v)
			return (&quic_versions[i]);
	}
	return (NULL);
}

/*
 * Whether a datagram starts with a client's first packets: a long header
 * of a version read here, the Initial type (or 0-RTT, the type after it,
 * which may arrive first) and a destination connection ID of 8 to 20
 * bytes (RFC 9000 §7.2).
 */
static bool
quic_is_initial(const uint8_t *p, size_t n)
{
	const struct quic_version	*v = quic_version_of(p, n);
	unsigned			 t;

	if (v == NULL)
		return (false);
	t = (p[0] >> 4) & 3;
	return ((t == v->type || t == v->type + 1U) && p[5] >= 8 &&
	    p[5] <= 20 && n > 6 + (size_t)p[5]);
}

/* HKDF-Expand-Label (RFC 8446 §7.1) with an empty context, out <= 32. */
static bool
quic_expand(const uint8_t *secret, const char *prefix, const char *label,
    uint8_t *out, size_t n)
{
	uint8_t		info[64], t[EVP_MAX_MD_SIZE];
	unsigned int	tn;
	size_t		pl = strlen(prefix), ll = strlen(label), i = 0;

	info[i++] = 0;
	info[i++] = (uint8_t)n;
	info[i++] = (uint8_t)(6 + pl + ll);
	memcpy(info + i, "tls13 ", 6);
	memcpy(info + i + 6, prefix, pl);
	memcpy(info + i + 6 + pl, label, ll);
	i += 6 + pl + ll;
	info[i++] = 0;		/* context */
	info[i++] = 1;		/* T(1): n <= 32 needs no more */
	if (HMAC(EVP_sha256(), secret, 32, info, i, t, &tn) == NULL)
		return (false);
	memcpy(out, t, n);
	return (true);
}

/* Derive the client's Initial keys from the destination connection ID. */
static bool
quic_derive(const struct quic_version *v, const uint8_t *dcid, size_t n,
    struct quic_keys *k)
{
	uint8_t		initial[EVP_MAX_MD_SIZE], client[32];
	unsigned int	len;

	if (HMAC(EVP_sha256(), v->salt, 20, dcid, n, initial,
	    &len) == NULL)
		return (false);
	return (quic_expand(initial, "", "client in", client, 32) &&
	    quic_expand(client, v->label, "key", k->key, 16) &&
	    quic_expand(client, v->label, "iv", k->iv, 12) &&
	    quic_expand(client, v->label, "hp", k->hp, 16));
}

/* The header protection mask of a sample (AES-128-ECB). */
static bool
quic_mask(const struct quic_keys *k, const uint8_t *sample, uint8_t *mask)
{
	EVP_CIPHER_CTX	*ctx;
	int		 len = 0;
	bool		 ok;

	if ((ctx = EVP_CIPHER_CTX_new()) == NULL)
		return (false);
	ok = EVP_EncryptInit_ex(ctx, EVP_aes_128_ecb(), NULL, k->hp, NULL) &&
	    EVP_CIPHER_CTX_set_padding(ctx, 0) &&
	    EVP_EncryptUpdate(ctx, mask, &len, sample, 16) && len == 16;
	EVP_CIPHER_CTX_free(ctx);
	return (ok);
}

/*
 * Decrypt a payload (AES-128-GCM, the tag in its last 16 bytes) with the
 * header as associated data; false when it does not authenticate.
 */
static bool
quic_open(const struct quic_keys *k, const uint8_t *nonce, const uint8_t *aad,
    size_t an, const uint8_t *ct, size_t cn, uint8_t *out)
{
	EVP_CIPHER_CTX	*ctx;
	int		 len;
	bool		 ok;

	if (cn < 16 || (ctx = EVP_CIPHER_CTX_new()) == NULL)
		return (false);
	ok = EVP_DecryptInit_ex(ctx, EVP_aes_128_gcm(), NULL, k->key, nonce) &&
	    EVP_DecryptUpdate(ctx, NULL, &len, aad, (int)an) &&
	    EVP_DecryptUpdate(ctx, out, &len, ct, (int)(cn - 16)) &&
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16,
	    (void *)(uintptr_t)(ct + cn - 16)) &&
	    EVP_DecryptFinal_ex(ctx, out + len, &len);
	EVP_CIPHER_CTX_free(ctx);
	return (ok);
}

/* Place CRYPTO frame data at its stream offset; the first copy wins. */
static void
quic_place(struct quic_state *q, uint64_t off, const uint8_t *p, size_t n)
{
	size_t	i;

	if (off >= QUIC_CRYPTO_MAX)
		return;
	if (n > QUIC_CRYPTO_MAX - off)
		n = QUIC_CRYPTO_MAX - (size_t)off;
	for (i = 0; i < n; i++) {
		if (q->map[(off + i) / 8] & (1 << ((off + i) % 8)))
			continue;
		q->map[(off + i) / 8] |= (uint8_t)(1 << ((off + i) % 8));
		q->buf[off + i] = p[i];
	}
	while (q->contig < QUIC_CRYPTO_MAX &&
	    (q->map[q->contig / 8] & (1 << (q->contig % 8))))
		q->contig++;
}

/* Skip an ACK frame's fields (type 0x02, or 0x03 with ECN counts). */
static void
quic_ack(struct quic_rd *r, uint64_t type)
{
	uint64_t	ranges;

	quic_varint(r);
	quic_varint(r);
	ranges = quic_varint(r);
	quic_varint(r);
	while (!r->bad && ranges-- > 0) {
		quic_varint(r);
		quic_varint(r);
	}
	if (type == 3) {
		quic_varint(r);
		quic_varint(r);
		quic_varint(r);
	}
}

/*
 * Read the frames of a decrypted Initial: CRYPTO data is placed, PADDING,
 * PING and ACK skipped; any other frame ends the list.
 */
void
quic_frames(struct quic_state *q, const uint8_t *p, size_t n)
{
	struct quic_rd	 r = { p, n, 0, false };
	uint64_t	 type, off, len;

	while (!r.bad && r.off < r.n) {
		type = quic_varint(&r);
		if (type == 0 || type == 1)
			continue;
		if (type == 2 || type == 3) {
			quic_ack(&r, type);
			continue;
		}
		if (type != quic_versions[q->version].crypto)
			return;
		off = quic_varint(&r);
		len = quic_varint(&r);
		if (r.bad || len > r.n - r.off)
			return;
		quic_place(q, off, r.p + r.off, (size_t)len);
		r.off += (size_t)len;
	}
}

/*
 * Remove header protection from a copy of the header (h: bytes up to the
 * packet number and the 4 after it) and decrypt the payload into a new
 * buffer; its length, or 0.
 */
static size_t
quic_unprotect(const struct quic_keys *k, const uint8_t *pkt, size_t pn,
    size_t end, uint8_t *h, uint8_t **out)
{
	uint8_t	 mask[16], nonce[12];
	size_t	 pl, i;
	uint64_t num = 0;

	if (pn + 4 + 16 > end || !quic_mask(k, pkt + pn + 4, mask))
		return (0);
	memcpy(h, pkt, pn + 4);
	h[0] ^= mask[0] & 0x0f;
	pl = (size_t)(h[0] & 3) + 1;
	for (i = 0; i < pl; i++) {
		h[pn + i] ^= mask[1 + i];
		num = num << 8 | h[pn + i];
	}
	memcpy(nonce, k->iv, 12);
	for (i = 0; i < 8; i++)
		nonce[11 - i] ^= (uint8_t)(num >> (8 * i));
	*out = xmalloc(end - pn - pl);
	if (quic_open(k, nonce, h, pn + pl, pkt + pn + pl, end - pn - pl,
	    *out))
		return (end - pn - pl - 16);
	free(*out);
	*out = NULL;
	return (0);
}

/*
 * Read one long-header packet at the start of p (n bytes): a client
 * Initial of the session's version is decrypted and its frames read.  The
 * packet's length, or 0 when no packet follows.
 */
static size_t
quic_packet(struct quic_state *q, const uint8_t *p, size_t n)
{
	const struct quic_version	*v = &quic_versions[q->version];
	struct quic_rd			 r = { p, n, 5, false };
	uint8_t				 h[QUIC_HEADER_MAX], *plain = NULL;
	size_t				 dcid, pn, len;
	uint64_t			 length;

	if (quic_version_of(p, n) != v)
		return (0);
	dcid = p[5];
	quic_skip(&r, 1 + (uint64_t)dcid);
	quic_skip(&r, r.off < n ? 1 + (uint64_t)p[r.off] : 1);
	if (((p[0] >> 4) & 3) == v->type)
		quic_skip(&r, quic_varint(&r));		/* token */
	length = quic_varint(&r);
	if (r.bad || dcid > 20 || length > n - r.off)
		return (0);
	pn = r.off;
	if (((p[0] >> 4) & 3) != v->type || pn + 4 > sizeof h)
		return (pn + (size_t)length);
	if (!q->keyed)
		q->keyed = quic_derive(v, p + 6, dcid, &q->keys);
	if (q->keyed && (len = quic_unprotect(&q->keys, p, pn,
	    pn + (size_t)length, h, &plain)) > 0)
		quic_frames(q, plain, len);
	free(plain);
	return (pn + (size_t)length);
}

/* Whether the ClientHello in the stream is whole. */
static bool
quic_hello_whole(const struct quic_state *q)
{
	size_t	need;

	if (q->contig < 4)
		return (false);
	need = 4 + ((size_t)q->buf[1] << 16 | (size_t)q->buf[2] << 8 |
	    q->buf[3]);
	return (q->contig >= need || q->contig == QUIC_CRYPTO_MAX);
}

/*
 * Read a datagram of a QUIC session (side: its sender): the client's
 * first datagrams, their coalesced packets one by one.  True once the
 * session has told all it will (the hello is whole, or given up on).
 */
bool
quic_datagram(struct quic_state *q, const uint8_t *p, size_t n, int side)
{
	size_t	len;

	if (q->done || side != q->side)
		return (q->done);
	if (n > 0 && (p[0] & 0x80) == 0) {
		q->done = true;
		return (true);
	}
	while (n > 0 && (len = quic_packet(q, p, n)) > 0) {
		p += len;
		n -= len;
	}
	q->done = quic_hello_whole(q) || ++q->datagrams >= QUIC_DATAGRAMS;
	return (q->done);
}

/* The QUIC state of a session whose first datagram (from side) is an
   Initial quic_is_initial() accepted. */
struct quic_state *
quic_start(const uint8_t *p, size_t n, int side)
{
	struct quic_state	*q = xcalloc(1, sizeof *q);

	q->version = (uint8_t)(quic_version_of(p, n) - quic_versions);
	q->side = (uint8_t)side;
	return (q);
}

/* Write the QUIC meta of a session: version, and the hello's. */
void
quic_close(struct parse_ctx *pc, struct session *s, struct parse_state *ps)
{
	const struct quic_state	*q = ps->quic;

	tls_quic_hello(pc, s, quic_versions[q->version].name, q->buf,
	    q->contig);
}

/* Give a QUIC state back (NULL is ignored). */
void
quic_drop(void *q)
{
	free(q);
}

/*
 * Look at a datagram of a QUIC session: the client's Initials are read on
 * the engine's thread (their CRYPTO frames are kept), and the session
 * finishes as soon as its ClientHello is whole.
 */
static enum parse_next
quic_on_packet(struct parse_ctx *pc, struct session *s, struct parse_state *ps,
    const struct decoded *d, int side, struct parse_bytes *b)
{
	(void)pc;
	(void)s;
	(void)b;
	if (ps->quic == NULL)
		ps->quic = quic_start(d->payload, d->payload_caplen, side);
	if (quic_datagram(ps->quic, d->payload, d->payload_caplen, side))
		return (PN_DONE);
	return (PN_NOTHING);
}

const struct parse_ops quic_ops = {
	.service = 443, .udp = PU_CONTENT, .is = quic_is_initial,
	.packet = quic_on_packet, .close = quic_close
};
