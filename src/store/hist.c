/* hist.c - sessions over time: how many sessions start in each bucket of
 * time, for batch --histogram and the Navigate pane's histogram. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdlib.h>
#include <string.h>

#include "store/store-int.h"

#define SEC	1000000000ULL

/* The round bucket sizes the automatic choice picks from. */
static const uint64_t hist_sizes[] = {
	1 * SEC, 2 * SEC, 5 * SEC, 10 * SEC, 15 * SEC, 30 * SEC,
	60 * SEC, 120 * SEC, 300 * SEC, 600 * SEC, 900 * SEC, 1800 * SEC,
	3600 * SEC, 7200 * SEC, 10800 * SEC, 21600 * SEC, 43200 * SEC,
	86400 * SEC, 2 * 86400 * SEC, 7 * 86400 * SEC, 30 * 86400 * SEC,
	365 * 86400 * SEC
};

/* The smallest round bucket giving at most max buckets from lo to hi. */
uint64_t
store_hist_bucket(uint64_t lo, uint64_t hi, size_t max)
{
	size_t	 i;

	if (max == 0)
		max = 1;
	for (i = 0; i < nitems(hist_sizes); i++) {
		if ((hi - lo / hist_sizes[i] * hist_sizes[i]) / hist_sizes[i] <
		    max)
			return (hist_sizes[i]);
	}
	return (hist_sizes[nitems(hist_sizes) - 1]);
}

/* The earliest and latest start among the sessions; false when none. */
static bool
hist_span(const struct index *x, const uint64_t *start, const uint32_t *ids,
    size_t n, uint64_t *lo, uint64_t *hi)
{
	uint64_t	 w, t;
	size_t		 i;
	bool		 any = false;

	*lo = UINT64_MAX;
	*hi = 0;
	for (i = 0; ids != NULL && i < n; i++) {
		t = start[ids[i]];
		*lo = t < *lo ? t : *lo;
		*hi = t > *hi ? t : *hi;
		any = true;
	}
	for (i = 0; ids == NULL && i < x->nwords; i++) {
		for (w = x->present[i]; w != 0; w &= w - 1) {
			t = start[i * 64 + (size_t)__builtin_ctzll(w)];
			*lo = t < *lo ? t : *lo;
			*hi = t > *hi ? t : *hi;
			any = true;
		}
	}
	return (any);
}

/* Add one session's start to its bucket. */
static inline void
hist_add(struct store_hist *h, uint64_t t)
{
	uint64_t	 c = ++h->count[(t - h->first) / h->bucket];

	if (c > h->max)
		h->max = c;
}

/* Set up the buckets for starts from lo to hi (any: there are some). */
bool
store_hist_span(struct store_hist *h, bool any, uint64_t lo, uint64_t hi,
    uint64_t bucket, size_t max, char **cause)
{
	memset(h, 0, sizeof *h);
	if (!any) {
		h->bucket = bucket != 0 ? bucket : SEC;
		h->count = xcalloc(1, sizeof *h->count);
		return (true);
	}
	h->bucket = bucket != 0 ? bucket : store_hist_bucket(lo, hi, max);
	h->first = lo / h->bucket * h->bucket;
	if ((hi - h->first) / h->bucket >= STORE_HIST_MAX) {
		xasprintf(cause, "more than %u buckets", STORE_HIST_MAX);
		return (false);
	}
	h->n = (size_t)((hi - h->first) / h->bucket) + 1;
	h->count = xcalloc(h->n, sizeof *h->count);
	return (true);
}

/*
 * Count the sessions ids[0..n-1] (NULL: every session) by start time, in
 * buckets of bucket ns aligned on multiples of it since the epoch (0: the
 * smallest round size giving at most max buckets).  False with *cause when
 * there would be more than STORE_HIST_MAX buckets.  An index reader.
 */
bool
store_histogram(const struct store *st, const uint32_t *ids, size_t n,
    uint64_t bucket, size_t max, struct store_hist *h, char **cause)
{
	const struct index	*x = store_index(st);
	const uint64_t		*start = index_starts(x);
	uint64_t		 lo, hi, w;
	size_t			 i;
	bool			 any;

	any = hist_span(x, start, ids, n, &lo, &hi);
	if (!store_hist_span(h, any, lo, hi, bucket, max, cause))
		return (false);
	for (i = 0; ids != NULL && i < n; i++)
		hist_add(h, start[ids[i]]);
	for (i = 0; ids == NULL && i < x->nwords; i++) {
		for (w = x->present[i]; w != 0; w &= w - 1)
			hist_add(h, start[i * 64 + (size_t)__builtin_ctzll(w)]);
	}
	return (true);
}
