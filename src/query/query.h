/*
 * query.h - the NetWitness where-clause language of SPEC §3: compile a
 * condition into a typed tree, print its canonical plan, and evaluate it on
 * one session through a struct meta_reader.
 *
 * Stages, one file each: lex.c cuts the text into tokens with byte columns,
 * grammar.c builds the tree, literal.c types every literal by its key (and
 * compiles regex patterns), eval.c answers the query for one session, and
 * format.c prints the plan and walks the terms.
 *
 * Contract:
 * - query_compile() initialises *err (err may be NULL), then returns the
 *   query, or NULL with err->col (1-based byte column) and err->msg set.
 *   Warnings (an unknown key, once per query; host bits set in a CIDR
 *   block) are appended to err->warnings in both cases; they never make the
 *   query fail.  The caller releases err with query_error_clear() before
 *   reusing it.
 * - The query keeps no pointer into the text.  It owns every node, element,
 *   text and compiled pattern; the tree is read-only after compilation and
 *   lives until query_free().
 * - Keys are resolved when compiling: a key not in the registry then keeps
 *   key -1 and has no values in any session (so `k != ...` and `k !exists`
 *   are true, everything else false).
 * - query_match(), query_match_cached() and query_match_first() allocate
 *   nothing unless a session has more than QUERY_STACK_VALUES values of one
 *   key.  A query containing a regex keeps one PCRE2 match data block:
 *   evaluate such a query from one thread at a time (compile one per
 *   thread).  A query without regex is reentrant.
 * - An empty query (only blanks) is an error unless QUERY_EMPTY_OK is given;
 *   then it compiles to a query whose root is NULL and that matches every
 *   session.
 */
#ifndef HUNTCON_QUERY_H
#define HUNTCON_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "meta/meta.h"
#include "util/util.h"

/* query_compile flags. */
#define QUERY_EMPTY_OK		0x1	/* empty text matches everything */

/* Values of one key read on the stack before query_match allocates. */
#define QUERY_STACK_VALUES	64

/* Deepest nesting of parentheses and negations accepted. */
#define QUERY_MAX_DEPTH		200

enum query_kind {
	QUERY_AND,		/* every kid true */
	QUERY_OR,		/* some kid true */
	QUERY_NOT,		/* one kid, negated */
	QUERY_COND,		/* a condition on one key */
};

enum query_op {
	QOP_EQ,			/* =: some value in some element */
	QOP_NE,			/* !=: no value in any element, or absent */
	QOP_LT,			/* <, <=, >, >=: one element */
	QOP_LE,
	QOP_GT,
	QOP_GE,
	QOP_BEGINS,		/* text operators: elements are text */
	QOP_ENDS,
	QOP_CONTAINS,
	QOP_REGEX,		/* elements are patterns, re set */
	QOP_LENGTH,		/* text key, uint elements: byte length */
	QOP_EXISTS,		/* no elements */
	QOP_NOTEXISTS,
	QOP_UCOUNT,		/* uint elements: distinct values */
};

/* A compiled pattern; private to the query layer. */
struct query_regex;

/*
 * One element of a value list: the closed interval [lo, hi] of one type
 * (single values have lo equal to hi).  l and u are resolved: 0 or
 * UINT64_MAX, all-zero or all-ones addresses.  A CIDR block is its range.
 * A time literal T is [T, T + 1 s - 1 ns]; a time range 'A'-'B' is
 * [A, B + 1 s - 1 ns] (hi saturates at UINT64_MAX).  Text (including a
 * regex pattern) is in lo and hi alike, owned by the query; a regex element
 * also has re.  Comparisons use lo for < and >=, hi for <= and >.
 */
struct query_elem {
	struct mval		 lo;
	struct mval		 hi;
	struct query_regex	*re;	/* QOP_REGEX only, else NULL */
	uint32_t		 col;	/* 1-based column of the literal */
};

/* A condition: key, operator and value list. */
struct query_cond {
	int			 key;	/* registry id, or -1 when unknown */
	const char		*name;	/* canonical name, lower case */
	enum query_op		 op;
	uint8_t			 type;	/* enum mtype of the elements */
	struct query_elem	*elems;	/* in the order written */
	size_t			 nelems;
	uint32_t		 col;	/* 1-based column of the key */

	/* Private to eval.c: a sorted, merged copy for long lists. */
	struct query_elem	*sorted;
	size_t			 nsorted;
};

/* A node of the tree. */
struct query_node {
	enum query_kind		 kind;
	uint32_t		 col;	/* 1-based column where it starts */
	struct query_node	**kids;	/* AND, OR: two or more; NOT: one */
	size_t			 nkids;
	struct query_cond	 cond;	/* QUERY_COND only */
};

/* A message at a column. */
struct query_diag {
	size_t			 col;	/* 1-based byte column */
	char			*msg;
};

/* What query_compile reports. */
struct query_error {
	size_t			 col;	/* error column, 0 when no error */
	char			*msg;	/* error message, NULL when none */
	struct query_diag	*warnings;
	size_t			 nwarnings;
};

struct query;

/* Compile len bytes of text (NUL not needed); NULL with err set on error. */
struct query	*query_compile(const char *, size_t, int,
		    struct query_error *);
/* Whether the item read through the reader satisfies the query. */
bool		 query_match(const struct query *, const struct meta_reader *,
		    uint64_t);

/*
 * The values of one item, read once for many queries: rules evaluate every
 * query of a pack on each closing session, and most read the same few keys.
 * Keep one on the stack; query_cache_init() for each item, then
 * query_match_cached() for each query (or query_match_first() for a run of
 * them), which answers as query_match() on the same reader and item would.
 * When the item's values of a key change between two queries,
 * query_cache_forget() that key; values already read of other keys must
 * stay where they are (text included) until the next query_cache_init().
 * Keys past QUERY_CACHE_KEYS, and a key whose values do not fit in what is
 * left of vals, are read each time, as by query_match().  The fields are
 * private to eval.c.
 */
#define QUERY_CACHE_KEYS	256	/* key ids below this are remembered */
#define QUERY_CACHE_VALUES	256	/* values remembered per item */
#define QUERY_CACHE_UNFIT	UINT16_MAX	/* at[]: read each time */

struct query_cache {
	const struct meta_reader *r;
	uint64_t		 item;
	uint16_t		 used;	/* values taken in vals */
	/*
	 * Per key id (the last: other keys), read together: at is 1 + index
	 * in vals, 0 unread, QUERY_CACHE_UNFIT read each time (n not 0).
	 */
	struct {
		uint16_t	 at;
		uint16_t	 n;	/* values */
	}			 keys[QUERY_CACHE_KEYS + 1];
	struct mval		 vals[QUERY_CACHE_VALUES];
};

/* Start remembering the values of one item read through a reader. */
void		 query_cache_init(struct query_cache *,
		    const struct meta_reader *, uint64_t);
/* Read a key again on its next use: the item's values of it changed. */
void		 query_cache_forget(struct query_cache *, int);
/*
 * Take it that the item has no value of a key, without reading it (the
 * caller knows better; until query_cache_forget() of that key).
 */
void		 query_cache_none(struct query_cache *, int);
/* Whether the cache's item satisfies a query (as query_match). */
bool		 query_match_cached(const struct query *,
		    struct query_cache *);
/*
 * The index of the first of n queries the cache's item satisfies, in
 * order (n when none does).
 */
size_t		 query_match_first(const struct query *const *, size_t,
		    struct query_cache *);
/* Free a query (NULL is fine). */
void		 query_free(struct query *);
/* The root of the tree; NULL for an empty query (matches everything). */
const struct query_node *query_root(const struct query *);

/*
 * Append the canonical plan: groups fully parenthesised, keys by their
 * canonical name, operators in lower case, literals normalised (ranges as
 * lo-hi with l and u, exact CIDR blocks as a/n, times as
 * 'YYYY-mon-DD HH:MM:SS', text single-quoted with \\, \' and \xNN), e.g.
 * "(ip.proto = 1 && size = 1024000-u)".  The plan compiles back to the
 * same plan.  An empty query prints nothing.
 */
void		 query_format(struct buf *, const struct query *);

/*
 * Call fn for every condition in text order, with whether it sits under an
 * odd number of negations (!, not); != and !exists do not count as
 * negations (look at the operator).
 */
void		 query_walk(const struct query *,
		    void (*)(const struct query_cond *, bool, void *), void *);
/*
 * Whether one value satisfies a condition's operator and list, read in the
 * positive sense: = and != both test membership in the list; exists,
 * !exists and ucount are true for every value.  For the rule order checker
 * (SPEC §4); allocates for a regex.
 */
bool		 query_cond_test(const struct query_cond *,
		    const struct mval *);
/*
 * The same for a condition of the query q, with q's match data and limits,
 * counting give-ups as query_match does: for the store's index, which
 * tests each distinct value once.  One thread at a time, as query_match.
 */
bool		 query_value_test(const struct query *,
		    const struct query_cond *, const struct mval *);

/*
 * A regex that reaches a PCRE2 limit on a value (match steps, depth, heap,
 * JIT stack) gives up: that value does not match.  The query counts such
 * values per pattern, from query_match, query_match_cached,
 * query_match_first and query_value_test alike, until
 * query_gaveup_reset().  The count is of tests: a value tested in several
 * sessions counts once per session.  query_gaveup_messages() gives one
 * warning per pattern that gave up ("regex 'P' gave up on N values at the
 * match limit (counted as no match)", the pattern escaped and cut as
 * query errors quote literals); the caller frees each and the array.
 */
uint64_t	 query_gaveup(const struct query *);
void		 query_gaveup_reset(const struct query *);
size_t		 query_gaveup_messages(const struct query *, char ***);

/* Name of an operator as printed ("=", "contains", "!exists" ...). */
const char	*query_op_name(enum query_op);

/* Start an empty error report. */
void		 query_error_init(struct query_error *);
/* Free the messages of an error report and empty it. */
void		 query_error_clear(struct query_error *);

#endif
