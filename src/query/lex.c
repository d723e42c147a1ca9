/* lex.c - cut a query into tokens with byte offsets. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <string.h>

#include "query/query-int.h"

/* Whether a byte is a blank between tokens. */
static bool
lex_space(unsigned char c)
{
	return (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	    c == '\f');
}

/* Whether a byte ends a bare word. */
static bool
lex_stop(unsigned char c)
{
	return (lex_space(c) || (c != '\0' && strchr("()=!<>,&|'\"-", c)));
}

/* Start reading len bytes of s. */
void
lex_init(struct lex *lx, const char *s, size_t len)
{
	lx->s = s;
	lx->len = len;
	lx->pos = 0;
	lx->error = NULL;
}

/* Offset of the first byte at or after pos that is not a blank. */
static size_t
lex_skip(const struct lex *lx, size_t pos)
{
	while (pos < lx->len && lex_space((unsigned char)lx->s[pos]))
		pos++;
	return (pos);
}

/* Length of the bare word at pos. */
static size_t
lex_wordlen(const struct lex *lx, size_t pos)
{
	size_t	 end = pos;

	while (end < lx->len && !lex_stop((unsigned char)lx->s[end]))
		end++;
	return (end - pos);
}

/* Make tok an error at the current position. */
static void
lex_error(struct lex *lx, struct lex_token *tok, const char *msg)
{
	tok->kind = LEX_ERROR;
	tok->len = 0;
	lx->error = msg;
}

/* Read a quoted string: a backslash keeps the next byte from ending it. */
static void
lex_string(struct lex *lx, struct lex_token *tok)
{
	char	 q = lx->s[lx->pos];
	size_t	 i;

	for (i = lx->pos + 1; i < lx->len; i++) {
		if (lx->s[i] == '\\') {
			i++;
			continue;
		}
		if (lx->s[i] == q) {
			tok->kind = LEX_STRING;
			tok->len = i + 1 - lx->pos;
			return;
		}
	}
	lex_error(lx, tok, "unterminated quote");
}

/* Read what starts with '!': !=, !exists, or ! before '('. */
static void
lex_bang(struct lex *lx, struct lex_token *tok)
{
	size_t	 next = lx->pos + 1, n;

	if (next < lx->len && lx->s[next] == '=') {
		tok->kind = LEX_NE;
		tok->len = 2;
		return;
	}
	n = lex_wordlen(lx, next);
	if (fold_eq(lx->s + next, n, "exists", 6)) {
		tok->kind = LEX_NOTEXISTS;
		tok->len = 7;
		return;
	}
	next = lex_skip(lx, next);
	if (next < lx->len && lx->s[next] == '(') {
		tok->kind = LEX_NOT;
		tok->len = 1;
		return;
	}
	lex_error(lx, tok, "'!' must be followed by '(' (or use !exists)");
}

/* Read a two-byte joiner (&& or ||), or fail on a single one. */
static void
lex_joiner(struct lex *lx, struct lex_token *tok)
{
	char	 c = lx->s[lx->pos];

	if (lx->pos + 1 < lx->len && lx->s[lx->pos + 1] == c) {
		tok->kind = c == '&' ? LEX_AND : LEX_OR;
		tok->len = 2;
	} else if (c == '&')
		lex_error(lx, tok, "'&' is not an operator (use '&&')");
	else
		lex_error(lx, tok, "'|' is not an operator (use '||')");
}

/* Read a comparison operator: =, <, <=, >, >=. */
static void
lex_compare(struct lex *lx, struct lex_token *tok)
{
	char	 c = lx->s[lx->pos];
	bool	 eq = lx->pos + 1 < lx->len && lx->s[lx->pos + 1] == '=';

	tok->len = eq ? 2 : 1;
	if (c == '=') {
		tok->kind = LEX_EQ;
		if (eq)
			lex_error(lx, tok, "'==' is not an operator (use '=')");
	} else if (c == '<')
		tok->kind = eq ? LEX_LE : LEX_LT;
	else
		tok->kind = eq ? LEX_GE : LEX_GT;
}

/* Read a bare word; "not" directly before '(' is the negation. */
static void
lex_word(struct lex *lx, struct lex_token *tok)
{
	size_t	 next;

	tok->kind = LEX_WORD;
	tok->len = lex_wordlen(lx, lx->pos);
	if (fold_eq(lx->s + lx->pos, tok->len, "not", 3)) {
		next = lex_skip(lx, lx->pos + tok->len);
		if (next < lx->len && lx->s[next] == '(')
			tok->kind = LEX_NOT;
	}
}

/* Read the next token into tok; errors leave the position where they are. */
void
lex_next(struct lex *lx, struct lex_token *tok)
{
	static const char	 single[] = "(),-";
	static const enum lex_kind kinds[] = {
		LEX_LPAREN, LEX_RPAREN, LEX_COMMA, LEX_DASH
	};
	const char		*p;
	char			 c;

	lx->pos = lex_skip(lx, lx->pos);
	tok->off = lx->pos;
	tok->len = 0;
	if (lx->pos >= lx->len) {
		tok->kind = LEX_END;
		return;
	}
	c = lx->s[lx->pos];
	if (c != '\0' && (p = strchr(single, c)) != NULL) {
		tok->kind = kinds[p - single];
		tok->len = 1;
	} else if (c == '&' || c == '|')
		lex_joiner(lx, tok);
	else if (c == '=' || c == '<' || c == '>')
		lex_compare(lx, tok);
	else if (c == '!')
		lex_bang(lx, tok);
	else if (c == '\'' || c == '"')
		lex_string(lx, tok);
	else
		lex_word(lx, tok);
	if (tok->kind != LEX_ERROR)
		lx->pos += tok->len;
}

/* Whether a token is the bare word kw, case folded. */
bool
lex_is(const struct lex *lx, const struct lex_token *tok, const char *kw)
{
	return (tok->kind == LEX_WORD &&
	    fold_eq(lx->s + tok->off, tok->len, kw, strlen(kw)));
}

/* Value of a hex digit, or -1. */
static int
lex_hex(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/*
 * Reduce the backslashes of a quoted string's contents (quotes excluded)
 * into out, which has room for n bytes, and return the length.  For a regex
 * only \' and \" are reduced; otherwise also \\ and \xNN, and any other
 * backslash stays.
 */
size_t
lex_unquote(const char *raw, size_t n, bool regex, char *out)
{
	size_t	 i = 0, o = 0;
	int	 h, l;

	while (i < n) {
		if (raw[i] != '\\' || i + 1 >= n) {
			out[o++] = raw[i++];
			continue;
		}
		if (raw[i + 1] == '\'' || raw[i + 1] == '"' ||
		    (!regex && raw[i + 1] == '\\')) {
			out[o++] = raw[i + 1];
			i += 2;
		} else if (regex) {
			out[o++] = raw[i++];
			out[o++] = raw[i++];
		} else if (raw[i + 1] == 'x' && i + 3 < n &&
		    (h = lex_hex((unsigned char)raw[i + 2])) != -1 &&
		    (l = lex_hex((unsigned char)raw[i + 3])) != -1) {
			out[o++] = (char)(h << 4 | l);
			i += 4;
		} else
			out[o++] = raw[i++];
	}
	return (o);
}
