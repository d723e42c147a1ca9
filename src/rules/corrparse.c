/* corrparse.c - correlation rules (SPEC §10): group=, window= and
 * threshold= compiled. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules-int.h"

/* Longest window, in seconds. */
#define CORR_WINDOW_MAX	86400

/* store.retain (ns; 0: all kept), which a window must be shorter than. */
static uint64_t	 corr_retain;

/* Tell the loader the store's retention (rules_retain in rules.h). */
void
rules_retain(uint64_t ns)
{
	corr_retain = ns;
}

/* A threshold being cut into terms. */
struct corr_parse {
	struct ruleset	*rs;
	struct rule	*r;
	long		 idx;
	const char	*t;
	size_t		 n, i;
};

/* Record an error at byte i of a value that starts at raw offset off. */
static bool __attribute__((format(printf, 6, 7)))
corr_error(struct ruleset *rs, struct rule *r, long idx, size_t off,
    size_t i, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1)
		msg = NULL;
	va_end(ap);
	rules_diag_add(rs, r->file, r->line, (unsigned)(off + i + 1), true,
	    idx, "%s", msg != NULL ? msg : fmt);
	free(msg);
	return (false);
}

/* Skip blanks in a threshold. */
static void
corr_blank(struct corr_parse *p)
{
	while (p->i < p->n && (p->t[p->i] == ' ' || p->t[p->i] == '\t'))
		p->i++;
}

/* Whether the threshold goes on with word w (then skipped). */
static bool
corr_word(struct corr_parse *p, const char *w)
{
	size_t	 n = strlen(w);

	if (p->n - p->i < n || strncmp(p->t + p->i, w, n) != 0)
		return (false);
	p->i += n;
	return (true);
}

/* Cut a key name (as group= and distinct() take it) at p->i. */
static size_t
corr_keylen(const char *t, size_t n, size_t i)
{
	size_t	 j = i;

	while (j < n && (t[j] == '.' || t[j] == '_' || t[j] == '-' ||
	    (t[j] >= 'a' && t[j] <= 'z') || (t[j] >= 'A' && t[j] <= 'Z') ||
	    (t[j] >= '0' && t[j] <= '9')))
		j++;
	return (j - i);
}

/* Parse "(KEY)" of distinct() into a term. */
static bool
corr_distinct(struct corr_parse *p, struct corr_term *ct)
{
	size_t	 kn;

	corr_blank(p);
	if (!corr_word(p, "("))
		return (corr_error(p->rs, p->r, p->idx, p->r->cthreshoff, p->i,
		    "threshold: expected '(' after distinct"));
	corr_blank(p);
	kn = corr_keylen(p->t, p->n, p->i);
	ct->key = kn == 0 ? -1 : meta_find(p->t + p->i, kn);
	if (ct->key < 0)
		return (corr_error(p->rs, p->r, p->idx, p->r->cthreshoff, p->i,
		    "threshold: distinct() wants a meta key, not '%s'",
		    esc_strn(p->t + p->i, kn)));
	p->i += kn;
	corr_blank(p);
	if (!corr_word(p, ")"))
		return (corr_error(p->rs, p->r, p->idx, p->r->cthreshoff, p->i,
		    "threshold: expected ')'"));
	return (true);
}

/* Parse an aggregate into a term. */
static bool
corr_agg(struct corr_parse *p, struct corr_term *ct)
{
	size_t	 at = p->i;

	if (corr_word(p, "sessions"))
		ct->agg = CA_SESSIONS;
	else if (corr_word(p, "rate"))
		ct->agg = CA_RATE;
	else if (corr_word(p, "cv"))
		ct->agg = CA_CV;
	else if (corr_word(p, "interval"))
		ct->agg = CA_INTERVAL;
	else if (corr_word(p, "sum(size)"))
		ct->agg = CA_SUMSIZE;
	else if (corr_word(p, "sum(payload)"))
		ct->agg = CA_SUMPAYLOAD;
	else if (corr_word(p, "distinct")) {
		ct->agg = CA_DISTINCT;
		return (corr_distinct(p, ct));
	} else
		return (corr_error(p->rs, p->r, p->idx, p->r->cthreshoff, at,
		    "threshold: expected sessions, distinct(KEY), sum(size), "
		    "sum(payload), rate, cv or interval"));
	return (true);
}

/* Parse a comparison and a number into a term. */
static bool
corr_cmp(struct corr_parse *p, struct corr_term *ct)
{
	char	*end, num[32];
	size_t	 j;

	corr_blank(p);
	if (corr_word(p, ">="))
		ct->op = CO_GE;
	else if (corr_word(p, "<="))
		ct->op = CO_LE;
	else if (corr_word(p, "!="))
		ct->op = CO_NE;
	else if (corr_word(p, ">"))
		ct->op = CO_GT;
	else if (corr_word(p, "<"))
		ct->op = CO_LT;
	else if (corr_word(p, "="))
		ct->op = CO_EQ;
	else
		return (corr_error(p->rs, p->r, p->idx, p->r->cthreshoff, p->i,
		    "threshold: expected >=, <=, >, <, = or !="));
	corr_blank(p);
	for (j = p->i; j < p->n && j - p->i < sizeof num - 1 &&
	    ((p->t[j] >= '0' && p->t[j] <= '9') || p->t[j] == '.'); j++)
		num[j - p->i] = p->t[j];
	num[j - p->i] = '\0';
	ct->num = strtod(num, &end);
	if (j == p->i || *end != '\0')
		return (corr_error(p->rs, p->r, p->idx, p->r->cthreshoff, p->i,
		    "threshold: expected a number"));
	p->i = j;
	return (true);
}

/* Parse a threshold: terms joined by &&. */
static bool
corr_threshold(struct ruleset *rs, struct rule *r, long idx,
    struct corr_spec *cs)
{
	struct corr_parse	 p = { rs, r, idx, r->cthresh, strlen(r->cthresh),
				    0 };
	struct corr_term	*ct;

	for (;;) {
		cs->terms = xreallocarray(cs->terms, cs->nterms + 1,
		    sizeof *cs->terms);
		ct = &cs->terms[cs->nterms++];
		memset(ct, 0, sizeof *ct);
		corr_blank(&p);
		if (!corr_agg(&p, ct) || !corr_cmp(&p, ct))
			return (false);
		if (ct->agg == CA_DISTINCT && cs->ndistinct == CORR_DTERMS)
			return (corr_error(rs, r, idx, r->cthreshoff, p.i,
			    "threshold: at most %d distinct() terms",
			    CORR_DTERMS));
		if (ct->agg == CA_DISTINCT)
			ct->dslot = cs->ndistinct++;
		corr_blank(&p);
		if (p.i == p.n)
			return (true);
		if (!corr_word(&p, "&&"))
			return (corr_error(rs, r, idx, r->cthreshoff, p.i,
			    "threshold: expected && or the end"));
	}
}

/* Parse group=KEY[,KEY...]. */
static bool
corr_group(struct ruleset *rs, struct rule *r, long idx,
    struct corr_spec *cs)
{
	const char	*g = r->cgroup;
	size_t		 i = 0, kn, n = strlen(g);
	int		 key;

	for (;;) {
		kn = corr_keylen(g, n, i);
		key = kn == 0 ? -1 : meta_find(g + i, kn);
		if (key < 0)
			return (corr_error(rs, r, idx, r->cgroupoff, i,
			    "group= wants meta keys, not '%s'",
			    esc_strn(g + i, kn)));
		if (cs->nkeys == CORR_KEYS)
			return (corr_error(rs, r, idx, r->cgroupoff, i,
			    "group= takes at most %d keys", CORR_KEYS));
		cs->keys = xreallocarray(cs->keys, cs->nkeys + 1,
		    sizeof *cs->keys);
		cs->keys[cs->nkeys++] = key;
		i += kn;
		if (i == n)
			return (true);
		if (g[i] != ',')
			return (corr_error(rs, r, idx, r->cgroupoff, i,
			    "group= expected ',' between keys"));
		i++;
	}
}

/* Compile a correlation rule's group=, window= and threshold=. */
bool
corr_compile(struct ruleset *rs, struct rule *r, long idx)
{
	struct corr_spec	*cs = xcalloc(1, sizeof *cs);
	uint64_t		 w;

	r->corr = cs;
	if (!corr_group(rs, r, idx, cs))
		return (false);
	if (!parse_u64(r->cwindow, strlen(r->cwindow), &w) || w == 0 ||
	    w > CORR_WINDOW_MAX)
		return (corr_error(rs, r, idx, r->cwindowoff, 0, "window= "
		    "wants seconds from 1 to %d, not '%s'", CORR_WINDOW_MAX,
		    esc_str(r->cwindow)));
	cs->window = w * 1000000000ULL;
	if (corr_retain != 0 && cs->window >= corr_retain)
		rules_diag_add(rs, r->file, r->line,
		    (unsigned)(r->cwindowoff + 1), false, idx, "window=%llu is "
		    "not shorter than store.retain (%llu s): its groups count "
		    "only the sessions kept", (unsigned long long)w,
		    (unsigned long long)(corr_retain / 1000000000ULL));
	return (corr_threshold(rs, r, idx, cs));
}

/* Free a compiled correlation rule. */
void
corr_spec_free(struct corr_spec *cs)
{
	if (cs == NULL)
		return;
	free(cs->keys);
	free(cs->terms);
	free(cs);
}
