/*
 * fuzz_query.c - libFuzzer target for the where-clause language: compile
 * the input (with and without QUERY_EMPTY_OK), check the error report, print
 * the plan and check that it reads back to itself and that its negation
 * answers the opposite, evaluate it on a few fake sessions, free it.
 */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meta/meta.h"
#include "query/query.h"
#include "util/util.h"

#define FUZZ_NITEMS	3
#define FUZZ_HOSTS	80

static char	 fuzz_hosts[FUZZ_HOSTS][24];

/* Append a value when there is room; count it anyway. */
static void
fuzz_add(struct mval *out, size_t max, size_t *n, const struct mval *v)
{
	if (*n < max)
		out[*n] = *v;
	(*n)++;
}

/* Append a text value. */
static void
fuzz_text(struct mval *out, size_t max, size_t *n, const char *s)
{
	struct mval	 v;

	memset(&v, 0, sizeof v);
	v.type = MT_TEXT;
	v.text.p = s;
	v.text.n = (uint32_t)strlen(s);
	fuzz_add(out, max, n, &v);
}

/* Append a value of a key's own type made from a number. */
static void
fuzz_typed(struct mval *out, size_t max, size_t *n, int key, uint64_t x)
{
	const struct meta_key	*k = meta_key(key);
	struct mval		 v;

	memset(&v, 0, sizeof v);
	v.type = k->type;
	v.prec = 9;
	if (k->type == MT_UINT || k->type == MT_TIME)
		v.u = x;
	else if (k->type == MT_TEXT) {
		fuzz_text(out, max, n, x % 2 ? "Example.COM" : "a\\b'c");
		return;
	} else
		memset(v.ip, (int)(x & 0xff), sizeof v.ip);
	fuzz_add(out, max, n, &v);
}

/* Fake sessions: item 1 has nothing, 2 a little of everything, 3 a lot. */
static size_t
fuzz_values(const struct meta_reader *r, uint64_t item, int key,
    struct mval *out, size_t max)
{
	size_t	 n = 0, i;

	(void)r;
	if (item == 1 || meta_key(key) == NULL)
		return (0);
	if (key == K_IP_PROTO && item == 2)
		return (0);
	fuzz_typed(out, max, &n, key, item == 2 ? 10 : 1704067200000000000ULL);
	if (meta_key(key)->type != MT_TEXT)
		return (n);
	if (item == 3) {
		for (i = 0; i < FUZZ_HOSTS; i++)
			fuzz_text(out, max, &n, fuzz_hosts[i]);
	}
	fuzz_typed(out, max, &n, key, item);
	return (n);
}

static const struct meta_reader fuzz_reader = { fuzz_values, NULL };

/* Check an error report: a column inside the text (or just after). */
static void
fuzz_check_error(const struct query_error *err, size_t size)
{
	if (err->msg == NULL || err->col < 1 || err->col > size + 1)
		abort();
}

/* Check that the plan reads back to itself and its negation is opposite. */
static void
fuzz_check_plan(const struct query *q)
{
	struct query	*q2;
	struct buf	 b, b2;
	uint64_t	 i;

	buf_init(&b);
	buf_init(&b2);
	query_format(&b, q);
	if ((q2 = query_compile(b.s, b.len, QUERY_EMPTY_OK, NULL)) == NULL)
		abort();
	query_format(&b2, q2);
	if (strcmp(b.s, b2.s) != 0)
		abort();
	query_free(q2);
	buf_reset(&b2);
	buf_printf(&b2, "!(%s)", b.s);
	q2 = query_compile(b2.s, b2.len, 0, NULL);
	for (i = 1; q2 != NULL && b.len != 0 && i <= FUZZ_NITEMS; i++) {
		if (query_match(q, &fuzz_reader, i) ==
		    query_match(q2, &fuzz_reader, i))
			abort();
	}
	query_free(q2);
	buf_free(&b2);
	buf_free(&b);
}

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Compile, check, format, evaluate and free one input. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int		 init;
	struct query_error	 err;
	struct query		*q;
	int			 flags, i;

	if (!init) {
		for (i = 0; i < FUZZ_HOSTS; i++)
			snprintf(fuzz_hosts[i], sizeof fuzz_hosts[i],
			    "h%d.example", i);
		meta_intern("fuzz.alert", 10, MT_TEXT);
		init = 1;
	}
	for (flags = 0; flags <= QUERY_EMPTY_OK; flags += QUERY_EMPTY_OK) {
		q = query_compile((const char *)data, size, flags, &err);
		if (q == NULL)
			fuzz_check_error(&err, size);
		else {
			fuzz_check_plan(q);
			for (i = 1; i <= FUZZ_NITEMS; i++)
				query_match(q, &fuzz_reader, (uint64_t)i);
		}
		query_free(q);
		query_error_clear(&err);
	}
	return (0);
}
