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
	size_t			*rpos;		/* per rule: place in run */
	struct rules_index	 names;		/* live rules by name */
	struct rules_index	 values;	/* live rules by key and name */
	int			 nkeys;
	size_t			*wfirst;	/* per key + 1: into writers */
	size_t			*writers;	/* live rules by key, in order */
	size_t			*heads;		/* the same by name, folded */
	size_t			*tails;		/* the same by name read
						   backwards, folded */
	size_t			*stop;		/* per key: run place of the
						   first stop rule writing it */
	size_t			*mark;		/* per rule: reader + 1 of its
						   last edge */
	size_t			*cand;		/* writers one condition may
						   read */
	size_t			 ncand, candmax, depsmax;
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
check_written(const struct check *ck, int key)
{
	return (key >= 0 && key < ck->nkeys &&
	    ck->wfirst[key + 1] > ck->wfirst[key]);
}

/* Record that rule ri reads what rule wi writes. */
static void
check_edge(struct check *ck, size_t wi, size_t ri)
{
	struct ruleset		*rs = ck->rs;
	const struct rule	*w = &rs->rules[wi], *r = &rs->rules[ri];

	if (ck->mark[wi] == ri + 1)	/* edges of ri are found together */
		return;
	ck->mark[wi] = ri + 1;
	if ((w->flags & RULE_CORR) && !(r->flags & RULE_CORR)) {
		rules_diag_add(rs, r->file, r->line, 0, false, (long)ri,
		    "rule '%s' reads %s = '%s', which correlation rule '%s' "
		    "(%s:%u) writes once every application rule has run; make "
		    "'%s' a correlation rule (type=correlation) or have it "
		    "read what '%s' reads", esc_str(r->name),
		    meta_key(w->alert)->name, esc_str(w->name),
		    esc_str(w->name), esc_str(rs->files[w->file].path),
		    w->line, esc_str(r->name), esc_str(w->name));
		return;
	}
	if (rs->ndeps == ck->depsmax) {
		ck->depsmax = ck->depsmax == 0 ? 64 : 2 * ck->depsmax;
		rs->deps = xreallocarray(rs->deps, 2 * ck->depsmax,
		    sizeof *rs->deps);
	}
	rs->deps[2 * rs->ndeps] = wi;
	rs->deps[2 * rs->ndeps + 1] = ri;
	rs->ndeps++;
	if (ck->pos[wi] < ck->pos[ri])
		return;
	if (w->file != r->file) {	/* a line number of another file */
		rules_diag_add(rs, r->file, r->line, 0, false, (long)ri,
		    "rule '%s' reads %s = '%s', which rule '%s' (%s:%u) writes "
		    "later; move it above rule '%s'", esc_str(r->name),
		    meta_key(w->alert)->name, esc_str(w->name),
		    esc_str(w->name), esc_str(rs->files[w->file].path),
		    w->line, esc_str(r->name));
		return;
	}
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
	size_t			 e;

	if (c->op != QOP_EQ && c->op != QOP_NE)
		return;
	for (e = 0; e < c->nelems; e++) {
		v = &c->elems[e].lo;
		if (v->type != MT_TEXT || check_parser_writes(c->key, v))
			continue;
		if (rules_index_find(&ck->values, rs, c->key, v->text.p,
		    v->text.n) >= 0)
			continue;
		rules_diag_add(rs, r->file, r->line,
		    rules_cond_col(r, c->elems[e].col), false, (long)ri,
		    "rule '%s' reads %s = '%s', which no rule and no parser "
		    "writes", esc_str(r->name), meta_key(c->key)->name,
		    esc_strn(v->text.p, v->text.n));
	}
}

/* Compare rule indexes (file and line order) for qsort. */
static int
check_idxcmp(const void *a, const void *b)
{
	size_t	 x = *(const size_t *)a, y = *(const size_t *)b;

	return (x < y ? -1 : x > y);
}

/* Add a rule to the candidates of one condition. */
static void
check_cand_add(struct check *ck, size_t wi)
{
	if (ck->ncand == ck->candmax) {
		ck->candmax = ck->candmax == 0 ? 64 : 2 * ck->candmax;
		ck->cand = xreallocarray(ck->cand, ck->candmax,
		    sizeof *ck->cand);
	}
	ck->cand[ck->ncand++] = wi;
}

/* The ruleset whose names check_headcmp and check_tailcmp compare. */
static const struct ruleset *check_sorting;

/* Compare two rules' names, folded, for qsort. */
static int
check_headcmp(const void *a, const void *b)
{
	const struct rule	*x = &check_sorting->rules[*(const size_t *)a];
	const struct rule	*y = &check_sorting->rules[*(const size_t *)b];

	return (fold_cmp(x->name, x->namelen, y->name, y->namelen));
}

/* Compare two names folded and read backwards from their last byte. */
static int
check_tailcmp_text(const char *p, size_t pn, const char *q, size_t qn)
{
	size_t	 i, n = pn < qn ? pn : qn;
	int	 x, y;

	for (i = 1; i <= n; i++) {
		x = fold((unsigned char)p[pn - i]);
		y = fold((unsigned char)q[qn - i]);
		if (x != y)
			return (x < y ? -1 : 1);
	}
	return (pn < qn ? -1 : pn > qn);
}

/* Compare two rules' names read backwards, folded, for qsort. */
static int
check_tailcmp(const void *a, const void *b)
{
	const struct rule	*x = &check_sorting->rules[*(const size_t *)a];
	const struct rule	*y = &check_sorting->rules[*(const size_t *)b];

	return (check_tailcmp_text(x->name, x->namelen, y->name, y->namelen));
}

/*
 * Add the writers of a key whose name begins (or ends, when tail) with
 * text t: one run of the key's names sorted that way, found by bisection.
 */
static void
check_affix(struct check *ck, int key, const struct mval *t, bool tail)
{
	const size_t		*v = tail ? ck->tails : ck->heads;
	const struct rule	*w;
	size_t			 lo = ck->wfirst[key], hi = ck->wfirst[key + 1];
	size_t			 mid, n = t->text.n;
	int			 c;

	while (lo < hi) {	/* the first name not below t */
		mid = lo + (hi - lo) / 2;
		w = &ck->rs->rules[v[mid]];
		c = tail ? check_tailcmp_text(w->name, w->namelen, t->text.p,
		    n) : fold_cmp(w->name, w->namelen, t->text.p, n);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < ck->wfirst[key + 1]; lo++) {
		w = &ck->rs->rules[v[lo]];
		if (w->namelen < n || !fold_eq(tail ? w->name + w->namelen -
		    n : w->name, n, t->text.p, n))
			break;
		check_cand_add(ck, v[lo]);
	}
}

/*
 * Gather the writers a condition may read, in rule order: for = and != on
 * text, the rules writing its key one of its names (a lookup each); for
 * begins and ends, those whose names have the affix (a bisection each);
 * for any other operator, every live rule writing its key.
 */
static void
check_candidates(struct check *ck, const struct query_cond *c)
{
	const struct mval	*v;
	size_t			 e, i, n = 0;
	long			 wi;

	ck->ncand = 0;
	if ((c->op != QOP_EQ && c->op != QOP_NE && c->op != QOP_BEGINS &&
	    c->op != QOP_ENDS) || c->type != MT_TEXT) {
		for (i = ck->wfirst[c->key]; i < ck->wfirst[c->key + 1]; i++)
			check_cand_add(ck, ck->writers[i]);
		return;
	}
	for (e = 0; e < c->nelems; e++) {
		v = &c->elems[e].lo;
		if (v->type != MT_TEXT)
			continue;
		if (c->op == QOP_BEGINS || c->op == QOP_ENDS) {
			check_affix(ck, c->key, v, c->op == QOP_ENDS);
			continue;
		}
		wi = rules_index_find(&ck->values, ck->rs, c->key, v->text.p,
		    v->text.n);
		for (; wi >= 0; wi = ck->values.next[wi] == SIZE_MAX ? -1 :
		    (long)ck->values.next[wi])
			check_cand_add(ck, (size_t)wi);
	}
	if (ck->ncand > 1)
		qsort(ck->cand, ck->ncand, sizeof *ck->cand, check_idxcmp);
	for (i = 0; i < ck->ncand; i++) {
		if (i == 0 || ck->cand[i] != ck->cand[n - 1])
			ck->cand[n++] = ck->cand[i];
	}
	ck->ncand = n;
}

/* Find the writers one condition of rule ri depends on. */
static void
check_cond(struct check *ck, size_t ri, const struct query_cond *c,
    bool *self)
{
	struct ruleset		*rs = ck->rs;
	const struct rule	*w, *r = &rs->rules[ri];
	size_t			 k, wi;

	if (c->key < 0 || c->key >= ck->nkeys)
		return;
	if (meta_key(c->key)->flags & MK_HUNTING || check_written(ck, c->key))
		check_nobody(ck, ri, c);
	check_candidates(ck, c);
	for (k = 0; k < ck->ncand; k++) {
		wi = ck->cand[k];
		w = &rs->rules[wi];
		if (!query_cond_test(c, &w->value))
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
check_duplicate(struct check *ck, size_t ri)
{
	struct ruleset		*rs = ck->rs;
	const struct rule	*r = &rs->rules[ri], *o;
	long			 first;

	first = rules_index_find(&ck->names, rs, r->alert, r->name,
	    r->namelen);
	if (first < 0 || (size_t)first >= ri)
		return;
	o = &rs->rules[first];
	rules_diag_add(rs, r->file, r->line, 0, false, (long)ri,
	    "duplicate rule name '%s' (first at %s:%u)", esc_str(r->name),
	    esc_str(rs->files[o->file].path), o->line);
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

/* The run place of the first stop rule writing a key, or SIZE_MAX. */
static size_t
check_stop_of(const struct check *ck, int key)
{
	return (key >= 0 && key < ck->nkeys ? ck->stop[key] : SIZE_MAX);
}

/*
 * Warn about a rule that may be kept from running by an earlier stop: the
 * first stop rule in run order writing a key it reads or writes.
 */
static void
check_stop(struct check *ck, size_t ri)
{
	struct ruleset		*rs = ck->rs;
	const struct rule	*r = &rs->rules[ri], *s;
	size_t			 i, k, first;
	bool			 rd;

	first = check_stop_of(ck, r->alert);
	for (i = 0; i < ck->conds[ri].n; i++) {
		k = check_stop_of(ck, ck->conds[ri].v[i]->key);
		if (k < first)
			first = k;
	}
	if (first >= ck->rpos[ri])
		return;
	s = &rs->rules[rs->run[first]];
	rd = check_reads(ck, ri, s->alert);
	rules_diag_add(rs, r->file, r->line, 0, false, (long)ri,
	    "rule '%s' %s %s, but stop rule '%s' (%s:%u) runs first "
	    "and ends evaluation when it matches", esc_str(r->name),
	    rd ? "reads" : "writes", meta_key(s->alert)->name,
	    esc_str(s->name), esc_str(rs->files[s->file].path), s->line);
}

/*
 * The readers of each rule (CSR): those of rule w are to[first[w]] up to
 * to[first[w + 1]], in the order the edges were found.
 */
static void
check_adjacency(const struct ruleset *rs, size_t **firstp, size_t **top)
{
	size_t	*first, *fill, *to, i;

	first = xcalloc(rs->nrules + 2, sizeof *first);
	fill = xreallocarray(NULL, rs->nrules + 1, sizeof *fill);
	to = xreallocarray(NULL, rs->ndeps + 1, sizeof *to);
	for (i = 0; i < rs->ndeps; i++)
		first[rs->deps[2 * i] + 1]++;
	for (i = 0; i < rs->nrules; i++) {
		first[i + 1] += first[i];
		fill[i] = first[i];
	}
	for (i = 0; i < rs->ndeps; i++)
		to[fill[rs->deps[2 * i]]++] = rs->deps[2 * i + 1];
	free(fill);
	*firstp = first;
	*top = to;
}

/* Tarjan's strongly connected components over the dependency edges. */
struct check_scc {
	struct ruleset		*rs;
	long			*index, *low;
	bool			*on;
	size_t			*stack, nstack;
	long			 next;
	size_t			*comp, ncomp;
	size_t			*first, *to;	/* check_adjacency() */
	size_t			*path, *edge;	/* the walk: rules, and the
						   next edge of each */
	size_t			 npath;
};

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

/* Enter a rule on Tarjan's walk. */
static void
check_enter(struct check_scc *t, size_t v)
{
	t->index[v] = t->low[v] = t->next++;
	t->stack[t->nstack++] = v;
	t->on[v] = true;
	t->path[t->npath] = v;
	t->edge[t->npath++] = t->first[v];
}

/* Leave the last rule of the walk: report its component when a cycle. */
static void
check_leave(struct check_scc *t)
{
	size_t	 v = t->path[--t->npath], w, u;

	if (t->npath > 0 && t->low[v] < t->low[u = t->path[t->npath - 1]])
		t->low[u] = t->low[v];
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

/* Visit a rule for Tarjan's algorithm, walking with a stack of its own. */
static void
check_visit(struct check_scc *t, size_t root)
{
	size_t	 v, w;

	check_enter(t, root);
	while (t->npath > 0) {
		v = t->path[t->npath - 1];
		if (t->edge[t->npath - 1] == t->first[v + 1]) {
			check_leave(t);
			continue;
		}
		w = t->to[t->edge[t->npath - 1]++];
		if (t->index[w] < 0)
			check_enter(t, w);
		else if (t->on[w] && t->index[w] < t->low[v])
			t->low[v] = t->index[w];
	}
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
	t.path = xreallocarray(NULL, n, sizeof *t.path);
	t.edge = xreallocarray(NULL, n, sizeof *t.edge);
	check_adjacency(rs, &t.first, &t.to);
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
	free(t.path);
	free(t.edge);
	free(t.first);
	free(t.to);
}

/* A diagnostic and its place in the order found, for a stable sort. */
struct check_dsort {
	struct rules_diag	 d;
	size_t			 seq;
};

/* Compare diagnostics by file, then line, then the order found. */
static int
check_diagcmp(const void *a, const void *b)
{
	const struct check_dsort *x = a, *y = b;

	if (x->d.fileidx != y->d.fileidx)
		return (x->d.fileidx < y->d.fileidx ? -1 : 1);
	if (x->d.line != y->d.line)
		return (x->d.line < y->d.line ? -1 : 1);
	return (x->seq < y->seq ? -1 : x->seq > y->seq);
}

/* Sort diagnostics into file and line order, keeping the order found. */
static void
check_sort(struct ruleset *rs)
{
	struct check_dsort	*v;
	size_t			 i;

	v = xreallocarray(NULL, rs->ndiags + 1, sizeof *v);
	for (i = 0; i < rs->ndiags; i++) {
		v[i].d = rs->diags[i];
		v[i].seq = i;
	}
	qsort(v, rs->ndiags, sizeof *v, check_diagcmp);
	for (i = 0; i < rs->ndiags; i++)
		rs->diags[i] = v[i].d;
	free(v);
}

/* Sort each key's writers by name, and by name read backwards. */
static void
check_prepare_affixes(struct check *ck)
{
	size_t	 n = ck->wfirst[ck->nkeys], lo, len;
	int	 key;

	ck->heads = xreallocarray(NULL, n + 1, sizeof *ck->heads);
	ck->tails = xreallocarray(NULL, n + 1, sizeof *ck->tails);
	if (n != 0) {
		memcpy(ck->heads, ck->writers, n * sizeof *ck->heads);
		memcpy(ck->tails, ck->writers, n * sizeof *ck->tails);
	}
	check_sorting = ck->rs;
	for (key = 0; key < ck->nkeys; key++) {
		lo = ck->wfirst[key];
		if ((len = ck->wfirst[key + 1] - lo) < 2)
			continue;
		qsort(ck->heads + lo, len, sizeof *ck->heads, check_headcmp);
		qsort(ck->tails + lo, len, sizeof *ck->tails, check_tailcmp);
	}
	check_sorting = NULL;
}

/*
 * Index what the check looks up: live rules by name and by key and name,
 * the live writers of each key, the first stop rule writing each key.
 */
static void
check_prepare(struct check *ck)
{
	struct ruleset	*rs = ck->rs;
	size_t		*live, *fill, n = 0, i, k;
	int		 key;

	ck->nkeys = meta_nkeys();
	live = xreallocarray(NULL, rs->nrules + 1, sizeof *live);
	for (i = 0; i < rs->nrules; i++) {
		if (rules_live(&rs->rules[i]))
			live[n++] = i;
	}
	rules_index_build(&ck->names, rs, live, n, false);
	rules_index_build(&ck->values, rs, live, n, true);
	ck->wfirst = xcalloc((size_t)ck->nkeys + 2, sizeof *ck->wfirst);
	fill = xreallocarray(NULL, (size_t)ck->nkeys + 1, sizeof *fill);
	ck->writers = xreallocarray(NULL, n + 1, sizeof *ck->writers);
	for (i = 0; i < n; i++)
		ck->wfirst[rs->rules[live[i]].alert + 1]++;
	for (key = 0; key < ck->nkeys; key++) {
		ck->wfirst[key + 1] += ck->wfirst[key];
		fill[key] = ck->wfirst[key];
	}
	for (i = 0; i < n; i++)
		ck->writers[fill[rs->rules[live[i]].alert]++] = live[i];
	check_prepare_affixes(ck);
	ck->stop = xreallocarray(NULL, (size_t)ck->nkeys + 1, sizeof *ck->stop);
	for (key = 0; key < ck->nkeys; key++)
		ck->stop[key] = SIZE_MAX;
	for (k = rs->nrun; k-- > 0;) {
		if (rs->rules[rs->run[k]].flags & RULE_STOP)
			ck->stop[rs->rules[rs->run[k]].alert] = k;
	}
	free(fill);
	free(live);
}

/* Free what check_prepare() and check_analyse() allocated. */
static void
check_done(struct check *ck)
{
	size_t	 i;

	for (i = 0; i < ck->rs->nrules; i++)
		free(ck->conds[i].v);
	free(ck->conds);
	free(ck->pos);
	free(ck->rpos);
	free(ck->mark);
	free(ck->cand);
	free(ck->wfirst);
	free(ck->writers);
	free(ck->heads);
	free(ck->tails);
	free(ck->stop);
	rules_index_free(&ck->names);
	rules_index_free(&ck->values);
}

/* Find dependencies and record the order-check findings. */
void
check_analyse(struct ruleset *rs)
{
	struct check	 ck;
	size_t		 i, j;
	bool		 self;

	memset(&ck, 0, sizeof ck);
	ck.rs = rs;
	ck.conds = xcalloc(rs->nrules + 1, sizeof *ck.conds);
	ck.pos = xcalloc(rs->nrules + 1, sizeof *ck.pos);
	ck.rpos = xcalloc(rs->nrules + 1, sizeof *ck.rpos);
	ck.mark = xcalloc(rs->nrules + 1, sizeof *ck.mark);
	for (i = 0; i < rs->nrules; i++)
		ck.pos[rs->sorted[i]] = i;
	for (i = 0; i < rs->nrun; i++)
		ck.rpos[rs->run[i]] = i;
	for (i = 0; i < rs->nrules; i++) {
		if (rules_live(&rs->rules[i]))
			query_walk(rs->rules[i].q, check_collect, &ck.conds[i]);
	}
	check_prepare(&ck);
	for (i = 0; i < rs->nrules; i++) {
		if (!rules_live(&rs->rules[i]))
			continue;
		check_duplicate(&ck, i);
		self = false;
		for (j = 0; j < ck.conds[i].n; j++)
			check_cond(&ck, i, ck.conds[i].v[j], &self);
		check_stop(&ck, i);
	}
	check_cycles(rs);
	check_sort(rs);
	check_done(&ck);
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

/* A min-heap of places in evaluation order: the rules ready to print. */
struct check_heap {
	size_t	*v;
	size_t	 n;
};

/* Add a place to the heap. */
static void
check_heap_push(struct check_heap *h, size_t x)
{
	size_t	 i = h->n++, up;

	for (; i > 0 && h->v[up = (i - 1) / 2] > x; i = up)
		h->v[i] = h->v[up];
	h->v[i] = x;
}

/* Take the smallest place from the heap. */
static size_t
check_heap_pop(struct check_heap *h)
{
	size_t	 top = h->v[0], x = h->v[--h->n], i = 0, c;

	while ((c = 2 * i + 1) < h->n) {
		if (c + 1 < h->n && h->v[c + 1] < h->v[c])
			c++;
		if (h->v[c] >= x)
			break;
		h->v[i] = h->v[c];
		i = c;
	}
	h->v[i] = x;
	return (top);
}

/*
 * Move the correlation rules after the application rules, each part in
 * the order it had: they run after every application rule whatever their
 * order=, and no application rule depends on one.
 */
static void
check_corr_last(const struct ruleset *rs, size_t *seq)
{
	size_t	*tmp = xreallocarray(NULL, rs->nrules + 1, sizeof *tmp);
	size_t	 k, n = 0;
	int	 pass;

	for (pass = 0; pass < 2; pass++) {
		for (k = 0; k < rs->nrules; k++) {
			if (!(rs->rules[seq[k]].flags & RULE_CORR) == !pass)
				tmp[n++] = seq[k];
		}
	}
	memcpy(seq, tmp, rs->nrules * sizeof *seq);
	free(tmp);
}

/*
 * Every rule in an order that satisfies its dependencies (Kahn's
 * algorithm, taking the ready rule that comes first now; members of a
 * cycle last, in their order).  seq holds rules_count() indices.
 */
void
rules_fix_order(const struct ruleset *rs, size_t *seq)
{
	struct check_heap	 h;
	size_t			*wait, *first, *to, *pos, k, ri, e, n = 0;
	bool			*done = xcalloc(rs->nrules + 1, sizeof *done);

	wait = xcalloc(rs->nrules + 1, sizeof *wait);	/* writers unplaced */
	pos = xreallocarray(NULL, rs->nrules + 1, sizeof *pos);
	h.v = xreallocarray(NULL, rs->nrules + 1, sizeof *h.v);
	h.n = 0;
	check_adjacency(rs, &first, &to);
	for (e = 0; e < rs->ndeps; e++)
		wait[rs->deps[2 * e + 1]]++;
	for (k = 0; k < rs->nrules; k++) {
		pos[rs->sorted[k]] = k;
		if (wait[rs->sorted[k]] == 0)
			check_heap_push(&h, k);
	}
	while (h.n > 0) {
		ri = rs->sorted[check_heap_pop(&h)];
		done[ri] = true;
		seq[n++] = ri;
		for (e = first[ri]; e < first[ri + 1]; e++) {
			if (--wait[to[e]] == 0)
				check_heap_push(&h, pos[to[e]]);
		}
	}
	for (k = 0; k < rs->nrules; k++) {
		if (!done[rs->sorted[k]])
			seq[n++] = rs->sorted[k];
	}
	check_corr_last(rs, seq);
	free(done);
	free(wait);
	free(pos);
	free(h.v);
	free(first);
	free(to);
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
