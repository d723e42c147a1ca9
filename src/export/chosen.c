/* chosen.c - what an export of chosen sessions covers: their packets, and
 * the other fragments of their split conversations. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdlib.h>

#include "export/export.h"
#include "util/util.h"

/* Compare two sessionids for qsort and bsearch. */
static int
chosen_cmp(const void *a, const void *b)
{
	uint32_t	 x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x < y ? -1 : x > y);
}

/* Whether id is in the ascending list. */
static bool
chosen_has(const uint32_t *ids, size_t n, uint64_t id)
{
	uint32_t	 k = (uint32_t)id;

	return (id <= UINT32_MAX && n > 0 &&
	    bsearch(&k, ids, n, sizeof *ids, chosen_cmp) != NULL);
}

/* The packets the chosen sessions have. */
uint64_t
export_packets(const struct store *st, const uint32_t *ids, size_t n)
{
	struct session		 buf;
	const struct session	*s;
	uint64_t		 packets = 0;
	size_t			 i;

	for (i = 0; i < n; i++) {
		if ((s = store_get(st, ids[i], &buf)) != NULL)
			packets += s->packets;
	}
	return (packets);
}

/* The first fragments' ids of the chosen sessions, sorted; how many. */
static size_t
chosen_firsts(const struct store *st, const uint32_t *ids, size_t n,
    uint32_t **first)
{
	struct session		 buf;
	const struct session	*s;
	size_t			 i, nf = 0;

	*first = xreallocarray(NULL, n + 1, sizeof **first);
	for (i = 0; i < n; i++) {
		s = store_get(st, ids[i], &buf);
		if (s != NULL && s->first_id != 0)
			(*first)[nf++] = (uint32_t)s->first_id;
	}
	qsort(*first, nf, sizeof **first, chosen_cmp);
	return (nf);
}

/*
 * The other fragments of the chosen sessions' split conversations: how
 * many are not chosen, and (all not NULL) every stored session chosen or
 * such a fragment, ascending; *all is NULL when no chosen session is a
 * fragment.
 */
size_t
export_fragments(const struct store *st, const uint32_t *ids, size_t n,
    uint32_t **all, size_t *nall)
{
	struct session		 buf;
	const struct session	*s;
	uint64_t		 id, end = store_end(st);
	uint32_t		*first;
	size_t			 nf, others = 0;
	bool			 chosen, frag;

	if (all != NULL) {
		*all = NULL;
		*nall = 0;
	}
	if ((nf = chosen_firsts(st, ids, n, &first)) == 0) {
		free(first);
		return (0);
	}
	if (all != NULL)
		*all = xreallocarray(NULL, end + 1, sizeof **all);
	for (id = 1; id < end; id++) {
		if ((s = store_get(st, id, &buf)) == NULL)
			continue;
		chosen = chosen_has(ids, n, id);
		frag = s->first_id != 0 && chosen_has(first, nf, s->first_id);
		if (frag && !chosen)
			others++;
		if (all != NULL && (frag || chosen))
			(*all)[(*nall)++] = (uint32_t)id;
	}
	free(first);
	return (others);
}
