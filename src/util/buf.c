/* buf.c - growable byte buffers. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

/* Start an empty buffer. */
void
buf_init(struct buf *b)
{
	b->s = NULL;
	b->len = b->cap = 0;
}

/* Free a buffer's memory. */
void
buf_free(struct buf *b)
{
	free(b->s);
	buf_init(b);
}

/* Empty a buffer, keeping its memory. */
void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->s != NULL)
		b->s[0] = '\0';
}

/*
 * Grow to hold need bytes, the terminating NUL kept in place; apart, so
 * that buf_reserve stays small enough to be inlined in the appenders.
 */
static void __attribute__((noinline))
buf_grow(struct buf *b, size_t need)
{
	if (b->cap == 0)
		b->cap = 64;
	while (b->cap < need)
		b->cap *= 2;
	b->s = xrealloc(b->s, b->cap);
	b->s[b->len] = '\0';
}

/* Make room for n more bytes and the terminating NUL. */
void
buf_reserve(struct buf *b, size_t n)
{
	size_t	 need = b->len + n + 1;

	if (need > b->cap)
		buf_grow(b, need);
}

/* Append n bytes. */
void
buf_add(struct buf *b, const void *p, size_t n)
{
	buf_reserve(b, n);
	if (n != 0)
		memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

/* Append one byte. */
void
buf_addc(struct buf *b, char c)
{
	buf_reserve(b, 1);
	b->s[b->len++] = c;
	b->s[b->len] = '\0';
}

/* Append a C string. */
void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

/* Append formatted text. */
void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		fatal("bad format string");
	buf_reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* Append a duration (ns) in its largest whole unit: 2d, 6h, 30m, 90s. */
void
buf_duration(struct buf *b, uint64_t ns)
{
	uint64_t	 s = ns / 1000000000ULL;

	if (s >= 86400 && s % 86400 == 0)
		buf_printf(b, "%llud", (unsigned long long)(s / 86400));
	else if (s >= 3600 && s % 3600 == 0)
		buf_printf(b, "%lluh", (unsigned long long)(s / 3600));
	else if (s >= 60 && s % 60 == 0)
		buf_printf(b, "%llum", (unsigned long long)(s / 60));
	else
		buf_printf(b, "%llus", (unsigned long long)s);
}

/* Give the contents to the caller and reset the buffer. */
char *
buf_take(struct buf *b)
{
	char	*s;

	if (b->s == NULL)
		return (xstrdup(""));
	s = b->s;
	buf_init(b);
	return (s);
}
