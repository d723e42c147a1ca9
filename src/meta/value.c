/* value.c - printing, comparing and hashing typed meta values. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <arpa/inet.h>
#include <string.h>
#include <time.h>

#include <xxhash.h>

#include "meta/meta.h"

/* Append a time as YYYY-MM-DDTHH:MM:SS.ffffff[fff]Z. */
static void
mval_format_time(struct buf *b, const struct mval *v)
{
	time_t		 secs = (time_t)(v->u / 1000000000ULL);
	uint64_t	 frac = v->u % 1000000000ULL;
	struct tm	 tm;

	gmtime_r(&secs, &tm);
	buf_printf(b, "%04d-%02d-%02dT%02d:%02d:%02d.", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (v->prec == 9)
		buf_printf(b, "%09llu", (unsigned long long)frac);
	else
		buf_printf(b, "%06llu", (unsigned long long)(frac / 1000));
	buf_addc(b, 'Z');
}

/* Append the printable form of a value. */
void
mval_format(struct buf *b, const struct mval *v)
{
	char	 tmp[INET6_ADDRSTRLEN];

	switch (v->type) {
	case MT_UINT:
		buf_printf(b, "%llu", (unsigned long long)v->u);
		break;
	case MT_IPV4:
		buf_adds(b, inet_ntop(AF_INET, v->ip, tmp, sizeof tmp));
		break;
	case MT_IPV6:
		buf_adds(b, inet_ntop(AF_INET6, v->ip, tmp, sizeof tmp));
		break;
	case MT_MAC:
		buf_printf(b, "%02x:%02x:%02x:%02x:%02x:%02x", v->mac[0],
		    v->mac[1], v->mac[2], v->mac[3], v->mac[4], v->mac[5]);
		break;
	case MT_TEXT:
		esc_text(b, v->text.p, v->text.n);
		break;
	case MT_TIME:
		mval_format_time(b, v);
		break;
	}
}

/* Byte length of the address or MAC part of a value. */
static size_t
mval_bytes(const struct mval *v)
{
	switch (v->type) {
	case MT_IPV4:
		return (4);
	case MT_IPV6:
		return (16);
	case MT_MAC:
		return (6);
	}
	return (0);
}

/* Compare two values of one type for sorting. */
int
mval_cmp(const struct mval *a, const struct mval *b)
{
	if (a->type != b->type)
		return (a->type < b->type ? -1 : 1);
	switch (a->type) {
	case MT_UINT:
	case MT_TIME:
		return (a->u < b->u ? -1 : a->u > b->u);
	case MT_TEXT:
		return (fold_cmp(a->text.p, a->text.n, b->text.p, b->text.n));
	}
	return (memcmp(a->ip, b->ip, mval_bytes(a)));
}

/* Equality as queries and grouping see it. */
bool
mval_eq(const struct mval *a, const struct mval *b)
{
	if (a->type == MT_TEXT && b->type == MT_TEXT)
		return (fold_eq(a->text.p, a->text.n, b->text.p, b->text.n));
	return (mval_cmp(a, b) == 0);
}

/* A hash consistent with mval_eq. */
uint64_t
mval_hash(const struct mval *v)
{
	switch (v->type) {
	case MT_UINT:
	case MT_TIME:
		return (XXH3_64bits(&v->u, sizeof v->u) ^ v->type);
	case MT_TEXT:
		return (fold_hash(v->text.p, v->text.n));
	}
	return (XXH3_64bits(v->ip, mval_bytes(v)) ^ v->type);
}
