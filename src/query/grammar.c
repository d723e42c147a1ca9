/* grammar.c - build the tree of a query from its tokens. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdlib.h>
#include <string.h>

#include "query/query-int.h"

/* Operators written as words. */
static const struct {
	const char	*name;
	enum query_op	 op;
} grammar_words[] = {
	{ "begins", QOP_BEGINS },
	{ "ends", QOP_ENDS },
	{ "contains", QOP_CONTAINS },
	{ "regex", QOP_REGEX },
	{ "length", QOP_LENGTH },
	{ "exists", QOP_EXISTS },
	{ "ucount", QOP_UCOUNT },
};

static struct query_node *grammar_or(struct grammar *);

/* Start an empty error report. */
void
query_error_init(struct query_error *err)
{
	memset(err, 0, sizeof *err);
}

/* Free the messages of an error report and empty it. */
void
query_error_clear(struct query_error *err)
{
	size_t	 i;

	free(err->msg);
	for (i = 0; i < err->nwarnings; i++)
		free(err->warnings[i].msg);
	free(err->warnings);
	query_error_init(err);
}

/* Record the first error, at byte offset off. */
void
grammar_fail(struct grammar *p, size_t off, const char *fmt, ...)
{
	va_list	 ap;

	if (p->failed)
		return;
	p->failed = true;
	if (p->err == NULL)
		return;
	p->err->col = off + 1;
	va_start(ap, fmt);
	xvasprintf(&p->err->msg, fmt, ap);
	va_end(ap);
}

/* Add a warning at byte offset off. */
void
grammar_warn(struct grammar *p, size_t off, const char *fmt, ...)
{
	struct query_error	*err = p->err;
	struct query_diag	*d;
	va_list			 ap;

	if (err == NULL)
		return;
	err->warnings = xreallocarray(err->warnings, err->nwarnings + 1,
	    sizeof *err->warnings);
	d = &err->warnings[err->nwarnings++];
	d->col = off + 1;
	va_start(ap, fmt);
	xvasprintf(&d->msg, fmt, ap);
	va_end(ap);
}

/* Append text escaped for a message, cut when long (esc_msg). */
static void
grammar_escape(struct buf *b, const char *s, size_t n)
{
	esc_msg(b, s, n);
}

/* Append text in single quotes, escaped, for a message. */
void
grammar_quote(struct buf *b, const char *s, size_t n)
{
	buf_addc(b, '\'');
	grammar_escape(b, s, n);
	buf_addc(b, '\'');
}

/* Append how a message names a token: quoted text, or "the end ...". */
void
grammar_token_text(struct grammar *p, const struct lex_token *tok,
    struct buf *b)
{
	if (tok->kind == LEX_END)
		buf_adds(b, "the end of the query");
	else if (tok->kind == LEX_STRING)
		grammar_escape(b, p->s + tok->off, tok->len);
	else
		grammar_quote(b, p->s + tok->off, tok->len);
}

/* Edit distance between two short words, case folded. */
static size_t
grammar_distance(const char *a, size_t an, const char *b, size_t bn)
{
	size_t	 row[64], i, j, diag, up, best;

	if (an >= nitems(row) || bn >= nitems(row))
		return (SIZE_MAX);
	for (j = 0; j <= bn; j++)
		row[j] = j;
	for (i = 1; i <= an; i++) {
		diag = row[0];
		row[0] = i;
		for (j = 1; j <= bn; j++) {
			up = row[j];
			best = diag + (fold((unsigned char)a[i - 1]) !=
			    fold((unsigned char)b[j - 1]));
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return (row[bn]);
}

/* Whether name is close enough to word to suggest, and closer than *best. */
static bool
grammar_closer(const char *word, size_t n, const char *name, size_t *best)
{
	size_t	 d = grammar_distance(word, n, name, strlen(name));

	if (d == 0 || d > (n <= 4 ? 1 : 2) || d >= *best)
		return (false);
	*best = d;
	return (true);
}

/* The operator closest to a misspelt word, or NULL. */
static const char *
grammar_suggest_op(const char *word, size_t n)
{
	const char	*found = NULL;
	size_t		 i, best = SIZE_MAX;

	for (i = 0; i < nitems(grammar_words); i++) {
		if (grammar_closer(word, n, grammar_words[i].name, &best))
			found = grammar_words[i].name;
	}
	return (found);
}

/* The registered key closest to a misspelt name, or NULL. */
static const char *
grammar_suggest_key(const char *word, size_t n)
{
	const struct meta_key	*k;
	const char		*found = NULL;
	size_t			 best = SIZE_MAX;
	int			 id;

	for (id = 0; (k = meta_key(id)) != NULL; id++) {
		if (grammar_closer(word, n, k->name, &best))
			found = k->name;
	}
	return (found);
}

/* Read the next token; a lexer error becomes the query's error. */
static void
grammar_advance(struct grammar *p)
{
	lex_next(&p->lx, &p->tok);
	if (p->tok.kind == LEX_ERROR)
		grammar_fail(p, p->tok.off, "%s", p->lx.error);
}

/* Fail with a message naming a token: "PREFIX 'TOKEN'SUFFIX". */
static void
grammar_fail_at(struct grammar *p, const struct lex_token *tok,
    const char *prefix, const char *suffix)
{
	struct buf	 b;

	buf_init(&b);
	grammar_token_text(p, tok, &b);
	grammar_fail(p, tok->off, "%s%s%s", prefix, b.s, suffix);
	buf_free(&b);
}

/* Fail on a token that cannot follow a complete condition. */
static void
grammar_unexpected(struct grammar *p)
{
	struct lex_token	*tok = &p->tok;

	if (tok->kind == LEX_RPAREN && p->depth == 0)
		grammar_fail(p, tok->off, "unbalanced parenthesis: no '(' for "
		    "this ')'");
	else if (lex_is(&p->lx, tok, "and"))
		grammar_fail_at(p, tok, "", " is not an operator (use '&&')");
	else if (lex_is(&p->lx, tok, "or"))
		grammar_fail_at(p, tok, "", " is not an operator (use '||')");
	else
		grammar_fail_at(p, tok, "unexpected ", " (join conditions with "
		    "'&&' or '||', separate values with ',')");
}

/* Free a node and everything under it. */
static void
grammar_free(struct query_node *n)
{
	struct query_cond	*c;
	size_t			 i;

	if (n == NULL)
		return;
	c = &n->cond;
	for (i = 0; i < n->nkids; i++)
		grammar_free(n->kids[i]);
	free(n->kids);
	if (n->kind == QUERY_COND) {
		for (i = 0; i < c->nelems; i++)
			literal_free(&c->elems[i], c->type);
		free(c->elems);
		free(c->sorted);
		if (c->key == -1)
			free((char *)c->name);
	}
	free(n);
}

/* A new node of a kind starting at byte offset off. */
static struct query_node *
grammar_node(enum query_kind kind, size_t off)
{
	struct query_node	*n = xcalloc(1, sizeof *n);

	n->kind = kind;
	n->col = (uint32_t)off + 1;
	n->cond.key = -1;
	return (n);
}

/* Add a kid to a node, merging the kids of a kid of the same kind. */
static void
grammar_adopt(struct query_node *n, struct query_node *kid)
{
	size_t	 add = kid->kind == n->kind ? kid->nkids : 1;

	n->kids = xreallocarray(n->kids, n->nkids + add, sizeof *n->kids);
	if (kid->kind != n->kind) {
		n->kids[n->nkids++] = kid;
		return;
	}
	memcpy(n->kids + n->nkids, kid->kids, add * sizeof *n->kids);
	n->nkids += add;
	free(kid->kids);
	free(kid);
}

/* Whether a word can be a key name: a letter or _, then [A-Za-z0-9._]. */
static bool
grammar_keyname(const char *s, size_t n)
{
	size_t	 i;
	char	 c;

	for (i = 0; i < n; i++) {
		c = (char)fold((unsigned char)s[i]);
		if ((c >= 'a' && c <= 'z') || c == '_')
			continue;
		if (i == 0 || !((c >= '0' && c <= '9') || c == '.'))
			return (false);
	}
	return (n != 0);
}

/* Whether an unknown key was already warned about in this query. */
static bool
grammar_warned(struct grammar *p, const char *name)
{
	char	*prefix;
	size_t	 i, n;
	bool	 found = false;

	if (p->err == NULL)
		return (true);
	n = (size_t)xasprintf(&prefix, "unknown key '%s'", name);
	for (i = 0; i < p->err->nwarnings && !found; i++) {
		found = strncmp(p->err->warnings[i].msg, prefix, n) == 0 &&
		    (p->err->warnings[i].msg[n] == '\0' ||
		    p->err->warnings[i].msg[n] == ' ');
	}
	free(prefix);
	return (found);
}

/* Resolve the key of a condition; an unknown key is a warning, once. */
static bool
grammar_key(struct grammar *p, struct query_cond *c)
{
	const char	*s = p->s + p->tok.off, *near;
	size_t		 n = p->tok.len, i;
	char		*lower;

	if (p->tok.kind != LEX_WORD) {
		grammar_fail_at(p, &p->tok, "expected a condition, found ", "");
		return (false);
	}
	if (!grammar_keyname(s, n)) {
		grammar_fail_at(p, &p->tok, "", " is not a key name");
		return (false);
	}
	c->col = (uint32_t)p->tok.off + 1;
	if ((c->key = meta_find(s, n)) != -1) {
		c->name = meta_key(c->key)->name;
		return (true);
	}
	lower = xstrndup(s, n);
	for (i = 0; i < n; i++)
		lower[i] = (char)fold((unsigned char)lower[i]);
	c->name = lower;
	if (grammar_warned(p, lower))
		return (true);
	if ((near = grammar_suggest_key(s, n)) != NULL)
		grammar_warn(p, p->tok.off, "unknown key '%s' (did you mean "
		    "'%s'?)", lower, near);
	else
		grammar_warn(p, p->tok.off, "unknown key '%s'", lower);
	return (true);
}

/* Read the operator of a condition. */
static bool
grammar_op(struct grammar *p, struct query_cond *c, struct lex_token *key)
{
	static const enum query_op ops[] = {
		[LEX_EQ] = QOP_EQ, [LEX_NE] = QOP_NE, [LEX_LT] = QOP_LT,
		[LEX_LE] = QOP_LE, [LEX_GT] = QOP_GT, [LEX_GE] = QOP_GE,
		[LEX_NOTEXISTS] = QOP_NOTEXISTS
	};
	struct lex_token	*tok = &p->tok;
	struct buf		 b;
	const char		*near;
	size_t			 i;

	if (tok->kind >= LEX_EQ || tok->kind == LEX_NOTEXISTS) {
		c->op = ops[tok->kind];
		return (true);
	}
	for (i = 0; i < nitems(grammar_words); i++) {
		if (lex_is(&p->lx, tok, grammar_words[i].name)) {
			c->op = grammar_words[i].op;
			return (true);
		}
	}
	if (tok->kind == LEX_WORD) {
		near = grammar_suggest_op(p->s + tok->off, tok->len);
		buf_init(&b);
		buf_printf(&b, " is not an operator%s%s%s", near ? " (did you "
		    "mean '" : "", near ? near : "", near ? "'?)" : "");
		grammar_fail_at(p, tok, "", b.s);
		buf_free(&b);
		return (false);
	}
	buf_init(&b);
	buf_adds(&b, "expected an operator after ");
	grammar_token_text(p, key, &b);
	buf_adds(&b, ", found ");
	grammar_fail_at(p, tok, b.s, "");
	buf_free(&b);
	return (false);
}

/* Whether an operator reads text, so that the key must be text. */
static bool
grammar_text_op(enum query_op op)
{
	return (op == QOP_BEGINS || op == QOP_ENDS || op == QOP_CONTAINS ||
	    op == QOP_REGEX || op == QOP_LENGTH);
}

/* Whether an operator takes exactly one value. */
static bool
grammar_single_op(enum query_op op)
{
	return (op == QOP_LT || op == QOP_LE || op == QOP_GT || op == QOP_GE);
}

/* Decide the type of a condition's elements from its key and operator. */
static bool
grammar_type(struct grammar *p, struct query_cond *c, struct lex_token *optok)
{
	const struct meta_key	*k = meta_key(c->key);

	if (k != NULL && grammar_text_op(c->op) && k->type != MT_TEXT) {
		grammar_fail(p, optok->off, "'%s' applies to text keys, and %s "
		    "is %s", query_op_name(c->op), c->name,
		    meta_type_name(k->type));
		return (false);
	}
	if (c->op == QOP_LENGTH || c->op == QOP_UCOUNT)
		c->type = MT_UINT;
	else if (grammar_text_op(c->op))
		c->type = MT_TEXT;
	else if (k != NULL)
		c->type = k->type;
	else if (!literal_type_of(p, &p->tok, &c->type)) {
		if (p->tok.kind != LEX_WORD)
			return (true);	/* grammar_values reports it */
		c->type = MT_TEXT;	/* so that the hint says to quote */
	}
	return (true);
}

/* Whether a token can be a literal. */
static bool
grammar_is_value(const struct lex_token *tok)
{
	return (tok->kind == LEX_WORD || tok->kind == LEX_STRING);
}

/* Fail when the current token is not a literal, naming what came before. */
static bool
grammar_need_value(struct grammar *p, const struct lex_token *prev)
{
	struct buf	 b;

	if (grammar_is_value(&p->tok))
		return (true);
	buf_init(&b);
	buf_adds(&b, "expected a value after ");
	grammar_token_text(p, prev, &b);
	buf_adds(&b, ", found ");
	grammar_fail_at(p, &p->tok, b.s, "");
	buf_free(&b);
	return (false);
}

/* Whether ranges are allowed; fail at the '-' when not. */
static bool
grammar_range_ok(struct grammar *p, const struct query_cond *c)
{
	if (grammar_single_op(c->op)) {
		grammar_fail(p, p->tok.off, "'%s' takes one value, not a range",
		    query_op_name(c->op));
		return (false);
	}
	if (c->type == MT_TEXT || c->type == MT_MAC) {
		grammar_fail(p, p->tok.off, "ranges apply to uint, IP and time "
		    "values, not %s", meta_type_name(c->type));
		return (false);
	}
	return (true);
}

/* Finish a range: the high literal is current, the low one typed in e. */
static bool
grammar_range(struct grammar *p, struct query_cond *c, struct query_elem *e,
    const struct lex_token *lotok)
{
	struct query_elem	 hi;
	struct buf		 b;

	if (!literal_value(p, c, &p->tok, &hi))
		return (false);
	if (mval_cmp(&e->lo, &hi.lo) > 0) {
		buf_init(&b);
		buf_adds(&b, "range low ");
		grammar_token_text(p, lotok, &b);
		buf_adds(&b, " is above high ");
		grammar_token_text(p, &p->tok, &b);
		grammar_fail(p, lotok->off, "%s", b.s);
		buf_free(&b);
		return (false);
	}
	if (mval_cmp(&hi.hi, &e->hi) > 0)
		e->hi = hi.hi;
	return (true);
}

/* Read one list element (a literal or a range) into e. */
static bool
grammar_elem(struct grammar *p, struct query_cond *c, struct query_elem *e)
{
	struct lex_token	 lotok = p->tok, dash;

	if (!literal_value(p, c, &p->tok, e))
		return (false);
	grammar_advance(p);
	if (p->tok.kind != LEX_DASH)
		return (true);
	dash = p->tok;
	if (!grammar_range_ok(p, c))
		goto fail;
	grammar_advance(p);
	if (!grammar_need_value(p, &dash) || !grammar_range(p, c, e, &lotok))
		goto fail;
	grammar_advance(p);
	return (true);
fail:
	literal_free(e, c->type);
	return (false);
}

/* Read the value list of a condition (the token after the operator). */
static bool
grammar_values(struct grammar *p, struct query_cond *c, struct lex_token *optok)
{
	struct lex_token	 prev = *optok;
	struct query_elem	 e;

	for (;;) {
		if (!grammar_need_value(p, &prev) || !grammar_elem(p, c, &e))
			return (false);
		c->elems = xreallocarray(c->elems, c->nelems + 1,
		    sizeof *c->elems);
		c->elems[c->nelems++] = e;
		if (p->tok.kind != LEX_COMMA)
			return (true);
		if (grammar_single_op(c->op)) {
			grammar_fail(p, p->tok.off, "'%s' takes one value",
			    query_op_name(c->op));
			return (false);
		}
		prev = p->tok;
		grammar_advance(p);
	}
}

/* Read a condition: key OP values, key exists, key !exists. */
static struct query_node *
grammar_cond(struct grammar *p)
{
	struct query_node	*n = grammar_node(QUERY_COND, p->tok.off);
	struct query_cond	*c = &n->cond;
	struct lex_token	 key = p->tok, optok;

	if (!grammar_key(p, c))
		goto fail;
	grammar_advance(p);
	optok = p->tok;
	if (p->failed || !grammar_op(p, c, &key))
		goto fail;
	grammar_advance(p);
	if (c->op == QOP_EXISTS || c->op == QOP_NOTEXISTS)
		return (n);
	if (!grammar_type(p, c, &optok) || !grammar_values(p, c, &optok))
		goto fail;
	eval_prepare(c);
	return (n);
fail:
	grammar_free(n);
	return (NULL);
}

/* Read a parenthesised group; the current token is '('. */
static struct query_node *
grammar_group(struct grammar *p)
{
	struct query_node	*n;
	size_t			 open = p->tok.off;

	if (p->tok.kind != LEX_LPAREN) {
		grammar_fail(p, open, "expected '('");
		return (NULL);
	}
	if (p->depth >= QUERY_MAX_DEPTH) {
		grammar_fail(p, open, "nesting deeper than %d levels",
		    QUERY_MAX_DEPTH);
		return (NULL);
	}
	p->depth++;
	grammar_advance(p);
	n = grammar_or(p);
	p->depth--;
	if (n == NULL)
		return (NULL);
	if (p->tok.kind != LEX_RPAREN) {
		if (p->tok.kind == LEX_END)
			grammar_fail(p, open, "unbalanced parenthesis: this "
			    "'(' is never closed");
		else
			grammar_unexpected(p);
		grammar_free(n);
		return (NULL);
	}
	grammar_advance(p);
	return (n);
}

/* Read a negation, a group or a condition. */
static struct query_node *
grammar_unary(struct grammar *p)
{
	struct query_node	*n, *kid;

	if (p->tok.kind == LEX_LPAREN)
		return (grammar_group(p));
	if (p->tok.kind != LEX_NOT)
		return (grammar_cond(p));
	n = grammar_node(QUERY_NOT, p->tok.off);
	grammar_advance(p);
	if ((kid = grammar_group(p)) == NULL) {
		grammar_free(n);
		return (NULL);
	}
	n->kids = xmalloc(sizeof *n->kids);
	n->kids[0] = kid;
	n->nkids = 1;
	return (n);
}

/* Read terms joined by one joiner into one node of kind. */
static struct query_node *
grammar_join(struct grammar *p, enum query_kind kind, enum lex_kind joiner,
    struct query_node *(*sub)(struct grammar *))
{
	struct query_node	*first, *n, *kid;

	if ((first = sub(p)) == NULL)
		return (NULL);
	if (p->tok.kind != joiner)
		return (first);
	n = grammar_node(kind, first->col - 1);
	grammar_adopt(n, first);
	while (p->tok.kind == joiner) {
		grammar_advance(p);
		if ((kid = sub(p)) == NULL) {
			grammar_free(n);
			return (NULL);
		}
		grammar_adopt(n, kid);
	}
	return (n);
}

/* Read terms joined by &&. */
static struct query_node *
grammar_and(struct grammar *p)
{
	return (grammar_join(p, QUERY_AND, LEX_AND, grammar_unary));
}

/* Read terms joined by ||. */
static struct query_node *
grammar_or(struct grammar *p)
{
	return (grammar_join(p, QUERY_OR, LEX_OR, grammar_and));
}

/* Compile a query; NULL with err set when it is not valid. */
struct query *
query_compile(const char *text, size_t len, int flags,
    struct query_error *err)
{
	struct grammar		 p;
	struct query_node	*root = NULL;

	if (err != NULL)
		query_error_init(err);
	memset(&p, 0, sizeof p);
	p.s = text;
	p.len = len;
	p.err = err;
	p.q = xcalloc(1, sizeof *p.q);
	lex_init(&p.lx, text, len);
	grammar_advance(&p);
	if (p.tok.kind == LEX_END && (flags & QUERY_EMPTY_OK)) {
		eval_plan(p.q);
		return (p.q);
	}
	if (p.tok.kind == LEX_END)
		grammar_fail(&p, 0, "empty query");
	else if ((root = grammar_or(&p)) != NULL && p.tok.kind != LEX_END)
		grammar_unexpected(&p);
	if (p.failed) {
		if (root != NULL)
			grammar_free(root);
		query_free(p.q);
		return (NULL);
	}
	p.q->root = root;
	eval_plan(p.q);
	return (p.q);
}

/* Free a query. */
void
query_free(struct query *q)
{
	if (q == NULL)
		return;
	if (q->root != NULL)
		grammar_free(q->root);
	pcre2_match_data_free(q->md);
	pcre2_match_context_free(q->mctx);
	free(q->steps);
	free(q);
}

/* The root of a query's tree, NULL when empty. */
const struct query_node *
query_root(const struct query *q)
{
	return (q->root);
}
