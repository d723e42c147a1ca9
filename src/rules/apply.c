/* apply.c - evaluate the rules on one session, and the editor's accessors. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "rules/rules-int.h"

/* Rules whose queries one query_match_first() call tests. */
#define APPLY_CHUNK	64

/*
 * Evaluate the rules on a session, in order, writing as they match.  The
 * rules share one cache of the session's values, so a key read by many
 * rules is read once; a write changes only the alert key, and rule values
 * are MF_STATIC (never copied into the session's text), so the text the
 * cache holds for other keys stays put.  Queries are gathered a chunk at a
 * time, so that the rules that do not match cost no call each.
 */
void
rules_apply(const struct ruleset *rs, struct session *s,
    const struct meta_reader *r)
{
	const struct query	*qv[APPLY_CHUNK];
	const struct rule	*ru;
	struct query_cache	 qc;
	size_t			 k, j, n;

	if (rs->nrun > 0)	/* -R none runs no rule: nothing to cache */
		query_cache_init(&qc, r, (uint64_t)(uintptr_t)s);
	for (k = 0; k < rs->nrun; k += n) {
		n = rs->nrun - k < APPLY_CHUNK ? rs->nrun - k : APPLY_CHUNK;
		for (j = 0; j < n; j++)
			qv[j] = rs->rules[rs->run[k + j]].q;
		for (j = 0; (j += query_match_first(qv + j, n - j, &qc)) < n;
		    j++) {
			ru = &rs->rules[rs->run[k + j]];
			if (session_meta_add(s, ru->alert, &ru->value,
			    MF_STATIC | ((ru->flags & RULE_TRANSIENT) ?
			    MF_RULE | MF_TRANSIENT : MF_RULE)))
				query_cache_forget(&qc, ru->alert);
			if (ru->flags & RULE_STOP)
				goto done;
		}
	}
done:
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
