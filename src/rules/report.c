/* report.c - the groups correlation rules passed, and their figures. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdlib.h>
#include <string.h>

#include "rules/rules-int.h"

/* One session of a passed group. */
struct report_member {
	uint64_t	 id;
	size_t		 group;		/* index in the report's groups */
};

/* Every group that passed, and their sessions sorted by id. */
struct corr_report {
	struct corr_figures	*g;
	size_t			 ng;
	struct report_member	*m;
	size_t			 nm, mmax;
};

/* An empty report. */
struct corr_report *
report_new(void)
{
	return (xcalloc(1, sizeof (struct corr_report)));
}

/* A group key value's bytes (a type byte, then the value; text folded)
 * as a value. */
static void
report_mval(const uint8_t *p, size_t n, struct mval *v)
{
	memset(v, 0, sizeof *v);
	v->type = p[0];
	switch (v->type) {
	case MT_TEXT:
		v->text.p = (const char *)p + 1;
		v->text.n = (uint32_t)(n - 1);
		break;
	case MT_IPV4:
	case MT_IPV6:
		memcpy(v->ip, p + 1, n - 1 < sizeof v->ip ? n - 1 :
		    sizeof v->ip);
		break;
	case MT_MAC:
		memcpy(v->mac, p + 1, n - 1 < sizeof v->mac ? n - 1 :
		    sizeof v->mac);
		break;
	default:
		memcpy(&v->u, p + 1, n - 1 < sizeof v->u ? n - 1 :
		    sizeof v->u);
		break;
	}
}

/* A group's key bytes (per key: a 16-bit length, then the value's bytes;
 * 0 when the key is absent) as "KEY = VALUE && ...", text quoted. */
char *
report_group_text(const struct corr_spec *cs, const uint8_t *key, size_t n)
{
	struct buf	 b;
	struct mval	 v;
	size_t		 k, at = 0, len;

	buf_init(&b);
	for (k = 0; k < cs->nkeys && at + 2 <= n; k++) {
		len = (size_t)key[at] << 8 | key[at + 1];
		at += 2;
		if (len > 0 && at + len <= n) {
			report_mval(key + at, len, &v);
			buf_printf(&b, "%s%s = %s", b.len > 0 ? " && " : "",
			    meta_key(cs->keys[k])->name,
			    v.type == MT_TEXT ? "'" : "");
			mval_format(&b, &v);
			if (v.type == MT_TEXT)
				buf_addc(&b, '\'');
		}
		at += len;
	}
	return (buf_take(&b));
}

/* Keep a passed group's figures (its strings taken) and its sessions. */
void
report_add(struct corr_report *rep, const struct corr_figures *f,
    const uint64_t *ids, size_t n)
{
	size_t	 i;

	rep->g = xreallocarray(rep->g, rep->ng + 1, sizeof *rep->g);
	rep->g[rep->ng] = *f;
	if (rep->nm + n > rep->mmax) {
		rep->mmax = 2 * (rep->nm + n);
		rep->m = xreallocarray(rep->m, rep->mmax, sizeof *rep->m);
	}
	for (i = 0; i < n; i++) {
		rep->m[rep->nm].id = ids[i];
		rep->m[rep->nm++].group = rep->ng;
	}
	rep->ng++;
}

/* Compare members by session, then by group. */
static int
report_cmp(const void *a, const void *b)
{
	const struct report_member	*x = a, *y = b;

	if (x->id != y->id)
		return (x->id < y->id ? -1 : 1);
	return (x->group < y->group ? -1 : x->group > y->group);
}

static void	 report_compact(struct corr_report *);

/* Whether two groups are one rule's group of the same key values. */
static bool
report_same(const struct corr_figures *a, const struct corr_figures *b)
{
	return (a->rule == b->rule && strcmp(a->group, b->group) == 0);
}

/*
 * Sort the members by session for rules_report_groups().  Judgements
 * that come again (live) pass a group again as its window slides: a
 * session keeps the last of them, the one added last.
 */
void
report_finish(struct corr_report *rep)
{
	size_t	 i, j, n = 0;
	bool	 later;

	if (rep->nm > 1)
		qsort(rep->m, rep->nm, sizeof *rep->m, report_cmp);
	for (i = 0; i < rep->nm; i++) {
		later = false;
		for (j = i + 1; j < rep->nm && rep->m[j].id == rep->m[i].id &&
		    !later; j++)
			later = report_same(&rep->g[rep->m[i].group],
			    &rep->g[rep->m[j].group]);
		if (!later)
			rep->m[n++] = rep->m[i];
	}
	rep->nm = n;
	report_compact(rep);
}

/* Free the groups no session keeps any more, and number the rest again. */
static void
report_compact(struct corr_report *rep)
{
	size_t	*to = xcalloc(rep->ng + 1, sizeof *to);
	size_t	 i, n = 0;

	for (i = 0; i < rep->nm; i++)
		to[rep->m[i].group] = 1;
	for (i = 0; i < rep->ng; i++) {
		if (to[i] == 0) {
			free(rep->g[i].group);
			free(rep->g[i].distinct);
			continue;
		}
		to[i] = n;
		rep->g[n++] = rep->g[i];
	}
	for (i = 0; i < rep->nm; i++)
		rep->m[i].group = to[rep->m[i].group];
	rep->ng = n;
	free(to);
}

/* The groups that gave a session a correlation rule's value. */
size_t
rules_report_groups(const struct corr_report *rep, uint64_t id,
    const struct corr_figures **out, size_t max)
{
	size_t	 lo = 0, hi, n;

	if (rep == NULL)
		return (0);
	for (hi = rep->nm; lo < hi;) {
		n = lo + (hi - lo) / 2;
		if (rep->m[n].id < id)
			lo = n + 1;
		else
			hi = n;
	}
	for (n = 0; lo + n < rep->nm && rep->m[lo + n].id == id; n++) {
		if (n < max)
			out[n] = &rep->g[rep->m[lo + n].group];
	}
	return (n);
}

/* Number of groups that passed. */
size_t
rules_report_count(const struct corr_report *rep)
{
	return (rep != NULL ? rep->ng : 0);
}

/* Free a report (NULL is ignored). */
void
rules_report_free(struct corr_report *rep)
{
	size_t	 i;

	if (rep == NULL)
		return;
	for (i = 0; i < rep->ng; i++) {
		free(rep->g[i].group);
		free(rep->g[i].distinct);
	}
	free(rep->g);
	free(rep->m);
	free(rep);
}
