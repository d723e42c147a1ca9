/* regex.c - a PCRE2 pattern as the RE2 pattern that means the same. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <string.h>

#include "fleet/fleet-int.h"

/*
 * The local store runs patterns with PCRE2 (caseless, bytes, no UTF);
 * ClickHouse's match() runs RE2 over UTF-8.  Only a subset means the same
 * in both: ASCII patterns of literals, classes, groups, alternation and
 * greedy or lazy repeats, caseless unless "(?-i)" starts the pattern.
 * The rest is refused rather than answered
 * differently: back-references, look-around, atomic groups and possessive
 * repeats, inline options, \Q..\E and the escapes the two read
 * differently.  \s becomes [\t\n\v\f\r ] (RE2's \s lacks \v) and a final
 * $ becomes (?:\n?\z) (PCRE2's $ also matches before a final newline).
 * Values that are not ASCII are refused where the pattern meets them
 * (sql.c), as RE2 reads them as UTF-8 and folds case beyond ASCII.
 */

/* Letters that escape the same way in both outside a class. */
static const char regex_same[] = "dDwWbBAztnrfa";

/* Copy an escape outside a class; false with *why when refused. */
static bool
regex_escape(struct buf *out, const char *p, size_t n, size_t *i,
    const char **why)
{
	char	 c;

	if (*i + 1 >= n) {
		*why = "a pattern may not end with '\\'";
		return (false);
	}
	c = p[++*i];
	if (c >= '0' && c <= '9') {
		*why = "back-references and octal escapes have no RE2 match";
		return (false);
	}
	if (c == 's' || c == 'S') {
		buf_adds(out, c == 's' ? "[\\t\\n\\v\\f\\r ]" :
		    "[^\\t\\n\\v\\f\\r ]");
		return (true);
	}
	if (c == 'x' && *i + 2 < n && strchr("01234567", p[*i + 1]) != NULL &&
	    strchr("0123456789abcdefABCDEF", p[*i + 2]) != NULL) {
		buf_add(out, p + *i - 1, 4);
		*i += 2;
		return (true);
	}
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
		if (strchr(regex_same, c) == NULL) {
			*why = "this escape has no RE2 equivalent";
			return (false);
		}
	}
	buf_addc(out, '\\');
	buf_addc(out, c);
	return (true);
}

/* Copy a character class [...] (from its '['); false when refused. */
static bool
regex_class(struct buf *out, const char *p, size_t n, size_t *i,
    const char **why)
{
	size_t	 j = *i + 1;

	buf_addc(out, '[');
	if (j < n && p[j] == '^')
		buf_addc(out, p[j++]);
	if (j < n && p[j] == ']') {
		*why = "a class starting with ']' reads differently in RE2";
		return (false);
	}
	for (; j < n && p[j] != ']'; j++) {
		if (p[j] != '\\') {
			buf_addc(out, p[j]);
			continue;
		}
		if (j + 1 < n && p[j + 1] == 's') {
			buf_adds(out, "\\t\\n\\v\\f\\r ");
			j++;
		} else if (j + 1 < n && (strchr("dDwWtnrfa", p[j + 1]) !=
		    NULL || !((p[j + 1] >= 'a' && p[j + 1] <= 'z') ||
		    (p[j + 1] >= 'A' && p[j + 1] <= 'Z') ||
		    (p[j + 1] >= '0' && p[j + 1] <= '9')))) {
			buf_add(out, p + j, 2);
			j++;
		} else {
			*i = j;
			*why = "this escape in a class has no RE2 equivalent";
			return (false);
		}
	}
	if (j >= n) {
		*why = "missing ']'";
		return (false);
	}
	buf_addc(out, ']');
	*i = j;
	return (true);
}

/* Copy a group's opening; only ( and (?: and (?P<name> pass. */
static bool
regex_group(struct buf *out, const char *p, size_t n, size_t i,
    const char **why)
{
	if (i + 1 < n && p[i + 1] == '?' && !(i + 2 < n && (p[i + 2] == ':' ||
	    (p[i + 2] == 'P' && i + 3 < n && p[i + 3] == '<')))) {
		*why = "look-around, atomic groups and inline options have no "
		    "RE2 match";
		return (false);
	}
	buf_addc(out, '(');
	return (true);
}

/* Rewrite one pattern; false with *at (byte offset) and *why. */
bool
fleet_regex_re2(struct buf *out, const char *p, size_t n, size_t *at,
    const char **why)
{
	size_t	 i = 0;
	bool	 ok = true;

	if (n >= 5 && memcmp(p, "(?-i)", 5) == 0)
		i = 5;		/* case-sensitive, as SPEC §3 allows */
	else
		buf_adds(out, "(?i)");
	for (; i < n && ok; i++) {
		*at = i;
		if ((unsigned char)p[i] >= 0x80 || p[i] == '\0') {
			*why = "a pattern over the store must be ASCII";
			return (false);
		}
		if ((p[i] == '+' || p[i] == '*' || p[i] == '?' ||
		    p[i] == '}') && i + 1 < n && p[i + 1] == '+') {
			*why = "possessive repeats have no RE2 match";
			return (false);
		}
		switch (p[i]) {
		case '\\':
			ok = regex_escape(out, p, n, &i, why);
			break;
		case '[':
			ok = regex_class(out, p, n, &i, why);
			break;
		case '(':
			ok = regex_group(out, p, n, i, why);
			break;
		case '$':
			if (i + 1 < n && p[i + 1] != '|' && p[i + 1] != ')') {
				*why = "'$' before more of the pattern reads "
				    "differently in RE2";
				return (false);
			}
			buf_adds(out, "(?:\\n?\\z)");
			break;
		default:
			buf_addc(out, p[i]);
			break;
		}
	}
	return (ok);
}
