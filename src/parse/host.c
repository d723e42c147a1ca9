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
 * What libpsl says about lower-case names, cached: whether a name is a
 * public suffix, and per name the offsets of its public suffix and its
 * registrable domain (-1 when none).  A capture of 200,000 sessions holds
 * some 16,000 host names but few suffixes, and libpsl lookups were a tenth
 * of ingest without the caches.  Engine thread only.
 */
struct host_psl {
	char		*low;		/* NULL: empty */
	uint64_t	 hash;
	int16_t		 suf, reg;	/* the name's answer */
	bool		 public;	/* the name is a public suffix */
};
#define HOST_CACHE	16384
static struct host_psl	host_cache[HOST_CACHE];	/* names */
static struct host_psl	host_suffix[HOST_CACHE];	/* their suffixes */

/* The cache slot of a name, filled (with answer unset) on a miss; true
 * when it held the name already. */
static bool
host_slot(struct host_psl *cache, const char *low, size_t n,
    struct host_psl **hp)
{
	uint64_t	 hash = fold_hash(low, n);
	struct host_psl	*h = &cache[hash % HOST_CACHE];

	*hp = h;
	if (h->low != NULL && h->hash == hash && strcmp(h->low, low) == 0)
		return (true);
	free(h->low);
	h->low = xstrdup(low);
	h->hash = hash;
	return (false);
}

/* Whether a lower-case name is a public suffix. */
static bool
host_public(const psl_ctx_t *psl, const char *low)
{
	struct host_psl	*h;

	if (!host_slot(host_suffix, low, strlen(low), &h))
		h->public = psl_is_public_suffix(psl, low) != 0;
	return (h->public);
}

/*
 * Ask about a lower-case name.  As libpsl does, the public suffix is the
 * first suffix from the left that is one, and the registrable domain the
 * suffix one label longer; asking per suffix lets the short ones ("io",
 * "example.com") be answered from the cache for every name under them.
 */
static const struct host_psl *
host_lookup(const psl_ctx_t *psl, const char *low, size_t n)
{
	struct host_psl	*h;
	const char	*d = low, *reg = NULL, *dot;

	if (host_slot(host_cache, low, n, &h))
		return (h);
	while (!host_public(psl, d)) {
		if ((dot = strchr(d, '.')) == NULL) {
			d = NULL;
			break;
		}
		reg = d;
		d = dot + 1;
	}
	h->suf = (int16_t)(d != NULL ? d - low : -1);
	h->reg = (int16_t)(reg != NULL && d != NULL ? reg - low : -1);
	return (h);
}

/*
 * The derived values of a host name, by the name's pool id: pool id + 1 of
 * its tld, root.host and sld (0: none).  Equal names share one pool id, so
 * a name seen before costs one look here.  Engine thread only.
 */
struct host_derived {
	uint32_t	 name;		/* pool id + 1; 0: empty */
	uint32_t	 tld, root, sld;
};
#define HOST_DERIVED	32768
static struct host_derived	host_derived[HOST_DERIVED];

/* Pool id + 1 of a part of a name. */
static uint32_t
host_part(const char *p, size_t n)
{
	return (meta_pool_put(p, (uint32_t)n) + 1);
}

/* Work out the derived values of one name. */
static void
host_one(struct host_derived *d, const psl_ctx_t *psl, const char *name,
    size_t n)
{
	char			 low[256];
	const struct host_psl	*h;
	const char		*dot;
	size_t			 i, reg;

	d->tld = d->root = d->sld = 0;
	if (n == 0 || n >= sizeof low)
		return;
	for (i = 0; i < n; i++)
		low[i] = (char)fold((unsigned char)name[i]);
	low[n] = '\0';
	if (host_skip(low, n))
		return;
	h = host_lookup(psl, low, n);
	if (h->suf >= 0)
		d->tld = host_part(name + h->suf, n - (size_t)h->suf);
	if (h->reg < 0)
		return;
	reg = (size_t)h->reg;
	d->root = host_part(name + reg, n - reg);
	dot = strchr(low + reg, '.');
	d->sld = host_part(name + reg,
	    dot != NULL ? (size_t)(dot - (low + reg)) : n - reg);
}

/* Add sld, tld and root.host for every alias.host value of a session. */
void
host_derive(struct session *s)
{
	static const psl_ctx_t	*psl;
	struct host_derived	*d;
	uint32_t		 sv[8], *v = sv, len;
	const char		*name;
	size_t			 n, i;

	if (pk_host <= 0 || (n = session_meta_text_ids(s, pk_host, sv,
	    nitems(sv))) == 0)
		return;
	parse_keys_resolve(host_keys);
	if (psl == NULL && (psl = psl_builtin()) == NULL)
		return;
	if (n > nitems(sv)) {
		v = xreallocarray(NULL, n, sizeof *v);
		n = session_meta_text_ids(s, pk_host, v, n);
	}
	for (i = 0; i < n; i++) {
		d = &host_derived[(v[i] * 2654435761u) % HOST_DERIVED];
		if (d->name != v[i] + 1) {
			name = meta_pool_get(v[i], &len);
			host_one(d, psl, name, len);
			d->name = v[i] + 1;
		}
		if (d->tld != 0 && hk_tld > 0)
			session_meta_add_pooled(s, hk_tld, d->tld - 1,
			    MF_PARSER);
		if (d->root != 0 && hk_root > 0)
			session_meta_add_pooled(s, hk_root, d->root - 1,
			    MF_PARSER);
		if (d->sld != 0 && hk_sld > 0)
			session_meta_add_pooled(s, hk_sld, d->sld - 1,
			    MF_PARSER);
	}
	if (v != sv)
		free(v);
}
