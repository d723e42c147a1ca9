/*
 * query-int.h - declarations shared by the stages of the query layer only
 * (lex.c, grammar.c, literal.c, eval.c, format.c).  Nothing outside
 * src/query includes this file.
 */
#ifndef HUNTCON_QUERY_INT_H
#define HUNTCON_QUERY_INT_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "query/query.h"

/* Token kinds. */
enum lex_kind {
	LEX_END,		/* end of the text */
	LEX_ERROR,		/* lx->error says why */
	LEX_WORD,		/* bare word: key, keyword, number, address */
	LEX_STRING,		/* quoted, raw (quotes and backslashes kept) */
	LEX_LPAREN,
	LEX_RPAREN,
	LEX_COMMA,
	LEX_DASH,
	LEX_AND,		/* && */
	LEX_OR,			/* || */
	LEX_NOT,		/* ! or not, followed by ( */
	LEX_NOTEXISTS,		/* !exists */
	LEX_EQ,
	LEX_NE,
	LEX_LT,
	LEX_LE,
	LEX_GT,
	LEX_GE,
};

/* A token: its kind and where its raw text is. */
struct lex_token {
	enum lex_kind	 kind;
	size_t		 off;		/* byte offset (column - 1) */
	size_t		 len;		/* raw length, quotes included */
};

/* The lexer's state. */
struct lex {
	const char	*s;
	size_t		 len;
	size_t		 pos;
	const char	*error;		/* message of the last LEX_ERROR */
};

void	 lex_init(struct lex *, const char *, size_t);
void	 lex_next(struct lex *, struct lex_token *);
bool	 lex_is(const struct lex *, const struct lex_token *, const char *);
size_t	 lex_unquote(const char *, size_t, bool, char *);

/*
 * PCRE2 limits per value matched: backtracking steps (a base and a share
 * per byte of the value, up to a cap), depth, heap (KiB).  A pattern that
 * backtracks catastrophically then costs about as much per value as a
 * linear one needs for a long value, not seconds.
 */
#define REGEX_MATCH_BASE	5000
#define REGEX_MATCH_PER_BYTE	20
#define REGEX_MATCH_MAX		10000000
#define REGEX_DEPTH_LIMIT	2000
#define REGEX_HEAP_LIMIT	4096

/*
 * A compiled pattern, and how many values it gave up on at a limit since
 * the query's give-ups were last reset (counted as no match).
 */
struct query_regex {
	pcre2_code	*code;
	uint64_t	 gaveup;
};

/* Step numbers that end a run: the query is false, or true. */
#define EVAL_NO		(UINT32_MAX - 1)
#define EVAL_YES	UINT32_MAX

/* How a step tests its condition's values. */
enum eval_kind {
	EVAL_ANY,		/* any operator, the general way */
	EVAL_EXISTS,
	EVAL_NOTEXISTS,
	EVAL_UINT1,		/* = or != on one uint or time interval (lo,
				   hi), or one bound < <= > >= as one */
	EVAL_UINT,		/* = or != on a short uint or time list */
	EVAL_IPV41,		/* = or != on one IPv4 interval (lo, hi) */
	EVAL_IPV4,		/* = or != on a short IPv4 list */
	EVAL_TEXT1,		/* = or != on one text (lo: its length) */
	EVAL_TEXT,		/* = or != on a short text list */
	EVAL_BEGINS,
	EVAL_ENDS,
	EVAL_LENGTH,
	EVAL_CONTAINS,
	EVAL_REGEX,
};

/*
 * One step of a query run: test c, then go to next[result].  The rest is
 * copied from c so that the common tests read one structure.
 */
struct eval_step {
	const struct query_cond	*c;
	uint32_t		 next[2];	/* after false, after true */
	int			 key;		/* c->key */
	uint8_t			 kind;		/* enum eval_kind */
	uint8_t			 type;		/* c->type */
	bool			 ne;		/* the operator is != */
	bool			 empty;		/* the answer for no values */
	uint16_t		 slot;		/* key's query_cache entry */
	uint8_t			 last;		/* EVAL_TEXT1: the text's last
						   byte, folded */
	uint64_t		 lo, hi;	/* EVAL_UINT1, EVAL_IPV41: the
						   interval; EVAL_TEXT1: lo */
};

/* A compiled query. */
struct query {
	struct query_node	*root;
	pcre2_match_data	*md;	/* shared by the query's patterns */
	pcre2_match_context	*mctx;	/* match limits */
	struct eval_step	*steps;	/* the tree as jumps (eval_plan) */
	uint32_t		 first;	/* step to start at */
};

/* The parser's state. */
struct grammar {
	const char		*s;
	size_t			 len;
	struct lex		 lx;
	struct lex_token	 tok;	/* current token */
	struct query		*q;
	struct query_error	*err;
	int			 depth;
	bool			 failed;
};

void	 grammar_fail(struct grammar *, size_t, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
void	 grammar_warn(struct grammar *, size_t, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
void	 grammar_quote(struct buf *, const char *, size_t);
void	 grammar_token_text(struct grammar *, const struct lex_token *,
	    struct buf *);

bool	 literal_type_of(struct grammar *, const struct lex_token *,
	    uint8_t *);
bool	 literal_value(struct grammar *, const struct query_cond *,
	    const struct lex_token *, struct query_elem *);
void	 literal_free(struct query_elem *, uint8_t);
void	 literal_limits(pcre2_match_context *);
void	 literal_time_format(struct buf *, uint64_t, uint64_t);

void	 eval_prepare(struct query_cond *);
void	 eval_plan(struct query *);
bool	 eval_in(const struct query_cond *, const struct mval *);

#endif
