/* host.c - sld, tld and root.host from host names (public suffix aware). */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdlib.h>
#include <string.h>
#include <libpsl.h>

#include "parse/parse-int.h"

static int	hk_sld, hk_tld, hk_root;

static const struct parse_key host_keys[] = {
	{ "sld", &hk_sld },
	{ "tld", &hk_tld },
	{ "root.host", &hk_root },
	{ NULL, NULL }
};

/* Whether a name is an address literal or a single label (no suffix). */
static bool
host_skip(const char *low, size_t n)
{
	size_t	i;
	bool	digits = true;

	if (strchr(low, '.') == NULL || strchr(low, ':') != NULL ||
	    strlen(low) != n)
		return (true);
	for (i = 0; i < n; i++) {
		if ((low[i] < '0' || low[i] > '9') && low[i] != '.')
			digits = false;
	}
	return (digits);
}

/*
 * What libpsl said about a lower-case name: offsets of the public suffix
 * and the registrable domain, -1 when none.  The same names come back in
 * session after session (a capture of 200,000 sessions holds some 16,000),
 * so answers are kept in a direct-mapped cache; libpsl lookups were a
 * tenth of ingest without it, and still a twentieth with 1,024 entries.
 */
struct host_psl {
	char		*low;		/* NULL: empty */
	uint64_t	 hash;
	int16_t		 suf, reg;
};
#define HOST_CACHE	16384
static struct host_psl	host_cache[HOST_CACHE];

/* Ask libpsl about a lower-case name, through the cache. */
static const struct host_psl *
host_lookup(const psl_ctx_t *psl, const char *low, size_t n)
{
	uint64_t	 hash = fold_hash(low, n);
	struct host_psl	*h = &host_cache[hash % HOST_CACHE];
	const char	*suf, *reg;

	if (h->low != NULL && h->hash == hash && strcmp(h->low, low) == 0)
		return (h);
	free(h->low);
	h->low = xstrdup(low);
	h->hash = hash;
	/*
	 * The registrable domain is one label and the public suffix, so
	 * the suffix needs its own lookup only when there is no such domain.
	 */
	reg = psl_registrable_domain(psl, low);
	if (reg != NULL)
		suf = strchr(reg, '.') != NULL ? strchr(reg, '.') + 1 : NULL;
	else
		suf = psl_unregistrable_domain(psl, low);
	h->suf = (int16_t)(suf != NULL ? suf - low : -1);
	h->reg = (int16_t)(reg != NULL ? reg - low : -1);
	return (h);
}

/* Derive the keys of one name (a copy with its lower-case form). */
static void
host_one(struct session *s, const psl_ctx_t *psl, const char *name,
    size_t n)
{
	char			 low[256];
	const struct host_psl	*h;
	const char		*dot;
	size_t			 i, reg;

	if (n == 0 || n >= sizeof low)
		return;
	for (i = 0; i < n; i++)
		low[i] = (char)fold((unsigned char)name[i]);
	low[n] = '\0';
	if (host_skip(low, n))
		return;
	h = host_lookup(psl, low, n);
	if (h->suf >= 0)
		parse_add_text(s, hk_tld, name + h->suf, n - (size_t)h->suf);
	if (h->reg < 0)
		return;
	reg = (size_t)h->reg;
	parse_add_text(s, hk_root, name + reg, n - reg);
	dot = strchr(low + reg, '.');
	parse_add_text(s, hk_sld, name + reg,
	    dot != NULL ? (size_t)(dot - (low + reg)) : n - reg);
}

/* Add sld, tld and root.host for every alias.host value of a session. */
void
host_derive(struct session *s)
{
	static const psl_ctx_t	*psl;
	struct mval		 sv[8], *v = sv;
	char			 sc[1024], *copy = sc;
	size_t			 n, i, len = 0, off = 0;

	if (pk_host <= 0 || (n = session_meta_get(s, pk_host, sv,
	    nitems(sv))) == 0)
		return;
	parse_keys_resolve(host_keys);
	if (psl == NULL && (psl = psl_builtin()) == NULL)
		return;
	if (n > nitems(sv)) {
		v = xreallocarray(NULL, n, sizeof *v);
		n = session_meta_get(s, pk_host, v, n);
	}
	for (i = 0; i < n; i++)
		len += v[i].text.n;
	if (len > sizeof sc)
		copy = xmalloc(len);
	/* Copy first: adding values may move the session's text. */
	for (i = 0; i < n; i++) {
		memcpy(copy + off, v[i].text.p, v[i].text.n);
		off += v[i].text.n;
	}
	for (i = 0, off = 0; i < n; i++) {
		host_one(s, psl, copy + off, v[i].text.n);
		off += v[i].text.n;
	}
	if (copy != sc)
		free(copy);
	if (v != sv)
		free(v);
}
