/* apply.c - evaluate the rules on one session, and the editor's accessors. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdlib.h>
#include <string.h>

#include "rules/rules-int.h"

/* Rules whose names one run tracks as bits; names of later ones search. */
#define APPLY_NAMES	1024

/* What one rules_apply() run knows of the session's extra meta. */
struct apply_run {
	uint64_t	 had;		/* session_meta_maybe's bits before the
					   run: keys that may have values */
	uint64_t	 wrote[APPLY_NAMES / 64];	/* namecls written */
};

/* Whether bit i of a bitmap is set. */
static inline bool
apply_bit(const uint64_t *bits, size_t i)
{
	return (bits[i / 64] >> (i % 64) & 1);
}

/* query_walk callback: note a key of the extra meta that the cache keeps. */
static void
apply_note_key(const struct query_cond *c, bool neg, void *arg)
{
	struct ruleset	*rs = arg;
	size_t		 i;

	(void)neg;
	if (c->key < K_NCORE || c->key >= QUERY_CACHE_KEYS)
		return;
	for (i = 0; i < rs->nxkeys; i++) {
		if (rs->xkeys[i] == c->key)
			return;
	}
	rs->xkeys = xreallocarray(rs->xkeys, rs->nxkeys + 1,
	    sizeof *rs->xkeys);
	rs->xkeys[rs->nxkeys++] = c->key;
}

/*
 * Gather what evaluation needs from the rules evaluated, in order: their
 * queries, so that one query_match_first() call runs them all; the keys
 * past the core ones (read from the session's extra meta) that they read;
 * and for each, the first rule writing the same key a name equal to its
 * own, folded (the same value), found in a hash of the names.
 */
void
apply_prepare(struct ruleset *rs)
{
	struct rule		*ru;
	struct rules_index	 ix;
	size_t			*rpos, k, j;

	rs->runq = xreallocarray(NULL, rs->nrun + 1, sizeof *rs->runq);
	rs->namecls = xreallocarray(NULL, rs->nrun + 1, sizeof *rs->namecls);
	rpos = xreallocarray(NULL, rs->nrules + 1, sizeof *rpos);
	rules_index_build(&ix, rs, rs->run, rs->nrun, true);
	for (k = 0; k < rs->nrun; k++) {
		ru = &rs->rules[rs->run[k]];
		rpos[rs->run[k]] = k;
		rs->runq[k] = ru->q;
		ru->pool = meta_pool_put(ru->name, (uint32_t)ru->namelen);
		ru->lower = MF_LOWER;
		for (j = 0; j < ru->namelen; j++) {
			if (ru->name[j] >= 'A' && ru->name[j] <= 'Z')
				ru->lower = 0;
		}
		query_walk(ru->q, apply_note_key, rs);
		rs->namecls[k] = rpos[rules_index_find(&ix, rs, ru->alert,
		    ru->name, ru->namelen)];
	}
	rules_index_free(&ix);
	free(rpos);
}

/* Whether a key may have had values when the run started. */
static inline bool
apply_had(const struct apply_run *ar, int key)
{
	return ((ar->had >> ((unsigned)key % 64)) & 1);
}

/*
 * Start a run on a session: note the keys its extra meta may have, and
 * tell the cache which extra-meta keys the rules read that it does not
 * have, so that reading them costs nothing: most sessions have few of the
 * keys a pack reads.  Keys from K_NCORE on come only from the extra meta
 * (session_values).
 */
static void
apply_start(const struct ruleset *rs, const struct session *s,
    struct query_cache *qc, struct apply_run *ar)
{
	size_t	 i;

	ar->had = s->xkeys;
	for (i = 0; i < rs->nxkeys; i++) {
		if (!apply_had(ar, rs->xkeys[i]))
			query_cache_none(qc, rs->xkeys[i]);
	}
	memset(ar->wrote, 0, ((rs->nrun < APPLY_NAMES ? rs->nrun :
	    APPLY_NAMES) + 63) / 64 * sizeof ar->wrote[0]);
}

/*
 * Write the name of the rule at run position k to its alert key; whether
 * the key gained it.  A key that had no value when the run started holds
 * only names the run wrote, so a bit per name says whether it is there and
 * the value is appended without searching the session's values.
 */
static bool
apply_write(const struct ruleset *rs, struct session *s, size_t k,
    struct apply_run *ar)
{
	const struct rule	*ru = &rs->rules[rs->run[k]];
	size_t			 c = rs->namecls[k];
	uint8_t			 flags = MF_RULE | ru->lower;

	if (ru->flags & RULE_TRANSIENT)
		flags |= MF_TRANSIENT;
	if (ru->alert < 0 || c >= APPLY_NAMES || apply_had(ar, ru->alert))
		return (session_meta_add_pooled(s, ru->alert, ru->pool,
		    flags));
	if (apply_bit(ar->wrote, c))
		return (false);
	ar->wrote[c / 64] |= (uint64_t)1 << (c % 64);
	session_meta_append_pooled(s, ru->alert, ru->pool, flags);
	return (true);
}

/*
 * Evaluate the rules on a session, in order, writing as they match.  The
 * rules share one cache of the session's values, so a key read by many
 * rules is read once; a write changes only the alert key, and values live
 * in the value pool, which never moves, so the text the cache holds for
 * other keys stays put.  One query_match_first() call runs
 * the rules up to the next that matches, so that the rules that do not
 * match cost no call each.  r must read s as session_values() does.
 */
void
rules_apply(const struct ruleset *rs, struct session *s,
    const struct meta_reader *r)
{
	const struct rule	*ru;
	struct query_cache	 qc;
	struct apply_run	 ar;
	size_t			 k;

	if (rs->nrun == 0)	/* -R none runs no rule: nothing to cache */
		return;
	query_cache_init(&qc, r, (uint64_t)(uintptr_t)s);
	apply_start(rs, s, &qc, &ar);
	for (k = 0; (k += query_match_first(rs->runq + k, rs->nrun - k,
	    &qc)) < rs->nrun; k++) {
		ru = &rs->rules[rs->run[k]];
		if (apply_write(rs, s, k, &ar))
			query_cache_forget(&qc, ru->alert);
		if (ru->flags & RULE_STOP)
			break;
	}
	if (rs->transient)
		session_meta_drop(s, MF_TRANSIENT);
}

/* Drop every rule-written value of a session, then apply again. */
void
rules_reapply(const struct ruleset *rs, struct session *s,
    const struct meta_reader *r)
{
	session_meta_drop(s, MF_RULE | MF_TRANSIENT);
	rules_apply(rs, s, r);
}

/* Number of rules loaded (with errors and disabled ones). */
size_t
rules_count(const struct ruleset *rs)
{
	return (rs->nrules);
}

/* Number of rules that will be evaluated. */
size_t
rules_active(const struct ruleset *rs)
{
	return (rs->nrun);
}

/* A rule's name ("" when it has none). */
const char *
rules_name(const struct ruleset *rs, size_t i)
{
	return (rs->rules[i].name);
}

/* The file a rule came from. */
const char *
rules_file(const struct ruleset *rs, size_t i)
{
	return (rs->files[rs->rules[i].file].path);
}

/* A rule's 1-based line. */
unsigned
rules_line(const struct ruleset *rs, size_t i)
{
	return (rs->rules[i].line);
}

/* A rule's raw line without its terminator. */
const char *
rules_raw(const struct ruleset *rs, size_t i, size_t *len)
{
	*len = rs->rules[i].rawlen;
	return (rs->rules[i].raw);
}

/* A rule's condition as compiled (NULL when rule= was missing). */
const char *
rules_condition(const struct ruleset *rs, size_t i)
{
	return (rs->rules[i].cond);
}

/* A rule's alert key id (-1 when unknown). */
int
rules_alert(const struct ruleset *rs, size_t i)
{
	return (rs->rules[i].alert);
}

/* A rule's order= (0 when missing). */
uint64_t
rules_order(const struct ruleset *rs, size_t i)
{
	return (rs->rules[i].order);
}

/* A rule's RULE_* flags. */
int
rules_flags(const struct ruleset *rs, size_t i)
{
	return (rs->rules[i].flags);
}

/* Whether a rule is evaluated (loaded without error, not disabled). */
bool
rules_enabled(const struct ruleset *rs, size_t i)
{
	return (rules_live(&rs->rules[i]));
}

/* Number of diagnostics. */
size_t
rules_ndiags(const struct ruleset *rs)
{
	return (rs->ndiags);
}

/* One diagnostic, in file and line order. */
const struct rules_diag *
rules_diag(const struct ruleset *rs, size_t i)
{
	return (i < rs->ndiags ? &rs->diags[i] : NULL);
}

/* Number of files loaded (including ones that could not be read). */
size_t
rules_nfiles(const struct ruleset *rs)
{
	return (rs->nfiles);
}

/* A file's path as given. */
const char *
rules_file_path(const struct ruleset *rs, size_t f)
{
	return (rs->files[f].path);
}

/* Number of lines in a file. */
size_t
rules_file_nlines(const struct ruleset *rs, size_t f)
{
	return (rs->files[f].nlines);
}

/* One raw line of a file, terminator included. */
const char *
rules_file_line(const struct ruleset *rs, size_t f, size_t l, size_t *len)
{
	*len = rs->files[f].lines[l].len;
	return (rs->files[f].lines[l].raw);
}
