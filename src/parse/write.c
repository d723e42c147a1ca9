/*
 * write.c - what every protocol parser writes with, below them all: the
 * meta writers, the indicator names and the free lists of state blocks.
 * It knows no protocol, the dispatcher or the parsers' thread.
 */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdlib.h>
#include <string.h>

#include "parse/parse-int.h"

/* Indicator values, by enum parse_ind (SPEC §2 spellings). */
const char *const parse_indicators[PI_COUNT] = {
	[PI_DNS_LONG_QUERY] = "dns long query",
	[PI_DNS_LONG_LABEL] = "dns long label",
	[PI_DNS_LARGE_ANSWER] = "dns large answer",
	[PI_DNS_BASE32] = "dns base32 label",
	[PI_DNS_BASE64] = "dns base64 label",
	[PI_DNS_TXT36] = "dns base36 txt record",
	[PI_DNS_TXT64] = "dns base64 txt record",
	[PI_DNS_ENTROPY] = "dns high entropy label",
	[PI_DNS_OBSCURE] = "dns obscure record type",
	[PI_DNS_LOW_TTL] = "dns low ttl",
	[PI_DNS_CONSONANTS] = "hostname consecutive consonants",
	[PI_DNS_IPNAME] = "hostname looks like ip address",
	[PI_DNS_NONASCII] = "dns non-ascii name",
	[PI_DNS_MANY] = "dns many distinct names",
	[PI_DNS_PORT53] = "anomalous or non-dns session on dns port",
	[PI_HTTP_NO_UA] = "http no user-agent",
	[PI_HTTP_NO_REFERER] = "http no referer",
	[PI_HTTP_DIRECT_IP] = "direct to ip http request",
	[PI_ICMP_NO_REQUEST] = "icmp reply without request",
	[PI_ICMP_DIFFERS] = "icmp reply payload differs",
	[PI_ICMP_NONSTD] = "icmp non-standard payload",
	[PI_ICMP_SIZES] = "icmp payload size varies",
	[PI_ICMP_MAGIC] = "icmp tunnel magic",
	[PI_ICMP_TEXT] = "icmp carries protocol text",
	[PI_ICMP_PATTERN] = "icmp ping pattern",
};

int	pk_host, pk_service_ind, pk_session_ind;

const struct parse_key parse_keys[] = {
	{ "alias.host", &pk_host },
	{ "analysis.service", &pk_service_ind },
	{ "analysis.session", &pk_session_ind },
	{ NULL, NULL }
};

/* A zeroed block of the list's size, from the list when it has one. */
void *
parse_block_get(struct parse_blocks *l)
{
	void	*p;

	if (l->n == 0)
		return (xcalloc(1, l->size));
	p = l->stack[--l->n];
	memset(p, 0, l->size);
	return (p);
}

/* Give a block back (NULL is ignored). */
void
parse_block_put(struct parse_blocks *l, void *p)
{
	if (p == NULL)
		return;
	if (l->n >= PARSE_BLOCKS_KEEP) {
		free(p);
		return;
	}
	if (l->stack == NULL)
		l->stack = xreallocarray(NULL, PARSE_BLOCKS_KEEP,
		    sizeof *l->stack);
	l->stack[l->n++] = p;
}

/* Free the blocks a list keeps. */
void
parse_blocks_free(struct parse_blocks *l)
{
	while (l->n > 0)
		free(l->stack[--l->n]);
	free(l->stack);
	l->stack = NULL;
}

/* Add a text value. */
void
parse_add_text(struct session *s, int key, const void *p, size_t n)
{
	struct mval	v;

	if (key <= 0)
		return;
	memset(&v, 0, sizeof v);
	v.type = MT_TEXT;
	v.text.p = p;
	v.text.n = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
	session_meta_add(s, key, &v, MF_PARSER);
}

/* Add a NUL-terminated text value. */
void
parse_add_str(struct session *s, int key, const char *str)
{
	parse_add_text(s, key, str, strlen(str));
}

/*
 * Add a string that lives for the whole run (a constant) as text.  The
 * pool ids of the parsers' constant strings (record types, indicators,
 * versions, suite names) are kept by address in the context, so writing
 * one costs no hashing (the meta writer's thread only).
 */
void
parse_add_const(struct parse_ctx *pc, struct session *s, int key,
    const char *str)
{
	uintptr_t	a = (uintptr_t)str;
	size_t		i = (size_t)((a >> 3) ^ (a >> 12)) % PARSE_CONSTS;

	if (key <= 0)
		return;
	if (pc->consts[i].str != str) {
		pc->consts[i].str = str;
		pc->consts[i].id = meta_pool_put(str, (uint32_t)strlen(str));
	}
	session_meta_add_pooled(s, key, pc->consts[i].id, MF_PARSER);
}

/* Add an IPv4 (af 4) or IPv6 address. */
void
parse_add_ip(struct session *s, int key, const uint8_t *ip, int af)
{
	struct mval	v;

	if (key <= 0)
		return;
	memset(&v, 0, sizeof v);
	v.type = af == 4 ? MT_IPV4 : MT_IPV6;
	memcpy(v.ip, ip, af == 4 ? 4 : 16);
	session_meta_add(s, key, &v, MF_PARSER);
}

/* Add a host name to alias.host without a trailing dot; true when new. */
bool
parse_add_host(struct session *s, const void *p, size_t n)
{
	struct mval	 v;

	if (n > 0 && ((const char *)p)[n - 1] == '.')
		n--;
	if (n == 0)
		return (false);
	memset(&v, 0, sizeof v);
	v.type = MT_TEXT;
	v.text.p = p;
	v.text.n = (uint32_t)n;
	return (session_meta_add(s, pk_host, &v, MF_PARSER));
}
