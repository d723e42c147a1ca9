/* pcapng.c - pcapng blocks read one at a time, each interface its own. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "capture/capture.h"
#include "capture/pcapng.h"
#include "util/util.h"

#define PCAPNG_SHB	0x0a0d0d0aU
#define PCAPNG_IDB	1U
#define PCAPNG_OPB	2U	/* obsolete packet block */
#define PCAPNG_SPB	3U
#define PCAPNG_EPB	6U
#define PCAPNG_BOM	0x1a2b3c4dU
#define PCAPNG_MAX_BLOCK (16U << 20)
#define PCAPNG_BUFSIZE	(256U << 10)

/* An interface: its link type and how to turn its timestamps into ns. */
struct pcapng_if {
	int		 dlt;
	uint32_t	 snaplen;
	uint64_t	 mul;		/* ns = ts * mul, or */
	uint64_t	 div;		/* ts / div, or */
	int		 shift;		/* (ts * 10^9) >> shift when >= 0 */
	int64_t		 offset;	/* if_tsoffset, seconds */
};

/* A section: from its header block on, one byte order, its interfaces. */
struct pcapng_section {
	uint64_t	 off;
	bool		 swap;
	struct pcapng_if *ifs;
	size_t		 nif;
};

struct pcapng_table {
	struct pcapng_section *sec;
	size_t		 nsec;
};

struct pcapng {
	FILE		*f;
	struct pcapng_table *t;
	bool		 own;		/* t is ours: built as we read */
	size_t		 cur;		/* the section being read */
	bool		 started;	/* a section header was read */
	uint64_t	 off;		/* the next block's offset */
	unsigned char	*buf;		/* bytes read ahead, from pos to fill */
	size_t		 size, pos, fill;
	char		 err[128];
};

/* A 16-bit field in the section's byte order. */
static uint16_t
pcapng_u16(const struct pcapng *r, const unsigned char *p)
{
	if (r->started && r->t->sec[r->cur].swap)
		return ((uint16_t)(p[0] << 8 | p[1]));
	return ((uint16_t)(p[1] << 8 | p[0]));
}

/* A 32-bit field in the byte order swap says. */
static uint32_t
pcapng_get32(bool swap, const unsigned char *p)
{
	if (swap)
		return ((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		    (uint32_t)p[2] << 8 | p[3]);
	return ((uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[1] << 8 | p[0]);
}

/* A 32-bit field in the section's byte order. */
static uint32_t
pcapng_u32(const struct pcapng *r, const unsigned char *p)
{
	return (pcapng_get32(r->started && r->t->sec[r->cur].swap, p));
}

/* Open a reader; with a table, borrow it (see the contract). */
struct pcapng *
pcapng_open(FILE *f, const struct pcapng_table *t)
{
	struct pcapng	*r;

	r = xcalloc(1, sizeof *r);
	r->f = f;
	r->own = t == NULL;
	r->t = r->own ? xcalloc(1, sizeof *r->t) : (struct pcapng_table *)t;
	r->size = PCAPNG_BUFSIZE;
	r->buf = xmalloc(r->size);
	return (r);
}

/* Free a table. */
void
pcapng_table_free(struct pcapng_table *t)
{
	size_t	 i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nsec; i++)
		free(t->sec[i].ifs);
	free(t->sec);
	free(t);
}

/* Close a reader (not its stream). */
void
pcapng_close(struct pcapng *r)
{
	if (r == NULL)
		return;
	if (r->own)
		pcapng_table_free(r->t);
	free(r->buf);
	free(r);
}

/* Take the table a reader built. */
struct pcapng_table *
pcapng_table_take(struct pcapng *r)
{
	struct pcapng_table	*t = r->t;

	if (!r->own)
		return (NULL);
	r->own = false;
	return (t);
}

/* The end of the last whole block. */
uint64_t
pcapng_good(const struct pcapng *r)
{
	return (r->off);
}

/* Why the file could not be read. */
const char *
pcapng_error(const struct pcapng *r)
{
	return (r->err);
}

/* The first interface's link type. */
int
pcapng_first_dlt(const struct pcapng *r)
{
	if (r->t->nsec == 0 || r->t->sec[0].nif == 0)
		return (-1);
	return (r->t->sec[0].ifs[0].dlt);
}

/* Say why a block is bad. */
static enum pcapng_result
pcapng_bad(struct pcapng *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static enum pcapng_result
pcapng_bad(struct pcapng *r, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(r->err, sizeof r->err, fmt, ap);
	va_end(ap);
	return (PCAPNG_BAD);
}

/* Resume at a block's offset, in the section that holds it. */
bool
pcapng_seek(struct pcapng *r, uint64_t off)
{
	size_t	 i;

	if (r->t->nsec == 0 || off < r->t->sec[0].off ||
	    fseeko(r->f, (off_t)off, SEEK_SET) != 0)
		return (false);
	for (i = 0; i + 1 < r->t->nsec && r->t->sec[i + 1].off <= off; i++)
		;
	r->cur = i;
	r->started = true;
	r->off = off;
	r->pos = r->fill = 0;
	clearerr(r->f);
	return (true);
}

/*
 * The DLT libpcap gives for a link type of a file's header (LINKTYPE_):
 * the few values that differ from the DLT_ value on Linux.
 */
int
capture_linktype_dlt(uint32_t lt)
{
	switch (lt) {
	case 100: return (11);	/* ATM RFC 1483 */
	case 101: return (12);	/* raw IP */
	case 102: return (15);	/* SLIP BSD/OS */
	case 103: return (16);	/* PPP BSD/OS */
	case 106: return (19);	/* ATM CLIP */
	}
	return ((int)lt);
}

/* Set an interface's timestamp units from if_tsresol; false if absurd. */
static bool
pcapng_resol(struct pcapng_if *in, uint8_t v)
{
	unsigned int	 n = v & 0x7f, i;
	uint64_t	 p = 1;

	in->mul = 1;
	in->div = 1;
	in->shift = -1;
	if (v & 0x80) {
		if (n > 63)
			return (false);
		in->shift = (int)n;
		return (true);
	}
	if (n > 19)
		return (false);
	for (i = 0; i < (n > 9 ? n - 9 : 9 - n); i++)
		p *= 10;
	if (n > 9)
		in->div = p;
	else
		in->mul = p;
	return (true);
}

/* A time in ns from an interface's units. */
static uint64_t
pcapng_ns(const struct pcapng_if *in, uint64_t ts)
{
	uint64_t	 ns;

	if (in->shift >= 0)
		ns = (uint64_t)(((unsigned __int128)ts * 1000000000U) >>
		    in->shift);
	else
		ns = in->div > 1 ? ts / in->div : ts * in->mul;
	return (ns + (uint64_t)in->offset * 1000000000U);
}

/* Read an interface's options: if_tsresol (9) and if_tsoffset (14). */
static bool
pcapng_if_options(struct pcapng *r, struct pcapng_if *in,
    const unsigned char *p, size_t len)
{
	uint16_t	 code, olen;
	uint64_t	 v;

	if (!pcapng_resol(in, 6))
		return (false);
	while (len >= 4) {
		code = pcapng_u16(r, p);
		olen = pcapng_u16(r, p + 2);
		if (code == 0 || (size_t)olen > len - 4)
			break;
		if (code == 9 && olen >= 1 && !pcapng_resol(in, p[4]))
			return (false);
		if (code == 14 && olen == 8) {
			v = (uint64_t)pcapng_u32(r, p + 4) |
			    (uint64_t)pcapng_u32(r, p + 8) << 32;
			if (r->t->sec[r->cur].swap)
				v = v << 32 | v >> 32;
			in->offset = (int64_t)v;
		}
		olen = (uint16_t)((olen + 3) & ~3U);
		if ((size_t)olen > len - 4)
			break;
		p += 4 + olen;
		len -= 4 + (size_t)olen;
	}
	return (true);
}

/* An interface description block: add the interface to its section. */
static enum pcapng_result
pcapng_idb(struct pcapng *r, const unsigned char *b, size_t len)
{
	struct pcapng_section	*s = &r->t->sec[r->cur];
	struct pcapng_if	 in;

	if (!r->own)
		return (PCAPNG_REC);	/* the table has it */
	if (len < 8)
		return (pcapng_bad(r, "interface block at byte %llu too short",
		    (unsigned long long)r->off));
	memset(&in, 0, sizeof in);
	in.dlt = capture_linktype_dlt(pcapng_u16(r, b));
	in.snaplen = pcapng_u32(r, b + 4);
	if (!pcapng_if_options(r, &in, b + 8, len - 8))
		return (pcapng_bad(r, "interface block at byte %llu has a bad "
		    "timestamp resolution", (unsigned long long)r->off));
	s->ifs = xreallocarray(s->ifs, s->nif + 1, sizeof *s->ifs);
	s->ifs[s->nif++] = in;
	return (PCAPNG_REC);
}

/* A section header block (its body after the byte-order magic). */
static enum pcapng_result
pcapng_shb(struct pcapng *r, bool swap, const unsigned char *b, size_t len)
{
	struct pcapng_table	*t = r->t;
	size_t			 i;
	unsigned int		 major, minor;

	if (len < 12)
		return (pcapng_bad(r, "section at byte %llu too short",
		    (unsigned long long)r->off));
	major = swap ? (unsigned)b[0] << 8 | b[1] : (unsigned)b[1] << 8 | b[0];
	minor = swap ? (unsigned)b[2] << 8 | b[3] : (unsigned)b[3] << 8 | b[2];
	if (major != 1 || (minor != 0 && minor != 2))	/* 1.1 was never one */
		return (pcapng_bad(r, "section at byte %llu: unsupported "
		    "pcapng version %u.%u", (unsigned long long)r->off, major,
		    minor));
	if (r->own) {
		t->sec = xreallocarray(t->sec, t->nsec + 1, sizeof *t->sec);
		memset(&t->sec[t->nsec], 0, sizeof *t->sec);
		t->sec[t->nsec].off = r->off;
		t->sec[t->nsec].swap = swap;
		r->cur = t->nsec++;
	} else {
		for (i = 0; i < t->nsec && t->sec[i].off != r->off; i++)
			;
		if (i == t->nsec)
			return (pcapng_bad(r, "section at byte %llu is new: the "
			    "file changed", (unsigned long long)r->off));
		r->cur = i;
	}
	r->started = true;
	return (PCAPNG_REC);
}

/* Fill a record from a packet block's fields. */
static enum pcapng_result
pcapng_packet(struct pcapng *r, struct pcapng_rec *rec, uint32_t ifid,
    uint64_t ts, uint32_t caplen, const unsigned char *data)
{
	const struct pcapng_section	*s = &r->t->sec[r->cur];
	const struct pcapng_if		*in;

	if (ifid >= s->nif)
		return (pcapng_bad(r, "packet at byte %llu on interface %u, "
		    "which no block describes", (unsigned long long)r->off,
		    ifid));
	in = &s->ifs[ifid];
	rec->off = r->off;
	rec->iface = ifid;
	rec->dlt = in->dlt;
	rec->ts = pcapng_ns(in, ts);
	rec->caplen = caplen > PCAPNG_MAX_CAPLEN ? PCAPNG_MAX_CAPLEN : caplen;
	rec->data = data;
	return (PCAPNG_REC);
}

/* An enhanced (6) or obsolete (2) packet block. */
static enum pcapng_result
pcapng_epb(struct pcapng *r, uint32_t type, const unsigned char *b,
    size_t len, struct pcapng_rec *rec)
{
	uint32_t	 ifid, caplen;
	uint64_t	 ts;

	if (len < 20)
		return (pcapng_bad(r, "packet block at byte %llu too short",
		    (unsigned long long)r->off));
	ifid = type == PCAPNG_EPB ? pcapng_u32(r, b) : pcapng_u16(r, b);
	ts = (uint64_t)pcapng_u32(r, b + 4) << 32 | pcapng_u32(r, b + 8);
	caplen = pcapng_u32(r, b + 12);
	if (caplen > len - 20)
		return (pcapng_bad(r, "packet at byte %llu: %u bytes captured "
		    "in a %zu-byte block", (unsigned long long)r->off, caplen,
		    len + 12));
	rec->wirelen = pcapng_u32(r, b + 16);
	return (pcapng_packet(r, rec, ifid, ts, caplen, b + 20));
}

/* A simple packet block: interface 0, no time, cut to the snap length. */
static enum pcapng_result
pcapng_spb(struct pcapng *r, const unsigned char *b, size_t len,
    struct pcapng_rec *rec)
{
	const struct pcapng_section	*s = &r->t->sec[r->cur];
	uint32_t			 caplen;

	if (len < 4 || s->nif == 0)
		return (pcapng_bad(r, "simple packet block at byte %llu %s",
		    (unsigned long long)r->off, len < 4 ? "too short" :
		    "before any interface"));
	rec->wirelen = pcapng_u32(r, b);
	caplen = (uint32_t)(len - 4 < rec->wirelen ? len - 4 : rec->wirelen);
	if (s->ifs[0].snaplen != 0 && caplen > s->ifs[0].snaplen)
		caplen = s->ifs[0].snaplen;
	return (pcapng_packet(r, rec, 0, 0, caplen, b + 4));
}

/*
 * Have n bytes read ahead at r->buf + r->pos: the blocks are parsed where
 * they lie in the buffer, which is refilled a megabyte at a time.  -1 on a
 * read error, 0 at the end of the file, 1 when they are there.
 */
static int
pcapng_want(struct pcapng *r, size_t n)
{
	size_t	 got;

	if (r->fill - r->pos >= n)
		return (1);
	memmove(r->buf, r->buf + r->pos, r->fill - r->pos);
	r->fill -= r->pos;
	r->pos = 0;
	if (n > r->size) {
		while (r->size < n)
			r->size *= 2;
		r->buf = xrealloc(r->buf, r->size);
	}
	while (r->fill < n) {
		got = fread(r->buf + r->fill, 1, r->size - r->fill, r->f);
		if (got == 0)
			return (ferror(r->f) ? -1 : 0);
		r->fill += got;
	}
	return (1);
}

/* Why the file stopped: a read error, or a block cut by its end. */
static enum pcapng_result
pcapng_short(struct pcapng *r, int rc)
{
	if (rc < 0)
		return (pcapng_bad(r, "%s", strerror(errno)));
	return (PCAPNG_TRUNC);
}

/*
 * Read one block's header: its type, total length and, for a section
 * header, the byte order; PCAPNG_REC when the whole block is read ahead.
 */
static enum pcapng_result
pcapng_header(struct pcapng *r, uint32_t *type, uint32_t *len, bool *swap)
{
	const unsigned char	*h;
	int			 rc;

	if ((rc = pcapng_want(r, 8)) <= 0)
		return (rc == 0 && r->fill == r->pos ? PCAPNG_END :
		    pcapng_short(r, rc));
	h = r->buf + r->pos;
	*swap = r->started && r->t->sec[r->cur].swap;
	*type = pcapng_get32(*swap, h);
	if (memcmp(h, "\x0a\x0d\x0d\x0a", 4) == 0) {
		*type = PCAPNG_SHB;
		if ((rc = pcapng_want(r, 12)) <= 0)
			return (pcapng_short(r, rc));
		h = r->buf + r->pos;
		if (pcapng_get32(false, h + 8) == PCAPNG_BOM)
			*swap = false;
		else if (pcapng_get32(true, h + 8) == PCAPNG_BOM)
			*swap = true;
		else
			return (pcapng_bad(r, "section at byte %llu has no "
			    "byte-order magic", (unsigned long long)r->off));
	} else if (!r->started)
		return (pcapng_bad(r, "not a pcapng file"));
	*len = pcapng_get32(*swap, h + 4);
	if (*len < 12 + (*type == PCAPNG_SHB ? 4U : 0U) || *len % 4 != 0 ||
	    *len > PCAPNG_MAX_BLOCK)
		return (pcapng_bad(r, "block at byte %llu has a bad length %u",
		    (unsigned long long)r->off, *len));
	if ((rc = pcapng_want(r, *len)) <= 0)
		return (pcapng_short(r, rc));
	if (pcapng_get32(*swap, r->buf + r->pos + *len - 4) != *len)
		return (pcapng_bad(r, "block at byte %llu: its two lengths "
		    "differ", (unsigned long long)r->off));
	return (PCAPNG_REC);
}

/* Read blocks up to the next packet record. */
enum pcapng_result
pcapng_next(struct pcapng *r, struct pcapng_rec *rec)
{
	enum pcapng_result	 rc;
	uint32_t		 type = 0, len = 0;
	size_t			 head, body;
	const unsigned char	*b;
	bool			 swap = false;

	for (;;) {
		if ((rc = pcapng_header(r, &type, &len, &swap)) != PCAPNG_REC)
			return (rc);
		head = type == PCAPNG_SHB ? 12 : 8;
		b = r->buf + r->pos + head;
		body = len - head - 4;
		if (type == PCAPNG_SHB)
			rc = pcapng_shb(r, swap, b, body);
		else if (type == PCAPNG_IDB)
			rc = pcapng_idb(r, b, body);
		else if (type == PCAPNG_EPB || type == PCAPNG_OPB)
			rc = pcapng_epb(r, type, b, body, rec);
		else if (type == PCAPNG_SPB)
			rc = pcapng_spb(r, b, body, rec);
		if (rc != PCAPNG_REC)
			return (rc);
		r->off += len;
		r->pos += len;
		if (type == PCAPNG_EPB || type == PCAPNG_OPB ||
		    type == PCAPNG_SPB)
			return (PCAPNG_REC);
	}
}
