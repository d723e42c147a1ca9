/* check.c - the rule order check of SPEC §4, and --fix. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdlib.h>
#include <string.h>

#include "rules/rules-int.h"

/* The conditions of one rule, in text order. */
struct check_conds {
	const struct query_cond	**v;
	size_t			 n;
};

/* Working state of one analysis. */
struct check {
	struct ruleset		*rs;
	struct check_conds	*conds;		/* per rule */
	size_t			*pos;		/* per rule: place in order */
};

/* query_walk callback: collect a condition. */
static void
check_collect(const struct query_cond *c, bool neg, void *arg)
{
	struct check_conds	*cc = arg;

	(void)neg;
	cc->v = xreallocarray(cc->v, cc->n + 1, sizeof *cc->v);
	cc->v[cc->n++] = c;
}

/* Whether some live rule writes a key. */
static bool
check_written(const struct ruleset *rs, int key)
{
	size_t	 i;

	for (i = 0; i < rs->nrules; i++) {
		if (rules_live(&rs->rules[i]) && rs->rules[i].alert == key)
			return (true);
	}
	return (false);
}

/* Whether an edge w -> r is known already. */
static bool
check_has_edge(const struct ruleset *rs, size_t w, size_t r)
{
	size_t	 i;

	for (i = 0; i < rs->ndeps; i++) {
		if (rs->deps[2 * i] == w && rs->deps[2 * i + 1] == r)
			return (true);
	}
	return (false);
}

/* Record that rule ri reads what rule wi writes. */
static void
check_edge(struct check *ck, size_t wi, size_t ri)
{
	struct ruleset		*rs = ck->rs;
	const struct rule	*w = &rs->rules[wi], *r = &rs->rules[ri];

	if (check_has_edge(rs, wi, ri))
		return;
	rs->deps = xreallocarray(rs->deps, 2 * (rs->ndeps + 1),
	    sizeof *rs->deps);
	rs->deps[2 * rs->ndeps] = wi;
	rs->deps[2 * rs->ndeps + 1] = ri;
	rs->ndeps++;
	if (ck->pos[wi] < ck->pos[ri])
		return;
	rules_diag_add(rs, r->file, r->line, 0, false, (long)ri,
	    "rule '%s' reads %s = '%s', which rule '%s' (%s:%u) writes later; "
	    "move it above line %u", esc_str(r->name),
	    meta_key(w->alert)->name, esc_str(w->name), esc_str(w->name),
	    esc_str(rs->files[w->file].path), w->line, r->line);
}

/* Whether a parser writes a hunting value (the registry's list). */
static bool
check_parser_writes(int key, const struct mval *v)
{
	const struct meta_key	*k = meta_key(key);
	size_t			 i;

	if (k == NULL || k->values == NULL)
		return (false);
	for (i = 0; k->values[i] != NULL; i++) {
		if (fold_eq(k->values[i], strlen(k->values[i]), v->text.p,
		    v->text.n))
			return (true);
	}
	return (false);
}

/* Warn about listed hunting values that nothing writes. */
static void
check_nobody(struct check *ck, size_t ri, const struct query_cond *c)
{
	struct ruleset		*rs = ck->rs;
	const struct rule	*r = &rs->rules[ri];
	const struct mval	*v;
	size_t			 e, i;

	if (c->op != QOP_EQ && c->op != QOP_NE)
		return;
	for (e = 0; e < c->nelems; e++) {
		v = &c->elems[e].lo;
		if (v->type != MT_TEXT || check_parser_writes(c->key, v))
			continue;
		for (i = 0; i < rs->nrules; i++) {
			if (rules_live(&rs->rules[i]) &&
			    rs->rules[i].alert == c->key &&
			    mval_eq(&rs->rules[i].value, v))
				break;
		}
		if (i < rs->nrules)
			continue;
		rules_diag_add(rs, r->file, r->line,
		    rules_cond_col(r, c->elems[e].col), false, (long)ri,
		    "rule '%s' reads %s = '%s', which no rule and no parser "
		    "writes", esc_str(r->name), meta_key(c->key)->name,
		    esc_strn(v->text.p, v->text.n));
	}
}

/* Find the writers one condition of rule ri depends on. */
static void
check_cond(struct check *ck, size_t ri, const struct query_cond *c,
    bool *self)
{
	struct ruleset		*rs = ck->rs;
	const struct rule	*w, *r = &rs->rules[ri];
	size_t			 wi;

	if (c->key < 0)
		return;
	if (meta_key(c->key)->flags & MK_HUNTING || check_written(rs, c->key))
		check_nobody(ck, ri, c);
	for (wi = 0; wi < rs->nrules; wi++) {
		w = &rs->rules[wi];
		if (!rules_live(w) || w->alert != c->key ||
		    !query_cond_test(c, &w->value))
			continue;
		if (wi != ri)
			check_edge(ck, wi, ri);
		else if (!*self) {
			*self = true;
			rules_diag_add(rs, r->file, r->line, 0, false,
			    (long)ri, "rule '%s' reads its own output (%s = "
			    "'%s'); not a dependency", esc_str(r->name),
			    meta_key(r->alert)->name, esc_str(r->name));
		}
	}
}

/* Warn when a name was used by an earlier live rule. */
static void
check_duplicate(struct ruleset *rs, size_t ri)
{
	const struct rule	*r = &rs->rules[ri], *o;
	size_t			 i;

	for (i = 0; i < ri; i++) {
		o = &rs->rules[i];
		if (!rules_live(o) || !fold_eq(o->name, o->namelen, r->name,
		    r->namelen))
			continue;
		rules_diag_add(rs, r->file, r->line, 0, false, (long)ri,
		    "duplicate rule name '%s' (first at %s:%u)",
		    esc_str(r->name), esc_str(rs->files[o->file].path),
		    o->line);
		return;
	}
}

/* Whether a rule has a condition on a key. */
static bool
check_reads(const struct check *ck, size_t ri, int key)
{
	size_t	 i;

	for (i = 0; i < ck->conds[ri].n; i++) {
		if (ck->conds[ri].v[i]->key == key)
			return (true);
	}
	return (false);
}

/* Warn about a rule that may be kept from running by an earlier stop. */
static void
check_stop(struct check *ck, size_t ri)
{
	struct ruleset		*rs = ck->rs;
	const struct rule	*r = &rs->rules[ri], *s;
	size_t			 k, si;
	bool			 rd;

	for (k = 0; k < rs->nrun && rs->run[k] != ri; k++) {
		si = rs->run[k];
		s = &rs->rules[si];
		if (!(s->flags & RULE_STOP))
			continue;
		rd = check_reads(ck, ri, s->alert);
		if (!rd && r->alert != s->alert)
			continue;
		rules_diag_add(rs, r->file, r->line, 0, false, (long)ri,
		    "rule '%s' %s %s, but stop rule '%s' (%s:%u) runs first "
		    "and ends evaluation when it matches", esc_str(r->name),
		    rd ? "reads" : "writes", meta_key(s->alert)->name,
		    esc_str(s->name), esc_str(rs->files[s->file].path),
		    s->line);
		return;
	}
}

/* Tarjan's strongly connected components over the dependency edges. */
struct check_scc {
	struct ruleset		*rs;
	long			*index, *low;
	bool			*on;
	size_t			*stack, nstack;
	long			 next;
	size_t			*comp, ncomp;
};

/* Compare rule indexes (file and line order) for qsort. */
static int
check_idxcmp(const void *a, const void *b)
{
	size_t	 x = *(const size_t *)a, y = *(const size_t *)b;

	return (x < y ? -1 : x > y);
}

/* Report one cycle at its first member, naming every member. */
static void
check_cycle_report(struct check_scc *t)
{
	struct ruleset		*rs = t->rs;
	const struct rule	*r;
	struct buf		 b;
	size_t			 i;

	qsort(t->comp, t->ncomp, sizeof *t->comp, check_idxcmp);
	buf_init(&b);
	for (i = 0; i < t->ncomp; i++) {
		r = &rs->rules[t->comp[i]];
		buf_printf(&b, "%s'%s' (%s:%u)", i == 0 ? "" : ", ",
		    esc_str(r->name), esc_str(rs->files[r->file].path),
		    r->line);
	}
	r = &rs->rules[t->comp[0]];
	rules_diag_add(rs, r->file, r->line, 0, true, (long)t->comp[0],
	    "dependency cycle between rules %s", b.s);
	buf_free(&b);
	rs->ncycles++;
}

/* Visit a rule for Tarjan's algorithm. */
static void
check_visit(struct check_scc *t, size_t v)
{
	const struct ruleset	*rs = t->rs;
	size_t			 i, w;

	t->index[v] = t->low[v] = t->next++;
	t->stack[t->nstack++] = v;
	t->on[v] = true;
	for (i = 0; i < rs->ndeps; i++) {
		if (rs->deps[2 * i] != v)
			continue;
		w = rs->deps[2 * i + 1];
		if (t->index[w] < 0) {
			check_visit(t, w);
			if (t->low[w] < t->low[v])
				t->low[v] = t->low[w];
		} else if (t->on[w] && t->index[w] < t->low[v])
			t->low[v] = t->index[w];
	}
	if (t->low[v] != t->index[v])
		return;
	t->ncomp = 0;
	do {
		w = t->stack[--t->nstack];
		t->on[w] = false;
		t->comp[t->ncomp++] = w;
	} while (w != v);
	if (t->ncomp > 1)
		check_cycle_report(t);
}

/* Find and report every dependency cycle. */
static void
check_cycles(struct ruleset *rs)
{
	struct check_scc	 t;
	size_t			 i, n = rs->nrules + 1;

	memset(&t, 0, sizeof t);
	t.rs = rs;
	t.index = xreallocarray(NULL, n, sizeof *t.index);
	t.low = xreallocarray(NULL, n, sizeof *t.low);
	t.on = xcalloc(n, sizeof *t.on);
	t.stack = xreallocarray(NULL, n, sizeof *t.stack);
	t.comp = xreallocarray(NULL, n, sizeof *t.comp);
	for (i = 0; i < rs->nrules; i++)
		t.index[i] = -1;
	for (i = 0; i < rs->nrules; i++) {
		if (t.index[i] < 0 && rs->ndeps != 0)
			check_visit(&t, i);
	}
	free(t.index);
	free(t.low);
	free(t.on);
	free(t.stack);
	free(t.comp);
}

/* Compare diagnostics by file, then line. */
static int
check_diagcmp(const void *a, const void *b)
{
	const struct rules_diag	*x = a, *y = b;

	if (x->fileidx != y->fileidx)
		return (x->fileidx < y->fileidx ? -1 : 1);
	if (x->line != y->line)
		return (x->line < y->line ? -1 : 1);
	return (0);
}

/* Sort diagnostics into file and line order, keeping the order found. */
static void
check_sort(struct ruleset *rs)
{
	size_t			 i, j;
	struct rules_diag	 d;

	for (i = 1; i < rs->ndiags; i++) {	/* stable insertion sort */
		d = rs->diags[i];
		for (j = i; j > 0 && check_diagcmp(&rs->diags[j - 1], &d) > 0;
		    j--)
			rs->diags[j] = rs->diags[j - 1];
		rs->diags[j] = d;
	}
}

/* Find dependencies and record the order-check findings. */
void
check_analyse(struct ruleset *rs)
{
	struct check	 ck;
	size_t		 i, j;
	bool		 self;

	ck.rs = rs;
	ck.conds = xcalloc(rs->nrules + 1, sizeof *ck.conds);
	ck.pos = xcalloc(rs->nrules + 1, sizeof *ck.pos);
	for (i = 0; i < rs->nrules; i++)
		ck.pos[rs->sorted[i]] = i;
	for (i = 0; i < rs->nrules; i++) {
		if (rules_live(&rs->rules[i]))
			query_walk(rs->rules[i].q, check_collect, &ck.conds[i]);
	}
	for (i = 0; i < rs->nrules; i++) {
		if (!rules_live(&rs->rules[i]))
			continue;
		check_duplicate(rs, i);
		self = false;
		for (j = 0; j < ck.conds[i].n; j++)
			check_cond(&ck, i, ck.conds[i].v[j], &self);
		check_stop(&ck, i);
	}
	check_cycles(rs);
	check_sort(rs);
	for (i = 0; i < rs->nrules; i++)
		free(ck.conds[i].v);
	free(ck.conds);
	free(ck.pos);
}

/* Print every diagnostic; returns the number of errors. */
int
rules_check(const struct ruleset *rs, FILE *out)
{
	const struct rules_diag	*d;
	struct buf		 b;
	size_t			 i;
	int			 errors = 0;

	buf_init(&b);
	for (i = 0; i < rs->ndiags; i++) {
		d = &rs->diags[i];
		buf_reset(&b);
		buf_adds(&b, esc_str(d->file));
		if (d->line != 0)
			buf_printf(&b, ":%u", d->line);
		if (d->col != 0)
			buf_printf(&b, ":%u", d->col);
		buf_printf(&b, ": %s: ", d->error ? "error" : "warning");
		esc_guard(&b, d->msg, strlen(d->msg));
		buf_addc(&b, '\n');
		fputs(b.s, out);
		if (d->error)
			errors++;
	}
	buf_free(&b);
	return (errors);
}

/* Print a raw line without its terminator or a BOM. */
static void
check_print_raw(FILE *out, const char *p, size_t n)
{
	if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3, n -= 3;
	while (n > 0 && (p[n - 1] == '\n' || p[n - 1] == '\r'))
		n--;
	fwrite(p, 1, n, out);
	fputc('\n', out);
}

/* Print a rule with the comment lines directly above it, renumbered. */
static void
check_print_rule(const struct ruleset *rs, size_t ri, uint64_t order,
    FILE *out)
{
	const struct rule	*r = &rs->rules[ri];
	const struct rules_file	*f = &rs->files[r->file];
	struct buf		 b;
	size_t			 first = r->line - 1;
	char			 num[24];

	while (first > 0 && f->lines[first - 1].comment)
		first--;
	for (; first < r->line - 1; first++)
		check_print_raw(out, f->lines[first].raw, f->lines[first].len);
	snprintf(num, sizeof num, "%llu", (unsigned long long)order);
	buf_init(&b);
	rules_token_set(&b, r->raw, r->rawlen, "order", num);
	check_print_raw(out, b.s, b.len);
	buf_free(&b);
}

/* Take the first rule in evaluation order whose writers are all placed. */
static bool
check_next(const struct ruleset *rs, const bool *done, size_t *out)
{
	size_t	 k, ri, e;

	for (k = 0; k < rs->nrules; k++) {
		ri = rs->sorted[k];
		if (done[ri])
			continue;
		for (e = 0; e < rs->ndeps; e++) {
			if (rs->deps[2 * e + 1] == ri && !done[rs->deps[2 * e]])
				break;
		}
		if (e == rs->ndeps) {
			*out = ri;
			return (true);
		}
	}
	return (false);
}

/*
 * Every rule in an order that satisfies its dependencies (Kahn's
 * algorithm, taking the ready rule that comes first now; members of a
 * cycle last, in their order).  seq holds rules_count() indices.
 */
void
rules_fix_order(const struct ruleset *rs, size_t *seq)
{
	bool	*done = xcalloc(rs->nrules + 1, sizeof *done);
	size_t	 k, ri, n = 0;

	while (check_next(rs, done, &ri)) {
		done[ri] = true;
		seq[n++] = ri;
	}
	for (k = 0; k < rs->nrules; k++) {
		ri = rs->sorted[k];
		if (!done[ri])
			seq[n++] = ri;
	}
	free(done);
}

/* Print every rule in an order that satisfies its dependencies. */
int
rules_fix(const struct ruleset *rs, FILE *out)
{
	size_t	*seq = xreallocarray(NULL, rs->nrules + 1, sizeof *seq);
	size_t	 k;

	rules_fix_order(rs, seq);
	for (k = 0; k < rs->nrules; k++)
		check_print_rule(rs, seq[k], 10 * (uint64_t)(k + 1), out);
	free(seq);
	return (rs->ncycles);
}
