/* host.c - sld, tld and root.host from host names (public suffix aware). */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdlib.h>
#include <string.h>
#include <libpsl.h>

#include "parse/parse-int.h"

static int	hk_sld, hk_tld, hk_root;

const struct parse_key host_keys[] = {
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
 * What libpsl says about the proper suffixes of names, cached: whether a
 * suffix is a public suffix.  A capture of 200,000 sessions holds some
 * 16,000 host names but few suffixes, and libpsl lookups were a tenth of
 * ingest without the cache.  A whole name is asked about once (each
 * distinct name is worked out once, see struct host_derived) and is kept
 * out of this cache, where the names would push out the suffixes.  Used
 * by the thread that writes the parsers' meta only (the parsers' thread
 * when there is one, pipe.c).
 */
struct host_psl {
	char		*low;		/* NULL: empty */
	uint64_t	 hash;
	bool		 public;	/* the name is a public suffix */
};
#define HOST_CACHE	16384

/*
 * The derived values of a host name, by the name's pool id: pool id + 1 of
 * its tld, root.host and sld (0: none).  Equal names share one pool id, so
 * a name seen before costs one look here.  Two ways a set, the one used
 * last first: with one way, names that shared a slot pushed each other out
 * and 16,000 names were worked out 36,000 times.  Same thread as above.
 */
struct host_derived {
	uint32_t	 name;		/* pool id + 1; 0: empty */
	uint32_t	 tld, root, sld;
};
#define HOST_DERIVED_BITS 15
#define HOST_DERIVED	(1u << HOST_DERIVED_BITS)

/* A context's caches (pc->host): libpsl's answers and derived values. */
struct host_cache {
	const psl_ctx_t		*psl;
	struct host_psl		 suffix[HOST_CACHE];
	struct host_derived	 derived[HOST_DERIVED][2];
};

/* Empty caches (libpsl's built-in list is asked for on first use). */
struct host_cache *
host_cache_new(void)
{
	return (xcalloc(1, sizeof(struct host_cache)));
}

/* Free the caches and the names they hold. */
void
host_cache_free(struct host_cache *hc)
{
	size_t	i;

	if (hc == NULL)
		return;
	for (i = 0; i < HOST_CACHE; i++)
		free(hc->suffix[i].low);
	free(hc);
}

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
host_public(struct host_cache *hc, const char *low)
{
	struct host_psl	*h;

	if (!host_slot(hc->suffix, low, strlen(low), &h))
		h->public = psl_is_public_suffix(hc->psl, low) != 0;
	return (h->public);
}

/*
 * Ask about a lower-case name: the offsets of its public suffix and its
 * registrable domain (-1 when none).  As libpsl does, the public suffix is
 * the first suffix from the left that is one, and the registrable domain
 * the suffix one label longer; asking per suffix lets the short ones
 * ("io", "example.com") be answered from the cache for every name under
 * them.
 */
static void
host_lookup(struct host_cache *hc, const char *low, int *suf, int *regp)
{
	const char	*d = low, *reg = NULL, *dot;
	bool		 public = psl_is_public_suffix(hc->psl, low) != 0;

	while (!public) {
		if ((dot = strchr(d, '.')) == NULL) {
			d = NULL;
			break;
		}
		reg = d;
		d = dot + 1;
		public = host_public(hc, d);
	}
	*suf = d != NULL ? (int)(d - low) : -1;
	*regp = reg != NULL && d != NULL ? (int)(reg - low) : -1;
}

/* Pool id + 1 of a part of a name. */
static uint32_t
host_part(const char *p, size_t n)
{
	return (meta_pool_put(p, (uint32_t)n) + 1);
}

/* Work out the derived values of one name. */
static void
host_one(struct host_derived *d, struct host_cache *hc, const char *name,
    size_t n)
{
	char			 low[256];
	const char		*dot;
	size_t			 i;
	int			 suf, reg;

	d->tld = d->root = d->sld = 0;
	if (n == 0 || n >= sizeof low)
		return;
	for (i = 0; i < n; i++)
		low[i] = (char)fold((unsigned char)name[i]);
	low[n] = '\0';
	if (host_skip(low, n))
		return;
	host_lookup(hc, low, &suf, &reg);
	if (suf >= 0)
		d->tld = host_part(name + suf, n - (size_t)suf);
	if (reg < 0)
		return;
	d->root = host_part(name + reg, n - (size_t)reg);
	dot = strchr(low + reg, '.');
	d->sld = host_part(name + reg,
	    dot != NULL ? (size_t)(dot - (low + reg)) : n - (size_t)reg);
}

/* The derived values of a pool id, worked out on a miss. */
static const struct host_derived *
host_derived_get(struct host_cache *hc, uint32_t id)
{
	struct host_derived	*set, t;
	const char		*name;
	uint32_t		 len;

	set = hc->derived[(uint32_t)(id * 2654435761u) >>
	    (32 - HOST_DERIVED_BITS)];
	if (set[0].name == id + 1)
		return (&set[0]);
	t = set[0];
	if (set[1].name == id + 1) {
		set[0] = set[1];
		set[1] = t;
		return (&set[0]);
	}
	set[1] = t;
	name = meta_pool_get(id, &len);
	host_one(&set[0], hc, name, len);
	set[0].name = id + 1;
	return (&set[0]);
}

/* Add sld, tld and root.host for every alias.host value of a session. */
void
host_derive(struct parse_ctx *pc, struct session *s)
{
	struct host_cache	*hc = pc->host;
	const struct host_derived *d;
	uint32_t		 sv[8], *v = sv;
	size_t			 n, i;

	if (pk_host <= 0 || (n = session_meta_text_ids(s, pk_host, sv,
	    nitems(sv))) == 0)
		return;
	if (hc->psl == NULL && (hc->psl = psl_builtin()) == NULL)
		return;
	if (n > nitems(sv)) {
		v = xreallocarray(NULL, n, sizeof *v);
		n = session_meta_text_ids(s, pk_host, v, n);
	}
	for (i = 0; i < n; i++) {
		d = host_derived_get(hc, v[i]);
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
