/*
 * showtls.c - a TLS hello at the start of a packet's payload, as lines for
 * people: the record's and the hello's versions, supported versions, SNI,
 * ALPN, cipher suites and the JA3 (ClientHello) or JA3S (ServerHello)
 * string and digest, made as JA3 defines them (GREASE values left out).
 */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <string.h>

#include "parse/parse-int.h"
#include "parse/show.h"

/* What the extensions of a hello said. */
struct hello {
	struct buf	 ja;		/* the JA3 or JA3S string */
	struct buf	 groups, points, exts;
	struct rd	 sni, alpn, vers;
	bool		 server;
};

/* A version's name: "tls 1.2", or its number. */
static void
version(struct buf *b, uint32_t v)
{
	static const char *const names[] = {
		"ssl 3.0", "tls 1.0", "tls 1.1", "tls 1.2", "tls 1.3"
	};

	if (v >= 0x0300 && v <= 0x0304)
		buf_adds(b, names[v - 0x0300]);
	else if (tls_grease(v))
		buf_printf(b, "GREASE 0x%04x", v);
	else
		buf_printf(b, "0x%04x", v);
}

/* Add a number to a JA3 list (dash separated). */
static void
ja_add(struct buf *b, uint32_t v)
{
	if (b->len > 0)
		buf_addc(b, '-');
	buf_printf(b, "%u", v);
}

/* A list of w-byte values into a JA3 list, GREASE left out. */
static void
ja_list(struct buf *b, struct rd r, size_t w)
{
	uint32_t	 v;

	while (r.off + w <= r.n) {
		v = rd_num(&r, w);
		if (w == 1 || !tls_grease(v))
			ja_add(b, v);
	}
}

/* The cipher suites offered, by name where known. */
static void
suites(struct show *sh, struct rd r, struct buf *ja)
{
	struct buf	 ids;
	const char	*name;
	uint32_t	 v;
	size_t		 k = 0;

	buf_init(&ids);
	buf_printf(sh->out, "  cipher suites (%zu): ", r.n / 2);
	while (r.off + 2 <= r.n) {
		v = rd_num(&r, 2);
		if (k++ > 0)
			buf_adds(sh->out, ", ");
		if ((name = tls_suite_name(v)) != NULL)
			buf_adds(sh->out, name);
		else
			buf_printf(sh->out, "%s0x%04x", tls_grease(v) ? "GREASE " :
			    "", v);
		if (!tls_grease(v))
			ja_add(&ids, v);
	}
	show_end(sh);
	buf_printf(ja, ",%s", ids.s != NULL ? ids.s : "");
	buf_free(&ids);
}

/* Keep what an extension says that is shown, and its type for JA3. */
static void
extension(struct hello *h, uint32_t type, struct rd e)
{
	if (!tls_grease(type) || h->server)
		ja_add(&h->exts, type);
	if (type == 0)
		h->sni = e;
	else if (type == 16)
		h->alpn = e;
	else if (type == 43)
		h->vers = e;
	else if (type == 10 && !h->server)
		ja_list(&h->groups, rd_sub(&e, rd_num(&e, 2)), 2);
	else if (type == 11 && !h->server)
		ja_list(&h->points, rd_sub(&e, rd_num(&e, 1)), 1);
}

/* The names of a server_name extension. */
static void
sni(struct show *sh, struct rd r)
{
	struct rd	 list = rd_sub(&r, rd_num(&r, 2)), name;
	uint32_t	 type;

	while (!list.bad && list.off + 3 <= list.n) {
		type = rd_num(&list, 1);
		name = rd_sub(&list, rd_num(&list, 2));
		if (type != 0)
			continue;
		buf_adds(sh->out, "  sni: ");
		esc_text(sh->out, name.p, name.n);
		show_end(sh);
	}
}

/* The protocols of an ALPN extension. */
static void
alpn(struct show *sh, struct rd r)
{
	struct rd	 list = rd_sub(&r, rd_num(&r, 2)), name;
	size_t		 k = 0;

	buf_adds(sh->out, "  alpn: ");
	while (!list.bad && list.off < list.n) {
		name = rd_sub(&list, rd_num(&list, 1));
		if (k++ > 0)
			buf_adds(sh->out, ", ");
		esc_text(sh->out, name.p, name.n);
	}
	show_end(sh);
}

/* The versions of a supported_versions extension (the server's: one). */
static void
versions(struct show *sh, struct rd r, bool server)
{
	struct rd	 list = server ? r : rd_sub(&r, rd_num(&r, 1));
	size_t		 k = 0;

	buf_adds(sh->out, server ? "  selected version: " :
	    "  supported versions: ");
	while (list.off + 2 <= list.n) {
		if (k++ > 0)
			buf_adds(sh->out, ", ");
		version(sh->out, rd_num(&list, 2));
	}
	show_end(sh);
}

/* Read the extensions, then show what they said and the JA3 string and
 * digest (when the hello is whole). */
static void
extensions(struct show *sh, struct rd ext, struct hello *h, bool whole)
{
	struct rd	 e;
	uint32_t	 type;
	char		 md5[33];

	while (!ext.bad && ext.off + 4 <= ext.n) {
		type = rd_num(&ext, 2);
		e = rd_sub(&ext, rd_num(&ext, 2));
		extension(h, type, e);
	}
	if (h->vers.p != NULL)
		versions(sh, h->vers, h->server);
	if (h->sni.p != NULL)
		sni(sh, h->sni);
	if (h->alpn.p != NULL)
		alpn(sh, h->alpn);
	if (!whole) {
		show_line(sh, "  (the hello goes on in the next packet)");
		return;
	}
	buf_printf(&h->ja, ",%s", h->exts.s != NULL ? h->exts.s : "");
	if (!h->server)
		buf_printf(&h->ja, ",%s,%s", h->groups.s != NULL ?
		    h->groups.s : "", h->points.s != NULL ? h->points.s : "");
	md5_hex(h->ja.s, h->ja.len, md5);
	buf_printf(sh->out, "  %s: %s", h->server ? "ja3s" : "ja3", md5);
	show_end(sh);
	buf_printf(sh->out, "  %s string: %s", h->server ? "ja3s" : "ja3",
	    h->ja.s);
	show_end(sh);
}

/* A ClientHello's or ServerHello's body after its version. */
static void
body(struct show *sh, struct rd r, struct hello *h, bool whole)
{
	struct rd	 ext;
	uint32_t	 suite;
	const char	*name;

	rd_sub(&r, 32);
	rd_sub(&r, rd_num(&r, 1));
	if (h->server) {
		suite = rd_num(&r, 2);
		rd_num(&r, 1);
		if (r.bad)
			return;
		name = tls_suite_name(suite);
		buf_printf(sh->out, "  cipher suite: %s%s0x%04x%s", name !=
		    NULL ? name : "", name != NULL ? " (" : "", suite, name !=
		    NULL ? ")" : "");
		show_end(sh);
		buf_printf(&h->ja, ",%u", suite);
	} else {
		suites(sh, rd_sub(&r, rd_num(&r, 2)), &h->ja);
		rd_sub(&r, rd_num(&r, 1));
	}
	memset(&ext, 0, sizeof ext);
	if (!r.bad && r.off < r.n)	/* none at all: an SSL 3.0 hello */
		ext = rd_sub(&r, rd_num(&r, 2));
	extensions(sh, ext, h, whole && !r.bad);
}

/* Free a hello's buffers. */
static void
hello_free(struct hello *h)
{
	buf_free(&h->ja);
	buf_free(&h->groups);
	buf_free(&h->points);
	buf_free(&h->exts);
}

/* A TLS hello at the start of a TCP payload (parse/show.h). */
bool
show_tls(struct show *sh, const struct decoded *d)
{
	struct rd	 r = { d->payload, d->payload_caplen, 0, false }, msg;
	struct hello	 h;
	uint32_t	 rv, type, hv;
	bool		 whole;

	if (d->proto != 6 || r.n < 11 || r.p[0] != 0x16 || r.p[1] != 3 ||
	    r.p[2] > 4 || (r.p[5] != 1 && r.p[5] != 2))
		return (false);
	memset(&h, 0, sizeof h);
	rd_num(&r, 1);
	rv = rd_num(&r, 2);
	rd_num(&r, 2);
	type = rd_num(&r, 1);
	msg = rd_sub(&r, rd_num(&r, 3));
	whole = !r.bad;
	h.server = type == 2;
	hv = rd_num(&msg, 2);
	buf_adds(sh->out, h.server ? "tls ServerHello, record " :
	    "tls ClientHello, record ");
	version(sh->out, rv);
	buf_adds(sh->out, ", hello ");
	version(sh->out, hv);
	show_end(sh);
	buf_init(&h.ja);
	buf_init(&h.groups);
	buf_init(&h.points);
	buf_init(&h.exts);
	buf_printf(&h.ja, "%u", hv);
	body(sh, msg, &h, whole);
	hello_free(&h);
	return (true);
}
